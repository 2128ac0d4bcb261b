"""What the process manager does about one event: pure decisions over the views as of it.

`react(reader, catalog, event, known_on)` returns the intents an event implies, reading
the views as of the event's own position (`reader.at`), with `known_on` the day the event
was recorded. Nothing here writes: the process manager executes the intents.

- Contract.Activated (not a renewal's successor): start each `contract_activated`
  playbook, occurrence `contract:<id>:activated`, dated the activation day.
- Contract.Churned: start each `contract_churned` playbook (`contract:<id>:churned`,
  dated the churn day).
- Contract.Churned / Terminated: abandon the runs the contract started through its
  activation or its renewal window (their open tasks are moot), dated the churn or
  termination day (not before the run's trigger date).
- UsageReport.Reported / Corrected: start `usage_drop` playbooks when the reported period
  dropped by ≥ drop_ratio against a report at most window_days before it, and
  `usage_growth` playbooks when the last `weeks` reports rose every week and by
  ≥ growth_ratio overall (dated the period's last day), unless a run of that playbook is
  already active for the customer.
- BusinessChange.Reported: start each `business_change` playbook whose `kinds` (all when
  left out) include the change's kind, `business-change:<id>`, dated the day it occurred.
- Task.Completed / Cancelled of a run's step: record the step (done / cancelled).
- Customer.OwnerAssigned / SupportManagerAssigned: the open steps of the customer's
  active runs follow their role to the new person (a task someone took over is left).
- Touchpoint.Recorded / PlaybookRun.Started: a touchpoint of a kind a step asks for
  (`completed_by`), in that step's window, completes the step's task.
- All of these, and Contract.Signed / Renewed / Terminated, PlaybookRun.StepDone /
  Abandoned: measure the customer's run metrics these facts now decide.

Event-driven starts are *fresh* only (`rules.fresh`): an occurrence learned when every
step of its run was already past due starts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from automation import inputs, outcomes
from automation.catalog import Catalog
from automation.rules import (
    Decision,
    Occurrence,
    activated_key,
    business_change_key,
    churned_key,
    fresh,
    usage_drop_key,
    usage_growth_key,
)
from cs_domain.business_change import BusinessChange, BusinessChangeKind
from cs_domain.contract import Contract
from cs_domain.customer import Customer
from cs_domain.days import shift
from cs_domain.playbook import TriggerKind
from cs_domain.playbook_rules import drop_occurrence, growth_sustained
from cs_domain.playbook_run import PlaybookRun
from cs_domain.task import Task
from cs_domain.touchpoint import Touchpoint
from cs_domain.usage import UsageReport
from projections.view import Reader


@dataclass(frozen=True)
class Start:
    occurrence: Occurrence


@dataclass(frozen=True)
class RecordStep:
    run_id: UUID
    task_id: UUID
    done_on: date
    outcome: str


@dataclass(frozen=True)
class Measure:
    run_id: UUID
    metric: str
    decision: Decision


@dataclass(frozen=True)
class FollowRoles:
    customer_id: UUID
    changed_in: int  # the version of the customer's event that changed a role
    run_ids: list[UUID]


@dataclass(frozen=True)
class Abandon:
    run_id: UUID
    abandoned_on: date
    reason: str


@dataclass(frozen=True)
class Touch:
    """Touchpoints (kind, day) that may complete open steps of these runs."""

    run_ids: list[UUID]
    touchpoints: list[tuple[str, date]]


Intent = Start | RecordStep | Measure | FollowRoles | Abandon | Touch

# The runs a contract's own life started: moot once the contract has ended.
ENDED_BY_CONTRACT = [TriggerKind.CONTRACT_ACTIVATED.value, TriggerKind.RENEWAL_WINDOW.value]

CONTRACT_EVENTS = (Contract.Activated, Contract.Signed, Contract.Renewed, Contract.Churned,
                   Contract.Terminated)
USAGE_EVENTS = (UsageReport.Reported, UsageReport.Corrected)
TASK_EVENTS = (Task.Completed, Task.Cancelled)
RUN_EVENTS = (PlaybookRun.StepDone, PlaybookRun.Abandoned)
ROLE_EVENTS = (Customer.OwnerAssigned, Customer.SupportManagerAssigned)
WATCHED: tuple[type, ...] = (*CONTRACT_EVENTS, *USAGE_EVENTS, *TASK_EVENTS, *RUN_EVENTS,
                             *ROLE_EVENTS, Touchpoint.Recorded, PlaybookRun.Started,
                             BusinessChange.Reported)


def touches(r: Reader, event: Any) -> list[Intent]:
    """A touchpoint meets the customer's active runs; a new run meets the touchpoints
    already recorded (a late run, or history loaded at once): both as of the event."""
    if isinstance(event, Touchpoint.Recorded):
        runs = inputs.active_runs(r, event.customer_id)
        return [Touch(runs, [(event.kind, event.occurred_on)])] if runs else []
    seen = inputs.touchpoints(r, event.customer_id)
    return [Touch([event.originator_id], seen)] if seen else []


def react(r: Reader, catalog: Catalog, event: Any, known_on: date) -> list[Intent]:
    if isinstance(event, (Touchpoint.Recorded, PlaybookRun.Started)):
        return touches(r, event)
    intents: list[Intent] = []
    customer_id: UUID | None = None
    if isinstance(event, CONTRACT_EVENTS):
        k = inputs.contract(r, event.originator_id)
        if k is None:
            return []
        customer_id = k["customer_id"]
        intents += _contract_starts(r, catalog, event, k, known_on)
        intents += _contract_ends(r, event)
    elif isinstance(event, USAGE_EVENTS):
        customer_id = event.customer_id
        intents += _usage_starts(r, catalog, event, known_on)
    elif isinstance(event, BusinessChange.Reported):
        return _business_change_starts(r, catalog, event, known_on)
    elif isinstance(event, TASK_EVENTS):
        found = inputs.run_of_task(r, event.originator_id)
        if found is None:
            return []
        run_id, customer_id = found
        if isinstance(event, Task.Completed):
            intents.append(RecordStep(run_id, event.originator_id, event.completed_on, "done"))
        else:
            intents.append(RecordStep(run_id, event.originator_id, event.cancelled_on,
                                      "cancelled"))
    elif isinstance(event, RUN_EVENTS):
        customer_id = inputs.run_customer(r, event.originator_id)
    elif isinstance(event, ROLE_EVENTS):
        runs = inputs.active_runs(r, event.originator_id)
        return [FollowRoles(event.originator_id, event.originator_version, runs)] if runs else []
    if customer_id is not None:
        intents += measurements(r, customer_id, known_on)
    return intents


def measurements(r: Reader, customer_id: UUID | None, today: date) -> list[Intent]:
    """The metrics of the customer's (or every customer's) runs that are decided by today."""
    return [Measure(run.id, name, decision)
            for run in inputs.runs_with_pending_metrics(r, customer_id)
            for name, decision in outcomes.evaluate(r, run, today)]


def _contract_starts(r: Reader, catalog: Catalog, event: Any, k: dict[str, Any],
                     known_on: date) -> list[Intent]:
    if isinstance(event, Contract.Activated):
        if k["predecessor_id"] is not None:
            return []  # a renewal's term starting is not a new customer to onboard
        kind, key, on = TriggerKind.CONTRACT_ACTIVATED, activated_key(k["id"]), event.activated_on
    elif isinstance(event, Contract.Churned):
        kind, key, on = TriggerKind.CONTRACT_CHURNED, churned_key(k["id"]), event.churned_on
    else:
        return []
    return [Start(Occurrence(p.key, k["customer_id"], key, on, k["id"], known_on))
            for p in catalog.active(kind, r.at) if fresh(on, p.last_offset, known_on)]


def _contract_ends(r: Reader, event: Any) -> list[Intent]:
    if isinstance(event, Contract.Churned):
        ended, why = event.churned_on, "the contract churned"
    elif isinstance(event, Contract.Terminated):
        ended, why = event.terminated_on, "the contract was terminated"
    else:
        return []
    return [Abandon(run_id, max(ended, triggered_on), why)
            for run_id, triggered_on in inputs.active_runs_from(r, event.originator_id,
                                                                ENDED_BY_CONTRACT)]


def _business_change_starts(r: Reader, catalog: Catalog, event: BusinessChange.Reported,
                            known_on: date) -> list[Intent]:
    return [Start(Occurrence(p.key, event.customer_id, business_change_key(event.originator_id),
                             event.occurred_on, event.originator_id, known_on))
            for p in catalog.active(TriggerKind.BUSINESS_CHANGE, r.at)
            if event.kind in p.param("kinds", [k.value for k in BusinessChangeKind])
            and fresh(event.occurred_on, p.last_offset, known_on)]


def _usage_starts(r: Reader, catalog: Catalog, event: Any, known_on: date) -> list[Intent]:
    customer_id, start = event.customer_id, event.period_start
    starts: list[Intent] = []
    for p in catalog.active(TriggerKind.USAGE_DROP, r.at):
        window = p.days("window_days", "14")
        history = inputs.usage(r, customer_id, after=shift(start, -(window + 1)), upto=start)
        dropped = drop_occurrence([(h.period_start, h.active_days) for h in history], window,
                                  p.number("drop_ratio", "0.30"))
        if dropped is not None:
            starts += _start(r, p.key, customer_id, usage_drop_key(customer_id, start),
                             event.period_end, event.originator_id, p.last_offset, known_on)
    for p in catalog.active(TriggerKind.USAGE_GROWTH, r.at):
        weeks = p.days("weeks", "4")
        history = inputs.usage(r, customer_id, upto=start, last=weeks + 1)
        if growth_sustained([h.active_days for h in history], weeks,
                            p.number("growth_ratio", "0.20")):
            starts += _start(r, p.key, customer_id, usage_growth_key(customer_id, start),
                             event.period_end, event.originator_id, p.last_offset, known_on)
    return starts


def _start(r: Reader, playbook_key: str, customer_id: UUID, key: str, on: date,
           source_id: UUID, last_offset: int, known_on: date) -> list[Intent]:
    # A slide or a climb goes on for weeks: one run of the play at a time per customer.
    if not fresh(on, last_offset, known_on) or inputs.active_run_of(r, customer_id,
                                                                     playbook_key):
        return []
    return [Start(Occurrence(playbook_key, customer_id, key, on, source_id, known_on))]
