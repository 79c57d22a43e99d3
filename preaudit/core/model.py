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
    PRODUCTION_OUTPUT = "production_output"  # piece-rate tickets, line output per worker-day
    ACCESS_LOG = "access_log"  # canteen and dormitory card swipes (a canteen POS, a dormitory door)


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
    # a gate log may give date and time in two columns; they are joined into timestamp. sequence: the
    # terminal's own record number (Hikvision's event serial no., a log id), which runs with time
    Kind.GATE_LOG: ("worker_id", "name", "timestamp", "direction", "gate", "date", "time", "sequence"),
    Kind.VISITOR_LOG: ("date", "visitor_name", "company", "id_type", "id_number", "id_checked",
                       "host", "time_in", "time_out", "badge_no", "escort"),
    Kind.SEAL_LOG: ("date", "container_no", "seal_no", "seal_type", "applied_by", "verified_by",
                    "vvtt_done"),
    Kind.CONTAINER_INSPECTION: ("date", "container_no", "seal_no", "front_wall", "left_side",
                                "right_side", "floor", "ceiling_roof", "doors",
                                "undercarriage", "inspector"),
    Kind.PRODUCTION_OUTPUT: ("worker_id", "name", "date", "quantity", "ticket_no"),
    # a canteen or dormitory system's swipes: where (the point: "一食堂", "宿舍A栋"), and for a canteen
    # the meal (午餐) or the amount charged, which say a meal; date and time in two columns are joined
    Kind.ACCESS_LOG: ("worker_id", "name", "timestamp", "place", "meal", "amount", "date", "time"),
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
class Problem:
    """A value that was present but could not be read, or a row left out, and why."""

    row: int | None
    field: str | None
    raw: str | None
    reason: str
    confidence: float | None = None  # the cell's reading confidence (OCR), so a misread is told apart
    bbox: list[float] | None = None
    page: int | None = None          # for a table running over pages, the row's own page

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _set(**values: Any) -> dict[str, Any]:
    """The entries that say something (findings.json leaves the others out)."""
    return {k: v for k, v in values.items() if v is not None and v is not False and v != {} and v != []}


@dataclass
class PageRead:
    """How one page of a PDF or image was read: from its text layer or by OCR."""

    page: int
    source: str                         # "ocr" | "text layer"
    mean_confidence: float | None = None
    transform: dict[str, Any] | None = None  # how the scan was turned and deskewed (report crops)
    note: str | None = None             # what the reader noticed on a page with words
    no_text: str | None = None          # why a page gave no words (blank, too dark, …)
    continues: bool = False             # its table runs on from the page before

    @property
    def unread(self) -> bool:
        """It holds ink but gave no words: its records are missing."""
        return bool(self.no_text) and not self.no_text.startswith("blank")

    def to_json(self) -> dict[str, Any]:
        return {"page": self.page, "source": self.source,
                **_set(mean_confidence=self.mean_confidence, transform=self.transform, note=self.note,
                       no_text=self.no_text, continues=self.continues)}


@dataclass
class ColumnRead:
    """How one column of a table was read: its letter (or span), its label as printed, the field it
    feeds (None: no field took it), how that was decided and what its values look like."""

    column: str
    label: str
    field: str | None
    how: str
    values: str | None = None  # "92 % clock times, 8 % empty" (None: not profiled)

    def to_json(self) -> dict[str, Any]:
        out = {"column": self.column, "label": self.label, "field": self.field, "how": self.how}
        if self.values is not None:
            out["values"] = self.values
        return out

    @classmethod
    def of(cls, entry: "ColumnRead | dict[str, Any]") -> "ColumnRead":
        """An entry of findings.json's (or the cache's) ``columns`` as the model has it."""
        return entry if isinstance(entry, ColumnRead) else cls(**entry)

    def __getitem__(self, key: str) -> Any:
        """findings.json's key names, for code that reads an entry as the JSON has it."""
        if key not in ("column", "label", "field", "how", "values"):
            raise KeyError(key)
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        value = getattr(self, key, None) if key in ("column", "label", "field", "how", "values") else None
        return default if value is None else value


@dataclass
class PartRead:
    """One sheet, page or part of a document read as a table of one kind, or not recognised."""

    sheet: str | None
    page: int | None
    kind: str | None
    status: DocStatus
    reason: str | None = None           # why it was not recognised
    closest: Kind | None = None         # not recognised: the kind its best header came closest to
    layout: str | None = None
    rows: int | None = None
    header_rows: list[int] = field(default_factory=list)
    skipped_rows: int = 0
    skipped_why: dict[str, int] = field(default_factory=dict)
    columns: list[ColumnRead] = field(default_factory=list)  # how each column was read
    notes: list[str] = field(default_factory=list)
    presence_only: bool = False
    problems: list[Problem] = field(default_factory=list)
    bbox_unit: str | None = None

    @property
    def where(self) -> str:
        return f"sheet {self.sheet!r}" if self.sheet else (f"page {self.page}" if self.page else "")

    def to_json(self) -> dict[str, Any]:
        head = {"sheet": self.sheet, "page": self.page, "kind": self.kind, "status": self.status.value}
        if self.status is not DocStatus.OK:
            return {**head, "reason": self.reason, **_set(closest=self.closest and self.closest.value)}
        return {**head, "layout": self.layout, "rows": self.rows, "header_rows": self.header_rows,
                "skipped_rows": self.skipped_rows, **_set(skipped_why=self.skipped_why),
                "columns": [c.to_json() for c in self.columns], **_set(notes=self.notes, presence_only=self.presence_only),
                "problems": [p.to_json() for p in self.problems], **_set(bbox_unit=self.bbox_unit)}


def part_or_page(entry: dict[str, Any]) -> "PageRead | PartRead":
    """An entry of findings.json's ``sheets`` (or the cache's) as the model has it."""
    if "status" not in entry:
        return PageRead(**entry)
    entry = {**entry, "status": DocStatus(entry["status"]),
             "closest": Kind(entry["closest"]) if entry.get("closest") else None,
             "problems": [Problem(**p) for p in entry.get("problems", [])],
             "columns": [ColumnRead.of(c) for c in entry.get("columns", [])]}
    return PartRead(**entry)


@dataclass
class DocumentReport:
    """What reading one document gave: its kinds and status, for findings.json ``documents``.
    ``sheets`` holds how each page was read (``PageRead``, PDFs and images) and what each sheet
    or part yielded (``PartRead``), in reading order."""

    path: str
    sha256: str
    kind: str | None
    pages: int | None
    status: DocStatus
    reason: str | None = None
    unmapped_columns: list[str] = field(default_factory=list)
    sheets: list[PageRead | PartRead] = field(default_factory=list)
    #: an unclassified document: the kind its best-reading part came closest to (what it most
    #: likely holds, so coverage can say which records are missing)
    closest: Kind | None = None

    @property
    def pages_read(self) -> list[PageRead]:
        return [s for s in self.sheets if isinstance(s, PageRead)]

    @property
    def parts(self) -> list[PartRead]:
        return [s for s in self.sheets if isinstance(s, PartRead)]

    def to_json(self) -> dict[str, Any]:
        out = {"path": self.path, "sha256": self.sha256, "kind": self.kind, "pages": self.pages,
               "status": self.status.value, "reason": self.reason,
               "unmapped_columns": self.unmapped_columns}
        if self.closest:
            out["closest"] = self.closest.value
        if self.sheets:
            out["sheets"] = [s.to_json() for s in self.sheets]
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
    #: not a violation but a question for the auditor: the violation holds only under some
    #: readings of the records, and this says what would decide it (the review queue's "possible")
    possible: str | None = None
    #: a finding for a group (workers sharing one template of records): every member, once
    members: list[str] | None = None

    def key(self) -> tuple[str, tuple, str | None]:
        """Identity of a finding across runs and against ground truth."""
        return (self.rule_id, tuple(sorted(self.subject.items())),
                (self.period or {}).get("start"))

    def to_json(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, "severity": self.severity, "category": self.category,
                "subject": self.subject, "period": self.period, "measured": self.measured,
                "limit": self.limit, "unit": self.unit, "message": self.message,
                "sources": self.sources, "needs_review": self.needs_review,
                **({"possible": self.possible} if self.possible else {}),
                **({"members": self.members} if self.members else {}),
                "evidence": [e.to_json() for e in self.evidence]}
