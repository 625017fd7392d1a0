"""Row checks of where a row belongs: kota, kecamatan, kelurahan and posyandu names.

Names are matched with :class:`tumbuh.ingest.regions.RegionMatcher` (spelling-tolerant);
posyandu names are compared by :func:`posyandu_key`.
"""

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from tumbuh.ingest import messages as msg
from tumbuh.ingest.layouts import Field
from tumbuh.ingest.regions import MatchKind, RegionMatcher, RegionRecord, region_key, slips

if TYPE_CHECKING:
    from tumbuh.ingest.checks import CheckContext, RowDraft


def check_regions(draft: "RowDraft", context: "CheckContext") -> None:
    matcher = context.matcher
    kotas = matcher.kota()
    city = draft.text(Field.CITY)
    if city and len(kotas) == 1 and not _is_kota(city, kotas[0]):
        draft.error(Field.CITY, msg.OTHER_KOTA, value=city, kota=kotas[0].name)
    kota_name = kotas[0].name if kotas else ""
    kecamatan_name = draft.text(Field.KECAMATAN)
    if kecamatan_name:
        found = matcher.kecamatan(kecamatan_name)
        draft.kecamatan = found.region
        _note_spelling(context, "kecamatan", kecamatan_name, found.region, found.kind)
        if found.region is None:
            draft.error(
                Field.KECAMATAN,
                msg.UNKNOWN_KECAMATAN_SUGGEST if found.suggestions else msg.UNKNOWN_KECAMATAN,
                value=kecamatan_name,
                kota=kota_name,
                suggestions=", ".join(r.name for r in found.suggestions),
            )
            return
    kelurahan_name = draft.text(Field.KELURAHAN)
    if kelurahan_name:
        _check_kelurahan(draft, context, kelurahan_name, kota_name)
    draft.posyandu = draft.text(Field.POSYANDU)


@lru_cache(maxsize=256)
def _is_kota(written: str, kota: RegionRecord) -> bool:
    """True when ``written`` names ``kota`` (``KOTA CILEGON``, ``Cilegon``; one slip)."""
    keys = {region_key(n) for n in (kota.name, *kota.alternative_names)}
    return min(slips(region_key(written), k, 1) for k in keys) <= 1


def _check_kelurahan(draft: "RowDraft", context: "CheckContext", name: str, kota: str) -> None:
    parent = draft.kecamatan.code if draft.kecamatan else None
    found = context.matcher.kelurahan(name, parent)
    _note_spelling(context, "kelurahan", name, found.region, found.kind)
    draft.kelurahan = found.region
    if found.region is not None:
        return
    if draft.kecamatan is None:
        draft.error(Field.KELURAHAN, msg.UNKNOWN_KELURAHAN_CITY, value=name, kota=kota)
        return
    elsewhere = context.matcher.kelurahan(name, None)
    if elsewhere.region is not None:
        other = _name_of(context.matcher, elsewhere.region.parent_code)
        draft.error(
            Field.KELURAHAN,
            msg.KELURAHAN_ELSEWHERE,
            value=name,
            other=other,
            kecamatan=draft.kecamatan.name,
        )
        return
    draft.error(
        Field.KELURAHAN,
        msg.UNKNOWN_KELURAHAN_SUGGEST if found.suggestions else msg.UNKNOWN_KELURAHAN,
        value=name,
        kecamatan=draft.kecamatan.name,
        suggestions=", ".join(r.name for r in found.suggestions),
    )


def _name_of(matcher: RegionMatcher, code: str | None) -> str:
    return next((r.name for r in matcher.regions if r.code == code), code or "")


def _note_spelling(
    context: "CheckContext", level: str, written: str, region: RegionRecord | None, kind: MatchKind
) -> None:
    if region is not None and kind is MatchKind.SPELLING:
        context.region_spellings[(level, written)] = region.name


def posyandu_key(name: str) -> str:
    """Comparison form of a posyandu name: ``"Posy. Melati 03"`` -> ``melati3``."""
    text = re.sub(r"^\s*(?:posyandu|posy|pos)\b[\s.:]*", "", name.lower())
    text = re.sub(r"[^a-z0-9]", "", text)
    return re.sub(r"(?<!\d)0+(?=\d)", "", text)
