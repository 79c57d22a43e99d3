"""Cross-document rules (validators/cross_document.py): a positive, a negative and a boundary case each
(CN-SH + SA8000 unless stated)."""
from __future__ import annotations

from tests.support.builders import day
from tests.support.rules import PAIRS_8H, certain, march_days, pay, possible, run, subject_keys, worker_keys


# ---------------------------------------------------------------- XDOC-HOURS-MISMATCH

def test_hours_mismatch_positive_and_tolerance():
    time = march_days("E1", 0) + march_days("E2", 0)  # 22 days × 8 h = 176 h each
    payroll = [pay("E1", regular_hours=176, ot_hours_weekday=-9, base_pay=3000),   # 167 h: off by 9 > 8.8
               pay("E2", regular_hours=176, ot_hours_weekday=8.8, base_pay=3000)]  # off by exactly 8.8
    found = run("XDOC-HOURS-MISMATCH", timesheet=time, payroll=payroll)
    assert worker_keys(found) == [("E1", "2026-03-01")] and found[0].measured == 9 and found[0].limit == 8.8
    assert {e.document for e in found[0].evidence} == {"pay.csv", "time.csv"}


def test_hours_mismatch_two_hour_floor_and_negative():
    time = [day("E1", "2026-03-02", *PAIRS_8H), day("E2", "2026-03-02", *PAIRS_8H)]
    payroll = [pay("E1", regular_hours=10, base_pay=1), pay("E2", regular_hours=10.01, base_pay=1)]
    assert worker_keys(run("XDOC-HOURS-MISMATCH", timesheet=time, payroll=payroll)) == [("E2", "2026-03-01")]
    assert run("XDOC-HOURS-MISMATCH", timesheet=time, payroll=[pay("E1", base_pay=1)]) == []  # no hours stated


# ---------------------------------------------------------------- XDOC-WORKER-UNKNOWN

def test_worker_unknown_positive_negative():
    roster = [{"worker_id": "E1", "hire_date": "2025-01-01"}]
    found = run("XDOC-WORKER-UNKNOWN", roster=roster, timesheet=[day("E1", "2026-03-02", *PAIRS_8H),
                                                                day("E9", "2026-03-02", *PAIRS_8H)],
                payroll=[pay("E9", base_pay=1), pay("E8", base_pay=1)])
    assert sorted(worker_keys(found)) == [("E8", None), ("E9", None)]
    e9 = next(f for f in found if f.subject["worker_id"] == "E9")
    assert "payroll and time records" in e9.message and len(e9.evidence) == 2


def test_worker_unknown_without_a_roster_is_not_per_worker_noise():
    assert run("XDOC-WORKER-UNKNOWN", timesheet=[day("E9", "2026-03-02", *PAIRS_8H)]) == []


# ---------------------------------------------------------------- XDOC-NO-PAYROLL

def test_no_payroll_only_in_months_the_payroll_covers():
    time = [day("E1", "2026-03-02", *PAIRS_8H), day("E2", "2026-03-02", *PAIRS_8H), day("E1", "2026-04-01", *PAIRS_8H)]
    found = run("XDOC-NO-PAYROLL", timesheet=time, payroll=[pay("E1", base_pay=1)])
    assert subject_keys(found) == [("E2", "2026-03-01")]  # April has no payroll at all: DQ-PERIOD-GAP's business


# ---------------------------------------------------------------- XDOC-PAID-NO-TIME

def test_paid_without_time_where_the_time_records_name_most_paid_workers():
    march = [day(f"E{k}", "2026-03-02", *PAIRS_8H) for k in range(1, 5)]          # E1-E4 of 5 paid: 80 %
    april = [day("E1", "2026-04-01", *PAIRS_8H)]                                   # 1 of 5: a partial export
    may = [day(f"E{k}", "2026-05-04", *PAIRS_8H) for k in range(1, 5)]
    payroll = ([pay(f"E{k}", month, regular_hours=174, base_pay=3000)
                for k in range(1, 6) for month in ("2026-03", "2026-04", "2026-05")]
               + [pay("E6", regular_hours=0, base_pay=3000)])                      # paid leave: no hours worked
    found = run("XDOC-PAID-NO-TIME", timesheet=march + april + may, payroll=payroll)
    # one finding for E5, over the two months it can be checked in; April (a partial export) says nothing
    assert subject_keys(found) == [("E5", "2026-03-01")] and found[0].period["end"] == "2026-05-31"
    assert found[0].measured == 348 and "2026-03, 2026-05" in found[0].message
    assert "8 of its 10 paid workers (counted month by month)" in found[0].message
    assert len(found[0].evidence) == 2 and {e.document for e in found[0].evidence} == {"pay.csv"}
    assert "(c) 8" in found[0].sources[0]


def test_paid_without_time_says_nothing_without_time_records():
    assert run("XDOC-PAID-NO-TIME", payroll=[pay("E1", regular_hours=174, base_pay=3000)]) == []


# ---------------------------------------------------------------- XDOC-GATE-TIMESHEET

def gate(worker, stamp, direction):
    return {"worker_id": worker, "timestamp": stamp, "direction": direction}


def test_gate_presence_against_punches():
    time = [day("E1", "2026-03-02", *PAIRS_8H), day("E2", "2026-03-02", *PAIRS_8H),
            day("E3", "2026-03-02", "21:00-05:30", brk=30)]
    events = [gate("E1", "2026-03-02 07:00", "in"), gate("E1", "2026-03-02 18:01", "out"),   # 61 min late
              gate("E2", "2026-03-02 07:00", "in"), gate("E2", "2026-03-02 18:00", "out"),   # exactly 60
              gate("E3", "2026-03-02 20:40", "in"), gate("E3", "2026-03-03 05:50", "out"),   # night shift, fine
              gate("E2", "2026-03-08 09:00", "in"), gate("E2", "2026-03-08 12:00", "out")]   # Sunday, no time record
    found = run("XDOC-GATE-TIMESHEET", timesheet=time, gate=events)
    assert subject_keys(found) == [("E1", "2026-03-02"), ("E2", "2026-03-08")]
    e1 = next(f for f in found if f.subject["worker_id"] == "E1")
    assert e1.measured == 61 and e1.limit == 60 and {e.document for e in e1.evidence} == {"gate.csv", "time.csv"}


def test_a_dormitory_door_is_no_presence_at_work():
    """Workers live in the dormitory: its door's events on a Sunday, or late at night, say nothing of
    work; the factory gate's do."""
    time = [day("E1", "2026-03-02", *PAIRS_8H), day("E2", "2026-03-02", *PAIRS_8H)]
    events = [{**gate("E1", "2026-03-08 09:00", "in"), "gate": "Dormitory B door"},
              {**gate("E1", "2026-03-08 21:00", "out"), "gate": "Dormitory B door"},
              {**gate("E1", "2026-03-02 23:00", "in"), "gate": "宿舍3栋"},
              {**gate("E2", "2026-03-08 09:00", "in"), "gate": "Main gate"},
              {**gate("E2", "2026-03-08 12:00", "out"), "gate": "Main gate"}]
    assert subject_keys(run("XDOC-GATE-TIMESHEET", timesheet=time, gate=events)) == [("E2", "2026-03-08")]


def test_gate_date_and_time_columns_are_joined():
    time = [day("E1", "2026-03-02", *PAIRS_8H)]
    events = [{"worker_id": "E1", "date": "2026-03-02", "time": "05:00", "direction": "进"},
              {"worker_id": "E1", "date": "2026-03-02", "time": "17:10", "direction": "出"}]
    assert subject_keys(run("XDOC-GATE-TIMESHEET", timesheet=time, gate=events)) == [("E1", "2026-03-02")]


def test_hours_mismatch_judges_the_whole_range_of_the_unrecorded_break():
    """08:00-17:00 with no break recorded: 176 h with the lunch hour deducted, 198 h as punched. Paid
    198 h or 176 h matches one reading: a possible item, not a finding; outside both: a finding."""
    time = [r for w in ("E1", "E2", "E3", "E4", "E5") for r in march_days(w, 31, pairs_ot=("08:00-17:00",))]
    payroll = [pay("E1", regular_hours=198, base_pay=3000),   # the lunch hour worked
               pay("E2", regular_hours=176, base_pay=3000),   # the lunch hour taken
               pay("E3", regular_hours=187, base_pay=3000),   # between: some of them worked
               pay("E4", regular_hours=160, base_pay=3000),   # short of even 176 h: 16 > 8.8
               pay("E5", regular_hours=215, base_pay=3000)]   # beyond even 198 h: 17 > 9.9
    found = run("XDOC-HOURS-MISMATCH", timesheet=time, payroll=payroll)
    assert sorted(worker_keys(certain(found))) == [("E4", "2026-03-01"), ("E5", "2026-03-01")]
    e4 = next(f for f in found if f.subject["worker_id"] == "E4")
    assert e4.measured == 16 and e4.limit == 8.8 and "176 h with the unrecorded breaks of 22 day(s)" in e4.message
    e5 = next(f for f in found if f.subject["worker_id"] == "E5")
    assert e5.measured == 17 and e5.limit == 9.9
    maybe = {f.subject["worker_id"]: f for f in possible(found)}
    assert sorted(maybe) == ["E1", "E2", "E3"]
    assert "the payroll's 198 h match the time records if the lunch hour was worked" in maybe["E1"].possible
    assert "(198 h), not if it was taken (176 h)" in maybe["E1"].possible
    assert "match the time records if the lunch hour was taken" in maybe["E2"].possible
    assert "lie between" in maybe["E3"].possible
    assert "pays 198 h" in maybe["E1"].message and "but the time records show" not in maybe["E1"].message


def test_hours_mismatch_with_the_break_punched_has_one_reading():
    time = march_days("E1", 0)  # 08:00-12:00, 13:00-17:00: the break is on the record
    found = run("XDOC-HOURS-MISMATCH", timesheet=time, payroll=[pay("E1", regular_hours=198, base_pay=3000)])
    assert worker_keys(certain(found)) == [("E1", "2026-03-01")] and possible(found) == []
    assert found[0].measured == 22 and "show 176 h (difference" in found[0].message
