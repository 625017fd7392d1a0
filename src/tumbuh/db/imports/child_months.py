"""The child's month an e-PPGBM row brings (``Jml Vit A`` and ``KPSP``), written with the
import's other rows, in its transaction (docs/import-format.md, "Vitamin A and KPSP").

Every accepted row whose child is known adds its answers to the child's ``child_month``
of the row's month: a new row where there is none, else only the columns the file gives
(a kader's ASI eksklusif of that month stays). Several rows of one child and month give
the last row's values. Each row created or changed is audited, linked to the import run;
a re-import that changes nothing writes nothing.
"""

from collections.abc import Callable, Sequence
from datetime import date, datetime

from sqlalchemy import Connection, bindparam, update

from tumbuh.db.audit import Actor, write_audits
from tumbuh.db.bulk import insert_columns
from tumbuh.db.maternal.child_months import child_month_rows
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_maternal import ChildMonth
from tumbuh.ingest.batch import MeasurementRow
from tumbuh.ingest.child_month_cells import vitamin_a_given

Key = tuple[int, date]  # child id, month's first day


def answers_of(
    rows: Sequence[MeasurementRow], child_ids: Sequence[int | None]
) -> dict[Key, dict[str, object]]:
    """The answers per child and month that the rows give (only the columns given)."""
    found: dict[Key, dict[str, object]] = {}
    for row, child_id in zip(rows, child_ids, strict=True):
        given = vitamin_a_given(row.vitamin_a_count)
        if child_id is None or (given is None and row.kpsp_result is None):
            continue
        answers = found.setdefault((child_id, row.measured_on.replace(day=1)), {})
        if given is not None:
            answers["vitamin_a_given"] = given
        if row.kpsp_result is not None:
            answers["kpsp_result"] = row.kpsp_result.value
    return found


def write_child_months(
    connection: Connection,
    answers: dict[Key, dict[str, object]],
    reserve: Callable[[int], list[int]],
    *,
    actor: Actor,
    run_id: int,
    now: datetime,
) -> int:
    """Store ``answers`` (:func:`answers_of`); ``reserve(n)`` gives n new ids. The number
    of ``child_month`` rows created or changed."""
    if not answers:
        return 0
    months = (min(m for _, m in answers), max(m for _, m in answers))
    stored = {
        (r.child_id, r.month): r
        for r in child_month_rows(connection, months, child_ids={c for c, _ in answers})
    }
    changed: list[tuple[int, dict[str, object], dict[str, object]]] = []
    new = [key for key in answers if key not in stored]
    for key, values in answers.items():
        if key not in stored:
            continue
        row = stored[key]
        before = {k: _stored_value(getattr(row.record, k)) for k in values}
        if before != values:
            changed.append((row.id, before, values))
    _update(connection, changed, actor.user_id, now)
    ids = reserve(len(new))
    _insert(connection, ids, new, answers, actor.user_id, now)
    audits = [
        (i, None, {"child_id": c, "month": m} | answers[(c, m)])
        for i, (c, m) in zip(ids, new, strict=True)
    ]
    write_audits(
        connection, actor, AuditAction.CREATE, "child_month", audits, at=now, import_run_id=run_id
    )
    write_audits(
        connection,
        actor,
        AuditAction.UPDATE,
        "child_month",
        [(i, dict(b), dict(a)) for i, b, a in changed],
        at=now,
        import_run_id=run_id,
    )
    return len(new) + len(changed)


def _stored_value(value: object) -> object:
    return getattr(value, "value", value)  # a KPSP result as its text


def _update(
    connection: Connection,
    changed: list[tuple[int, dict[str, object], dict[str, object]]],
    by: int | None,
    now: datetime,
) -> None:
    table = table_of(ChildMonth)
    for columns in {tuple(sorted(after)) for _, _, after in changed}:
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                {c: bindparam(f"b_{c}") for c in columns} | {"recorded_by": by, "updated_at": now}
            )
        )
        parameters = [
            {"b_id": i} | {f"b_{c}": after[c] for c in columns}
            for i, _, after in changed
            if tuple(sorted(after)) == columns
        ]
        connection.execute(statement, parameters)


def _insert(
    connection: Connection,
    ids: list[int],
    keys: list[Key],
    answers: dict[Key, dict[str, object]],
    by: int | None,
    now: datetime,
) -> None:
    if not keys:
        return
    n = len(keys)
    insert_columns(
        connection,
        table_of(ChildMonth),
        {
            "id": ids,
            "child_id": [c for c, _ in keys],
            "month": [m for _, m in keys],
            "exclusive_breastfeeding": [None] * n,
            "complementary_feeding": [None] * n,
            "vitamin_a_given": [answers[k].get("vitamin_a_given") for k in keys],
            "kpsp_result": [answers[k].get("kpsp_result") for k in keys],
            "recorded_by": [by] * n,
            "created_at": [now] * n,
            "updated_at": [now] * n,
        },
    )
