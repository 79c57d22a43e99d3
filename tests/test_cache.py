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



def test_the_same_bytes_read_with_other_options_are_extracted_again(tmp_path):
    """README: the extraction cache key holds the profile's column map, factory.yaml's corrections
    and the month a file name gives. The same bytes come from the cache until one of them changes;
    then they are read again, and the new reading is what the run gets."""
    from preaudit.app.cache import ExtractCache
    from preaudit.app.pipeline import discover, extract_cached, load_profile
    from preaudit.core.packs import load_packs

    pack, cache = tmp_path / "pack", ExtractCache(LocalStorage(tmp_path / "cache"))
    pack.mkdir()
    base = "factory_id: F1\njurisdiction: CN-SH\naudit_date: 2026-06-15\nperiod: {start: 2026-01-01, end: 2026-05-31}\n"
    log = "user_id,time,flag,Hours\n7,2026-03-02 08:00,I,\n7,2026-03-02 17:00,O,9\n"  # taken for day rows alone
    pay = "工号,姓名,基本工资,K列,实发工资\nA1,王,3000,200,3200\n"              # K列 names no field

    def read(profile_text: str, name: str):
        (pack / "factory.yaml").write_text(base + profile_text, encoding="utf-8")
        storage = LocalStorage(pack)
        profile = load_profile(storage, load_packs())
        doc = next(d for d in discover(storage) if d.path == name)
        return extract_cached(storage, doc, profile.reading_options(doc.path), cache)

    (pack / "log.csv").write_text(log, encoding="utf-8")
    first, hit = read("", "log.csv")
    assert not hit and first.tables[0].layout == "day_rows"
    assert read("", "log.csv")[1]  # unchanged: from the cache
    forced = 'documents:\n  - match: log.csv\n    layout: tap_log\n'
    again, hit = read(forced, "log.csv")
    assert not hit and again.tables[0].layout == "tap_log"
    assert read(forced, "log.csv")[1]

    (pack / "pay-2026-03.csv").write_text(pay, encoding="utf-8")
    plain, hit = read("", "pay-2026-03.csv")
    assert not hit and {c["label"]: c["field"] for c in plain.tables[0].columns}["K列"] is None
    mapped, hit = read('column_map: {"K列": allowances}\n', "pay-2026-03.csv")
    assert not hit and mapped.tables[0].df["allowances"].to_list() == [200]
    assert read('column_map: {"K列": allowances}\n', "pay-2026-03.csv")[1]

    (pack / "pay-2026-03.csv").rename(pack / "pay-2026-04.csv")  # the same bytes, another month in the name
    renamed, hit = read("", "pay-2026-04.csv")
    assert not hit and renamed.tables[0].df["period"].to_list() == ["2026-04"]
    (pack / "pay-2026-04.csv").rename(pack / "april-2026-04.csv")
    assert read("", "april-2026-04.csv")[1]  # renamed, the same month: never extracted twice
