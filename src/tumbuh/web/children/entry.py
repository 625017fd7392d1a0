"""Posyandu data entry: reading the typed values and their problems, shown with the
preview before saving.

The preview (:func:`tumbuh.usecases.registry.measurements.preview`) computes what saving
would store (z-scores, Permenkes categories, N/T, through the one ``growth_input`` that
``tumbuh db recompute`` uses); here are found the problems of the values: unreadable
numbers, probable unit slips and values outside WHO's plausible range for the child's
age (:mod:`tumbuh.ingest.plausibility`, the importer's rules), and a position that does
not fit the age (WHO: lying under 731 days, standing from then on; docs/domain.md §3).
Errors block saving; warnings do not.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from tumbuh.growth.categories import RECHECK, HazCategory, WazCategory, WhzCategory
from tumbuh.growth.enums import Position
from tumbuh.growth.weight_gain import WeightTrend
from tumbuh.growth.who2006 import LENGTH_HEIGHT_SWITCH_DAYS
from tumbuh.i18n import Language, translations
from tumbuh.ingest.messages import SLIP_FORM_MESSAGES
from tumbuh.ingest.plausibility import (
    LENGTH,
    MUAC,
    WEIGHT,
    MeasureRule,
    judge,
    plausible_range,
)
from tumbuh.ingest.values import parse_number
from tumbuh.usecases.registry.records import ChildRecord, MeasurementValues

OEDEMA_CHECKED = "y"  # the value the oedema checkbox sends when ticked
OEDEMA_LABEL = "Bilateral oedema (tops of both feet)"  # message id of the checkbox's label
KADER_CODE_LABEL = "N/T as the kader judged it"  # message id of the kader's own code


@dataclass
class EntryForm:
    """The values as typed, what could be read from them, and the problems found."""

    raw: dict[str, str]
    values: MeasurementValues | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def typed_in(values: MeasurementValues) -> dict[str, str]:
    """``values`` as the entry form's fields, as if typed (to correct a stored
    measurement)."""
    return {
        "measured_on": values.measured_on.isoformat(),
        "weight_kg": "" if values.weight_kg is None else str(values.weight_kg),
        "height_cm": "" if values.height_cm is None else str(values.height_cm),
        "position": values.position.value if values.position else "",
        "muac_cm": "" if values.muac_cm is None else str(values.muac_cm),
        "oedema": OEDEMA_CHECKED if values.oedema else "",
        "kader_weight_trend": values.kader_weight_trend.value if values.kader_weight_trend else "",
    }


def _kader_code(raw: dict[str, str], language: Language) -> tuple[WeightTrend | None, str | None]:
    """The kader's own N/T/O/B code (None: not given) and, for anything else sent in its
    place, why it was refused."""
    text = raw.get("kader_weight_trend", "").strip().upper()
    if text == "":
        return None, None
    codes = [t.value for t in WeightTrend]
    if text in codes:
        return WeightTrend(text), None
    _ = translations(language).gettext
    message = _("{field}: '{value}' is not a code; choose {codes} or leave it empty")
    return None, message.format(field=_(KADER_CODE_LABEL), value=text[:40], codes=", ".join(codes))


def _oedema(raw: dict[str, str], language: Language) -> tuple[bool, str | None]:
    """Whether the oedema box is ticked (the browser sends ``y``, or nothing) and, for
    anything else sent in its place, why it was refused."""
    text = raw.get("oedema", "").strip()
    if text in {"", OEDEMA_CHECKED}:
        return text == OEDEMA_CHECKED, None
    _ = translations(language).gettext
    message = _("{field}: '{value}' is not an answer; tick the box or leave it empty")
    return False, message.format(field=_(OEDEMA_LABEL), value=text[:40])


def _number(
    raw: dict[str, str], name: str, label: str, language: Language
) -> tuple[float | None, str | None]:
    """The number typed in field ``name`` (None: empty or refused) and why it was refused."""
    _ = translations(language).gettext
    text = raw.get(name, "").strip()
    cell = parse_number(text)
    if cell.value is None and cell.issue is not None:
        message = _("{field}: '{value}' is not a number; write it like 12,5").format(
            field=label, value=text
        )
        return None, message
    if cell.value is not None and cell.value <= 0:
        return None, _("{field}: must be more than 0").format(field=label)
    return cell.value, None


def read_form(
    raw: dict[str, str], child: ChildRecord, today: date, language: Language
) -> EntryForm:
    """Parse the typed values (decimal comma accepted) and check them
    (:func:`check_values`)."""
    _ = translations(language).gettext
    try:
        measured_on = date.fromisoformat(raw.get("measured_on", "").strip())
    except ValueError:
        message = _("Date: write the date of the measurement, e.g. 17/08/2024")
        return EntryForm(raw, errors=[message])
    numbers = [
        _number(raw, "weight_kg", _("Weight (kg)"), language),
        _number(raw, "height_cm", _("Length/height (cm)"), language),
        _number(raw, "muac_cm", _("MUAC (cm)"), language),
    ]
    position_text = raw.get("position", "")
    position = Position(position_text) if position_text in ("l", "h") else None
    weight, height, muac = (value for value, _problem in numbers)
    oedema, oedema_problem = _oedema(raw, language)
    kader_code, code_problem = _kader_code(raw, language)
    values = MeasurementValues(measured_on, weight, height, position, muac, oedema, kader_code)
    unread = [problem for _value, problem in numbers if problem is not None]
    unread += [p for p in (oedema_problem, code_problem) if p is not None]
    return check_values(values, child, today, language, raw=raw, unread=unread)


def check_values(
    values: MeasurementValues,
    child: ChildRecord,
    today: date,
    language: Language,
    *,
    raw: dict[str, str] | None = None,
    unread: list[str] | None = None,
) -> EntryForm:
    """Check a measurement's values (typed in the entry form, or sent to the API) by the
    same rules: the date, at least one measure, the position, WHO's plausible ranges.
    ``unread``: why the form's fields that could not be read were refused (their values
    are None), listed after the date's problems."""
    _ = translations(language).gettext
    form = EntryForm(raw or {})
    measured_on = values.measured_on
    if measured_on > today:
        form.errors.append(_("Date: the date lies in the future; use the day of measuring"))
    if measured_on < child.birth_date:
        form.errors.append(_("Date: the date is before the child's birth date"))
    form.errors.extend(unread or [])
    weight, height, muac = values.weight_kg, values.height_cm, values.muac_cm
    if weight is None and height is None and muac is None and not form.errors:
        form.errors.append(_("Enter at least the weight or the length/height"))
    if height is not None and values.position is None:
        form.errors.append(_("Position: choose lying or standing for the length/height"))
    age_days = (measured_on - child.birth_date).days
    _check_plausible(form, child, age_days, language, weight=weight, height=height, muac=muac)
    _check_position(form, age_days, height, values.position, language)
    form.values = values
    return form


def _check_plausible(
    form: EntryForm,
    child: ChildRecord,
    age_days: int,
    language: Language,
    *,
    weight: float | None,
    height: float | None,
    muac: float | None,
) -> None:
    _ = translations(language).gettext
    checks: list[tuple[float | None, MeasureRule, str, str]] = [
        (weight, WEIGHT, _("Weight"), "kg"),
        (height, LENGTH, _("Length/height"), "cm"),
        (muac, MUAC, _("MUAC"), "cm"),
    ]
    for value, rule, label, unit in checks:
        if value is None or age_days < 0:
            continue
        low, high = plausible_range(
            rule, np.array([child.sex.code]), np.array([float(age_days)], dtype=np.float64)
        )
        verdict = judge(value, rule, float(low[0]), float(high[0]))
        if verdict is None:
            continue
        if verdict.slip is not None:
            text = _(SLIP_FORM_MESSAGES[verdict.slip]).format(
                field=label, value=_fmt(value, language), guess=_fmt(verdict.guess, language)
            )
            form.errors.append(text)
        elif verdict.outside_envelope:
            form.errors.append(
                _("{field}: {value} {unit} is impossible for a child under five; check it").format(
                    field=label, value=_fmt(value, language), unit=unit
                )
            )
        else:
            form.warnings.append(
                _(
                    "{field}: {value} {unit} is outside the plausible range for this age "
                    "({low}-{high} {unit}); measure again before saving"
                ).format(
                    field=label,
                    value=_fmt(value, language),
                    unit=unit,
                    low=_fmt(verdict.low, language),
                    high=_fmt(verdict.high, language),
                )
            )


def _check_position(
    form: EntryForm,
    age_days: int,
    height: float | None,
    position: Position | None,
    language: Language,
) -> None:
    _ = translations(language).gettext
    if height is None or position is None or age_days < 0:
        return
    if age_days < LENGTH_HEIGHT_SWITCH_DAYS and position is Position.HEIGHT:
        form.warnings.append(
            _(
                "Position: children under 24 months are measured lying (length). Measured "
                "standing, 0.7 cm is added for the z-score"
            )
        )
    elif age_days >= LENGTH_HEIGHT_SWITCH_DAYS and position is Position.LENGTH:
        form.warnings.append(
            _(
                "Position: children from 24 months are measured standing (height). Measured "
                "lying, 0.7 cm is subtracted for the z-score"
            )
        )


def _fmt(value: float | None, language: Language) -> str:
    if value is None:
        return ""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if language is Language.ID else text


def trend_clause_label(code: str | None, language: Language) -> str:
    """Why a weighing is N or T: the clause of the Buku KIA rule that decided."""
    _ = translations(language).gettext
    labels = {
        "channel": _("rose along its line of the KMS"),
        "kbm": _("gain reached the KBM"),
        "falling": _("weight fell"),
        "flat": _("weight did not change"),
        "dropped_channel": _("dropped below a line of the KMS"),
        "below_kbm": _("gain below the KBM"),
    }
    return labels.get(code or "", "")


def category_label(kind: str, code: str | None, language: Language) -> str:
    """The Permenkes label of a stored category code."""
    if code is None:
        return "–"
    if code == RECHECK:
        return translations(language).gettext("re-measure")
    enum = {"haz": HazCategory, "waz": WazCategory, "whz": WhzCategory}[kind]
    return enum(code).label(language.value)
