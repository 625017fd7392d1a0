"""Helpers shared by the data-quality tests (no tests here)."""

from collections.abc import Mapping

import numpy as np

from tumbuh.growth.quality import smart_plausibility
from tumbuh.growth.quality.score import SmartReport


def smart_of(
    data: Mapping[str, np.ndarray],
    group: np.ndarray,
    *,
    cluster: np.ndarray | None = None,
    n_groups: int | None = None,
) -> SmartReport:
    """The SMART score of children given as columns named like its arguments (``whz``,
    ``age_months``, ``sex``, ``weight_kg``, ``height_cm``, ``muac_cm``)."""
    return smart_plausibility(
        whz=data["whz"],
        age_months=data["age_months"],
        sex=data["sex"],
        weight_kg=data["weight_kg"],
        height_cm=data["height_cm"],
        muac_cm=data["muac_cm"],
        group=group,
        cluster=cluster,
        n_groups=n_groups,
    )
