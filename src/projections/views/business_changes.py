"""Business changes view (seed 001 §二.8): the changes of business reported on each
customer — merger, closure, budget cut, leadership change — newest first (the customer
360's `business_changes`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import Field
from sqlalchemy import Date, String, Uuid, bindparam, select

from cs_domain.business_change import NOTE_MAX, BusinessChange
from projections.shapes import TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on

CHANGES = VersionedTable(
    "business_changes", "business_changes",
    keys=[("id", Uuid())],
    columns=[("customer_id", Uuid()), ("kind", String(24)), ("occurred_on", Date()),
             ("note", String(NOTE_MAX)), ("reported_by", String(200))],
    indexes=[("customer_id",)],
)


class BusinessChangeLine(TypedDict):
    """A change of the customer's business (seed 001 §二.8: a churn warning line)."""

    id: UUID
    kind: Annotated[str, Field(
        description="merger, closure, budget_cut, leadership_change, other.")]
    occurred_on: date
    note: str | None
    reported_by: str


def business_changes_section(r: Reader, customer_id: UUID, today: date
                             ) -> list[BusinessChangeLine]:
    """The customer 360's `business_changes`: every reported change, newest first."""
    stmt = r.prepared("business_changes_of", [CHANGES], lambda t: select(t).where(
        t.c.customer_id == bindparam("customer_id"), r.visible_bound(t),
    ).order_by(t.c.occurred_on.desc(), t.c.id))
    return [{"id": row.id, "kind": row.kind, "occurred_on": row.occurred_on, "note": row.note,
             "reported_by": row.reported_by}
            for row in r.run(stmt, {"customer_id": customer_id})]


class BusinessChangesView(View):
    name = "business_changes"
    tables = (CHANGES,)
    customer_sections = {"business_changes": business_changes_section}

    @on(BusinessChange.Reported)
    def reported(self, tx: ViewTx, e: BusinessChange.Reported) -> None:
        tx[CHANGES].put(e.originator_id, {
            "customer_id": e.customer_id, "kind": e.kind, "occurred_on": e.occurred_on,
            "note": e.note, "reported_by": e.actor})
