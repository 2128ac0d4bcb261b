"""A small world for the board tests, made through the HTTP API like any client: a CSM
owning a customer with an active contract under delivery (a project with one stage done),
an overdue risk, an open task, and an analyst. Dates are fixed business dates in 2025."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
ADMIN_TOKEN = "test-bootstrap-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@dataclass
class World:
    csm_token: str
    csm_id: str
    analyst_token: str
    customer_id: str
    contract_id: str
    risk_id: str
    task_id: str
    head: int


def ok(client: Any, method: str, path: str, body: Any = None,
       headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = client.request(method, "/api/v1" + path, json=body, headers=headers or ADMIN)
    assert response.status_code in (200, 201), response.text
    return response.json()  # type: ignore[no-any-return]


def build(client: httpx.Client | Any) -> World:
    csm = ok(client, "POST", "/users", {"name": "Chen Jing", "role": "csm"})
    analyst = ok(client, "POST", "/users", {"name": "Wu Tao", "role": "analyst"})
    customer = ok(client, "POST", "/customers", {"name": "Acme Dental", "tier": "growth",
                                                 "owner_id": csm["id"]})["id"]
    contract = ok(client, "POST", "/contracts", {
        "customer_id": customer, "number": "C-2025-0001", "amount": "12000.00", "currency": "EUR",
        "start_date": "2025-01-01", "end_date": "2025-12-31"})["id"]
    ok(client, "POST", f"/contracts/{contract}/sign", {"signed_on": "2024-12-20"})
    ok(client, "POST", f"/contracts/{contract}/activate", {"activated_on": "2025-01-01"})
    project = ok(client, "POST", "/projects", {"contract_id": contract, "name": "Roll-out",
                                               "opened_on": "2025-01-02"})["id"]
    ok(client, "POST", f"/projects/{project}/stages/start", {"stage": "kickoff",
                                                             "started_on": "2025-01-03"})
    ok(client, "POST", f"/projects/{project}/stages/complete", {"stage": "kickoff",
                                                                "completed_on": "2025-01-05"})
    csm_headers = {"Authorization": f"Bearer {csm['token']}"}
    risk = ok(client, "POST", "/risks", {
        "customer_id": customer, "title": "Director unhappy", "category": "relationship",
        "severity": "high", "due_date": "2025-04-01", "raised_on": "2025-03-01"},
        headers=csm_headers)["id"]
    task = ok(client, "POST", "/tasks", {"customer_id": customer, "title": "Call the director",
                                         "assignee_id": csm["id"], "due_date": "2025-03-10"})
    return World(csm["token"], csm["id"], analyst["token"], customer, contract, risk,
                 task["id"], task["position"])


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client: Any, token: str) -> Any:
    """Signs in through the form; returns the answer to the post."""
    form = client.get("/app/login")
    return client.post("/app/login", data={"token": token, "csrf": csrf_of(form.text)},
                       follow_redirects=False)
