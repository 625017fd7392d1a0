"""Parts of the TPPS semester report beyond stunting (issue 16): the other nutritional
statuses by age group, the programmes, and the kecamatan a camat's report is about.

Called by :func:`tumbuh.usecases.reporting.semester_data`; plain data of
:mod:`tumbuh.reports.semester_data` out. The statuses use the register's own prevalence
(:func:`tumbuh.db.prevalence.age_split_prevalence`, one query per status and level);
the programmes are :func:`tumbuh.usecases.programme_semester.programme_semester` (the
monthly PMT report and the Baznas ledger) and the asuhan running in the semester.
"""

from dataclasses import replace
from datetime import date

from sqlalchemy import Connection

from tumbuh.db.models import RegionLevel
from tumbuh.db.prevalence import AgeChoice, PrevalenceIndicator, PrevalenceRow, age_split_prevalence
from tumbuh.db.regions import regions
from tumbuh.db.surveillance.areas import Area, AreaKind, AreaLevel
from tumbuh.errors import InputError
from tumbuh.growth.periods import Period, last_day
from tumbuh.reports.quality_results import QualityReport
from tumbuh.reports.semester_data import AgeGroupFigures, NutritionFigures, ProgrammeFigures
from tumbuh.usecases.access import Role, Scope
from tumbuh.usecases.asuhan import asuhan_list
from tumbuh.usecases.programme_semester import programme_semester

# The statuses of the report besides stunting, in the order it prints them.
OTHER_STATUSES = (
    PrevalenceIndicator.WASTING,
    PrevalenceIndicator.UNDERWEIGHT,
    PrevalenceIndicator.OVERWEIGHT,
)
Split = dict[AgeChoice, list[PrevalenceRow]]


def find_kecamatan(connection: Connection, text: str, city_code: str) -> Area:
    """A kecamatan of the city by its Kemendagri code or its name (any case); an
    InputError naming the option, the value and the kecamatan there are otherwise."""
    wanted = text.strip().lower()
    found = regions(connection, RegionLevel.KECAMATAN, within=city_code)
    for region in found:
        if wanted in (region.code, region.name.lower(), region.display_name.lower()):
            return Area(region.code, region.display_name, AreaKind.KECAMATAN, None, city_code)
    raise InputError(
        "--kecamatan: '{value}' is not a kecamatan of the city; give a code or a name: {known}",
        value=text,
        known=", ".join(f"{r.code} {r.display_name}" for r in found),
    )


def age_groups(split: Split, area: Area | None) -> tuple[AgeGroupFigures, ...]:
    """The report's area first, then each sub-area (not 'no posyandu').

    ``split`` is by kecamatan for the city's report (area None: its first row is the
    city), by kelurahan for a kecamatan's report (its rows outside the kecamatan are left
    out; the kecamatan's own row is given by :func:`area_first`)."""
    rows = zip(
        split[AgeChoice.BADUTA], split[AgeChoice.BALITA_24_59], split[AgeChoice.ALL], strict=True
    )
    result = tuple(
        AgeGroupFigures(total.name or total.code or "", baduta, older, total)
        for baduta, older, total in rows
        if total.code is not None
    )
    if area is None:
        return result
    return tuple(a for a in result if a.total.code and a.total.code.startswith(area.code + "."))


def area_first(by_kecamatan: Split, by_kelurahan: Split, area: Area) -> tuple[AgeGroupFigures, ...]:
    """A kecamatan's row (from the split by kecamatan), then its kelurahan."""
    own = next(a for a in age_groups(by_kecamatan, None) if a.total.code == area.code)
    return (own, *age_groups(by_kelurahan, area))


def nutrition(
    connection: Connection,
    round_: Period,
    city_code: str,
    area: Area | None,
    stunting: tuple[AgeGroupFigures, ...],
) -> tuple[NutritionFigures, ...]:
    """Stunting (already counted) and the other statuses by age group in the round."""
    found = [NutritionFigures(PrevalenceIndicator.STUNTING.label, stunting)]
    for indicator in OTHER_STATUSES:
        by_kecamatan = age_split_prevalence(
            connection, round_, city_code=city_code, by=AreaLevel.KECAMATAN, indicator=indicator
        )
        if area is None:
            rows = age_groups(by_kecamatan, None)
        else:
            by_kelurahan = age_split_prevalence(
                connection, round_, city_code=city_code, by=AreaLevel.KELURAHAN, indicator=indicator
            )
            rows = area_first(by_kecamatan, by_kelurahan, area)
        found.append(NutritionFigures(indicator.label, rows))
    return tuple(found)


def report_scope(kelurahan: frozenset[str] | None) -> Scope:
    """What the report may read of the programmes: the whole city (the TPPS), or the
    kitchens of one kecamatan's kelurahan (the monthly PMT report's area rule)."""
    if kelurahan is None:
        return Scope(Role.ANALYST, None, None, False, False, False, False, False, True)
    return Scope(Role.NUTRITIONIST, kelurahan, None, False, False, False, False, False, True)


def programmes(
    connection: Connection, semester: Period, cut_off: date, kelurahan: frozenset[str] | None
) -> ProgrammeFigures:
    """PMT lokal and Bapak Asuh in the semester's months up to ``cut_off``."""
    scope = report_scope(kelurahan)
    last = min(cut_off, last_day(semester))
    running = [
        a
        for a in asuhan_list(connection, scope, last)
        if a.start_on <= last and (a.end_on is None or a.end_on >= semester.start)
    ]
    found = programme_semester(connection, scope, semester, cut_off)
    return ProgrammeFigures(
        months=tuple(found.months),
        asuh_children=len({a.child_id for a in running if a.child_id is not None}),
        asuh_families=len({a.family_id for a in running if a.family_id is not None}),
        money_whole_city=True,
    )


def kecamatan_quality(
    posyandu: QualityReport, kecamatan: QualityReport, area: Area, kelurahan_of: dict[str, str]
) -> tuple[QualityReport, QualityReport]:
    """The city's data-quality results narrowed to one kecamatan: its own results stand
    for the area, and only its posyandu (by their kelurahan, ``kelurahan_of``) are ranked."""
    inside = area.code + "."
    own = next((u for u in kecamatan.units if u.code == area.code), kecamatan.city)
    units = tuple(
        u for u in posyandu.units if kelurahan_of.get(u.code or "", "").startswith(inside)
    )
    return (
        replace(posyandu, city=own, units=units),
        replace(kecamatan, city=own, units=(own,)),
    )
