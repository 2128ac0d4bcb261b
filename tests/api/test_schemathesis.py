"""Property-based checks of the whole API against its own OpenAPI document (schemathesis).

Every operation gets generated requests, valid and invalid, sent with an admin
token to the real app; no response may be a 5xx or break the documented schema
(status code, content type, headers, body).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from cs_store.settings import Settings
from tests.api.conftest import ADMIN, TestClient


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("-inf")


def no_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    """No 5xx, except the documented read-your-writes refusal: a `min_position` beyond the
    log's last position (no write returned it) is 503 view-lagging with Retry-After."""
    headers = {name.lower() for name in response.headers}
    if response.status_code == 503 and "retry-after" in headers:
        body = response.json()
        asked = str((case.query or {}).get("min_position", ""))
        if body.get("type", "").endswith("/view-lagging") and "head" in body \
                and _number(asked) > body["head"]:
            return None
    return not_a_server_error(ctx, response, case)  # type: ignore[no-any-return]


CHECKS = [no_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
MAX_EXAMPLES = 8


@pytest.fixture
def running(api_settings: Settings) -> Iterator[FastAPI]:
    # With the projectors, as a served API runs: view reads wait for them, not time out.
    app = create_app(api_settings, run_projectors=True)
    with TestClient(app):
        yield app


def without_lifespan(app: FastAPI) -> Any:
    """The started app, seen by schemathesis without a lifespan of its own to run."""

    async def served(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            raise RuntimeError("the test runs the lifespan")
        await app(scope, receive, send)

    return served


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_openapi(running: FastAPI, mode: GenerationMode):
    schema = schemathesis.openapi.from_asgi("/openapi.json", without_lifespan(running))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            response = case.call(headers=ADMIN)
            case.validate_response(response, checks=CHECKS, headers=ADMIN)

        check()
