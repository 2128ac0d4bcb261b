"""Compare an API answer with what a query function returned, across the JSON boundary:
decimals (strings or numbers) compare as decimals, ids as text, dates and moments as
values."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def norm(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): norm(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [norm(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value)).normalize()
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        if _MOMENT.match(value):
            return datetime.fromisoformat(value)
        if _NUMBER.match(value) and not _DAY.match(value):
            try:
                return Decimal(value).normalize()
            except InvalidOperation:
                return value
    return value


def same(api: Any, expected: Any, where: str = "") -> None:
    """Asserts equality after normalising; names the first differing path."""
    a, e = norm(api), norm(expected)
    _walk(a, e, where or "$")


def _walk(a: Any, e: Any, path: str) -> None:
    if isinstance(e, dict):
        assert isinstance(a, dict), f"{path}: {a!r} is not an object"
        assert set(a) == set(e), f"{path}: keys {sorted(set(a) ^ set(e))} differ"
        for k in e:
            _walk(a[k], e[k], f"{path}.{k}")
    elif isinstance(e, list):
        assert isinstance(a, list) and len(a) == len(e), f"{path}: lengths differ"
        for i, (x, y) in enumerate(zip(a, e, strict=True)):
            _walk(x, y, f"{path}[{i}]")
    else:
        assert a == e, f"{path}: {a!r} != {e!r}"
