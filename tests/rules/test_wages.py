"""Wage rules (validators/wages.py): a positive, a negative and a boundary case each
(CN-SH + SA8000 unless stated)."""
from __future__ import annotations

from tests.support.rules import pay, run, subject_keys, worker_keys


# ---------------------------------------------------------------- LAB-MIN-WAGE (CN-SH 2740 from 2025-07-01)

def test_min_wage_positive_full_month_and_pro_rated_only_for_a_partial_month():
    roster = [{"worker_id": "E2", "hire_date": "2026-03-16"}, {"worker_id": "E3", "hire_date": "2020-01-06"}]
    found = run("LAB-MIN-WAGE", roster=roster,
                payroll=[pay("E1", base_pay=2739.99, regular_hours=176),
                         pay("E2", base_pay=1300, regular_hours=88),    # joined on the 16th: 16 of 31 days
                         pay("E3", base_pay=2600, regular_hours=160)])  # full month, fewer hours: no pro-rating
    assert sorted(worker_keys(found)) == [("E1", "2026-03-01"), ("E2", "2026-03-01"), ("E3", "2026-03-01")]
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
    assert worker_keys(found) == [("E3", "2025-07-01")] and found[0].limit == 2740.0


def test_min_wage_override_beats_the_pack():
    rows = [pay("E1", base_pay=2600, regular_hours=174)]
    assert run("LAB-MIN-WAGE", payroll=rows, overrides={"minimum_wage_monthly": 2500}) == []


# ---------------------------------------------------------------- LAB-OT-PREMIUM (CN 1.5 / 2 / 3)

def test_ot_premium_positive():
    row = pay("E1", base_pay=3480, regular_hours=174, hourly_rate=20, ot_hours_weekday=10,
              ot_hours_restday=8, ot_hours_holiday=8, ot_pay=20 * (15 + 16 + 16))  # holiday at 2×
    found = run("LAB-OT-PREMIUM", payroll=[row])
    assert worker_keys(found) == [("E1", "2026-03-01")] and found[0].limit == 20 * (15 + 16 + 24)


def test_ot_premium_boundary_negative_and_rate_from_base():
    rows = [pay("E1", base_pay=3480, hourly_rate=20, ot_hours_weekday=10, ot_pay=299.00),  # 1.00 short
            pay("E2", base_pay=3480, regular_hours=174, ot_hours_restday=4, ot_pay=160),   # rate 20 from base
            pay("E3", base_pay=3480, hourly_rate=20, ot_pay=0)]                             # no overtime
    assert run("LAB-OT-PREMIUM", payroll=rows) == []
    found = run("LAB-OT-PREMIUM", payroll=[pay("E2", base_pay=3480, regular_hours=174, ot_hours_restday=4, ot_pay=120)])
    assert worker_keys(found) == [("E2", "2026-03-01")] and found[0].limit == 160


# ---------------------------------------------------------------- LAB-PAYROLL-ARITHMETIC

def lines(**kw):
    base = dict(base_pay=3000, ot_pay=300, allowances=200, gross_pay=3500, deductions=50,
                social_insurance=350, net_pay=3100)
    return pay("E1", **{**base, **kw})


def test_arithmetic_positive_gross_and_net():
    found = run("LAB-PAYROLL-ARITHMETIC", payroll=[lines(gross_pay=3600, net_pay=3200)])
    assert worker_keys(found) == [("E1", "2026-03-01")]
    assert "gross pay 3600.00" in found[0].message and "net pay" not in found[0].message
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=[lines(net_pay=3050)])[0].measured == 50


def test_arithmetic_boundary_and_negative():
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=[lines(net_pay=3099.00)]) == []   # exactly 1.00
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=[lines(net_pay=3098.99)]) != []   # 1.01
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=[lines(allowances=None, gross_pay=3300, net_pay=2900)]) == []


# ---------------------------------------------------------------- LAB-PAY-LATE

def test_pay_late_needs_a_pack_value_and_counts_days_after_month_end():
    rows = [pay("E1", base_pay=1, pay_date="2026-04-08"), pay("E2", base_pay=1, pay_date="2026-04-07"),
            pay("E3", base_pay=1, pay_date="2026-04-30")]
    assert run("LAB-PAY-LATE", payroll=rows) == []  # CN law sets no day count
    found = run("LAB-PAY-LATE", payroll=rows, jurisdiction="IN")  # Code on Wages s17: 7 days
    assert subject_keys(found) == [("E1", "2026-03-01"), ("E3", "2026-03-01")]
    assert found[0].measured == 8 and "Code on Wages" in found[0].sources[0]
