"""Automation view: the facts the playbook process manager and the time rules decide on.

Kept apart from the customers/contracts views on purpose: the automation (src/automation)
reads exactly these columns, as of any log position, and this view is rebuilt and verified
on its own like every other view. Tables:

- ``auto_customers``: tier (and the day the tier became known, for the QBR horizon), owner,
  support manager, lifecycle stage, the day onboarding started;
- ``auto_contracts``: status, term and the business dates of its flow; `known_on`, the day
  the log learned the term (a renewal window found later starts a late run);
- ``auto_usage``: one row per usage report (period, active days per week, the day it was
  recorded);
- ``auto_touchpoints``: kind and day of each touchpoint (they complete playbook steps);
- ``auto_risks``: what the overdue rule needs (status, due date, owner, the marked episode);
- ``csm_milestones`` / ``auto_csm_plan_milestones``: the CSM process milestones of seed 001
  (due dates from the customer's start, done when their evidence is recorded); their
  lateness is read with :func:`csm_lateness` (lateness is a function of `today`, so it is
  computed when read, never stored).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Boolean, Connection, Date, Integer, String, Uuid, select

from cs_domain import deadlines
from cs_domain.base import index_id
from cs_domain.contract import Contract
from cs_domain.customer import Customer
from cs_domain.plan import SuccessPlan
from cs_domain.plan_templates import TEMPLATES
from cs_domain.risk import Risk
from cs_domain.rules import CSM_MILESTONES, csm_milestones, days_late
from cs_domain.task import Task
from cs_domain.touchpoint import Touchpoint
from cs_domain.usage import UsageReport
from projections.versioned import DecimalText, VersionedTable
from projections.view import Reader, View, ViewTx, on

AUTO_CUSTOMERS = VersionedTable(
    "automation", "auto_customers", keys=[("id", Uuid())],
    columns=[("tier", String(16)), ("tier_known_on", Date()), ("owner_id", Uuid()),
             ("support_manager_id", Uuid()), ("stage", String(16)), ("onboarded_on", Date())],
    indexes=[("owner_id",)],
)
AUTO_CONTRACTS = VersionedTable(
    "automation", "auto_contracts", keys=[("id", Uuid())],
    columns=[("customer_id", Uuid()), ("status", String(16)), ("start_date", Date()),
             ("end_date", Date()), ("predecessor_id", Uuid()), ("signed_on", Date()),
             ("activated_on", Date()), ("renewed_on", Date()), ("churned_on", Date()),
             ("terminated_on", Date()), ("known_on", Date())],
    indexes=[("customer_id",)], current_indexes=[("status",)],
)
AUTO_USAGE = VersionedTable(
    "automation", "auto_usage", keys=[("id", Uuid())],
    columns=[("customer_id", Uuid()), ("period_start", Date()), ("period_end", Date()),
             ("active_days", DecimalText()), ("active", Boolean()), ("known_on", Date())],
    indexes=[("customer_id", "period_start")], current_indexes=[("customer_id", "active")],
)
AUTO_RISKS = VersionedTable(
    "automation", "auto_risks", keys=[("id", Uuid())],
    columns=[("customer_id", Uuid()), ("title", String(200)), ("owner_id", Uuid()),
             ("status", String(16)), ("due_date", Date()), ("times_reopened", Integer()),
             ("marked_due", Date()), ("reminded_due", Date())],
    current_indexes=[("status",)],
)
MILESTONES = VersionedTable(
    "automation", "csm_milestones", keys=[("customer_id", Uuid()), ("milestone", String(32))],
    columns=[("due_date", Date()), ("done_on", Date())],
    indexes=[("customer_id",)],
)
AUTO_TOUCHPOINTS = VersionedTable(
    "automation", "auto_touchpoints", keys=[("id", Uuid())],
    columns=[("customer_id", Uuid()), ("kind", String(16)), ("occurred_on", Date())],
    indexes=[("customer_id",)],
)
PLAN_MILESTONES = VersionedTable(
    "automation", "auto_csm_plan_milestones", keys=[("milestone_id", Uuid())],
    columns=[("customer_id", Uuid()), ("milestone", String(32))],
)


def _evidence_of_templates() -> dict[tuple[str, int], str]:
    """Which success-plan template milestone proves which CSM milestone (found by title,
    so the plan templates stay the one place that words them)."""
    wanted = {
        ("implementation_handover", "Customer activated"): "activated",
        ("continuous_operation", "No more basic-operation questions"): "no_basic_questions",
        ("continuous_operation", "Customer runs its own activities"): "own_activities",
    }
    found = {}
    for (template, prefix), key in wanted.items():
        for index, m in enumerate(TEMPLATES[template].milestones):
            if m.title.startswith(prefix):
                found[(template, index)] = key
    return found


PLAN_EVIDENCE = _evidence_of_templates()
MILESTONE_TITLES = {key: title for key, title, _months in CSM_MILESTONES}
LIVE = ("signed", "active")


def reminder_id(risk_id: UUID, times_reopened: int, due_date: date) -> UUID:
    """The overdue reminder task of one risk episode (reopenings) and due date: its id is
    derived, so it is created once whoever notices the risk first."""
    return index_id("risk-overdue-reminder", f"{risk_id}:{times_reopened}:{due_date.isoformat()}")


def recorded_day(recorded_at: str) -> date:
    """The (UTC) day an event was recorded: knowledge time, used only where the domain
    has no business date for a fact (e.g. when a tier became known)."""
    return date.fromisoformat(recorded_at[:10])


class AutomationView(View):
    name = "automation"
    tables = (AUTO_CUSTOMERS, AUTO_CONTRACTS, AUTO_USAGE, AUTO_RISKS, MILESTONES, PLAN_MILESTONES,
              AUTO_TOUCHPOINTS)

    # --- customers ---------------------------------------------------------------
    @on(Customer.Registered)
    def registered(self, tx: ViewTx, e: Customer.Registered) -> None:
        tx[AUTO_CUSTOMERS].put(e.originator_id, {
            "tier": e.tier, "tier_known_on": recorded_day(tx.recorded_at), "owner_id": e.owner_id,
            "support_manager_id": e.support_manager_id, "stage": "signed", "onboarded_on": None})

    @on(Customer.ProfileUpdated)
    def profile_updated(self, tx: ViewTx, e: Customer.ProfileUpdated) -> None:
        row = tx[AUTO_CUSTOMERS].require(e.originator_id)
        if e.tier is not None and e.tier != row["tier"]:
            tx[AUTO_CUSTOMERS].update(e.originator_id, tier=e.tier,
                                      tier_known_on=recorded_day(tx.recorded_at))

    @on(Customer.OwnerAssigned)
    def owner_assigned(self, tx: ViewTx, e: Customer.OwnerAssigned) -> None:
        tx[AUTO_CUSTOMERS].update(e.originator_id, owner_id=e.owner_id)

    @on(Customer.SupportManagerAssigned)
    def support_assigned(self, tx: ViewTx, e: Customer.SupportManagerAssigned) -> None:
        tx[AUTO_CUSTOMERS].update(e.originator_id, support_manager_id=e.support_manager_id)

    @on(Customer.StageChanged)
    def stage_changed(self, tx: ViewTx, e: Customer.StageChanged) -> None:
        row = tx[AUTO_CUSTOMERS].require(e.originator_id)
        onboarded = row["onboarded_on"]
        if e.stage == "onboarding" and onboarded is None:
            onboarded = e.effective_on
            for m in csm_milestones(e.effective_on):
                self._milestone(tx, e.originator_id, m.key, due_date=m.due_date)
        if e.stage == "growth" and e.previous_stage == "onboarding":
            # Leaving 启用期 for 成长期 is the customer's activation (seed 001).
            self._milestone(tx, e.originator_id, "activated", done_on=e.effective_on)
        tx[AUTO_CUSTOMERS].update(e.originator_id, stage=e.stage, onboarded_on=onboarded)

    # --- contracts ---------------------------------------------------------------
    @on(Contract.Drafted)
    def drafted(self, tx: ViewTx, e: Contract.Drafted) -> None:
        tx[AUTO_CONTRACTS].put(e.originator_id, {
            "customer_id": e.customer_id, "status": "draft", "start_date": e.start_date,
            "end_date": e.end_date, "predecessor_id": e.predecessor_id, "signed_on": None,
            "activated_on": None, "renewed_on": None, "churned_on": None, "terminated_on": None,
            "known_on": recorded_day(tx.recorded_at)})

    @on(Contract.Signed)
    def signed(self, tx: ViewTx, e: Contract.Signed) -> None:
        tx[AUTO_CONTRACTS].update(e.originator_id, status="signed", signed_on=e.signed_on)

    @on(Contract.Activated)
    def activated(self, tx: ViewTx, e: Contract.Activated) -> None:
        tx[AUTO_CONTRACTS].update(e.originator_id, status="active", activated_on=e.activated_on)

    @on(Contract.Renewed)
    def renewed(self, tx: ViewTx, e: Contract.Renewed) -> None:
        tx[AUTO_CONTRACTS].update(e.originator_id, status="renewed", renewed_on=e.renewed_on)

    @on(Contract.Churned)
    def churned(self, tx: ViewTx, e: Contract.Churned) -> None:
        tx[AUTO_CONTRACTS].update(e.originator_id, status="churned", churned_on=e.churned_on)

    @on(Contract.Terminated)
    def terminated(self, tx: ViewTx, e: Contract.Terminated) -> None:
        tx[AUTO_CONTRACTS].update(e.originator_id, status="terminated",
                                  terminated_on=e.terminated_on)

    # --- usage -------------------------------------------------------------------
    @on(UsageReport.Reported, UsageReport.Corrected)
    def usage(self, tx: ViewTx, e: Any) -> None:
        tx[AUTO_USAGE].put(e.originator_id, {
            "customer_id": e.customer_id, "period_start": e.period_start,
            "period_end": e.period_end, "active_days": e.active_days_per_week,
            "active": e.active_days_per_week > 0, "known_on": recorded_day(tx.recorded_at)})

    # --- touchpoints (they complete playbook steps) ---------------------------------
    @on(Touchpoint.Recorded)
    def touchpoint(self, tx: ViewTx, e: Touchpoint.Recorded) -> None:
        tx[AUTO_TOUCHPOINTS].put(e.originator_id, {
            "customer_id": e.customer_id, "kind": e.kind, "occurred_on": e.occurred_on})

    # --- risks -------------------------------------------------------------------
    @on(Risk.Raised)
    def risk_raised(self, tx: ViewTx, e: Risk.Raised) -> None:
        tx[AUTO_RISKS].put(e.originator_id, {
            "customer_id": e.customer_id, "title": e.title, "owner_id": e.owner_id,
            "status": "open", "due_date": e.due_date, "times_reopened": 0, "marked_due": None,
            "reminded_due": None})

    @on(Risk.StrategySet)
    def risk_strategy(self, tx: ViewTx, e: Risk.StrategySet) -> None:
        tx[AUTO_RISKS].update(e.originator_id, owner_id=e.owner_id, status="mitigating")

    @on(Risk.MitigationRecorded)
    def risk_mitigation(self, tx: ViewTx, e: Risk.MitigationRecorded) -> None:
        tx[AUTO_RISKS].update(e.originator_id, status="mitigating")

    @on(Risk.OwnerAssigned)
    def risk_owner(self, tx: ViewTx, e: Risk.OwnerAssigned) -> None:
        tx[AUTO_RISKS].update(e.originator_id, owner_id=e.owner_id)

    @on(Risk.Closed)
    def risk_closed(self, tx: ViewTx, e: Risk.Closed) -> None:
        tx[AUTO_RISKS].update(e.originator_id, status="closed", marked_due=None,
                              reminded_due=None)

    @on(Risk.Reopened)
    def risk_reopened(self, tx: ViewTx, e: Risk.Reopened) -> None:
        row = tx[AUTO_RISKS].require(e.originator_id)
        tx[AUTO_RISKS].update(e.originator_id, status="open", due_date=e.due_date,
                              times_reopened=row["times_reopened"] + 1, marked_due=None,
                              reminded_due=None)

    @on(Risk.DueDateChanged)
    def risk_due(self, tx: ViewTx, e: Risk.DueDateChanged) -> None:
        tx[AUTO_RISKS].update(e.originator_id, due_date=e.due_date, marked_due=None,
                              reminded_due=None)

    @on(Risk.MarkedOverdue)
    def risk_marked(self, tx: ViewTx, e: Risk.MarkedOverdue) -> None:
        tx[AUTO_RISKS].update(e.originator_id, marked_due=e.due_date)

    @on(Task.Created)
    def task_created(self, tx: ViewTx, e: Task.Created) -> None:
        if e.source_kind != "risk" or e.source_id is None:
            return
        row = tx[AUTO_RISKS].get(e.source_id)
        if row is not None and e.originator_id == reminder_id(
                e.source_id, row["times_reopened"], row["due_date"]):
            tx[AUTO_RISKS].update(e.source_id, reminded_due=row["due_date"])

    # --- evidence of the CSM milestones ------------------------------------------
    @on(SuccessPlan.Drafted)
    def plan_drafted(self, tx: ViewTx, e: SuccessPlan.Drafted) -> None:
        for index, m in enumerate(e.milestones):
            key = PLAN_EVIDENCE.get((e.template or "", index))
            if key is not None:
                tx[PLAN_MILESTONES].put(m["milestone_id"], {"customer_id": e.customer_id,
                                                            "milestone": key})

    @on(SuccessPlan.MilestoneCompleted)
    def plan_milestone_completed(self, tx: ViewTx, e: SuccessPlan.MilestoneCompleted) -> None:
        found = tx[PLAN_MILESTONES].get(e.milestone_id)
        if found is not None:
            self._milestone(tx, found["customer_id"], found["milestone"], done_on=e.completed_on)

    @staticmethod
    def _milestone(tx: ViewTx, customer_id: UUID, key: str, *, due_date: date | None = None,
                   done_on: date | None = None) -> None:
        """Sets the due date, or the earliest evidence, of one customer's milestone."""
        row = tx[MILESTONES].get((customer_id, key)) or {"due_date": None, "done_on": None}
        if due_date is not None:
            row["due_date"] = due_date
        if done_on is not None and (row["done_on"] is None or done_on < row["done_on"]):
            row["done_on"] = done_on
        tx[MILESTONES].put((customer_id, key), row)


def milestone_status(due: date | None, done: date | None, today: date) -> str:
    if done is not None:
        return "done_late" if due is not None and done > due else "done"
    if deadlines.is_overdue(True, due, today):
        return "late"
    return "pending"


def csm_lateness(conn: Connection, today: date, *, owner_id: UUID | None = None,
                 customer_id: UUID | None = None, late_only: bool = False,
                 at: int | None = None) -> dict[str, Any]:
    """The seed-001 CSM milestones of onboarded customers with their lateness as of `today`.

    Items `{customer_id, owner_id, milestone, title, due_date, done_on, status, days_late}`
    (status done | done_late | late | pending; days_late as in `rules.days_late`), ordered by
    due date; `summary` counts them per owner. `late_only` keeps late and done_late items.
    """
    r = Reader(conn, at, today)
    m, c = r.table(MILESTONES), r.table(AUTO_CUSTOMERS)
    stmt = (select(m, c.c.owner_id).join(c, (c.c.id == m.c.customer_id) & r.visible(c))
            .where(r.visible(m), m.c.due_date.is_not(None)))
    if owner_id is not None:
        stmt = stmt.where(c.c.owner_id == owner_id)
    if customer_id is not None:
        stmt = stmt.where(m.c.customer_id == customer_id)
    items: list[dict[str, Any]] = []
    summary: dict[UUID | None, dict[str, int]] = {}
    for row in conn.execute(stmt.order_by(m.c.due_date, m.c.customer_id, m.c.milestone)):
        status = milestone_status(row.due_date, row.done_on, today)
        if late_only and status not in ("late", "done_late"):
            continue
        items.append({"customer_id": row.customer_id, "owner_id": row.owner_id,
                      "milestone": row.milestone, "title": MILESTONE_TITLES.get(row.milestone),
                      "due_date": row.due_date, "done_on": row.done_on, "status": status,
                      "days_late": days_late(row.due_date, row.done_on, today)})
        counts = summary.setdefault(row.owner_id, {"done": 0, "done_late": 0, "late": 0,
                                                   "pending": 0})
        counts[status] += 1
    return {"today": today, "items": items,
            "summary": [{"owner_id": k, **v} for k, v in sorted(summary.items(), key=str)],
            "position": r.position}
