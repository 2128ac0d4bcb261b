"""The shared Typer application and helpers every sub-command uses."""

from __future__ import annotations

import typer
from rich.console import Console

from cs_store.settings import Settings

app = typer.Typer(
    name="cs-ledger", no_args_is_help=True, add_completion=False,
    help="CS Ledger: the event-sourced system of record for customer success teams.",
)
console = Console()
err_console = Console(stderr=True)


def load_settings() -> Settings:
    return Settings()
