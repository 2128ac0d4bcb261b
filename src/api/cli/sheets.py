"""`cs-ledger import KIND FILE` and `cs-ledger export VIEW`: spreadsheets in and out.

Import runs :func:`api.sheets.importer.run_import` on the store (a progress bar over
the rows; every bad row printed, nothing written; exit 1). `--as USER` names the
importing user (a manager or admin, by name or id); the default actor is the
operating-system user. Export asks the list endpoint for CSV or XLSX (api.cli.local).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from api.cli.base import app, console, err_console, load_settings
from api.cli.local import local_api
from api.cli.users import cli_actor
from api.sheets.batch import RowError, Users
from api.sheets.columns import KINDS
from api.sheets.importer import ImportRefused, run_import
from cs_domain.app import CustomerSuccess
from cs_store.factory import build_application

IMPORTERS = {"admin", "manager"}


class SheetFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


# export VIEW → the list endpoint (health needs --customer).
VIEWS = {"customers": "/customers", "renewals": "/renewals", "risks": "/risks",
         "tasks": "/tasks", "requirements": "/requirements", "complaints": "/complaints",
         "lifecycle": "/lifecycle", "team": "/team", "playbook-runs": "/playbook-runs",
         "health": "/customers/{customer}/health"}


def importer_actor(application: CustomerSuccess, name: str | None) -> str:
    if name is None:
        return cli_actor()
    users = Users(application)
    try:
        user_id = users.owner(name, "--as")
    except RowError as error:
        err_console.print(f"[red]error[/red]: --as: {error.message}")
        raise typer.Exit(code=1) from None
    if users.by_id[str(user_id)].role not in IMPORTERS:
        err_console.print("[red]error[/red]: --as: only a manager or an admin imports")
        raise typer.Exit(code=1)
    return str(user_id)


@app.command("import")
def import_sheet(
    kind: Annotated[str, typer.Argument(help="customers, contracts or usage.")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help=".csv or .xlsx")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate, write nothing.")] = False,
    as_user: Annotated[str | None, typer.Option("--as", help="The importing user.")] = None,
) -> None:
    """Import a sheet: every row validated first, all or nothing (docs/import.md)."""
    if kind not in KINDS:
        err_console.print(f"[red]error[/red]: kind must be one of: {', '.join(KINDS)}")
        raise typer.Exit(code=1)
    application = build_application(load_settings())
    try:
        actor = importer_actor(application, as_user)
        with Progress(console=err_console, transient=True) as progress:
            task = progress.add_task(f"importing {kind}", total=None)
            outcome = run_import(
                application, actor=actor, kind=kind, data=file.read_bytes(),
                file_name=file.name, dry_run=dry_run,
                progress=lambda done, total: progress.update(task, completed=done, total=total))
    except ImportRefused as error:
        err_console.print(f"[red]refused[/red]: {error.detail}; nothing written", soft_wrap=True)
        for e in error.errors:
            err_console.print(f"  line {e['row']}, {e['column']}: {e['message']}", soft_wrap=True)
        raise typer.Exit(code=1) from None
    finally:
        application.close()
    console.print(f"{'checked' if dry_run else 'imported'} {outcome.rows} rows: "
                  f"{outcome.created} created, {outcome.updated} updated, "
                  f"{outcome.unchanged} unchanged; position {outcome.position}", soft_wrap=True)
    if outcome.ignored_columns:
        console.print(f"ignored columns: {', '.join(outcome.ignored_columns)}", soft_wrap=True)
    if outcome.import_id is not None:
        console.print(f"import {outcome.import_id}: {outcome.events} events", soft_wrap=True)


@app.command("export")
def export_view(
    view: Annotated[str, typer.Argument(help=", ".join(VIEWS))],
    format: Annotated[SheetFormat, typer.Option("--format")] = SheetFormat.CSV,
    as_of: Annotated[str | None, typer.Option("--as-of", help="ISO moment with offset.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Default: VIEW.FORMAT")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="renewals: first end date")] = None,
    to: Annotated[str | None, typer.Option("--to", help="renewals: last end date")] = None,
    customer: Annotated[str | None, typer.Option("--customer", help="health: whose")] = None,
    lang: Annotated[str, typer.Option("--lang", help="en or zh headers")] = "en",
    param: Annotated[list[str] | None, typer.Option(
        "--param", help="Any filter of the endpoint as NAME=VALUE (repeatable).")] = None,
) -> None:
    """Export a list view as CSV or XLSX (the endpoint's own answer)."""
    if view not in VIEWS:
        err_console.print(f"[red]error[/red]: view must be one of: {', '.join(VIEWS)}")
        raise typer.Exit(code=1)
    params = [("format", format.value), ("lang", lang)]
    params += [(k, v) for k, v in (("as_of", as_of), ("from", from_), ("to", to)) if v]
    params += [tuple(p.split("=", 1)) for p in param or [] if "=" in p]  # type: ignore[misc]
    target = out or Path(f"{view}.{format.value}")
    with local_api() as api:
        response = api.get(VIEWS[view].format(customer=customer), params)
        target.write_bytes(response.content)
    console.print(f"wrote {target}", soft_wrap=True)
