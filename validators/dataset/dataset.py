"""All of a pack's records as one table per kind, plus the derived tables rules share.

``days``: one row per worker and worked day (SPEC §3: a date with work in it, a punch pair or
hours stated; a rest-day row, an absence or leave mark, a timetable never clocked, a 0:00-0:00
row is no worked day), hours = Σ(out − in) − break; a pair crossing midnight belongs to the day
it started), with its day type and overtime hours. A day whose record shows no break (one punch
pair, no break minutes) is read two ways: ``hours`` with the break presumed deducted (the
factory's declared break, else the law's rest interval, else preaudit's meal presumption; which
one in ``break_basis``) and ``hours_punched`` as punched; the rules find on the first and send
what only the second exceeds to review. A time record that states its own totals checks this
reading first (``_check_stated_totals``): totals that agree confirm it, a break most rows deduct is
the document's own, and a document most of whose rows disagree is judged on its stated totals.
Rules are SQL over these tables (DuckDB), never a loop per row.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import polars as pl

from extractors.fields import empty_table
from extractors.types import Table
from validators.dataset.calendar import day_types
from extractors.values import NO_EXPIRY, resolve_month
from validators.dataset.coverage import Gap, document_gaps, expand, month_hint
from preaudit.core.model import PAIRS, PUNCH_FIELDS, DocumentReport, Kind
from preaudit.core.packs import RuleContext
from validators.dataset.plausibility import Implausible, implausible_days, screen
from preaudit.core.profile import Profile


#: two documents' readings of one worker-day whose first clock-in and last clock-out are this close
#: are one day read twice, not two books
SAME_CLOCK_MINUTES = 15

#: preaudit's own presumption (rules/preaudit.yaml meal_break_midday_minutes): the midday meal a day
#: punched once in and once out across these minutes after midnight took
MIDDAY_MEAL = (720, 780)

#: a time record that states its own totals checks the reading: a row's stated total within this many
#: hours of the hours computed from its punches (and breaks) agrees with it
STATED_TOTAL_TOLERANCE = 0.1
#: a document's rows agreeing with their stated totals on at least this share confirm the reading;
#: below it (over at least STATED_TOTAL_MIN_ROWS rows) the reading is wrong, not the factory
STATED_TOTAL_MOST = 0.5
STATED_TOTAL_MIN_ROWS = 3
#: a constant difference of this many minutes between the punches and the stated totals is the
#: document's own break
STATED_BREAK_MINUTES = (10, 120)


def _pair_minutes(i: int) -> pl.Expr:
    start, end = pl.col(f"in{i}").cast(pl.Int32), pl.col(f"out{i}").cast(pl.Int32)
    return pl.when(start.is_not_null() & end.is_not_null()).then((end - start + 1440) % 1440)


def _record_hashes(frames: list[tuple[Kind, pl.DataFrame]]) -> set[tuple[str, tuple[str, ...], int]]:
    """A document's records as (kind, fields, hash of the values): what it says, not where (no
    provenance, no raw text, no reading confidence)."""
    out: set[tuple[str, tuple[str, ...], int]] = set()
    for kind, df in frames:
        fields = tuple(sorted(c for c in df.columns if not c.startswith("_") and ":" not in c
                              and df[c].null_count() < df.height))
        if not fields or not df.height:
            continue
        out |= {(kind.value, fields, h) for h in df.select(fields).hash_rows(seed=27).to_list()}
    return out


def record_copies(tables: list[Table], documents: list[DocumentReport],
                  skip: set[str]) -> list[tuple[DocumentReport, str, str]]:
    """Documents whose records another document gives too, with the same values (a damaged,
    truncated or re-saved copy beside its original: different bytes, same records): (the copy,
    the document read instead, how they compare). The one with more records is read, or, with the
    same records, the one read with fewer problems. Documents that give the same worker-day or
    pay line differently are not copies: both are read (INT-DOUBLE-BOOK says so)."""
    by_doc: dict[str, list[tuple[Kind, pl.DataFrame]]] = {}
    for t in tables:
        if t.df.height and t.df["_doc"][0] not in skip:
            by_doc.setdefault(t.df["_doc"][0], []).append((t.kind, t.df))
    if len(by_doc) < 2:
        return []
    reports = {d.path: d for d in documents}
    hashes = {doc: _record_hashes(frames) for doc, frames in by_doc.items()}
    hashes = {doc: h for doc, h in hashes.items() if h}
    problems = {doc: sum(len(p.problems) + p.skipped_rows for p in reports[doc].parts) if doc in reports else 0
                for doc in hashes}
    # the most records first, then the best read: a copy is compared with documents kept before it
    order = sorted(hashes, key=lambda d: (-len(hashes[d]), problems[d], d))
    probe = {doc: min(h) for doc, h in hashes.items()}  # a copy's records include this one
    holders: dict[tuple, list[str]] = {key: [] for key in probe.values()}
    for doc in order:
        for key in holders.keys() & hashes[doc]:
            holders[key].append(doc)
    kept: set[str] = set()
    out = []
    for doc in order:
        original = next((o for o in holders[probe[doc]] if o in kept and hashes[doc] <= hashes[o]), None)
        if original is None:
            kept.add(doc)
            continue
        n, m = len(hashes[doc]), len(hashes[original])
        how = "every record the same" if n == m else f"{n:,} of its {m:,} records, the same, and none else"
        if doc in reports:
            out.append((reports[doc], original, how))
    return out


@dataclass
class Dataset:
    tables: dict[Kind, pl.DataFrame]
    context: RuleContext
    documents: list[DocumentReport] = field(default_factory=list)
    profile: Profile | None = None
    #: documents whose content equals an earlier one's (read and counted once): (copy, original path)
    duplicates: list[tuple[DocumentReport, str]] = field(default_factory=list)
    #: documents giving the same records as another with other bytes (a damaged or re-saved copy),
    #: set aside and counted once: (copy, the document read instead, how they compare)
    record_copies: list[tuple[DocumentReport, str, str]] = field(default_factory=list)
    days: pl.DataFrame = field(init=False)
    double_books: pl.DataFrame = field(init=False)  # worker-days two documents give differently
    implausible: list[Implausible] = field(init=False)  # values kept out of the rules
    unmatched_names: dict[tuple[str, str], list[str]] = field(init=False)  # (kind, doc) → names no roster matched
    gaps: list[Gap] = field(init=False)  # what was not read completely (coverage)
    #: rows whose stated total disagrees with the hours computed from their punches while most of
    #: their document's rows agree (DQ-STATED-TOTAL): worker_id, date, _doc, _rec, stated, computed
    total_disagreements: pl.DataFrame = field(init=False)
    #: what checking a document's stated totals decided, by document path (also in its report's notes)
    reading_notes: dict[str, list[str]] = field(init=False)
    con: duckdb.DuckDBPyConnection = field(init=False)

    @classmethod
    def build(cls, tables: list[Table], context: RuleContext,
              documents: list[DocumentReport] | None = None, profile: Profile | None = None) -> "Dataset":
        documents = documents or []
        first_path: dict[str, str] = {}
        duplicates: list[tuple[DocumentReport, str]] = []
        for d in documents:
            if d.sha256 in first_path:
                duplicates.append((d, first_path[d.sha256]))
            else:
                first_path[d.sha256] = d.path
        copies = {d.path for d, _ in duplicates}
        same_records = record_copies(tables, documents, copies)
        copies |= {d.path for d, _, _ in same_records}
        by_kind: dict[Kind, list[pl.DataFrame]] = {}
        for t in tables:
            if t.df.height and t.df["_doc"][0] in copies:
                continue  # the same bytes twice: read and counted once
            by_kind.setdefault(t.kind, []).append(t.df)
        merged: dict[Kind, pl.DataFrame] = {}
        offset = 0
        for kind in Kind:
            frames = by_kind.get(kind)
            if not frames:
                merged[kind] = empty_table(kind)
                continue
            df = pl.concat(frames, how="diagonal_relaxed")
            merged[kind] = df.with_columns(
                (pl.int_range(pl.len(), dtype=pl.Int64) + offset).alias("_rec"))
            offset += df.height
        return cls(merged, context, documents, profile, duplicates, same_records)

    def __post_init__(self) -> None:
        if self.profile is not None and self.profile.rest_days is not None:
            self.context.rest_weekdays = list(self.profile.rest_days)  # the factory's own weekly rest day
        self.unmatched_names = self._ids_from_names()
        self.implausible = []
        if self.profile is not None:
            self._resolve_months()
            self.tables, self.implausible = screen(self.tables, self.profile, self._minimum_wage_at)
        self.days = self._worked_days()
        self.days, too_long = implausible_days(self.days, self.tables[Kind.TIMESHEET])
        self.implausible += too_long
        self.gaps = self._coverage()
        self.con = duckdb.connect()
        for kind, df in self.tables.items():
            self.con.register(kind.value, df)
        self.con.register("days", self.days)
        self.con.register("id_schemes", pl.DataFrame(
            {"scheme": (self.context.bases.get("national_id") or {}).get("schemes", [])}, schema={"scheme": pl.Utf8}))
        self.con.register("audit", pl.DataFrame({"audit_date": [self.profile.audit_date] if self.profile else []},
                                                schema={"audit_date": pl.Date}))
        self.uncovered = expand(self.gaps, self.period_months())
        self.con.register("uncovered", pl.DataFrame(sorted(self.uncovered),
                                                    schema={"kind": pl.Utf8, "month": pl.Utf8}, orient="row"))
        self.con.register("partial_days", self.days.filter(pl.col("partial")).select("worker_id", "month").unique())
        self.con.register("params", pl.DataFrame(
            [{"name": v.name, "value": v.value, "valid_from": v.valid_from, "valid_to": v.valid_to,
              "source": v.source, "pack": v.pack} for v in self.context.values],
            schema={"name": pl.Utf8, "value": pl.Float64, "valid_from": pl.Date,
                    "valid_to": pl.Date, "source": pl.Utf8, "pack": pl.Utf8}))

    def _worked_days(self) -> pl.DataFrame:
        ts = self.tables[Kind.TIMESHEET]
        pairs = [_pair_minutes(i) for i in PAIRS]
        has_pair = pl.any_horizontal([p.is_not_null() for p in pairs])
        punched = pl.sum_horizontal(pairs) - pl.col("break_minutes").fill_null(0)
        # minutes after the day's midnight at which each pair ends (past 1440: the next morning)
        ends = [pl.col(f"in{i}").cast(pl.Int32) + _pair_minutes(i) for i in PAIRS]
        night = pl.any_horizontal([  # any minute inside 22:00-06:00
            _pair_minutes(i).gt(0) & ((pl.col(f"in{i}").cast(pl.Int32) < 360) | (end > 1320))
            for i, end in zip(PAIRS, ends)]).fill_null(False)
        # a day with work in it: a pair of some length, or hours stated. A rest-day row (DingTalk's 休息
        # with no punch), an absence or leave mark, a timetable never clocked or a 0:00-0:00 row is not one
        worked = pl.when(has_pair).then(pl.sum_horizontal(pairs) > 0).otherwise(pl.col("total_hours") > 0)
        rows = ts.filter(pl.col("worker_id").is_not_null() & pl.col("date").is_not_null()).with_columns(
            pl.when(has_pair).then(punched / 60).otherwise(pl.col("total_hours")).alias("hours"),
            pl.coalesce([f"in{i}" for i in PAIRS]).alias("first_in"),
            pl.sum_horizontal([p.is_not_null().cast(pl.Int32) for p in pairs]).alias("pairs"),
            pl.max_horizontal(ends).alias("last_out"),
            night.alias("night"),
            pl.concat_str([pl.col(f).cast(pl.Utf8).fill_null("-") for f in PUNCH_FIELDS],
                          separator=",").alias("punch_times"),
        ).filter(pl.col("hours").is_not_null() & worked.fill_null(False))
        if "_partial" not in rows.columns:
            rows = rows.with_columns(pl.lit(False).alias("_partial"))
        rows = self._deduct_breaks(rows)
        rows = self._check_stated_totals(rows)
        # within one document, rows of the same worker-day are segments of it (timetables,
        # shifts): summed, a row repeated word for word counted once
        per_doc = rows.unique(subset=["worker_id", "date", "_doc", "punch_times", "hours"], keep="first",
                              maintain_order=True).group_by("worker_id", "date", "_doc").agg(
            pl.col("hours").sum(), pl.col("first_in").min(), pl.col("last_out").max(), pl.col("pairs").sum(),
            pl.col("night").any(), pl.col("punch_times").str.join(";"), pl.col("break_deducted").sum(),
            (pl.col("break_minutes").is_not_null() | pl.col("_total_checked")).any().alias("break_stated"),
            pl.col("break_label").drop_nulls().first(), pl.col("break_basis").drop_nulls().first(),
            pl.col("_partial").fill_null(False).any().alias("partial"), pl.col("_rec").alias("recs"))
        per_doc = self._presume_breaks(per_doc)
        # across documents, a worker-day whose start or end differs is a double book (INT-DOUBLE-BOOK).
        # Two readings of the same clock (a time card beside the tap log it came from) agree on when the
        # day began and ended even when one counts the lunch break and the other does not.
        spread = lambda col: pl.col(col).list.max() - pl.col(col).list.min()  # noqa: E731
        self.double_books = per_doc.group_by("worker_id", "date").agg(
            pl.col("_doc"), pl.col("hours"), pl.col("first_in"), pl.col("last_out"),
            pl.col("recs").list.explode(keep_nulls=False, empty_as_null=False),
        ).filter((pl.col("_doc").list.len() > 1)
                 & ((spread("first_in") > SAME_CLOCK_MINUTES) | (spread("last_out") > SAME_CLOCK_MINUTES))
                 ).sort("worker_id", "date")
        # the rules judge a double book's longest reading (hidden hours are what a second book hides),
        # and a day read twice by its most detailed reading (the one that shows the breaks)
        booked = self.double_books.select("worker_id", "date").with_columns(pl.lit(True).alias("_booked"))
        per_doc = per_doc.join(booked, on=["worker_id", "date"], how="left").with_columns(
            pl.when(pl.col("_booked").fill_null(False)).then(pl.col("hours"))
            .otherwise(pl.col("pairs") * 100 + pl.col("hours")).alias("_rank"))
        days = per_doc.sort("_rank", "_doc", descending=[True, False]).group_by("worker_id", "date").agg(
            pl.col("hours").first(), pl.col("first_in").first(), pl.col("last_out").first(),
            pl.col("night").first(), pl.col("punch_times").first(), pl.col("partial").first(),
            pl.col("break_deducted").first(), pl.col("break_label").first(), pl.col("break_basis").first(),
            pl.col("recs").first())
        types = day_types(days["date"].to_list(), self.context.holiday_calendar,
                          self.context.rest_weekdays)
        days = days.with_columns(pl.col("date").replace_strict(types, return_dtype=pl.Utf8,
                                                               default=None).alias("day_type"))
        regular = self._param_by_date("regular_daily_hours", days["date"].to_list())
        days = days.with_columns(
            pl.col("date").replace_strict(regular, return_dtype=pl.Float64, default=None)
            .alias("regular_daily_hours"))
        days = days.with_columns((pl.col("hours") + pl.col("break_deducted") / 60).alias("hours_punched"))

        def overtime(hours: str) -> pl.Expr:
            return pl.when(pl.col("day_type") == "weekday") \
                .then((pl.col(hours) - pl.col("regular_daily_hours")).clip(lower_bound=0)) \
                .otherwise(pl.col(hours)).fill_null(0)
        return days.with_columns(
            overtime("hours").alias("ot_hours"), overtime("hours_punched").alias("ot_hours_punched"),
            pl.col("date").dt.strftime("%Y-%m").alias("month"),
        ).sort("worker_id", "date")

    def covered(self, kind: str, month: str | None = None) -> bool:
        """Whether a record kind (in a month, or in every month when none is given) was read
        completely enough for a rule that rests on its absence or total."""
        return not any(k == kind and (month is None or m == month) for k, m in self.uncovered)

    def period_months(self) -> list[str]:
        """The months of the profile's period (or, with no profile, the months the records hold)."""
        if self.profile is None:
            return sorted(set(self.days["month"].to_list()) | set(self.tables[Kind.PAYROLL]["period"].drop_nulls()))
        months, (year, month) = [], (self.profile.period_start.year, self.profile.period_start.month)
        while (year, month) <= (self.profile.period_end.year, self.profile.period_end.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def _minimum_wage_at(self, day: dt.date) -> float | None:
        value = self.context.value_at("minimum_wage_monthly", day)
        return None if value is None else value.value

    def _resolve_months(self) -> None:
        """A pay month written without its year ("8月工资明细.csv") takes the year that puts it
        inside the audit period; one that fits no year, or two, stays unknown."""
        pay = self.tables[Kind.PAYROLL]
        if pay.height and pay["period"].str.starts_with("XXXX").any():
            start, end = self.profile.period_start, self.profile.period_end
            pay = pay.with_columns(pl.col("period").map_elements(lambda p: resolve_month(p, start, end),
                                                                 return_dtype=pl.Utf8))
            self.tables[Kind.PAYROLL] = pay

    def _coverage(self) -> list[Gap]:
        months_of: dict[tuple[str, str], set[str]] = {}
        ts, pay = self.tables[Kind.TIMESHEET], self.tables[Kind.PAYROLL]
        for kind, frame in (("timesheet", ts.select("_doc", pl.col("date").dt.strftime("%Y-%m").alias("m"))),
                            ("payroll", pay.select("_doc", pl.col("period").alias("m")))):
            for doc, month in frame.drop_nulls().unique().iter_rows():
                months_of.setdefault((kind, doc), set()).add(month)
        set_aside = {d.path for d, _, _ in self.record_copies}  # a damaged copy's gaps are not the pack's
        gaps = document_gaps([d for d in self.documents if d.path not in set_aside], months_of,
                             self.period_months() if self.profile is not None else None) + getattr(self, "_stated_gaps", [])
        by_path = {d.path: d for d in self.documents}
        lost: dict[tuple[str, str], int] = {}
        for v in self.implausible:
            if v.field in ("date", "period"):
                lost[(v.kind, v.document)] = lost.get((v.kind, v.document), 0) + 1
        for (kind, path), count in sorted(lost.items()):
            doc = by_path.get(path)
            for month in sorted(months_of.get((kind, path)) or {month_hint([path])}, key=lambda m: m or ""):
                gaps.append(Gap(kind, month, f"{count} record(s) of {path} dated far outside the audit period "
                                             f"(a misread date?) were kept out", [doc] if doc else []))
        lic = self.tables[Kind.LICENSE]
        if lic.height:
            raw = lic["raw:valid_until"] if "raw:valid_until" in lic.columns else pl.Series([None] * lic.height)
            said = raw.str.strip_chars().str.to_lowercase().is_in(list(NO_EXPIRY)).fill_null(False)
            missing = lic.with_columns(said.alias("_said")).filter(pl.col("valid_until").is_null() & ~pl.col("_said"))
            for doc, group in missing.group_by("_doc"):
                d = by_path.get(doc[0])
                types = ", ".join(sorted({t or "licence" for t in group["license_type"].to_list()}))
                gaps.append(Gap("license_expiry", None, f"{doc[0]}: no expiry date could be read on the {types}",
                                [d] if d else []))
        basis = self.context.bases.get("hourly_rate")
        per_hours = basis is None or basis.get("per") == "hours_worked"
        if per_hours and pay.height:  # the rate needs the month's hours of normal work: none stated
            no_hours = pl.col("regular_hours").fill_null(0) == 0
            if basis is not None:
                no_hours = no_hours & (pl.col("days_worked").fill_null(0) == 0)
            unpriced = pay.filter(
                (pl.sum_horizontal(pl.col("ot_hours_weekday", "ot_hours_restday", "ot_hours_holiday").fill_null(0)) > 0)
                & pl.col("hourly_rate").is_null() & no_hours)
            why = "and the law pack gives no hourly-rate basis" if basis is None else \
                "nor the days worked the law's hourly rate divides by"
            for (doc, month), group in unpriced.group_by("_doc", "period"):
                d = by_path.get(doc)
                gaps.append(Gap("payroll_ot_premium", month,
                                f"{group.height} payroll line(s) of {doc} state overtime hours but no hourly rate "
                                f"or regular hours, {why}", [d] if d else []))
        for (kind, doc), names in sorted(self.unmatched_names.items()):
            d = by_path.get(doc)
            for month in sorted(months_of.get((kind, doc)) or {month_hint([doc])}, key=lambda m: m or ""):
                gaps.append(Gap(kind, month, f"{doc} names {len(names)} worker(s) with no id that no single "
                                             f"roster name matches ({', '.join(sorted(names)[:5])})",
                                [d] if d else []))
        if "_unread_money" in pay.columns:
            unread = pay.filter(pl.col("_unread_money").is_not_null())
            for (doc, month), group in unread.group_by("_doc", "period"):
                labels = sorted({p.split("=")[0] for text in group["_unread_money"] for p in text.split("; ")})
                d = by_path.get(doc)
                gaps.append(Gap("payroll_arithmetic", month,
                                f"{group.height} payroll line(s) of {doc} hold money in column(s) no field "
                                f"took ({', '.join(labels)}), so gross and net cannot be re-added",
                                [d] if d else []))
        return gaps

    def _ids_from_names(self) -> dict[tuple[str, str], list[str]]:
        """Registers that name workers without an id (Vietnam's 01a and 02-LĐTL) take the id the
        roster gives that name, when exactly one worker has it. Returns the names no roster matched,
        by (kind, document); a payroll line with no id is then dropped (the coverage gap says so)."""
        key = lambda col: pl.col(col).str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()  # noqa: E731
        roster = self.tables[Kind.ROSTER].filter(pl.col("name").is_not_null() & pl.col("worker_id").is_not_null())
        unique = roster.group_by(key("name").alias("_key")).agg(pl.col("worker_id").unique()).filter(
            pl.col("worker_id").list.len() == 1).with_columns(pl.col("worker_id").list.first().alias("_id"))
        unmatched: dict[tuple[str, str], list[str]] = {}
        for kind in (Kind.TIMESHEET, Kind.PAYROLL):
            table = self.tables[kind]
            if "_name_only" not in table.columns or not table["_name_only"].fill_null(False).any():
                continue
            table = table.with_columns(key("name").alias("_key")).join(unique.select("_key", "_id"), on="_key",
                                                                      how="left", maintain_order="left")
            named = table["_name_only"].fill_null(False)
            for doc, name in table.filter(named & pl.col("_id").is_null()).select("_doc", "name").unique().iter_rows():
                unmatched.setdefault((kind.value, doc), []).append(name)
            table = table.with_columns(
                pl.when(named).then(pl.col("_id")).otherwise(pl.col("worker_id")).alias("worker_id")).drop("_key", "_id")
            if kind is Kind.PAYROLL:
                table = table.filter(pl.col("worker_id").is_not_null())
            self.tables[kind] = table
        return unmatched

    def _deduct_breaks(self, rows: pl.DataFrame) -> pl.DataFrame:
        """The factory's unpaid meal breaks (profile ``breaks:``), deducted from a day whose punches
        run straight through them; a day that punches out and in around a break shows it already,
        and a register that states its break minutes is taken at its word."""
        breaks = self.profile.breaks if self.profile is not None else []
        if not breaks or rows.is_empty():
            return rows.with_columns(pl.lit(0, dtype=pl.Int32).alias("break_deducted"),
                                     pl.lit(None, dtype=pl.Utf8).alias("break_label"),
                                     pl.lit(None, dtype=pl.Utf8).alias("break_basis"))

        def run_through(start: int, end: int) -> pl.Expr:  # a punch pair spans the whole break
            return pl.any_horizontal([(pl.col(f"in{i}").cast(pl.Int32) <= start)
                                      & (pl.col(f"in{i}").cast(pl.Int32) + _pair_minutes(i) >= end) for i in PAIRS])
        minutes = pl.sum_horizontal([pl.when(run_through(s, e).fill_null(False)).then(e - s).otherwise(0)
                                     for s, e in breaks])
        deducted = pl.when(pl.col("break_minutes").is_null()).then(minutes).otherwise(0).cast(pl.Int32)
        return rows.with_columns(deducted.alias("break_deducted")).with_columns(
            pl.col("hours") - pl.col("break_deducted") / 60,
            pl.when(pl.col("break_deducted") > 0).then(pl.format("{}-min meal break", pl.col("break_deducted")))
            .alias("break_label"),
            pl.when(pl.col("break_deducted") > 0).then(pl.lit("factory.yaml breaks")).alias("break_basis"))

    def _check_stated_totals(self, rows: pl.DataFrame) -> pl.DataFrame:
        """A time record that states its own totals beside its punches (ZKTeco's ``Total in time``,
        DingTalk's ``工作时长(分钟)``) checks the reading: per row, the hours computed from the pairing
        and breaks against the stated total. Where most rows of a document agree (within
        STATED_TOTAL_TOLERANCE, as punched or with the factory's break deducted, or once a break
        of the same minutes on most rows, the document's own, is deducted) the totals confirm the
        reading: no break is presumed beyond what they show, and a learned break is deducted as the
        document's. A row that disagrees while the rest agree is kept as read and named
        (``total_disagreements``, DQ-STATED-TOTAL). Where most rows disagree the reading is wrong,
        not the factory: the document's hours are its stated totals, and its report says so."""
        self.reading_notes = {}
        self._stated_gaps: list[Gap] = []
        schema = {"worker_id": pl.Utf8, "date": pl.Date, "_doc": pl.Utf8, "_rec": pl.Int64,
                  "stated": pl.Float64, "computed": pl.Float64}
        self.total_disagreements = pl.DataFrame(schema=schema)
        rows = rows.with_columns(pl.lit(False).alias("_total_checked"))
        if rows.is_empty() or rows["total_hours"].null_count() == rows.height:
            return rows
        has_pair = pl.any_horizontal([_pair_minutes(i).is_not_null() for i in PAIRS])
        raw = pl.col("hours") + pl.col("break_deducted") / 60  # as punched, less a break the row states
        tol = STATED_TOTAL_TOLERANCE + 1e-9
        rows = rows.with_columns(
            (has_pair & pl.col("total_hours").is_not_null()).alias("_compared"),
            ((raw - pl.col("total_hours")) * 60).round(0).alias("_diff"),
            (((raw - pl.col("total_hours")).abs() <= tol) | ((pl.col("hours") - pl.col("total_hours")).abs() <= tol))
            .alias("_agrees"))
        frames = []
        for (doc,), group in rows.group_by("_doc", maintain_order=True):
            frames.append(self._judge_totals(doc, group, raw, tol))
        return pl.concat(frames, how="vertical_relaxed").drop("_compared", "_diff", "_agrees")

    def _judge_totals(self, doc: str, rows: pl.DataFrame, raw: pl.Expr, tol: float) -> pl.DataFrame:
        compared = rows.filter(pl.col("_compared"))
        n = compared.height
        if not n:
            return rows
        agree = int(compared["_agrees"].sum())
        # the document's own break: the same difference on most rows the punches do not already explain
        low, high = STATED_BREAK_MINUTES
        diffs = compared.filter(~pl.col("_agrees") & pl.col("_diff").is_between(low, high))["_diff"]
        learned = None
        if diffs.len():
            mode = int(diffs.mode().sort()[0])
            near = (pl.col("_diff") - mode).abs() <= round(STATED_TOTAL_TOLERANCE * 60)
            if agree + compared.filter(~pl.col("_agrees") & near).height > agree and \
                    compared.filter(~pl.col("_agrees") & near).height >= max(1, n - agree) / 2:
                learned = mode
        notes = self.reading_notes.setdefault(doc, [])
        if learned is not None:
            near = pl.col("_compared") & ~pl.col("_agrees") & ((pl.col("_diff") - learned).abs()
                                                                 <= round(STATED_TOTAL_TOLERANCE * 60))
            hits = rows.filter(near).height
            rows = rows.with_columns(
                pl.when(near).then(raw - learned / 60).otherwise(pl.col("hours")).alias("hours"),
                pl.when(near).then(pl.lit(learned)).otherwise(pl.col("break_deducted")).cast(pl.Int32)
                .alias("break_deducted"),
                pl.when(near).then(pl.lit(f"{learned}-min break")).otherwise(pl.col("break_label")).alias("break_label"),
                pl.when(near).then(pl.lit(f"the document's own totals ({hits} of {n} rows state the punches "
                                          f"less {learned} min)"))
                .otherwise(pl.col("break_basis")).alias("break_basis"),
                (pl.col("_agrees") | near).alias("_agrees"))
            agree += hits
            notes.append(f"the stated totals are the punches less a {learned}-min break on {hits} of {n} rows: "
                         f"the document's own break, deducted from those days")
        if n >= STATED_TOTAL_MIN_ROWS and agree < STATED_TOTAL_MOST * n:
            usable = int((compared["total_hours"] > 0).sum()) >= STATED_TOTAL_MOST * n
            if usable:
                notes.append(f"the stated totals disagree with the hours computed from the punches on {n - agree} "
                             f"of {n} rows: the pairing or break deduction is not the document's, so its hours are "
                             f"judged on its stated totals, not on the computed hours")
            else:  # totals of nothing: not the day's hours either; the document's hours are not judged
                reason = (f"{doc}: the stated totals disagree with the hours computed from the punches on "
                          f"{n - agree} of {n} rows and state no hours on most of them: its hours are not judged")
                notes.append(reason)
                months = sorted(set(compared["date"].dt.strftime("%Y-%m").drop_nulls().to_list()))
                docs = [d for d in self.documents if d.path == doc]
                self._stated_gaps += [Gap(Kind.TIMESHEET.value, m, reason, docs) for m in months]
            stated = pl.col("_compared")
            rows = rows.with_columns(
                pl.when(stated).then(pl.col("total_hours") if usable else pl.lit(0.0)).otherwise(pl.col("hours"))
                .alias("hours"),
                pl.when(stated).then(0).otherwise(pl.col("break_deducted")).cast(pl.Int32).alias("break_deducted"),
                pl.when(stated).then(None).otherwise(pl.col("break_label")).alias("break_label"),
                pl.when(stated).then(None).otherwise(pl.col("break_basis")).alias("break_basis"),
                (pl.col("_total_checked") | stated).alias("_total_checked"))
        else:
            notes.append(f"the stated totals confirm the hours computed from the punches on {agree} of {n} rows")
            odd = rows.filter(pl.col("_compared") & ~pl.col("_agrees"))
            if odd.height:
                notes.append(f"{odd.height} row(s) state a total that disagrees with their punches while the "
                             f"rest agree: kept as punched, named by DQ-STATED-TOTAL")
                self.total_disagreements = pl.concat([self.total_disagreements, odd.select(
                    "worker_id", "date", "_doc", "_rec", pl.col("total_hours").alias("stated"),
                    (pl.col("hours") + pl.col("break_deducted") / 60).alias("computed"))],
                    how="vertical_relaxed")
            # the document's own totals say what the day's hours are: no break presumed beyond them
            rows = rows.with_columns((pl.col("_total_checked") | (pl.col("_compared") & pl.col("_agrees")))
                                     .alias("_total_checked"))
        for d in self.documents:
            if d.path == doc:
                for part in d.parts:
                    if part.kind == Kind.TIMESHEET.value:
                        part.notes.extend(n for n in notes if n not in part.notes)
        return rows

    def _presume_breaks(self, days: pl.DataFrame) -> pl.DataFrame:
        """A worker-day whose document shows no break at all (one punch pair, no break minutes, no
        factory break run through) is read with the least break it could have had: the law's rest
        interval for a day of its length where the law pack gives one (``rest_interval_*``), else,
        where no law does, preaudit's own presumption of the meal a span across 12:00-13:00 or 00:00
        takes (``meal_break_*``). ``hours`` has it deducted; the rules also see the hours as punched."""
        days = days.with_columns(pl.col("break_label", "break_basis").cast(pl.Utf8),
                                 pl.col("break_deducted").cast(pl.Int32))
        if days.is_empty():
            return days
        dates = days["date"].unique().to_list()

        def at(name: str, what: str = "value") -> pl.Expr:  # the parameter in force on the day, or null
            found = {d: getattr(v, what) for d in dates if (v := self.context.value_at(name, d)) is not None}
            return pl.col("date").replace_strict(found, return_dtype=pl.Float64 if what == "value" else pl.Utf8,
                                                 default=None)
        start, end = pl.col("first_in").cast(pl.Int32), pl.col("last_out").cast(pl.Int32)
        span = (end - start) / 60
        eligible = (pl.col("pairs") == 1) & ~pl.col("break_stated") & (pl.col("break_deducted") == 0) \
            & start.is_not_null() & end.is_not_null()
        # the law: over rest_interval_after_hours its interval (at night its night interval, where it
        # has one); else over rest_interval_short_after_hours its shorter one
        long_day = span > at("rest_interval_after_hours")
        short_day = span > at("rest_interval_short_after_hours")
        night = long_day & pl.col("night") & at("rest_interval_night_minutes").is_not_null()
        law = (pl.when(night).then(at("rest_interval_night_minutes"))
               .when(long_day).then(at("rest_interval_minutes"))
               .when(short_day).then(at("rest_interval_short_minutes")))
        law_source = (pl.when(night).then(at("rest_interval_night_minutes", "source"))
                      .when(long_day).then(at("rest_interval_minutes", "source"))
                      .when(short_day).then(at("rest_interval_short_minutes", "source")))
        has_law = at("rest_interval_minutes").is_not_null()
        # no law: the meal a span across midday or midnight takes (preaudit's own)
        midday = ((start <= MIDDAY_MEAL[0]) & (end >= MIDDAY_MEAL[1])) \
            | ((start <= MIDDAY_MEAL[0] + 1440) & (end >= MIDDAY_MEAL[1] + 1440))
        midnight = (start < 1440) & (end > 1440)
        lunch = pl.when(midday).then(at("meal_break_midday_minutes")).otherwise(0).fill_null(0)
        supper = pl.when(midnight).then(at("meal_break_midnight_minutes")).otherwise(0).fill_null(0)
        own_label = pl.concat_str([pl.when(lunch > 0).then(pl.lit("lunch hour")),
                                   pl.when(supper > 0).then(pl.format("{}-min midnight meal", supper.cast(pl.Int32)))],
                                  separator=" and ", ignore_nulls=True)
        presumed = pl.when(~eligible).then(0).when(has_law).then(law.fill_null(0)) \
            .otherwise(lunch + supper).cast(pl.Int32)
        label = pl.when(has_law).then(pl.format("{}-min rest interval", presumed)).otherwise(own_label)
        basis = pl.when(has_law).then(pl.format("the law's rest interval, {}", law_source)) \
            .otherwise(pl.lit("preaudit's own presumption of the meal every factory takes: no law pack gives "
                              "a rest interval"))
        return days.with_columns(presumed.alias("_presumed")).with_columns(
            (pl.col("hours") - pl.col("_presumed") / 60).alias("hours"),
            (pl.col("break_deducted") + pl.col("_presumed")).alias("break_deducted"),
            pl.when(pl.col("_presumed") > 0).then(label).otherwise(pl.col("break_label")).alias("break_label"),
            pl.when(pl.col("_presumed") > 0).then(basis).otherwise(pl.col("break_basis")).alias("break_basis"),
        ).drop("_presumed")

    def _param_by_date(self, name: str, dates: list[dt.date]) -> dict[dt.date, float]:
        out = {}
        for d in set(dates):
            value = self.context.value_at(name, d)
            if value is not None:
                out[d] = value.value
        return out

    def sql(self, query: str) -> list[dict]:
        return self.con.sql(query).pl().to_dicts()
