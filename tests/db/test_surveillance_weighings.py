"""N/T per child and month, 2T, SKDN, referrals and coverage on weighed children.

The weights are stored as measured and ``recompute_derived`` judges N/T/O/B with the
built-in KBM table, so the codes below come from Buku KIA's rule worked out by hand: a
rise of a scale step (0.1 kg) or more inside the child's channel of the KMS is N, a flat
or falling weight is T; at 17-18 completed months KBM is 200 g.
"""

from datetime import date

import pytest
from sqlalchemy import Connection

from tests.db.test_surveillance_builders import BAGENDUNG, CIBEBER, child, posyandu, weigh
from tumbuh.db.measurements import recompute_derived
from tumbuh.db.prevalence import AreaLevel
from tumbuh.db.surveillance.areas import city_area, find_area
from tumbuh.db.surveillance.coverage import coverage
from tumbuh.db.surveillance.referrals import referral_counts, referral_list, referral_tallies
from tumbuh.db.surveillance.skdn import skdn
from tumbuh.db.surveillance.weighings import weighings
from tumbuh.db.targets import set_population_target
from tumbuh.growth.periods import month_period
from tumbuh.growth.referrals import ListKind, ReferralReason, ReferralRules
from tumbuh.growth.weight_gain import WeightTrend

AUGUST = month_period(2024, 8)
BORN = date(2023, 1, 15)  # 18 completed months on 10 Aug 2024 (KBM 200 g)
JUN, JUL, AUG = date(2024, 6, 10), date(2024, 7, 10), date(2024, 8, 10)


def _posyandu_month(connection: Connection) -> dict[str, int]:
    """Posyandu A (kelurahan Cibeber) and B (Bagendung); weights in kg by hand:

    w1 (home A, card, NIK): 10.0 Jun (B), 10.3 Jul (+300: N), 10.3 Aug (flat: T), 74.0 cm
       in Aug: length-for-age below -2 SD (WHO girls 18 months: -2 SD is about 75 cm).
    w2 (A, card): 10.0 Jun, 10.0 Jul (flat: T), 9.9 Aug (falling: T again: 2T).
    w3 (A, card): 9.0 Jun, 9.5 Aug: no July weighing: O.
    w4 (A, card): born 20 Jul 2024, 3.8 Aug: first weighing: B.
    w5 (A, card): 10.0 Jul, 10.2 Aug (+200 = KBM: N).
    w7 (A, no card): not weighed in August.
    w8 (A, card unknown): born 2 Aug 2019: 59 months on 1 Aug, a balita in August; not weighed.
    old (A): born 31 Jul 2019: 60 months on 1 Aug: not a balita in August.
    w9 (A): born 1 Sep 2024: not born yet in August.
    w10 (A, card): 7.1 Jul, 7.0 Aug (falling: T); 7.0 kg is below -3 SD (about 7.2 kg): BGM.
    w11 (home B): weighed at A: 10.0 Jul, 10.5 Aug (N).
    """
    a = posyandu(connection, CIBEBER)
    b = posyandu(connection, BAGENDUNG)
    ids: dict[str, int] = {}
    plan: list[tuple[str, date, int, bool | None, list[tuple[date, float, float | None]]]] = [
        ("w1", BORN, a, True, [(JUN, 10.0, None), (JUL, 10.3, None), (AUG, 10.3, 74.0)]),
        ("w2", BORN, a, True, [(JUN, 10.0, None), (JUL, 10.0, None), (AUG, 9.9, None)]),
        ("w3", BORN, a, True, [(JUN, 9.0, None), (AUG, 9.5, None)]),
        ("w4", date(2024, 7, 20), a, True, [(AUG, 3.8, None)]),
        ("w5", BORN, a, True, [(JUL, 10.0, None), (AUG, 10.2, None)]),
        ("w7", BORN, a, False, []),
        ("w8", date(2019, 8, 2), a, None, []),
        ("old", date(2019, 7, 31), a, True, []),
        ("w9", date(2024, 9, 1), a, True, []),
        ("w10", BORN, a, True, [(JUL, 7.1, None), (AUG, 7.0, None)]),
        ("w11", BORN, b, True, [(JUL, 10.0, None), (AUG, 10.5, None)]),
    ]
    for name, born, home, card, weights in plan:
        nik = "3672015501230001" if name == "w1" else None
        ids[name] = child(connection, born, home=home, has_buku_kia=card, nik=nik)
        for day, kg, cm in weights:
            weigh(connection, ids[name], day, a, kg, cm)
    recompute_derived(connection)
    return ids


def test_each_child_counts_once_by_its_last_weighing_with_its_code(connection: Connection) -> None:
    ids = _posyandu_month(connection)
    found = {
        w.child_id: w for w in weighings(connection, AUGUST, area=city_area(connection, "36.72"))
    }
    names = {child_id: name for name, child_id in ids.items()}
    codes = {names[c]: (w.trend, w.is_2t) for c, w in found.items()}
    assert codes == {
        "w1": (WeightTrend.T, False),
        "w2": (WeightTrend.T, True),
        "w3": (WeightTrend.O, False),
        "w4": (WeightTrend.B, False),
        "w5": (WeightTrend.N, False),
        "w10": (WeightTrend.T, False),
        "w11": (WeightTrend.N, False),
    }
    w1 = found[ids["w1"]]
    assert (w1.gain_g, w1.kbm_g, w1.previous_trend) == (0, 200, WeightTrend.N)


def test_skdn_of_the_posyandu_by_hand(connection: Connection) -> None:
    _posyandu_month(connection)
    area = find_area(connection, f"{CIBEBER}.91", city_code="36.72")
    (row,) = skdn(connection, AUGUST, city_code="36.72", area=area)
    # S: w1-w5, w7, w8, w10; K: w1-w5, w10; D: w1-w5, w10, w11 (weighed here).
    assert (row.s, row.k, row.d, row.n, row.d_prime) == (8, 6, 7, 2, 5)
    assert (row.t, row.two_t, row.o, row.b, row.bgm) == (3, 1, 1, 1, 1)
    assert row.k_s == pytest.approx(0.75)
    assert row.d_s == pytest.approx(0.875)
    assert row.n_d == pytest.approx(2 / 7)
    assert row.n_d_prime == pytest.approx(0.4)
    assert row.target_s is None


def test_skdn_of_the_city_lists_kelurahan_with_their_targets(connection: Connection) -> None:
    _posyandu_month(connection)
    set_population_target(connection, kelurahan_code=CIBEBER, year=2024, balita=10)
    rows = skdn(connection, AUGUST, city_code="36.72", area=city_area(connection, "36.72"))
    assert (rows[0].code, rows[0].s, rows[0].d, rows[0].target_s) == ("36.72", 9, 7, None)
    kelurahan = {r.code: r for r in rows if r.level == "kelurahan"}
    assert len(kelurahan) == 43
    assert (kelurahan[CIBEBER].s, kelurahan[CIBEBER].target_s) == (8, 10)
    assert kelurahan[CIBEBER].d_target == pytest.approx(0.7)
    assert (kelurahan[BAGENDUNG].s, kelurahan[BAGENDUNG].d) == (1, 0)  # w11 weighed at A
    posyandu_rows = [r.code for r in rows if r.level == "posyandu"]
    assert posyandu_rows == [f"{CIBEBER}.91", f"{BAGENDUNG}.91"]
    assert [rows[1].code, rows[2].code] == [CIBEBER, f"{CIBEBER}.91"]  # kelurahan, posyandu


def test_the_referral_list_gives_each_child_its_reasons(connection: Connection) -> None:
    ids = _posyandu_month(connection)
    found = referral_list(connection, AUGUST, area=city_area(connection, "36.72"))
    names = {child_id: name for name, child_id in ids.items()}
    assert {names[r.child_id]: r.reasons for r in found} == {
        "w1": (ReferralReason.STUNTED,),
        "w2": (ReferralReason.TWO_T,),
        "w10": (ReferralReason.BGM,),
    }
    # a single T is counselled at the posyandu, on its own list
    counsel = referral_list(
        connection, AUGUST, area=city_area(connection, "36.72"), kind=ListKind.COUNSEL
    )
    assert {names[r.child_id]: r.reasons for r in counsel} == {
        "w1": (ReferralReason.T,),
        "w10": (ReferralReason.T,),
    }
    first = found[0]
    assert (first.nik, first.age_months, first.height_cm) == ("3672015501230001", 18, 74.0)
    assert first.haz is not None
    assert first.haz < -2
    assert first.weight_trend is WeightTrend.T


def test_the_bgm_line_is_a_rule(connection: Connection) -> None:
    ids = _posyandu_month(connection)
    rules = ReferralRules(bgm_waz_below=-4.0)
    found = referral_list(connection, AUGUST, area=city_area(connection, "36.72"), rules=rules)
    reasons = {r.child_id: r.reasons for r in found}
    # above a red line at -4 SD, w10's weight-for-age is BB kurang
    assert reasons[ids["w10"]] == (ReferralReason.UNDERWEIGHT,)


def test_the_referral_list_of_another_posyandu_is_empty(connection: Connection) -> None:
    _posyandu_month(connection)
    area = find_area(connection, f"{BAGENDUNG}.91", city_code="36.72")
    assert referral_list(connection, AUGUST, area=area) == []


def test_referral_counts_give_the_lists_numbers_without_identities(
    connection: Connection,
) -> None:
    _posyandu_month(connection)
    city = city_area(connection, "36.72")
    children, by_reason = referral_counts(connection, AUGUST, area=city)
    # w1 (stunted), w2 (2T), w10 (BGM): three children, each counted under each reason.
    assert children == 3
    assert {r: n for r, n in by_reason.items() if n} == {
        ReferralReason.TWO_T: 1,
        ReferralReason.BGM: 1,
        ReferralReason.STUNTED: 1,
    }
    assert set(by_reason) == set(ReferralReason)
    counselled, why = referral_counts(connection, AUGUST, area=city, kind=ListKind.COUNSEL)
    assert (counselled, why[ReferralReason.T]) == (2, 2)
    (tally,) = referral_tallies(connection, AUGUST, area=city)
    assert (tally.posyandu_code, tally.children) == (f"{CIBEBER}.91", 3)
    other = find_area(connection, f"{BAGENDUNG}.91", city_code="36.72")
    assert referral_counts(connection, AUGUST, area=other)[0] == 0
    assert referral_tallies(connection, AUGUST, area=other) == []


def test_referral_counts_follow_the_rules(connection: Connection) -> None:
    _posyandu_month(connection)
    rules = ReferralRules(bgm_waz_below=-4.0)
    city = city_area(connection, "36.72")
    children, by_reason = referral_counts(connection, AUGUST, area=city, rules=rules)
    assert (children, by_reason[ReferralReason.BGM]) == (3, 0)


def test_coverage_per_kelurahan_by_hand(connection: Connection) -> None:
    _posyandu_month(connection)
    set_population_target(connection, kelurahan_code=CIBEBER, year=2024, balita=10)
    rows = coverage(connection, AUGUST, city_code="36.72", by=AreaLevel.KELURAHAN)
    by_code = {r.code: r for r in rows}
    cibeber = by_code[CIBEBER]
    # Registered: w1-w5, w7, w8, w10; weighed here: 7 (w11 too); measured: w1 (a length).
    assert (cibeber.target_s, cibeber.registered, cibeber.weighed, cibeber.measured) == (
        10,
        8,
        7,
        1,
    )
    assert cibeber.weighed_share == pytest.approx(0.7)
    assert cibeber.below_target is True  # 70 % < 80 %
    assert cibeber.below_trusted is True
    assert (by_code[BAGENDUNG].registered, by_code[BAGENDUNG].weighed) == (1, 0)
    assert by_code[BAGENDUNG].weighed_share is None  # no target entered
    assert (rows[0].registered, rows[0].weighed, rows[0].target_s) == (9, 7, None)
