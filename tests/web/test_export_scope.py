"""The use cases of exports and import runs apply the user's scope themselves: a forged
area outside it is refused even though the web offers only areas inside it, and a role
that does not export or import gets nothing."""

import pytest
from sqlalchemy import select

from tests.web.conftest import City
from tumbuh.db.models import Posyandu, table_of
from tumbuh.growth.periods import month_period
from tumbuh.usecases import import_runs
from tumbuh.usecases.access import Role, Scope
from tumbuh.usecases.exports import NotAllowed, OutsideScope, export_month

AUGUST = month_period(2024, 8)
CITY = "36.72"


def _posyandu(city: City) -> dict[int, tuple[str, str]]:
    """Posyandu id -> (code, kelurahan code)."""
    p = table_of(Posyandu)
    with city.engine.connect() as connection:
        rows = connection.execute(select(p.c.id, p.c.code, p.c.kelurahan_code))
        return {int(r.id): (r.code, r.kelurahan_code) for r in rows}


def test_a_kader_exports_only_her_posyandu(city: City) -> None:
    posyandu = _posyandu(city)
    own_code, own_kelurahan = posyandu[city.kader_posyandu]
    other = next(code for i, (code, kel) in posyandu.items() if kel != own_kelurahan)
    scope = Scope(
        Role.KADER,
        frozenset({own_kelurahan}),
        frozenset({city.kader_posyandu}),
        True,
        True,
        True,
        False,
        False,
    )
    with city.engine.connect() as connection:
        found = export_month(connection, scope, AUGUST, own_code, CITY, unmask=True)
        assert found.area.code == own_code
        assert found.unmask
        for code in (other, own_kelurahan, city.nutritionist_kecamatan, CITY):
            with pytest.raises(OutsideScope):
                export_month(connection, scope, AUGUST, code, CITY)


def test_a_nutritionist_exports_her_kelurahan_and_no_kecamatan(city: City) -> None:
    posyandu = _posyandu(city)
    inside = sorted({k for _, k in posyandu.values() if k.startswith(city.nutritionist_kecamatan)})
    outside = next(k for _, k in posyandu.values() if k.startswith(city.other_kecamatan))
    scope = Scope(Role.NUTRITIONIST, frozenset(inside), None, True, True, True, True, False)
    with city.engine.connect() as connection:
        assert export_month(connection, scope, AUGUST, inside[0], CITY).area.code == inside[0]
        for code in (outside, city.nutritionist_kecamatan, CITY):
            with pytest.raises(OutsideScope):
                export_month(connection, scope, AUGUST, code, CITY)


def test_figure_only_roles_neither_export_nor_review_imports(city: City) -> None:
    scope = Scope(Role.ANALYST, None, None, False, False, False, False, False)
    with city.engine.connect() as connection:
        with pytest.raises(NotAllowed):
            export_month(connection, scope, AUGUST, CITY, CITY)
        with pytest.raises(import_runs.NotAllowed):
            import_runs.list_runs(connection, scope)
        with pytest.raises(import_runs.NotAllowed):
            import_runs.show_run(connection, 1, scope)
