"""What an auditor should look at before the findings themselves (issue 10).

- **Systemic patterns**: one rule firing for most workers of a month is either a real systemic
  violation or one misread column. Either way it is one thing to check first: the share of
  workers, and the documents and columns the findings rest on. Nothing is suppressed.
- **Findings resting on documents not fully read**: their count, and those documents.
- **Rules not checked** because no pack gives the value they need for this factory, or because
  the records they rest on (their ``rests_on``) were not there or not read completely.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from preaudit.app.real_work import real_work
from preaudit.app.workers import auditor_sample, worker_series
from preaudit.core.model import DocStatus, Finding, Kind
from validators import RULES
from validators.dataset.coverage import KIND_WORDS
from validators.dataset.dataset import Dataset
from validators.rests_on import checked

#: a rule firing for at least this share of a month's workers, and at least this many, is a pattern
PATTERN_SHARE, PATTERN_MIN_WORKERS = 0.5, 5
PATTERN_SAMPLE = 500
_FIELD_IN_TEXT = re.compile(r"(?:^|; )([a-z_0-9]+)=")


@dataclass
class RunReview:
    patterns: list[dict[str, Any]] = field(default_factory=list)
    partly_read_documents: list[str] = field(default_factory=list)
    findings_on_partly_read: int = 0
    not_checked: list[dict[str, Any]] = field(default_factory=list)  # rules_not_checked
    sample: list[dict[str, Any]] = field(default_factory=list)       # workers to pick for record review
    #: per worker with findings: hours per week and pay per month against the limits (report only)
    worker_series: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: possible items: a violation under some readings of an ambiguous record, not under the most
    #: lenient one; each says what would decide it (Finding.possible)
    possible: list[Finding] = field(default_factory=list)
    #: "Are these records of real work?": worker-months and documents ranked by the integrity
    #: signals (preaudit/app/real_work.py)
    real_work: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"patterns": self.patterns, "partly_read_documents": self.partly_read_documents,
                "findings_on_partly_read_documents": self.findings_on_partly_read,
                "rules_not_checked": self.not_checked, "auditor_sample": self.sample,
                "possible": [f.to_json() for f in self.possible], "real_work": self.real_work}


def _workers_by_month(ds: Dataset) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for worker, month in ds.days.select("worker_id", "month").unique().iter_rows():
        out[month].add(worker)
    for worker, month in ds.tables[Kind.PAYROLL].select("worker_id", "period").drop_nulls().unique().iter_rows():
        out[month].add(worker)
    return out


def patterns(ds: Dataset, findings: list[Finding]) -> list[dict[str, Any]]:
    workers = _workers_by_month(ds)
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if "worker_id" in f.subject and f.period and f.category != "data_quality":
            groups[(f.rule_id, f.period["start"][:7])].append(f)
    out = []
    for (rule_id, month), group in sorted(groups.items()):
        hit = {f.subject["worker_id"] for f in group}
        total = len(workers.get(month, set()) | hit)
        if len(hit) < PATTERN_MIN_WORKERS or len(hit) < PATTERN_SHARE * total:
            continue
        # the documents and fields most findings rest on, from an even sample of the group (a
        # factory-year's pattern can hold a hundred thousand findings)
        sample = group[::max(1, len(group) // PATTERN_SAMPLE)]
        documents = Counter(e.document for f in sample for e in f.evidence)
        fields = Counter(m for f in sample for e in f.evidence for m in _FIELD_IN_TEXT.findall(e.text or ""))
        out.append({"rule_id": rule_id, "month": month, "workers_affected": len(hit), "workers": total,
                    "share": round(len(hit) / total, 2), "findings": len(group),
                    "documents": [d for d, _ in documents.most_common(5)],
                    "fields": [f for f, _ in fields.most_common(6)],
                    "message": f"{rule_id} fires for {len(hit)} of {total} workers in {month}: check how "
                               f"{', '.join(d for d, _ in documents.most_common(2))} was read "
                               f"(preaudit inspect) before the findings one by one"})
    return out


def partly_read(ds: Dataset) -> set[str]:
    """Documents not read whole: values that could not be read, rows rejected for a reason other
    than being blank, a total, a note or a repeated header, sheets left unclassified, implausible values,
    coverage gaps."""
    fine = {"blank", "header repeated", "total row", "code row", "note row"}
    out = set()
    for d in ds.documents:
        for sheet in d.parts:
            if sheet.problems or sheet.status is DocStatus.UNCLASSIFIED or set(sheet.skipped_why) - fine:
                out.add(d.path)
    out |= {v.document for v in ds.implausible}
    out |= {doc.path for gap in ds.gaps for doc in gap.documents}
    return out


def review(ds: Dataset, findings: list[Finding], possible: list[Finding] | None = None) -> RunReview:
    partial = partly_read(ds)
    resting = sum(1 for f in findings if f.category != "data_quality"
                  and any(e.document in partial for e in f.evidence))
    return RunReview(patterns(ds, findings), sorted(partial), resting, rules_not_checked(ds),
                     auditor_sample(ds, findings), worker_series(ds, findings), list(possible or []),
                     real_work(findings + list(possible or [])))


def rules_without_values(ds: Dataset) -> list[dict[str, Any]]:
    """Rules that need a value the packs and the profile's overrides do not give for this factory
    (Vietnam without its region, China without its province: no minimum wage): said, never silent."""

    given = {v.name for v in ds.context.values}
    where = ds.profile.jurisdiction if ds.profile is not None else ", ".join(ds.context.packs_used)
    out = []
    for rule in RULES:
        if rule.params and not given & set(rule.params):
            out.append({"rule_id": rule.id, "parameters": list(rule.params),
                        "message": f"{rule.id} not checked: no {' or '.join(rule.params)} for "
                                   f"{where} in the rule packs or the profile's overrides"})
    return out


def rules_not_checked(ds: Dataset, rules: list | None = None) -> list[dict[str, Any]]:
    """Rules not checked, or not everywhere: for lack of a value (``rules_without_values``), or
    because what they rest on was not read (``rules_without_records``)."""
    return rules_without_values(ds) + rules_without_records(ds, rules)


def rules_without_records(ds: Dataset, rules: list | None = None) -> list[dict[str, Any]]:
    """Rules whose ``rests_on`` side was missing or not read completely somewhere, derived from
    their declarations: where a coverage gap is, and where the rule held findings back (the side
    had no records for the month, or named too few of whom the rule judges)."""

    out = []
    for rule in (RULES if rules is None else rules):
        decl = rule.rests_on
        if decl is None:
            continue
        where: dict[str, set[str | None]] = {}
        for kind, month in ds.uncovered:
            if kind in decl.kinds:
                where.setdefault(kind, set()).add(month if decl.per == "month" else None)
        held = checked(rule, ds)[1] if decl.gate else []
        for h in held:
            where.setdefault(h.kind, set()).add(h.month)
        if not where:
            continue
        months = sorted({m for ms in where.values() for m in ms if m})
        sides = " or ".join(KIND_WORDS.get(k, k) for k in sorted(where))
        when = f" for {', '.join(months)}" if months else ""
        how = "not checked" if decl.gate else "checked only in part"
        count = sum(len(h.hits) for h in held)
        out.append({"rule_id": rule.id, "record_kinds": sorted(where), "months": months,
                    "held_back": count,
                    "message": f"{decl.label(rule.id) if decl.gate else rule.id} {how}{when}: the {sides} it rests on were not there or not "
                               f"read completely" + (f" ({count} finding(s) held back, see DQ-COVERAGE)" if count else "")})
    return out
