"""OpenAPI documentation of errors: problem details with an example per status.

Routes declare their error statuses with :func:`problems`; :func:`finalize`
moves error bodies to `application/problem+json` and adds the shared ones.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api.problems import PROBLEM_MEDIA_TYPE, problem_body
from api.schemas.problems import Problem

_EXAMPLE_PATH = "/api/v1/contracts/3f1c9a0e-5b7d-4c2a-9e8f-1a2b3c4d5e6f/renew"
EXAMPLES: dict[int, tuple[str, str, str, dict[str, Any]]] = {
    400: ("Malformed JSON", "malformed-json",
          "the request body is not valid JSON: Expecting value at position 12", {}),
    401: ("No or unknown bearer token", "unauthorized",
          "send a bearer token: Authorization: Bearer <token>", {}),
    403: ("The role may not do this", "forbidden",
          "role analyst may not draft, sign, activate, renewal intent, renew, churn, terminate", {}),
    404: ("Unknown id", "not-found", "contract 3f1c9a0e-5b7d-4c2a-9e8f-1a2b3c4d5e6f not found", {}),
    409: ("The current state forbids it", "transition-not-allowed",
          "cannot renew a contract that is draft", {"state": "draft"}),
    412: ("Stale If-Match", "stale-version", "expected version 2, current version is 3",
          {"expected_version": 2, "current_version": 3}),
    413: ("The upload is larger than its limit", "payload-too-large",
          "the file is larger than the import limit of 20971520 bytes", {}),
    415: ("Body is not JSON", "unsupported-media-type", "send the request body as application/json",
          {}),
    422: ("Invalid input", "validation-error", "amount: must be a decimal greater than 0",
          {"errors": [{"field": "amount", "message": "must be a decimal greater than 0"}]}),
    500: ("Unexpected failure (logged, no details)", "internal-error",
          "an unexpected error occurred; it was logged as 5f0c…", {"error_id": "5f0c…"}),
    503: ("The view has not reached `min_position` in time, or has failed (see Retry-After)",
          "view-lagging", "the views have not reached position 1042 within 5 s (they are at "
          "1040); retry shortly", {"view_position": 1040}),
}

READ_ERRORS = (401, 403, 422, 500)
WRITE_ERRORS = (400, 401, 403, 404, 409, 412, 415, 422, 500)
CREATE_ERRORS = (400, 401, 403, 409, 415, 422, 500)


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry documenting these error statuses."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        description, slug, detail, extra = EXAMPLES[status]
        out[status] = {
            "model": Problem, "description": description,
            "content": {PROBLEM_MEDIA_TYPE: {
                "example": problem_body(status, slug, detail, _EXAMPLE_PATH, **extra)}},
        }
    return out


def finalize(app: FastAPI) -> dict[str, Any]:
    """Builds the schema once, with error bodies under application/problem+json."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description,
                         routes=app.routes, tags=app.openapi_tags)
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status.isdigit() and int(status) >= 400 and "application/json" in content:
                    plain = content.pop("application/json")
                    content.setdefault(PROBLEM_MEDIA_TYPE, {}).update(plain)
    app.openapi_schema = schema
    return schema
