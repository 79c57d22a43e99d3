"""What a rule is, and how its hits become findings with evidence.

A rule is a small unit: its id, category and severity, a query over the dataset that returns one
row per hit (subject, period, measured value, limit, the source of the limit, and the ``_rec``
ids of the records that decided it), and a renderer that turns a hit into the auditor's
sentence. Evidence is built here, once for all rules, from the records' provenance columns.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from preaudit.dataset import Dataset
from preaudit.model import Evidence, Finding, Kind

MAX_EVIDENCE = 40  # per finding; a month of time records fits, a factory-year of rows does not


@dataclass
class Hit:
    """One row a rule's query returned."""

    subject: dict[str, str]
    period: dict[str, str] | None
    measured: float | None
    limit: float | None
    sources: list[str]
    recs: list[int]
    values: dict[str, Any] = field(default_factory=dict)  # anything else the message needs
    evidence: list[Evidence] | None = None  # given directly when there are no records to cite


@dataclass
class Rule:
    id: str
    category: str
    severity: str
    unit: str | None
    summary: str
    params: tuple[str, ...]
    evidence_fields: dict[Kind, tuple[str, ...]]
    find: Callable[[Dataset], list[Hit]]
    message: Callable[[Hit], str]

    def run(self, dataset: Dataset, review_floor: float | None) -> list[Finding]:
        hits = self.find(dataset)
        return [self._finding(hit, dataset, review_floor) for hit in hits]

    def _finding(self, hit: Hit, dataset: Dataset, review_floor: float | None) -> Finding:
        evidence = hit.evidence if hit.evidence is not None else \
            build_evidence(dataset, hit.recs, self.evidence_fields)
        needs_review = review_floor is not None and any(e.confidence < review_floor for e in evidence)
        return Finding(self.id, self.severity, self.category, hit.subject, hit.period,
                       _round(hit.measured), _round(hit.limit), self.unit, self.message(hit),
                       hit.sources, needs_review, evidence)


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


def build_evidence(dataset: Dataset, recs: list[int], fields: dict[Kind, tuple[str, ...]]) -> list[Evidence]:
    """The records behind a finding, each with where it came from and the deciding values as
    read. Confidence is the lowest of those values' confidences."""
    wanted = sorted(set(recs))[:MAX_EVIDENCE]
    if not wanted:
        return []
    out: list[Evidence] = []
    for kind, names in fields.items():
        table = dataset.tables[kind]
        rows = table.filter(pl.col("_rec").is_in(wanted))
        if rows.is_empty():
            continue
        present = [n for n in names if f"raw:{n}" in rows.columns]
        for row in rows.sort("_doc", "_sheet", "_row", nulls_last=True).to_dicts():
            text = "; ".join(f"{n}={row[f'raw:{n}']}" for n in present if row.get(f"raw:{n}") is not None)
            confs = [row[f"conf:{n}"] for n in present if row.get(f"conf:{n}") is not None]
            ref = next((row[f"ref:{n}"] for n in present if row.get(f"ref:{n}")), None)
            out.append(Evidence(row["_doc"], row["_sha256"], row["_page"], row["_row"],
                                row["_sheet"], ref, row["_bbox"], row["_bbox_unit"], text,
                                min(confs) if confs else 1.0))
    return out


def worker_subject(worker_id: str) -> dict[str, str]:
    return {"worker_id": worker_id}
