"""Correcting and removing a pregnancy's visits: an ANC visit (K1-K6) typed with the wrong
day, place or value, or a post-partum (KF) visit recorded twice or on the wrong day
(docs/pregnancies.md, "Correcting a visit").

The same rules as recording them (:mod:`.pregnancies`): a role that records pregnancies,
a pregnancy of the user's area (else "not found"), one ANC visit per day and each KF
number once, an ANC visit not after the pregnancy ended, a KF visit not before the birth.
Each change is one transaction with its audit row (before and after); the visit must
belong to the pregnancy named, so an id from another pregnancy is "not found".
"""

from dataclasses import asdict
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from tumbuh.db.audit import write_audit
from tumbuh.db.maternal import pregnancies as rows
from tumbuh.db.maternal.refusals import VisitTaken
from tumbuh.db.models_access import AuditAction
from tumbuh.db.users import UserInfo
from tumbuh.usecases.access import OutOfScope, Scope
from tumbuh.usecases.pregnancy_input import FieldError, NewVisit
from tumbuh.usecases.pregnancy_views import found_pregnancy, writable
from tumbuh.usecases.transactions import writing


def _anc_visit(connection: Connection, pregnancy_id: int, visit_id: int) -> rows.AncVisitRow:
    for found in rows.anc_visit_rows(connection, [pregnancy_id]):
        if found.id == visit_id:
            return found
    raise OutOfScope(visit_id)


def _kf_visit(connection: Connection, pregnancy_id: int, visit_id: int) -> rows.PostpartumVisitRow:
    for found in rows.postpartum_visit_rows(connection, [pregnancy_id]):
        if found.id == visit_id:
            return found
    raise OutOfScope(visit_id)


def _audited(visit: rows.AncVisitData) -> dict[str, object]:
    return {key: getattr(value, "value", value) for key, value in asdict(visit).items()}


def correct_visit(
    connection: Connection,
    user: UserInfo,
    scope: Scope,
    ids: tuple[int, int],
    visit: NewVisit,
) -> None:
    """Replace the fields of ANC visit ``ids[1]`` of pregnancy ``ids[0]``; audited."""
    writable(scope)
    pregnancy_id, visit_id = ids
    data = rows.AncVisitData(
        visit.visited_on,
        visit.place,
        visit.weight_kg,
        visit.muac_cm,
        visit.hb_g_dl,
        visit.iron_tablets_given,
        visit.note,
    )
    with writing(connection):
        pregnancy = found_pregnancy(connection, scope, pregnancy_id)
        before = _anc_visit(connection, pregnancy_id, visit_id)
        if pregnancy.end is not None and visit.visited_on > pregnancy.end.ended_on:
            raise FieldError(
                "{field}: {value} is after the pregnancy ended; record a KF visit instead",
                field="visited_on",
                value=visit.visited_on.isoformat(),
            )
        try:
            rows.update_anc_visit(connection, visit_id, data, now=datetime.now(UTC))
        except VisitTaken:
            raise FieldError(
                "{field}: this pregnancy has a visit on {value} already",
                field="visited_on",
                value=visit.visited_on.isoformat(),
            ) from None
        write_audit(
            connection,
            user,
            AuditAction.UPDATE,
            "anc_visit",
            visit_id,
            before=_audited(before.visit),
            after=_audited(data),
        )


def remove_visit(
    connection: Connection, user: UserInfo, scope: Scope, ids: tuple[int, int]
) -> None:
    """Remove ANC visit ``ids[1]`` of pregnancy ``ids[0]``; audited with what it held."""
    writable(scope)
    pregnancy_id, visit_id = ids
    with writing(connection):
        found_pregnancy(connection, scope, pregnancy_id)
        before = _anc_visit(connection, pregnancy_id, visit_id)
        rows.delete_anc_visit(connection, visit_id)
        write_audit(
            connection,
            user,
            AuditAction.DELETE,
            "anc_visit",
            visit_id,
            before=_audited(before.visit) | {"pregnancy_id": pregnancy_id},
            after=None,
        )


def correct_kf_visit(
    connection: Connection,
    user: UserInfo,
    scope: Scope,
    ids: tuple[int, int],
    visited_on: date,
    note: str | None,
) -> None:
    """Change the day and note of KF visit ``ids[1]`` of pregnancy ``ids[0]`` (its number
    stays: a wrong number is removed and recorded again); audited."""
    writable(scope)
    pregnancy_id, visit_id = ids
    with writing(connection):
        pregnancy = found_pregnancy(connection, scope, pregnancy_id)
        before = _kf_visit(connection, pregnancy_id, visit_id)
        if pregnancy.end is not None and visited_on < pregnancy.end.ended_on:
            raise FieldError(
                "{field}: {value} is before the birth; a KF visit comes on or after it",
                field="visited_on",
                value=visited_on.isoformat(),
            )
        rows.update_postpartum_visit(connection, visit_id, visited_on, note, now=datetime.now(UTC))
        write_audit(
            connection,
            user,
            AuditAction.UPDATE,
            "postpartum_visit",
            visit_id,
            before={"visited_on": before.visited_on, "note": before.note},
            after={"visited_on": visited_on, "note": note},
        )


def remove_kf_visit(
    connection: Connection, user: UserInfo, scope: Scope, ids: tuple[int, int]
) -> None:
    """Remove KF visit ``ids[1]`` of pregnancy ``ids[0]``; audited with what it held."""
    writable(scope)
    pregnancy_id, visit_id = ids
    with writing(connection):
        found_pregnancy(connection, scope, pregnancy_id)
        before = _kf_visit(connection, pregnancy_id, visit_id)
        rows.delete_postpartum_visit(connection, visit_id)
        write_audit(
            connection,
            user,
            AuditAction.DELETE,
            "postpartum_visit",
            visit_id,
            before={
                "pregnancy_id": pregnancy_id,
                "visit_number": before.visit_number,
                "visited_on": before.visited_on,
            },
            after=None,
        )
