"""Routers whose JSON bodies are read with exact decimals.

JSON numbers with a fraction are parsed as Decimal, so `1200.10` reaches the
domain as Decimal("1200.10") and never passes through a binary float.
NaN and Infinity, which Python's json accepts, are refused as malformed JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute


def _no_constants(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)


class DecimalJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            self._json = json.loads(body, parse_float=Decimal, parse_constant=_no_constants)
        return self._json


class LedgerRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def decimal_handler(request: Request) -> Response:
            return await handler(DecimalJSONRequest(request.scope, request.receive))

        return decimal_handler


def ledger_router(**kwargs: Any) -> APIRouter:
    return APIRouter(route_class=LedgerRoute, **kwargs)
