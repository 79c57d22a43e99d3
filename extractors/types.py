"""The types every reader and the pipeline share: a grid of cells as read (``Grid``), a typed
table of one document kind (``Table``), a part that is no known kind (``Unclassified``), what a
document yields (``Extracted``), and ``UnreadableError`` (defined with the text decoding in the
core, where factory.yaml and rule packs are read too)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from preaudit.core.model import ColumnRead, DocumentReport, Kind, Problem
from preaudit.core.text import UnreadableError

__all__ = ["BBox", "ColumnRead", "Extracted", "Grid", "Problem", "Table", "Unclassified", "UnreadableError"]

BBox = tuple[float, float, float, float]


@dataclass
class Grid:
    """Cells as read, row by row. ``row_numbers`` are the source's own 1-based row numbers."""

    rows: list[list[Any]]
    row_numbers: list[int]
    sheet: str | None = None
    page: int | None = None
    spreadsheet: bool = False                     # cells have A1 references
    cell_boxes: list[list[BBox | None]] | None = None
    cell_confs: list[list[float | None]] | None = None
    row_boxes: list[BBox | None] | None = None
    bbox_unit: str | None = None
    context: list[str] = field(default_factory=list)  # sheet name, title lines, file name
    row_pages: list[int] | None = None  # when the table runs over several pages
    notes: list[str] = field(default_factory=list)  # what the reader decided about the file's shape
    #: when the reader itself knows what each column holds (a licence page's labelled values): the
    #: kind and the field of each column. Every row is then a record; no header is looked for.
    kind: Kind | None = None
    fields: list[str] | None = None

    def extend(self, other: "Grid") -> None:
        """Append a continuation page's rows (a table running on without its header)."""
        width = max(len(r) for r in self.rows + other.rows)
        pad = lambda rows, fill: [list(r) + [fill] * (width - len(r)) for r in rows]  # noqa: E731
        self.row_pages = (self.row_pages or [self.page] * len(self.rows)) + [other.page] * len(other.rows)
        self.rows = pad(self.rows, None) + pad(other.rows, None)
        self.row_numbers = self.row_numbers + other.row_numbers
        for name in ("cell_boxes", "cell_confs"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine is not None or theirs is not None:
                setattr(self, name, pad(mine or [[] for _ in range(len(self.rows) - len(other.rows))], None)
                        + pad(theirs or [[] for _ in other.rows], None))
        if self.row_boxes is not None or other.row_boxes is not None:
            self.row_boxes = (self.row_boxes or [None] * (len(self.rows) - len(other.rows))) + \
                (other.row_boxes or [None] * len(other.rows))


@dataclass
class Table:
    kind: Kind
    df: pl.DataFrame
    unmapped: list[str]
    header_rows: list[int]
    problems: list[Problem] = field(default_factory=list)
    skipped_rows: int = 0
    skip_reasons: dict[str, int] = field(default_factory=dict)
    columns: list[ColumnRead] = field(default_factory=list)  # how each column was read
    layout: str = "table"       # tap_log | day_rows | day_segments | day_grid | form | table
    notes: list[str] = field(default_factory=list)  # what the reader decided, for the report
    presence_only: bool = False  # a grid of marks (√ 休 P): days present, no hours


@dataclass
class Unclassified:
    reason: str
    unmapped: list[str] = field(default_factory=list)
    closest: Kind | None = None  # the kind the best header came closest to, if any


@dataclass
class Extracted:
    report: DocumentReport
    tables: list[Table] = field(default_factory=list)
