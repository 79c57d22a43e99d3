"""The pack is untrusted input (issue 27): items 7 (many documents), 8 (an object gone between
listing and reading), 10 (a damaged copy that still reads) and 11 (a file name that would switch
checks off). Item 3 (large valid input) is in tests/rules/test_integrity.py and bench/."""
from __future__ import annotations

import json

import pytest

import flows.audit as audit_flow
import preaudit.app.pipeline as pipeline
from preaudit.core.model import DocStatus
from preaudit.core.packs import load_packs
from preaudit.core.storage import LocalStorage, ObjectGone, S3Storage, open_storage

PROFILE = ("factory_id: F-U\njurisdiction: CN-SH\naudit_date: 2026-06-15\n"
           "period: {start: 2026-03-01, end: 2026-05-31}\n")


def _small_pack(folder, documents: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "factory.yaml").write_text(PROFILE, encoding="utf-8")
    for k in range(documents):
        sub = folder / f"dept-{k % 7}"
        sub.mkdir(exist_ok=True)
        (sub / f"time-{k:05d}.csv").write_text(
            f"工号,日期,上班1,下班1\nE{k:05d},2026-03-02,08:00,12:00\n", encoding="utf-8")


# ---------------------------------------------------------------- item 7: many documents

def _count_walks(monkeypatch) -> dict[str, int]:
    calls = {"local": 0, "s3": 0}
    local, s3 = LocalStorage._entries, S3Storage._objects

    def counted_local(self):
        calls["local"] += 1
        return local(self)

    def counted_s3(self):
        calls["s3"] += 1
        return s3(self)
    monkeypatch.setattr(LocalStorage, "_entries", counted_local)
    monkeypatch.setattr(S3Storage, "_objects", counted_s3)
    return calls


def _walks_for_a_run(pack: str, calls) -> int:
    """What the flow does for one pack, task body by task body: the profile, discovery, then one
    extraction task per document, each opening the pack afresh as a task on a worker does."""
    calls.update(local=0, s3=0)
    profile = audit_flow.load_pack_profile.fn(pack, None)
    documents = audit_flow.discover_documents.fn(pack, profile.limits)
    for d in documents:
        extracted, _ = audit_flow.extract_document.fn(pack, d, profile.reading_options(d.path), None)
        assert extracted.report.status is DocStatus.OK, extracted.report
    return calls["local"] + calls["s3"]


def test_listings_do_not_grow_with_the_number_of_documents_in_a_folder(tmp_path, monkeypatch):
    calls = _count_walks(monkeypatch)
    _small_pack(tmp_path / "few", 5)
    _small_pack(tmp_path / "many", 60)
    few = _walks_for_a_run(str(tmp_path / "few"), calls)
    many = _walks_for_a_run(str(tmp_path / "many"), calls)
    assert few == many and many <= 4, (few, many)  # profile, discovery: never one per document


def test_listings_do_not_grow_with_the_number_of_documents_on_s3(s3_env, tmp_path, monkeypatch):
    _, bucket = s3_env
    S3Storage(bucket).ensure_bucket()
    calls = _count_walks(monkeypatch)
    for name, n in (("few", 3), ("many", 20)):
        _small_pack(tmp_path / name, n)
        store = open_storage(f"s3://{bucket}/inbox/{name}/")
        for path in LocalStorage(tmp_path / name).list():
            store.write(path, (tmp_path / name / path).read_bytes())
    few = _walks_for_a_run(f"s3://{bucket}/inbox/few/", calls)
    many = _walks_for_a_run(f"s3://{bucket}/inbox/many/", calls)
    assert few == many and many <= 4, (few, many)


def test_a_name_that_is_not_utf8_is_still_found_and_read(tmp_path):
    import os

    pack = tmp_path / "pack"
    _small_pack(pack, 1)
    os.rename(pack / "dept-0" / "time-00000.csv", os.fsencode(pack / "dept-0") + "/考勤.csv".encode("gbk"))
    documents = pipeline.discover(LocalStorage(pack))
    assert [d.path for d in documents] == ["dept-0/考勤.csv"]
    fresh = LocalStorage(pack)  # as an extraction task opens it: no listing of its own yet
    assert fresh.read("dept-0/考勤.csv").startswith("工号".encode())


# ---------------------------------------------------------------- item 8: an object gone when read

def _gone(findings: dict, path: str) -> list[dict]:
    return [f for f in findings["findings"] if f["rule_id"] == "DQ-UNREADABLE"
            and any(e["document"] == path for e in f["evidence"]) and "listed but gone when read" in f["message"]]


def test_a_file_deleted_between_discovery_and_reading_is_dq_unreadable_in_a_folder(tmp_path):
    pack = tmp_path / "pack"
    _small_pack(pack, 3)
    storage = LocalStorage(pack)
    profile = pipeline.load_profile(storage, load_packs())
    documents = pipeline.discover(storage, profile.limits)
    (pack / "dept-1" / "time-00001.csv").unlink()
    with pytest.raises(ObjectGone):
        LocalStorage(pack).read("dept-1/time-00001.csv")
    extracted = [pipeline.extract(LocalStorage(pack), d, profile.reading_options(d.path)) for d in documents]
    assert [e.report.status for e in extracted] == [DocStatus.OK, DocStatus.UNREADABLE, DocStatus.OK]
    assert "listed but gone when read" in extracted[1].report.reason
    _, findings, _ = pipeline.validate(profile, extracted, load_packs())
    assert [f for f in findings if f.rule_id == "DQ-UNREADABLE" and "gone when read" in f.message]


def test_an_object_deleted_between_discovery_and_reading_costs_its_finding_not_the_night(s3_env, tmp_path, monkeypatch):
    """Against the real S3 server, through the flow: the object is deleted right after discovery;
    the run ends with its findings (no retries: a deleted object does not come back)."""
    _, bucket = s3_env
    S3Storage(bucket).ensure_bucket()
    _small_pack(tmp_path / "pack", 3)
    pack = f"s3://{bucket}/inbox/F-U/"
    store = open_storage(pack)
    for path in LocalStorage(tmp_path / "pack").list():
        store.write(path, (tmp_path / "pack" / path).read_bytes())
    discovered = pipeline.discover

    def discover_then_delete(storage, limits=None):
        documents = discovered(storage, limits)
        open_storage(pack).delete("dept-1/time-00001.csv")
        return documents
    monkeypatch.setattr(pipeline, "discover", discover_then_delete)
    summary = audit_flow.audit_pack(pack, out=str(tmp_path / "out"))
    findings = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert summary.documents == 3 and len(_gone(findings, "dept-1/time-00001.csv")) == 1
    statuses = {d["path"]: d["status"] for d in findings["documents"]}
    assert statuses == {"dept-0/time-00000.csv": "ok", "dept-1/time-00001.csv": "unreadable",
                        "dept-2/time-00002.csv": "ok"}


def test_a_profile_gone_when_read_is_a_pack_not_found(tmp_path, monkeypatch):
    pack = tmp_path / "pack"
    _small_pack(pack, 1)
    storage = LocalStorage(pack)
    storage.list()
    (pack / "factory.yaml").unlink()
    monkeypatch.setattr(LocalStorage, "list", lambda self: ["factory.yaml"])
    with pytest.raises(pipeline.PackNotFound, match="gone when read"):
        pipeline.load_profile(storage, load_packs())


# ---------------------------------------------------------------- item 11: a file name switching checks off

PERIOD_4 = ("factory_id: F-U\njurisdiction: CN-SH\naudit_date: 2026-07-15\n"
            "period: {start: 2026-03-01, end: 2026-06-30}\n")


def _four_months(folder) -> None:
    """Time records and payroll for March–June 2026; E1 and E2 paid 100 h in April against ~176 h
    of time records: two XDOC-HOURS-MISMATCH findings, resting on the payroll's coverage."""
    import datetime as dt

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "factory.yaml").write_text(PERIOD_4, encoding="utf-8")
    days = [d for d in (dt.date(2026, 3, 1) + dt.timedelta(k) for k in range(122)) if d.weekday() < 5]
    lines = ["工号,日期,上班1,下班1,上班2,下班2"]
    lines += [f"E{w},{d},08:00,12:00,13:00,17:00" for w in (1, 2, 3) for d in days]
    (folder / "time.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pay = ["Emp No,Period,Basic Salary,Regular Hours,Gross Pay,Net Pay"]
    for month in ("2026-03", "2026-04", "2026-05", "2026-06"):
        hours = {m: sum(1 for d in days if d.isoformat().startswith(m)) * 8 for m in (month,)}[month]
        for w in (1, 2, 3):
            paid = 100 if (month == "2026-04" and w < 3) else hours
            pay.append(f"E{w},{month},3000,{paid},3000,3000")
    (folder / "payroll.csv").write_text("\n".join(pay) + "\n", encoding="utf-8")


def _keys(result, rule_id):
    return sorted((f.subject.get("worker_id"), f.period["start"]) for f in result.findings if f.rule_id == rule_id)


@pytest.mark.parametrize("name, data", [
    ("工资表8月.xlsx", b"x"),          # a month without its year: August fits no year of the period
    ("payroll_2025-11.csv", b"x"),     # a month with its year, before the period
])
def test_a_one_byte_file_named_like_a_payroll_outside_the_period_switches_nothing_off(tmp_path, name, data):
    _four_months(tmp_path / "clean")
    clean = pipeline.audit(LocalStorage(tmp_path / "clean"))
    expected = [("E1", "2026-04-01"), ("E2", "2026-04-01")]
    assert _keys(clean, "XDOC-HOURS-MISMATCH") == expected
    _four_months(tmp_path / "named")
    (tmp_path / "named" / name).write_bytes(data)
    named = pipeline.audit(LocalStorage(tmp_path / "named"))
    assert _keys(named, "XDOC-HOURS-MISMATCH") == expected  # the two cross-document findings stay
    assert not [f for f in named.findings if f.rule_id == "DQ-COVERAGE" and f.subject.get("record_kind") == "payroll"]
    assert not [r for r in (named.review.not_checked if named.review else []) if "payroll" in r.get("record_kinds", [])]
    (own,) = [f for f in named.findings if f.subject.get("document") == name]
    assert "outside the audit period" in own.message and "no month audited is affected" in own.message


def test_a_name_with_a_month_inside_the_period_leaves_that_month_alone_incomplete(tmp_path):
    _four_months(tmp_path / "pack")
    (tmp_path / "pack" / "工资表4月.xlsx").write_bytes(b"x")  # April, its year from the period
    result = pipeline.audit(LocalStorage(tmp_path / "pack"))
    gaps = [f for f in result.findings if f.rule_id == "DQ-COVERAGE" and f.subject.get("record_kind") == "payroll"]
    assert [f.period["start"] for f in gaps] == ["2026-04-01"]
    assert _keys(result, "XDOC-HOURS-MISMATCH") == []  # April's payroll not read completely: not compared


# ---------------------------------------------------------------- item 10: a damaged copy that still reads

def _payroll_xlsx(lines: list[list]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2026-04"
    sheet.append(["Emp No", "Period", "Basic Salary", "Regular Hours", "OT Hours", "Gross Pay", "Net Pay"])
    for line in lines:
        sheet.append(line)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _truncated(xlsx: bytes, keep_rows: int) -> bytes:
    """The workbook cut after its first ``keep_rows`` rows, closed so that it still opens (what a
    copy interrupted mid-way and 'repaired' looks like), without its document properties."""
    import io
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("docProps/"):
                continue
            if item.filename.endswith("sheet1.xml"):
                text = data.decode()
                starts = [m.start() for m in re.finditer(r"<row ", text)]
                text = text[:starts[keep_rows]] + "</sheetData></worksheet>"
                data = text.encode()
            dst.writestr(item.filename, data)
    return out.getvalue()


def _finding_keys(result) -> list:
    return sorted((f.rule_id, tuple(sorted(f.subject.items())), (f.period or {}).get("start"))
                  for f in result.findings if f.rule_id != "DQ-DUPLICATE-DOCUMENT")


def _pay_pack(folder, extra: dict[str, bytes]):
    _four_months(folder)
    (folder / "payroll.csv").unlink()
    lines = [[f"E{w}", "2026-04", 1000 if w <= 8 else 3000, 100 if w <= 3 else 168, 40 if w > 8 else 0, 3000, 3000]
             for w in range(1, 12)]
    (folder / "payroll_2026-04.xlsx").write_bytes(_payroll_xlsx(lines))
    for name, data in extra.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return lines


def test_a_truncated_copy_that_still_opens_is_set_aside_not_counted_twice(tmp_path):
    lines = _pay_pack(tmp_path / "alone", {})
    good = (tmp_path / "alone" / "payroll_2026-04.xlsx").read_bytes()
    copy = _truncated(good, 8)  # the header and 7 of the 11 lines
    _pay_pack(tmp_path / "with-copy", {"backup/payroll_2026-04 (copy).xlsx": copy})
    alone = pipeline.audit(LocalStorage(tmp_path / "alone"))
    both = pipeline.audit(LocalStorage(tmp_path / "with-copy"))
    copy_report = next(d for d in both.documents if d.path.startswith("backup/"))
    assert copy_report.status is DocStatus.OK and copy_report.sha256 != next(
        d.sha256 for d in both.documents if d.path == "payroll_2026-04.xlsx")  # it reads; other bytes
    assert _finding_keys(both) == _finding_keys(alone)  # nothing doubled, nothing lost
    (dup,) = [f for f in both.findings if f.rule_id == "DQ-DUPLICATE-DOCUMENT"]
    assert dup.subject == {"document": "backup/payroll_2026-04 (copy).xlsx"}
    assert "payroll_2026-04.xlsx" in dup.message and "set aside" in dup.message and "7 of its 11" in dup.message
    assert len(lines) == 11


def test_a_copy_that_differs_is_read_beside_the_original_and_the_difference_said(tmp_path):
    lines = _pay_pack(tmp_path / "pack", {})
    changed = [list(line) for line in lines]
    changed[0][6] = 2500  # E1's net pay differs in the copy
    (tmp_path / "pack" / "payroll_2026-04 v2.xlsx").write_bytes(_payroll_xlsx(changed))
    result = pipeline.audit(LocalStorage(tmp_path / "pack"))
    assert not [f for f in result.findings if f.rule_id == "DQ-DUPLICATE-DOCUMENT"]
    books = [f for f in result.findings if f.rule_id == "INT-DOUBLE-BOOK" and f.subject == {"worker_id": "E1"}]
    assert len(books) == 1 and "payroll_2026-04 v2.xlsx" in books[0].message
