"""The cases the registers propose for an audit (docs/aks.md, "Which records are
proposed"): the records of the locus kelurahan read, judged by
:func:`tumbuh.growth.aks.select_candidates`, named, and those already confirmed left
out. Called by :mod:`tumbuh.usecases.aks` after it has checked the user's membership."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from tumbuh.db.aks import CaseRow
from tumbuh.db.aks_sources import (
    LocusChild,
    locus_births,
    locus_catin,
    locus_children,
    locus_pregnancies,
    subject_names,
)
from tumbuh.growth.aks import (
    BirthRecord,
    Candidate,
    CatinRecord,
    ChildRecord,
    PregnancyRecord,
    audit_day,
    select_candidates,
)
from tumbuh.growth.krs import assess
from tumbuh.growth.periods import Period


@dataclass(frozen=True)
class CandidateLine:
    """A proposed case with the subject's name and kelurahan (the audit team only)."""

    candidate: Candidate
    name: str
    kelurahan_code: str | None
    kelurahan_name: str | None


def _krs(children: Sequence[LocusChild]) -> list[bool]:
    if not children:
        return []
    facts = [c.krs for c in children]
    judged = assess(
        **{
            key: [f.get(key) for f in facts]
            for key in (
                "has_safe_drinking_water",
                "has_safe_latrine",
                "wife_under_20",
                "wife_35_or_older",
                "birth_spacing_under_2_years",
                "more_than_3_children",
            )
        }
    )
    return [bool(v) for v in judged.at_risk.yes]


def _records(
    connection: Connection, period: Period, codes: list[str]
) -> tuple[list[Candidate], dict[tuple[str, int], str]]:
    on = audit_day(period)
    children = locus_children(connection, codes, on)
    pregnancies = locus_pregnancies(connection, codes, period.start, period.end)
    births = locus_births(connection, codes, period.shifted(-1).start, period.end, on)
    catin = locus_catin(connection, codes, period.start, period.end)
    places = {("child", c.child_id): c.kelurahan_code for c in children}
    places |= {("pregnancy", p.pregnancy_id): p.kelurahan_code for p in pregnancies}
    places |= {("pregnancy", b.pregnancy_id): b.kelurahan_code for b in births}
    places |= {("catin", k.catin_id): k.kelurahan_code for k in catin}
    candidates = select_candidates(
        period,
        children=[
            ChildRecord(c.child_id, c.birth_date, c.latest_haz, c.open_case, krs)
            for c, krs in zip(children, _krs(children), strict=True)
        ],
        pregnancies=[
            PregnancyRecord(
                p.pregnancy_id, p.started_on, p.ended_on, p.lowest_muac_cm, p.lowest_hb_g_dl
            )
            for p in pregnancies
        ],
        births=[
            BirthRecord(
                b.pregnancy_id,
                b.child_id,
                b.born_on,
                b.birth_weight_kg,
                b.birth_length_cm,
                b.latest_haz,
            )
            for b in births
        ],
        catin=[
            CatinRecord(
                k.catin_id,
                k.female,
                k.birth_date,
                k.registered_on,
                k.wedding_on,
                k.screened_on,
                k.muac_cm,
                k.hb_g_dl,
                k.weight_kg,
                k.height_cm,
            )
            for k in catin
        ],
    )
    return candidates, places


def _place(candidate: Candidate, places: dict[tuple[str, int], str]) -> str | None:
    if candidate.pregnancy_id is not None:
        return places.get(("pregnancy", candidate.pregnancy_id))
    if candidate.catin_id is not None:
        return places.get(("catin", candidate.catin_id))
    return places.get(("child", candidate.child_id or 0))


def candidate_lines(
    connection: Connection,
    period: Period,
    locus: Sequence[tuple[str, str]],
    cases: Sequence[CaseRow],
) -> list[CandidateLine]:
    """The candidates of the audit's locus that are not yet its cases, named."""
    codes = [code for code, _ in locus]
    if not codes:
        return []
    candidates, places = _records(connection, period, codes)
    taken = {(c.target_group, c.child_id, c.pregnancy_id, c.catin_id) for c in cases}
    open_ones = [c for c in candidates if c.key not in taken]
    children, mothers, catin = subject_names(
        connection,
        child_ids=[c.child_id for c in open_ones if c.child_id and c.pregnancy_id is None],
        pregnancy_ids=[c.pregnancy_id for c in open_ones if c.pregnancy_id],
        catin_ids=[c.catin_id for c in open_ones if c.catin_id],
    )
    names = dict(locus)
    lines = []
    for c in open_ones:
        if c.pregnancy_id is not None:
            name = mothers.get(c.pregnancy_id, "")
        elif c.catin_id is not None:
            name = catin.get(c.catin_id, "")
        else:
            name = children.get(c.child_id or 0, "")
        code = _place(c, places)
        lines.append(CandidateLine(c, name, code, names.get(code or "")))
    return lines
