"""Fixtures for API tests: the real app (create_app) on SQLite and PostgreSQL.

`api` is a started app behind a TestClient plus helpers to create users of each
role, customers and contracts through the HTTP API itself.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.app import create_app
from api.container import Container
from cs_store.settings import Settings

with warnings.catch_warnings():
    # Starlette nudges towards httpx2; the TestClient works the same with httpx.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ADMIN_TOKEN = "test-bootstrap-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@dataclass
class User:
    id: UUID
    role: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class Api:
    """A started API and shortcuts that go through HTTP like any client."""

    def __init__(self, client: TestClient):
        self.client = client

    @property
    def container(self) -> Container:
        return self.client.app.state.container  # type: ignore[attr-defined,no-any-return]

    def head(self) -> int:
        """The store's last position: unchanged means nothing was written."""
        return self.container.app.max_position()

    def request(self, method: str, path: str, headers: dict[str, str] | None = None,
                **kwargs: Any) -> Any:
        return self.client.request(method, "/api/v1" + path, headers=headers or ADMIN, **kwargs)

    def post(self, path: str, json: Any = None, headers: dict[str, str] | None = None,
             **kwargs: Any) -> Any:
        return self.request("POST", path, headers, json=json, **kwargs)

    def ok(self, method: str, path: str, json: Any = None,
           headers: dict[str, str] | None = None) -> dict[str, Any]:
        response = self.request(method, path, headers, json=json)
        assert response.status_code in (200, 201), response.text
        return response.json()  # type: ignore[no-any-return]

    def user(self, role: str, name: str | None = None) -> User:
        body = self.ok("POST", "/users", {"name": name or f"{role} {uuid4().hex[:6]}", "role": role})
        return User(UUID(body["id"]), role, body["token"])

    def customer(self, owner: User, **fields: Any) -> str:
        body = {"name": "Acme Dental", "tier": "growth", "owner_id": str(owner.id), **fields}
        return str(self.ok("POST", "/customers", body)["id"])

    def contract(self, customer_id: str, status: str = "draft", **fields: Any) -> str:
        body = {"customer_id": customer_id, "number": f"C-{uuid4().hex[:10]}", "amount": "12000.00",
                "currency": "EUR", "start_date": "2025-01-01", "end_date": "2025-12-31", **fields}
        contract_id = str(self.ok("POST", "/contracts", body)["id"])
        if status in ("signed", "active"):
            self.ok("POST", f"/contracts/{contract_id}/sign", {"signed_on": "2024-12-20"})
        if status == "active":
            self.ok("POST", f"/contracts/{contract_id}/activate", {"activated_on": "2025-01-01"})
        return contract_id

    def events(self, after: int = 0) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while True:
            page = self.ok("GET", f"/events?after={after}&limit=1000")
            out.extend(page["events"])
            if not page["events"]:
                return out
            after = page["next_after"]


def admin_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"admin_token": ADMIN_TOKEN})


@pytest.fixture
def api_settings(settings: Settings) -> Settings:
    return admin_settings(settings)


def started(settings: Settings, **kwargs: Any) -> TestClient:
    return TestClient(create_app(settings, run_projectors=False, **kwargs),
                      raise_server_exceptions=False)


@pytest.fixture
def api(api_settings: Settings) -> Iterator[Api]:
    with started(api_settings) as client:
        yield Api(client)
