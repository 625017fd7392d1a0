"""One masking of names and NIK for every list without identity, the audit log and
masked exports (UU 27/2022), and the proof that a masked NIK cannot be rebuilt from the
rest of its row (issue 11, item 5)."""

import re
from collections.abc import Iterable
from datetime import date, timedelta

import pytest

from tumbuh.db.audit import audit_json
from tumbuh.growth.enums import Sex
from tumbuh.privacy import mask_name, mask_nik

SERIALS = range(1, 10_000)  # digits 13-16 of a NIK: 0001-9999
# Fewer candidates than this and a masked NIK is as good as shown: a serial number is
# small in practice (0001 to a few dozen), so the whole 0001-9999 must stay open.
FEWEST_CANDIDATES = len(SERIALS)


def nik_of(region: str, born: date, sex: Sex, serial: int) -> str:
    """A NIK as Dukcapil builds it: kecamatan code (6 digits), birth date as DDMMYY
    with 40 added to the day for girls, and a 4-digit serial."""
    day = born.day + (40 if sex is Sex.FEMALE else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def rebuild(masked: str, region: str, born: Iterable[date], sex: Sex) -> int:
    """How many NIKs fit ``masked`` given what its row says (the kecamatan code, the
    birth dates it allows, the sex): an attacker's candidates, every serial tried."""
    if len(masked) != 16:
        return 0
    shown = re.compile(re.escape(masked[:12]).replace(r"\*", "[0-9]"))
    serial = re.compile(re.escape(masked[12:]).replace(r"\*", "[0-9]"))
    serials = sum(1 for s in SERIALS if serial.fullmatch(f"{s:04d}"))
    stems = sum(1 for d in born if shown.fullmatch(nik_of(region, d, sex, 0)[:12]))
    return stems * serials


def every_day(until: date, years: int = 6) -> list[date]:
    """Every birth date a child under ``years`` could have: what an attacker must try
    when the record holds no birth date."""
    return [until - timedelta(days=n) for n in range(365 * years + 2)]


@pytest.mark.parametrize(
    ("nik", "masked"),
    [
        ("3672014101240099", "3672************"),
        ("3672015708220001", "3672************"),
        ("3201015501230001", "3201************"),
        ("367201410124", "************"),  # shorter than a NIK: hidden entirely
        ("12345", "*****"),
        ("", ""),
        (None, None),
    ],
)
def test_nik_keeps_only_the_kota_digits(nik: str | None, masked: str | None) -> None:
    assert mask_nik(nik) == masked


@pytest.mark.parametrize(
    ("region", "born", "sex", "serial"),
    [
        ("367201", date(2022, 8, 17), Sex.FEMALE, 1),
        ("367205", date(2024, 1, 1), Sex.MALE, 12),
        ("367208", date(2020, 12, 31), Sex.FEMALE, 9999),
    ],
)
def test_the_row_cannot_rebuild_a_masked_nik(
    region: str, born: date, sex: Sex, serial: int
) -> None:
    nik = nik_of(region, born, sex, serial)
    masked = mask_nik(nik)
    assert masked is not None
    assert "*" in masked  # never read back as a NIK: an import refuses it (NIK_MASKED)
    # Everything the export row holds is known: area, birth date, sex.
    assert rebuild(masked, region, [born], sex) >= FEWEST_CANDIDATES


def test_the_attack_finds_the_nik_when_the_serial_is_shown() -> None:
    """The rebuild of these tests is a real attack: the former mask (digits 1-4 and
    13-16) gave the NIK back from the row alone."""
    nik = nik_of("367201", date(2022, 8, 17), Sex.FEMALE, 1)
    former = nik[:4] + "*" * 8 + nik[12:]
    assert rebuild(former, "367201", [date(2022, 8, 17)], Sex.FEMALE) == 1


def test_an_audit_record_holds_no_birth_date_and_cannot_rebuild_the_nik() -> None:
    born, sex = date(2023, 1, 10), Sex.FEMALE
    nik = nik_of("367201", born, sex, 3)
    before = {"name": "Sinta", "nik": nik, "sex": "female", "birth_date": born}
    after = {**before, "birth_date": date(2023, 3, 10)}
    record = audit_json(after, before)
    assert record == (
        '{"birth_date_changed": true, "name": "Sinta", "nik": "3672************", '
        '"nik_changed": false, "sex": "female"}'
    )
    assert "2023" not in record
    # Without a birth date the attacker must try every day of six years.
    assert rebuild("3672************", "367201", every_day(date(2024, 1, 1)), sex) >= (
        FEWEST_CANDIDATES * 365 * 6
    )


def test_a_mothers_nik_and_birth_date_are_kept_out_too() -> None:
    record = audit_json({"mother_nik": "3672016005950002", "mother_birth_date": date(1995, 5, 20)})
    assert record == '{"mother_nik": "3672************"}'


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Siti Aminah", "S. A."),
        ("Siti  nur Aminah", "S. N. A."),
        ("Siti  Nur Aminah", "S. N. A."),
        ("  budi ", "B."),
        ("", ""),
        (None, None),
    ],
)
def test_name_becomes_its_initials(name: str | None, masked: str | None) -> None:
    assert mask_name(name) == masked
