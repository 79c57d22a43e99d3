"""Per-worker views for the auditor's report (issue 12): the record-review sample an auditor should
pick, and for each worker with findings their hours per week and pay per month against the limits.

Both are computed from the dataset the rules ran on, so the report shows what the rules saw.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from typing import Any

import polars as pl

from validators.dataset.dataset import Dataset
from preaudit.core.model import Finding, Kind

#: the sample: at least this many workers, or this share of the workforce if that is more
SAMPLE_MIN, SAMPLE_SHARE = 10, 0.01
SEVERITY_WEIGHT = {"critical": 9, "major": 3, "minor": 1}
#: per-worker series are kept for at most this many workers (the report stays small)
MAX_SERIES_WORKERS = 3000


def _workforce(ds: Dataset) -> dict[str, dict[str, Any]]:
    """Every worker the records name, with their department and the months they appear in."""
    people: dict[str, dict[str, Any]] = defaultdict(lambda: {"department": None, "months": set()})
    roster = ds.tables[Kind.ROSTER]
    for worker, department in roster.select("worker_id", "department").drop_nulls("worker_id").iter_rows():
        people[worker]["department"] = people[worker]["department"] or department
    for worker, month in ds.days.select("worker_id", "month").unique().iter_rows():
        people[worker]["months"].add(month)
    for worker, month in ds.tables[Kind.PAYROLL].select("worker_id", "period").drop_nulls().unique().iter_rows():
        people[worker]["months"].add(month)
    return people


def auditor_sample(ds: Dataset, findings: list[Finding]) -> list[dict[str, Any]]:
    """The workers an auditor should pick for record review: riskiest first (findings weighted by
    severity), taken in turn from each department so the sample spreads over them, then workers
    with no finding from departments and months the sample does not cover yet. Each with its reason."""
    people = _workforce(ds)
    if not people:
        return []
    size = max(SAMPLE_MIN, round(SAMPLE_SHARE * len(people)))
    score: Counter = Counter()
    rules: dict[str, Counter] = defaultdict(Counter)
    for f in findings:
        worker = f.subject.get("worker_id")
        if worker in people and f.category != "data_quality":
            score[worker] += SEVERITY_WEIGHT.get(f.severity, 1)
            rules[worker][f.rule_id] += 1
    by_department: dict[Any, list[str]] = defaultdict(list)
    for worker in sorted(people, key=lambda w: (-score[w], w)):
        by_department[people[worker]["department"]].append(worker)
    chosen: list[str] = []
    risky = {d: [w for w in ws if score[w]] for d, ws in by_department.items()}
    while len(chosen) < size and any(risky.values()):  # riskiest of each department in turn
        for department in sorted(risky, key=lambda d: -max((score[w] for w in risky[d]), default=0)):
            if risky[department] and len(chosen) < size:
                chosen.append(risky[department].pop(0))
    # then workers with no finding, one department at a time, those the sample has not reached first;
    # within a department, those bringing months not yet covered, then a stable hashed order
    months_seen = {m for w in chosen for m in people[w]["months"]}
    reached = Counter(people[w]["department"] for w in chosen)
    calm = {d: sorted((w for w in ws if not score[w]), key=lambda w: hashlib.sha1(w.encode()).hexdigest())
            for d, ws in by_department.items()}
    while len(chosen) < size and any(calm.values()):
        department = min((d for d in calm if calm[d]), key=lambda d: (reached[d], str(d)))
        pool = calm[department]
        worker = next((w for w in pool if people[w]["months"] - months_seen), pool[0])
        pool.remove(worker)
        chosen.append(worker)
        reached[department] += 1
        months_seen |= people[worker]["months"]
    out = []
    for worker in chosen:
        person = people[worker]
        if score[worker]:
            top = ", ".join(f"{rule} ×{n}" if n > 1 else rule for rule, n in rules[worker].most_common(4))
            reason = f"{sum(rules[worker].values())} finding(s): {top}"
        else:
            reason = "no finding: spreads the sample over " + (
                f"department {person['department']}" if person["department"] else "workers without a department")
        out.append({"worker_id": worker, "department": person["department"], "risk": score[worker],
                    "months": sorted(person["months"]), "reason": reason})
    return out


def worker_series(ds: Dataset, findings: list[Finding]) -> dict[str, dict[str, Any]]:
    """For each worker with a finding: hours per ISO week with the weekly limit in force, and pay
    per month with the minimum wage in force."""
    workers = sorted({f.subject["worker_id"] for f in findings if f.subject.get("worker_id")})[:MAX_SERIES_WORKERS]
    if not workers:
        return {}
    wanted = pl.Series("worker_id", workers, dtype=ds.days.schema.get("worker_id", pl.Utf8))
    out: dict[str, dict[str, Any]] = {w: {"weeks": [], "pay": []} for w in workers}
    days = ds.days.filter(pl.col("worker_id").is_in(wanted.implode()))
    if days.height:
        weeks = days.with_columns(pl.col("date").dt.truncate("1w").alias("monday")).group_by(
            "worker_id", "monday").agg(pl.col("hours").sum()).sort("worker_id", "monday")
        limits = {monday: _value(ds, "max_weekly_hours", monday) for monday in weeks["monday"].unique()}
        for worker, monday, hours in weeks.iter_rows():
            out[worker]["weeks"].append([monday.isoformat(), round(float(hours), 2), limits[monday]])
    pay = ds.tables[Kind.PAYROLL].filter(pl.col("worker_id").is_in(wanted.implode()) & pl.col("period").is_not_null())
    minimums = {period: _value(ds, "minimum_wage_monthly", dt.date.fromisoformat(period + "-01"))
                for period in pay["period"].unique() if _is_month(period)}
    for worker, period, base, gross in pay.select("worker_id", "period", "base_pay", "gross_pay").sort(
            "worker_id", "period").iter_rows():
        if period in minimums:
            out[worker]["pay"].append([period, base, gross, minimums[period]])
    return out


def _value(ds: Dataset, name: str, day: dt.date) -> float | None:
    found = ds.context.value_at(name, day)
    return None if found is None else found.value


def _is_month(period: str) -> bool:
    try:
        dt.date.fromisoformat(period + "-01")
    except ValueError:
        return False
    return True
