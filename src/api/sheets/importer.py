"""One import: read the sheet, validate every row, then save all of it in one commit.

:func:`run_import` parses each row's cells, refuses keys repeated inside the file, lets
the kind's planner act on the batch (the domain's rules check each row), and collects
every error as ``{row, column, message}`` (row = the sheet's line number, the header
being line 1). Any error: :class:`ImportRefused`, nothing written. Otherwise the import's
:class:`~cs_domain.imports.SheetImport` record and every changed aggregate are saved in
one commit (the record first: the ``events`` positions after it are the import's).
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from api.sheets.batch import Batch, RowError
from api.sheets.cells import CellError, is_blank
from api.sheets.columns import KINDS, Column, HeaderMap, cell_of, map_header
from api.sheets.files import Sheet, SheetError, read_sheet
from api.sheets.rows import FIELD_COLUMNS, KEYS, PLANNERS, Values, prefetch
from cs_domain.app import CustomerSuccess
from cs_domain.errors import DomainError, InvalidInput, TransitionNotAllowed
from cs_domain.imports import SheetImport

MAX_ERRORS = 1000
Progress = Callable[[int, int], None]


class ImportRefused(Exception):
    """The file, or some of its rows, cannot be imported; nothing was written."""

    def __init__(self, detail: str, errors: list[dict[str, Any]]):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


@dataclass
class ImportOutcome:
    kind: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    position: int = 0
    import_id: UUID | None = None
    events: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "rows": self.rows, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged,
                "ignored_columns": self.ignored_columns, "position": self.position,
                "import_id": None if self.import_id is None else str(self.import_id),
                "events": self.events, "dry_run": self.dry_run}


class Errors:
    def __init__(self, header: HeaderMap):
        self.header = header
        self.items: list[dict[str, Any]] = []

    def add(self, row: int, column: str, message: str) -> None:
        if len(self.items) < MAX_ERRORS:
            self.items.append({"row": row, "column": self.header.written.get(column, column),
                               "message": message})

    def domain(self, row: int, error: DomainError) -> None:
        if isinstance(error, InvalidInput):
            for e in error.errors:
                self.add(row, FIELD_COLUMNS.get(e.field, e.field), e.message)
        elif isinstance(error, TransitionNotAllowed):
            self.add(row, "status", str(error))
        else:
            self.add(row, "row", str(error))


def parse_row(columns: tuple[Column, ...], header: HeaderMap, line: int, cells: list[Any],
              errors: Errors) -> Values | None:
    values: Values = {}
    ok = True
    for column in columns:
        raw = cell_of(cells, header.index.get(column.name))
        if is_blank(raw):
            if column.required:
                errors.add(line, column.name, "is required")
                ok = False
            values[column.name] = None
            continue
        try:
            values[column.name] = column.parse(raw)
        except CellError as error:
            errors.add(line, column.name, str(error))
            ok = False
    return values if ok else None


def ordered(kind: str, rows: list[tuple[int, Values]]) -> list[tuple[int, Values]]:
    """Contracts after the contract they renew (a chain in any order in the file)."""
    if kind != "contracts":
        return rows
    by_number = {v["number"].casefold(): v for _, v in rows}

    def depth(v: Values) -> int:
        seen = 0
        while v.get("renews") and v["renews"].casefold() in by_number and seen <= len(rows):
            v = by_number[v["renews"].casefold()]
            seen += 1
        return seen
    return sorted(rows, key=lambda item: depth(item[1]))


def plan(app: CustomerSuccess, actor: str, kind: str, sheet: Sheet,
         progress: Progress | None = None) -> tuple[Batch, ImportOutcome]:
    columns = KINDS[kind]
    header = map_header(columns, sheet.header)
    errors = Errors(header)
    for name in header.missing:
        errors.add(1, name, "column is missing")
    if errors.items:
        raise ImportRefused("the sheet lacks required columns", errors.items)
    parsed: list[tuple[int, Values]] = []
    first_line: dict[object, int] = {}
    for line, cells in sheet.rows:
        values = parse_row(columns, header, line, cells, errors)
        if values is None:
            continue
        key = KEYS[kind](values)
        if key in first_line:
            errors.add(line, columns[0].name, f"repeats the key of line {first_line[key]}")
            continue
        first_line[key] = line
        parsed.append((line, values))
    batch = Batch(app, actor)
    prefetch(batch, kind, [v for _, v in parsed])
    outcome = ImportOutcome(kind, len(sheet.rows), ignored_columns=header.ignored)
    for done, (line, values) in enumerate(ordered(kind, parsed), start=1):
        try:
            result = PLANNERS[kind](batch, values)
        except RowError as error:
            errors.add(line, error.column, error.message)
        except DomainError as error:
            errors.domain(line, error)
        else:
            setattr(outcome, result, getattr(outcome, result) + 1)
        if progress is not None:
            progress(done, len(parsed))
    if errors.items:
        errors.items.sort(key=lambda e: e["row"])
        raise ImportRefused(f"{len({e['row'] for e in errors.items})} rows cannot be imported",
                            errors.items)
    return batch, outcome


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pauses the cyclic garbage collector: an import builds ~10^5 event objects that all
    stay alive until the commit, and every full collection would walk all of them again
    (the time grew with the square of the rows). Reference counting still frees garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_import(app: CustomerSuccess, *, actor: str, kind: str, data: bytes, file_name: str = "",
               dry_run: bool = False, progress: Progress | None = None) -> ImportOutcome:
    with no_cyclic_gc():
        return _run_import(app, actor, kind, data, file_name, dry_run, progress)


def _run_import(app: CustomerSuccess, actor: str, kind: str, data: bytes, file_name: str,
                dry_run: bool, progress: Progress | None) -> ImportOutcome:
    if kind not in KINDS:
        raise ImportRefused(f"unknown kind {kind!r}", [
            {"row": 0, "column": "kind", "message": f"must be one of: {', '.join(KINDS)}"}])
    try:
        sheet = read_sheet(data, file_name)
    except SheetError as error:
        raise ImportRefused(f"the file {error}", [
            {"row": 0, "column": "file", "message": str(error)}]) from None
    batch, outcome = plan(app, actor, kind, sheet, progress)
    outcome.events = batch.pending_events()
    outcome.dry_run = dry_run
    if dry_run or outcome.events == 0:
        outcome.position = app.max_position()
        return outcome
    record = SheetImport.record(
        actor=actor, kind=kind, file_name=file_name, file_sha256=hashlib.sha256(data).hexdigest(),
        rows=outcome.rows, created=outcome.created, updated=outcome.updated,
        unchanged=outcome.unchanged, events=outcome.events, import_id=uuid4())
    outcome.position = app.commit(record, *batch.aggregates())
    outcome.import_id = record.id
    return outcome
