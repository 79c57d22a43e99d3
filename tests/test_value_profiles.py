"""Value profiles (extractors/profiles.py): what a column's values look like, whether they
contradict a header's reading, and the field they make a column no header word explains. Columns
are built by hand from the literal shapes of real exports (docs/reference/real-exports.md)
and taken from the public files in shared/realdocs/wild."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from extractors.profiles import alternates_per_worker, contradiction, field_from_values, profile
from preaudit.core.model import Kind

WILD = Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "wild"


def wild_csv(name: str, delimiter: str = ",") -> dict[str, list[str]]:
    path = WILD / name
    if not path.exists():
        pytest.skip(f"{path} not here")
    rows = list(csv.reader(path.open(encoding="utf-8", errors="replace"), delimiter=delimiter))
    return {h: [r[i] if i < len(r) else None for r in rows[1:]] for i, h in enumerate(rows[0])}


def wild_sheet(name: str, header_row: int) -> dict[str, list]:
    openpyxl = pytest.importorskip("openpyxl")
    path = WILD / name
    if not path.exists():
        pytest.skip(f"{path} not here")
    rows = [list(r) for r in openpyxl.load_workbook(path, data_only=True).worksheets[0].iter_rows(values_only=True)]
    head, body = rows[header_row], rows[header_row + 1:]
    return {str(h).strip(): [r[i] for r in body] for i, h in enumerate(head) if h is not None}


# ------------------------------------------------------------------ shapes


@pytest.mark.parametrize("values, dominant", [
    (["E001", "E002", "NV01", "00123", "20011", "E001"], "id_code"),
    (["张伟", "王芳", "李娜", "欧阳娜娜", "刘洋"], "person_name"),
    (["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn C", "Phạm Minh Đức", "Hoàng Lan"], "person_name"),
    (["Mohammad Monjur E Elahi", "Jane Doe", "Rohan D.", "Manuel III", "Bianca Sofia"], "person_name"),
    (["2026-03-02", "25-08-01 星期五", "2025年8月3日", "9/12/2026", "13/08/2025"], "date"),
    ([dt.datetime(2026, 3, d) for d in range(1, 7)], "date"),
    (["01/09/2026 7:26:40", "2026-03-02 07:55", "2026/3/2 7:55:12", "2020-09-30 10:10:37", "2017/11/22 14:17:21"],
     "datetime"),
    (["07:56", "7:56 AM", "17:33:05", "5:30 PM", "次日 00:30", "08:00"], "clock"),
    ([dt.time(7, 56), dt.time(17, 33), dt.time(8, 0), dt.time(12, 0), dt.time(13, 0)], "clock"),
    (["07:56-17:33", "08:02-17:30", "08:00-12:00 13:00-17:30", "07:58-17:31", "07:59-17:40"], "clock_range"),
    (["8.5", "8", "9.5", "10", "7.75", 8.25], "duration"),
    (["8.5h", "8小时", "9.5 hrs", "10h", "7h"], "duration"),
    (["¥1,234.50", "RMB 3200", "Tk 12,500", "৳6,700", "1.234,50", "(12.00)"], "money"),
    ([7892.25, 9058.0, 3623.2, 4657.7, 13131.25], "money"),
    (["In", "Out", "IN", "OUT", "C/In", "C/Out", "Check In", "进", "出", "上班", "下班", "Vào", "Ra"], "in_out"),
    (["P", "A", "WO", "x", "√", "休", "休息", "EL", "+", "KL", "Ô", "Present"], "mark"),
    (["Sewing line 3 near the window", "see remark", "transferred from unit 2", "ok per HR", "n.a. yet"], "text"),
])
def test_a_column_of_one_shape_is_that_shape(values, dominant):
    assert profile(values).dominant == dominant


def test_shares_count_non_empty_values_and_describe_says_them():
    values = ["07:56"] * 11 + ["17:33"] + [None]
    p = profile(values)
    assert p.non_empty == 12 and p.total == 13
    assert p.shares["clock"] == 1.0
    assert p.describe() == "92 % clock times, 8 % empty"
    assert profile([None, "", "-"]).describe() == "empty"
    assert profile([]).dominant is None


def test_a_mixed_column_has_no_dominant_shape():
    p = profile(["E001", "E002", "Aarav Kumar", "Priya Patel", "07:56", "8.5"])
    assert p.dominant is None
    assert "id codes" in p.describe() and "person names" in p.describe()


def test_a_number_has_several_shapes_and_text_only_when_it_has_none():
    p = profile([22, 22, 20, 21, 22])
    assert p.shares["minute_count"] == p.shares["id_code"] == p.shares["duration"] == 1.0
    assert "text" not in p.shares
    assert profile(["RMB 3200"] * 5).shares.get("id_code") is None  # a currency is no code


def test_department_and_role_words_are_no_names():
    assert profile(["人力资源", "市场营销", "财务部", "销售经理", "市场专员"]).shares.get("person_name") is None
    assert profile(["Software Engineer", "Marketing Manager", "HR Executive", "Trainee", "Logistics"]
                   ).shares.get("person_name") is None


def test_a_large_column_is_sampled_but_counted_whole():
    values = [f"2026-03-{d % 28 + 1:02d} 07:{d % 60:02d}" for d in range(50_000)]
    p = profile(values)
    assert p.non_empty == 50_000 and p.dominant == "datetime"


# ------------------------------------------------------------------ contradictions


def test_employee_id_holding_first_names_contradicts_identifier():
    """Deepak2868's salary sheet: `Employee ID` over Aarav, Aaryan, Abhay …"""
    cols = wild_sheet("Deepak2868-Salary-sheet/Salary Sheet.xlsx", 1)
    p = profile(cols["Employee ID"])
    assert p.dominant == "person_name"
    reason = contradiction("identifier", p)
    assert reason is not None and reason.startswith("values are person names")
    assert contradiction("worker_id", p) == reason  # a field's name is read as its declared type
    assert contradiction("text", p) is None


@pytest.mark.parametrize("field_type, values, says", [
    ("money", ["07:56", "17:33", "08:00", "12:00", "13:00"], "clock times"),
    ("clock", [45000, 31569.5, 36232, 46577.25, 52525], "amounts"),
    ("clock", ["P", "A", "P", "WO", "P"], "attendance marks"),
    ("identifier", [7892.25, 9058.5, 3623.2, 4657.7, 13131.25], "amounts"),
    ("identifier", ["07:56-17:33"] * 5, "clock ranges"),
    ("date", ["07:56", "17:33", "08:00", "12:00", "13:00"], "clock times"),
    ("money", [dt.datetime(2024, 3, 5, 12, 23)] * 5, "dates with times"),
    ("punch_state", ["2026-03-02 07:55", "2026-03-02 17:05", "2026-03-03 07:51", "2026-03-03 17:00",
                     "2026-03-04 07:58"], "dates with times"),
    ("name", ["E001", "E002", "E003", "E004", "E005"], "id codes"),
])
def test_values_of_an_incompatible_shape_contradict_the_type(field_type, values, says):
    reason = contradiction(field_type, profile(values))
    assert reason is not None and says in reason, reason


def test_hours_over_a_day_contradict_a_days_hours_but_not_a_months():
    p = profile([480, 510, 495, 540, 480, 600])
    assert "over 24" in contradiction("hours", p, per_day=True)
    assert contradiction("hours", p) is None  # 480 hours in a month is a reading, not a contradiction
    assert contradiction("hours", profile([174, 180, 168, 176, 190])) is None
    assert contradiction("hours", profile(["8.5", "9", "10", "7.5", "8"]), per_day=True) is None


@pytest.mark.parametrize("field_type, values", [
    ("identifier", ["E001", "E002", "NV01", "00123", "20011"]),
    ("identifier", [20011, 20012, 20013, 20014, 20015]),           # numeric ids: amounts too, but codes
    ("identifier", [342291, 728890, 783263, 661960, 908504]),      # 工资生成.xlsx 工号
    ("date", [45352, 45353, 45354, 45355, 45356]),                 # Excel date serials
    ("clock", ["0800", "1730", "0755", "1201", "1300"]),
    ("clock", ["7.30", "17.05", "8.00", "12.00", "13.00"]),
    ("clock", [0.33, 0.73, 0.5, 0.54, 0.71]),                      # Excel times of day
    ("punch_state", [0, 1, 0, 1, 0, 1]),
    ("punch_state", ["C/In", "C/Out", "C/In", "C/Out", "C/In"]),
    ("money", [45000, 31569, 36232, 46577, 52525]),
    ("money", ["1,234.50", "3,200", "12,500", "6,700", "750"]),
    ("hours", ["09:20", "08:30", "10:00", "07:45", "08:00"]),        # ZKTeco Total in time
    ("minutes", ["30", "45", "60", "0:30", "30 min"]),
    ("text", ["07:56", "17:33", "08:00", "12:00", "13:00"]),
])
def test_values_of_the_type_contradict_nothing(field_type, values):
    assert contradiction(field_type, profile(values)) is None


def test_few_or_mixed_values_contradict_nothing():
    assert contradiction("identifier", profile(["Aarav", "Aaryan", "Abhay", "Abhinav"])) is None  # only 4
    mixed = ["Aarav", "Aaryan", "Abhay", "E004", "E005", "E006", "E007"]
    assert contradiction("identifier", profile(mixed)) is None  # 43 % names: not ≥ 80 %


@pytest.mark.parametrize("file, column, field_type", [
    ("DhruvSahdev218-hr-attendance-automation-prototype/sample_attendance.csv", "Employee ID", "identifier"),
    ("DhruvSahdev218-hr-attendance-automation-prototype/sample_attendance.csv", "Time", "clock"),
    ("DhruvSahdev218-hr-attendance-automation-prototype/sample_attendance.csv", "Punch Status", "punch_state"),
    ("DhruvSahdev218-hr-attendance-automation-prototype/sample_attendance.csv", "Date", "date"),
    ("JoshuaSarmientoCode-OOP_MotorPHPayroll/MotorPH_Attendance_Record.csv", "Employee #", "identifier"),
    ("JoshuaSarmientoCode-OOP_MotorPHPayroll/MotorPH_Attendance_Record.csv", "Date", "date"),
    ("JoshuaSarmientoCode-OOP_MotorPHPayroll/MotorPH_Attendance_Record.csv", "Log In", "clock"),
    ("nachiket1386-AMS/sample_attendance.csv", "IN", "clock"),
    ("nachiket1386-AMS/sample_attendance.csv", "OVERTIME", "hours"),
    ("itsmepskiran-payroll/sample_attendance.csv", "date", "date"),
])
def test_real_columns_agree_with_their_headers(file, column, field_type):
    assert contradiction(field_type, profile(wild_csv(file)[column])) is None


def test_real_payroll_columns_agree_with_their_headers():
    cols = wild_sheet("Triment-exeo-dev/工资生成.xlsx", 0)
    assert contradiction("identifier", profile(cols["工号"])) is None
    assert contradiction("money", profile(cols["实发"])) is None
    assert contradiction("date", profile(cols["发放日期"])) is None
    assert "person names" in contradiction("identifier", profile(cols["员工姓名"]))
    cols = wild_sheet("Sadab440-EDGE-Project/Salary Sheet.xlsx", 5)
    assert contradiction("identifier", profile(cols["Employee ID"])) is None
    assert "dates" in contradiction("money", profile(cols["Joining Date"]))


# ------------------------------------------------------------------ where the words are silent


def test_in_out_words_in_a_timesheet_are_the_punch_state():
    cols = wild_csv("DhruvSahdev218-hr-attendance-automation-prototype/sample_attendance.csv")
    field, why = field_from_values(Kind.TIMESHEET, profile(cols["Punch Status"]))  # 4 taps: all In/Out
    assert field == "punch_state" and why == "typed by its values: 100 % In/Out"
    assert field_from_values("timesheet", profile(["C/In", "C/Out"] * 4))[0] == "punch_state"
    assert field_from_values(Kind.GATE_LOG, profile(["进", "出"] * 4))[0] == "direction"
    assert field_from_values(Kind.PAYROLL, profile(["In", "Out"] * 4)) is None
    assert field_from_values(Kind.TIMESHEET, profile(["In", "P", "Out"])) is None  # short and mixed: undecided


def test_attendance_marks_are_no_punch_state():
    """nachiket1386's AMS export: a `STATUS` column of P and A beside IN and OUT."""
    cols = wild_csv("nachiket1386-AMS/sample_attendance.csv")
    assert "attendance marks" in contradiction("punch_state", profile(cols["STATUS"]))
    assert contradiction("punch_state", profile(["I", "O", "I", "O", "I"])) is None


def test_hikvision_clock_ranges_are_punches():
    cells = ["07:56-17:33", "07:58-17:31", "08:02-17:30", "07:50-17:45", "07:59-17:40"]
    field, why = field_from_values(Kind.TIMESHEET, profile(cells))
    assert field == "punches" and "clock ranges" in why


def test_repeating_codes_in_a_time_record_are_worker_ids():
    cols = wild_csv("JoshuaSarmientoCode-OOP_MotorPHPayroll/MotorPH_Attendance_Record.csv")
    assert field_from_values(Kind.TIMESHEET, profile(cols["Employee #"]))[0] == "worker_id"
    cols = wild_csv("nikitfornoles-4/GLG_001.TXT", "\t")
    assert field_from_values(Kind.TIMESHEET, profile(cols["EnNo"]))[0] == "worker_id"
    for column in ("No", "TMNo", "INOUT", "Mode", "DateTime"):  # a row counter, a device, states, modes
        assert field_from_values(Kind.TIMESHEET, profile(cols[column])) is None, column


def test_unique_codes_in_a_roster_are_worker_ids_but_bare_numbers_are_not():
    cols = wild_sheet("chicuong3042001-Java_Project_QLNS_final/NhanSu.xlsx", 0)
    assert field_from_values(Kind.ROSTER, profile(cols["Mã nhân viên"]))[0] == "worker_id"
    serials = list(range(1, 40))
    assert field_from_values(Kind.PAYROLL, profile(serials)) is None        # S No.
    assert field_from_values(Kind.PAYROLL, profile([45000, 38000, 52000, 41000, 47000, 39000])) is None


def test_amounts_and_names_are_not_ids():
    cols = wild_sheet("Keshav9971-Salary-Sheet/Salary Sheet.xlsx", 1)
    for column in ("Basic Salary", "Gross salary", "Name"):
        assert field_from_values(Kind.PAYROLL, profile(cols[column][:80])) is None, column
    cols = wild_sheet("Deepak2868-Salary-sheet/Salary Sheet.xlsx", 1)
    assert field_from_values(Kind.PAYROLL, profile(cols["Employee ID"])) is None
    amounts = ["1,234.50", "2,100.00", "1,234.50", "980.25", "2,100.00", "980.25"] * 3
    assert field_from_values(Kind.TIMESHEET, profile(amounts)) is None


def test_known_ids_make_a_column_worker_ids_whatever_its_header():
    roster = {"E001", "E002", "E003", "E004"}
    p = profile(["E001", "e002", "E003", "E004", "E001", "E003"])
    field, why = field_from_values(Kind.PAYROLL, p, ids=roster)
    assert field == "worker_id" and "roster" in why
    assert field_from_values(Kind.TIMESHEET, profile(["X1", "X2", "X3", "X4", "X5"]), ids=roster) is None


def test_zero_one_is_a_punch_state_only_when_it_alternates_per_worker():
    workers = ["7", "8", "7", "8", "7", "8", "7", "8"]
    alternating = [0, 0, 1, 1, 0, 0, 1, 1]
    assert alternates_per_worker(alternating, workers)
    assert field_from_values(Kind.TIMESHEET, profile(alternating), workers=workers)[0] == "punch_state"
    stuck = [0, 1, 0, 1, 0, 1, 0, 1]  # 7 always 0, 8 always 1: a device or a mode, no state
    assert not alternates_per_worker(stuck, workers)
    assert field_from_values(Kind.TIMESHEET, profile(stuck), workers=workers) is None
    assert field_from_values(Kind.TIMESHEET, profile(alternating)) is None  # no ids: undecided
    assert not alternates_per_worker(["0", "1", "x", "0"], ["7"] * 4)


# ------------------------------------------------------------------ in the table reading


def _pack(tmp_path, name: str, text: str):
    from preaudit.app.pipeline import discover, extract
    from preaudit.core.options import ReadingOptions
    from preaudit.core.storage import LocalStorage

    (tmp_path / name).write_text(text, encoding="utf-8")
    storage = LocalStorage(tmp_path)
    doc = next(d for d in discover(storage) if d.path == name)
    return extract(storage, doc, ReadingOptions())


def _columns(extracted) -> dict[str, dict]:
    return {c["label"]: c for part in extracted.report.parts for c in part.columns}


def test_a_tap_logs_column_of_in_out_under_an_unknown_word_is_the_punch_state(tmp_path):
    rows = [f"{w},Worker {w},2026-03-0{d} {t},{s}" for d in (2, 3, 4) for w in (7, 8)
            for t, s in ((f"07:5{w}", "In"), (f"17:0{w}", "Out"))]
    # "Bewegung": a word no lexicon of ours holds ("Type" is read by its words as the state)
    extracted = _pack(tmp_path, "taps.csv", "No.,Name,Date/Time,Bewegung\n" + "\n".join(rows) + "\n")
    columns = _columns(extracted)
    assert columns["Bewegung"]["field"] == "punch_state"
    assert columns["Bewegung"]["how"] == "typed by its values: 100 % In/Out"
    assert columns["Bewegung"]["values"] == "100 % In/Out"
    assert columns["Date/Time"]["values"] == "100 % dates with times"
    (table,) = extracted.tables
    assert table.df.height == 6 and table.df["out1"].is_not_null().all()
    assert any("paired" in n and "in/out state" in n for n in table.notes)


def test_employee_id_over_first_names_is_not_read_as_ids_and_the_report_says_why(tmp_path):
    """Deepak2868's salary sheet: the `Employee ID` column holds Aarav, Aaryan, Abhay …"""
    head = "S No.,Employee ID,Designation,Basic Salary,H.R.A,T.A,Gross salary,PF,ESI,IN-hand Salary"
    people = [("Aarav", 107326), ("Aaryan", 41982), ("Abhay", 65765), ("Abhinav", 57025), ("Adarsh", 83361),
              ("Aditya", 52100)]
    rows = [f"{i},{n},Software Engineer,{b},{b * 0.25},{b * 0.1},{b * 1.35},{b * 0.12:.2f},{b * 0.05:.2f},"
            f"{b * 1.18:.2f}" for i, (n, b) in enumerate(people, 1)]
    extracted = _pack(tmp_path, "salary-2026-03.csv", head + "\n" + "\n".join(rows) + "\n")
    column = _columns(extracted)["Employee ID"]
    assert column["field"] == "name"
    assert column["how"].startswith("header says worker_id; values are person names (100 %) — not read as worker_id")
    assert column["values"] == "100 % person names"
    (table,) = extracted.tables
    assert table.df["worker_id"].is_null().all() and table.df["name"].to_list()[:2] == ["Aarav", "Aaryan"]
    assert table.df["_name_only"].all()
    (part,) = extracted.report.parts
    assert any(n.startswith("Employee ID (B): header says worker_id; values are person names") for n in part.notes)


def test_a_header_the_values_contradict_leaves_the_table_unread_when_nothing_else_names_it(tmp_path):
    rows = [f"{n},2026-03-0{d},07:5{d},17:0{d}" for d in range(1, 4) for n in ("Jane Doe", "John Smith")]
    extracted = _pack(tmp_path, "card.csv", "Emp No.,Date,Clock In 1,Clock Out 1\n" + "\n".join(rows) + "\n")
    assert not extracted.tables
    assert "values are person names" in (extracted.report.reason or "")


def test_codes_under_an_unknown_header_are_the_worker_id_of_a_payroll_without_one(tmp_path):
    rows = [f"E00{i},{n},{b},{b - 300}" for i, (n, b) in enumerate(
        [("Jane Doe", 3200), ("John Smith", 3400), ("Mai Lan", 3100), ("Li Wei", 3600), ("Tran An", 3000)], 1)]
    extracted = _pack(tmp_path, "pay-2026-03.csv", "Ident,Name,Basic Salary,Net Pay\n" + "\n".join(rows) + "\n")
    column = _columns(extracted)["Ident"]
    assert column["field"] == "worker_id" and column["how"] == "typed by its values: 100 % id codes, one per row"
    (table,) = extracted.tables
    assert table.df["worker_id"].to_list() == ["E001", "E002", "E003", "E004", "E005"]
    assert "_name_only" not in table.df.columns or not table.df["_name_only"].any()


def test_inspect_prints_each_columns_values(tmp_path):
    from rich.console import Console

    from preaudit.app.inspect import render
    from preaudit.app.pipeline import discover
    from preaudit.core.storage import LocalStorage

    rows = [f"{w},2026-03-0{d} 07:5{w},{s}" for d in (2, 3) for w in (7, 8) for s in ("C/In", "C/Out")]
    extracted = _pack(tmp_path, "taps.csv", "AC-No.,Time,State\n" + "\n".join(rows) + "\n")
    doc = next(d for d in discover(LocalStorage(tmp_path)) if d.path == "taps.csv")
    console = Console(record=True, width=200)
    render(doc, extracted, console)
    text = console.export_text()
    assert "values" in text and "100 % In/Out" in text
