"""Projects view: delivery projects per contract, their weighted stages and progress.

Answers "how far is the delivery of this contract" (the customer 360's contract progress
bar, seed 000 "进度条") and lists a customer's or a contract's projects with their stages.
Progress follows :mod:`cs_domain.project`: a project's progress is its completed stage
weight / total stage weight (rounded down to 4 places); a contract's progress is the
weight-average over its projects that are not cancelled (`contract_progress`). A contract
without such a project has no progress known: null in the 360 (docs/rules.md).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field
from sqlalchemy import BigInteger, Connection, Date, String, Text, Uuid, bindparam, select

from cs_domain.project import Project as ProjectAggregate
from cs_domain.project import ProjectWeights, StageStatus, contract_progress, progress_ratio
from projections import jsontext
from projections.shapes import Measure, Position, Ratio, TypedDict
from projections.versioned import DecimalText, VersionedTable
from projections.view import Reader, View, ViewTx, on

PROJECTS = VersionedTable(
    "projects", "projects",
    keys=[("id", Uuid())],
    columns=[
        ("customer_id", Uuid()), ("contract_id", Uuid()), ("name", String(200)),
        ("opened_on", Date()), ("status", String(16)), ("completed_on", Date()),
        ("cancelled_on", Date()), ("cancel_reason", Text()),
        ("stages", Text()),  # [{name, weight, status, started_on, completed_on}] in order
        ("total_weight", DecimalText()), ("completed_weight", DecimalText()),
        ("progress", DecimalText()), ("opened_position", BigInteger()),
    ],
    indexes=[("customer_id",), ("contract_id",)],
    current_indexes=[("customer_id",), ("contract_id",)],
)


class ProjectStage(TypedDict):
    name: str
    weight: Measure
    status: str
    started_on: date | None
    completed_on: date | None


class Project(TypedDict):
    id: UUID
    name: str
    customer_id: UUID
    contract_id: UUID | None
    status: str
    opened_on: date | None
    completed_on: date | None
    cancelled_on: date | None
    cancel_reason: str | None
    progress: Annotated[Ratio, Field(description="Weight of the done stages / total weight.")]
    completed_weight: Measure
    total_weight: Measure
    current_stage: str | None
    stages: list[ProjectStage]


class ProjectOne(Project):
    position: Position


class ProjectList(TypedDict):
    items: list[Project]
    position: int


def _weights(stages: list[dict[str, Any]]) -> dict[str, Decimal]:
    total = sum((Decimal(s["weight"]) for s in stages), Decimal(0))
    done = sum((Decimal(s["weight"]) for s in stages if s["status"] == StageStatus.DONE),
               Decimal(0))
    return {"total_weight": total, "completed_weight": done,
            "progress": progress_ratio(done, total)}


class ProjectsView(View):
    name = "projects"
    tables = (PROJECTS,)

    @on(ProjectAggregate.Opened)
    def opened(self, tx: ViewTx, e: ProjectAggregate.Opened) -> None:
        stages = [{"name": s["name"], "weight": str(s["weight"]),
                   "status": StageStatus.PENDING.value, "started_on": None, "completed_on": None}
                  for s in e.stages]
        tx[PROJECTS].put(e.originator_id, {
            "customer_id": e.customer_id, "contract_id": e.contract_id, "name": e.name,
            "opened_on": e.opened_on, "status": "active", "completed_on": None,
            "cancelled_on": None, "cancel_reason": None, "stages": jsontext.dumps(stages),
            **_weights(stages), "opened_position": tx.position,
        })

    def _stage(self, tx: ViewTx, project_id: UUID, name: str, **changes: Any) -> None:
        row = tx[PROJECTS].require(project_id)
        stages = jsontext.loads(row["stages"])
        for s in stages:
            if s["name"] == name:  # events carry the stage's canonical name
                s.update(changes)
                break
        else:
            raise LookupError(f"project {project_id} has no stage {name!r}")
        tx[PROJECTS].update(project_id, stages=jsontext.dumps(stages), **_weights(stages))

    @on(ProjectAggregate.StageStarted)
    def stage_started(self, tx: ViewTx, e: ProjectAggregate.StageStarted) -> None:
        self._stage(tx, e.originator_id, e.stage, status=StageStatus.IN_PROGRESS.value,
                    started_on=e.started_on.isoformat())

    @on(ProjectAggregate.StageCompleted)
    def stage_completed(self, tx: ViewTx, e: ProjectAggregate.StageCompleted) -> None:
        self._stage(tx, e.originator_id, e.stage, status=StageStatus.DONE.value,
                    completed_on=e.completed_on.isoformat())

    @on(ProjectAggregate.StageReopened)
    def stage_reopened(self, tx: ViewTx, e: ProjectAggregate.StageReopened) -> None:
        self._stage(tx, e.originator_id, e.stage, status=StageStatus.IN_PROGRESS.value,
                    completed_on=None)

    @on(ProjectAggregate.Completed)
    def completed(self, tx: ViewTx, e: ProjectAggregate.Completed) -> None:
        tx[PROJECTS].update(e.originator_id, status="completed", completed_on=e.completed_on)

    @on(ProjectAggregate.Cancelled)
    def cancelled(self, tx: ViewTx, e: ProjectAggregate.Cancelled) -> None:
        tx[PROJECTS].update(e.originator_id, status="cancelled", cancelled_on=e.cancelled_on,
                            cancel_reason=e.reason)

    def contract_progress(self, r: Reader, contract_ids: list[UUID]) -> dict[UUID, Any] | None:
        """Per contract with a live (not cancelled) project: Σ completed / Σ total weight."""
        stmt = r.prepared("contract_progress", [PROJECTS], lambda t: select(
            t.c.contract_id, t.c.completed_weight, t.c.total_weight, t.c.status,
        ).where(t.c.contract_id.in_(bindparam("ids", expanding=True)), r.visible_bound(t)))
        rows = r.run(stmt, {"ids": list(contract_ids)}).all()
        per: dict[UUID, list[ProjectWeights]] = {}
        for row in rows:
            per.setdefault(row.contract_id, []).append(ProjectWeights(
                row.completed_weight, row.total_weight, row.status == "cancelled"))
        progress = {cid: contract_progress(weights) for cid, weights in per.items()}
        return {cid: value for cid, value in progress.items() if value is not None}


def project_of(row: Any) -> Project:
    stages = [ProjectStage(name=s["name"], weight=Decimal(s["weight"]), status=s["status"],
                           started_on=jsontext.day(s["started_on"]),
                           completed_on=jsontext.day(s["completed_on"]))
              for s in jsontext.loads(row.stages)]
    current = next((s["name"] for s in stages if s["status"] != StageStatus.DONE), None)
    return {
        "id": row.id, "name": row.name, "customer_id": row.customer_id,
        "contract_id": row.contract_id, "status": row.status, "opened_on": row.opened_on,
        "completed_on": row.completed_on, "cancelled_on": row.cancelled_on,
        "cancel_reason": row.cancel_reason, "progress": row.progress,
        "completed_weight": row.completed_weight, "total_weight": row.total_weight,
        "current_stage": current, "stages": stages,
    }


def projects_of(conn: Connection, *, customer_id: UUID | None = None,
                contract_id: UUID | None = None, at: int | None = None) -> ProjectList:
    """The projects of a customer or of a contract (give one), oldest first:
    `{items: [{id, name, customer_id, contract_id, status, opened_on, completed_on,
    cancelled_on, cancel_reason, progress, completed_weight, total_weight, current_stage,
    stages: [{name, weight, status, started_on, completed_on}]}], position}`."""
    if (customer_id is None) == (contract_id is None):
        raise ValueError("give exactly one of customer_id and contract_id")
    r = Reader(conn, at)
    t = r.table(PROJECTS)
    where = t.c.customer_id == customer_id if customer_id is not None else (
        t.c.contract_id == contract_id)
    rows = conn.execute(select(t).where(where, r.visible(t))
                        .order_by(t.c.opened_on, t.c.opened_position)).all()
    return {"items": [project_of(row) for row in rows], "position": r.position}


def get_project(conn: Connection, project_id: UUID, at: int | None = None) -> ProjectOne | None:
    """One project (as in `projects_of`) with `position`, or None."""
    r = Reader(conn, at)
    t = r.table(PROJECTS)
    row = conn.execute(select(t).where(t.c.id == project_id, r.visible(t))).first()
    return None if row is None else ProjectOne(**project_of(row), position=r.position)
