"""`cs-ledger audit verify`: check the hash chain of the event log.

Exit codes: 0 the chain verifies (the head is printed for anchoring elsewhere),
1 the log was tampered with (the first bad position is named) or a snapshot
differs from its events (checked by default; `--no-snapshots` skips them); 2 the store could not be read at
all. Never a traceback: operators run this from cron and scripts.
"""

from __future__ import annotations

import logging
import sqlite3

import psycopg
import typer
from eventsourcing.persistence import PersistenceError
from pydantic import ValidationError

from api.cli.base import app, console, err_console, load_settings
from cs_runtime.bootstrap import open_application
from cs_store.audit import verify_log
from cs_store.chain import Anchor, VerifyResult
from cs_store.factory import chain_recorder
from cs_store.snapshots import SnapshotCheck, verify_snapshots
from cs_store.wiring import StoreUnavailable

audit_app = typer.Typer(no_args_is_help=True, help="Tamper evidence of the event log.")
app.add_typer(audit_app, name="audit")

EXIT_TAMPERED = 1
EXIT_UNREADABLE = 2
STORE_ERRORS = (StoreUnavailable, PersistenceError, psycopg.Error, sqlite3.Error, OSError)


def _run(anchor: Anchor | None, snapshots: bool) -> tuple[VerifyResult, SnapshotCheck | None]:
    # The connection pool logs each failed attempt; the one error message below is enough.
    logging.getLogger("psycopg.pool").setLevel(logging.CRITICAL)
    with open_application(load_settings(), readonly=True) as application:
        result = verify_log(chain_recorder(application), anchor=anchor)
        # Snapshots are checked against events, so only once the events verify.
        return result, verify_snapshots(application) if snapshots and result.ok else None


@audit_app.command("verify")
def verify(
    anchor: str | None = typer.Option(
        None, help="POSITION:HASH printed by an earlier run and kept outside the system; "
                   "also detects a log cut short after it.",
    ),
    snapshots: bool = typer.Option(
        True, "--snapshots/--no-snapshots",
        help="Also rebuild every snapshot from its events and compare (the default; "
             "`--no-snapshots` checks the chain only, faster: one replay per snapshot).",
    ),
) -> None:
    """Recompute the hash chain; exit 1 naming the first bad position if it is broken."""
    try:
        parsed = Anchor.parse(anchor) if anchor else None
    except ValueError as error:
        err_console.print(f"[red]error[/red]: --anchor: {error}", soft_wrap=True)
        raise typer.Exit(code=EXIT_UNREADABLE) from None
    try:
        result, snapshot_check = _run(parsed, snapshots)
    except ValidationError as error:
        err_console.print(f"[red]error[/red]: invalid configuration: {error}", soft_wrap=True)
        raise typer.Exit(code=EXIT_UNREADABLE) from None
    except STORE_ERRORS as error:
        err_console.print(f"[red]error[/red]: cannot read the event log: {error}", soft_wrap=True)
        raise typer.Exit(code=EXIT_UNREADABLE) from None
    if not result.ok:
        err_console.print(
            f"[red]tampered[/red]: first bad position {result.first_bad_position} "
            f"({result.reason}); {result.events_checked} events verified before it",
            soft_wrap=True,
        )
        raise typer.Exit(code=EXIT_TAMPERED)
    console.print(f"ok: {result.events_checked} events checked", soft_wrap=True)
    console.print(f"head: {result.head}", soft_wrap=True)
    console.print(f"anchor: {result.head_position}:{result.head}", soft_wrap=True)
    if snapshot_check is None:
        return
    if snapshot_check.ok:
        console.print(f"snapshots: {snapshot_check.snapshots_checked} checked", soft_wrap=True)
        return
    for bad in snapshot_check.bad:
        err_console.print(f"[red]bad snapshot[/red]: {bad.originator_id} version {bad.version}: "
                          f"{bad.reason}", soft_wrap=True)
    err_console.print(
        f"[red]tampered[/red]: {snapshot_check.bad_count} of {snapshot_check.snapshots_checked} "
        "snapshots differ from their events (delete them: aggregates then replay from events)",
        soft_wrap=True,
    )
    raise typer.Exit(code=EXIT_TAMPERED)
