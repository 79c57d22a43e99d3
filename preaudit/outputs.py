"""findings.json and findings.csv (SPEC §4). National ID numbers are masked everywhere except in
findings.json written with --unmasked."""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from preaudit.pipeline import AuditResult
from preaudit.storage import Storage

# an 18-character resident ID (or the old 15-digit one) standing alone in a text
_NATIONAL_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8}|\d{5})(\d{3}[\dXx]|\d)(?![0-9A-Za-z])")


def mask_text(text: str) -> str:
    """Keep the region code and the last four characters: 440305********123X."""
    def repl(m: re.Match) -> str:
        whole = m.group(0)
        return whole[:6] + "*" * (len(whole) - 10) + whole[-4:]
    return _NATIONAL_ID.sub(repl, text)


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [_mask(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    return value


def findings_document(result: AuditResult, *, unmasked: bool = False) -> dict[str, Any]:
    doc = {"factory_id": result.profile.factory_id, "run_id": result.run_id,
           "generated_at": result.generated_at, "rule_packs": result.context.packs_used,
           "documents": [d.to_json() for d in result.documents],
           "findings": [f.to_json() for f in result.findings]}
    return doc if unmasked else _mask(doc)


CSV_COLUMNS = ["rule_id", "severity", "category", "subject", "period_start", "period_end",
               "measured", "limit", "unit", "message", "sources", "needs_review", "documents",
               "first_evidence"]


def findings_csv(result: AuditResult) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS)
    writer.writeheader()
    for f in result.findings:
        first = f.evidence[0] if f.evidence else None
        where = None
        if first:
            where = first.document + "".join(
                f" {label} {value}" for label, value in (("sheet", first.sheet), ("page", first.page),
                                                         ("row", first.row), ("cell", first.cell)) if value)
        writer.writerow({
            "rule_id": f.rule_id, "severity": f.severity, "category": f.category,
            "subject": ";".join(f"{k}={v}" for k, v in f.subject.items()),
            "period_start": (f.period or {}).get("start"), "period_end": (f.period or {}).get("end"),
            "measured": f.measured, "limit": f.limit, "unit": f.unit, "message": f.message,
            "sources": " | ".join(f.sources), "needs_review": f.needs_review,
            "documents": " | ".join(sorted({e.document for e in f.evidence})), "first_evidence": where})
    return mask_text(out.getvalue())


def write_outputs(result: AuditResult, out: Storage, *, unmasked: bool = False) -> list[str]:
    written = {
        "findings.json": json.dumps(findings_document(result, unmasked=unmasked),
                                    ensure_ascii=False, indent=1).encode("utf-8"),
        "findings.csv": findings_csv(result).encode("utf-8-sig"),  # BOM: Excel opens it as UTF-8
    }
    for name, data in written.items():
        out.write(name, data)
    return list(written)
