"""report.html and findings.csv as an auditor opens them (issue 12): hostile text stays text, IDs
are masked, the auditor's sample is the size the issue asks for."""
from __future__ import annotations

import csv
import io

import pytest

from preaudit.app.outputs import write_outputs
from preaudit.app.pipeline import audit
from preaudit.core.storage import LocalStorage
from tests.support.browser import browser_page
from tests.support.report_data import embedded

PROFILE = """factory_id: F-REPORT
jurisdiction: CN-SH
audit_date: 2026-04-15
period: {start: 2026-03-01, end: 2026-03-31}
"""
HOSTILE_ID = '=HYPERLINK("http://evil.example/x","pay")'
HOSTILE_NAME = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"
ID_NUMBER = "310101199001011234"


@pytest.fixture()
def hostile_pack(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "factory.yaml").write_text(PROFILE, encoding="utf-8")
    roster = io.StringIO()
    csv.writer(roster).writerows([["工号", "姓名", "身份证号码", "出生日期", "入职日期", "部门"],
                                  ["A1", HOSTILE_NAME, ID_NUMBER, "1990-01-01", "2020-01-01", "缝制"],
                                  ["A2", "李娜", ID_NUMBER, "1990-01-01", "2020-01-01", "缝制"]])  # one ID, two workers
    (pack / "roster.csv").write_text(roster.getvalue(), encoding="utf-8")
    text = io.StringIO()
    csv.writer(text).writerows([["工号", "姓名", "日期", "上班时间", "下班时间"]] + [
        [HOSTILE_ID, HOSTILE_NAME, f"2026-03-{d:02d}", "07:00", "22:00"] for d in (2, 3)])  # 15-hour days
    (pack / "time.csv").write_text(text.getvalue(), encoding="utf-8")
    out = tmp_path / "out"
    result = audit(LocalStorage(pack))
    write_outputs(result, LocalStorage(out), source=LocalStorage(pack))
    return result, out


def test_a_formula_in_a_record_stays_text_in_findings_csv(hostile_pack):
    result, out = hostile_pack
    rows = list(csv.DictReader(io.StringIO((out / "findings.csv").read_text(encoding="utf-8-sig"))))
    hostile = [r for r in rows if HOSTILE_ID.upper() in r["message"]]  # worker ids are read upper-case
    assert hostile and all(r["message"].startswith("'=") for r in hostile)
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values() if v)


@pytest.mark.parametrize("name", ["\t=1+1.csv", "\r=cmd.csv", "+cmd.csv", "@SUM(A1).csv"])
def test_a_cell_that_would_start_a_formula_with_a_tab_or_cr_gets_its_apostrophe(tmp_path, name):
    """README: findings.csv puts an apostrophe before any cell that would start a formula
    (= + - @, tab, CR). A document named so is unreadable; its finding's message and documents
    cells begin with its name."""
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "factory.yaml").write_text(PROFILE, encoding="utf-8")
    (pack / name).write_bytes(b"")
    out = tmp_path / "out"
    write_outputs(audit(LocalStorage(pack)), LocalStorage(out), source=LocalStorage(pack))
    with open(out / "findings.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    (own,) = [r for r in rows if r["rule_id"] == "DQ-UNREADABLE"]
    assert own["documents"] == "'" + name and own["message"].startswith("'" + name)
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for v in r.values() if v)


def test_hostile_text_is_escaped_and_ids_masked_in_the_report(hostile_pack):
    result, out = hostile_pack
    html = (out / "report.html").read_text(encoding="utf-8")
    data = embedded(html)
    assert "<script>window.__pwned" not in html and "onerror" not in html
    assert "<script>window.__pwned" in data  # the name is data, written into the page as text only
    assert ID_NUMBER not in data and "310101********1234" in data
    assert "HTTP://EVIL.EXAMPLE" in data  # kept as data, never as a link the page follows


def test_hostile_text_stays_text_in_a_real_browser(hostile_pack):
    _, out = hostile_pack
    with browser_page() as (page, requests):
        page.goto((out / "report.html").as_uri())
        page.wait_for_selector("body[data-ready=yes]")
        page.click("#tabs a[data-tab=findings]")
        page.locator("#finding-rows tr.finding[data-rule='INT-DUPLICATE-ID']").first.click()
        assert HOSTILE_NAME in page.locator("tr.detail").first.inner_text()
        assert page.evaluate("window.__pwned") is None
    assert all(url.startswith(("file:", "data:")) for url in requests), requests


def test_the_auditors_sample_takes_ten_or_one_percent_riskiest_first(hostile_pack):
    from preaudit.app.workers import SAMPLE_MIN, auditor_sample
    from preaudit.core.model import Finding

    result, _ = hostile_pack
    sample = result.review.sample
    assert [s["worker_id"] for s in sample[:1]] == [HOSTILE_ID.upper()]  # the most findings
    assert all(s["reason"] for s in sample) and len(sample) <= SAMPLE_MIN
    # 1,500 workers: 15, spread over departments
    import polars as pl

    from validators.dataset.dataset import Dataset
    from preaudit.core.model import Kind
    from preaudit.core.packs import load_packs, resolve

    roster = pl.DataFrame({"worker_id": [f"W{i:04d}" for i in range(1500)],
                           "department": [f"D{i % 6}" for i in range(1500)]})
    ds = Dataset.build([], resolve("CN-SH", [], {}, load_packs()))
    ds.tables[Kind.ROSTER] = pl.concat([ds.tables[Kind.ROSTER], roster], how="diagonal_relaxed")
    findings = [Finding("LAB-HOURS-DAY-MAX", "major", "working_time", {"worker_id": f"W{i:04d}"}, None, 13, 12,
                        "hours", "m", []) for i in range(0, 60, 6)]  # ten risky workers, all in D0
    picked = auditor_sample(ds, findings)
    assert len(picked) == 15 and {p["department"] for p in picked} == {f"D{i}" for i in range(6)}
    assert [p["risk"] > 0 for p in picked[:10]] == [True] * 10


@pytest.mark.parametrize("evidence, shown", [
    ("worker_id=101; national_id=19952691041123456", "national_id=19***********3456"),  # Bangladesh, 17 digits
    ("worker_id=102; national_id=1934567890", "national_id=19****7890"),                  # Bangladesh, 10 digits
    # Vietnam CCCD: its first two and last four (issue 27 item 5: "001195**2345" showed ten of twelve)
    ("worker_id=VN01; national_id=001195012345", "national_id=00******2345"),
])
def test_any_countrys_id_named_in_evidence_is_masked(evidence, shown):
    from preaudit.app.outputs import mask_text

    assert mask_text(evidence).endswith(shown)


def test_the_report_filters_and_search_narrow_the_findings_in_a_real_browser(tmp_path):
    """README: the findings with filters (category, severity, rule, document, worker, needs review,
    new/open) and search. Each filter, alone, shows exactly the findings findings.json says it should."""
    import json

    from preaudit.app.outputs import read_findings

    pack, out = tmp_path / "pack", tmp_path / "out"
    pack.mkdir()
    (pack / "factory.yaml").write_text(PROFILE, encoding="utf-8")
    (pack / "time.csv").write_text("工号,姓名,日期,上班时间,下班时间\n" + "".join(
        f"{w},{n},2026-03-{d:02d},07:00,{end}\n" for w, n, end in (("A1", "王芳", "22:00"), ("A2", "李娜", "17:00"), ("A3", "张伟", "17:00"))
        for d in (2, 3, 4)), encoding="utf-8")
    write_outputs(audit(LocalStorage(pack)), LocalStorage(out), source=LocalStorage(pack))  # last night's run
    (pack / "roster.csv").write_text("工号,姓名,身份证号码,出生日期,入职日期,部门\n"
                                     "A1,王芳,11010519491231002X,1949-12-31,2020-01-01,缝制\n"
                                     "A2,李娜,11010519491231001X,1949-12-31,2020-01-01,缝制\n"
                                     "A3,张伟,,2011-06-01,2026-01-05,缝制\n", encoding="utf-8")  # a child
    result = audit(LocalStorage(pack))
    invalid = next(f for f in result.findings if f.rule_id == "ID-INVALID")
    invalid.needs_review = True  # as a finding on a misread scan would be
    write_outputs(result, LocalStorage(out), previous=read_findings(LocalStorage(out)), source=LocalStorage(pack))
    found = json.loads((out / "findings.json").read_text(encoding="utf-8"))["findings"]
    word = "gb 11643"  # the message says "GB 11643": search ignores case
    assert word.upper() in invalid.message

    def docs(f):
        return {e["document"] for e in f["evidence"]}

    cases = [  # (how, the findings it should leave)
        (("select", "#f-category", "working_time"), lambda f: f["category"] == "working_time"),
        (("select", "#f-severity", "critical"), lambda f: f["severity"] == "critical"),
        (("select", "#f-rule", "LAB-HOURS-DAY-MAX"), lambda f: f["rule_id"] == "LAB-HOURS-DAY-MAX"),
        (("select", "#f-document", "roster.csv"), lambda f: "roster.csv" in docs(f)),
        (("select", "#f-history", "new"), lambda f: f["history"] == "new"),
        (("select", "#f-history", "open"), lambda f: f["history"] == "open"),
        (("check", "#f-review", True), lambda f: f["needs_review"]),
        (("fill", "#f-worker", "a2"), lambda f: f["subject"].get("worker_id") == "A2"),
        (("fill", "#f-search", word), lambda f: word in f["message"].lower()),
    ]
    with browser_page() as (page, requests):
        page.goto((out / "report.html").as_uri())
        page.wait_for_selector("body[data-ready=yes]")
        page.click("#tabs a[data-tab=findings]")
        rows = page.locator("#finding-rows tr.finding")
        assert rows.count() == len(found)
        for (how, selector, value), keep in cases:
            expected = [f for f in found if keep(f)]
            assert 0 < len(expected) < len(found), (selector, value)  # each filter has something to narrow
            {"select": page.select_option, "check": page.set_checked, "fill": page.fill}[how](selector, value)
            shown = sorted((rows.nth(k).get_attribute("data-rule")) for k in range(rows.count()))
            assert shown == sorted(f["rule_id"] for f in expected), (selector, value, shown)
            assert page.locator("#f-count").inner_text() == f"{len(expected)} of {len(found)}"
            {"select": lambda: page.select_option(selector, ""), "check": lambda: page.set_checked(selector, False),
             "fill": lambda: page.fill(selector, "")}[how]()
            assert rows.count() == len(found)
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
