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
import re
from typing import Any

import polars as pl

from extractors import values as V
from extractors.headers import HeaderMapper
from extractors.rows import HEADER_SCAN_ROWS, column_letter, is_code_row, is_title, raw_text
from extractors.types import Grid, Table, Unclassified
from preaudit.core.model import FIELDS, PAIRS, PUNCH_FIELDS, Kind, Problem

#: two taps of one worker this close together are one tap pressed twice (minutes; timestamps
#: are read to the minute)
DOUBLE_TAP_MINUTES = 2
#: an in-tap and the out-tap after it further apart than this are not one shift
MAX_SHIFT_MINUTES = 20 * 60
#: an hour of the clock holding at most this share of a worker's taps is one they do not work in
#: (a stray tap for a meeting does not make a night worker's noon a working hour)
QUIET_HOUR_SHARE = 0.02
_PROVENANCE = ("raw", "ref", "conf", "bbox")


def normalise_time_records(table: Table, layout: str | None = None) -> Table:
    df = table.df
    punched = [c for c in PUNCH_FIELDS if df[c].null_count() < df.height] if df.height else []
    has_taps = "timestamp" in df.columns and df["timestamp"].null_count() < df.height
    has_time = "time" in df.columns and df["time"].null_count() < df.height
    if (has_taps or has_time) and (layout == "tap_log" or (
            layout is None and not punched and df["total_hours"].null_count() == df.height)):
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
    if states is None:
        return _pair_by_order(table, taps, source)
    return _pair_by_state(table, taps, source)


def _pair_by_state(table: Table, taps: pl.DataFrame, source: str) -> Table:
    """A log whose taps say in or out, as columns: per worker, an in whose next tap is an out within
    a shift's length makes a pair (a night shift belongs to the day it started); an in with no such
    out, an out with no in before it, and a tap with no state have no partner and mark their day."""
    stateless = taps.filter(pl.col("_state").is_null())
    taps = taps.filter(pl.col("_state").is_not_null())
    gap = pl.col("_ts").diff().over("worker_id")
    same = pl.col("_state") == pl.col("_state").shift(1).over("worker_id")
    taps = taps.with_columns((gap.is_not_null() & (gap <= pl.duration(minutes=DOUBLE_TAP_MINUTES)) & same)
                             .alias("_double"))
    doubles = int(taps["_double"].sum())
    taps = taps.filter(~pl.col("_double"))
    nxt, prv = (lambda c: pl.col(c).shift(-1).over("worker_id")), (lambda c: pl.col(c).shift(1).over("worker_id"))
    shift_ok = lambda a, b: (b - a) <= pl.duration(minutes=MAX_SHIFT_MINUTES)  # noqa: E731
    taps = taps.with_columns(
        ((pl.col("_state") == "in") & (nxt("_state") == "out") & shift_ok(pl.col("_ts"), nxt("_ts")))
        .fill_null(False).alias("_opens"),
        ((pl.col("_state") == "out") & (prv("_state") == "in") & shift_ok(prv("_ts"), pl.col("_ts")))
        .fill_null(False).alias("_closes"))
    provenance = {p: f"{p}:{source}" for p in _PROVENANCE if f"{p}:{source}" in taps.columns}
    keep = ["worker_id", "name", "_ts", "_doc", "_sha256", "_page", "_sheet", "_row", "_bbox", "_bbox_unit",
            *provenance.values()]
    ins = taps.filter(pl.col("_state") == "in").select(keep + ["_opens"]).with_columns(
        pl.int_range(pl.len()).alias("_pair"))
    opened = ins.filter(pl.col("_opens"))
    closes = taps.filter(pl.col("_closes")).select(["worker_id", "_ts", *provenance.values()])
    # the k-th opening in of a worker meets the k-th closing out: both are in time order
    opened = opened.with_columns(pl.int_range(pl.len()).over("worker_id").alias("_k"))
    closes = closes.with_columns(pl.int_range(pl.len()).over("worker_id").alias("_k"))
    pairs = opened.join(closes.rename({c: f"_out{c}" for c in closes.columns if c not in ("worker_id", "_k")}),
                        on=["worker_id", "_k"], how="left")
    lone_in = ins.filter(~pl.col("_opens"))
    lone_out = taps.filter((pl.col("_state") == "out") & ~pl.col("_closes")).select(keep)
    halves = [pairs.with_columns(pl.lit(False).alias("_lone")),
              lone_in.with_columns(pl.lit(True).alias("_lone")),
              lone_out.with_columns(pl.lit(True).alias("_lone"), pl.lit(True).alias("_out_only"))]
    anchored = pl.concat([h.select([c for c in h.columns if c not in ("_opens", "_pair", "_k")]) for h in halves],
                         how="diagonal_relaxed").with_columns(pl.col("_ts").dt.date().alias("_day"))
    odd_days = pl.concat([anchored.filter(pl.col("_lone")).select("worker_id", pl.col("_day").alias("date")),
                          stateless.select("worker_id", pl.col("_ts").dt.date().alias("date"))]).unique() \
        .with_columns(pl.lit(True).alias("_odd"))
    anchored = anchored.sort("worker_id", "_ts").with_columns(pl.int_range(pl.len()).over("worker_id", "_day")
                                                             .alias("_slot_k"))
    overflow = anchored.filter(pl.col("_slot_k") >= len(PAIRS)).height
    anchored = anchored.filter(pl.col("_slot_k") < len(PAIRS))
    minutes = lambda c: pl.col(c).dt.hour().cast(pl.Int16) * 60 + pl.col(c).dt.minute().cast(pl.Int16)  # noqa: E731
    out_only = pl.col("_out_only").fill_null(False) if "_out_only" in anchored.columns else pl.lit(False)
    slot = (pl.col("_slot_k") + 1).cast(pl.Utf8)
    long = pl.concat([
        anchored.filter(~out_only).select("worker_id", "_day", (pl.lit("in") + slot).alias("_slot"),
                                          minutes("_ts").alias("_min"),
                                          *[pl.col(c).alias(p) for p, c in provenance.items()]),
        anchored.filter(~out_only & pl.col("_out_ts").is_not_null()).select(
            "worker_id", "_day", (pl.lit("out") + slot).alias("_slot"), minutes("_out_ts").alias("_min"),
            *[pl.col(f"_out{c}").alias(p) for p, c in provenance.items()]),
        anchored.filter(out_only).select("worker_id", "_day", (pl.lit("out") + slot).alias("_slot"),
                                         minutes("_ts").alias("_min"),
                                         *[pl.col(c).alias(p) for p, c in provenance.items()]),
    ], how="diagonal_relaxed")
    firsts = anchored.filter(pl.col("_slot_k") == 0).select(
        "worker_id", pl.col("_day").alias("date"), "name", "_doc", "_sha256", "_page", "_sheet", "_row", "_bbox",
        "_bbox_unit", *[pl.col(c).alias(f"{p}:date") for p, c in provenance.items()])
    out = _widen(firsts, long, provenance, table.df).join(odd_days, on=["worker_id", "date"], how="left") \
        .with_columns(pl.col("_odd").fill_null(False).alias("_partial")).drop("_odd")
    return _tap_log(table, out, taps.height + stateless.height, "with", doubles, int(out["_partial"].sum()),
                    overflow)


def _widen(firsts: pl.DataFrame, long: pl.DataFrame, provenance: dict[str, str], df: pl.DataFrame) -> pl.DataFrame:
    """One row per worker-day from one row per punch (slot in1 … out5), with each punch's provenance."""
    wide = firsts
    for value, prefix in [("_min", "")] + [(p, f"{p}:") for p in provenance]:
        piv = long.pivot(on="_slot", index=["worker_id", "_day"], values=value, aggregate_function="first")
        piv = piv.rename({c: f"{prefix}{c}" for c in piv.columns if c not in ("worker_id", "_day")})
        wide = wide.join(piv.rename({"_day": "date"}), on=["worker_id", "date"], how="left")
    schema = _day_schema(df, provenance)
    wide = wide.with_columns([pl.lit(None, dtype=t).alias(c) for c, t in schema.items() if c not in wide.columns])
    return wide.select([pl.col(c).cast(t) for c, t in schema.items()]).sort("worker_id", "date")


def _tap_log(table: Table, days: pl.DataFrame, taps: int, state: str, doubles: int, odd: int,
             overflow: int) -> Table:
    """The table as worker-days, and what pairing decided, for the document report."""
    table.layout = "tap_log"
    table.notes.append(f"{taps} taps ({state} an in/out state) paired into {days.height} worker-days")
    if doubles:
        table.notes.append(f"{doubles} double tap(s) within {DOUBLE_TAP_MINUTES} min of the one before dropped")
    if odd:
        table.notes.append(f"{odd} worker-day(s) with an odd number of taps: the tap with no partner gives no "
                           f"hours; those days are marked partial")
        table.problems.append(Problem(None, "punches", None,
                                      f"{odd} worker-day(s) with an unpaired tap (odd number of taps)"))
    if overflow:
        table.problems.append(Problem(None, "punches", None,
                                      f"{overflow} tap(s) beyond {len(PAIRS)} pairs in one day not read"))
    table.df = days
    return table


def _pair_by_order(table: Table, taps: pl.DataFrame, source: str) -> Table:
    """A log with no in/out state, as columns: a double tap (within DOUBLE_TAP_MINUTES of the tap
    before) is dropped; each worker's day starts where it leaves the fewest taps unpaired (a night
    worker's days run from about noon, so 20:00 and the next 05:00 are one shift, not the end of
    one day and the start of the next; a day worker's stay calendar days); then a worker-day's taps
    pair up in order, first with second."""
    gap = pl.col("_ts").diff().over("worker_id")
    kept = taps.with_columns((gap.is_not_null() & (gap <= pl.duration(minutes=DOUBLE_TAP_MINUTES))).alias("_double"))
    doubles = int(kept["_double"].sum())
    kept = kept.filter(~pl.col("_double"))
    kept = kept.join(_day_starts(kept), on="worker_id", how="left").with_columns(
        (pl.col("_ts") - pl.duration(minutes=pl.col("_day_start"))).dt.date().alias("_day"))
    kept = kept.with_columns(pl.int_range(pl.len()).over("worker_id", "_day").alias("_k"),
                             pl.len().over("worker_id", "_day").alias("_n"))
    overflow = kept.filter(pl.col("_k") >= 2 * len(PAIRS)).height
    kept = kept.filter(pl.col("_k") < 2 * len(PAIRS))
    minutes = (pl.col("_ts").dt.hour().cast(pl.Int16) * 60 + pl.col("_ts").dt.minute().cast(pl.Int16))
    provenance = {p: f"{p}:{source}" for p in _PROVENANCE if f"{p}:{source}" in kept.columns}
    slot = pl.when(pl.col("_k") % 2 == 0).then(pl.lit("in")).otherwise(pl.lit("out")) + \
        (pl.col("_k") // 2 + 1).cast(pl.Utf8)
    long = kept.select("worker_id", "_day", slot.alias("_slot"), minutes.alias("_min"),
                       *[pl.col(c).alias(p) for p, c in provenance.items()])
    firsts = kept.filter(pl.col("_k") == 0).select(
        pl.col("worker_id"), pl.col("_day").alias("date"), "name", "_doc", "_sha256", "_page", "_sheet", "_row",
        "_bbox", "_bbox_unit", *[pl.col(c).alias(f"{p}:date") for p, c in provenance.items()])
    partial = kept.filter(pl.col("_k") == 0).select("worker_id", pl.col("_day").alias("date"),
                                                    (pl.col("_n") % 2 == 1).alias("_odd"))
    out = _widen(firsts, long, provenance, table.df).join(partial, on=["worker_id", "date"], how="left") \
        .with_columns(pl.col("_odd").alias("_partial")).drop("_odd")
    return _tap_log(table, out, taps.height, "without", doubles, int(out["_partial"].sum()), overflow)


def _day_starts(taps: pl.DataFrame) -> pl.DataFrame:
    """Per worker, the minute of the clock their working days start at. Candidates: midnight, and
    the middle of each of the two longest runs of hours (around the clock) holding almost none of
    their taps; the one whose days leave the fewest taps unpaired wins, then the one pairing the
    fewest minutes (pairing across a rest makes long pairs), then midnight."""
    hours = taps.group_by("worker_id", pl.col("_ts").dt.hour().alias("_h")).len()
    workers, cuts = [], []
    for (worker,), group in hours.group_by("worker_id"):
        counts = [0] * 24
        for hour, n in zip(group["_h"], group["len"]):
            counts[hour] = n
        quiet = [c <= QUIET_HOUR_SHARE * sum(counts) for c in counts]
        workers.append(worker)
        cuts.append(0)
        for start, length in _quiet_runs(quiet)[:2]:
            workers.append(worker)
            cuts.append((start * 60 + length * 30) % 1440)
    candidates = pl.DataFrame({"worker_id": workers, "_cut": cuts},
                              schema={"worker_id": taps.schema["worker_id"], "_cut": pl.Int64}).unique()
    tried = taps.select("worker_id", "_ts").join(candidates, on="worker_id").with_columns(
        (pl.col("_ts") - pl.duration(minutes=pl.col("_cut"))).dt.date().alias("_d")).sort("worker_id", "_cut", "_ts")
    day = ["worker_id", "_cut", "_d"]
    tried = tried.with_columns(pl.int_range(pl.len()).over(day).alias("_k"),
                               (pl.col("_ts").shift(-1).over(day) - pl.col("_ts")).dt.total_minutes().alias("_span"))
    scores = tried.group_by(day).agg(
        (pl.len() % 2).alias("_odd"),
        pl.col("_span").filter(pl.col("_k") % 2 == 0).sum().alias("_minutes"),
    ).group_by("worker_id", "_cut").agg(pl.col("_odd").sum(), pl.col("_minutes").sum())
    return scores.sort("worker_id", "_odd", "_minutes", pl.col("_cut") != 0).group_by(
        "worker_id", maintain_order=True).first().select("worker_id", pl.col("_cut").alias("_day_start"))


def _quiet_runs(quiet: list[bool]) -> list[tuple[int, int]]:
    """(first hour, length) of each run of quiet hours around the clock, longest first."""
    if all(quiet) or not any(quiet):
        return []
    first_busy = quiet.index(False)
    runs, start, length = [], None, 0
    for step in range(1, 25):  # from just after a busy hour, once around the clock
        h = (first_busy + step) % 24
        if quiet[h]:
            start, length = (h if length == 0 else start), length + 1
        elif length:
            runs.append((start, length))
            length = 0
    return sorted(runs, key=lambda r: -r[1])


def _day_schema(df: pl.DataFrame, provenance: dict[str, str]) -> dict[str, pl.DataType]:
    schema: dict[str, pl.DataType] = {}
    for name in FIELDS[Kind.TIMESHEET]:
        schema[name] = df.schema.get(name, pl.Utf8) if name not in PUNCH_FIELDS else pl.Int16
    schema.update({"_partial": pl.Boolean, "_doc": pl.Utf8, "_sha256": pl.Utf8, "_page": pl.Int32,
                   "_sheet": pl.Utf8, "_row": pl.Int32, "_bbox": pl.List(pl.Float64), "_bbox_unit": pl.Utf8})
    types = {"raw": pl.Utf8, "ref": pl.Utf8, "conf": pl.Float64, "bbox": pl.List(pl.Float64)}
    for field in ("date", *PUNCH_FIELDS):
        for p in provenance:
            schema[f"{p}:{field}"] = types[p]
    return schema


# ---------------------------------------------------------------- one column per day

MIN_DAY_COLUMNS = 7
_DAY_NUMBER = re.compile(r"^(?:day\s*)?(\d{1,2})\s*(?:日|号)?$", re.I)
_ROW_IN = re.compile(r"^(in|in time|time in|sw|start|上班|签到|上班时间|vào|giờ vào)$", re.I)
_ROW_OUT = re.compile(r"^(out|out time|time out|ew|end|下班|签退|下班时间|ra|giờ ra)$", re.I)
#: a Vietnamese sheet (01a: "P" is paid leave, "phép", not "present" as on India's Form D)
_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
_WEEKDAY_CELL = re.compile(r"^(?:星期)?[一二三四五六日天]$|^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?$|^(?:t[2-7]|cn)$", re.I)
#: marks that say a worker was there, and marks that say why not (考勤表 √ 休 病 事 旷; Form D P A;
#: Vietnam 01a + (worked) P (paid leave: "phép") Ô (sick) KL (unpaid leave))
_PRESENT = {"√", "✓", "✔", "+", "x", "k", "出", "出勤", "到", "p", "present", "o", "○"}
_ABSENT = {"休", "病", "事", "旷", "假", "婚", "丧", "产", "年", "调", "a", "ab", "absent", "l", "cl", "el", "sl",
           "wo", "h", "ô", "kl", "ts", "no", "ro", "t", "đ", "lđ", "n", "ct", "-"}


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


def read_day_grid(grid: Grid, mapper: HeaderMapper, *, document: str, sha256: str) -> Table | Unclassified | None:
    """A sheet with one column per day, why it cannot be read, or None when the sheet is not one."""
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
    present_marks, absent_marks = (_PRESENT - {"p"}, _ABSENT | {"p"}) if _VIETNAMESE.search(label_texts) \
        else (_PRESENT, _ABSENT)
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
                  columns=[{"column": column_letter(c), "label": mapping.labels.get(c, ""), "field": f,
                            "how": mapping.how.get(c, "")} for c, f in sorted(mapping.columns.items())]
                  + [{"column": f"{column_letter(min(days))}-{column_letter(max(days))}",
                      "label": f"{len(days)} day columns", "field": "date",
                      "how": f"one column per day of {month}" if month else "one column per dated day"}])
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

