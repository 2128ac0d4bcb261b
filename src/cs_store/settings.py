"""Process configuration, read from the environment (and a `.env` file)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    # Request bodies above this many bytes are refused with 413 before being read whole.
    max_body_bytes: int = Field(default=1_048_576, ge=1)

    @property
    def is_postgres(self) -> bool:
        return bool(self.database_url) and str(self.database_url).startswith("postgres")
