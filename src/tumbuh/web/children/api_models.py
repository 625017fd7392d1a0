"""The JSON API's models of children and measurements (``/api/v1``): what is sent, what
comes back, and why a request was refused."""

from datetime import date

from pydantic import BaseModel, Field, StrictBool

from tumbuh.growth.enums import Position, Sex
from tumbuh.growth.weight_gain import WeightTrend
from tumbuh.web.surveillance.areas import MAX_ID


class MeasurementOut(BaseModel):
    """A measurement and what Tumbuh derived from it."""

    id: int
    measured_on: date
    weight_kg: float | None
    height_cm: float | None
    position: str | None
    muac_cm: float | None
    oedema: bool = Field(description="Bilateral pitting oedema (tops of both feet).")
    age_days: int | None
    zscores: dict[str, float | None]
    flags: dict[str, bool]
    haz_category: str | None
    waz_category: str | None
    whz_category: str | None
    weight_trend: str | None
    weight_trend_clause: str | None = Field(
        description="Which clause of the Buku KIA rule decided N or T (docs/domain.md §5)."
    )
    kader_weight_trend: str | None = Field(description="N, T, O or B as the kader judged it.")
    version: int = Field(description="The measurement's version (changes with each edit).")


class ChildOut(BaseModel):
    """A child (NIK masked unless the role may see it)."""

    id: int
    name: str
    nik: str | None
    sex: str
    birth_date: date
    mother_name: str | None
    posyandu_id: int | None
    version: int = Field(description="Send it back with a correction (PATCH).")
    measurements: list[MeasurementOut]


class MeasurementIn(BaseModel):
    """A new measurement (decimal numbers in kg and cm)."""

    measured_on: date
    weight_kg: float | None = Field(default=None, gt=0, lt=1e6)
    height_cm: float | None = Field(default=None, gt=0, lt=1e6)
    position: Position | None = None
    muac_cm: float | None = Field(default=None, gt=0, lt=1e6, description="MUAC (LiLA), cm.")
    oedema: StrictBool = Field(
        default=False,
        description="Bilateral pitting oedema (tops of both feet): true or false. With it "
        "WHO computes no weight-for-age, weight-for-length/height or BMI-for-age z-score.",
    )
    kader_weight_trend: WeightTrend | None = Field(
        default=None, description="N, T, O or B as the kader judged it (kept beside Tumbuh's)."
    )
    confirm_duplicate: bool = Field(
        default=False,
        description="Store it although the child already has a measurement on that date "
        "(without it such a measurement answers 409).",
    )


class MeasurementPatchIn(BaseModel):
    """A correction of a stored measurement: only the fields sent change (``null`` clears
    weight, length/height, position or MUAC). Checked by the same rules as the correction
    form. ``version`` is the measurement's version the changes were made on; if someone
    else changed it since, the request is refused with 409 and the fields that differ."""

    version: int = Field(ge=1, le=MAX_ID)
    measured_on: date | None = None
    weight_kg: float | None = Field(default=None, gt=0, lt=1e6)
    height_cm: float | None = Field(default=None, gt=0, lt=1e6)
    position: Position | None = None
    muac_cm: float | None = Field(default=None, gt=0, lt=1e6, description="MUAC (LiLA), cm.")
    oedema: StrictBool | None = Field(
        default=None, description="Bilateral pitting oedema: true or false (null: unchanged)."
    )
    kader_weight_trend: WeightTrend | None = Field(
        default=None, description="N, T, O or B as the kader judged it (null: cleared)."
    )


class ChildSummaryOut(BaseModel):
    """A child found by a search (NIK masked unless the role may see it)."""

    id: int
    name: str
    nik: str | None
    sex: str
    birth_date: date
    mother_name: str | None
    posyandu_id: int | None


class SearchIn(BaseModel):
    """A part of the child's or mother's name (3 characters or more), or a whole NIK."""

    q: str = Field(max_length=100)


class SearchOut(BaseModel):
    """The first 50 children found, by name, and how many were found in all."""

    total: int
    children: list[ChildSummaryOut]


class ChildIn(BaseModel):
    """Corrected details of a child: only the fields sent change (``null`` clears NIK,
    birth weight, birth length or mother's name). Checked by the same rules as the edit
    form. ``version`` is the child's version the changes were made on (from
    ``GET /api/v1/children/{id}``); if someone else changed the child since, the request
    is refused with 409 and the fields that differ."""

    version: int = Field(ge=1, le=MAX_ID)
    name: str | None = Field(default=None, max_length=200)
    nik: str | None = Field(default=None, max_length=40, description="16 digits.")
    sex: Sex | None = None
    birth_date: date | None = None
    birth_weight_kg: float | None = Field(default=None, gt=0, lt=1e6)
    birth_length_cm: float | None = Field(default=None, gt=0, lt=1e6)
    mother_name: str | None = Field(default=None, max_length=200)
    posyandu_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    confirm_duplicate: bool = Field(
        default=False,
        description="Store the correction although another child of the kelurahan, without "
        "NIK, then has the same name, sex, birth date and mother's name (without it such a "
        "correction answers 409 with those children).",
    )


class SameChildOut(BaseModel):
    """A correction refused because other children of the user's area would then have the
    child's name, sex, birth date and mother's name; send ``confirm_duplicate: true`` if
    it is another child."""

    errors: list[str]
    children: list[int]


class CreatedOut(BaseModel):
    """The id of what was created."""

    id: int


class ProblemsOut(BaseModel):
    """Why values were refused (the same messages as the entry form)."""

    errors: list[str]
    warnings: list[str]


class FieldConflictOut(BaseModel):
    """A field whose stored value differs from the one sent (as the form writes it)."""

    field: str
    stored: str | None
    yours: str | None


class ConflictOut(BaseModel):
    """A correction refused because someone else changed the child since ``version``
    was read: the fields that differ, and the version now stored."""

    errors: list[str]
    fields: list[FieldConflictOut]
    version: int


class DuplicateOut(BaseModel):
    """A measurement refused because the child already has one on that date; send it
    again with ``confirm_duplicate: true`` to store it anyway."""

    errors: list[str]
    existing: list[MeasurementOut]
