"""What the bidan reads: her area's pregnancies (open ones first) with weeks, HPL, ANC
visits, KEK, anaemia and TTD; one pregnancy with its visits and births; the birth behind
a child (docs/pregnancies.md). The rules are :mod:`tumbuh.growth.maternal`'s
(docs/domain.md §14); the writes are :mod:`tumbuh.usecases.pregnancies`'.

A pregnancy outside the user's area is "not found" (:class:`OutOfScope`); a role that
does not see pregnancies is :class:`NotAllowed`.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.maternal import pregnancies as rows
from tumbuh.db.maternal.mothers import mother_rows, posyandu_in, posyandu_names, pregnancy_of_child
from tumbuh.db.models import BirthPlace, PregnancyOutcome
from tumbuh.db.pmt_bumil import BumilEpisodeRow, pregnancy_episode_rows
from tumbuh.growth import maternal
from tumbuh.growth.tristate import TriState
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope
from tumbuh.usecases.transactions import end_read

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
    terlalu_dekat: bool | None = None  # less than 2 years since her last birth
    terlalu_banyak: bool | None = None  # more than 3 children born before
    birth_place: BirthPlace | None = None  # where the pregnancy ended


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
    """One pregnancy: its summary, visits, KF visits, the children born of it and its
    PMT episodes (a pregnant woman with KEK fed at a kitchen)."""

    summary: PregnancySummary
    visits: list[rows.AncVisitRow]
    kf_visits: list[rows.PostpartumVisitRow]
    births: list[tuple[int, BirthFacts]]  # (child id, facts)
    may_write: bool = False  # the user's role records and corrects visits
    pmt_episodes: list[BumilEpisodeRow] = field(default_factory=list)  # PMT bumil KEK


def one(state: TriState) -> bool | None:
    return bool(state.holds[0]) if bool(state.known[0]) else None


def readable(scope: Scope) -> None:
    if scope.role not in READERS or not scope.may_see_children:
        raise NotAllowed("this role does not see pregnancies")


def writable(scope: Scope) -> None:
    if scope.role not in WRITERS:
        raise NotAllowed("this role does not record pregnancies")


def found_pregnancy(connection: Connection, scope: Scope, pregnancy_id: int) -> rows.PregnancyRow:
    found = rows.pregnancy_row(connection, pregnancy_id)
    if found is None or found.kelurahan_code is None:
        raise OutOfScope(pregnancy_id)
    if not scope.covers_kelurahan(found.kelurahan_code):
        raise OutOfScope(pregnancy_id)
    return found


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
                terlalu_dekat=None if reg is None else reg.birth_spacing_under_2_years,
                terlalu_banyak=None if reg is None else reg.more_than_3_children,
                birth_place=None if p.end is None else p.end.birth_place,
            )
        )
    return result


def pregnancy_list(connection: Connection, scope: Scope, *, today: date) -> list[PregnancySummary]:
    """The pregnancies of the user's area: open ones first (by HPL), then ended ones
    (latest first)."""
    readable(scope)
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
        bblr=one(maternal.is_bblr([grams])),
        pblr=one(maternal.is_pblr([newborn.birth_length_cm])),
        preterm=one(maternal.is_preterm([weeks])),
    )


def pregnancy_page(
    connection: Connection, scope: Scope, pregnancy_id: int, *, today: date
) -> PregnancyPage:
    """One pregnancy of the user's area with its visits and births."""
    readable(scope)
    pregnancy = found_pregnancy(connection, scope, pregnancy_id)
    summary = _summaries(connection, scope, [pregnancy], today)[0]
    visits = rows.anc_visit_rows(connection, [pregnancy_id])
    kf = rows.postpartum_visit_rows(connection, [pregnancy_id])
    births = [
        (n.child_id, _birth_facts(pregnancy, n)) for n in rows.newborns(connection, [pregnancy_id])
    ]
    fed = pregnancy_episode_rows(connection, None, pregnancy_id=pregnancy_id)
    end_read(connection)
    return PregnancyPage(
        summary, visits, kf, births, may_write=scope.role in WRITERS, pmt_episodes=fed
    )


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
    writable(scope)
    found = posyandu_in(connection, scope.kelurahan)
    end_read(connection)
    return found
