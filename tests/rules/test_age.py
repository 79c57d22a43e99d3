"""Age rules (validators/age.py): a positive, a negative and a boundary case each
(CN-SH + SA8000 unless stated)."""
from __future__ import annotations

from tests.support.builders import day
from tests.support.rules import PAIRS_8H, certain, pay, possible, run, subject_keys, worker_keys


# ---------------------------------------------------------------- LAB-CHILD-LABOR (CN 16)

def test_child_labor_positive_from_birth_date():
    roster = [{"worker_id": "E1", "birth_date": "2010-03-20", "national_id": "310115199001011234"}]
    time = [day("E1", "2026-03-02", *PAIRS_8H), day("E1", "2026-03-19", *PAIRS_8H), day("E1", "2026-03-20", *PAIRS_8H)]
    found = run("LAB-CHILD-LABOR", roster=roster, timesheet=time)
    assert worker_keys(found) == [("E1", "2026-03-02")] and found[0].period["end"] == "2026-03-19"
    assert found[0].measured == 15 and found[0].severity == "critical"
    assert {e.document for e in found[0].evidence} == {"roster.csv", "time.csv"}


def test_child_labor_from_the_national_id_and_from_pay_records():
    roster = [{"worker_id": "E1", "national_id": "31011520100901123X", "hire_date": "2026-01-01"}]
    found = run("LAB-CHILD-LABOR", roster=roster, payroll=[pay("E1", "2026-04", base_pay=2740)])
    assert worker_keys(found) == [("E1", "2026-04-01")] and found[0].period["end"] == "2026-04-30"
    assert "by the national ID" in found[0].message


def test_child_labor_boundary_and_negative():
    roster = [{"worker_id": "E1", "birth_date": "2010-03-02", "hire_date": "2026-01-01"},
              {"worker_id": "E2", "birth_date": "1990-01-01", "hire_date": "2026-01-01"}]
    time = [day("E1", "2026-03-02", *PAIRS_8H), day("E2", "2026-03-02", *PAIRS_8H)]
    assert run("LAB-CHILD-LABOR", roster=roster, timesheet=time) == []  # 16 on the day itself


# ---------------------------------------------------------------- LAB-JUVENILE-RESTRICTED

def test_juvenile_with_overtime_or_night_work():
    roster = [{"worker_id": "J1", "birth_date": "2009-06-01"}, {"worker_id": "J2", "birth_date": "2009-06-01"},
              {"worker_id": "A1", "birth_date": "1990-01-01"}, {"worker_id": "J3", "birth_date": "2009-06-01"}]
    time = [day("J1", "2026-03-02", "08:00-12:00", "13:00-17:01"),      # one minute of overtime
            day("J2", "2026-04-06", "21:30-23:30"),                      # night work (a rest day, too)
            day("A1", "2026-03-02", "08:00-12:00", "13:00-19:00"),      # an adult's overtime
            day("J3", "2026-03-02", *PAIRS_8H)]                          # a juvenile's normal day
    found = run("LAB-JUVENILE-RESTRICTED", roster=roster, timesheet=time)
    assert subject_keys(found) == [("J1", "2026-03-01"), ("J2", "2026-04-01")]
    assert "night work" in next(f for f in found if f.subject["worker_id"] == "J2").message


def test_juvenile_boundary_turning_18():
    roster = [{"worker_id": "J1", "birth_date": "2008-03-03"}]
    time = [day("J1", "2026-03-02", "08:00-20:00"), day("J1", "2026-03-03", "08:00-20:00")]
    found = run("LAB-JUVENILE-RESTRICTED", roster=roster, timesheet=time)
    # only the day before; 08:00-20:00 with no break recorded is read with the lunch hour deducted: 3 h of overtime
    assert subject_keys(found) == [("J1", "2026-03-01")] and found[0].measured == 3.0


def test_juvenile_over_the_limit_only_as_punched_is_a_possible_item():
    """A juvenile's 08:00-17:00 with no break recorded: 8 h with the lunch hour deducted, 9 h as
    punched. Overtime only if the lunch hour was worked is a question for the auditor, not a finding."""
    roster = [{"worker_id": f"J{k}", "birth_date": "2009-06-01"} for k in (1, 2, 3)]
    time = [day("J1", "2026-03-02", "08:00-17:00"),                       # over only as punched
            day("J2", "2026-03-02", "08:00-18:00"),                       # over under both readings
            day("J3", "2026-03-02", "08:00-16:00")]                       # 7 h / 8 h: within both
    found = run("LAB-JUVENILE-RESTRICTED", roster=roster, timesheet=time)
    assert subject_keys(certain(found)) == [("J2", "2026-03-01")] and certain(found)[0].measured == 1
    maybe = possible(found)
    assert subject_keys(maybe) == [("J1", "2026-03-01")] and maybe[0].measured == 1
    assert "1 h of overtime if those breaks were worked, none if not" in maybe[0].possible
    assert "if the unrecorded breaks of 1 day(s) were worked" in maybe[0].message


def test_juvenile_daily_limit_only_as_punched_is_a_possible_item():
    """Vietnam: a young worker's 8 h a day; 08:00-16:30 unbroken is 8 h with the 30-min rest interval deducted."""
    roster = [{"worker_id": "J1", "birth_date": "2009-06-01"}]
    found = run("LAB-JUVENILE-RESTRICTED", roster=roster, timesheet=[day("J1", "2026-03-03", "08:00-16:30")],
                jurisdiction="VN", standards=())
    assert certain(found) == [] and len(possible(found)) == 1
    assert "day(s) over a young worker's daily limit" in possible(found)[0].possible
