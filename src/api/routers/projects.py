"""Projects: the commands (open on a contract, start / complete / reopen stages, complete,
cancel) and the reads (a customer's or contract's projects, one project)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Query
from fastapi.responses import JSONResponse

from api.clock import on_or_today
from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import contract_in_body
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.query import InvalidParameter, ViewReadDep, views_named
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.projects import (
    ProjectCancel,
    ProjectComplete,
    ProjectOpen,
    ProjectProgress,
    StageComplete,
    StageReopen,
    StageStart,
)
from api.schemas.views.delivery import (
    ProjectList,
    ProjectOne,
)
from api.writes import item_write
from cs_domain.application import CommandResult
from cs_domain.project import Project
from projections.views import projects

router = ledger_router(prefix="/projects", tags=["projects"])
WRITE_DOCS = problems(*WRITE_ERRORS)


def with_progress(result: CommandResult) -> ProjectProgress:
    return ProjectProgress(id=result.id, version=result.version, position=result.position,
                           progress=float(result.extra["progress"]))


@router.post("", status_code=201, response_model=WriteResult, responses=problems(*CREATE_ERRORS))
def open_project(body: ProjectOpen, w: Create) -> JSONResponse:
    """Open a delivery project on a contract (not churned or terminated)."""
    stages = None if body.stages is None else [s.model_dump() for s in body.stages]
    return w.run(
        Action.WRITE_PROJECTS,
        lambda: w.app.open_project(actor=w.actor, contract_id=body.contract_id, name=body.name,
                                   opened_on=on_or_today(body.opened_on), stages=stages),
        WriteResult.of, resource=contract_in_body(w.app, body.contract_id), status=201,
    )


_on_project = item_write(Action.WRITE_PROJECTS, Project)


@router.post("/{project_id}/stages/start", response_model=ProjectProgress, responses=WRITE_DOCS)
def start_stage(project_id: UUID, body: StageStart, w: Write) -> JSONResponse:
    """Start a pending stage."""
    return _on_project(w, project_id, lambda: w.app.start_project_stage(
        actor=w.actor, project_id=project_id, stage=body.stage,
        started_on=on_or_today(body.started_on), expected_version=w.expected_version),
        with_progress)


@router.post("/{project_id}/stages/complete", response_model=ProjectProgress,
             responses=WRITE_DOCS)
def complete_stage(project_id: UUID, body: StageComplete, w: Write) -> JSONResponse:
    """Complete a stage (started or not); the answer carries the new progress."""
    return _on_project(w, project_id, lambda: w.app.complete_project_stage(
        actor=w.actor, project_id=project_id, stage=body.stage,
        completed_on=on_or_today(body.completed_on), expected_version=w.expected_version),
        with_progress)


@router.post("/{project_id}/stages/reopen", response_model=ProjectProgress, responses=WRITE_DOCS)
def reopen_stage(project_id: UUID, body: StageReopen, w: Write) -> JSONResponse:
    """Reopen a done stage, with the reason."""
    return _on_project(w, project_id, lambda: w.app.reopen_project_stage(
        actor=w.actor, project_id=project_id, stage=body.stage,
        reopened_on=on_or_today(body.reopened_on), reason=body.reason,
        expected_version=w.expected_version), with_progress)


@router.post("/{project_id}/complete", response_model=WriteResult, responses=WRITE_DOCS)
def complete_project(project_id: UUID, body: ProjectComplete, w: Write) -> JSONResponse:
    """Complete the project (every stage must be done)."""
    return _on_project(w, project_id, lambda: w.app.complete_project(
        actor=w.actor, project_id=project_id, completed_on=on_or_today(body.completed_on),
        expected_version=w.expected_version))


@router.post("/{project_id}/cancel", response_model=WriteResult, responses=WRITE_DOCS)
def cancel_project(project_id: UUID, body: ProjectCancel, w: Write) -> JSONResponse:
    """Cancel an active project, with the reason."""
    return _on_project(w, project_id, lambda: w.app.cancel_project(
        actor=w.actor, project_id=project_id, cancelled_on=on_or_today(body.cancelled_on),
        reason=body.reason, expected_version=w.expected_version))


@router.get("", response_model=ProjectList, responses=view_responses())
def project_list(
    read: ViewReadDep,
    customer_id: Annotated[UUID | None, Query(description="A customer's projects.")] = None,
    contract_id: Annotated[UUID | None, Query(description="Or a contract's.")] = None,
) -> Any:
    """Implementation projects (项目) with their weighted stages and progress, oldest first.
    Give exactly one of `customer_id` and `contract_id`."""
    if (customer_id is None) == (contract_id is None):
        raise InvalidParameter("customer_id", "give exactly one of customer_id and contract_id")
    return read.run(views_named("projects"), lambda conn: projects.projects_of(
        conn, customer_id=customer_id, contract_id=contract_id, at=read.at))


@router.get("/{project_id}", response_model=ProjectOne,
            responses=view_responses(404))
def get_project(project_id: UUID, read: ViewReadDep) -> Any:
    """One project with its stages and progress."""
    return read.one(views_named("projects"), lambda conn: projects.get_project(
        conn, project_id, at=read.at), "project", project_id)
