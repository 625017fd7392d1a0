"""Reviewing imports afterwards: each run, its files, and the children it created.

Every import that wrote writes one ``import_run`` row (:mod:`tumbuh.db.imports.trace`).
Who may see which run (docs/web.md, "Imports"): the whole city sees every run; a user of
an area sees her own runs and the runs that created a child or added a measurement in a
posyandu of her area, and of those runs only the children and measurements of her area.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Connection, Select, func, or_, select, union

from tumbuh.db.bulk import chunks
from tumbuh.db.models import Child, ImportFile, ImportRun, Measurement, Posyandu, table_of
from tumbuh.db.models_access import AuditEntry


@dataclass(frozen=True)
class RunViewer:
    """Who asks: their area (None: the whole city) and their user id (their own runs)."""

    kelurahan: frozenset[str] | None = None
    user_id: int | None = None


@dataclass(frozen=True)
class ImportRunInfo:
    """One import run as recorded when it was written."""

    id: int
    user_id: int | None
    actor: str
    started_at: datetime
    finished_at: datetime
    rows_read: int
    rows_skipped: int
    measurements_added: int
    children_added: int
    children_changed: int
    mothers_added: int
    families_added: int
    posyandu_added: int
    file_names: tuple[str, ...]


@dataclass(frozen=True)
class ImportedFileInfo:
    """A file of a run: its name and SHA-256, and the measurements it added."""

    id: int
    file_name: str
    sha256: str
    layout: str
    row_count: int


@dataclass(frozen=True)
class AreaCounts:
    """What a run holds today in the viewer's area."""

    children_created: int
    measurements_added: int


@dataclass(frozen=True)
class ImportRunDetail:
    """A run, its files, and (for a viewer of an area) what it holds in that area."""

    run: ImportRunInfo
    files: tuple[ImportedFileInfo, ...]
    in_area: AreaCounts | None  # None for the whole city: the run's own counts say it


@dataclass(frozen=True)
class CreatedChild:
    """A child an import created, as the review lists it."""

    id: int
    name: str
    birth_date: date
    posyandu_id: int | None
    posyandu_name: str | None


def _area_posyandu(kelurahan: frozenset[str]) -> Select[tuple[int]]:
    p = table_of(Posyandu)
    return select(p.c.id).where(p.c.kelurahan_code.in_(sorted(kelurahan)))


def _visible(viewer: RunViewer) -> ColumnElement[bool] | None:
    """The condition on ``import_run`` of the runs ``viewer`` may see (None: all)."""
    if viewer.kelurahan is None:
        return None
    r, f, m, c = (table_of(t) for t in (ImportRun, ImportFile, Measurement, Child))
    area = _area_posyandu(viewer.kelurahan)
    touched = union(
        select(f.c.import_run_id)
        .select_from(m.join(f, f.c.id == m.c.import_file_id))
        .where(m.c.posyandu_id.in_(area)),
        select(c.c.import_run_id).where(c.c.posyandu_id.in_(area)),
    )
    mine = r.c.user_id == viewer.user_id if viewer.user_id is not None else None
    touches = r.c.id.in_(select(touched.subquery().c[0]))
    return touches if mine is None else or_(mine, touches)


def _file_names(connection: Connection, run_ids: Iterable[int]) -> dict[int, list[str]]:
    f = table_of(ImportFile)
    names: dict[int, list[str]] = defaultdict(list)
    for part in chunks(sorted(set(run_ids))):
        query = select(f.c.import_run_id, f.c.file_name).where(f.c.import_run_id.in_(part))
        for row in connection.execute(query.order_by(f.c.id)):
            names[int(row.import_run_id)].append(row.file_name)
    return names


def _runs(connection: Connection, query: Select[tuple[object, ...]]) -> list[ImportRunInfo]:
    rows = connection.execute(query).all()
    names = _file_names(connection, (int(r.id) for r in rows))
    fields = [n for n in ImportRunInfo.__dataclass_fields__ if n != "file_names"]
    return [
        ImportRunInfo(**{n: getattr(r, n) for n in fields}, file_names=tuple(names[int(r.id)]))
        for r in rows
    ]


def import_runs(
    connection: Connection, viewer: RunViewer, *, limit: int = 50, offset: int = 0
) -> tuple[list[ImportRunInfo], int]:
    """The runs ``viewer`` may see, newest first, and how many there are in all."""
    r = table_of(ImportRun)
    condition = _visible(viewer)
    conditions = [] if condition is None else [condition]
    total = connection.execute(select(func.count()).select_from(r).where(*conditions))
    query = (
        select(r)
        .where(*conditions)
        .order_by(r.c.started_at.desc(), r.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return _runs(connection, query), int(total.scalar_one())


def import_run(connection: Connection, run_id: int, viewer: RunViewer) -> ImportRunDetail | None:
    """One run with its files; None when there is none or ``viewer`` may not see it."""
    r, f = table_of(ImportRun), table_of(ImportFile)
    condition = _visible(viewer)
    conditions = [r.c.id == run_id] + ([] if condition is None else [condition])
    found = _runs(connection, select(r).where(*conditions))
    if not found:
        return None
    files = connection.execute(
        select(f.c.id, f.c.file_name, f.c.sha256, f.c.layout, f.c.row_count)
        .where(f.c.import_run_id == run_id)
        .order_by(f.c.id)
    )
    in_area = None
    if viewer.kelurahan is not None:
        in_area = _area_counts(connection, run_id, viewer.kelurahan)
    return ImportRunDetail(found[0], tuple(ImportedFileInfo(*row) for row in files), in_area)


def _area_counts(connection: Connection, run_id: int, kelurahan: frozenset[str]) -> AreaCounts:
    f, m, c = table_of(ImportFile), table_of(Measurement), table_of(Child)
    area = _area_posyandu(kelurahan)
    files = select(f.c.id).where(f.c.import_run_id == run_id)
    measurements = select(func.count()).where(
        m.c.posyandu_id.in_(area), m.c.import_file_id.in_(files)
    )
    children = select(func.count()).where(c.c.import_run_id == run_id, c.c.posyandu_id.in_(area))
    return AreaCounts(
        children_created=int(connection.execute(children).scalar_one()),
        measurements_added=int(connection.execute(measurements).scalar_one()),
    )


def children_created(
    connection: Connection, run_id: int, viewer: RunViewer, *, limit: int = 50, offset: int = 0
) -> tuple[list[CreatedChild], int]:
    """The children the run created that lie in ``viewer``'s area (by id), and how many.

    The caller checks first that ``viewer`` may see the run (:func:`import_run`)."""
    c, p = table_of(Child), table_of(Posyandu)
    conditions = [c.c.import_run_id == run_id]
    if viewer.kelurahan is not None:
        conditions.append(c.c.posyandu_id.in_(_area_posyandu(viewer.kelurahan)))
    total = connection.execute(select(func.count()).select_from(c).where(*conditions))
    rows = connection.execute(
        select(c.c.id, c.c.name, c.c.birth_date, c.c.posyandu_id, p.c.name.label("posyandu"))
        .select_from(c.outerjoin(p, p.c.id == c.c.posyandu_id))
        .where(*conditions)
        .order_by(c.c.id)
        .limit(limit)
        .offset(offset)
    )
    children = [CreatedChild(r.id, r.name, r.birth_date, r.posyandu_id, r.posyandu) for r in rows]
    return children, int(total.scalar_one())


def audit_import_runs(connection: Connection, audit_ids: Sequence[int]) -> dict[int, int]:
    """The import run of each of these audit rows that an import wrote (audit id -> run)."""
    a = table_of(AuditEntry)
    found: dict[int, int] = {}
    for part in chunks(sorted(set(audit_ids))):
        query = select(a.c.id, a.c.import_run_id).where(
            a.c.id.in_(part), a.c.import_run_id.is_not(None)
        )
        found.update({int(row.id): int(row.import_run_id) for row in connection.execute(query)})
    return found
