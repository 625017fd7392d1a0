"""PMT bumil KEK episodes read from e-PPGBM's "Sasaran PMT Ibu Hamil KEK" file: how its
status words become the episode exits the rules know, and which registered pregnancy a
row belongs to (docs/pmt.md, "Importing e-PPGBM's file of pregnant women with KEK").

* **Status** (``Keterangan``): *selesai* is judged by the LiLA at the end, as a closing
  on the page is (:func:`tumbuh.growth.pmt_bumil.bumil_recovered`); *pulih* and *tidak
  pulih* are the file's own verdict, kept when it has no end LiLA and overruled by the
  LiLA when it has one (23.5 cm or more is recovered: one rule, one home); *drop out*,
  *pindah* and *rujuk* are the exits of the same names; empty, *berjalan* or ``-``: the
  episode still runs.
* **Pregnancy**: the one whose span holds the start day: from its first known day (HPHT,
  else the first visit K1, else its registration) up to the day before it ended (open
  ones have no end). Of several, the latest begun.
* **End**: the file's own end; without one, the episode's last day of feeding
  (:func:`tumbuh.growth.pmt_bumil.bumil_last_day`: the planned days, or the day before the
  birth or HPL) once that is before today, as a history file's episode ends
  (:func:`tumbuh.growth.pmt_sources.history_end`); else it still runs.
"""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tumbuh.growth.pmt import EpisodeExit
from tumbuh.growth.pmt_bumil import bumil_last_day, bumil_recovered


class BumilFileStatus(StrEnum):
    """What a row's ``Keterangan`` says about the episode."""

    RUNNING = "running"  # empty, berjalan, -
    COMPLETED = "completed"  # selesai: judged by the end LiLA
    RECOVERED = "recovered"  # pulih
    NOT_RECOVERED = "not_recovered"  # tidak pulih, belum pulih
    DROPPED_OUT = "dropped_out"  # drop out, DO, berhenti
    MOVED = "moved"  # pindah
    REFERRED = "referred"  # rujuk, dirujuk


# The words, compared in lower case without dots, runs of spaces and dashes made one space.
_WORDS: dict[str, BumilFileStatus] = {
    "": BumilFileStatus.RUNNING,
    "berjalan": BumilFileStatus.RUNNING,
    "sedang berjalan": BumilFileStatus.RUNNING,
    "proses": BumilFileStatus.RUNNING,
    "selesai": BumilFileStatus.COMPLETED,
    "tuntas": BumilFileStatus.COMPLETED,
    "pulih": BumilFileStatus.RECOVERED,
    "sembuh": BumilFileStatus.RECOVERED,
    "tidak pulih": BumilFileStatus.NOT_RECOVERED,
    "belum pulih": BumilFileStatus.NOT_RECOVERED,
    "tidak sembuh": BumilFileStatus.NOT_RECOVERED,
    "drop out": BumilFileStatus.DROPPED_OUT,
    "dropout": BumilFileStatus.DROPPED_OUT,
    "do": BumilFileStatus.DROPPED_OUT,
    "berhenti": BumilFileStatus.DROPPED_OUT,
    "pindah": BumilFileStatus.MOVED,
    "pindah domisili": BumilFileStatus.MOVED,
    "rujuk": BumilFileStatus.REFERRED,
    "dirujuk": BumilFileStatus.REFERRED,
}
_FIXED_EXITS = {
    BumilFileStatus.DROPPED_OUT: EpisodeExit.DROPPED_OUT,
    BumilFileStatus.MOVED: EpisodeExit.MOVED,
    BumilFileStatus.REFERRED: EpisodeExit.REFERRED,
}
_VERDICTS = {
    BumilFileStatus.RECOVERED: EpisodeExit.RECOVERED,
    BumilFileStatus.NOT_RECOVERED: EpisodeExit.NOT_RECOVERED,
}


def status_from_text(text: str | None) -> BumilFileStatus | None:
    """The status a ``Keterangan`` cell names (None: a word Tumbuh does not know)."""
    words = re.sub(r"[\s\-_/]+", " ", (text or "").replace(".", "").strip().lower()).strip()
    return _WORDS.get(words)


@dataclass(frozen=True)
class FileExit:
    """How a file's episode ended: the exit (None: running, or completed without a LiLA
    to judge it) and whether the file's own verdict disagreed with the end LiLA."""

    exit: EpisodeExit | None
    overruled: bool = False


def bumil_file_exit(status: BumilFileStatus, end_muac_cm: float | None) -> FileExit:
    """The exit of a row with ``status`` and the LiLA at the end (cm, None: not taken)."""
    if status is BumilFileStatus.RUNNING:
        return FileExit(None)
    if status in _FIXED_EXITS:
        return FileExit(_FIXED_EXITS[status])
    verdict = float(bumil_recovered([math.nan if end_muac_cm is None else end_muac_cm])[0])
    if math.isnan(verdict):
        return FileExit(_VERDICTS.get(status))
    judged = EpisodeExit.RECOVERED if verdict == 1.0 else EpisodeExit.NOT_RECOVERED
    said = _VERDICTS.get(status)
    return FileExit(judged, overruled=said is not None and said is not judged)


@dataclass(frozen=True)
class PregnancySpan:
    """A registered pregnancy's known days: its first (HPHT, K1, registration) and end."""

    id: int
    hpht: date | None
    k1_on: date | None
    registered_on: date | None
    ended_on: date | None


def pregnancy_at(started_on: date, pregnancies: Sequence[PregnancySpan]) -> int | None:
    """The pregnancy whose span holds ``started_on`` (see the module doc), or None."""
    holding = []
    for p in pregnancies:
        begun = p.hpht or p.k1_on or p.registered_on
        if begun is not None and started_on < begun:
            continue
        if p.ended_on is not None and started_on >= p.ended_on:
            continue
        holding.append((begun or date.min, p.id))
    return max(holding)[1] if holding else None


def bumil_file_end(
    *,
    started_on: date,
    planned_days: int,
    ended_on: date | None,
    due_or_born: date | None,
    today: date,
) -> date | None:
    """The end of a file's episode (see the module doc); None while it may still run."""
    if ended_on is not None:
        return ended_on
    last = bumil_last_day(started_on, planned_days, due_or_born)
    return last if last < today else None
