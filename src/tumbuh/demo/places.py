"""Puskesmas, posyandu and kader of the demo city.

The 9 puskesmas and their PONED status are Cilegon's (docs/domain.md §12). Their working
areas are not published, so the demo gives each kecamatan's kelurahan to its puskesmas
and splits Citangkil between Citangkil 1 and 2; posyandu and kader are invented (about
one posyandu per 95 balita, five kader each).
"""

from dataclasses import dataclass

import numpy as np

from tumbuh.db.regions import RegionInfo
from tumbuh.demo.names import FEMALE_NAMES, FEMALE_SECOND, POSYANDU_NAMES

# (name, kecamatan code, PONED)
PUSKESMAS = (
    ("Cibeber", "36.72.01", True),
    ("Cilegon", "36.72.02", True),
    ("Pulau Merak", "36.72.03", True),
    ("Ciwandan", "36.72.04", True),
    ("Jombang", "36.72.05", False),
    ("Grogol", "36.72.06", False),
    ("Purwakarta", "36.72.07", False),
    ("Citangkil 1", "36.72.08", False),
    ("Citangkil 2", "36.72.08", True),
)
CITANGKIL_2_FROM = "36.72.08.1005"  # Kebonsari, Samangraya, Citangkil (a demo split)
BALITA_PER_POSYANDU = 95
KADER_PER_POSYANDU = 5


@dataclass(frozen=True)
class Places:
    """Rows for puskesmas, puskesmas_area, posyandu and kader, plus posyandu facts."""

    puskesmas_area: dict[str, int]  # kelurahan code -> puskesmas id (1-based)
    posyandu_kelurahan: list[str]  # per posyandu (id = position + 1)
    posyandu_code: list[str]
    posyandu_name: list[str]
    posyandu_rw: list[str]
    posyandu_day: np.ndarray  # day of the month of its weighing day
    posyandu_weight: np.ndarray  # share of the city's balita
    posyandu_heaping: np.ndarray  # tendency to round to .0/.5 (mean 1)
    kader_posyandu: np.ndarray  # per kader: posyandu id
    kader_name: list[str]

    @property
    def posyandu_count(self) -> int:
        """Number of posyandu."""
        return len(self.posyandu_code)


def _areas(kelurahan: list[RegionInfo]) -> dict[str, int]:
    """Kelurahan code -> puskesmas id: the kecamatan's puskesmas (Citangkil split in two)."""
    ids = {name: i + 1 for i, (name, _, _) in enumerate(PUSKESMAS)}
    of_kecamatan = {code: ids[name] for name, code, _ in PUSKESMAS if name != "Citangkil 2"}
    areas = {}
    for k in kelurahan:
        parent = k.parent_code or ""
        split = parent == "36.72.08" and k.code >= CITANGKIL_2_FROM
        areas[k.code] = ids["Citangkil 2"] if split else of_kecamatan[parent]
    return areas


def build_places(rng: np.random.Generator, kelurahan: list[RegionInfo], balita: float) -> Places:
    """Posyandu per kelurahan in proportion to a random kelurahan size, and their kader."""
    size = rng.gamma(4.0, 1.0, len(kelurahan))
    size = size / size.sum()
    codes, names, rws, weights, kel_of = [], [], [], [], []
    for k, share in zip(kelurahan, size.tolist(), strict=True):
        count = max(1, round(balita * share / BALITA_PER_POSYANDU))
        first = int(rng.integers(0, len(POSYANDU_NAMES)))
        parts = rng.uniform(0.6, 1.4, count)
        for j in range(count):
            codes.append(f"{k.code}.{j + 1:02d}")
            names.append(f"{POSYANDU_NAMES[(first + j) % len(POSYANDU_NAMES)]} {j // 30 + 1}")
            rws.append(f"{j + 1:03d}")
            weights.append(share * parts[j] / parts.sum())
            kel_of.append(k.code)
    n = len(codes)
    kader_posyandu = np.repeat(np.arange(1, n + 1), KADER_PER_POSYANDU)
    kader_count = int(kader_posyandu.shape[0])
    given: list[int] = rng.integers(0, len(FEMALE_NAMES), kader_count).tolist()
    second: list[int] = rng.integers(0, len(FEMALE_SECOND), kader_count).tolist()
    return Places(
        puskesmas_area=_areas(kelurahan),
        posyandu_kelurahan=kel_of,
        posyandu_code=codes,
        posyandu_name=names,
        posyandu_rw=rws,
        posyandu_day=rng.integers(5, 26, n),
        posyandu_weight=np.asarray(weights) / np.sum(weights),
        posyandu_heaping=rng.gamma(1.0, 1.0, n),
        kader_posyandu=kader_posyandu,
        kader_name=[
            f"{FEMALE_NAMES[a]} {FEMALE_SECOND[b]}" for a, b in zip(given, second, strict=True)
        ],
    )
