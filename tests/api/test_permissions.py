"""Role boundaries of every endpoint, and the documented matrix equal to the enforced one.

The allowed sets below are written out by hand from the contract (api.md's
minimum table and docs/security.md), independently of api.permissions.MATRIX.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from api.permissions import MATRIX, WRITE_ACTIONS, Action, matrix_markdown
from tests.api.conftest import Api, User, admin_settings, started
from tests.api.permission_cases import WORK_CASES
from tests.conftest import STORES, drop_schema, make_settings

SECURITY_MD = Path(__file__).resolve().parents[2] / "docs" / "security.md"
PRINCIPALS = ("admin", "manager", "csm_own", "csm_other", "support", "analyst", "auditor",
              "implementation", "sales")
WRITERS = {"admin", "manager", "csm_own"}
EVERYONE = set(PRINCIPALS)

Request = tuple[str, str, Any]


@dataclass
class World:
    api: Api
    users: dict[str, User]

    @property
    def owner(self) -> User:
        return self.users["csm_own"]

    def customer(self) -> str:
        return self.api.customer(self.owner)

    def contract(self, status: str) -> str:
        return self.api.contract(self.customer(), status)


def _contract_cmd(status: str, verb: str, body: dict[str, Any]) -> Callable[[World], Request]:
    return lambda w: ("POST", f"/contracts/{w.contract(status)}/{verb}", body)


def _customer_cmd(verb: str, body: dict[str, Any]) -> Callable[[World], Request]:
    return lambda w: ("POST", f"/customers/{w.customer()}/{verb}", body)


def _remove_contact(w: World) -> Request:
    customer = w.customer()
    contact = w.api.ok("POST", f"/customers/{customer}/contacts",
                       {"name": "Dr. Wang", "role": "director", "level": "1"})["contact_id"]
    return ("DELETE", f"/customers/{customer}/contacts/{contact}", None)


CASES: dict[str, tuple[set[str], Callable[[World], Request]]] = {
    "create user": ({"admin"}, lambda w: ("POST", "/users", {"name": "New", "role": "csm"})),
    "change role": ({"admin"}, lambda w: (
        "POST", f"/users/{w.api.user('analyst').id}/role", {"role": "auditor"})),
    "deactivate user": ({"admin"}, lambda w: (
        "POST", f"/users/{w.api.user('analyst').id}/deactivate", {})),
    "rotate another's token": ({"admin"}, lambda w: (
        "POST", f"/users/{w.api.user('analyst').id}/token", None)),
    "register customer owned by csm_own": (WRITERS, lambda w: (
        "POST", "/customers", {"name": "Acme", "tier": "basic", "owner_id": str(w.owner.id)})),
    "edit profile": (WRITERS, lambda w: ("PATCH", f"/customers/{w.customer()}", {"tier": "strategic"})),
    "reassign owner": ({"admin", "manager"}, lambda w: (
        "POST", f"/customers/{w.customer()}/owner", {"owner_id": str(w.users["csm_other"].id)})),
    "support manager": (WRITERS, lambda w: (
        "POST", f"/customers/{w.customer()}/support-manager",
        {"support_manager_id": str(w.users["support"].id)})),
    "move stage": (WRITERS, _customer_cmd("stage", {"stage": "onboarding",
                                                    "effective_on": "2025-01-05"})),
    "add contact": (WRITERS, _customer_cmd("contacts", {"name": "Li", "role": "IT", "level": "2"})),
    "remove contact": (WRITERS, _remove_contact),
    "handover": (WRITERS | {"sales"}, _customer_cmd("handover", {
        "sales_rep": "Zhao", "handed_over_on": "2025-01-02", "summary": "ok", "expectations": []})),
    "expectations": (WRITERS | {"sales"}, _customer_cmd("expectations", {
        "expectations": ["go live"], "agreed_on": "2025-01-03"})),
    "draft contract": (WRITERS, lambda w: ("POST", "/contracts", {
        "customer_id": w.customer(), "number": f"N-{uuid4().hex[:8]}", "amount": "10.00",
        "currency": "EUR", "start_date": "2025-01-01", "end_date": "2025-12-31"})),
    "sign": (WRITERS, _contract_cmd("draft", "sign", {"signed_on": "2024-12-01"})),
    "activate": (WRITERS, _contract_cmd("signed", "activate", {"activated_on": "2025-01-01"})),
    "renewal intent": (WRITERS, _contract_cmd("active", "renewal-intent", {"intent": "low"})),
    "renew": (WRITERS, _contract_cmd("active", "renew", {
        "renewed_on": "2025-12-01", "amount": "11.00", "new_end_date": "2026-12-31"})),
    "churn": (WRITERS, _contract_cmd("active", "churn", {
        "churned_on": "2025-12-31", "reason_category": "price"})),
    "terminate": (WRITERS, _contract_cmd("draft", "terminate", {
        "terminated_on": "2025-01-10", "reason": "duplicate"})),
    "read events": (EVERYONE, lambda w: ("GET", "/events", None)),
    "who am I": (EVERYONE, lambda w: ("GET", "/users/me", None)),
    "verify audit": ({"admin", "auditor"}, lambda w: ("GET", "/audit/verify", None)),
    # Risks, tasks, requirements, complaints, delivery, plans, playbooks: same table.
    **WORK_CASES,
}


def _world(api: Api) -> World:
    users = {p: api.user(p.removesuffix("_own").removesuffix("_other")) for p in PRINCIPALS}
    return World(api, users)


@pytest.fixture
def world(api: Api) -> World:
    return _world(api)


@pytest.fixture(scope="module", params=STORES)
def boundary_world(request: pytest.FixtureRequest,
                   tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One started API per store for every boundary case: each case prepares its own items
    and a refusal writes nothing (checked), so the cases cannot see each other."""
    settings = admin_settings(make_settings(request.param, tmp_path_factory.mktemp("boundary")))
    try:
        with started(settings) as client:
            yield _world(Api(client))
    finally:
        drop_schema(settings)


@pytest.mark.parametrize("case", sorted(CASES))
def test_role_boundary(boundary_world: World, case: str):
    world = boundary_world
    allowed, prepare = CASES[case]
    request: Request | None = None
    for principal in PRINCIPALS:
        # A refusal changes nothing (checked below), so its request serves the next
        # principal too; a request that was allowed used its item up.
        if request is None:
            request = prepare(world)
        method, path, body = request
        head = world.api.head()
        kwargs = {} if body is None else {"json": body}
        r = world.api.request(method, path, world.users[principal].headers, **kwargs)
        if principal in allowed:
            assert r.status_code in (200, 201), (principal, r.text)
            request = None
        else:
            assert r.status_code == 403, (principal, r.text)
            assert r.headers["content-type"] == "application/problem+json"
            assert r.json()["type"].endswith("/forbidden")
            assert world.api.head() == head, f"a refused {case} by {principal} wrote events"


def test_writers_may_rotate_their_own_token_readers_may_not(world: World):
    for principal, user in world.users.items():
        r = world.api.post(f"/users/{user.id}/token", headers=user.headers)
        expected = 403 if principal in ("analyst", "auditor") else 200
        assert r.status_code == expected, (principal, r.text)


def test_a_csm_cannot_register_a_customer_for_someone_else(world: World):
    other = world.users["csm_other"]
    r = world.api.post("/customers", {"name": "A", "tier": "basic", "owner_id": str(other.id)},
                       headers=world.owner.headers)
    assert r.status_code == 403
    assert "own" in r.json()["detail"]


def test_reassigned_customer_changes_who_may_write(world: World):
    customer = world.customer()
    other = world.users["csm_other"]
    world.api.ok("POST", f"/customers/{customer}/owner", {"owner_id": str(other.id)})
    path = f"/customers/{customer}"
    assert world.api.request("PATCH", path, world.owner.headers, json={"region": "N"}).status_code == 403
    assert world.api.request("PATCH", path, other.headers, json={"region": "N"}).status_code == 200


def test_unknown_item_is_404_before_ownership_is_judged(world: World):
    r = world.api.post(f"/contracts/{uuid4()}/sign", {"signed_on": "2025-01-01"},
                       headers=world.owner.headers)
    assert r.status_code == 404


def test_roles_without_any_scope_are_refused_before_loading(world: World):
    r = world.api.post(f"/contracts/{uuid4()}/sign", {"signed_on": "2025-01-01"},
                       headers=world.users["analyst"].headers)
    assert r.status_code == 403


def test_security_doc_carries_the_enforced_matrix():
    text = SECURITY_MD.read_text(encoding="utf-8")
    start, end = "<!-- matrix:start -->", "<!-- matrix:end -->"
    assert start in text and end in text, "docs/security.md lost its matrix markers"
    documented = text.split(start)[1].split(end)[0].strip()
    assert documented == matrix_markdown(), (
        "docs/security.md differs from api.permissions.MATRIX; paste matrix_markdown() output")


def test_matrix_grants_at_least_the_contract_minimum():
    # api.md's minimum table: the matrix may grant more, never less.
    minimum = {
        Action.CREATE_USERS: {"admin"},
        Action.CREATE_CUSTOMER: {"admin", "manager", "csm"},
        Action.EDIT_CUSTOMER: {"admin", "manager", "csm"},
        Action.WRITE_CONTRACTS: {"admin", "manager", "csm"},
        Action.RECORD_USAGE: {"admin", "manager", "csm"},
        Action.RAISE_ISSUES: {"admin", "manager", "csm", "support"},
        Action.SET_RISK_STRATEGY: {"admin", "manager"},
        Action.REASSIGN_OWNER: {"admin", "manager"},
        Action.CLOSE_RISK: {"admin", "manager", "csm"},
        Action.UPDATE_TASK: {"admin", "manager", "csm", "support"},
        Action.READ: {"admin", "manager", "csm", "support", "analyst", "auditor"},
        Action.VERIFY_AUDIT: {"admin", "auditor"},
    }
    for action, roles in minimum.items():
        assert roles <= {r.value for r in MATRIX[action]}, action


def test_analysts_and_auditors_never_write():
    for action, grants in MATRIX.items():
        if action not in WRITE_ACTIONS:  # reading: views, reports, the audit
            continue
        assert not {"analyst", "auditor"} & {r.value for r in grants}, action
