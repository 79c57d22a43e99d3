"""The sample factory's scenario: who works when, what they are paid, what the logs and licences
hold, and the seeded violations (``_seed``: each seeded worker breaks one rule or sits exactly on
its limit). Nothing here knows how a document is written (``writers``) or what the rules should
find (``oracle``)."""
from __future__ import annotations

import datetime as dt
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


def profile_yaml(factory_id: str = "F-SH-0001") -> bytes:
    return yaml.safe_dump({
        "factory_id": factory_id, "legal_name": LEGAL_NAME, "legal_name_local": LEGAL_NAME_LOCAL,
        "uscc": FACTORY_USCC, "address": "88 Example Road, Pudong, Shanghai",
        "jurisdiction": "CN-SH", "standards": ["sa8000", "ctpat"], "audit_date": AUDIT_DATE.isoformat(),
        "period": {"start": PROFILE_PERIOD[0].isoformat(), "end": PROFILE_PERIOD[1].isoformat()},
        "working_hour_system": "standard", "required_licenses": REQUIRED_LICENSES,
        "overrides": {"max_pay_delay_days": P["max_pay_delay_days"]}},
        allow_unicode=True, sort_keys=False).encode("utf-8")
