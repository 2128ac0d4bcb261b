"""Spreadsheet imports (`POST /imports/{kind}`) and their templates.

The file is read whole only up to the upload limit (413 beyond, judged from
Content-Length first). Parsing and validation live in :mod:`api.sheets`; this module
only maps them to HTTP: every bad row in one 422 problem with
``errors [{row, column, message}]``, nothing written.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.deps import ContainerDep, PrincipalDep
from api.openapi import problems
from api.permissions import Action, authorize
from api.problems import ApiProblem
from api.sheets.columns import KINDS, header_row
from api.sheets.files import MAX_BYTES
from api.sheets.importer import ImportRefused, run_import
from api.sheets.writers import XLSX_TYPE, sheet_response

router = APIRouter(prefix="/imports", tags=["imports"])
ALL_KINDS = ("customers", "contacts", "contracts", "usage", "risks", "tasks")
Kind = Annotated[str, Path(description="What the sheet holds: " + ", ".join(ALL_KINDS) + ".")]
CHUNK = 1 << 16


class ImportResult(BaseModel):
    kind: str
    rows: int = Field(description="Data rows in the sheet (the header excluded).")
    created: int
    updated: int
    unchanged: int
    ignored_columns: list[str] = Field(description="Headers no column of the kind matched.")
    position: int = Field(description="The log position of the import's last event (the "
                                      "head when nothing was written).")
    import_id: str | None = Field(description="The import's record (null when nothing was "
                                               "written): its event is followed by `events` "
                                               "events, the import's.")
    events: int
    dry_run: bool

    model_config = {"json_schema_extra": {"examples": [{
        "kind": "customers", "rows": 2, "created": 2, "updated": 0, "unchanged": 0,
        "ignored_columns": ["notes"], "position": 1207, "import_id": "6f1c…", "events": 4,
        "dry_run": False}]}}


class TooLarge(ApiProblem):
    def __init__(self) -> None:
        super().__init__(413, "payload-too-large",
                         f"the file is larger than the import limit of {MAX_BYTES} bytes")


def refused(error: ImportRefused) -> ApiProblem:
    """422 with every bad row; `field` repeats the column, as problem details name it."""
    return ApiProblem(422, "validation-error", error.detail,
                      errors=[{**e, "field": e["column"]} for e in error.errors])


def known_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ApiProblem(404, "not-found", f"kind {kind!r} is not an import kind "
                                           f"({', '.join(ALL_KINDS)})")


async def read_limited(file: UploadFile) -> bytes:
    data = bytearray()
    while chunk := await file.read(CHUNK):
        data.extend(chunk)
        if len(data) > MAX_BYTES:
            raise TooLarge()
    return bytes(data)


@router.post("/{kind}", response_model=ImportResult,
             responses=problems(400, 401, 403, 404, 413, 422))
async def import_sheet(
    kind: Kind, request: Request, file: UploadFile, container: ContainerDep,
    principal: PrincipalDep,
    dry_run: Annotated[bool, Query(description="Validate and count, write nothing.")] = False,
    idempotency_key: Annotated[str | None, Header(
        alias="Idempotency-Key", max_length=200,
        description="Accepted like on every write; an import needs none: it is idempotent "
                    "by its keys (the same file again writes nothing).")] = None,
) -> Any:
    """Import a CSV (UTF-8 with or without BOM, or GB18030) or XLSX sheet: every row is
    validated first; any bad row → 422 naming all of them, nothing written. Idempotent by
    each kind's key: the same file again writes nothing (docs/import.md)."""
    authorize(principal, Action.IMPORT_SHEETS)
    known_kind(kind)
    if int(request.headers.get("content-length") or 0) > MAX_BYTES + CHUNK:
        raise TooLarge()
    data = await read_limited(file)
    try:
        outcome = await run_in_threadpool(
            run_import, container.app, actor=principal.actor, kind=kind, data=data,
            file_name=file.filename or "", dry_run=dry_run)
    except ImportRefused as error:
        raise refused(error) from None
    return outcome.as_dict()


@router.get("/{kind}/template", responses={**problems(401, 403, 404, 422), 200: {
    "description": "An empty sheet with the headers",
    "content": {"text/csv": {}, XLSX_TYPE: {}}}}, response_class=Response)
def template(
    kind: Kind, principal: PrincipalDep,
    format: Annotated[Literal["csv", "xlsx"], Query(description="csv or xlsx")] = "csv",
    lang: Annotated[Literal["en", "zh"], Query(description="Header language.")] = "en",
) -> Response:
    """An empty sheet with the kind's headers, in English or Chinese."""
    authorize(principal, Action.READ)
    known_kind(kind)
    return sheet_response(format, header_row(KINDS[kind], lang), [], f"{kind}-template")
