"""The extraction cache (preaudit/app/cache.py): what a document yields comes back from the cache
exactly as read — its typed page and part entries and problems included — and the findings.json
shape of those entries leaves out what was not said."""
from __future__ import annotations

from extractors.types import Extracted
from preaudit.app.cache import ExtractCache, dumps, loads
from preaudit.core.model import DocStatus, Document, DocumentReport, PageRead, PartRead, Problem
from preaudit.core.storage import LocalStorage
from tests.support.builders import table


def scanned_report() -> DocumentReport:
    problem = Problem(row=3, field="out1", raw="l7:3O", reason="not a time", confidence=0.41,
                      bbox=[300.0, 40.0, 380.0, 70.0], page=2)
    return DocumentReport("time/scan.pdf", "a" * 64, "timesheet", 3, DocStatus.OK, sheets=[
        PageRead(1, "ocr", mean_confidence=0.912, transform={"rotate": 90, "deskew": -0.4}, note="turned 90°"),
        PageRead(2, "ocr", mean_confidence=0.0, no_text="page too dark to read"),
        PageRead(3, "text layer", continues=True),
        PartRead(None, 1, "timesheet", DocStatus.OK, layout="day_rows", rows=12, header_rows=[1, 2],
                 skipped_rows=1, skipped_why={"total row": 1}, problems=[problem], bbox_unit="px"),
        PartRead("Sheet2", None, None, DocStatus.UNCLASSIFIED, reason="no header row"),
    ])


def test_a_document_comes_back_from_the_cache_as_it_was_read(tmp_path):
    rows = table([{"worker_id": "E1", "date": "2026-03-02", "in1": "08:00", "out1": "17:00"}])
    extracted = Extracted(scanned_report(), [rows])
    document = Document("time/scan.pdf", "a" * 64, 10, "pdf")
    back = loads(dumps(extracted), document)
    assert back.report == extracted.report
    assert [t.df.drop("_doc").equals(o.df.drop("_doc")) for t, o in zip(back.tables, extracted.tables)] == [True]
    cache = ExtractCache(LocalStorage(tmp_path))
    cache.put(document, None, extracted)
    assert cache.get(document, None).report.parts[0].problems[0].confidence == 0.41


def test_entries_say_only_what_was_read():
    pages_and_parts = scanned_report().to_json()["sheets"]
    assert pages_and_parts[1] == {"page": 2, "source": "ocr", "mean_confidence": 0.0, "no_text": "page too dark to read"}
    assert pages_and_parts[2] == {"page": 3, "source": "text layer", "continues": True}
    assert pages_and_parts[4] == {"sheet": "Sheet2", "page": None, "kind": None, "status": "unclassified",
                                  "reason": "no header row"}
    part = pages_and_parts[3]
    assert part["problems"][0]["raw"] == "l7:3O" and part["bbox_unit"] == "px" and "notes" not in part
    assert "presence_only" not in part and part["skipped_why"] == {"total row": 1}

