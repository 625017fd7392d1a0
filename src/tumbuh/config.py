"""The one settings class: environment variables ``TUMBUH_*`` (see docs/configuration.md)."""

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Tumbuh's configuration; every field is documented in docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="TUMBUH_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///tumbuh.sqlite",
        description="SQLAlchemy database URL. The default is an SQLite file in the working "
        "directory; production uses postgresql+psycopg://user:password@host/database.",
    )
    language: Literal["id", "en"] = Field(
        default="id",
        description="Language of messages, reports and the web interface: id (Bahasa "
        "Indonesia) or en (English).",
    )
