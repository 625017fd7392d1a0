"""Referral reasons of a month, on measurements worked out by hand."""

import numpy as np

from tumbuh.growth.enums import Indicator
from tumbuh.growth.referrals import (
    DEFAULT_RULES,
    ReferralReason,
    ReferralRules,
    reasons_in,
    referral_reasons,
)
from tumbuh.growth.weight_gain import WeightTrend

N, T, O, B = (t.code for t in WeightTrend)  # noqa: E741 (the programme's letters)
NAN = float("nan")


def _reasons(
    rows: list[tuple[int, int, int, int, int, float, float, float, bool]],
    rules: ReferralRules = DEFAULT_RULES,
    flags: dict[Indicator, list[float]] | None = None,
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
        rules=rules,
    )
    return {int(c): result.reasons_of(i) for i, c in enumerate(result.child)}


def test_each_reason_by_hand() -> None:
    reasons = _reasons(
        [
            (1, 10, N, N, 0, 0.0, 0.0, 0.0, False),  # nothing
            (2, 10, T, N, 0, 0.0, 0.0, 0.0, False),  # T
            (3, 10, T, T, 0, 0.0, 0.0, 0.0, False),  # 2T (not also T)
            (4, 10, O, 0, 0, 0.0, -3.01, -1.0, False),  # BGM: WAZ below -3
            (5, 10, N, N, 0, 0.0, -3.0, -1.0, False),  # WAZ exactly -3: not BGM
            (6, 10, B, 0, 0, -2.5, -1.0, -2.5, False),  # stunted and wasted
            (7, 10, N, N, 0, 0.0, -1.0, -3.2, False),  # gizi buruk replaces wasted
            (8, 10, 0, 0, 0, 0.0, NAN, NAN, True),  # oedema: BGM and gizi buruk
        ]
    )
    assert reasons == {
        1: (),
        2: (ReferralReason.T,),
        3: (ReferralReason.TWO_T,),
        4: (ReferralReason.BGM,),
        5: (),
        6: (ReferralReason.WASTED, ReferralReason.STUNTED),
        7: (ReferralReason.SEVERE_WASTING,),
        8: (ReferralReason.BGM, ReferralReason.SEVERE_WASTING),
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


def test_a_who_flagged_zscore_is_left_out() -> None:
    # WAZ -6.5 is flagged (implausible): no BGM from it.
    reasons = _reasons(
        [(1, 10, 0, 0, 0, 0.0, -6.5, -1.0, False)],
        flags={Indicator.HAZ: [0.0], Indicator.WAZ: [1.0], Indicator.WHZ: [0.0]},
    )
    assert reasons == {1: ()}


def test_the_cut_offs_are_rules() -> None:
    rows = [(1, 10, N, N, 0, 0.0, -2.6, 0.0, False), (2, 10, N, N, 0, 0.0, 2.5, 0.0, False)]
    assert _reasons(rows) == {1: (), 2: ()}  # above orange is off by default
    rules = ReferralRules(bgm_waz_below=-2.5, above_orange_waz=2.0)
    assert _reasons(rows, rules) == {
        1: (ReferralReason.BGM,),
        2: (ReferralReason.ABOVE_ORANGE,),
    }


def test_a_reason_mask_reads_back() -> None:
    mask = ReferralReason.T.bit | ReferralReason.STUNTED.bit
    assert reasons_in(mask) == (ReferralReason.T, ReferralReason.STUNTED)
