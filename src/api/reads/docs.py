"""OpenAPI documentation shared by view reads: error statuses and the position header."""

from __future__ import annotations

from typing import Any

from api.openapi import problems
from api.reads.query import POSITION_HEADER

VIEW_ERRORS = (401, 403, 422, 500, 503)
POSITION_HEADER_DOC = {
    POSITION_HEADER: {
        "description": "The log position the answer reflects (same as the body's `position`).",
        "schema": {"type": "integer"},
    },
}


def view_responses(*extra: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a view read: 200 with X-View-Position, and its problems."""
    out = problems(*sorted(set(VIEW_ERRORS) | set(extra)))
    out[200] = {"headers": POSITION_HEADER_DOC}
    out[503]["headers"] = {"Retry-After": {
        "description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}}
    return out
