"""Process configuration, read from the environment (and a `.env` file)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cs_domain.currencies import is_known_currency


class Settings(BaseSettings):
    """Where the data lives and how to reach it.

    `database_url` selects PostgreSQL; without it everything is embedded SQLite
    files under `data_dir`.
    """

    model_config = SettingsConfigDict(env_prefix="CS_LEDGER_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path(".cs-ledger"))
    database_url: str | None = None
    database_schema: str = "public"
    admin_token: str | None = None
    # How often followers poll the log when no notification wakes them (seconds).
    poll_interval: float = 0.5
    # Upper bound for read-your-writes waits (seconds).
    min_position_timeout: float = 5.0
    # The currency `GET /metrics/renewals` totals amounts in (with recorded exchange rates);
    # None: no reporting block, and `POST /fx-rates` is refused.
    reporting_currency: str | None = None

    @field_validator("reporting_currency", mode="before")
    @classmethod
    def _known_currency(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not is_known_currency(value):
            raise ValueError(f"CS_LEDGER_REPORTING_CURRENCY={value!r} is not an ISO 4217 "
                             "currency code in use, such as EUR")
        return value

    @property
    def is_postgres(self) -> bool:
        return bool(self.database_url) and str(self.database_url).startswith("postgres")
