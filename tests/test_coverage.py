"""No finding from what was not read (issue 10), on a small hand-built Shanghai factory whose
documents use real export layouts (reference/real-exports.md): a ZKTeco attendance log, a
turnstile log, a Chinese wage register and roster.

The clean factory pays and schedules what the law asks; each test breaks one thing the way real
packs break, and checks that it costs data-quality findings, not violations."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from preaudit.app.pipeline import audit
from preaudit.core.storage import LocalStorage

def resident_id(body: str) -> str:
    """A Chinese resident ID with its GB 11643 check character."""
    weights = [pow(2, 17 - i, 11) for i in range(17)]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


WORKERS = [("1001", "王芳", resident_id("31010119900101123"), "1990-01-01"),
           ("1002", "李强", resident_id("31010119920202234"), "1992-02-02"),
           ("1003", "张伟", resident_id("31010119880303345"), "1988-03-03")]
MONTHS = ("2026-03", "2026-04")
PROFILE = """factory_id: F-SH-TEST
legal_name: Shanghai Test Garments Co., Ltd.
jurisdiction: CN-SH
audit_date: 2026-06-15
period: {start: 2026-03-01, end: 2026-04-30}
required_licenses: []
"""


def weekdays(month: str) -> list[dt.date]:
    year, mon = (int(x) for x in month.split("-"))
    day, out = dt.date(year, mon, 1), []
    while day.month == mon:
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def jitter(day: dt.date, k: int) -> int:
    """People never tap at the same minute every day: worker k's minutes past the hour."""
    return (day.day * 7 + k * 3) % 9


def tap_log(month: str, workers=WORKERS) -> str:
    """ZKTeco "Attendance Logs" export: no in/out state, DD/MM/YYYY with unpadded hours."""
    lines = ["Department,Name,No.,Date/Time,Location ID,ID Number,VerifyCode,CardNo"]
    for k, (worker_id, name, *_) in enumerate(workers):
        for day in weekdays(month):
            j = jitter(day, k)
            for clock in (f"7:{50 + j}:10", f"12:0{j}:31", f"13:0{j}:02", f"17:0{j}:45"):
                lines.append(f"Sewing,{name},{worker_id},{day:%d/%m/%Y} {clock},1,,FP,")
    return "\n".join(lines)


def gate_log(months=MONTHS) -> str:
    lines = ["工号,姓名,通行时间,进出方向,门岗"]
    for worker_id, name, *_ in WORKERS:
        for month in months:
            for day in weekdays(month):
                lines += [f"{worker_id},{name},{day} 07:50,进,北门", f"{worker_id},{name},{day} 17:10,出,北门"]
    return "\n".join(lines)


def wage_register(month: str, extra_column: tuple[str, str] | None = None) -> str:
    """A Chinese 工资表: title row, regular hours, base pay at the Shanghai minimum or above."""
    hours = 8 * len(weekdays(month))
    header = ["工号", "姓名", "正常工时(H)", "基本工资", "应发工资", "实发工资", "发放日期"]
    if extra_column:
        header.insert(4, extra_column[0])
    year, mon = month.split("-")
    lines = [f"{year}年{int(mon)}月工资表", ",".join(header)]
    pay_day = dt.date(int(year), int(mon), 28) + dt.timedelta(days=10)
    for worker_id, name, *_ in WORKERS:
        row = [worker_id, name, str(hours), "3000", "3000", "3000", pay_day.isoformat()]
        if extra_column:
            row.insert(4, extra_column[1])
            row[5] = row[6] = str(3000 + float(extra_column[1]))  # gross and net include it
        lines.append(",".join(row))
    return "\n".join(lines)


def roster() -> str:
    lines = ["工号,姓名,性别,身份证号码,出生日期,入职日期,部门,岗位"]
    lines += [f"{w},{n},女,{i},{b},2020-01-06,缝制,车工" for w, n, i, b in WORKERS]
    return "\n".join(lines)


def write_pack(root: Path, files: dict[str, str | bytes]) -> Path:
    (root / "factory.yaml").write_text(PROFILE, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_bytes(content.encode("gbk" if "工资" in name else "utf-8"))
        else:
            path.write_bytes(content)
    return root


def clean_files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"HR/员工花名册.csv": roster(), "security/门禁记录.csv": gate_log()}
    for month in MONTHS:
        files[f"time/AttLog-{month}.csv"] = tap_log(month)
        files[f"payroll/{month}工资表.csv"] = wage_register(month)
    return files


def run(tmp_path: Path, files) -> tuple[Counter, list]:
    result = audit(LocalStorage(write_pack(tmp_path, files)))
    return Counter(f.rule_id for f in result.findings), result.findings


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
