"""Use cases of surveillance: a figure keeps to the user's scope; a target commits itself.

The pages and commands exercise the rest (tests/web/test_dashboard.py,
tests/web/test_surveillance_pages.py, tests/cli/test_report_target_commands.py); these
check what the adapters cannot see: the scope applied in the use case, and that a write
use case commits (or leaves nothing) on its own, without the command's transaction.
"""

from datetime import date

import pytest
from sqlalchemy import Engine

from tumbuh.db.setup import upgrade_database
from tumbuh.errors import InputError
from tumbuh.usecases.access import Role, Scope
from tumbuh.usecases.areas import Area, AreaKind
from tumbuh.usecases.figures import Counts, Round, RoundKind, area_figure
from tumbuh.usecases.places import Places, PosyanduPlace, posyandu_codes, sub_areas
from tumbuh.usecases.targets import (
    PrevalenceIndicator,
    TargetScale,
    reference_figures,
    set_prevalence_target,
)

CITY = Area("36.72", "Cilegon", AreaKind.KOTA)
KECAMATAN = Area("36.72.01", "Cibeber", AreaKind.KECAMATAN, parent_code="36.72")
ONE = Area("36.72.01.1001", "Cibeber", AreaKind.KELURAHAN, parent_code="36.72.01")
TWO = Area("36.72.01.1002", "Kedaleman", AreaKind.KELURAHAN, parent_code="36.72.01")
PLACES = Places(
    CITY,
    {KECAMATAN.code: KECAMATAN},
    {ONE.code: ONE, TWO.code: TWO},
    {1: PosyanduPlace(1, "P1", "Mawar", ONE.code), 2: PosyanduPlace(2, "P2", "Melati", TWO.code)},
)
COUNTS: Counts = {1: (10, 2), 2: (20, 5), None: (3, 1)}
AUGUST = Round(date(2024, 8, 1), RoundKind.BULAN_TIMBANG)
WHOLE_CITY = Scope(Role.ANALYST, None, None, False, False, False, False, False)
NUTRITIONIST = Scope(Role.NUTRITIONIST, frozenset({ONE.code}), None, True, True, True, True, False)


def test_the_whole_city_counts_children_seen_at_no_posyandu() -> None:
    figure = area_figure(PLACES, COUNTS, CITY, WHOLE_CITY, AUGUST)
    assert (figure.measured, figure.stunted) == (33, 8)


def test_a_nutritionist_sees_only_the_posyandu_of_her_area() -> None:
    for area in (CITY, KECAMATAN, ONE):
        figure = area_figure(PLACES, COUNTS, area, NUTRITIONIST, AUGUST)
        assert (figure.measured, figure.stunted) == (10, 2)
    assert area_figure(PLACES, COUNTS, TWO, NUTRITIONIST, AUGUST).measured == 0
    assert posyandu_codes(PLACES, KECAMATAN, NUTRITIONIST) == {"P1"}
    assert sub_areas(PLACES, KECAMATAN, NUTRITIONIST) == {"P1": ONE}
    assert PLACES.children(KECAMATAN, NUTRITIONIST) == [ONE]


def test_an_area_is_the_same_with_or_without_where_it_lies() -> None:
    assert Area(ONE.code, ONE.name, AreaKind.KELURAHAN) == ONE


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    upgrade_database(empty_engine)
    return empty_engine


def test_a_target_is_committed_by_its_use_case(engine: Engine) -> None:
    with engine.connect() as connection:
        assert set_prevalence_target(
            connection,
            region_code="36.72",
            year=2024,
            indicator=PrevalenceIndicator.STUNTING,
            percent=9.0,
            scale=TargetScale.SURVEY,
        )
        assert not connection.in_transaction()
    with engine.connect() as other:
        found = reference_figures(other, year=2024).targets
    assert [(t.region_code, t.percent) for t in found] == [("36.72", 9.0)]


def test_a_refused_target_leaves_nothing(engine: Engine) -> None:
    with engine.connect() as connection:
        with pytest.raises(InputError, match="is not a percentage"):
            set_prevalence_target(
                connection,
                region_code="36.72",
                year=2024,
                indicator=PrevalenceIndicator.STUNTING,
                percent=150.0,
                scale=TargetScale.SURVEY,
            )
        assert not connection.in_transaction()
    with engine.connect() as other:
        assert reference_figures(other).targets == []
