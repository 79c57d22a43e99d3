"""Second-books signals (issue 23): each on records built by hand to show it and on records built to
look normal (habits, queues at the terminal, lateness, missed taps, overtime that follows orders)."""
from __future__ import annotations

import datetime as dt
import random

from tests.support.builders import dataset, day
from tests.support.rules import run, subject_keys, worker_keys
from tests.support.second_books import genuine_month, hhmm, pack_rows, workdays, written_month
from validators import RULES_BY_ID


# ---------------------------------------------------------------- INT-NO-HABIT

def test_no_habit_flags_written_months_and_not_genuine_ones():
    rng = random.Random(3)
    rows = []
    for w in ("W1", "W2", "W3", "W4"):
        rows += written_month(rng, w, "2026-03")
    for g in (f"G{i}" for i in range(30)):
        rows += genuine_month(rng, g, "2026-03")
    found = run("INT-NO-HABIT", timesheet=rows)
    assert {w for w, _ in worker_keys(found)} == {"W1", "W2", "W3", "W4"}
    message = found[0].message
    assert "autocorrelation" in message and "p =" in message and "Benjamini–Hochberg" in message
    assert "raw log" in message and "forged" not in message
    assert len(found[0].evidence) > 0


def test_no_habit_silent_on_a_fixed_timetable_and_on_short_months():
    rows = [day("F1", d.isoformat(), "08:00-12:00", "13:00-17:00") for d in workdays("2026-03")]  # INT-UNIFORM-PUNCHES' case
    rng = random.Random(5)
    rows += written_month(rng, "S1", "2026-03")[:12]  # too few days to test
    assert run("INT-NO-HABIT", timesheet=rows) == []


def test_software_written_months_flagged_genuine_ones_not():
    """The bar of issue 23: ≥ 90 % of written worker-months flagged, ≤ 1 % of genuine ones."""
    written = genuine = flagged_w = flagged_g = 0
    for seed in (101, 102):
        rows, w_ids, g_ids = pack_rows(seed, written=40, genuine=100)
        ds = dataset(timesheet=rows)
        found = {(f.subject["worker_id"], f.period["start"]) for f in RULES_BY_ID["INT-NO-HABIT"].run(ds, None)}
        written += 2 * len(w_ids)
        genuine += 2 * len(g_ids)
        flagged_w += sum(1 for w, _ in found if w in w_ids)
        flagged_g += sum(1 for w, _ in found if w in g_ids)
    print(f"written flagged {flagged_w}/{written}, genuine flagged {flagged_g}/{genuine}")
    assert flagged_w >= 0.9 * written
    assert flagged_g <= 0.01 * genuine


# ---------------------------------------------------------------- INT-TERMINAL-CROWD

def _tap(worker, at: dt.datetime, gate="T1"):
    return {"worker_id": worker, "timestamp": at.strftime("%Y-%m-%d %H:%M:%S"), "direction": "in", "gate": gate}


def test_terminal_crowd_minute_and_second_and_a_queue_is_fine():
    base = dt.datetime(2026, 3, 2, 7, 50, 0)
    crowd = [_tap(f"C{i}", base + dt.timedelta(seconds=i % 60)) for i in range(40)]  # 40 in one minute
    same_second = [_tap(f"S{i}", dt.datetime(2026, 3, 3, 7, 55, 7), gate="T2") for i in range(3)]
    same_second += [_tap(f"S{i}", dt.datetime(2026, 3, 4, 7, 50 + i, 3 * i), gate="T2") for i in range(3)]  # seconds kept
    minutes_only = [_tap(f"M{i}", dt.datetime(2026, 3, 3, 7, 55), gate="T4") for i in range(5)]  # an export without seconds
    rng = random.Random(1)
    queue, at = [], dt.datetime(2026, 3, 4, 7, 40, 0)
    for i in range(60):  # a queue: taps 2-9 s apart
        at += dt.timedelta(seconds=rng.randint(2, 9))
        queue.append(_tap(f"Q{i}", at, gate="T3"))
    found = run("INT-TERMINAL-CROWD", gate=crowd + same_second + queue + minutes_only)
    assert subject_keys(found) == [("T1", "2026-03-02"), ("T2", "2026-03-03")]
    assert "40 taps within the minute" in found[0].message


# ---------------------------------------------------------------- INT-OT-UNDER-CAP

def _month_with_ot(worker, total_ot_hours: float, month="2026-03"):
    """Weekdays of the month at 8 h, the overtime spread over the first days (CN-SH weekday OT)."""
    from tests.support.rules import march_days  # noqa: F401 (the same calendar)
    from validators.dataset.calendar import day_types

    y, m = map(int, month.split("-"))
    dates = [dt.date(y, m, d) for d in range(1, 32) if (dt.date(y, m, 1) + dt.timedelta(days=d - 1)).month == m]
    types = day_types(dates, "CN", [5, 6])
    rows, left = [], round(total_ot_hours * 60)
    for d in (d for d in dates if types[d] == "weekday"):
        extra = min(left, 120)
        left -= extra
        rows.append(day(worker, d.isoformat(), "08:00-12:00", f"13:00-{hhmm(17 * 60 + extra)}"))
    return rows


def test_ot_under_cap_when_most_workers_sit_just_below_it():
    rows = []
    for i, ot in enumerate((35.5, 35.75, 36.0, 35.5, 35.9, 20.0)):
        rows += _month_with_ot(f"B{i}", ot)
    found = run("INT-OT-UNDER-CAP", timesheet=rows)
    assert subject_keys(found) == [("2026-03", "2026-03-01")] and found[0].measured == 5


def test_ot_under_cap_silent_when_overtime_follows_orders():
    rows = []
    for i, ot in enumerate((35.5, 12.0, 36.0, 28.5, 8.0, 20.0, 31.0)):
        rows += _month_with_ot(f"N{i}", ot)
    assert run("INT-OT-UNDER-CAP", timesheet=rows) == []
    over = [r for i, ot in enumerate((35.5, 35.75, 36.0, 35.5, 35.9, 40.0)) for r in _month_with_ot(f"V{i}", ot)]
    assert run("INT-OT-UNDER-CAP", timesheet=over) == []  # someone over the cap: hours not kept under it


# ---------------------------------------------------------------- INT-DAYS-AT-LIMIT

def test_days_at_limit_never_over_often_on_it():
    dates = workdays("2026-03", per_week=5)
    at_limit = [day("L1", d.isoformat(), "07:30-12:00", "13:00-19:30" if k % 3 else "13:00-17:00")
                for k, d in enumerate(dates)]  # 11 h on two days in three
    varied = [day("L2", d.isoformat(), "07:30-12:00", f"13:00-{hhmm(17 * 60 + (k * 37) % 200)}")
              for k, d in enumerate(dates)]
    over = [day("L3", d.isoformat(), "07:30-12:00", "13:00-19:30" if k % 3 else "13:00-20:30")
            for k, d in enumerate(dates)]
    found = run("INT-DAYS-AT-LIMIT", timesheet=at_limit + varied + over)
    assert worker_keys(found) == [("L1", "2026-03-01")]


# ---------------------------------------------------------------- INT-PLUS-CONSTANT, INT-COPIED-MONTH

def test_plus_constant_and_not_for_independent_genuine_workers():
    rng = random.Random(9)
    original = genuine_month(rng, "A1", "2026-03", missed_rate=0.0)
    shifted = []
    for r in original:
        h, m = map(int, r["in1"].split(":"))
        oh, om = map(int, r["out2"].split(":"))
        shifted.append(day("A2", r["date"], f"{hhmm(h * 60 + m + 3)}-12:00", f"13:00-{hhmm(oh * 60 + om + 7)}"))
    others = genuine_month(rng, "A3", "2026-03", missed_rate=0.0)
    found = run("INT-PLUS-CONSTANT", timesheet=original + shifted + others)
    assert sorted(w for w, _ in worker_keys(found)) == ["A1", "A2"]
    assert "+3 and +7 minutes" in next(f for f in found if f.subject["worker_id"] == "A2").message


def test_copied_month_with_shifted_dates():
    rng = random.Random(4)
    march = genuine_month(rng, "M1", "2026-03", missed_rate=0.0)
    april_dates = workdays("2026-04")
    april = [{**r, "date": d.isoformat()} for r, d in zip(march, april_dates)]
    other = genuine_month(rng, "M2", "2026-03", missed_rate=0.0) + genuine_month(rng, "M2", "2026-04", missed_rate=0.0)
    found = run("INT-COPIED-MONTH", timesheet=march + april + other)
    assert worker_keys(found) == [("M1", "2026-03-01"), ("M1", "2026-04-01")]


# ---------------------------------------------------------------- the report's "Are these records of real work?"

def test_real_work_ranks_worker_months_by_combined_evidence_and_never_says_forged():
    from preaudit.app.real_work import real_work
    from validators import judge

    rng = random.Random(12)
    original = genuine_month(rng, "A1", "2026-03", missed_rate=0.0)
    copy = [{**r, "worker_id": "A2", "in1": hhmm(int(r["in1"][:2]) * 60 + int(r["in1"][3:]) + 4),
             "out2": hhmm(int(r["out2"][:2]) * 60 + int(r["out2"][3:]) + 4)} for r in original]
    rows = original + copy
    for w in ("W1", "W2"):
        rows += written_month(rng, w, "2026-03")
    for g in (f"G{i}" for i in range(20)):
        rows += genuine_month(rng, g, "2026-03")
    judged = judge(dataset(timesheet=rows))
    findings = judged.findings + judged.possible  # habit statistics are possible items, ranked with the rest
    assert {f.rule_id for f in judged.possible} == {"INT-NO-HABIT"}
    ranked = real_work(findings)
    workers = [r["worker_id"] for r in ranked["worker_months"]]
    assert {"A1", "A2"} <= set(workers) and {"W1", "W2"} & set(workers)  # the written: statistical, ~95 %
    assert not any(w.startswith("G") for w in workers)
    scores = [r["score"] for r in ranked["worker_months"]]
    assert scores == sorted(scores, reverse=True) and workers[:2] == ["A1", "A2"]  # a copy weighs most
    for r in ranked["worker_months"]:
        assert "forged" not in r["explanation"] and "ask for" in r["explanation"]
        assert "the canteen system's export" in r["explanation"]
    assert ranked["documents"] and ranked["documents"][0]["document"] == "time.csv"


# ---------------------------------------------------------------- INT-OUTPUT-ON-REST

def test_output_on_a_day_the_time_records_give_no_work():
    from tests.support.builders import table
    from preaudit.core.packs import load_packs, resolve
    from validators.dataset.dataset import Dataset

    dates = workdays("2026-03", per_week=5)
    time_rows = [day(w, d.isoformat(), "08:00-12:00", "13:00-17:00") for w in ("P1", "P2") for d in dates]
    output = [{"worker_id": w, "date": d.isoformat(), "quantity": 120, "ticket_no": f"T{k}"}
              for k, (w, d) in enumerate((w, d) for w in ("P1", "P2") for d in dates)]
    output += [{"worker_id": "P1", "date": "2026-03-07", "quantity": 80, "ticket_no": "T-SAT"},  # a Saturday off
               {"worker_id": "P3", "date": "2026-03-07", "quantity": 50, "ticket_no": "T-NO-TIME"},  # no time records
               {"worker_id": "P2", "date": "2026-03-14", "quantity": 60, "ticket_no": "T-LONE-TAP"}]
    # P2 clocked in that Saturday and forgot to clock out: the time records place P2 at work
    time_rows.append({"worker_id": "P2", "date": "2026-03-14", "in1": "08:00"})
    context = resolve("CN-SH", ["sa8000"], {}, load_packs())
    ds = Dataset.build([table(time_rows, "time.csv"), table(output, "output.csv")], context)
    found = RULES_BY_ID["INT-OUTPUT-ON-REST"].run(ds, None)
    assert worker_keys(found) == [("P1", "2026-03-07")]
    assert "80 pieces" in found[0].message and "T-SAT" in found[0].message
    assert {e.document for e in found[0].evidence} == {"output.csv"}


# ---------------------------------------------------------------- INT-PAY-NEVER-ADJUSTED

def test_pay_never_adjusted_over_six_months_and_not_with_one_bonus():
    from tests.support.rules import pay

    lines = [pay(f"E{w}", f"2026-{m:02d}", base_pay=3000.0, ot_pay=300.0 + w, gross_pay=3300.0 + w, net_pay=3300.0 + w)
             for w in range(6) for m in range(1, 7)]
    found = run("INT-PAY-NEVER-ADJUSTED", payroll=lines)
    assert len(found) == 1 and found[0].measured == 6 and "36 payroll lines of 6 workers" in found[0].message
    with_bonus = [dict(l) for l in lines]
    with_bonus[7].update(allowances=200.0, gross_pay=with_bonus[7]["gross_pay"] + 200.0)
    assert run("INT-PAY-NEVER-ADJUSTED", payroll=with_bonus) == []
    assert run("INT-PAY-NEVER-ADJUSTED", payroll=[l for l in lines if l["period"] <= "2026-05"]) == []


# ---------------------------------------------------------------- preaudit rules explain

SECOND_BOOKS = ("INT-NO-HABIT", "INT-TERMINAL-CROWD", "INT-OT-UNDER-CAP", "INT-DAYS-AT-LIMIT", "INT-PLUS-CONSTANT",
                "INT-COPIED-MONTH", "INT-OUTPUT-ON-REST", "INT-PAY-NEVER-ADJUSTED", "INT-PRESENT-ON-REST",
                "INT-TERMINAL-SEQUENCE", "INT-NEVER-LATE")


def test_rules_explain_gives_statistic_threshold_and_source():
    from typer.testing import CliRunner

    from preaudit.cli import app

    for rule_id in SECOND_BOOKS:
        rule = RULES_BY_ID[rule_id]
        assert rule.category == "integrity" and "statistic" in rule.readings and "threshold" in rule.readings
        out = CliRunner().invoke(app, ["rules", "explain", rule_id])
        assert out.exit_code == 0, out.output
        text = " ".join(out.output.split())
        assert "statistic" in text and "threshold" in text and ("SMETA" in text or "amfori" in text), rule_id


# ---------------------------------------------------------------- INT-PRESENT-ON-REST (canteen, dormitory)

def _swipe(worker, when: str, place="一食堂", **values):
    return {"worker_id": worker, "timestamp": when, "place": place, **values}


def _workers_weekdays(workers, month="2026-03"):
    return [day(w, d.isoformat(), "08:00-12:00", "13:00-17:00") for w in workers for d in workdays(month, per_week=5)]


def test_canteen_meals_on_days_off_are_a_question_and_dormitory_swipes_never_count():
    time_rows = _workers_weekdays(("R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"))
    swipes = []
    for w in ("R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"):  # every worker lunches on working days
        swipes += [_swipe(w, f"{d.isoformat()} 12:0{k % 10}:1{k % 10}") for k, d in enumerate(workdays("2026-03", 5))]
    swipes += [_swipe("R1", "2026-03-07 11:58:03"), _swipe("R1", "2026-03-14 12:10:44", place="Canteen 2"),
               _swipe("R1", "2026-03-14 17:40:12", place="POS-3", amount=6.5)]            # two Saturdays off
    swipes += [_swipe("R2", "2026-03-08 12:01:00")]                                       # one Sunday lunch
    swipes += [_swipe("R3", f"2026-03-{d:02d} 21:1{d % 10}:00", place="宿舍A栋") for d in (7, 8, 14, 15)]  # home
    swipes += [_swipe("R4", "2026-03-02 18:30:00", place="一食堂")]                        # dinner after work
    swipes += [_swipe("N1", f"2026-03-{d:02d} 12:00:00") for d in (7, 8)]                  # no time records at all
    # two Saturdays worked with the clock-out forgotten: the time records place R5 there too
    time_rows += [{"worker_id": "R5", "date": f"2026-03-{d:02d}", "in1": "07:55"} for d in (7, 14)]
    swipes += [_swipe("R5", f"2026-03-{d:02d} 12:03:00") for d in (7, 14)]
    found = run("INT-PRESENT-ON-REST", timesheet=time_rows, access=swipes)
    assert worker_keys(found) == [("R1", "2026-03-01")]
    item = found[0]
    assert item.possible and item.measured == 2 and item.severity == "minor"
    assert "03-07 11:58" in item.message and "03-14 12:10 17:40" in item.message
    assert "canteen system's export" in item.message and "forged" not in item.message
    assert {e.document for e in item.evidence} == {"canteen.csv"} and len(item.evidence) == 3


def test_canteen_meals_on_days_off_for_most_users_are_one_item_for_the_month():
    workers = [f"D{i}" for i in range(8)]
    swipes = [_swipe(w, f"2026-03-{d:02d} 12:00:00") for w in workers[:6] for d in (7, 8, 14)]
    swipes += [_swipe(w, "2026-03-02 12:00:00") for w in workers[6:]]
    found = run("INT-PRESENT-ON-REST", timesheet=_workers_weekdays(workers), access=swipes)
    assert len(found) == 1 and found[0].subject == {"month": "2026-03"} and found[0].possible
    assert found[0].members == workers[:6] and "6 of 8 workers" in found[0].message


def test_an_access_log_is_read_by_its_header_words():
    from tests.support.builders import table
    from preaudit.core.model import Kind

    canteen = table([{"工号": "E1", "姓名": "王芳", "消费时间": "2026-03-07 12:05:11", "消费地点": "一食堂",
                      "消费金额": "8.00"}], "食堂消费记录.csv")
    assert canteen.kind is Kind.ACCESS_LOG
    assert canteen.df.select("worker_id", "place", "amount").row(0) == ("E1", "一食堂", 8.0)
    # "Meal" alone beside a date and a time could be a timesheet's meal break; the amount settles it
    by_meal = table([{"Emp No": "E2", "Date": "2026-03-07", "Time": "12:05", "Meal": "Lunch", "Amount": "6.50"}],
                    "meals.csv")
    assert by_meal.kind is Kind.ACCESS_LOG and str(by_meal.df["timestamp"][0]) == "2026-03-07 12:05:00"
    gate = table([{"工号": "E1", "刷卡时间": "2026-03-07 12:05:11", "门禁点": "宿舍A栋", "进出方向": "进"}])
    assert gate.kind is Kind.GATE_LOG  # a door with a direction stays a gate log


# ---------------------------------------------------------------- INT-TERMINAL-SEQUENCE

def _numbered(worker, at: dt.datetime, number: int, gate="T1"):
    return {**_tap(worker, at, gate), "sequence": str(number)}


def _queue_days(rng, gate, days=10, workers=30, first=1, month=3):
    """A terminal's log of work: each morning a queue of 2-9 s between taps, each evening another;
    the terminal numbers every record as it stores it."""
    taps, number = [], first
    for d in range(2, 2 + days):
        for start in (dt.datetime(2026, month, d, 7, 40), dt.datetime(2026, month, d, 17, 5)):
            at = start
            for w in rng.sample(range(workers), workers):
                at += dt.timedelta(seconds=rng.randint(2, 9))
                taps.append(_numbered(f"G{w}", at, number, gate))
                number += 1
    return taps


def test_terminal_numbers_against_its_clock_and_a_clock_set_back_or_a_reset_is_upkeep():
    rng = random.Random(21)
    genuine = _queue_days(rng, "T1")
    # the clock set back 20 minutes once, mid-morning of the 5th: numbers run on, times repeat
    set_back = [dict(t) for t in _queue_days(rng, "T2", first=500)]
    for t in set_back:
        if t["timestamp"] >= "2026-03-05 07:40:40":
            t["timestamp"] = (dt.datetime.fromisoformat(t["timestamp"]) - dt.timedelta(minutes=20)).strftime("%Y-%m-%d %H:%M:%S")
    reset = _queue_days(rng, "T3", days=4) + _queue_days(rng, "T3", days=4, first=1)  # a replaced unit counts from 1
    for t in reset[len(reset) // 2:]:
        t["timestamp"] = (dt.datetime.fromisoformat(t["timestamp"]) + dt.timedelta(days=6)).strftime("%Y-%m-%d %H:%M:%S")
    # written worker by worker (each worker's month, then the next) and numbered in that order,
    # exported in time order as a terminal's log is
    written, number = [], 1
    for w in range(12):
        for d in range(2, 14):
            written.append(_numbered(f"W{w}", dt.datetime(2026, 3, d, 7, rng.randint(40, 59), rng.randint(0, 59)),
                                     number, "T4"))
            number += 1
    written.sort(key=lambda t: t["timestamp"])
    found = run("INT-TERMINAL-SEQUENCE", gate=genuine + set_back + reset + written)
    assert subject_keys(found) == [("T4", "2026-03-01")] and not found[0].possible
    assert found[0].measured == 11  # one step back in time at each next worker's first record
    assert "run against its clock" in found[0].message and "raw log" in found[0].message
    assert "forged" not in found[0].message and found[0].evidence


def test_terminal_numbers_missing_from_a_dense_log_and_row_numbers_are_questions():
    rng = random.Random(22)
    log = _queue_days(rng, "T1")
    gapped = [t for t in log if not 101 <= int(t["sequence"]) <= 104]  # four records gone
    found = run("INT-TERMINAL-SEQUENCE", gate=gapped)
    assert subject_keys(found) == [("T1", "2026-03-01")] and found[0].possible and found[0].measured == 4
    assert "101–104" in found[0].message
    assert run("INT-TERMINAL-SEQUENCE", gate=log) == []
    # a column numbering the rows of a log sorted by worker: the export's count, perhaps, not the device's
    by_worker = sorted(log, key=lambda t: (t["worker_id"], t["timestamp"]))
    counted = [{**t, "sequence": str(k)} for k, t in enumerate(by_worker, 1)]
    found = run("INT-TERMINAL-SEQUENCE", gate=counted)
    assert len(found) == 1 and found[0].possible and "row count" in found[0].possible
    unnumbered = [{k: v for k, v in t.items() if k != "sequence"} for t in log]
    assert run("INT-TERMINAL-SEQUENCE", gate=unnumbered) == []


# ---------------------------------------------------------------- INT-NEVER-LATE

HALF_YEAR = ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06")


def _genuine_workers(rng, ids, months=HALF_YEAR, **rates):
    rows = []
    for g in ids:
        state: dict = {}
        for m in months:
            rows += genuine_month(rng, g, m, state=state, **rates)
    return rows


def test_never_late_over_half_a_year_while_punctual_peers_are_sometimes():
    rng = random.Random(31)
    rows = _genuine_workers(rng, [f"G{i}" for i in range(24)])
    rows += _genuine_workers(rng, ["P1", "P2"], late_rate=0.01, missed_rate=0.01)  # punctual people, still human
    for w in ("W1", "W2", "W3"):
        for m in HALF_YEAR:
            rows += written_month(rng, w, m)
    for m in HALF_YEAR[:5]:
        rows += written_month(rng, "S1", m)  # five months: too short a span to judge
    found = run("INT-NEVER-LATE", timesheet=rows)
    assert sorted(w for w, _ in worker_keys(found)) == ["W1", "W2", "W3"]
    item = found[0]
    assert item.possible and item.measured == 0 and item.period == {"start": "2026-01-01", "end": "2026-06-30"}
    assert "p = " in item.message and "Benjamini–Hochberg" in item.message and "raw log" in item.message
    assert "forged" not in item.message and item.evidence


def test_never_late_silent_on_genuine_records_and_where_the_peers_give_no_rate():
    rng = random.Random(32)
    assert run("INT-NEVER-LATE", timesheet=_genuine_workers(rng, [f"G{i}" for i in range(30)])) == []
    written = [r for w in (f"W{i}" for i in range(12)) for m in HALF_YEAR for r in written_month(rng, w, m)]
    assert run("INT-NEVER-LATE", timesheet=written) == []  # nobody is ever late: no rate to judge by


def test_a_gate_log_keeps_the_terminals_record_number_and_never_the_exports_row_number():
    from tests.support.builders import table

    hik = table([{"Employee ID": "E1", "Timestamp": "2026-03-02 07:50:01", "Door Name": "T1", "Direction": "in",
                  "Event Serial No": "1001"}], "events.csv")
    assert hik.df["sequence"].to_list() == ["1001"]
    zh = table([{"工号": "E1", "刷卡时间": "2026-03-02 07:50:01", "门禁点": "北门", "进出方向": "进", "流水号": "88"}])
    assert zh.df["sequence"].to_list() == ["88"]
    for row_number in ("序号", "Serial No."):  # the export's count, or the device's own serial number
        t = table([{row_number: "1", "工号": "E1", "刷卡时间": "2026-03-02 07:50:01", "门禁点": "北门", "进出方向": "进"}])
        assert t.df["sequence"].null_count() == t.df.height, row_number


def test_terminal_numbers_of_real_exports_sorted_by_worker_or_merged_without_a_terminal_column_raise_nothing():
    rng = random.Random(23)
    log = _queue_days(rng, "T1")
    by_worker = sorted(log, key=lambda t: (t["worker_id"], t["timestamp"]))  # the device's numbers, rows by worker
    assert run("INT-TERMINAL-SEQUENCE", gate=by_worker) == []
    # two terminals' logs in one document with no terminal column: each counter from 1, so numbers repeat
    two = [{k: v for k, v in t.items() if k != "gate"} for t in _queue_days(rng, "A") + _queue_days(rng, "B")]
    assert run("INT-TERMINAL-SEQUENCE", gate=sorted(two, key=lambda t: t["timestamp"])) == []
