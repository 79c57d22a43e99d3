"""Data-quality findings: documents that could not be used, values that could not be read.
Nothing a factory hands over is dropped silently."""
from __future__ import annotations

import polars as pl

from validators.dataset.coverage import KIND_WORDS
from validators.base import CITED, MAX_EVIDENCE, REGISTRY, Hit, month_period, rule
from validators.rests_on import HeldBack, held_back, resting_on

#: record kinds whose coverage is judged per month (rosters, licences are judged whole)
MONTHLY = {"timesheet", "payroll", "payroll_arithmetic", "payroll_ot_premium", "container_inspection", "gate_log", "seal_log"}
from validators.dataset.dataset import Dataset
from preaudit.core.model import DocStatus, DocumentReport, Evidence, Kind


def _document_hits(ds: Dataset, status: DocStatus) -> list[Hit]:
    # a document whose name places it outside the audit period says so, here (its gap switches
    # nothing off inside the period: coverage.named_month)
    outside = {d.path: g.reason.rsplit("; its name gives ", 1)[1] for g in ds.gaps if g.outside for d in g.documents}

    def reason(d: DocumentReport) -> str:
        return f"{d.reason}; its name gives {outside[d.path]}" if d.path in outside else (d.reason or "")
    hits = [Hit({"document": d.path}, None, None, None, [CITED], [],
                {"reason": reason(d)}, [Evidence(d.path, d.sha256, None, None, text=reason(d))])
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
    what = KIND_WORDS.get(h.subject["record_kind"], h.subject["record_kind"])
    when = f" for {h.values['month']}" if h.values["month"] else ""
    rules = f"; not checked: {', '.join(h.values['rules'])}" if h.values["rules"] else ""
    return f"{what}{when} not read completely: {'; '.join(h.values['reasons'])}{rules}"


def _held_reason(held: HeldBack) -> str:
    """What a rule would have filed: the count, and whom of how many."""
    whom = f"{len(held.subjects)} of the {held.population} {held.among}" if held.population else \
        f"{len(held.subjects)} subject(s)"
    return f"{held.label} would have fired for {whom} ({len(held.hits)} finding(s) held back)"


def _side_reason(held: HeldBack) -> str | None:
    words = KIND_WORDS.get(held.kind, held.kind)
    when = f" for {held.month}" if held.month else ""
    if held.why == "missing":
        return f"no {words} were read{when}"
    if held.why == "most":
        return f"the {words}{when} name too few of the {held.among or 'subjects'}: a partial reading, not a finding each"
    return None  # a gap, or an unpaired tap: said by its own reason


def _documents(ds: Dataset, recs: set[int], kind: str, month: str | None) -> dict[str, tuple[str, str]]:
    """{path: (sha256, what it holds)}: the documents a held-back rule's records came from, and the
    documents of the side it rests on for the month (read, but not enough)."""
    out: dict[str, tuple[str, str]] = {}
    wanted = pl.Series(sorted(recs), dtype=pl.Int64)
    for k, table in ds.tables.items():
        if table.is_empty() or not recs:
            continue
        for doc, sha in table.filter(pl.col("_rec").is_in(wanted.implode())).select("_doc", "_sha256").unique().iter_rows():
            out.setdefault(doc, (sha, f"the records the held-back findings rest on ({KIND_WORDS.get(k.value, k.value)})"))
    try:
        side = ds.tables[Kind(kind)]
    except ValueError:
        return out
    if month is not None and not side.is_empty():
        col = "period" if "period" in side.columns else "date"
        months = side[col] if col == "period" else side[col].dt.strftime("%Y-%m")
        side = side.filter(months == month)
    for doc, sha in side.select("_doc", "_sha256").unique().iter_rows():
        out[doc] = (sha, f"the {KIND_WORDS.get(kind, kind)} read{f' for {month}' if month else ''}")
    return out


@rule("DQ-COVERAGE", category="data_quality", severity="major",
      summary="a record kind and month not read completely: the rules resting on it were not checked there",
      evidence={},
      message=_coverage_message)
def find_coverage(ds: Dataset) -> list[Hit]:
    """One finding per record kind and month that was not read completely, or that an absence
    rule would have fired for most of: which rules could not be checked there, and why. The rules
    come from their declarations (``rests_on``), never from a list kept here."""
    months = ds.period_months()
    merged: dict[tuple[str, str | None], dict] = {}

    def entry_for(kind: str, month: str | None) -> dict:
        return merged.setdefault((kind, month), {"reasons": [], "docs": {}, "held": []})

    for gap in ds.gaps:
        if gap.outside:  # outside the audit period: said by the document's own finding, affects no month
            continue
        for month in ([gap.month] if gap.month else months) if gap.kind in MONTHLY else [None]:
            entry = entry_for(gap.kind, month)
            entry["gap"] = True
            if gap.reason not in entry["reasons"]:
                entry["reasons"].append(gap.reason)
            for d in gap.documents:  # each document cited with why it left this gap
                entry["docs"].setdefault(d.path, (d.sha256, []))[1].append(gap.reason)
    partial = ds.days.filter(pl.col("partial")).group_by("month").agg(pl.col("worker_id").n_unique())
    for month, workers in partial.iter_rows():
        entry = entry_for("timesheet", month)
        entry["gap"] = True
        entry["reasons"].append(f"{workers} worker(s) have days with an unpaired tap; their hours for the month "
                                f"are not compared with the payroll")
    for held in held_back(ds, REGISTRY):
        entry = entry_for(held.kind, held.month if held.kind in MONTHLY else None)
        entry["held"].append(held)
        side = _side_reason(held)
        if side and side not in entry["reasons"]:
            entry["reasons"].append(side)
        recs = {r for h in held.hits[:MAX_EVIDENCE * 25] for r in h.recs}
        for path, (sha, text) in _documents(ds, recs, held.kind, held.month).items():
            entry["docs"].setdefault(path, (sha, []))[1].append(text)
    hits = []
    for (kind, month), entry in sorted(merged.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        evidence = [Evidence(path, sha, None, None, text="; ".join(dict.fromkeys(reasons)))
                    for path, (sha, reasons) in entry["docs"].items()]
        reasons = entry["reasons"] + [_held_reason(h) for h in entry["held"]]
        # a gap leaves every rule resting on the kind unchecked; a side missing or too thin only
        # those that would have fired
        declared = resting_on(kind, REGISTRY)
        rules = declared if entry.get("gap") else [r for r in declared if r in {h.label for h in entry["held"]}]
        hits.append(Hit({"record_kind": kind}, month_period(month) if month else None,
                        None, None, [CITED], [],
                        {"month": month, "rules": rules, "reasons": reasons,
                         "held_back": {h.rule_id: len(h.hits) for h in entry["held"]}},
                        evidence))
    return hits


@rule("DQ-DUPLICATE-DOCUMENT", category="data_quality", severity="minor",
      summary="a document whose content (or, with other bytes, whose records) equals another's; read and counted once",
      evidence={},
      message=lambda h: f"{h.subject['document']} has the same content as {h.values['original']}: read and counted once"
      if not h.values.get("how") else
      f"{h.subject['document']} gives the same records as {h.values['original']} with other bytes "
      f"({h.values['how']}): a damaged or re-saved copy, set aside; its records are read once, from "
      f"{h.values['original']}")
def find_duplicate_documents(ds: Dataset) -> list[Hit]:
    hits = [Hit({"document": copy.path}, None, None, None, [CITED], [],
                {"original": original},
                [Evidence(copy.path, copy.sha256, None, None, text=f"same content as {original}"),
                 Evidence(original, copy.sha256, None, None, text="read once, here")])
            for copy, original in ds.duplicates]
    sha = {d.path: d.sha256 for d in ds.documents}
    hits += [Hit({"document": copy.path}, None, None, None, [CITED], [], {"original": original, "how": how},
                 [Evidence(copy.path, copy.sha256, None, None, text=f"same records as {original} ({how}): set aside"),
                  Evidence(original, sha.get(original, ""), None, None, text="read, here")])
             for copy, original, how in getattr(ds, "record_copies", [])]
    return hits


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
