"""Every word of PMT episodes users read has an Indonesian translation, placeholders kept,
and every code has its label (docs/pmt.md)."""

import string

import pytest

from tumbuh import episode_labels as labels
from tumbuh.growth.pmt import EpisodeExit, Funding, Indication, Refusal
from tumbuh.growth.pmt_comparison import OutcomeGroup, SampleSize
from tumbuh.growth.pmt_episodes import EPISODE_TEMPLATES, Closing, EpisodeError, EpisodeProblem
from tumbuh.growth.pmt_outcomes import Measure
from tumbuh.i18n import Language, translations

# Programme names that are the same in Indonesian.
SAME_IN_INDONESIAN = {"Baznas", "DAK non-fisik", "Bapak Asuh Anak Stunting", "Kelurahan"}
LABELS = (
    labels.MEASURE_NAMES,
    labels.GROUP_NAMES,
    labels.GROUP_COLUMNS,
    labels.TOO_FEW_TEXTS,
    labels.INDICATION_NAMES,
    labels.FUNDING_NAMES,
    labels.EXIT_NAMES,
    labels.CLOSING_NAMES,
    labels.REFUSAL_NAMES,
    labels.EPISODE_FIELD_NAMES,
    EPISODE_TEMPLATES,
)
MESSAGE_IDS = sorted({str(text) for names in LABELS for text in names.values()})


def test_every_code_has_a_label() -> None:
    assert set(labels.INDICATION_NAMES) == set(Indication)
    assert set(labels.FUNDING_NAMES) == set(Funding)
    assert set(labels.EXIT_NAMES) == set(EpisodeExit)
    assert set(labels.CLOSING_NAMES) == set(Closing)
    assert set(labels.REFUSAL_NAMES) == set(Refusal) - {Refusal.NONE}
    assert set(EPISODE_TEMPLATES) == set(EpisodeProblem)
    assert set(labels.MEASURE_NAMES) == set(Measure)
    assert set(labels.GROUP_NAMES) == set(labels.GROUP_COLUMNS) == set(OutcomeGroup)
    assert set(labels.TOO_FEW_TEXTS) == set(SampleSize) - {SampleSize.ENOUGH}


def test_a_row_with_too_few_children_says_so_in_plain_words() -> None:
    gettext = translations(Language.ID).gettext
    assert labels.too_few_text(SampleSize.FEW_MATCHED, (20, 10), gettext) == (
        "Terlalu sedikit anak untuk dibandingkan: kurang dari 20 anak yang diberi PMT punya "
        "pembanding yang tidak diberi PMT."
    )
    assert "kurang dari 10 anak serupa" in labels.too_few_text(
        SampleSize.FEW_CONTROLS, (20, 10), gettext
    )
    assert labels.too_few_text(SampleSize.ENOUGH, (20, 10), gettext) == ""
    assert labels.group_label(OutcomeGroup.FUNDING, "apbd", None, gettext) == (
        "APBD (anggaran kota)"
    )
    assert labels.group_label(OutcomeGroup.KITCHEN, "3", None, gettext) == "3"
    assert labels.period_words("2024-01", None, gettext) == "episode yang mulai 2024-01 sampai …"


@pytest.mark.parametrize("message_id", MESSAGE_IDS)
def test_label_has_an_indonesian_translation(message_id: str) -> None:
    translated = translations(Language.ID).gettext(message_id)
    assert translated != message_id or message_id in SAME_IN_INDONESIAN


@pytest.mark.parametrize("message_id", MESSAGE_IDS)
def test_translation_keeps_the_placeholders(message_id: str) -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    assert fields(translations(Language.ID).gettext(message_id)) == fields(message_id)


def test_an_error_names_the_field_the_value_and_the_accepted_codes_in_indonesian() -> None:
    gettext = translations(Language.ID).gettext
    error = EpisodeError(EpisodeProblem.NOT_A_CHOICE, "funding", "apdb", "apbd, dak")
    assert labels.episode_error_text(error, gettext) == (
        "Sumber dana: 'apdb' bukan salah satu nilai yang diterima: apbd (APBD (anggaran kota)), "
        "dak (DAK non-fisik)"
    )
    refusal = EpisodeError(EpisodeProblem.REFUSED_AGE, "Budi Santoso", "62", "6-59")
    assert labels.episode_error_text(refusal, gettext).startswith(
        "Budi Santoso: umur 62 bulan; PMT lokal untuk anak umur 6-59 bulan (aturan: umur)."
    )
