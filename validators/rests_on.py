"""What a rule rests on, and the one place that holds back the hits whose other side was not there.

A rule that rests on the absence or the total of records (no time record that day, no payroll
line, no inspection, no licence) declares it: ``@rule(..., rests_on=RestsOn(Kind.TIMESHEET,
among=AT_THE_GATE))``. Its hits are then kept only where that side has records for the month and
was read completely, and a month where the rule would fire for most of whom it judges is held
back whole (a partial reading, not a hundred findings); DQ-COVERAGE says what was held back and
why, and the "not checked" lists are derived from the declarations (``held_back``).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from preaudit.core.model import Kind
from validators.dataset.dataset import Dataset
from validators.hits import Hit

if TYPE_CHECKING:
    from validators.base import Rule

@dataclass(frozen=True)
class Population:
    """Whom an absence rule judges, per month: the subjects (a hit's first subject value) the other
    side's records should name. ``of`` gives {month (None: the whole pack): subjects}."""

    name: str  # "workers at the gate"
    of: Callable[[Dataset], dict[str | None, set[str]]]


def _monthly(df: pl.DataFrame, subject: str, month: pl.Expr) -> dict[str | None, set[str]]:
    out: dict[str | None, set[str]] = {}
    rows = df.select(month.alias("m"), pl.col(subject).alias("s")).drop_nulls().unique()
    for m, s in rows.iter_rows():
        out.setdefault(m, set()).add(s)
    return out


def _hours_paid_expr() -> pl.Expr:
    return pl.sum_horizontal([pl.col(c).fill_null(0) for c in
                              ("regular_hours", "ot_hours_weekday", "ot_hours_restday", "ot_hours_holiday")])


AT_THE_GATE = Population("workers at the gate", lambda ds: _monthly(
    ds.tables[Kind.GATE_LOG].filter(pl.col("timestamp").is_not_null()), "worker_id",
    pl.col("timestamp").dt.strftime("%Y-%m")))
WORKED = Population("workers with worked days", lambda ds: _monthly(ds.days, "worker_id", pl.col("month")))
PAID = Population("workers paid for hours worked", lambda ds: _monthly(
    ds.tables[Kind.PAYROLL].group_by("worker_id", "period").agg(_hours_paid_expr().sum().alias("h"))
    .filter(pl.col("h") > 0), "worker_id", pl.col("period")))
def _paid_and_timed(ds: Dataset) -> dict[str | None, set[str]]:
    worked = WORKED.of(ds)
    return {m: w & worked.get(m, set()) for m, w in PAID.of(ds).items()}


PAID_AND_TIMED = Population("workers with both payroll hours and time records", _paid_and_timed)
SEALED = Population("containers sealed", lambda ds: _monthly(
    ds.tables[Kind.SEAL_LOG], "container_no", pl.col("date").dt.strftime("%Y-%m")))
REQUIRED_LICENCES = Population("licence types the profile requires", lambda ds: {
    None: set(ds.profile.required_licenses if ds.profile is not None else [])})
SEEN = Population("workers in payroll, time records or gate logs", lambda ds: {None: {
    w for kind in (Kind.TIMESHEET, Kind.PAYROLL, Kind.GATE_LOG)
    for w in ds.tables[kind]["worker_id"].drop_nulls().to_list()}})


@dataclass(frozen=True)
class RestsOn:
    """What a rule needs read before it may speak: the record kinds (coverage kinds, as
    validators/dataset/coverage.py names them) whose absence or total its hits rest on.

    ``gate`` (the default): a hit stands only where every kind has records for the hit's month
    (``per="whole"``: at all) and was read completely (no coverage gap; for time records, no
    unpaired tap in the worker's month); and a month where the rule would hit more than ``most``
    of ``among`` (and at least ``at_least`` of them) is one DQ-COVERAGE, not a finding each.
    ``gate=False``: the rule itself leaves out the records a gap touches (a payroll line, a day);
    it is only said to be not fully checked where the gap is. ``what`` names the part of the rule
    that rests on it ("no time record that day")."""

    kinds: tuple[str, ...]
    per: str = "month"  # "month" | "whole"
    among: Population | None = None
    most: float | None = 0.5
    at_least: int = 3
    gate: bool = True
    what: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.kinds, (str, Kind)):
            object.__setattr__(self, "kinds", (self.kinds,))
        object.__setattr__(self, "kinds", tuple(k.value if isinstance(k, Kind) else k for k in self.kinds))
        if self.per not in ("month", "whole"):
            raise ValueError(f"rests_on per={self.per!r}: 'month' or 'whole'")

    def label(self, rule_id: str) -> str:
        return f"{rule_id} ({self.what})" if self.what else rule_id


#: the working-time rules: a time-record gap can break a run of days or shorten a week's or a
#: month's total, so where one is they are said to be checked only in part (not gated)
TIME_RECORDS_IN_PART = RestsOn((Kind.TIMESHEET,), gate=False, what="only in part")


@dataclass
class HeldBack:
    """Hits of a rule kept from the findings because the side they rest on was not there, not
    read completely, or named too few of whom the rule judges. DQ-COVERAGE files them."""

    rule_id: str
    label: str              # the rule id, with the part of it that rests on the side
    kind: str               # the side that was missing
    month: str | None
    why: str                # "missing" | "incomplete" | "most"
    hits: list[Hit]
    subjects: set[str]
    population: int | None = None
    among: str | None = None


def _hit_month(hit: Hit) -> str | None:
    return (hit.period or {}).get("start", "")[:7] or None


def _hit_subject(hit: Hit) -> str:
    return str(next(iter(hit.subject.values()), ""))


def months_with_records(ds: Dataset, kind: str) -> set[str | None]:
    """The months a record kind has records for (None among them when it has any at all)."""
    try:
        table = ds.tables[Kind(kind)]
    except ValueError:
        return set()
    if table.is_empty():
        return set()
    if "period" in table.columns:
        months = set(table["period"].drop_nulls().to_list())
    elif "timestamp" in table.columns:
        stamp = table.select(pl.coalesce(pl.col("timestamp").dt.date(), pl.col("date")).dt.strftime("%Y-%m"))
        months = set(stamp.to_series().drop_nulls().to_list())
    elif "date" in table.columns:
        months = set(table["date"].drop_nulls().dt.strftime("%Y-%m").to_list())
    else:
        months = set()
    if kind == Kind.TIMESHEET.value:
        months |= set(ds.days["month"].to_list())
    return months | {None}


def checked(rule: "Rule", ds: Dataset) -> tuple[list[Hit], list[HeldBack]]:
    """A rule's hits where what it rests on was there and read completely, and those held back.
    Computed once per rule and dataset (DQ-COVERAGE and the review ask again)."""
    memo: dict[tuple[str, int], tuple[list[Hit], list[HeldBack]]] = ds.__dict__.setdefault("_rests_on_checked", {})
    key = (rule.id, id(rule))
    if key not in memo:
        memo[key] = _check(rule, ds, rule.find(ds))
    return memo[key]


def _check(rule: "Rule", ds: Dataset, hits: list[Hit]) -> tuple[list[Hit], list[HeldBack]]:
    decl = rule.rests_on
    if decl is None or not decl.gate:
        return hits, []
    records = {k: months_with_records(ds, k) for k in decl.kinds}
    partial: set[tuple[str, str]] = set()
    if Kind.TIMESHEET.value in decl.kinds and decl.per == "month":
        partial = set(ds.days.filter(pl.col("partial")).select("worker_id", "month").unique().iter_rows())
    uncovered = {k: {m for kk, m in ds.uncovered if kk == k} for k in decl.kinds}
    kept: list[Hit] = []
    held: dict[tuple[str, str | None, str], list[Hit]] = {}
    for hit in hits:
        if not hit.rests:
            kept.append(hit)
            continue
        month = _hit_month(hit) if decl.per == "month" else None
        why = None
        for kind in decl.kinds:
            gap = bool(uncovered[kind]) if month is None else month in uncovered[kind]
            unpaired = kind == Kind.TIMESHEET.value and (hit.subject.get("worker_id"), month) in partial
            if month not in records[kind]:
                why = "missing"
            elif gap or unpaired:
                why = "incomplete"
            if why:
                held.setdefault((kind, month, why), []).append(hit)
                break
        else:
            kept.append(hit)
    population = decl.among.of(ds) if decl.among is not None else None
    if decl.most is not None and population is not None:
        by_month: dict[str | None, list[Hit]] = {}
        for hit in kept:
            if hit.rests:
                by_month.setdefault(_hit_month(hit) if decl.per == "month" else None, []).append(hit)
        for month, group in by_month.items():
            subjects = {_hit_subject(h) for h in group}
            total = len(population.get(month, set()) | subjects)
            if len(subjects) >= decl.at_least and len(subjects) > decl.most * total + 1e-9:
                held[(decl.kinds[0], month, "most")] = group
        dropped = {id(h) for (_, _, why), group in held.items() if why == "most" for h in group}
        kept = [h for h in kept if id(h) not in dropped]
    out = []
    for (kind, month, why), group in held.items():
        subjects = {_hit_subject(h) for h in group}
        total = None if population is None else len(population.get(month, set()) | subjects)
        out.append(HeldBack(rule.id, decl.label(rule.id), kind, month, why, group, subjects, total,
                            decl.among.name if decl.among is not None else None))
    return kept, out


def held_back(ds: Dataset, rules: list["Rule"]) -> list[HeldBack]:
    """What every gated rule held back on this dataset (its finder run once, see ``checked``)."""
    return [h for r in rules if r.rests_on is not None and r.rests_on.gate for h in checked(r, ds)[1]]


def resting_on(kind: str, rules: list["Rule"]) -> list[str]:
    """The rules that rest on a record kind (their labels), from their declarations."""
    return [r.rests_on.label(r.id) for r in rules if r.rests_on is not None and kind in r.rests_on.kinds]
