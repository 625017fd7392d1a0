"""KMS-style growth charts of one child against the WHO curves at -3 ... +3 SD, as SVG.

The curves come from :func:`tumbuh.growth.curves.growth_curves` (WHO Child Growth
Standards 2006, the tables of WHO anthro), so a point sits on the +2 line exactly when
Tumbuh computes z = +2 for it. The look follows the KMS pages of the Buku KIA
(Kemenkes, *Buku Kesehatan Ibu dan Anak*, 2020/2023): blue for boys, pink for girls,
green bands around the median and yellow bands between 2 and 3 SD; the lines carry WHO's
colours (0 green, +/-2 red, +/-3 black). The child's measurements are joined in age (or
length) order; measurements flagged as implausible are drawn as red crosses and left out
of the line, so that a slip of the pen does not draw a false dip.

Age charts take age in days (as Tumbuh stores it) and draw months on the axis
(1 month = 30.4375 days, WHO's average month). The HAZ and BAZ curves step at 24 months
(731 days), where WHO switches from length to height.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from tumbuh.growth.curves import Curves, growth_curves
from tumbuh.growth.enums import Indicator, Sex
from tumbuh.growth.who2006 import DAYS_PER_MONTH, LENGTH_HEIGHT_SWITCH_DAYS
from tumbuh.i18n import Language, translations
from tumbuh.labels import INDICATOR_TITLES, WEIGHT_FOR_HEIGHT_TITLE, WEIGHT_FOR_LENGTH_TITLE
from tumbuh.reports import style
from tumbuh.reports.kms import SDS, Plot, draw


@dataclass(frozen=True)
class AgeMeasurement:
    """A measurement at an age: ``value`` in the chart's unit (cm, kg or kg/m2)."""

    age_days: float
    value: float
    flagged: bool = False


@dataclass(frozen=True)
class BodyMeasurement:
    """Length or height (cm) and weight (kg) measured on the same day."""

    height_cm: float
    weight_kg: float
    flagged: bool = False


def _age_texts(indicator: Indicator, language: Language) -> tuple[str, str, str]:
    """Default title, y-axis label and unit of an age chart."""
    _ = translations(language).gettext
    axes = {
        Indicator.HAZ: (_("Length/height (cm)"), "cm"),
        Indicator.WAZ: (_("Weight (kg)"), "kg"),
        Indicator.BAZ: (_("BMI (kg/m\u00b2)"), "kg/m\u00b2"),
        Indicator.HCZ: (_("Head circumference (cm)"), "cm"),
    }
    if indicator not in axes:
        raise ValueError(f"no age growth chart for {indicator}")
    return (_(INDICATOR_TITLES[indicator]), *axes[indicator])


def age_chart(
    indicator: Indicator,
    sex: Sex,
    measurements: Sequence[AgeMeasurement],
    *,
    months: tuple[float, float] = (0, 60),
    title: str | None = None,
    language: Language = Language.ID,
    ident: str | None = None,
) -> str:
    """Growth chart of ``indicator`` (HAZ, WAZ, BAZ or HCZ) for age, x in months."""
    _ = translations(language).gettext
    default_title, y_label, unit = _age_texts(indicator, language)
    first_day, last_day = months[0] * DAYS_PER_MONTH, months[1] * DAYS_PER_MONTH
    curves = growth_curves(indicator, sex)
    keep = (curves.x >= first_day - 1) & (curves.x <= last_day + 1)
    # Daily in the first three months, where the curves bend most; elsewhere about 250
    # points (weekly over 5 years: under 3 units apart, smooth at any page size).
    every = max(1, int((last_day - first_day) // 250))
    sampled = keep & (
        (curves.x % every == 0)
        | (curves.x < 91)
        | np.isin(curves.x, (LENGTH_HEIGHT_SWITCH_DAYS - 1, LENGTH_HEIGHT_SWITCH_DAYS))
    )
    sampled[np.flatnonzero(keep)[[0, -1]]] = True
    shown = []
    for m in measurements:
        if not (np.isfinite(m.age_days) and np.isfinite(m.value)):
            continue
        if first_day - 1 <= m.age_days <= last_day + 1:
            age = style.format_number(m.age_days / DAYS_PER_MONTH, 1, language)
            value = style.format_number(m.value, 1, language)
            tip = _("Age {age} months: {value}").format(age=age, value=f"{value} {unit}")
            shown.append((m.age_days / DAYS_PER_MONTH, m.value, m.flagged, tip))
    plot = Plot(
        curves=_curve_points(curves, sampled, 1 / DAYS_PER_MONTH),
        measurements=shown,
        x_range=(months[0], months[1]),
        x_unit="months",
        x_label=_("Age (months)"),
        y_label=y_label,
    )
    return draw(plot, sex, title or _titled(default_title, sex, language), language, ident)


# One indicator's chart for age: :func:`age_chart` with the indicator given.
length_height_for_age_chart = partial(age_chart, Indicator.HAZ)  # PB/U - TB/U, cm
weight_for_age_chart = partial(age_chart, Indicator.WAZ)  # BB/U, kg
bmi_for_age_chart = partial(age_chart, Indicator.BAZ)  # IMT/U, kg/m2
head_circumference_for_age_chart = partial(age_chart, Indicator.HCZ)  # LK/U, cm


def weight_for_length_height_chart(
    sex: Sex,
    measurements: Sequence[BodyMeasurement],
    *,
    lying: bool = True,
    title: str | None = None,
    language: Language = Language.ID,
    ident: str | None = None,
) -> str:
    """BB/PB (``lying``, 45-110 cm, under 2 years) or BB/TB (65-120 cm): weight for length."""
    _ = translations(language).gettext
    curves = growth_curves(Indicator.WHZ, sex, lying=lying)
    tenths = np.rint(curves.x * 10).astype(np.int64)
    sampled = tenths % 5 == 0
    sampled[-1] = True
    low, high = float(curves.x[0]), float(curves.x[-1])
    shown = []
    for m in measurements:
        if not (np.isfinite(m.height_cm) and np.isfinite(m.weight_kg)):
            continue
        if low <= m.height_cm <= high:
            height = style.format_number(m.height_cm, 1, language)
            weight = style.format_number(m.weight_kg, 1, language)
            tip = f"{height} cm: {weight} kg"
            shown.append((m.height_cm, m.weight_kg, m.flagged, tip))
    if lying:
        default_title, x_label = _(WEIGHT_FOR_LENGTH_TITLE), _("Length (cm)")
    else:
        default_title, x_label = _(WEIGHT_FOR_HEIGHT_TITLE), _("Height (cm)")
    plot = Plot(
        curves=_curve_points(curves, sampled, 1.0),
        measurements=shown,
        x_range=(low, high),
        x_unit="cm",
        x_label=x_label,
        y_label=_("Weight (kg)"),
    )
    return draw(plot, sex, title or _titled(default_title, sex, language), language, ident)


def _titled(title: str, sex: Sex, language: Language) -> str:
    _ = translations(language).gettext
    return f"{title} \u2013 {_('Boys') if sex is Sex.MALE else _('Girls')}"


def _curve_points(
    curves: Curves, sampled: np.ndarray, x_factor: float
) -> dict[int, list[tuple[float, float]]]:
    xs = curves.x[sampled] * x_factor
    return {
        sd: list(zip(xs.tolist(), curves.values[sd][sampled].tolist(), strict=True)) for sd in SDS
    }
