"""What the automation reads: the automation and playbook-runs views, through a Reader.

Every function reads as of the reader's position (`reader.at`), so the process manager can
decide on an event exactly as things stood at that event, and `tick` as of the position its
views have reached. Results are plain dataclasses and dicts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Select, Table, and_, bindparam, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from projections.rule_sql import overdue_condition
from projections.versioned import VersionedTable
from projections.view import Reader
from projections.views import team
from projections.views.automation import (
    AUTO_CONTRACTS,
    AUTO_CUSTOMERS,
    AUTO_RISKS,
    AUTO_TOUCHPOINTS,
    AUTO_USAGE,
    LIVE,
)
from projections.views.playbook_runs import OUTCOMES, RUNS, STEPS, VERSIONS
from projections.views.risks import OPEN_STATUSES

# The process manager runs a few of these per event: they are built once per physical table
# (generation) with the position as a parameter, so SQLAlchemy compiles them once too.
FAR = 2**62  # "now": later than any position
_STATEMENTS: dict[tuple[str, ...], Any] = {}


def _visible(t: Table) -> ColumnElement[bool]:
    at: Any = bindparam("at")
    return and_(t.c.valid_from <= at, or_(t.c.valid_to.is_(None), t.c.valid_to > at))


def _prepared(r: Reader, name: str, specs: tuple[VersionedTable, ...],
              build: Callable[..., Select[Any]]) -> Select[Any]:
    tables = [r.table(spec) for spec in specs]
    key = (name, *(t.name for t in tables))
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        stmt = _STATEMENTS[key] = build(*tables)
    return stmt


def _run(r: Reader, stmt: Select[Any], **params: Any) -> Any:
    return r.conn.execute(stmt, {"at": FAR if r.at is None else r.at, **params})


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
    stmt = _prepared(r, "contract", (AUTO_CONTRACTS,), lambda t: select(t).where(
        t.c.id == bindparam("id"), _visible(t)))
    row = _run(r, stmt, id=contract_id).first()
    return None if row is None else {"id": row.id, **{c: row._mapping[c]
                                                      for c in AUTO_CONTRACTS.data_names}}


def contracts(r: Reader, *, customer_id: UUID | None = None, live: bool = False
              ) -> list[dict[str, Any]]:
    if customer_id is not None and not live:
        stmt = _prepared(r, "contracts_of", (AUTO_CONTRACTS,), lambda t: select(t).where(
            t.c.customer_id == bindparam("c"), _visible(t)).order_by(t.c.id))
        return [{"id": row.id, **{c: row._mapping[c] for c in AUTO_CONTRACTS.data_names}}
                for row in _run(r, stmt, c=customer_id)]
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
    known_on: date | None = None


def usage(r: Reader, customer_id: UUID, *, after: date | None = None,
          upto: date | None = None, last: int | None = None) -> list[Report]:
    """The customer's usage reports by period start (`after` < start ≤ `upto`); `last`
    keeps only the latest N of them."""
    def build(t: Table) -> Select[Any]:
        stmt = select(t.c.id, t.c.period_start, t.c.period_end, t.c.active_days).where(
            t.c.customer_id == bindparam("c"), _visible(t),
            t.c.period_start > bindparam("after"), t.c.period_start <= bindparam("upto"))
        if last is None:
            return stmt.order_by(t.c.period_start)
        return stmt.order_by(t.c.period_start.desc()).limit(last)

    stmt = _prepared(r, f"usage-{last}", (AUTO_USAGE,), build)
    rows = [Report(*row) for row in _run(r, stmt, c=customer_id, after=after or date.min,
                                         upto=upto or date.max)]
    return rows[::-1] if last is not None else rows


def usage_report(r: Reader, report_id: UUID) -> Report | None:
    stmt = _prepared(r, "usage_report", (AUTO_USAGE,), lambda t: select(
        t.c.id, t.c.period_start, t.c.period_end, t.c.active_days).where(
        t.c.id == bindparam("id"), _visible(t)))
    row = _run(r, stmt, id=report_id).first()
    return None if row is None else Report(*row)


def last_active(r: Reader) -> dict[UUID, Report]:
    """Per customer, its latest report with any activity (the silence starts after it)."""
    t = r.table(AUTO_USAGE)
    latest = (select(t.c.customer_id, func.max(t.c.period_end).label("day"))
              .where(r.visible(t), t.c.active.is_(True)).group_by(t.c.customer_id).subquery())
    rows = r.conn.execute(
        select(t).join(latest, and_(latest.c.customer_id == t.c.customer_id,
                                    latest.c.day == t.c.period_end))
        .where(r.visible(t), t.c.active.is_(True)).order_by(t.c.customer_id, t.c.period_start))
    return {row.customer_id: Report(row.id, row.period_start, row.period_end, row.active_days,
                                    row.known_on) for row in rows}


def touchpoints(r: Reader, customer_id: UUID) -> list[tuple[str, date]]:
    """The customer's touchpoints as (kind, occurred_on), by day."""
    stmt = _prepared(r, "touchpoints", (AUTO_TOUCHPOINTS,), lambda t: select(
        t.c.kind, t.c.occurred_on).where(t.c.customer_id == bindparam("c"), _visible(t))
        .order_by(t.c.occurred_on, t.c.kind))
    return [(row.kind, row.occurred_on) for row in _run(r, stmt, c=customer_id)]


def open_risks(r: Reader, due_before: date) -> list[dict[str, Any]]:
    t = r.table(AUTO_RISKS)
    rows = r.conn.execute(select(t).where(
        r.visible(t), overdue_condition(t, due_before, OPEN_STATUSES)).order_by(t.c.id))
    return [{"id": row.id, **{c: row._mapping[c] for c in AUTO_RISKS.data_names}}
            for row in rows]


def late_milestones(r: Reader, today: date) -> int:
    """The CSM milestones overdue on `today` (the team view's one definition)."""
    return team.overdue_milestones(r, today)


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
    stmt = _prepared(r, "run_exists", (RUNS,), lambda t: select(t.c.id).where(
        t.c.id == bindparam("id"), _visible(t)))
    return _run(r, stmt, id=run_id).first() is not None


def _pending(t: Table, v: Table, one: bool) -> Select[Any]:
    stmt = (select(t, v.c.success_metrics, v.c.trigger_params)
            .join(v, and_(v.c.playbook_id == t.c.playbook_id,
                          v.c.definition_version == t.c.playbook_version, _visible(v)))
            .where(_visible(t), t.c.metrics_measured < t.c.metrics_total))
    if one:
        stmt = stmt.where(t.c.customer_id == bindparam("c"))
    return stmt.order_by(t.c.id)


def runs_with_pending_metrics(r: Reader, customer_id: UUID | None = None) -> list[RunFacts]:
    stmt = _prepared(r, f"pending-{customer_id is not None}", (RUNS, VERSIONS),
                     lambda t, v: _pending(t, v, customer_id is not None))
    runs = {row.id: RunFacts(row.id, row.customer_id, row.playbook_key, row.trigger_kind,
                             row.triggered_on, row.source_id, row.status, row.ended_on,
                             list(row.success_metrics or []), dict(row.trigger_params or {}))
            for row in _run(r, stmt, c=customer_id)}
    if not runs:
        return []
    ids = list(runs)
    steps: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    of_steps = _prepared(r, "steps", (STEPS,), lambda s: select(
        s.c.run_id, s.c.step, s.c.status, s.c.done_on).where(
        s.c.run_id.in_(bindparam("ids", expanding=True)), _visible(s)).order_by(s.c.step))
    for row in _run(r, of_steps, ids=ids):
        steps[row.run_id].append({"step": row.step, "status": row.status,
                                  "done_on": row.done_on})
    of_outcomes = _prepared(r, "outcomes", (OUTCOMES,), lambda o: select(
        o.c.run_id, o.c.metric).where(o.c.run_id.in_(bindparam("ids", expanding=True)),
                                      _visible(o)))
    for row in _run(r, of_outcomes, ids=ids):
        runs[row.run_id].measured.add(row.metric)
    for run_id, run in runs.items():
        run.steps = steps[run_id]
    return list(runs.values())


def run_customer(r: Reader, run_id: UUID) -> UUID | None:
    stmt = _prepared(r, "run_customer", (RUNS,), lambda t: select(t.c.customer_id).where(
        t.c.id == bindparam("id"), _visible(t)))
    return _run(r, stmt, id=run_id).scalar()  # type: ignore[no-any-return]


def run_of_task(r: Reader, task_id: UUID) -> tuple[UUID, UUID] | None:
    """(run id, customer id) of the run whose step this task is, if any."""
    stmt = _prepared(r, "run_of_task", (STEPS, RUNS), lambda s, t: select(
        s.c.run_id, t.c.customer_id).join(t, and_(t.c.id == s.c.run_id, _visible(t)))
        .where(s.c.task_id == bindparam("task"), _visible(s)))
    row = _run(r, stmt, task=task_id).first()
    return None if row is None else (row.run_id, row.customer_id)


def active_runs_from(r: Reader, source_id: UUID, trigger_kinds: list[str]
                     ) -> list[tuple[UUID, date]]:
    """(id, triggered_on) of the runs still going that this source (a contract) started
    through one of these triggers, oldest id first."""
    stmt = _prepared(r, "active_runs_from", (RUNS,), lambda t: select(
        t.c.id, t.c.triggered_on).where(
        _visible(t), t.c.source_id == bindparam("s"), t.c.status == "active",
        t.c.trigger_kind.in_(bindparam("kinds", expanding=True))).order_by(t.c.id))
    return [(row.id, row.triggered_on) for row in _run(r, stmt, s=source_id, kinds=trigger_kinds)]


def active_runs(r: Reader, customer_id: UUID) -> list[UUID]:
    """The customer's runs still going, oldest id first."""
    stmt = _prepared(r, "active_runs", (RUNS,), lambda t: select(t.c.id).where(
        _visible(t), t.c.customer_id == bindparam("c"), t.c.status == "active")
        .order_by(t.c.id))
    return list(_run(r, stmt, c=customer_id).scalars())


def active_run_of(r: Reader, customer_id: UUID, playbook_key: str) -> bool:
    stmt = _prepared(r, "active_run_of", (RUNS,), lambda t: select(t.c.id).where(
        _visible(t), t.c.customer_id == bindparam("c"), t.c.playbook_key == bindparam("key"),
        t.c.status == "active").limit(1))
    return _run(r, stmt, c=customer_id, key=playbook_key).first() is not None
