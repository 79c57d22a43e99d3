"""From a grid of cells (what any reader sees: a CSV, a sheet, a PDF table, an OCR'd page) to a
typed table of one document kind, each value with its provenance.

Every reader produces a ``Grid``; this module is the one place that finds the header, decides the
kind from the header's meaning, parses values and attaches provenance, so a scanned register and
an Excel export end up as the same table.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import polars as pl

from extractors import values as V
from extractors.headers import REQUIRED, SYNONYMS, ColumnMapping, HeaderMapper, satisfies
from preaudit.model import FIELDS, PUNCH_FIELDS, Kind

HEADER_SCAN_ROWS = 15
_TOTAL = re.compile(r"^(合计|总计|小计|累计|total|sub-?total|sum|grand total)\b", re.I)
MAX_PROBLEM_EXAMPLES = 20

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
class Problem:
    row: int | None
    field: str | None
    raw: str | None
    reason: str
    confidence: float | None = None  # the cell's reading confidence (OCR), so a misread is told apart
    bbox: list[float] | None = None
    page: int | None = None          # for a table running over pages, the row's own page


@dataclass
class Table:
    kind: Kind
    df: pl.DataFrame
    unmapped: list[str]
    header_rows: list[int]
    problems: list[Problem] = field(default_factory=list)
    skipped_rows: int = 0


@dataclass
class Unclassified:
    reason: str
    unmapped: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ header detection


def _texts(row: Sequence[Any]) -> list[str | None]:
    return [None if v is None else str(v) for v in row]


def find_header(grid: Grid, mapper: HeaderMapper) -> tuple[int, int, ColumnMapping] | Unclassified:
    """(first header row index, header row count, mapping) of the best-reading header."""
    scan = [_texts(r) for r in grid.rows[:HEADER_SCAN_ROWS + 1]]
    single: dict[tuple[int, Kind], ColumnMapping] = {}
    for r in range(len(scan)):
        for kind in SYNONYMS:
            single[(r, kind)] = mapper.map_columns(kind, [scan[r]])
    best: tuple[tuple[int, float], int, int, ColumnMapping] | None = None
    for r in range(min(len(scan), HEADER_SCAN_ROWS)):
        for kind in SYNONYMS:
            options = [(1, single[(r, kind)])]
            if r + 1 < len(scan):
                double = mapper.map_columns(kind, [scan[r], scan[r + 1]])
                n1, n2 = len(single[(r, kind)].columns), len(double.columns)
                # the second line is header too when it adds fields, or reads as a header itself
                if n2 > n1 or (n2 == n1 and len(single[(r + 1, kind)].columns) >= 2):
                    options = [(2, double)]
            for span, mapping in options:
                fields = set(mapping.columns.values())
                if not satisfies(kind, fields):
                    continue
                rank = (len(fields), mapping.score)
                if best is None or rank > best[0]:
                    best = (rank, r, span, mapping)
    if best is None:
        return _why_unclassified(single)
    _, r, span, mapping = best
    return r, span, mapping


def _why_unclassified(single: dict[tuple[int, Kind], ColumnMapping]) -> Unclassified:
    if not single:
        return Unclassified("no rows")
    (row, kind), mapping = max(single.items(), key=lambda kv: (len(kv[1].columns), kv[1].score))
    fields = set(mapping.columns.values())
    if not fields:
        return Unclassified("no header row names any known field of "
                            + ", ".join(k.value for k in SYNONYMS),
                            [u for u in mapping.unmapped][:30])
    missing = [" or ".join(sorted(need)) for need in REQUIRED[kind] if not fields & need]
    return Unclassified(f"closest to {kind.value} (header row {row + 1} maps "
                        f"{', '.join(sorted(fields))}) but it lacks {'; '.join(missing)}",
                        mapping.unmapped[:30])


# ------------------------------------------------------------------ value parsing

DATE_FIELDS = {"birth_date", "hire_date", "termination_date", "date", "pay_date", "issue_date",
         "valid_from", "valid_until"}
_TYPED: list[tuple[set[str], Callable[[Any], Any], pl.DataType]] = [
    (set(PUNCH_FIELDS) | {"time_in", "time_out", "time"}, V.parse_clock, pl.Int16),
    ({"regular_hours", "ot_hours_weekday", "ot_hours_restday", "ot_hours_holiday", "total_hours"},
     V.parse_hours, pl.Float64),
    ({"hourly_rate", "base_pay", "ot_pay", "allowances", "deductions", "social_insurance", "gross_pay",
      "net_pay"}, V.parse_amount, pl.Float64),
    ({"break_minutes"}, V.parse_minutes, pl.Float64),
    ({"period"}, V.parse_period, pl.Utf8),
    ({"worker_id", "national_id", "number", "holder_uscc", "container_no", "seal_no", "id_number",
      "badge_no"}, V.parse_identifier, pl.Utf8),
    ({"gender"}, V.parse_gender, pl.Utf8),
    ({"id_checked", "vvtt_done"}, V.parse_bool, pl.Boolean),
    ({"direction"}, V.parse_direction, pl.Utf8),
    ({"front_wall", "left_side", "right_side", "floor", "ceiling_roof", "doors", "undercarriage"},
     V.parse_check, pl.Utf8),
    ({"license_type"}, V.parse_license_type, pl.Utf8),
]
PARSERS: dict[str, tuple[Callable[[Any], Any], pl.DataType]] = {
    name: (parser, dtype) for names, parser, dtype in _TYPED for name in names}


def parser_for(name: str, column: Sequence[Any]) -> tuple[Callable[[Any], Any], pl.DataType]:
    """How to read a field's column. Dates need the whole column: it decides day- or month-first."""
    if name in DATE_FIELDS:
        return partial(V.parse_date, order=V.date_order(column)), pl.Date
    if name == "timestamp":
        first_words = [str(v).split()[0] for v in column if isinstance(v, str) and v.split()]
        return partial(V.parse_timestamp, order=V.date_order(first_words)), pl.Datetime("us")
    return PARSERS.get(name, (V.parse_text, pl.Utf8))


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _raw_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_PERIOD_IN_TEXT = re.compile(r"(\d{4}\s*年\s*\d{1,2}\s*月|\d{4}[-/.]\d{1,2}(?![-/.\d])|"
                             r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s\-]*\d{4})",
                             re.I)


def period_from_context(texts: Sequence[str]) -> str | None:
    """A payroll's month when no column holds it: "2026年3月工资表", sheet "2026-03", a file name."""
    for text in texts:
        for match in _PERIOD_IN_TEXT.finditer(text or ""):
            try:
                return V.parse_period(match.group(1))
            except ValueError:
                continue
    return None


# ------------------------------------------------------------------ grid → table


def build_table(grid: Grid, mapper: HeaderMapper, *, document: str, sha256: str) -> Table | Unclassified:
    found = find_header(grid, mapper)
    if isinstance(found, Unclassified):
        return found
    head, span, mapping = found
    kind = mapping.kind
    header_cells = [_texts(r) for r in grid.rows[head:head + span]]
    id_col = next(c for c, f in mapping.columns.items() if f == "worker_id") \
        if "worker_id" in mapping.columns.values() else None

    keep: list[int] = []
    skipped = 0
    for i in range(head + span, len(grid.rows)):
        row = grid.rows[i]
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        if _texts(row[:len(header_cells[-1])]) == header_cells[-1]:
            continue  # the header repeated (a table running over several pages)
        if id_col is not None and (id_col >= len(row) or V.parse_text(row[id_col]) is None
                                   or _TOTAL.match(str(row[id_col]).strip())):
            skipped += 1  # totals, notes, signatures under the table
            continue
        keep.append(i)

    problems: list[Problem] = []
    data: dict[str, pl.Series] = {}
    n = len(keep)
    row_numbers = [grid.row_numbers[i] for i in keep]

    def cell(i: int, col: int) -> Any:
        row = grid.rows[i]
        return row[col] if col < len(row) else None

    for col, name in sorted(mapping.columns.items()):
        raw = [cell(i, col) for i in keep]
        targets = list(PUNCH_FIELDS) if name == "punches" else [name]
        if name == "punches":
            parsed, failed = V.parse_column(raw, V.parse_punches)
            parsed = [p or [] for p in parsed]
            for k, target in enumerate(targets):
                data[target] = pl.Series(target, [p[k] if k < len(p) else None for p in parsed],
                                         dtype=pl.Int16)
        else:
            parse, dtype = parser_for(name, raw)
            parsed, failed = V.parse_column(raw, parse)
            data[name] = pl.Series(name, parsed, dtype=dtype)
        for k in failed[:MAX_PROBLEM_EXAMPLES]:
            box = grid.cell_boxes[keep[k]][col] if grid.cell_boxes and col < len(grid.cell_boxes[keep[k]]) else None
            conf = grid.cell_confs[keep[k]][col] if grid.cell_confs and col < len(grid.cell_confs[keep[k]]) else None
            problems.append(Problem(row_numbers[k], name, _raw_text(raw[k]), f"cannot read {raw[k]!r} as {name}",
                                    conf, list(box) if box else None,
                                    grid.row_pages[keep[k]] if grid.row_pages else grid.page))
        if len(failed) > MAX_PROBLEM_EXAMPLES:
            problems.append(Problem(None, name, None,
                                    f"{len(failed) - MAX_PROBLEM_EXAMPLES} more unreadable {name} values"))
        raw_text = pl.Series([_raw_text(v) for v in raw], dtype=pl.Utf8)
        # value provenance under the name the document used: one punch-list cell stays one cell
        for target in [name]:
            data[f"raw:{target}"] = raw_text
            data[f"ref:{target}"] = pl.Series(
                [f"{_column_letter(col)}{r}" for r in row_numbers] if grid.spreadsheet else [None] * n,
                dtype=pl.Utf8)
            data[f"conf:{target}"] = pl.Series(
                [grid.cell_confs[i][col] if grid.cell_confs and col < len(grid.cell_confs[i])
                 and grid.cell_confs[i][col] is not None else 1.0 for i in keep], dtype=pl.Float64)
            if grid.cell_boxes is not None:
                data[f"bbox:{target}"] = pl.Series(
                    [list(grid.cell_boxes[i][col]) if col < len(grid.cell_boxes[i])
                     and grid.cell_boxes[i][col] else None for i in keep],
                    dtype=pl.List(pl.Float64))

    for name in FIELDS[kind]:  # every canonical column exists, null where the document lacks it
        if name not in data:
            _, dtype = parser_for(name, [])
            data[name] = pl.Series(name, [None] * n, dtype=dtype)

    if kind is Kind.PAYROLL and data["period"].null_count():
        context = [" ".join(str(v) for v in r if v is not None) for r in grid.rows[:head]]
        fallback = period_from_context(context + grid.context)
        if fallback:
            data["period"] = data["period"].fill_null(fallback)
        else:
            problems.append(Problem(None, "period", None,
                                    "no pay period in a column, the title, the sheet or file name"))

    if kind is Kind.GATE_LOG:  # date and time in two columns → one timestamp
        joined = pl.DataFrame({"d": data["date"], "t": data["time"]}).select(
            (pl.col("d").cast(pl.Datetime("us")) + pl.duration(minutes=pl.col("t"))).alias("ts"))["ts"]
        data["timestamp"] = data["timestamp"].fill_null(joined)

    df = pl.DataFrame(data).with_columns(
        pl.lit(document).alias("_doc"), pl.lit(sha256).alias("_sha256"),
        pl.Series("_page", [grid.row_pages[i] for i in keep] if grid.row_pages else [grid.page] * n, dtype=pl.Int32),
        pl.lit(grid.sheet, dtype=pl.Utf8).alias("_sheet"),
        pl.Series("_row", row_numbers, dtype=pl.Int32),
        pl.Series("_bbox", [list(grid.row_boxes[i]) if grid.row_boxes and grid.row_boxes[i] else None
                            for i in keep], dtype=pl.List(pl.Float64)),
        pl.lit(grid.bbox_unit, dtype=pl.Utf8).alias("_bbox_unit"),
    )
    header_rows = [grid.row_numbers[j] for j in range(head, head + span)]
    return Table(kind, df, mapping.unmapped, header_rows, problems, skipped)
