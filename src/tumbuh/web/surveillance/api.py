"""The JSON API of the lists of children (referral, counselling, re-measure) and of the
cohort flows (``/api/v1``), scoped as the pages.

Children appear by name only for roles that may see children (never their NIK: a referral
needs the child, not the number); analysts and partners receive the counts alone.
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from tumbuh.errors import InputError
from tumbuh.growth.referrals import ReferralReason
from tumbuh.usecases.child_lists import ListKind
from tumbuh.usecases.flows import AgeChoice, AreaFlows, FlowRow, flows_view
from tumbuh.usecases.referrals import Referral, ReferralCount
from tumbuh.web.api import AreaOut, area_out
from tumbuh.web.deps import CurrentViewer, Db, Viewer
from tumbuh.web.surveillance.lists import ALL, Asked, AskedQuery, find_list
from tumbuh.web.surveillance.pages import (
    AgeQuery,
    AreaQuery,
    FirstRoundQuery,
    PosyanduQuery,
    SecondRoundQuery,
    flow_rounds,
)

router = APIRouter(prefix="/api/v1", tags=["api"])
REFERRALS_PAGE = 500  # children of the referral list in one answer, unless asked otherwise
REFERRALS_MAX = 1000  # the most children one answer holds
Limit = Annotated[
    int, Query(ge=1, le=REFERRALS_MAX, description="Children in this answer (at most 1000).")
]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="Children to skip first.")]


class ReasonCountsOut(BaseModel):
    """Children to refer in one area (``area`` null: measured at no posyandu), by reason."""

    area: AreaOut | None
    children: int
    by_reason: dict[str, int] = Field(description="Reason code (T, 2T, BGM, ...) -> children.")


class ReferralOut(BaseModel):
    """A child to refer and the values its reasons were judged on (no NIK)."""

    child_id: int
    name: str
    sex: str
    birth_date: date
    age_months: int
    posyandu_code: str | None
    posyandu_name: str | None
    measured_on: date
    weight_kg: float | None
    height_cm: float | None
    weight_trend: str | None
    haz: float | None
    waz: float | None
    whz: float | None
    oedema: bool
    reasons: list[str]


class ReferralsOut(BaseModel):
    """The referral list of a month for an area inside the user's scope."""

    month: str | None = Field(description="YYYY-MM; null when the area has no measurement.")
    measured: bool = Field(
        default=True, description="False: no measurement in the area that month (no data yet)."
    )
    area: AreaOut
    total: ReasonCountsOut | None
    areas: list[ReasonCountsOut]
    children: list[ReferralOut] | None = Field(
        description="Null for roles that see counts only (analyst, partner); else at most "
        "``limit`` children from ``offset``, most severe reason first, then youngest, "
        "then by name."
    )
    children_total: int | None = Field(
        default=None, description="How many children the whole list holds (null with counts only)."
    )


class FlowCountsOut(BaseModel):
    """The cohort flows of one area (``area`` null: children measured at no posyandu)."""

    area: AreaOut | None
    counts: dict[str, int]
    stunted_when_last_seen: dict[str, int]
    measured_first: int
    stunted_first: int
    measured_second: int
    stunted_second: int


class FlowsOut(BaseModel):
    """Cohort flows between two rounds for an area inside the user's scope."""

    first: str
    second: str
    area: AreaOut
    age_group: AgeChoice = Field(description="The children counted: baduta, 24-59 or all.")
    total: FlowCountsOut
    areas: list[FlowCountsOut]


def _counts(row: ReferralCount) -> ReasonCountsOut:
    return ReasonCountsOut(
        area=area_out(row.area) if row.area else None,
        children=row.children,
        by_reason={reason.value: row.by_reason[reason] for reason in ReferralReason},
    )


def _child(r: Referral) -> ReferralOut:
    return ReferralOut(
        child_id=r.child_id,
        name=r.name,
        sex=r.sex.value,
        birth_date=r.birth_date,
        age_months=r.age_months,
        posyandu_code=r.posyandu_code,
        posyandu_name=r.posyandu_name,
        measured_on=r.measured_on,
        weight_kg=r.weight_kg,
        height_cm=r.height_cm,
        weight_trend=r.weight_trend.value if r.weight_trend else None,
        haz=r.haz,
        waz=r.waz,
        whz=r.whz,
        oedema=r.oedema,
        reasons=[reason.value for reason in r.reasons],
    )


def _list_answer(
    request: Request, connection: Connection, current: Viewer, kind: ListKind, asked: Asked,
    limit: int, offset: int,
) -> ReferralsOut:  # fmt: skip
    found = find_list(request, connection, current, kind, asked, page_size=ALL)
    chosen, period, view = found.area, found.month, found.view
    if period is None or view is None:
        label = period.label if period else None
        return ReferralsOut(
            month=label, measured=False, area=area_out(chosen), total=None, areas=[], children=None
        )
    children = None if found.children is None else found.children[offset : offset + limit]
    return ReferralsOut(
        month=period.label,
        measured=True,
        area=area_out(chosen),
        total=_counts(view.total),
        areas=[_counts(row) for row in view.rows],
        children=None if children is None else [_child(r) for r in children],
        children_total=None if children is None else found.total,
    )


def _list_route(path: str, kind: ListKind, summary: str) -> None:
    @router.get(path, response_model=ReferralsOut, summary=summary, name=f"api_{kind.value}")
    def answer(
        request: Request, connection: Db, current: CurrentViewer, asked: AskedQuery,
        limit: Limit = REFERRALS_PAGE, offset: Offset = 0,
    ) -> ReferralsOut:  # fmt: skip
        """Children of the list in a month (default: the latest month with measurements in
        the area), most severe reason first, then youngest; a page of ``limit`` children
        from ``offset`` (``children_total`` gives them all). ``measured`` is false for a
        month without any measurement in the area (no data yet, not "0 children")."""
        return _list_answer(request, connection, current, kind, asked, limit, offset)


_list_route("/referrals", ListKind.REFER, "Referral list")
_list_route("/counselling", ListKind.COUNSEL, "Counselling list at the posyandu")
_list_route("/remeasure", ListKind.REMEASURE, "Re-measure list")


def _flows(area: AreaOut | None, row: FlowRow) -> FlowCountsOut:
    return FlowCountsOut(
        area=area,
        counts={flow.value: n for flow, n in row.counts.items()},
        stunted_when_last_seen={flow.value: n for flow, n in row.stunted_when_last_seen.items()},
        measured_first=row.measured_first,
        stunted_first=row.stunted_first,
        measured_second=row.measured_second,
        stunted_second=row.stunted_second,
    )


def _area_flows(item: AreaFlows) -> FlowCountsOut:
    return _flows(area_out(item.area) if item.area else None, item.flows)


@router.get("/cohort-flows", response_model=FlowsOut)
def cohort_flows(
    request: Request,
    connection: Db,
    current: CurrentViewer,
    first: FirstRoundQuery = None,
    second: SecondRoundQuery = None,
    area: AreaQuery = None,
    posyandu: PosyanduQuery = None,
    age: AgeQuery = AgeChoice.ALL,
) -> FlowsOut:
    """Flows between two rounds (default: the latest bulan timbang and the one before);
    ``age``: baduta (0-23 months), 24-59 or all balita."""
    figures, chosen, one, two = flow_rounds(
        request, connection, current, first, second, area, posyandu
    )
    if one is None or two is None:
        raise InputError(
            "the register has no two bulan timbang rounds yet; give both rounds, e.g. "
            "from=2024-02&to=2024-08"
        )
    if one.end > two.start:
        raise InputError(
            "the first round ({first}) must end before the second ({second}) begins",
            first=one.label,
            second=two.label,
        )
    view = flows_view(
        connection, figures.places, figures.memo, chosen, current.scope, one, two, age
    )
    return FlowsOut(
        first=one.label,
        second=two.label,
        area=area_out(chosen),
        age_group=age,
        total=_area_flows(view.total),
        areas=[_area_flows(item) for item in view.rows],
    )
