"""A violation only where every reasonable reading agrees: a day whose record shows no break, and a
worked day that is a day with work in it. The record shapes are the ones
docs/reference/real-exports.md quotes (a ZKTeco tap log with two taps, a Hikvision
``07:56-17:33`` cell, a DingTalk 每日统计 month with 休息 rows, a ZKTeco time card, a Vietnam 01a)."""
from __future__ import annotations

import datetime as dt

from preaudit.core.packs import load_packs, resolve
from validators.dataset.dataset import Dataset
from tests.support.builders import dataset, day, profile, table, week
from tests.support.rules import PAIRS_8H, certain, run, worker_keys
from tests.support.exports import ZK_NEW, csv_bytes, dingtalk_workbook, only_table, read, xls_bytes, xlsx_bytes
from validators import RULES_BY_ID, judge


def _run(rule_id, tables, jurisdiction, standards=(), **kw):
    ds = Dataset.build(tables, resolve(jurisdiction, list(standards), {}, load_packs()), **kw)
    return RULES_BY_ID[rule_id].run(ds, None)


def _tap_log(taps):
    """ZKTeco "Attendance Logs" (the newest export: no in/out column), DD/MM/YYYY, unpadded hours."""
    rows = [ZK_NEW] + [["Sewing", name, no, stamp, "1", "", "FACE", ""] for name, no, stamp in taps]
    return only_table(read("AttLog.csv", csv_bytes(rows)))


# ---------------------------------------------------------------- no break recorded

def test_a_two_tap_day_over_the_limit_only_if_lunch_was_worked_is_a_possible_item():
    """BD: 10 h a day; s101 a rest interval of an hour in a day over six. 07:26-18:00 is 10.57 h as
    punched, 9.57 h with the hour: a question for the auditor, not a finding. 07:00-19:30 is over
    either way: a finding that says the hour was deducted and by which law."""
    log = _tap_log([("Rahim", "101", "01/09/2026 7:26:40"), ("Rahim", "101", "01/09/2026 18:00:00"),
                    ("Karim", "102", "01/09/2026 7:00:00"), ("Karim", "102", "01/09/2026 19:30:00")])
    found = {f.subject["worker_id"]: f for f in _run("LAB-HOURS-DAY-MAX", [log], "BD")}
    assert set(found) == {"101", "102"}
    maybe, sure = found["101"], found["102"]
    assert maybe.possible == "no break recorded: 10.57 h if the 60-min rest interval was worked, 9.57 h if not"
    assert maybe.measured == 10.57 and "Bangladesh Labour Act 2006 s101" in maybe.message
    assert sure.possible is None and sure.measured == 11.5
    assert "after deducting the 60-min rest interval the punches do not show" in sure.message
    assert "Bangladesh Labour Act 2006 s101" in sure.message and "s100" in sure.message


def test_the_same_day_with_lunch_punched_out_and_in_is_judged_as_punched():
    """The break is recorded: nothing is presumed, and 10.5 h worked is over BD's 10 either way."""
    log = _tap_log([("Rahim", "101", f"01/09/2026 {t}") for t in ("7:00:00", "12:00:00", "12:30:10", "18:00:10")])
    (f,) = _run("LAB-HOURS-DAY-MAX", [log], "BD")
    assert f.possible is None and f.measured == 10.5 and "deduct" not in f.message


def test_a_hikvision_cell_with_first_in_and_last_out_is_one_pair_with_no_break():
    """Hikvision "Attendance Record": `07:56-17:33` is 9.62 h punched. Over a 9-hour limit (a
    factory override) only if the lunch hour was worked; `07:56-18:33` over BD's 10 likewise;
    the day given as two pairs around lunch (`07:58-12:00 13:00-19:30`) is 10.53 h: a finding."""
    days = [f"2017/01/{d:02d}" for d in range(1, 11)]
    rows = [["Attendance Record"], ["Create Time: 2017-02-01 09:30:00"], ["SW: Start-Work EW: End-Work"],
            ["Employee ID", "Card No.", "Name", "Department", *days],
            ["1", "0012345678", "Tom", "Assembly", "07:56-17:33", "07:56-18:33", "07:58-12:00 13:00-19:30",
             *[""] * 7]]
    grid = only_table(read("DS-K1T804MF-20170201.xls", xls_bytes(rows)))
    ds = Dataset.build([grid], resolve("BD", [], {}, load_packs()))
    by_day = {d: (h, p) for d, h, p in ds.days.select("date", "hours", "hours_punched").iter_rows()}
    assert round(by_day[dt.date(2017, 1, 1)][1], 2) == 9.62 and round(by_day[dt.date(2017, 1, 1)][0], 2) == 8.62
    found = {f.period["start"]: f for f in RULES_BY_ID["LAB-HOURS-DAY-MAX"].run(ds, None)}
    assert set(found) == {"2017-01-02", "2017-01-03"}
    assert found["2017-01-02"].possible.startswith("no break recorded: 10.62 h if the 60-min rest interval")
    assert found["2017-01-03"].possible is None and found["2017-01-03"].measured == 10.53

    strict = Dataset.build([grid], resolve("BD", [], {"max_daily_hours": 9}, load_packs()))
    first = [f for f in RULES_BY_ID["LAB-HOURS-DAY-MAX"].run(strict, None) if f.period["start"] == "2017-01-01"]
    assert [f.possible for f in first] == ["no break recorded: 9.62 h if the 60-min rest interval was worked, "
                                           "8.62 h if not"]


def test_possible_items_stay_out_of_the_findings():
    ds = dataset(timesheet=[day("E1", "2026-03-02", "07:00-19:00")], standards=())  # CN-SH: 11 h
    verdict = judge(ds)
    assert [f.rule_id for f in verdict.findings if f.rule_id.startswith("LAB-HOURS")] == []
    assert [f.rule_id for f in verdict.possible] == ["LAB-HOURS-DAY-MAX"]
    assert verdict.possible[0].possible == "no break recorded: 12 h if the lunch hour was worked, 11 h if not"


def test_each_law_deducts_its_own_rest_interval_and_names_it():
    """IN (Factories Act s55, to 20 Nov 2025): half an hour after five hours. VN (Art 109): 30 min
    for a day of six hours or more, 45 min with night work in it."""
    (india,) = certain(_run("LAB-HOURS-DAY-MAX", [table([day("I1", "2025-09-01", "07:00-17:45")], "time.csv")], "IN"))
    assert india.measured == 10.25 and "30-min rest interval" in india.message and "Factories Act 1948 s55" in india.message
    (maybe,) = _run("LAB-HOURS-DAY-MAX", [table([day("I1", "2025-09-01", "07:00-17:20")], "time.csv")], "IN")
    assert maybe.possible == "no break recorded: 10.33 h if the 30-min rest interval was worked, 9.83 h if not"

    vn = Dataset.build([table([day("V1", "2026-03-02", "06:00-18:20"), day("V2", "2026-03-02", "18:00-06:40"),
                               day("V3", "2026-03-02", "06:00-18:40")], "time.csv")],
                       resolve("VN", [], {}, load_packs()))
    hours = {w: (h, m, b) for w, h, m, b in vn.days.select("worker_id", "hours", "break_deducted",
                                                            "break_basis").iter_rows()}
    assert hours["V1"][:2] == (12 + 1 / 3 - 0.5, 30) and "Labour Code 2019 Art 109" in hours["V1"][2]
    assert hours["V2"][:2] == (12 + 2 / 3 - 0.75, 45)  # night work: 45 min
    found = {f.subject["worker_id"]: f for f in RULES_BY_ID["LAB-HOURS-DAY-MAX"].run(vn, None)}
    assert found["V1"].possible and found["V2"].possible  # 12.33 / 12.67 h only if no rest was taken
    assert found["V3"].possible is None and "Art 109" in found["V3"].message  # 12.17 h even after 30 min


def test_bangladesh_short_day_takes_the_half_hour():
    ds = dataset(timesheet=[day("B1", "2026-03-02", "08:00-13:40"), day("B2", "2026-03-02", "08:00-12:40")],
                 jurisdiction="BD", standards=())
    assert dict(ds.days.select("worker_id", "break_deducted").iter_rows()) == {"B1": 30, "B2": 0}


def test_china_presumes_the_meal_only_where_the_span_covers_it():
    """CN gives no rest interval: preaudit's own presumption, the lunch hour for a span across
    12:00-13:00, half an hour for one across midnight, nothing for a span across neither."""
    rows = [day("C1", "2026-03-02", "06:00-17:30"),   # 11.5 h, covers lunch: 10.5 h
            day("C2", "2026-03-02", "12:30-23:59"),   # 11.48 h, covers neither: as punched
            day("C3", "2026-03-02", "14:00-01:45")]   # 11.75 h, covers midnight: 11.25 h
    ds = dataset(timesheet=rows, standards=())
    got = {w: (m, b) for w, m, b in ds.days.select("worker_id", "break_deducted", "break_basis").iter_rows()}
    assert got["C1"][0] == 60 and got["C2"] == (0, None) and got["C3"][0] == 30
    assert "preaudit's own presumption" in got["C1"][1]
    found = {f.subject["worker_id"]: f for f in RULES_BY_ID["LAB-HOURS-DAY-MAX"].run(ds, None)}
    assert found["C1"].possible == "no break recorded: 11.5 h if the lunch hour was worked, 10.5 h if not"
    assert found["C2"].possible is None and "deduct" not in found["C2"].message
    assert found["C3"].possible is None and "30-min midnight meal" in found["C3"].message
    assert "preaudit's own presumption" in found["C3"].message


def test_a_stated_break_wins_over_any_presumption():
    ds = dataset(timesheet=[day("E1", "2026-03-02", "07:00-19:00", brk=15)], jurisdiction="BD", standards=())
    (f,) = RULES_BY_ID["LAB-HOURS-DAY-MAX"].run(ds, None)
    assert f.possible is None and f.measured == 11.75


def test_the_factory_break_comes_first():
    ds = dataset(timesheet=[day("E1", "2026-03-02", "07:00-19:00")], jurisdiction="BD", standards=(),
                 profile=profile(jurisdiction="BD", breaks=[(690, 720)]))
    (row,) = ds.days.select("break_deducted", "break_basis").iter_rows()
    assert row == (30, "factory.yaml breaks")


def test_a_week_over_only_with_the_lunch_hours_worked_is_a_possible_item():
    """SA8000: 60 h a week. Six days 08:00-18:20 punched straight through are 62 h as punched,
    56 h with the lunch hour: possible. With lunch punched out and in, 10.33 h × 6 = 62 h: a finding."""
    through = week("E1", "2026-03-02", ("08:00-18:20",), days=6)
    shown = week("E2", "2026-03-02", ("08:00-12:00", "12:30-18:50"), days=6)
    found = {f.subject["worker_id"]: f for f in run("LAB-HOURS-WEEK-MAX", timesheet=through + shown)}
    assert found["E1"].possible == "no break recorded on 6 day(s): 62 h if those breaks were worked, 56 h if not"
    assert found["E2"].possible is None and found["E2"].measured == 62


def test_a_month_of_overtime_over_the_cap_only_with_the_lunch_hours_worked_is_a_possible_item():
    """CN: 36 h of overtime a month. 20 weekdays of 08:00-18:50 straight through: 2.83 h of overtime
    each as punched (56.7 h), 1.83 h with the lunch hour (36.7 h, still over: a finding); 08:00-18:40:
    53.3 h as punched, 33.3 h with lunch: possible."""
    from tests.support.rules import march_days

    over = march_days("E1", 20, pairs_ot=("08:00-18:50",))
    maybe = march_days("E2", 20, pairs_ot=("08:00-18:40",))
    found = {f.subject["worker_id"]: f for f in run("LAB-OT-MONTH-MAX", timesheet=over + maybe, standards=())}
    assert found["E1"].possible is None and "unrecorded breaks of 20 day(s) deducted" in found["E1"].message
    assert found["E2"].possible and found["E2"].possible.startswith("no break recorded on 20 day(s)")


# ---------------------------------------------------------------- a worked day is a day with work in it

def _dingtalk_month(worker, name, rest_weekdays):
    rows = []
    for d in range(1, 32):
        date = dt.date(2025, 8, d)
        text = f"{date:%y-%m-%d} 星期{'一二三四五六日'[date.weekday()]}"
        if date.weekday() in rest_weekdays:
            rows.append([name, "车间A", "缝制", worker, "车工", "0123", text, "休息",
                         "", "休息", "", "休息", "", "", "", "", ""])
        else:
            rows.append([name, "车间A", "缝制", worker, "车工", "0123", text, "白班",
                         "07:58", "正常", "12:00", "正常", "13:00", "正常", "17:30", "正常", ""])
    return rows


def test_a_dingtalk_month_with_rest_rows_gives_no_rest_day_finding():
    """每日统计: every date of the month has a row; a rest day's row says 休息 and holds no punch.
    Sundays off: no run over six. A worker with no row marked 休息 works 31 days in a row."""
    rows = _dingtalk_month("1001", "王芳", {6}) + _dingtalk_month("1002", "李娜", set())
    sheet = only_table(read("每日统计.xlsx", dingtalk_workbook(rows)))
    ds = Dataset.build([sheet], resolve("CN", [], {}, load_packs()))
    assert ds.days.filter(ds.days["worker_id"] == "1001").height == 31 - 5
    found = RULES_BY_ID["LAB-REST-DAY"].run(ds, None)
    assert worker_keys(found) == [("1002", "2025-08-01")] and found[0].measured == 31


def test_time_card_rows_with_no_time_in_them_are_no_worked_days():
    """ZKTeco time card: a day off exported as an empty row with `Total in time` 00:00, or as
    `0:00,0:00`; neither is a worked day."""
    header = ["Emp No.", "AC-No.", "No.", "Name", "Date", "Clock In 1", "Clock Out 1", "Total in time"]
    rows = [header]
    for d in range(1, 29):
        if d % 7 == 0:  # Mondays 7, 14, 21, 28 September 2026... a day off each week
            rows.append(["E-9", "9", "", "Ana", f"9/{d}/2026", "", "", "00:00"] if d < 20 else
                        ["E-9", "9", "", "Ana", f"9/{d}/2026", "0:00", "0:00", "0:00"])
        else:
            rows.append(["E-9", "9", "", "Ana", f"9/{d}/2026", "07:58", "17:00", "09:02"])
        rows.append(["E-7", "7", "", "Bo", f"9/{d}/2026", "07:58", "17:00", "09:02"])  # never a day off
    card = only_table(read("TimeCard.csv", csv_bytes(rows)))
    ds = Dataset.build([card], resolve("CN", [], {}, load_packs()))
    assert ds.days.filter(ds.days["worker_id"] == "E-9").height == 24
    found = RULES_BY_ID["LAB-REST-DAY"].run(ds, None)
    assert worker_keys(found) == [("E-7", "2026-09-01")]


def test_a_vietnam_01a_with_leave_marks_breaks_the_run():
    """Mẫu 01a with clock times in the day cells and leave marks (P phép, Ô ốm, KL) on other days:
    a day on leave is no worked day."""
    days = list(range(1, 32))
    top = ["STT", "Họ và tên", "Ngạch bậc lương hoặc cấp bậc chức vụ"] + ["Ngày trong tháng"] * 31 + ["Quy ra công"]
    sub = ["STT", "Họ và tên", "Ngạch bậc lương hoặc cấp bậc chức vụ"] + days + ["Số công hưởng lương thời gian"]
    codes = ["A", "B", "C"] + [str(d) for d in days] + ["32"]
    rows = [["BẢNG CHẤM CÔNG"] + [None] * 34, ["Tháng 03 năm 2026"] + [None] * 34, top, sub, codes]
    leave = {7: "P", 14: "Ô", 21: "KL", 28: "P"}
    rows.append([1, "Nguyễn Thị Lan", "2"] + [leave.get(d, "07:30-16:30") for d in days] + [27])
    rows.append([2, "Trần Văn Minh", "2"] + ["07:30-16:30"] * 14 + [None] * 17 + [14])
    grid = only_table(read("Mau 01a-LDTL T03-2026.xlsx", xlsx_bytes(rows)))
    roster = table([{"worker_id": "VN01", "name": "Nguyễn Thị Lan", "hire_date": "2022-06-01"},
                    {"worker_id": "VN02", "name": "Trần Văn Minh", "hire_date": "2022-06-01"}], "roster.csv")
    ds = Dataset.build([roster, grid], resolve("VN", [], {}, load_packs()))
    assert ds.days.filter(ds.days["worker_id"] == "VN01").height == 31 - 4
    found = RULES_BY_ID["LAB-REST-DAY"].run(ds, None)
    assert worker_keys(found) == [("VN02", "2026-03-01")] and found[0].measured == 14


def test_a_real_week_without_a_day_off_still_counts():
    assert len(run("LAB-REST-DAY", timesheet=week("E1", "2026-03-02", PAIRS_8H, days=7))) == 1


def test_att2000_timetable_rows_never_clocked_are_no_worked_day():
    """ZKTime / att2000 calculation export: one row per timetable. A day whose timetables were never
    clocked (Clock In / Clock Out empty, Work Time 0:00, Absent) is a day off, not a worked day."""
    header = ["Emp No.", "AC-No.", "No.", "Name", "Auto-Assign", "Date", "Timetable", "On duty", "Off duty",
              "Clock In", "Clock Out", "Normal", "Real time", "Late", "Early", "Absent", "OT Time", "Work Time",
              "Exception", "Must C/In", "Must C/Out", "Department", "NDays", "WeekEnd", "Holiday", "ATT_Time",
              "NDays_OT", "WeekEnd_OT", "Holiday_OT"]
    blank = [""] * 11

    def row(date, table, on, off, cin, cout, work, absent=""):
        return ["5", "5", "", "Hoa", "", date, table, on, off, cin, cout, "1", "1", "", "", absent, "", work, *blank]
    rows = [header]
    for d in range(1, 14):
        date = f"2026-09-{d:02d}"
        if d == 7:  # the timetables of a day off, never clocked
            rows += [row(date, "Morning", "08:00", "12:00", "", "", "0:00", "True"),
                     row(date, "Afternoon", "13:00", "17:00", "", "", "0:00", "True")]
        else:
            rows += [row(date, "Morning", "08:00", "12:00", "07:55", "12:01", "4:00"),
                     row(date, "Afternoon", "13:00", "17:00", "12:58", "17:03", "4:00"),
                     row(date, "Overtime", "18:00", "20:00", "", "", "0:00")]  # overtime not worked
    calc = only_table(read("calc.csv", csv_bytes(rows)))
    ds = Dataset.build([calc], resolve("CN", [], {}, load_packs()))
    assert ds.days.height == 12 and dt.date(2026, 9, 7) not in ds.days["date"].to_list()
    assert RULES_BY_ID["LAB-REST-DAY"].run(ds, None) == []  # 6 days, a day off, 6 days
    assert set(ds.days["hours"].round(2).to_list()) == {8.18}  # the overtime never clocked adds nothing
