"""The one settings class: environment variables ``TUMBUH_*`` (see docs/configuration.md).

Adapters call :func:`load_settings`, which turns pydantic's validation error into a
``ConfigError`` naming the environment variable, the value found and the values accepted,
so that a bad value stops startup with a message an administrator can act on.
"""

import re
from typing import Literal

from pydantic import Field, FilePath, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tumbuh.errors import ConfigError

ENV_PREFIX = "TUMBUH_"
_SUPPORTED_DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")
_REGION_CODE = re.compile(r"^\d{2}\.\d{2}$")
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


class Settings(BaseSettings):
    """Tumbuh's configuration; every field is documented in docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    database_url: str = Field(
        default="sqlite:///tumbuh.sqlite",
        description="SQLAlchemy database URL. The default is an SQLite file in the working "
        "directory; production uses postgresql+psycopg://user:password@host/database.",
        json_schema_extra={
            "accepted": "sqlite:///FILE or postgresql+psycopg://USER:PASSWORD@HOST/DATABASE"
        },
    )
    language: Literal["id", "en"] = Field(
        default="id",
        description="Language of messages, reports and the web interface: id (Bahasa "
        "Indonesia) or en (English).",
        json_schema_extra={"accepted": "id, en"},
    )
    city_code: str = Field(
        default="36.72",
        description="Kemendagri code of the kota or kabupaten whose records this installation "
        "keeps (36.72 is Kota Cilegon). Reports start with this area's row.",
        json_schema_extra={"accepted": "a Kemendagri kota/kabupaten code such as 36.72"},
    )
    kbm_table_file: FilePath | None = Field(
        default=None,
        description="CSV file with the minimum monthly weight gain (KBM) by completed month of "
        "age, columns month,kbm_g, used to judge N (naik) or T (tidak naik). Unset: the built-in "
        "table of Buku KIA 2023 (docs/data-model.md).",
        json_schema_extra={"accepted": "the path of an existing CSV file, or unset"},
    )

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        """Accept SQLite and psycopg URLs; plain ``postgresql://`` means psycopg."""
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme in ("postgresql", "postgres"):
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        if scheme not in _SUPPORTED_DRIVERS:
            raise ValueError("unsupported database URL")
        return value

    @field_validator("city_code")
    @classmethod
    def _region_code(cls, value: str) -> str:
        if not _REGION_CODE.match(value):
            raise ValueError("not a kota/kabupaten code")
        return value


def load_settings() -> Settings:
    """Read the settings from the environment; a bad value raises ``ConfigError``."""
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        info = Settings.model_fields.get(field)
        extra = info.json_schema_extra if info is not None else None
        accepted = extra.get("accepted", "") if isinstance(extra, dict) else ""
        value = str(first.get("input", ""))
        if field == "database_url":
            value = _PASSWORD.sub(r"\1***@", value)  # never print a password
        raise ConfigError(
            "environment variable {variable} has the value '{value}', which is not accepted; "
            "use {accepted}",
            variable=f"{ENV_PREFIX}{field.upper()}",
            value=value,
            accepted=accepted,
        ) from error


def settings_fields() -> dict[str, str]:
    """Environment variable -> description, for documentation and its test."""
    return {
        f"{ENV_PREFIX}{name.upper()}": info.description or ""
        for name, info in Settings.model_fields.items()
    }
