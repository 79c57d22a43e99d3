"""The law of the factory's country (issue 11): one hand-built factory per jurisdiction, its
records in that country's real register layout (reference/real-exports.md), that pays and
schedules exactly what the law asks, and a twin with known violations.

What each twin cannot show is said where it is left out: Bangladesh has no sourced limit on
consecutive days, India and the US no sourced minimum wage in the packs, India and Vietnam no
sourced hourly-rate basis (their overtime premium is then DQ-COVERAGE, tested below)."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from tests.support.countries import Country, countries, build

LAW_CATEGORIES = {"working_time", "wages", "age", "identity", "integrity", "cross_document"}


# ---------------------------------------------------------------- each country's registers


@pytest.mark.parametrize("code", ["CN", "BD", "VN", "IN", "US"])
def test_a_factory_that_does_what_the_law_asks_gets_no_finding_of_law(tmp_path, code):
    result = build(tmp_path, countries()[code])
    law = [f.message for f in result.findings if f.category in LAW_CATEGORIES]
    assert law == []
    assert all(d.status.value == "ok" for d in result.documents), [(d.path, d.reason) for d in result.documents]


def test_the_legal_six_day_week_is_no_rest_day_overtime_in_bangladesh(tmp_path):
    """Every Saturday of March is worked; Friday is the weekly holiday (s103), though the
    holidays package's Bangladeshi weekend is Friday and Saturday."""
    from validators.dataset.calendar import day_types
    from preaudit.core.packs import load_packs, resolve

    context = resolve("BD", [], {}, load_packs())
    types = day_types([dt.date(2026, 3, 6), dt.date(2026, 3, 7)], context.holiday_calendar, context.rest_weekdays)
    assert types == {dt.date(2026, 3, 6): "restday", dt.date(2026, 3, 7): "weekday"}
    result = build(tmp_path, countries()["BD"])
    assert not [f for f in result.findings if f.rule_id in ("LAB-OT-MONTH-MAX", "LAB-OT-PREMIUM")]


def _with_violations(code: str) -> tuple[Country, dict, Counter]:
    c = countries()[code]
    w1, w2, w3 = (c.workers + [None])[:3]
    sundays = [d for d in (dt.date(2026, 3, 7), dt.date(2026, 3, 8)) if d.weekday() in c.rest_weekdays]
    if code == "CN":
        w3.extra_days = sundays                                   # 12 days in a row
        bad = {("base", w1.worker_id): 2700.0,                     # full month below 2740
               ("rate", w3.worker_id): 3000 / 176}                 # premium on base ÷ regular hours
        w2.national_id = w2.national_id[:-1] + ("0" if w2.national_id[-1] != "0" else "1")
        return c, bad, Counter({"LAB-MIN-WAGE": 1, "LAB-OT-PREMIUM": 1, "LAB-REST-DAY": 1, "ID-INVALID": 1})
    if code == "BD":
        bad = {("base", w1.worker_id): 6000.0,                     # gross 11,700 < 12,500
               ("rate", w2.worker_id): round(6700 / 240 * 2, 2)}   # OT rate on basic ÷ 240
        w3.national_id = "2001" + "2691041123458"                 # begins with 2001, born 1998
        w1.extra_days = [dt.date(2026, 3, 6)]                     # a Friday worked: 13 days in a row (s103)
        return c, bad, Counter({"LAB-MIN-WAGE": 1, "LAB-OT-PREMIUM": 1, "ID-INVALID": 1, "LAB-REST-DAY": 1})
    if code == "VN":
        w3.extra_days = [dt.date(2026, 3, 8)]                     # Sunday: 7 days in a row
        bad = {("base", w1.worker_id): 5_200_000,                  # below Region I 5,310,000
               ("premium", w3.worker_id): 1.0}                     # overtime at the plain hourly rate
        w2.national_id = "079198123456"                            # digit 1: a woman born in the 1900s; he is male
        return c, bad, Counter({"LAB-MIN-WAGE": 1, "LAB-REST-DAY": 1, "ID-INVALID": 1, "LAB-OT-PREMIUM": 1})
    if code == "IN":
        w3.extra_days = [dt.date(2026, 3, 8), dt.date(2026, 3, 15)]  # Sundays: 20 days in a row (limit 10 to Nov 2025)
        w2.national_id = w2.national_id[:-1] + str((int(w2.national_id[-1]) + 1) % 10)  # Verhoeff fails
        return c, {}, Counter({"ID-INVALID": 1})
    w2.extra_days = [dt.date(2026, 3, 7)]
    return c, {("ot", w2.worker_id): 8 * 18.0, ("rate", w1.worker_id): 7.0},  \
        Counter({"LAB-OT-PREMIUM": 1, "LAB-MIN-WAGE": 1})  # OT at the plain rate; $7.00/h below the federal $7.25


@pytest.mark.parametrize("code", ["CN", "BD", "VN", "IN", "US"])
def test_the_twin_with_known_violations_gets_each_and_nothing_else(tmp_path, code):
    c, bad, expected = _with_violations(code)
    result = build(tmp_path, c, bad)
    law = Counter(f.rule_id for f in result.findings if f.category in LAW_CATEGORIES)
    assert law == expected, [f.message for f in result.findings if f.category in LAW_CATEGORIES]


def test_overtime_that_cannot_be_priced_is_said_not_skipped(tmp_path):
    """India's packs give no hourly-rate basis and Form B states no hourly rate or regular hours."""
    c = countries()["IN"]
    c.workers[0].extra_days = [dt.date(2026, 3, 8)]
    result = build(tmp_path, c)
    coverage = [f for f in result.findings if f.rule_id == "DQ-COVERAGE"]
    assert [f.subject for f in coverage] == [{"record_kind": "payroll_ot_premium"}]
    assert "LAB-OT-PREMIUM" in coverage[0].message


def test_the_factorys_country_decides_the_scheme(tmp_path):
    """Issue 27 item 9 (this test asserted the opposite before): on a Shanghai roster a 12-digit
    number is a bad resident ID, not a Vietnamese CCCD; a foreign worker's passport is not judged."""
    c = countries()["CN"]
    c.workers[1].national_id = "079098123456"  # 12 digits: no Chinese resident ID
    c.workers[2].national_id = "C01X00T47"     # a Vietnamese passport number: a foreign document
    result = build(tmp_path, c)
    invalid = [f for f in result.findings if f.rule_id == "ID-INVALID"]
    assert [f.subject["worker_id"] for f in invalid] == [c.workers[1].worker_id]
    assert "GB 11643" in invalid[0].message


def test_young_workers_by_the_law_of_their_country():
    """Bangladesh s41: no adolescent work 19:00-07:00, ≤ 5 h a day; Vietnam Art 146: ≤ 8 h a day.
    The same 06:30-11:00 morning is lawful for a 16-year-old in Vietnam and not in Bangladesh."""
    from validators.dataset.dataset import Dataset
    from preaudit.core.packs import load_packs, resolve
    from tests.support.builders import day, table
    from validators import RULES_BY_ID

    roster = [{"worker_id": "Y1", "birth_date": "2010-01-01", "hire_date": "2025-06-01"}]
    morning = [day("Y1", "2026-03-02", "06:30-11:00")]
    six_hours = [day("Y1", "2026-03-03", "08:00-14:00")]

    def found(jurisdiction, days):
        ds = Dataset.build([table(roster, "roster.csv"), table(days, "time.csv")],
                           resolve(jurisdiction, [], {}, load_packs()))
        return RULES_BY_ID["LAB-JUVENILE-RESTRICTED"].run(ds, None)

    assert found("VN", morning) == [] and found("VN", six_hours) == []
    (bd,) = found("BD", morning + six_hours)
    assert "night work (19:00-07:00) on 1 day(s)" in bd.message and "1 day(s) over" in bd.message
    assert any("s41" in s for s in bd.sources)
    (vn,) = found("VN", [day("Y1", "2026-03-04", "07:00-12:00", "13:00-17:30")])
    assert "1 day(s) over" in vn.message


def test_an_unpaid_meal_break_the_punches_do_not_show_is_deducted():
    """factory.yaml breaks: 12:00-13:00. A day punched 07:00-19:00 straight through is 11 h worked;
    a day punched out and in around lunch shows its break; a register's own break minutes stand."""
    from validators.dataset.dataset import Dataset
    from preaudit.core.packs import load_packs, resolve
    from tests.support.builders import day, profile, table
    from validators import RULES_BY_ID

    days = [day("E1", "2026-03-02", "07:00-19:00"),                  # through lunch: 12 h − 1 h
            day("E2", "2026-03-02", "07:00-12:00", "13:00-19:30"),   # lunch shown: 11.5 h
            day("E3", "2026-03-02", "07:00-19:00", brk=30),          # the register's own 30 min
            day("E4", "2026-03-02", "07:00-20:30")]                  # through lunch: 12.5 h

    ds = Dataset.build([table(days, "time.csv")], resolve("CN-SH", [], {}, load_packs()),
                       profile=profile(breaks=[(720, 780)]))
    hours = dict(ds.days.select("worker_id", "hours").iter_rows())
    assert hours == {"E1": 11.0, "E2": 11.5, "E3": 11.5, "E4": 12.5}
    run = RULES_BY_ID["LAB-HOURS-DAY-MAX"].run(ds, None)
    found = {f.subject["worker_id"]: f for f in run if not f.possible}
    assert set(found) == {"E2", "E3", "E4"}  # CN: 11 h a day at most
    assert "meal break" not in found["E2"].message and "60-min meal break" in found["E4"].message
    assert "factory.yaml breaks" in found["E4"].message
    # E1 is over only if the lunch hour was worked: a possible item for the auditor, not a finding
    assert [(f.subject["worker_id"], f.possible) for f in run if f.possible] == \
        [("E1", "no break recorded: 12 h if the 60-min meal break was worked, 11 h if not")]


def test_a_wage_sheet_naming_workers_without_ids_takes_them_from_the_roster(tmp_path):
    """Vietnam's 02-LĐTL as issued has no employee code: the roster's id for each name; a name no
    roster worker has is a coverage gap, never a worker invented or a finding on an unknown one."""
    c, bad, expected = _with_violations("VN")
    result = build(tmp_path, c, {**bad, "no_ids": "Phạm Văn Tư"})
    law = Counter(f.rule_id for f in result.findings if f.category in LAW_CATEGORIES)
    assert law == expected, [f.message for f in result.findings if f.category in LAW_CATEGORIES]
    (minimum,) = [f for f in result.findings if f.rule_id == "LAB-MIN-WAGE"]
    assert minimum.subject.get("worker_id") == c.workers[0].worker_id
    (gap,) = [f for f in result.findings if f.rule_id == "DQ-COVERAGE" and "Phạm Văn Tư" in f.message]
    assert gap.subject == {"record_kind": "payroll"} and "XDOC-NO-PAYROLL" in gap.message
