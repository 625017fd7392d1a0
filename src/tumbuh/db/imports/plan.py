"""The plan of an import: each checked row's child, and whether it is new, already in the
database, a repeat, or a conflict. Reads only; :mod:`tumbuh.db.imports.write` writes it.

A measurement is the same as a stored one when every value the row carries (weight,
height, LiLA, position) equals the stored value (to 0.0005, far below any scale's
precision); a value the row leaves empty is not compared. Any other stored measurement
of the child on that date is a **conflict**: an error line, never an overwrite.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Connection

from tumbuh.db.imports.children import ChildMatcher, Matching
from tumbuh.db.imports.lines import POSITION_WORDS, Lines
from tumbuh.db.imports.stored import (
    StoredMeasurement,
    children_for,
    imported_files,
    measurements_for,
)
from tumbuh.db.models import MeasurementSource
from tumbuh.ingest import import_messages as msg
from tumbuh.ingest import messages as check_msg
from tumbuh.ingest.batch import ImportBatch, MeasurementRow
from tumbuh.ingest.layouts import Field
from tumbuh.ingest.report import Labelled, Listing, Word

TOLERANCE = 0.0005
_VALUES = ((Field.WEIGHT, "weight_kg"), (Field.HEIGHT, "height_cm"), (Field.MUAC, "muac_cm"))
_FIELDS = {attr: name for name, attr in _VALUES} | {
    "position": Field.POSITION,
    "oedema": Field.OEDEMA,
    "pmt_received_kg": Field.PMT_KG,
}
_SOURCE_WORDS = {
    MeasurementSource.TYPED_IN: msg.TYPED_IN,
    MeasurementSource.GENERATED: msg.GENERATED,
}


@dataclass(frozen=True)
class Difference:
    """One value that differs between a row and the stored measurement."""

    field: str  # weight_kg, height_cm, muac_cm, position, oedema or pmt_received_kg
    column: str  # the header as the file wrote it
    in_file: object
    stored: object


@dataclass(frozen=True)
class Conflict:
    """A row whose child already has another measurement on that date."""

    file: str
    row: int
    measured_on: date
    child_id: int
    measurement_id: int
    differences: tuple[Difference, ...]


@dataclass
class Plan:
    """What the import would do, before any write."""

    rows: Sequence[MeasurementRow]
    matching: Matching
    write: list[int] = field(default_factory=list)  # indices of rows to insert
    accepted: list[int] = field(default_factory=list)  # rows without error (write or not)
    present: int = 0  # rows the database already holds
    repeated: int = 0  # rows repeating another row of the batch for the same child
    conflicts: list[Conflict] = field(default_factory=list)
    imported_before: dict[str, datetime] = field(default_factory=dict)

    @property
    def matched_children(self) -> int:
        """Registered children that accepted rows belong to."""
        refs = (self.matching.refs[i] for i in self.accepted)
        return len({ref for ref in refs if ref is not None and ref > 0})


def build_plan(connection: Connection, batch: ImportBatch, lines: Lines) -> Plan:
    """Match every row of ``batch`` to its child and compare it with the database."""
    rows = batch.rows
    stored = children_for(
        connection,
        (r.nik for r in rows if r.nik is not None),
        {r.birth_date for r in rows if r.key.identity is not None},
    )
    matching = ChildMatcher(stored, lines).match(rows)
    plan = Plan(rows, matching)
    digests = [f.sha256 for f in batch.files if f.sha256 is not None]
    plan.imported_before = imported_files(connection, digests)
    for source in batch.files:
        if source.sha256 in plan.imported_before:
            when = plan.imported_before[source.sha256]
            lines.file(source, msg.ALREADY_IMPORTED_FILE, date=when.date())
    groups: dict[tuple[int, date], list[int]] = defaultdict(list)
    for i, ref in enumerate(matching.refs):
        if ref is not None:
            groups[(ref, rows[i].measured_on)].append(i)
    registered = {ref for ref, _ in groups if ref > 0}
    days = sorted({day for _, day in groups})
    held = measurements_for(connection, registered, days)
    for (ref, day), members in groups.items():
        first = _deduplicated(plan, members, lines)
        if first is None:
            continue
        if ref > 0 and held.get((ref, day)):
            if not _compare_with_stored(plan, first, ref, held[(ref, day)], lines):
                continue
        else:
            plan.write.append(first)
        plan.accepted.extend(members)
    plan.write.sort()
    plan.accepted.sort()
    return plan


def _deduplicated(plan: Plan, members: list[int], lines: Lines) -> int | None:
    """The one row to keep for a child and date (None when the rows disagree)."""
    rows = plan.rows
    first = rows[members[0]]
    differing = [i for i in members[1:] if _row_differences(first, rows[i])]
    if differing:
        for i in members:
            other = rows[members[0] if i != members[0] else differing[0]]
            fields = ", ".join(Lines.label(rows[i], f) for f in _row_differences(rows[i], other))
            lines.row(
                rows[i],
                None,
                None,
                check_msg.DUPLICATE_CONFLICT,
                other=other.row,
                file=other.source.path.name,
                fields=fields,
            )
        return None
    for i in members[1:]:
        plan.repeated += 1
        lines.row(
            rows[i],
            None,
            None,
            check_msg.DUPLICATE_REPEAT,
            warning=True,
            other=first.row,
            file=first.source.path.name,
        )
    return members[0]


def _row_differences(a: MeasurementRow, b: MeasurementRow) -> list[Field]:
    found = [f for f, attr in _VALUES if not _equal(getattr(a, attr), getattr(b, attr))]
    if a.position is not b.position:
        found.append(Field.POSITION)
    if not _equal(a.pmt_kg, b.pmt_kg):
        found.append(Field.PMT_KG)
    return found


def _equal(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= TOLERANCE


def differences(row: MeasurementRow, stored: StoredMeasurement) -> list[Difference]:
    """The values ``row`` carries that ``stored`` lacks or holds otherwise."""
    found = []
    for name, attr in _VALUES:
        mine, theirs = getattr(row, attr), getattr(stored, attr)
        if mine is not None and (theirs is None or abs(mine - theirs) > TOLERANCE):
            found.append(Difference(attr, Lines.label(row, name), mine, theirs))
    if row.position is not None and row.position is not stored.position:
        label = Lines.label(row, Field.POSITION)
        theirs = POSITION_WORDS.get(stored.position) if stored.position else None
        found.append(Difference("position", label, POSITION_WORDS[row.position], theirs))
    if row.oedema and not stored.oedema:  # an empty cell says nothing about oedema
        found.append(Difference("oedema", Lines.label(row, Field.OEDEMA), "ya", "tidak"))
    mine, theirs = row.pmt_kg, stored.pmt_received_kg
    # Compared only when both have one: a measurement stored before PMT was kept has none.
    if mine is not None and theirs is not None and abs(mine - theirs) > TOLERANCE:
        found.append(Difference("pmt_received_kg", Lines.label(row, Field.PMT_KG), mine, theirs))
    return found


def _compare_with_stored(
    plan: Plan, index: int, child_id: int, held: list[StoredMeasurement], lines: Lines
) -> bool:
    """True when the database holds the row already; False (and a line) for a conflict."""
    row = plan.rows[index]
    if any(not differences(row, stored) for stored in held):
        plan.present += 1
        return True
    stored = held[0]
    found = tuple(differences(row, stored))
    conflict = Conflict(row.source.path.name, row.row, row.measured_on, child_id, stored.id, found)
    plan.conflicts.append(conflict)
    listing = Listing(tuple(Labelled(d.column, d.stored) for d in found))
    where = _FIELDS[found[0].field]
    if stored.source is MeasurementSource.IMPORT_FILE:
        lines.row(
            row,
            where,
            found[0].in_file,
            msg.CONFLICT_DATABASE_FILE,
            date=row.measured_on,
            stored=listing,
            file=stored.file_name or "",
            other=stored.import_row or "",
        )
    else:
        source = Word(_SOURCE_WORDS.get(stored.source, msg.TYPED_IN))
        lines.row(
            row,
            where,
            found[0].in_file,
            msg.CONFLICT_DATABASE,
            date=row.measured_on,
            stored=listing,
            source=source,
        )
    return False
