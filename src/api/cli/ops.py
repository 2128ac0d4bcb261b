"""`cs-ledger ops parked` and `cs-ledger ops retry ID`: parked events from the shell.

`parked` lists each consumer (views, `process:playbooks`) with its position and lag,
then every parked event (id, consumer, position, topic, attempts, error); exit 0.
`retry ID` handles one parked event again (see automation.operations.retry): exit 0 when
it was handled, 1 when it still fails (one more attempt counted), 2 for an unknown id.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from api.cli.base import app, console, err_console, load_settings
from automation import operations
from cs_domain.app import CustomerSuccess
from cs_store.factory import build_application
from projections.db import ReadModels
from projections.parking import Parked

ops_app = typer.Typer(no_args_is_help=True, help="Consumers of the log and parked events.")
app.add_typer(ops_app, name="ops")


@contextmanager
def _opened() -> Iterator[tuple[CustomerSuccess, ReadModels]]:
    settings = load_settings()
    application = build_application(settings)
    models = ReadModels.from_settings(settings)
    try:
        yield application, models
    finally:
        models.dispose()
        application.close()


def print_parked(rows: list[Parked]) -> None:
    if not rows:
        console.print("parked: none")
        return
    console.print(f"parked: {len(rows)}")
    for p in rows:
        console.print(f"  #{p.id} {p.consumer} at {p.position} ({p.topic}), "
                      f"{p.attempts} attempt(s): {p.error}", soft_wrap=True, markup=False)


@ops_app.command("parked")
def parked() -> None:
    """List the consumers' positions and every parked event."""
    with _opened() as (application, models):
        found = operations.status(application, models)
    for c in found.consumers:
        console.print(f"{c.name}: {c.status} at {c.position} (lag {c.lag_events})",
                      soft_wrap=True, markup=False)
    print_parked(found.parked)


@ops_app.command("retry")
def retry(parked_id: int = typer.Argument(..., min=1, help="The parked event's id.")) -> None:
    """Handle one parked event again (a view's retry rebuilds that view)."""
    with _opened() as (application, models):
        try:
            operations.retry(application, models, parked_id)
        except LookupError:
            err_console.print(f"error: no parked event {parked_id}", markup=False)
            raise typer.Exit(code=2) from None
        except operations.RetryFailed as failed:
            err_console.print(f"still failing ({failed.row.attempts} attempts): "
                              f"{failed.row.error}", soft_wrap=True, markup=False)
            raise typer.Exit(code=1) from None
    console.print(f"retried: parked event {parked_id} handled")
