"""Tasks: the commands (create, start, complete, cancel, reopen (assignee), reassign
(manager), reschedule (assignee)) and the reads (the workbench, one task)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Query
from fastapi.responses import JSONResponse

from api.clock import on_or_today
from api.deps import Create, Write
from api.openapi import CREATE_ERRORS, WRITE_ERRORS, problems
from api.ownership import customer_in_body, task_assignee
from api.permissions import Action
from api.reads.docs import view_responses
from api.reads.params import Cursor, CustomerId, Limit, values
from api.reads.query import ViewReadDep, views_named
from api.routing import ledger_router
from api.schemas.common import WriteResult
from api.schemas.tasks import (
    TaskCancel,
    TaskComplete,
    TaskCreate,
    TaskReassign,
    TaskReopen,
    TaskReschedule,
    TaskStart,
)
from api.schemas.views.work import TaskOne, TaskPage
from api.writes import WriteContext
from cs_domain.application import CommandResult
from cs_domain.task import TaskStatus
from projections.views import tasks

router = ledger_router(prefix="/tasks", tags=["tasks"])
WRITE_DOCS = problems(*WRITE_ERRORS)


@router.post("", status_code=201, response_model=WriteResult, responses=problems(*CREATE_ERRORS))
def create_task(body: TaskCreate, w: Create) -> JSONResponse:
    """Create a task on a customer for an assignee (status `todo`)."""
    return w.run(
        Action.CREATE_TASK,
        lambda: w.app.create_task(
            actor=w.actor, customer_id=body.customer_id, title=body.title,
            assignee_id=body.assignee_id, due_date=body.due_date, description=body.description,
            source_kind=None if body.source_kind is None else body.source_kind.value,
            source_id=body.source_id),
        WriteResult.of, resource=customer_in_body(w.app, body.customer_id), status=201,
    )


def _on_task(w: WriteContext, task_id: UUID, command: Callable[[], CommandResult]
             ) -> JSONResponse:
    """Runs an assignee's command on an existing task (UPDATE_TASK)."""
    return w.run(Action.UPDATE_TASK, command, WriteResult.of,
                 resource=task_assignee(w.app, task_id))


@router.post("/{task_id}/start", response_model=WriteResult, responses=WRITE_DOCS)
def start_task(task_id: UUID, body: TaskStart, w: Write) -> JSONResponse:
    """Start a task (`todo` → `doing`)."""
    return _on_task(w, task_id, lambda: w.app.start_task(
        actor=w.actor, task_id=task_id, started_on=on_or_today(body.started_on),
        expected_version=w.expected_version))


@router.post("/{task_id}/complete", response_model=WriteResult, responses=WRITE_DOCS)
def complete_task(task_id: UUID, body: TaskComplete, w: Write) -> JSONResponse:
    """Complete a started task (`doing` → `done`)."""
    return _on_task(w, task_id, lambda: w.app.complete_task(
        actor=w.actor, task_id=task_id, completed_on=on_or_today(body.completed_on),
        note=body.note, expected_version=w.expected_version))


@router.post("/{task_id}/cancel", response_model=WriteResult, responses=WRITE_DOCS)
def cancel_task(task_id: UUID, body: TaskCancel, w: Write) -> JSONResponse:
    """Cancel an open task, with the reason."""
    return _on_task(w, task_id, lambda: w.app.cancel_task(
        actor=w.actor, task_id=task_id, cancelled_on=on_or_today(body.cancelled_on),
        reason=body.reason, expected_version=w.expected_version))


@router.post("/{task_id}/reopen", response_model=WriteResult, responses=WRITE_DOCS)
def reopen_task(task_id: UUID, body: TaskReopen, w: Write) -> JSONResponse:
    """Reopen a done task (back to `todo`), with the reason."""
    return _on_task(w, task_id, lambda: w.app.reopen_task(
        actor=w.actor, task_id=task_id, reopened_on=on_or_today(body.reopened_on),
        reason=body.reason, expected_version=w.expected_version))


@router.post("/{task_id}/reassign", response_model=WriteResult, responses=WRITE_DOCS)
def reassign_task(task_id: UUID, body: TaskReassign, w: Write) -> JSONResponse:
    """Give an open task to another assignee (manager)."""
    return w.run(
        Action.REASSIGN_TASK,
        lambda: w.app.reassign_task(actor=w.actor, task_id=task_id, assignee_id=body.assignee_id,
                                    reason=body.reason, expected_version=w.expected_version),
        WriteResult.of,
    )


@router.post("/{task_id}/reschedule", response_model=WriteResult, responses=WRITE_DOCS)
def reschedule_task(task_id: UUID, body: TaskReschedule, w: Write) -> JSONResponse:
    """Move an open task's due date."""
    return _on_task(w, task_id, lambda: w.app.reschedule_task(
        actor=w.actor, task_id=task_id, due_date=body.due_date, reason=body.reason,
        expected_version=w.expected_version))


TASK_VIEWS = views_named("tasks", "customers", "users")


@router.get("", response_model=TaskPage, responses=view_responses())
def workbench(
    read: ViewReadDep,
    assignee_id: Annotated[UUID | None, Query(description="Whose workbench.")] = None,
    due: Annotated[Literal["overdue", "today", "week"] | None, Query(
        description="overdue: open and due before `today`; today; week: due in the seven "
                    "days from `today`.")] = None,
    status: Annotated[list[TaskStatus] | None, Query(
        description="Repeatable; default: the open ones (todo and doing).")] = None,
    customer_id: CustomerId = None, cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """The workbench (工作台): tasks by due date, with the counts of open tasks that are
    overdue, due today and due this week."""
    return read.run(TASK_VIEWS, lambda conn: tasks.workbench(
        conn, today=read.today, assignee_id=assignee_id, due=due,
        status="open" if status is None else values(status),
        customer_id=customer_id, cursor=cursor, limit=limit, at=read.at))


@router.get("/{task_id}", response_model=TaskOne, responses=view_responses(404))
def get_task(task_id: UUID, read: ViewReadDep) -> Any:
    """One task as the workbench shows it."""
    return read.one(TASK_VIEWS, lambda conn: tasks.get_task(
        conn, task_id, today=read.today, at=read.at), "task", task_id)
