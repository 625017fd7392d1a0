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
"""

import re

from tumbuh.growth.pmt import Funding, Indication

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
