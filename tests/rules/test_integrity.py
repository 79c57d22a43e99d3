"""Record-integrity rules (validators/integrity.py): a positive, a negative and a boundary case each
(CN-SH + SA8000 unless stated)."""
from __future__ import annotations

from tests.support.builders import day
from tests.support.rules import PAIRS_8H, pay, run, subject_keys


# ---------------------------------------------------------------- INT-DUPLICATE-ID

def test_duplicate_id_each_worker_and_not_for_repeats_of_one_worker():
    roster = [{"worker_id": "E1", "national_id": "11010519491231002X"},
              {"worker_id": "E2", "national_id": "11010519491231002X"},
              {"worker_id": "E3", "national_id": "440308199901101512"},
              {"worker_id": "E3", "national_id": "440308199901101512"}]  # one worker listed twice
    found = run("INT-DUPLICATE-ID", roster=roster)
    assert subject_keys(found) == [("E1", None), ("E2", None)] and "E2" in found[0].message


# ---------------------------------------------------------------- INT-UNIFORM-PUNCHES

def _days(worker, n, pairs_for):
    import datetime as dt

    start, out = dt.date(2026, 3, 2), []
    while len(out) < n:
        if start.weekday() < 5:
            out.append(day(worker, start.isoformat(), *pairs_for(len(out))))
        start += dt.timedelta(days=1)
    return out


def test_uniform_punches_positive_boundary_negative():
    uniform = _days("U1", 10, lambda k: PAIRS_8H)
    two_minutes = _days("U2", 12, lambda k: ("08:00-12:00", "13:00-17:00") if k % 2 else ("07:59-12:00", "13:00-17:01"))
    three_minutes = _days("N1", 12, lambda k: (f"07:5{k % 3}-12:00", "13:00-17:00"))
    nine_days = _days("N2", 9, lambda k: PAIRS_8H)
    found = run("INT-UNIFORM-PUNCHES", timesheet=uniform + two_minutes + three_minutes + nine_days)
    assert subject_keys(found) == [("U1", "2026-03-01"), ("U2", "2026-03-01")]


# ---------------------------------------------------------------- INT-IDENTICAL-RECORDS

def test_identical_records_need_every_day_and_ten_days():
    a = _days("A", 10, lambda k: (f"07:{50 + k % 7}-12:00", "13:00-17:05"))
    b = [{**r, "worker_id": "B"} for r in a]
    c = [{**r, "worker_id": "C"} for r in a[:-1]] + [day("C", a[-1]["date"], "07:00-12:00")]  # one day differs
    d9 = _days("D", 9, lambda k: PAIRS_8H)
    e9 = [{**r, "worker_id": "E"} for r in d9]
    found = run("INT-IDENTICAL-RECORDS", timesheet=a + b + c + d9 + e9)
    assert subject_keys(found) == [("A", "2026-03-01"), ("B", "2026-03-01")]


# ---------------------------------------------------------------- INT-OT-AT-CAP (not in the SPEC)

def test_ot_at_cap_every_month():
    lines = [pay("E1", m, base_pay=1, ot_hours_weekday=30, ot_hours_restday=6) for m in ("2026-03", "2026-04", "2026-05")]
    lines += [pay("E2", m, base_pay=1, ot_hours_weekday=36 if m != "2026-05" else 35) for m in ("2026-03", "2026-04", "2026-05")]
    lines += [pay("E3", m, base_pay=1, ot_hours_weekday=36) for m in ("2026-03", "2026-04")]
    assert subject_keys(run("INT-OT-AT-CAP", payroll=lines)) == [("E1", "2026-03-01")]
