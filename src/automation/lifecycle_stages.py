"""The stage time rule run by `tick`: moves customers' stages on the facts time reveals
(activated, matured, renewal window: `cs_domain.lifecycle.time_facts`) as `system:lifecycle`.

The fact-based moves (contract activated, renewed, churned) happen in the commands that
record those facts. Here the views say which customers a time fact applies to as of
`today`; each is decided again on the loaded customer (`Customer.follow`), so a stage a
person set since the views were read is respected, and a second tick writes nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import select

from cs_domain.app import CustomerSuccess
from cs_domain.customer import Customer
from cs_domain.errors import ConcurrencyConflict
from cs_domain.lifecycle import (
    GROWTH,
    LIVE_STAGES,
    ONBOARDING,
    REACTIVATED,
    RENEWAL,
    Fact,
    StagePoint,
    time_facts,
)
from projections.db import ReadModels
from projections.queries.activation import usage_periods
from projections.view import Reader
from projections.views.contracts import CONTRACTS
from projections.views.customers import CUSTOMERS

log = logging.getLogger(__name__)
OPEN_TERM = ("signed", "active")
USAGE_STAGES = (ONBOARDING, REACTIVATED, GROWTH)


def _open_term_ends(r: Reader, today: date) -> dict[UUID, date]:
    """customer → the end of its current open term (signed or active, started: the latest)."""
    k = r.table(CONTRACTS)
    latest: dict[UUID, tuple[date, date]] = {}
    for row in r.conn.execute(select(k.c.customer_id, k.c.start_date, k.c.end_date).where(
            r.visible(k), k.c.status.in_(OPEN_TERM), k.c.start_date <= today)):
        if row.customer_id not in latest or row.start_date > latest[row.customer_id][0]:
            latest[row.customer_id] = (row.start_date, row.end_date)
    return {cid: end for cid, (_, end) in latest.items()}


def due_moves(r: Reader, today: date) -> dict[UUID, list[tuple[Fact, date]]]:
    """customer → the time facts that move its stage by `today`, in order."""
    c = r.table(CUSTOMERS)
    rows: list[Any] = list(r.conn.execute(select(
        c.c.id, c.c.stage, c.c.stage_since, c.c.stage_by_hand, c.c.onboarded_on).where(
        r.visible(c), c.c.stage.in_([s for s in LIVE_STAGES if s != RENEWAL]))))
    ends = _open_term_ends(r, today)
    periods = usage_periods(r, [x.id for x in rows if x.stage in USAGE_STAGES])
    out: dict[UUID, list[tuple[Fact, date]]] = defaultdict(list)
    for x in rows:
        point = StagePoint(x.stage, x.stage_since, bool(x.stage_by_hand))
        for fact, on, _ in time_facts(point, x.onboarded_on, periods.get(x.id, []),
                                      ends.get(x.id), today):
            out[x.id].append((fact, on))
    return out


def apply_moves(app: CustomerSuccess, moves: dict[UUID, list[tuple[Fact, date]]]) -> int:
    """Applies each customer's facts on the loaded customer; returns the stages changed."""
    changed = 0
    for customer_id, facts in moves.items():
        try:
            customer = app.load(Customer, customer_id)
            n = sum(customer.follow(fact, on) for fact, on in facts)
            if n:
                app.commit(customer)
                changed += n
        except ConcurrencyConflict:  # someone wrote first: the next pass decides again
            log.info("stage rule: customer %s changed meanwhile", customer_id)
    return changed


def run(app: CustomerSuccess, models: ReadModels, position: int, today: date) -> int:
    """The rule as `tick` runs it: the views as of `position`, then the commands."""
    with models.read() as conn:
        moves = due_moves(Reader(conn, position), today)
    return apply_moves(app, moves)
