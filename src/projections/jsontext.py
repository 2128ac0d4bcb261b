"""Canonical JSON text for view columns that hold small structures (stages, components).

The same value must always give the same text: rebuild verification compares stored
versions, and a put whose data did not change must write nothing. Decimals are kept
exact as strings and dates as ISO strings.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} as JSON text")


def dumps(value: Any) -> str:
    return json.dumps(value, default=_plain, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def decimals(text: str | None) -> dict[str, Decimal]:
    """A stored {name: decimal string} map, read back as Decimals."""
    return {k: Decimal(v) for k, v in (loads(text) or {}).items()}


def day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)
