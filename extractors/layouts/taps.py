"""Time records read as a table (one row per tap, or per worker-day), all turned into the same
worker-day rows: worker_id, date, in1/out1 … in5/out5, each punch keeping the cell it came from
(reference/real-exports.md).

- ``tap_log``: one row per tap (ZKTeco attendance logs, att2000, pyzk scripts, DingTalk 原始记录),
  with or without an in/out state; taps are paired per worker, double taps dropped.
- ``day_rows``: one row per worker-day with numbered pairs (ZKTeco time card, DingTalk 每日统计).
- ``day_segments``: several rows per worker-day (att2000 timetables): the day is their sum, which
  the dataset takes per document.

The table layout (table.py) reads the rows; ``normalise_time_records`` decides which of these
shapes they are and pairs taps into days. One column per day is a layout of its own (day_grid.py).
"""
from __future__ import annotations

import polars as pl

from extractors.types import Table
from preaudit.core.model import FIELDS, PAIRS, PUNCH_FIELDS, Kind, Problem

#: two taps of one worker this close together are one tap pressed twice (minutes; timestamps
#: are read to the minute)
DOUBLE_TAP_MINUTES = 2
#: an in-tap and the out-tap after it further apart than this are not one shift
MAX_SHIFT_MINUTES = 20 * 60
#: a day of a log without state whose first and last tap are further apart than this is no day
#: of work under that pairing (a pairing across the rests between shifts)
MAX_DAY_SPAN_MINUTES = 16 * 60
#: a worker whose days are over-long on more than this share (and on two days at least) under the best
#: pairing has no pairing that gives plausible days: those days are read in part, never as days of
#: that length
MAX_LONG_DAY_SHARE = 0.2
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
    df = table.df = _day_rows_cleaned(table, df)
    keyed = df.filter(pl.col("worker_id").is_not_null() & pl.col("date").is_not_null())
    repeated = keyed.height - keyed.select("worker_id", "date").n_unique() if keyed.height else 0
    if repeated:
        table.layout = "day_segments"
        table.notes.append(f"{repeated} worker-day row(s) repeat a worker and date: read as segments "
                           f"of one day (timetables, shifts), whose hours are summed")
    else:
        table.layout = "day_rows"
    return table


def _day_rows_cleaned(table: Table, df: pl.DataFrame) -> pl.DataFrame:
    """Worker-day rows as records: a row repeated word for word is one record (said, not a second
    segment of the day), a pair whose in and out are the same minute (0:00–0:00, 20:45–20:45)
    records no time, and a row dated over a year from the rest is a stray."""
    if not df.height:
        return df
    df = _drop_far_dates(table, df, "date", "date")
    # word for word: every cell as read (a column of times or states no field of the day keeps
    # tells two rows apart as much as the punches do)
    record = [c for c in df.columns if c.startswith("raw:")] or \
        [c for c in ["worker_id", "date", *PUNCH_FIELDS, "total_hours"] if c in df.columns]
    first = df.select(pl.int_range(pl.len()).alias("_k"), *record).group_by(record, maintain_order=True) \
        .agg(pl.col("_k").first())["_k"]
    repeated = df.height - first.len()
    if repeated:
        dropped = df.filter(~pl.int_range(pl.len()).is_in(first.implode()))
        for row in dropped.head(MAX_FAR_EXAMPLES)["_row"]:
            table.problems.append(Problem(row, None, None, "the row repeats an earlier row word for word: read once"))
        df = df.filter(pl.int_range(pl.len()).is_in(first.implode()))
        table.skip_reasons["duplicate row"] = table.skip_reasons.get("duplicate row", 0) + repeated
        table.skipped_rows += repeated
    for k in range(1, len(PAIRS) + 1):
        a, b = f"in{k}", f"out{k}"
        if a not in df.columns or b not in df.columns:
            continue
        same = pl.col(a).is_not_null() & (pl.col(a) == pl.col(b))
        for row in df.filter(same).head(MAX_FAR_EXAMPLES).iter_rows(named=True):
            shown = row.get(f"raw:{a}") or f"{row[a] // 60}:{row[a] % 60:02d}"
            table.problems.append(Problem(row["_row"], a, shown,
                                          f"in and out both {shown} on {row['date']}: no time recorded, "
                                          f"not a day of 0 hours worked"))
        clear = [pl.when(same).then(None).otherwise(pl.col(c)).alias(c)
                 for c in df.columns if c in (a, b) or c.endswith((f":{a}", f":{b}"))]
        df = df.with_columns(clear)
    return df


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
    taps = _drop_far_dates(table, taps, "_ts", source)
    taps = _drop_misshapen_ids(table, taps)
    said = taps["_state"].drop_nulls()
    common = said.mode().sort()[0] if said.len() else None
    if states is not None and said.len() and (said == common).mean() >= ONE_STATE_SHARE and \
            taps.select(pl.len().over("worker_id", pl.col("_ts").dt.date()).max()).item() > 1:
        # ZKTeco state 0 (check-in) on (nearly) every tap: a device that is never told in from out
        table.notes.append(f"the in/out state is {common!r} on {(said == common).sum()} of {said.len()} taps: "
                           f"it tells nothing, the taps are paired in time order")
        return _pair_by_order(table, taps.with_columns(pl.lit(None, pl.Utf8).alias("_state")), source)
    if states is None:
        return _pair_by_order(table, taps, source)
    return _pair_by_state(table, taps, source)


#: a state column saying the same on at least this share of the taps is a device that is never told
#: in from out (ZKTeco's 0, check-in, on every tap), not a log of check-ins
ONE_STATE_SHARE = 0.95

#: a time clock numbers its users: when nearly every tap of a log has a digits-only id, one that is
#: not ("0.dat", "ZZA") is a corrupt record, not another worker
NUMERIC_ID_SHARE = 0.99


def _drop_misshapen_ids(table: Table, taps: pl.DataFrame) -> pl.DataFrame:
    numeric = taps["worker_id"].str.contains(r"^\d+$")
    if not taps.height or numeric.all() or numeric.mean() < NUMERIC_ID_SHARE:
        return taps
    odd = taps.filter(~numeric)
    for record in odd.head(MAX_FAR_EXAMPLES).iter_rows(named=True):
        table.problems.append(Problem(record["_row"], "worker_id", record.get("raw:worker_id"),
                                      f"id {record['worker_id']!r} is not a number like the log's other ids: "
                                      f"a corrupt record, not read"))
    table.skip_reasons["misshapen id"] = table.skip_reasons.get("misshapen id", 0) + odd.height
    table.skipped_rows += odd.height
    return taps.filter(numeric)


#: a document's dates fall into runs with no gap longer than this (days); a run far from the main
#: one that holds almost none of the records is a device's clock reset (2000-01-01), a corrupt
#: record (2131) or a stray row, not days worked. A multi-year export is one long run: kept whole.
FAR_GAP_DAYS = 180
FAR_SHARE = 0.1
MAX_FAR_EXAMPLES = 20


def _drop_far_dates(table: Table, rows: pl.DataFrame, column: str, source: str) -> pl.DataFrame:
    """Rows in a run of dates far from the main run (FAR_GAP_DAYS apart) and holding under
    FAR_SHARE of the records, dropped as problems."""
    if rows.height < 3:
        return rows
    day = pl.col(column).cast(pl.Date)
    counts = rows.select(day.alias("_d")).drop_nulls().group_by("_d").len().sort("_d")
    if counts.height < 2:
        return rows
    run = (counts["_d"].diff().dt.total_days().fill_null(0) > FAR_GAP_DAYS).cum_sum()
    counts = counts.with_columns(run.alias("_run"))
    sizes = counts.group_by("_run").agg(pl.col("len").sum())
    main = sizes.sort("len", descending=True)["_run"][0]
    total = int(sizes["len"].sum())
    small = set(sizes.filter((pl.col("_run") != main) & (pl.col("len") < FAR_SHARE * total))["_run"])
    if not small:
        return rows
    far_days = counts.filter(pl.col("_run").is_in(list(small)))["_d"]
    far = day.is_in(far_days.implode())
    away = rows.filter(far)
    kept = rows.filter(~far | day.is_null())
    span = f"{kept.select(day.min()).item()} … {kept.select(day.max()).item()}"
    raw = f"raw:{source}" if f"raw:{source}" in away.columns else None
    for record in away.head(MAX_FAR_EXAMPLES).iter_rows(named=True):
        when = record[column].date() if hasattr(record[column], "date") else record[column]
        table.problems.append(Problem(record["_row"], source, record[raw] if raw else None,
                                      f"dated {when}, months away from the rest of the document's dates ({span}): "
                                      f"a clock reset, a stray or a corrupt record, not read"))
    if away.height > MAX_FAR_EXAMPLES:
        table.problems.append(Problem(None, source, None, f"{away.height - MAX_FAR_EXAMPLES} more record(s) "
                                      f"dated months away from the rest of the document's dates, not read"))
    table.skip_reasons["dated far from the rest"] = table.skip_reasons.get("dated far from the rest", 0) + away.height
    table.skipped_rows += away.height
    return kept


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
    starts = _day_starts(kept)
    kept = kept.join(starts.select("worker_id", "_day_start"), on="worker_id", how="left").with_columns(
        (pl.col("_ts") - pl.duration(minutes=pl.col("_day_start"))).dt.date().alias("_day"))
    kept = kept.with_columns(pl.int_range(pl.len()).over("worker_id", "_day").alias("_k"),
                             pl.len().over("worker_id", "_day").alias("_n"))
    kept, began = _began_mid_shift(kept)
    kept, unread = _over_long_days(table, kept, starts)
    overflow = kept.filter(pl.col("_k") >= 2 * len(PAIRS)).height
    kept = kept.filter(pl.col("_k") < 2 * len(PAIRS))
    minutes = (pl.col("_ts").dt.hour().cast(pl.Int16) * 60 + pl.col("_ts").dt.minute().cast(pl.Int16))
    provenance = {p: f"{p}:{source}" for p in _PROVENANCE if f"{p}:{source}" in kept.columns}
    slot = pl.when(pl.col("_k") % 2 == 0).then(pl.lit("in")).otherwise(pl.lit("out")) + \
        (pl.col("_k") // 2 + 1).cast(pl.Utf8)
    long = kept.select("worker_id", "_day", slot.alias("_slot"), minutes.alias("_min"),
                       *[pl.col(c).alias(p) for p, c in provenance.items()])
    lead = pl.col("_k") == pl.col("_k").min().over("worker_id", "_day")  # the day's first tap (out1 after _began_mid_shift)
    firsts = kept.filter(lead).select(
        pl.col("worker_id"), pl.col("_day").alias("date"), "name", "_doc", "_sha256", "_page", "_sheet", "_row",
        "_bbox", "_bbox_unit", *[pl.col(c).alias(f"{p}:date") for p, c in provenance.items()])
    partial = kept.filter(lead).select("worker_id", pl.col("_day").alias("date"),
                                                    (pl.col("_n") % 2 == 1).alias("_odd"))
    out = _widen(firsts, long, provenance, table.df).join(partial, on=["worker_id", "date"], how="left") \
        .with_columns(pl.col("_odd").alias("_partial")).drop("_odd")
    if began:
        table.notes.append(f"the export began mid-shift for {began} worker(s): their first tap is an out-tap "
                           f"(nearer their usual clock-out than their clock-in), whose in-tap is not in the "
                           f"export; the day it ends is marked partial")
    if unread:
        table.notes.append(f"{unread} worker-day(s) of worker(s) for whom no pairing of the taps gives plausible "
                           f"days (most days over {MAX_DAY_SPAN_MINUTES // 60} h under every pairing) are read "
                           f"in part: their taps are not paired into hours")
    return _tap_log(table, out, taps.height, "without", doubles, int(out["_partial"].sum()), overflow)


def _clock(col: str = "_ts") -> pl.Expr:
    return pl.col(col).dt.hour().cast(pl.Int32) * 60 + pl.col(col).dt.minute().cast(pl.Int32)


def _began_mid_shift(kept: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """A worker's first day of the export with an odd number of taps whose first tap is nearer the
    worker's usual clock-out than their usual clock-in (the medians of their days with every tap
    paired) is a day the export began mid-shift: its first tap is an out, the pairs start at the
    second (``_k`` moves one on: that tap fills out1, in1 stays empty). Only for a worker whose taps
    pair on most days."""
    whole = kept.filter(pl.col("_n") % 2 == 0)
    usual = whole.group_by("worker_id").agg(
        _clock().filter(pl.col("_k") == 0).median().alias("_usual_in"),
        _clock().filter(pl.col("_k") == pl.col("_n") - 1).median().alias("_usual_out"),
        pl.col("_day").n_unique().alias("_whole_days"))
    # only a worker whose taps do pair on most days has a usual clock-out (a once-a-day punch-in has none)
    days = kept.group_by("worker_id").agg(pl.col("_day").n_unique().alias("_all_days"))
    usual = usual.join(days, on="worker_id").filter(pl.col("_whole_days") * 2 > pl.col("_all_days")).drop(
        "_whole_days", "_all_days")
    near = lambda a, b: pl.min_horizontal((a - b).abs(), 1440 - (a - b).abs())  # noqa: E731
    first_day = pl.col("_day") == pl.col("_day").min().over("worker_id")
    kept = kept.join(usual, on="worker_id", how="left").with_columns(
        (first_day & (pl.col("_n") % 2 == 1)
         & (near(_clock().first().over("worker_id", "_day"), pl.col("_usual_out"))
            < near(_clock().first().over("worker_id", "_day"), pl.col("_usual_in")))).fill_null(False)
        .alias("_shifted"))
    began = kept.filter(pl.col("_shifted"))["worker_id"].n_unique()
    kept = kept.with_columns(pl.col("_k") + pl.col("_shifted").cast(kept.schema["_k"]))
    return kept.drop("_usual_in", "_usual_out", "_shifted"), began


def _over_long_days(table: Table, kept: pl.DataFrame, starts: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """A worker for whom even the best pairing leaves more than MAX_LONG_DAY_SHARE of the days over
    MAX_DAY_SPAN_MINUTES has no pairing that gives plausible days: those days keep their first tap
    only (a day with an unpaired tap: partial, no hours), each a problem, so the document is read in
    part (coverage), never as days of that length. A few long days among plausible ones stand."""
    n_days = kept.group_by("worker_id").agg(pl.col("_day").n_unique().alias("_days"))
    lost = starts.join(n_days, on="worker_id").filter(
        (pl.col("_long") > MAX_LONG_DAY_SHARE * pl.col("_days")) & (pl.col("_long") >= 2))
    if lost.is_empty():
        return kept, 0
    span = (pl.col("_ts").max() - pl.col("_ts").min()).over("worker_id", "_day").dt.total_minutes()
    kept = kept.with_columns(((span > MAX_DAY_SPAN_MINUTES) & pl.col("worker_id").is_in(lost["worker_id"].implode()))
                             .alias("_unread"))
    unread = kept.filter(pl.col("_unread") & (pl.col("_k") == 0))
    for record in unread.head(MAX_FAR_EXAMPLES).iter_rows(named=True):
        table.problems.append(Problem(record["_row"], "punches", None,
                                      f"worker {record['worker_id']}'s taps of {record['_day']} span over "
                                      f"{MAX_DAY_SPAN_MINUTES // 60} h, as most of their days do under every "
                                      f"pairing: not paired into hours"))
    kept = kept.filter(~pl.col("_unread") | (pl.col("_k") == 0)).with_columns(
        pl.when(pl.col("_unread")).then(1).otherwise(pl.col("_n")).cast(kept.schema["_n"]).alias("_n"))
    return kept.drop("_unread"), unread.height


def _day_starts(taps: pl.DataFrame) -> pl.DataFrame:
    """Per worker, the minute of the clock their working days start at, so that their days fit a
    shift pattern. Candidates: midnight, and the middle of each of the two longest runs of hours
    (around the clock) holding almost none of their taps. The one wins whose days are plausible:
    fewest days spanning over MAX_DAY_SPAN_MINUTES; then fewest days with an unpaired tap inside
    the export (an odd first or last day is the export cut mid-shift: it began with an out-tap or
    ended with an in-tap); then one whose days are not longer than the rests between them (pairing
    across the rests reads 17:00 to the next 08:00 as a 15-hour day); then fewest odd days, fewest
    paired minutes, midnight. Also returns the winner's count of over-long days."""
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
    days = tried.group_by(day).agg(
        (pl.len() % 2).alias("_odd"),
        pl.col("_span").filter(pl.col("_k") % 2 == 0).sum().alias("_minutes"),
        pl.col("_ts").min().alias("_first"), pl.col("_ts").max().alias("_last"),
    ).sort(day).with_columns(
        (pl.col("_last") - pl.col("_first")).dt.total_minutes().alias("_day_span"),
        (pl.col("_first").shift(-1).over("worker_id", "_cut") - pl.col("_last")).dt.total_minutes().alias("_gap"),
        # the first and last day of the export may be cut mid-shift: an odd one there is explained
        ((pl.col("_d") == pl.col("_d").min().over("worker_id", "_cut"))
         | (pl.col("_d") == pl.col("_d").max().over("worker_id", "_cut"))).alias("_edge"))
    scores = days.group_by("worker_id", "_cut").agg(
        (pl.col("_day_span") > MAX_DAY_SPAN_MINUTES).sum().alias("_long"),
        pl.col("_odd").filter(~pl.col("_edge")).sum().alias("_odd_inner"),
        # the pairing that reads the rests as the shifts: days longer than the rests between them
        (pl.col("_day_span").median() > pl.col("_gap").median() + 30).fill_null(False).alias("_rest_as_work"),
        pl.col("_odd").sum(), pl.col("_minutes").sum())
    return scores.sort("worker_id", "_long", "_odd_inner", "_rest_as_work", "_odd", "_minutes",
                       pl.col("_cut") != 0).group_by("worker_id", maintain_order=True).first().select(
        "worker_id", pl.col("_cut").alias("_day_start"), "_long", "_odd")


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

