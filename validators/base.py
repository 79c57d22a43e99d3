"""What a rule is, and how its hits become findings with evidence.

A rule is one decorated finder: ``@rule(id=…, category=…, severity=…, summary=…, evidence=…,
message=…)`` over a function that queries the dataset and returns one hit per row (subject,
period, measured value, limit, the sources of the limit, and the ``_rec`` ids of the records that
decided it); the message turns a hit into the auditor's sentence. The decorator registers the
rule (``REGISTRY``), and the rule's id reaches the citations without being typed again: ``CITED``
among a hit's sources (the default) stands for what the packs in force cite for its rule.
Evidence is built here, once for all rules, from the records' provenance columns.

A rule that rests on the absence or the total of records declares it (``rests_on=``, see
validators/rests_on.py); ``Rule.run`` keeps only the hits that declaration lets stand.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl

from validators.dataset.dataset import Dataset
from preaudit.core.model import Evidence, Finding, Kind

# the rule API in one import: hits and their bounds, and what a rule rests on
from validators.hits import CITED, MAX_EVIDENCE, Hit, bounded, names  # noqa: F401
from validators.rests_on import RestsOn, checked


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
