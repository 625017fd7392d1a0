"""What the bidan, nutritionist or TPK reads of the catin of their area: the list (with
the filters "at risk", "not yet screened" and the wedding month) and one catin, each judged
by :mod:`tumbuh.growth.catin` (docs/catin.md); the writes are :mod:`tumbuh.usecases.catin`'s.

A catin outside the user's area is "not found" (:class:`OutOfScope`); a role that does not
see catin (analyst, partner, kader, kitchen, sponsor) is :class:`NotAllowed`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import Connection

from tumbuh.db.asuh import kelurahan_names
from tumbuh.db.maternal import catin as rows
from tumbuh.growth import catin as rules
from tumbuh.growth.enums import Sex
from tumbuh.growth.maternal import AnaemiaBand, ImtBand
from tumbuh.growth.tristate import TriState
from tumbuh.usecases.access import NotAllowed, OutOfScope, Role, Scope
from tumbuh.usecases.transactions import end_read

READERS = frozenset({Role.ADMIN, Role.NUTRITIONIST, Role.BIDAN, Role.TPK})
WRITERS = frozenset({Role.ADMIN, Role.NUTRITIONIST, Role.BIDAN})


@dataclass(frozen=True)
class CatinSummary:
    """One catin as the list and the page show them (None: not known)."""

    id: int
    name: str
    nik: str | None  # None for a role that does not see NIK
    sex: Sex
    kelurahan_code: str
    kelurahan_name: str
    birth_date: date | None
    age_at_wedding: int | None  # completed years on the planned wedding day
    wedding_planned_on: date | None
    registered_on: date
    screening: rows.Screening | None
    imt: float | None
    imt_band: ImtBand | None
    kek: bool | None
    anaemia: AnaemiaBand | None
    kurus: bool | None
    under_marriage_age: bool | None
    terlalu_muda: bool | None
    late: bool | None  # screened less than 3 months before the wedding
    at_risk: bool | None
    follow_up: str | None
    follow_up_on: date | None


@dataclass(frozen=True)
class CatinFilter:
    """The list's filters: only those at risk, only those not yet screened, only those
    whose wedding falls in the month of ``wedding_month`` (its first day)."""

    at_risk: bool = False
    unscreened: bool = False
    wedding_month: date | None = None

    def keeps(self, s: CatinSummary) -> bool:
        """True when ``s`` passes every filter set."""
        if self.at_risk and not s.at_risk:
            return False
        if self.unscreened and s.screening is not None:
            return False
        month = self.wedding_month
        wedding = s.wedding_planned_on
        return month is None or (wedding is not None and wedding.replace(day=1) == month)


def readable(scope: Scope) -> None:
    if scope.role not in READERS or not scope.may_see_children:
        raise NotAllowed("this role does not see catin")


def writable(scope: Scope) -> None:
    if scope.role not in WRITERS:
        raise NotAllowed("this role does not record catin")


def found_catin(connection: Connection, scope: Scope, catin_id: int) -> rows.CatinRow:
    """The catin of the user's area, else :class:`OutOfScope`."""
    found = rows.catin_row(connection, catin_id)
    if found is None or not scope.covers_kelurahan(found.person.kelurahan_code):
        raise OutOfScope(catin_id)
    return found


def _one(state: TriState, i: int) -> bool | None:
    return bool(state.holds[i]) if bool(state.known[i]) else None


def _measure(found: Sequence[rows.CatinRow], name: str) -> list[float | None]:
    return [getattr(c.screening, name) if c.screening else None for c in found]


def _risks(found: Sequence[rows.CatinRow]) -> rules.CatinRisks:
    return rules.catin_risks(
        female=[c.person.sex is Sex.FEMALE for c in found],
        birth_date=np.array([c.person.birth_date for c in found], dtype="datetime64[D]"),
        wedding_on=np.array([c.person.wedding_planned_on for c in found], dtype="datetime64[D]"),
        screened_on=np.array(
            [c.screening.screened_on if c.screening else None for c in found],
            dtype="datetime64[D]",
        ),
        muac_cm=_measure(found, "muac_cm"),
        hb_g_dl=_measure(found, "hb_g_dl"),
        weight_kg=_measure(found, "weight_kg"),
        height_cm=_measure(found, "height_cm"),
    )


def summaries(
    scope: Scope, found: Sequence[rows.CatinRow], names: dict[str, str]
) -> list[CatinSummary]:
    """The list's facts of the catin, judged by :func:`tumbuh.growth.catin.catin_risks`."""
    if not found:
        return []
    risks = _risks(found)
    age = rules.age_years_on(
        np.array([c.person.birth_date for c in found], dtype="datetime64[D]"),
        np.array([c.person.wedding_planned_on for c in found], dtype="datetime64[D]"),
    )
    kurus, at_risk = risks.kurus, risks.at_risk
    result = []
    for i, c in enumerate(found):
        p = c.person
        result.append(
            CatinSummary(
                id=c.id,
                name=p.name,
                nik=p.nik if scope.may_see_nik else None,
                sex=p.sex,
                kelurahan_code=p.kelurahan_code,
                kelurahan_name=names.get(p.kelurahan_code, p.kelurahan_code),
                birth_date=p.birth_date,
                age_at_wedding=None if np.isnan(age[i]) else int(age[i]),
                wedding_planned_on=p.wedding_planned_on,
                registered_on=p.registered_on,
                screening=c.screening,
                imt=None if np.isnan(risks.imt[i]) else round(float(risks.imt[i]), 1),
                imt_band=risks.imt_band[i],
                kek=_one(risks.kek, i),
                anaemia=risks.anaemia[i],
                kurus=_one(kurus, i),
                under_marriage_age=_one(risks.under_marriage_age, i),
                terlalu_muda=_one(risks.terlalu_muda, i),
                late=_one(risks.late, i),
                at_risk=_one(at_risk, i),
                follow_up=c.follow_up,
                follow_up_on=c.follow_up_on,
            )
        )
    return result


def catin_list(
    connection: Connection,
    scope: Scope,
    city_code: str,
    chosen: CatinFilter | None = None,
    *,
    today: date,
) -> list[CatinSummary]:
    """The catin of the user's area passing ``chosen``: the coming weddings first (the
    nearest first), then those without a planned day, then the weddings past (the latest
    first)."""
    readable(scope)
    found = rows.catin_rows(connection, kelurahan=scope.kelurahan)
    names = kelurahan_names(connection, city_code)
    end_read(connection)
    listed = [s for s in summaries(scope, found, names) if (chosen or CatinFilter()).keeps(s)]
    coming = [s for s in listed if s.wedding_planned_on is None or s.wedding_planned_on >= today]
    past = [s for s in listed if s.wedding_planned_on is not None and s.wedding_planned_on < today]
    coming.sort(key=lambda s: (s.wedding_planned_on or date.max, s.id))
    past.sort(key=lambda s: (s.wedding_planned_on or date.min, s.id), reverse=True)
    return coming + past


def catin_page(connection: Connection, scope: Scope, catin_id: int, city_code: str) -> CatinSummary:
    """One catin of the user's area."""
    readable(scope)
    found = found_catin(connection, scope, catin_id)
    names = kelurahan_names(connection, city_code)
    end_read(connection)
    return summaries(scope, [found], names)[0]


def kelurahan_choices(
    connection: Connection, scope: Scope, city_code: str
) -> list[tuple[str, str]]:
    """The kelurahan (code, name) of the user's area a catin may be registered in."""
    writable(scope)
    names = kelurahan_names(connection, city_code)
    end_read(connection)
    return [(code, name) for code, name in names.items() if scope.covers_kelurahan(code)]
