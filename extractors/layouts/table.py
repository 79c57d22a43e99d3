"""The table layout: a header row (or two) naming fields, then one record per row: a register,
a roster, a tap log, a time card, a gate log, whatever the kind the header's meaning decides.

``find_header`` finds the header among the first rows; ``read`` skips what is no record (totals,
notes, a header printed again, column codes), parses each field's column and attaches each value's
provenance, so a scanned register and an Excel export end up as the same table.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import statistics
from collections.abc import Collection, Sequence
from typing import Any

import polars as pl

from extractors import values as V
from extractors import columns_by_values as by_values
from extractors import profiles as P
from extractors.fields import declarations, fold_chinese
from extractors.headers import (NOT_MONEY, PARTS, REQUIRED, SYNONYMS, ColumnMapping, HeaderMapper, HeaderMatch,
                               satisfies)
from extractors.layouts.taps import normalise_time_records
from extractors.parsers import DATE_FIELDS, DAY_FIELDS, parser_for
from extractors.rows import (DATA_TEXT, HEADER_SCAN_ROWS, HeaderRows, cell_problems, cell_texts, column_letter,
                             is_label_row, labelled_values,
                             is_title, looks_like_data, provenance, raw_text, row_not_a_record)
from extractors.types import ColumnRead, Grid, Table, Unclassified
from preaudit.core.options import ReadingOptions
from preaudit.core.model import FIELDS, PUNCH_FIELDS, Kind, Problem

# ------------------------------------------------------------------ header detection


def find_header(grid: Grid, mapper: HeaderMapper, kinds: Sequence[Kind] | None = None,
                known_ids: Collection[str] | None = None) -> tuple[int, int, ColumnMapping] | Unclassified:
    """(first header row index, header row count, mapping) of the best-reading header, among the
    given kinds (all of them unless factory.yaml names the document's kind). A grid whose reader
    named its columns (``Grid.fields``) has no header row: its mapping is the reader's. ``known_ids``:
    the worker ids other documents of the pack hold (a column of them is the worker id)."""
    kinds = list(kinds or SYNONYMS)
    if grid.fields is not None and grid.kind is not None:
        if grid.kind not in kinds:
            return Unclassified(f"the reader found a {grid.kind.value}, not a {' or '.join(k.value for k in kinds)}")
        columns = dict(enumerate(grid.fields))
        return 0, 0, ColumnMapping(grid.kind, columns, score=float(len(columns)),
                                   how={c: "named by the reader (its label on the page)" for c in columns},
                                   labels={c: f.replace("_", " ") for c, f in columns.items()})
    scan = [cell_texts(r) for r in grid.rows[:HEADER_SCAN_ROWS + 1]]
    single: dict[tuple[int, Kind], ColumnMapping] = {}
    for r in range(len(scan)):
        for kind in kinds:
            single[(r, kind)] = mapper.map_columns(kind, [scan[r]])
    best: tuple[tuple[int, float], int, int, ColumnMapping] | None = None
    data_rows = [looks_like_data(row) or is_title(row) or is_label_row(row) for row in grid.rows[:len(scan)]]
    for r in range(min(len(scan), HEADER_SCAN_ROWS)):
        if is_title(grid.rows[r]) or is_label_row(grid.rows[r]):  # "Employee ID: 10023": stated, not a header
            continue
        for kind in kinds:
            options = [(1, single[(r, kind)])]
            if r + 1 < len(scan) and not data_rows[r + 1]:
                double = mapper.map_columns(kind, [scan[r], scan[r + 1]])
                n1, n2 = len(single[(r, kind)].columns), len(double.columns)
                # the second line is header too when it adds fields, reads as a header itself, or
                # holds only sub-header words under a header whose worker-id cell it leaves empty;
                # a first line naming nothing that the second does not name alone is no header (the
                # last record above a header printed again)
                alone = len(single[(r + 1, kind)].columns)
                if (n2 > n1 and (n1 > 0 or n2 > alone)) or (n2 == n1 and (len(single[(r + 1, kind)].columns) >= 2
                                             or _sub_header(scan[r + 1], single[(r, kind)]))):
                    options = [(2, double)]
            for span, mapping in options:
                fields = set(mapping.columns.values())
                if not satisfies(kind, fields):
                    mapping = _with_stated(grid, mapper, kind, r, mapping)
                    if mapping is None:
                        continue
                rank = (len(fields), mapping.score)
                if best is None or rank > best[0]:
                    best = (rank, r, span, mapping)
    if best is None:
        best = _header_completed_by_values(grid, single, kinds, known_ids)
    if best is None:
        return _why_unclassified(single)
    _, r, span, mapping = best
    return r, span, mapping


_NO_FIELD = HeaderMatch(None, 0.0)
#: who the records are about, when a card states it above its days instead of in a column
STATED_FIELDS = ("worker_id", "name")


def stated_above(grid: Grid, mapper: HeaderMapper, kind: Kind, head: int) -> dict[str, tuple[str, int, int]]:
    """field → (value, row index, column) of each worker field a job card or time card states in
    labelled rows above its header ("Employee ID: 10023", "姓名：张三")."""
    stated: dict[str, tuple[str, int, int]] = {}
    for i in range(head):
        for col, label, value in labelled_values(grid.rows[i]):
            hit = mapper.match(Kind.ROSTER, [label]) or mapper.match(kind, [label])
            if hit is not None and hit.field in STATED_FIELDS and hit.field not in stated:
                stated[hit.field] = (value, i, col)
    return stated


def _with_stated(grid: Grid, mapper: HeaderMapper, kind: Kind, head: int, mapping: ColumnMapping):
    """The mapping with the worker a card states above it, when that makes it a table of its kind."""
    if kind not in (Kind.TIMESHEET, Kind.PAYROLL, Kind.PRODUCTION_OUTPUT):
        return None
    fields = set(mapping.columns.values())
    stated = {f: v for f, v in stated_above(grid, mapper, kind, head).items() if f not in fields}
    if not stated or not satisfies(kind, fields | set(stated)):
        return None
    return dataclasses.replace(mapping, stated=stated)


def _header_completed_by_values(grid: Grid, single: dict[tuple[int, Kind], ColumnMapping], kinds: Sequence[Kind],
                       known_ids: Collection[str] | None):
    """The best header its values complete (columns_by_values.py), when none reads by its words."""
    best = None
    for (r, kind), mapping in single.items():
        if kind not in kinds or r >= HEADER_SCAN_ROWS or is_title(grid.rows[r]):
            continue
        completed = by_values.decided(kind, mapping, grid.rows[r + 1:r + 1 + by_values.SAMPLE_ROWS], known_ids)
        if completed is None:
            continue
        rank = (len(set(completed.columns.values())), completed.score)
        if best is None or rank > best[0]:
            best = (rank, r, 1, completed)
    return best


#: a software's field code: no space, and an underscore, a digit or a capital inside ("NhanSuID",
#: "TT_THEMGIO", "LUONGKY1")
_CODE = re.compile(r"^(?=.*(?:_|\d|[a-z][A-Z]|[A-Z]{4,}))[A-Za-z][A-Za-z0-9_]*$")


def _coded_header(labels: Sequence[str]) -> list[str]:
    """The header's cells when most of them are field codes rather than words, else []."""
    labels = [t.strip() for t in labels if t and t.strip()]
    coded = [t for t in labels if _CODE.match(t)]
    return coded if len(labels) >= 3 and len(coded) * 2 > len(labels) else []


def _sub_header(row: Sequence[str | None], mapping: ColumnMapping) -> bool:
    """A row of words under the header ("平时 / 奖励" under a merged "加班工时"): empty where the
    header names the worker id, no numbers anywhere, and under at least one header cell."""
    ids = [c for c, f in mapping.columns.items() if f == "worker_id"]
    words = [(c, v.strip()) for c, v in enumerate(row) if v is not None and v.strip()]
    return bool(ids) and bool(words) and all(c >= len(row) or not (row[c] or "").strip() for c in ids) \
        and not any(re.search(r"\d", w) and not re.search(r"[^\d\s.,]", w) for _, w in words)


def _why_unclassified(single: dict[tuple[int, Kind], ColumnMapping]) -> Unclassified:
    if not single:
        return Unclassified("no rows")
    (row, kind), mapping = max(single.items(), key=lambda kv: (len(kv[1].columns), kv[1].score))
    fields = set(mapping.columns.values())
    if not fields:
        coded = _coded_header(mapping.unmapped)
        return Unclassified("no header row names any known field of "
                            + ", ".join(k.value for k in SYNONYMS)
                            + (f"; its header is codes, not words ({', '.join(coded[:6])}"
                               f"{' …' if len(coded) > 6 else ''}): factory.yaml's column_map can name them"
                               if coded else ""),
                            [u for u in mapping.unmapped][:30])
    missing = [" or ".join(sorted(need)) for need in REQUIRED[kind] if not fields & need]
    return Unclassified(f"closest to {kind.value} (header row {row + 1} maps "
                        f"{', '.join(sorted(fields))}) but it lacks {'; '.join(missing)}",
                        mapping.unmapped[:30], closest=kind)


# ------------------------------------------------------------------ grid → table

#: who a record is about, not what it says: a row holding only these is no time or pay record
IDENTITY_FIELDS = {"worker_id", "name", "department", "position", "gender", "national_id", "card_no"}


def read(grid: Grid, mapper: HeaderMapper, *, document: str, sha256: str,
         options: ReadingOptions) -> Table | Unclassified:
    """The table under the best-reading header (of the kind factory.yaml names, if it names one),
    or why no row reads as one. A time record table's rows become worker-days (taps.py)."""
    found = find_header(grid, mapper, [Kind(options.kind)] if options.kind else None, options.known_ids)
    if isinstance(found, Unclassified):
        return found
    head, span, mapping = found
    kind = mapping.kind
    header_texts = HeaderRows.of([cell_texts(r) for r in grid.rows[head:head + span]])
    notes: list[str] = []
    if kind is Kind.PAYROLL:
        _parts_by_values(mapping, mapper, grid.rows[head + span:])
    id_col = next(c for c, f in mapping.columns.items() if f == "worker_id") \
        if "worker_id" in mapping.columns.values() else None
    # a payroll may name its workers without ids (the roster's id is found for the name later): an
    # id column whose values are names is read as the names before the rows are chosen, since the
    # table's end is told by its ids
    if id_col is not None and "name" not in mapping.columns.values() and kind is Kind.PAYROLL:
        below = P.profile([grid.rows[i][id_col] if id_col < len(grid.rows[i]) else None
                           for i in range(head + span, len(grid.rows))])
        said = P.contradiction("worker_id", below)
        if said and below.shares.get("person_name", 0.0) >= P.UNAMBIGUOUS:
            mapping.columns[id_col] = "name"
            mapping.how[id_col] = (f"header says worker_id; {said} — not read as worker_id; read as name (typed "
                                   f"by its values: {P.percent(below.shares['person_name'])} person names)")
            notes.append(f"{mapping.labels.get(id_col, 'the id column')!r} holds names, not ids: read as the "
                         f"workers' names (no worker id in the document)")
            id_col = None
    value_cols = tuple(sorted(c for c, f in mapping.columns.items() if f not in IDENTITY_FIELDS)) \
        if kind in (Kind.TIMESHEET, Kind.PAYROLL, Kind.GATE_LOG, Kind.ACCESS_LOG) else ()

    keep: list[int] = []
    skipped = 0
    skip_reasons: dict[str, int] = {}
    blank_run = 0
    id_shapes = _IdShapes(grid.rows, keep, id_col)
    for i in range(head + span, len(grid.rows)):
        row = grid.rows[i]
        reason = row_not_a_record(row, header_texts, id_col, value_cols)
        if reason == "blank":
            blank_run += 1
            continue
        end = _table_ends(row, kind, mapper, id_col, id_shapes, blank_run) if keep else None
        if end is None and "worker_id" in mapping.stated and is_label_row(row) and any(
                (mapper.match(Kind.ROSTER, [label]) or mapper.match(kind, [label]) or _NO_FIELD).field == "worker_id"
                for _, label, _ in labelled_values(row)):
            end = "another worker's card"  # its days are not this worker's
        blank_run = 0
        if end:
            rest = sum(1 for r in grid.rows[i:] if any(v is not None and str(v).strip() for v in r))
            skipped += rest
            skip_reasons[f"under the table's end ({end})"] = rest
            notes.append(f"the table ends at row {grid.row_numbers[i]} ({end}): "
                         f"the {rest} filled row(s) from there are not read as records")
            break
        if reason:
            skipped += 1  # totals, notes, signatures, code rows under the header
            skip_reasons[reason] = skip_reasons.get(reason, 0) + 1
            continue
        keep.append(i)

    profiles = _read_by_values(kind, mapping, keep, grid, options.known_ids)
    if not satisfies(kind, set(mapping.columns.values()) | set(mapping.stated)):
        why = "; ".join(f"{mapping.labels.get(c) or column_letter(c)} ({column_letter(c)}): {mapping.how[c]}"
                        for c in sorted(mapping.how) if mapping.how[c].startswith("header says"))
        return Unclassified(f"header row {grid.row_numbers[head]} reads as {kind.value}, but its values say "
                            f"otherwise: {why}", mapping.unmapped[:30])
    id_col = next((c for c, f in mapping.columns.items() if f == "worker_id"), None)

    problems: list[Problem] = []
    data: dict[str, pl.Series] = {}
    n = len(keep)
    row_numbers = [grid.row_numbers[i] for i in keep]

    def cell(i: int, col: int) -> Any:
        row = grid.rows[i]
        return row[col] if col < len(row) else None

    by_field: dict[str, list[int]] = {}
    for col, name in sorted(mapping.columns.items()):
        by_field.setdefault(name, []).append(col)
    if len(by_field.get("punch_state", [])) > 1:
        by_field["punch_state"] = [_state_column(by_field["punch_state"], id_col, keep, grid)]
    for name, cols in by_field.items():
        if len(cols) > 1:  # parts summed into one field (allowances over 3-6 columns)
            data.update(_summed_parts(name, cols, keep, row_numbers, grid, mapping, problems))
            continue
        col = cols[0]
        raw = [cell(i, col) for i in keep]
        name = _decided_by_values(kind, name, raw)
        if name == "punch_state" and not _reads_as_states(raw):
            marks = sorted({str(v).strip() for v in raw if v is not None and str(v).strip()})[:6]
            notes.append(f"{mapping.labels.get(col)!r} holds the day's marks ({', '.join(marks)}), not a tap's "
                         f"in/out: not read as one")
            del mapping.columns[col]
            mapping.how[col] = "not read: its values are no in/out states"
            mapping.unmapped.append(mapping.labels.get(col) or column_letter(col))
            continue
        targets = list(PUNCH_FIELDS) if name == "punches" else [name]
        if name == "punches":
            parsed, failed = V.parse_column(raw, V.parse_punches)
            parsed = [p or [] for p in parsed]
            for k, target in enumerate(targets):
                data[target] = pl.Series(target, [p[k] if k < len(p) else None for p in parsed],
                                         dtype=pl.Int16)
        else:
            parse, dtype = parser_for(name, raw, options.date_order(), options.default_date_order)
            parsed, failed = V.parse_column(raw, parse)
            if col in mapping.scale and not _unit_contradicted(parsed, mapping.scale[col]):
                parsed = [None if v is None else round(v * mapping.scale[col], 4) for v in parsed]
            elif col in mapping.scale:  # a wrong unit in a header must not rescale a whole column
                mapping.how[col] = f"{mapping.how[col]}; kept as read: the values do not look like the header's unit"
            data[name] = pl.Series(name, parsed, dtype=dtype)
        problems += cell_problems(name, col, failed, raw, keep, row_numbers, grid)
        data.update(provenance(name, [col], keep, row_numbers, grid, [raw_text(v) for v in raw]))

    for name, (value, i, col) in mapping.stated.items():  # the card's worker, stated once above its days
        parse, dtype = parser_for(name, [value])
        data[name] = pl.Series(name, [V.parse_column([value], parse)[0][0]] * n, dtype=dtype)
        data.update(_stated_provenance(name, value, i, col, n, grid))
        notes.append(f"{name.replace('_', ' ')} {value!r} is stated above the table (row {grid.row_numbers[i]}): "
                     f"every record is read as that worker's")
    if kind is Kind.PAYROLL and "deductions_total" in data:
        _deductions_from_total(data, by_field, mapping)
    if kind is Kind.PAYROLL:
        unread = _unread_money(mapping, keep, grid)
        if unread is not None:
            data["_unread_money"] = unread

    for name in FIELDS[kind]:  # every canonical column exists, null where the document lacks it
        if name not in data:
            _, dtype = parser_for(name, [])
            data[name] = pl.Series(name, [None] * n, dtype=dtype)

    period_note = None
    if kind is Kind.PAYROLL and data["period"].null_count():
        context = [" ".join(dict.fromkeys(str(v) for v in r if v is not None)) for r in grid.rows[:head + span]]
        fallback = V.period_from_context(context + grid.context)
        if fallback:
            data["period"] = data["period"].fill_null(fallback)
        elif data["pay_date"].null_count() < n:
            # the last resort: wages are paid after the month they are for, so a pay date in the first
            # twenty days of a month pays the month before. A month found this way cannot judge
            # LAB-PAY-LATE, and the report says where it came from.
            from_pay_date = pl.DataFrame({"d": data["pay_date"]}).select(
                pl.when(pl.col("d").dt.day() <= 20).then(pl.col("d").dt.offset_by("-1mo")).otherwise(pl.col("d"))
                .dt.strftime("%Y-%m")).to_series()
            data["_period_from_pay_date"] = data["period"].is_null() & from_pay_date.is_not_null()
            data["period"] = data["period"].fill_null(from_pay_date)
            period_note = "pay month taken from the pay date (no month in a column, the title, the sheet or file name)"
        else:
            problems.append(Problem(None, "period", None,
                                    "no pay period in a column, the title, the sheet or file name"))

    if kind is Kind.PAYROLL and "worker_id" not in by_field:
        data["_name_only"] = pl.Series([True] * n, dtype=pl.Boolean)

    if kind in (Kind.GATE_LOG, Kind.ACCESS_LOG):  # date and time in two columns → one timestamp
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
    table = Table(kind, df, mapping.unmapped, header_rows, problems, skipped,
                  skip_reasons=skip_reasons, columns=_column_report(mapping, profiles))
    table.notes += notes
    if period_note:
        table.notes.append(period_note)
    for col, how in sorted(mapping.how.items()):  # what the values overruled, said where the document is read
        if how.startswith("header says"):
            table.notes.append(f"{mapping.labels.get(col) or column_letter(col)} ({column_letter(col)}): {how}")
    for name in DATE_FIELDS | {"timestamp"}:
        if name in by_field and kind is not Kind.LICENSE:
            raw = [cell(i, by_field[name][0]) for i in keep]
            if not options.date_order() and not V.has_ambiguous_dates(raw):
                continue  # ISO dates, 2026年3月5日, Excel dates: nothing was decided
            order = options.date_order() or V.date_order(raw, options.default_date_order, days=name in DAY_FIELDS)
            how = "factory.yaml date_format" if options.date_order() else "decided from the column's values"
            table.notes.append(f"{name}: {_ORDER_NAMES[order]} ({how})")
    if kind is Kind.TIMESHEET:
        table = normalise_time_records(table, options.layout)
    return table


_ORDER_NAMES = {"DMY": "day first (DD/MM/YYYY)", "MDY": "month first (MM/DD/YYYY)", "YMD": "year first (YY-MM-DD)"}


def _unit_contradicted(values: list[Any], factor: float) -> bool:
    """The values say the header's unit is wrong: "(分钟)" over 8, 9.5, 10 (hours of a day), or
    "(h)" over a break of 30, 45, 60 (minutes)."""
    numbers = [v for v in values if v is not None]
    if not numbers:
        return False
    typical = statistics.median(numbers)
    return typical <= 24 if factor < 1 else typical > 24


def _column_report(mapping: ColumnMapping, profiles: dict[int, P.ValueProfile] | None = None
                   ) -> list[ColumnRead]:
    """Each column's label as printed, the field it feeds (or none), how that was decided, and what
    its values look like ("92 % clock times, 8 % empty")."""
    profiles = profiles or {}
    return [ColumnRead(column_letter(c), label, mapping.columns.get(c),
                       mapping.how.get(c) or mapping.why_unmapped.get(c, "unmapped"),
                       profiles[c].describe() if c in profiles else "")
            for c, label in sorted(mapping.labels.items()) if label or c in mapping.columns]


def _field_type(name: str) -> str | None:
    if name in PUNCH_FIELDS:
        return "clock"
    declared = declarations().get(name)
    return None if declared is None else "name" if name == "name" else declared.type


def _read_by_values(kind: Kind, mapping: ColumnMapping, keep: list[int], grid: Grid,
                    known_ids: Collection[str] = ()) -> dict[int, P.ValueProfile]:
    """Each column's value profile, and what the values decide (extractors/profiles.py): a column
    whose values contradict its header's reading is not read as that field (a payroll's "Employee
    ID" over first names: read as the name when no column has it), and a column no header word
    explains becomes the field its values leave no doubt about, where the table lacks that field
    (a tap log's "Type" of In/Out is the punch state). Both go into the column report."""
    width = max([len(mapping.labels)] + [len(grid.rows[i]) for i in keep[:200]])
    profiles: dict[int, P.ValueProfile] = {}
    for col in range(width):
        if col in mapping.labels or col in mapping.columns or any(
                col < len(grid.rows[i]) and grid.rows[i][col] is not None for i in keep[:200]):
            profiles[col] = P.profile([grid.rows[i][col] if col < len(grid.rows[i]) else None for i in keep])
    for name, (col, why) in by_values.decide_ties(kind, mapping, profiles).items():  # words tie, values choose
        mapping.columns[col] = name
        mapping.how[col] = why
        mapping.why_unmapped.pop(col, None)
        if mapping.labels.get(col) in mapping.unmapped:
            mapping.unmapped.remove(mapping.labels[col])
    contradicted: list[tuple[int, str]] = []
    for col, name in sorted(mapping.columns.items()):
        field_type = _field_type(name)
        if field_type is None or col not in profiles:
            continue
        per_day = None if col in mapping.scale else kind is Kind.TIMESHEET
        reason = P.contradiction(field_type, profiles[col], per_day=per_day)
        if reason:
            contradicted.append((col, name))
            del mapping.columns[col]
            mapping.scale.pop(col, None)
            mapping.how[col] = f"header says {name}; {reason} — not read as {name}"
            if mapping.labels.get(col) and mapping.labels[col] not in mapping.unmapped:
                mapping.unmapped.append(mapping.labels[col])
    have = set(mapping.columns.values())
    for col, name in contradicted:  # who a record is about, under the wrong word: "Employee ID" over names
        if name in IDENTITY_FIELDS and "name" not in have and kind is not Kind.LICENSE \
                and profiles[col].shares.get("person_name", 0.0) >= P.UNAMBIGUOUS \
                and "name" in _fields_of(kind):
            mapping.columns[col] = "name"
            mapping.how[col] += f"; read as name (typed by its values: {P.percent(profiles[col].shares['person_name'])} person names)"
            have.add("name")
        elif name == "time" and "date" not in have and "date" in _fields_of(kind) \
                and profiles[col].shares.get("date", 0.0) >= P.UNAMBIGUOUS:  # 时间 over the day's dates
            mapping.columns[col] = "date"
            mapping.how[col] += f"; read as date (typed by its values: {P.percent(profiles[col].shares['date'])} dates)"
            have.add("date")
    id_col = next((c for c, f in mapping.columns.items() if f == "worker_id"), None)
    workers = [grid.rows[i][id_col] if id_col < len(grid.rows[i]) else None for i in keep] \
        if id_col is not None else None
    found: dict[str, list[tuple[int, str]]] = {}
    for col, prof in profiles.items():
        if col in mapping.columns or col in mapping.how:
            continue
        typed = P.field_from_values(kind, prof, ids=known_ids or None, workers=workers)
        if typed is None or typed[0] in have or typed[0] not in _fields_of(kind) | {"punches"}:
            continue
        if typed[0] == "punches" and have & ({"in1", "out1"} | set(PUNCH_FIELDS)):
            continue
        found.setdefault(typed[0], []).append((col, typed[1]))
    for name, cols in found.items():
        if len(cols) != 1:  # two columns of In/Out words: the values do not say which
            continue
        (col, why), = cols
        mapping.columns[col] = name
        mapping.how[col] = why
        if mapping.labels.get(col) in mapping.unmapped:
            mapping.unmapped.remove(mapping.labels[col])
    return profiles


def _fields_of(kind: Kind) -> set[str]:
    return set(FIELDS[kind]) | set(SYNONYMS.get(kind, {}))


def _deductions_from_total(data: dict[str, pl.Series], by_field: dict[str, list[int]],
                           mapping: ColumnMapping) -> None:
    """A register's total of deductions (扣款合计, Total Deduction, Cộng) holds its social-insurance
    parts too: with no deduction column of its own, deductions = total − social insurance."""
    total = data.pop("deductions_total")
    provenance = {key: data.pop(f"{key}:deductions_total", None) for key in ("raw", "ref", "conf", "bbox")}
    (col,) = by_field["deductions_total"][:1]
    if "deductions" in by_field:
        mapping.how[col] = "subtotal of deductions (its parts are read instead)"
        return
    si = data.get("social_insurance")
    derived = total - si.fill_null(0) if si is not None else total
    data["deductions"] = derived.clip(lower_bound=0).alias("deductions")
    parts = [total.to_list(), si.to_list() if si is not None else [None] * len(total)]
    data["raw:deductions"] = pl.Series([None if t is None else f"{mapping.labels.get(col)}={t:g}"
                                        + (f" − social insurance {s:g}" if s else "") for t, s in zip(*parts)],
                                       dtype=pl.Utf8)
    for key in ("ref", "conf", "bbox"):
        if provenance[key] is not None:
            data[f"{key}:deductions"] = provenance[key].alias(f"{key}:deductions")
    mapping.how[col] = "total of deductions, social insurance taken out"


def _unread_money(mapping: ColumnMapping, keep: list[int], grid: Grid) -> pl.Series | None:
    """Per payroll line, the money it holds in columns no field took ("夜班费=120"), or None
    when there is none: such a line cannot be re-added (LAB-PAYROLL-ARITHMETIC), which
    DQ-COVERAGE then says instead of a finding per worker."""
    money_cols = []
    for col, label in mapping.labels.items():
        if col in mapping.columns or col in mapping.how or not label or NOT_MONEY.search(fold_chinese(label)):
            continue
        values = [grid.rows[i][col] if col < len(grid.rows[i]) else None for i in keep]
        present = [v for v in values if v is not None and str(v).strip()]
        parsed, failed = V.parse_column(present, V.parse_amount)
        numbers = [p for p in parsed if p is not None]
        if present and not failed and any(abs(n) >= 1 for n in numbers) \
                and not all(float(n).is_integer() and 0 <= n <= 31 for n in numbers):
            money_cols.append((col, label))
    if not money_cols:
        return None
    texts = []
    for i in keep:
        parts = []
        for col, label in money_cols:
            value = grid.rows[i][col] if col < len(grid.rows[i]) else None
            try:
                amount = V.parse_amount(value)
            except ValueError:
                continue
            if amount:
                parts.append(f"{label}={raw_text(value)}")
        texts.append("; ".join(parts) or None)
    return pl.Series("_unread_money", texts, dtype=pl.Utf8)


def _amount(row: Sequence[Any], col: int) -> float | None:
    try:
        return V.parse_amount(row[col]) if col < len(row) else None
    except ValueError:
        return None


def _parts_by_values(mapping: ColumnMapping, mapper: HeaderMapper, rows: Sequence[Sequence[Any]]) -> None:
    """Pay parts the values settle: a column the header words take for the subtotal of a field's
    parts (社保 beside 公积金) whose values are not their sum is one more part; a second column
    naming a field that parts are summed into (津贴 beside 补贴) is one more part, not left unread."""
    parted = {f for f in set(mapping.columns.values()) if f in PARTS}
    for col, how in list(mapping.how.items()):
        if col in mapping.columns or not how.startswith("subtotal of "):
            continue
        field = how.split()[2]
        parts = [c for c, f in mapping.columns.items() if f == field]
        checked = agree = 0
        for row in rows[:500]:
            total, amounts = _amount(row, col), [_amount(row, c) for c in parts]
            if total is None or any(a is None for a in amounts) or not (total or any(amounts)):
                continue
            checked += 1
            agree += abs(total - sum(amounts)) <= max(1.0, 0.005 * abs(total))
        if checked >= 3 and agree < 0.5 * checked:
            mapping.columns[col] = field
            mapping.how[col] = f"part of {field}: its values are not the sum of the other parts"
    for col, label in mapping.labels.items():
        # a subtotal's words (合计, Total, Cộng) keep it out: 加班费合计 beside 加班费 is no second part
        field = mapper.exact(Kind.PAYROLL, label) if label and col not in mapping.columns \
            and not NOT_MONEY.search(label) else None
        if field in parted and col not in mapping.how:
            mapping.columns[col] = field
            mapping.how[col] = f"part of {field}: a second column naming it"
            if label in mapping.unmapped:
                mapping.unmapped.remove(label)


def _reads_as_states(values: list[Any]) -> bool:
    """Most of a state column's values read as in or out (P, A, WO are a day's marks)."""
    said = [v for v in values if v is not None and str(v).strip()]
    if not said:
        return True
    read = 0
    for value in said:
        try:
            read += V.parse_punch_state(value) is not None
        except ValueError:
            pass
    return read >= 0.5 * len(said)


def _id_shape(value: Any) -> str | None:
    text = V.parse_text(value)
    if text is None:
        return None
    return re.sub(r"9+", "9", re.sub(r"[^\W\d_]+", "A", re.sub(r"\d", "9", text.strip())))


def _stated_provenance(name: str, value: str, i: int, col: int, n: int, grid: Grid) -> dict[str, pl.Series]:
    """Every record cites the one cell that states the card's worker."""
    ref = f"{column_letter(col)}{grid.row_numbers[i]}" if grid.spreadsheet else None
    conf = grid.cell_confs[i][col] if grid.cell_confs and col < len(grid.cell_confs[i]) else None
    out = {f"raw:{name}": pl.Series([value] * n, dtype=pl.Utf8), f"ref:{name}": pl.Series([ref] * n, dtype=pl.Utf8),
           f"conf:{name}": pl.Series([1.0 if conf is None else conf] * n, dtype=pl.Float64)}
    if grid.cell_boxes is not None:
        box = grid.cell_boxes[i][col] if col < len(grid.cell_boxes[i]) else None
        out[f"bbox:{name}"] = pl.Series([list(box) if box else None] * n, dtype=pl.List(pl.Float64))
    return out


class _IdShapes:
    """The id shapes of the records kept so far, brought up to date only when asked (after a gap
    of blank rows): each kept row is shaped once, however many gaps a million-row file has."""

    def __init__(self, rows: Sequence[Sequence[Any]], keep: list[int], id_col: int | None):
        self.rows, self.keep, self.id_col, self.done, self.shapes = rows, keep, id_col, 0, set()

    def __call__(self) -> set[str]:
        col = self.id_col
        for k in self.keep[self.done:]:
            if col is not None and col < len(self.rows[k]):
                self.shapes.add(_id_shape(self.rows[k][col]))
        self.done = len(self.keep)
        return self.shapes - {None}


def _table_ends(row: Sequence[Any], kind: Kind, mapper: HeaderMapper, id_col: int | None,
                id_shapes: _IdShapes, blank_run: int) -> str | None:
    """Why the table ends at this row, or None: another table's header (a lookup block, a
    transposed copy: two or more cells naming fields word for word), or, after a gap of blank
    rows, a row whose id is not shaped like any record's above (a block of statistics)."""
    filled = [v for v in row if v is not None and str(v).strip()]
    if all(isinstance(v, str) and not looks_like_data([v]) for v in filled):
        fields = {mapper.exact(kind, v.strip()) for v in filled} - {None}
        if len(fields) >= 2 and len(fields) * 2 > len(filled):
            return "another table's header"
    if blank_run >= 2 and id_col is not None:
        shapes = id_shapes()
        here = _id_shape(row[id_col]) if id_col < len(row) else None
        if shapes and here not in shapes:
            return "after a gap, a row with no record's id"
    return None


def _decided_by_values(kind: Kind, name: str, raw: list[Any]) -> str:
    """A column's values settle what its header leaves open: a time record's "Time" (att2000) or
    "Date" column holding a date and a clock time in each cell is the tap's timestamp."""
    if kind is not Kind.TIMESHEET or name not in ("time", "date"):
        return name
    sample = [v for v in raw if v is not None and str(v).strip()][:200]
    stamps = 0
    for value in sample:
        if isinstance(value, dt.datetime):
            stamps += value.time() != dt.time(0)
        elif isinstance(value, str) and DATA_TEXT.search(value) and re.search(r"\d\s*[:：]\s*\d", value):
            try:
                stamps += V.parse_timestamp(value) is not None
            except (ValueError, OverflowError, TypeError):
                pass
    return "timestamp" if sample and stamps >= 0.8 * len(sample) else name


def _state_column(cols: list[int], id_col: int | None, keep: list[int], grid: Grid) -> int:
    """Of several columns that may hold a tap's in/out state, the one whose values all read as
    states and alternate in, out, in, out for each worker in file order."""
    def score(col: int) -> tuple[float, int]:
        last: dict[Any, str] = {}
        turns = read = 0
        for i in keep:
            row = grid.rows[i]
            try:
                state = V.parse_punch_state(row[col] if col < len(row) else None)
            except ValueError:
                return (-1.0, -col)
            if state is None:
                continue
            worker = row[id_col] if id_col is not None and id_col < len(row) else None
            turns += last.get(worker) not in (None, state)
            read += 1
            last[worker] = state
        return (turns / read if read else 0.0, -col)
    return max(cols, key=score)


def _summed_parts(name: str, cols: list[int], keep: list[int], row_numbers: list[int], grid: Grid,
                  mapping: ColumnMapping, problems: list[Problem]) -> dict[str, pl.Series]:
    """One field from several columns: the sum of the parts that hold a value (null when none
    does), the raw text naming each part ("岗位津贴=200; 全勤奖=100")."""
    parse, dtype = parser_for(name, [])
    totals: list[float | None] = [None] * len(keep)
    texts: list[list[str]] = [[] for _ in keep]
    for col in cols:
        raw = [grid.rows[i][col] if col < len(grid.rows[i]) else None for i in keep]
        parsed, failed = V.parse_column(raw, parse)
        problems += cell_problems(name, col, failed, raw, keep, row_numbers, grid)
        for k, value in enumerate(parsed):
            if value is not None:
                totals[k] = (totals[k] or 0.0) + value
            if raw[k] is not None and str(raw[k]).strip():
                texts[k].append(f"{mapping.labels.get(col) or column_letter(col)}={raw_text(raw[k])}")
    out = {name: pl.Series(name, totals, dtype=dtype)}
    out.update(provenance(name, cols, keep, row_numbers, grid, ["; ".join(t) or None for t in texts]))
    return out
