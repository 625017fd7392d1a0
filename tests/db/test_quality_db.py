"""Data quality from the database: constructed children worked out by hand, and the
planted errors of the demo city found at about their planted rates."""

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Connection, Engine, insert, text

from tests.db.helpers import add_child, add_measurement, add_posyandu
from tumbuh.db.engine import create_engine
from tumbuh.db.measurements import recompute_derived
from tumbuh.db.models import table_of
from tumbuh.db.models_access import SurveyFigure, TargetPopulation
from tumbuh.db.prevalence import AreaLevel, stunting_prevalence
from tumbuh.db.quality_data import read_round
from tumbuh.growth.enums import Indicator, Position, Sex
from tumbuh.growth.periods import month_period
from tumbuh.growth.quality import Reason, ScoreStatus
from tumbuh.usecases.quality import QualityReport, assess

AUGUST = month_period(2024, 8)
CIBEBER_KELURAHAN = (
    "36.72.01.1001",
    "36.72.01.1002",
    "36.72.01.1003",
    "36.72.01.1004",
    "36.72.01.1005",
    "36.72.01.1006",
)


def _city(connection: Connection) -> None:
    """Six children measured in August 2024, each with one planted problem or none.

    Posyandu A is in kelurahan Cibeber (kecamatan Cibeber), B in Bagendung (kecamatan
    Cilegon). Values and the z-scores they give (WHO 2006, anthro):

    1 girl, 12 mo, A: 8.9 kg 74.0 cm lying in July and the very same in August: copied.
    2 boy, 30 mo, A: 13.0 kg 92.0 cm *lying* (from 24 months: a position mismatch).
    3 girl, 18 mo, A: weight 10945 "kg" (grams: a unit slip; WAZ 5734 is WHO-flagged).
    4 boy, 12 mo, A: 9.6 kg 65.0 cm lying: HAZ -4.63, stunted.
    5 girl, 24 mo, B: 11.5 kg 86.0 cm standing: nothing wrong.
    6 boy, 17 mo, A: 10.2 kg 80.0 cm *standing* (under 24 months: a mismatch).
    """
    a = add_posyandu(connection, "36.72.01.1001.91", "36.72.01.1001", "Uji A")
    b = add_posyandu(connection, "36.72.02.1001.91", "36.72.02.1001", "Uji B")
    lying, standing = Position.LENGTH, Position.HEIGHT
    plan = [
        (
            Sex.FEMALE,
            date(2023, 8, 1),
            a,
            [(date(2024, 7, 10), 8.9, 74.0, lying), (date(2024, 8, 10), 8.9, 74.0, lying)],
        ),
        (Sex.MALE, date(2022, 2, 1), a, [(date(2024, 8, 12), 13.0, 92.0, lying)]),
        (Sex.FEMALE, date(2023, 2, 1), a, [(date(2024, 8, 12), 10945.0, 80.0, lying)]),
        (Sex.MALE, date(2023, 8, 5), a, [(date(2024, 8, 12), 9.6, 65.0, lying)]),
        (Sex.FEMALE, date(2022, 8, 1), b, [(date(2024, 8, 13), 11.5, 86.0, standing)]),
        (Sex.MALE, date(2023, 2, 10), a, [(date(2024, 8, 14), 10.2, 80.0, standing)]),
    ]
    for sex, born, posyandu, visits in plan:
        child = add_child(connection, birth_date=born, sex=sex, posyandu_id=posyandu)
        for day, weight, height, position in visits:
            add_measurement(
                connection,
                child_id=child,
                measured_on=day,
                weight_kg=weight,
                height_cm=height,
                position=position,
                posyandu_id=posyandu,
            )
    recompute_derived(connection)
    targets = [
        {"kelurahan_code": code, "year": 2024, "balita": 10, "source": "uji"}
        for code in CIBEBER_KELURAHAN
    ]
    connection.execute(insert(table_of(TargetPopulation)), targets)
    connection.execute(
        insert(table_of(SurveyFigure)),
        [
            {
                "region_code": "36.72",
                "year": 2024,
                "survey": "SSGI",
                "indicator": "stunting",
                "percent": 21.5,
                "source": "uji",
            },
            {
                "region_code": "36.72",
                "year": 2023,
                "survey": "SKI",
                "indicator": "stunting",
                "percent": 22.0,
                "source": "uji",
            },
            {
                "region_code": "36.72.01",
                "year": 2024,
                "survey": "SSGI",
                "indicator": "stunting",
                "percent": 25.0,
                "source": "uji",
            },
        ],
    )


def _report(connection: Connection, by: AreaLevel | None) -> QualityReport:
    _city(connection)
    return assess(read_round(connection, AUGUST, city_code="36.72"), by)


def test_counts_of_the_city_match_the_planted_problems(connection: Connection) -> None:
    city = _report(connection, None).city
    assert (city.n_measurements, city.n_children) == (6, 6)
    assert (city.n_position_checked, city.n_position_mismatch) == (6, 2)  # children 2 and 6
    assert city.n_unit_slips == 1  # child 3's grams
    assert city.n_who_flagged == {Indicator.HAZ: 0, Indicator.WAZ: 1, Indicator.WHZ: 1}
    assert (city.n_with_previous, city.n_height_repeated, city.n_both_repeated) == (1, 1, 1)
    # heights 74.0 92.0 80.0 65.0 86.0 80.0 all end in .0; weights 8.9 13.0 9.6 11.5 10.2
    # (the grams are left out of the digit count)
    assert city.height_digits == (6, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert city.weight_digits == (1, 0, 1, 0, 0, 1, 1, 0, 0, 1)
    # 6 heights and 6 weights judged against the child's curve; the grams are implausible
    # (|WAZ| > 25); child 1's copied height is "carried forward", not implausible.
    assert (city.n_cleaned, city.n_implausible) == (12, 1)


def test_position_and_copied_shares_are_reported_against_their_limits(
    connection: Connection,
) -> None:
    city = _report(connection, None).city
    mismatch = city.criterion(Reason.POSITION_MISMATCH)
    assert mismatch.value == pytest.approx(100 * 2 / 6)
    assert (mismatch.limit, mismatch.triggered) == (5.0, True)
    copied = city.criterion(Reason.HEIGHT_CARRIED_FORWARD)
    assert copied.value == pytest.approx(100.0)  # 1 of the 1 measurement with a previous one
    flagged = city.criterion(Reason.WHO_FLAGGED_WAZ)
    assert flagged.value == pytest.approx(100 / 6)
    assert flagged.triggered


def test_six_children_are_too_few_for_a_smart_score(connection: Connection) -> None:
    city = _report(connection, None).city
    assert city.status is ScoreStatus.TOO_FEW
    assert city.total_points is None
    assert city.band is None
    assert city.n_smart == 5  # child 3's WHZ comes from the slipped weight: left out
    assert Reason.TOO_FEW_CHILDREN in {item.reason for item in city.reasons}


def test_register_prevalence_and_survey_gap_of_the_same_year(connection: Connection) -> None:
    report = _report(connection, AreaLevel.KECAMATAN)
    city = report.city
    assert (city.n_valid_haz, city.n_stunted) == (6, 1)  # only child 4 is stunted
    assert city.register_percent == pytest.approx(100 / 6)
    assert [(s.survey, s.year, s.percent) for s in city.surveys] == [("SSGI", 2024, 21.5)]
    assert city.surveys[0].gap_points == pytest.approx(21.5 - 100 / 6)  # 4.83 points
    assert city.surveys[0].ratio == pytest.approx(21.5 / (100 / 6))
    cibeber = next(unit for unit in report.units if unit.code == "36.72.01")
    assert (cibeber.n_valid_haz, cibeber.n_stunted) == (5, 1)
    assert cibeber.surveys[0].gap_points == pytest.approx(25.0 - 20.0)
    cilegon = next(unit for unit in report.units if unit.code == "36.72.02")
    assert (cilegon.n_valid_haz, cilegon.n_stunted, cilegon.surveys) == (1, 0, ())


def test_coverage_uses_the_target_of_every_kelurahan_of_the_area(connection: Connection) -> None:
    report = _report(connection, AreaLevel.KECAMATAN)
    cibeber = next(unit for unit in report.units if unit.code == "36.72.01")
    assert cibeber.target == 60  # six kelurahan, 10 balita each
    assert cibeber.coverage_percent == pytest.approx(100 * 5 / 60)
    assert cibeber.criterion(Reason.COVERAGE_LOW).triggered
    # The city's other kecamatan have no target: its S is unknown, not understated.
    assert (report.city.target, report.city.coverage_percent) == (None, None)


def test_kelurahan_targets_are_their_own(connection: Connection) -> None:
    report = _report(connection, AreaLevel.KELURAHAN)
    kelurahan = {unit.code: unit for unit in report.units}
    assert len(kelurahan) == 43
    assert kelurahan["36.72.01.1001"].coverage_percent == pytest.approx(50.0)  # 5 of 10
    assert kelurahan["36.72.01.1002"].coverage_percent == pytest.approx(0.0)
    assert kelurahan["36.72.02.1001"].target is None


def test_posyandu_are_ranked_with_reasons(connection: Connection) -> None:
    report = _report(connection, AreaLevel.POSYANDU)
    units = {unit.code: unit for unit in report.units}
    a, b = units["36.72.01.1001.91"], units["36.72.02.1001.91"]
    assert (a.n_children, b.n_children) == (5, 1)
    reasons_a = {item.reason for item in a.reasons}
    assert {Reason.POSITION_MISMATCH, Reason.WHO_FLAGGED_WAZ, Reason.HEIGHT_CARRIED_FORWARD} <= (
        reasons_a
    )
    assert {item.reason for item in b.reasons} == {Reason.TOO_FEW_CHILDREN}
    assert a.rank > b.rank  # both too few for a score; A has more warnings
    # B's only reason, too few children, is no problem of its data: not among the worst.
    assert [unit.code for unit in report.worst(5)] == [a.code]


# The demo city (one per test session, shared with the other slow tests).


@pytest.fixture(scope="module")
def demo_engine(demo_city_url: str) -> Iterator[Engine]:
    engine = create_engine(demo_city_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def demo_report(demo_engine: Engine) -> QualityReport:
    with demo_engine.connect() as connection:
        return assess(read_round(connection, AUGUST, city_code="36.72"), AreaLevel.KECAMATAN)


def _planted(engine: Engine, kind: str, field: str | None = None) -> int:
    query = (
        "SELECT count(*) FROM demo_planted_error e JOIN measurement m ON m.id = e.measurement_id"
        " WHERE m.measured_on >= '2024-08-01' AND m.measured_on < '2024-09-01' AND e.kind = :kind"
    )
    if field is not None:
        query += " AND e.field = :field"
    with engine.connect() as connection:
        return int(connection.execute(text(query), {"kind": kind, "field": field}).scalar_one())


@pytest.mark.slow
@pytest.mark.parametrize(("field", "digits"), [("height_cm", "height"), ("weight_kg", "weight")])
def test_digit_preference_shows_the_planted_rounding(
    demo_engine: Engine, demo_report: QualityReport, field: str, digits: str
) -> None:
    # Rounding to .0 or .5 is planted only where it changed the value, so the share ending
    # in .0/.5 is the 20 % of an even spread plus the planted share (docs/demo-city.md).
    counts = getattr(demo_report.city, f"{digits}_digits")
    total = sum(counts)
    share = (counts[0] + counts[5]) / total
    planted = _planted(demo_engine, "digit_preference", field) / total
    assert planted > 0.05
    assert share == pytest.approx(0.2 + planted, abs=0.01)  # binomial SD about 0.002


@pytest.mark.slow
def test_every_wrong_position_is_found_and_no_other(
    demo_engine: Engine, demo_report: QualityReport
) -> None:
    # The generator measures every child in the position of the age rule except the
    # planted ones (10 % of children 18-30 months old), so the mismatches are exactly them.
    planted = _planted(demo_engine, "wrong_position")
    assert planted > 300
    assert demo_report.city.n_position_mismatch == planted
    with demo_engine.connect() as connection:
        eligible = connection.execute(
            text(
                "SELECT count(*) FROM measurement m JOIN measurement_derived d"
                " ON d.measurement_id = m.id WHERE m.measured_on >= '2024-08-01'"
                " AND m.measured_on < '2024-09-01' AND d.age_days BETWEEN 548 AND 913"
                " AND m.height_cm IS NOT NULL"
            )
        ).scalar_one()
    assert planted / eligible == pytest.approx(0.10, abs=0.015)


@pytest.mark.slow
def test_weights_in_grams_are_unit_slips_flags_and_implausible(
    demo_engine: Engine, demo_report: QualityReport
) -> None:
    planted = _planted(demo_engine, "weight_in_grams")
    city = demo_report.city
    assert planted > 30
    assert city.n_unit_slips == planted
    assert city.n_who_flagged[Indicator.WAZ] == planted
    assert city.n_implausible >= planted  # each is far off the child's own curve
    assert city.criterion(Reason.WHO_FLAGGED_WAZ).value == pytest.approx(
        100 * planted / city.n_measurements
    )


@pytest.mark.slow
def test_copied_records_are_found(demo_engine: Engine, demo_report: QualityReport) -> None:
    # Every planted copy repeats the previous weight and height, so it is found; a few
    # children really keep both (a flat month, or both rounded to .0/.5), at most 0.3 %.
    planted = _planted(demo_engine, "copied_values")
    city = demo_report.city
    assert planted > 50
    assert city.n_both_repeated >= planted
    assert city.n_both_repeated - planted <= 0.003 * city.n_with_previous
    assert city.n_height_repeated >= city.n_both_repeated


@pytest.mark.slow
def test_register_figures_agree_with_report_prevalence(
    demo_engine: Engine, demo_report: QualityReport
) -> None:
    with demo_engine.connect() as connection:
        rows = stunting_prevalence(connection, AUGUST, city_code="36.72", by=AreaLevel.KECAMATAN)
    assert (demo_report.city.n_stunted, demo_report.city.n_valid_haz) == (818, 31_221)
    expected = {row.code: (row.stunted, row.measured) for row in rows[1:]}
    found = {unit.code: (unit.n_stunted, unit.n_valid_haz) for unit in demo_report.units}
    assert found == expected


@pytest.mark.slow
def test_the_city_gets_a_full_smart_score(demo_report: QualityReport) -> None:
    city = demo_report.city
    assert city.status is ScoreStatus.SCORED
    assert city.n_criteria == 10
    assert city.total_points == sum(c.points or 0 for c in city.criteria)
    # The demo has 51.5 % boys (docs/demo-city.md): against SMART's expected 50 % the
    # sex-ratio test on 28,000 children is "problematic", the register's attendance signal.
    assert city.criterion(Reason.SEX_RATIO).points == 10
    assert city.sex_ratio == pytest.approx(0.515 / 0.485, abs=0.03)
