"""All of a pack's records as one table per kind, plus the derived tables rules share.

``days``: one row per worker and worked day (SPEC §3: a date with at least one punch pair;
hours = Σ(out − in) − break; a pair crossing midnight belongs to the day it started), with its
day type and overtime hours. Rules are SQL over these tables (DuckDB), never a loop per row.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import polars as pl

from extractors.grid import Table
from preaudit.calendar import day_types
from preaudit.model import FIELDS, PUNCH_FIELDS, DocumentReport, Kind
from preaudit.packs import RuleContext
from preaudit.profile import Profile


def _empty(kind: Kind) -> pl.DataFrame:
    from extractors.grid import parser_for

    schema = {name: parser_for(name, [])[1] for name in FIELDS[kind]}
    schema.update({"_rec": pl.Int64, "_doc": pl.Utf8, "_sha256": pl.Utf8, "_page": pl.Int32,
                   "_sheet": pl.Utf8, "_row": pl.Int32, "_bbox": pl.List(pl.Float64),
                   "_bbox_unit": pl.Utf8})
    return pl.DataFrame(schema=schema)


def _pair_minutes(i: int) -> pl.Expr:
    start, end = pl.col(f"in{i}").cast(pl.Int32), pl.col(f"out{i}").cast(pl.Int32)
    return pl.when(start.is_not_null() & end.is_not_null()).then((end - start + 1440) % 1440)


@dataclass
class Dataset:
    tables: dict[Kind, pl.DataFrame]
    context: RuleContext
    documents: list[DocumentReport] = field(default_factory=list)
    profile: Profile | None = None
    days: pl.DataFrame = field(init=False)
    con: duckdb.DuckDBPyConnection = field(init=False)

    @classmethod
    def build(cls, tables: list[Table], context: RuleContext,
              documents: list[DocumentReport] | None = None, profile: Profile | None = None) -> "Dataset":
        by_kind: dict[Kind, list[pl.DataFrame]] = {}
        for t in tables:
            by_kind.setdefault(t.kind, []).append(t.df)
        merged: dict[Kind, pl.DataFrame] = {}
        offset = 0
        for kind in Kind:
            frames = by_kind.get(kind)
            if not frames:
                merged[kind] = _empty(kind)
                continue
            df = pl.concat(frames, how="diagonal_relaxed")
            merged[kind] = df.with_columns(
                (pl.int_range(pl.len(), dtype=pl.Int64) + offset).alias("_rec"))
            offset += df.height
        return cls(merged, context, documents or [], profile)

    def __post_init__(self) -> None:
        self.days = self._worked_days()
        self.con = duckdb.connect()
        for kind, df in self.tables.items():
            self.con.register(kind.value, df)
        self.con.register("days", self.days)
        self.con.register("params", pl.DataFrame(
            [{"name": v.name, "value": v.value, "valid_from": v.valid_from, "valid_to": v.valid_to,
              "source": v.source, "pack": v.pack} for v in self.context.values],
            schema={"name": pl.Utf8, "value": pl.Float64, "valid_from": pl.Date,
                    "valid_to": pl.Date, "source": pl.Utf8, "pack": pl.Utf8}))

    def _worked_days(self) -> pl.DataFrame:
        ts = self.tables[Kind.TIMESHEET]
        pairs = [_pair_minutes(i) for i in (1, 2, 3)]
        has_pair = pl.any_horizontal([p.is_not_null() for p in pairs])
        punched = pl.sum_horizontal(pairs) - pl.col("break_minutes").fill_null(0)
        # minutes after the day's midnight at which each pair ends (past 1440: the next morning)
        ends = [pl.col(f"in{i}").cast(pl.Int32) + _pair_minutes(i) for i in (1, 2, 3)]
        night = pl.any_horizontal([  # any minute inside 22:00-06:00
            _pair_minutes(i).gt(0) & ((pl.col(f"in{i}").cast(pl.Int32) < 360) | (end > 1320))
            for i, end in zip((1, 2, 3), ends)]).fill_null(False)
        rows = ts.filter(pl.col("worker_id").is_not_null() & pl.col("date").is_not_null()).with_columns(
            pl.when(has_pair).then(punched / 60).otherwise(pl.col("total_hours")).alias("hours"),
            pl.coalesce("in1", "in2", "in3").alias("first_in"),
            pl.max_horizontal(ends).alias("last_out"),
            night.alias("night"),
            pl.concat_str([pl.col(f).cast(pl.Utf8).fill_null("-") for f in PUNCH_FIELDS],
                          separator=",").alias("punch_times"),
        ).filter(pl.col("hours").is_not_null())
        # one row per worker-day; a day given twice (two documents) keeps its longest reading
        days = rows.sort("hours", descending=True).group_by("worker_id", "date").agg(
            pl.col("hours").first(), pl.col("first_in").min(), pl.col("last_out").max(),
            pl.col("night").any(), pl.col("punch_times").first(), pl.col("_rec").alias("recs"))
        types = day_types(days["date"].to_list(), self.context.holiday_calendar,
                          self.context.rest_weekdays)
        days = days.with_columns(pl.col("date").replace_strict(types, return_dtype=pl.Utf8,
                                                               default=None).alias("day_type"))
        regular = self._param_by_date("regular_daily_hours", days["date"].to_list())
        days = days.with_columns(
            pl.col("date").replace_strict(regular, return_dtype=pl.Float64, default=None)
            .alias("regular_daily_hours"))
        return days.with_columns(
            pl.when(pl.col("day_type") == "weekday")
            .then((pl.col("hours") - pl.col("regular_daily_hours")).clip(lower_bound=0))
            .otherwise(pl.col("hours")).fill_null(0).alias("ot_hours"),
            pl.col("date").dt.strftime("%Y-%m").alias("month"),
        ).sort("worker_id", "date")

    def _param_by_date(self, name: str, dates: list[dt.date]) -> dict[dt.date, float]:
        out = {}
        for d in set(dates):
            value = self.context.value_at(name, d)
            if value is not None:
                out[d] = value.value
        return out

    def sql(self, query: str) -> list[dict]:
        return self.con.sql(query).pl().to_dicts()
