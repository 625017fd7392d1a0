"""Row checks, second pass: what needs the child's age, over the whole batch at once.

Plausibility by age and the unit slips (:mod:`tumbuh.ingest.plausibility`), WHO z-scores
and their flags (:mod:`tumbuh.growth.who2006`, exactly as WHO anthro), the comparison with
e-PPGBM's own z-scores, and the cross-checks of NIK and ``Usia Saat Ukur`` with the dates.
Arrays cover every row; messages are made only for the few rows that need one.
"""

from collections.abc import Sequence

import numpy as np

from tumbuh.growth import categories, who2006
from tumbuh.growth.enums import Indicator, Sex
from tumbuh.growth.types import FloatArray
from tumbuh.ingest import messages as msg
from tumbuh.ingest.checks import RowDraft, calendar_age
from tumbuh.ingest.layouts import Field
from tumbuh.ingest.plausibility import (
    LENGTH,
    MUAC,
    WEIGHT,
    MeasureRule,
    judge,
    plausible_range,
)
from tumbuh.ingest.report import ComparisonSummary, Word
from tumbuh.ingest.values import nik_birth_date, parse_age_text
from tumbuh.labels import INDICATOR_LABELS

# The column a WHO flag of each scored indicator points at; the limits themselves are
# who2006.WHO_FLAG_LIMITS.
_FLAG_COLUMNS = {
    Indicator.WAZ: Field.WEIGHT,
    Indicator.HAZ: Field.HEIGHT,
    Indicator.WHZ: Field.WEIGHT,
    Indicator.BAZ: Field.WEIGHT,
    Indicator.ACZ: Field.MUAC,
}
_EPPGBM = {
    Indicator.WAZ: (Field.EPPGBM_WAZ, categories.classify_waz, categories.WazCategory),
    Indicator.HAZ: (Field.EPPGBM_HAZ, categories.classify_haz, categories.HazCategory),
    Indicator.WHZ: (Field.EPPGBM_WHZ, categories.classify_whz, categories.WhzCategory),
}
# (field, rule, unit, measured at birth)
_MEASURES: tuple[tuple[Field, MeasureRule, str, bool], ...] = (
    (Field.WEIGHT, WEIGHT, "kg", False),
    (Field.HEIGHT, LENGTH, "cm", False),
    (Field.MUAC, MUAC, "cm", False),
    (Field.BIRTH_WEIGHT, WEIGHT, "kg", True),
    (Field.BIRTH_LENGTH, LENGTH, "cm", True),
)
AGE_TEXT_TOLERANCE_DAYS = 31
COMPARISON_TOLERANCE = 0.1


def check_batch_scores(drafts: Sequence[RowDraft]) -> tuple[ComparisonSummary, ...]:
    """Second pass over all rows; returns the e-PPGBM comparison per indicator."""
    n = len(drafts)
    sex = np.array([d.sex.code if d.sex else 0 for d in drafts], dtype=np.int8)
    age = np.array([np.nan if d.age_days is None else d.age_days for d in drafts], dtype=float)
    for name, rule, unit, at_birth in _MEASURES:
        _check_plausible(drafts, name, rule, unit, sex, np.zeros(n) if at_birth else age)
    for draft in drafts:
        _check_nik_dates(draft)
        _check_age_text(draft)
    return _zscores(drafts, sex, age)


def _values(drafts: Sequence[RowDraft], name: Field) -> FloatArray:
    return np.array([d.numbers.get(name, np.nan) for d in drafts], dtype=float)


def _check_plausible(
    drafts: Sequence[RowDraft],
    name: Field,
    rule: MeasureRule,
    unit: str,
    sex: np.ndarray,
    age: FloatArray,
) -> None:
    values = _values(drafts, name)
    if np.all(np.isnan(values)):
        return
    low, high = plausible_range(rule, sex, age)
    envelope_low, envelope_high = rule.envelope
    with np.errstate(invalid="ignore"):
        inside = (values >= np.where(np.isnan(low), envelope_low, low)) & (
            values <= np.where(np.isnan(high), envelope_high, high)
        )
        inside &= (values >= envelope_low) & (values <= envelope_high)
    for i in np.flatnonzero(~np.isnan(values) & ~inside).tolist():
        draft = drafts[i]
        value = float(values[i])
        verdict = judge(value, rule, float(low[i]), float(high[i]))
        if verdict is None or (verdict.slip is None and not verdict.outside_envelope):
            continue  # outside the range for age only: WHO's flag warns about it
        del draft.numbers[name]
        params = {"value": value, "unit": unit, "low": verdict.low, "high": verdict.high}
        if verdict.slip is not None and verdict.low is not None:
            months = _months(draft) if name in {Field.WEIGHT, Field.HEIGHT, Field.MUAC} else 0
            template = msg.SLIP_MESSAGES[verdict.slip]
            draft.error(name, template, months=months, guess=verdict.guess, **params)
        elif verdict.slip is not None:
            draft.error(name, msg.SLIP_UNKNOWN_AGE, guess=verdict.guess, **params)
        else:
            params |= {"low": envelope_low, "high": envelope_high}
            draft.error(name, msg.OUTSIDE_ENVELOPE, **params)


def _months(draft: RowDraft) -> int:
    if draft.birth_date is None or draft.measured_on is None:
        return 0
    years, months, _ = calendar_age(draft.birth_date, draft.measured_on)
    return 12 * years + months


def _check_nik_dates(draft: RowDraft) -> None:
    """A child's NIK encodes the birth date (DDMMYY, day + 40 for girls): compare."""
    if draft.nik is None:
        return
    nik_date, female = nik_birth_date(draft.nik)
    if nik_date is None:
        draft.warn(Field.NIK, msg.NIK_DATE_INVALID)
        return
    born = draft.birth_date
    label = draft.sink.label
    if born is not None and (nik_date.day, nik_date.month, nik_date.year % 100) != (
        born.day,
        born.month,
        born.year % 100,
    ):
        nik_born = nik_date.replace(year=born.year - born.year % 100 + nik_date.year % 100)
        draft.warn(
            Field.NIK,
            msg.NIK_BIRTH_DATE_MISMATCH,
            nik_date=nik_born,
            column=label(Field.BIRTH_DATE),
            born=born,
        )
    if draft.sex is not None and female != (draft.sex is Sex.FEMALE):
        draft.warn(
            Field.NIK,
            msg.NIK_SEX_MISMATCH,
            nik_sex=Word(msg.FEMALE if female else msg.MALE),
            column=label(Field.SEX),
            sex=draft.text(Field.SEX),
        )


def _check_age_text(draft: RowDraft) -> None:
    written = parse_age_text(draft.cells.get(Field.AGE_TEXT))
    if written is None or draft.age_days is None or draft.birth_date is None:
        return
    if draft.measured_on is None or abs(written - draft.age_days) <= AGE_TEXT_TOLERANCE_DAYS:
        return
    years, months, days = calendar_age(draft.birth_date, draft.measured_on)
    draft.warn(
        Field.AGE_TEXT,
        msg.AGE_TEXT_MISMATCH,
        column=draft.sink.label(Field.AGE_TEXT),
        value=draft.text(Field.AGE_TEXT),
        years=years,
        months=months,
        days=days,
    )


def _zscores(
    drafts: Sequence[RowDraft], sex: np.ndarray, age: FloatArray
) -> tuple[ComparisonSummary, ...]:
    n = len(drafts)
    usable = np.array([not d.has_error for d in drafts], dtype=bool)
    result = who2006.compute(
        sex=np.where(usable, sex, 0).astype(np.int8),
        age=np.where(usable, age, np.nan),
        age_in_months=np.zeros(n, dtype=bool),
        weight_kg=_values(drafts, Field.WEIGHT),
        lenhei_cm=_values(drafts, Field.HEIGHT),
        measure=np.array([d.position.code if d.position else 0 for d in drafts], dtype=np.int8),
        oedema=np.array([d.oedema for d in drafts], dtype=bool),
        headc_cm=np.full(n, np.nan),
        armc_cm=_values(drafts, Field.MUAC),
        triskin_mm=np.full(n, np.nan),
        subskin_mm=np.full(n, np.nan),
        problems=np.zeros(n, dtype=np.uint32),
    )
    scores = {ind: result.scores[ind] for ind in _FLAG_COLUMNS}
    for i in np.flatnonzero(usable).tolist():
        draft = drafts[i]
        for indicator, score in scores.items():
            z = float(score.z[i])
            if np.isnan(z):
                continue
            draft.zscores[indicator] = z
            draft.flags[indicator] = bool(score.flag[i] == 1)
            if draft.flags[indicator]:
                low, high = who2006.WHO_FLAG_LIMITS[indicator]
                label = INDICATOR_LABELS[indicator]
                column = _FLAG_COLUMNS[indicator]
                draft.warn(column, msg.WHO_FLAG, indicator=label, z=z, low=low, high=high)
        if result.c9mo_flag[i] == 1:
            draft.warn(Field.POSITION, msg.STANDING_TOO_YOUNG, months=_months(draft))
    return tuple(_compare(drafts, usable, indicator) for indicator in _EPPGBM)


def _compare(
    drafts: Sequence[RowDraft], usable: np.ndarray, indicator: Indicator
) -> ComparisonSummary:
    """e-PPGBM's z-score column against Tumbuh's: differences and category changes."""
    name, classify, enum = _EPPGBM[indicator]
    members = list(enum)
    differences: list[float] = []
    categories_differ = missing = 0
    for i in np.flatnonzero(usable).tolist():
        draft = drafts[i]
        ours = draft.zscores.get(indicator)
        if ours is None or name not in draft.cells:
            continue
        theirs = draft.numbers.get(name)
        if theirs is None:
            missing += 1
            continue
        draft.eppgbm[indicator] = theirs
        differences.append(theirs - ours)
        codes = classify(np.array([theirs, ours]))
        if codes[0] != codes[1]:
            categories_differ += 1
            draft.warn(
                name,
                msg.EPPGBM_CATEGORY_DIFFERS,
                indicator=INDICATOR_LABELS[indicator],
                theirs=members[codes[0]],
                ours=members[codes[1]],
                z=ours,
            )
    diffs = np.abs(np.array(differences))
    return ComparisonSummary(
        indicator=indicator,
        compared=len(differences),
        differing=int(np.count_nonzero(diffs > COMPARISON_TOLERANCE)),
        max_difference=float(diffs.max()) if differences else None,
        mean_difference=float(np.mean(differences)) if differences else None,
        category_disagreements=categories_differ,
        eppgbm_missing=missing,
    )
