"""The bidan at work: register a pregnancy, record its ANC and post-partum (KF) visits
and its end with the birth of a child, list her area's pregnancies (docs/pregnancies.md).

Each write is one transaction, audited, and checks the scope first: a pregnancy outside
the user's area is "not found" (:class:`OutOfScope`); a role that does not write
pregnancies is :class:`NotAllowed`. The rules (HPL, weeks, KEK, anaemia, K1-K6, TTD,
BBLR/PBLR/preterm) are :mod:`tumbuh.growth.maternal`'s (docs/domain.md §14).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.audit import write_audit
from tumbuh.db.children import insert_child
from tumbuh.db.exports import posyandu_kelurahan
from tumbuh.db.maternal import pregnancies as rows
from tumbuh.db.maternal.mothers import (
    add_mother,
    mother_by_nik,
    mother_rows,
    posyandu_in,
    posyandu_names,
    pregnancy_of_child,
)
from tumbuh.db.maternal.refusals import VisitTaken
from tumbuh.db.models import PregnancyOutcome
from tumbuh.db.models_access import AuditAction
from tumbuh.db.models_maternal import AncPlace
from tumbuh.db.users import UserInfo
from tumbuh.growth import maternal
from tumbuh.growth.ages import completed_months_or_nan
from tumbuh.growth.tristate import TriState
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope
from tumbuh.usecases.pregnancy_input import FieldError, NewBirth, NewPregnancy, NewVisit
from tumbuh.usecases.transactions import end_read, writing

READERS = frozenset({Role.ADMIN, Role.NUTRITIONIST, Role.BIDAN, Role.TPK})
WRITERS = frozenset({Role.ADMIN, Role.NUTRITIONIST, Role.BIDAN})
TTD_COURSE = maternal.TTD_COMPLETE_TABLETS


@dataclass(frozen=True)
class PregnancySummary:
    """One pregnancy as the list and its page show it (None: not known)."""

    id: int
    mother_name: str
    mother_nik: str | None  # None for a role that does not see NIK
    posyandu_name: str | None
    kelurahan_code: str | None
    registered_on: date | None
    hpht: date | None
    due_date: date | None  # HPL
    weeks: int | None  # completed weeks today (or at the end)
    ended_on: date | None
    outcome: PregnancyOutcome | None
    k_visits: int  # ANC visits recorded
    k6_met: bool | None
    kek: bool | None
    anaemia: maternal.AnaemiaBand | None
    iron_tablets: int  # TTD handed over at the visits
    ttd_complete: bool
    terlalu_muda: bool | None = None  # the mother under 20 (4 Terlalu), as registered
    terlalu_tua: bool | None = None  # 35 or older


@dataclass(frozen=True)
class BirthFacts:
    """The birth of a child as its pregnancy recorded it."""

    pregnancy_id: int
    weeks: int | None
    birth_weight_g: int | None
    birth_length_cm: float | None
    bblr: bool | None
    pblr: bool | None
    preterm: bool | None


@dataclass(frozen=True)
class PregnancyPage:
    """One pregnancy: its summary, visits, KF visits and the children born of it."""

    summary: PregnancySummary
    visits: list[rows.AncVisitData]
    kf_visits: list[rows.PostpartumVisitRow]
    births: list[tuple[int, BirthFacts]]  # (child id, facts)


def _one(state: TriState) -> bool | None:
    return bool(state.holds[0]) if bool(state.known[0]) else None


def _age_terlalu(born: date | None, on: date) -> maternal.FourTerlalu:
    """ "Terlalu muda" and "terlalu tua" from the mother's age in completed years at the
    HPHT (or K1); spacing and children are not asked at registration (unknown)."""
    months = completed_months_or_nan(
        np.array([born], "datetime64[D]"), np.array([on], "datetime64[D]")
    )
    return maternal.four_terlalu(
        age_years=np.floor(months / 12), spacing_months=[None], children=[None]
    )


def _readable(scope: Scope) -> None:
    if scope.role not in READERS or not scope.may_see_children:
        raise NotAllowed("this role does not see pregnancies")


def _writable(scope: Scope) -> None:
    if scope.role not in WRITERS:
        raise NotAllowed("this role does not record pregnancies")


def _found(connection: Connection, scope: Scope, pregnancy_id: int) -> rows.PregnancyRow:
    found = rows.pregnancy_row(connection, pregnancy_id)
    if found is None or found.kelurahan_code is None:
        raise OutOfScope(pregnancy_id)
    if not scope.covers_kelurahan(found.kelurahan_code):
        raise OutOfScope(pregnancy_id)
    return found


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
    _writable(scope)
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
        terlalu = _age_terlalu(born, new.hpht or new.k1_on)
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
            mother_under_20=_one(terlalu.muda),
            mother_35_or_older=_one(terlalu.tua),
        )
        pregnancy_id = rows.add_pregnancy(connection, mother_id, registration, by=user.id, now=now)
        k1 = rows.AncVisitData(new.k1_on, AncPlace.POSYANDU, None, new.muac_cm, new.hb_g_dl)
        rows.add_anc_visit(connection, pregnancy_id, k1, by=user.id, now=now)
        after = {"kelurahan_code": kelurahan, "posyandu_id": new.posyandu_id, "k1_on": new.k1_on}
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
    _writable(scope)
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
        pregnancy = _found(connection, scope, pregnancy_id)
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
    _writable(scope)
    now = datetime.now(UTC)
    with writing(connection):
        pregnancy = _found(connection, scope, pregnancy_id)
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
    _writable(scope)
    with writing(connection):
        pregnancy = _found(connection, scope, pregnancy_id)
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


def _summaries(
    connection: Connection, scope: Scope, found: list[rows.PregnancyRow], today: date
) -> list[PregnancySummary]:
    """The list's facts of the pregnancies, judged by the rules of growth.maternal."""
    ids = [p.id for p in found]
    visits = rows.anc_visit_rows(connection, ids)
    mothers = mother_rows(connection, [p.mother_id for p in found])
    places = posyandu_names(
        connection,
        [
            p.registration.posyandu_id
            for p in found
            if p.registration and p.registration.posyandu_id
        ],
    )
    index = {p.id: i for i, p in enumerate(found)}
    hpht = [p.registration.hpht if p.registration else None for p in found]
    ends = [p.end.ended_on if p.end else None for p in found]
    status = maternal.anc_status(
        [index[v.pregnancy_id] for v in visits],
        [v.visit.visited_on for v in visits],
        hpht,
        ended_on=ends,
    )
    weeks = maternal.gestational_weeks(hpht, [e or today for e in ends])
    muac = [p.registration.muac_cm if p.registration else None for p in found]
    hb = [p.registration.hb_g_dl if p.registration else None for p in found]
    kek = maternal.is_kek(muac)
    anaemia = maternal.anaemia_band(hb, pregnant=True)
    k6 = status.k_met(6)
    tablets = np.zeros(len(found), dtype=np.int64)
    counted = np.zeros(len(found), dtype=np.int64)
    for v in visits:
        tablets[index[v.pregnancy_id]] += v.visit.iron_tablets_given or 0
        counted[index[v.pregnancy_id]] += 1
    ttd = maternal.ttd_complete(tablets)
    result = []
    for i, p in enumerate(found):
        reg = p.registration
        mother = mothers[p.mother_id]
        place = places.get(reg.posyandu_id) if reg and reg.posyandu_id else None
        result.append(
            PregnancySummary(
                id=p.id,
                mother_name=mother.name,
                mother_nik=mother.nik if scope.may_see_nik else None,
                posyandu_name=None if place is None else place[0],
                kelurahan_code=p.kelurahan_code,
                registered_on=None if reg is None else reg.registered_on,
                hpht=hpht[i],
                due_date=None if reg is None else reg.due_date,
                weeks=None if np.isnan(weeks[i]) else int(weeks[i]),
                ended_on=ends[i],
                outcome=None if p.end is None else p.end.outcome,
                k_visits=int(counted[i]),
                k6_met=bool(k6.holds[i]) if bool(k6.known[i]) else None,
                kek=bool(kek.holds[i]) if bool(kek.known[i]) else None,
                anaemia=anaemia[i],
                iron_tablets=int(tablets[i]),
                ttd_complete=bool(ttd.holds[i]),
                terlalu_muda=None if reg is None else reg.mother_under_20,
                terlalu_tua=None if reg is None else reg.mother_35_or_older,
            )
        )
    return result


def pregnancy_list(connection: Connection, scope: Scope, *, today: date) -> list[PregnancySummary]:
    """The pregnancies of the user's area: open ones first (by HPL), then ended ones
    (latest first)."""
    _readable(scope)
    found = rows.pregnancy_rows(connection, kelurahan=scope.kelurahan)
    found = [p for p in found if p.kelurahan_code is not None]
    summaries = _summaries(connection, scope, found, today)
    end_read(connection)
    open_ones = sorted(
        (s for s in summaries if s.ended_on is None), key=lambda s: (s.due_date or date.max, s.id)
    )
    ended = sorted(
        (s for s in summaries if s.ended_on is not None),
        key=lambda s: (s.ended_on or date.min, s.id),
        reverse=True,
    )
    return open_ones + ended


def _birth_facts(pregnancy: rows.PregnancyRow, newborn: rows.Newborn) -> BirthFacts:
    grams = None if newborn.birth_weight_kg is None else round(newborn.birth_weight_kg * 1000)
    weeks = None if pregnancy.end is None else pregnancy.end.gestational_age_at_end_weeks
    return BirthFacts(
        pregnancy_id=pregnancy.id,
        weeks=weeks,
        birth_weight_g=grams,
        birth_length_cm=newborn.birth_length_cm,
        bblr=_one(maternal.is_bblr([grams])),
        pblr=_one(maternal.is_pblr([newborn.birth_length_cm])),
        preterm=_one(maternal.is_preterm([weeks])),
    )


def pregnancy_page(
    connection: Connection, scope: Scope, pregnancy_id: int, *, today: date
) -> PregnancyPage:
    """One pregnancy of the user's area with its visits and births."""
    _readable(scope)
    pregnancy = _found(connection, scope, pregnancy_id)
    summary = _summaries(connection, scope, [pregnancy], today)[0]
    visits = [v.visit for v in rows.anc_visit_rows(connection, [pregnancy_id])]
    kf = rows.postpartum_visit_rows(connection, [pregnancy_id])
    births = [
        (n.child_id, _birth_facts(pregnancy, n)) for n in rows.newborns(connection, [pregnancy_id])
    ]
    end_read(connection)
    return PregnancyPage(summary, visits, kf, births)


def birth_of_child(connection: Connection, scope: Scope, child_id: int) -> BirthFacts | None:
    """The birth of a child the caller has already found in scope, as its pregnancy
    recorded it (None when the child is not linked to a pregnancy)."""
    pregnancy_id = pregnancy_of_child(connection, child_id)
    pregnancy = None if pregnancy_id is None else rows.pregnancy_row(connection, pregnancy_id)
    if pregnancy is None or not scope.may_see_children:
        return None
    newborn = next(n for n in rows.newborns(connection, [pregnancy.id]) if n.child_id == child_id)
    return _birth_facts(pregnancy, newborn)


def posyandu_choices(connection: Connection, scope: Scope) -> list[tuple[int, str]]:
    """The posyandu (id, name) a pregnancy of the user's area may be placed at."""
    _writable(scope)
    found = posyandu_in(connection, scope.kelurahan)
    end_read(connection)
    return found
