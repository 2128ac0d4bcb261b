"""Lifecycle board (seed 003): customers by phase of their current term and, in
onboarding, by check point (days 7/14/30/60/90).

Derived at query time from the customers and contracts views (no tables of its own,
so it needs no registration and is as consistent as those two). For each customer, one
phase:
- stage `churned` → `churned` (managed for win-back);
- else its current term is, among its signed, active and renewed contracts (a contract
  renewed early still runs to its end date while its successor waits) that have started
  (start_date ≤ today), the one with the latest start; its phase is
  `cs_domain.lifecycle.term_phase`: `renewal` in the term's last 90 days (or past its end
  while neither renewed nor churned), `onboarding` in days 0-90 of a FIRST term (a
  contract with no predecessor: a new engagement), else `stable` — days 0-90 of a renewal
  term are `stable`, never onboarding;
- else `refunded` when a contract of the customer was terminated with a refund;
- else `not_started` (a signed contract starting later) or `no_contract`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, or_, select

from cs_domain.days import shift
from cs_domain.lifecycle import BoardPhase, term_phase
from cs_domain.rules import ONBOARDING_CHECKPOINTS
from projections.shapes import TypedDict
from projections.view import Reader
from projections.views import users
from projections.views.contracts import CONTRACTS
from projections.views.customers import CUSTOMERS
from projections.views.team import LIVE

RUNNING = (*LIVE, "renewed")  # statuses of a contract whose term may be the current one
TERM_PHASES = (BoardPhase.ONBOARDING.value, BoardPhase.STABLE.value, BoardPhase.RENEWAL.value)
PHASES = (*TERM_PHASES, BoardPhase.CHURNED.value, BoardPhase.REFUNDED.value, "not_started",
          "no_contract")


def _current(contracts: list[Any], today: date) -> Any | None:
    started = [k for k in contracts if k.status in RUNNING and k.start_date <= today]
    return max(started, key=lambda k: (k.start_date, k.end_date, k.number), default=None)


class BoardEntry(TypedDict):
    customer_id: UUID
    customer_name: str | None
    owner_id: UUID | None
    owner_name: str | None
    stage: str | None
    phase: str
    contract_id: UUID | None
    contract_number: str | None
    start_date: date | None
    end_date: date | None
    first_term: Annotated[bool | None, Field(
        description="The current term is a first term (a contract with no predecessor); a "
                    "renewal term is never onboarding.")]
    day: Annotated[int | None, Field(description="Days since the current contract started.")]
    days_to_end: int | None
    checkpoint: Annotated[int | None, Field(
        description="Onboarding: the next check point (7/14/30/60/90).")]
    checkpoint_due_on: date | None
    checkpoints_passed: list[int]


class Phase(TypedDict):
    phase: Annotated[str, Field(
        description="onboarding (first term, days 0-90) | stable | renewal (the current "
                    "term's last 90 days) | churned | refunded | not_started | no_contract")]
    count: int
    customers: list[BoardEntry]


class Checkpoint(TypedDict):
    day: int
    title: str
    upcoming: int
    due_today: int
    passed: int


class LifecycleBoard(TypedDict):
    today: date
    phases: list[Phase]
    checkpoints: list[Checkpoint]
    position: int


def _place(customer: Any, owner_name: str | None, contracts: list[Any], today: date
           ) -> BoardEntry:
    entry = BoardEntry(
        customer_id=customer.id, customer_name=customer.name, owner_id=customer.owner_id,
        owner_name=owner_name, stage=customer.stage, phase=BoardPhase.CHURNED.value,
        contract_id=None, contract_number=None, start_date=None, end_date=None,
        first_term=None, day=None, days_to_end=None, checkpoint=None, checkpoint_due_on=None,
        checkpoints_passed=[],
    )
    current = _current(contracts, today)
    if customer.stage == "churned":
        return entry
    if current is None:
        refunded = any(k.status == "terminated" and k.refund is not None for k in contracts)
        future = min((k for k in contracts if k.status in LIVE),
                     key=lambda k: (k.start_date, k.number), default=None)
        entry["phase"] = (BoardPhase.REFUNDED.value if refunded and future is None
                          else "no_contract" if future is None else "not_started")
        if future is not None:
            entry.update({"contract_id": future.id, "contract_number": future.number,
                          "start_date": future.start_date, "end_date": future.end_date})
        return entry
    first_term = current.predecessor_id is None
    position = term_phase(current.start_date, current.end_date, today, first_term=first_term)
    entry.update({"phase": position.phase, "contract_id": current.id,
                  "contract_number": current.number, "start_date": current.start_date,
                  "end_date": current.end_date, "first_term": first_term, "day": position.day,
                  "days_to_end": position.days_to_end,
                  "checkpoints_passed": list(position.checkpoints_passed)})
    if position.checkpoint is not None:
        entry["checkpoint"] = position.checkpoint
        entry["checkpoint_due_on"] = shift(current.start_date, position.checkpoint)
    return entry


def lifecycle_board(conn: Connection, *, today: date, owner_id: UUID | None = None,
                    at: int | None = None) -> LifecycleBoard:
    """`{today, phases: [{phase, count, customers: [...]}], checkpoints: [{day, title,
    upcoming, due_today, passed}], position}`; every phase is listed (count 0 included).

    A customer entry: `customer_id, customer_name, owner_id, owner_name, stage, phase,
    contract_id, contract_number, start_date, end_date, first_term` (the current term has
    no predecessor), `day` (days since the start), `days_to_end, checkpoint` (onboarding:
    the next check point, the first ≥ day), `checkpoint_due_on, checkpoints_passed`.
    Onboarding customers are ordered by the due date of their next check point,
    stable/renewal by end date, others by name.
    `checkpoints` counts onboarding customers working towards each check point
    (`upcoming`, of which `due_today`) and those past it (`passed`).
    """
    r = Reader(conn, at, today)
    c, k = r.table(CUSTOMERS), r.table(CONTRACTS)
    stmt = select(c.c.id, c.c.name, c.c.name_folded, c.c.owner_id, c.c.stage).where(
        r.visible(c))
    live = select(k.c.customer_id, k.c.id, k.c.number, k.c.status, k.c.start_date,
                  k.c.end_date, k.c.predecessor_id, k.c.refund).where(
        r.visible(k), or_(k.c.status.in_(RUNNING), k.c.refund.is_not(None)))
    if owner_id is not None:
        stmt = stmt.where(c.c.owner_id == owner_id)
        live = live.where(k.c.customer_id.in_(
            select(c.c.id).where(r.visible(c), c.c.owner_id == owner_id)))
    customers = conn.execute(stmt.order_by(c.c.name_folded, c.c.id)).all()
    by_customer: dict[UUID, list[Any]] = defaultdict(list)
    for row in conn.execute(live):
        by_customer[row.customer_id].append(row)
    names = users.names(r, {x.owner_id for x in customers})
    phases: dict[str, list[BoardEntry]] = {p: [] for p in PHASES}
    for customer in customers:
        entry = _place(customer, names.get(customer.owner_id),
                       by_customer.get(customer.id, []), today)
        phases[entry["phase"]].append(entry)
    phases[BoardPhase.ONBOARDING.value].sort(key=lambda e: e["checkpoint_due_on"] or date.max)
    for p in (BoardPhase.STABLE.value, BoardPhase.RENEWAL.value):
        phases[p].sort(key=lambda e: e["end_date"] or date.max)  # both have a current term
    onboarding = phases[BoardPhase.ONBOARDING.value]
    checkpoints: list[Checkpoint] = [{
        "day": d, "title": title,
        "upcoming": sum(1 for e in onboarding if e["checkpoint"] == d),
        "due_today": sum(1 for e in onboarding if e["checkpoint"] == d and e["day"] == d),
        "passed": sum(1 for e in onboarding if d in e["checkpoints_passed"]),
    } for d, title in ONBOARDING_CHECKPOINTS]
    return {"today": today,
            "phases": [{"phase": p, "count": len(v), "customers": v} for p, v in phases.items()],
            "checkpoints": checkpoints, "position": r.position}
