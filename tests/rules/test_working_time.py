"""Working-time rules (validators/working_time.py): a positive, a negative and a boundary case each
(CN-SH + SA8000 unless stated)."""
from __future__ import annotations

from tests.support.builders import day, week
from tests.support.rules import PAIRS_8H, march_days, run, worker_keys


# ---------------------------------------------------------------- LAB-HOURS-DAY-MAX (CN: 8 + 3)

def test_day_max_positive_with_evidence():
    found = run("LAB-HOURS-DAY-MAX", timesheet=[day("E1", "2026-03-02", "08:00-12:00", "13:00-20:01")])
    assert worker_keys(found) == [("E1", "2026-03-02")]
    f = found[0]
    assert (f.measured, f.limit, f.unit) == (11.02, 11.0, "hours") and "Labour Law Art 41" in f.sources[0]
    assert f.evidence[0].document == "time.csv" and f.evidence[0].row == 2 and "out2=20:01" in f.evidence[0].text


def test_day_max_boundary_and_negative():
    assert run("LAB-HOURS-DAY-MAX", timesheet=[day("E1", "2026-03-02", "08:00-12:00", "13:00-20:00"),
                                                day("E2", "2026-03-02", *PAIRS_8H)]) == []


def test_day_max_night_pair_belongs_to_the_day_it_started():
    found = run("LAB-HOURS-DAY-MAX", timesheet=[day("E1", "2026-03-06", "18:00-06:30", brk=30)])
    assert worker_keys(found) == [("E1", "2026-03-06")] and found[0].measured == 12.0
    assert run("LAB-HOURS-DAY-MAX", timesheet=[day("E1", "2026-03-06", "21:00-05:30", brk=30)]) == []


def test_day_max_break_minutes_count():
    assert run("LAB-HOURS-DAY-MAX", timesheet=[day("E1", "2026-03-02", "08:00-20:00", brk=60)]) == []


# ---------------------------------------------------------------- LAB-HOURS-WEEK-MAX (SA8000: 60)

def test_week_max_positive_is_per_iso_week():
    rows = week("E1", "2026-03-02", ("08:00-12:00", "13:00-18:00"), days=6) + \
        [day("E1", "2026-03-08", "13:00-19:00")]  # Mon-Sat 9 h + Sun 6 h (no meal in it) = 60 h
    rows[0] = day("E1", "2026-03-02", "08:00-12:00", "13:00-18:30")  # +0.5 h
    found = run("LAB-HOURS-WEEK-MAX", timesheet=rows)
    assert worker_keys(found) == [("E1", "2026-03-02")] and found[0].measured == 60.5 and not found[0].possible
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

def test_ot_month_positive_counts_rest_day_hours():
    rows = march_days("E1", 16) + [day("E1", "2026-03-07", "08:00-12:01")]  # 32 h + 4.02 h on a Saturday
    found = run("LAB-OT-MONTH-MAX", timesheet=rows)
    assert worker_keys(found) == [("E1", "2026-03-01")] and found[0].measured == 36.02
    assert found[0].period == {"start": "2026-03-01", "end": "2026-03-31"}


def test_ot_month_boundary_and_negative():
    rows = march_days("E1", 18) + march_days("E2", 3)  # exactly 36 h; 6 h
    assert run("LAB-OT-MONTH-MAX", timesheet=rows) == []


def test_ot_month_from_payroll_when_there_are_no_time_records():
    pay = [{"worker_id": "E1", "period": "2026-04", "base_pay": 3000, "ot_hours_weekday": 30, "ot_hours_restday": 8},
           {"worker_id": "E2", "period": "2026-04", "base_pay": 3000, "ot_hours_weekday": 36}]
    found = run("LAB-OT-MONTH-MAX", payroll=pay)
    assert worker_keys(found) == [("E1", "2026-04-01")] and "by the payroll" in found[0].message


# ---------------------------------------------------------------- LAB-REST-DAY (6)

def test_rest_day_positive_reports_the_run():
    rows = week("E1", "2026-03-02", PAIRS_8H, days=7)
    found = run("LAB-REST-DAY", timesheet=rows)
    assert worker_keys(found) == [("E1", "2026-03-02")] and found[0].measured == 7
    assert found[0].period == {"start": "2026-03-02", "end": "2026-03-08"}


def test_rest_day_boundary_and_a_gap_breaks_the_run():
    six = week("E1", "2026-03-02", PAIRS_8H, days=6)
    gap = week("E2", "2026-03-02", PAIRS_8H, days=6) + week("E2", "2026-03-09", PAIRS_8H, days=6)
    assert run("LAB-REST-DAY", timesheet=six + gap) == []


def test_rest_day_a_night_shift_does_not_fill_the_next_day():
    rows = [day("E1", d, "21:00-05:30", brk=30) for d in
            ("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07")]
    assert run("LAB-REST-DAY", timesheet=rows) == []
