"""Process configuration, read from the environment (and a `.env` file).

Checked when read: a value that would silently select the wrong store (a misspelt
`CS_LEDGER_DATABASE_URL` scheme used to fall back to SQLite) is refused with a reason
that names the setting. Settings built without validation (`model_copy(update=...)`)
are checked by :func:`check_settings` where a process starts (the API factory).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cs_domain.currencies import is_known_currency

ENV_PREFIX = "CS_LEDGER_"
# What SQLAlchemy and psycopg 3 accept for PostgreSQL; unset means SQLite in data_dir.
POSTGRES_SCHEMES = ("postgresql+psycopg", "postgresql")
URL_EXAMPLE = "postgresql+psycopg://USER:PASSWORD@HOST:5432/DBNAME"


class InvalidSettings(ValueError):
    """A setting cannot be used; the message is one line naming it."""


def database_url_problem(url: str | None) -> str | None:
    """Why this CS_LEDGER_DATABASE_URL cannot be used (None when it can)."""
    if url is None:
        return None
    scheme, sep, rest = url.partition("://")
    if not sep:
        return f"not a URL (expected {URL_EXAMPLE}, or unset for SQLite)"
    if scheme.lower() not in POSTGRES_SCHEMES:
        # Never echo the rest: it may hold a password.
        return (f"unsupported scheme {scheme[:40]!r}: CS Ledger stores on PostgreSQL "
                f"({' or '.join(POSTGRES_SCHEMES)}://…) or, unset, on SQLite files")
    if not rest.split("/", 1)[0].rpartition("@")[2]:
        return f"no host (expected {URL_EXAMPLE})"
    return None


class Settings(BaseSettings):
    """Where the data lives and how to reach it.

    `database_url` selects PostgreSQL; without it everything is embedded SQLite
    files under `data_dir`.
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path(".cs-ledger"))
    database_url: str | None = None
    database_schema: str = Field(default="public", min_length=1, max_length=63)
    admin_token: str | None = None
    # How often followers poll the log when no notification wakes them (seconds).
    poll_interval: float = Field(default=0.5, gt=0, le=60)
    # Upper bound for read-your-writes waits (seconds).
    min_position_timeout: float = Field(default=5.0, gt=0, le=300)
    # GET /readyz answers 503 when the views or the automation are further behind the log.
    ready_max_lag_events: int = Field(default=1000, ge=0)
    # Request bodies above this many bytes are refused with 413 before being read whole.
    max_body_bytes: int = Field(default=1_048_576, ge=1)

    @field_validator("database_url", mode="before")
    @classmethod
    def _known_store(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip() or None
        problem = database_url_problem(value) if isinstance(value, str) else None
        if problem:
            raise ValueError(problem)
        return value
    # Install the shipped playbooks (seed 002) at the store's first start; 0 opts out.
    default_playbooks: bool = True

    # The currency `GET /metrics/renewals` totals amounts in (with recorded exchange rates);
    # None: no reporting block, and `POST /fx-rates` is refused.
    reporting_currency: str | None = None

    @field_validator("reporting_currency", mode="before")
    @classmethod
    def _known_currency(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not is_known_currency(value):
            raise ValueError(f"{value!r} is not an ISO 4217 currency code in use, such as EUR")
        return value

    @property
    def is_postgres(self) -> bool:
        return bool(self.database_url) and str(self.database_url).startswith("postgres")


def describe_error(error: ValidationError) -> str:
    """One line naming each refused setting by its environment variable."""
    parts = []
    for item in error.errors():
        name = ENV_PREFIX + "_".join(str(p) for p in item["loc"]).upper()
        message = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{name}: {message}")
    return "; ".join(parts) or str(error)


def check_settings(settings: Settings) -> Settings:
    """Re-validates settings (which `model_copy` does not); raises InvalidSettings."""
    problem = database_url_problem(settings.database_url)
    if problem:
        raise InvalidSettings(f"{ENV_PREFIX}DATABASE_URL: {problem}")
    return settings


def load_settings() -> Settings:
    """The process's settings from the environment; raises InvalidSettings (one line)."""
    try:
        return Settings()
    except ValidationError as error:
        raise InvalidSettings(describe_error(error)) from None
