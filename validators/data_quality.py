"""Data-quality findings: documents that could not be used, values that could not be read.
Nothing a factory hands over is dropped silently."""
from __future__ import annotations

import polars as pl

from preaudit.data.coverage import RULES_RESTING_ON
from validators.base import CITED, MAX_EVIDENCE, Hit, month_period, rule

#: record kinds whose coverage is judged per month (rosters, licences are judged whole)
MONTHLY = {"timesheet", "payroll", "payroll_arithmetic", "payroll_ot_premium", "container_inspection", "gate_log", "seal_log"}
from preaudit.data.dataset import Dataset
from preaudit.core.model import DocStatus, DocumentReport, Evidence, Kind


def _document_hits(ds: Dataset, status: DocStatus) -> list[Hit]:
    hits = [Hit({"document": d.path}, None, None, None, [CITED], [],
                {"reason": d.reason}, [Evidence(d.path, d.sha256, None, None, text=d.reason or "")])
            for d in ds.documents if d.status is status]
    if status is DocStatus.UNREADABLE:
        hits += _below_floor(ds)
    if status is DocStatus.UNCLASSIFIED:  # sheets or pages not recognised inside a document that was read
        for d in ds.documents:
            parts = [s for s in d.parts if d.status is DocStatus.OK and s.status is status]
            if parts:
                where = [f"sheet {s.sheet!r}" if s.sheet else f"page {s.page}" for s in parts]
                reason = "; ".join(f"{w}: {s.reason}" for w, s in zip(where, parts))
                hits.append(Hit({"document": d.path}, None, None, None, [CITED], [],
                                {"reason": f"{len(parts)} part(s) not recognised — {reason}"},
                                [Evidence(d.path, d.sha256, s.page, None, s.sheet, text=s.reason or "")
                                 for s in parts]))
    return hits


def _below_floor(ds: Dataset) -> list[Hit]:
    """A document read only by OCR, every page of it below the confidence floor: unusable."""
    floor = next((v for v in ds.context.values if v.name == "ocr_confidence_floor"), None)
    hits = []
    for d in ds.documents:
        pages = [s for s in d.pages_read if s.source == "ocr"]
        if floor is None or d.status is not DocStatus.OK or not pages or len(pages) != (d.pages or 0):
            continue
        best = max(s.mean_confidence or 0.0 for s in pages)
        if best < floor.value:
            reason = f"OCR confidence {best:.2f} is below the floor {floor.value:g} on every page"
            hits.append(Hit({"document": d.path}, None, best, floor.value, [floor.source], [], {"reason": reason},
                            [Evidence(d.path, d.sha256, s.page, None, text=f"mean confidence {s.mean_confidence}",
                                      confidence=s.mean_confidence) for s in pages]))
    return hits


def _problem_evidence(doc: DocumentReport) -> list[Evidence]:
    return [Evidence(doc.path, doc.sha256, p.page or sheet.page, p.row, sheet.sheet,
                     bbox=p.bbox, bbox_unit=sheet.bbox_unit if p.bbox else None,
                     text=f"{p.field}={p.raw}: {p.reason}" if p.raw is not None else p.reason,
                     confidence=1.0 if p.confidence is None else p.confidence)
            for sheet in doc.parts for p in sheet.problems]


@rule("DQ-UNPARSED-VALUE", category="data_quality", severity="minor", unit="values",
      summary="cells whose value could not be read as their column's type",
      evidence={},
      message=lambda h: f"{h.subject['document']}: {h.measured:g} value(s) could not be read "
                        f"({', '.join(h.values['fields'])}); the rules did not see them")
def find_unparsed(ds: Dataset) -> list[Hit]:
    hits = []
    for doc in ds.documents:
        evidence = _problem_evidence(doc)
        if evidence:
            fields = sorted({p.field for s in doc.parts for p in s.problems if p.field})
            hits.append(Hit({"document": doc.path}, None, len(evidence), None, [CITED], [],
                            {"fields": fields}, evidence))
    return hits


@rule("DQ-PERIOD-GAP", category="data_quality", severity="major",
      summary="a month of the profile's period with no time records or no payroll",
      evidence={},
      message=lambda h: f"no {'time records' if h.subject['record_kind'] == 'timesheet' else 'payroll'} for "
                        f"{h.values['month']}, a month of the audit period")
def find_period_gap(ds: Dataset) -> list[Hit]:
    if ds.profile is None:
        return []
    start, end = ds.profile.period_start, ds.profile.period_end
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    # a month whose time records mark presence only (√ 休) still has time records: DQ-COVERAGE says
    # what they cannot decide
    marked = ds.tables[Kind.TIMESHEET]["date"].drop_nulls().dt.strftime("%Y-%m").to_list()
    covered = {"timesheet": set(ds.days["month"].to_list()) | set(marked),
               "payroll": set(ds.tables[Kind.PAYROLL]["period"].drop_nulls().to_list())}
    return [Hit({"record_kind": kind}, month_period(m), None, None, [CITED], [],
                {"month": m}, []) for kind in ("timesheet", "payroll") for m in months if m not in covered[kind]]


@rule("DQ-IMPLAUSIBLE-VALUE", category="data_quality", severity="major", unit="values",
      summary="values no real record holds (a date far outside the period, a day over 24 h, an age under 10 or "
              "over 80, pay 100 × the minimum), kept out of the rules",
      evidence={},
      message=lambda h: f"{h.subject['document']}: {h.measured:g} implausible value(s) ({', '.join(h.values['fields'])}) "
                        f"kept out of the rules, e.g. {h.values['example']}; check how the document was read")
def find_implausible(ds: Dataset) -> list[Hit]:
    by_doc: dict[str, list] = {}
    for v in ds.implausible:
        by_doc.setdefault(v.document, []).append(v)
    hits = []
    for doc, values in by_doc.items():
        evidence = [Evidence(v.document, v.sha256, v.page, v.row, v.sheet, v.cell, text=f"{v.field}={v.raw}: {v.reason}",
                             confidence=v.confidence) for v in values[:MAX_EVIDENCE]]
        hits.append(Hit({"document": doc}, None, len(values), None, [CITED], [],
                        {"fields": sorted({v.field for v in values}), "example": values[0].reason}, evidence))
    return hits


def _coverage_message(h: Hit) -> str:
    what = {"payroll_arithmetic": "payroll arithmetic", "payroll_ot_premium": "overtime pay"}.get(
        h.subject["record_kind"], h.subject["record_kind"])
    when = f" for {h.values['month']}" if h.values["month"] else ""
    rules = f"; not checked: {', '.join(h.values['rules'])}" if h.values["rules"] else ""
    return f"{what}{when} was not read completely: {'; '.join(h.values['reasons'])}{rules}"


@rule("DQ-COVERAGE", category="data_quality", severity="major",
      summary="a record kind and month not read completely: the rules resting on it were not checked there",
      evidence={},
      message=_coverage_message)
def find_coverage(ds: Dataset) -> list[Hit]:
    """One finding per record kind and month that was not read completely: which rules could
    not be checked there, and why."""
    months = ds.period_months()
    merged: dict[tuple[str, str | None], dict] = {}
    for gap in ds.gaps:
        for month in ([gap.month] if gap.month else months) if gap.kind in MONTHLY else [None]:
            entry = merged.setdefault((gap.kind, month), {"reasons": [], "docs": {}})
            if gap.reason not in entry["reasons"]:
                entry["reasons"].append(gap.reason)
            for d in gap.documents:  # each document cited with why it left this gap
                entry["docs"].setdefault(d.path, (d, []))[1].append(gap.reason)
    partial = ds.days.filter(pl.col("partial")).group_by("month").agg(pl.col("worker_id").n_unique())
    for month, workers in partial.iter_rows():
        entry = merged.setdefault(("timesheet", month), {"reasons": [], "docs": {}})
        entry["reasons"].append(f"{workers} worker(s) have days with an unpaired tap; their hours for the month "
                                f"are not compared with the payroll")
    hits = []
    for (kind, month), entry in sorted(merged.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        evidence = [Evidence(d.path, d.sha256, None, None, text="; ".join(dict.fromkeys(reasons)))
                    for d, reasons in entry["docs"].values()]
        hits.append(Hit({"record_kind": kind}, month_period(month) if month else None, None, None,
                        [CITED], [],
                        {"month": month, "rules": RULES_RESTING_ON.get(kind, []), "reasons": entry["reasons"]},
                        evidence))
    return hits


@rule("DQ-DUPLICATE-DOCUMENT", category="data_quality", severity="minor",
      summary="a document whose content equals another's; read and counted once",
      evidence={},
      message=lambda h: f"{h.subject['document']} has the same content as {h.values['original']}: read and counted once")
def find_duplicate_documents(ds: Dataset) -> list[Hit]:
    return [Hit({"document": copy.path}, None, None, None, [CITED], [],
                {"original": original},
                [Evidence(copy.path, copy.sha256, None, None, text=f"same content as {original}"),
                 Evidence(original, copy.sha256, None, None, text="read once, here")])
            for copy, original in ds.duplicates]


@rule("DQ-UNREADABLE", category="data_quality", severity="major",
      summary="a document that could not be read",
      evidence={},
      message=lambda h: f"{h.subject['document']} could not be read: {h.values['reason']}")
def find_unreadable(ds: Dataset) -> list[Hit]:
    return _document_hits(ds, DocStatus.UNREADABLE)


@rule("DQ-UNCLASSIFIED", category="data_quality", severity="major",
      summary="a document whose kind could not be determined",
      evidence={},
      message=lambda h: f"{h.subject['document']} was not recognised as any document kind: {h.values['reason']}")
def find_unclassified(ds: Dataset) -> list[Hit]:
    return _document_hits(ds, DocStatus.UNCLASSIFIED)
