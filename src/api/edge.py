"""The request-size limit: a body over `max_body_bytes` is refused with 413 before it is
read whole (issue 10).

A pure ASGI middleware, so it sees the request before anything buffers it: a declared
`Content-Length` over the limit is answered at once, without reading a byte; a body
without one (chunked) is counted as it streams in, and the read stops at the first chunk
past the limit. The answer is `application/problem+json`, type `payload-too-large`.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import PROBLEM_MEDIA_TYPE, problem_body

DEFAULT_MAX_BODY_BYTES = 1_048_576


def too_large_detail(limit: int) -> str:
    return f"the request body is larger than {limit} bytes (CS_LEDGER_MAX_BODY_BYTES)"


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a streamed body passes the limit (FastAPI lets an
    HTTPException through its body parsing; api.problems answers it as problem+json)."""

    def __init__(self, limit: int):
        super().__init__(413, too_large_detail(limit))


class BodyLimit:
    def __init__(self, app: ASGIApp, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES):
        self.app = app
        self.limit = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            await self._refuse(scope, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        body = json.dumps(problem_body(413, "payload-too-large", too_large_detail(self.limit),
                                       scope.get("path", ""))).encode()
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]})
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None


def install_body_limit(app: Any, max_body_bytes: int) -> None:
    """Adds the limit to a FastAPI/Starlette app (outermost of the app's own middleware)."""
    app.add_middleware(BodyLimit, max_body_bytes=max_body_bytes)
