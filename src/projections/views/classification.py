"""Classification view (seed 001 §二.1): the best practices recorded per class cell, and
the level × usage cross table computed at query time from the customers, health and
contracts views.

Per cell (level class × usage class, cs_domain.classification):
- `customers`: customers of that level whose latest usage period is of that class;
- `mean_health`: the mean of their current health scores (the health view's latest
  period, 1 place; None when none is scored);
- `renewal_rate`: renewed / due customers among them for the contracts due in the window
  — the renewal-rate rule of `GET /metrics/renewals` (contracts.Tally), not a new one;
- `best_practices`: the practices recorded on that cell, oldest first.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import Connection, String, Uuid, select

from cs_domain.classification import (
    LEVEL_DIMENSIONS,
    PRACTICE_MAX,
    UNGRADED,
    USAGE_CLASSES,
    level_of,
    usage_class,
)
from cs_domain.classification import BestPractice as BestPracticeAggregate
from projections.query import mean
from projections.shapes import Measure, Ratio, TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views.contracts import Tally, due_contracts
from projections.views.customers import CUSTOMERS
from projections.views.health import CURRENT, PERIODS, SHOWN

PRACTICES = VersionedTable(
    "classification", "best_practices",
    keys=[("id", Uuid())],
    columns=[("level", String(16)), ("usage_class", String(16)),
             ("text", String(PRACTICE_MAX)), ("recorded_by", String(200)),
             ("recorded_at", String(32))],
    indexes=[("level", "usage_class")],
)


class BestPractice(TypedDict):
    id: UUID
    text: str
    recorded_by: Annotated[str, Field(description="The actor who recorded it.")]
    recorded_at: Annotated[str, Field(description="When it was recorded (UTC, ISO 8601).")]


class ClassificationCell(TypedDict):
    level: str
    usage_class: str
    customers: Annotated[int, Field(description="Customers of this level whose latest usage "
                                                "period is of this usage class.")]
    mean_health: Annotated[Measure | None, Field(description="Mean current health score (1 "
                                                             "place); null when none is "
                                                             "scored.")]
    renewal_rate: Annotated[Ratio | None, Field(description="renewed / due customers of the "
                                                            "cell for the contracts due in "
                                                            "the window (the rule of GET "
                                                            "/metrics/renewals); null if none "
                                                            "due.")]
    best_practices: Annotated[list[BestPractice], Field(description="Oldest first.")]


class ClassificationTable(TypedDict):
    level_by: str
    levels: list[str]
    usage_classes: list[str]
    renewals_from: date
    renewals_to: date
    cells: list[ClassificationCell]
    position: int


class ClassificationView(View):
    name = "classification"
    tables = (PRACTICES,)

    @on(BestPracticeAggregate.Recorded)
    def recorded(self, tx: ViewTx, e: BestPracticeAggregate.Recorded) -> None:
        tx[PRACTICES].put(e.originator_id, {
            "level": e.level, "usage_class": e.usage_class, "text": e.text,
            "recorded_by": e.actor, "recorded_at": tx.recorded_at})


def _practices(r: Reader) -> dict[tuple[str, str], list[BestPractice]]:
    t = r.table(PRACTICES)
    found: dict[tuple[str, str], list[BestPractice]] = {}
    for row in r.conn.execute(select(t).where(r.visible(t)).order_by(t.c.recorded_at, t.c.id)):
        found.setdefault((row.level, row.usage_class), []).append({
            "id": row.id, "text": row.text, "recorded_by": row.recorded_by,
            "recorded_at": row.recorded_at})
    return found


def classification(conn: Connection, *, level_by: str, from_: date, to: date,
                   owner_id: UUID | None = None, at: int | None = None
                   ) -> ClassificationTable:
    """`{level_by, levels, usage_classes, renewals_from, renewals_to, cells: [{level,
    usage_class, customers, mean_health, renewal_rate, best_practices}], position}`: every
    level × usage class pair (levels of the dimension, then `ungraded` when a customer has
    none), renewals counted for the contracts due in [from_, to]."""
    r = Reader(conn, at)
    c, cur, p = r.table(CUSTOMERS), r.table(CURRENT), r.table(PERIODS)
    stmt = (select(c.c.id, c.c.tier, c.c.size_grade, cur.c.score, p.c.active_days_per_week,
                   p.c.feature_adoption)
            .join(cur, (cur.c.customer_id == c.c.id) & r.visible(cur), isouter=True)
            .join(p, (p.c.customer_id == c.c.id) & (p.c.period_start == cur.c.period_start)
                  & r.visible(p), isouter=True)
            .where(r.visible(c)))
    if owner_id is not None:
        stmt = stmt.where(c.c.owner_id == owner_id)
    cell_of: dict[UUID, tuple[str, str]] = {}
    scores: dict[tuple[str, str], list[Any]] = {}
    for row in conn.execute(stmt):
        key = (level_of(row, level_by),
               usage_class(row.active_days_per_week, row.feature_adoption))
        cell_of[row.id] = key
        if row.score is not None:
            scores.setdefault(key, []).append(row.score)
    tallies: dict[tuple[str, str], Tally] = {}
    for k in due_contracts(r, from_, to):
        if k.customer_id in cell_of:
            tallies.setdefault(cell_of[k.customer_id], Tally()).add(k)
    levels = list(LEVEL_DIMENSIONS[level_by])
    if any(level == UNGRADED for level, _ in cell_of.values()):
        levels.append(UNGRADED)
    practices = _practices(r)
    counts: dict[tuple[str, str], int] = {}
    for key in cell_of.values():
        counts[key] = counts.get(key, 0) + 1
    cells: list[ClassificationCell] = []
    for level in levels:
        for usage in USAGE_CLASSES:
            key = (level, usage)
            tally = tallies.get(key)
            cells.append({
                "level": level, "usage_class": usage, "customers": counts.get(key, 0),
                "mean_health": mean(scores.get(key, []), SHOWN),
                "renewal_rate": None if tally is None else tally.customers()["renewal_rate"],
                "best_practices": practices.get(key, [])})
    return {"level_by": level_by, "levels": levels, "usage_classes": list(USAGE_CLASSES),
            "renewals_from": from_, "renewals_to": to, "cells": cells, "position": r.position}
