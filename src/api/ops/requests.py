"""Per request: a request id, one JSON log line, latency and command metrics.

The id is the caller's `X-Request-ID` when it is sane (1-128 characters of
`A-Z a-z 0-9 . _ : -`), else a new one; it is returned as `X-Request-ID` on every answer
(errors, 401, 404, 413 and 500 included: this wrapper sits outside Starlette's error
middleware) and is in the log line (`request_id`), and in `request.state.request_id`.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from fastapi import FastAPI
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.ops.metrics import WRITE_METHODS, Metrics

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
log = logging.getLogger("cs_ledger.requests")


def route_template(scope: Scope) -> str:
    """The matched route's path template (bounded label values): FastAPI's routes leave
    themselves in the scope; others (/openapi.json, the docs' assets) are looked up."""
    route: Any = scope.get("route")
    if route is None:
        app: Any = scope.get("app")
        for candidate in getattr(app, "routes", ()):
            if candidate.matches(scope)[0] == Match.FULL:
                route = candidate
                break
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not template:
        return "<unmatched>"
    return _included_prefix(scope.get("path", ""), route) + template


def _included_prefix(path: str, route: Any) -> str:
    """The literal prefix a route was included under (FastAPI may keep the route's own
    path in the scope, e.g. `/users` for `/api/v1/users`)."""
    regex = getattr(route, "path_regex", None)
    if regex is None or regex.match(path):
        return ""
    for cut, char in enumerate(path):
        if char == "/" and cut and regex.match(path[cut:]):
            return path[:cut]
    return ""


def request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if SANE_ID.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex


class RequestContext:
    """Pure ASGI (no buffering): wraps the whole app, error middleware included."""

    def __init__(self, app: ASGIApp, metrics: Metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(scope)
        scope.setdefault("state", {})["request_id"] = rid
        header = (HEADER.lower().encode(), rid.encode())
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [h for h in message.get("headers", []) if h[0].lower() != header[0]]
                message["headers"] = [*headers, header]
            await send(message)

        failed = False
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            failed = True
            raise
        finally:
            self._done(scope, rid, status, time.perf_counter() - started, failed)

    def _done(self, scope: Scope, rid: str, status: int, seconds: float, failed: bool) -> None:
        method = scope["method"] if scope["method"] in METHODS else "OTHER"
        template = route_template(scope)
        command = None
        if method in WRITE_METHODS and template.startswith("/api/"):
            command = getattr(scope.get("route"), "name", None) or template
        self.metrics.observe(method, template, command, status, seconds)
        client = scope.get("client")
        log.log(logging.ERROR if status >= 500 else logging.INFO, "request", extra={
            "request_id": rid, "method": method, "path": scope.get("path", "")[:300],
            "route": template, "status": status, "duration_ms": round(seconds * 1000, 2),
            "client": client[0] if client else None, "unhandled_error": failed,
        })


def install_request_context(api: FastAPI, metrics: Metrics) -> None:
    """Puts RequestContext outside the whole middleware stack (Starlette always builds
    its ServerErrorMiddleware outermost, and that one answers the 500s)."""
    build = api.build_middleware_stack

    def build_with_context() -> ASGIApp:
        return RequestContext(build(), metrics)

    api.build_middleware_stack = build_with_context  # type: ignore[method-assign]
