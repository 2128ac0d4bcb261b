"""What every list query shares: its error (→ 422 naming the field), the page size bound
and the opaque cursor codec. Imports nothing from the views, so any view may use it."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

MAX_LIMIT = 500


class InvalidQuery(ValueError):
    """A filter or cursor the list cannot use; `field` names it (for a 422)."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}")


def check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidQuery("limit", f"must be between 1 and {MAX_LIMIT}")


def encode_cursor(*values: Any) -> str:
    """An opaque cursor from the sort key of the last item of a page (names, dates, ids)."""
    raw = json.dumps([str(v) for v in values], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> list[str]:
    """The `width` strings of a cursor made by `encode_cursor`, or InvalidQuery("cursor")."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, binascii.Error):
        values = None
    if not isinstance(values, list) or len(values) != width or not all(
            isinstance(v, str) for v in values):
        raise InvalidQuery("cursor", "is not a cursor this list returned")
    return values
