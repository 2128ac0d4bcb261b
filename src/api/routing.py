"""Routers whose JSON bodies are read with exact decimals.

JSON numbers with a fraction are parsed as Decimal, so `1200.10` reaches the
domain as Decimal("1200.10") and never passes through a binary float.
NaN and Infinity, which Python's json accepts, are refused as malformed JSON.
Text with a NUL character (U+0000), in the body or the query, is refused with a
422 naming the field: PostgreSQL cannot store it in a text column (views,
idempotency records), so it must not reach the log.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from api.problems import problem
from api.sheets.export import export, wanted_format

NUL = "\x00"
NUL_MESSAGE = "must not contain the NUL character (U+0000)"


def _no_constants(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)


class DecimalJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            self._json = json.loads(body, parse_float=Decimal, parse_constant=_no_constants)
        return self._json


def nul_field(value: Any, path: tuple[str, ...] = ()) -> str | None:
    """The dotted path of the first text (or key) holding a NUL character, if any."""
    if isinstance(value, str):
        return ".".join(path) or "body" if NUL in value else None
    items: Any = value.items() if isinstance(value, dict) else (
        enumerate(value) if isinstance(value, list) else ())
    for key, item in items:
        here = (*path, str(key))
        if NUL in str(key):
            return ".".join(here)
        found = nul_field(item, here)
        if found is not None:
            return found
    return None


async def nul_problem(request: DecimalJSONRequest) -> Response | None:
    field = next((k for k, v in request.query_params.multi_items() if NUL in k or NUL in v),
                 None)
    if field is None and await request.body():
        try:
            field = nul_field(await request.json())
        except (ValueError, RecursionError):
            return None  # the route answers 400 for a body that is not JSON
    if field is None:
        return None
    return problem(422, "validation-error", f"{field}: {NUL_MESSAGE}", request.url.path,
                   errors=[{"field": field, "message": NUL_MESSAGE}])


class LedgerRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        sheets = "GET" in (self.methods or ()) and self.response_model is not None
        paged = any(p.name == "cursor" for p in self.dependant.query_params)

        async def decimal_handler(request: Request) -> Response:
            ledger_request = DecimalJSONRequest(request.scope, request.receive)
            refused = await nul_problem(ledger_request)
            if refused is not None:
                return refused
            fmt = wanted_format(request) if sheets else None
            if fmt is not None:  # a list read as CSV or XLSX (api.sheets.export)
                return await export(ledger_request, handler, self.response_model, fmt, paged)
            return await handler(ledger_request)

        return decimal_handler


def ledger_router(**kwargs: Any) -> APIRouter:
    return APIRouter(route_class=LedgerRoute, **kwargs)
