"""`cs-ledger tick [--now ISO] [--follow]`: evaluate the time-driven rules.

Catches the views and the playbook process manager up with the log, then starts what the
clock makes due (renewal windows, inactivity, QBRs, overdue risks and their reminders,
outcome windows). `--now` evaluates as of that moment (default: the clock, read here and
nowhere else). Ticking twice at the same `now` writes nothing the second time.
`--follow` keeps running: the process manager follows new events, and it ticks with the
clock every `--interval` seconds (what `cs-ledger serve` does in the background).
Exit 1 when a view or the process manager failed. Parked events (set aside while the rest
of the log went on, see `cs-ledger ops parked`) are listed and do not change the exit code.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from typing import Annotated

import typer

from api.cli.base import app, console, err_console, load_settings
from api.cli.ops import print_parked
from api.cli.signals import stop_on_signals
from automation.runtime import AutomationRuntime, utc_now
from automation.tick import TickReport, tick
from cs_domain.bounds import out_of_bounds
from cs_runtime.bootstrap import open_runtime


def parse_now(value: str | None) -> datetime:
    if value is None:
        return utc_now()
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter("must be an ISO date or date-time, e.g. 2026-12-01 or "
                                 "2026-12-01T08:00:00+08:00", param_hint="--now") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if out_of_bounds(moment, "--now"):  # the business dates' bounds (docs/api.md, Limits)
        raise typer.BadParameter("must be between 1900-01-01 and 2199-12-31", param_hint="--now")
    return moment


def print_report(report: TickReport) -> None:
    t = report.tally
    started = ", ".join(f"{key} {n}" for key, n in sorted(t.runs_started.items())) or "none"
    console.print(f"tick as of {report.now.isoformat()} (today {report.today.isoformat()}): "
                  f"views at {report.views_position}, {report.passes} pass(es)", soft_wrap=True)
    console.print(f"  runs started: {started}; tasks created: {t.tasks_created}", soft_wrap=True)
    console.print(f"  steps recorded: {t.steps_recorded}; outcomes measured: "
                  f"{t.outcomes_measured}; tasks handed over: {t.tasks_reassigned}; runs "
                  f"abandoned: {t.runs_abandoned}; tasks done by touchpoints: "
                  f"{t.tasks_done_by_touchpoints}; contract terms started: {t.terms_started}",
                  soft_wrap=True)
    console.print(f"  risks marked overdue: {t.risks_marked_overdue}; reminders: "
                  f"{t.reminders_created}; late CSM milestones: {report.late_milestones}",
                  soft_wrap=True)
    console.print(f"  log {report.position_before} → {report.position_after}", soft_wrap=True)
    for name, error in report.failures.items():
        err_console.print(f"[red]{name} failed[/red]: {error}", soft_wrap=True)
    if report.parked:  # set aside, the rest of the log went on: a warning, not a failure
        print_parked(report.parked)


@app.command("tick")
def tick_command(
    now: Annotated[str | None, typer.Option(
        help="Evaluate as of this ISO date or date-time (default: now). A date means its "
             "midnight UTC.")] = None,
    follow: Annotated[bool, typer.Option(
        "--follow", help="Keep following events and ticking every --interval seconds.")] = False,
    interval: Annotated[float, typer.Option(
        min=1.0, help="Seconds between ticks with --follow.")] = 60.0,
) -> None:
    """Evaluate time-driven rules (overdue risks, renewal windows, inactivity, QBRs) as of now."""
    moment = parse_now(now)
    if follow and now is not None:
        err_console.print("[red]error[/red]: --follow ticks with the clock; drop --now")
        raise typer.Exit(code=2)
    settings = load_settings()
    with open_runtime(settings, automation=follow, tick_interval=interval) as runtime:
        if runtime.automation is not None:
            follow_automation(runtime.automation)
            return
        report = tick(runtime.app, runtime.models, moment)
        print_report(report)
        if not report.ok:
            raise typer.Exit(code=1)


def follow_automation(runtime: AutomationRuntime) -> None:
    """Runs the automation in this thread until Ctrl-C or SIGTERM (its logs: JSON lines)."""
    from api.ops.logs import configure_logging

    configure_logging()
    stop = threading.Event()
    stop_on_signals(stop, runtime.wake)
    console.print("following events and ticking (Ctrl-C to stop)")
    runtime.run(stop)
    if runtime.last_tick is not None:
        print_report(runtime.last_tick)
    console.print(f"stopped after {runtime.ticks} tick(s)")
