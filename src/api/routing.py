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
import re
from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from api.deps import authenticate_first, current_principal
from api.problems import problem
from api.sheets.export import export, wanted_format

NUL = "\x00"
SURROGATE = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 32  # levels of JSON nesting; the deepest command body has 4
NUL_MESSAGE = "must not contain the NUL character (U+0000)"


def _no_constants(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)


def parse_json(body: bytes) -> Any:
    """The body as JSON with exact decimals, or JSONDecodeError (→ 400 malformed-json) for
    anything no view or store could hold: invalid UTF-8, a lone surrogate (`\\ud800`),
    nesting deeper than MAX_DEPTH, NaN/Infinity."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise json.JSONDecodeError("the body is not valid UTF-8", "", error.start) from None
    try:
        value = json.loads(text, parse_float=Decimal, parse_constant=_no_constants)
    except RecursionError:
        raise json.JSONDecodeError(f"nested deeper than {MAX_DEPTH} levels", "", 0) from None
    problem_text = unstorable(value)
    if problem_text is not None:
        raise json.JSONDecodeError(problem_text, "", 0)
    return value


def unstorable(value: Any) -> str | None:
    """Why a parsed body cannot be stored (too deep, a lone surrogate), if it cannot.
    Iterative, so a deep body cannot exhaust the stack here."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(value, ())]
    while stack:
        item, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return f"nested deeper than {MAX_DEPTH} levels at {'.'.join(path[:MAX_DEPTH])}"
        if isinstance(item, str) and SURROGATE.search(item):
            return f"a lone surrogate (not a character) in {'.'.join(path) or 'body'}"
        pairs: Any = item.items() if isinstance(item, dict) else (
            enumerate(item) if isinstance(item, list) else ())
        for key, child in pairs:
            if isinstance(key, str) and SURROGATE.search(key):
                return f"a lone surrogate (not a character) in a key of {'.'.join(path) or 'body'}"
            stack.append((child, (*path, str(key))))
    return None


class DecimalJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = parse_json(await self.body())
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


def needs_principal(dependant: Dependant) -> bool:
    return any(d.call is current_principal or needs_principal(d) for d in dependant.dependencies)


class LedgerRoute(APIRoute):
    """Reads bodies with exact decimals, refuses NUL characters, and authenticates before
    it reads the body: an unauthenticated request is answered 401 without parsing it."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        authenticated = needs_principal(self.dependant)
        sheets = "GET" in (self.methods or ()) and self.response_model is not None
        paged = any(p.name == "cursor" for p in self.dependant.query_params)

        async def decimal_handler(request: Request) -> Response:
            ledger_request = DecimalJSONRequest(request.scope, request.receive)
            if authenticated:
                await authenticate_first(ledger_request)
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
