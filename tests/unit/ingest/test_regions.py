"""Region names as people write them are matched to Kemendagri codes (docs/domain.md §12)."""

import pytest

from tests.unit.ingest.wilayah import cilegon_regions
from tumbuh.ingest.regions import MatchKind, RegionMatcher, region_key, slips

MATCHER = RegionMatcher(cilegon_regions())
BARE = RegionMatcher(cilegon_regions(alternatives=False))


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Gerogol", "36.72.06"),
        ("Grogol", "36.72.06"),
        ("KEC. GROGOL", "36.72.06"),
        ("Pulomerak", "36.72.03"),
        ("Pulau Merak", "36.72.03"),
        ("pulo merak", "36.72.03"),
        ("Kecamatan Cibeber", "36.72.01"),
    ],
)
def test_kecamatan_spellings_from_domain_are_matched(written: str, code: str) -> None:
    found = MATCHER.kecamatan(written)
    assert found.region is not None
    assert found.region.code == code


@pytest.mark.parametrize(
    ("written", "kecamatan", "code"),
    [
        ("Cikerasi", "36.72.01", "36.72.01.1004"),
        ("Karangasem", "36.72.01", "36.72.01.1005"),
        ("KARANG ASEM", "36.72.01", "36.72.01.1005"),
        ("Kel. Tegalratu", "36.72.04", "36.72.04.1002"),
        ("Lebak Gede", "36.72.03", "36.72.03.1002"),
        ("Kedalaman", "36.72.01", "36.72.01.1002"),
        ("Grogol", "36.72.06", "36.72.06.1002"),
    ],
)
def test_kelurahan_spellings_from_domain_are_matched(
    written: str, kecamatan: str, code: str
) -> None:
    found = MATCHER.kelurahan(written, kecamatan)
    assert found.region is not None
    assert found.region.code == code


@pytest.mark.parametrize(
    ("written", "kecamatan", "official"),
    [
        ("Gerogol", None, "Gerogol"),
        ("Grogol", None, "Gerogol"),  # one letter dropped
        ("Cikerasi", "36.72.01", "Cikerai"),  # one letter added
        ("Kedalaman", "36.72.01", "Kedaleman"),  # one letter changed
        ("Kalitimbnag", "36.72.01", "Kalitimbang"),  # two letters swapped
        ("Pulau Merak", None, "Pulomerak"),
    ],
)
def test_spelling_slips_are_matched_without_a_list_of_variants(
    written: str, kecamatan: str | None, official: str
) -> None:
    found = BARE.kecamatan(written) if kecamatan is None else BARE.kelurahan(written, kecamatan)
    assert found.region is not None
    assert found.region.name == official


def test_a_fuzzy_match_says_it_was_one() -> None:
    assert BARE.kelurahan("Cikerasi", "36.72.01").kind is MatchKind.SPELLING
    assert MATCHER.kelurahan("Cikerasi", "36.72.01").kind is MatchKind.EXACT


def test_an_unknown_name_gets_the_closest_names_as_suggestions() -> None:
    near = MATCHER.kelurahan("Cikerr", "36.72.01")  # two slips from Cikerai: too many
    assert near.region is None
    assert [r.name for r in near.suggestions] == ["Cikerai"]
    far = MATCHER.kelurahan("Bulakan Raya", "36.72.01")
    assert (far.region, far.suggestions) == (None, ())


def test_a_short_name_is_never_matched_loosely() -> None:
    # "Kepu" is one letter from Kepuh, but four-letter keys must match exactly.
    assert MATCHER.kelurahan("Kepu", "36.72.04").region is None
    assert [r.name for r in MATCHER.kelurahan("Kepu", "36.72.04").suggestions] == ["Kepuh"]


def test_kelurahan_are_matched_inside_their_kecamatan() -> None:
    assert MATCHER.kelurahan("Kotasari", "36.72.05").region is None
    found = MATCHER.kelurahan("Kotasari", None)
    assert found.region is not None
    assert found.region.parent_code == "36.72.06"


def test_a_kecamatan_and_a_kelurahan_of_the_same_name_are_kept_apart() -> None:
    kecamatan = MATCHER.kecamatan("Citangkil")
    kelurahan = MATCHER.kelurahan("Citangkil", "36.72.08")
    assert (kecamatan.region and kecamatan.region.code) == "36.72.08"
    assert (kelurahan.region and kelurahan.region.code) == "36.72.08.1007"


def test_region_keys_drop_titles_case_spaces_and_punctuation() -> None:
    assert region_key("KEL. Pulau  Merak") == "pulomerak"
    assert region_key("Kelurahan Lebak-Gede") == "lebakgede"
    assert region_key("Désa Karang Asem") == "karangasem"


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("grogol", "gerogol", 1), ("abcd", "abdc", 1), ("kepuh", "kepuh", 0), ("abc", "xyz", 3)],
)
def test_slips_count_insertions_deletions_changes_and_swaps(a: str, b: str, distance: int) -> None:
    assert slips(a, b, 3) == distance
