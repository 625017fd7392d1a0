"""One masking of names and NIK for every list without identity, the audit log and
masked exports (UU 27/2022; the cases of the three former copies, kept)."""

import pytest

from tumbuh.privacy import mask_name, mask_nik


@pytest.mark.parametrize(
    ("nik", "masked"),
    [
        ("3672014101240099", "3672********0099"),
        ("3672015708220001", "3672********0001"),
        ("3672015501230001", "3672********0001"),
        ("367201410124", "3672****0124"),  # 12 characters: as many hidden as shown
        ("36720141012", "***********"),  # shorter: not a NIK, hidden entirely
        ("12345678", "********"),
        ("12345", "*****"),
        ("", ""),
        (None, None),
    ],
)
def test_nik_keeps_its_first_and_last_four_digits(nik: str | None, masked: str | None) -> None:
    assert mask_nik(nik) == masked


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
