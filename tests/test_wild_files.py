"""The sixteen exports people committed to public repositories (../shared/realdocs/wild, see the
MANIFEST's wild/ section): each is read as what it is — its kind, its records, its pay parts — or
refused with the reason the file itself gives. The numbers asserted are the files' own (counted
from the files, or stated in the MANIFEST), never the reader's output copied back."""
import datetime as dt
import hashlib
from pathlib import Path

import polars as pl
import pytest

from extractors import read_document, sniff_format
from extractors.headers import HeaderMapper
from preaudit.core.model import DocStatus, Document, Kind

WILD = Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "wild"


def read(name: str):
    if not WILD.exists():
        pytest.skip("../shared/realdocs not present")
    data = (WILD / name).read_bytes()
    doc = Document(name, hashlib.sha256(data).hexdigest(), len(data), sniff_format(name, data[:16]))
    return read_document(doc, data, HeaderMapper())


def one(result, kind: Kind, sheet: str | None = None):
    tables = [t for t in result.tables if t.kind is kind and (sheet is None or t.df["_sheet"][0] == sheet)]
    assert len(tables) == 1, [(t.kind, t.df.height) for t in result.tables]
    return tables[0]


def mapped(table) -> dict[str, list[str]]:
    """field → the headers read into it, as the report shows them."""
    out: dict[str, list[str]] = {}
    for c in table.columns:
        if c.get("field"):
            out.setdefault(c["field"], []).append(c["label"].strip())
    return out


def reasons(table) -> str:
    return " | ".join(p.reason for p in table.problems)


def pairs(df: pl.DataFrame, worker: str, day: dt.date) -> list[tuple[int, int]]:
    rows = df.filter((pl.col("worker_id") == worker) & (pl.col("date") == day)).to_dicts()
    assert len(rows) == 1, rows
    return [(rows[0][f"in{k}"], rows[0][f"out{k}"]) for k in range(1, 6)
            if rows[0][f"in{k}"] is not None or rows[0][f"out{k}"] is not None]


def hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


# ---------------------------------------------------------------- device dumps

def zkteco_attlog():
    result = read("yqs112358-caoka/1_attlog.dat")
    t = one(result, Kind.TIMESHEET)
    df = t.df
    assert t.layout == "tap_log"
    assert any("no header row" in n and "ZKTeco" in n for n in t.notes), t.notes
    # 125 numeric card numbers, 10,586 good taps 2020-09-30 .. 2021-10: every day inside that span
    assert 100 <= df["worker_id"].n_unique() <= 125
    # (a tap's working day may start the evening before: the pairing's own day start)
    assert df["date"].min() >= dt.date(2020, 9, 29) and df["date"].max() < dt.date(2021, 11, 1)
    assert df["worker_id"].str.contains(r"^\d+$").all()
    # the state column says 0 (check-in) on nearly every tap: it tells nothing, taps pair in time order
    assert any("in time order" in n for n in t.notes), t.notes
    taps = next(int(n.split()[0]) for n in t.notes if "taps (without an in/out state)" in n)
    assert abs(taps - 10586) <= 10
    # a punch-in program: students tap once a day, so most days are one tap, said so
    assert df["in1"].null_count() == 0 and df.height > 10000
    why = reasons(t)
    assert "2047-02-30" in why                     # the ZZZZZZZZZZ rows: no such day
    # binary junk where the id was: no worker, a problem
    assert any(p.field == "worker_id" and p.raw and any(ord(c) < 32 for c in p.raw) for p in t.problems)
    assert "0.DAT" in why                          # a tap whose id is no card number
    assert "away from the rest" in why             # taps dated 2000, 2131, …: a clock reset, corrupt
    assert not df.filter(pl.col("worker_id").str.contains("Z")).height


def glog_nikitfornoles():
    t = one(read("nikitfornoles-4/GLG_001.TXT"), Kind.TIMESHEET)
    df = t.df
    assert t.layout == "tap_log" and mapped(t)["worker_id"] == ["EnNo"]  # not No, the running line number
    assert df["worker_id"].n_unique() == 34 and df.height == 427          # the MANIFEST's workers and days
    assert df["date"].min() == dt.date(2017, 11, 22)
    assert any("in time order" in n for n in t.notes), t.notes              # INOUT is 0 on every tap
    assert any(n.startswith("1726 taps") for n in t.notes)                  # every tap of the dump read
    assert df["out1"].is_not_null().sum() > df.height / 2                   # most days pair up
    assert pairs(df, "8080", dt.date(2017, 12, 29))[0][0] == hm("11:54")


def glog_vipashaa():
    t = one(read("vipashaaV321-EMMS-v1/GLG_001.TXT"), Kind.TIMESHEET)
    df = t.df
    assert any("empty header cells" in n for n in t.notes), t.notes
    assert mapped(t)["worker_id"] == ["EnNo"] and mapped(t)["timestamp"] == ["DateTime"]
    # 12 taps on 02/25/2020 by five enrolment numbers; the one 07/03/2015 tap is far from the rest
    assert sorted(df["worker_id"].unique()) == ["36", "37", "38", "39"]
    assert df["date"].unique().to_list() == [dt.date(2020, 2, 25)]
    assert "2015-07-03" in reasons(t) and "away from the rest" in reasons(t)
    assert pairs(df, "36", dt.date(2020, 2, 25))[0][0] == hm("14:31")


# ---------------------------------------------------------------- attendance CSVs

def motorph():
    t = one(read("JoshuaSarmientoCode-OOP_MotorPHPayroll/MotorPH_Attendance_Record.csv"), Kind.TIMESHEET)
    df = t.df
    assert mapped(t)["in1"] == ["Log In"] and mapped(t)["out1"] == ["Log Out"]
    assert df["worker_id"].n_unique() == 34
    # 5,169 worker-days 06/03/2024–12/31/2024; the stray 03/12/2026 20:45–20:45 row is no day
    assert df.height == 5168
    assert df["date"].min() == dt.date(2024, 6, 3) and df["date"].max() == dt.date(2024, 12, 31)
    assert pairs(df, "10001", dt.date(2024, 6, 3)) == [(hm("8:59"), hm("18:31"))]
    assert "2026-03-12" in reasons(t)


def dhruv():
    t = one(read("DhruvSahdev218-hr-attendance-automation-prototype/sample_attendance.csv"), Kind.TIMESHEET)
    assert t.layout == "tap_log" and t.df.height == 2
    assert mapped(t)["punch_state"] == ["Punch Status"]
    assert pairs(t.df, "EMP-001", dt.date(2025, 7, 1)) == [(hm("11:15"), hm("18:00"))]
    assert pairs(t.df, "EMP-002", dt.date(2025, 7, 1)) == [(hm("9:45"), hm("17:30"))]


def itsmepskiran():
    t = one(read("itsmepskiran-payroll/sample_attendance.csv"), Kind.TIMESHEET)
    df = t.df
    # 9 rows: one exact duplicate (said, read once), one 0:00–0:00 (no time, not a 0-hour day)
    assert t.layout == "day_rows" and df.height == 8
    assert t.skip_reasons.get("duplicate row") == 1
    assert pairs(df, "EMP0001", dt.date(2026, 1, 1)) == [(hm("9:00"), hm("18:00"))]
    assert pairs(df, "EMP0003", dt.date(2025, 12, 31)) == []
    assert "0:00" in reasons(t)
    assert df["date"].min() == dt.date(2025, 12, 30)  # M/D/YYYY


def nachiket():
    t = one(read("nachiket1386-AMS/sample_attendance.csv"), Kind.TIMESHEET)
    df = t.df
    assert df.height == 20 and df["worker_id"].n_unique() == 10
    m = mapped(t)
    assert m["in1"] == ["IN"] and m["out1"] == ["OUT"] and m["in2"] == ["IN (2)"] and m["out3"] == ["OUT (3)"]
    # STATUS holds the day's mark (P, A, L, HD, WO), not a tap's in/out: not read as one
    assert "punch_state" not in m and "STATUS" in t.unmapped
    assert not any(p.field == "punch_state" for p in t.problems)
    assert pairs(df, "EMP003", dt.date(2024, 1, 15)) == [(hm("22:00"), hm("6:00"))]   # the night shift
    assert pairs(df, "EMP004", dt.date(2024, 1, 15)) == []                            # A: no times
    assert pairs(df, "EMP009", dt.date(2024, 1, 15)) == [(hm("9:00"), hm("13:00"))]   # HD


def presence_grid_without_month():
    result = read("WilliamJames81431-Symbiosis-Payrole/sample_attendance.csv")
    assert result.report.status is DocStatus.UNCLASSIFIED and not result.tables
    assert "30 day columns" in result.report.reason and "no month" in result.report.reason


# ---------------------------------------------------------------- salary sheets and rosters

def sadab():
    result = read("Sadab440-EDGE-Project/Salary Sheet.xlsx")
    roster = one(result, Kind.ROSTER, "Empoyees")
    assert roster.df["worker_id"].to_list() == [str(n) for n in range(20011, 20021)]
    assert mapped(roster)["hire_date"] == ["Joining Date"]
    pay = one(result, Kind.PAYROLL, "Salary Sheet")
    assert pay.df["worker_id"].to_list() == [str(n) for n in range(200017, 200027)]
    m = mapped(pay)
    assert m["base_pay"] == ["Basic"] and m["gross_pay"] == ["Gross Salary"] and m["net_pay"] == ["Net Pay"]
    assert m["allowances"] == ["House Rent", "Medical Allowance", "Transport Allowance"]
    assert m["social_insurance"] == ["Provident Fund"] and m["deductions"] == ["Advanced Tax"]
    first = pay.df.row(0, named=True)
    assert first["base_pay"] == 45000 and first["allowances"] == 45000 * (0.30 + 0.06 + 0.03)
    assert "no pay period" in reasons(pay)
    assert "Informtion" in result.report.reason  # the rates sheet: no workers in it


def irfan():
    t = one(read("Irfan-IIUC-Excel-Project/Salary Sheet.xlsx"), Kind.PAYROLL)
    df = t.df
    assert t.header_rows == [8] and df.height == 10            # the rates row above the header is no header
    m = mapped(t)
    assert m["name"] == ["Name"] and "worker_id" not in m
    assert m["allowances"] == ["House Rent", "Medical Cost", "Transport"]
    assert m["ot_hours_weekday"] == ["Over Time Hour"] and m["ot_pay"] == ["Over Time Payment"]
    assert m["deductions"] == ["Absent Deduct", "Tax", "Advance"] and m["social_insurance"] == ["Provident Fund"]
    assert m["net_pay"] == ["Net Salary"]
    assert df["name"][0] == "Tamim Iqbal" and df["base_pay"][0] == 45000
    assert "no pay period" in reasons(t)


def keshav():
    t = one(read("Keshav9971-Salary-Sheet/Salary Sheet.xlsx"), Kind.PAYROLL)
    df = t.df
    # 20 workers EMP020–EMP039; the statistics, the lookup blocks and the transposed copy below are none
    assert df["worker_id"].to_list() == [f"EMP0{n}" for n in range(20, 40)]
    m = mapped(t)
    assert m["allowances"] == ["HRA", "TA", "Other allowances"] and m["social_insurance"] == ["PF", "ESI"]
    assert m["gross_pay"] == ["Gross salary"] and m["net_pay"] == ["In-hand salary"]
    assert m["ot_pay"] == ["Overtime amount"]
    assert df["net_pay"][0] == pytest.approx(41658.32)
    assert "no pay period" in reasons(t) and "cannot read" not in reasons(t)


def deepak():
    t = one(read("Deepak2868-Salary-sheet/Salary Sheet.xlsx"), Kind.PAYROLL)
    df = t.df
    assert df.height == 100                    # not the name list or the lookup block below
    # "Employee ID" holds first names: read as names, said, never as ids
    assert df["worker_id"].null_count() == 100 and df["name"][0] == "Aarav"
    assert any("Employee ID" in n and "names" in n for n in t.notes), t.notes
    m = mapped(t)
    assert m["allowances"] == ["H.R.A", "T.A", "Other allowances"] and m["net_pay"] == ["IN-hand Salary"]
    assert "no pay period" in reasons(t) and "cannot read" not in reasons(t)


def triment():
    t = one(read("Triment-exeo-dev/工资生成.xlsx"), Kind.PAYROLL)
    df = t.df
    assert df.height == 48 and df["worker_id"].n_unique() == 48
    m = mapped(t)
    assert m["name"] == ["员工姓名"] and m["worker_id"] == ["工号"] and m["base_pay"] == ["基本工资"]
    assert m["ot_pay"] == ["加班工资"] and m["gross_pay"] == ["税前工资"] and m["net_pay"] == ["实发"]
    assert m["deductions"] == ["个税", "其他扣除"] and m["pay_date"] == ["发放日期"]
    # 社保 is no subtotal of 公积金 (its values are not their sum): both are social insurance
    assert m["social_insurance"] == ["社保", "公积金"] and m["allowances"] == ["绩效工资", "津贴", "补贴"]
    first = df.row(0, named=True)
    assert first["social_insurance"] == pytest.approx(2971.92 + 4058.16)
    assert first["allowances"] == 4312 + 1215 + 857
    # the file's own identity: 税后 = 税前 − 个税 − 社保 − 公积金 (其他扣除 is 0 here), and 实发 = 税后
    assert first["gross_pay"] - first["deductions"] - first["social_insurance"] == pytest.approx(first["net_pay"])
    # no month is stated: the month is the pay date's month before, and the report says so
    assert df["period"].unique().to_list() == ["2024-02"]
    assert any("from the pay date" in n for n in t.notes)


def luongky1():
    result = read("vtlongbeo-TinhLuong_VNPT/up file LUONGKY1.xls")
    assert result.report.status is DocStatus.UNCLASSIFIED and not result.tables
    assert "no header row names any known field" in result.report.reason
    # the file's own reason: software field codes (Vietnamese without diacritics, run together)
    assert "codes, not words" in result.report.reason and "NhanSuID" in result.report.reason
    assert "column_map" in result.report.reason


def cham_cong_template():
    result = read("vtlongbeo-TinhLuong_VNPT/Mau_Cham_cong_20180502112316744740.xls")
    assert result.report.status is DocStatus.UNCLASSIFIED and not result.tables
    why = {p.sheet: p.reason for p in result.report.sheets}
    assert "31 day columns" in why["BCC"] and "no month" in why["BCC"]
    assert "no month" in why["BCC TRỰC ĐÊM"]


def nhansu():
    t = one(read("chicuong3042001-Java_Project_QLNS_final/NhanSu.xlsx"), Kind.ROSTER)
    df = t.df
    assert df.height == 53 and df["worker_id"][:3].to_list() == ["001", "002", "003"]
    m = mapped(t)
    assert m["name"] == ["Tên nhân viên"] and m["birth_date"] == ["Ngày sinh"] and m["national_id"] == ["Số CMND"]
    assert df.filter(pl.col("name") == "Hung").height == 48
    assert df["birth_date"][0] == dt.date(2003, 4, 13) and df["gender"][:2].to_list() == ["M", "F"]
    # the junk rows typed numbers into the name column: no name, said
    assert {p.raw for p in t.problems if p.field == "name"} == {"1233", "312312312312312", "3123", "12312321"}


FILES = {
    "yqs112358-caoka/1_attlog.dat": zkteco_attlog,
    "nikitfornoles-4/GLG_001.TXT": glog_nikitfornoles,
    "vipashaaV321-EMMS-v1/GLG_001.TXT": glog_vipashaa,
    "JoshuaSarmientoCode-OOP_MotorPHPayroll/MotorPH_Attendance_Record.csv": motorph,
    "DhruvSahdev218-hr-attendance-automation-prototype/sample_attendance.csv": dhruv,
    "itsmepskiran-payroll/sample_attendance.csv": itsmepskiran,
    "nachiket1386-AMS/sample_attendance.csv": nachiket,
    "WilliamJames81431-Symbiosis-Payrole/sample_attendance.csv": presence_grid_without_month,
    "Sadab440-EDGE-Project/Salary Sheet.xlsx": sadab,
    "Irfan-IIUC-Excel-Project/Salary Sheet.xlsx": irfan,
    "Keshav9971-Salary-Sheet/Salary Sheet.xlsx": keshav,
    "Deepak2868-Salary-sheet/Salary Sheet.xlsx": deepak,
    "Triment-exeo-dev/工资生成.xlsx": triment,
    "vtlongbeo-TinhLuong_VNPT/up file LUONGKY1.xls": luongky1,
    "vtlongbeo-TinhLuong_VNPT/Mau_Cham_cong_20180502112316744740.xls": cham_cong_template,
    "chicuong3042001-Java_Project_QLNS_final/NhanSu.xlsx": nhansu,
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_wild_file_is_read_as_what_it_is(name):
    FILES[name]()


def test_every_wild_file_has_its_test():
    if not WILD.exists():
        pytest.skip("../shared/realdocs not present")
    on_disk = {str(f.relative_to(WILD)) for f in WILD.rglob("*") if f.is_file()}
    assert on_disk == set(FILES)


def test_a_multi_year_export_is_one_run_of_dates_and_kept_whole():
    """The stray-date rule drops a small run of dates far from the rest (1_attlog.dat's 2000 and
    2131, MotorPH's one 2026 row), never the ends of an export that runs over years."""
    rows = ["Employee #,Date,Log In,Log Out"]
    day = dt.date(2022, 1, 3)
    while day < dt.date(2025, 1, 1):
        rows.append(f"E1,{day.isoformat()},8:00,17:00")
        day += dt.timedelta(days=7)
    rows.append("E1,2031-05-05,8:00,17:00")  # one row years after the rest: a stray
    data = "\n".join(rows).encode()
    doc = Document("att.csv", "f" * 64, len(data), "csv")
    t = one(read_document(doc, data, HeaderMapper()), Kind.TIMESHEET)
    assert t.df.height == len(rows) - 2
    assert t.df["date"].min() == dt.date(2022, 1, 3) and t.df["date"].max() < dt.date(2025, 1, 1)
    assert "2031-05-05" in reasons(t)
