"""Playbook runs view: every run with its steps (tasks, assignees, due dates) and outcomes,
and every version of every playbook definition.

Answers "which plays are running for this customer and where do they stand" (the
``playbook_runs`` section of the customer 360, the run list and detail) and is what the
effectiveness metrics (:mod:`projections.queries.playbook_effectiveness`) and the automation
(src/automation) read. A step follows its task: reassigning, rescheduling, starting,
finishing or cancelling the task shows on the step.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import BigInteger, Boolean, Connection, Date, Integer, String, Text, Uuid, bindparam, select
from sqlalchemy.types import TypeDecorator

from cs_domain.playbook import Playbook
from cs_domain.playbook_run import PlaybookRun as PlaybookRunAggregate
from cs_domain.task import Task
from projections.shapes import Position, TypedDict
from projections.versioned import VersionedTable
from projections.view import Reader, View, ViewTx, on
from projections.views import users


class JSONText(TypeDecorator[Any]):
    """JSON kept as canonical text (sorted keys) on every store, so row versions compare
    equal byte for byte in rebuild verification."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else json.dumps(value, sort_keys=True, default=str)

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        return None if value is None else json.loads(value)


def plain(value: Any) -> Any:
    """Definition data as JSON-safe values (decimals as strings, as the API sends them)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


DEFINITION = [("key", String(64)), ("name", String(200)), ("trigger_kind", String(32)),
              ("trigger_params", JSONText()), ("actions", JSONText()),
              ("success_metrics", JSONText())]
PLAYBOOKS = VersionedTable(
    "playbook_runs", "playbooks", keys=[("id", Uuid())],
    columns=[*DEFINITION, ("definition_version", Integer()), ("active", Boolean())],
)
VERSIONS = VersionedTable(
    "playbook_runs", "playbook_versions",
    keys=[("playbook_id", Uuid()), ("definition_version", Integer())], columns=DEFINITION,
)
RUNS = VersionedTable(
    "playbook_runs", "playbook_runs", keys=[("id", Uuid())],
    columns=[("playbook_id", Uuid()), ("playbook_key", String(64)), ("playbook_version", Integer()),
             ("customer_id", Uuid()), ("occurrence_key", String(300)),
             ("trigger_kind", String(32)), ("triggered_on", Date()), ("source_id", Uuid()),
             ("status", String(16)), ("ended_on", Date()), ("steps_total", Integer()),
             ("steps_done", Integer()), ("steps_cancelled", Integer()),
             ("metrics_total", Integer()), ("metrics_measured", Integer()),
             ("metrics_achieved", Integer()), ("started_by", String(200)),
             ("started_position", BigInteger())],
    indexes=[("customer_id",), ("playbook_key", "playbook_version")],
    current_indexes=[("customer_id",), ("status",)],
)
STEPS = VersionedTable(
    "playbook_runs", "playbook_run_steps", keys=[("task_id", Uuid())],
    columns=[("run_id", Uuid()), ("step", Integer()), ("title", String(200)),
             ("channel", String(16)), ("owner_role", String(32)), ("assignee_id", Uuid()),
             ("due_date", Date()), ("status", String(16)), ("done_on", Date()),
             ("task_status", String(16))],
    indexes=[("run_id",)],
)
OUTCOMES = VersionedTable(
    "playbook_runs", "playbook_run_outcomes",
    keys=[("run_id", Uuid()), ("metric", String(200))],
    columns=[("achieved", Boolean()), ("measured_on", Date()), ("detail", String(2000)),
             ("measured_by", String(200))],
    indexes=[("run_id",)],
)


def _definition(e: Any) -> dict[str, Any]:
    return {"name": e.name, "trigger_kind": e.trigger_kind,
            "trigger_params": plain(e.trigger_params), "actions": plain(e.actions),
            "success_metrics": plain(e.success_metrics)}


class PlaybookRunsView(View):
    name = "playbook_runs"
    tables = (PLAYBOOKS, VERSIONS, RUNS, STEPS, OUTCOMES)

    @on(Playbook.Defined)
    def defined(self, tx: ViewTx, e: Playbook.Defined) -> None:
        definition = {"key": e.key, **_definition(e)}
        tx[PLAYBOOKS].put(e.originator_id, {**definition, "definition_version": 1,
                                            "active": True})
        tx[VERSIONS].put((e.originator_id, 1), definition)

    @on(Playbook.Revised)
    def revised(self, tx: ViewTx, e: Playbook.Revised) -> None:
        current = tx[PLAYBOOKS].require(e.originator_id)
        definition = {"key": current["key"], **_definition(e)}
        tx[PLAYBOOKS].put(e.originator_id, {**definition, "active": current["active"],
                                            "definition_version": e.definition_version})
        tx[VERSIONS].put((e.originator_id, e.definition_version), definition)

    @on(Playbook.Retired, Playbook.Reinstated)
    def retired(self, tx: ViewTx, e: Any) -> None:
        tx[PLAYBOOKS].update(e.originator_id, active=isinstance(e, Playbook.Reinstated))

    @on(PlaybookRunAggregate.Started)
    def started(self, tx: ViewTx, e: PlaybookRunAggregate.Started) -> None:
        version = tx[VERSIONS].get((e.playbook_id, e.playbook_version))
        metrics = len(version["success_metrics"]) if version else 0
        tx[RUNS].put(e.originator_id, {
            "playbook_id": e.playbook_id, "playbook_key": e.playbook_key,
            "playbook_version": e.playbook_version, "customer_id": e.customer_id,
            "occurrence_key": e.occurrence_key, "trigger_kind": e.trigger_kind,
            "triggered_on": e.triggered_on, "source_id": e.source_id, "status": "active",
            "ended_on": None, "steps_total": len(e.steps), "steps_done": 0, "steps_cancelled": 0,
            "metrics_total": metrics, "metrics_measured": 0, "metrics_achieved": 0,
            "started_by": e.actor, "started_position": tx.position})
        for s in e.steps:
            tx[STEPS].put(s["task_id"], {
                "run_id": e.originator_id, "step": s["step"], "title": s["title"],
                "channel": s["channel"], "owner_role": s["owner_role"],
                "assignee_id": s["assignee_id"], "due_date": s["due_date"],
                "status": s.get("status", "open"), "done_on": None,
                "task_status": "todo" if s.get("status", "open") == "open" else None})

    @on(PlaybookRunAggregate.StepDone)
    def step_done(self, tx: ViewTx, e: PlaybookRunAggregate.StepDone) -> None:
        tx[STEPS].update(e.task_id, status=e.outcome, done_on=e.done_on)
        run = tx[RUNS].require(e.originator_id)
        field = "steps_done" if e.outcome == "done" else "steps_cancelled"
        tx[RUNS].update(e.originator_id, **{field: run[field] + 1})

    @on(PlaybookRunAggregate.Completed)
    def completed(self, tx: ViewTx, e: PlaybookRunAggregate.Completed) -> None:
        tx[RUNS].update(e.originator_id, status="completed", ended_on=e.completed_on)

    @on(PlaybookRunAggregate.Abandoned)
    def abandoned(self, tx: ViewTx, e: PlaybookRunAggregate.Abandoned) -> None:
        tx[RUNS].update(e.originator_id, status="abandoned", ended_on=e.abandoned_on)

    @on(PlaybookRunAggregate.OutcomeMeasured)
    def measured(self, tx: ViewTx, e: PlaybookRunAggregate.OutcomeMeasured) -> None:
        tx[OUTCOMES].put((e.originator_id, e.metric), {
            "achieved": e.achieved, "measured_on": e.measured_on, "detail": e.detail,
            "measured_by": e.actor})
        run = tx[RUNS].require(e.originator_id)
        tx[RUNS].update(e.originator_id, metrics_measured=run["metrics_measured"] + 1,
                        metrics_achieved=run["metrics_achieved"] + int(e.achieved))

    # --- a step follows its task ---------------------------------------------------
    def _task(self, tx: ViewTx, task_id: UUID, **changes: Any) -> None:
        if tx[STEPS].get(task_id) is not None:
            tx[STEPS].update(task_id, **changes)

    @on(Task.Started)
    def task_started(self, tx: ViewTx, e: Task.Started) -> None:
        self._task(tx, e.originator_id, task_status="doing")

    @on(Task.Completed)
    def task_completed(self, tx: ViewTx, e: Task.Completed) -> None:
        self._task(tx, e.originator_id, task_status="done")

    @on(Task.Cancelled)
    def task_cancelled(self, tx: ViewTx, e: Task.Cancelled) -> None:
        self._task(tx, e.originator_id, task_status="cancelled")

    @on(Task.Reopened)
    def task_reopened(self, tx: ViewTx, e: Task.Reopened) -> None:
        self._task(tx, e.originator_id, task_status="todo")

    @on(Task.Reassigned)
    def task_reassigned(self, tx: ViewTx, e: Task.Reassigned) -> None:
        self._task(tx, e.originator_id, assignee_id=e.assignee_id)

    @on(Task.Rescheduled)
    def task_rescheduled(self, tx: ViewTx, e: Task.Rescheduled) -> None:
        self._task(tx, e.originator_id, due_date=e.due_date)


class RunStep(TypedDict):
    step: int
    title: str
    channel: str | None
    owner_role: str | None
    task_id: UUID
    assignee_id: UUID | None
    assignee_name: str | None
    due_date: date | None
    status: str
    done_on: date | None
    task_status: str | None


class RunOutcome(TypedDict):
    metric: str
    kind: str
    within_days: int | None
    achieved: Annotated[bool | None, Field(description="null: not measured yet.")]
    measured_on: date | None
    detail: str | None


class RunFacts(TypedDict):
    """A run as its row records it (without its steps and outcomes)."""

    id: UUID
    playbook_id: UUID
    playbook_key: str
    playbook_version: int
    playbook_name: str | None
    customer_id: UUID
    occurrence_key: Annotated[str, Field(description="What triggered it (one run per "
                                                     "occurrence).")]
    trigger_kind: str
    triggered_on: date
    source_id: UUID | None
    status: Annotated[str, Field(description="active | completed | abandoned")]
    ended_on: date | None
    steps_total: int
    steps_done: int
    steps_cancelled: int
    metrics_total: int
    metrics_measured: int
    metrics_achieved: int
    started_by: str | None
    started_position: int


class PlaybookRun(RunFacts):
    """A playbook run with its steps (their tasks) and its success metrics."""

    steps: list[RunStep]
    outcomes: list[RunOutcome]


class PlaybookRunOne(PlaybookRun):
    position: Position


class PlaybookRunList(TypedDict):
    items: list[PlaybookRun]
    position: int


def _run(row: Any) -> RunFacts:
    m = row._mapping
    return RunFacts(
        id=m["id"], playbook_id=m["playbook_id"], playbook_key=m["playbook_key"],
        playbook_version=m["playbook_version"], playbook_name=m["playbook_name"],
        customer_id=m["customer_id"], occurrence_key=m["occurrence_key"],
        trigger_kind=m["trigger_kind"], triggered_on=m["triggered_on"],
        source_id=m["source_id"], status=m["status"], ended_on=m["ended_on"],
        steps_total=m["steps_total"], steps_done=m["steps_done"],
        steps_cancelled=m["steps_cancelled"], metrics_total=m["metrics_total"],
        metrics_measured=m["metrics_measured"], metrics_achieved=m["metrics_achieved"],
        started_by=m["started_by"], started_position=m["started_position"])


def _as_list(value: str | Collection[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _runs(r: Reader, *, run_id: UUID | None = None, customer_id: UUID | None = None,
          playbook: str | Collection[str] | None = None,
          status: str | Collection[str] | None = None, limit: int | None = None
          ) -> list[RunFacts]:
    keys, statuses = _as_list(playbook), _as_list(status)
    values = {k: v for k, v in (("run_id", run_id), ("customer_id", customer_id),
                                ("keys", keys), ("statuses", statuses), ("limit", limit))
              if v is not None}

    def build(t: Any, v: Any) -> Any:
        stmt = (select(t, v.c.name.label("playbook_name"))
                .join(v, (v.c.playbook_id == t.c.playbook_id)
                      & (v.c.definition_version == t.c.playbook_version) & r.visible_bound(v),
                      isouter=True)
                .where(r.visible_bound(t)))
        if run_id is not None:
            stmt = stmt.where(t.c.id == bindparam("run_id"))
        if customer_id is not None:
            stmt = stmt.where(t.c.customer_id == bindparam("customer_id"))
        if keys is not None:
            stmt = stmt.where(t.c.playbook_key.in_(bindparam("keys", expanding=True)))
        if statuses is not None:
            stmt = stmt.where(t.c.status.in_(bindparam("statuses", expanding=True)))
        stmt = stmt.order_by(t.c.triggered_on.desc(), t.c.playbook_key, t.c.id)
        return stmt if limit is None else stmt.limit(bindparam("limit", type_=Integer))

    stmt = r.prepared(("playbook_runs", *(name in values for name in
                                          ("run_id", "customer_id", "keys", "statuses", "limit"))),
                      [RUNS, VERSIONS], build)
    return [_run(row) for row in r.run(stmt, values)]


def _steps(r: Reader, run_ids: list[UUID]) -> dict[UUID, list[RunStep]]:
    if not run_ids:
        return {}
    stmt = r.prepared("playbook_steps", [STEPS], lambda s: select(s).where(
        s.c.run_id.in_(bindparam("ids", expanding=True)), r.visible_bound(s),
    ).order_by(s.c.run_id, s.c.step))
    rows = r.run(stmt, {"ids": list(run_ids)}).all()
    names = users.names(r, {row.assignee_id for row in rows})
    out: dict[UUID, list[RunStep]] = {}
    for row in rows:
        out.setdefault(row.run_id, []).append({
            "step": row.step, "title": row.title, "channel": row.channel,
            "owner_role": row.owner_role, "task_id": row.task_id, "assignee_id": row.assignee_id,
            "assignee_name": names.get(row.assignee_id), "due_date": row.due_date,
            "status": row.status, "done_on": row.done_on, "task_status": row.task_status})
    return out


def _outcomes(r: Reader, runs: list[RunFacts]) -> dict[UUID, list[RunOutcome]]:
    """Each run's success metrics (of the version it followed), measured or pending."""
    if not runs:
        return {}
    o, v = r.table(OUTCOMES), r.table(VERSIONS)
    ids = [run["id"] for run in runs]
    measured = {(row.run_id, row.metric): row for row in r.conn.execute(
        select(o).where(o.c.run_id.in_(ids), r.visible(o)))}
    versions = {(row.playbook_id, row.definition_version): row.success_metrics
                for row in r.conn.execute(select(v.c.playbook_id, v.c.definition_version,
                                                 v.c.success_metrics).where(r.visible(v)))}
    out: dict[UUID, list[RunOutcome]] = {}
    for run in runs:
        items: list[RunOutcome] = []
        for metric in versions.get((run["playbook_id"], run["playbook_version"]), []):
            got = measured.get((run["id"], metric["name"]))
            items.append({
                "metric": metric["name"], "kind": metric["kind"],
                "within_days": metric["within_days"],
                "achieved": None if got is None else got.achieved,
                "measured_on": None if got is None else got.measured_on,
                "detail": None if got is None else got.detail})
        out[run["id"]] = items
    return out


def _full(r: Reader, runs: list[RunFacts]) -> list[PlaybookRun]:
    steps = _steps(r, [run["id"] for run in runs])
    outcomes = _outcomes(r, runs)
    return [PlaybookRun(**run, steps=steps.get(run["id"], []),
                        outcomes=outcomes.get(run["id"], [])) for run in runs]


def list_runs(conn: Connection, *, customer_id: UUID | None = None,
              playbook: str | Collection[str] | None = None,
              status: str | Collection[str] | None = None, limit: int = 200,
              at: int | None = None) -> PlaybookRunList:
    """Runs (newest trigger first) with their steps and outcomes: `{items, position}`.

    `playbook` filters by playbook key(s), `status` by active | completed | abandoned.
    """
    r = Reader(conn, at)
    return {"items": _full(r, _runs(r, customer_id=customer_id, playbook=playbook,
                                    status=status, limit=limit)),
            "position": r.position}


def get_run(conn: Connection, run_id: UUID, at: int | None = None) -> PlaybookRunOne | None:
    """One run with its steps and outcomes (and `position`), or None if unknown."""
    r = Reader(conn, at)
    found = _runs(r, run_id=run_id)
    if not found:
        return None
    return PlaybookRunOne(**_full(r, found)[0], position=r.position)


def runs_of_customer(r: Reader, customer_id: UUID, today: date) -> list[PlaybookRun]:
    """The customer 360's `playbook_runs` section: the customer's runs, newest first."""
    return _full(r, _runs(r, customer_id=customer_id))


PlaybookRunsView.customer_sections = {"playbook_runs": runs_of_customer}
