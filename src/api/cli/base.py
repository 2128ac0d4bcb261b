"""The shared Typer application and helpers every sub-command uses."""

from __future__ import annotations

import sys
from importlib import metadata
from typing import Annotated

import typer
from rich.console import Console

from cs_store import settings as store_settings
from cs_store.settings import InvalidSettings, Settings

app = typer.Typer(
    name="cs-ledger", no_args_is_help=True, add_completion=False,
    help="CS Ledger: the event-sourced system of record for customer success teams.",
)
console = Console()
err_console = Console(stderr=True)


def version() -> str:
    try:
        return metadata.version("cs-ledger")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown"


def _print_version(value: bool) -> None:
    if value:
        print(f"cs-ledger {version()}")
        raise typer.Exit()


@app.callback()
def main_options(
    _version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="Print the version and exit.")] = False,
) -> None:
    """CS Ledger: the event-sourced system of record for customer success teams."""


def load_settings() -> Settings:
    """The settings from the environment; a bad one exits 2 with one line naming it."""
    try:
        return store_settings.load_settings()
    except InvalidSettings as error:
        print(f"error: invalid settings: {error}", file=sys.stderr)
        raise typer.Exit(code=2) from None
