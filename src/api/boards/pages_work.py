"""Board pages of daily work: my workbench, the risk register and one risk's trail.

Each page calls the API's own read functions (api.routers.*, api.reads.*) with the board's
ViewRead, so the figures are the API's for the same `as_of`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.boards.timeline import actor_names, versions
from api.boards.web import BASE, Board, BoardDep, attempt
from api.permissions import Action
from api.reads import team
from api.routers import risks as risk_routes
from api.routers import tasks as task_routes
from cs_domain.risk import RiskStatus

router = APIRouter(prefix=BASE, include_in_schema=False)
OPEN = [RiskStatus.OPEN, RiskStatus.MITIGATING]
MILESTONE_HORIZON_DAYS = 30


def _items(result: Any) -> list[dict[str, Any]]:
    return list(result["items"]) if isinstance(result, dict) else []


def _milestones_due(b: Board, owner_id: UUID | None) -> list[dict[str, Any]]:
    """CSM milestones not done, overdue or due within the horizon, soonest first."""
    result = attempt(b, team.csm_milestones, b.read, owner_id=owner_id, customer_id=None)
    horizon = b.today + timedelta(days=MILESTONE_HORIZON_DAYS)
    rows = [{**m, "customer_id": c["customer_id"], "customer_name": c["customer_name"]}
            for c in _items(result) for m in c["milestones"]
            if m["status"] != "done" and m["due_date"] <= horizon]
    return sorted(rows, key=lambda m: m["due_date"])


@router.get("/")
def workbench(b: BoardDep) -> HTMLResponse:
    me = b.principal.user_id
    tasks = {due: attempt(b, task_routes.workbench, b.read, assignee_id=me, due=due, status=None,
                          customer_id=None, cursor=None, limit=50)
             for due in ("overdue", "today", "week")}
    lifecycle = attempt(b, team.lifecycle_board, b.read, owner_id=me)
    risks = attempt(b, risk_routes.risk_register, b.read, status=OPEN, overdue=None, owner_id=me,
                    customer_id=None, cursor=None, limit=100)
    task_rows = [t for due in ("overdue", "today", "week") for t in _items(tasks[due])]
    return b.render("workbench.html", tasks=tasks, lifecycle=lifecycle, risks=_items(risks),
                    milestones=_milestones_due(b, me),
                    versions=versions(b, [t["id"] for t in task_rows], Action.UPDATE_TASK))


@router.get("/risks")
def risk_register(b: BoardDep, cursor: str | None = None) -> HTMLResponse:
    """Overdue risks first, then the other open ones, then the closed ones (paged)."""
    overdue = attempt(b, risk_routes.risk_register, b.read, status=OPEN, overdue=True, owner_id=None,
                      customer_id=None, cursor=None, limit=200)
    current = attempt(b, risk_routes.risk_register, b.read, status=OPEN, overdue=False, owner_id=None,
                      customer_id=None, cursor=None, limit=200)
    closed = attempt(b, risk_routes.risk_register, b.read, status=[RiskStatus.CLOSED], overdue=None,
                     owner_id=None, customer_id=None, cursor=cursor, limit=50)
    return b.render("risks.html", overdue=_items(overdue), current=_items(current),
                    closed=_items(closed), next_cursor=closed["next_cursor"] if closed else None)


@router.get("/risks/{risk_id}")
def risk_page(b: BoardDep, risk_id: UUID) -> HTMLResponse:
    risk = attempt(b, risk_routes.get_risk, risk_id, b.read)
    trail = attempt(b, risk_routes.risk_trail, risk_id, b.container.app, b.read, with_tasks=True) \
        if risk else None
    steps = trail["items"] if trail else []
    names = actor_names(b, [s["actor"] for s in steps])
    version = max((s["version"] for s in steps if "task_id" not in s), default=None)
    return b.render("risk.html", status=404 if risk is None else 200, risk=risk, steps=steps,
                    names=names, version=version)
