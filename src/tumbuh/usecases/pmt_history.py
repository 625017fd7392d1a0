"""Importing e-PPGBM's PMT history files as PMT episodes (docs/import-format.md §13).

:func:`import_pmt_history` reads one file (:func:`tumbuh.ingest.pmt_history.read_pmt_history`),
then, in one write transaction under the import lock, matches each row and writes the
episodes, or nothing:

* a **toddler** row finds its child by NIK among the children of the user's area (a
  child outside it is "not found", as everywhere); a **pregnancy** row finds the woman by
  NIK (a new one is registered with a family in the file's kelurahan, which must lie in
  the area) and her pregnancy (the newest not ended before the start; else a new one):
  its episode has no child, as :class:`~tumbuh.db.models_pmt.PmtEpisode` allows;
* an episode is planned by the rules of its start year and ended on the file's end, else
  on its planned last day once past (:mod:`tumbuh.growth.pmt_sources`); its outcome is
  left unknown, since the files do not say it;
* **nothing twice**: each episode carries an import key (child or woman, PMT, start), so
  a file imported again, or an overlapping one, adds nothing it added before; an
  episode entered on a form with the same child, PMT and start is taken as the same one;
* by default any error blocks the whole file; ``skip_invalid`` writes the rows without;
  ``dry_run`` matches and reports, and writes nothing;
* the import is recorded like an e-PPGBM import: an ``import_run`` with its
  ``import_file`` and its own audit row, and one audit row per episode created.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import Connection

from tumbuh.config import Settings
from tumbuh.db.audit import Actor, write_audits
from tumbuh.db.imports import file_limits
from tumbuh.db.imports.lock import ImportBusyError, import_transaction
from tumbuh.db.imports.stored import imported_files, region_records
from tumbuh.db.imports.trace import FileTrace, RunCounts, finish_run, start_run
from tumbuh.db.imports.write import reserve_ids
from tumbuh.db.models import ImportRun, table_of
from tumbuh.db.models_access import AuditAction
from tumbuh.db.pmt_imports import (
    ChildByNik,
    MotherByNik,
    NewMother,
    StoredEpisode,
    add_episodes,
    add_import_file,
    add_mothers,
    add_pregnancies,
    children_by_nik,
    episodes_of_children,
    measurements_on,
    mothers_by_nik,
    stored_import_keys,
)
from tumbuh.errors import InputError
from tumbuh.growth.pmt import Indication
from tumbuh.growth.pmt_sources import history_end, history_plan
from tumbuh.ingest import import_messages as import_msg
from tumbuh.ingest import messages as check_msg
from tumbuh.ingest import pmt_messages as msg
from tumbuh.ingest.limits import FileLimitError
from tumbuh.ingest.pmt_history import HistoryEpisode, PmtHistoryFile, read_pmt_history
from tumbuh.ingest.pmt_history_layout import HistoryField, HistoryKind, read_history_sheet
from tumbuh.ingest.reading import read_file
from tumbuh.ingest.report import ImportReport, ReportLine, Severity, Word
from tumbuh.usecases.access import NotAllowed, Scope

__all__ = [
    "EPISODE_ENTITY",
    "LAYOUTS",
    "Actor",
    "HistoryCounts",
    "HistoryImportResult",
    "HistoryOutcome",
    "ImportBusyError",
    "history_kind_of",
    "import_pmt_history",
]

LAYOUTS = {HistoryKind.TODDLER: "pmt-riwayat-balita", HistoryKind.PREGNANCY: "pmt-riwayat-bumil"}
EPISODE_ENTITY = "pmt_episode"  # audit_log.entity of an episode


class HistoryOutcome(StrEnum):
    """What an import of a history file did."""

    IMPORTED = "imported"
    BLOCKED = "blocked"  # errors, and not skip_invalid: nothing written
    DRY_RUN = "dry_run"  # checked and matched only


@dataclass(frozen=True)
class HistoryCounts:
    """What the file held and what its import added (or would add, in a dry run)."""

    rows_read: int
    rows_valid: int  # without errors, the database's included
    episodes_added: int
    episodes_present: int  # recorded before: not added again
    rows_skipped: int  # rows with errors left out (skip_invalid)
    mothers_added: int
    pregnancies_added: int
    baselines_linked: int  # episodes whose first measurement is a stored one


@dataclass(frozen=True)
class HistoryImportResult:
    """The outcome, counts and report of one history file's import."""

    file: str
    kind: HistoryKind | None
    indication: Indication | None
    outcome: HistoryOutcome
    counts: HistoryCounts
    report: ImportReport
    import_run_id: int | None = None

    @property
    def ok(self) -> bool:
        """Imported, or a dry run without errors."""
        if self.outcome is HistoryOutcome.DRY_RUN:
            return not self.report.has_errors
        return self.outcome is HistoryOutcome.IMPORTED


@dataclass
class _Row:
    """One episode of the file as matched: to add, already there, or refused."""

    episode: HistoryEpisode
    child_id: int | None = None
    mother_nik: str | None = None  # pregnancy rows: the woman, found or new
    pregnancy_id: int | None = None  # the pregnancy it belongs to
    new_pregnancy: bool = False  # the woman had none that covers it: one is added
    key: str | None = None  # None for a new woman's row until her id is known
    version: str = ""
    planned_days: int = 0
    ended_on: date | None = None
    baseline_id: int | None = None
    present: bool = False
    refused: bool = False


@dataclass
class _Plan:
    """The rows as matched, the new women, and the report lines the matching added."""

    rows: list[_Row] = field(default_factory=list)
    new_mothers: dict[str, NewMother] = field(default_factory=dict)
    mother_ids: dict[str, int] = field(default_factory=dict)  # registered women by NIK
    lines: list[ReportLine] = field(default_factory=list)


def import_pmt_history(  # noqa: PLR0913 - the import's options, all keyword-only
    connection: Connection,
    scope: Scope,
    path: Path,
    *,
    settings: Settings,
    actor: Actor,
    name: str | None = None,
    indication: Indication | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    today: date | None = None,
    wait_seconds: float = 0.0,
) -> HistoryImportResult:
    """Read ``path`` (called ``name`` in the report) within the settings' file limits and
    import its episodes for ``actor`` within ``scope``; see the module doc. ``NotAllowed``
    for a role that may not import; ``ImportBusyError`` when another import runs (after
    ``wait_seconds``)."""
    if not scope.may_import:
        raise NotAllowed
    day = today or date.today()
    regions = region_records(connection, settings.city_code)
    connection.rollback()  # the file is read outside any transaction
    limits = file_limits(settings)
    read = read_pmt_history(
        path, name=name, regions=regions, indication=indication, today=day, limits=limits
    )
    if read.kind is None or read.indication is None:
        outcome = HistoryOutcome.DRY_RUN if dry_run else HistoryOutcome.BLOCKED
        return _result(read, read.report, outcome, _Plan())
    with import_transaction(connection, wait_seconds=wait_seconds):
        plan = _match(connection, scope, read, day)
        before = imported_files(connection, [read.sha256] if read.sha256 else [])
        if read.sha256 in before:
            when = before[read.sha256].date()
            line = _line(read, None, None, import_msg.ALREADY_IMPORTED_FILE, True, date=when)
            plan.lines.append(line)
        report = read.report.with_lines(plan.lines)
        if dry_run:
            return _result(read, report, HistoryOutcome.DRY_RUN, plan)
        if report.has_errors and not skip_invalid:
            return _result(read, report, HistoryOutcome.BLOCKED, plan)
        run_id = _write(connection, read, plan, report, actor)
        connection.commit()
    return _result(read, report, HistoryOutcome.IMPORTED, plan, run_id)


def history_kind_of(path: Path, settings: Settings) -> HistoryKind | None:
    """Whether ``path`` is a PMT history file, and of which kind (None: it is not, or it
    cannot be read: the e-PPGBM import then says why). Read within the settings' limits;
    a file over one raises ``FileLimitError``."""
    try:
        sheet = read_file(path, file_limits(settings), read_history_sheet)
    except FileLimitError:
        raise
    except InputError:
        return None
    return sheet.header.kind if sheet.header else None


def _result(
    read: PmtHistoryFile,
    report: ImportReport,
    outcome: HistoryOutcome,
    plan: _Plan,
    run_id: int | None = None,
) -> HistoryImportResult:
    """The result; a dry run counts what the import would add."""
    errors = {line.row for line in report.errors if line.row is not None}
    adding = _adding(plan, errors) if outcome is not HistoryOutcome.BLOCKED else []
    nothing_skipped = outcome is HistoryOutcome.BLOCKED
    counts = HistoryCounts(
        rows_read=report.rows_read,
        rows_valid=report.rows_valid,
        episodes_added=len(adding),
        episodes_present=sum(r.present for r in plan.rows),
        rows_skipped=0 if nothing_skipped else len(errors),
        mothers_added=len({r.mother_nik for r in adding} & plan.new_mothers.keys()),
        pregnancies_added=len({r.mother_nik for r in adding if r.new_pregnancy}),
        baselines_linked=sum(r.baseline_id is not None for r in adding),
    )
    return HistoryImportResult(
        read.name, read.kind, read.indication, outcome, counts, report, run_id
    )


def _adding(plan: _Plan, errors: set[int]) -> list[_Row]:
    """The rows an import writes: matched, not there yet, without an error."""
    return [r for r in plan.rows if not r.refused and not r.present and r.episode.row not in errors]


def _line(
    read: PmtHistoryFile,
    episode: HistoryEpisode | None,
    where: HistoryField | None,
    template: str,
    warning: bool = False,
    **params: object,
) -> ReportLine:
    """A line the matching adds about ``episode`` (None: the whole file); the NIK is never
    shown."""
    value: object = None
    if episode is not None and where is HistoryField.NIK:
        value = Word(import_msg.NIK_NOT_SHOWN)  # personal data: never in a report
    elif episode is not None and where is HistoryField.KELURAHAN:
        value = episode.kelurahan
    return ReportLine(
        read.name,
        episode.row if episode else None,
        read.label(where) if where else None,
        value,
        Severity.WARNING if warning else Severity.ERROR,
        template,
        params,
    )


# --- matching ---------------------------------------------------------------------------------


def _match(connection: Connection, scope: Scope, read: PmtHistoryFile, today: date) -> _Plan:
    plan = _Plan()
    niks = [e.nik for e in read.episodes]
    if read.kind is HistoryKind.TODDLER:
        children = children_by_nik(connection, niks)
        ids = [c.id for c in children.values()]
        stored = episodes_of_children(connection, ids)
        starts = [(children[e.nik].id, e.started_on) for e in read.episodes if e.nik in children]
        baselines = measurements_on(connection, starts)
        _match_toddlers(plan, scope, read, children, stored, baselines, today)
    else:
        mothers = mothers_by_nik(connection, niks)
        _match_pregnancies(plan, scope, read, mothers, today)
    keys = [r.key for r in plan.rows if r.key and not r.refused]
    known = stored_import_keys(connection, keys)
    for row in plan.rows:
        if row.key in known and not row.refused and not row.present:
            _present(plan, read, row)
    return plan


def _planned(row: _Row, today: date) -> None:
    episode = row.episode
    row.version, row.planned_days = history_plan(episode.indication, episode.started_on.year)
    row.ended_on = history_end(
        started_on=episode.started_on,
        planned_days=row.planned_days,
        ended_on=episode.ended_on,
        today=today,
    )


def _present(plan: _Plan, read: PmtHistoryFile, row: _Row) -> None:
    row.present = True
    who = Word(msg.CHILD_WORD if row.child_id is not None else msg.MOTHER_WORD)
    plan.lines.append(_line(read, row.episode, None, msg.EPISODE_PRESENT, True, who=who))


def _match_toddlers(
    plan: _Plan,
    scope: Scope,
    read: PmtHistoryFile,
    children: dict[str, ChildByNik],
    stored: dict[int, list[StoredEpisode]],
    baselines: dict[tuple[int, date], int],
    today: date,
) -> None:
    running: dict[int, date] = {
        child: e.started_on for child, found in stored.items() for e in found if e.ended_on is None
    }
    for episode in read.episodes:
        row = _Row(episode)
        plan.rows.append(row)
        child = children.get(episode.nik)
        if child is None or not scope.covers_posyandu(child.posyandu_id, child.kelurahan_code):
            row.refused = True
            plan.lines.append(_line(read, episode, HistoryField.NIK, msg.CHILD_NOT_FOUND))
            continue
        row.child_id = child.id
        if episode.birth_date is not None and episode.birth_date != child.birth_date:
            column = read.label(HistoryField.BIRTH_DATE)
            differs = msg.BIRTH_DATE_DIFFERS
            plan.lines.append(_line(read, episode, HistoryField.NIK, differs, True, column=column))
        _planned(row, today)
        row.key = _toddler_key(child.id, episode)
        row.baseline_id = baselines.get((child.id, episode.started_on))
        same = [
            e
            for e in stored.get(child.id, [])
            if e.indication is episode.indication and e.started_on == episode.started_on
        ]
        if same:
            _present(plan, read, row)
            continue
        if row.ended_on is None:
            if child.id in running:
                row.refused = True
                since = running[child.id]
                line = _line(read, episode, None, msg.OPEN_EPISODE_EXISTS, since=since)
                plan.lines.append(line)
                continue
            running[child.id] = episode.started_on


def _match_pregnancies(
    plan: _Plan,
    scope: Scope,
    read: PmtHistoryFile,
    mothers: dict[str, MotherByNik],
    today: date,
) -> None:
    for episode in read.episodes:
        row = _Row(episode, mother_nik=episode.nik)
        plan.rows.append(row)
        mother = mothers.get(episode.nik)
        place = (mother.kelurahan_code if mother else None) or episode.kelurahan_code
        if mother is None and episode.kelurahan_code is None:
            row.refused = True
            value = episode.kelurahan or ""
            line = _line(read, episode, HistoryField.KELURAHAN, msg.KELURAHAN_NEEDED, value=value)
            plan.lines.append(line)
            continue
        if mother is None and episode.name is None:
            row.refused = True
            column = read.label(HistoryField.NAME)
            empty = check_msg.EMPTY_REQUIRED
            plan.lines.append(_line(read, episode, HistoryField.NAME, empty, column=column))
            continue
        if scope.kelurahan is not None and (place is None or not scope.covers_kelurahan(place)):
            row.refused = True
            plan.lines.append(_line(read, episode, HistoryField.NIK, msg.NOT_IN_AREA))
            continue
        _planned(row, today)
        if mother is None:
            row.new_pregnancy = True
            plan.new_mothers.setdefault(
                episode.nik,
                NewMother(episode.nik, episode.name or "", episode.birth_date, place or ""),
            )
            continue
        plan.mother_ids[episode.nik] = mother.id
        row.pregnancy_id = _pregnancy_of(mother, episode.started_on)
        row.new_pregnancy = row.pregnancy_id is None
        row.key = _pregnancy_key(mother.id, episode.started_on)


def _pregnancy_of(mother: MotherByNik, started_on: date) -> int | None:
    """The newest pregnancy of ``mother`` not ended before ``started_on`` (None: a new one)."""
    found = (i for i, ended in mother.pregnancies if ended is None or ended >= started_on)
    return next(found, None)


def _toddler_key(child_id: int, episode: HistoryEpisode) -> str:
    """The import key of a child's episode: child, PMT and start (no personal data)."""
    return f"toddler:{child_id}:{episode.indication.value}:{episode.started_on.isoformat()}"


def _pregnancy_key(mother_id: int, started_on: date) -> str:
    return f"pregnancy:{mother_id}:{started_on.isoformat()}"


# --- writing ----------------------------------------------------------------------------------


def _write(
    connection: Connection,
    read: PmtHistoryFile,
    plan: _Plan,
    report: ImportReport,
    actor: Actor,
) -> int:
    """Write the run, the file, new women and pregnancies, and the episodes; the run's id."""
    kind = read.kind or HistoryKind.TODDLER
    errors = {line.row for line in report.errors if line.row is not None}
    adding = _adding(plan, errors)
    needed = {r.mother_nik for r in adding}
    new_mothers = [m for nik, m in plan.new_mothers.items() if nik in needed]
    counts = RunCounts(
        rows_read=report.rows_read,
        rows_skipped=len(errors),
        measurements_added=0,
        children_added=0,
        children_changed=0,
        mothers_added=len(new_mothers),
        families_added=len(new_mothers),
        posyandu_added=0,
    )
    now = datetime.now(UTC)
    run_id = reserve_ids(connection, table_of(ImportRun), 1)[0]
    start_run(connection, run_id, actor, now, counts)
    file_id = add_import_file(
        connection, run_id, read.name, read.sha256 or "", LAYOUTS[kind], len(adding)
    )
    mother_ids = plan.mother_ids | add_mothers(connection, new_mothers)
    pregnancies = _new_pregnancies(connection, adding, mother_ids)
    values = []
    for row in adding:
        if row.mother_nik is not None:
            mother_id = mother_ids[row.mother_nik]
            if row.new_pregnancy:
                row.pregnancy_id = pregnancies[mother_id]
            row.key = _pregnancy_key(mother_id, row.episode.started_on)
        values.append(_columns(row, file_id, actor, now))
    ids = add_episodes(connection, values)
    audited = [(i, None, _audited(v, run_id)) for i, v in zip(ids, values, strict=True)]
    write_audits(
        connection, actor, AuditAction.CREATE, EPISODE_ENTITY, audited, import_run_id=run_id
    )
    trace = FileTrace(read.name, read.sha256 or "", LAYOUTS[kind], len(adding))
    finish_run(connection, run_id, actor, [trace], counts)
    return run_id


def _new_pregnancies(
    connection: Connection, rows: Iterable[_Row], mother_ids: dict[str, int]
) -> dict[int, int]:
    """One new pregnancy per woman whose rows found none; by the woman's id."""
    needing = sorted({mother_ids[r.mother_nik] for r in rows if r.mother_nik and r.new_pregnancy})
    return dict(zip(needing, add_pregnancies(connection, needing), strict=True))


def _columns(row: _Row, file_id: int, actor: Actor, now: datetime) -> dict[str, object]:
    episode = row.episode
    return {
        "kitchen_id": None,
        "child_id": row.child_id,
        "pregnancy_id": row.pregnancy_id if row.child_id is None else None,
        "indication": episode.indication,
        "rules_version": row.version,
        "started_on": episode.started_on,
        "planned_days": row.planned_days,
        "funding": episode.funding,
        "partner": episode.partner[:200] if episode.partner else None,
        "cycle": episode.cycle,
        "case_id": None,
        "baseline_measurement_id": row.baseline_id,
        "override_reason": None,
        "ended_on": row.ended_on,
        "exit": None,  # the files do not say how an episode ended
        "exit_note": None,
        "import_file_id": file_id,
        "import_key": row.key,
        "created_at": now,
        "updated_at": now,
        "created_by": actor.user_id,
        "updated_by": actor.user_id,
    }


_AUDITED = (
    "child_id",
    "pregnancy_id",
    "indication",
    "rules_version",
    "started_on",
    "planned_days",
    "ended_on",
    "funding",
    "partner",
    "cycle",
    "baseline_measurement_id",
    "import_file_id",
)


def _audited(values: dict[str, object], run_id: int) -> dict[str, object]:
    return {name: values[name] for name in _AUDITED} | {"import_run_id": run_id}
