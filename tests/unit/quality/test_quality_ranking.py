"""Ranking posyandu by quality, with reasons that render in Indonesian."""

import re
from statistics import NormalDist

import numpy as np
import pytest

from tests.unit.quality.helpers import smart_of
from tumbuh.growth.enums import Indicator
from tumbuh.growth.quality.codes import Reason, ScoreStatus
from tumbuh.growth.quality.coverage import coverage
from tumbuh.growth.quality.longitudinal import copied_values
from tumbuh.growth.quality.ranking import Ranking, quality_checks, rank_units
from tumbuh.growth.quality.reasons import (
    BAND_LABELS,
    REASON_NAMES,
    REASON_TEMPLATES,
    STATUS_TEMPLATES,
)
from tumbuh.growth.quality.who_report import who_report
from tumbuh.i18n import Language, translations


def _unit(n: int) -> dict[str, np.ndarray]:
    """n children that meet every SMART criterion (see test_quality_score)."""
    i = np.arange(n)
    return {
        "whz": np.array([NormalDist().inv_cdf((k + 0.5) / n) for k in range(n)]),
        "age_months": np.where(i < round(n * 0.46), 6 + i % 24, 30 + i % 30).astype(float),
        "sex": np.where(i % 2 == 0, 1, 2),
        "weight_kg": 8.0 + i // 10 * 0.3 + (i % 10) / 10,
        "height_cm": 70.0 + i // 10 + (i % 10) / 10,
        "muac_cm": 13.0 + (i % 10) / 10,
        "cluster": i % 4,
    }


def _rank() -> Ranking:
    """Posyandu 0: clean, 200 children, coverage 200/400 = 50 %.
    Posyandu 1: clean except heights that all end in .0 (DPS 100: 10 points), 200 children.
    Posyandu 2: 50 children, too few for a score. Clusters are the posyandu themselves.
    """
    units = [_unit(200), _unit(200), _unit(50)]
    units[1]["height_cm"] = 70.0 + np.arange(200) // 2
    data = {key: np.concatenate([u[key] for u in units]) for key in units[0]}
    group = np.repeat([0, 1, 2], [200, 200, 50])
    smart = smart_of(data, group)
    who = who_report(
        zscores={Indicator.WHZ: data["whz"]},
        age_days=data["age_months"] * 30.4375 + 1,
        sex=data["sex"],
        weight_kg=data["weight_kg"],
        height_cm=data["height_cm"],
        position=np.where(data["age_months"] < 24, 1, 2),
        group=group,
    )
    child = np.arange(group.size)
    covered = coverage(child, group, np.array([400.0, 200.0, 50.0]))
    copied = copied_values(child, np.zeros(group.size), data["weight_kg"], data["height_cm"], group)
    checks = quality_checks(smart, who, coverage=covered, copied=copied)
    return rank_units(smart, checks)


def test_posyandu_are_ranked_best_first_with_too_few_children_last() -> None:
    ranking = _rank()
    assert ranking.order.tolist() == [0, 1, 2]
    assert ranking.rank.tolist() == [1, 2, 3]
    assert ranking.total_points[:2].tolist() == [0.0, 10.0]
    assert ranking.status[2] == ScoreStatus.TOO_FEW


def test_each_posyandu_gets_its_reasons() -> None:
    ranking = _rank()
    assert [r.reason for r in ranking.reasons(0)] == [Reason.COVERAGE_LOW]
    assert ranking.reasons(0)[0].value == pytest.approx(50.0)
    assert ranking.reasons(0)[0].limit == pytest.approx(90.0)  # Perpres 72/2021, 2024
    heights = ranking.reasons(1)
    assert [r.reason for r in heights] == [Reason.DPS_HEIGHT]
    assert (heights[0].value, heights[0].limit, heights[0].points) == (100.0, 7.0, 10)
    # Too few children: no SMART criterion is given as a reason, only the head count.
    assert [r.reason for r in ranking.reasons(2)] == [Reason.TOO_FEW_CHILDREN]
    assert ranking.reasons(2)[0].value == 50.0


def test_ties_in_points_are_broken_by_the_number_of_warnings() -> None:
    ranking = _rank()
    assert ranking.n_warnings.tolist() == [1, 0, 0]


def test_every_reason_band_and_status_has_an_indonesian_translation() -> None:
    gettext = translations(Language.ID).gettext
    texts = [
        *REASON_TEMPLATES.values(),
        *BAND_LABELS.values(),
        *STATUS_TEMPLATES.values(),
        *REASON_NAMES.values(),
    ]
    assert set(REASON_TEMPLATES) == set(Reason)
    assert set(REASON_NAMES) == set(Reason)
    for text in texts:
        translated = gettext(text)
        assert translated != text, text
        assert set(re.findall(r"{\w+}", translated)) == set(re.findall(r"{\w+}", text)), text


def test_a_reason_renders_in_indonesian() -> None:
    gettext = translations(Language.ID).gettext
    text = gettext(REASON_TEMPLATES[Reason.COVERAGE_LOW]).format(value="50", limit="80")
    assert text == (
        "hanya 50% balita sasaran yang ditimbang (D/S); targetnya 80%. "
        "Angka wilayah ini hanya menggambarkan anak yang datang"
    )
