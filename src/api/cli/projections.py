"""`cs-ledger project` and `cs-ledger rebuild`: run the projectors, rebuild and verify views."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from api.cli.base import app, console, err_console, load_settings
from api.cli.signals import stop_on_signals
from cs_domain.app import CustomerSuccess
from cs_domain.errors import InvalidInput
from cs_runtime.bootstrap import open_runtime
from cs_store.settings import Settings
from projections.db import ReadModels
from projections.parallel import rebuild_parallel
from projections.rebuild import RebuildFailed, rebuild, verify
from projections.registry import UnknownView, select_views
from projections.runner import Projector
from projections.views.health_model import configured_model


@contextmanager
def progress_bar() -> Iterator[Progress]:
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("events"), TimeElapsedColumn(), TimeRemainingColumn(),
        console=console, transient=False,
    ) as bar:
        yield bar


def _reporter(bar: Progress, label: str) -> Callable[[int, int], None]:
    task = bar.add_task(label, total=None)

    def report(position: int, head: int) -> None:
        bar.update(task, completed=position, total=max(head, position, 1))

    return report


@app.command("project")
def project(
    follow: bool = typer.Option(False, "--follow", help="Keep following new events."),
    batch_size: int = typer.Option(1000, "--batch-size", min=1, help="Events per transaction."),
    view: list[str] | None = typer.Option(
        None, "--view", help="Only this view (repeatable; default all). Processes that each "
                             "run some of the views share the work across cores."),
) -> None:
    """Run the projectors: catch up with the log, then (with --follow) keep following it."""
    try:
        views = select_views(view)
    except UnknownView as error:
        err_console.print(f"[red]error[/red]: {error}")
        raise typer.Exit(code=2) from None
    settings = load_settings()
    stop = threading.Event()
    with open_runtime(settings, projectors=True, views=views, batch_size=batch_size) as runtime:
        projector = runtime.projector
        assert projector is not None
        # Handlers go in before the catch-up: a SIGTERM that arrives while catching up
        # then ends the run cleanly after the current batch instead of killing it.
        stop_on_signals(stop, projector.wake)
        with progress_bar() as bar:
            position = projector.catch_up(_reporter(bar, "catching up"))
        console.print(f"views at position {position}")
        _report_failures(projector)
        if follow:
            if not stop.is_set():
                from api.ops.logs import configure_logging

                configure_logging()  # warnings and errors while following: JSON lines
                console.print("following new events (Ctrl-C to stop)")
                projector.follow(settings.poll_interval, stop)
            console.print(f"stopped at position {projector.position()}")
        if projector.failures():
            raise typer.Exit(code=1)


def _report_failures(projector: Projector) -> None:
    for view, error in projector.failures().items():
        err_console.print(f"[red]view {view} failed[/red]: {error}")


@app.command("rebuild")
def rebuild_views(
    view: list[str] | None = typer.Option(None, "--view", help="A view to rebuild (repeatable)."),
    verify_only: bool = typer.Option(False, "--verify",
                                     help="Rebuild aside and compare; exit 1 on differences."),
    jobs: int = typer.Option(1, "--jobs", min=1,
                             help="Processes sharing the views (one core each)."),
) -> None:
    """Rebuild read models from the events (blue/green), or verify them with --verify."""
    try:
        select_views(view)
    except UnknownView as error:
        err_console.print(f"[red]error[/red]: {error}")
        raise typer.Exit(code=2) from None
    settings = load_settings()
    try:  # a bad CS_LEDGER_HEALTH_MODEL would otherwise park every usage report
        configured_model()
    except InvalidInput as error:
        err_console.print(f"[red]error[/red]: CS_LEDGER_HEALTH_MODEL: {error}")
        raise typer.Exit(code=1) from None
    with open_runtime(settings) as runtime:
        _rebuild(runtime.app, runtime.models, settings, view, verify_only, jobs)


def _rebuild(application: CustomerSuccess, models: ReadModels, settings: Settings,
             view: list[str] | None, verify_only: bool, jobs: int) -> None:
    try:
        if verify_only:
            _verify(application, models, view)
            return
        with progress_bar() as bar:
            report = _reporter(bar, "rebuilding")
            generations = (rebuild_parallel(application, models, settings, view, report,
                                            jobs=jobs)
                           if jobs > 1 else rebuild(application, models, view, report))
        for name, gen in generations.items():
            console.print(f"rebuilt {name} (generation {gen})")
    except RebuildFailed as error:
        err_console.print(f"[red]rebuild failed[/red]: {error}")
        raise typer.Exit(code=1) from None


def _verify(application: CustomerSuccess, models: ReadModels, view: list[str] | None) -> None:
    with progress_bar() as bar:
        differences = verify(application, models, view, _reporter(bar, "verifying"))
    if not differences:
        console.print("ok: the views equal a rebuild from the events")
        return
    for diff in differences:
        err_console.print(f"[red]difference[/red] {diff.describe()}")
    err_console.print(f"{len(differences)} difference(s)")
    raise typer.Exit(code=1)
