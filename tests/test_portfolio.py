"""The agency's morning (issue 24): run summaries in the store, portfolio.html ranked with its
reasons, the morning message as an artifact and through a notification block."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from preaudit.app import portfolio as pf
from preaudit.core.storage import LocalStorage, open_storage


def _summary(factory, run_id, when, rules, status="audited", **more):
    return {"factory": factory, "factory_id": factory, "name": factory, "country": "CN", "jurisdiction": "CN-SH",
            "standards": ["sa8000"], "run_id": run_id, "generated_at": when, "status": status,
            "documents": {"total": 4, "read": 4}, "gaps": [], "gap_count": 0, "new": 0, "resolved": 0,
            "counts": {}, "categories": {}, "rules": rules, "report": f"{factory}/{run_id}/report.html", **more}


def _rule(severity, affected, months=("2026-03",), category="wages"):
    return {"severity": severity, "category": category, "affected": affected, "months": list(months),
            "findings": affected, "open": 0}


def test_the_score_follows_its_formula_and_the_reason_names_the_worst():
    summary = _summary("F1", "r1", "2026-04-01T02:00:00+00:00",
                       {"LAB-MIN-WAGE": _rule("critical", 12, ("2026-03", "2026-04", "2026-05")),
                        "LAB-HOURS-DAY-MAX": _rule("major", 4, category="working_time"),
                        "DQ-COVERAGE": _rule("major", 9, category="data_quality")})
    score, reason = pf.risk(summary)
    assert score == 10 * 12 + 3 * 4  # data quality is uncertainty, not risk
    assert reason.startswith("12 workers under the minimum wage in 3 months; 4 workers over the daily hours limit")
    # findings open for two runs weigh more; an integrity signal weighs double
    assert pf.risk(summary, {"LAB-MIN-WAGE": 2})[0] == 10 * 12 * 1.5 + 3 * 4
    integrity = _summary("F2", "r1", "x", {"INT-UNIFORM-PUNCHES": _rule("major", 5, category="integrity")})
    assert pf.risk(integrity)[0] == 3 * 5 * 2


def test_rows_rank_by_score_mark_what_got_worse_and_show_a_failed_run_with_its_reason():
    histories = {
        "F-CALM": [_summary("F-CALM", "r1", "2026-04-01", {"LAB-PAY-LATE": _rule("minor", 2)})],
        "F-WORSE": [_summary("F-WORSE", "r1", "2026-04-01", {"LAB-PAY-LATE": _rule("minor", 1)}),
                    _summary("F-WORSE", "r2", "2026-04-02", {"LAB-PAY-LATE": _rule("minor", 1),
                                                              "LAB-CHILD-LABOR": _rule("critical", 1, category="age")})],
        "F-FAILED": [_summary("F-FAILED", "r1", "2026-04-01", {"LAB-MIN-WAGE": _rule("critical", 3)}),
                     pf.failed_summary("F-FAILED", "r2", "2026-04-02", "factory.yaml: period missing")],
    }
    rows = pf.rows(histories)
    assert [r["factory"] for r in rows] == ["F-FAILED", "F-WORSE", "F-CALM"]
    worse = next(r for r in rows if r["factory"] == "F-WORSE")
    assert worse["worse"] and worse["new_critical"] == ["LAB-CHILD-LABOR"] and len(worse["trend"]) == 2
    failed = rows[0]
    assert failed["status"] == "failed" and "period missing" in failed["reason"]
    assert failed["score"] == 30  # the last audit's findings still count
    message = pf.morning_message(rows, {"F-FAILED": "failed: factory.yaml: period missing"})
    assert "| F-WORSE |" in message and "new critical: **F-WORSE** LAB-CHILD-LABOR" in message
    assert "failed: **F-FAILED**" in message


def test_histories_are_read_from_the_store_and_a_half_written_summary_is_passed_over(tmp_path):
    reports = LocalStorage(tmp_path)
    reports.write("F1/history/r1.json", json.dumps(_summary("F1", "r1", "2026-04-01", {})).encode())
    reports.write("F1/history/r2.json", b'{"factory": "F1", "run_')  # a run killed while writing
    reports.write("F1/r1/findings.json", b"{}")
    assert [h["run_id"] for h in pf.read_histories(reports)["F1"]] == ["r1"]
    reports.write("F1/history/r3.json", json.dumps(_summary("F1", "r3", "2026-04-03", {})).encode())
    assert [h["run_id"] for h in pf.read_histories(reports, runs=1)["F1"]] == ["r3"]  # the newest only


def _open(page, path):
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=15000)


def test_nightly_over_three_packs_then_a_change_gives_a_portfolio_that_says_what_changed(s3_env, tmp_path):
    from flows.nightly import nightly_audit
    from tests.support.browser import browser_page
    from tests.support.store import change_visitor_exits, upload

    _, bucket = s3_env
    store = f"s3://{bucket}"
    upload(tmp_path, bucket, "en", 7, "F-A")
    _, folder_b = upload(tmp_path, bucket, "mixed", 11, "F-B")
    upload(tmp_path, bucket, "zh-gbk", 3, "F-C")
    assert nightly_audit(store) == {"F-A": "audited", "F-B": "audited", "F-C": "audited"}

    change_visitor_exits(store, "F-B", folder_b)
    assert nightly_audit(store)["F-B"] == "audited"

    # the store's reports, as the agency would open them: portfolio.html and the reports it links
    reports = open_storage(f"{store}/reports")
    local = tmp_path / "reports"
    for path in reports.list():
        if path == "portfolio.html" or path.endswith(("report.html", ".json")):
            (local / path).parent.mkdir(parents=True, exist_ok=True)
            (local / path).write_bytes(reports.read(path))
    history_b = pf.read_histories(LocalStorage(local))["F-B"]
    assert len(history_b) == 2 and history_b[-1]["new"] == 1 and history_b[-1]["resolved"] == 1

    with browser_page() as (page, requests):
        _open(page, local / "portfolio.html")
        rows = page.locator("tr.factory")
        assert rows.count() == 3
        scores = [float(page.locator("tr.factory .score").nth(i).inner_text()) for i in range(3)]
        assert scores == sorted(scores, reverse=True) and scores[0] > 0
        changed = page.locator("tr.factory[data-factory='F-B']")
        assert "1 new" in changed.locator(".changes").inner_text()
        assert "1 resolved" in changed.locator(".changes").inner_text()
        assert changed.locator(".reason").inner_text().strip()  # the rank says why
        assert "critical 10" in page.locator("#formula").inner_text()
        page.select_option("#f-severity", "critical")
        critical = {page.locator("tr.factory").nth(i).get_attribute("data-factory")
                    for i in range(page.locator("tr.factory").count())}
        histories = pf.read_histories(LocalStorage(local))
        assert critical == {f for f, runs in histories.items() if runs[-1]["counts"].get("critical")} and critical
        page.select_option("#f-severity", "")
        page.check("#f-changed")  # F-B changed last night: it stays
        assert page.locator("tr.factory[data-factory='F-B']").count() == 1
        page.uncheck("#f-changed")
        changed.locator("a").click()
        page.wait_for_load_state()
        assert page.url.endswith("report.html") and "F-B" in page.url
        assert all(r.startswith(("file:", "data:")) for r in requests), requests


class _Hook(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        _Hook.received.append(self.rfile.read(int(self.headers["Content-Length"])))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.prefect
def test_the_morning_message_reaches_a_webhook_on_loopback(tmp_path, monkeypatch):
    from prefect.blocks.notifications import CustomWebhookNotificationBlock

    from flows.nightly import morning
    from preaudit.app.reportstore import AgencyStore

    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        CustomWebhookNotificationBlock(name="morning", url=f"http://127.0.0.1:{server.server_port}/hook",
                                       json_data={"text": "{{subject}}: {{body}}"},
                                       allow_private_urls=True).save("preaudit-morning-test", overwrite=True)
        monkeypatch.setenv("PREAUDIT_NOTIFY_BLOCK", "custom-webhook/preaudit-morning-test")
        reports = LocalStorage(tmp_path / "reports")
        reports.write("F-X/history/r1.json", json.dumps(_summary("F-X", "r1", "2026-04-01", {})).encode())
        reports.write("F-X/history/r2.json", json.dumps(_summary(
            "F-X", "r2", "2026-04-02", {"LAB-CHILD-LABOR": _rule("critical", 1, category="age")})).encode())
        message = morning.fn(AgencyStore.of(str(tmp_path)), {"F-X": "audited"})
        assert "new critical: **F-X** LAB-CHILD-LABOR" in message
        assert (tmp_path / "reports" / "portfolio.html").exists()
        (body,) = _Hook.received
        assert "LAB-CHILD-LABOR" in json.loads(body)["text"] and "preaudit: the morning" in json.loads(body)["text"]
    finally:
        server.shutdown()
