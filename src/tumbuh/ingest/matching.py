"""Which child a row is about: the matching key (docs/import-format.md, "Matching").

A row is matched to an existing child by **NIK** when it has a valid one. Without a NIK
it is matched by **identity**: the normalised child's name, birth date, sex and the
normalised name of the mother (the parent column). Both keys are pure functions of the
row, so the same row always gives the same key and re-importing a file finds the same
children.

Name normalisation makes the key tolerant of how names are typed, never of what they
say: accents, case, punctuation and spaces are dropped; leading titles (``An.``,
``By.``, ``Bayi Ny.``, ``Ny.``, ``Ibu``) are removed; the pre-1972 spellings ``oe``,
``dj``, ``tj``, ``ch`` are read as ``u``, ``j``, ``c``, ``kh`` (EYD); and doubled letters
count once (``Annisa`` = ``Anisa``, ``Muhammad`` = ``Muhamad``).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from tumbuh.growth.enums import Sex

_TITLES = re.compile(
    r"^(?:(?:an|anak|by|bayi|ny|nyonya|nn|nona|ibu|bu|bpk|bapak|tn|sdr|sdri|alm|almh|hj|h)"
    r"(?:\.|\s)+)+"
)
_OLD_SPELLINGS = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("ch", "kh"))


def normalise_name(name: str) -> str:
    """Comparison form of a person's name: ``"By. Ny. Siti Nur'aini"`` -> ``sitinuraini``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z\s.]", "", text).strip()
    text = _TITLES.sub("", text)
    text = re.sub(r"[^a-z]", "", text)
    for old, new in _OLD_SPELLINGS:
        text = text.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", text)


@dataclass(frozen=True, slots=True)
class ChildKey:
    """Keys to find a child: ``nik`` when known, ``identity`` when name, birth date, sex
    and mother's name are all known. A row with neither cannot be matched."""

    nik: str | None
    identity: str | None

    @property
    def usable(self) -> bool:
        """True when at least one key can find the child."""
        return self.nik is not None or self.identity is not None


def child_key(
    *,
    nik: str | None,
    name: str | None,
    birth_date: date | None,
    sex: Sex | None,
    mother_name: str | None,
) -> ChildKey:
    """The matching keys of one row (``nik`` must already be a checked 16-digit NIK)."""
    child = normalise_name(name) if name else ""
    mother = normalise_name(mother_name) if mother_name else ""
    identity = None
    if child and mother and birth_date is not None and sex is not None:
        identity = f"{child}|{birth_date.isoformat()}|{sex.code}|{mother}"
    return ChildKey(nik=nik, identity=identity)
