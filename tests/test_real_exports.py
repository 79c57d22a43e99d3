"""Reading the exports factories really upload. Every fixture here is built by hand from
docs/reference/real-exports.md: the header texts and date shapes are the ones that page
quotes from vendor manuals, statutory forms and importers, never the reader's own vocabulary
or the sample generator's."""
import datetime as dt
import io

import openpyxl
import polars as pl
import pytest

from extractors.headers import HeaderMapper
from preaudit.core.model import DocStatus, Kind
from tests.support.exports import read, csv_bytes, xlsx_bytes, xls_bytes, only_table, pairs, hm, ZK_NEW, dingtalk_workbook


# ---------------------------------------------------------------- one row per tap


def test_zkteco_attendance_log_without_state_pairs_taps_and_drops_double_taps():
    rows = [ZK_NEW,
            ["Sewing", "Rahim", "101", "01/09/2026 7:26:40", "1", "", "FACE", ""],
            ["Sewing", "Rahim", "101", "01/09/2026 7:26:52", "1", "", "FACE", ""],   # double tap
            ["Sewing", "Rahim", "101", "01/09/2026 12:01:10", "1", "", "FP", ""],
            ["Sewing", "Rahim", "101", "01/09/2026 13:00:03", "1", "", "FP", ""],
            ["Sewing", "Rahim", "101", "01/09/2026 17:05:40", "1", "", "FP", ""],
            ["Sewing", "Karim", "102", "13/09/2026 7:50:00", "1", "", "FACE", ""],
            ["Sewing", "Karim", "102", "13/09/2026 17:00:00", "1", "", "FACE", ""],
            ["Sewing", "Karim", "102", "14/09/2026 7:55:00", "1", "", "FACE", ""]]   # no clock-out
    table = only_table(read("AttLog.csv", csv_bytes(rows)))
    df = table.df
    assert table.layout == "tap_log"
    assert pairs(df, "101", dt.date(2026, 9, 1)) == [(hm("7:26"), hm("12:01")), (hm("13:00"), hm("17:05"))]
    assert pairs(df, "102", dt.date(2026, 9, 13)) == [(hm("7:50"), hm("17:00"))]
    # the day with one tap is kept, marked partial, and gives no hours
    assert pairs(df, "102", dt.date(2026, 9, 14)) == [(hm("7:55"), None)]
    assert df.filter(df["date"] == dt.date(2026, 9, 14))["_partial"].to_list() == [True]
    # every punch cites its own cell
    first = df.filter(df["worker_id"] == "101").to_dicts()[0]
    assert (first["ref:in1"], first["ref:out1"], first["ref:in2"], first["ref:out2"]) == ("D2", "D4", "D5", "D6")
    assert first["raw:out2"] == "01/09/2026 17:05:40"
    notes = " ".join(table.notes)
    assert "1 double tap" in notes and "odd number of taps" in notes


def test_a_night_shift_in_a_log_without_state_belongs_to_the_day_it_started():
    """Paired per calendar day, 05:03 and the next 20:00 would make one 15-hour 'day'."""
    def tap(who: tuple[str, str], day: int, clock: str) -> list[str]:
        return ["Knit", who[1], who[0], f"{day:02d}/09/2026 {clock}", "1", "", "FP", ""]
    lan, minh = ("7", "Lan"), ("8", "Minh")
    rows = [ZK_NEW] + [tap(*t) for t in [
        (lan, 1, "20:01:10"), (lan, 2, "0:02:00"), (lan, 2, "0:31:40"), (lan, 2, "5:03:12"),  # a meal at midnight
        (lan, 2, "20:00:05"), (lan, 3, "5:00:40"), (lan, 3, "20:02:00"), (lan, 4, "5:01:00"),
        (minh, 1, "7:58:00"), (minh, 1, "12:01:00"), (minh, 1, "13:00:00"), (minh, 1, "17:30:00"),
        (minh, 2, "7:55:00"), (minh, 2, "17:31:00"), (minh, 3, "7:59:00"), (minh, 4, "0:20:00"),  # overtime past midnight
        (minh, 4, "7:57:00"), (minh, 4, "17:02:00")]]
    df = only_table(read("AttLog.csv", csv_bytes(rows))).df
    assert pairs(df, "7", dt.date(2026, 9, 1)) == [(hm("20:01"), hm("0:02")), (hm("0:31"), hm("5:03"))]
    assert pairs(df, "7", dt.date(2026, 9, 2)) == [(hm("20:00"), hm("5:00"))]
    assert pairs(df, "7", dt.date(2026, 9, 3)) == [(hm("20:02"), hm("5:01"))]
    assert df.filter(pl.col("worker_id") == "7")["date"].to_list() == [dt.date(2026, 9, d) for d in (1, 2, 3)]
    # a day worker's days stay calendar days, an overtime past midnight with the day it began
    assert pairs(df, "8", dt.date(2026, 9, 1)) == [(hm("7:58"), hm("12:01")), (hm("13:00"), hm("17:30"))]
    assert pairs(df, "8", dt.date(2026, 9, 2)) == [(hm("7:55"), hm("17:31"))]
    assert pairs(df, "8", dt.date(2026, 9, 3)) == [(hm("7:59"), hm("0:20"))]  # the day it started
    assert df.filter(pl.col("worker_id") == "8")["date"].to_list() == [dt.date(2026, 9, d) for d in (1, 2, 3, 4)]
    assert not any(df.filter(pl.col("worker_id") == "7")["_partial"].to_list())


def test_zkteco_log_with_status_column_pairs_by_state_across_midnight():
    rows = [["Department", "Name", "No.", "Date/Time", "Status", "Location ID"],
            ["Knit", "Lan", "7", "01/09/2026 21:02:11", "C/In", "2"],
            ["Knit", "Lan", "7", "02/09/2026 05:31:40", "C/Out", "2"],
            ["Knit", "Lan", "7", "02/09/2026 21:00:05", "C/In", "2"],
            ["Knit", "Lan", "7", "03/09/2026 06:00:00", "C/Out", "2"]]
    df = only_table(read("log.csv", csv_bytes(rows))).df
    # a night shift belongs to the day it started
    assert pairs(df, "7", dt.date(2026, 9, 1)) == [(hm("21:02"), hm("05:31"))]
    assert pairs(df, "7", dt.date(2026, 9, 2)) == [(hm("21:00"), hm("06:00"))]
    assert df.height == 2


def test_att2000_log_time_column_holds_the_timestamp():
    rows = [["AC-No.", "No.", "Name", "Time", "State", "New State", "Exception", "Operation"],
            ["33", "", "Minh", "2026/09/01 07:58", "C/In", "", "", ""],
            ["33", "", "Minh", "2026/09/01 17:02", "C/Out", "", "", ""]]
    df = only_table(read("att2000.csv", csv_bytes(rows))).df
    assert pairs(df, "33", dt.date(2026, 9, 1)) == [(hm("07:58"), hm("17:02"))]


@pytest.mark.parametrize("state_column", ["status", "punch"])
def test_pyzk_script_export_values_choose_the_state_column(state_column):
    """pyzk scripts write both `status` and `punch`; ports disagree on which holds check-in (0)
    and check-out (1). The one that alternates per worker is the state; the other is the
    verification mode."""
    rows = [["user_id", "timestamp", "status", "punch"]]
    for day in (1, 2):
        for clock, state in (("08:00:00", 0), ("17:00:00", 1)):
            verify = 1 if day == 1 else 15
            row = ["12", f"2026-09-0{day} {clock}", state, verify] if state_column == "status" \
                else ["12", f"2026-09-0{day} {clock}", verify, state]
            rows.append(row)
    df = only_table(read("att.csv", csv_bytes(rows, ";"))).df
    assert pairs(df, "12", dt.date(2026, 9, 1)) == [(480, 1020)]
    assert pairs(df, "12", dt.date(2026, 9, 2)) == [(480, 1020)]


# ---------------------------------------------------------------- one row per worker-day

def test_zkteco_time_card_five_pairs_month_first_dates():
    header = ["Emp No.", "AC-No.", "No.", "Name", "Date"]
    for i in range(1, 6):
        header += [f"Clock In {i}", f"Clock Out {i}"]
    header.append("Total in time")
    day1 = ["E-9", "9", "", "Ana", "9/12/2026", "07:58", "12:00", "13:00", "17:00", "18:00", "20:00",
            "", "", "", "", "10:02"]
    day2 = ["E-9", "9", "", "Ana", "9/13/2026", "08:00", "12:00", "", "", "", "", "", "", "", "", "04:00"]
    table = only_table(read("TimeCard.xlsx", xlsx_bytes([header, day1, day2])))
    df = table.df
    assert table.layout == "day_rows"
    assert pairs(df, "E-9", dt.date(2026, 9, 12)) == [(478, 720), (780, 1020), (1080, 1200)]
    assert pairs(df, "E-9", dt.date(2026, 9, 13)) == [(480, 720)]
    assert df["total_hours"].to_list() == [pytest.approx(10 + 2 / 60), 4.0]
    fields = {c["label"]: c["field"] for c in table.columns}
    assert fields["Emp No."] == "worker_id" and fields["AC-No."] is None and fields["Clock Out 5"] == "out5"


def test_dingtalk_daily_statistics_two_digit_year_weekday_and_next_day_clock_out():
    rows = [["王芳", "车间A", "缝制", "1001", "车工", "0123", "25-08-01 星期五", "白班",
             "07:58", "正常", "12:00", "正常", "13:00", "正常", "次日 00:30", "正常", ""],
            ["王芳", "车间A", "缝制", "1001", "车工", "0123", "25-08-02 星期六", "白班",
             "08:10", "迟到", "", "缺卡", "", "", "", "", ""]]
    table = only_table(read("每日统计.xlsx", dingtalk_workbook(rows)))
    df = table.df
    # 25-08-01 is 2025-08-01 (a Friday), never 2001-08-25
    assert df["date"].to_list() == [dt.date(2025, 8, 1), dt.date(2025, 8, 2)]
    assert pairs(df, "1001", dt.date(2025, 8, 1)) == [(478, 720), (780, 30)]
    assert pairs(df, "1001", dt.date(2025, 8, 2)) == [(490, None)]
    labels = {c["label"]: c["field"] for c in table.columns}
    assert labels["打卡时间与结果 / 上班1打卡时间"] == "in1"
    assert labels["打卡时间与结果 / 上班1打卡结果"] is None
    assert labels["工号"] == "worker_id" and labels["UserId"] is None


def test_att2000_calculation_export_rows_are_segments_of_one_day():
    header = ["Emp No.", "AC-No.", "No.", "Name", "Auto-Assign", "Date", "Timetable", "On duty", "Off duty",
              "Clock In", "Clock Out", "Normal", "Real time", "Late", "Early", "Absent", "OT Time", "Work Time",
              "Exception", "Must C/In", "Must C/Out", "Department", "NDays", "WeekEnd", "Holiday", "ATT_Time",
              "NDays_OT", "WeekEnd_OT", "Holiday_OT"]
    blank = [""] * 11

    def row(table, on, off, cin, cout):
        return ["5", "5", "", "Hoa", "", "2026-09-01", table, on, off, cin, cout, "1", "1", "", "", "",
                "", "4:00", *blank]
    rows = [header, row("Morning", "08:00", "12:00", "07:55", "12:01"),
            row("Afternoon", "13:00", "17:00", "12:58", "17:03"),
            row("Overtime", "18:00", "20:00", "18:00", "20:10")]
    table = only_table(read("calc.csv", csv_bytes(rows)))
    assert table.layout == "day_segments"
    df = table.df
    assert df.height == 3 and df["in1"].to_list() == [475, 778, 1080]  # clock-in, not the "On duty" plan
    labels = {c["label"]: c["field"] for c in table.columns}
    assert labels["On duty"] is None and labels["Must C/In"] is None and labels["Clock In"] == "in1"


# ---------------------------------------------------------------- payroll registers

def test_chinese_wage_register_gbk_title_two_level_headers_and_summed_parts():
    top = ["工号", "姓名", "部门", "出勤天数", "正常工时(H)", "基本工资", "岗位津贴", "全勤奖", "餐补",
           "加班工时", "", "", "加班费", "", "", "应发工资", "养老保险", "医疗保险", "失业保险", "住房公积金",
           "代扣个税", "扣款合计", "实发工资", "发放日期"]
    sub = ["", "", "", "", "", "", "", "", "", "1.5倍", "2倍", "3倍", "1.5倍", "2倍", "3倍",
           "", "", "", "", "", "", "", "", ""]
    line = ["A001", "张伟", "裁剪", "22", "174", "2690", "200", "100", "150", "20", "16", "0",
            "463.79", "494.71", "0", "4098.50", "215.20", "53.80", "13.45", "134.50", "0", "416.95", "3681.55",
            "2025/9/10"]
    total = ["合计", "", "", "", "", "2690", "200", "100", "150", "20", "16", "0", "463.79", "494.71", "0",
             "4098.50", "215.20", "53.80", "13.45", "134.50", "0", "416.95", "3681.55", ""]
    rows = [["2025年8月工资表"] + [""] * 23, top, sub, line, total]
    table = only_table(read("工资表.csv", csv_bytes(rows, encoding="gbk")), Kind.PAYROLL)
    df = table.df
    assert df.height == 1 and table.skip_reasons == {"total row": 1}
    r = df.to_dicts()[0]
    assert r["period"] == "2025-08" and r["regular_hours"] == 174
    assert (r["ot_hours_weekday"], r["ot_hours_restday"], r["ot_hours_holiday"]) == (20, 16, 0)
    assert r["allowances"] == 450 and r["ot_pay"] == pytest.approx(958.50)
    assert r["social_insurance"] == pytest.approx(416.95) and r["deductions"] == 0  # 扣款合计 not counted twice
    assert r["gross_pay"] == pytest.approx(4098.50) and r["net_pay"] == pytest.approx(3681.55)
    assert r["raw:allowances"] == "岗位津贴=200; 全勤奖=100; 餐补=150" and r["ref:allowances"] == "G4,H4,I4"
    assert r["pay_date"] == dt.date(2025, 9, 10)


def test_month_only_in_the_file_name_without_a_year():
    rows = [["工号", "姓名", "基本工资", "应发工资", "实发工资"], ["A1", "李四", "2690", "2690", "2500"]]
    df = only_table(read("8月工资明细.csv", csv_bytes(rows)), Kind.PAYROLL).df
    assert df["period"].to_list() == ["XXXX-08"]  # the audit period gives the year (dataset)


def test_bangladesh_wage_sheet_bilingual_headers():
    header = ["ক্রমিক নং / SL", "কার্ড নং / Card No", "নাম / Name", "পদবী / Designation", "মূল মজুরি / Basic",
              "বাড়ী ভাড়া / House Rent", "চিকিৎসা / Medical", "যাতায়ত / Conveyance", "খাদ্য ভাতা / Food",
              "হাজিরা বোনাস / Attn. Bonus", "OT Hrs", "OT Rate", "OT Amount", "Gross Salary",
              "কর্তন / Advance", "Stamp", "মোট প্রদেয় / Net Payable", "স্বাক্ষর / Signature"]
    line = ["1", "BD-0042", "Rahima Khatun", "Sewing Operator", "6700", "3350", "750", "450", "1250",
            "900", "52", "64.42", "3349.84", "16749.84", "500", "10", "16239.84", ""]
    rows = [["Wage Sheet for the month of December 2025"] + [""] * 17, header, line]
    table = only_table(read("wages.xlsx", xlsx_bytes(rows)), Kind.PAYROLL)
    r = table.df.to_dicts()[0]
    assert r["worker_id"] == "BD-0042" and r["period"] == "2025-12"
    assert r["base_pay"] == 6700 and r["allowances"] == 3350 + 750 + 450 + 1250 + 900
    assert r["ot_hours_weekday"] == 52 and r["ot_pay"] == pytest.approx(3349.84)
    assert r["deductions"] == 510 and r["net_pay"] == pytest.approx(16239.84)
    assert r["hourly_rate"] is None  # "OT Rate" is already doubled: never the hourly rate


def test_india_form_b_register_of_wages_two_totals():
    header = ["Sl. No. in Emp. Reg.", "E Code", "Name", "Rate of Wages", "No. of Days Worked",
              "Overtime hours worked", "Basic + DA", "Special Basic", "Payments Overtime", "HRA", "Total",
              "PF", "ESI", "Society", "Income Tax", "Insurance", "Others", "Recoveries", "Total",
              "Net Payment", "Employer Share PF Welfare Fund", "Receipt by Employee/Bank Transaction ID",
              "Date of Payment", "Remarks"]
    codes = [str(i) for i in range(1, 25)]
    line = ["1", "IN-101", "Suresh Kumar", "13500", "26", "8", "13500", "0", "934.62", "1000", "15434.62",
            "1620", "101.26", "0", "0", "0", "0", "0", "1721.26", "13713.36", "1620", "TXN88", "07/10/2025", ""]
    rows = [["FORM B", ""] + [""] * 22, ["Register of Wages for the month of September 2025"] + [""] * 23,
            header, codes, line]
    table = only_table(read("FormB.xlsx", xlsx_bytes(rows)), Kind.PAYROLL)
    r = table.df.to_dicts()[0]
    assert table.df.height == 1 and table.skip_reasons.get("code row") == 1
    assert r["worker_id"] == "IN-101" and r["period"] == "2025-09"
    assert r["base_pay"] == 13500 and r["gross_pay"] == pytest.approx(15434.62)
    assert r["social_insurance"] == pytest.approx(1721.26) and r["deductions"] == 0
    assert r["net_pay"] == pytest.approx(13713.36) and r["pay_date"] == dt.date(2025, 10, 7)


def test_vietnam_form_02_group_headers_code_row_and_total_row():
    top = ["Số TT", "Mã NV", "Họ và tên", "Bậc lương", "Hệ số", "Lương sản phẩm", "Lương sản phẩm",
           "Lương thời gian", "Lương thời gian", "Phụ cấp thuộc quỹ lương", "Phụ cấp khác", "Tổng số",
           "Tạm ứng kỳ I", "Các khoản phải khấu trừ", "Các khoản phải khấu trừ", "Các khoản phải khấu trừ",
           "Các khoản phải khấu trừ", "Các khoản phải khấu trừ", "Kỳ II được lĩnh", "Kỳ II được lĩnh"]
    sub = ["Số TT", "Mã NV", "Họ và tên", "Bậc lương", "Hệ số", "Số SP", "Số tiền", "Số công", "Số tiền",
           "Phụ cấp thuộc quỹ lương", "Phụ cấp khác", "Tổng số", "Tạm ứng kỳ I", "BHXH", "BHYT", "BHTN",
           "Thuế TNCN", "Cộng", "Số tiền", "Ký nhận"]
    codes = ["A", "B", "C", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
             "16", "C"]
    line = ["1", "VN-07", "Nguyễn Thị Lan", "2", "", "", "", "26", "4960000", "300000", "200000", "5460000",
            "1000000", "396800", "74400", "49600", "0", "520800", "3939200", ""]
    total = ["", "", "Tổng cộng", "", "", "", "", "26", "4960000", "300000", "200000", "5460000", "1000000",
             "396800", "74400", "49600", "0", "520800", "3939200", ""]
    rows = [["BẢNG THANH TOÁN TIỀN LƯƠNG"] + [""] * 19, ["Tháng 08 năm 2025"] + [""] * 19, top, sub, codes,
            line, total]
    merges = ["A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:G3", "H3:I3", "J3:J4", "K3:K4", "L3:L4",
              "M3:M4", "N3:R3", "S3:T3"]
    table = only_table(read("02-LDTL.xlsx", xlsx_bytes(rows, merges)), Kind.PAYROLL)
    df = table.df
    assert df.height == 1 and table.skip_reasons == {"code row": 1, "total row": 1}
    r = df.to_dicts()[0]
    assert r["worker_id"] == "VN-07" and r["name"] == "Nguyễn Thị Lan" and r["period"] == "2025-08"
    assert r["base_pay"] == 4960000 and r["allowances"] == 500000 and r["gross_pay"] == 5460000
    assert r["social_insurance"] == 520800 and r["deductions"] == 1000000  # the mid-month advance
    assert r["net_pay"] == 3939200


# ---------------------------------------------------------------- one column per day


def test_hikvision_attendance_record_one_dated_column_per_day():
    days = [f"2017/01/{d:02d}" for d in range(1, 11)]
    rows = [["Attendance Record"], ["Create Time: 2017-02-01 09:30:00"], ["SW: Start-Work EW: End-Work"],
            ["Employee ID", "Card No.", "Name", "Department", *days],
            ["1", "0012345678", "Tom", "Assembly", "07:56-17:33", "07:50\n17:02", "", "07:58-12:00 13:00-17:30",
             "", "", "", "", "", ""]]
    table = only_table(read("DS-K1T804MF-20170201.xls", xls_bytes(rows)))
    df = table.df
    assert table.layout == "day_grid"
    assert pairs(df, "1", dt.date(2017, 1, 1)) == [(hm("07:56"), hm("17:33"))]
    assert pairs(df, "1", dt.date(2017, 1, 2)) == [(hm("07:50"), hm("17:02"))]
    assert pairs(df, "1", dt.date(2017, 1, 4)) == [(hm("07:58"), hm("12:00")), (hm("13:00"), hm("17:30"))]
    assert df.height == 3  # empty days are no records
    assert df.filter(df["date"] == dt.date(2017, 1, 1))["ref:in1"].to_list() == ["E5"]


def test_chinese_attendance_sheet_with_clock_in_and_clock_out_rows():
    header = ["工号", "姓名", "类别"] + [str(d) for d in range(1, 32)]
    week = ["", "", "星期"] + ["日一二三四五六"[(d + 6) % 7] for d in range(1, 32)]  # 2026-03-01 is a Sunday
    clock_in = ["A01", "王芳", "上班"] + [""] + ["07:58"] * 5 + [""] * 25
    clock_out = ["", "", "下班"] + [""] + ["17:31"] * 4 + ["次日 00:30"] + [""] * 25
    rows = [["2026年3月考勤表"] + [""] * 33, header, week, clock_in, clock_out]
    table = only_table(read("考勤表.csv", csv_bytes(rows)))
    df = table.df
    assert df["date"].to_list() == [dt.date(2026, 3, d) for d in range(2, 7)]
    assert pairs(df, "A01", dt.date(2026, 3, 2)) == [(hm("07:58"), hm("17:31"))]
    assert pairs(df, "A01", dt.date(2026, 3, 6)) == [(hm("07:58"), 30)]  # ends after midnight
    first = df.to_dicts()[0]
    assert (first["ref:in1"], first["ref:out1"]) == ("E4", "E5")


def test_india_form_d_in_and_out_rows_under_merged_identity_cells():
    header = ["Sl. No.", "E Code", "Name of Employee", "Relay / Shift", "In / Out"] + list(range(1, 32)) + ["Total"]
    rows = [["FORM D", *[None] * 36], ["Attendance Register for the month of September 2025", *[None] * 36],
            header,
            [1, "IN-101", "Suresh Kumar", "General", "In"] + ["09:00"] * 6 + ["A"] + ["09:05"] * 23 + [None, 29],
            [None, None, None, None, "Out"] + ["18:00"] * 6 + ["A"] + ["18:10"] * 23 + [None, None]]
    table = only_table(read("FormD.xlsx", xlsx_bytes(rows, ["A4:A5", "B4:B5", "C4:C5", "D4:D5"])))
    df = table.df
    assert df.height == 29  # day 7 is absent, day 31 of September does not exist
    assert pairs(df, "IN-101", dt.date(2025, 9, 1)) == [(540, 1080)]
    assert pairs(df, "IN-101", dt.date(2025, 9, 30)) == [(545, 1090)]


def test_a_grid_of_marks_gives_presence_not_hours_and_says_so():
    header = ["工号", "姓名"] + [str(d) for d in range(1, 32)]
    marks = ["A01", "王芳"] + (["√"] * 6 + ["休"]) * 4 + ["√"] * 3
    rows = [["2026年3月考勤表"] + [""] * 32, header, marks]
    result = read("考勤表.csv", csv_bytes(rows))
    table = only_table(result)
    assert table.presence_only and table.df["total_hours"].null_count() == table.df.height
    assert table.df.filter(table.df["_presence"]).height == 27
    assert any("presence marks only" in n for n in table.notes)
    assert result.report.parts[0].presence_only is True


def test_a_day_grid_with_no_month_anywhere_says_what_is_missing():
    header = ["工号", "姓名"] + [str(d) for d in range(1, 32)]
    rows = [header, ["A01", "王芳"] + ["08:00-17:00"] * 31]
    result = read("attendance.csv", csv_bytes(rows))
    assert result.report.status is DocStatus.UNCLASSIFIED
    assert "no month in the title, the sheet name or the file name" in result.report.reason


# ---------------------------------------------------------------- forms, not tables

def checklist(container, seal, failed=None):
    points = ["Front wall", "Left side", "Right side", "Floor", "Ceiling/Roof", "Inside/outside doors",
              "Outside/Undercarriage"]
    rows = [["7-Point Container Inspection Checklist", None, None, None],
            ["Container No.", container, "Seal No.", seal],
            ["Date", "2026-03-05", None, None],
            ["Inspection point", "OK", "Not OK", "Remarks"]]
    for k, point in enumerate(points, 1):
        rows.append([f"{k}. {point}", None if point == failed else "√", "√" if point == failed else None, None])
    rows.append(["Inspected by", "Li Wei", None, None])
    return rows


def checklist_book() -> bytes:
    """Two containers, one sheet each; the second container's floor failed."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for container, seal, failed in (("MSKU1234565", "CN778899", None), ("TGHU7654321", "CN778900", "Floor")):
        sheet = book.create_sheet(container)
        for row in checklist(container, seal, failed):
            sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_a_checklist_per_container_is_one_inspection_record_each():
    result = read("7-point inspections March.xlsx", checklist_book())
    tables = [t for t in result.tables if t.kind is Kind.CONTAINER_INSPECTION]
    assert len(tables) == 2 and all(t.layout == "form" for t in tables)
    first, second = (t.df.to_dicts()[0] for t in tables)
    assert (first["container_no"], first["seal_no"], first["date"], first["inspector"]) == \
        ("MSKU1234565", "CN778899", dt.date(2026, 3, 5), "Li Wei")
    assert all(first[p] == "pass" for p in ("front_wall", "floor", "undercarriage"))
    assert second["floor"] == "fail" and second["ref:floor"] == "C8" and second["left_side"] == "pass"


def test_checklists_as_text_lines_one_under_another():
    lines = ["7-POINT CONTAINER INSPECTION", "Container No.: MSKU1234565", "Seal No.: CN778899", "Date: 2026-03-05",
             "1. Front wall ☑ OK", "2. Left side ☑ OK", "3. Right side ☑ OK", "4. Floor ☑ OK",
             "5. Ceiling/Roof ☑ OK", "6. Inside/outside doors ☑ OK", "7. Outside/Undercarriage ☒ NG",
             "Inspector: Li Wei", "Container No.: TGHU7654321", "Seal No.: CN778900", "Date: 2026-03-06",
             "1. Front wall ☑ OK", "2. Left side ☑ OK", "3. Right side ☑ OK", "4. Floor ☑ OK",
             "5. Ceiling/Roof ☑ OK", "6. Inside/outside doors ☑ OK", "7. Outside/Undercarriage ☑ OK",
             "Inspector: Zhang Min"]
    table = only_table(read("inspections.csv", "\n".join(lines).encode()), Kind.CONTAINER_INSPECTION)
    df = table.df
    assert df["container_no"].to_list() == ["MSKU1234565", "TGHU7654321"]
    assert df["undercarriage"].to_list() == ["fail", "pass"] and df["inspector"].to_list() == ["Li Wei", "Zhang Min"]
    assert df["date"].to_list() == [dt.date(2026, 3, 5), dt.date(2026, 3, 6)]


def test_forms_feed_the_security_rules(tmp_path):
    from preaudit.app.pipeline import audit
    from preaudit.core.storage import LocalStorage

    (tmp_path / "factory.yaml").write_text(
        "factory_id: F1\njurisdiction: CN-SH\naudit_date: 2026-04-15\nperiod: {start: 2026-03-01, end: 2026-03-31}\n"
        "standards: [ctpat]\n", encoding="utf-8")
    (tmp_path / "seal-log.csv").write_text(
        "Date of sealing,Container/Trailer No.,Seal No.,Seal Type,Person applying the seal,VVTT done,Verified by\n"
        "2026-03-05,MSKU1234565,CN778899,bolt,Wang,Yes,Zhao\n2026-03-06,TGHU7654321,CN778900,bolt,Wang,Yes,Zhao\n",
        encoding="utf-8")
    (tmp_path / "7-point checklists.xlsx").write_bytes(checklist_book())
    findings = audit(LocalStorage(tmp_path)).findings
    security = sorted((f.rule_id, f.subject["container_no"]) for f in findings if f.category == "security")
    assert security == [("SEC-INSPECTION-INCOMPLETE", "TGHU7654321")], [f.message for f in findings]


# ---------------------------------------------------------------- licences

@pytest.mark.parametrize("text,valid_from,valid_until", [
    ("营业执照\n名称：上海示例服装有限公司\n统一社会信用代码：914403001922038216\n营业期限：2024-03-01 至 2027-02-28",
     dt.date(2024, 3, 1), dt.date(2027, 2, 28)),
    ("FIRE SAFETY CERTIFICATE\nCertificate No.: FS-2024-0098\nValidity: from 01/03/2024 to 28/02/2027\n"
     "Issued by: Fire Department", dt.date(2024, 3, 1), dt.date(2027, 2, 28)),
    ("排污许可证\n证书编号：91310000MA1FL0001X001P\n有效期限：自2024年03月01日至2029年02月28日止",
     dt.date(2024, 3, 1), dt.date(2029, 2, 28)),
    ("营业执照\n名称：上海示例服装有限公司\n统一社会信用代码：914403001922038216\n营业期限：2015年03月01日至长期",
     dt.date(2015, 3, 1), None),
])
def test_a_licence_validity_given_as_one_range(text, valid_from, valid_until):
    from extractors.grid import build_table
    from extractors.license import read_license

    table = build_table(read_license(text, page=1, unit="pt"), HeaderMapper(), document="lic.pdf", sha256="0" * 64)
    row = table.df.to_dicts()[0]
    assert (row["valid_from"], row["valid_until"]) == (valid_from, valid_until)
    assert not row["number"].startswith(".")


def vn_01a(names):
    days = list(range(1, 32))
    top = ["STT", "Họ và tên", "Ngạch bậc lương hoặc cấp bậc chức vụ"] + ["Ngày trong tháng"] * 31 + ["Quy ra công"]
    sub = ["STT", "Họ và tên", "Ngạch bậc lương hoặc cấp bậc chức vụ"] + days + ["Số công hưởng lương thời gian"]
    codes = ["A", "B", "C"] + [str(d) for d in days] + ["32"]
    rows = [["BẢNG CHẤM CÔNG"] + [None] * 34, ["Tháng 03 năm 2026"] + [None] * 34, top, sub, codes]
    for n, name in enumerate(names, 1):
        marks = []
        for d in days:
            weekday = dt.date(2026, 3, d).weekday()
            marks.append(None if weekday == 6 else "P" if d == 10 else "Ô" if d == 11 else "+")
        rows.append([n, name, "2"] + marks + [sum(m == "+" for m in marks)])
    return rows


def test_vietnam_01a_names_only_marks_presence_and_p_is_leave():
    result = read("Mau 01a-LDTL T03-2026.xlsx", xlsx_bytes(vn_01a(["Nguyễn Thị Lan", "Trần Văn Minh"])))
    table = only_table(result)
    df = table.df
    assert table.layout == "day_grid" and table.presence_only and table.skip_reasons.get("code row") == 1
    lan = df.filter(df["name"] == "Nguyễn Thị Lan")
    assert lan["worker_id"].null_count() == lan.height and lan["_name_only"].all()
    assert dt.date(2026, 3, 10) not in lan["date"].to_list()  # P: paid leave (phép), not present
    assert dt.date(2026, 3, 11) not in lan["date"].to_list()  # Ô: sick
    assert lan.height == 31 - 5 - 2                          # 5 Sundays in March 2026


def test_name_only_workers_take_their_id_from_the_roster_or_say_they_could_not():
    from validators.dataset.dataset import Dataset
    from preaudit.core.packs import load_packs, resolve
    from tests.support.builders import table

    grid = read("01a T03-2026.xlsx", xlsx_bytes(vn_01a(["Nguyễn Thị Lan", "Lê Văn Ba"]))).tables[0]
    roster = table([{"worker_id": "VN01", "name": "Nguyễn  Thị Lan", "hire_date": "2022-06-01"}], "roster.csv")
    ds = Dataset.build([roster, grid], resolve("VN", [], {}, load_packs()))
    ts = ds.tables[Kind.TIMESHEET]
    assert set(ts.filter(ts["name"] == "Nguyễn Thị Lan")["worker_id"].to_list()) == {"VN01"}
    assert ts.filter(ts["name"] == "Lê Văn Ba")["worker_id"].null_count() == 24
    reasons = " ".join(g.reason for g in ds.gaps)
    assert "no single roster name matches (Lê Văn Ba)" in reasons


def test_a_log_without_state_whose_export_starts_with_each_workers_evening_out_tap():
    """Exported from 1 March 17:00 to 20 March noon: every worker's first tap is the evening out of a
    shift whose in-tap is not in the export, the last one a morning in. Paired from the first tap, or
    per day from about noon, every day would be 17:02 to the next 07:58, 15 hours: the pairing whose
    days fit the workers' shifts starts at the second tap."""
    def tap(who: str, day: int, clock: str) -> list[str]:
        return ["Sewing", f"W{who}", who, f"{day:02d}/03/2026 {clock}", "1", "", "FP", ""]
    rows = [ZK_NEW]
    for who in ("101", "102", "103"):
        rows.append(tap(who, 1, "17:02:00"))
        for d in range(2, 21):
            rows.append(tap(who, d, "7:58:00"))
            if d < 20:
                rows.append(tap(who, d, "17:01:00"))
    table = only_table(read("AttLog.csv", csv_bytes(rows)))
    df = table.df
    for who in ("101", "102", "103"):
        assert pairs(df, who, dt.date(2026, 3, 2)) == [(hm("7:58"), hm("17:01"))]
        assert pairs(df, who, dt.date(2026, 3, 19)) == [(hm("7:58"), hm("17:01"))]
        assert pairs(df, who, dt.date(2026, 3, 1)) == [(None, hm("17:02"))]    # an out whose in came before
        assert pairs(df, who, dt.date(2026, 3, 20)) == [(hm("7:58"), None)]    # an in whose out came after
    spans = df.select(((pl.col("out1") - pl.col("in1") + 1440) % 1440).alias("m"))["m"].drop_nulls()
    assert spans.max() <= 9 * 60 + 3
    assert df.filter(pl.col("date").is_in([dt.date(2026, 3, 1), dt.date(2026, 3, 20)]))["_partial"].all()
    assert any("export began mid-shift for 3 worker(s)" in n for n in table.notes), table.notes


def test_a_log_without_state_no_pairing_of_which_gives_plausible_days_is_read_in_part():
    """Taps 17 hours apart around the clock (a clock whose taps are not one worker's shifts): every
    day they make spans 17 hours, under every pairing. Read in part (a problem each), not as days."""
    start = dt.datetime(2026, 3, 2, 0, 0)
    stamps = [start + dt.timedelta(hours=17 * k) for k in range(24)]
    rows = [ZK_NEW] + [["Sewing", "X", "201", t.strftime("%d/%m/%Y %H:%M:%S"), "1", "", "FP", ""] for t in stamps]
    table = only_table(read("AttLog.csv", csv_bytes(rows)))
    df = table.df
    spans = df.select(((pl.col("out1") - pl.col("in1") + 1440) % 1440).alias("m"))["m"].drop_nulls()
    assert spans.len() == 0 or spans.max() <= 16 * 60
    assert any("span over 16 h" in p.reason and p.field == "punches" and p.row for p in table.problems)
    assert any("read in part" in n for n in table.notes), table.notes
