"""`cs-ledger report quarterly` and `cs-ledger audit evidence`: the endpoints' answers
written to files (through the in-process API of api.cli.local)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.audit import audit_app
from api.cli.base import app, console
from api.cli.local import local_api

report_app = typer.Typer(no_args_is_help=True, help="Reports: the quarterly review (复盘).")
app.add_typer(report_app, name="report")


@report_app.command("quarterly")
def quarterly(
    quarter: Annotated[str, typer.Option("--quarter", help="e.g. 2026Q3")],
    out: Annotated[Path, typer.Option("--out", help="Directory for the json, html, xlsx")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="ISO moment with offset")] = None,
) -> None:
    """Write the quarterly review as JSON, HTML and XLSX into DIR."""
    out.mkdir(parents=True, exist_ok=True)
    with local_api() as api:
        for fmt in ("json", "html", "xlsx"):
            response = api.get("/reports/quarterly",
                               {"quarter": quarter, "format": fmt, "as_of": as_of})
            target = out / f"quarterly-{quarter.upper()}.{fmt}"
            target.write_bytes(response.content)
            console.print(f"wrote {target}", soft_wrap=True)


@audit_app.command("evidence")
def evidence(
    risk: Annotated[str, typer.Option("--risk", help="The risk's id.")],
    out: Annotated[Path | None, typer.Option("--out", help="Default: evidence-RISK.json")] = None,
) -> None:
    """Write a risk's events with their chain links (check: docs/verify_evidence.py)."""
    target = out or Path(f"evidence-{risk}.json")
    with local_api() as api:
        target.write_bytes(api.get(f"/risks/{risk}/evidence", {}).content)
    console.print(f"wrote {target}", soft_wrap=True)
