"""Handover view: the sales→CSM handover form (客户交接表) and the customer's agreed
expectations, for the customer 360's `handover` and `expectations`.

- `handover`: `{sales_rep, handed_over_on, summary, expectations}` of the latest
  `Customer.HandoverRecorded` (None before one); `expectations` are the texts written
  on the form.
- `expectations`: `[{text, agreed_on}]`, the customer's current list. A handover sets
  it (agreed on the handover date); `Customer.ExpectationsAgreed` replaces it. A text
  already on the list keeps the date it was first agreed; a new text takes the date of
  the event that added it.

Row-versioned, so both read as of any position.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Date, String, Text, Uuid, bindparam, select

from cs_domain.customer import Customer
from projections import jsontext
from projections.shapes import TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on

HANDOVERS = VersionedTable(
    "handover", "customer_handovers",
    keys=[("customer_id", Uuid())],
    columns=[("sales_rep", String(200)), ("handed_over_on", Date()), ("summary", Text()),
             ("handover_expectations", Text()),  # ["text", ...] as written on the form
             ("expectations", Text())],  # [{"text", "agreed_on"}] now agreed
)


class Handover(TypedDict):
    """The sales→CSM handover form (客户交接表)."""

    sales_rep: str
    handed_over_on: date
    summary: str
    expectations: Annotated[list[str], Field(
        description="The expectations written on the form.")]


class Expectation(TypedDict):
    text: str
    agreed_on: Annotated[date, Field(description="When this expectation was first agreed (the "
                                                 "handover date, or the date of the agreement).")]


def agreed(before: list[dict[str, Any]], texts: list[str], on: date) -> list[dict[str, Any]]:
    """The new list: known texts keep their first agreed date, new ones take `on`."""
    first = {e["text"]: e["agreed_on"] for e in before}
    return [{"text": t, "agreed_on": first.get(t, on.isoformat())} for t in texts]


def _stored(r: Reader, customer_id: UUID) -> Any:
    stmt = r.prepared("customer_handover", [HANDOVERS], lambda t: select(t).where(
        t.c.customer_id == bindparam("customer_id"), r.visible_bound(t)))
    return r.run(stmt, {"customer_id": customer_id}).first()


def handover_section(r: Reader, customer_id: UUID, today: date) -> Handover | None:
    """The 360's `handover`: `{sales_rep, handed_over_on, summary, expectations}` or None."""
    row = _stored(r, customer_id)
    if row is None or row.handed_over_on is None:
        return None
    return {"sales_rep": row.sales_rep, "handed_over_on": row.handed_over_on,
            "summary": row.summary, "expectations": jsontext.loads(row.handover_expectations)}


def expectations_section(r: Reader, customer_id: UUID, today: date) -> list[Expectation]:
    """The 360's `expectations`: `[{text, agreed_on}]` (empty before any)."""
    row = _stored(r, customer_id)
    if row is None:
        return []
    # `agreed` always writes a date (ISO text) for every expectation.
    return [{"text": e["text"], "agreed_on": date.fromisoformat(e["agreed_on"])}
            for e in jsontext.loads(row.expectations)]


class HandoverView(View):
    name = "handover"
    tables = (HANDOVERS,)
    customer_sections = {"handover": handover_section, "expectations": expectations_section}

    def _row(self, tx: ViewTx, customer_id: UUID) -> dict[str, Any]:
        found = tx[HANDOVERS].get(customer_id)
        return dict(found) if found is not None else {
            "sales_rep": None, "handed_over_on": None, "summary": None,
            "handover_expectations": None, "expectations": "[]"}

    @on(Customer.HandoverRecorded)
    def handover(self, tx: ViewTx, e: Customer.HandoverRecorded) -> None:
        row = self._row(tx, e.originator_id)
        row.update(sales_rep=e.sales_rep, handed_over_on=e.handed_over_on, summary=e.summary,
                   handover_expectations=jsontext.dumps(list(e.expectations)),
                   expectations=jsontext.dumps(agreed(
                       jsontext.loads(row["expectations"]), list(e.expectations),
                       e.handed_over_on)))
        tx[HANDOVERS].put(e.originator_id, row)

    @on(Customer.ExpectationsAgreed)
    def expectations_agreed(self, tx: ViewTx, e: Customer.ExpectationsAgreed) -> None:
        row = self._row(tx, e.originator_id)
        row["expectations"] = jsontext.dumps(agreed(
            jsontext.loads(row["expectations"]), list(e.expectations), e.agreed_on))
        tx[HANDOVERS].put(e.originator_id, row)
