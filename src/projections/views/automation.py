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
- ``auto_risks``: what the overdue rule needs (status, due date, owner, the marked episode).

The CSM milestones of seed 001 are not kept here: their one definition is the team view's
(`projections.views.team`, measured on the first term), which the tick counts too.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Boolean, Date, Integer, String, Uuid

from cs_domain.base import index_id
from cs_domain.contract import Contract
from cs_domain.customer import Customer
from cs_domain.risk import Risk
from cs_domain.task import Task
from cs_domain.touchpoint import Touchpoint
from cs_domain.usage import UsageReport
from projections.versioned import DecimalText, VersionedTable
from projections.view import View, ViewTx, on

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
AUTO_TOUCHPOINTS = VersionedTable(
    "automation", "auto_touchpoints", keys=[("id", Uuid())],
    columns=[("customer_id", Uuid()), ("kind", String(16)), ("occurred_on", Date())],
    indexes=[("customer_id",)],
)
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
    tables = (AUTO_CUSTOMERS, AUTO_CONTRACTS, AUTO_USAGE, AUTO_RISKS,
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
