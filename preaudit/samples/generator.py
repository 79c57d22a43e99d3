"""Sample packs with seeded violations and their ground truth.

A Shanghai garment factory (CN-SH + SA8000), ~50 workers, March–May 2026, written as a roster,
time records and payroll in one of several styles (English CSV; Chinese GBK CSV; bilingual Excel
with title rows, two-line and merged headers; a mix with legacy .xls, a one-column punch list,
`;` delimiters, day-first dates and currency text). Each seeded worker breaks one rule (or sits
exactly on its limit, which must not be flagged).

The ground truth is not what the seeds intended but what a plain re-statement of each rule
finds in the generated days and pay lines (``_oracle``), with its own calendar and parameter
values, so the truth is exact even where jitter and violations interact. Tests then check
that every seeded case is in the truth, and that preaudit's findings equal it.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

D = dt.date
MONTHS = ["2026-03", "2026-04", "2026-05"]
PERIOD = (D(2026, 3, 1), D(2026, 5, 31))

# 2026 arrangement (State Council notice, as the `holidays` package records it), March–May only
STATUTORY = {D(2026, 4, 5), D(2026, 5, 1), D(2026, 5, 2)}
DAYS_OFF = {D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 5)}
MAKEUP_WORKDAYS = {D(2026, 5, 9)}

# the values CN-SH + sa8000 resolve to in this period: the oracle's own copy
P = {"max_daily_hours": 11, "max_weekly_hours": 60, "max_monthly_ot_hours": 36,
     "max_consecutive_days": 6, "regular_daily_hours": 8, "standard_monthly_hours": 174,
     "minimum_wage_monthly": 2740, "ot_premium_weekday": 1.5, "ot_premium_restday": 2.0,
     "ot_premium_holiday": 3.0, "minimum_age": 16, "juvenile_age": 18, "gate_tolerance_minutes": 60,
     "license_warning_days": 90,
     # the sample factory's own payday policy, given through the profile's overrides: no law
     # pack in force here sets a day count
     "max_pay_delay_days": 10}
PROFILE_PERIOD = (D(2026, 2, 1), PERIOD[1])  # February has no records: DQ-PERIOD-GAP
AUDIT_DATE = D(2026, 6, 15)


def _uscc(body: str) -> str:
    from stdnum.cn import uscc

    return body + uscc.calc_check_digit(body)


FACTORY_USCC = _uscc("91310115MA1K35Y38")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀英", "霞", "平", "刚", "桂英", "小红", "建华", "海燕", "志强", "晓东", "春梅"]


def day_type(day: D) -> str:
    if day in STATUTORY:
        return "holiday"
    if day in DAYS_OFF or (day.weekday() >= 5 and day not in MAKEUP_WORKDAYS):
        return "restday"
    return "weekday"


def working_days(month: str) -> list[D]:
    y, m = map(int, month.split("-"))
    day, out = D(y, m, 1), []
    while day.month == m:
        if day_type(day) == "weekday":
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def hm(minutes: int) -> str:
    return f"{(minutes // 60) % 24:02d}:{minutes % 60:02d}"


@dataclass
class Truth:
    rule_id: str
    subject: dict[str, str]
    period_start: str | None

    def key(self) -> tuple:
        return (self.rule_id, tuple(sorted(self.subject.items())), self.period_start)


@dataclass
class Worker:
    worker_id: str
    name: str
    national_id: str
    birth: D
    gender: str
    hire: D
    department: str
    salary: float
    on_roster: bool = True
    days: dict[D, list[tuple[int, int]]] = field(default_factory=dict)  # date → (in, out) minutes
    breaks: dict[D, int] = field(default_factory=dict)
    pay_tweak: dict[str, dict[str, float]] = field(default_factory=dict)  # month → field → delta
    roster_birth: D | None = None   # a birth_date on the roster that differs from the ID's
    no_pay_months: set[str] = field(default_factory=set)
    gate_extra: dict[D, tuple[int, int]] = field(default_factory=dict)  # day → (minutes early, late)
    gate_only_days: list[D] = field(default_factory=list)


@dataclass
class SamplePack:
    style: str
    files: dict[str, bytes]
    truth: list[Truth]
    seeded: dict[str, list[str]]   # rule id → worker ids / documents seeded for it
    workers: list[Worker]

    def write(self, folder: Path) -> None:
        for path, data in self.files.items():
            target = Path(folder) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def write_truth(self, path: Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps([t.__dict__ for t in self.truth], ensure_ascii=False, indent=1))


# ------------------------------------------------------------------ workers and their days


def _national_id(rng: random.Random, birth: D, gender: str) -> str:
    from stdnum.cn import ric

    seq = rng.randrange(0, 99) * 10 + (rng.choice([1, 3, 5, 7, 9]) if gender == "M" else rng.choice([0, 2, 4, 6, 8]))
    body = f"310115{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects the check character in place


def _normal_day(rng: random.Random, habit: list[float]) -> list[tuple[int, int]]:
    """08:00–12:00 and 13:00–17:00 with a few minutes' jitter at either end. People have habits
    (INT-NO-HABIT): today's minutes early and late lean on yesterday's (``habit`` carries them
    from day to day), not independent draws from a window."""
    for side in (0, 1):
        habit[side] = 0.85 * habit[side] + 0.5 * (rng.randrange(0, 13) - 6)
    early, late = (min(12, max(0, round(6 + h))) for h in habit)
    return [(8 * 60 - early, 12 * 60), (13 * 60, 17 * 60 + late)]


def _exact(*pairs: tuple[str, str]) -> list[tuple[int, int]]:
    def m(t: str) -> int:
        h, mi = t.split(":")
        return int(h) * 60 + int(mi)
    return [(m(a), m(b)) for a, b in pairs]


def _make_workers(rng: random.Random, n: int) -> list[Worker]:
    workers = []
    for i in range(n):
        gender = rng.choice("MF")
        birth = D(rng.randrange(1975, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        workers.append(Worker(f"E{1001 + i:04d}", name, _national_id(rng, birth, gender), birth, gender,
                              D(rng.randrange(2019, 2026), rng.randrange(1, 13), 1),
                              rng.choice(["缝制车间", "裁剪车间", "后整车间", "仓库"]),
                              float(rng.randrange(3000, 4600, 50))))
        habit = [0.0, 0.0]
        for month in MONTHS:
            for day in working_days(month):
                workers[-1].days[day] = _normal_day(rng, habit)
    return workers


def _seed(workers: list[Worker], rng: random.Random) -> dict[str, list[str]]:
    """Give chosen workers one violation each (or put them exactly on a limit)."""
    w = {x.worker_id: x for x in workers}
    seeded: dict[str, list[str]] = {}

    def mark(rule: str, worker: Worker) -> Worker:
        seeded.setdefault(rule, []).append(worker.worker_id)
        return worker

    def weekdays(month: str) -> list[D]:
        return working_days(month)

    # a 12.5-hour day; and one of exactly 11 hours (the limit: not a finding)
    mark("LAB-HOURS-DAY-MAX", w["E1003"]).days[D(2026, 3, 11)] = _exact(("08:00", "12:00"), ("13:00", "21:30"))
    w["E1004"].days[D(2026, 3, 11)] = _exact(("08:00", "12:00"), ("13:00", "20:00"))
    # a week of 6 × 10.5 h = 63 h (limit 60)
    mark("LAB-HOURS-WEEK-MAX", w["E1005"])
    for k in range(6):
        w["E1005"].days[D(2026, 3, 16) + dt.timedelta(days=k)] = _exact(("08:00", "12:00"), ("13:00", "19:30"))
    # 2 h overtime on every working day of April (> 36 h); exactly 36 h for another worker
    for day in weekdays("2026-04"):
        w["E1006"].days[day] = _exact(("08:00", "12:00"), ("13:00", "19:00"))
    mark("LAB-OT-MONTH-MAX", w["E1006"])
    for k, day in enumerate(weekdays("2026-04")):
        w["E1007"].days[day] = _exact(("08:00", "12:00"), ("13:00", "19:00")) if k < 18 else \
            _exact(("08:00", "12:00"), ("13:00", "17:00"))
    # twelve days in a row (a weekend worked); exactly six in a row for another worker
    mark("LAB-REST-DAY", w["E1008"])
    for day in (D(2026, 3, 7), D(2026, 3, 8)):
        w["E1008"].days[day] = _exact(("08:00", "12:00"))
    w["E1009"].days[D(2026, 3, 14)] = _exact(("08:00", "12:00"))
    # base pay under the minimum wage; exactly at it
    mark("LAB-MIN-WAGE", w["E1010"]).salary = 2300.0
    w["E1011"].salary = 2740.0
    # overtime paid at the plain rate, and a rest day worked to have overtime of every kind
    mark("LAB-OT-PREMIUM", w["E1012"]).pay_tweak["premium"] = {"all": 1.0}
    w["E1012"].days[D(2026, 3, 21)] = _exact(("08:00", "12:00"))
    # a statutory holiday worked and paid right (3×): not a finding
    w["E1013"].days[D(2026, 5, 1)] = _exact(("08:00", "12:00"), ("13:00", "17:00"))
    # net pay 50 short; 1.00 short (within tolerance)
    mark("LAB-PAYROLL-ARITHMETIC", w["E1014"]).pay_tweak["2026-04"] = {"net_pay": -50.0}
    w["E1015"].pay_tweak["2026-04"] = {"net_pay": -1.0}
    # a 15-year-old; one turning 16 on the first day; one turning 16 mid-March
    mark("LAB-CHILD-LABOR", w["E1016"]).birth = D(2010, 9, 1)
    w["E1017"].birth = D(2010, 3, 1)
    mark("LAB-CHILD-LABOR", w["E1018"]).birth = D(2010, 3, 20)
    for x in (w["E1016"], w["E1017"], w["E1018"]):
        x.national_id = _national_id(rng, x.birth, x.gender)
    # 2 h overtime on 8 days of March, 12 h of it missing from the payroll (hidden overtime);
    # another worker's payroll 8 h short of ~176 h (within 5 %)
    for day in weekdays("2026-03")[:8]:
        w["E1019"].days[day] = _exact(("08:00", "12:00"), ("13:00", "19:00"))
    mark("XDOC-HOURS-MISMATCH", w["E1019"]).pay_tweak["2026-03"] = {"ot_hours_weekday": -12.0}
    w["E1020"].pay_tweak["2026-03"] = {"regular_hours": -8.0}
    # night shift 21:00–05:30 with a 30-minute break: every pair crosses midnight
    for worker in (w["E1021"], w["E1022"], w["E1023"]):
        for day in list(worker.days):
            worker.days[day] = _exact(("21:00", "05:30"))
            worker.breaks[day] = 30
    # a worker in time records and payroll but not on the roster
    mark("XDOC-WORKER-UNKNOWN", w["E1024"]).on_roster = False
    # April's wages paid on 25 May (the factory's policy: by the 10th)
    mark("LAB-PAY-LATE", w["E1011"]).pay_tweak.setdefault("2026-04", {})["pay_day"] = 25
    # a 16-year-old with overtime on three April days
    juvenile = mark("LAB-JUVENILE-RESTRICTED", w["E1025"])
    juvenile.birth = D(2009, 6, 1)
    juvenile.national_id = _national_id(rng, juvenile.birth, juvenile.gender)
    for day in working_days("2026-04")[:3]:
        juvenile.days[day] = _exact(("08:00", "12:00"), ("13:00", "19:00"))
    # a wrong check character; a roster birth date the ID contradicts
    bad = mark("ID-INVALID", w["E1026"])
    bad.national_id = bad.national_id[:17] + ("0" if bad.national_id[17] != "0" else "1")
    mark("ID-INVALID", w["E1027"]).roster_birth = w["E1027"].birth.replace(year=w["E1027"].birth.year - 3)
    # two workers on one ID (borrowed papers)
    mark("INT-DUPLICATE-ID", w["E1028"])
    mark("INT-DUPLICATE-ID", w["E1029"])
    w["E1029"].birth, w["E1029"].national_id = w["E1028"].birth, w["E1028"].national_id
    # punch times no person keeps: 08:00 and 17:00 to the minute, every day
    for day in list(w["E1030"].days):
        w["E1030"].days[day] = _exact(("08:00", "12:00"), ("13:00", "17:00"))
    mark("INT-UNIFORM-PUNCHES", w["E1030"])
    # one worker's May records copied onto another
    for day in [d for d in w["E1031"].days if d.month == 5]:
        w["E1032"].days[day] = list(w["E1031"].days[day])
    mark("INT-IDENTICAL-RECORDS", w["E1031"])
    mark("INT-IDENTICAL-RECORDS", w["E1032"])
    # exactly 36 h of overtime every month: at the cap, never over it
    for month in MONTHS:
        for k, day in enumerate(working_days(month)):
            w["E1033"].days[day] = _exact(("08:00", "12:00"), ("13:00", "19:00") if k < 18 else ("13:00", "17:00"))
    mark("INT-OT-AT-CAP", w["E1033"])
    # worked in May, no May payroll line
    mark("XDOC-NO-PAYROLL", w["E1034"]).no_pay_months.add("2026-05")
    # inside two hours after clocking out; inside on a Sunday without time records; exactly
    # 60 minutes after clocking out (the tolerance: not a finding)
    mark("XDOC-GATE-TIMESHEET", w["E1035"]).gate_extra[D(2026, 4, 15)] = (10, 120)
    mark("XDOC-GATE-TIMESHEET", w["E1036"]).gate_only_days.append(D(2026, 4, 19))
    w["E1037"].gate_extra[D(2026, 4, 15)] = (10, 60)
    return seeded


# ------------------------------------------------------------------ pay


def _hours(worker: Worker, day: D) -> float:
    minutes = sum((b - a) % 1440 for a, b in worker.days[day]) - worker.breaks.get(day, 0)
    return minutes / 60


def _month_hours(worker: Worker, month: str) -> dict[str, float]:
    out = {"regular": 0.0, "wd": 0.0, "rd": 0.0, "hol": 0.0}
    for day in worker.days:
        if day.strftime("%Y-%m") != month:
            continue
        h, kind = _hours(worker, day), day_type(day)
        if kind == "weekday":
            out["regular"] += min(h, P["regular_daily_hours"])
            out["wd"] += max(0.0, h - P["regular_daily_hours"])
        else:
            out["rd" if kind == "restday" else "hol"] += h
    return {k: round(v, 2) for k, v in out.items()}


def _pay_lines(worker: Worker, rng: random.Random, states_rate: bool) -> list[dict[str, Any]]:
    lines = []
    for month in MONTHS:
        if month in worker.no_pay_months:
            continue
        hours = _month_hours(worker, month)
        tweak = worker.pay_tweak.get(month, {})
        regular = round(hours["regular"] + tweak.get("regular_hours", 0), 2)
        wd = round(hours["wd"] + tweak.get("ot_hours_weekday", 0), 2)
        base = worker.salary
        # CN: the hourly rate is the monthly wage ÷ 21.75 ÷ 8 (MOLSS 2008 No. 3), whatever the month's hours
        rate = round(worker.salary / P["standard_monthly_hours"], 2) if states_rate else \
            base / P["standard_monthly_hours"]
        premium = worker.pay_tweak.get("premium", {}).get("all")
        factors = (premium or P["ot_premium_weekday"], premium or P["ot_premium_restday"],
                   premium or P["ot_premium_holiday"])
        ot_pay = math.ceil(rate * (factors[0] * wd + factors[1] * hours["rd"] + factors[2] * hours["hol"]) * 100) / 100
        allowances = float(rng.randrange(0, 300, 10))
        gross = round(base + ot_pay + allowances, 2)
        social = round(gross * 0.105, 2)
        deductions = float(rng.randrange(0, 60, 5))
        net = round(gross - social - deductions + tweak.get("net_pay", 0), 2)
        y, m = map(int, month.split("-"))
        lines.append({"worker_id": worker.worker_id, "name": worker.name, "period": month,
                      "regular_hours": regular, "ot_hours_weekday": wd, "ot_hours_restday": hours["rd"],
                      "ot_hours_holiday": hours["hol"], "hourly_rate": round(rate, 2) if states_rate else None,
                      "base_pay": base, "ot_pay": ot_pay, "allowances": allowances,
                      "deductions": deductions, "social_insurance": social, "gross_pay": gross,
                      "net_pay": net, "pay_date": D(y + m // 12, m % 12 + 1, int(tweak.get("pay_day", 10)))})
    return lines


# ------------------------------------------------------------------ security logs and licenses

LEGAL_NAME, LEGAL_NAME_LOCAL = "Shanghai Example Garments Co., Ltd.", "上海示例服装有限公司"
GATE = "南门 South Gate"


def _span(worker: Worker, day: D) -> tuple[dt.datetime, dt.datetime]:
    """A worked day from its first clock-in to its last clock-out (past midnight if it runs on)."""
    start = min(a for a, _ in worker.days[day])
    end = max(a + (b - a) % 1440 for a, b in worker.days[day])
    midnight = dt.datetime.combine(day, dt.time())
    return midnight + dt.timedelta(minutes=start), midnight + dt.timedelta(minutes=end)


def _gate_rows(workers: list[Worker], rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for w in workers:
        for day in sorted(w.days):
            start, end = _span(w, day)
            early, late = w.gate_extra.get(day, (rng.randrange(5, 40), rng.randrange(5, 40)))
            rows.append({"worker_id": w.worker_id, "name": w.name, "timestamp": start - dt.timedelta(minutes=early),
                         "direction": "in", "gate": GATE})
            rows.append({"worker_id": w.worker_id, "name": w.name, "timestamp": end + dt.timedelta(minutes=late),
                         "direction": "out", "gate": GATE})
        for day in w.gate_only_days:
            midnight = dt.datetime.combine(day, dt.time())
            rows += [{"worker_id": w.worker_id, "name": w.name, "timestamp": midnight + dt.timedelta(hours=9),
                      "direction": "in", "gate": GATE},
                     {"worker_id": w.worker_id, "name": w.name, "timestamp": midnight + dt.timedelta(hours=15),
                      "direction": "out", "gate": GATE}]
    return sorted(rows, key=lambda r: r["timestamp"])


CONTAINERS = [  # (container, seal date, seal no, inspection date, inspected seal, points, vvtt, verifier)
    ("TGHU7000011", D(2026, 3, 10), "SH100001", D(2026, 3, 10), "SH100001", "ok", True, "陈伟"),
    ("TGHU7000022", D(2026, 3, 18), "SH100002", D(2026, 3, 18), "SH100002", "floor failed, roof blank", True, "陈伟"),
    ("TGHU7000033", D(2026, 4, 2), "SH100003", D(2026, 4, 2), "SH100099", "ok", True, "陈伟"),
    ("TGHU7000044", D(2026, 4, 10), "SH100004", D(2026, 4, 10), "SH100004", "ok", True, "陈伟"),
    ("TGHU7000055", D(2026, 4, 20), "SH100004", D(2026, 4, 20), "SH100004", "ok", True, "陈伟"),
    ("TGHU7000066", D(2026, 5, 6), "SH100006", D(2026, 5, 6), "SH100006", "ok", False, "陈伟"),
    ("TGHU7000077", D(2026, 5, 12), "SH100007", D(2026, 5, 12), "SH100007", "ok", True, None),
    ("TGHU7000088", D(2026, 5, 20), "SH100008", None, None, "ok", True, "陈伟"),
    ("TGHU7000099", D(2026, 5, 25), "SH100009", D(2026, 5, 24), "SH100009", "ok", True, "陈伟"),
]
INSPECTION_POINTS = ("front_wall", "left_side", "right_side", "floor", "ceiling_roof", "doors", "undercarriage")


def _seal_rows() -> list[dict[str, Any]]:
    return [{"date": d, "container_no": c, "seal_no": s, "seal_type": "ISO 17712 H bolt", "applied_by": "李强",
             "verified_by": verifier, "vvtt_done": vvtt} for c, d, s, _, _, _, vvtt, verifier in CONTAINERS]


def _inspection_rows() -> list[dict[str, Any]]:
    rows = []
    for c, _, _, day, seal, points, _, _ in CONTAINERS:
        if day is None:
            continue
        row = {"date": day, "container_no": c, "seal_no": seal, "inspector": "王芳"}
        row.update({p: "pass" for p in INSPECTION_POINTS})
        if points != "ok":
            row["floor"], row["ceiling_roof"] = "fail", None
        rows.append(row)
    return rows


VISITORS = [  # (date, name, company, id checked, time out)
    (D(2026, 3, 4), "Tom Baker", "Acme Retail QA", True, "11:30"), (D(2026, 3, 19), "刘洋", "申通快递", True, "10:05"),
    (D(2026, 4, 8), "赵磊", "上海某设备维修", False, "16:00"), (D(2026, 4, 21), "Anna Weber", "Buyer Audit GmbH", True, "15:40"),
    (D(2026, 5, 13), "孙梅", "消防检测中心", True, None), (D(2026, 5, 27), "Li Na", "Sample Courier", True, "09:50"),
]


def _visitor_rows(rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for k, (day, name, company, checked, out) in enumerate(VISITORS):
        born = D(1980 + k, 1 + k, 10 + k)
        rows.append({"date": day, "visitor_name": name, "company": company, "id_type": "ID card",
                     "id_number": _national_id(rng, born, "M"), "id_checked": checked, "host": "行政部",
                     "time_in": "09:00", "time_out": out, "badge_no": f"V{k + 1:03d}", "escort": "张敏"})
    return rows


LICENSES = [  # (type as written, English, number, holder, holder USCC, valid until)
    ("营业执照", "Business License", FACTORY_USCC, LEGAL_NAME_LOCAL, FACTORY_USCC, D(2045, 6, 30)),
    ("营业执照", "Business License", FACTORY_USCC, LEGAL_NAME_LOCAL, FACTORY_USCC, D(2021, 1, 1)),  # the old copy
    ("消防验收意见书", "Fire Safety Acceptance", "沪消验字〔2019〕第0123号", LEGAL_NAME_LOCAL, None, D(2026, 5, 1)),
    ("排污许可证", "Pollutant Discharge Permit", "91310115MA1K35Y38P001V", LEGAL_NAME, None, D(2026, 8, 1)),
    ("食品经营许可证", "Canteen Food Business License", "JY23101150012345", "上海示例餐饮管理有限公司", None, D(2028, 3, 1)),
    ("特种设备使用登记证", "Special Equipment Use Registration", "梯11沪B0123(19)", LEGAL_NAME_LOCAL, "91350211M0000XUF46",
     D(2027, 9, 30)),
]
REQUIRED_LICENSES = ["business_license", "fire_safety", "discharge_permit", "dormitory"]


def _license_rows(language: str) -> list[dict[str, Any]]:
    return [{"license_type": zh if language == "zh" else en, "number": number, "holder_name": holder,
             "holder_uscc": uscc, "address": "上海市浦东新区示例路88号", "issue_date": D(2019, 6, 1),
             "valid_until": until, "issuer": "上海市浦东新区市场监督管理局"}
            for zh, en, number, holder, uscc, until in LICENSES]


LOG_HEADERS = {
    "gate": {"en": {"worker_id": "Badge", "name": "Name", "timestamp": "Swipe Time", "direction": "Direction",
                    "gate": "Gate", "date": "Date", "time": "Time"},
             "zh": {"worker_id": "工号", "name": "姓名", "timestamp": "刷卡时间", "direction": "进出", "gate": "门岗",
                    "date": "日期", "time": "时间"}},
    "visitors": {"en": {"date": "Date", "visitor_name": "Visitor Name", "company": "Company", "id_type": "ID Type",
                        "id_number": "ID Number", "id_checked": "ID Checked", "host": "Host", "time_in": "Time In",
                        "time_out": "Time Out", "badge_no": "Badge No", "escort": "Escort"},
                 "zh": {"date": "日期", "visitor_name": "访客姓名", "company": "来访单位", "id_type": "证件类型",
                        "id_number": "证件号码", "id_checked": "证件核验", "host": "被访人", "time_in": "进入时间",
                        "time_out": "离开时间", "badge_no": "访客证号", "escort": "陪同人"}},
    "seals": {"en": {"date": "Date", "container_no": "Container No", "seal_no": "Seal No", "seal_type": "Seal Type",
                     "applied_by": "Sealed By", "verified_by": "Verified By", "vvtt_done": "VVTT"},
              "zh": {"date": "日期", "container_no": "柜号", "seal_no": "封条号", "seal_type": "封条类型",
                     "applied_by": "施封人", "verified_by": "核查人", "vvtt_done": "VVTT检查"}},
    "inspections": {"en": {"date": "Inspection Date", "container_no": "Container No", "seal_no": "Seal No",
                           "front_wall": "Front Wall", "left_side": "Left Side", "right_side": "Right Side",
                           "floor": "Floor", "ceiling_roof": "Ceiling/Roof", "doors": "Inside/Outside Doors",
                           "undercarriage": "Outside/Undercarriage", "inspector": "Inspector"},
                    "zh": {"date": "检查日期", "container_no": "柜号", "seal_no": "封条号", "front_wall": "前壁",
                           "left_side": "左侧", "right_side": "右侧", "floor": "地板", "ceiling_roof": "顶部",
                           "doors": "内外门", "undercarriage": "底盘", "inspector": "检查人"}},
    "licenses": {"en": {"license_type": "License", "number": "License No", "holder_name": "Holder",
                        "holder_uscc": "USCC", "address": "Address", "issue_date": "Issue Date",
                        "valid_until": "Valid Until", "issuer": "Issued By"},
                 "zh": {"license_type": "证照名称", "number": "证号", "holder_name": "持证单位",
                        "holder_uscc": "统一社会信用代码", "address": "地址", "issue_date": "发证日期",
                        "valid_until": "有效期至", "issuer": "发证机关"}},
}


def _cell(value: Any, style: str, field_name: str) -> Any:
    """A value as each style writes it."""
    zh = style == "zh-gbk"
    if value is None:
        return None if style in ("bilingual-xlsx", "mixed") else ""
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("Y" if value else "N")
    if field_name == "direction":
        return ("进" if value == "in" else "出") if zh else value.upper()
    if field_name in INSPECTION_POINTS:
        return ("合格" if value == "pass" else "不合格") if zh else value
    if isinstance(value, dt.datetime):
        return {"zh-gbk": f"{_fmt_date(value.date(), 'cjk')} {value:%H:%M}", "mixed": f"{value:%d/%m/%Y %H:%M}",
                "en": f"{value:%Y-%m-%d %H:%M}"}.get(style, value)
    if isinstance(value, D):
        return {"zh-gbk": _fmt_date(value, "cjk"), "bilingual-xlsx": value}.get(style, value.isoformat())
    return value


def _log_files(style: str, logs: dict[str, list[dict[str, Any]]], rng: random.Random) -> dict[str, bytes]:
    import openpyxl

    files = {}
    for stem, rows in logs.items():
        language = "zh" if style == "zh-gbk" else "en"
        headers = dict(LOG_HEADERS[stem][language])
        fields = [f for f in headers if f not in ("date", "time") or stem != "gate"]
        if style == "bilingual-xlsx":
            headers = {f: f"{LOG_HEADERS[stem]['zh'][f]} / {LOG_HEADERS[stem]['en'][f]}" for f in headers}
            if stem == "gate":  # date and time in two columns, as many access-control exports do
                fields = ["worker_id", "name", "date", "time", "direction", "gate"]
                rows = [{**r, "date": r["timestamp"].date(), "time": r["timestamp"].time()} for r in rows]
        if style == "mixed":
            fields = _shuffled(rng, fields)
        table = [[headers[f] for f in fields]] + [[_cell(r.get(f), style, f) for f in fields] for r in rows]
        folder = "licenses" if stem == "licenses" else "security"
        if style in ("en", "zh-gbk"):
            files[f"{folder}/{stem}.csv"] = _csv(table, encoding="gbk" if style == "zh-gbk" else "utf-8")
        else:
            book = openpyxl.Workbook()
            for row in table:
                book.active.append(row)
            files[f"{folder}/{stem}.xlsx"] = _save(book)
    return files


# ------------------------------------------------------------------ the oracle


def _month_start(month: str) -> str:
    return f"{month}-01"


def _day_ot(worker: Worker, day: D) -> float:
    h = _hours(worker, day)
    return max(0.0, h - P["regular_daily_hours"]) if day_type(day) == "weekday" else h


def _night(worker: Worker, day: D) -> bool:
    return any((b - a) % 1440 > 0 and (a < 360 or a + (b - a) % 1440 > 1320) for a, b in worker.days[day])


def _age_on(born: D, day: D) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _ric_ok(number: str, today: D) -> bool:
    from stdnum.cn import ric

    try:
        born = D(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return born <= today and ric.calc_check_digit(number) == number[-1]


def _oracle_logs(workers: list[Worker], pay: list[dict[str, Any]], gate: list[dict[str, Any]],
                 roster_birth_column: bool) -> list[Truth]:
    truth: list[Truth] = []
    on_roster = [w for w in workers if w.on_roster]
    by_id: dict[str, list[str]] = {}
    for w in on_roster:
        by_id.setdefault(w.national_id, []).append(w.worker_id)
        written_birth = (w.roster_birth or w.birth) if roster_birth_column else None
        id_ok = _ric_ok(w.national_id, AUDIT_DATE)
        id_birth = D(int(w.national_id[6:10]), int(w.national_id[10:12]), int(w.national_id[12:14])) if id_ok else None
        if not id_ok or (written_birth is not None and written_birth != id_birth):
            truth.append(Truth("ID-INVALID", {"worker_id": w.worker_id}, None))
        born = written_birth or id_birth
        if born is None:
            continue
        juvenile_months = {d.strftime("%Y-%m") for d in w.days
                           if P["minimum_age"] <= _age_on(born, d) < P["juvenile_age"]
                           and (_day_ot(w, d) > 0 or _night(w, d))}
        truth += [Truth("LAB-JUVENILE-RESTRICTED", {"worker_id": w.worker_id}, _month_start(m)) for m in juvenile_months]
    truth += [Truth("INT-DUPLICATE-ID", {"worker_id": x}, None) for ids in by_id.values() if len(ids) > 1 for x in ids]
    signatures: dict[tuple[str, tuple], list[str]] = {}
    paid = {(line["worker_id"], line["period"]) for line in pay}
    paid_months = {line["period"] for line in pay}
    for w in workers:
        for month in MONTHS:
            days = sorted(d for d in w.days if d.strftime("%Y-%m") == month)
            if days and month in paid_months and (w.worker_id, month) not in paid:
                truth.append(Truth("XDOC-NO-PAYROLL", {"worker_id": w.worker_id}, _month_start(month)))
            if len(days) < 10:
                continue
            ins = {min(a for a, _ in w.days[d]) for d in days}
            outs = {max(a + (b - a) % 1440 for a, b in w.days[d]) for d in days}
            if len(ins) <= 2 and len(outs) <= 2:
                truth.append(Truth("INT-UNIFORM-PUNCHES", {"worker_id": w.worker_id}, _month_start(month)))
            signatures.setdefault((month, tuple((d, tuple(w.days[d])) for d in days)), []).append(w.worker_id)
    truth += [Truth("INT-IDENTICAL-RECORDS", {"worker_id": x}, _month_start(month))
              for (month, _), ids in signatures.items() if len(ids) > 1 for x in ids]
    for w in workers:
        lines = [line for line in pay if line["worker_id"] == w.worker_id]
        if len(lines) >= 3 and all(abs(line["ot_hours_weekday"] + line["ot_hours_restday"] + line["ot_hours_holiday"]
                                       - P["max_monthly_ot_hours"]) < 0.005 for line in lines):
            truth.append(Truth("INT-OT-AT-CAP", {"worker_id": w.worker_id}, min(_month_start(x["period"]) for x in lines)))
    for line in pay:
        y, m = map(int, line["period"].split("-"))
        month_end = D(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
        if (line["pay_date"] - month_end).days > P["max_pay_delay_days"]:
            truth.append(Truth("LAB-PAY-LATE", {"worker_id": line["worker_id"]}, _month_start(line["period"])))
    # gate: one in/out pair a day in this data, so each pair is judged against its own day
    spans = {(w.worker_id, d): _span(w, d) for w in workers for d in w.days}
    tolerance = dt.timedelta(minutes=P["gate_tolerance_minutes"])
    by_worker: dict[str, list[dict[str, Any]]] = {}
    for r in gate:
        by_worker.setdefault(r["worker_id"], []).append(r)
    for worker_id, events in by_worker.items():
        for entry, leave in zip(events[0::2], events[1::2]):
            day = entry["timestamp"].date()  # every shift here starts after its gate entry, the same day
            span = spans.get((worker_id, day))
            if span is None:
                truth.append(Truth("XDOC-GATE-TIMESHEET", {"worker_id": worker_id}, day.isoformat()))
            elif span[0] - entry["timestamp"] > tolerance or leave["timestamp"] - span[1] > tolerance:
                truth.append(Truth("XDOC-GATE-TIMESHEET", {"worker_id": worker_id}, day.isoformat()))
    return truth


def _oracle_documents(profile_period: tuple[D, D]) -> list[Truth]:
    truth: list[Truth] = []
    latest: dict[str, D] = {}
    kinds = {"营业执照": "business_license", "消防验收意见书": "fire_safety", "排污许可证": "discharge_permit",
             "食品经营许可证": "canteen_hygiene", "特种设备使用登记证": "special_equipment"}
    from stdnum.cn import uscc

    for zh, _, number, holder, code, until in LICENSES:
        kind = kinds[zh]
        latest[kind] = max(latest.get(kind, until), until)
        if holder not in (LEGAL_NAME, LEGAL_NAME_LOCAL) or (code and code != FACTORY_USCC):
            truth.append(Truth("LIC-HOLDER-MISMATCH", {"license_type": kind}, None))
        codes = {code} | ({number} if kind == "business_license" else set())
        if any(c and uscc.calc_check_digit(c[:17]) != c[17] for c in codes):
            truth.append(Truth("LIC-INVALID-NUMBER", {"license_type": kind}, None))
    truth += [Truth("LIC-MISSING", {"license_type": t}, None) for t in REQUIRED_LICENSES if t not in latest]
    for kind, until in latest.items():
        if until < AUDIT_DATE:
            truth.append(Truth("LIC-EXPIRED", {"license_type": kind}, until.isoformat()))
        elif (until - AUDIT_DATE).days <= P["license_warning_days"]:
            truth.append(Truth("LIC-EXPIRING", {"license_type": kind}, until.isoformat()))
    sealed: dict[str, list[str]] = {}
    for c, day, seal, inspected_on, inspected_seal, points, vvtt, verifier in CONTAINERS:
        sealed.setdefault(seal, []).append(c)
        subject = {"container_no": c}
        if inspected_on is None:
            truth.append(Truth("SEC-INSPECTION-MISSING", subject, day.isoformat()))
        elif inspected_seal != seal:
            truth.append(Truth("SEC-SEAL-MISMATCH", subject, day.isoformat()))
        if inspected_on is not None and points != "ok":
            truth.append(Truth("SEC-INSPECTION-INCOMPLETE", subject, inspected_on.isoformat()))
        if not vvtt or not verifier:
            truth.append(Truth("SEC-SEAL-VVTT", subject, day.isoformat()))
    truth += [Truth("SEC-SEAL-REUSED", {"seal_no": s}, None) for s, cs in sealed.items() if len(cs) > 1]
    for day, name, _, checked, out in VISITORS:
        subject = {"visitor": f"{name}|{day.isoformat()}"}
        if not checked:
            truth.append(Truth("SEC-VISITOR-ID", subject, day.isoformat()))
        if out is None:
            truth.append(Truth("SEC-VISITOR-EXIT", subject, day.isoformat()))
    month, end = profile_period[0].replace(day=1), profile_period[1]
    while month <= end:
        if month.strftime("%Y-%m") not in MONTHS:
            truth += [Truth("DQ-PERIOD-GAP", {"record_kind": k}, month.isoformat()) for k in ("timesheet", "payroll")]
        month = D(month.year + month.month // 12, month.month % 12 + 1, 1)
    return truth


def _month_start_date(month: str) -> D:
    return D(int(month[:4]), int(month[5:7]), 1)


def _days_in_month(month: str) -> int:
    first = _month_start_date(month)
    return ((first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - first).days


def _oracle(workers: list[Worker], pay: list[dict[str, Any]], states_rate: bool,
            bad_documents: dict[str, str]) -> list[Truth]:
    truth: list[Truth] = []
    for w in workers:
        subject = {"worker_id": w.worker_id}
        days = sorted(w.days)
        hours = {d: _hours(w, d) for d in days}
        for d in days:
            if hours[d] > P["max_daily_hours"] + 1e-9:
                truth.append(Truth("LAB-HOURS-DAY-MAX", subject, d.isoformat()))
        weeks: dict[D, float] = {}
        for d in days:
            monday = d - dt.timedelta(days=d.weekday())
            weeks[monday] = weeks.get(monday, 0) + hours[d]
        truth += [Truth("LAB-HOURS-WEEK-MAX", subject, m.isoformat())
                  for m, h in weeks.items() if h > P["max_weekly_hours"] + 1e-9]
        for month in MONTHS:
            mh = _month_hours(w, month)
            if mh["wd"] + mh["rd"] + mh["hol"] > P["max_monthly_ot_hours"] + 1e-9:
                truth.append(Truth("LAB-OT-MONTH-MAX", subject, _month_start(month)))
        run_start, previous, length = None, None, 0
        for d in days + [None]:
            if d is not None and previous is not None and d - previous == dt.timedelta(days=1):
                length += 1
            else:
                if run_start is not None and length > P["max_consecutive_days"]:
                    truth.append(Truth("LAB-REST-DAY", subject, run_start.isoformat()))
                run_start, length = d, 1
            previous = d
        sixteen = D(w.birth.year + P["minimum_age"], w.birth.month, w.birth.day)
        child_days = [d for d in days if d < sixteen]
        if w.on_roster and child_days:
            truth.append(Truth("LAB-CHILD-LABOR", subject, child_days[0].isoformat()))
        if not w.on_roster:
            truth.append(Truth("XDOC-WORKER-UNKNOWN", subject, None))
    for line in pay:
        subject, start = {"worker_id": line["worker_id"]}, _month_start(line["period"])
        worker = next(w for w in workers if w.worker_id == line["worker_id"])
        # a full month owes the full minimum; a month the worker joined in, the days employed
        first, days_in = _month_start_date(line["period"]), _days_in_month(line["period"])
        employed = days_in - max(0, (worker.hire - first).days) if worker.hire > first else days_in
        share = max(0, employed) / days_in
        if line["base_pay"] < round(P["minimum_wage_monthly"] * share, 2) - 0.005:
            truth.append(Truth("LAB-MIN-WAGE", subject, start))
        rate = line["base_pay"] / P["standard_monthly_hours"]  # CN: monthly ÷ 21.75 ÷ 8, stated or not
        owed = rate * (P["ot_premium_weekday"] * line["ot_hours_weekday"] + P["ot_premium_restday"]
                       * line["ot_hours_restday"] + P["ot_premium_holiday"] * line["ot_hours_holiday"])
        if line["ot_pay"] < owed - 1.0:
            truth.append(Truth("LAB-OT-PREMIUM", subject, start))
        gross_off = abs(line["gross_pay"] - (line["base_pay"] + line["ot_pay"] + line["allowances"]))
        net_off = abs(line["net_pay"] - (line["gross_pay"] - line["deductions"] - line["social_insurance"]))
        if max(gross_off, net_off) > 1.0 + 1e-9:
            truth.append(Truth("LAB-PAYROLL-ARITHMETIC", subject, start))
        time_hours = sum(_hours(worker, d) for d in worker.days if d.strftime("%Y-%m") == line["period"])
        pay_hours = (line["regular_hours"] + line["ot_hours_weekday"] + line["ot_hours_restday"]
                     + line["ot_hours_holiday"])
        if round(abs(pay_hours - time_hours), 2) > round(max(2.0, 0.05 * time_hours), 2):
            truth.append(Truth("XDOC-HOURS-MISMATCH", subject, start))
    for path, rule in bad_documents.items():
        truth.append(Truth(rule, {"document": path}, None))
    return truth


# ------------------------------------------------------------------ writing styles

ROSTER_HEADERS = {
    "en": {"worker_id": "Employee ID", "name": "Name", "national_id": "ID Card No", "birth_date": "Date of Birth",
           "gender": "Gender", "hire_date": "Join Date", "department": "Department"},
    "zh": {"worker_id": "工号", "name": "姓名", "national_id": "身份证号码", "birth_date": "出生日期",
           "gender": "性别", "hire_date": "入职日期", "department": "部门"},
    "bi": {"worker_id": "工号 / Emp. No.", "name": "姓名 / Name", "national_id": "身份证号 / ID No.",
           "gender": "性别 / Sex", "hire_date": "入厂日期 / Hire Date", "department": "部门 / Dept"},
}
PAY_HEADERS = {
    "en": {"worker_id": "Emp. No.", "name": "Employee Name", "period": "Pay Period",
           "regular_hours": "Regular Hours", "ot_hours_weekday": "OT Hours Weekday",
           "ot_hours_restday": "OT Hours Rest Day", "ot_hours_holiday": "OT Hours Holiday",
           "hourly_rate": "Hourly Rate", "base_pay": "Basic Salary", "ot_pay": "Overtime Pay",
           "allowances": "Allowances", "deductions": "Deductions", "social_insurance": "Social Insurance",
           "gross_pay": "Gross Pay", "net_pay": "Net Pay", "pay_date": "Payment Date"},
    "zh": {"worker_id": "员工编号", "name": "姓名", "period": "工资月份", "regular_hours": "正常工时",
           "ot_hours_weekday": "平时加班工时", "ot_hours_restday": "休息日加班工时",
           "ot_hours_holiday": "法定假日加班工时", "hourly_rate": "小时工资", "base_pay": "基本工资",
           "ot_pay": "加班费", "allowances": "津贴", "deductions": "扣款", "social_insurance": "社保",
           "gross_pay": "应发工资", "net_pay": "实发工资", "pay_date": "发放日期"},
}
TIME_HEADERS = {
    "en": {"worker_id": "Staff No", "name": "Name", "date": "Date", "in1": "In 1", "out1": "Out 1",
           "in2": "In 2", "out2": "Out 2", "in3": "In 3", "out3": "Out 3", "break_minutes": "Break Minutes"},
    "zh": {"worker_id": "工号", "name": "姓名", "date": "日期", "in1": "上班1", "out1": "下班1",
           "in2": "上班2", "out2": "下班2", "in3": "加班上班", "out3": "加班下班", "break_minutes": "休息分钟"},
}


def _shuffled(rng: random.Random, fields: list[str], keep_first: int = 1) -> list[str]:
    head, tail = fields[:keep_first], fields[keep_first:]
    rng.shuffle(tail)
    return head + tail


def _csv(rows: list[list[Any]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def _fmt_date(d: D, style: str) -> str:
    return {"iso": d.isoformat(), "cjk": f"{d.year}年{d.month}月{d.day}日",
            "dmy": d.strftime("%d/%m/%Y"), "slash": f"{d.year}/{d.month}/{d.day}"}[style]


def _time_rows(workers: list[Worker], month: str) -> list[dict[str, Any]]:
    rows = []
    for w in workers:
        for d in sorted(x for x in w.days if x.strftime("%Y-%m") == month):
            pairs = w.days[d]
            row = {"worker_id": w.worker_id, "name": w.name, "date": d, "pairs": pairs,
                   "break_minutes": w.breaks.get(d, 0)}
            rows.append(row)
    return rows


def _roster_value(w: Worker, f: str, date_style: str) -> Any:
    return {"worker_id": w.worker_id, "name": w.name, "national_id": w.national_id,
            "birth_date": _fmt_date(w.roster_birth or w.birth, date_style), "gender": "男" if w.gender == "M" else "女",
            "hire_date": _fmt_date(w.hire, date_style), "department": w.department}[f]


def _write_en(workers, pay, rng) -> dict[str, bytes]:
    files = {}
    rh = ROSTER_HEADERS["en"]
    fields = _shuffled(rng, list(rh))
    files["hr/roster.csv"] = _csv([[rh[f] for f in fields]] + [
        [_roster_value(w, f, "iso") if f != "gender" else w.gender for f in fields] for w in workers if w.on_roster])
    th = TIME_HEADERS["en"]
    for month in MONTHS:
        fields = _shuffled(rng, list(th), keep_first=3)
        rows = [[th[f] for f in fields]]
        for r in _time_rows(workers, month):
            pairs = r["pairs"] + [(None, None)] * (3 - len(r["pairs"]))
            values = {"worker_id": r["worker_id"], "name": r["name"], "date": r["date"].isoformat(),
                      "break_minutes": r["break_minutes"]}
            for k, (a, b) in enumerate(pairs, 1):
                values[f"in{k}"], values[f"out{k}"] = (hm(a) if a is not None else ""), (hm(b) if b is not None else "")
            rows.append([values[f] for f in fields])
        files[f"time/attendance-{month}.csv"] = _csv(rows)
    ph = PAY_HEADERS["en"]
    fields = _shuffled(rng, list(ph))
    files["payroll/payroll-2026Q2.csv"] = _csv([[ph[f] for f in fields]] + [
        ["" if line[f] is None else (line[f].isoformat() if isinstance(line[f], D) else line[f]) for f in fields]
        for line in pay])
    return files


def _write_zh_gbk(workers, pay, rng) -> dict[str, bytes]:
    """Everything as Chinese Excel saves "CSV": GBK, Chinese headers, 2026年3月2日 dates; the
    time records tab-separated; the roster without a birth-date column (age from the ID)."""
    files = {}
    rh = {k: v for k, v in ROSTER_HEADERS["zh"].items() if k != "birth_date"}
    fields = _shuffled(rng, list(rh))
    files["人事/花名册.csv"] = _csv([[rh[f] for f in fields]] + [
        [_roster_value(w, f, "cjk") for f in fields] for w in workers if w.on_roster], encoding="gbk")
    th = TIME_HEADERS["zh"]
    for month in MONTHS:
        fields = _shuffled(rng, list(th), keep_first=2)
        rows = [[th[f] for f in fields]]
        for r in _time_rows(workers, month):
            pairs = r["pairs"] + [(None, None)] * (3 - len(r["pairs"]))
            values = {"worker_id": r["worker_id"], "name": r["name"], "date": _fmt_date(r["date"], "cjk"),
                      "break_minutes": r["break_minutes"] or ""}
            for k, (a, b) in enumerate(pairs, 1):
                values[f"in{k}"], values[f"out{k}"] = (hm(a) if a is not None else ""), (hm(b) if b is not None else "")
            rows.append([values[f] for f in fields])
        files[f"考勤/{month}考勤.csv"] = _csv(rows, delimiter="\t", encoding="gbk")
    ph = PAY_HEADERS["zh"]
    fields = _shuffled(rng, list(ph))
    files["工资/工资表.csv"] = _csv([[ph[f] for f in fields]] + [
        ["" if line[f] is None else (_fmt_date(line[f], "cjk") if isinstance(line[f], D)
                                     else (f"{line[f][:4]}年{int(line[f][5:])}月" if f == "period" else line[f]))
         for f in fields] for line in pay], encoding="gbk")
    return files


def _write_bilingual_xlsx(workers, pay, rng) -> dict[str, bytes]:
    """Excel: title rows, one-cell bilingual headers, two-line headers under merged group cells
    (上午 / AM over In and Out), native dates and times, a payroll sheet per month whose period is
    only in the sheet name."""
    import openpyxl

    files = {}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册 Roster"
    rh = ROSTER_HEADERS["bi"]
    fields = _shuffled(rng, list(rh))
    sheet.append(["上海示例服装有限公司 员工花名册 / Employee Roster"])
    sheet.append([])
    sheet.append([rh[f] for f in fields])
    for w in workers:
        if w.on_roster:
            sheet.append([{"hire_date": w.hire, "gender": "男" if w.gender == "M" else "女"}.get(f) or
                          _roster_value(w, f, "iso") for f in fields])
    files["HR/roster.xlsx"] = _save(book)

    book = openpyxl.Workbook()
    book.remove(book.active)
    for month in MONTHS:
        sheet = book.create_sheet(f"{month} 考勤")
        sheet.append([f"{month[:4]}年{int(month[5:])}月考勤记录 / Attendance {month}"])
        sheet.append(["工号", "姓名", "日期", "上午 / AM", None, "下午 / PM", None, "加班 / OT", None, "休息分钟"])
        sheet.append(["Emp. No.", "Name", "Date", "上班 In", "下班 Out", "上班 In", "下班 Out", "上班 In",
                      "下班 Out", "Break Min"])
        for c0 in (4, 6, 8):
            sheet.merge_cells(start_row=2, start_column=c0, end_row=2, end_column=c0 + 1)
        for r in _time_rows(workers, month):
            pairs = r["pairs"] + [(None, None)] * (3 - len(r["pairs"]))
            times = [dt.time(x // 60 % 24, x % 60) if x is not None else None for p in pairs for x in p]
            sheet.append([r["worker_id"], r["name"], r["date"], *times, r["break_minutes"]])
    files["attendance/考勤记录2026.xlsx"] = _save(book)

    book = openpyxl.Workbook()
    book.remove(book.active)
    ph = {f: f"{PAY_HEADERS['zh'][f]}\n{PAY_HEADERS['en'][f]}" for f in PAY_HEADERS["en"] if f != "period"}
    fields = _shuffled(rng, list(ph))
    for month in MONTHS:
        sheet = book.create_sheet(month)
        sheet.append(["工资表 Payroll — 上海示例服装有限公司"])
        sheet.append([ph[f] for f in fields])
        for line in (x for x in pay if x["period"] == month):
            sheet.append([line[f] for f in fields])
        sheet.append(["合计 / Total"] + [None] * (len(fields) - 1))
    files["payroll/wages-2026.xlsx"] = _save(book)
    return files


def _write_mixed(workers, pay, rng) -> dict[str, bytes]:
    """A legacy .xls roster; time records as UTF-8-with-BOM, ';'-separated, day-first dates and
    all punches in one column; payroll in .xlsx with amounts as currency text."""
    import openpyxl
    import xlwt

    files = {}
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    rh = {**ROSTER_HEADERS["en"], "worker_id": "Staff ID", "birth_date": "DOB"}
    fields = _shuffled(rng, list(rh))
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for c, f in enumerate(fields):
        sheet.write(0, c, rh[f])
    for r, w in enumerate((w for w in workers if w.on_roster), 1):
        for c, f in enumerate(fields):
            if f in ("birth_date", "hire_date"):
                sheet.write(r, c, (w.roster_birth or w.birth) if f == "birth_date" else w.hire, date_style)
            else:
                sheet.write(r, c, w.gender if f == "gender" else _roster_value(w, f, "iso"))
    buf = io.BytesIO()
    book.save(buf)
    files["roster.xls"] = buf.getvalue()

    rows = [["Date", "Employee ID", "Name", "Punch Records", "Break"]]
    for month in MONTHS:
        for r in _time_rows(workers, month):
            punches = " ".join(f"{hm(a)}-{hm(b)}" for a, b in r["pairs"])
            rows.append([_fmt_date(r["date"], "dmy"), r["worker_id"], r["name"], punches, r["break_minutes"]])
    files["time/clock-export.csv"] = b"\xef\xbb\xbf" + _csv(rows, delimiter=";")

    book = openpyxl.Workbook()
    sheet = book.active
    ph = {**PAY_HEADERS["en"], "base_pay": "Base Salary (RMB)", "net_pay": "Take Home"}
    fields = _shuffled(rng, list(ph))
    sheet.append([ph[f] for f in fields])
    for line in pay:
        sheet.append([f"¥{line[f]:,.2f}" if f in ("base_pay", "gross_pay", "net_pay") and line[f] is not None
                      else (line[f].isoformat() if isinstance(line[f], D) else line[f]) for f in fields])
    files["payroll.xlsx"] = _save(book)
    return files


def _save(book) -> bytes:
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


STYLES = {"en": _write_en, "zh-gbk": _write_zh_gbk, "bilingual-xlsx": _write_bilingual_xlsx,
          "mixed": _write_mixed, "scanned": _write_en}


def _pdf_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, D):
        return value.isoformat()
    return str(value)


def _license_lines(zh: str, en: str, number: str, holder: str, code: str | None, until: D) -> list[str]:
    lines = [f"{zh} {en}"]
    if code:
        lines.append(f"统一社会信用代码：{code}")
    lines += [f"编号：{number}", f"名称：{holder}", "住所：上海市浦东新区示例路88号",
              f"有效期至：{until.year}年{until.month}月{until.day}日", "发证机关：上海市浦东新区市场监督管理局"]
    return lines


#: the security logs printed and scanned into one PDF: the seal log a Chinese register (是/否, 2026年3月10日)
SCANNED_LOGS = {"visitors": "Visitors", "seals": "封条使用登记", "inspections": "Inspections"}
SCANNED_TIME_PAGES = 2  # of March's attendance register
SCAN_DPI = (200, 300)  # each page scanned at a resolution drawn from this range
SCAN_SKEW = 3.0        # degrees, either way


def _as_documents(files: dict[str, bytes], workers: list[Worker], pay: list[dict[str, Any]],
                  logs: dict[str, list[dict[str, Any]]], seed: int) -> dict[str, bytes]:
    """The English pack as paper: March's time records printed (digital PDF) but for their first
    pages, which arrive scanned; the payroll printed; the security logs printed (the seal log as a
    Chinese register) and scanned into one PDF (three documents of three kinds, the inspection
    page fed in sideways); the certificates as PDF pages and the business license as a phone
    photo. Scans are at 200-300 dpi with up to 3° of skew, noise and JPEG artefacts."""
    from preaudit.samples import render

    th = TIME_HEADERS["en"]
    rows = []
    for r in _time_rows(workers, "2026-03"):
        pairs = r["pairs"] + [(None, None)] * (3 - len(r["pairs"]))
        rows.append([r["worker_id"], r["name"], r["date"].isoformat(),
                     *[hm(x) if x is not None else "" for p in pairs for x in p], r["break_minutes"]])
    files.pop("time/attendance-2026-03.csv")
    attendance = render.table_pdf("Attendance March 2026 / 2026年3月考勤", [th[f] for f in th], rows, font_size=8)
    # the register's first pages arrive as a scan, the rest as the printout's PDF (the header
    # repeats on every page, so each part stands alone)
    scanned, printed = _split_pdf(attendance, SCANNED_TIME_PAGES)
    files["time/attendance-2026-03.pdf"] = printed
    files["time/attendance-2026-03-scan.pdf"] = render.scan(scanned, dpi=SCAN_DPI, max_skew=SCAN_SKEW, seed=seed + 1)
    ph = PAY_HEADERS["en"]
    files.pop("payroll/payroll-2026Q2.csv")
    files["payroll/payroll-2026Q2.pdf"] = render.table_pdf(
        "Payroll register March-May 2026", [ph[f] for f in ph],
        [[_pdf_value(line[f]) for f in ph] for line in pay], landscape=True, font_size=6.5)
    pages = []
    for stem, title in SCANNED_LOGS.items():
        files.pop(f"security/{stem}.csv")
        chinese = any(ord(c) > 0x3000 for c in title)
        headers = LOG_HEADERS[stem]["zh" if chinese else "en"]
        value = (lambda v, f: _cell(v, "zh-gbk", f)) if chinese else (lambda v, f: _pdf_value(v))
        pages.append(render.table_pdf(title, [headers[f] for f in headers],
                                      [[value(r.get(f), f) for f in headers] for r in logs[stem]],
                                      landscape=True, font_size=10))
    files["security/security-logs-scan.pdf"] = render.scan(_concat_pdfs(pages), dpi=SCAN_DPI, max_skew=SCAN_SKEW,
                                                            seed=seed, sideways_pages=(3,))
    files.pop("licenses/licenses.csv")
    current = LICENSES[0]
    files["licenses/business-license-photo.jpg"] = render.photo(_license_lines(*current), seed=seed)
    files["licenses/certificates.pdf"] = render.text_pdf([_license_lines(*lic) for lic in LICENSES[1:]])
    return files


def _split_pdf(pdf: bytes, first: int) -> tuple[bytes, bytes]:
    """(the first ``first`` pages, the rest) as two PDFs."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(pdf)
    parts = []
    for indices in (list(range(first)), list(range(first, len(source)))):
        part = pdfium.PdfDocument.new()
        part.import_pages(source, indices)
        buf = io.BytesIO()
        part.save(buf)
        parts.append(buf.getvalue())
    return parts[0], parts[1]


def _concat_pdfs(pdfs: list[bytes]) -> bytes:
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    for data in pdfs:
        out.import_pages(pdfium.PdfDocument(data))
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def profile_yaml(factory_id: str = "F-SH-0001") -> bytes:
    return yaml.safe_dump({
        "factory_id": factory_id, "legal_name": LEGAL_NAME, "legal_name_local": LEGAL_NAME_LOCAL,
        "uscc": FACTORY_USCC, "address": "88 Example Road, Pudong, Shanghai",
        "jurisdiction": "CN-SH", "standards": ["sa8000", "ctpat"], "audit_date": AUDIT_DATE.isoformat(),
        "period": {"start": PROFILE_PERIOD[0].isoformat(), "end": PROFILE_PERIOD[1].isoformat()},
        "working_hour_system": "standard", "required_licenses": REQUIRED_LICENSES,
        "overrides": {"max_pay_delay_days": P["max_pay_delay_days"]}},
        allow_unicode=True, sort_keys=False).encode("utf-8")


def generate(style: str = "mixed", seed: int = 7, workers: int = 50) -> SamplePack:
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r} (known: {', '.join(STYLES)})")
    if workers < 25:
        raise ValueError("the seeded cases need at least 25 workers")
    rng = random.Random(seed)
    people = _make_workers(rng, workers)
    seeded = _seed(people, rng)
    states_rate = style != "mixed"  # the mixed payroll leaves the hourly rate out
    pay = [line for w in people for line in _pay_lines(w, rng, states_rate)]
    files = {"factory.yaml": profile_yaml(), **STYLES[style](people, pay, rng)}
    gate = _gate_rows(people, rng)
    logs = {"gate": gate, "visitors": _visitor_rows(rng), "seals": _seal_rows(), "inspections": _inspection_rows(),
            "licenses": _license_rows("en" if style in ("en", "mixed") else "zh")}
    files.update(_log_files("en" if style == "scanned" else style, logs, rng))
    if style == "scanned":
        files = _as_documents(files, people, pay, logs, seed)
    bad = {"misc/canteen-menu.csv": "DQ-UNCLASSIFIED", "misc/scan-0007.xlsx": "DQ-UNREADABLE"}
    files["misc/canteen-menu.csv"] = _csv([["菜品 Dish", "价格 Price"], ["红烧肉", "12"], ["青菜", "4"]])
    files["misc/scan-0007.xlsx"] = b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(512))
    seeded["DQ-UNCLASSIFIED"], seeded["DQ-UNREADABLE"] = ["misc/canteen-menu.csv"], ["misc/scan-0007.xlsx"]
    truth = _oracle(people, pay, states_rate, bad)
    truth += _oracle_logs(people, pay, gate, roster_birth_column=style in ("en", "mixed", "scanned"))
    truth += _oracle_documents(PROFILE_PERIOD)
    return SamplePack(style, files, truth, seeded, people)
