"""The words of e-PPGBM's PMT history files mapped onto Tumbuh's PMT vocabularies
(docs/import-format.md §13): which indication a file is about, and where the money came
from.

e-PPGBM exports one history file per indication and names it after it:
``Daftar-Riwayat-PMT-Gikur.xls`` (gizi kurang), ``Daftar-Riwayat-PMT-Underweight.xls``
(BB kurang), ``Daftar Riwayat T.xls`` (berat badan tidak naik) and
``Daftar-Riwayat-PMT-Ibu-Hamil-<timestamp>.xls`` (pregnant women with KEK or at risk of
it). The toddler files carry no column that says which, so the file name is the source;
a name that names none, or more than one, gives None and the user says which.

``Sumber Anggaran`` is free text in e-PPGBM. BOK (Bantuan Operasional Kesehatan) is part
of the non-physical DAK that funds PMT lokal since 2023, so it counts as DAK; APBN, Dana
Desa (and the village budget, APBDes) and self-help (swadaya) are other sources Tumbuh
keeps as "other". Text that names nothing known gives None: the caller records "other"
and says so.

An episode read from a history file is planned by the rule version in force in the year
it started (:func:`history_plan`), as an enrolment is; a toddler history has no end date,
so the episode is taken to have ended on its planned last day once that has passed, and
to run still before (:func:`history_end`); its outcome stays unknown.
"""

import re
from datetime import date, timedelta

from tumbuh.growth.pmt import RULES, Funding, Indication, rules_for

# Words of a file name (lower case) that name an indication; a set of several words
# must all be present.
_FILE_WORDS: tuple[tuple[Indication, tuple[frozenset[str], ...]], ...] = (
    (
        Indication.PREGNANT_KEK,
        (frozenset({"hamil"}), frozenset({"bumil"}), frozenset({"kek"})),
    ),
    (
        Indication.WASTED,
        (frozenset({"gikur"}), frozenset({"gizi", "kurang"}), frozenset({"wasting"})),
    ),
    (
        Indication.UNDERWEIGHT,
        (frozenset({"underweight"}), frozenset({"bb", "kurang"})),
    ),
    (
        Indication.FALTERING,
        (frozenset({"t"}), frozenset({"2t"}), frozenset({"tidak", "naik"})),
    ),
)
# Funding words, compared as whole words of the normalised text (first match wins).
_FUNDING_WORDS: tuple[tuple[Funding, tuple[str, ...]], ...] = (
    (Funding.BAPAK_ASUH, ("bapak asuh", "orang tua asuh", "baas", "genting")),
    (Funding.BAZNAS, ("baznas", "zakat")),
    (Funding.CSR, ("csr", "tjsl", "perusahaan", "swasta")),
    (Funding.DAK, ("dak", "bok", "dana alokasi khusus")),
    (Funding.APBD, ("apbd", "apbd i", "apbd ii", "apbd1", "apbd2")),
    (Funding.OTHER, ("apbn", "dana desa", "apbdes", "add", "swadaya", "lainnya", "lain lain")),
)
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def _words(text: str) -> list[str]:
    return [w for w in _NOT_WORD.split(text.lower()) if w]


def indication_from_file_name(name: str) -> Indication | None:
    """The indication an e-PPGBM PMT history file is about, from its name (with or without
    its extension); None when the name names none or several."""
    stem = re.sub(r"\.(xlsx?|html?|csv)$", "", name.strip(), flags=re.IGNORECASE)
    words = set(_words(stem))
    found = {
        indication
        for indication, spellings in _FILE_WORDS
        if any(spelling <= words for spelling in spellings)
    }
    return found.pop() if len(found) == 1 else None


def funding_from_text(text: str) -> Funding | None:
    """The funding source a ``Sumber Anggaran`` cell names (``APBD Kota``, ``DAK Non
    Fisik``, ``BOK``, ``Baznas``, ``CSR PT ...``, ``Bapak Asuh``, ``APBN``, ``Dana Desa``);
    None when it names none Tumbuh knows."""
    padded = " " + " ".join(_words(text)) + " "
    for funding, spellings in _FUNDING_WORDS:
        if any(f" {spelling} " in padded for spelling in spellings):
            return funding
    return None


def history_plan(indication: Indication, year: int) -> tuple[str, int]:
    """The rule version in force in ``year`` and the days it plans for ``indication``; a
    version that does not feed it (pregnant women in the 2022 pilot) gives way to the first
    later one that does, whose version is then the episode's."""
    chosen = rules_for(year)
    later = [RULES[v] for v in sorted(RULES, key=int) if int(v) > int(chosen.version)]
    for rules in (chosen, *later):
        days = rules.planned_days.get(indication)
        if days is not None:
            return rules.version, days
    raise ValueError(f"no version of the rules plans {indication}")


def history_end(
    *, started_on: date, planned_days: int, ended_on: date | None, today: date
) -> date | None:
    """The end of an episode read from a history file: the file's own end (pregnancy
    files), else its planned last day (start + planned days - 1) once that is before
    ``today``; None while it may still run."""
    if ended_on is not None:
        return ended_on
    last = started_on + timedelta(days=planned_days - 1)
    return last if last < today else None
