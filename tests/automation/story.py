"""Writing customer histories for the automation tests, with deterministic ids.

Business dates are relative to BASE, the (UTC) day the tests run: the process manager
judges an event-driven trigger by the day it was recorded (`rules.fresh`), so triggers
dated near the recording day start runs and old ones do not, as in production.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.persistence import StoredEvent

from automation.tick import TickReport, tick
from cs_domain.app import CustomerSuccess
from cs_domain.playbook_run import PlaybookRun
from cs_domain.risk import Risk
from cs_domain.task import Task
from cs_store.factory import chain_recorder
from projections.db import ReadModels
from projections.views.playbook_runs import get_run, list_runs

BASE = datetime.now(UTC).date()
ACTOR = "tester"


def ident(label: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"https://cs-ledger.test/{label}")


def day(offset: int) -> date:
    return BASE + timedelta(days=offset)


def at(offset: int) -> datetime:
    """Noon UTC of BASE + offset days: a `now` for tick."""
    return datetime.combine(day(offset), time(12), UTC)


def monday(offset: int) -> date:
    d = day(offset)
    return d - timedelta(days=d.weekday())


class Story:
    """A small world: one CSM and a support manager, the shipped playbooks, customers."""

    def __init__(self, app: CustomerSuccess, label: str = "s"):
        self.app = app
        self.label = label
        self.csm = self._user("csm", "Chen Jing", "csm")
        self.support = self._user("support", "Wang Fang", "support")
        self.manager = self._user("manager", "Li Wei", "manager")
        app.install_default_playbooks(actor=ACTOR)
        self.numbers = 0

    def _user(self, key: str, name: str, role: str) -> UUID:
        user_id = ident(f"{self.label}/user/{key}")
        self.app.create_user(actor=ACTOR, name=name, role=role, user_id=user_id)
        return user_id

    def customer(self, name: str, tier: str = "growth") -> UUID:
        return self.app.register_customer(
            actor=ACTOR, name=name, tier=tier, owner_id=self.csm,
            support_manager_id=self.support, customer_id=ident(f"{self.label}/customer/{name}")).id

    def contract(self, customer_id: UUID, start: int, end: int, *, activate: bool = True) -> UUID:
        """A contract over [day(start), day(end)], signed the day before and activated on its
        start (unless `activate` is False)."""
        self.numbers += 1
        number = f"{self.label}-{self.numbers}"
        cid = self.app.draft_contract(
            actor=ACTOR, customer_id=customer_id, number=number, amount=Decimal("1200.00"),
            currency="EUR", start_date=day(start), end_date=day(end),
            contract_id=ident(f"{self.label}/contract/{number}")).id
        self.app.sign_contract(actor=ACTOR, contract_id=cid, signed_on=day(start - 1))
        if activate:
            self.app.activate_contract(actor=ACTOR, contract_id=cid, activated_on=day(start))
        return cid

    def usage(self, customer_id: UUID, first_monday: date, active_days: list[Any]) -> None:
        """Weekly reports from `first_monday`, one per value of active days per week."""
        for i, days in enumerate(active_days):
            start = first_monday + timedelta(weeks=i)
            self.app.report_usage(
                actor=ACTOR, customer_id=customer_id, period_start=start,
                period_end=start + timedelta(days=6), active_days_per_week=Decimal(str(days)),
                feature_adoption=Decimal("0.5"), open_issues=0)

    def risk(self, customer_id: UUID, due: int, raised: int = -30, name: str = "r") -> UUID:
        return self.app.raise_risk(
            actor=str(self.csm), customer_id=customer_id, title=f"Risk {name}",
            category="adoption", severity="high", due_date=day(due), raised_on=day(raised),
            risk_id=ident(f"{self.label}/risk/{name}/{customer_id}")).id

    def finish(self, task_id: UUID, on: date) -> None:
        self.app.start_task(actor=str(self.csm), task_id=task_id, started_on=on)
        self.app.complete_task(actor=str(self.csm), task_id=task_id, completed_on=on)


def run_id(playbook: str, occurrence: str) -> UUID:
    return PlaybookRun.id_for(playbook, occurrence)


def ticked(app: CustomerSuccess, models: ReadModels, offset: int) -> TickReport:
    report = tick(app, models, at(offset))
    assert report.ok, report.failures
    return report


def runs(models: ReadModels, **filters: Any) -> list[dict[str, Any]]:
    with models.read() as conn:
        return list_runs(conn, **filters)["items"]  # type: ignore[no-any-return]


def run(models: ReadModels, run_id: UUID) -> dict[str, Any] | None:
    with models.read() as conn:
        return get_run(conn, run_id)


def outcome(found: dict[str, Any], metric: str) -> tuple[Any, Any]:
    for o in found["outcomes"]:
        if o["metric"] == metric:
            return o["achieved"], o["measured_on"]
    raise KeyError(metric)


def tasks(app: CustomerSuccess, found: dict[str, Any]) -> list[Task]:
    """The run's tasks (a late run's skipped steps have none)."""
    return [app.load(Task, s["task_id"]) for s in found["steps"] if s["status"] != "skipped"]


def log_facts(app: CustomerSuccess) -> dict[str, set[Any]]:
    """What the automation wrote, as sets that ignore positions and recording times:
    runs, tasks, steps, outcomes and overdue marks."""
    facts: dict[str, set[Any]] = {k: set() for k in ("runs", "tasks", "steps", "outcomes",
                                                     "overdue")}
    recorder = chain_recorder(app)
    after = 0
    while True:
        rows = recorder.select_timed(after, 500)
        if not rows:
            return facts
        for row in rows:
            after = row.position
            name = row.topic.rpartition(".")[2]
            if name not in {"Started", "Created", "StepDone", "OutcomeMeasured",
                            "MarkedOverdue"}:
                continue
            event = app.mapper.to_domain_event(StoredEvent(
                UUID(str(row.originator_id)), row.version, row.topic, bytes(row.state)))
            _collect(facts, event)


def _collect(facts: dict[str, set[Any]], e: Any) -> None:
    if isinstance(e, PlaybookRun.Started):
        facts["runs"].add((e.originator_id, e.playbook_key, e.triggered_on, e.occurrence_key))
    elif isinstance(e, Task.Created):
        facts["tasks"].add((e.originator_id, e.title, e.assignee_id, e.due_date, e.source_id))
    elif isinstance(e, PlaybookRun.StepDone):
        facts["steps"].add((e.originator_id, e.step, e.outcome, e.done_on))
    elif isinstance(e, PlaybookRun.OutcomeMeasured):
        facts["outcomes"].add((e.originator_id, e.metric, e.achieved, e.measured_on))
    elif isinstance(e, Risk.MarkedOverdue):
        facts["overdue"].add((e.originator_id, e.due_date))
