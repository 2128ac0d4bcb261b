"""Every error leaves the API as `application/problem+json` (RFC 9457).

Maps request-validation errors, malformed JSON, unknown routes, wrong methods,
our API refusals (401/403/...), domain errors and unexpected failures to problem
details. Unexpected failures are logged with an error id; clients get the id,
never a stack trace.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, params
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from cs_domain.errors import (
    ConcurrencyConflict,
    DomainError,
    DuplicateKey,
    InvalidInput,
    NotFound,
    StaleVersion,
    TransitionNotAllowed,
)

PROBLEM_BASE = "https://cs-ledger.dev/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("api.errors")

# slug → title: the catalogue of problem types (documented in docs/api.md).
TITLES = {
    "validation-error": "Invalid input",
    "malformed-json": "Malformed JSON",
    "unsupported-media-type": "Unsupported media type",
    "malformed-body": "Malformed request body",
    "payload-too-large": "Request body too large",
    "not-acceptable": "Not acceptable",
    "unauthorized": "Authentication required",
    "forbidden": "Not allowed",
    "not-found": "Not found",
    "method-not-allowed": "Method not allowed",
    "transition-not-allowed": "Transition not allowed",
    "duplicate-key": "Already taken",
    "concurrency-conflict": "Concurrent change",
    "idempotency-in-progress": "Request in progress",
    "idempotency-key-reused": "Idempotency key reused",
    "stale-version": "Stale version",
    "internal-error": "Internal server error",
    "view-lagging": "View not up to date yet",
    "churn-model-not-trained": "No churn model trained yet: train first",
    "view-failed": "View failed",
    "view-not-ready": "Views not ready",
}


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_MEDIA_TYPE


class ApiProblem(Exception):
    """A refusal decided by the API layer (authentication, permission, idempotency...)."""

    def __init__(self, status: int, slug: str, detail: str, *,
                 headers: Mapping[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.headers = dict(headers or {})
        self.extra = extra


def problem_body(status: int, slug: str, detail: str, instance: str, **extra: Any) -> dict[str, Any]:
    title = TITLES.get(slug) or HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug if slug in TITLES else "about:blank",
        "title": title, "status": status, "detail": detail, "instance": instance,
    }
    body.update(extra)
    return body


def problem(status: int, slug: str, detail: str, instance: str, *,
            headers: Mapping[str, str] | None = None, **extra: Any) -> ProblemResponse:
    return ProblemResponse(problem_body(status, slug, detail, instance, **extra), status_code=status,
                           headers=dict(headers or {}))


_INDEX = re.compile(r"\[(\d+)\]")


def api_field(name: str) -> str:
    """The domain's field name in the API's dotted-path convention.

    The domain names list items `todos[1].assignee_id`; request validation (and the
    docs) say `todos.1.assignee_id`. This is the one place the two are reconciled.
    """
    return _INDEX.sub(r".\1", name)


def field_errors(errors: Sequence[Any]) -> list[dict[str, str]]:
    return [{"field": api_field(e.field), "message": e.message} for e in errors]


def domain_problem(error: DomainError, instance: str) -> ProblemResponse:
    """The response for a command the domain refused (nothing was written)."""
    if isinstance(error, InvalidInput):
        fields = field_errors(error.errors)
        detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        return problem(422, "validation-error", detail, instance, errors=fields)
    if isinstance(error, NotFound):
        return problem(404, "not-found", str(error), instance)
    if isinstance(error, TransitionNotAllowed):
        return problem(409, "transition-not-allowed", str(error), instance, state=error.state)
    if isinstance(error, DuplicateKey):
        return problem(409, "duplicate-key", str(error), instance, field=error.field)
    if isinstance(error, ConcurrencyConflict):
        return problem(409, "concurrency-conflict", str(error), instance)
    if isinstance(error, StaleVersion):
        return problem(412, "stale-version", str(error), instance,
                       expected_version=error.expected, current_version=error.actual)
    return problem(422, "validation-error", str(error), instance, errors=[])


def api_problem(error: ApiProblem, instance: str) -> ProblemResponse:
    return problem(error.status, error.slug, error.detail, instance, headers=error.headers,
                   **error.extra)


# --- request validation ----------------------------------------------------------
def dotted_field(loc: Sequence[Any]) -> str:
    """("body", "todos", 0, "due_date") → "todos.0.due_date"; ("query", "limit") → "limit"."""
    parts = [str(p) for p in loc]
    if len(parts) > 1 and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def clean_message(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def _is_json_content(request: Request) -> bool:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def _takes_form(request: Request) -> bool:
    """Whether the matched route reads a form (an upload): its body errors name fields."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    return any(isinstance(getattr(p, "field_info", None), params.Form)
               for p in getattr(dependant, "body_params", ()))


def validation_problem(request: Request, exc: RequestValidationError) -> ProblemResponse:
    errors = list(exc.errors())
    instance = request.url.path
    for error in errors:
        if error.get("type") == "json_invalid":
            reason = (error.get("ctx") or {}).get("error", "invalid JSON")
            position = error["loc"][-1] if error.get("loc") else "?"
            return problem(400, "malformed-json",
                           f"the request body is not valid JSON: {reason} at position {position}",
                           instance)
    has_body = request.headers.get("content-length", "0") not in {"", "0"} or \
        "transfer-encoding" in request.headers
    if has_body and not _is_json_content(request) and not _takes_form(request) and any(
        tuple(e.get("loc", ()))[:1] == ("body",) for e in errors
    ):
        return problem(415, "unsupported-media-type",
                       "send the request body as application/json", instance)
    fields = [{"field": dotted_field(e.get("loc", ())), "message": clean_message(str(e.get("msg")))}
              for e in errors]
    detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
    return problem(422, "validation-error", detail, instance, errors=fields)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> str:
    """Every method some route answers at this path (Starlette's 405 names only the
    methods of the first route whose path matched, e.g. `PATCH` where `GET` is allowed
    too). Asks each route as the router would, so nested routers are covered."""
    routes = request.app.router.routes
    allowed = [method for method in METHODS
               if any(route.matches({**request.scope, "method": method})[0] is Match.FULL
                      for route in routes)]
    return ", ".join(allowed)


# --- installing the handlers ---------------------------------------------------------
def install_problem_handlers(app: FastAPI) -> None:
    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return validation_problem(request, exc)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        path = request.url.path
        headers = dict(exc.headers or {})
        if exc.status_code == 404:
            return problem(404, "not-found", f"no resource at {request.method} {path}", path,
                           headers=headers)
        if exc.status_code == 405:
            allowed = allowed_methods(request) or headers.get("Allow", "")
            headers["Allow"] = allowed
            return problem(405, "method-not-allowed",
                           f"{request.method} is not allowed here; allowed: {allowed}", path,
                           headers=headers)
        if exc.status_code == 413:
            return problem(413, "payload-too-large", str(exc.detail), path, headers=headers)
        if exc.status_code == 400:  # e.g. an upload whose multipart body cannot be parsed
            return problem(400, "malformed-body", str(exc.detail), path, headers=headers)
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return problem(exc.status_code, "", detail, path, headers=headers)

    async def on_domain(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DomainError)
        return domain_problem(exc, request.url.path)

    async def on_api(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiProblem)
        return api_problem(exc, request.url.path)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        error_id = uuid.uuid4().hex
        log.error("unexpected error %s on %s %s", error_id, request.method, request.url.path,
                  exc_info=exc)
        return problem(500, "internal-error",
                       f"an unexpected error occurred; it was logged as {error_id}",
                       request.url.path, error_id=error_id)

    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(DomainError, on_domain)
    app.add_exception_handler(ApiProblem, on_api)
    app.add_exception_handler(Exception, on_unexpected)
