"""What a rule is, and how its hits become findings with evidence.

A rule is one decorated finder: ``@rule(id=…, category=…, severity=…, summary=…, evidence=…,
message=…)`` over a function that queries the dataset and returns one hit per row (subject,
period, measured value, limit, the sources of the limit, and the ``_rec`` ids of the records that
decided it); the message turns a hit into the auditor's sentence. The decorator registers the
rule (``REGISTRY``), and the rule's id reaches the citations without being typed again: ``CITED``
among a hit's sources (the default) stands for what the packs in force cite for its rule.
Evidence is built here, once for all rules, from the records' provenance columns.

A rule that rests on the absence or the total of records (no time record that day, no payroll
line, no inspection, no licence) declares what it rests on: ``rests_on=RestsOn(Kind.TIMESHEET,
among=AT_THE_GATE)``. ``Rule.run`` then keeps its hits only where that side has records for the
month and was read completely, and holds back a month where the rule would fire for most of
whom it judges (a partial reading, not a hundred findings); DQ-COVERAGE says what was held back
and why, and the "not checked" lists are derived from the declarations (``held_back``).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from validators.dataset.dataset import Dataset
from preaudit.core.model import Evidence, Finding, Kind

MAX_EVIDENCE = 40  # per finding; a month of time records fits, a factory-year of rows does not
#: a finding's message, in characters: a sentence an auditor reads, never a list of thousands
#: (a group is named by its size and a few members; the full list is the finding's ``members``)
MAX_MESSAGE = 1000
NAMED = 5  # members a message names before "and N more"


def names(items: list[str], shown: int = NAMED) -> str:
    """"E1, E2, E3" — or, for more than ``shown``, the first few and how many more."""
    items = [str(i) for i in items]
    if len(items) <= shown:
        return ", ".join(items)
    return f"{', '.join(items[:shown])} and {len(items) - shown:,} more"


def bounded(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE - 1].rstrip() + "…"


#: in a hit's sources: the clauses the packs in force cite for the rule that found it
CITED = "<the rule's citations>"


@dataclass
class Hit:
    """One row a rule's query returned."""

    subject: dict[str, str]
    period: dict[str, str] | None
    measured: float | None
    limit: float | None
    sources: list[str] = field(default_factory=lambda: [CITED])  # a parameter's source, and/or CITED
    recs: list[int] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # anything else the message needs
    evidence: list[Evidence] | None = None  # given directly when there are no records to cite
    #: set when the violation holds only under some reasonable readings of the records: what would
    #: decide it ("no break recorded: 11.4 h if the lunch hour was worked, 10.4 h if not"). Such a
    #: hit is a possible item in the review queue, never a finding.
    possible: str | None = None
    #: for a rule with ``rests_on``: whether this hit rests on the absence or total it declares
    #: (False for a gate presence beyond the punches, which both sides show)
    rests: bool = True
    #: a finding for a group (a systemic pattern): every member, listed once, here only
    members: list[str] | None = None


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


def held_back(ds: Dataset, rules: list["Rule"] | None = None) -> list[HeldBack]:
    """What every gated rule held back on this dataset (its finder run once, see ``checked``)."""
    return [h for r in (REGISTRY if rules is None else rules)
            if r.rests_on is not None and r.rests_on.gate for h in checked(r, ds)[1]]


def resting_on(kind: str, rules: list["Rule"] | None = None) -> list[str]:
    """The rules that rest on a record kind (their labels), from their declarations."""
    return [r.rests_on.label(r.id) for r in (REGISTRY if rules is None else rules) if r.rests_on is not None and kind in r.rests_on.kinds]


@dataclass(kw_only=True)
class Rule:
    id: str
    category: str
    severity: str
    unit: str | None = None
    summary: str
    params: tuple[str, ...] = ()
    evidence_fields: dict[Kind, tuple[str, ...]]
    find: Callable[[Dataset], list[Hit]]
    message: Callable[[Hit], str]
    #: the readings of an ambiguous record the rule tries, most lenient first (rules explain)
    readings: str = ""
    #: what the rule's hits rest on (coverage): see ``RestsOn``
    rests_on: RestsOn | None = None
    #: hits checked month by month, then combined (one finding per worker with its months)
    combine: Callable[[list[Hit]], list[Hit]] | None = None

    #: fields shown as evidence that decide nothing: a misread name must not send an hours or a
    #: pay finding to review (the worker id, the hours, the pay, the date do)
    NOT_DECIDING = frozenset({"name"})

    def deciding_fields(self) -> dict[Kind, tuple[str, ...]]:
        return {kind: tuple(f for f in names if f not in self.NOT_DECIDING)
                for kind, names in self.evidence_fields.items()}

    def run(self, dataset: Dataset, review_floor: float | None) -> list[Finding]:
        hits = checked(self, dataset)[0] if self.rests_on is not None and self.rests_on.gate \
            else self.find(dataset)
        if self.combine is not None:
            hits = self.combine(hits)
        cited = {h_id: sorted(set(hit.recs))[:MAX_EVIDENCE] for h_id, hit in enumerate(hits)}
        # one pass over the records for all of a rule's findings, not one per finding
        by_rec = evidence_by_rec(dataset, {r for recs in cited.values() for r in recs},
                                 self.evidence_fields, self.deciding_fields())
        citations = cite(dataset, self.id)
        return [self._finding(hit, [by_rec[r] for r in cited[i] if r in by_rec], review_floor, citations)
                for i, hit in enumerate(hits)]

    def _finding(self, hit: Hit, evidence: list[Evidence], review_floor: float | None,
                 citations: list[str]) -> Finding:
        if hit.evidence is not None:
            evidence = hit.evidence
        hit.sources = _sources(hit.sources, citations)  # the message may quote them
        needs_review = review_floor is not None and any(e.confidence < review_floor for e in evidence)
        return Finding(self.id, self.severity, self.category, hit.subject, hit.period,
                       _round(hit.measured), _round(hit.limit), self.unit, bounded(self.message(hit)),
                       hit.sources, needs_review, evidence[:MAX_EVIDENCE], possible=hit.possible,
                       members=hit.members)


def _sources(given: list[str], citations: list[str]) -> list[str]:
    if CITED not in given:
        return given
    out: list[str] = []
    for source in given:
        for s in citations if source == CITED else [source]:
            if s not in out:
                out.append(s)
    return out


#: every rule, in the order their modules were imported (validators/__init__.py imports them all)
REGISTRY: list[Rule] = []


def rule(id: str, *, category: str, severity: str, summary: str,
         evidence: dict[Kind, tuple[str, ...]], message: Callable[[Hit], str],
         unit: str | None = None, params: tuple[str, ...] = (),
         readings: str = "", rests_on: RestsOn | tuple[Kind | str, ...] | None = None,
         combine: Callable[[list[Hit]], list[Hit]] | None = None) -> Callable[[Callable[[Dataset], list[Hit]]], Rule]:
    """Declare the decorated finder a rule and register it. The finder stays callable as the
    rule's ``find``; the name it is bound to in its module is the ``Rule``. ``rests_on``: a
    ``RestsOn``, or a tuple of record kinds for the defaults."""
    if rests_on is not None and not isinstance(rests_on, RestsOn):
        rests_on = RestsOn(tuple(rests_on))

    def register(find: Callable[[Dataset], list[Hit]]) -> Rule:
        if any(r.id == id for r in REGISTRY):
            raise ValueError(f"rule {id} is declared twice")
        declared = Rule(id=id, category=category, severity=severity, unit=unit, summary=summary, params=params,
                        evidence_fields=evidence, find=find, message=message, readings=readings,
                        rests_on=rests_on, combine=combine)
        REGISTRY.append(declared)
        return declared
    return register


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def period(start: Any, end: Any = None) -> dict[str, str]:
    return {"start": iso(start), "end": iso(end if end is not None else start)}


def month_period(month: str) -> dict[str, str]:
    """'2026-03' → {'start': '2026-03-01', 'end': '2026-03-31'}."""
    year, mon = (int(x) for x in month.split("-"))
    first = dt.date(year, mon, 1)
    last = (dt.date(year + mon // 12, mon % 12 + 1, 1) - dt.timedelta(days=1))
    return period(first, last)


def evidence_by_rec(dataset: Dataset, recs: set[int], fields: dict[Kind, tuple[str, ...]],
                    deciding: dict[Kind, tuple[str, ...]] | None = None) -> dict[int, Evidence]:
    """The records behind findings, each with where it came from and the values as read
    ("date=2026-03-02; out2=21:30"). Confidence is the lowest of the deciding values'
    confidences (all shown values unless ``deciding`` narrows them). Computed as table
    expressions: a factory-year can cite a million rows."""
    out: dict[int, Evidence] = {}
    if not recs:
        return out
    wanted = pl.Series(sorted(recs), dtype=pl.Int64)
    for kind, names in fields.items():
        table = dataset.tables[kind]
        present = [n for n in names if f"raw:{n}" in table.columns]
        if not present:
            continue
        raw = [pl.col(f"raw:{n}") for n in present]
        decides = [n for n in present if deciding is None or n in deciding.get(kind, ())] or present
        rows = table.filter(pl.col("_rec").is_in(wanted.implode())).select(
            "_rec", "_doc", "_sha256", "_page", "_row", "_sheet", "_bbox", "_bbox_unit",
            pl.concat_str([pl.lit(f"{n}=") + r for n, r in zip(present, raw)], separator="; ",
                          ignore_nulls=True).alias("text"),
            # an empty value counts too: a scanned cell with ink in it that could not be read has
            # confidence 0, and a finding may rest on its absence
            pl.min_horizontal([pl.col(f"conf:{n}") for n in decides]).fill_null(1.0).alias("confidence"),
            pl.coalesce([pl.col(f"ref:{n}") for n in present]).alias("cell"))
        for r in rows.iter_rows():
            out[r[0]] = Evidence(r[1], r[2], r[3], r[4], r[5], r[10], r[6], r[7], r[8], r[9])
    return out


def cite(dataset: Dataset, rule_id: str, fallback: str = "preaudit SPEC §3") -> list[str]:
    """The clauses the packs in force cite for a rule without a parameter of its own."""
    return dataset.context.citations.get(rule_id) or [fallback]


def worker_subject(worker_id: str) -> dict[str, str]:
    return {"worker_id": worker_id}
