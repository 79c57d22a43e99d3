"""Wage rules (validators/wages.py): a positive, a negative and a boundary case each
(CN-SH + SA8000 unless stated)."""
from __future__ import annotations

from tests.support.rules import pay, run, subject_keys, worker_keys


# ---------------------------------------------------------------- LAB-MIN-WAGE (CN-SH 2740 from 2025-07-01)

def test_min_wage_positive_full_month_and_pro_rata_for_the_normal_work_stated():
    roster = [{"worker_id": "E2", "hire_date": "2026-03-16"}, {"worker_id": "E3", "hire_date": "2020-01-06"}]
    found = run("LAB-MIN-WAGE", roster=roster,
                payroll=[pay("E1", base_pay=2739.99, regular_hours=176),
                         pay("E2", base_pay=1300, regular_hours=88),    # joined on the 16th, 88 of 174 h stated
                         pay("E3", base_pay=2600, regular_hours=160),   # 160 of 174 h: 2,519.54 pro rata
                         pay("E4", base_pay=2200, days_worked=18)])     # 18 of 21.75 days: 2,267.59 pro rata
    assert sorted(worker_keys(found)) == [("E1", "2026-03-01"), ("E2", "2026-03-01"), ("E4", "2026-03-01")]
    by = {f.subject["worker_id"]: f for f in found}
    assert not any(f.possible for f in found)
    assert by["E2"].limit == round(2740 * 88 / 174, 2) and "for 88 of 174 hours" in by["E2"].message
    assert by["E4"].limit == round(2740 * 18 / 21.75, 2) and "for 18 of 21.75 days" in by["E4"].message
    assert by["E1"].limit == 2740.0 and "pro" not in by["E1"].message
    assert any("Shanghai" in s for s in by["E1"].sources)
    assert any("Minimum Wage Provisions" in s for s in by["E1"].sources)


def test_min_wage_a_short_month_with_stated_normal_hours_above_the_pro_rata_minimum():
    """The Spring Festival month: 120 normal hours stated, paid for them above 2,740 × 120 / 174."""
    rows = [pay(f"E{k}", "2026-02", base_pay=1900 + k, regular_hours=120) for k in range(5)]
    assert run("LAB-MIN-WAGE", payroll=rows) == []
    (found,) = run("LAB-MIN-WAGE", payroll=[pay("E9", "2026-02", base_pay=1850, regular_hours=120)])
    assert found.limit == round(2740 * 120 / 174, 2) and not found.possible


def test_min_wage_a_month_nothing_settles_is_a_possible_item():
    from tests.support.rules import march_days

    rows = [pay("E1", base_pay=2100)]                       # no normal hours or days stated, no time records
    (item,) = run("LAB-MIN-WAGE", payroll=rows)
    assert item.possible and "not stated" in item.possible and "unpaid leave" in item.possible
    assert "below the 2,740.00 minimum if the month was full" in item.possible
    # the time records show every working day of March: the full minimum is owed
    (found,) = run("LAB-MIN-WAGE", payroll=rows, timesheet=march_days("E1", 0))
    assert not found.possible and found.limit == 2740.0
    # they show 15 of the 22 working days: still a possible item, saying so
    (short,) = run("LAB-MIN-WAGE", payroll=rows, timesheet=march_days("E1", 0)[:15])
    assert short.possible and "15 of 22 working days" in short.possible


def test_min_wage_read_from_a_register_whose_own_gross_does_not_add_up_is_a_question():
    """Six workers "paid" 1,500 of base where each line's gross is 3,200 with nothing else to make
    it up: the column read as base pay is not what the register's own arithmetic says it is. The
    same pay in a register whose gross is its base stays a finding."""
    doubtful = [pay(f"E{k}", base_pay=1500, regular_hours=174, gross_pay=3200 + k, net_pay=3000) for k in range(6)]
    found = run("LAB-MIN-WAGE", payroll=doubtful)
    assert len(found) == 6 and all(f.possible and "holds on 0 of 6 lines" in f.possible for f in found)
    consistent = [pay(f"E{k}", base_pay=1500, regular_hours=174, gross_pay=1500, net_pay=1400) for k in range(6)]
    found = run("LAB-MIN-WAGE", payroll=consistent)
    assert len(found) == 6 and not any(f.possible for f in found)


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

def lines(worker="E1", **kw):
    base = dict(base_pay=3000, ot_pay=300, allowances=200, gross_pay=3500, deductions=50,
                social_insurance=350, net_pay=3100)
    return pay(worker, **{**base, **kw})


def register(*odd, n=20):
    """A register of n lines that keep gross = base + OT + allowances and net = gross − deductions − SI,
    the first ones replaced by ``odd``."""
    return list(odd) + [lines(f"K{k}") for k in range(n - len(odd))]


def test_arithmetic_positive_gross_and_net():
    found = run("LAB-PAYROLL-ARITHMETIC", payroll=register(lines(gross_pay=3600, net_pay=3200)))
    assert worker_keys(found) == [("E1", "2026-03-01")]
    assert "gross pay 3600.00" in found[0].message and "net pay" not in found[0].message
    assert "19 of 20 lines" in found[0].message
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=register(lines(net_pay=3050)))[0].measured == 50


def test_arithmetic_boundary_and_negative():
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=register(lines(net_pay=3099.00))) == []   # exactly 1.00
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=register(lines(net_pay=3098.99))) != []   # 1.01
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=register(lines(allowances=None, gross_pay=3300, net_pay=2900))) == []


def test_arithmetic_one_line_of_twenty_breaking_net_is_one_finding():
    found = run("LAB-PAYROLL-ARITHMETIC", payroll=register(lines(net_pay=3000)))
    assert worker_keys(found) == [("E1", "2026-03-01")] and "net pay 3000.00" in found[0].message
    assert run("DQ-REGISTER-ARITHMETIC", payroll=register(lines(net_pay=3000))) == []


def test_arithmetic_fifteen_lines_of_twenty_breaking_net_is_the_reading_in_doubt():
    odd = [lines(f"E{k}", net_pay=3100 - 30 - k) for k in range(15)]  # e.g. a deduction column not read
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=register(*odd)) == []
    (note,) = run("DQ-REGISTER-ARITHMETIC", payroll=register(*odd))
    assert note.category == "data_quality" and note.subject == {"document": "pay.csv"}
    assert "holds on 5 of 20 lines" in note.message and "LAB-PAYROLL-ARITHMETIC" in note.message
    assert note.evidence and note.evidence[0].document == "pay.csv"


def test_arithmetic_a_single_line_register_is_not_judged_against_itself():
    """No other line of the register keeps the identity the line breaks: the reading is unconfirmed."""
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=[lines(gross_pay=3600, net_pay=3200)]) == []
    (note,) = run("DQ-REGISTER-ARITHMETIC", payroll=[lines(gross_pay=3600, net_pay=3200)])
    assert "0 of 1 lines" in note.message


# ---------------------------------------------------------------- Bangladesh: Gross Salary is the month's wage

BD_HEADER = ["কার্ড নং / Card No", "নাম / Name", "Month", "মূল মজুরি / Basic", "বাড়ী ভাড়া / House Rent",
             "চিকিৎসা / Medical", "যাতায়ত / Conveyance", "খাদ্য ভাতা / Food", "হাজিরা বোনাস / Attn. Bonus",
             "OT Hrs", "OT Rate", "OT Amount", "Gross Salary", "Stamp", "মোট প্রদেয় / Net Payable"]


def bd_line(card: str, basic: float, house: float, food: float = 1250, bonus: float = 700, ot_hours: float = 20):
    """A Form-38 line (reference/real-exports.md): Gross Salary = basic + house rent + medical +
    conveyance + food, the attendance bonus and overtime (OT Rate = basic ÷ 208 × 2) on top."""
    rate = round(basic / 208 * 2, 2)
    ot = round(rate * ot_hours, 2)
    gross = basic + house + 750 + 450 + food
    values = [card, f"Worker {card}", "2026-03", basic, house, 750, 450, food, bonus, ot_hours, rate, ot, gross, 10,
              round(gross + bonus + ot - 10, 2)]
    return dict(zip(BD_HEADER, values))


def test_bangladesh_gross_salary_at_the_minimum_with_overtime_on_top_is_no_finding():
    rows = [bd_line(f"10{k}", 6700, 3350, bonus=700 if k % 3 else 0, ot_hours=10 + k) for k in range(6)]
    for rule_id in ("LAB-MIN-WAGE", "LAB-PAYROLL-ARITHMETIC", "LAB-OT-PREMIUM", "DQ-REGISTER-ARITHMETIC"):
        assert run(rule_id, payroll=rows, jurisdiction="BD", standards=()) == [], rule_id


def test_bangladesh_gross_salary_below_the_minimum_is_a_finding_whatever_the_month():
    rows = [bd_line(f"10{k}", 6700, 3350, ot_hours=10 + k) for k in range(5)] + [bd_line("200", 6400, 3200, food=1200)]
    (found,) = run("LAB-MIN-WAGE", payroll=rows, jurisdiction="BD", standards=())
    assert found.subject == {"worker_id": "200"} and found.measured == 12000 and found.limit == 12500
    assert not found.possible and "gross pay (the month's wage)" in found.message
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=rows, jurisdiction="BD", standards=()) == []


def test_bangladesh_a_sheet_whose_own_gross_holds_overtime_is_read_so():
    """The register's arithmetic decides: gross = basic + allowances + OT on every line is earnings."""
    rows = []
    for k, basic in enumerate((6700, 6700, 6700, 6000)):
        line = bd_line(f"10{k}", basic, basic / 2)
        line["Gross Salary"] = round(line["Gross Salary"] + line["হাজিরা বোনাস / Attn. Bonus"] + line["OT Amount"], 2)
        line["মোট প্রদেয় / Net Payable"] = round(line["Gross Salary"] - 10, 2)
        rows.append(line)
    (found,) = run("LAB-MIN-WAGE", payroll=rows, jurisdiction="BD", standards=())
    assert found.subject == {"worker_id": "103"} and "gross pay less overtime" in found.message
    assert found.possible  # earnings for a month nothing says was full
    assert run("LAB-PAYROLL-ARITHMETIC", payroll=rows, jurisdiction="BD", standards=()) == []


# ---------------------------------------------------------------- LAB-OT-PREMIUM: the register's own arithmetic

def ot_line(worker, ot_pay, hours=10):
    return pay(worker, base_pay=3480, hourly_rate=20, ot_hours_weekday=hours, ot_pay=ot_pay)


def test_ot_one_line_short_in_a_register_that_pays_the_law_is_a_finding():
    rows = [ot_line(f"K{k}", 300) for k in range(9)] + [ot_line("E1", 250)]
    assert worker_keys(run("LAB-OT-PREMIUM", payroll=rows)) == [("E1", "2026-03-01")]


def test_ot_a_register_that_pays_every_line_at_the_plain_rate_is_a_finding_on_each():
    rows = [ot_line(f"K{k}", 20 * (8 + k), hours=8 + k) for k in range(10)]  # its own arithmetic: 1.0 ×
    assert len(run("LAB-OT-PREMIUM", payroll=rows)) == 10
    assert run("DQ-REGISTER-ARITHMETIC", payroll=rows) == []


def test_ot_pay_that_fits_no_premium_on_most_lines_is_the_reading_in_doubt():
    odd = [ot_line(f"E{k}", pay_) for k, pay_ in enumerate((150, 410, 90, 700, 55, 260, 505))]
    rows = odd + [ot_line(f"K{k}", 300) for k in range(3)]
    assert run("LAB-OT-PREMIUM", payroll=rows) == []
    (note,) = run("DQ-REGISTER-ARITHMETIC", payroll=rows)
    assert "overtime pay = rate × hours × premium holds on" in note.message and "LAB-OT-PREMIUM" in note.message


# ---------------------------------------------------------------- LAB-PAY-LATE

def test_pay_late_needs_a_pack_value_and_counts_days_after_month_end():
    rows = [pay("E1", base_pay=1, pay_date="2026-04-08"), pay("E2", base_pay=1, pay_date="2026-04-07"),
            pay("E3", base_pay=1, pay_date="2026-04-30")]
    assert run("LAB-PAY-LATE", payroll=rows) == []  # CN law sets no day count
    found = run("LAB-PAY-LATE", payroll=rows, jurisdiction="IN")  # Code on Wages s17: 7 days
    assert subject_keys(found) == [("E1", "2026-03-01"), ("E3", "2026-03-01")]
    assert found[0].measured == 8 and "Code on Wages" in found[0].sources[0]
