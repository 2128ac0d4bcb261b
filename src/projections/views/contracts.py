"""Contracts view: every contract's status flow, money, dates and renewal work.

Answers the renewal pipeline ("which contracts end in this range, with what intent")
and the renewal metrics in business time (by contract end date, whenever entered).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, cast
from uuid import UUID

from pydantic import Field
from sqlalchemy import BigInteger, Connection, Date, String, Table, Uuid, bindparam, func, select

from cs_domain import deadlines
from cs_domain.contract import Contract
from projections.query import ratio
from projections.rule_sql import renewal_due_condition
from projections.shapes import Money, NotRequired, Position, Ratio, TypedDict
from projections.versioned import DecimalText, VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views import users
from projections.views.customers import CUSTOMERS

CONTRACTS = VersionedTable(
    "contracts", "contracts",
    keys=[("id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("number", String(64)), ("status", String(16)),
        ("amount", DecimalText()), ("currency", String(3)),
        ("start_date", Date()), ("end_date", Date()), ("predecessor_id", Uuid()),
        ("signed_on", Date()), ("activated_on", Date()),
        ("intent", String(8)), ("expansion_potential", DecimalText()),
        ("renewed_on", Date()), ("successor_id", Uuid()), ("renewal_amount", DecimalText()),
        ("churned_on", Date()), ("churn_reason", String(32)), ("churn_note", String(5000)),
        ("terminated_on", Date()), ("drafted_position", BigInteger()),
        ("refund", DecimalText()),
    ],
    indexes=[("customer_id",), ("end_date",)],
    current_indexes=[("customer_id",), ("end_date",)],
)

# Statuses that never come up for renewal (cs_domain.deadlines: a draft was never in force,
# a terminated contract was cancelled before its term).
NOT_DUE = deadlines.NOT_DUE


class ContractsView(View):
    name = "contracts"
    tables = (CONTRACTS,)

    @on(Contract.Drafted)
    def drafted(self, tx: ViewTx, e: Contract.Drafted) -> None:
        tx[CONTRACTS].put(e.originator_id, {
            "customer_id": e.customer_id, "number": e.number, "status": "draft",
            "amount": e.amount, "currency": e.currency, "start_date": e.start_date,
            "end_date": e.end_date, "predecessor_id": e.predecessor_id, "signed_on": None,
            "activated_on": None, "intent": None, "expansion_potential": None,
            "renewed_on": None, "successor_id": None, "renewal_amount": None,
            "churned_on": None, "churn_reason": None, "churn_note": None,
            "terminated_on": None, "drafted_position": tx.position, "refund": None,
        })

    @on(Contract.Signed)
    def signed(self, tx: ViewTx, e: Contract.Signed) -> None:
        tx[CONTRACTS].update(e.originator_id, status="signed", signed_on=e.signed_on)

    @on(Contract.Activated)
    def activated(self, tx: ViewTx, e: Contract.Activated) -> None:
        tx[CONTRACTS].update(e.originator_id, status="active", activated_on=e.activated_on)

    @on(Contract.RenewalIntentSet)
    def intent_set(self, tx: ViewTx, e: Contract.RenewalIntentSet) -> None:
        tx[CONTRACTS].update(e.originator_id, intent=e.intent,
                             expansion_potential=e.expansion_potential)

    @on(Contract.Renewed)
    def renewed(self, tx: ViewTx, e: Contract.Renewed) -> None:
        tx[CONTRACTS].update(e.originator_id, status="renewed", renewed_on=e.renewed_on,
                             successor_id=e.successor_id, renewal_amount=e.new_amount)

    @on(Contract.Churned)
    def churned(self, tx: ViewTx, e: Contract.Churned) -> None:
        tx[CONTRACTS].update(e.originator_id, status="churned", churned_on=e.churned_on,
                             churn_reason=e.reason_category, churn_note=e.note)

    @on(Contract.Terminated)
    def terminated(self, tx: ViewTx, e: Contract.Terminated) -> None:
        tx[CONTRACTS].update(e.originator_id, status="terminated", terminated_on=e.terminated_on,
                             refund=e.refund)


class ContractLine(TypedDict):
    id: UUID
    number: str
    status: Annotated[str, Field(
        description="draft | signed | active | renewed | churned | terminated")]
    amount: Money
    currency: str
    start_date: date
    end_date: date
    days_to_end: Annotated[int, Field(
        description="Days from `today` to the end date (negative: ended).")]
    progress: Annotated[Ratio | None, Field(
        description="Delivery progress of the contract, 0..1 (weighted over its "
                    "implementation projects); null when it has no (live) project.")]
    intent: Annotated[str | None, Field(description="Renewal intent: high | medium | low.")]
    predecessor_id: UUID | None
    successor_id: UUID | None


class CustomerContract(ContractLine):
    """A 360 contract line with its customer (`contract_of`)."""

    customer_id: UUID


class ContractDetail(CustomerContract):
    """One contract (`GET /contracts/{id}`): the 360's contract line and its customer."""

    position: Position


class Renewal(TypedDict):
    id: Annotated[UUID, Field(description="The contract.")]
    number: str
    customer_id: UUID
    customer_name: str | None
    owner_id: UUID | None
    owner_name: str | None
    stage: Annotated[str | None, Field(description="The customer's lifecycle stage.")]
    status: str
    amount: Money
    currency: str
    start_date: date
    end_date: date
    intent: str | None
    expansion_potential: Money | None
    renewed_on: date | None
    renewal_amount: Annotated[Money | None, Field(
        description="The successor's amount, once renewed.")]
    churned_on: date | None
    churn_reason: str | None
    progress: Annotated[Ratio | None, Field(
        description="Delivery progress (as in the 360); null when the contract has no "
                    "implementation project.")]
    renews: Annotated[str | None, Field(
        description="The number of the contract this one renews.")]
    signed_on: date | None
    activated_on: date | None


class ChurnReason(TypedDict):
    category: str
    customers: int
    amount: Money


class CurrencyMetrics(TypedDict):
    currency: str
    due_customers: Annotated[int, Field(
        description="Customers with a contract due in the range.")]
    renewed_customers: int
    renewal_rate: Annotated[Ratio | None, Field(
        description="renewed / due customers; null if none due.")]
    due_amount: Money
    renewed_amount: Annotated[Money, Field(
        description="The successors' amounts of the renewed due contracts.")]
    revenue_renewal_rate: Ratio | None
    churned_customers: int
    churn_reasons: list[ChurnReason]


class OverallRenewals(TypedDict):
    """Customers across currencies (续约率 counts customers, so it needs no exchange rate)."""

    due_customers: Annotated[int, Field(
        description="Customers with at least one contract due in the range, whatever its "
                    "currency (each counted once).")]
    renewed_customers: Annotated[int, Field(
        description="Due customers that renewed at least one of their due contracts.")]
    renewal_rate: Annotated[Ratio | None, Field(
        description="renewed / due customers (已续客户数/应续客户数); null if none due.")]
    churned_customers: Annotated[int, Field(
        description="Due customers with at least one due contract churned.")]


# `from` is a keyword: the functional form (projections.queries.renewal_rates adds the
# reporting and target blocks; the API's RenewalMetrics documents the whole).
RenewalFigures = TypedDict("RenewalFigures", {
    "from": date, "to": date, "currencies": list[CurrencyMetrics], "overall": OverallRenewals,
    "position": int,
})


# `from` is a keyword: the functional form (the API's RenewalList documents it; `total`
# only with a `limit`: the boards' pages).
RenewalPipeline = TypedDict("RenewalPipeline", {
    "from": date, "to": date, "items": list[Renewal], "position": int,
    "total": NotRequired[int],
})


def contract_line(row: Any, today: date) -> ContractLine:
    """A contract as the customer 360 lists it (progress None: no project known yet)."""
    return {
        "id": row.id, "number": row.number, "status": row.status, "amount": row.amount,
        "currency": row.currency, "start_date": row.start_date, "end_date": row.end_date,
        "days_to_end": (row.end_date - today).days, "progress": None,
        "intent": row.intent, "predecessor_id": row.predecessor_id,
        "successor_id": row.successor_id,
    }


def contracts_of(r: Reader, customer_id: UUID, today: date) -> list[ContractLine]:
    """A customer's contracts, newest term first, with days to end; progress is filled
    in by :mod:`projections.compose` from a view that provides it (None without one:
    no implementation project, no progress known)."""
    stmt = r.prepared("contracts_of", [CONTRACTS], lambda t: select(t).where(
        t.c.customer_id == bindparam("customer_id"), r.visible_bound(t),
    ).order_by(t.c.end_date.desc(), t.c.number))
    rows = r.run(stmt, {"customer_id": customer_id})
    return [contract_line(row, today) for row in rows]


def contract_of(r: Reader, contract_id: UUID, today: date) -> CustomerContract | None:
    """One contract (a 360 contract line plus `customer_id`), or None if unknown."""
    stmt = r.prepared("contract_of", [CONTRACTS], lambda t: select(t).where(
        t.c.id == bindparam("id"), r.visible_bound(t)))
    row = r.run(stmt, {"id": contract_id}).first()
    return None if row is None else CustomerContract(**contract_line(row, today),
                                                     customer_id=row.customer_id)


def _as_set(value: str | Collection[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def renewals(
    conn: Connection, from_: date, to: date, *, intent: str | Collection[str] | None = None,
    owner_id: UUID | None = None, status: str | Collection[str] | None = None,
    at: int | None = None, limit: int | None = None, offset: int = 0,
) -> RenewalPipeline:
    """The renewal pipeline: contracts whose end date is in [from_, to] (both inclusive);
    with `limit`, only that many from `offset` (a board's page) and the `total`."""
    r = Reader(conn, at)
    t, c = r.table(CONTRACTS), r.table(CUSTOMERS)
    p = cast(Table, t.alias("predecessor"))  # the renewed contract, as visible as `t`
    stmt = (
        select(t, c.c.name.label("customer_name"), c.c.owner_id, c.c.stage,
               p.c.number.label("renews"))
        .join(c, (c.c.id == t.c.customer_id) & r.visible(c), isouter=True)
        .join(p, (p.c.id == t.c.predecessor_id) & r.visible(p), isouter=True)
        .where(t.c.end_date >= from_, t.c.end_date <= to, r.visible(t))
        .order_by(t.c.end_date, c.c.name_folded, t.c.number)
    )
    if (intents := _as_set(intent)) is not None:
        stmt = stmt.where(t.c.intent.in_(intents))
    if (statuses := _as_set(status)) is not None:
        stmt = stmt.where(t.c.status.in_(statuses))
    if owner_id is not None:
        stmt = stmt.where(c.c.owner_id == owner_id)
    total = None
    if limit is not None:
        total = conn.execute(select(func.count()).select_from(
            stmt.order_by(None).subquery())).scalar_one()
        stmt = stmt.limit(limit).offset(offset)
    rows = conn.execute(stmt).all()
    names = users.names(r, {row.owner_id for row in rows})
    items: list[Renewal] = [{
        "id": row.id, "number": row.number, "customer_id": row.customer_id,
        "customer_name": row.customer_name, "owner_id": row.owner_id,
        "owner_name": names.get(row.owner_id), "stage": row.stage, "status": row.status,
        "amount": row.amount, "currency": row.currency, "start_date": row.start_date,
        "end_date": row.end_date, "intent": row.intent,
        "expansion_potential": row.expansion_potential, "renewed_on": row.renewed_on,
        "renewal_amount": row.renewal_amount, "churned_on": row.churned_on,
        "churn_reason": row.churn_reason, "progress": None, "renews": row.renews,
        "signed_on": row.signed_on, "activated_on": row.activated_on,
    } for row in rows]
    found: RenewalPipeline = {"from": from_, "to": to, "items": items, "position": r.position}
    if total is not None:
        found["total"] = total
    return found


class Tally:
    """Customers and amounts of some due contracts (one currency, or all for `overall`)."""

    def __init__(self) -> None:
        self.due: set[UUID] = set()
        self.renewed: set[UUID] = set()
        self.churned: set[UUID] = set()
        self.due_amount = Decimal(0)
        self.renewed_amount = Decimal(0)
        self.reasons: dict[str, tuple[set[UUID], Decimal]] = {}

    def add(self, row: Any) -> None:
        self.due.add(row.customer_id)
        self.due_amount += row.amount
        if deadlines.is_renewed(row.status):
            self.renewed.add(row.customer_id)
            self.renewed_amount += row.renewal_amount
        elif deadlines.is_churned(row.status):
            self.churned.add(row.customer_id)
            customers, amount = self.reasons.get(row.churn_reason, (set(), Decimal(0)))
            customers.add(row.customer_id)
            self.reasons[row.churn_reason] = (customers, amount + row.amount)

    def customers(self) -> OverallRenewals:
        return {"due_customers": len(self.due), "renewed_customers": len(self.renewed),
                "renewal_rate": ratio(len(self.renewed), len(self.due)),
                "churned_customers": len(self.churned)}


def due_contracts(r: Reader, from_: date, to: date) -> list[Any]:
    """The contracts due in [from_, to] (`deadlines.is_renewal_due`: end date in the range,
    both ends inclusive, not a draft or terminated)."""
    t = r.table(CONTRACTS)
    return list(r.conn.execute(
        select(t.c.customer_id, t.c.currency, t.c.amount, t.c.status, t.c.renewal_amount,
               t.c.churn_reason, t.c.end_date)
        .where(renewal_due_condition(t, from_, to), r.visible(t))
    ).all())


def renewal_metrics(conn: Connection, from_: date, to: date, *, at: int | None = None
                    ) -> RenewalFigures:
    """Renewal and revenue renewal rates per currency for contracts due in [from_, to],
    and `overall` customer figures across currencies.

    Due, renewed and churned as `cs_domain.deadlines` defines them (due: end date in the
    range, both ends inclusive, not a draft or terminated; renewed whenever: early renewals
    count); the renewed amount is the successor's amount, so expansion can lift the revenue
    rate above 1. Customers are counted once per currency, and once in `overall` (due: any
    of its contracts is due; renewed / churned: any of its due contracts was).
    """
    r = Reader(conn, at)
    rows = due_contracts(r, from_, to)
    per: dict[str, Tally] = {}
    overall = Tally()
    for row in rows:
        per.setdefault(row.currency, Tally()).add(row)
        overall.add(row)
    currencies: list[CurrencyMetrics] = []
    for currency in sorted(per):
        m = per[currency]
        ranked = sorted(m.reasons.items(), key=lambda kv: (-len(kv[1][0]), -kv[1][1], kv[0]))
        reasons: list[ChurnReason] = [{"category": cat, "customers": len(cs), "amount": amount}
                                      for cat, (cs, amount) in ranked]
        currencies.append(CurrencyMetrics(
            currency=currency, **m.customers(),
            due_amount=m.due_amount, renewed_amount=m.renewed_amount,
            revenue_renewal_rate=ratio(m.renewed_amount, m.due_amount),
            churn_reasons=reasons,
        ))
    return {"from": from_, "to": to, "currencies": currencies, "overall": overall.customers(),
            "position": r.position}
