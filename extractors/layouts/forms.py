"""Forms, not tables: a 7-point container inspection usually comes as one checklist per container
(reference/real-exports.md): the container and seal numbers at the top, the seven points as ticked
lines, the inspector and the date. Each form becomes one container_inspection record, each value
keeping its cell.

A form is read from label–value pairs, whatever the layout: a label cell and the cells after it
("Container No." | "MSKU1234565"), one cell "Seal No.: 123456", a point line "1. Front wall ☑ OK",
or a point row with a tick under an "OK" or a "Not OK" column. A sheet holding several forms one
under another gives one record per "Container No." label.
"""
from __future__ import annotations

import re
from typing import Any

import polars as pl

from extractors import values as V
from extractors.headers import HeaderMapper
from extractors.rows import column_letter, raw_text
from extractors.types import ColumnRead, Grid, Table
from preaudit.core.model import FIELDS, Kind
from preaudit.core.options import ReadingOptions

POINTS = ("front_wall", "left_side", "right_side", "floor", "ceiling_roof", "doors", "undercarriage")
MIN_POINTS = 4
_NUMBERING = re.compile(r"^\s*(?:\(?\d{1,2}[.)、:]?|[①-⑩])\s*")
_LABEL_VALUE = re.compile(r"^(.{1,40}?)\s*[:：]\s*(.*)$")
_TICK = {"√", "✓", "✔", "☑", "■", "●", "x", "X", "×"}
_FAIL_COLUMN = re.compile(r"not\s*ok|fail|no\b|ng\b|异常|不合格|否|defect|issue", re.I)
_PASS_COLUMN = re.compile(r"^(ok|pass|yes|good|合格|正常|是|satisfactory)$", re.I)


def _cells(row: list[Any]) -> list[tuple[int, str]]:
    return [(c, str(v).strip()) for c, v in enumerate(row) if v is not None and str(v).strip()]


def _split(text: str) -> tuple[str, str | None]:
    """("Seal No.", "123456") from "Seal No.: 123456"; a point line "1. Front wall ☑ OK" → its label
    and what follows the label words."""
    text = _NUMBERING.sub("", text)
    match = _LABEL_VALUE.match(text)
    if match:
        return match.group(1).strip(), match.group(2).strip() or None
    return text, None


def _field(mapper: HeaderMapper, label: str) -> tuple[str | None, str | None]:
    """The field a label names, and any value written in the same cell after the label words
    ("Seal No.: 123", "Front wall ☑ OK": the longest leading words that name a field)."""
    label, value = _split(label)
    words = label.split()
    for k in range(len(words), 0, -1):
        name = mapper.exact(Kind.CONTAINER_INSPECTION, " ".join(words[:k]))
        if name is not None:
            rest = " ".join(words[k:]).strip()
            translated = mapper.match(Kind.CONTAINER_INSPECTION, [rest.lstrip("/|").strip()]) if rest else None
            if rest.startswith(("/", "|")) or (translated is not None and translated.field == name):
                rest = ""  # "柜号 / Container No": one label in two languages, not a label and a value
            return name, value or rest or None
    hit = mapper.match(Kind.CONTAINER_INSPECTION, [label])  # bilingual or slightly misspelt labels
    if hit is not None and hit.score >= 90:
        return hit.field, value
    return None, None


def _point(value: str | None, tick_column: str | None) -> str | None:
    if tick_column is not None:
        return "fail" if _FAIL_COLUMN.search(tick_column) else "pass"
    if value is None:
        return None
    for token in [value] + value.split():
        try:
            result = V.parse_check(token)
        except ValueError:
            result = "pass" if token in _TICK - {"x", "X", "×"} else None
        if result:
            return result
    return None


#: a form is short and says what it is near its top
MAX_FORM_ROWS, LOOK_ROWS = 2000, 12


def _looks_like_form(grid: Grid, mapper: HeaderMapper) -> bool:
    """A container label beside its value ("Container No." | "MSKU…", "Container No.: MSKU…") in
    the first rows: a table's header row holds labels beside labels instead."""
    if len(grid.rows) > MAX_FORM_ROWS:
        return False
    for row in grid.rows[:LOOK_ROWS]:
        cells = _cells(row)
        for k, (_, text) in enumerate(cells):
            name, inline = _field(mapper, text)
            if name == "container_no" and (inline or (k + 1 < len(cells) and _field(mapper, cells[k + 1][1])[0] is None)):
                return True
    return False


def read(grid: Grid, mapper: HeaderMapper, *, document: str, sha256: str,
         options: ReadingOptions) -> Table | None:
    """Container inspection forms in a grid, or None when the grid holds none."""
    if not _looks_like_form(grid, mapper):
        return None
    labelled: list[tuple[int, str, str | None, int, int | None]] = []  # (row, field, value, label col, value col)
    column_names: dict[int, str] = {}
    for i, row in enumerate(grid.rows):
        cells = _cells(row)
        if not cells:
            continue
        if all(_PASS_COLUMN.match(t) or _FAIL_COLUMN.search(t) or re.search(r"remark|备注", t, re.I)
               for _, t in cells[1:]) and len(cells) >= 3:
            column_names = {c: t for c, t in cells[1:]}  # "Point | OK | Not OK | Remarks"
            continue
        k = 0
        while k < len(cells):  # a row may hold several pairs: "Container No." | … | "Seal No." | …
            col, text = cells[k]
            name, inline = _field(mapper, text)
            k += 1
            if name is None:
                continue
            rest = cells[k:]
            if name in POINTS and column_names:
                ticked = [(c, t) for c, t in rest if c in column_names and (t in _TICK or V.parse_text(t))
                          and not re.search(r"remark|备注", column_names[c], re.I)]
                value_col = ticked[0][0] if ticked else None
                labelled.append((i, name, ticked[0][1] if ticked else None, col, value_col))
                break
            if inline:
                labelled.append((i, name, inline, col, col))
            elif rest and _field(mapper, rest[0][1])[0] is None:
                labelled.append((i, name, rest[0][1], col, rest[0][0]))
                k += 1
            else:
                labelled.append((i, name, None, col, None))
    starts = [k for k, item in enumerate(labelled) if item[1] == "container_no" and item[2]]
    points = {item[1] for item in labelled if item[1] in POINTS}
    if not starts or len(points) < MIN_POINTS:
        return None
    records = []
    for n, start in enumerate(starts):
        chunk = labelled[(0 if n == 0 else start):(starts[n + 1] if n + 1 < len(starts) else len(labelled))]
        rec: dict[str, Any] = {}
        for i, name, value, col, value_col in chunk:
            if name in rec:
                continue
            tick_column = column_names.get(value_col) if name in POINTS and column_names and value_col else None
            cell = f"{column_letter(value_col if value_col is not None else col)}{grid.row_numbers[i]}"
            rec[name] = (value, tick_column, cell, grid.row_numbers[i])
        records.append(rec)
    return _table(records, grid, document, sha256)


def _table(records: list[dict[str, Any]], grid: Grid, document: str, sha256: str) -> Table:
    rows, problems = [], []
    for rec in records:
        out: dict[str, Any] = {"_doc": document, "_sha256": sha256, "_page": grid.page, "_sheet": grid.sheet,
                               "_row": rec["container_no"][3], "_bbox": None, "_bbox_unit": grid.bbox_unit}
        for name in FIELDS[Kind.CONTAINER_INSPECTION]:
            value, tick_column, cell, _ = rec.get(name, (None, None, None, None))
            if name in POINTS:
                parsed = _point(value, tick_column)
            elif name == "date":
                try:
                    parsed = V.parse_date(value) if value else None
                except ValueError:
                    parsed = None
            elif name in ("container_no", "seal_no"):
                parsed = V.parse_identifier(value)
            else:
                parsed = V.parse_text(value)
            out[name] = parsed
            out[f"raw:{name}"] = raw_text(value) if tick_column is None else f"{tick_column}: {value}"
            out[f"ref:{name}"] = cell if grid.spreadsheet else None
            out[f"conf:{name}"] = 1.0
        rows.append(out)
    schema: dict[str, pl.DataType] = {"_doc": pl.Utf8, "_sha256": pl.Utf8, "_page": pl.Int32, "_sheet": pl.Utf8,
                                      "_row": pl.Int32, "_bbox": pl.List(pl.Float64), "_bbox_unit": pl.Utf8}
    for name in FIELDS[Kind.CONTAINER_INSPECTION]:
        schema[name] = pl.Date if name == "date" else pl.Utf8
        schema.update({f"raw:{name}": pl.Utf8, f"ref:{name}": pl.Utf8, f"conf:{name}": pl.Float64})
    df = pl.DataFrame(rows, schema=schema, orient="row")
    table = Table(Kind.CONTAINER_INSPECTION, df, [], [], problems, layout="form")
    table.notes.append(f"{len(records)} inspection form(s): one record per container, the seven points from "
                       f"their ticked lines")
    table.columns = [ColumnRead("-", "form labels", "container_inspection",
                                "label–value pairs (one checklist per container)")]
    return table
