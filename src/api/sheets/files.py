"""Reading an uploaded sheet: CSV (UTF-8 with or without BOM, else GB18030) or XLSX.

:func:`read_sheet` returns the header row and the data rows with their sheet line
numbers (the header is line 1). Blank rows are skipped but keep their numbers.
Anything that is neither (a PDF, an image, a zip of something else) is refused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from api.sheets.cells import is_blank

MAX_BYTES = 20 * 1024 * 1024  # the default upload limit (settable per call)
MAX_ROWS = 200_000
MAX_COLUMNS = 100
XLSX_MAGIC = b"PK\x03\x04"


class SheetError(ValueError):
    """The file as a whole cannot be read (its type, encoding, emptiness)."""


@dataclass(frozen=True)
class Sheet:
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (line number, cells)


def decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise SheetError("is neither UTF-8 nor GB18030 text") from None


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    content = decode_csv(data)
    if "\x00" in content:
        raise SheetError("is not a CSV or XLSX file")
    try:
        yield from csv.reader(io.StringIO(content, newline=""))
    except csv.Error as error:
        raise SheetError(f"is not valid CSV ({error})") from None


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows: list[list[Any]] = []
        for values in workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS + 1,
                                                       values_only=True):
            cells = list(values)
            while cells and cells[-1] is None:  # max_col pads every row with empty cells
                cells.pop()
            rows.append(cells)
            if len(rows) > MAX_ROWS + 1:  # a zip bomb stops here, not in memory
                break
        workbook.close()
    except Exception as error:  # untrusted bytes: any failure to parse is "not a workbook"
        raise SheetError(f"is not a readable XLSX workbook ({type(error).__name__})") from None
    yield from rows


def read_sheet(data: bytes, filename: str = "") -> Sheet:
    name = filename.lower()
    if not data:
        raise SheetError("is empty")
    is_xlsx = data.startswith(XLSX_MAGIC)
    if name.endswith((".xlsx", ".xlsm")) != is_xlsx and name.endswith((".xlsx", ".xlsm", ".csv")):
        raise SheetError("does not hold what its name says (.csv must be text, .xlsx a workbook)")
    if name and not name.endswith((".xlsx", ".xlsm", ".csv", ".txt")):
        raise SheetError("must be a .csv or .xlsx file")
    lines = enumerate(_xlsx_rows(data) if is_xlsx else _csv_rows(data), start=1)
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for line, cells in lines:
        if header is None:
            if all(is_blank(c) for c in cells):
                continue
            header = ["" if c is None else str(c).strip().lstrip("\ufeff") for c in cells]
            if len(header) > MAX_COLUMNS:
                raise SheetError(f"has more than {MAX_COLUMNS} columns")
            continue
        if all(is_blank(c) for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise SheetError(f"has more than {MAX_ROWS} rows")
        rows.append((line, cells))
    if header is None:
        raise SheetError("is empty (no header row)")
    return Sheet(header, rows)
