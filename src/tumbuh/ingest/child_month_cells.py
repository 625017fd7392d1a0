"""The e-PPGBM cells of a child's month (docs/import-format.md, "Vitamin A and KPSP"):
``Jml Vit A`` (doses of vitamin A) and ``KPSP`` (the development screening's result).

Both are optional: a value that cannot be read is a warning and is not stored, and never
blocks the row's measurement, as for the other optional columns (N/T, position). The
import stores them in the child's ``child_month`` of the row's month as e-PPGBM recorded
them: without the age check of the form (e-PPGBM decided what was asked).
"""

from typing import TYPE_CHECKING

from tumbuh.growth.child_months import KpspResult
from tumbuh.ingest.layouts import Field

if TYPE_CHECKING:
    from tumbuh.ingest.checks import RowDraft

# The spellings met: the result's word (any case), its initial, and "menyimpang".
KPSP_SPELLINGS: dict[str, KpspResult] = {
    "sesuai": KpspResult.SESUAI,
    "s": KpspResult.SESUAI,
    "meragukan": KpspResult.MERAGUKAN,
    "m": KpspResult.MERAGUKAN,
    "penyimpangan": KpspResult.PENYIMPANGAN,
    "menyimpang": KpspResult.PENYIMPANGAN,
    "p": KpspResult.PENYIMPANGAN,
}
UNKNOWN_KPSP = (
    "'{value}' is not a KPSP result; write Sesuai, Meragukan or Penyimpangan (or S, M, P); "
    "the value is ignored"
)


def kpsp_result(text: str | None) -> KpspResult | None:
    """The KPSP result a cell's text names (None when empty or unknown)."""
    if text is None:
        return None
    return KPSP_SPELLINGS.get(text.strip().rstrip(".").lower())


def check_kpsp(draft: "RowDraft") -> None:
    """Read the KPSP cell into ``draft.kpsp``; a warning for a value that is no result."""
    text = draft.text(Field.KPSP)
    if text is None:
        return
    found = kpsp_result(text)
    if found is None:
        draft.warn(Field.KPSP, UNKNOWN_KPSP, value=text)
    draft.kpsp = found


def vitamin_a_given(doses: int | None) -> bool | None:
    """``Jml Vit A`` as the month's answer: more than 0 doses given, 0 not given, an empty
    (or negative) cell not recorded."""
    if doses is None or doses < 0:
        return None
    return doses > 0


def vitamin_a_doses(given: bool | None) -> int | None:
    """The month's answer written back as ``Jml Vit A``: 1, 0 or empty."""
    return None if given is None else int(given)
