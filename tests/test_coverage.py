"""No finding from what was not read (issue 10), on a small hand-built Shanghai factory whose
documents use real export layouts (reference/real-exports.md): a ZKTeco attendance log, a
turnstile log, a Chinese wage register and roster.

The clean factory pays and schedules what the law asks; each test breaks one thing the way real
packs break, and checks that it costs data-quality findings, not violations."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from tests.support.clean_factory import WORKERS, weekdays, jitter, tap_log, gate_log, wage_register, roster, clean_files, run


def test_the_clean_factory_gets_no_finding(tmp_path):
    counts, findings = run(tmp_path, clean_files())
    assert counts == Counter(), [f.message for f in findings][:10]


def test_a_month_of_time_records_unreadable_costs_coverage_not_violations(tmp_path):
    files = clean_files()
    files["time/AttLog-2026-04.csv"] = b"\x00\x01binary junk that is no export\x00"
    files["time/AttLog-2026-04.xlsx"] = files.pop("time/AttLog-2026-04.csv")
    counts, findings = run(tmp_path, files)
    # April: gate presence on 66 worker-days with no readable time record, payroll hours with none
    assert counts["XDOC-GATE-TIMESHEET"] == 0 and counts["XDOC-HOURS-MISMATCH"] == 0
    coverage = [f for f in findings if f.rule_id == "DQ-COVERAGE"]
    assert [(f.subject, f.period["start"]) for f in coverage] == [({"record_kind": "timesheet"}, "2026-04-01")]
    assert "AttLog-2026-04.xlsx" in coverage[0].message and "XDOC-GATE-TIMESHEET" in coverage[0].message
    assert counts["DQ-UNREADABLE"] == 1 and counts["DQ-PERIOD-GAP"] == 1
    assert set(counts) == {"DQ-COVERAGE", "DQ-UNREADABLE", "DQ-PERIOD-GAP"}


def test_records_in_another_decade_are_implausible_not_violations(tmp_path):
    files = clean_files()
    # the clock's year was wrong (or the date misread): 2016 instead of 2026
    files["time/AttLog-2026-04.csv"] = tap_log("2026-04").replace("/2026 ", "/2016 ")
    lines = roster().splitlines()
    lines[1] = lines[1].replace("1990-01-01", "2021-01-01")  # a birth date misread: "aged 5"
    files["HR/员工花名册.csv"] = "\n".join(lines)
    counts, findings = run(tmp_path, files)
    implausible = {f.subject["document"]: f for f in findings if f.rule_id == "DQ-IMPLAUSIBLE-VALUE"}
    assert set(implausible) == {"time/AttLog-2026-04.csv", "HR/员工花名册.csv"}
    assert implausible["time/AttLog-2026-04.csv"].measured == 3 * len(weekdays("2026-04"))
    assert implausible["HR/员工花名册.csv"].evidence[0].cell == "E2"
    for rule in ("LAB-CHILD-LABOR", "LAB-JUVENILE-RESTRICTED", "XDOC-GATE-TIMESHEET", "XDOC-HOURS-MISMATCH",
                 "ID-INVALID", "LAB-HOURS-DAY-MAX"):
        assert counts[rule] == 0, rule
    assert [f.period["start"] for f in findings if f.rule_id == "DQ-COVERAGE"] == ["2026-04-01"]


def test_an_unread_allowance_column_costs_one_coverage_finding_not_arithmetic_per_worker(tmp_path):
    files = clean_files()
    files["payroll/2026-03工资表.csv"] = wage_register("2026-03", ("夜班费", "120"))
    counts, findings = run(tmp_path, files)
    assert counts["LAB-PAYROLL-ARITHMETIC"] == 0
    coverage = [f for f in findings if f.rule_id == "DQ-COVERAGE"]
    assert len(coverage) == 1 and coverage[0].subject == {"record_kind": "payroll_arithmetic"}
    assert "夜班费" in coverage[0].message and "LAB-PAYROLL-ARITHMETIC" in coverage[0].message


def test_a_real_arithmetic_error_is_still_found(tmp_path):
    files = clean_files()
    files["payroll/2026-03工资表.csv"] = wage_register("2026-03").replace(",3000,3000,3000,", ",3000,3000,2900,", 1)
    counts, _ = run(tmp_path, files)
    assert counts == Counter({"LAB-PAYROLL-ARITHMETIC": 1})


def test_the_same_file_twice_is_read_once(tmp_path):
    files = clean_files()
    files["time/copy of AttLog-2026-03.csv"] = files["time/AttLog-2026-03.csv"]
    counts, findings = run(tmp_path, files)
    assert counts == Counter({"DQ-DUPLICATE-DOCUMENT": 1})
    assert findings[0].subject == {"document": "time/copy of AttLog-2026-03.csv"}


def test_a_day_two_documents_give_differently_is_a_double_book(tmp_path):
    files = clean_files()
    # a ZKTeco time card for the same March, where 1002's 2026-03-10 ends at 15:00
    card = ["Emp No.,AC-No.,No.,Name,Date,Clock In 1,Clock Out 1,Clock In 2,Clock Out 2,Total in time"]
    for day in weekdays("2026-03"):
        j = jitter(day, 1)
        end = "15:00" if day == dt.date(2026, 3, 10) else f"17:0{j}"
        card.append(f"1002,1002,,李强,{day.month}/{day.day}/{day.year},07:{50 + j},12:0{j},13:0{j},{end},")
    files["time/TimeCard-1002.csv"] = "\n".join(card)
    counts, findings = run(tmp_path, files)
    assert counts == Counter({"INT-DOUBLE-BOOK": 1})
    book = findings[0]
    assert book.subject == {"worker_id": "1002"} and book.period["start"] == "2026-03-10"
    assert {e.document for e in book.evidence} == {"time/AttLog-2026-03.csv", "time/TimeCard-1002.csv"}


@pytest.mark.parametrize("violation", ["gate_without_time", "seven_days"])
def test_known_violations_in_real_layouts_and_nothing_else(tmp_path, violation):
    files = clean_files()
    if violation == "gate_without_time":
        files["security/门禁记录.csv"] = gate_log() + "\n1001,王芳,2026-03-07 09:00,进,北门\n1001,王芳,2026-03-07 15:00,出,北门"
        expected = Counter({"XDOC-GATE-TIMESHEET": 1})
    else:
        # 1003 also clocks Saturday and Sunday 7-8 March: 12 days in a row, paid as rest-day overtime
        extra = [f"Sewing,张伟,1003,0{d}/03/2026 {c},1,,FP," for d in (7, 8)
                 for c in ("7:58:10", "12:00:31", "13:00:02", "17:01:45")]
        files["time/AttLog-2026-03.csv"] = tap_log("2026-03") + "\n" + "\n".join(extra)
        files["security/门禁记录.csv"] = gate_log() + "\n" + "\n".join(
            f"1003,张伟,2026-03-0{d} {t},{w},北门" for d in (7, 8) for t, w in (("07:50", "进"), ("17:10", "出")))
        register = wage_register("2026-03").splitlines()
        register[1] = register[1].replace("基本工资", "周末加班(H),加班费,基本工资")
        for k in (2, 3, 4):
            cells = register[k].split(",")
            if cells[0] == "1003":  # 16 h at 200 % of 3000 / 21.75 / 8 = 551.72, paid 560
                cells[3:3] = ["16", "560"]
                cells[6] = cells[7] = "3560"  # gross and net
            else:
                cells[3:3] = ["0", "0"]
            register[k] = ",".join(cells)
        files["payroll/2026-03工资表.csv"] = "\n".join(register)
        expected = Counter({"LAB-REST-DAY": 1})
    counts, findings = run(tmp_path, files)
    assert counts == expected, [f.message for f in findings][:5]


def test_a_grid_of_presence_marks_cannot_decide_hours_or_absence(tmp_path):
    files = clean_files()
    header = ["工号", "姓名"] + [str(d) for d in range(1, 31)]
    lines = ["2026年4月考勤表", ",".join(header)]
    for worker_id, name, *_ in WORKERS:
        lines.append(",".join([worker_id, name] + ["√" if dt.date(2026, 4, d).weekday() < 5 else "休"
                                                   for d in range(1, 31)]))
    files.pop("time/AttLog-2026-04.csv")
    files["time/考勤表-4月.csv"] = "\n".join(lines)
    counts, findings = run(tmp_path, files)
    assert counts["XDOC-GATE-TIMESHEET"] == 0 and counts["XDOC-HOURS-MISMATCH"] == 0
    coverage = [f for f in findings if f.rule_id == "DQ-COVERAGE"]
    assert [f.period["start"] for f in coverage] == ["2026-04-01"] and "presence" in coverage[0].message
    assert counts["DQ-PERIOD-GAP"] == 0  # April has time records, of presence


def test_a_sheet_not_recognised_inside_a_workbook_that_was_read_is_reported(tmp_path):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "花名册"
    for row in roster().splitlines():
        book.active.append(row.split(","))
    notes = book.create_sheet("备注")
    notes.append(["说明", "内容"])
    notes.append(["加班", "按劳动法执行"])
    buf = io.BytesIO()
    book.save(buf)
    files = clean_files()
    files.pop("HR/员工花名册.csv")
    files["HR/员工花名册.xlsx"] = buf.getvalue()
    counts, findings = run(tmp_path, files)
    (unclassified,) = [f for f in findings if f.rule_id == "DQ-UNCLASSIFIED"]
    assert unclassified.subject == {"document": "HR/员工花名册.xlsx"} and "'备注'" in unclassified.message
    assert counts["XDOC-WORKER-UNKNOWN"] == 0  # the roster sheet itself was read


def test_a_licence_whose_expiry_cannot_be_read_says_so_and_long_term_is_no_gap():
    from validators.dataset.dataset import Dataset
    from preaudit.core.packs import load_packs, resolve
    from tests.support.builders import profile, table
    from validators import RULES_BY_ID

    rows = [{"license_type": "营业执照", "number": "91310000MA1FL0001X", "valid_until": "长期"},
            {"license_type": "消防验收", "number": "沪消验字2019第1号", "valid_until": None},
            {"license_type": "排污许可证", "number": "91310000MA1FL0001X001P", "valid_until": "2027-01-01"}]
    ds = Dataset.build([table(rows, "licences.csv")], resolve("CN-SH", [], {}, load_packs()),
                       profile=profile(required_licenses=[]))
    coverage = RULES_BY_ID["DQ-COVERAGE"].run(ds, None)
    assert [f.subject for f in coverage] == [{"record_kind": "license_expiry"}]
    assert "fire_safety" in coverage[0].message and "LIC-EXPIRED" in coverage[0].message
    assert RULES_BY_ID["LIC-EXPIRED"].run(ds, None) == []


def test_a_time_card_beside_the_tap_log_it_came_from_is_no_double_book(tmp_path):
    """The ZKTeco card shows first-in and last-out; the log pairs four taps (lunch excluded).
    Same clock, same day: hours differ by the break, the day's span does not."""
    files = clean_files()
    card = ["Emp No.,AC-No.,No.,Name,Date,Clock In 1,Clock Out 1,Total in time"]
    for day in weekdays("2026-03"):
        j = jitter(day, 1)
        card.append(f"1002,1002,,李强,{day.month}/{day.day}/{day.year},07:{50 + j},17:0{j},")
    files["time/TimeCard-1002.csv"] = "\n".join(card)
    counts, findings = run(tmp_path, files)
    assert counts == Counter(), [f.message for f in findings][:5]  # the rules judge the log, which shows the break


def test_a_page_of_a_read_register_that_gave_no_text_is_a_gap_and_a_blank_page_is_none():
    from validators.dataset.coverage import document_gaps
    from preaudit.core.model import DocStatus, DocumentReport, PageRead, PartRead

    def register(*unread: str) -> DocumentReport:
        sheets = [PageRead(1, "ocr"), PartRead(None, 1, "timesheet", DocStatus.OK)]
        sheets += [PageRead(2 + k, "ocr", no_text=why) for k, why in enumerate(unread)]
        return DocumentReport("time/register-scan.pdf", "0" * 64, "timesheet", 1 + len(unread), DocStatus.OK,
                              sheets=sheets)

    months = {("timesheet", "time/register-scan.pdf"): {"2026-03"}}
    (gap,) = document_gaps([register("page too dark to read: most of it is dark")], months)
    assert (gap.kind, gap.month) == ("timesheet", "2026-03") and "page 2: page too dark" in gap.reason
    assert document_gaps([register("blank page: no ink")], months) == []


def test_a_gate_month_whose_time_records_are_not_in_the_pack_is_one_coverage_finding(tmp_path):
    """The run says "no time records for 2026-04" (DQ-PERIOD-GAP): the gate log's April is then one
    DQ-COVERAGE naming the count, the rule and the gate log, not a finding per worker-day."""
    files = clean_files()
    files.pop("time/AttLog-2026-04.csv")
    counts, findings = run(tmp_path, files)
    assert counts["XDOC-GATE-TIMESHEET"] == 0 and counts["XDOC-PAID-NO-TIME"] == 0
    (coverage,) = [f for f in findings if f.rule_id == "DQ-COVERAGE"]
    assert coverage.subject == {"record_kind": "timesheet"} and coverage.period["start"] == "2026-04-01"
    assert "XDOC-GATE-TIMESHEET (no time record that day) would have fired for 3 of the 3 workers at the gate " \
           "(66 finding(s) held back)" in coverage.message
    assert "security/门禁记录.csv" in {e.document for e in coverage.evidence}
    assert set(counts) == {"DQ-COVERAGE", "DQ-PERIOD-GAP"}
