"""The intervention indicators of 2024 on both databases (docs/indicators.md): each
computed indicator's numerator, denominator and unknown per kelurahan on a register
worked out by hand (tests/usecases/indicator_registry.py), the KRS counts, the user's
scope, and the figures entered by hand with their source."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, select

from tests.usecases.indicator_registry import AS_OF, CITY, NOW, A, B, build
from tumbuh.db.audit import Actor
from tumbuh.db.models import table_of
from tumbuh.db.models_access import AuditEntry
from tumbuh.db.setup import upgrade_database
from tumbuh.errors import InputError
from tumbuh.usecases import indicator_values as values
from tumbuh.usecases import indicators as use
from tumbuh.usecases.access import NotAllowed, Role, Scope, kitchen_scope
from tumbuh.usecases.indicator_values import ValueInput
from tumbuh.usecases.indicators import IndicatorCode, Indicators
from tumbuh.usecases.places import load_places

ADMIN = Scope(Role.ADMIN, None, None, True, True, True, True, True)
PARTNER = Scope(Role.PARTNER, None, None, False, False, False, False, False)
NUTRITIONIST = Scope(Role.NUTRITIONIST, frozenset({A}), None, True, True, True, True, False)
KADER = Scope(Role.KADER, frozenset({A}), frozenset({1}), True, True, True, False, False)
C = IndicatorCode
TOOL = Actor("cli:test")


@pytest.fixture
def connection(empty_engine: Engine) -> Iterator[Connection]:
    upgrade_database(empty_engine)
    with empty_engine.connect() as conn:
        build(conn)
        yield conn


def _figures(connection: Connection, scope: Scope = ADMIN) -> Indicators:
    places = load_places(connection, CITY)
    found = use.indicators(connection, places, scope, 2024, as_of=AS_OF)
    connection.rollback()
    return found


def _counts(found: Indicators) -> dict[tuple[C, str | None], tuple[int, int, int]]:
    return {
        (i.indicator.code, k.code): (k.rate.numerator, k.rate.denominator, k.rate.unknown)
        for i in found.computed
        for k in i.kelurahan
    }


EXPECTED = {
    (C.KEK_BUMIL_PMT, A): (1, 2, 0),
    (C.BUMIL_TTD_90, A): (1, 3, 1),
    (C.BUMIL_TTD_90, B): (1, 1, 0),
    (C.ASI_EKSKLUSIF, A): (1, 2, 0),
    (C.ASI_EKSKLUSIF, B): (0, 1, 1),
    (C.MP_ASI, A): (1, 2, 0),
    (C.MP_ASI, B): (0, 1, 1),
    (C.GIZI_BURUK_TREATED, A): (1, 1, 0),
    (C.GIZI_BURUK_TREATED, B): (0, 1, 0),
    (C.GROWTH_MONITORED, A): (1, 33, 0),
    (C.GROWTH_MONITORED, B): (0, 15, 0),
    (C.GIZI_KURANG_PMT, A): (1, 2, 0),
    (C.IMUNISASI_DASAR_LENGKAP, A): (1, 1, 0),
    (C.IMUNISASI_DASAR_LENGKAP, B): (0, 1, 0),
}


def test_each_computed_indicator_counts_its_numerator_and_denominator_per_kelurahan(
    connection: Connection,
) -> None:
    assert _counts(_figures(connection)) == EXPECTED


def test_the_area_figure_sums_the_kelurahan_and_is_judged_against_the_target(
    connection: Connection,
) -> None:
    found = {i.indicator.code: i for i in _figures(connection).computed}
    ttd = found[C.BUMIL_TTD_90]
    assert (ttd.area.numerator, ttd.area.denominator, ttd.area.unknown) == (2, 4, 1)
    assert ttd.target == 80  # Perpres 72/2021 Annex A, 2024
    assert ttd.area.rate == pytest.approx(50.0)
    assert ttd.area.meets_target is False
    treated = found[C.IMUNISASI_DASAR_LENGKAP].kelurahan[0]
    assert (treated.code, treated.rate.meets_target) == (A, True)
    assert list(found) == [c for c in C if c in found]  # the catalogue's order


def test_krs_counts_families_at_risk_among_those_assessed(connection: Connection) -> None:
    rows = {r.code: (r.families, r.at_risk, r.unknown) for r in _figures(connection).krs}
    assert rows == {"": (5, 2, 1), A: (3, 1, 1), B: (1, 1, 0), None: (1, 0, 0)}
    whole = _figures(connection).krs[0]
    assert whole.rate == pytest.approx(50.0)  # 2 at risk of the 4 assessed


def test_a_nutritionist_sees_her_kelurahan_only(connection: Connection) -> None:
    found = _figures(connection, NUTRITIONIST)
    assert _counts(found) == {key: value for key, value in EXPECTED.items() if key[1] == A}
    assert [r.code for r in found.krs] == ["", A]
    assert found.area_code == A


@pytest.mark.parametrize("scope", [KADER, kitchen_scope(1)])
def test_roles_without_area_figures_are_not_allowed(connection: Connection, scope: Scope) -> None:
    with pytest.raises(NotAllowed):
        _figures(connection, scope)


def _enter(connection: Connection, scope: Scope, given: ValueInput) -> bool:
    places = load_places(connection, CITY)
    connection.rollback()
    return values.enter_value(connection, places, scope, given, user=TOOL, now=NOW)


def test_hand_entered_figures_keep_their_source_and_follow_the_scope(
    connection: Connection,
) -> None:
    city = ValueInput("rematri_ttd", CITY, 2024, "Laporan tahunan puskesmas 2024", percent=57.0)
    assert _enter(connection, ADMIN, city) is True
    again = ValueInput("rematri_ttd", CITY, 2024, "Laporan revisi", percent=58.5)
    assert _enter(connection, ADMIN, again) is False
    pkh = ValueInput("pkh", B, 2024, "Dinas Sosial", numerator=30, denominator=40)
    assert _enter(connection, ADMIN, pkh) is True
    entered = {e.indicator.code: e for e in _figures(connection).entered}
    (rematri,) = entered[C.REMATRI_TTD].values
    assert (rematri.percent, rematri.source, entered[C.REMATRI_TTD].target) == (
        58.5, "Laporan revisi", 58,
    )  # fmt: skip
    (value,) = entered[C.PKH].values
    assert (value.numerator, value.denominator, value.percent) == (30, 40, 75.0)
    mine = {e.indicator.code: e.values for e in _figures(connection, NUTRITIONIST).entered}
    assert [v.region_code for v in mine[C.REMATRI_TTD]] == [CITY]
    assert mine[C.PKH] == ()
    a = table_of(AuditEntry)
    audited = connection.execute(
        select(a.c.action, a.c.entity_id, a.c.before, a.c.after)
        .where(a.c.entity == "indicator_value")
        .order_by(a.c.id)
    ).all()
    assert [(r.action, r.entity_id) for r in audited] == [
        ("create", 2024), ("update", 2024), ("create", 2024),
    ]  # fmt: skip
    assert "Laporan tahunan puskesmas 2024" in str(audited[1].before)
    assert "Laporan revisi" in str(audited[1].after)


@pytest.mark.parametrize(
    ("given", "field"),
    [
        (ValueInput("asi_eksklusif", CITY, 2024, "x", percent=50), "indicator"),
        (ValueInput("pkh", CITY, 2024, "  ", percent=50), "source"),
        (ValueInput("pkh", CITY, 2024, "BKKBN", percent=150), "percent"),
        (ValueInput("pkh", CITY, 2024, "BKKBN", numerator=5, denominator=4), "numerator"),
        (ValueInput("pkh", "36.73", 2024, "BKKBN", percent=5), "area"),
    ],
)
def test_a_bad_hand_entered_figure_names_the_field(
    connection: Connection, given: ValueInput, field: str
) -> None:
    with pytest.raises(InputError) as caught:
        _enter(connection, ADMIN, given)
    assert str(caught.value).startswith(field)


def test_only_administrators_and_analysts_enter_figures(connection: Connection) -> None:
    given = ValueInput("pkh", CITY, 2024, "BKKBN", percent=5)
    with pytest.raises(NotAllowed):
        _enter(connection, PARTNER, given)
