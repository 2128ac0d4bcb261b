"""Board actions: a form post runs the API's own command handler, with `If-Match`.

`POST /app/actions/{name}` takes the form's fields as the command's body, `item` (the id
in the API's path), `version` (the version the page showed, sent as `If-Match`), `back`
(the page to return to) and `csrf`. It calls the same router function the JSON API
does — so permissions, validation and concurrency are the API's — and returns to the page
with the outcome shown once: the problem details of a 403/404/409/412/422, or "done"
(and the page waits for the write's position, read-your-writes).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from api.auth import authenticate_hash
from api.boards.session import SESSION_COOKIE, same
from api.boards.signin import forbidden
from api.boards.web import BASE, sessions
from api.deps import get_container
from api.permissions import Principal
from api.problems import ApiProblem, api_problem, domain_problem
from api.routers import contracts, customers, risks, tasks, touchpoints
from api.schemas.contracts import RenewalIntentSet
from api.schemas.customers import ContactAdd
from api.schemas.risks import RiskClose, RiskRaise
from api.schemas.tasks import TaskComplete, TaskStart
from api.schemas.touchpoints import TouchpointRecord
from api.writes import WriteContext
from cs_domain.errors import DomainError

router = APIRouter(prefix=BASE, include_in_schema=False)
CONTROL = {"csrf", "version", "item", "back"}
LIST_FIELDS = {"participants", "next_steps"}
MAX_FIELD = 4000
NO_ITEM = UUID(int=0)  # what an action that creates its item gets as the id


@dataclass(frozen=True)
class BoardAction:
    body: type[BaseModel]
    # (item id, body, write context) → the API's response
    run: Callable[[UUID, Any, WriteContext], Response]
    needs_item: bool = True


ACTIONS: dict[str, BoardAction] = {
    "task-start": BoardAction(TaskStart, lambda i, body, w: tasks.start_task(i, body, w)),
    "task-complete": BoardAction(TaskComplete, lambda i, body, w: tasks.complete_task(i, body, w)),
    "risk-raise": BoardAction(RiskRaise, lambda _i, body, w: risks.raise_risk(body, w), False),
    "risk-close": BoardAction(RiskClose, lambda i, body, w: risks.close_risk(i, body, w)),
    "renewal-intent": BoardAction(
        RenewalIntentSet, lambda i, body, w: contracts.set_renewal_intent(i, body, w)),
    "touchpoint": BoardAction(
        TouchpointRecord, lambda _i, body, w: touchpoints.record_touchpoint(body, w), False),
    "contact-add": BoardAction(ContactAdd, lambda i, body, w: customers.add_contact(i, body, w)),
}


def safe_back(value: str | None) -> str:
    """Only a board page of this site (no scheme, no host) is a place to return to."""
    parts = urlsplit(value or "")
    if parts.scheme or parts.netloc or not parts.path.startswith(f"{BASE}/") or "//" in parts.path:
        return f"{BASE}/"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _fields(form: dict[str, str], body: type[BaseModel]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in form.items():
        if key in CONTROL or key not in body.model_fields or not value.strip():
            continue
        text = value[:MAX_FIELD]
        values[key] = [v.strip() for v in text.splitlines() if v.strip()] \
            if key in LIST_FIELDS else text.strip()
    return values


def _problem(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"ok": False, "status": status, "title": title, "detail": detail, **extra}


def execute(action: BoardAction, form: dict[str, str], principal: Principal, request: Request,
            name: str) -> dict[str, Any]:
    """Runs the action; the outcome as `{ok, status, title, detail, errors?, position?}`."""
    container = get_container(request)
    instance = f"{BASE}/actions/{name}"
    try:
        body = action.body.model_validate(_fields(form, action.body))
        item = UUID(form["item"]) if form.get("item") else None
    except ValidationError as error:
        fields = [{"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]}
                  for e in error.errors()]
        return _problem(422, "Invalid input", "; ".join(f"{f['field']}: {f['message']}"
                                                        for f in fields), errors=fields)
    except ValueError:
        return _problem(422, "Invalid input", "item: not an id",
                        errors=[{"field": "item", "message": "not an id"}])
    if item is None and action.needs_item:
        return _problem(422, "Invalid input", "item: required",
                        errors=[{"field": "item", "message": "required"}])
    version = form.get("version", "")
    w = WriteContext(app=container.app, idempotency=container.idempotency, principal=principal,
                     instance=instance, key=None, fingerprint=None,
                     expected_version=int(version) if version.isdigit() and len(version) < 18
                     else None)
    try:
        response = action.run(item or NO_ITEM, body, w)
    except DomainError as error:
        response = domain_problem(error, instance)
    except ApiProblem as problem:
        response = api_problem(problem, instance)
    answer = json.loads(bytes(response.body))
    if response.status_code >= 400:
        return {"ok": False, **answer}
    return {"ok": True, "status": response.status_code, "position": answer.get("position"),
            "id": answer.get("id")}


@router.post("/actions/{name}")
async def act(name: str, request: Request) -> Response:
    store = sessions(request)
    session = store.get(request.cookies.get(SESSION_COOKIE))
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    if session is None:
        return RedirectResponse(f"{BASE}/login", status_code=303)
    if not same(session.csrf, form.get("csrf")):
        return forbidden()
    container = get_container(request)
    try:
        principal = authenticate_hash(container.app, container.settings, session.token_hash)
    except ApiProblem:
        return RedirectResponse(f"{BASE}/login", status_code=303)
    action = ACTIONS.get(name)
    back = safe_back(form.get("back"))
    if action is None:
        outcome = _problem(404, "Not found", f"no board action {name!r}")
    else:
        outcome = await run_in_threadpool(execute, action, form, principal, request, name)
    store.set_flash(session, {**outcome, "action": name})
    if outcome["ok"] and outcome.get("position"):
        back += ("&" if "?" in back else "?") + urlencode({"min_position": outcome["position"]})
    return RedirectResponse(back, status_code=303)

