"""Subscriptions view: each customer's product terms (产品租期) — product, seats, status, dates.

Answers "what does this customer have, how many seats, until when" (the customer 360's
`subscriptions`). Status follows the aggregate: provisioned → active ⇄ suspended → expired.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import BigInteger, Connection, Date, Integer, String, Text, Uuid, bindparam, case, select

from cs_domain.subscription import Subscription as SubscriptionAggregate
from projections.shapes import TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on

SUBSCRIPTIONS = VersionedTable(
    "subscriptions", "subscriptions",
    keys=[("id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("contract_id", Uuid()), ("product", String(200)),
        ("seats", Integer()), ("start_date", Date()), ("end_date", Date()),
        ("status", String(16)), ("activated_on", Date()), ("suspended_on", Date()),
        ("suspend_reason", Text()), ("expired_on", Date()), ("seats_changed_on", Date()),
        ("provisioned_position", BigInteger()),
    ],
    indexes=[("customer_id",), ("end_date",)], current_indexes=[("customer_id",), ("end_date",)],
)
# Live terms first in the 360.
STATUS_ORDER = {"active": 0, "suspended": 1, "provisioned": 2, "expired": 3}


class Subscription(TypedDict):
    id: UUID
    customer_id: UUID
    contract_id: UUID | None
    product: str
    seats: int
    status: Annotated[str, Field(description="provisioned | active | suspended | expired")]
    start_date: date
    end_date: date
    days_to_end: int
    activated_on: date | None
    suspended_on: date | None
    suspend_reason: str | None
    expired_on: date | None
    seats_changed_on: date | None


class SubscriptionList(TypedDict):
    items: list[Subscription]
    position: int


def subscriptions_section(r: Reader, customer_id: UUID, today: date) -> list[Subscription]:
    """The customer 360's `subscriptions`: live terms first, then by end date (latest first)."""
    return _subscriptions(r, customer_id, today)


class SubscriptionsView(View):
    name = "subscriptions"
    tables = (SUBSCRIPTIONS,)
    customer_sections = {"subscriptions": subscriptions_section}

    @on(SubscriptionAggregate.Provisioned)
    def provisioned(self, tx: ViewTx, e: SubscriptionAggregate.Provisioned) -> None:
        tx[SUBSCRIPTIONS].put(e.originator_id, {
            "customer_id": e.customer_id, "contract_id": e.contract_id, "product": e.product,
            "seats": e.seats, "start_date": e.start_date, "end_date": e.end_date,
            "status": "provisioned", "activated_on": None, "suspended_on": None,
            "suspend_reason": None, "expired_on": None, "seats_changed_on": None,
            "provisioned_position": tx.position,
        })

    @on(SubscriptionAggregate.Activated)
    def activated(self, tx: ViewTx, e: SubscriptionAggregate.Activated) -> None:
        tx[SUBSCRIPTIONS].update(e.originator_id, status="active", activated_on=e.activated_on)

    @on(SubscriptionAggregate.Suspended)
    def suspended(self, tx: ViewTx, e: SubscriptionAggregate.Suspended) -> None:
        tx[SUBSCRIPTIONS].update(e.originator_id, status="suspended",
                                 suspended_on=e.suspended_on, suspend_reason=e.reason)

    @on(SubscriptionAggregate.Resumed)
    def resumed(self, tx: ViewTx, e: SubscriptionAggregate.Resumed) -> None:
        tx[SUBSCRIPTIONS].update(e.originator_id, status="active", suspended_on=None,
                                 suspend_reason=None)

    @on(SubscriptionAggregate.Expired)
    def expired(self, tx: ViewTx, e: SubscriptionAggregate.Expired) -> None:
        tx[SUBSCRIPTIONS].update(e.originator_id, status="expired", expired_on=e.expired_on)

    @on(SubscriptionAggregate.SeatsChanged)
    def seats_changed(self, tx: ViewTx, e: SubscriptionAggregate.SeatsChanged) -> None:
        tx[SUBSCRIPTIONS].update(e.originator_id, seats=e.seats, seats_changed_on=e.effective_on)


def _subscriptions(r: Reader, customer_id: UUID, today: date) -> list[Subscription]:
    def build(t: Any) -> Any:
        rank = case(STATUS_ORDER, value=t.c.status, else_=len(STATUS_ORDER))
        return select(t).where(t.c.customer_id == bindparam("customer_id"), r.visible_bound(t)
                               ).order_by(rank, t.c.end_date.desc(), t.c.product,
                                          t.c.provisioned_position)

    rows = r.run(r.prepared("subscriptions_of", [SUBSCRIPTIONS], build),
                 {"customer_id": customer_id})
    return [Subscription(
        id=row.id, customer_id=row.customer_id, contract_id=row.contract_id,
        product=row.product, seats=row.seats, status=row.status,
        start_date=row.start_date, end_date=row.end_date,
        days_to_end=(row.end_date - today).days, activated_on=row.activated_on,
        suspended_on=row.suspended_on, suspend_reason=row.suspend_reason,
        expired_on=row.expired_on, seats_changed_on=row.seats_changed_on,
    ) for row in rows]


def subscriptions_of(conn: Connection, customer_id: UUID, *, today: date,
                     at: int | None = None) -> SubscriptionList:
    """A customer's subscriptions (as the 360 shows them) with `position`:
    `{items: [{id, customer_id, contract_id, product, seats, status, start_date, end_date,
    days_to_end, activated_on, suspended_on, suspend_reason, expired_on,
    seats_changed_on}], position}`."""
    r = Reader(conn, at, today)
    return {"items": _subscriptions(r, customer_id, today), "position": r.position}
