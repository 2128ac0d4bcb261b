"""`cs-ledger audit verify`: check the hash chain of the event log.

Exit codes: 0 the chain verifies (the head is printed for anchoring elsewhere),
1 the log was tampered with (the first bad position is named), 2 the store could
not be read at all. Never a traceback: operators run this from cron and scripts.
"""

from __future__ import annotations

import logging
import sqlite3

import psycopg
import typer
from eventsourcing.persistence import PersistenceError
from pydantic import ValidationError

from api.cli.base import app, console, err_console, load_settings
from cs_store.audit import verify_log
from cs_store.chain import Anchor, VerifyResult
from cs_store.factory import open_event_log
from cs_store.wiring import StoreUnavailable

audit_app = typer.Typer(no_args_is_help=True, help="Tamper evidence of the event log.")
app.add_typer(audit_app, name="audit")

EXIT_TAMPERED = 1
EXIT_UNREADABLE = 2
STORE_ERRORS = (StoreUnavailable, PersistenceError, psycopg.Error, sqlite3.Error, OSError)


def _run(anchor: Anchor | None) -> VerifyResult:
    # The connection pool logs each failed attempt; the one error message below is enough.
    logging.getLogger("psycopg.pool").setLevel(logging.CRITICAL)
    with open_event_log(load_settings()) as recorder:
        return verify_log(recorder, anchor=anchor)


@audit_app.command("verify")
def verify(
    anchor: str | None = typer.Option(
        None, help="POSITION:HASH printed by an earlier run and kept outside the system; "
                   "also detects a log cut short after it.",
    ),
) -> None:
    """Recompute the hash chain; exit 1 naming the first bad position if it is broken."""
    try:
        parsed = Anchor.parse(anchor) if anchor else None
    except ValueError as error:
        err_console.print(f"[red]error[/red]: --anchor: {error}", soft_wrap=True)
        raise typer.Exit(code=EXIT_UNREADABLE) from None
    try:
        result = _run(parsed)
    except ValidationError as error:
        err_console.print(f"[red]error[/red]: invalid configuration: {error}", soft_wrap=True)
        raise typer.Exit(code=EXIT_UNREADABLE) from None
    except STORE_ERRORS as error:
        err_console.print(f"[red]error[/red]: cannot read the event log: {error}", soft_wrap=True)
        raise typer.Exit(code=EXIT_UNREADABLE) from None
    if result.ok:
        console.print(f"ok: {result.events_checked} events checked", soft_wrap=True)
        console.print(f"head: {result.head}", soft_wrap=True)
        console.print(f"anchor: {result.head_position}:{result.head}", soft_wrap=True)
        return
    err_console.print(
        f"[red]tampered[/red]: first bad position {result.first_bad_position} ({result.reason}); "
        f"{result.events_checked} events verified before it",
        soft_wrap=True,
    )
    raise typer.Exit(code=EXIT_TAMPERED)
