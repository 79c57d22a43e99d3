"""The shared domain model: document kinds, canonical fields, documents, findings, evidence.

Records are held as tables (one polars DataFrame per document kind), not one object per value.
Every canonical field ``f`` travels with sibling provenance columns, so a rule can point at rows
and the rows know where each value came from:

- row provenance: ``_rec`` (unique id in the dataset), ``_doc``, ``_sha256``, ``_page``,
  ``_sheet``, ``_row``, ``_bbox``/``_bbox_unit`` (the row's box on the page, when there is a page)
- value provenance: ``raw:f`` (the text as read), ``conf:f`` (1.0 unless OCR'd), ``ref:f``
  (spreadsheet cell reference such as ``C14``), ``bbox:f`` (the value's box, when there is one).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Kind(str, enum.Enum):
    ROSTER = "roster"
    TIMESHEET = "timesheet"
    PAYROLL = "payroll"
    LICENSE = "license"
    GATE_LOG = "gate_log"
    VISITOR_LOG = "visitor_log"
    SEAL_LOG = "seal_log"
    CONTAINER_INSPECTION = "container_inspection"


#: canonical fields of each kind (SPEC §2). Timesheet punches are normalised to up to five
#: in/out pairs (ZKTeco time cards export five), held as minutes after midnight of the record's date.
FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.ROSTER: ("worker_id", "name", "national_id", "birth_date", "gender", "hire_date",
                  "termination_date", "department", "position"),
    Kind.TIMESHEET: ("worker_id", "name", "date", "in1", "out1", "in2", "out2", "in3", "out3",
                     "in4", "out4", "in5", "out5", "break_minutes", "total_hours"),
    Kind.PAYROLL: ("worker_id", "name", "period", "regular_hours", "days_worked", "ot_hours_weekday",
                   "ot_hours_restday", "ot_hours_holiday", "hourly_rate", "ot_rate", "base_pay", "ot_pay",
                   "allowances", "deductions", "social_insurance", "gross_pay", "net_pay",
                   "pay_date"),
    Kind.LICENSE: ("license_type", "number", "holder_name", "holder_uscc", "address",
                   "issue_date", "valid_from", "valid_until", "issuer"),
    # a gate log may give date and time in two columns; they are joined into timestamp
    Kind.GATE_LOG: ("worker_id", "name", "timestamp", "direction", "gate", "date", "time"),
    Kind.VISITOR_LOG: ("date", "visitor_name", "company", "id_type", "id_number", "id_checked",
                       "host", "time_in", "time_out", "badge_no", "escort"),
    Kind.SEAL_LOG: ("date", "container_no", "seal_no", "seal_type", "applied_by", "verified_by",
                    "vvtt_done"),
    Kind.CONTAINER_INSPECTION: ("date", "container_no", "seal_no", "front_wall", "left_side",
                                "right_side", "floor", "ceiling_roof", "doors",
                                "undercarriage", "inspector"),
}

PAIRS = (1, 2, 3, 4, 5)
PUNCH_FIELDS = tuple(f"{side}{i}" for i in PAIRS for side in ("in", "out"))


class DocStatus(str, enum.Enum):
    OK = "ok"
    UNREADABLE = "unreadable"
    UNCLASSIFIED = "unclassified"


@dataclass
class Document:
    """One file of a pack, as discovered (path is pack-relative, with forward slashes)."""

    path: str
    sha256: str
    size: int
    format: str  # csv | xlsx | xls | pdf | image | other | passed-over
    note: str | None = None  # why a passed-over entry was not read (hidden, a link)


@dataclass
class DocumentReport:
    """What reading one document gave: its kinds and status, for findings.json ``documents``."""

    path: str
    sha256: str
    kind: str | None
    pages: int | None
    status: DocStatus
    reason: str | None = None
    unmapped_columns: list[str] = field(default_factory=list)
    sheets: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = {"path": self.path, "sha256": self.sha256, "kind": self.kind, "pages": self.pages,
               "status": self.status.value, "reason": self.reason,
               "unmapped_columns": self.unmapped_columns}
        if self.sheets:
            out["sheets"] = self.sheets
        return out


@dataclass
class Evidence:
    document: str
    sha256: str
    page: int | None
    row: int | None
    sheet: str | None = None
    cell: str | None = None
    bbox: list[float] | None = None
    bbox_unit: str | None = None
    text: str = ""
    confidence: float = 1.0

    def to_json(self) -> dict[str, Any]:
        # by hand: dataclasses.asdict deep-copies every value, a third of writing 100k findings
        return {"document": self.document, "sha256": self.sha256, "page": self.page, "row": self.row,
                "sheet": self.sheet, "cell": self.cell, "bbox": list(self.bbox) if self.bbox is not None else None,
                "bbox_unit": self.bbox_unit, "text": self.text, "confidence": self.confidence}


@dataclass
class Finding:
    rule_id: str
    severity: str
    category: str
    subject: dict[str, str]
    period: dict[str, str] | None
    measured: float | None
    limit: float | None
    unit: str | None
    message: str
    sources: list[str]
    needs_review: bool = False
    evidence: list[Evidence] = field(default_factory=list)

    def key(self) -> tuple[str, tuple, str | None]:
        """Identity of a finding across runs and against ground truth."""
        return (self.rule_id, tuple(sorted(self.subject.items())),
                (self.period or {}).get("start"))

    def to_json(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "severity": self.severity, "category": self.category,
                "subject": self.subject, "period": self.period, "measured": self.measured,
                "limit": self.limit, "unit": self.unit, "message": self.message,
                "sources": self.sources, "needs_review": self.needs_review,
                "evidence": [e.to_json() for e in self.evidence]}
