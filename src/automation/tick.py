"""`tick(app, models, now)`: everything that depends on the clock, evaluated as of `now`.

1. The views and the process manager catch up with the log (so time rules decide on
   everything the log holds, and events the tick itself causes are handled too).
2. The time rules list their occurrences dated on or before today (renewal windows,
   inactivity, QBRs: :mod:`automation.schedule`), risks past due and not closed, the
   outcome metrics decided by today, and the successor terms that have begun
   (:mod:`automation.terms`); each missing one is created through an idempotent
   command (overdue risks: a `MarkedOverdue` event and a reminder task to the owner); the
   stage rule (:mod:`automation.lifecycle_stages`) moves stages on activation, maturity
   and renewal windows.
3. Repeat until a pass writes nothing, so the tick ends at a fixed point: a second tick at
   the same `now` writes nothing, and ticks at increasing times reach the same state as one
   tick at the last of them (docs/adr/0005-time-rules-as-occurrences.md).

`now` is a parameter: only the CLI (`cs-ledger tick`) and the runtime read the clock.
Today is `now`'s calendar date (a naive `now` is taken as UTC).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from automation import inputs, lifecycle_stages, schedule
from automation.catalog import Catalog
from automation.commands import Commands, Tally
from automation.process import PROCESS, ProcessManager, ViewsFailed, ViewSync, execute, follow_once
from automation.reactions import measurements
from automation.terms import due_terms, start_terms
from cs_domain.app import CustomerSuccess
from cs_domain.playbook_run import PlaybookRun
from projections import parking
from projections.db import ReadModels
from projections.parking import Parked
from projections.view import Reader
from projections.views import churn

MAX_PASSES = 6


@dataclass
class TickReport:
    now: datetime
    today: date
    position_before: int
    position_after: int = 0
    views_position: int = 0
    passes: int = 0
    tally: Tally = field(default_factory=Tally)
    late_milestones: int = 0
    churn_scored: int = 0  # customers given the day's churn ranking (once a day per model)
    failures: dict[str, str] = field(default_factory=dict)
    # Events a view or the automation set aside (projections.parking): the log went on.
    parked: list[Parked] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def tick(app: CustomerSuccess, models: ReadModels, now: datetime, *,
         sync: ViewSync | None = None, pm: ProcessManager | None = None) -> TickReport:
    """Evaluates the time-driven rules as of `now` (see the module docstring)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    today = now.date()
    sync = sync if sync is not None else ViewSync(app, models)
    pm = pm if pm is not None else ProcessManager(app, models)
    report = TickReport(now=now, today=today, position_before=app.max_position())
    commands = Commands(app, report.tally)
    for report.passes in range(1, MAX_PASSES + 1):
        written = report.tally.writes
        try:
            report.views_position = follow_once(sync, pm, report.tally)
        except ViewsFailed as error:
            report.failures.update(error.failures)
            break
        if pm.failed is not None:
            report.failures[f"process:{PROCESS}"] = pm.failed
        _time_rules(commands, models, report)
        for key, problem in pm.invalid.items():
            report.failures[f"playbook:{key}"] = problem
        if report.tally.writes == written:
            break
    report.position_after = app.max_position()
    with models.read() as conn:
        report.parked = parking.parked(conn)
    return report


def _time_rules(commands: Commands, models: ReadModels, report: TickReport) -> None:
    today = report.today
    with models.write() as conn:  # first: the churn_risk trigger reads the same ranking
        report.churn_scored += churn.score_today(conn, report.views_position, today)
    with models.read() as conn:
        r = Reader(conn, report.views_position)
        catalog = Catalog(r)
        due = [o for o in schedule.occurrences(r, catalog, today)
               if not inputs.run_exists(r, PlaybookRun.id_for(o.playbook_key, o.occurrence_key))]
        overdue = [risk["id"] for risk in inputs.open_risks(r, today)
                   if risk["marked_due"] != risk["due_date"]
                   or risk["reminded_due"] != risk["due_date"]]
        measured = measurements(r, None, today)
        terms = due_terms(r, today)
        report.late_milestones = inputs.late_milestones(r, today)
        for key, problem in catalog.invalid.items():
            report.failures[f"playbook:{key}"] = problem
    for occurrence in due:
        commands.start(occurrence)
    for risk_id in overdue:
        commands.overdue_risk(risk_id, report.now)
    execute(commands, measured)
    report.tally.terms_started += start_terms(commands.app, terms)
    report.tally.stages_changed += lifecycle_stages.run(commands.app, models, report.views_position, today)
