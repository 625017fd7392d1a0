"""The month's reasons (refer, counsel, re-measure), on measurements worked out by hand.

Cut-offs: gizi buruk WHZ < -3 or MUAC < 11.5 cm or bilateral oedema, gizi kurang WHZ from
-3 to below -2 or MUAC from 11.5 to below 12.5 cm (Kemenkes, Pedoman Pencegahan dan Tata
Laksana Gizi Buruk pada Balita 2020; Permenkes 2/2020); BB kurang WAZ < -2 and BGM below
the red line (Permenkes 2/2020, Buku KIA); 2T (Kemenkes 2019); a single T is counselled.
"""

import numpy as np

from tumbuh.growth.enums import Indicator
from tumbuh.growth.referrals import (
    DEFAULT_RULES,
    ListKind,
    ReferralReason,
    ReferralRules,
    kind_mask,
    reasons_in,
    referral_reasons,
    severity_of,
)
from tumbuh.growth.weight_gain import WeightTrend

N, T, O, B = (t.code for t in WeightTrend)  # noqa: E741 (the programme's letters)
NAN = float("nan")


def _reasons(
    rows: list[tuple[int, int, int, int, int, float, float, float, bool]],
    rules: ReferralRules = DEFAULT_RULES,
    flags: dict[Indicator, list[float]] | None = None,
    muac: list[float] | None = None,
    age_days: list[float] | None = None,
) -> dict[int, tuple[ReferralReason, ...]]:
    """rows: (child, day, trend, previous trend, _, haz, waz, whz, oedema)."""
    child = np.array([r[0] for r in rows])
    z = {
        Indicator.HAZ: np.array([r[5] for r in rows]),
        Indicator.WAZ: np.array([r[6] for r in rows]),
        Indicator.WHZ: np.array([r[7] for r in rows]),
    }
    result = referral_reasons(
        child=child,
        day=np.array([r[1] for r in rows]),
        row_id=np.arange(len(rows)),
        trend=np.array([r[2] for r in rows]),
        previous_trend=np.array([r[3] for r in rows]),
        zscores=z,
        flags=flags or {i: np.where(np.isnan(v), NAN, 0.0) for i, v in z.items()},
        oedema=np.array([r[8] for r in rows]),
        muac_cm=None if muac is None else np.array(muac),
        age_days=None if age_days is None else np.array(age_days),
        rules=rules,
    )
    return {int(c): result.reasons_of(i) for i, c in enumerate(result.child)}


def test_each_reason_by_hand() -> None:
    reasons = _reasons(
        [
            (1, 10, N, N, 0, 0.0, 0.0, 0.0, False),  # nothing
            (2, 10, T, N, 0, 0.0, 0.0, 0.0, False),  # T: counsel
            (3, 10, T, T, 0, 0.0, 0.0, 0.0, False),  # 2T (not also T)
            (4, 10, O, 0, 0, 0.0, -3.01, -1.0, False),  # BGM: WAZ below -3
            (5, 10, N, N, 0, 0.0, -3.0, -1.0, False),  # WAZ exactly -3: BB kurang, not BGM
            (6, 10, B, 0, 0, -2.5, -1.0, -2.5, False),  # stunted and wasted
            (7, 10, N, N, 0, 0.0, -1.0, -3.2, False),  # gizi buruk replaces wasted
            (8, 10, 0, 0, 0, 0.0, NAN, NAN, True),  # oedema: gizi buruk and BGM
            (9, 10, N, N, 0, 0.0, -2.0, 0.0, False),  # WAZ exactly -2: nothing
        ]
    )
    assert reasons == {
        1: (),
        2: (ReferralReason.T,),
        3: (ReferralReason.TWO_T,),
        4: (ReferralReason.BGM,),
        5: (ReferralReason.UNDERWEIGHT,),
        6: (ReferralReason.WASTED, ReferralReason.STUNTED),
        7: (ReferralReason.SEVERE_WASTING,),
        8: (ReferralReason.SEVERE_WASTING, ReferralReason.BGM),
        9: (),
    }


def test_each_reason_is_judged_on_the_last_measurement_that_can_judge_it() -> None:
    reasons = _reasons(
        [
            # child 1: stunted on the 5th; on the 20th weighed only (no length): still stunted
            (1, 5, T, N, 0, -2.4, -1.0, -1.0, False),
            (1, 20, N, N, 0, NAN, -1.0, NAN, False),
            # child 2: T on the 5th, N on the 20th (the last weighing counts): nothing
            (2, 20, N, N, 0, 0.0, 0.0, 0.0, False),
            (2, 5, T, T, 0, 0.0, 0.0, 0.0, False),
        ]
    )
    assert reasons == {1: (ReferralReason.STUNTED,), 2: ()}


def test_a_who_flagged_zscore_is_never_a_reason_but_a_re_measure() -> None:
    # WAZ -6.5 is flagged (implausible, WHO limit -6): no BGM from it; measure again.
    reasons = _reasons(
        [(1, 10, 0, 0, 0, 0.0, -6.5, -1.0, False)],
        flags={Indicator.HAZ: [0.0], Indicator.WAZ: [1.0], Indicator.WHZ: [0.0]},
    )
    assert reasons == {1: (ReferralReason.FLAGGED_WAZ,)}


def test_a_weight_typed_in_grams_is_re_measured_not_called_obese() -> None:
    # 9,500 "kg": WAZ and WHZ far above +5: both flagged. The earlier weighing of the
    # month (WAZ -2.5) still judges the child, who is also BB kurang.
    reasons = _reasons(
        [(1, 3, N, N, 0, 0.0, -2.5, -1.0, False), (1, 20, 0, 0, 0, 0.0, 80.0, 90.0, False)],
        flags={
            Indicator.HAZ: [0.0, 0.0],
            Indicator.WAZ: [0.0, 1.0],
            Indicator.WHZ: [0.0, 1.0],
        },
    )
    assert reasons == {
        1: (ReferralReason.UNDERWEIGHT, ReferralReason.FLAGGED_WAZ, ReferralReason.FLAGGED_WHZ)
    }


def test_a_flag_on_an_earlier_measurement_of_the_month_was_measured_again() -> None:
    # The length on the 3rd was flagged; on the 20th it was measured again and is fine.
    reasons = _reasons(
        [(1, 3, N, N, 0, 7.0, 0.0, 0.0, False), (1, 20, N, N, 0, 0.5, 0.0, 0.0, False)],
        flags={
            Indicator.HAZ: [1.0, 0.0],
            Indicator.WAZ: [0.0, 0.0],
            Indicator.WHZ: [0.0, 0.0],
        },
    )
    assert reasons == {1: ()}


def test_muac_cut_offs_hold_from_6_to_59_months() -> None:
    ok = (N, N, 0, 0.0, 0.0, 0.0, False)
    rows = [(child, 10, *ok) for child in range(1, 8)]
    reasons = _reasons(
        rows,
        muac=[11.4, 11.5, 12.4, 12.5, 11.0, 11.0, 25.0],
        # 12 months for 1-4; 5 months (too young); 60 months (too old); 12 months
        age_days=[366.0] * 4 + [152.0, 1827.0, 366.0],
    )
    assert reasons == {
        1: (ReferralReason.SEVERE_WASTING,),  # below 11.5 cm: gizi buruk
        2: (ReferralReason.WASTED,),  # 11.5 cm: gizi kurang
        3: (ReferralReason.WASTED,),
        4: (),  # 12.5 cm: normal
        5: (),
        6: (),
        7: (ReferralReason.FLAGGED_MUAC,),  # 25 cm: above 20 cm, measure again
    }


def test_each_reason_puts_the_child_on_one_list() -> None:
    assert ReferralReason.T.action is ListKind.COUNSEL
    assert ReferralReason.TWO_T.action is ListKind.REFER
    assert ReferralReason.FLAGGED_HAZ.action is ListKind.REMEASURE
    masks = [kind_mask(kind) for kind in ListKind]
    assert sum(masks) == (1 << len(ReferralReason)) - 1  # every reason on exactly one list
    assert kind_mask(ListKind.COUNSEL) == ReferralReason.T.bit


def test_severity_orders_gizi_buruk_first_and_stunting_after_weight() -> None:
    assert severity_of((ReferralReason.STUNTED, ReferralReason.SEVERE_WASTING)) == 0
    assert severity_of((ReferralReason.TWO_T,)) < severity_of((ReferralReason.STUNTED,))
    assert severity_of(()) > severity_of((ReferralReason.FLAGGED_MUAC,))


def test_the_cut_offs_are_rules() -> None:
    rows = [(1, 10, N, N, 0, 0.0, -2.6, 0.0, False), (2, 10, N, N, 0, 0.0, 2.5, 0.0, False)]
    # above orange is off by default; -2.6 is BB kurang, not below the red line (-3)
    assert _reasons(rows) == {1: (ReferralReason.UNDERWEIGHT,), 2: ()}
    rules = ReferralRules(bgm_waz_below=-2.5, above_orange_waz=2.0)
    assert _reasons(rows, rules) == {
        1: (ReferralReason.BGM,),
        2: (ReferralReason.ABOVE_ORANGE,),
    }


def test_a_reason_mask_reads_back() -> None:
    mask = ReferralReason.T.bit | ReferralReason.STUNTED.bit
    assert reasons_in(mask) == (ReferralReason.STUNTED, ReferralReason.T)
