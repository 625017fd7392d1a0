"""Writing a planned import, in bulk, inside the caller's transaction.

Ids are reserved first (PostgreSQL: from each table's sequence, safe beside other
writers; SQLite: after the largest id, safe because the import holds SQLite's write lock
from its first statement, :mod:`tumbuh.db.imports.lock`), so that rows can point at each
other before they are written and every table is written with one bulk insert (COPY on
PostgreSQL). Derived values are then recomputed through :func:`tumbuh.db.derive.derive`
for every child the import touched, in one vectorised pass, because a new measurement
changes the weight trend (N/T/O/B) of the child's next one. The import's run
(:mod:`tumbuh.db.imports.trace`) is written first and finished last.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar, cast

import numpy as np
from sqlalchemy import Connection, Table, bindparam, func, select, text

from tumbuh.db.audit import Actor, audit_json
from tumbuh.db.bulk import ColumnValues, insert_columns
from tumbuh.db.derive import MeasurementArrays
from tumbuh.db.imports.child_months import answers_of, write_child_months
from tumbuh.db.imports.derived import recompute_children
from tumbuh.db.imports.entities import Entities
from tumbuh.db.imports.plan import Plan
from tumbuh.db.imports.stored import new_posyandu_codes, rounds_by_month
from tumbuh.db.imports.trace import FileTrace, RunCounts, finish_run, start_run
from tumbuh.db.measurements import StoredValues, growth_input
from tumbuh.db.models import (
    Base,
    Child,
    Family,
    ImportFile,
    ImportRun,
    Measurement,
    MeasurementSource,
    Mother,
    Posyandu,
    table_of,
)
from tumbuh.db.models_access import AuditAction, AuditEntry
from tumbuh.db.models_maternal import ChildMonth
from tumbuh.growth.weight_gain import KbmTable
from tumbuh.ingest.batch import MeasurementRow, SourceFile
from tumbuh.ingest.layouts import Layout

Step = Callable[[int, int], None]
STEPS = 9  # tables written, plus reading back and writing the derived values
R = TypeVar("R")  # a planned record


@dataclass(frozen=True)
class Written:
    """What was written."""

    measurements: int
    children_created: int
    children_completed: int  # registered children that got a NIK or missing values
    niks_attached: int
    posyandu_created: tuple[tuple[str, str, str], ...]  # (kelurahan code, name, code)
    mothers_created: int
    families_created: int
    import_files: int
    import_run_id: int


@dataclass(frozen=True)
class RunStart:
    """What the import's run row needs besides the plan: when the import started, the
    rows read and skipped, and every file read (each gets an ``import_file`` row)."""

    started_at: datetime
    rows_read: int
    rows_skipped: int
    files: tuple[SourceFile, ...]


def reserve_ids(connection: Connection, table: Table, n: int) -> list[int]:
    """``n`` unused ids for ``table``."""
    if n == 0:
        return []
    if connection.dialect.name == "postgresql":
        query = text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
        )
        return sorted(connection.execute(query, {"table": table.name, "n": n}).scalars())
    largest = connection.execute(select(func.max(table.c.id))).scalar_one() or 0
    return list(range(largest + 1, largest + n + 1))


def _resolved(ref: object, ids: dict[int, int]) -> int | None:
    if ref is None:
        return None
    number = int(ref)  # type: ignore[call-overload]
    return ids[number] if number < 0 else number


def _layout_name(layout: Layout | None) -> str:
    return f"eppgbm-{layout.value.lower()}" if layout is not None else "eppgbm"


def _days(values: Iterable[date]) -> np.ndarray:
    return np.array([v.isoformat() for v in values], dtype="datetime64[D]")


class Writer:
    """Writes one plan; ``step(done, total)`` is called after each table."""

    def __init__(
        self,
        connection: Connection,
        plan: Plan,
        entities: Entities,
        step: Step,
        actor: Actor,
        run: RunStart,
    ) -> None:
        self.actor = actor
        self.run = run
        self.run_id = 0  # reserved by write()
        self.connection = connection
        self.plan = plan
        self.entities = entities
        self.step = step
        self.done = 0

    def _next(self) -> None:
        self.done += 1
        self.step(self.done, STEPS)

    def write(self, kbm: KbmTable) -> Written:
        """Write everything, and the run that traces it; returns the counts."""
        e = self.entities
        counts = self._run_counts()
        self.run_id = reserve_ids(self.connection, table_of(ImportRun), 1)[0]
        start_run(self.connection, self.run_id, self.actor, self.run.started_at, counts)
        files, traces = self._import_files()
        families = self._families()
        mothers = self._mothers(families)
        posyandu, created = self._posyandu()
        children = self._children(posyandu, mothers, families)
        niks = self._update_children(posyandu, mothers, families)
        written = self._measurements(files, children, posyandu)
        self._child_months(children)
        new_ids = set(children.values())
        registered = sorted({c for c in written.child_id.tolist() if c not in new_ids})
        recompute_children(self.connection, written, registered, kbm, self._next)
        finish_run(self.connection, self.run_id, self.actor, traces, counts)
        return Written(
            measurements=len(self.plan.write),
            children_created=len(e.new_children),
            children_completed=len(e.child_updates),
            niks_attached=niks,
            posyandu_created=created,
            mothers_created=len(e.new_mothers),
            families_created=len(e.new_families),
            import_files=len(files),
            import_run_id=self.run_id,
        )

    def _run_counts(self) -> RunCounts:
        e = self.entities
        return RunCounts(
            rows_read=self.run.rows_read,
            rows_skipped=self.run.rows_skipped,
            measurements_added=len(self.plan.write),
            children_added=len(e.new_children),
            children_changed=len(e.child_updates),
            mothers_added=len(e.new_mothers),
            families_added=len(e.new_families),
            posyandu_added=len(e.new_posyandu),
        )

    def _import_files(self) -> tuple[dict[int, int], list[FileTrace]]:
        """One ``import_file`` row per file read, linked to the run (``row_count`` 0 for a
        file that adds nothing: the run still names it); returns the ids by file index,
        and the files as the run's audit row names them."""
        counts: dict[int, int] = defaultdict(int)
        for i in self.plan.write:
            counts[self.plan.rows[i].source.index] += 1
        sources = sorted(self.run.files, key=lambda f: f.index)
        traces = [
            FileTrace(f.path.name[:255], f.sha256 or "", _layout_name(f.layout), counts[f.index])
            for f in sources
        ]
        ids = reserve_ids(self.connection, table_of(ImportFile), len(sources))
        now = datetime.now(UTC)
        if sources:
            rows = [
                {
                    "id": file_id,
                    "import_run_id": self.run_id,
                    "file_name": trace.name,
                    "sha256": trace.sha256,
                    "layout": trace.layout,
                    "imported_at": now,
                    "row_count": trace.rows,
                }
                for trace, file_id in zip(traces, ids, strict=True)
            ]
            self.connection.execute(table_of(ImportFile).insert(), rows)
        self._next()
        return {f.index: i for f, i in zip(sources, ids, strict=True)}, traces

    def _inserted(
        self,
        model: type[Base],
        new: Mapping[int, R],
        columns: Callable[[list[R]], dict[str, ColumnValues]],
    ) -> dict[int, int]:
        """Insert the ``new`` records (by planned key) under ids reserved now; returns the
        ids by planned key. ``columns`` gives every column but the id."""
        table = table_of(model)
        ids = dict(zip(new, reserve_ids(self.connection, table, len(new)), strict=True))
        if new:
            values = columns(list(new.values()))
            insert_columns(self.connection, table, {"id": list(ids.values())} | values)
        self._next()
        return ids

    def _families(self) -> dict[int, int]:
        return self._inserted(
            Family,
            self.entities.new_families,
            lambda new: {
                "nomor_kk": [f.nomor_kk for f in new],
                "kelurahan_code": [f.kelurahan_code for f in new],
                "address": [f.address for f in new],
                "rt": [f.rt for f in new],
                "rw": [f.rw for f in new],
            },
        )

    def _mothers(self, families: dict[int, int]) -> dict[int, int]:
        return self._inserted(
            Mother,
            self.entities.new_mothers,
            lambda new: {
                "nik": [m.nik for m in new],
                "name": [m.name for m in new],
                "family_id": [_resolved(m.family, families) for m in new],
            },
        )

    def _posyandu(self) -> tuple[dict[int, int], tuple[tuple[str, str, str], ...]]:
        new = self.entities.new_posyandu
        codes = new_posyandu_codes(self.connection, [p.kelurahan_code for p in new.values()])
        ids = self._inserted(
            Posyandu,
            new,
            lambda planned: {
                "code": codes,
                "name": [p.name for p in planned],
                "kelurahan_code": [p.kelurahan_code for p in planned],
            },
        )
        created = tuple(
            (p.kelurahan_code, p.name, code) for p, code in zip(new.values(), codes, strict=True)
        )
        return ids, created

    def _children(
        self, posyandu: dict[int, int], mothers: dict[int, int], families: dict[int, int]
    ) -> dict[int, int]:
        def columns(values: list[dict[str, object]]) -> dict[str, ColumnValues]:
            def column(name: str) -> list[Any]:
                return [v.get(name) for v in values]

            return {
                "nik": column("nik"),
                "name": column("name"),
                "sex": column("sex"),
                "birth_date": _days(cast(date, v["birth_date"]) for v in values),
                "birth_weight_kg": column("birth_weight_kg"),
                "birth_length_cm": column("birth_length_cm"),
                "gestational_age_weeks": column("gestational_age_weeks"),
                "has_buku_kia": column("has_buku_kia"),
                "posyandu_id": [_resolved(v, posyandu) for v in column("posyandu_id")],
                "mother_id": [_resolved(v, mothers) for v in column("mother_id")],
                "family_id": [_resolved(v, families) for v in column("family_id")],
                "import_run_id": self.run_id,
            }

        return self._inserted(Child, self.entities.new_children, columns)

    def _update_children(
        self, posyandu: dict[int, int], mothers: dict[int, int], families: dict[int, int]
    ) -> int:
        """Fill in what registered children lack; returns how many got a NIK."""
        refs = {"posyandu_id": posyandu, "mother_id": mothers, "family_id": families}
        by_columns: dict[tuple[str, ...], list[dict[str, object]]] = defaultdict(list)
        for child_id, changes in self.entities.child_updates.items():
            values = {
                name: _resolved(value, refs[name]) if name in refs else value
                for name, value in changes.items()
            }
            by_columns[tuple(sorted(values))].append(
                {"b_id": child_id} | {f"b_{name}": value for name, value in values.items()}
            )
        self._audit(by_columns)
        table = table_of(Child)
        for names, parameters in by_columns.items():
            statement = (
                table.update()
                .where(table.c.id == bindparam("b_id"))
                .values({name: bindparam(f"b_{name}") for name in names})
                .values(version=table.c.version + 1)  # a form opened before is now stale
            )
            self.connection.execute(statement, parameters)
        self._next()
        return sum("nik" in c for c in self.entities.child_updates.values())

    def _audit(self, by_columns: dict[tuple[str, ...], list[dict[str, object]]]) -> None:
        """One audit row per registered child the import completes (db/audit.py), linked
        to the run; the children and measurements it creates are traced by the run
        (``child.import_run_id``, ``import_file``) and its own audit row instead."""
        entries = []
        now = datetime.now(UTC)
        for parameters in by_columns.values():
            for p in parameters:
                after = {k[2:]: v for k, v in p.items() if k != "b_id"}
                entries.append(
                    {
                        "at": now,
                        "user_id": self.actor.user_id,
                        "actor": self.actor.name[:80],
                        "action": AuditAction.UPDATE,
                        "entity": "child",
                        "entity_id": p["b_id"],
                        "before": audit_json(dict.fromkeys(after), after),
                        "after": audit_json(after, dict.fromkeys(after)),
                        "import_run_id": self.run_id,
                    }
                )
        if entries:
            self.connection.execute(table_of(AuditEntry).insert(), entries)

    def _child_months(self, children: dict[int, int]) -> None:
        """The vitamin A and KPSP of every accepted row whose child is known."""
        accepted = sorted(set(self.plan.accepted))
        rows = [self.plan.rows[i] for i in accepted]
        child_ids = [_resolved(self.plan.matching.refs[i], children) for i in accepted]
        write_child_months(
            self.connection,
            answers_of(rows, child_ids),
            lambda n: reserve_ids(self.connection, table_of(ChildMonth), n),
            actor=self.actor,
            run_id=self.run_id,
            now=datetime.now(UTC),
        )

    def _measurements(
        self, files: dict[int, int], children: dict[int, int], posyandu: dict[int, int]
    ) -> MeasurementArrays:
        """Insert the measurements; returns them as their derived values' input, through
        the rules every stored measurement goes through (:func:`growth_input`)."""
        rows: list[MeasurementRow] = [self.plan.rows[i] for i in self.plan.write]
        refs = self.plan.matching.refs
        child_ids = [_resolved(refs[i], children) for i in self.plan.write]
        table = table_of(Measurement)
        ids = reserve_ids(self.connection, table, len(rows))
        rounds = rounds_by_month(self.connection)
        n = len(rows)
        columns: dict[str, StoredValues] = {
            "id": ids,
            "child_id": child_ids,
            "measured_on": _days(r.measured_on for r in rows),
            "round_id": [rounds.get(r.measured_on.replace(day=1)) for r in rows],
            "posyandu_id": [
                _resolved(self.entities.posyandu_of_row[i], posyandu) for i in self.plan.write
            ],
            "weight_kg": [r.weight_kg for r in rows],
            "height_cm": [r.height_cm for r in rows],
            "position": [r.position.value if r.position else None for r in rows],
            "muac_cm": [r.muac_cm for r in rows],
            "head_circumference_cm": [None] * n,  # the e-PPGBM layouts have none
            "oedema": [r.oedema for r in rows],
            "kader_weight_trend": [r.weight_trend for r in rows],
            "source": [MeasurementSource.IMPORT_FILE.value] * n,
            "import_file_id": [files[r.source.index] for r in rows],
            "import_row": [r.row for r in rows],
            "pmt_received_kg": [r.pmt_kg for r in rows],
            "pmt_received_raw": [r.pmt_raw for r in rows],
        }
        if rows:
            insert_columns(self.connection, table, columns)
        self._next()
        # The child's own birth date and sex: rows are matched on them (imports/children.py).
        child: dict[str, StoredValues] = {
            "birth_date": [r.birth_date for r in rows],
            "sex": [r.sex.value for r in rows],
        }
        return growth_input(columns | child)
