"""Each rule: a positive, a negative and a boundary case (CN-SH + SA8000 unless stated)."""
from __future__ import annotations

from tests.builders import dataset, day, week
from validators import RULES_BY_ID


def run(rule_id: str, **tables):
    return RULES_BY_ID[rule_id].run(dataset(**tables), None)


def keys(findings):
    return [(f.subject.get("worker_id"), (f.period or {}).get("start")) for f in findings]


PAIRS_8H = ("08:00-12:00", "13:00-17:00")


# ---------------------------------------------------------------- LAB-HOURS-DAY-MAX (CN: 8 + 3)

def test_day_max_positive_with_evidence():
    found = run("LAB-HOURS-DAY-MAX", timesheet=[day("E1", "2026-03-02", "08:00-12:00", "13:00-20:01")])
    assert keys(found) == [("E1", "2026-03-02")]
    f = found[0]
    assert (f.measured, f.limit, f.unit) == (11.02, 11.0, "hours") and "Labour Law Art 41" in f.sources[0]
    assert f.evidence[0].document == "time.csv" and f.evidence[0].row == 2 and "out2=20:01" in f.evidence[0].text


def test_day_max_boundary_and_negative():
    assert run("LAB-HOURS-DAY-MAX", timesheet=[day("E1", "2026-03-02", "08:00-12:00", "13:00-20:00"),
                                                day("E2", "2026-03-02", *PAIRS_8H)]) == []


def test_day_max_night_pair_belongs_to_the_day_it_started():
    found = run("LAB-HOURS-DAY-MAX", timesheet=[day("E1", "2026-03-06", "18:00-06:30", brk=30)])
    assert keys(found) == [("E1", "2026-03-06")] and found[0].measured == 12.0
    assert run("LAB-HOURS-DAY-MAX", timesheet=[day("E1", "2026-03-06", "21:00-05:30", brk=30)]) == []


def test_day_max_break_minutes_count():
    assert run("LAB-HOURS-DAY-MAX", timesheet=[day("E1", "2026-03-02", "08:00-20:00", brk=60)]) == []


# ---------------------------------------------------------------- LAB-HOURS-WEEK-MAX (SA8000: 60)

def test_week_max_positive_is_per_iso_week():
    rows = week("E1", "2026-03-02", ("08:00-12:00", "13:00-18:00"), days=6) + \
        [day("E1", "2026-03-08", "08:00-14:00")]  # Mon-Sat 9 h + Sun 6 h = 60 h
    rows[0] = day("E1", "2026-03-02", "08:00-12:00", "13:00-18:30")  # +0.5 h
    found = run("LAB-HOURS-WEEK-MAX", timesheet=rows)
    assert keys(found) == [("E1", "2026-03-02")] and found[0].measured == 60.5
    assert found[0].period == {"start": "2026-03-02", "end": "2026-03-08"} and "SA8000" in found[0].sources[0]


def test_week_max_boundary_and_weeks_do_not_mix():
    exactly_60 = week("E1", "2026-03-02", ("08:00-12:00", "13:00-18:00"), days=6) + [day("E1", "2026-03-08", "08:00-14:00")]
    # 40 h on Wed-Sun of one week plus 40 h Mon-Fri of the next: two weeks, neither above 60
    split = week("E2", "2026-03-04", PAIRS_8H, days=5) + week("E2", "2026-03-09", PAIRS_8H, days=5)
    assert run("LAB-HOURS-WEEK-MAX", timesheet=exactly_60 + split) == []


def test_week_max_needs_a_weekly_cap():
    rows = week("E1", "2026-03-02", ("08:00-12:00", "13:00-19:00"), days=7)
    assert run("LAB-HOURS-WEEK-MAX", timesheet=rows, standards=()) == []  # CN law has no weekly cap
    assert len(run("LAB-HOURS-WEEK-MAX", timesheet=rows)) == 1


# ---------------------------------------------------------------- LAB-OT-MONTH-MAX (CN: 36)

def march_days(worker: str, ot_days: int, pairs_ot=("08:00-12:00", "13:00-19:00")):
    from preaudit.data.calendar import day_types
    import datetime as dt

    dates = [dt.date(2026, 3, d) for d in range(1, 32)]
    types = day_types(dates, "CN", [5, 6])
    workdays = [d for d in dates if types[d] == "weekday"]
    return [day(worker, d.isoformat(), *(pairs_ot if k < ot_days else PAIRS_8H)) for k, d in enumerate(workdays)]


def test_ot_month_positive_counts_rest_day_hours():
    rows = march_days("E1", 16) + [day("E1", "2026-03-07", "08:00-12:01")]  # 32 h + 4.02 h on a Saturday
    found = run("LAB-OT-MONTH-MAX", timesheet=rows)
    assert keys(found) == [("E1", "2026-03-01")] and found[0].measured == 36.02
    assert found[0].period == {"start": "2026-03-01", "end": "2026-03-31"}


def test_ot_month_boundary_and_negative():
    rows = march_days("E1", 18) + march_days("E2", 3)  # exactly 36 h; 6 h
    assert run("LAB-OT-MONTH-MAX", timesheet=rows) == []


def test_ot_month_from_payroll_when_there_are_no_time_records():
    pay = [{"worker_id": "E1", "period": "2026-04", "base_pay": 3000, "ot_hours_weekday": 30, "ot_hours_restday": 8},
           {"worker_id": "E2", "period": "2026-04", "base_pay": 3000, "ot_hours_weekday": 36}]
    found = run("LAB-OT-MONTH-MAX", payroll=pay)
    assert keys(found) == [("E1", "2026-04-01")] and "by the payroll" in found[0].message


# ---------------------------------------------------------------- LAB-REST-DAY (6)

def test_rest_day_positive_reports_the_run():
    rows = week("E1", "2026-03-02", PAIRS_8H, days=7)
    found = run("LAB-REST-DAY", timesheet=rows)
    assert keys(found) == [("E1", "2026-03-02")] and found[0].measured == 7
    assert found[0].period == {"start": "2026-03-02", "end": "2026-03-08"}


def test_rest_day_boundary_and_a_gap_breaks_the_run():
    six = week("E1", "2026-03-02", PAIRS_8H, days=6)
    gap = week("E2", "2026-03-02", PAIRS_8H, days=6) + week("E2", "2026-03-09", PAIRS_8H, days=6)
    assert run("LAB-REST-DAY", timesheet=six + gap) == []


def test_rest_day_a_night_shift_does_not_fill_the_next_day():
    rows = [day("E1", d, "21:00-05:30", brk=30) for d in
            ("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07")]
    assert run("LAB-REST-DAY", timesheet=rows) == []


# ---------------------------------------------------------------- LAB-MIN-WAGE (CN-SH 2740 from 2025-07-01)

def pay(worker, period="2026-03", **values):
    return {"worker_id": worker, "period": period, **values}


def test_min_wage_positive_full_month_and_pro_rated_only_for_a_partial_month():
    roster = [{"worker_id": "E2", "hire_date": "2026-03-16"}, {"worker_id": "E3", "hire_date": "2020-01-06"}]
    found = run("LAB-MIN-WAGE", roster=roster,
                payroll=[pay("E1", base_pay=2739.99, regular_hours=176),
                         pay("E2", base_pay=1300, regular_hours=88),    # joined on the 16th: 16 of 31 days
                         pay("E3", base_pay=2600, regular_hours=160)])  # full month, fewer hours: no pro-rating
    assert sorted(keys(found)) == [("E1", "2026-03-01"), ("E2", "2026-03-01"), ("E3", "2026-03-01")]
    by = {f.subject["worker_id"]: f for f in found}
    assert by["E2"].limit == round(2740 * 16 / 31, 2) and "pro-rated" in by["E2"].message
    assert by["E3"].limit == 2740.0 and "pro-rated" not in by["E3"].message
    assert any("Shanghai" in s for s in by["E1"].sources)
    assert any("Minimum Wage Provisions" in s for s in by["E1"].sources)


def test_min_wage_boundary_negative_and_effective_date():
    roster = [{"worker_id": "E2", "hire_date": "2020-01-06", "termination_date": "2026-03-15"}]
    rows = [pay("E1", base_pay=2740, regular_hours=176), pay("E2", base_pay=1325.81, regular_hours=80),
            pay("E3", "2025-06", base_pay=2700, regular_hours=174)]  # 2690 applied before July 2025
    assert run("LAB-MIN-WAGE", payroll=rows, roster=roster) == []
    found = run("LAB-MIN-WAGE", payroll=[pay("E3", "2025-07", base_pay=2700, regular_hours=174)])
    assert keys(found) == [("E3", "2025-07-01")] and found[0].limit == 2740.0


def test_min_wage_override_beats_the_pack():
    rows = [pay("E1", base_pay=2600, regular_hours=174)]
    assert run("LAB-MIN-WAGE", payroll=rows, overrides={"minimum_wage_monthly": 2500}) == []


# ---------------------------------------------------------------- LAB-OT-PREMIUM (CN 1.5 / 2 / 3)

def test_ot_premium_positive():
    row = pay("E1", base_pay=3480, regular_hours=174, hourly_rate=20, ot_hours_weekday=10,
              ot_hours_restday=8, ot_hours_holiday=8, ot_pay=20 * (15 + 16 + 16))  # holiday at 2×
    found = run("LAB-OT-PREMIUM", payroll=[row])
    assert keys(found) == [("E1", "2026-03-01")] and found[0].limit == 20 * (15 + 16 + 24)


def test_ot_premium_boundary_negative_and_rate_from_base():
    rows = [pay("E1", base_pay=3480, hourly_rate=20, ot_hours_weekday=10, ot_pay=299.00),  # 1.00 short
            pay("E2", base_pay=3480, regular_hours=174, ot_hours_restday=4, ot_pay=160),   # rate 20 from base
            pay("E3", base_pay=3480, hourly_rate=20, ot_pay=0)]                             # no overtime
    assert run("LAB-OT-PREMIUM", payroll=rows) == []
    found = run("LAB-OT-PREMIUM", payroll=[pay("E2", base_pay=3480, regular_hours=174, ot_hours_restday=4, ot_pay=120)])
    assert keys(found) == [("E2", "2026-03-01")] and found[0].limit == 160


# ---------------------------------------------------------------- LAB-PAYROLL-ARITHMETIC

def lines(**kw):
    base = dict(base_pay=3000, ot_pay=300, allowances=200, gross_pay=3500, deductions=50,
                social_insurance=350, net_pay=3100)
    return pay("E1", **{**base, **kw})


def test_arithmetic_positive_gross_and_net():
    found = run("LAB-PAYROLL-ARITHMETIC", payroll=[lines(gross_pay=3600, net_pay=3200)])
    assert keys(found) == [("E1", "2026-03-01")]
    assert "gross pay 3600.00" in found[0].message and "net pay" not in found[0].message
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=[lines(net_pay=3050)])[0].measured == 50


def test_arithmetic_boundary_and_negative():
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=[lines(net_pay=3099.00)]) == []   # exactly 1.00
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=[lines(net_pay=3098.99)]) != []   # 1.01
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=[lines(allowances=None, gross_pay=3300, net_pay=2900)]) == []


# ---------------------------------------------------------------- LAB-CHILD-LABOR (CN 16)

def test_child_labor_positive_from_birth_date():
    roster = [{"worker_id": "E1", "birth_date": "2010-03-20", "national_id": "310115199001011234"}]
    time = [day("E1", "2026-03-02", *PAIRS_8H), day("E1", "2026-03-19", *PAIRS_8H), day("E1", "2026-03-20", *PAIRS_8H)]
    found = run("LAB-CHILD-LABOR", roster=roster, timesheet=time)
    assert keys(found) == [("E1", "2026-03-02")] and found[0].period["end"] == "2026-03-19"
    assert found[0].measured == 15 and found[0].severity == "critical"
    assert {e.document for e in found[0].evidence} == {"roster.csv", "time.csv"}


def test_child_labor_from_the_national_id_and_from_pay_records():
    roster = [{"worker_id": "E1", "national_id": "31011520100901123X", "hire_date": "2026-01-01"}]
    found = run("LAB-CHILD-LABOR", roster=roster, payroll=[pay("E1", "2026-04", base_pay=2740)])
    assert keys(found) == [("E1", "2026-04-01")] and found[0].period["end"] == "2026-04-30"
    assert "by the national ID" in found[0].message


def test_child_labor_boundary_and_negative():
    roster = [{"worker_id": "E1", "birth_date": "2010-03-02", "hire_date": "2026-01-01"},
              {"worker_id": "E2", "birth_date": "1990-01-01", "hire_date": "2026-01-01"}]
    time = [day("E1", "2026-03-02", *PAIRS_8H), day("E2", "2026-03-02", *PAIRS_8H)]
    assert run("LAB-CHILD-LABOR", roster=roster, timesheet=time) == []  # 16 on the day itself


# ---------------------------------------------------------------- XDOC-HOURS-MISMATCH

def test_hours_mismatch_positive_and_tolerance():
    time = march_days("E1", 0) + march_days("E2", 0)  # 22 days × 8 h = 176 h each
    payroll = [pay("E1", regular_hours=176, ot_hours_weekday=-9, base_pay=3000),   # 167 h: off by 9 > 8.8
               pay("E2", regular_hours=176, ot_hours_weekday=8.8, base_pay=3000)]  # off by exactly 8.8
    found = run("XDOC-HOURS-MISMATCH", timesheet=time, payroll=payroll)
    assert keys(found) == [("E1", "2026-03-01")] and found[0].measured == 9 and found[0].limit == 8.8
    assert {e.document for e in found[0].evidence} == {"pay.csv", "time.csv"}


def test_hours_mismatch_two_hour_floor_and_negative():
    time = [day("E1", "2026-03-02", *PAIRS_8H), day("E2", "2026-03-02", *PAIRS_8H)]
    payroll = [pay("E1", regular_hours=10, base_pay=1), pay("E2", regular_hours=10.01, base_pay=1)]
    assert keys(run("XDOC-HOURS-MISMATCH", timesheet=time, payroll=payroll)) == [("E2", "2026-03-01")]
    assert run("XDOC-HOURS-MISMATCH", timesheet=time, payroll=[pay("E1", base_pay=1)]) == []  # no hours stated


# ---------------------------------------------------------------- XDOC-WORKER-UNKNOWN

def test_worker_unknown_positive_negative():
    roster = [{"worker_id": "E1", "hire_date": "2025-01-01"}]
    found = run("XDOC-WORKER-UNKNOWN", roster=roster, timesheet=[day("E1", "2026-03-02", *PAIRS_8H),
                                                                day("E9", "2026-03-02", *PAIRS_8H)],
                payroll=[pay("E9", base_pay=1), pay("E8", base_pay=1)])
    assert sorted(keys(found)) == [("E8", None), ("E9", None)]
    e9 = next(f for f in found if f.subject["worker_id"] == "E9")
    assert "payroll and time records" in e9.message and len(e9.evidence) == 2


def test_worker_unknown_without_a_roster_is_not_per_worker_noise():
    assert run("XDOC-WORKER-UNKNOWN", timesheet=[day("E9", "2026-03-02", *PAIRS_8H)]) == []
