"""The bidan at work: register a pregnancy, record its ANC and post-partum (KF) visits
and its end with the birth of a child (docs/pregnancies.md). The reads (the area's list,
one pregnancy, the birth behind a child) are :mod:`.pregnancy_views`', re-exported here so
the pages and the API call one module.

Each write is one transaction, audited, and checks the scope first: a pregnancy outside
the user's area is "not found" (:class:`OutOfScope`); a role that does not write
pregnancies is :class:`NotAllowed`. The rules (HPL, weeks, KEK, anaemia, K1-K6, TTD,
BBLR/PBLR/preterm) are :mod:`tumbuh.growth.maternal`'s (docs/domain.md §14).
"""

from datetime import UTC, date, datetime

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.audit import write_audit
from tumbuh.db.children import insert_child
from tumbuh.db.exports import posyandu_kelurahan
from tumbuh.db.maternal import pregnancies as rows
from tumbuh.db.maternal.mothers import add_mother, mother_by_nik
from tumbuh.db.maternal.refusals import VisitTaken
from tumbuh.db.models import PregnancyOutcome
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_maternal import AncPlace
from tumbuh.db.users import UserInfo
from tumbuh.growth import maternal
from tumbuh.growth.ages import completed_months_or_nan
from tumbuh.usecases.access import Scope
from tumbuh.usecases.pregnancy_input import FieldError, NewBirth, NewPregnancy, NewVisit
from tumbuh.usecases.pregnancy_views import (
    TTD_COURSE,
    BirthFacts,
    PregnancyPage,
    PregnancySummary,
    birth_of_child,
    found_pregnancy,
    one,
    posyandu_choices,
    pregnancy_list,
    pregnancy_page,
    writable,
)
from tumbuh.usecases.transactions import writing

__all__ = [
    "TTD_COURSE",
    "BirthFacts",
    "PregnancyPage",
    "PregnancySummary",
    "birth_of_child",
    "posyandu_choices",
    "pregnancy_list",
    "pregnancy_page",
    "record_birth",
    "record_kf_visit",
    "record_visit",
    "register_pregnancy",
]


def _terlalu(born: date | None, new: NewPregnancy) -> maternal.FourTerlalu:
    """The 4 Terlalu at registration: the mother's age in completed years at the HPHT (or
    K1), her children born before and the day of the last (docs/domain.md §14)."""
    on = new.hpht or new.k1_on
    months = completed_months_or_nan(
        np.array([born], "datetime64[D]"), np.array([on], "datetime64[D]")
    )
    return maternal.pregnancy_four_terlalu(
        age_years=np.floor(months / 12),
        previous_births=[new.previous_live_births],
        previous_birth_on=np.array([new.previous_birth_on], "datetime64[D]"),
        hpht=np.array([new.hpht], "datetime64[D]"),
        k1_on=np.array([new.k1_on], "datetime64[D]"),
    )


def _posyandu_kelurahan(connection: Connection, scope: Scope, posyandu_id: int) -> str:
    code = posyandu_kelurahan(connection, posyandu_id)
    if code is None or not scope.covers_kelurahan(code):
        raise FieldError(
            "{field}: choose a posyandu of your area from the list", field="posyandu_id"
        )
    return code


def register_pregnancy(
    connection: Connection, user: UserInfo, scope: Scope, new: NewPregnancy, *, today: date
) -> int:
    """Register a pregnancy (the mother found by NIK, or added), with K1 as its first ANC
    visit; audited and committed. Returns the pregnancy's id."""
    writable(scope)
    now = datetime.now(UTC)
    with writing(connection):
        kelurahan = _posyandu_kelurahan(connection, scope, new.posyandu_id)
        mother = mother_by_nik(connection, new.nik)
        if mother is None and new.mother_name is None:
            raise FieldError(
                "{field}: no mother has this NIK yet; write her name", field="mother_name"
            )
        mother_id = (
            mother.id
            if mother
            else add_mother(connection, new.nik, new.mother_name or "", new.mother_birth_date)
        )
        born = new.mother_birth_date if mother is None else mother.birth_date
        terlalu = _terlalu(born, new)
        weeks = maternal.gestational_weeks([new.hpht], [new.k1_on])[0]
        hpl = maternal.due_date([new.hpht])[0]
        registration = rows.Registration(
            registered_on=today,
            kelurahan_code=kelurahan,
            posyandu_id=new.posyandu_id,
            k1_on=new.k1_on,
            hpht=new.hpht,
            due_date=None if np.isnat(hpl) else hpl.astype(date),
            gestational_age_at_registration_weeks=None if np.isnan(weeks) else int(weeks),
            weight_before_kg=new.weight_before_kg,
            height_cm=new.height_cm,
            muac_cm=new.muac_cm,
            hb_g_dl=new.hb_g_dl,
            mother_under_20=one(terlalu.muda),
            mother_35_or_older=one(terlalu.tua),
            birth_spacing_under_2_years=one(terlalu.dekat),
            more_than_3_children=one(terlalu.banyak),
            previous_live_births=new.previous_live_births,
            previous_birth_on=new.previous_birth_on,
        )
        pregnancy_id = rows.add_pregnancy(connection, mother_id, registration, by=user.id, now=now)
        k1 = rows.AncVisitData(new.k1_on, AncPlace.POSYANDU, None, new.muac_cm, new.hb_g_dl)
        rows.add_anc_visit(connection, pregnancy_id, k1, by=user.id, now=now)
        after = {
            "kelurahan_code": kelurahan,
            "posyandu_id": new.posyandu_id,
            "k1_on": new.k1_on,
            "terlalu": [one(t) for t in (terlalu.muda, terlalu.tua, terlalu.dekat, terlalu.banyak)],
        }
        write_audit(
            connection,
            user,
            AuditAction.CREATE,
            "pregnancy",
            pregnancy_id,
            before=None,
            after=after,
        )
    return pregnancy_id


def record_visit(
    connection: Connection, user: UserInfo, scope: Scope, pregnancy_id: int, visit: NewVisit
) -> int:
    """Add an ANC visit to a pregnancy of the area; audited and committed; its id."""
    writable(scope)
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
        if pregnancy.end is not None and visit.visited_on > pregnancy.end.ended_on:
            raise FieldError(
                "{field}: {value} is after the pregnancy ended; record a KF visit instead",
                field="visited_on",
                value=visit.visited_on.isoformat(),
            )
        try:
            visit_id = rows.add_anc_visit(
                connection, pregnancy_id, data, by=user.id, now=datetime.now(UTC)
            )
        except VisitTaken:
            raise FieldError(
                "{field}: this pregnancy has a visit on {value} already",
                field="visited_on",
                value=visit.visited_on.isoformat(),
            ) from None
        after = {"pregnancy_id": pregnancy_id, "visited_on": visit.visited_on}
        write_audit(
            connection, user, AuditAction.CREATE, "anc_visit", visit_id, before=None, after=after
        )
    return visit_id


def record_birth(
    connection: Connection, user: UserInfo, scope: Scope, pregnancy_id: int, birth: NewBirth
) -> int | None:
    """End a pregnancy of the area; a live birth adds the child (born on the end day, at
    the pregnancy's posyandu, linked by ``pregnancy_id``). Audited and committed; the
    child's id (None when no child was born)."""
    writable(scope)
    now = datetime.now(UTC)
    with writing(connection):
        pregnancy = found_pregnancy(connection, scope, pregnancy_id)
        registration = pregnancy.registration
        if pregnancy.end is not None:
            raise FieldError("{field}: this pregnancy has ended already", field="ended_on")
        if registration is not None and registration.hpht and birth.ended_on < registration.hpht:
            raise FieldError(
                "{field}: {value} is before the HPHT",
                field="ended_on",
                value=birth.ended_on.isoformat(),
            )
        weeks = birth.weeks
        if weeks is None and registration is not None:
            known = maternal.gestational_weeks([registration.hpht], [birth.ended_on])[0]
            weeks = None if np.isnan(known) else int(known)
        end = rows.PregnancyEnd(birth.ended_on, birth.outcome, birth.birth_place, weeks)
        rows.record_end(connection, pregnancy_id, end, now=now)
        write_audit(
            connection,
            user,
            AuditAction.UPDATE,
            "pregnancy",
            pregnancy_id,
            before={"ended_on": None},
            after={"ended_on": birth.ended_on, "outcome": birth.outcome.value},
        )
        if birth.outcome is not PregnancyOutcome.LIVE_BIRTH or birth.sex is None:
            return None
        child = {
            "name": birth.child_name or "",
            "sex": birth.sex,
            "birth_date": birth.ended_on,
            "birth_weight_kg": None
            if birth.birth_weight_g is None
            else birth.birth_weight_g / 1000,
            "birth_length_cm": birth.birth_length_cm,
            "gestational_age_weeks": weeks,
            "mother_id": pregnancy.mother_id,
            "pregnancy_id": pregnancy_id,
            "posyandu_id": None if registration is None else registration.posyandu_id,
        }
        child_id = insert_child(connection, child)
        write_audit(
            connection,
            user,
            AuditAction.CREATE,
            "child",
            child_id,
            before=None,
            after={"pregnancy_id": pregnancy_id, "posyandu_id": child["posyandu_id"]},
        )
    return child_id


def record_kf_visit(
    connection: Connection,
    user: UserInfo,
    scope: Scope,
    pregnancy_id: int,
    visit_number: int,
    visited_on: date,
    note: str | None,
) -> int:
    """Add post-partum visit KF ``visit_number`` (1-4) to an ended pregnancy; audited."""
    writable(scope)
    with writing(connection):
        pregnancy = found_pregnancy(connection, scope, pregnancy_id)
        if pregnancy.end is None or visited_on < pregnancy.end.ended_on:
            raise FieldError(
                "{field}: a KF visit comes after the birth; record the end of the pregnancy "
                "first, and a day on or after it",
                field="visited_on",
            )
        try:
            visit_id = rows.add_postpartum_visit(
                connection,
                pregnancy_id,
                visit_number,
                visited_on,
                note=note,
                by=user.id,
                now=datetime.now(UTC),
            )
        except VisitTaken:
            raise FieldError(
                "{field}: KF{value} of this pregnancy is recorded already",
                field="visit_number",
                value=visit_number,
            ) from None
        after = {"pregnancy_id": pregnancy_id, "visit_number": visit_number}
        write_audit(
            connection,
            user,
            AuditAction.CREATE,
            "postpartum_visit",
            visit_id,
            before=None,
            after=after,
        )
    return visit_id
