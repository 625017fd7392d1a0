"""The lokus kelurahan of a year (aksi 1, the analisis situasi; docs/aksi.md, "Lokus"):
Tumbuh's figures per kelurahan for a bulan timbang round, the proposal ranked by
:func:`tumbuh.growth.lokus.rank_lokus`, and the TPPS's confirmed choice, kept with the
figures it was made on.

The figures come from the queries the reports use, so they are the reports' own:

* stunted and measured: the prevalence of stunting per kelurahan of the round
  (:func:`tumbuh.db.prevalence.stunting_prevalence`, as ``tumbuh report prevalence``);
* D and S: the SKDN of the round's month (:func:`tumbuh.db.surveillance.skdn.skdn`);
* KRS: the families of the register judged at risk of stunting now
  (:func:`tumbuh.growth.krs.assess`, as the indicators' KRS count).

Readers and editors as in :mod:`tumbuh.usecases.aksi`: admin and analyst choose, a
partner reads, every other role is :class:`NotAllowed`.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from tumbuh.db import indicators as records
from tumbuh.db.aksi import LokusRow, lokus_rows, replace_lokus
from tumbuh.db.audit import Actor, write_audit
from tumbuh.db.models_access import AuditAction
from tumbuh.db.prevalence import AreaLevel, stunting_prevalence
from tumbuh.db.surveillance.areas import city_area
from tumbuh.db.surveillance.skdn import skdn
from tumbuh.errors import InputError
from tumbuh.growth.lokus import KelurahanFigures, LokusRank, percent, rank_lokus
from tumbuh.growth.periods import Period, month_period
from tumbuh.reports.tpps_data import LokusLine
from tumbuh.usecases.access import NotAllowed, Role, Scope, UserInfo
from tumbuh.usecases.family_views import assess_facts
from tumbuh.usecases.transactions import writing

__all__ = [
    "LokusRank",
    "LokusRow",
    "LokusView",
    "choose_lokus",
    "default_round",
    "lokus_figures",
    "lokus_lines",
    "lokus_view",
]

ENTITY = "lokus"
EDITORS = frozenset({Role.ADMIN, Role.ANALYST})
READERS = EDITORS | {Role.PARTNER}


def default_round(year: int) -> Period:
    """The round a year's analysis usually rests on: the August bulan timbang before it."""
    return month_period(year - 1, 8)


def _krs_by_kelurahan(connection: Connection) -> dict[str | None, int]:
    facts = records.families(connection, None)
    at_risk = assess_facts(facts).at_risk.yes
    counts: dict[str | None, int] = {}
    for fact, yes in zip(facts, at_risk.tolist(), strict=True):
        counts[fact.kelurahan_code] = counts.get(fact.kelurahan_code, 0) + int(bool(yes))
    return counts


def lokus_figures(
    connection: Connection, round_month: Period, city_code: str
) -> list[KelurahanFigures]:
    """Every kelurahan of the city with its figures of ``round_month`` (module doc)."""
    prevalence = stunting_prevalence(
        connection, round_month, city_code=city_code, by=AreaLevel.KELURAHAN
    )
    monitored = {
        row.code: row
        for row in skdn(
            connection, round_month, city_code=city_code, area=city_area(connection, city_code)
        )
        if row.level == "kelurahan"
    }
    krs = _krs_by_kelurahan(connection)
    found = []
    for row in prevalence:
        if row.level != AreaLevel.KELURAHAN.value or row.code is None:
            continue
        seen = monitored.get(row.code)
        found.append(
            KelurahanFigures(
                row.code,
                row.name or row.code,
                row.cases,
                row.measured,
                krs.get(row.code, 0),
                None if seen is None else seen.d,
                None if seen is None else seen.s,
            )
        )
    return found


@dataclass(frozen=True)
class LokusView:
    """The year's proposal on a round and the choice kept for the year."""

    year: int
    round_month: Period
    proposal: tuple[LokusRank, ...]
    chosen: tuple[LokusRow, ...]
    may_choose: bool


def _readable(scope: Scope) -> None:
    if scope.role not in READERS:
        raise NotAllowed


def lokus_view(
    connection: Connection, scope: Scope, year: int, round_month: Period, city_code: str
) -> LokusView:
    """The proposal of ``round_month`` for ``year`` and the stored choice."""
    _readable(scope)
    proposal = rank_lokus(lokus_figures(connection, round_month, city_code))
    chosen = tuple(lokus_rows(connection, year))
    return LokusView(year, round_month, proposal, chosen, scope.role in EDITORS)


def _snapshot(
    rank: LokusRank, round_month: Period, today: date, user_id: int | None
) -> dict[str, object]:
    f = rank.figures
    return {
        "kelurahan_code": f.code,
        "rank": rank.rank,
        "stunted": f.stunted,
        "measured": f.measured,
        "krs_families": f.krs_families,
        "weighed": f.weighed,
        "registered": f.registered,
        "round_month": round_month.start,
        "chosen_on": today,
        "chosen_by": user_id,
    }


def _audited(
    rows: Collection[LokusRow] | Collection[dict[str, object]],
) -> dict[str, object] | None:
    codes = [
        r.kelurahan_code if isinstance(r, LokusRow) else str(r["kelurahan_code"]) for r in rows
    ]
    return {"kelurahan": sorted(codes)} if codes else None


def choose_lokus(
    connection: Connection,
    scope: Scope,
    user: UserInfo | Actor,
    year: int,
    round_month: Period,
    codes: Collection[str],
    *,
    city_code: str,
    today: date,
) -> int:
    """Keep the kelurahan ``codes`` as the lokus of ``year`` with their figures and ranks
    of ``round_month`` (replacing an earlier choice; audited) and commit; how many.
    An empty choice or a code that is no kelurahan of the city is an InputError."""
    if scope.role not in EDITORS:
        raise NotAllowed
    if not codes:
        raise InputError("Lokus: choose at least one kelurahan")
    if round_month.start > today:
        raise InputError("Round: {value} has not happened yet", value=round_month.label)
    with writing(connection):
        ranked = {
            r.figures.code: r for r in rank_lokus(lokus_figures(connection, round_month, city_code))
        }
        unknown = sorted(set(codes) - set(ranked))
        if unknown:
            raise InputError(
                "Lokus: {value} is not a kelurahan of the city", value=", ".join(unknown)
            )
        user_id = user.id if isinstance(user, UserInfo) else None
        rows = [_snapshot(ranked[c], round_month, today, user_id) for c in sorted(set(codes))]
        before = _audited(lokus_rows(connection, year))
        replace_lokus(connection, year, rows)
        after = {**(_audited(rows) or {}), "round": round_month.label}
        action = AuditAction.CREATE if before is None else AuditAction.UPDATE
        write_audit(connection, user, action, ENTITY, year, before=before, after=after)
    return len(rows)


def lokus_lines(connection: Connection, year: int) -> tuple[LokusLine, ...] | None:
    """The report's lokus of ``year`` by rank, with the figures they were chosen on; None
    when no lokus is kept for the year."""
    rows = lokus_rows(connection, year)
    if not rows:
        return None
    return tuple(
        LokusLine(
            r.kelurahan_code,
            r.kelurahan_name,
            r.rank,
            r.stunted,
            percent(r.stunted, r.measured),
            r.krs_families,
            percent(r.weighed, r.registered),
        )
        for r in rows
    )
