"""Time records in the shapes time clocks and HR apps export (reference/real-exports.md), all
turned into the same worker-day rows: worker_id, date, in1/out1 … in5/out5, each punch keeping the
cell it came from.

- ``tap_log``: one row per tap (ZKTeco attendance logs, att2000, pyzk scripts, DingTalk 原始记录),
  with or without an in/out state; taps are paired per worker, double taps dropped.
- ``day_rows``: one row per worker-day with numbered pairs (ZKTeco time card, DingTalk 每日统计).
- ``day_segments``: several rows per worker-day (att2000 timetables): the day is their sum, which
  the dataset takes per document.
- ``day_grid``: one column per day (Hikvision Attendance Record, 考勤表, India Form D), read by
  ``read_day_grid``.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from extractors.grid import Problem, Table
from preaudit.model import FIELDS, PAIRS, PUNCH_FIELDS, Kind

#: two taps of one worker this close together are one tap pressed twice (minutes; timestamps
#: are read to the minute)
DOUBLE_TAP_MINUTES = 2
#: an in-tap and the out-tap after it further apart than this are not one shift
MAX_SHIFT_MINUTES = 20 * 60
_PROVENANCE = ("raw", "ref", "conf", "bbox")


def normalise_time_records(table: Table) -> Table:
    df = table.df
    punched = [c for c in PUNCH_FIELDS if df[c].null_count() < df.height] if df.height else []
    has_taps = "timestamp" in df.columns and df["timestamp"].null_count() < df.height
    has_time = "time" in df.columns and df["time"].null_count() < df.height
    if not punched and df["total_hours"].null_count() == df.height and (has_taps or has_time):
        return _taps_to_days(table)
    keyed = df.filter(pl.col("worker_id").is_not_null() & pl.col("date").is_not_null())
    repeated = keyed.height - keyed.select("worker_id", "date").n_unique() if keyed.height else 0
    if repeated:
        table.layout = "day_segments"
        table.notes.append(f"{repeated} worker-day row(s) repeat a worker and date: read as segments "
                           f"of one day (timetables, shifts), whose hours are summed")
    else:
        table.layout = "day_rows"
    return table


def _tap_times(df: pl.DataFrame) -> tuple[pl.Series, str]:
    """Each tap's moment, and the field whose cell holds it (timestamp, or date and time)."""
    if "timestamp" in df.columns and df["timestamp"].null_count() < df.height:
        joined = df["timestamp"]
        if "time" in df.columns:
            joined = joined.fill_null(df.select(
                (pl.col("date").cast(pl.Datetime("us")) + pl.duration(minutes=pl.col("time")))).to_series())
        return joined, "timestamp"
    return df.select((pl.col("date").cast(pl.Datetime("us"))
                      + pl.duration(minutes=pl.col("time"))).alias("ts")).to_series(), "time"


def _taps_to_days(table: Table) -> Table:
    df = table.df
    ts, source = _tap_times(df)
    states = df["punch_state"] if "punch_state" in df.columns and df["punch_state"].null_count() < df.height \
        else None
    taps = df.with_columns(ts.alias("_ts"), (states if states is not None else pl.lit(None, pl.Utf8)).alias("_state"),
                           pl.int_range(pl.len()).alias("_i"))
    taps = taps.filter(pl.col("worker_id").is_not_null() & pl.col("_ts").is_not_null()).sort("worker_id", "_ts", "_i")

    days: dict[tuple[str, dt.date], dict[str, Any]] = {}
    doubles = unpaired = overflow = 0
    odd_days: set[tuple[str, dt.date]] = set()

    def day_of(worker: str, moment: dt.datetime, row: dict[str, Any]) -> dict[str, Any]:
        key = (worker, moment.date())
        if key not in days:
            days[key] = {"worker_id": worker, "date": moment.date(), "name": row.get("name"),
                         "pairs": [], "first": row}
        return days[key]

    def add_pair(worker: str, tap_in: dict[str, Any] | None, tap_out: dict[str, Any] | None) -> None:
        nonlocal overflow
        anchor = tap_in or tap_out
        day = day_of(worker, anchor["_ts"], anchor)
        if len(day["pairs"]) >= len(PAIRS):
            overflow += 1
            return
        day["pairs"].append((tap_in, tap_out))

    for worker, group in taps.group_by("worker_id", maintain_order=True):
        rows = group.to_dicts()
        kept: list[dict[str, Any]] = []
        for row in rows:
            if kept and (row["_ts"] - kept[-1]["_ts"]) <= dt.timedelta(minutes=DOUBLE_TAP_MINUTES) \
                    and (row["_state"] is None or row["_state"] == kept[-1]["_state"] or kept[-1]["_state"] is None):
                doubles += 1
                continue
            kept.append(row)
        worker_id = worker[0]
        if states is not None:
            open_in: dict[str, Any] | None = None
            for row in kept:
                if row["_state"] == "in":
                    if open_in is not None:  # an in with no out after it: a missed clock-out
                        add_pair(worker_id, open_in, None)
                        unpaired += 1
                        odd_days.add((worker_id, open_in["_ts"].date()))
                    open_in = row
                elif row["_state"] == "out":
                    if open_in is not None and row["_ts"] - open_in["_ts"] <= dt.timedelta(minutes=MAX_SHIFT_MINUTES):
                        add_pair(worker_id, open_in, row)
                    else:
                        if open_in is not None:
                            add_pair(worker_id, open_in, None)
                            odd_days.add((worker_id, open_in["_ts"].date()))
                            unpaired += 1
                        add_pair(worker_id, None, row)
                        unpaired += 1
                        odd_days.add((worker_id, row["_ts"].date()))
                    open_in = None
                else:  # a tap with no state inside a log that has states: paired by order below
                    unpaired += 1
                    odd_days.add((worker_id, row["_ts"].date()))
            if open_in is not None:
                add_pair(worker_id, open_in, None)
                unpaired += 1
                odd_days.add((worker_id, open_in["_ts"].date()))
        else:  # no state: a day's taps pair up in order, first with second, third with fourth
            by_date: dict[dt.date, list[dict[str, Any]]] = {}
            for row in kept:
                by_date.setdefault(row["_ts"].date(), []).append(row)
            for date, day_taps in by_date.items():
                for k in range(0, len(day_taps) - 1, 2):
                    add_pair(worker_id, day_taps[k], day_taps[k + 1])
                if len(day_taps) % 2:
                    add_pair(worker_id, day_taps[-1], None)
                    unpaired += 1
                    odd_days.add((worker_id, date))

    out = _day_frame(table, days, source, odd_days)
    table.layout = "tap_log"
    table.notes.append(f"{taps.height} taps ({'with' if states is not None else 'without'} an in/out state) "
                       f"paired into {out.height} worker-days")
    if doubles:
        table.notes.append(f"{doubles} double tap(s) within {DOUBLE_TAP_MINUTES} min of the one before dropped")
    if unpaired:
        table.notes.append(f"{len(odd_days)} worker-day(s) with an odd number of taps: {unpaired} tap(s) had no "
                           f"partner and give no hours; those days are marked partial")
        table.problems.append(Problem(None, "punches", None,
                                      f"{len(odd_days)} worker-day(s) with an unpaired tap (odd number of taps)"))
    if overflow:
        table.problems.append(Problem(None, "punches", None,
                                      f"{overflow} pair(s) beyond {len(PAIRS)} in one day not read"))
    table.df = out
    return table


def _day_frame(table: Table, days: dict[tuple[str, dt.date], dict[str, Any]], source: str,
               odd_days: set[tuple[str, dt.date]]) -> pl.DataFrame:
    df = table.df
    provenance = {p: f"{p}:{source}" for p in _PROVENANCE if f"{p}:{source}" in df.columns}
    records: list[dict[str, Any]] = []
    for key, day in sorted(days.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        first = day["first"]
        rec: dict[str, Any] = {"worker_id": day["worker_id"], "name": day["name"], "date": day["date"],
                               "_partial": key in odd_days}
        for col in ("_doc", "_sha256", "_page", "_sheet", "_row", "_bbox", "_bbox_unit"):
            rec[col] = first.get(col)
        for p, column in provenance.items():  # the date was read from the first tap's cell
            rec[f"{p}:date"] = first.get(column)
        for i, (tap_in, tap_out) in enumerate(day["pairs"], 1):
            for side, tap in (("in", tap_in), ("out", tap_out)):
                if tap is None:
                    continue
                moment = tap["_ts"]
                minutes = moment.hour * 60 + moment.minute
                rec[f"{side}{i}"] = minutes
                for p, column in provenance.items():
                    rec[f"{p}:{side}{i}"] = tap.get(column)
        records.append(rec)
    schema: dict[str, pl.DataType] = {}
    for name in FIELDS[Kind.TIMESHEET]:
        schema[name] = df.schema.get(name, pl.Utf8) if name not in PUNCH_FIELDS else pl.Int16
    schema.update({"_partial": pl.Boolean, "_doc": pl.Utf8, "_sha256": pl.Utf8, "_page": pl.Int32,
                   "_sheet": pl.Utf8, "_row": pl.Int32, "_bbox": pl.List(pl.Float64), "_bbox_unit": pl.Utf8})
    types = {"raw": pl.Utf8, "ref": pl.Utf8, "conf": pl.Float64, "bbox": pl.List(pl.Float64)}
    for field in ("date", *PUNCH_FIELDS):
        for p in provenance:
            schema[f"{p}:{field}"] = types[p]
    return pl.DataFrame(records, schema=schema, orient="row") if records else pl.DataFrame(schema=schema)
