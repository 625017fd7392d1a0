"""The child-matching key: NIK, else normalised name + birth date + sex + mother's name."""

from datetime import date

import pytest

from tumbuh.growth.enums import Sex
from tumbuh.ingest.matching import child_key, normalise_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Siti Nur'aini", "SITI NURAINI"),
        ("Siti Nur Aini", "siti nuraini"),
        ("An. Muhammad Rizki", "Muhamad Rizki"),
        ("By. Ny. Annisa", "Anisa"),
        ("Soekarno Poetra", "Sukarno Putra"),
        ("Djoko Tjahjono", "Joko Cahjono"),
        ("Ny. Rina Wati", "Rina Wati"),
        ("Zoë", "Zoe"),
    ],
)
def test_names_typed_differently_normalise_alike(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)


@pytest.mark.parametrize(("a", "b"), [("Ana", "Ani"), ("Rizki", "Rizka"), ("Budi", "Bud")])
def test_different_names_stay_different(a: str, b: str) -> None:
    assert normalise_name(a) != normalise_name(b)


def test_the_identity_key_needs_name_birth_date_sex_and_mother() -> None:
    key = child_key(
        nik=None,
        name="Siti Aminah",
        birth_date=date(2022, 8, 17),
        sex=Sex.FEMALE,
        mother_name="Ny. Rina",
    )
    assert key.identity == "sitiaminah|2022-08-17|2|rina"
    assert key.nik is None
    assert key.usable


def test_without_nik_or_mother_a_child_cannot_be_matched() -> None:
    key = child_key(
        nik=None, name="Siti", birth_date=date(2022, 8, 17), sex=Sex.FEMALE, mother_name=None
    )
    assert not key.usable


def test_a_nik_is_the_first_key_and_identity_rides_along() -> None:
    key = child_key(
        nik="3672015708220001",
        name="Siti",
        birth_date=date(2022, 8, 17),
        sex=Sex.FEMALE,
        mother_name="Rina",
    )
    assert key.nik == "3672015708220001"
    assert key.identity == "siti|2022-08-17|2|rina"


def test_the_same_row_always_gives_the_same_key() -> None:
    args = {
        "nik": None,
        "name": "Budi",
        "birth_date": date(2023, 3, 12),
        "sex": Sex.MALE,
        "mother_name": "Sari",
    }
    assert child_key(**args) == child_key(**args)  # type: ignore[arg-type]
