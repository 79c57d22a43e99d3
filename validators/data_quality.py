"""Data-quality findings: documents that could not be used, values that could not be read.
Nothing a factory hands over is dropped silently."""
from __future__ import annotations

from validators.base import Hit, Rule
from preaudit.dataset import Dataset
from preaudit.model import DocStatus, DocumentReport, Evidence


def _document_hits(ds: Dataset, status: DocStatus) -> list[Hit]:
    return [Hit({"document": d.path}, None, None, None, ["preaudit SPEC §3"], [],
                {"reason": d.reason}, [Evidence(d.path, d.sha256, None, None, text=d.reason or "")])
            for d in ds.documents if d.status is status]


def _problem_evidence(doc: DocumentReport) -> list[Evidence]:
    return [Evidence(doc.path, doc.sha256, sheet.get("page"), p["row"], sheet.get("sheet"),
                     text=f"{p['field']}={p['raw']}: {p['reason']}" if p["raw"] is not None else p["reason"])
            for sheet in doc.sheets for p in sheet.get("problems", [])]


def find_unparsed(ds: Dataset) -> list[Hit]:
    hits = []
    for doc in ds.documents:
        evidence = _problem_evidence(doc)
        if evidence:
            fields = sorted({p["field"] for s in doc.sheets for p in s.get("problems", []) if p["field"]})
            hits.append(Hit({"document": doc.path}, None, len(evidence), None, ["preaudit"], [],
                            {"fields": fields}, evidence))
    return hits


RULES = [
    Rule("DQ-UNREADABLE", "data_quality", "major", None, "a document that could not be read", (),
         {}, lambda ds: _document_hits(ds, DocStatus.UNREADABLE),
         lambda h: f"{h.subject['document']} could not be read: {h.values['reason']}"),
    Rule("DQ-UNCLASSIFIED", "data_quality", "major", None,
         "a document whose kind could not be determined", (), {},
         lambda ds: _document_hits(ds, DocStatus.UNCLASSIFIED),
         lambda h: f"{h.subject['document']} was not recognised as any document kind: "
                   f"{h.values['reason']}"),
    # not in the SPEC catalogue: values present but unreadable, so the rules never saw them
    Rule("DQ-UNPARSED-VALUE", "data_quality", "minor", "values",
         "cells whose value could not be read as their column's type", (), {}, find_unparsed,
         lambda h: f"{h.subject['document']}: {h.measured:g} value(s) could not be read "
                   f"({', '.join(h.values['fields'])}); the rules did not see them"),
]
