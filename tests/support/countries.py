"""One small factory per country (CN, BD, VN, IN, US), each paying and scheduling what its law asks, written as its documents: the twins the country-law tests break one rule in."""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from preaudit.app.pipeline import audit
from preaudit.core.storage import LocalStorage


MONTH = (2026, 3)


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
