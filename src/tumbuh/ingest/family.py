"""Row checks of who the child belongs to: masked values, and layout B's family columns.

A masked Tumbuh export (``tumbuh export eppgbm`` without ``--unmask``) writes the NIK
with ``*`` in place of 8 digits and names as initials (``S. A.``); such a row cannot find
its child, so each masked cell is an error that says so (docs/import-format.md, §12).

Layout B carries the family card (``Nomor KK``), the parent's NIK and the gestational
age at birth. They are optional: a value that cannot be right is a warning and is not
stored, and never blocks the row.
"""

import math
import re
from typing import TYPE_CHECKING

from tumbuh.ingest import import_messages as msg
from tumbuh.ingest.layouts import Field
from tumbuh.ingest.values import NikCell, is_missing, parse_nik, parse_number

if TYPE_CHECKING:
    from tumbuh.ingest.checks import RowDraft

MASK = "*"
# Initials only ("S. A.", "M.A."): how masked exports and lists write a name; no register
# name is only initials.
_INITIALS = re.compile(r"^(?:\w\.\s*)+$")
# Names Tumbuh stores, and the length of their database columns (tumbuh.db.models).
NAME_LIMIT = 100
_NAMES = (Field.NAME, Field.PARENT_NAME, Field.POSYANDU)
# Plausible gestational age at birth, in completed weeks: the earliest births that
# survive are about 22 weeks, and 42 weeks is post-term; beyond 45 is a slip.
GESTATION_WEEKS = (20, 45)


def is_masked_name(text: str) -> bool:
    """A name hidden by masking: ``*`` in it, or initials only (``S. A.``)."""
    return MASK in text or bool(_INITIALS.match(text))


def masked(draft: "RowDraft") -> bool:
    """Report masked NIK and name cells; True when any is masked."""
    found = False
    raw_nik = draft.cells.get(Field.NIK)
    if isinstance(raw_nik, str) and MASK in raw_nik:
        draft.error(Field.NIK, msg.NIK_MASKED, value=raw_nik.strip())
        found = True
    for name in (Field.NAME, Field.PARENT_NAME):
        text = draft.text(name)
        if text is not None and is_masked_name(text):
            draft.error(name, msg.NAME_MASKED, column=draft.sink.label(name), value=text)
            found = True
    return found


def check_family(draft: "RowDraft") -> None:
    """Read ``Nomor KK``, ``NIK Orang Tua`` and ``Usia Kehamilan`` (warnings only), and
    refuse names longer than the database keeps (errors)."""
    for name in _NAMES:
        text = draft.text(name)
        if text is not None and len(text) > NAME_LIMIT:
            label = draft.sink.label(name)
            draft.error(name, msg.TEXT_TOO_LONG, column=label, length=len(text), limit=NAME_LIMIT)
    draft.nomor_kk = _number_of_16_digits(draft, Field.NOMOR_KK, msg.NOMOR_KK_INVALID)
    draft.parent_nik = _number_of_16_digits(draft, Field.PARENT_NIK, msg.PARENT_NIK_INVALID)
    raw = draft.cells.get(Field.GESTATIONAL_WEEKS)
    if is_missing(raw):
        return
    weeks = parse_number(raw).value
    low, high = GESTATION_WEEKS
    if weeks is None or not math.isfinite(weeks) or not low <= weeks <= high:
        draft.warn(
            Field.GESTATIONAL_WEEKS, msg.GESTATION_IMPLAUSIBLE, value=raw, low=low, high=high
        )
        return
    draft.gestational_weeks = round(weeks)


def _number_of_16_digits(draft: "RowDraft", name: Field, template: str) -> str | None:
    raw = draft.cells.get(name)
    if is_missing(raw):
        return None
    cell: NikCell = parse_nik(raw)
    if cell.value is None:
        draft.warn(name, template, column=draft.sink.label(name))
    return cell.value
