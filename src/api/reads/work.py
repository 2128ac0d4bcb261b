"""Work views: the risk register, the task workbench, requirements and complaints."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Query

from api.reads.docs import view_responses
from api.reads.query import ViewReadDep, views_named
from api.routing import ledger_router
from api.schemas.views.loops import ComplaintOne, ComplaintPage, RequirementOne, RequirementPage
from api.schemas.views.work import RiskOne, RiskPage, TaskOne, TaskPage
from cs_domain.complaint import ComplaintStatus
from cs_domain.requirement import RequirementStatus
from cs_domain.risk import RiskStatus
from cs_domain.task import TaskStatus
from projections.compose import MAX_LIMIT
from projections.views import complaints, requirements, risks, tasks

router = ledger_router()

Cursor = Annotated[str | None, Query(max_length=2000,
                                     description="`next_cursor` of the previous page.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
CustomerId = Annotated[UUID | None, Query(description="Only this customer's.")]
RISK_VIEWS = views_named("risks", "customers", "users")
TASK_VIEWS = views_named("tasks", "customers", "users")


def values(items: Sequence[Enum] | None) -> list[str] | None:
    return None if items is None else [str(i.value) for i in items]


@router.get("/risks", response_model=RiskPage, responses=view_responses(), tags=["risks"])
def risk_register(
    read: ViewReadDep,
    status: Annotated[list[RiskStatus] | None, Query(
        description="open | mitigating | closed (repeatable; open + mitigating = not closed).")
    ] = None,
    overdue: Annotated[bool | None, Query(
        description="true: not closed and due before `today`; false: the others.")] = None,
    owner_id: Annotated[UUID | None, Query(description="The risk's owner.")] = None,
    customer_id: CustomerId = None, cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """The risk register (风险台账) by due date, one page at a time."""
    return read.run(RISK_VIEWS, lambda conn: risks.risk_register(
        conn, today=read.today, status=values(status), overdue=overdue, owner_id=owner_id,
        customer_id=customer_id, cursor=cursor, limit=limit, at=read.at))


@router.get("/risks/{risk_id}", response_model=RiskOne, responses=view_responses(404),
            tags=["risks"])
def get_risk(risk_id: UUID, read: ViewReadDep) -> Any:
    """One risk as the register shows it."""
    return read.one(RISK_VIEWS, lambda conn: risks.get_risk(
        conn, risk_id, today=read.today, at=read.at), "risk", risk_id)


@router.get("/tasks", response_model=TaskPage, responses=view_responses(), tags=["tasks"])
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


@router.get("/tasks/{task_id}", response_model=TaskOne, responses=view_responses(404),
            tags=["tasks"])
def get_task(task_id: UUID, read: ViewReadDep) -> Any:
    """One task as the workbench shows it."""
    return read.one(TASK_VIEWS, lambda conn: tasks.get_task(
        conn, task_id, today=read.today, at=read.at), "task", task_id)


@router.get("/requirements", response_model=RequirementPage, responses=view_responses(),
            tags=["requirements"])
def requirement_list(
    read: ViewReadDep, customer_id: CustomerId = None,
    status: Annotated[list[RequirementStatus] | None, Query(description="Repeatable.")] = None,
    cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """Requirements (需求) by collection date, with the date of every step of their loop."""
    return read.run(views_named("requirements"), lambda conn: requirements.requirement_list(
        conn, customer_id=customer_id, status=values(status), cursor=cursor,
        limit=limit, at=read.at))


@router.get("/requirements/{requirement_id}", response_model=RequirementOne,
            responses=view_responses(404), tags=["requirements"])
def get_requirement(requirement_id: UUID, read: ViewReadDep) -> Any:
    """One requirement with the date of every step of its loop."""
    return read.one(views_named("requirements"), lambda conn: requirements.get_requirement(
        conn, requirement_id, at=read.at), "requirement", requirement_id)


@router.get("/complaints", response_model=ComplaintPage, responses=view_responses(),
            tags=["complaints"])
def complaint_list(
    read: ViewReadDep, customer_id: CustomerId = None,
    status: Annotated[list[ComplaintStatus] | None, Query(description="Repeatable.")] = None,
    cursor: Cursor = None, limit: Limit = 50,
) -> Any:
    """Complaints (投诉) by business date of receipt, with the moment of every step."""
    return read.run(views_named("complaints"), lambda conn: complaints.complaint_list(
        conn, customer_id=customer_id, status=values(status), cursor=cursor,
        limit=limit, at=read.at))


@router.get("/complaints/{complaint_id}", response_model=ComplaintOne,
            responses=view_responses(404), tags=["complaints"])
def get_complaint(complaint_id: UUID, read: ViewReadDep) -> Any:
    """One complaint with the moment of every step and its review."""
    return read.one(views_named("complaints"), lambda conn: complaints.get_complaint(
        conn, complaint_id, at=read.at), "complaint", complaint_id)
