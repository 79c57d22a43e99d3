"""One column per day (Hikvision Attendance Record, 考勤表, India Form D, Vietnam's Mẫu 01a): a row
of day numbers or dates across the sheet, a worker id (or name) column beside it, and in each
day's cell the day's times, its hours or a mark (√ 休 P …). Each filled cell becomes a worker-day
of the same rows the other time-record layouts give (taps.py), each punch keeping its cell.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import polars as pl

from extractors import values as V
from extractors.headers import HeaderMapper
from extractors.rows import HEADER_SCAN_ROWS, column_letter, is_code_row, is_title, raw_text
from extractors.types import ColumnRead, Grid, Table, Unclassified
from preaudit.core.options import DayMarks, ReadingOptions
from preaudit.core.model import PAIRS, PUNCH_FIELDS, Kind

MIN_DAY_COLUMNS = 7
_DAY_NUMBER = re.compile(r"^(?:day\s*)?(\d{1,2})\s*(?:日|号)?$", re.I)
_ROW_IN = re.compile(r"^(in|in time|time in|sw|start|上班|签到|上班时间|vào|giờ vào)$", re.I)
_ROW_OUT = re.compile(r"^(out|out time|time out|ew|end|下班|签退|下班时间|ra|giờ ra)$", re.I)
_WEEKDAY_CELL = re.compile(r"^(?:星期)?[一二三四五六日天]$|^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?$|^(?:t[2-7]|cn)$", re.I)
#: marks that say a worker was there, and marks that say why not (考勤表 √ 休 病 事 旷; Form D P A).
#: A country whose sheets write other marks (Vietnam's 01a: P paid leave, Ô sick, KL unpaid leave)
#: gives them in its law pack's ``day_marks:``, beside its rest days
_PRESENT = {"√", "✓", "✔", "+", "x", "k", "出", "出勤", "到", "p", "present", "o", "○"}
_ABSENT = {"休", "病", "事", "旷", "假", "婚", "丧", "产", "年", "调", "a", "ab", "absent", "l", "cl", "el", "sl",
           "wo", "h", "no", "t", "n", "-"}


def _day_of(value: Any) -> tuple[str, Any] | None:
    """("day", 5) for a day-number header cell, ("date", date) for a dated one."""
    if isinstance(value, dt.datetime):
        return ("date", value.date())
    if isinstance(value, dt.date):
        return ("date", value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() \
            and 1 <= value <= 31:
        return ("day", int(value))
    if isinstance(value, str):
        text = value.strip().split("\n")[0].strip()
        match = _DAY_NUMBER.match(text)
        if match and 1 <= int(match.group(1)) <= 31:
            return ("day", int(match.group(1)))
        if re.match(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$", text):
            try:
                return ("date", V.parse_date(text))
            except ValueError:
                return None
    return None


def _day_columns(row: list[Any]) -> dict[int, tuple[str, Any]]:
    """The longest run of columns whose headers count days up one by one."""
    best: dict[int, tuple[str, Any]] = {}
    run: dict[int, tuple[str, Any]] = {}
    last = None
    for col, value in enumerate(row):
        day = _day_of(value)
        step_ok = day is not None and last is not None and day[0] == last[1][0] and (
            (day[0] == "day" and day[1] == last[1][1] + 1)
            or (day[0] == "date" and day[1] == last[1][1] + dt.timedelta(days=1)))
        if day is not None and (step_ok or not run):
            run[col] = day
        elif day is not None:
            run = {col: day}
        else:
            run = {}
        last = (col, day) if day is not None else None
        if len(run) > len(best):
            best = dict(run)
    return best if len(best) >= MIN_DAY_COLUMNS else {}


def read(grid: Grid, mapper: HeaderMapper, *, document: str, sha256: str,
         options: ReadingOptions) -> Table | Unclassified | None:
    """A sheet with one column per day, why it cannot be read, or None when the sheet is not one
    (unless factory.yaml says it is: then why it cannot be read)."""
    found = _day_grid(grid, mapper, document=document, sha256=sha256, marks=options.marks())
    if found is None and options.layout == "day_grid":
        return Unclassified("factory.yaml says one column per day, but no row counts days "
                            "with a worker id column beside it")
    return found


def _day_grid(grid: Grid, mapper: HeaderMapper, *, document: str, sha256: str,
              marks: tuple[DayMarks, ...] = ()) -> Table | Unclassified | None:
    for head in range(min(len(grid.rows), HEADER_SCAN_ROWS)):
        days = _day_columns(grid.rows[head])
        others = [v for c, v in enumerate(grid.rows[head]) if c not in days]
        # a form's column-code row ("A B C 1 2 …", Form B's "1 … 24") is not a row of days
        if days and min(days) > 0 and not is_code_row(others, at_least=1):
            break
    else:
        return None
    labels_rows = [grid.rows[head - 1], grid.rows[head]] if head and not is_title(grid.rows[head - 1]) \
        else [grid.rows[head]]
    identity_rows = [[None if c in days else v for c, v in enumerate(r)] for r in labels_rows]
    mapping = mapper.map_columns(Kind.TIMESHEET, identity_rows)
    cols = {f: c for c, f in mapping.columns.items()}
    # a worker id column, or else the name (Vietnam's Mẫu 01a has only Họ và tên): the dataset takes
    # such a worker's id from the roster by name
    identity = "worker_id" if "worker_id" in cols else "name" if "name" in cols else None
    if identity is None or min(days) <= cols[identity] <= max(days):
        return None
    label_texts = " ".join(str(v) for r in labels_rows for v in r if v is not None)
    present_marks, absent_marks = set(_PRESENT), set(_ABSENT)
    for country in marks:  # a sheet in a country's letters is read with that country's marks
        if country.on(label_texts):
            present_marks = (present_marks | set(country.present)) - set(country.absent)
            absent_marks |= set(country.absent)
    kinds = {k for k, _ in days.values()}
    month = None
    if kinds == {"day"}:
        context = [" ".join(dict.fromkeys(str(v) for v in r if v is not None)) for r in grid.rows[:head]]
        month = V.period_from_context(context + grid.context)
        if month is None:
            return Unclassified(f"one column per day ({len(days)} day columns) but no month in the title, the "
                                f"sheet name or the file name: set it for this document in factory.yaml "
                                f"(documents: period)", mapping.unmapped)
    label_cols = [c for c in range(len(grid.rows[head])) if c not in days and c not in mapping.columns.keys()]

    records: dict[tuple[str, dt.date], dict[str, Any]] = {}
    presence_only = True
    marks = 0
    skipped: dict[str, int] = {}
    current: tuple[str | None, str | None] = (None, None)
    first_data = head + 1
    for i in range(head + 1, len(grid.rows)):
        row = grid.rows[i]
        cells = {c: row[c] if c < len(row) else None for c in days}
        texts = [str(v).strip() for v in cells.values() if v is not None and str(v).strip()]
        if i == first_data and texts and all(_WEEKDAY_CELL.match(t) for t in texts):
            first_data += 1
            continue  # the 星期 row under the day numbers
        if is_code_row(row):
            skipped["code row"] = skipped.get("code row", 0) + 1
            continue  # the form's column codes "A B C 1 2 …"
        worker = V.parse_text(row[cols[identity]]) if cols[identity] < len(row) else None
        name = V.parse_text(row[cols["name"]]) if "name" in cols and cols["name"] < len(row) else None
        role = None
        for c in label_cols:
            text = str(row[c]).strip() if c < len(row) and row[c] is not None else ""
            role = "in" if _ROW_IN.match(text) else "out" if _ROW_OUT.match(text) else role
        if worker is None and role is not None and current[0] is not None:
            worker, name = current  # the OUT row under a merged identity cell
        if worker is None or not texts:
            if texts or worker is not None:
                skipped["no worker id" if worker is None else "no day filled"] = \
                    skipped.get("no worker id" if worker is None else "no day filled", 0) + 1
            continue
        current = (worker, name)
        for c, (k, value) in days.items():
            raw = cells[c]
            if raw is None or not str(raw).strip():
                continue
            date = value if k == "date" else _month_day(month, value)
            if date is None:
                continue
            text = str(raw).strip()
            if text.lower() in absent_marks:
                marks += 1  # a day off, sick or on leave: no record
                continue
            rec = records.setdefault((worker, date), {"worker_id": worker, "name": name, "date": date,
                                                      "times": {}, "cells": {}, "hours": None, "present": False,
                                                      "row": grid.row_numbers[i]})
            if text.lower() in present_marks:
                rec["present"] = True
                marks += 1
                continue
            try:
                times = V.parse_punches(raw) if not isinstance(raw, (int, float)) or 0 <= raw < 1 else None
                if times is None or (role is None and len(times) == 1):
                    raise ValueError
            except ValueError:
                try:
                    if role is None and isinstance(raw, (int, float)) and 0 < raw <= 24 \
                            or re.fullmatch(r"\d{1,2}(\.\d+)?", text):
                        rec["hours"] = V.parse_hours(raw)
                        presence_only = False
                        rec["cells"]["total_hours"] = (raw, f"{column_letter(c)}{grid.row_numbers[i]}")
                        continue
                    single = V.parse_clock(raw)
                except ValueError:
                    skipped["unreadable cell"] = skipped.get("unreadable cell", 0) + 1
                    continue
                times = [single]
            presence_only = False
            ref = f"{column_letter(c)}{grid.row_numbers[i]}"
            if role == "out":
                rec["times"].setdefault("out", []).extend((t, raw, ref) for t in times)
            elif role == "in":
                rec["times"].setdefault("in", []).extend((t, raw, ref) for t in times)
            else:
                rec["times"].setdefault("pairs", []).extend((t, raw, ref) for t in times)
    if not records:
        return None
    df = _grid_frame(records, document, sha256, grid, by_name=identity == "name")
    layout_note = ("presence marks only (√ 休 P …): this sheet gives days present, not hours, so no hours rule "
                   "can be checked from it") if presence_only else None
    table = Table(Kind.TIMESHEET, df, mapping.unmapped, [grid.row_numbers[head]], [], sum(skipped.values()),
                  skip_reasons=skipped, layout="day_grid",
                  columns=[ColumnRead(column_letter(c), mapping.labels.get(c, ""), f, mapping.how.get(c, ""))
                           for c, f in sorted(mapping.columns.items())]
                  + [ColumnRead(f"{column_letter(min(days))}-{column_letter(max(days))}",
                                f"{len(days)} day columns", "date",
                                f"one column per day of {month}" if month else "one column per dated day")])
    table.notes.append(f"one column per day: {len(records)} worker-days from {len(days)} day columns"
                       + (f" of {month} (from the title, sheet or file name)" if month else ""))
    if layout_note:
        table.notes.append(layout_note)
        table.presence_only = True
    if marks and not presence_only:
        table.notes.append(f"{marks} cell(s) hold a mark (√ 休 P …) instead of times: presence, no hours")
    return table


def _month_day(month: str, day: int) -> dt.date | None:
    if month is None or month.startswith("XXXX"):
        return None
    try:
        return dt.date(int(month[:4]), int(month[5:7]), day)
    except ValueError:
        return None  # day 31 of a 30-day month: the grid's spare column


def _grid_frame(records: dict[tuple[str, dt.date], dict[str, Any]], document: str, sha256: str,
                grid: Grid, by_name: bool = False) -> pl.DataFrame:
    rows = []
    for (worker, date), rec in sorted(records.items()):
        out: dict[str, Any] = {"worker_id": None if by_name else worker, "name": rec["name"] or worker,
                               "_name_only": by_name, "date": date, "_doc": document,
                               "_sha256": sha256, "_page": grid.page, "_sheet": grid.sheet, "_row": rec["row"],
                               "_bbox": None, "_bbox_unit": grid.bbox_unit, "total_hours": rec["hours"],
                               "_partial": False, "_presence": rec["present"]}
        times = rec["times"]
        if "pairs" in times:
            seq = times["pairs"]
        else:
            ins, outs = times.get("in", []), times.get("out", [])
            seq = [x for pair in zip(ins, outs) for x in pair]
            if len(ins) != len(outs):
                seq += [x for x in (ins[len(outs):] or outs[len(ins):])]
        if len(seq) % 2:
            out["_partial"] = True
        for k, (t, raw, ref) in enumerate(seq[:2 * len(PAIRS)]):
            name = f"{'in' if k % 2 == 0 else 'out'}{k // 2 + 1}"
            out[name], out[f"raw:{name}"], out[f"ref:{name}"], out[f"conf:{name}"] = t, raw_text(raw), ref, 1.0
        first = seq[0] if seq else None
        out["raw:date"], out["ref:date"], out["conf:date"] = (raw_text(first[1]), first[2], 1.0) if first else \
            (None, None, 1.0)
        if "total_hours" in rec["cells"]:
            raw, ref = rec["cells"]["total_hours"]
            out["raw:total_hours"], out["ref:total_hours"], out["conf:total_hours"] = raw_text(raw), ref, 1.0
        rows.append(out)
    schema: dict[str, pl.DataType] = {"worker_id": pl.Utf8, "name": pl.Utf8, "date": pl.Date, "_doc": pl.Utf8,
                                      "_sha256": pl.Utf8, "_page": pl.Int32, "_sheet": pl.Utf8, "_row": pl.Int32,
                                      "_bbox": pl.List(pl.Float64), "_bbox_unit": pl.Utf8,
                                      "total_hours": pl.Float64, "_partial": pl.Boolean, "_presence": pl.Boolean,
                                      "_name_only": pl.Boolean,
                                      "break_minutes": pl.Float64}
    for field in ("date", "total_hours", *PUNCH_FIELDS):
        if field in PUNCH_FIELDS:
            schema[field] = pl.Int16
        schema.update({f"raw:{field}": pl.Utf8, f"ref:{field}": pl.Utf8, f"conf:{field}": pl.Float64})
    return pl.DataFrame(rows, schema=schema, orient="row")

