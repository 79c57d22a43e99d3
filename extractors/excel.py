"""Excel workbooks: .xlsx (openpyxl) and legacy .xls (xlrd), every sheet, merged cells filled
from their top-left cell (a merged group header, a name spanning a worker's day rows)."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from extractors.types import UnreadableError
from extractors.types import Grid
from preaudit.core.limits import Limits


def _fill_merged(rows: list[list[Any]], ranges: list[tuple[int, int, int, int]]) -> None:
    """ranges: (first_row, last_row, first_col, last_col), 0-based inclusive."""
    for r0, r1, c0, c1 in ranges:
        if r0 >= len(rows):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value


def read_xlsx(data: bytes, *, name: str, limits: Limits | None = None) -> list[Grid]:
    import openpyxl

    limits = limits or Limits()
    try:  # a workbook is a zip: a few KB may unpack to gigabytes of XML (one shared string of 1 GB)
        unpacked = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableError(f"not a readable .xlsx workbook ({exc.__class__.__name__}: {exc})") from exc
    if unpacked > limits.bytes_per_document:
        raise UnreadableError(limits.exceeded("bytes_per_document", unpacked, "bytes of the workbook unpacked"))
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableError(f"not a readable .xlsx workbook ({exc.__class__.__name__}: {exc})") from exc
    grids = []
    for sheet in book.worksheets:
        if sheet.max_row * sheet.max_column > limits.cells_per_sheet:  # its declared extent, which one far cell sets
            grids.append(_sparse_sheet(sheet, name, limits))
            continue
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        ranges = [(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1)
                  for m in sheet.merged_cells.ranges]
        _fill_merged(rows, ranges)
        grids.append(Grid(rows=rows, row_numbers=list(range(1, len(rows) + 1)), sheet=sheet.title,
                          spreadsheet=True, context=[sheet.title, name]))
    return grids


#: a sheet whose extent holds more cells than limits.cells_per_sheet is read from the cells it
#: really holds, and then only its first columns: no register of a factory is wider
MAX_COLUMNS = 1_000


def _sparse_sheet(sheet, name: str, limits: Limits) -> Grid:
    """A sheet read from the cells that hold a value (a 1.5 KB file with one cell at XFD1048576
    declares 17 billion cells): its rows in order, with their real row numbers."""
    cells = [(c.row, c.column, c.value) for c in sheet._cells.values() if c.value is not None]  # noqa: SLF001
    if len(cells) > limits.cells_per_sheet:
        raise UnreadableError(limits.exceeded("cells_per_sheet", len(cells), f"values in sheet {sheet.title!r}"))
    by_row: dict[int, dict[int, Any]] = {}
    for row, column, value in cells:
        if column <= MAX_COLUMNS:
            by_row.setdefault(row, {})[column] = value
    numbers = sorted(by_row)
    width = max((max(cols) for cols in by_row.values()), default=0)
    rows = [[by_row[r].get(c) for c in range(1, width + 1)] for r in numbers]
    return Grid(rows=rows, row_numbers=numbers, sheet=sheet.title, spreadsheet=True, context=[sheet.title, name])


def read_xls(data: bytes, *, name: str, limits: Limits | None = None) -> list[Grid]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as exc:  # xlrd raises a zoo of error types for damaged files
        raise UnreadableError(f"not a readable .xls workbook ({exc.__class__.__name__}: {exc})") from exc
    limits = limits or Limits()
    grids = []
    for sheet in book.sheets():
        if sheet.nrows * sheet.ncols > limits.cells_per_sheet:
            raise UnreadableError(limits.exceeded("cells_per_sheet", sheet.nrows * sheet.ncols,
                                                  f"cells in sheet {sheet.name!r}"))
        rows: list[list[Any]] = []
        for r in range(sheet.nrows):
            row = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_EMPTY or cell.ctype == xlrd.XL_CELL_BLANK:
                    row.append(None)
                elif cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
                    row.append(value.time() if cell.value < 1 else
                               value.date() if value.time() == dt.time(0) else value)
                else:
                    row.append(cell.value)
            rows.append(row)
        ranges = [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
        _fill_merged(rows, ranges)
        grids.append(Grid(rows=rows, row_numbers=list(range(1, len(rows) + 1)), sheet=sheet.name,
                          spreadsheet=True, context=[sheet.name, name]))
    return grids
