"""`cs-ledger automate [--follow] [--no-projectors]`: the playbook automation alone.

For the multi-process layout (docs/deployment.md): API processes run `serve
--no-projectors`, one process runs `project --follow`, and one runs `automate --follow
--no-projectors`, which waits for the views that projector writes. Without
`--no-projectors` it runs a projector of its own over the views (safe beside a projector
process: each view applies a position once, whoever applies it; only wasteful). Without
`--follow` it brings the process manager up to the head of the log once (no time rules:
that is `cs-ledger tick`) and exits, 1 when a view or the process manager failed.
"""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.base import app, console, err_console, load_settings
from api.cli.tick import follow_automation, print_report
from automation.process import ViewsFailed, follow_once
from cs_runtime.bootstrap import open_runtime


@app.command("automate")
def automate(
    follow: Annotated[bool, typer.Option(
        "--follow", help="Keep following events, and tick every --interval seconds.")] = False,
    no_projectors: Annotated[bool, typer.Option(
        "--no-projectors", help="Wait for the views another process (`cs-ledger project "
                                "--follow`) writes instead of projecting them here.")] = False,
    interval: Annotated[float, typer.Option(
        min=1.0, help="Seconds between ticks of the time-driven rules with --follow.")] = 60.0,
) -> None:
    """Run the playbook automation alone (process manager, and with --follow the ticks)."""
    settings = load_settings()
    with open_runtime(settings, automation=True, external_views=no_projectors,
                      tick_interval=interval) as runtime:
        automation = runtime.automation
        assert automation is not None
        if follow:
            follow_automation(automation)
            return
        try:
            position = follow_once(automation.sync, automation.pm)
        except ViewsFailed as error:
            err_console.print(f"[red]views failed[/red]: {error}", soft_wrap=True)
            raise typer.Exit(code=1) from None
        console.print(f"automation at position {automation.pm.position()} "
                      f"(views at {position})")
        if automation.pm.failed is not None:
            err_console.print(f"[red]process manager failed[/red]: {automation.pm.failed}",
                              soft_wrap=True)
            raise typer.Exit(code=1)


__all__ = ["automate", "print_report"]
