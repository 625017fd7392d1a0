"""A small register for the indicator tests (synthetic people only), with the counts
each indicator should find in 2024 worked out by hand in the docstring of
:func:`build`."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, insert, update

from tests.db.helpers import add_child, add_measurement, add_posyandu
from tests.db.maternal_helpers import add_family, add_mother
from tumbuh.db.measurements import rederive_children
from tumbuh.db.models import Child, Family, Pregnancy, table_of
from tumbuh.db.models_cases import NutritionCase
from tumbuh.db.models_maternal import AncPlace, AncVisit, ChildMonth
from tumbuh.db.models_pmt import PmtEpisode
from tumbuh.growth.cases import CaseStatus, Problem
from tumbuh.growth.enums import Position
from tumbuh.growth.pmt import Funding, Indication

CITY = "36.72"
A = "36.72.01.1001"
B = "36.72.01.1002"
NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
AS_OF = date(2025, 3, 1)  # 2024 is over


def _pregnancy(
    connection: Connection, kelurahan: str, on: date, muac: float | None, tablets: int | None
) -> int:
    t = table_of(Pregnancy)
    values = {
        "mother_id": add_mother(connection), "registered_on": on, "kelurahan_code": kelurahan,
        "muac_cm": muac, "iron_tablets": tablets,
    }  # fmt: skip
    return int(connection.execute(insert(t).values(**values).returning(t.c.id)).scalar_one())


def _visit(connection: Connection, pregnancy: int, on: date, **values: object) -> None:
    connection.execute(
        insert(table_of(AncVisit)).values(
            pregnancy_id=pregnancy,
            visited_on=on,
            place=AncPlace.POSYANDU,
            created_at=NOW,
            updated_at=NOW,
            **values,
        )
    )


def _episode(connection: Connection, started: date, **subject: int) -> None:
    indication = Indication.PREGNANT_KEK if "pregnancy_id" in subject else Indication.WASTED
    connection.execute(
        insert(table_of(PmtEpisode)).values(
            indication=indication,
            rules_version="2024",
            started_on=started,
            planned_days=90,
            funding=Funding.APBD,
            created_at=NOW,
            updated_at=NOW,
            ended_on=date(2024, 8, 1),
            **subject,
        )
    )


def _month(connection: Connection, child: int, month: date, **values: bool | None) -> None:
    connection.execute(
        insert(table_of(ChildMonth)).values(
            child_id=child, month=month, created_at=NOW, updated_at=NOW, **values
        )
    )


def _case(
    connection: Connection, child: int, severity: int, problem: Problem = Problem.WASTING,
    treated_on: date | None = None,
) -> None:  # fmt: skip
    connection.execute(
        insert(table_of(NutritionCase)).values(
            child_id=child,
            problem=problem,
            status=CaseStatus.DIRUJUK,
            opened_on=date(2024, 4, 10),
            opened_month=date(2024, 4, 1),
            reasons="wasted",
            severity=severity,
            treated_on=treated_on,
            created_at=NOW,
            updated_at=NOW,
        )
    )


def _family(connection: Connection, kelurahan: str | None, **criteria: bool | None) -> None:
    family = add_family(connection, kelurahan)
    t = table_of(Family)
    if criteria:
        connection.execute(update(t).where(t.c.id == family).values(**criteria))


@dataclass(frozen=True)
class Register:
    """The ids a test may need."""

    c1: int
    c4: int


SAFE = {
    "has_safe_drinking_water": True, "has_safe_latrine": True, "wife_under_20": False,
    "wife_35_or_older": False, "birth_spacing_under_2_years": False,
    "more_than_3_children": False,
}  # fmt: skip


def build(connection: Connection) -> Register:
    """Kelurahan A (posyandu PA) and B (PB), in 2024:

    * pregnancies: P1 (A) LiLA 22.0 with a PMT episode and 60 + 40 TTD at its visits;
      P2 (A) no LiLA at registration, 23.0 at its first visit, 30 TTD as a total; P3 (A)
      LiLA 24.0, TTD not recorded; P4 (B) LiLA 23.5 (not KEK), 90 TTD; P5 (A) registered
      in 2023 (not counted). KEK given PMT: A 1 of 2. TTD >= 90: A 1 of 3 (1 unknown),
      B 1 of 1.
    * children: C1 (A) born 10 Sep 2024, exclusively breastfed in October, not recorded
      in December; C2 (A) born 5 Aug 2024, not exclusive in November; C3 (B) born
      1 Oct 2024, no record; C4 (A) born 15 Jun 2023, MP-ASI in March 2024, immunised
      1 May 2024; C5 (A) born 20 Dec 2022, no MP-ASI in February 2024 and MP-ASI in
      December (24 months then: not counted); C6 (B) born 1 Mar 2023, nothing recorded.
      ASI eksklusif: A 1 of 2, B 0 of 1 (1 unknown). MP-ASI: A 1 of 2, B 0 of 1
      (1 unknown). Immunisation (12-23 months on 31 Dec): A 1 of 1 (C4), B 0 of 1 (C6).
    * wasting cases: C4 gizi buruk treated, C6 (B) gizi buruk not treated, C5 gizi
      kurang with a PMT episode, C2 gizi kurang without; C1 a stunting case (not counted).
      Gizi buruk treated: A 1 of 1, B 0 of 1; gizi kurang given PMT: A 1 of 2.
    * weighing: C4 at PA on 10 March. D/S, summed over the months: S of A is C1 4 months
      (Sep-Dec), C2 5, C4 12, C5 12 = 33; D 1. S of B: C3 3, C6 12 = 15; D 0.
    * families: A: one safe, one without safe water (at risk), one not assessed; B: one
      with a wife under 20 (at risk); one without a kelurahan, safe.
    """
    with connection.begin():
        pa = add_posyandu(connection, "P-A", A, "Mawar")
        pb = add_posyandu(connection, "P-B", B, "Melati")
        p1 = _pregnancy(connection, A, date(2024, 2, 1), 22.0, None)
        _visit(connection, p1, date(2024, 2, 1), iron_tablets_given=60)
        _visit(connection, p1, date(2024, 4, 1), iron_tablets_given=40)
        _episode(connection, date(2024, 3, 1), pregnancy_id=p1)
        p2 = _pregnancy(connection, A, date(2024, 5, 1), None, 30)
        _visit(connection, p2, date(2024, 5, 2), muac_cm=23.0)
        _visit(connection, p2, date(2024, 6, 2), muac_cm=25.0)
        _pregnancy(connection, A, date(2024, 7, 1), 24.0, None)
        _pregnancy(connection, B, date(2024, 7, 1), 23.5, 90)
        _pregnancy(connection, A, date(2023, 12, 31), 21.0, None)

        def child(born: date, at: int) -> int:
            return add_child(connection, birth_date=born, posyandu_id=at)

        c1, c2 = child(date(2024, 9, 10), pa), child(date(2024, 8, 5), pa)
        _, c4 = child(date(2024, 10, 1), pb), child(date(2023, 6, 15), pa)
        c5, c6 = child(date(2022, 12, 20), pa), child(date(2023, 3, 1), pb)
        _month(connection, c1, date(2024, 10, 1), exclusive_breastfeeding=True)
        _month(connection, c1, date(2024, 12, 1), vitamin_a_given=True)
        _month(connection, c2, date(2024, 11, 1), exclusive_breastfeeding=False)
        _month(connection, c4, date(2024, 3, 1), complementary_feeding=True)
        _month(connection, c5, date(2024, 2, 1), complementary_feeding=False)
        _month(connection, c5, date(2024, 12, 1), complementary_feeding=True)
        t = table_of(Child)
        connection.execute(
            update(t).where(t.c.id == c4).values(basic_immunisation_completed_on=date(2024, 5, 1))
        )
        _case(connection, c4, 1, treated_on=date(2024, 4, 20))
        _case(connection, c6, 1)
        _case(connection, c5, 2)
        _case(connection, c2, 2)
        _case(connection, c1, 3, problem=Problem.STUNTING)
        _episode(connection, date(2024, 5, 1), child_id=c5)
        add_measurement(
            connection,
            child_id=c4,
            measured_on=date(2024, 3, 10),
            weight_kg=9.0,
            height_cm=75.0,
            position=Position.LENGTH,
            posyandu_id=pa,
        )
        rederive_children(connection, [c4])
        _family(connection, A, **SAFE)
        _family(connection, A, **(SAFE | {"has_safe_drinking_water": False}))
        _family(connection, A)
        _family(connection, B, **(SAFE | {"wife_under_20": True}))
        _family(connection, None, **SAFE)
    return Register(c1, c4)
