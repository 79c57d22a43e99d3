"""The rules added for the whole catalogue: a positive, a negative and a boundary case each."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from preaudit.app import catalogue
from preaudit.core.packs import load_packs
from tests.builders import dataset, day, profile
from validators import RULES, RULES_BY_ID

PAIRS_8H = ("08:00-12:00", "13:00-17:00")


def run(rule_id: str, **tables):
    return RULES_BY_ID[rule_id].run(dataset(**tables), None)


def keys(findings):
    return sorted((next(iter(f.subject.values())), (f.period or {}).get("start")) for f in findings)


def pay(worker, period="2026-03", **values):
    return {"worker_id": worker, "period": period, **values}


# ---------------------------------------------------------------- LAB-PAY-LATE

def test_pay_late_needs_a_pack_value_and_counts_days_after_month_end():
    rows = [pay("E1", base_pay=1, pay_date="2026-04-08"), pay("E2", base_pay=1, pay_date="2026-04-07"),
            pay("E3", base_pay=1, pay_date="2026-04-30")]
    assert run("LAB-PAY-LATE", payroll=rows) == []  # CN law sets no day count
    found = run("LAB-PAY-LATE", payroll=rows, jurisdiction="IN")  # Code on Wages s17: 7 days
    assert keys(found) == [("E1", "2026-03-01"), ("E3", "2026-03-01")]
    assert found[0].measured == 8 and "Code on Wages" in found[0].sources[0]


# ---------------------------------------------------------------- LAB-JUVENILE-RESTRICTED

def test_juvenile_with_overtime_or_night_work():
    roster = [{"worker_id": "J1", "birth_date": "2009-06-01"}, {"worker_id": "J2", "birth_date": "2009-06-01"},
              {"worker_id": "A1", "birth_date": "1990-01-01"}, {"worker_id": "J3", "birth_date": "2009-06-01"}]
    time = [day("J1", "2026-03-02", "08:00-12:00", "13:00-17:01"),      # one minute of overtime
            day("J2", "2026-04-06", "21:30-23:30"),                      # night work (a rest day, too)
            day("A1", "2026-03-02", "08:00-12:00", "13:00-19:00"),      # an adult's overtime
            day("J3", "2026-03-02", *PAIRS_8H)]                          # a juvenile's normal day
    found = run("LAB-JUVENILE-RESTRICTED", roster=roster, timesheet=time)
    assert keys(found) == [("J1", "2026-03-01"), ("J2", "2026-04-01")]
    assert "night work" in next(f for f in found if f.subject["worker_id"] == "J2").message


def test_juvenile_boundary_turning_18():
    roster = [{"worker_id": "J1", "birth_date": "2008-03-03"}]
    time = [day("J1", "2026-03-02", "08:00-20:00"), day("J1", "2026-03-03", "08:00-20:00")]
    found = run("LAB-JUVENILE-RESTRICTED", roster=roster, timesheet=time)
    assert keys(found) == [("J1", "2026-03-01")] and found[0].measured == 4.0  # only the day before


# ---------------------------------------------------------------- ID-INVALID

def test_id_invalid_check_character_date_and_disagreement():
    roster = [{"worker_id": "E1", "national_id": "11010519491231002X"},                   # valid
              {"worker_id": "E2", "national_id": "11010519491231001X"},                   # bad check char
              {"worker_id": "E3", "national_id": "11010519491231002X", "birth_date": "1949-12-30"},
              {"worker_id": "E4", "national_id": "440524188001010014", "birth_date": "1880-01-01"},
              {"worker_id": "E5", "national_id": "610104620927690"}]                      # 15 digits, valid
    found = RULES_BY_ID["ID-INVALID"].run(dataset(roster=roster, profile=profile()), None)
    assert keys(found) == [("E2", None), ("E3", None)]
    assert "check character" in found[0].message and "differs from birth_date" in found[1].message


# ---------------------------------------------------------------- INT-DUPLICATE-ID

def test_duplicate_id_each_worker_and_not_for_repeats_of_one_worker():
    roster = [{"worker_id": "E1", "national_id": "11010519491231002X"},
              {"worker_id": "E2", "national_id": "11010519491231002X"},
              {"worker_id": "E3", "national_id": "440308199901101512"},
              {"worker_id": "E3", "national_id": "440308199901101512"}]  # one worker listed twice
    found = run("INT-DUPLICATE-ID", roster=roster)
    assert keys(found) == [("E1", None), ("E2", None)] and "E2" in found[0].message


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
    assert keys(found) == [("U1", "2026-03-01"), ("U2", "2026-03-01")]


# ---------------------------------------------------------------- INT-IDENTICAL-RECORDS

def test_identical_records_need_every_day_and_ten_days():
    a = _days("A", 10, lambda k: (f"07:{50 + k % 7}-12:00", "13:00-17:05"))
    b = [{**r, "worker_id": "B"} for r in a]
    c = [{**r, "worker_id": "C"} for r in a[:-1]] + [day("C", a[-1]["date"], "07:00-12:00")]  # one day differs
    d9 = _days("D", 9, lambda k: PAIRS_8H)
    e9 = [{**r, "worker_id": "E"} for r in d9]
    found = run("INT-IDENTICAL-RECORDS", timesheet=a + b + c + d9 + e9)
    assert keys(found) == [("A", "2026-03-01"), ("B", "2026-03-01")]


# ---------------------------------------------------------------- INT-OT-AT-CAP (not in the SPEC)

def test_ot_at_cap_every_month():
    lines = [pay("E1", m, base_pay=1, ot_hours_weekday=30, ot_hours_restday=6) for m in ("2026-03", "2026-04", "2026-05")]
    lines += [pay("E2", m, base_pay=1, ot_hours_weekday=36 if m != "2026-05" else 35) for m in ("2026-03", "2026-04", "2026-05")]
    lines += [pay("E3", m, base_pay=1, ot_hours_weekday=36) for m in ("2026-03", "2026-04")]
    assert keys(run("INT-OT-AT-CAP", payroll=lines)) == [("E1", "2026-03-01")]


# ---------------------------------------------------------------- XDOC-NO-PAYROLL

def test_no_payroll_only_in_months_the_payroll_covers():
    time = [day("E1", "2026-03-02", *PAIRS_8H), day("E2", "2026-03-02", *PAIRS_8H), day("E1", "2026-04-01", *PAIRS_8H)]
    found = run("XDOC-NO-PAYROLL", timesheet=time, payroll=[pay("E1", base_pay=1)])
    assert keys(found) == [("E2", "2026-03-01")]  # April has no payroll at all: DQ-PERIOD-GAP's business


# ---------------------------------------------------------------- XDOC-PAID-NO-TIME

def test_paid_without_time_where_the_time_records_name_most_paid_workers():
    march = [day(f"E{k}", "2026-03-02", *PAIRS_8H) for k in range(1, 5)]          # E1-E4 of 5 paid: 80 %
    april = [day("E1", "2026-04-01", *PAIRS_8H)]                                   # 1 of 5: a partial export
    payroll = ([pay(f"E{k}", regular_hours=174, base_pay=3000) for k in range(1, 6)]
               + [pay(f"E{k}", "2026-04", regular_hours=174, base_pay=3000) for k in range(1, 6)]
               + [pay("E6", regular_hours=0, base_pay=3000)])                      # paid leave: no hours worked
    found = run("XDOC-PAID-NO-TIME", timesheet=march + april, payroll=payroll)
    assert keys(found) == [("E5", "2026-03-01")]
    assert found[0].measured == 174 and "4 of its 5 paid workers" in found[0].message
    assert found[0].evidence and found[0].evidence[0].document == "pay.csv" and "(c) 8" in found[0].sources[0]


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
    assert keys(found) == [("E1", "2026-03-02"), ("E2", "2026-03-08")]
    e1 = next(f for f in found if f.subject["worker_id"] == "E1")
    assert e1.measured == 61 and e1.limit == 60 and {e.document for e in e1.evidence} == {"gate.csv", "time.csv"}


def test_gate_date_and_time_columns_are_joined():
    time = [day("E1", "2026-03-02", *PAIRS_8H)]
    events = [{"worker_id": "E1", "date": "2026-03-02", "time": "05:00", "direction": "进"},
              {"worker_id": "E1", "date": "2026-03-02", "time": "17:10", "direction": "出"}]
    assert keys(run("XDOC-GATE-TIMESHEET", timesheet=time, gate=events)) == [("E1", "2026-03-02")]


# ---------------------------------------------------------------- LIC-*

LIC = [{"license_type": "营业执照", "number": "914403001922038216", "holder_name": "上海示例服装有限公司",
        "holder_uscc": "914403001922038216", "valid_until": "2040-01-01"},
       {"license_type": "消防验收", "number": "F-1", "holder_name": "SHANGHAI EXAMPLE GARMENTS CO LTD",
        "valid_until": "2026-06-14"},
       {"license_type": "消防验收", "number": "F-0", "holder_name": "上海示例服装有限公司", "valid_until": "2020-01-01"},
       {"license_type": "排污许可证", "number": "P-1", "holder_name": "上海示例服装有限公司", "valid_until": "2026-09-13"},
       {"license_type": "食品经营许可证", "number": "C-1", "holder_name": "上海某餐饮管理有限公司", "valid_until": "2026-09-12"},
       {"license_type": "特种设备使用登记证", "number": "S-1", "holder_name": "上海示例服装有限公司",
        "holder_uscc": "91350211M0000XUF46", "valid_until": "2030-01-01"}]


def lic(rule_id, **changes):
    return RULES_BY_ID[rule_id].run(dataset(licenses=LIC, profile=profile(**changes)), None)


def test_license_missing_expired_expiring():
    assert keys(lic("LIC-MISSING", required_licenses=["business_license", "dormitory", "fire_safety"])) == [("dormitory", None)]
    assert keys(lic("LIC-EXPIRED")) == [("fire_safety", "2026-06-14")]  # the latest fire certificate counts
    # 90 days after 2026-06-15 is 2026-09-13: on the window's edge is inside it
    assert keys(lic("LIC-EXPIRING")) == [("canteen_hygiene", "2026-09-12"), ("discharge_permit", "2026-09-13")]


def test_license_holder_and_uscc():
    found = lic("LIC-HOLDER-MISMATCH")
    assert keys(found) == [("canteen_hygiene", None), ("special_equipment", None)]  # names match across spelling
    invalid = lic("LIC-INVALID-NUMBER")
    assert keys(invalid) == [("special_equipment", None)] and invalid[0].severity == "minor"
    assert "pilot" in invalid[0].message


# ---------------------------------------------------------------- SEC-*

SEALS = [{"date": "2026-04-01", "container_no": "C1", "seal_no": "S1", "verified_by": "Li", "vvtt_done": "Y"},
         {"date": "2026-04-02", "container_no": "C2", "seal_no": "S2", "verified_by": "Li", "vvtt_done": "N"},
         {"date": "2026-04-03", "container_no": "C3", "seal_no": "S3", "verified_by": None, "vvtt_done": "Y"},
         {"date": "2026-04-04", "container_no": "C4", "seal_no": "S1", "verified_by": "Li", "vvtt_done": "Y"},
         {"date": "2026-04-05", "container_no": "C5", "seal_no": "S5", "verified_by": "Li", "vvtt_done": "Y"}]
POINTS = {p: "pass" for p in ("front wall", "left side", "right side", "floor", "ceiling roof", "doors", "undercarriage")}
INSPECTIONS = [{"date": "2026-04-01", "container_no": "C1", "seal_no": "S1", **POINTS},
               {"date": "2026-04-01", "container_no": "C2", "seal_no": "S2", **POINTS, "floor": "fail"},
               {"date": "2026-04-03", "container_no": "C3", "seal_no": "S9", **POINTS, "doors": None},
               {"date": "2026-04-04", "container_no": "C4", "seal_no": "S1", **POINTS},
               {"date": "2026-04-06", "container_no": "C5", "seal_no": "S5", **POINTS}]  # the day after sealing


def sec(rule_id):
    return keys(run(rule_id, seals=SEALS, inspections=INSPECTIONS))


def test_security_seals_and_inspections():
    assert sec("SEC-SEAL-MISMATCH") == [("C3", "2026-04-03")]
    assert sec("SEC-SEAL-REUSED") == [("S1", None)]
    assert sec("SEC-SEAL-VVTT") == [("C2", "2026-04-02"), ("C3", "2026-04-03")]
    assert sec("SEC-INSPECTION-MISSING") == [("C5", "2026-04-05")]
    assert sec("SEC-INSPECTION-INCOMPLETE") == [("C2", "2026-04-01"), ("C3", "2026-04-03")]


def test_security_visitors():
    visitors = [{"date": "2026-04-01", "visitor name": "A", "id checked": "Y", "time in": "09:00", "time out": "10:00"},
                {"date": "2026-04-01", "visitor name": "B", "id checked": "N", "time in": "09:00", "time out": "10:00"},
                {"date": "2026-04-02", "visitor name": "C", "id number": "11010519491231002X", "time in": "09:00"},
                {"date": "2026-04-02", "visitor name": "D", "time in": "09:00", "time out": "10:00"}]
    found = run("SEC-VISITOR-ID", visitors=visitors)
    assert keys(found) == [("B|2026-04-01", "2026-04-01"), ("D|2026-04-02", "2026-04-02")]
    assert keys(run("SEC-VISITOR-EXIT", visitors=visitors)) == [("C|2026-04-02", "2026-04-02")]


# ---------------------------------------------------------------- DQ-PERIOD-GAP

def test_period_gap_per_record_kind():
    time = [day("E1", "2026-03-02", *PAIRS_8H), day("E1", "2026-05-04", *PAIRS_8H)]
    ds = dataset(timesheet=time, payroll=[pay("E1", m, base_pay=1) for m in ("2026-03", "2026-04", "2026-05")],
                 profile=profile())
    found = RULES_BY_ID["DQ-PERIOD-GAP"].run(ds, None)
    assert keys(found) == [("timesheet", "2026-04-01")]


# ---------------------------------------------------------------- the catalogue

SPEC = Path(__file__).resolve().parents[2] / "shared" / "SPEC.md"


def spec_rule_ids() -> set[str]:
    if not SPEC.exists():
        pytest.skip("../shared/SPEC.md not present")
    return set(re.findall(r"^\| ([A-Z]+(?:-[A-Z0-9]+)+) \|", SPEC.read_text(encoding="utf-8"), re.M))


def test_every_spec_rule_is_implemented_and_listed_with_a_source():
    ids = spec_rule_ids()
    assert len(ids) == 38  # the SPEC catalogue as it stands: a parse that misses rows fails here
    entries = {e.id: e for e in catalogue.build(load_packs())}
    assert ids <= set(entries)
    for rule_id in ids:
        assert entries[rule_id].sources, rule_id


def test_every_rule_renders_in_the_cli():
    from typer.testing import CliRunner

    from preaudit.cli import app

    result = CliRunner().invoke(app, ["rules", "list"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    for rule in RULES:
        assert rule.id in result.output
    explained = CliRunner().invoke(app, ["rules", "explain", "lab-min-wage"], env={"COLUMNS": "200"})
    assert explained.exit_code == 0 and "CN-SH: 2740" in explained.output and "2025-07-01" in explained.output
    assert CliRunner().invoke(app, ["rules", "explain", "NOPE"]).exit_code == 2
