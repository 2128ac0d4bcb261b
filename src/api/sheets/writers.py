"""Writing sheets: CSV (UTF-8 with BOM, so Excel reads the Chinese right) or XLSX.

Both take the rows as an iterable and hold one row at a time: CSV is yielded as it
is written; XLSX goes through openpyxl's write-only workbook into a spooled temporary
file, then is streamed. Decimal amounts arrive as decimal strings and stay text, so
no binary float ever rounds them.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi.responses import StreamingResponse

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPOOL = 8 * 1024 * 1024
CHUNK = 1 << 16


def csv_chunks(header: list[str], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["" if v is None else v for v in row])
        yield buffer.getvalue().encode()


class XlsxSheet:
    """A write-only workbook (openpyxl spools its rows to a temporary file)."""

    def __init__(self, header: list[str], title: str = "sheet"):
        from openpyxl import Workbook

        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet(title[:31] or "sheet")
        self.sheet.append(header)

    def append(self, row: list[Any]) -> None:
        self.sheet.append(row)

    def chunks(self) -> Iterator[bytes]:
        with tempfile.SpooledTemporaryFile(max_size=SPOOL) as out:
            self.book.save(out)
            out.seek(0)
            while chunk := out.read(CHUNK):
                yield chunk


def xlsx_chunks(header: list[str], rows: Iterable[list[Any]], title: str = "sheet"
                ) -> Iterator[bytes]:
    sheet = XlsxSheet(header, title)
    for row in rows:
        sheet.append(row)
    yield from sheet.chunks()


def sheet_bytes(fmt: str, header: list[str], rows: Iterable[list[Any]], title: str = "sheet"
                ) -> bytes:
    chunks = xlsx_chunks(header, rows, title) if fmt == "xlsx" else csv_chunks(header, rows)
    return b"".join(chunks)


def sheet_response(fmt: str, header: list[str], rows: Iterable[list[Any]], name: str,
                   headers: dict[str, str] | None = None) -> StreamingResponse:
    chunks = xlsx_chunks(header, rows, name) if fmt == "xlsx" else csv_chunks(header, rows)
    return StreamingResponse(
        chunks, media_type=XLSX_TYPE if fmt == "xlsx" else CSV_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"',
                 **(headers or {})})
