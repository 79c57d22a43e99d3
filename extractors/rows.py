"""What every layout asks of a grid's rows and cells: a cell's column letter and raw text, whether a
row is a title, a record, a form's column codes, a total or a repeated header, and each value's
provenance (the raw text, the cell reference, the confidence and the box it was read from).

Nothing here knows a layout: ``extractors.layouts`` reads grids with these helpers.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from extractors import values as V
from extractors.types import Grid
from preaudit.core.model import Problem

#: how far down a sheet its header (or its row of day numbers) may stand
HEADER_SCAN_ROWS = 15
MAX_PROBLEM_EXAMPLES = 20
_TOTAL = re.compile(r"^(合计|总计|小计|累计|合計|總計|total|sub-?total|sum|grand total|tổng cộng|tổng|cộng|মোট|সর্বমোট|कुल)(?![a-z])", re.I)
#: a form's column-code row under the header: "A B C 1 2 3 …" (Vietnamese forms, India Form B)
_CODE_CELL = re.compile(r"^(?:[A-Z]|\(?\d{1,2}\)?|\d{1,2}\s*=\s*[\d+\s-]+)$")
#: the characters a total row's first word can start with: most rows are ruled out without a regex
_TOTAL_INITIALS = frozenset("合总小累總tTsSgGcCমসकTt")
#: a date, a clock time or a timestamp written as text
DATA_TEXT = re.compile(r"\d{1,2}\s*[:：]\s*\d{2}|\d{4}\s*[-/.年]\s*\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")

# ------------------------------------------------------------------ cells


def column_letter(index: int) -> str:
    """A spreadsheet's column letters for a 0-based column: 0 → "A", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def raw_text(value: Any) -> str | None:
    """A cell's value as the text provenance keeps ("12" for a spreadsheet's 12.0)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def cell_texts(row: Sequence[Any]) -> list[str | None]:
    return [None if v is None else str(v) for v in row]


# ------------------------------------------------------------------ what a row is


def is_title(row: Sequence[Any]) -> bool:
    """A title or note line: one text merged across the sheet (every cell the same), or one text
    alone that is long or names a month ("Wage Sheet for the month of December 2025", a CSV's
    "2026年3月工资表" line)."""
    texts = [str(v).strip() for v in row if v is not None and str(v).strip()]
    if len(texts) > 1:
        return len(set(texts)) == 1
    return len(texts) == 1 and (len(texts[0]) > 12 or V.period_from_context(texts) is not None)


_LABELLED = re.compile(r"^([^:：]*[^\W\d_][^:：]{0,39})\s*[:：]\s*(.*)$")


def labelled_values(row: Sequence[Any]) -> list[tuple[int, str, str]]:
    """(column of the value, label, value) of each labelled value in a row: a label cell ending in
    a colon and the value in the next cell ("Employee ID:", "10023"), or both in one cell
    ("工号：10023"). A clock time ("08:00") is no label."""
    cells = [(c, str(v).strip()) for c, v in enumerate(row) if v is not None and str(v).strip()]
    found: list[tuple[int, str, str]] = []
    k = 0
    while k < len(cells):
        col, text = cells[k]
        match = _LABELLED.match(text)
        if match and match.group(2):
            found.append((col, match.group(1).strip(), match.group(2).strip()))
        elif match and k + 1 < len(cells) and not _LABELLED.match(cells[k + 1][1]):
            found.append((cells[k + 1][0], match.group(1).strip(), cells[k + 1][1]))
            k += 1
        k += 1
    return found


def is_label_row(row: Sequence[Any]) -> bool:
    """A row of labelled values ("Employee ID: 10023  Name: Rahim  Section: Sewing"), what a job
    card or a time card states above its days: never a header row."""
    filled = sum(1 for v in row if v is not None and str(v).strip())
    pairs = labelled_values(row)
    used = sum(1 if str(row[c]).strip() != v else 2 for c, _, v in pairs)
    return bool(pairs) and used * 2 >= filled


def looks_like_data(row: Sequence[Any]) -> bool:
    """A row holding a date, a clock time or a timestamp is a record, never a second header row
    (a tap log's first "in" is not a header word)."""
    return any(isinstance(v, (dt.date, dt.time)) or (isinstance(v, str) and DATA_TEXT.search(v))
               for v in row)


def is_code_row(row: Sequence[Any], at_least: int = 3) -> bool:
    """A form's column-code row: every filled cell a letter or a small number ("A B C 1 2 …")."""
    filled = [t for t in (str(v).strip() for v in row if v is not None) if t]
    return len(filled) >= at_least and all(_CODE_CELL.match(t) for t in filled)


@dataclass(frozen=True)
class HeaderRows:
    """A table's header rows as a repeated header would show them, prepared once per table."""
    rows: tuple[tuple[str, ...], ...]
    words: frozenset[str]
    filled: int

    @classmethod
    def of(cls, rows: Sequence[Sequence[str | None]]) -> HeaderRows:
        stripped = tuple(tuple(_strip_trailing(list(r))) for r in rows)
        words = frozenset(t for r in stripped for t in r if t)
        return cls(stripped, words, sum(1 for r in stripped for t in r if t))

    def repeated_in(self, row: Sequence[Any], first: str) -> bool:
        return first in self.words and any(
            tuple(_strip_trailing(cell_texts(row[:len(h)]))) == h for h in self.rows)


def row_not_a_record(row: Sequence[Any], header: HeaderRows, id_col: int | None,
                     value_cols: Sequence[int] = ()) -> str | None:
    """Why a row under the header holds no worker's record ("blank", "header repeated", "total
    row", "code row", "note row", "no values", "no worker id"), or None for a record. A time or
    pay record (``value_cols`` given) with nothing in any column but who the worker is, is none."""
    first: list[str] = []  # the first three filled cells decide most rows: no need to read them all
    for v in row:
        if v is not None:
            t = v.strip() if isinstance(v, str) else str(v).strip()
            if t:
                first.append(t)
                if len(first) == 3:
                    break
    if not first:
        return "blank"
    if header.repeated_in(row, first[0]):
        return "header repeated"  # a table printed over several pages, its header on each
    if any(t[0] in _TOTAL_INITIALS and _TOTAL.match(t) for t in first):
        return "total row"
    if len(first) == 3 and len(first[0]) <= 8 and all(_CODE_CELL.match(t) for t in first) and is_code_row(row):
        return "code row"
    if len(first) == 1 and header.filled >= 3:
        return "note row"  # one cell under a table of several columns: a footer, a remark, a signature
    if value_cols and not any(c < len(row) and row[c] is not None and str(row[c]).strip() for c in value_cols):
        return "no values"  # a footer read into the name columns, a worker listed with nothing
    if id_col is not None and (id_col >= len(row) or V.parse_text(row[id_col]) is None):
        return "no worker id"  # notes, signatures under the table
    return None


def _strip_trailing(texts: list[str | None]) -> list[str]:
    out = [(t or "").strip() for t in texts]
    while out and not out[-1]:
        out.pop()
    return out


# ------------------------------------------------------------------ provenance


def cell_problems(name: str, col: int, failed: list[int], raw: list[Any], keep: list[int],
                  row_numbers: list[int], grid: Grid) -> list[Problem]:
    """A problem for each value of a column that could not be read (the first few, then a count),
    citing its cell, confidence, box and page."""
    out = []
    for k in failed[:MAX_PROBLEM_EXAMPLES]:
        box = grid.cell_boxes[keep[k]][col] if grid.cell_boxes and col < len(grid.cell_boxes[keep[k]]) else None
        conf = grid.cell_confs[keep[k]][col] if grid.cell_confs and col < len(grid.cell_confs[keep[k]]) else None
        out.append(Problem(row_numbers[k], name, raw_text(raw[k]), f"cannot read {raw[k]!r} as {name}",
                           conf, list(box) if box else None,
                           grid.row_pages[keep[k]] if grid.row_pages else grid.page))
    if len(failed) > MAX_PROBLEM_EXAMPLES:
        out.append(Problem(None, name, None, f"{len(failed) - MAX_PROBLEM_EXAMPLES} more unreadable {name} values"))
    return out


def provenance(name: str, cols: list[int], keep: list[int], row_numbers: list[int], grid: Grid,
               raw_texts: list[str | None]) -> dict[str, pl.Series]:
    """Value provenance under the name the document used: one punch-list cell stays one cell;
    a field summed from several cells cites them all ("F5,G5,H5")."""
    n = len(keep)

    def conf(i: int, col: int) -> float:
        c = grid.cell_confs[i][col] if grid.cell_confs and col < len(grid.cell_confs[i]) else None
        return 1.0 if c is None else c

    if grid.spreadsheet:  # "F5", or "F5,G5,H5" for parts
        refs = pl.DataFrame({"r": pl.Series(row_numbers, dtype=pl.Int64).cast(pl.Utf8)}).select(
            pl.concat_str([pl.lit(column_letter(c)) + pl.col("r") for c in cols], separator=",")).to_series()
    else:
        refs = pl.Series([None] * n, dtype=pl.Utf8)
    out = {f"raw:{name}": pl.Series(raw_texts, dtype=pl.Utf8),
           f"ref:{name}": refs.alias(f"ref:{name}"),
           f"conf:{name}": pl.Series([min(conf(i, c) for c in cols) for i in keep] if grid.cell_confs
                                     else [1.0] * n, dtype=pl.Float64)}
    if grid.cell_boxes is not None:
        def box(i: int) -> list[float] | None:
            boxes = [grid.cell_boxes[i][c] for c in cols if c < len(grid.cell_boxes[i]) and grid.cell_boxes[i][c]]
            if not boxes:
                return None
            return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                    max(b[3] for b in boxes)]
        out[f"bbox:{name}"] = pl.Series([box(i) for i in keep], dtype=pl.List(pl.Float64))
    return out
