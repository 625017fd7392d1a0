"""Synthetic names and identity numbers for the demo city.

Names are drawn from common Indonesian given names, so a person's name may by chance
equal a real one, but no record belongs to anybody. NIK and Nomor KK follow the real
16-digit layout (6 digits of region, 6 of date, 4 of serial) with a region part that
no real person can have: ``3672`` (Kota Cilegon) followed by ``9`` and the kecamatan
digit, and Cilegon has no kecamatan numbered 91-98. They are therefore never a real NIK.
"""

from collections import Counter

import numpy as np

MALE_NAMES = (
    "Muhammad", "Ahmad", "Rizky", "Fajar", "Dimas", "Arya", "Bagas", "Raka", "Fadli", "Hafiz",
    "Zaki", "Rafi", "Alif", "Dafa", "Farel", "Gilang", "Ilham", "Naufal", "Reza", "Satria",
    "Yusuf", "Aditya", "Bima", "Galih", "Haikal", "Ikhsan", "Rehan", "Abdul", "Akbar", "Arkan",
    "Azka", "Fathan", "Rayyan", "Umar", "Zidan", "Hamzah", "Bayu", "Rendi", "Fikri", "Aldi",
)  # fmt: skip
FEMALE_NAMES = (
    "Aisyah", "Siti", "Nur", "Putri", "Dewi", "Ayu", "Anisa", "Zahra", "Nabila", "Salsabila",
    "Aulia", "Citra", "Fitri", "Intan", "Kirana", "Laila", "Maya", "Nadia", "Rahma", "Sari",
    "Tiara", "Wulan", "Alya", "Keisha", "Naura", "Shafa", "Khanza", "Hana", "Rania", "Syifa",
    "Adiba", "Humaira", "Latifa", "Mutiara", "Nayla", "Qonita", "Ratna", "Yasmin", "Dinda", "Elsa",
)  # fmt: skip
MALE_SECOND = (
    "Pratama", "Saputra", "Ramadhan", "Hidayat", "Kurniawan", "Nugraha", "Permana", "Setiawan",
    "Wijaya", "Firmansyah", "Maulana", "Hakim", "Fauzan", "Alfarizi", "Hidayatullah", "Syahputra",
    "Prasetyo", "Gunawan",
)  # fmt: skip
FEMALE_SECOND = (
    "Lestari", "Rahmawati", "Safitri", "Puspita", "Anggraini", "Maharani", "Wulandari", "Azzahra",
    "Ramadhani", "Nurhaliza", "Amelia", "Oktaviani", "Kurniasih", "Sumiati", "Aminah", "Hasanah",
    "Marlina", "Fadilah",
)  # fmt: skip
POSYANDU_NAMES = (
    "Mawar", "Melati", "Anggrek", "Dahlia", "Kenanga", "Flamboyan", "Cempaka", "Kamboja",
    "Teratai", "Seroja", "Tulip", "Bougenvil", "Asoka", "Aster", "Lili", "Matahari", "Sakura",
    "Bakung", "Delima", "Manggis", "Rambutan", "Nangka", "Durian", "Salak", "Jambu", "Belimbing",
    "Sirsak", "Kemuning", "Cendana", "Soka",
)  # fmt: skip
STREET_PREFIXES = ("Jl.", "Kp.", "Link.", "Gg.")


def person_names(rng: np.random.Generator, male: np.ndarray) -> list[str]:
    """A given name plus a second name per person (``male`` is a boolean array)."""
    n = int(male.shape[0])
    is_male: list[bool] = male.tolist()
    first_m: list[int] = rng.integers(0, len(MALE_NAMES), n).tolist()
    first_f: list[int] = rng.integers(0, len(FEMALE_NAMES), n).tolist()
    second_m: list[int] = rng.integers(0, len(MALE_SECOND), n).tolist()
    second_f: list[int] = rng.integers(0, len(FEMALE_SECOND), n).tolist()
    return [
        f"{MALE_NAMES[a]} {MALE_SECOND[b]}" if boy else f"{FEMALE_NAMES[c]} {FEMALE_SECOND[d]}"
        for boy, a, b, c, d in zip(is_male, first_m, second_m, first_f, second_f, strict=True)
    ]


def identity_numbers(kecamatan_digit: np.ndarray, day: np.ndarray, female: np.ndarray) -> list[str]:
    """Unique 16-digit synthetic NIK (or Nomor KK): region, date (day + 40 for women), serial.

    ``day`` is datetime64[D] (birth date for a NIK, issue date for a KK).
    """
    years = day.astype("datetime64[Y]").astype(np.int64) + 1970
    months = day.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (day - day.astype("datetime64[M]")).astype(np.int64) + 1 + np.where(female, 40, 0)
    serials: Counter[str] = Counter()
    numbers = []
    for kec, dd, mm, yy in zip(
        kecamatan_digit.tolist(), days.tolist(), months.tolist(), years.tolist(), strict=True
    ):
        prefix = f"36729{kec}{dd:02d}{mm:02d}{yy % 100:02d}"
        serials[prefix] += 1
        numbers.append(f"{prefix}{serials[prefix]:04d}")
    return numbers


def addresses(rng: np.random.Generator, n: int) -> list[str]:
    """Street addresses such as ``Kp. Kenanga No. 12``."""
    prefix = rng.integers(0, len(STREET_PREFIXES), n)
    street = rng.integers(0, len(POSYANDU_NAMES), n)
    number = rng.integers(1, 120, n)
    return [
        f"{STREET_PREFIXES[p]} {POSYANDU_NAMES[s]} No. {k}"
        for p, s, k in zip(prefix, street, number, strict=True)
    ]
