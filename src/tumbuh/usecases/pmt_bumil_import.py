"""Importing e-PPGBM's file of pregnant women with KEK as PMT bumil episodes (docs/pmt.md,
"Importing e-PPGBM's file of pregnant women with KEK").

:func:`import_pmt_bumil` reads one file (:func:`tumbuh.ingest.pmt_bumil_file.read_bumil_file`),
then, in one write transaction under the import lock, matches each row and writes the
episodes, or nothing, as the PMT history import does (:mod:`tumbuh.usecases.pmt_history`):

* a row finds the **mother by NIK** and, of her pregnancies in the user's area, the one
  whose span holds the start (:func:`tumbuh.growth.pmt_bumil_sources.pregnancy_at`); a
  woman not registered, or registered outside the area, is "not found"; a start outside
  every pregnancy is an error naming the date. No woman or pregnancy is created: the
  register comes first;
* the episode is planned by the rules of its start year, ends on the file's end (else on
  its last day of feeding once past), and its exit is the file's status as the rules read
  it (:func:`~tumbuh.growth.pmt_bumil_sources.bumil_file_exit`); no kitchen, as the
  history import leaves it;
* **nothing twice**: each episode carries an import key (pregnancy and start), so a file
  imported again adds nothing; an episode entered on a form with the same pregnancy and
  start is taken as the same one; a second running episode of a pregnancy is refused;
* any error blocks the whole file unless ``skip_invalid``; ``dry_run`` writes nothing;
* recorded as an import: an ``import_run`` with its ``import_file`` and one audit row
  per episode created (columns only: no name, no NIK).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Connection

from tumbuh.config import Settings
from tumbuh.db.audit import Actor, actor_of, write_audits
from tumbuh.db.imports import file_limits
from tumbuh.db.imports.lock import import_transaction
from tumbuh.db.imports.stored import imported_files
from tumbuh.db.imports.trace import FileTrace, RunCounts, finish_run, start_run
from tumbuh.db.imports.write import reserve_ids
from tumbuh.db.models import ImportRun, table_of
from tumbuh.db.models_access import AuditAction
from tumbuh.db.pmt_bumil_imports import (
    PregnancyEpisode,
    RegisteredPregnancy,
    episodes_of_pregnancies,
    pregnancies_by_nik,
)
from tumbuh.db.pmt_imports import add_episodes, add_import_file, stored_import_keys
from tumbuh.db.users import UserInfo
from tumbuh.growth.pmt import EpisodeExit, Indication
from tumbuh.growth.pmt_bumil_sources import (
    BumilFileStatus,
    PregnancySpan,
    bumil_file_end,
    bumil_file_exit,
    pregnancy_at,
)
from tumbuh.growth.pmt_sources import history_plan
from tumbuh.ingest import import_messages as import_msg
from tumbuh.ingest import pmt_bumil_messages as msg
from tumbuh.ingest.pmt_bumil_file import BumilFile, BumilFileRow, read_bumil_file
from tumbuh.ingest.pmt_bumil_layout import BumilField
from tumbuh.ingest.report import ImportReport, ReportLine, Severity, Word
from tumbuh.usecases.access import NotAllowed, Scope
from tumbuh.usecases.pmt_bumil import covers_pregnancy
from tumbuh.usecases.pmt_history import EPISODE_ENTITY, HistoryOutcome, ImportBusyError

__all__ = [
    "LAYOUT",
    "Actor",
    "BumilImportCounts",
    "BumilImportResult",
    "HistoryOutcome",
    "ImportBusyError",
    "import_pmt_bumil",
]

LAYOUT = "pmt-sasaran-bumil-kek"  # import_file.layout
_EXIT_WORDS = {
    EpisodeExit.RECOVERED: msg.RECOVERED_WORD,
    EpisodeExit.NOT_RECOVERED: msg.NOT_RECOVERED_WORD,
}


@dataclass(frozen=True)
class BumilImportCounts:
    """What the file held and what its import added (or would add, in a dry run)."""

    rows_read: int
    rows_valid: int  # without errors, the database's included
    episodes_added: int
    episodes_present: int  # recorded before: not added again
    episodes_running: int  # of those added, still running
    rows_skipped: int  # rows with errors left out (skip_invalid)


@dataclass(frozen=True)
class BumilImportResult:
    """The outcome, counts and report of one file's import."""

    file: str
    outcome: HistoryOutcome
    counts: BumilImportCounts
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
    """One row as matched: to add, already there, or refused."""

    row: BumilFileRow
    pregnancy_id: int | None = None
    key: str | None = None
    version: str = ""
    planned_days: int = 0
    ended_on: date | None = None
    exit: EpisodeExit | None = None
    present: bool = False
    refused: bool = False


@dataclass
class _Plan:
    rows: list[_Row] = field(default_factory=list)
    lines: list[ReportLine] = field(default_factory=list)


def import_pmt_bumil(  # noqa: PLR0913 - the import's options, all keyword-only
    connection: Connection,
    scope: Scope,
    path: Path,
    *,
    settings: Settings,
    actor: Actor | UserInfo,
    name: str | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    today: date | None = None,
    wait_seconds: float = 0.0,
) -> BumilImportResult:
    """Read ``path`` (called ``name`` in the report) within the settings' file limits and
    import its episodes for ``actor`` within ``scope``; see the module doc. ``NotAllowed``
    for a role that may not import; ``ImportBusyError`` when another import runs."""
    if not scope.may_import:
        raise NotAllowed
    day = today or date.today()
    connection.rollback()  # the file is read outside any transaction
    read = read_bumil_file(path, name=name, today=day, limits=file_limits(settings))
    if read.header_row is None or read.sha256 is None:
        outcome = HistoryOutcome.DRY_RUN if dry_run else HistoryOutcome.BLOCKED
        return _result(read, read.report, outcome, _Plan())
    with import_transaction(connection, wait_seconds=wait_seconds):
        plan = _match(connection, scope, read, day)
        before = imported_files(connection, [read.sha256])
        if read.sha256 in before:
            when = before[read.sha256].date()
            plan.lines.append(
                _line(read, None, None, import_msg.ALREADY_IMPORTED_FILE, True, date=when)
            )
        report = read.report.with_lines(plan.lines)
        if dry_run:
            return _result(read, report, HistoryOutcome.DRY_RUN, plan)
        if report.has_errors and not skip_invalid:
            return _result(read, report, HistoryOutcome.BLOCKED, plan)
        who = actor_of(actor) if isinstance(actor, UserInfo) else actor  # a web user
        run_id = _write(connection, read, plan, report, who)
        connection.commit()
    return _result(read, report, HistoryOutcome.IMPORTED, plan, run_id)


def _result(
    read: BumilFile,
    report: ImportReport,
    outcome: HistoryOutcome,
    plan: _Plan,
    run_id: int | None = None,
) -> BumilImportResult:
    errors = {line.row for line in report.errors if line.row is not None}
    adding = _adding(plan, errors) if outcome is not HistoryOutcome.BLOCKED else []
    counts = BumilImportCounts(
        rows_read=report.rows_read,
        rows_valid=report.rows_valid,
        episodes_added=len(adding),
        episodes_present=sum(r.present for r in plan.rows),
        episodes_running=sum(r.ended_on is None for r in adding),
        rows_skipped=0 if outcome is HistoryOutcome.BLOCKED else len(errors),
    )
    return BumilImportResult(read.name, outcome, counts, report, run_id)


def _adding(plan: _Plan, errors: set[int]) -> list[_Row]:
    return [r for r in plan.rows if not r.refused and not r.present and r.row.row not in errors]


def _line(
    read: BumilFile,
    row: BumilFileRow | None,
    where: BumilField | None,
    template: str,
    warning: bool = False,
    **params: object,
) -> ReportLine:
    """A line the matching adds (``row`` None: the whole file); the NIK is never shown."""
    value: object = None
    if row is not None and where is BumilField.NIK:
        value = Word(import_msg.NIK_NOT_SHOWN)
    elif row is not None and where is BumilField.STARTED:
        value = row.started_on
    return ReportLine(
        read.name,
        row.row if row else None,
        read.label(where) if where else None,
        value,
        Severity.WARNING if warning else Severity.ERROR,
        template,
        params,
    )


# --- matching ---------------------------------------------------------------------------------


def _match(connection: Connection, scope: Scope, read: BumilFile, today: date) -> _Plan:
    plan = _Plan()
    mothers = pregnancies_by_nik(connection, [r.nik for r in read.rows])
    ids = [p.id for found in mothers.values() for p in found]
    stored = episodes_of_pregnancies(connection, ids)
    running = {
        e.pregnancy_id: e.started_on for es in stored.values() for e in es if e.ended_on is None
    }
    for row in read.rows:
        matched = _Row(row)
        plan.rows.append(matched)
        covered = [
            p
            for p in mothers.get(row.nik, [])
            if covers_pregnancy(scope, p.posyandu_id, p.kelurahan_code)
        ]
        pregnancy = _pregnancy(plan, read, matched, covered)
        if pregnancy is not None:
            _plan_row(plan, read, matched, pregnancy, stored.get(pregnancy.id, []), today)
            _refuse_second_running(plan, read, matched, running)
    keys = [r.key for r in plan.rows if r.key and not r.refused and not r.present]
    known = stored_import_keys(connection, keys)
    for matched in plan.rows:
        if matched.key in known and not matched.refused and not matched.present:
            _present(plan, read, matched)
    return plan


def _pregnancy(
    plan: _Plan, read: BumilFile, matched: _Row, covered: Sequence[RegisteredPregnancy]
) -> RegisteredPregnancy | None:
    """The row's pregnancy of the area, or None (refused, with its report line)."""
    row = matched.row
    if not covered:
        matched.refused = True
        plan.lines.append(_line(read, row, BumilField.NIK, msg.MOTHER_NOT_FOUND))
        return None
    spans = [PregnancySpan(p.id, p.hpht, p.k1_on, p.registered_on, p.ended_on) for p in covered]
    found = pregnancy_at(row.started_on, spans)
    if found is None:
        matched.refused = True
        line = _line(read, row, BumilField.STARTED, msg.NO_PREGNANCY_AT_START, value=row.started_on)
        plan.lines.append(line)
        return None
    pregnancy = next(p for p in covered if p.id == found)
    born = pregnancy.mother_birth_date
    if row.birth_date is not None and born is not None and row.birth_date != born:
        plan.lines.append(_line(read, row, BumilField.NIK, msg.BIRTH_DATE_DIFFERS, True))
    return pregnancy


def _plan_row(
    plan: _Plan,
    read: BumilFile,
    matched: _Row,
    pregnancy: RegisteredPregnancy,
    stored: Sequence[PregnancyEpisode],
    today: date,
) -> None:
    """The pregnancy, rules, end and exit of a matched row, and whether it is there."""
    row = matched.row
    matched.pregnancy_id = pregnancy.id
    matched.key = f"bumil:{pregnancy.id}:{row.started_on.isoformat()}"
    matched.version, matched.planned_days = history_plan(
        Indication.PREGNANT_KEK, row.started_on.year
    )
    matched.ended_on = bumil_file_end(
        started_on=row.started_on,
        planned_days=matched.planned_days,
        ended_on=row.ended_on,
        due_or_born=pregnancy.ended_on or pregnancy.due_date,
        today=today,
    )
    judged = bumil_file_exit(row.status, row.end_muac_cm)
    matched.exit = judged.exit
    if judged.overruled and judged.exit is not None:
        status, judged_word = (
            Word(row.status.value.replace("_", " ")),
            Word(_EXIT_WORDS[judged.exit]),
        )
        line = _line(
            read, row, BumilField.STATUS, msg.STATUS_OVERRULED, True,
            status=status, muac=row.end_muac_cm, judged=judged_word,
        )  # fmt: skip
        plan.lines.append(line)
    if row.status is BumilFileStatus.COMPLETED and judged.exit is None:
        column = read.label(BumilField.END_MUAC)
        plan.lines.append(
            _line(read, row, BumilField.STATUS, msg.COMPLETED_WITHOUT_MUAC, True, column=column)
        )
    if any(e.started_on == row.started_on for e in stored):
        _present(plan, read, matched)


def _refuse_second_running(
    plan: _Plan, read: BumilFile, matched: _Row, running: dict[int, date]
) -> None:
    """A pregnancy runs one episode at a time: a second running one is refused."""
    if matched.present or matched.ended_on is not None or matched.pregnancy_id is None:
        return
    since = running.get(matched.pregnancy_id)
    if since is not None:
        matched.refused = True
        plan.lines.append(_line(read, matched.row, None, msg.OPEN_EPISODE_EXISTS, since=since))
        return
    running[matched.pregnancy_id] = matched.row.started_on


def _present(plan: _Plan, read: BumilFile, matched: _Row) -> None:
    matched.present = True
    plan.lines.append(_line(read, matched.row, None, msg.EPISODE_PRESENT, True))


# --- writing ----------------------------------------------------------------------------------


def _write(
    connection: Connection, read: BumilFile, plan: _Plan, report: ImportReport, actor: Actor
) -> int:
    """Write the run, the file and the episodes; the run's id."""
    errors = {line.row for line in report.errors if line.row is not None}
    adding = _adding(plan, errors)
    counts = RunCounts(
        rows_read=report.rows_read,
        rows_skipped=len(errors),
        measurements_added=0,
        children_added=0,
        children_changed=0,
        mothers_added=0,
        families_added=0,
        posyandu_added=0,
    )
    now = datetime.now(UTC)
    run_id = reserve_ids(connection, table_of(ImportRun), 1)[0]
    start_run(connection, run_id, actor, now, counts)
    sha256 = read.sha256 or ""
    file_id = add_import_file(connection, run_id, read.name, sha256, LAYOUT, len(adding))
    values = [_columns(r, file_id, actor, now) for r in adding]
    ids = add_episodes(connection, values)
    audited = [(i, None, _audited(v, run_id)) for i, v in zip(ids, values, strict=True)]
    write_audits(
        connection, actor, AuditAction.CREATE, EPISODE_ENTITY, audited, import_run_id=run_id
    )
    finish_run(
        connection, run_id, actor, [FileTrace(read.name, sha256, LAYOUT, len(adding))], counts
    )
    return run_id


def _columns(matched: _Row, file_id: int, actor: Actor, now: datetime) -> dict[str, object]:
    row = matched.row
    return {
        "kitchen_id": None,  # the file names no kitchen, as the history import
        "child_id": None,
        "pregnancy_id": matched.pregnancy_id,
        "indication": Indication.PREGNANT_KEK,
        "rules_version": matched.version,
        "started_on": row.started_on,
        "planned_days": matched.planned_days,
        "funding": row.funding,
        "partner": row.partner[:200] if row.partner else None,
        "cycle": row.cycle,
        "case_id": None,
        "baseline_measurement_id": None,
        "override_reason": None,
        "start_muac_cm": row.start_muac_cm,
        "end_muac_cm": row.end_muac_cm,
        "ended_on": matched.ended_on,
        "exit": matched.exit,
        "exit_note": None,
        "import_file_id": file_id,
        "import_key": matched.key,
        "created_at": now,
        "updated_at": now,
        "created_by": actor.user_id,
        "updated_by": actor.user_id,
    }


_AUDITED = (
    "pregnancy_id",
    "indication",
    "rules_version",
    "started_on",
    "planned_days",
    "ended_on",
    "exit",
    "funding",
    "partner",
    "cycle",
    "start_muac_cm",
    "end_muac_cm",
    "import_file_id",
)


def _audited(values: dict[str, object], run_id: int) -> dict[str, object]:
    return {name: values[name] for name in _AUDITED} | {"import_run_id": run_id}
