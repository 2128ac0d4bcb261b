"""Helpers for the work-item, delivery and playbook API tests: items in a given state,
made through HTTP like any client (runs through the application, as the automation does).

Dates are fixed business dates in early 2025, so no test depends on the clock.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from cs_domain.playbook import Playbook
from tests.api.conftest import ADMIN, Api, User

RAISED = "2025-03-01"
DUE = "2025-04-01"

REQUIREMENT_STEPS: list[tuple[str, str, dict[str, Any]]] = [
    ("classified", "classify", {"category": "integration", "priority": "high", "on": "2025-03-02"}),
    ("analysed", "analyse", {"product_fit": "partial", "note": "CSV is new", "on": "2025-03-03"}),
    ("handed_over", "hand-to-product", {"product_ref": "PROD-1", "on": "2025-03-04"}),
    ("scheduled", "schedule", {"target_date": "2025-05-01", "release": "2025.5",
                               "on": "2025-03-05"}),
    ("delivered", "deliver", {"release": "2025.5", "on": "2025-05-02"}),
]
COMPLAINT_STEPS: list[tuple[str, str, dict[str, Any]]] = [
    ("investigating", "investigate", {"started_at": "2025-03-01T10:00:00+08:00"}),
    ("resolved", "resolve", {"resolution": "fixed", "resolved_at": "2025-03-01T15:00:00+08:00"}),
]
SUBSCRIPTION_STEPS: list[tuple[str, str, dict[str, Any]]] = [
    ("active", "activate", {"activated_on": "2025-01-02"}),
    ("suspended", "suspend", {"reason": "unpaid", "suspended_on": "2025-06-01"}),
]


def fields(response: Any) -> dict[str, str]:
    """The problem's field errors, by field."""
    return {e["field"]: e["message"] for e in response.json().get("errors", [])}


def walk(api: Api, path: str, steps: list[tuple[str, str, dict[str, Any]]], status: str,
         initial: str) -> None:
    """Takes the item at `path` through `steps` until it reaches `status`."""
    if status == initial:
        return
    for reached, verb, body in steps:
        api.ok("POST", f"{path}/{verb}", body)
        if reached == status:
            return
    raise ValueError(f"no step reaches {status}")


def risk(api: Api, customer: str, headers: dict[str, str] = ADMIN, *, closed: bool = False,
         **changes: Any) -> str:
    body = {"customer_id": customer, "title": "Director unhappy", "category": "relationship",
            "severity": "high", "due_date": DUE, "raised_on": RAISED, **changes}
    risk_id = str(api.ok("POST", "/risks", body, headers=headers)["id"])
    if closed:
        api.ok("POST", f"/risks/{risk_id}/close", {"resolution": "ok", "closed_on": "2025-03-10"})
    return risk_id


def task(api: Api, customer: str, assignee: User, *, status: str = "todo") -> str:
    body = {"customer_id": customer, "title": "Monthly usage analysis",
            "assignee_id": str(assignee.id), "due_date": DUE}
    task_id = str(api.ok("POST", "/tasks", body)["id"])
    steps = [("doing", "start", {"started_on": "2025-03-02"}),
             ("done", "complete", {"completed_on": "2025-03-03"})]
    walk(api, f"/tasks/{task_id}", steps, status, "todo")
    return task_id


def requirement(api: Api, customer: str, status: str = "collected") -> str:
    body = {"customer_id": customer, "requested_by": "Dr. Wang", "summary": "CSV export",
            "on": RAISED}
    requirement_id = str(api.ok("POST", "/requirements", body)["id"])
    walk(api, f"/requirements/{requirement_id}", REQUIREMENT_STEPS, status, "collected")
    return requirement_id


def complaint(api: Api, customer: str, status: str = "received") -> str:
    body = {"customer_id": customer, "channel": "phone", "summary": "Cannot log in",
            "severity": "high", "needs_resources": True,
            "received_at": "2025-03-01T09:30:00+08:00"}
    complaint_id = str(api.ok("POST", "/complaints", body)["id"])
    walk(api, f"/complaints/{complaint_id}", COMPLAINT_STEPS, status, "received")
    return complaint_id


def subscription(api: Api, customer: str, status: str = "provisioned") -> str:
    body = {"customer_id": customer, "product": "Booking Pro", "seats": 10,
            "start_date": "2025-01-01", "end_date": "2025-12-31"}
    subscription_id = str(api.ok("POST", "/subscriptions", body)["id"])
    walk(api, f"/subscriptions/{subscription_id}", SUBSCRIPTION_STEPS, status, "provisioned")
    return subscription_id


def project(api: Api, customer: str, *, done: tuple[str, ...] = ()) -> str:
    """A project on a signed contract with stages kickoff (40) and go-live (60)."""
    contract = api.contract(customer, "signed")
    body = {"contract_id": contract, "name": "Roll-out", "opened_on": "2025-01-06",
            "stages": [{"name": "kickoff", "weight": 40}, {"name": "go-live", "weight": 60}]}
    project_id = str(api.ok("POST", "/projects", body)["id"])
    for stage in done:
        api.ok("POST", f"/projects/{project_id}/stages/complete",
               {"stage": stage, "completed_on": "2025-01-10"})
    return project_id


def plan(api: Api, customer: str, *, active: bool = False,
         template: str | None = "implementation_handover") -> tuple[str, list[str]]:
    """A plan from the template (or an empty one), and its milestone ids."""
    body: dict[str, Any] = {"customer_id": customer, "start_date": "2025-01-06"}
    body.update({"template": template} if template else {"name": "Custom plan"})
    created = api.ok("POST", "/plans", body)
    if active:
        api.ok("POST", f"/plans/{created['id']}/activate", {"activated_on": "2025-01-06"})
    return str(created["id"]), [str(m) for m in created["milestone_ids"]]


def touchpoint(api: Api, customer: str, kind: str = "training") -> str:
    body = {"customer_id": customer, "kind": kind, "occurred_on": "2025-01-20",
            "summary": "Front-desk training", "participants": ["front desk"]}
    return str(api.ok("POST", "/touchpoints", body)["id"])


def playbook_body(key: str | None = None, **changes: Any) -> dict[str, Any]:
    return {
        "key": key or f"pb-{uuid4().hex[:10]}", "name": "Silent account",
        "trigger_kind": "inactivity", "trigger_params": {"days": 30},
        "customer_goal": "Resume using the product.", "business_goal": "Keep renewals safe.",
        "actions": [
            {"title": "Check what changed", "owner_role": "owner_csm", "channel": "internal",
             "offset_days": 0},
            {"title": "Call the sponsor", "owner_role": "support_manager", "channel": "call",
             "offset_days": 2}],
        "success_metrics": [{"name": "call held", "kind": "meeting_held", "step": 1,
                             "within_days": 14}],
        **changes,
    }


def playbook(api: Api, *, retired: bool = False) -> str:
    playbook_id = str(api.ok("POST", "/playbooks", playbook_body())["id"])
    if retired:
        api.ok("POST", f"/playbooks/{playbook_id}/retire", {"reason": "replaced"})
    return playbook_id


def playbook_run(api: Api, customer: str, occurrence: str | None = None) -> tuple[str, list[str]]:
    """Starts a QBR run the way the automation does: through the application service."""
    app = api.container.app
    if not app.exists(Playbook.id_for("qbr")):
        app.install_default_playbooks(actor="system")
    started = app.start_playbook_run(
        actor="system", playbook_key="qbr", customer_id=UUID(customer),
        occurrence_key=occurrence or f"customer:{customer}:2025Q1",
        triggered_on=date(2025, 1, 6))
    return str(started.id), [str(t) for t in started.extra["task_ids"]]
