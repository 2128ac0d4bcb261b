"""Team view: per CSM (customer owner) the portfolio, its contract value and workload,
and the lateness of seed 001's CSM milestones for each of their customers.

Milestones (`cs_domain.rules.csm_milestones`) are measured once, on the customer's FIRST
term only (its earliest contract that was signed: not a draft, not terminated), from that
term's start date:
- `activated` (month 1) is done on the day the customer is activated — the one definition,
  `cs_domain.lifecycle.activated_on` (its first active usage from the start), as
  `/metrics/activation` counts it;
- `no_basic_questions` (month 4) is done when a plan milestone titled like the
  continuous-operation template's "No more basic-operation questions" is completed —
  nothing else in the log records it;
- `own_activities` (month 9) is done on the earliest of: the completion of a plan
  milestone titled like "Customer runs its own activities", and the review of an activity
  run with the customer (`cs_domain.activity`, seed 001 §二.4: a reviewed activity has
  run; `views/activities.first_reviews`);
- `renewed` (the first term's end date) is done when that contract was renewed.
Status: `done`, `pending` (not yet due), `overdue` (`cs_domain.deadlines.is_overdue`) while
the first term runs, and `missed` once the first term is over (renewed, churned or past its
end) without it — its `days_late` then stays at the days from the due date to the term's
end, so a term of 2023 does not keep adding lateness. `renewed` is `missed` when the first
term churned, else overdue until renewed.
Customers in stage `churned` are left out (they are managed for win-back instead).

This view's own tables keep only what no other view holds: the completions of those plan
milestones; the rest is read from the customers, contracts, health, risks, tasks and
activities views at query time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, Date, String, Uuid, func, select

from cs_domain import deadlines
from cs_domain.plan import SuccessPlan
from cs_domain.plan_templates import CONTINUOUS_OPERATION, PlanTemplate
from cs_domain.rules import csm_milestones, days_late
from projections.queries import activation
from projections.rule_sql import overdue_condition
from projections.shapes import Money, TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views import activities, users
from projections.views.contracts import CONTRACTS, NOT_DUE
from projections.views.customers import CUSTOMERS
from projections.views.risks import OPEN_STATUSES, RISKS, is_overdue
from projections.views.tasks import OPEN, TASKS

# A MilestoneAdded names only its plan: the plan's customer comes from here.
PLANS = VersionedTable("team", "csm_plans", keys=[("plan_id", Uuid())],
                       columns=[("customer_id", Uuid())])
PLAN_MILESTONES = VersionedTable(
    "team", "csm_plan_milestones",
    keys=[("milestone_id", Uuid())],
    columns=[("customer_id", Uuid()), ("plan_id", Uuid()), ("key", String(32)),
             ("completed_on", Date())],
    indexes=[("customer_id",)],
)


def _title(template: PlanTemplate, prefix: str) -> str:
    return next(m.title for m in template.milestones if m.title.startswith(prefix))


def title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


# Plan milestones (matched by title, case- and space-insensitive) that record a milestone.
MILESTONE_TITLES = {
    title_key(_title(CONTINUOUS_OPERATION, "No more basic-operation")): "no_basic_questions",
    title_key(_title(CONTINUOUS_OPERATION, "Customer runs its own")): "own_activities",
}
LIVE = ("signed", "active")


class TeamView(View):
    name = "team"
    tables = (PLANS, PLAN_MILESTONES)

    def _milestone(self, tx: ViewTx, plan_id: UUID, customer_id: UUID, milestone_id: UUID,
                   title: str) -> None:
        key = MILESTONE_TITLES.get(title_key(title))
        if key is not None:
            tx[PLAN_MILESTONES].put(milestone_id, {"customer_id": customer_id,
                                                   "plan_id": plan_id, "key": key,
                                                   "completed_on": None})

    @on(SuccessPlan.Drafted)
    def drafted(self, tx: ViewTx, e: SuccessPlan.Drafted) -> None:
        tx[PLANS].put(e.originator_id, {"customer_id": e.customer_id})
        for m in e.milestones:
            self._milestone(tx, e.originator_id, e.customer_id, m["milestone_id"], m["title"])

    @on(SuccessPlan.MilestoneAdded)
    def milestone_added(self, tx: ViewTx, e: SuccessPlan.MilestoneAdded) -> None:
        plan = tx[PLANS].require(e.originator_id)
        self._milestone(tx, e.originator_id, plan["customer_id"], e.milestone_id, e.title)

    @on(SuccessPlan.MilestoneCompleted)
    def milestone_completed(self, tx: ViewTx, e: SuccessPlan.MilestoneCompleted) -> None:
        if tx[PLAN_MILESTONES].get(e.milestone_id) is not None:
            tx[PLAN_MILESTONES].update(e.milestone_id, completed_on=e.completed_on)


def _first_terms(r: Reader, ids: list[UUID] | None) -> dict[UUID, Any]:
    """Each customer's first term: its earliest contract that was ever signed."""
    k = r.table(CONTRACTS)
    conds = [r.visible(k), k.c.status.not_in(NOT_DUE)]
    if ids is not None:
        conds.append(k.c.customer_id.in_(ids))
    rank = func.row_number().over(partition_by=k.c.customer_id,
                                  order_by=(k.c.start_date, k.c.end_date, k.c.number))
    sub = select(k.c.customer_id, k.c.id, k.c.start_date, k.c.end_date, k.c.status,
                 k.c.renewed_on, k.c.churned_on, rank.label("rank")).where(*conds).subquery()
    rows = r.conn.execute(select(sub).where(sub.c.rank == 1))
    return {row.customer_id: row for row in rows}


def _done_dates(r: Reader, terms: dict[UUID, Any], ids: list[UUID] | None
                ) -> dict[tuple[UUID, str], date]:
    """(customer, milestone key) → the day the milestone was first recorded as done."""
    p = r.table(PLAN_MILESTONES)
    plans = (select(p.c.customer_id, p.c.key, func.min(p.c.completed_on).label("done_on"))
             .where(r.visible(p), p.c.completed_on.is_not(None))
             .group_by(p.c.customer_id, p.c.key))
    if ids is not None:
        plans = plans.where(p.c.customer_id.in_(ids))
    done: dict[tuple[UUID, str], date] = {}
    for row in r.conn.execute(plans):
        done[(row.customer_id, row.key)] = row.done_on
    for cid, reviewed_on in activities.first_reviews(r, ids).items():
        key = (cid, "own_activities")  # the earliest evidence wins
        done[key] = min(reviewed_on, done.get(key, reviewed_on))
    starts = {cid: term.start_date for cid, term in terms.items()}
    for cid, activated_on in activation.activation_dates(r, starts).items():
        done[(cid, "activated")] = activated_on
    return done


class MilestoneFigures(TypedDict):
    done_on_time: int
    done_late: int
    overdue: Annotated[int, Field(
        description="Not done, past due, the first term still running.")]
    missed: Annotated[int, Field(
        description="Not done when the first term ended (renewed, churned or past its end): "
                    "lateness stops at the term's end.")]
    pending: int
    days_late_total: int
    days_late_max: int


class CurrencyAmount(TypedDict):
    currency: str
    amount: Money


class TeamMember(TypedDict):
    owner_id: UUID
    owner_name: str | None
    customers: int
    customers_by_stage: dict[str, int]
    contract_value: Annotated[list[CurrencyAmount], Field(
        description="Signed and active contracts of their customers, per currency.")]
    open_risks: int
    overdue_risks: int
    overdue_tasks: Annotated[int, Field(
        description="Open tasks assigned to them, due before `today`.")]
    milestones: Annotated[dict[str, MilestoneFigures], Field(
        description="The CSM milestones (activated, no_basic_questions, own_activities, "
                    "renewed).")]


class TeamOverview(TypedDict):
    today: date
    items: list[TeamMember]
    position: int


class CsmMilestone(TypedDict):
    key: str
    title: str
    due_date: date
    done_on: date | None
    status: Annotated[str, Field(
        description="done | pending | overdue | missed (measured on the customer's first "
                    "term only: see docs/rules.md)")]
    days_late: int


class CustomerMilestones(TypedDict):
    customer_id: UUID
    customer_name: str | None
    owner_id: UUID | None
    start_date: date | None
    term_end: date | None
    contract_id: UUID | None
    milestones: list[CsmMilestone]


class CsmMilestones(TypedDict):
    items: list[CustomerMilestones]
    position: int


def milestone_status(m: Any, done_on: date | None, term: Any, today: date
                     ) -> tuple[str, int]:
    """(status, days_late) of a first-term milestone (see the module docstring)."""
    if done_on is not None:
        return "done", days_late(m.due_date, done_on, today)
    ended = term.status in ("renewed", "churned") or term.end_date < today
    if m.key == "renewed":
        if term.status == "churned":
            return "missed", days_late(m.due_date, term.churned_on, today)
    elif ended:
        return "missed", days_late(m.due_date, min(term.end_date, today), today)
    if deadlines.is_overdue(True, m.due_date, today):
        return "overdue", days_late(m.due_date, None, today)
    return "pending", 0


def _lateness(r: Reader, customers: list[Any], today: date, everyone: bool
              ) -> list[CustomerMilestones]:
    ids = None if everyone else [c.id for c in customers]
    terms = _first_terms(r, ids)
    done = _done_dates(r, terms, ids)
    out: list[CustomerMilestones] = []
    for c in customers:
        term = terms.get(c.id)
        if c.stage == "churned" or term is None:
            continue
        milestones: list[CsmMilestone] = []
        for m in csm_milestones(term.start_date, term.end_date):
            done_on = (term.renewed_on if deadlines.is_renewed(term.status) else None) \
                if m.key == "renewed" else done.get((c.id, m.key))
            status, late = milestone_status(m, done_on, term, today)
            milestones.append({"key": m.key, "title": m.title, "due_date": m.due_date,
                               "done_on": done_on, "status": status, "days_late": late})
        out.append({"customer_id": c.id, "customer_name": c.name, "owner_id": c.owner_id,
                    "start_date": term.start_date, "term_end": term.end_date,
                    "contract_id": term.id, "milestones": milestones})
    return out


def _customers(r: Reader, owner_id: UUID | None = None, customer_id: UUID | None = None
               ) -> list[Any]:
    c = r.table(CUSTOMERS)
    stmt = select(c.c.id, c.c.name, c.c.name_folded, c.c.owner_id, c.c.stage).where(
        r.visible(c))
    if owner_id is not None:
        stmt = stmt.where(c.c.owner_id == owner_id)
    if customer_id is not None:
        stmt = stmt.where(c.c.id == customer_id)
    return list(r.conn.execute(stmt.order_by(c.c.name_folded, c.c.id)))


def milestone_lateness(conn: Connection, *, today: date, owner_id: UUID | None = None,
                       customer_id: UUID | None = None, at: int | None = None
                       ) -> CsmMilestones:
    """Seed 001's CSM milestones per customer (by name): `{items: [{customer_id,
    customer_name, owner_id, start_date, term_end, contract_id, milestones: [{key, title,
    due_date, done_on, status: done|pending|overdue|missed, days_late}]}], position}`."""
    r = Reader(conn, at, today)
    customers = _customers(r, owner_id, customer_id)
    everyone = owner_id is None and customer_id is None
    return {"items": _lateness(r, customers, today, everyone), "position": r.position}


def overdue_milestones(r: Reader, today: date) -> int:
    """How many first-term CSM milestones are `overdue` on `today` (every customer)."""
    return sum(m["status"] == "overdue" for item in _lateness(r, _customers(r), today, True)
               for m in item["milestones"])


def _summary() -> MilestoneFigures:
    return {"done_on_time": 0, "done_late": 0, "overdue": 0, "missed": 0, "pending": 0,
            "days_late_total": 0, "days_late_max": 0}


def _csm_ids(r: Reader) -> list[UUID]:
    t = r.table(users.USERS)
    return list(r.conn.execute(select(t.c.id).where(
        r.visible(t), t.c.role == "csm", t.c.active.is_(True))).scalars())


def team(conn: Connection, *, today: date, at: int | None = None) -> TeamOverview:
    """Per CSM (every owner of a customer and every active user with role csm), by name:
    `customers`, `customers_by_stage`, `contract_value [{currency, amount}]` (signed and
    active contracts), `open_risks` / `overdue_risks` (on their customers), `overdue_tasks`
    (assigned to them), `milestones {key: {done_on_time, done_late, overdue, missed, pending,
    days_late_total, days_late_max}}`. Returns `{today, items, position}`."""
    r = Reader(conn, at, today)
    customers = _customers(r)
    owner_of = {c.id: c.owner_id for c in customers}
    rows: dict[UUID, dict[str, Any]] = {}

    def entry(owner: UUID) -> dict[str, Any]:
        if owner not in rows:
            rows[owner] = {"owner_id": owner, "customers": 0, "customers_by_stage": {},
                           "value": defaultdict(Decimal), "open_risks": 0, "overdue_risks": 0,
                           "overdue_tasks": 0,
                           "milestones": {k: _summary() for k in
                                          ("activated", "no_basic_questions",
                                           "own_activities", "renewed")}}
        return rows[owner]

    for owner in _csm_ids(r):
        entry(owner)
    for c in customers:
        e = entry(c.owner_id)
        e["customers"] += 1
        e["customers_by_stage"][c.stage] = e["customers_by_stage"].get(c.stage, 0) + 1
    k = r.table(CONTRACTS)
    for row in conn.execute(select(k.c.customer_id, k.c.currency, k.c.amount).where(
            r.visible(k), k.c.status.in_(LIVE))):
        if row.customer_id in owner_of:
            entry(owner_of[row.customer_id])["value"][row.currency] += row.amount
    rk = r.table(RISKS)
    for customer_id, status, due_date in conn.execute(select(
            rk.c.customer_id, rk.c.status, rk.c.due_date).where(
            r.visible(rk), rk.c.status.in_(OPEN_STATUSES))):
        if customer_id in owner_of:
            e = entry(owner_of[customer_id])
            e["open_risks"] += 1
            e["overdue_risks"] += is_overdue(status, due_date, today)
    t = r.table(TASKS)
    for assignee, n in conn.execute(select(t.c.assignee_id, func.count()).where(
            r.visible(t), overdue_condition(t, today, OPEN)).group_by(t.c.assignee_id)):
        if assignee in rows:
            rows[assignee]["overdue_tasks"] = n
    for item in _lateness(r, customers, today, everyone=True):
        if item["owner_id"] is None:  # cs_domain: every customer has an owner
            continue
        summaries = entry(item["owner_id"])["milestones"]
        for m in item["milestones"]:
            s = summaries[m["key"]]
            if m["status"] == "done":
                s["done_late" if m["days_late"] else "done_on_time"] += 1
            else:
                s[m["status"]] += 1
            s["days_late_total"] += m["days_late"]
            s["days_late_max"] = max(s["days_late_max"], m["days_late"])
    names = users.names(r, rows)
    items = [TeamMember(
        owner_id=owner, owner_name=names.get(owner), customers=e["customers"],
        customers_by_stage=e["customers_by_stage"],
        contract_value=[CurrencyAmount(currency=cur, amount=e["value"][cur])
                        for cur in sorted(e["value"])],
        open_risks=e["open_risks"], overdue_risks=e["overdue_risks"],
        overdue_tasks=e["overdue_tasks"], milestones=e["milestones"],
    ) for owner, e in rows.items()]
    items.sort(key=lambda x: (x["owner_name"] is None, x["owner_name"] or "", str(x["owner_id"])))
    return {"today": today, "items": items, "position": r.position}

