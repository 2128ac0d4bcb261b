"""Fixtures of the read-endpoint tests: the real app with its projectors, on both stores.

`live` runs the projectors in the API process (the default of create_app); `readonly`
runs none, so nothing moves the views unless a test drives a projector itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.app import create_app
from cs_store.settings import Settings
from tests.api.conftest import ADMIN, Api, TestClient


class ReadApi(Api):
    """An API client with read helpers: `read` waits for the last write by default."""

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get("/api/v1" + path, headers=headers or ADMIN, params=params)

    def read(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        params.setdefault("min_position", self.head())
        response = self.get(path, headers, **params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert response.headers["X-View-Position"] == str(body["position"])
        return body


def started_with(settings: Settings, *, run_projectors: bool) -> TestClient:
    return TestClient(create_app(settings, run_projectors=run_projectors),
                      raise_server_exceptions=False)


@pytest.fixture
def live(api_settings: Settings) -> Iterator[ReadApi]:
    with started_with(api_settings, run_projectors=True) as client:
        yield ReadApi(client)


@pytest.fixture
def readonly(api_settings: Settings) -> Iterator[ReadApi]:
    fast = api_settings.model_copy(update={"min_position_timeout": 0.3})
    with started_with(fast, run_projectors=False) as client:
        yield ReadApi(client)
