"""The law of the factory's country (issue 11): one hand-built factory per jurisdiction, its
records in that country's real register layout (reference/real-exports.md), that pays and
schedules exactly what the law asks, and a twin with known violations.

What each twin cannot show is said where it is left out: Bangladesh has no sourced limit on
consecutive days, India and the US no sourced minimum wage in the packs, India and Vietnam no
sourced hourly-rate basis (their overtime premium is then DQ-COVERAGE, tested below)."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from preaudit.app.pipeline import audit
from preaudit.core.storage import LocalStorage

MONTH = (2026, 3)
LAW_CATEGORIES = {"working_time", "wages", "age", "identity", "integrity", "cross_document"}


def cn_id(body: str) -> str:
    weights = [pow(2, 17 - i, 11) for i in range(17)]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def aadhaar(body11: str) -> str:
    from stdnum import verhoeff

    return body11 + verhoeff.calc_check_digit(body11)


@dataclass
class Worker:
    worker_id: str
    name: str
    national_id: str
    born: dt.date
    gender: str
    extra_days: list[dt.date] = field(default_factory=list)   # rest days worked (overtime)


@dataclass
class Country:
    code: str
    jurisdiction: str
    rest_weekdays: set[int]
    workers: list[Worker]
    overrides: str = ""


def month_days(rest: set[int]) -> list[dt.date]:
    first = dt.date(*MONTH, 1)
    return [first + dt.timedelta(days=k) for k in range(31) if (first + dt.timedelta(days=k)).weekday() not in rest]


def tap_log(country: Country) -> str:
    """ZKTeco attendance log: 08:0x-12:0x and 13:0x-17:0x, minutes varying by worker and day."""
    lines = ["Department,Name,No.,Date/Time,Location ID,ID Number,VerifyCode,CardNo"]
    for k, w in enumerate(country.workers):
        for day in sorted(set(month_days(country.rest_weekdays)) | set(w.extra_days)):
            j = (day.day * 7 + k * 3) % 5
            for clock in (f"8:0{j}:10", f"12:0{j}:31", f"13:0{j}:02", f"17:0{j}:45"):
                lines.append(f"Line 1,{w.name},{w.worker_id},{day:%d/%m/%Y} {clock},1,,FP,")
    return "\n".join(lines)


# ---------------------------------------------------------------- each country's registers

def cn_files(c: Country, bad: dict) -> dict[str, str]:
    roster = ["工号,姓名,性别,身份证号码,出生日期,入职日期,部门,岗位"]
    roster += [f"{w.worker_id},{w.name},{'男' if w.gender == 'M' else '女'},{w.national_id},{w.born},2021-03-01,缝制,车工"
               for w in c.workers]
    pay = ["2026年3月工资表", "工号,姓名,正常工时(H),基本工资,周末加班(H),加班费,应发工资,养老保险,实发工资,发放日期"]
    for w in c.workers:
        base = bad.get(("base", w.worker_id), 3000.0)
        regular = 8 * len(month_days(c.rest_weekdays))
        rd = 8 * len(w.extra_days)
        rate = bad.get(("rate", w.worker_id), base / 174)          # CN: monthly ÷ 21.75 ÷ 8
        ot = math.ceil(rate * 2.0 * rd * 100) / 100
        gross = base + ot
        si = round(base * 0.08, 2)
        pay.append(f"{w.worker_id},{w.name},{regular},{base},{rd},{ot},{gross:.2f},{si},{gross - si:.2f},2026-04-10")
    return {"HR/员工花名册.csv": "\n".join(roster), "payroll/2026年3月工资表.csv": "\n".join(pay)}


def bd_files(c: Country, bad: dict) -> dict[str, str]:
    roster = ["Card No,Name,Sex,NID No,Date of Birth,Date of Joining,Designation"]
    roster += [f"{w.worker_id},{w.name},{'Male' if w.gender == 'M' else 'Female'},{w.national_id},{w.born},2022-01-01,"
               f"Sewing Operator" for w in c.workers]
    pay = ["Wage Sheet for the month of March 2026",
           "Card No,Name,মূল মজুরি / Basic,বাড়ী ভাড়া / House Rent,চিকিৎসা / Medical,যাতায়ত / Conveyance,"
           "খাদ্য ভাতা / Food,OT Hrs,OT Rate,OT Amount,Gross Salary,Stamp,মোট প্রদেয় / Net Payable"]
    for w in c.workers:
        basic = bad.get(("base", w.worker_id), 6700.0)
        house, medical, conveyance, food = basic / 2, 750.0, 450.0, 1250.0
        ot_hours = 8 * len(w.extra_days) + 10
        rate = bad.get(("rate", w.worker_id), round(basic / 208 * 2, 2))  # the OT rate, already doubled
        ot = math.ceil(ot_hours * rate * 100) / 100
        gross = basic + house + medical + conveyance + food + ot
        pay.append(f"{w.worker_id},{w.name},{basic},{house},{medical},{conveyance},{food},{ot_hours},{rate},{ot:.2f},"
                   f"{gross:.2f},10,{gross - 10:.2f}")
    return {"roster.csv": "\n".join(roster), "wages/Wage Sheet March 2026.csv": "\n".join(pay)}


def vn_files(c: Country, bad: dict) -> dict[str, str]:
    roster = ["Mã NV,Họ và tên,Giới tính,Số CCCD,Ngày sinh,Ngày vào làm,Chức vụ"]
    roster += [f"{w.worker_id},{w.name},{'Nam' if w.gender == 'M' else 'Nữ'},{w.national_id},{w.born:%d/%m/%Y},"
               f"01/06/2022,Công nhân" for w in c.workers]
    top = ("Số TT,Mã NV,Họ và tên,Lương thời gian,Lương thời gian,Làm thêm giờ,Làm thêm giờ,Tổng số,"
           "Các khoản phải khấu trừ,Các khoản phải khấu trừ,Các khoản phải khấu trừ,Các khoản phải khấu trừ,"
           "Kỳ II được lĩnh,Kỳ II được lĩnh")
    sub = "Số TT,Mã NV,Họ và tên,Số công,Số tiền,Số giờ,Số tiền,Tổng số,BHXH,BHYT,BHTN,Cộng,Số tiền,Ký nhận"
    pay = ["BẢNG THANH TOÁN TIỀN LƯƠNG", "Tháng 03 năm 2026", top, sub]
    for n, w in enumerate(c.workers, 1):
        base = bad.get(("base", w.worker_id), 5_500_000)
        hours = 8 * len(w.extra_days)
        ot = round(base / 26 / 8 * bad.get(("premium", w.worker_id), 2.0) * hours) if hours else 0
        gross = base + ot
        si = [round(base * r) for r in (0.08, 0.015, 0.01)]
        pay.append(f"{n},{w.worker_id},{w.name},{len(month_days(c.rest_weekdays))},{base},{hours},{ot},{gross},"
                   f"{si[0]},{si[1]},{si[2]},{sum(si)},{gross - sum(si)},")
    if bad.get("no_ids"):  # the form as issued: Số TT and Họ và tên, no Mã NV
        pay = pay[:2] + [",".join(line.split(",")[:1] + line.split(",")[2:]) for line in pay[2:]]
        pay += [f"{len(c.workers) + 1},{bad['no_ids']},26,4000000,0,0,4000000,320000,60000,40000,420000,3580000,"]
    return {"nhan-su.csv": "\n".join(roster), "luong/02-LDTL T03-2026.csv": "\n".join(pay)}


def in_files(c: Country, bad: dict) -> dict[str, str]:
    roster = ["E Code,Name,Sex,Aadhaar No,Date of Birth,Date of Joining,Designation"]
    roster += [f"{w.worker_id},{w.name},{'Male' if w.gender == 'M' else 'Female'},{w.national_id},{w.born:%d/%m/%Y},"
               f"01/04/2021,Tailor" for w in c.workers]
    pay = ["Register of Wages for the month of March 2026",
           "Sl. No. in Emp. Reg.,E Code,Name,Rate of Wages,No. of Days Worked,Overtime hours worked,Basic + DA,HRA,"
           "Payments Overtime,Total,PF,ESI,Total,Net Payment,Date of Payment"]
    for n, w in enumerate(c.workers, 1):
        base, hra = 15000.0, 2000.0
        ot_hours = 8 * len(w.extra_days)
        ot = round(base / 26 / 8 * 2 * ot_hours, 2)
        total = base + hra + ot
        pf, esi = round(base * 0.12, 2), round(total * 0.0075, 2)
        pay.append(f"{n},{w.worker_id},{w.name},{base},{len(month_days(c.rest_weekdays))},{ot_hours},{base},{hra},"
                   f"{ot},{total:.2f},{pf},{esi},{pf + esi:.2f},{total - pf - esi:.2f},{bad.get(('paid', w.worker_id), '06/04/2026')}")
    return {"Form A.csv": "\n".join(roster), "Form B March 2026.csv": "\n".join(pay)}


def us_files(c: Country, bad: dict) -> dict[str, str]:
    roster = ["Employee ID,Employee Name,Date of Birth,Hire Date,Department"]
    roster += [f"{w.worker_id},{w.name},{w.born:%m/%d/%Y},06/01/2021,Assembly" for w in c.workers]
    pay = ["Employee ID,Employee Name,Pay Period,Regular Hours,Overtime Hours,Hourly Rate,Regular Pay,Overtime Pay,"
           "Gross Pay,FICA,Federal Tax,Net Pay,Pay Date"]
    for w in c.workers:
        regular, rate = 8 * len(month_days(c.rest_weekdays)), bad.get(("rate", w.worker_id), 18.0)
        base, ot_hours = regular * rate, 8 * len(w.extra_days)
        ot = bad.get(("ot", w.worker_id), ot_hours * rate * 1.5)
        gross = base + ot
        fica, tax = round(gross * 0.0765, 2), round(gross * 0.1, 2)
        pay.append(f"{w.worker_id},{w.name},03/2026,{regular},{ot_hours},{rate},{base},{ot},{gross:.2f},{fica},{tax},"
                   f"{gross - fica - tax:.2f},04/03/2026")
    return {"employees.csv": "\n".join(roster), "payroll-register-2026-03.csv": "\n".join(pay)}


FILES = {"CN": cn_files, "BD": bd_files, "VN": vn_files, "IN": in_files, "US": us_files}


def countries() -> dict[str, Country]:
    return {
        "CN": Country("CN", "CN-SH", {5, 6}, [
            Worker("A01", "王芳", cn_id("31010119900101123"), dt.date(1990, 1, 1), "M"),
            Worker("A02", "李娜", cn_id("31010119920202224"), dt.date(1992, 2, 2), "F"),
            Worker("A03", "张伟", cn_id("31010119880303345"), dt.date(1988, 3, 3), "M")]),
        "BD": Country("BD", "BD", {4}, [
            Worker("101", "Rahima Khatun", "19952691041123456", dt.date(1995, 5, 5), "F"),
            Worker("102", "Karim Uddin", "2691041123457", dt.date(1993, 6, 6), "M"),
            Worker("103", "Salma Begum", "1934567890", dt.date(1998, 7, 7), "F")]),
        "VN": Country("VN", "VN", {6}, [
            Worker("VN01", "Nguyễn Thị Lan", "001195012345", dt.date(1995, 4, 4), "F"),
            Worker("VN02", "Trần Văn Minh", "079098123456", dt.date(1998, 8, 8), "M"),
            Worker("VN03", "Lê Thị Hoa", "036301654321", dt.date(2001, 1, 1), "F")],
            overrides="overrides: {minimum_wage_monthly: 5310000}\n"),
        "IN": Country("IN", "IN", {6}, [
            Worker("IN-101", "Suresh Kumar", aadhaar("23456789012"), dt.date(1990, 9, 9), "M"),
            Worker("IN-102", "Lakshmi Devi", aadhaar("34567890123"), dt.date(1994, 10, 10), "F"),
            Worker("IN-103", "Ravi Shankar", aadhaar("45678901234"), dt.date(1987, 11, 11), "M")]),
        "US": Country("US", "US-FLSA", {5, 6}, [
            Worker("U1", "Ann Lee", "123-45-6789", dt.date(1990, 1, 1), "F"),
            Worker("U2", "Bob Ray", "987-65-4321", dt.date(1985, 2, 2), "M")]),
    }


def build(tmp_path: Path, c: Country, bad: dict | None = None) -> Counter:
    bad = bad or {}
    (tmp_path / "factory.yaml").write_text(
        f"factory_id: F-{c.code}\njurisdiction: {c.jurisdiction}\naudit_date: 2026-05-15\n"
        f"period: {{start: 2026-03-01, end: 2026-03-31}}\n{c.overrides}", encoding="utf-8")
    files = {"time/AttLog.csv": tap_log(c), **FILES[c.code](c, bad)}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = audit(LocalStorage(tmp_path))
    return result


@pytest.mark.parametrize("code", ["CN", "BD", "VN", "IN", "US"])
def test_a_factory_that_does_what_the_law_asks_gets_no_finding_of_law(tmp_path, code):
    result = build(tmp_path, countries()[code])
    law = [f.message for f in result.findings if f.category in LAW_CATEGORIES]
    assert law == []
    assert all(d.status.value == "ok" for d in result.documents), [(d.path, d.reason) for d in result.documents]


def test_the_legal_six_day_week_is_no_rest_day_overtime_in_bangladesh(tmp_path):
    """Every Saturday of March is worked; Friday is the weekly holiday (s103), though the
    holidays package's Bangladeshi weekend is Friday and Saturday."""
    from validators.dataset.calendar import day_types
    from preaudit.core.packs import load_packs, resolve

    context = resolve("BD", [], {}, load_packs())
    types = day_types([dt.date(2026, 3, 6), dt.date(2026, 3, 7)], context.holiday_calendar, context.rest_weekdays)
    assert types == {dt.date(2026, 3, 6): "restday", dt.date(2026, 3, 7): "weekday"}
    result = build(tmp_path, countries()["BD"])
    assert not [f for f in result.findings if f.rule_id in ("LAB-OT-MONTH-MAX", "LAB-OT-PREMIUM")]


def _with_violations(code: str) -> tuple[Country, dict, Counter]:
    c = countries()[code]
    w1, w2, w3 = (c.workers + [None])[:3]
    sundays = [d for d in (dt.date(2026, 3, 7), dt.date(2026, 3, 8)) if d.weekday() in c.rest_weekdays]
    if code == "CN":
        w3.extra_days = sundays                                   # 12 days in a row
        bad = {("base", w1.worker_id): 2700.0,                     # full month below 2740
               ("rate", w3.worker_id): 3000 / 176}                 # premium on base ÷ regular hours
        w2.national_id = w2.national_id[:-1] + ("0" if w2.national_id[-1] != "0" else "1")
        return c, bad, Counter({"LAB-MIN-WAGE": 1, "LAB-OT-PREMIUM": 1, "LAB-REST-DAY": 1, "ID-INVALID": 1})
    if code == "BD":
        bad = {("base", w1.worker_id): 6000.0,                     # gross 11,700 < 12,500
               ("rate", w2.worker_id): round(6700 / 240 * 2, 2)}   # OT rate on basic ÷ 240
        w3.national_id = "2001" + "2691041123458"                 # begins with 2001, born 1998
        w1.extra_days = [dt.date(2026, 3, 6)]                     # a Friday worked: 13 days in a row (s103)
        return c, bad, Counter({"LAB-MIN-WAGE": 1, "LAB-OT-PREMIUM": 1, "ID-INVALID": 1, "LAB-REST-DAY": 1})
    if code == "VN":
        w3.extra_days = [dt.date(2026, 3, 8)]                     # Sunday: 7 days in a row
        bad = {("base", w1.worker_id): 5_200_000,                  # below Region I 5,310,000
               ("premium", w3.worker_id): 1.0}                     # overtime at the plain hourly rate
        w2.national_id = "079198123456"                            # digit 1: a woman born in the 1900s; he is male
        return c, bad, Counter({"LAB-MIN-WAGE": 1, "LAB-REST-DAY": 1, "ID-INVALID": 1, "LAB-OT-PREMIUM": 1})
    if code == "IN":
        w3.extra_days = [dt.date(2026, 3, 8), dt.date(2026, 3, 15)]  # Sundays: 20 days in a row (limit 10 to Nov 2025)
        w2.national_id = w2.national_id[:-1] + str((int(w2.national_id[-1]) + 1) % 10)  # Verhoeff fails
        return c, {}, Counter({"ID-INVALID": 1})
    w2.extra_days = [dt.date(2026, 3, 7)]
    return c, {("ot", w2.worker_id): 8 * 18.0, ("rate", w1.worker_id): 7.0},  \
        Counter({"LAB-OT-PREMIUM": 1, "LAB-MIN-WAGE": 1})  # OT at the plain rate; $7.00/h below the federal $7.25


@pytest.mark.parametrize("code", ["CN", "BD", "VN", "IN", "US"])
def test_the_twin_with_known_violations_gets_each_and_nothing_else(tmp_path, code):
    c, bad, expected = _with_violations(code)
    result = build(tmp_path, c, bad)
    law = Counter(f.rule_id for f in result.findings if f.category in LAW_CATEGORIES)
    assert law == expected, [f.message for f in result.findings if f.category in LAW_CATEGORIES]


def test_overtime_that_cannot_be_priced_is_said_not_skipped(tmp_path):
    """India's packs give no hourly-rate basis and Form B states no hourly rate or regular hours."""
    c = countries()["IN"]
    c.workers[0].extra_days = [dt.date(2026, 3, 8)]
    result = build(tmp_path, c)
    coverage = [f for f in result.findings if f.rule_id == "DQ-COVERAGE"]
    assert [f.subject for f in coverage] == [{"record_kind": "payroll_ot_premium"}]
    assert "LAB-OT-PREMIUM" in coverage[0].message


def test_the_factorys_country_decides_the_scheme(tmp_path):
    """Issue 27 item 9 (this test asserted the opposite before): on a Shanghai roster a 12-digit
    number is a bad resident ID, not a Vietnamese CCCD; a foreign worker's passport is not judged."""
    c = countries()["CN"]
    c.workers[1].national_id = "079098123456"  # 12 digits: no Chinese resident ID
    c.workers[2].national_id = "C01X00T47"     # a Vietnamese passport number: a foreign document
    result = build(tmp_path, c)
    invalid = [f for f in result.findings if f.rule_id == "ID-INVALID"]
    assert [f.subject["worker_id"] for f in invalid] == [c.workers[1].worker_id]
    assert "GB 11643" in invalid[0].message


def test_young_workers_by_the_law_of_their_country():
    """Bangladesh s41: no adolescent work 19:00-07:00, ≤ 5 h a day; Vietnam Art 146: ≤ 8 h a day.
    The same 06:30-11:00 morning is lawful for a 16-year-old in Vietnam and not in Bangladesh."""
    from validators.dataset.dataset import Dataset
    from preaudit.core.packs import load_packs, resolve
    from tests.support.builders import day, table
    from validators import RULES_BY_ID

    roster = [{"worker_id": "Y1", "birth_date": "2010-01-01", "hire_date": "2025-06-01"}]
    morning = [day("Y1", "2026-03-02", "06:30-11:00")]
    six_hours = [day("Y1", "2026-03-03", "08:00-14:00")]

    def found(jurisdiction, days):
        ds = Dataset.build([table(roster, "roster.csv"), table(days, "time.csv")],
                           resolve(jurisdiction, [], {}, load_packs()))
        return RULES_BY_ID["LAB-JUVENILE-RESTRICTED"].run(ds, None)

    assert found("VN", morning) == [] and found("VN", six_hours) == []
    (bd,) = found("BD", morning + six_hours)
    assert "night work (19:00-07:00) on 1 day(s)" in bd.message and "1 day(s) over" in bd.message
    assert any("s41" in s for s in bd.sources)
    (vn,) = found("VN", [day("Y1", "2026-03-04", "07:00-12:00", "13:00-17:30")])
    assert "1 day(s) over" in vn.message


def test_an_unpaid_meal_break_the_punches_do_not_show_is_deducted():
    """factory.yaml breaks: 12:00-13:00. A day punched 07:00-19:00 straight through is 11 h worked;
    a day punched out and in around lunch shows its break; a register's own break minutes stand."""
    from validators.dataset.dataset import Dataset
    from preaudit.core.packs import load_packs, resolve
    from tests.support.builders import day, profile, table
    from validators import RULES_BY_ID

    days = [day("E1", "2026-03-02", "07:00-19:00"),                  # through lunch: 12 h − 1 h
            day("E2", "2026-03-02", "07:00-12:00", "13:00-19:30"),   # lunch shown: 11.5 h
            day("E3", "2026-03-02", "07:00-19:00", brk=30),          # the register's own 30 min
            day("E4", "2026-03-02", "07:00-20:30")]                  # through lunch: 12.5 h

    ds = Dataset.build([table(days, "time.csv")], resolve("CN-SH", [], {}, load_packs()),
                       profile=profile(breaks=[(720, 780)]))
    hours = dict(ds.days.select("worker_id", "hours").iter_rows())
    assert hours == {"E1": 11.0, "E2": 11.5, "E3": 11.5, "E4": 12.5}
    run = RULES_BY_ID["LAB-HOURS-DAY-MAX"].run(ds, None)
    found = {f.subject["worker_id"]: f for f in run if not f.possible}
    assert set(found) == {"E2", "E3", "E4"}  # CN: 11 h a day at most
    assert "meal break" not in found["E2"].message and "60-min meal break" in found["E4"].message
    assert "factory.yaml breaks" in found["E4"].message
    # E1 is over only if the lunch hour was worked: a possible item for the auditor, not a finding
    assert [(f.subject["worker_id"], f.possible) for f in run if f.possible] == \
        [("E1", "no break recorded: 12 h if the 60-min meal break was worked, 11 h if not")]


def test_a_wage_sheet_naming_workers_without_ids_takes_them_from_the_roster(tmp_path):
    """Vietnam's 02-LĐTL as issued has no employee code: the roster's id for each name; a name no
    roster worker has is a coverage gap, never a worker invented or a finding on an unknown one."""
    c, bad, expected = _with_violations("VN")
    result = build(tmp_path, c, {**bad, "no_ids": "Phạm Văn Tư"})
    law = Counter(f.rule_id for f in result.findings if f.category in LAW_CATEGORIES)
    assert law == expected, [f.message for f in result.findings if f.category in LAW_CATEGORIES]
    (minimum,) = [f for f in result.findings if f.rule_id == "LAB-MIN-WAGE"]
    assert minimum.subject.get("worker_id") == c.workers[0].worker_id
    (gap,) = [f for f in result.findings if f.rule_id == "DQ-COVERAGE" and "Phạm Văn Tư" in f.message]
    assert gap.subject == {"record_kind": "payroll"} and "XDOC-NO-PAYROLL" in gap.message
