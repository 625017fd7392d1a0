"""The dashboard's indicators panel (docs/indicators.md, "On the dashboard") on the
register of tests/usecases/indicator_registry.py, both databases: the year is that of the
latest measurement (2024, though today is later), the figures are those of /indicators
for the same scope, the area is the dashboard's, and the roles without indicators get
no panel."""

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Connection, Engine

from tests.usecases.indicator_registry import AS_OF, CITY, A, build
from tests.usecases.test_indicators import ADMIN, KADER, NUTRITIONIST
from tumbuh.db.setup import upgrade_database
from tumbuh.usecases import indicators as use
from tumbuh.usecases.access import Scope
from tumbuh.usecases.indicator_panel import indicator_panel
from tumbuh.usecases.places import load_places

LATER = date(2026, 12, 8)  # two years after the register's last records


@pytest.fixture
def connection(empty_engine: Engine) -> Iterator[Connection]:
    upgrade_database(empty_engine)
    with empty_engine.connect() as conn:
        build(conn)
        yield conn


@pytest.mark.parametrize("scope", [ADMIN, NUTRITIONIST])
def test_the_panel_is_the_latest_year_of_the_users_area(
    connection: Connection, scope: Scope
) -> None:
    places = load_places(connection, CITY)
    panel = indicator_panel(connection, places, scope, today=LATER)
    assert panel is not None
    assert panel.year == 2024
    assert panel.area_name == places.home(scope).name
    whole = use.indicators(connection, places, scope, 2024, as_of=AS_OF)
    assert [(i.indicator.code, i.area) for i in panel.computed] == [
        (i.indicator.code, i.area) for i in whole.computed
    ]
    assert panel.krs == whole.krs[0]
    assert panel.with_target == sum(1 for i in whole.computed if i.area.meets_target is not None)
    assert panel.met == sum(1 for i in whole.computed if i.area.meets_target)
    if scope is NUTRITIONIST:
        assert panel.area_name == places.kelurahan[A].name


def test_a_kader_has_no_panel(connection: Connection) -> None:
    places = load_places(connection, CITY)
    assert indicator_panel(connection, places, KADER, today=LATER) is None
