"""One mapping turns WHO's indicator codes into the Permenkes 2/2020 labels users read."""

import pytest

from tumbuh.growth.enums import Indicator
from tumbuh.i18n import Language, translations
from tumbuh.labels import both_labels, indicator_label


@pytest.mark.parametrize(
    ("code", "label", "lying"),
    [
        ("haz", "TB/U", "PB/U"),
        ("waz", "BB/U", "BB/U"),
        ("whz", "BB/TB", "BB/PB"),
        ("baz", "IMT/U", "IMT/U"),
        ("hcz", "LK/U", "LK/U"),
        ("acz", "LiLA/U", "LiLA/U"),
    ],
)
def test_each_indicator_has_its_permenkes_label(code: str, label: str, lying: str) -> None:
    assert indicator_label(code) == label
    assert indicator_label(Indicator(code), lying=True) == lying


def test_length_and_height_labels_are_written_as_a_pair() -> None:
    indonesian = translations(Language.ID).gettext
    english = translations(Language.EN).gettext
    assert both_labels("haz", indonesian) == "PB/U atau TB/U"
    assert both_labels("whz", english) == "BB/PB or BB/TB"
    assert both_labels("waz", indonesian) == "BB/U"


def test_an_unknown_code_is_a_programmer_error() -> None:
    with pytest.raises(ValueError, match="zzz"):
        indicator_label("zzz")
