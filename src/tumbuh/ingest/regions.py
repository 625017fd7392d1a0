"""Kecamatan and kelurahan names as people write them, matched to Kemendagri codes.

Files carry region *names*, never codes (docs/domain.md §2), and spell them many ways:
``Gerogol``/``Grogol``, ``Pulau Merak``/``Pulomerak``, ``Karangasem``/``Karang Asem``,
``KEL. TEGALRATU``. A name is matched in three steps, stopping at the first that finds
exactly one region:

1. the *key*: lower case, accents, punctuation and spaces removed, a leading
   ``Kecamatan``/``Kec.``/``Kelurahan``/``Kel.``/``Desa`` dropped, ``pulau`` read as
   ``pulo``; compared with the keys of each region's name and alternative spellings;
2. one slip: keys of at least 5 letters that differ by one letter added, dropped,
   changed or two neighbours swapped (``cikerasi``/``cikerai``, ``kedalaman``/
   ``kedaleman``); two slips for keys of 9 letters or more;
3. otherwise the name is unknown, and the closest names (three slips at most) are
   offered.

The region list is an input (records of code, name, level, parent code and alternative
spellings): this module reads no files.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class RegionLevel(StrEnum):
    """Levels of the Kemendagri administrative hierarchy."""

    PROVINSI = "provinsi"
    KOTA = "kota"  # kota or kabupaten
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"  # kelurahan or desa


@dataclass(frozen=True)
class RegionRecord:
    """One region: Kemendagri code (``36.72.06.1002``), name, level and parent's code."""

    code: str
    name: str
    level: RegionLevel
    parent_code: str | None
    alternative_names: tuple[str, ...] = ()


class MatchKind(StrEnum):
    """How a written name was matched."""

    EXACT = "exact"  # same key as the official name or a listed alternative spelling
    SPELLING = "spelling"  # one or two slips away from exactly one region
    NONE = "none"  # no region, or several equally close ones


@dataclass(frozen=True)
class RegionMatch:
    """The region a name was matched to (None if none), and the closest candidates."""

    region: RegionRecord | None
    kind: MatchKind
    suggestions: tuple[RegionRecord, ...] = field(default=())


_PREFIXES = re.compile(
    r"^(?:kecamatan|kec|kelurahan|kel|desa|ds|kota|kabupaten|kab|provinsi|prov)\b[\s.:]*"
)
_FUZZY_MIN_LENGTH = 5
_TWO_SLIPS_MIN_LENGTH = 9
_SUGGEST_MAX_SLIPS = 3  # unknown names get the closest names within this many slips


def region_key(name: str) -> str:
    """Comparison key of a region name: ``"Kel. Pulau  Merak"`` -> ``pulomerak``."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = _PREFIXES.sub("", text.lower().strip())
    text = re.sub(r"\bpulau\b", "pulo", text)
    return re.sub(r"[^a-z0-9]", "", text)


def slips(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (insert, delete, change, swap), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def _allowed_slips(key: str) -> int:
    if len(key) >= _TWO_SLIPS_MIN_LENGTH:
        return 2
    return 1 if len(key) >= _FUZZY_MIN_LENGTH else 0


class RegionMatcher:
    """Matches kecamatan and kelurahan names of one kota against its region list."""

    def __init__(self, regions: Iterable[RegionRecord]) -> None:
        self.regions = tuple(regions)
        self._keys: dict[str, list[tuple[str, RegionRecord]]] = {}
        for region in self.regions:
            names = {region_key(n) for n in (region.name, *region.alternative_names)}
            bucket = self._keys.setdefault(region.level.value, [])
            bucket.extend((key, region) for key in names if key)
        self._cache: dict[tuple[str, str, str | None], RegionMatch] = {}

    def kota(self) -> tuple[RegionRecord, ...]:
        """The kota/kabupaten records in the list."""
        return tuple(r for r in self.regions if r.level is RegionLevel.KOTA)

    def kecamatan(self, name: str) -> RegionMatch:
        """The kecamatan called ``name``."""
        return self._match(RegionLevel.KECAMATAN, name, None)

    def kelurahan(self, name: str, kecamatan_code: str | None) -> RegionMatch:
        """The kelurahan (or desa) called ``name``, inside ``kecamatan_code`` when given."""
        return self._match(RegionLevel.KELURAHAN, name, kecamatan_code)

    def _match(self, level: RegionLevel, name: str, parent: str | None) -> RegionMatch:
        cache_key = (level.value, name, parent)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._compute(level, name, parent)
        return self._cache[cache_key]

    def _compute(self, level: RegionLevel, name: str, parent: str | None) -> RegionMatch:
        key = region_key(name)
        pool = [
            (k, r)
            for k, r in self._keys.get(level.value, [])
            if parent is None or r.parent_code == parent
        ]
        exact = _unique(r for k, r in pool if k == key)
        if len(exact) == 1:
            return RegionMatch(exact[0], MatchKind.EXACT, tuple(exact))
        if len(exact) > 1:
            return RegionMatch(None, MatchKind.NONE, tuple(exact))
        limit = _allowed_slips(key)
        distances = [(slips(key, k, max(limit, _SUGGEST_MAX_SLIPS)), r) for k, r in pool]
        best = min((d for d, _ in distances), default=limit + 1)
        closest = _unique(r for d, r in distances if d == best)
        if best <= limit and len(closest) == 1:
            return RegionMatch(closest[0], MatchKind.SPELLING, tuple(closest))
        near = closest if best <= _SUGGEST_MAX_SLIPS else []
        return RegionMatch(None, MatchKind.NONE, tuple(near[:3]))


def _unique(regions: Iterable[RegionRecord]) -> list[RegionRecord]:
    seen: dict[str, RegionRecord] = {}
    for region in regions:
        seen.setdefault(region.code, region)
    return list(seen.values())
