"""What the automation reads: the automation and playbook-runs views, through a Reader.

Every function reads as of the reader's position (`reader.at`), so the process manager can
decide on an event exactly as things stood at that event, and `tick` as of the position its
views have reached. Results are plain dataclasses and dicts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, select

from projections.view import Reader
from projections.views.automation import (
    AUTO_CONTRACTS,
    AUTO_CUSTOMERS,
    AUTO_RISKS,
    AUTO_USAGE,
    LIVE,
    MILESTONES,
)
from projections.views.playbook_runs import OUTCOMES, PLAYBOOKS, RUNS, STEPS, VERSIONS


@dataclass(frozen=True)
class PlaybookDef:
    id: UUID
    key: str
    version: int
    trigger_kind: str
    trigger_params: dict[str, Any]
    actions: list[dict[str, Any]]
    active: bool

    @property
    def last_offset(self) -> int:
        return max((int(a["offset_days"]) for a in self.actions), default=0)

    def param(self, name: str, default: Any = None) -> Any:
        return self.trigger_params.get(name, default)

    def number(self, name: str, default: str) -> Decimal:
        return number(self.trigger_params, name, default)

    def days(self, name: str, default: str) -> int:
        return days(self.trigger_params, name, default)


# The numbers each trigger kind reads from its parameters (and their defaults).
NUMBER_PARAMS: dict[str, dict[str, str]] = {
    "usage_drop": {"drop_ratio": "0.30", "window_days": "14"},
    "usage_growth": {"weeks": "4", "growth_ratio": "0.20"},
    "inactivity": {"days": "30"},
    "renewal_window": {"days_before": "120"},
}


def invalid_params(kind: str, params: dict[str, Any]) -> str | None:
    """Why these trigger parameters cannot be used (None when they can)."""
    for name, default in NUMBER_PARAMS.get(kind, {}).items():
        try:
            value = Decimal(str(params.get(name, default)))
        except ArithmeticError:
            return f"trigger_params.{name} is not a number: {params.get(name)!r}"
        if not value.is_finite() or value < 0:
            return f"trigger_params.{name} must be a number of at least 0"
    return None


def number(params: dict[str, Any], name: str, default: str) -> Decimal:
    """A numeric trigger parameter (validated by `invalid_params` before it is used)."""
    return Decimal(str(params.get(name, default)))


def days(params: dict[str, Any], name: str, default: str) -> int:
    return int(number(params, name, default))


class Catalog:
    """Every version of the playbooks table, read once, resolved in memory per position
    (the process manager asks "which playbooks were active at this event" per event).

    A definition whose trigger parameters cannot be used is left out and listed in
    `invalid` (key → reason): one bad playbook must not stop the others.
    """

    def __init__(self, r: Reader):
        t = r.table(PLAYBOOKS)
        self.rows = list(r.conn.execute(select(t)))
        self.invalid: dict[str, str] = {}

    def active(self, kind: str, at: int | None) -> list[PlaybookDef]:
        found = []
        for row in self.rows:
            visible = (row.valid_to is None if at is None
                       else row.valid_from <= at and (row.valid_to is None or row.valid_to > at))
            if not (visible and row.active and row.trigger_kind == kind):
                continue
            params = dict(row.trigger_params or {})
            problem = invalid_params(kind, params)
            if problem is not None:
                self.invalid[row.key] = f"version {row.definition_version}: {problem}"
                continue
            found.append(PlaybookDef(row.id, row.key, row.definition_version, row.trigger_kind,
                                     params, list(row.actions or []), row.active))
        return sorted(found, key=lambda p: p.key)


# --- customers, contracts, usage, risks ---------------------------------------------
def customer(r: Reader, customer_id: UUID) -> dict[str, Any] | None:
    t = r.table(AUTO_CUSTOMERS)
    row = r.conn.execute(select(t).where(t.c.id == customer_id, r.visible(t))).first()
    return None if row is None else {"id": row.id, **{c: row._mapping[c]
                                                      for c in AUTO_CUSTOMERS.data_names}}


def customers(r: Reader) -> list[dict[str, Any]]:
    t = r.table(AUTO_CUSTOMERS)
    rows = r.conn.execute(select(t).where(r.visible(t)).order_by(t.c.id))
    return [{"id": row.id, **{c: row._mapping[c] for c in AUTO_CUSTOMERS.data_names}}
            for row in rows]


def contract(r: Reader, contract_id: UUID) -> dict[str, Any] | None:
    t = r.table(AUTO_CONTRACTS)
    row = r.conn.execute(select(t).where(t.c.id == contract_id, r.visible(t))).first()
    return None if row is None else {"id": row.id, **{c: row._mapping[c]
                                                      for c in AUTO_CONTRACTS.data_names}}


def contracts(r: Reader, *, customer_id: UUID | None = None, live: bool = False
              ) -> list[dict[str, Any]]:
    t = r.table(AUTO_CONTRACTS)
    stmt = select(t).where(r.visible(t))
    if customer_id is not None:
        stmt = stmt.where(t.c.customer_id == customer_id)
    if live:
        stmt = stmt.where(t.c.status.in_(LIVE))
    return [{"id": row.id, **{c: row._mapping[c] for c in AUTO_CONTRACTS.data_names}}
            for row in r.conn.execute(stmt.order_by(t.c.id))]


@dataclass(frozen=True)
class Report:
    id: UUID
    period_start: date
    period_end: date
    active_days: Decimal


def usage(r: Reader, customer_id: UUID, *, after: date | None = None,
          upto: date | None = None, last: int | None = None) -> list[Report]:
    """The customer's usage reports by period start (`after` < start ≤ `upto`); `last`
    keeps only the latest N of them."""
    t = r.table(AUTO_USAGE)
    stmt = select(t).where(t.c.customer_id == customer_id, r.visible(t))
    if after is not None:
        stmt = stmt.where(t.c.period_start > after)
    if upto is not None:
        stmt = stmt.where(t.c.period_start <= upto)
    order = t.c.period_start.desc() if last is not None else t.c.period_start
    stmt = stmt.order_by(order)
    if last is not None:
        stmt = stmt.limit(last)
    rows = [Report(row.id, row.period_start, row.period_end, row.active_days)
            for row in r.conn.execute(stmt)]
    return rows[::-1] if last is not None else rows


def usage_report(r: Reader, report_id: UUID) -> Report | None:
    t = r.table(AUTO_USAGE)
    row = r.conn.execute(select(t).where(t.c.id == report_id, r.visible(t))).first()
    return None if row is None else Report(row.id, row.period_start, row.period_end,
                                           row.active_days)


def last_active(r: Reader) -> dict[UUID, Report]:
    """Per customer, its latest report with any activity (the silence starts after it)."""
    t = r.table(AUTO_USAGE)
    latest = (select(t.c.customer_id, func.max(t.c.period_end).label("day"))
              .where(r.visible(t), t.c.active.is_(True)).group_by(t.c.customer_id).subquery())
    rows = r.conn.execute(
        select(t).join(latest, and_(latest.c.customer_id == t.c.customer_id,
                                    latest.c.day == t.c.period_end))
        .where(r.visible(t), t.c.active.is_(True)).order_by(t.c.customer_id, t.c.period_start))
    return {row.customer_id: Report(row.id, row.period_start, row.period_end, row.active_days)
            for row in rows}


def open_risks(r: Reader, due_before: date) -> list[dict[str, Any]]:
    t = r.table(AUTO_RISKS)
    rows = r.conn.execute(select(t).where(r.visible(t), t.c.status != "closed",
                                          t.c.due_date < due_before).order_by(t.c.id))
    return [{"id": row.id, **{c: row._mapping[c] for c in AUTO_RISKS.data_names}}
            for row in rows]


def late_milestones(r: Reader, today: date) -> int:
    t = r.table(MILESTONES)
    return int(r.conn.execute(select(func.count()).select_from(t).where(
        r.visible(t), t.c.done_on.is_(None), t.c.due_date < today)).scalar() or 0)


# --- runs ----------------------------------------------------------------------------------
@dataclass
class RunFacts:
    """A run as the outcome rules need it (its version's metrics and trigger parameters)."""

    id: UUID
    customer_id: UUID
    playbook_key: str
    trigger_kind: str
    triggered_on: date
    source_id: UUID | None
    status: str
    ended_on: date | None
    metrics: list[dict[str, Any]] = field(default_factory=list)
    trigger_params: dict[str, Any] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)
    measured: set[str] = field(default_factory=set)


def run_exists(r: Reader, run_id: UUID) -> bool:
    t = r.table(RUNS)
    return r.conn.execute(select(t.c.id).where(t.c.id == run_id, r.visible(t))).first() is not None


def runs_with_pending_metrics(r: Reader, customer_id: UUID | None = None) -> list[RunFacts]:
    t, v = r.table(RUNS), r.table(VERSIONS)
    stmt = (select(t, v.c.success_metrics, v.c.trigger_params)
            .join(v, and_(v.c.playbook_id == t.c.playbook_id,
                          v.c.definition_version == t.c.playbook_version, r.visible(v)))
            .where(r.visible(t), t.c.metrics_measured < t.c.metrics_total))
    if customer_id is not None:
        stmt = stmt.where(t.c.customer_id == customer_id)
    runs = {row.id: RunFacts(row.id, row.customer_id, row.playbook_key, row.trigger_kind,
                             row.triggered_on, row.source_id, row.status, row.ended_on,
                             list(row.success_metrics or []), dict(row.trigger_params or {}))
            for row in r.conn.execute(stmt.order_by(t.c.id))}
    if not runs:
        return []
    s, o = r.table(STEPS), r.table(OUTCOMES)
    ids = list(runs)
    steps: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    for row in r.conn.execute(select(s).where(s.c.run_id.in_(ids), r.visible(s))
                              .order_by(s.c.step)):
        steps[row.run_id].append({"step": row.step, "status": row.status,
                                  "done_on": row.done_on})
    for row in r.conn.execute(select(o.c.run_id, o.c.metric).where(o.c.run_id.in_(ids),
                                                                    r.visible(o))):
        runs[row.run_id].measured.add(row.metric)
    for run_id, run in runs.items():
        run.steps = steps[run_id]
    return list(runs.values())


def run_customer(r: Reader, run_id: UUID) -> UUID | None:
    t = r.table(RUNS)
    return r.conn.execute(select(t.c.customer_id).where(t.c.id == run_id, r.visible(t))).scalar()


def run_of_task(r: Reader, task_id: UUID) -> tuple[UUID, UUID] | None:
    """(run id, customer id) of the run whose step this task is, if any."""
    s, t = r.table(STEPS), r.table(RUNS)
    row = r.conn.execute(select(s.c.run_id, t.c.customer_id)
                         .join(t, and_(t.c.id == s.c.run_id, r.visible(t)))
                         .where(s.c.task_id == task_id, r.visible(s))).first()
    return None if row is None else (row.run_id, row.customer_id)


def active_run_of(r: Reader, customer_id: UUID, playbook_key: str) -> bool:
    t = r.table(RUNS)
    return r.conn.execute(select(t.c.id).where(
        r.visible(t), t.c.customer_id == customer_id, t.c.playbook_key == playbook_key,
        t.c.status == "active").limit(1)).first() is not None
