"""The one settings class: environment variables ``TUMBUH_*`` (see docs/configuration.md).

Adapters call :func:`load_settings`, which turns pydantic's validation error into a
``ConfigError`` naming the environment variable, the value found and the values accepted,
so that a bad value stops startup with a message an administrator can act on.
"""

import re
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, FilePath, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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

    secret_key: SecretStr | None = Field(
        default=None,
        description="Secret that signs the web application's session cookies (at least 32 "
        "characters). Unset: a random secret is generated once and kept in the file named by "
        "TUMBUH_SECRET_KEY_FILE. Changing it logs every user out.",
        json_schema_extra={"accepted": "a random text of at least 32 characters, or unset"},
    )
    secret_key_file: Path = Field(
        default=Path("tumbuh-secret.key"),
        description="File that keeps the generated session secret when TUMBUH_SECRET_KEY is "
        "unset; created on the first start with permissions for its owner only.",
        json_schema_extra={"accepted": "a file path whose folder exists"},
    )
    report_cache_dir: Path | None = Field(
        default=None,
        description="Folder where the web application keeps the semester reports it has built "
        "(PDF and XLSX, counts only, no names or NIK) until the records change. Unset: the "
        "folder tumbuh-reports next to the SQLite database file, or in the working directory "
        "with PostgreSQL. Created when first needed.",
        json_schema_extra={"accepted": "a folder path, or unset"},
    )
    # The semester report's letterhead and signature (issue 16): docs/semester-report.md.
    report_government: str = Field(
        default="PEMERINTAH KOTA CILEGON",
        description="First line of the semester report's letterhead: the government that "
        "issues it.",
        json_schema_extra={"accepted": "a line of text"},
    )
    report_team: str = Field(
        default="TIM PERCEPATAN PENURUNAN STUNTING (TPPS)",
        description="Second line of the semester report's letterhead: the team.",
        json_schema_extra={"accepted": "a line of text"},
    )
    report_address: str = Field(
        default="Jl. Jenderal Sudirman No. 2, Kota Cilegon, Banten",
        description="Last line of the semester report's letterhead, printed small: the "
        "secretariat's address (empty: no address line).",
        json_schema_extra={"accepted": "a line of text, or empty"},
    )
    report_logo_file: FilePath | None = Field(
        default=None,
        description="PNG or JPEG file drawn at the left of the semester report's letterhead "
        "(the city's coat of arms). Unset: no logo.",
        json_schema_extra={"accepted": "the path of an existing PNG or JPEG file, or unset"},
    )
    report_signature_place: str = Field(
        default="Cilegon",
        description="Place written before the date above the semester report's signature.",
        json_schema_extra={"accepted": "a place name"},
    )
    report_signature_title: str = Field(
        default="Ketua Pelaksana TPPS Kota Cilegon",
        description="Title of the person who signs the semester report.",
        json_schema_extra={"accepted": "a line of text"},
    )
    report_signature_name: str | None = Field(
        default=None,
        description="Name of the person who signs the semester report. Unset: a dotted line "
        "to write the name by hand.",
        json_schema_extra={"accepted": "a name, or unset"},
    )
    report_signature_nip: str | None = Field(
        default=None,
        description="NIP (civil servant number) printed under the signer's name. Unset: none.",
        json_schema_extra={"accepted": "a NIP such as 196801011990031001, or unset"},
    )
    # Hostile files (issue 11): docs/security.md, section 2.
    import_max_file_mb: int = Field(
        default=50,
        ge=1,
        description="Largest file, in MB, that an import (web upload or tumbuh import "
        "eppgbm) reads; a larger one is refused before it is read.",
        json_schema_extra={"accepted": "a whole number of MB of at least 1, such as 50"},
    )
    import_max_rows: int = Field(
        default=200_000,
        ge=1,
        description="Most rows a file to import may have (title and header rows included); "
        "counted before the file is parsed, and parsing stops there.",
        json_schema_extra={"accepted": "a whole number of at least 1, such as 200000"},
    )
    import_max_unpacked_mb: int = Field(
        default=512,
        ge=1,
        description="Most MB an .xlsx or .ods file may unpack to (its zip parts together), "
        "read from its zip directory before anything is unpacked.",
        json_schema_extra={"accepted": "a whole number of MB of at least 1, such as 512"},
    )
    import_max_ratio: int = Field(
        default=100,
        ge=1,
        description="Most times a part of an .xlsx or .ods file (above 1 MB unpacked) may "
        "unpack to its packed size; a decompression bomb is packed far tighter.",
        json_schema_extra={"accepted": "a whole number of at least 1, such as 100"},
    )
    import_max_line_kb: int = Field(
        default=64,
        ge=1,
        description="Longest line, in KB, of a CSV or text file to import.",
        json_schema_extra={"accepted": "a whole number of KB of at least 1, such as 64"},
    )
    import_worker_memory_mb: int = Field(
        default=2048,
        ge=512,
        description="Address space, in MB, of the worker process that reads each file to "
        "import; a file that needs more is refused, and the web server or command goes on.",
        json_schema_extra={"accepted": "a whole number of MB of at least 512, such as 2048"},
    )
    upload_dir: Path | None = Field(
        default=None,
        description="Folder where the web application keeps uploaded import files (names "
        "and NIK) between the check and the import, with permissions for its owner only. "
        "Unset: the folder tumbuh-uploads beside the report folder (TUMBUH_REPORT_CACHE_DIR).",
        json_schema_extra={"accepted": "a folder path, or unset"},
    )
    upload_keep_minutes: int = Field(
        default=60,
        ge=1,
        le=1440,
        description="Minutes an uploaded import file is kept before it is deleted, whether "
        "or not it was imported; expired uploads are deleted every few minutes.",
        json_schema_extra={"accepted": "a whole number of minutes from 1 to 1440, such as 60"},
    )
    cookie_secure: bool = Field(
        default=False,
        description="Send the session cookie over HTTPS only. Set it to true whenever the "
        "web application is reached through HTTPS (every deployment but a local demo).",
        json_schema_extra={"accepted": "true, false"},
    )
    session_idle_minutes: int = Field(
        default=60,
        ge=1,
        le=24 * 60,
        description="A web session ends after this many minutes without a request; the user "
        "signs in again. 60 minutes lets a kader pause between posyandu tables without leaving "
        "a shared puskesmas computer signed in for the rest of the day.",
        json_schema_extra={"accepted": "a whole number of minutes from 1 to 1440"},
    )
    session_max_hours: int = Field(
        default=12,
        ge=1,
        le=7 * 24,
        description="A web session ends this many hours after sign-in, however active (one "
        "working day).",
        json_schema_extra={"accepted": "a whole number of hours from 1 to 168"},
    )
    trusted_proxies: Annotated[tuple[IPv4Network | IPv6Network, ...], NoDecode] = Field(
        default=(),
        description="IP addresses or networks of the reverse proxies in front of the web "
        "application, whose X-Forwarded-For header is believed: the client is the rightmost "
        "address in it that is not such a proxy. Unset: X-Forwarded-For is ignored and the "
        "address that connected is the client.",
        json_schema_extra={
            "accepted": "IP addresses or networks separated by commas, such as "
            "127.0.0.1, 10.0.0.0/8; or unset"
        },
    )
    web_threads: int = Field(
        default=40,
        ge=1,
        le=1000,
        description="Page requests one web worker process handles at the same time (threads); "
        "its database pool keeps as many connections, plus 10 for background work.",
        json_schema_extra={"accepted": "a whole number from 1 to 1000, such as 40"},
    )
    db_pool_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="How long a request waits for a free database connection before it fails.",
        json_schema_extra={"accepted": "a positive number of seconds, such as 30"},
    )

    # Data-quality thresholds (issue 6): defaults of docs/data-quality.md, docs/methods-quality.md.
    dq_min_children: int = Field(
        default=100,
        ge=1,
        description="An area with fewer children of 6-59 months with a WHZ gets 'too few "
        "children' instead of a SMART data-quality score.",
        json_schema_extra={"accepted": "a whole number of at least 1"},
    )
    dq_expected_male_share: float = Field(
        default=0.5,
        gt=0,
        lt=1,
        description="Expected share of boys in the sex-ratio test of the SMART score (0.5 is "
        "SMART's default; a country's sex ratio at birth may be used instead).",
        json_schema_extra={"accepted": "a number between 0 and 1, such as 0.5"},
    )
    dq_expected_age_ratio: float = Field(
        default=0.85,
        gt=0,
        description="Expected ratio of children aged 6-29 to 30-59 months in the age-ratio "
        "test of the SMART score.",
        json_schema_extra={"accepted": "a positive number, such as 0.85"},
    )
    dq_smart_flag_distance: float = Field(
        default=3.0,
        gt=0,
        description="A WHZ further than this from the area's mean WHZ is SMART-flagged.",
        json_schema_extra={"accepted": "a positive number, such as 3"},
    )
    dq_poisson_case_cut: float = Field(
        default=-2.0,
        description="WHZ below this counts as a case in the Poisson test of clustering "
        "between posyandu.",
        json_schema_extra={"accepted": "a number, such as -2"},
    )
    dq_team_flagged_share: float = Field(
        default=0.01,
        ge=0,
        le=1,
        description="Share of z-scores outside the WHO flag limits above which an area is "
        "warned (WHO-UNICEF TEAM: more than 1 % may signal problems).",
        json_schema_extra={"accepted": "a number between 0 and 1, such as 0.01"},
    )
    dq_team_skewness: float = Field(
        default=0.5,
        gt=0,
        description="HAZ or WAZ skewness beyond plus or minus this is called asymmetric "
        "(WHO-UNICEF TEAM).",
        json_schema_extra={"accepted": "a positive number, such as 0.5"},
    )
    dq_team_kurtosis_low: float = Field(
        default=2.0,
        gt=0,
        description="HAZ or WAZ Pearson kurtosis below this means light tails (WHO-UNICEF TEAM).",
        json_schema_extra={"accepted": "a positive number, such as 2"},
    )
    dq_team_kurtosis_high: float = Field(
        default=4.0,
        gt=0,
        description="HAZ or WAZ Pearson kurtosis above this means heavy tails (WHO-UNICEF TEAM).",
        json_schema_extra={"accepted": "a positive number, such as 4"},
    )
    dq_coverage_target: float = Field(
        default=0.90,
        ge=0,
        le=1,
        description="Coverage D/S below this is a data-quality warning (the 90 % target of "
        "Perpres 72/2021 for 2024; the 2006 growth-monitoring standard asked 80 %).",
        json_schema_extra={"accepted": "a number between 0 and 1, such as 0.9"},
    )
    dq_coverage_trusted: float = Field(
        default=0.95,
        ge=0,
        le=1,
        description="Coverage D/S needed before register prevalence is called trustworthy "
        "(BKKBN: about 95 %).",
        json_schema_extra={"accepted": "a number between 0 and 1, such as 0.95"},
    )
    dq_missing_share: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="Share of missing birth dates, sexes, weights, lengths/heights or "
        "positions above which an area is warned.",
        json_schema_extra={"accepted": "a number between 0 and 1, such as 0.05"},
    )
    dq_position_mismatch_share: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="Share of children measured in the wrong position for their age (standing "
        "under 24 months, lying from 24 months) above which an area is warned.",
        json_schema_extra={"accepted": "a number between 0 and 1, such as 0.05"},
    )
    dq_copied_height_share: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="Share of lengths/heights identical to the child's previous one (probably "
        "copied) above which an area is warned.",
        json_schema_extra={"accepted": "a number between 0 and 1, such as 0.05"},
    )
    dq_implausible_share: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description="Share of weights and lengths/heights that do not fit the child's own "
        "growth curve above which an area is warned.",
        json_schema_extra={"accepted": "a number between 0 and 1, such as 0.05"},
    )
    dq_height_tolerance_cm: float = Field(
        default=2.5,
        ge=0,
        description="A length/height may fall by this many cm between two measurements before "
        "the fall is judged implausible (growthcleanr's height.tolerance.cm).",
        json_schema_extra={"accepted": "a number of cm of at least 0, such as 2.5"},
    )

    # Surveillance (issue 5): docs/surveillance.md.
    bgm_waz_below: float = Field(
        default=-3.0,
        description="BGM (below the red line of the KMS): weight-for-age z-score below this "
        "value; -3 is the red line of the KMS of Permenkes 155/2010 [verify with Dinkes].",
        json_schema_extra={"accepted": "a negative number, such as -3"},
    )
    above_orange_waz: float | None = Field(
        default=None,
        description="Refer children whose weight-for-age z-score is above this value (the "
        "orange line of the Buku KIA 2023 growth chart). Unset: not judged, because the "
        "line's z-value is not confirmed.",
        json_schema_extra={"accepted": "a number such as 2, or unset"},
    )

    @field_validator("secret_key")
    @classmethod
    def _long_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("secret too short")
        return value

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        """``"127.0.0.1, 10.0.0.0/8"`` -> networks (a lone address is a /32 or /128)."""
        if isinstance(value, str):
            parts = [part for part in re.split(r"[,\s]+", value) if part]
            return tuple(ip_network(part, strict=False) for part in parts)
        return value

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
        if field == "secret_key":
            value = "***"  # never print a secret
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
