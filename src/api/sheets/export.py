"""Every list read as CSV or XLSX: one mechanism on the route class, not per route.

:class:`~api.routing.LedgerRoute` hands a GET to :func:`export` when the request asks
for a sheet (``?format=csv|xlsx`` or ``Accept: text/csv`` / the XLSX media type) and
the route's response model holds a list of items. The route runs exactly as for JSON
(same filters, ``as_of``, permissions, errors as problem+json); its items become one
row each, columns taken from the response model (nested objects flattened as
``health.score``, lists as JSON text). Cursor-paged reads are walked page by page
(``limit`` = the largest page) while the body streams, so memory holds one page.
A read without a list (one item, metrics) answers 406.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from typing_extensions import is_typeddict

from api.problems import problem
from api.sheets.labels import header_labels, request_lang
from api.sheets.writers import CSV_TYPE, XLSX_TYPE, XlsxSheet, csv_chunks

Handler = Callable[[Request], Awaitable[Response]]
PAGE_LIMIT = "500"
# The body fields that hold a read's list: `items`, or the lifecycle board's phases (whose
# customers are the rows). A read with neither (one item, metrics) is not a list.
LIST_FIELDS = ("items", "phases")


@dataclass(frozen=True)
class Layout:
    """Where the items are in the body (`items`, or `phases` → `customers`) and the columns."""

    path: tuple[str, ...]
    columns: tuple[str, ...]


def wanted_format(request: Request) -> str | None:
    fmt = request.query_params.get("format")
    if fmt in ("csv", "xlsx"):
        return fmt
    accept = request.headers.get("accept", "")
    if "text/csv" in accept:
        return "csv"
    if XLSX_TYPE in accept:
        return "xlsx"
    return None


def _unwrap(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _model(annotation: Any) -> type | None:
    """A pydantic model or (the views' query results, ADR 0008) a TypedDict; else None."""
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and (issubclass(annotation, BaseModel)
                                         or is_typeddict(annotation)):
        return annotation
    return None


def _fields(model: type) -> dict[str, Any]:
    """Field name → annotation, of a pydantic model or a TypedDict."""
    if issubclass(model, BaseModel):
        return {name: info.annotation for name, info in model.model_fields.items()}
    return typing.get_type_hints(model)


def _list_model(annotation: Any) -> type | None:
    annotation = _unwrap(annotation)
    if get_origin(annotation) in (list, typing.List):  # noqa: UP006
        return _model(get_args(annotation)[0])
    return None


def columns_of(model: type, prefix: str = "") -> list[str]:
    out: list[str] = []
    for name, annotation in _fields(model).items():
        nested = _model(annotation)
        if nested is not None:
            out.extend(columns_of(nested, f"{prefix}{name}."))
        else:
            out.append(prefix + name)
    return out


def layout_of(response_model: Any) -> Layout | None:
    model = _model(response_model)
    if model is None:
        return None
    fields = _fields(model)
    for name in LIST_FIELDS:
        item = _list_model(fields[name]) if name in fields else None
        if item is None:
            continue
        inner = [(n, _list_model(a)) for n, a in _fields(item).items()]
        exploded = [(n, m) for n, m in inner if m is not None and n not in ("steps", "outcomes")]
        if name != "items" and exploded:
            return Layout((name, exploded[0][0]), tuple(columns_of(exploded[0][1])))
        return Layout((name,), tuple(columns_of(item)))
    return None


def items_of(body: dict[str, Any], path: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    level: list[Any] = body.get(path[0]) or []
    for entry in level:
        if len(path) == 1:
            yield entry
        else:
            yield from entry.get(path[1]) or []


def cell(item: dict[str, Any], column: str) -> Any:
    value: Any = item
    for part in column.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _page_request(request: Request, cursor: str | None) -> Request:
    params = [(k, v) for k, v in request.query_params.multi_items()
              if k not in ("format", "cursor", "lang")]
    if cursor is not None:
        params.append(("cursor", cursor))
    if "limit" not in dict(params):
        params.append(("limit", PAGE_LIMIT))
    scope = dict(request.scope)
    scope["query_string"] = urlencode(params).encode()
    scope["headers"] = [(k, v) for k, v in request.scope["headers"] if k != b"accept"]
    return Request(scope, request.receive)


async def _pages(handler: Handler, request: Request, first: dict[str, Any], paged: bool
                 ) -> AsyncIterator[dict[str, Any]]:
    body = first
    while True:
        yield body
        cursor = body.get("next_cursor")
        if not paged or not cursor:
            return
        response = await handler(_page_request(request, cursor))
        body = json.loads(bytes(response.body))


async def export(request: Request, handler: Handler, response_model: Any, fmt: str,
                 paged: bool) -> Response:
    layout = layout_of(response_model)
    if layout is None:
        return problem(406, "not-acceptable", "this read is not a list: ask for JSON",
                       request.url.path)
    response = await handler(_page_request(request, None) if paged else request)
    if response.status_code != 200:
        return response
    first = json.loads(bytes(response.body))
    header = header_labels(layout.columns, request_lang(request))

    name = request.url.path.rstrip("/").rsplit("/", 1)[-1] or "export"

    async def body() -> AsyncIterator[bytes]:
        xlsx = XlsxSheet(header, name) if fmt == "xlsx" else None
        async for page in _pages(handler, request, first, paged):
            block = [[cell(item, c) for c in layout.columns] for item in items_of(page, layout.path)]
            if xlsx is not None:
                for row in block:
                    xlsx.append(row)
                continue
            for chunk in _encode(header if page is first else None, block):
                yield chunk
        if xlsx is not None:
            for chunk in xlsx.chunks():
                yield chunk

    extra = {"X-View-Position": response.headers.get("X-View-Position", "")}
    return StreamingResponse(body(), media_type=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE,
                             headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"',
                                      **extra})


def _encode(header: list[str] | None, block: list[list[Any]]) -> Iterator[bytes]:
    chunks = csv_chunks(header or [], block)
    first = next(chunks)
    if header is not None:
        yield first
    yield from chunks
