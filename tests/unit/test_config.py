"""The one settings class: documented, defaults that run out of the box, clear errors."""

from pathlib import Path

import pytest

from tumbuh.config import load_settings, settings_fields
from tumbuh.errors import ConfigError

DOCS = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in settings_fields():
        monkeypatch.delenv(variable, raising=False)


@pytest.mark.parametrize("variable", sorted(settings_fields()))
def test_every_setting_is_documented(variable: str) -> None:
    assert f"`{variable}`" in DOCS.read_text(encoding="utf-8")


def test_every_setting_has_a_description() -> None:
    assert all(description.strip() for description in settings_fields().values())


def test_defaults_run_on_an_sqlite_file_in_bahasa_indonesia_for_cilegon() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///tumbuh.sqlite"
    assert (settings.language, settings.city_code, settings.kbm_table_file) == ("id", "36.72", None)


def test_plain_postgresql_urls_use_the_psycopg_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUMBUH_DATABASE_URL", "postgresql://tumbuh@db.example/tumbuh")
    assert load_settings().database_url == "postgresql+psycopg://tumbuh@db.example/tumbuh"


@pytest.mark.parametrize(
    ("variable", "value", "accepted"),
    [
        ("TUMBUH_LANGUAGE", "jawa", "use id, en"),
        ("TUMBUH_DATABASE_URL", "mysql://root@localhost/tumbuh", "use sqlite:///FILE"),
        ("TUMBUH_CITY_CODE", "Cilegon", "such as 36.72"),
        ("TUMBUH_KBM_TABLE_FILE", "/no/such/kbm.csv", "an existing CSV file"),
    ],
)
def test_a_bad_value_names_the_variable_the_value_and_what_is_accepted(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, accepted: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    message = str(error.value)
    assert message.startswith(f"environment variable {variable} has the value '{value}'")
    assert accepted in message


def test_a_refused_database_url_never_shows_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUMBUH_DATABASE_URL", "mysql://tumbuh:rahasia@db.example/tumbuh")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert "rahasia" not in str(error.value)
    assert "mysql://tumbuh:***@db.example/tumbuh" in str(error.value)
