"""Where a header's words leave a column undecided, its values decide — never against the words.

Two cases reach here:
- two columns whose words compose to the same field (``ColumnMapping.tied``): the one whose
  values fit the field is taken when every rival's values contradict it;
- a header that names everything a kind needs but its worker id (the id column's word is one the
  lexicon lacks: "Matricule", "Badge No" in another spelling): the one unexplained column whose
  values are plainly worker ids is read as the worker id, and the reason says so.
A header that needs its values to be understood at all is only tried once no header row reads as
a table by its words alone (layouts/table.py ``find_header``)."""
from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from typing import Any

from extractors import profiles as P
from extractors.fields import declarations
from extractors.headers import ColumnMapping, satisfies
from preaudit.core.model import PUNCH_FIELDS, Kind

#: rows under a header whose values are profiled to decide its columns
SAMPLE_ROWS = 200


def field_type(name: str) -> str | None:
    """The type a field's values must fit (fields.yaml), the name itself for names and clocks."""
    if name in PUNCH_FIELDS:
        return "clock"
    declared = declarations().get(name)
    return None if declared is None else "name" if name == "name" else declared.type


def column_profiles(rows: Sequence[Sequence[Any]], columns: Collection[int]) -> dict[int, P.ValueProfile]:
    return {c: P.profile([row[c] if c < len(row) else None for row in rows]) for c in columns}


def decide_ties(kind: Kind, mapping: ColumnMapping, profiles: dict[int, P.ValueProfile]) -> dict[str, tuple[int, str]]:
    """field → (column, reason) for each tie the values settle: exactly one column's values fit
    the field and every other one's contradict it."""
    settled: dict[str, tuple[int, str]] = {}
    per_day = kind is Kind.TIMESHEET
    for name, cols in mapping.tied.items():
        kind_of = field_type(name)
        if kind_of is None or name in mapping.columns.values() or not all(c in profiles for c in cols):
            continue
        against = {c: P.contradiction(kind_of, profiles[c], per_day=per_day) for c in cols}
        fits = [c for c, why in against.items() if why is None and profiles[c].non_empty >= P.MIN_VALUES]
        if len(fits) == 1:
            others = "; ".join(f"{mapping.labels.get(c, c)!r}: {why}" for c, why in against.items() if why)
            settled[name] = (fits[0], f"its words and those of the other columns read as {name}; only its values "
                                      f"fit {name} ({others})")
    return settled


#: rows a worker's day takes in a time record at most: a day's row, or its taps
TAPS_A_DAY = 8


def ids_by_values(kind: Kind, mapping: ColumnMapping, profiles: dict[int, P.ValueProfile],
                  rows: Sequence[Sequence[Any]], known_ids: Collection[str] | None = None) -> tuple[int, str] | None:
    """(column, reason) of the one column no word explains whose values are worker ids, or None
    when none or more than one is. In a time record a worker has a day's row or a few taps a day:
    a code shared by dozens of rows of one day (a department, a shift, a line) is nobody's id."""
    day_col = next((c for c, f in mapping.columns.items() if f in ("date", "timestamp")), None)
    found = []
    for col, prof in profiles.items():
        if col in mapping.columns:
            continue
        typed = P.field_from_values(kind, prof, ids=known_ids)
        if typed is None or typed[0] != "worker_id":
            continue
        if _words_say_otherwise(mapping, col) and "ids of the roster" not in typed[1]:
            continue  # a bank account's codes look like ids too: never against the words, unless the roster's
        if kind in (Kind.TIMESHEET, Kind.GATE_LOG) and day_col is not None and _rows_a_day(rows, col, day_col) > TAPS_A_DAY:
            continue
        found.append((col, typed[1]))
    return found[0] if len(found) == 1 else None


def _words_say_otherwise(mapping: ColumnMapping, col: int) -> bool:
    """Whether the column's header words name something no field holds (an account, a remark)."""
    return "name something no field holds" in mapping.why_unmapped.get(col, "")


def _rows_a_day(rows: Sequence[Sequence[Any]], col: int, day_col: int) -> float:
    """The median number of rows sharing one value of ``col`` on one day."""
    import statistics
    from collections import Counter

    days = Counter((str(r[col]).strip(), str(r[day_col])[:10]) for r in rows
                   if col < len(r) and day_col < len(r) and r[col] is not None and r[day_col] is not None)
    return statistics.median(days.values()) if days else 0.0


#: fields a header may name over a column of date-times: "Punch Time", "打卡时间", "Date"
STAMP_FIELDS = ("punches", "time", "date")


def stamps_by_values(kind: Kind, mapping: ColumnMapping, profiles: dict[int, P.ValueProfile]) -> dict[int, str]:
    """column → reason, for each time record column read as a punch, time or date whose values are
    date-times (a date and a clock time in each cell): it is the tap's timestamp."""
    if kind is not Kind.TIMESHEET or "timestamp" in mapping.columns.values():
        return {}
    found = {c: f for c, f in mapping.columns.items() if f in STAMP_FIELDS and c in profiles
             and profiles[c].shares.get("datetime", 0.0) >= P.UNAMBIGUOUS}
    if len(found) != 1:
        return {}
    (col, name), = found.items()
    return {col: f"header reads as {name}; its values are {P.percent(profiles[col].shares['datetime'])} "
                 f"date-times: read as the tap's timestamp"}


def decided(kind: Kind, mapping: ColumnMapping, rows: Sequence[Sequence[Any]],
            known_ids: Collection[str] | None = None) -> ColumnMapping | None:
    """The mapping with what the values decide added, when that makes the header a table of its
    kind that its words alone did not; None otherwise."""
    fields = set(mapping.columns.values())
    stamps = {"timestamp"} if kind is Kind.TIMESHEET and fields & set(STAMP_FIELDS) else set()
    if satisfies(kind, fields) or not satisfies(kind, fields | {"worker_id"} | set(mapping.tied) | stamps):
        return None
    rows = [r for r in rows[:SAMPLE_ROWS] if sum(v is not None and str(v).strip() != "" for v in r) >= 2]
    width = max((len(r) for r in rows), default=0)
    profiles = column_profiles(rows, range(width))
    columns, how = dict(mapping.columns), dict(mapping.how)
    for col, why in stamps_by_values(kind, mapping, profiles).items():
        columns[col], how[col] = "timestamp", why
    for name, (col, why) in decide_ties(kind, mapping, profiles).items():
        columns[col], how[col] = name, why
    if "worker_id" not in columns.values():
        typed = ids_by_values(kind, dataclasses.replace(mapping, columns=columns), profiles, rows, known_ids)
        if typed is not None:
            columns[typed[0]], how[typed[0]] = "worker_id", f"header {mapping.labels.get(typed[0])!r} names no field; {typed[1]}"
    if not satisfies(kind, set(columns.values())):
        return None
    why_unmapped = {c: w for c, w in mapping.why_unmapped.items() if c not in columns}
    unmapped = [mapping.labels[c] for c in sorted(mapping.labels) if c not in columns and c not in how and mapping.labels[c]]
    return dataclasses.replace(mapping, columns=columns, how=how, unmapped=unmapped, why_unmapped=why_unmapped,
                               tied={f: cs for f, cs in mapping.tied.items() if f not in columns.values()})
