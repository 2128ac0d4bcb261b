"""`cs-ledger audit verify`: check the hash chain of the event log."""

from __future__ import annotations

import typer

from api.cli.base import app, console, err_console, load_settings
from cs_store.audit import verify_log
from cs_store.factory import build_application, chain_recorder

audit_app = typer.Typer(no_args_is_help=True, help="Tamper evidence of the event log.")
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify() -> None:
    """Recompute the hash chain; exit 1 naming the first bad position if it is broken."""
    application = build_application(load_settings())
    try:
        result = verify_log(chain_recorder(application))
    finally:
        application.close()
    if result.ok:
        console.print(f"ok: {result.events_checked} events checked")
        console.print(f"head: {result.head}")
        return
    err_console.print(
        f"[red]tampered[/red]: first bad position {result.first_bad_position} ({result.reason}); "
        f"{result.events_checked} events verified before it"
    )
    raise typer.Exit(code=1)
