"""Rules that compare documents with each other: payroll against time records, both against
the roster."""
from __future__ import annotations

from validators.base import CITED, Hit, month_period, period, rule, worker_subject
from validators.places import DORMITORY_WORDS
from validators.rests_on import AT_THE_GATE, PAID_AND_TIMED, SEEN, WORKED, RestsOn
from validators.sql import hours_paid, param_at
from validators.dataset.dataset import Dataset
from preaudit.core.model import PUNCH_FIELDS, Kind

HOURS_TOLERANCE_MIN, HOURS_TOLERANCE_SHARE = 2.0, 0.05  # SPEC §3: max(2 h, 5 %)


def _n(x: float) -> str:
    return f"{round(x, 2):g}"


def _mismatch_message(h: Hit) -> str:
    v = h.values
    head = f"{h.subject['worker_id']} payroll for {v['month']} pays {_n(v['pay'])} h"
    if not h.possible:
        shown = f"{_n(v['time'])} h"
        if abs(v["time"] - v["punched"]) >= 0.005:
            shown = (f"{_n(v['time'])} h with the unrecorded breaks of {v['presumed_days']} day(s) deducted, "
                     f"{_n(v['punched'])} h as punched")
        return f"{head} but the time records show {shown} (difference {h.measured:g} h, tolerance {h.limit:g} h)"
    return f"{head}: {h.possible} (tolerance {h.limit:g} h)"


def _mismatch_possible(r: dict) -> str | None:
    """What would decide a mismatch that holds under one reading of the unrecorded breaks only."""
    pay, lo, hi = r["pay_hours"], r["time_hours"], r["punched_hours"]
    brk = r["break_label"] or "unrecorded break"
    days = f"on {r['presumed_days']} day(s) whose record shows none"
    worked, taken = f"if the {brk} was worked {days} ({_n(hi)} h)", f"if it was taken ({_n(lo)} h)"
    if r["off_lo"] and r["off_hi"]:
        return (f"the payroll's {_n(pay)} h lie between the time records' {_n(lo)} h (the {brk} taken {days}) and "
                f"{_n(hi)} h (worked): they match only if it was worked on some of those days")
    if r["off_lo"]:
        return f"the payroll's {_n(pay)} h match the time records {worked}, not {taken}"
    return (f"the payroll's {_n(pay)} h match the time records if the {brk} was taken {days} ({_n(lo)} h), "
            f"not if it was worked ({_n(hi)} h)")


@rule("XDOC-HOURS-MISMATCH", category="cross_document", severity="major", unit="hours",
      summary="payroll hours differ from time-record hours for the month by more than max(2 h, 5 %)",
      evidence={Kind.PAYROLL: ("period", "regular_hours", "ot_hours_weekday", "ot_hours_restday",
                               "ot_hours_holiday"),
                Kind.TIMESHEET: ("date", "punches", *PUNCH_FIELDS)},
      message=_mismatch_message,
      # a mismatch for most workers of a month is a pattern to check first (review), not held back:
      # a factory paying every worker short is exactly what the rule is for
      rests_on=RestsOn((Kind.TIMESHEET, Kind.PAYROLL), among=PAID_AND_TIMED, most=None),
      readings="compared only for months whose time records and payroll were both read completely, and for "
               "workers with no unpaired tap that month: a lost page or a tap with no partner is not a mismatch; "
               "a day whose record shows no break is read with the break deducted and as punched: the payroll's "
               "hours outside the tolerance of the whole range between the two month totals is a finding, "
               "outside the tolerance of one reading only a possible item")
def find_hours_mismatch(ds: Dataset) -> list[Hit]:
    tol = lambda col: f"round(greatest({HOURS_TOLERANCE_MIN}, {HOURS_TOLERANCE_SHARE} * {col}), 2)"  # noqa: E731
    rows = ds.sql(f"""
        with t as (select worker_id, month, sum(hours) as time_hours, sum(hours_punched) as punched_hours,
                          count(*) filter (where hours_punched > hours + 1e-9) as presumed_days,
                          case when count(distinct break_label) filter (where hours_punched > hours + 1e-9) = 1
                               then any_value(break_label) filter (where hours_punched > hours + 1e-9) end
                              as break_label,
                          flatten(list(recs)) as recs
                   from days group by worker_id, month),
        p as (select worker_id, period as month,
                     sum({hours_paid()}) as pay_hours,
                     list(_rec) as recs
              from payroll
              -- a register with no regular hours (Bangladesh, India Form B) has no month's total to compare
              where period is not null and regular_hours is not null
              group by worker_id, period),
        j as (select t.worker_id, t.month, t.time_hours, t.punched_hours, t.presumed_days, t.break_label,
                     p.pay_hours, p.recs || t.recs as recs,
                     -- hundredths of an hour: float noise must not push a difference on the tolerance over it
                     round(t.time_hours - p.pay_hours, 2) as below, round(p.pay_hours - t.punched_hours, 2) as above,
                     round(abs(p.pay_hours - t.time_hours), 2) as d_lo, round(abs(p.pay_hours - t.punched_hours), 2)
                         as d_hi,
                     {tol('t.time_hours')} as tol_lo, {tol('t.punched_hours')} as tol_hi
              from t join p on p.worker_id = t.worker_id and p.month = t.month)
        -- (both sides read completely: rests_on, checked in Rule.run)
        select *, d_lo > tol_lo as off_lo, d_hi > tol_hi as off_hi from j
        where d_lo > tol_lo or d_hi > tol_hi""")
    hits = []
    for r in rows:
        values = {"month": r["month"], "time": r["time_hours"], "punched": r["punched_hours"],
                  "pay": r["pay_hours"], "presumed_days": r["presumed_days"]}
        if r["below"] > r["tol_lo"]:    # short of even the lenient reading (every break taken)
            measured, lim, possible = r["below"], r["tol_lo"], None
        elif r["above"] > r["tol_hi"]:  # beyond even the hours as punched (every break worked)
            measured, lim, possible = r["above"], r["tol_hi"], None
        else:  # inside the range the two readings span: a mismatch under one of them only
            measured, lim = (r["d_lo"], r["tol_lo"]) if r["off_lo"] else (r["d_hi"], r["tol_hi"])
            possible = _mismatch_possible(r)
        hits.append(Hit(worker_subject(r["worker_id"]), month_period(r["month"]), measured, lim,
                        [CITED], list(r["recs"]), values, possible=possible))
    return hits


@rule("XDOC-WORKER-UNKNOWN", category="cross_document", severity="major",
      summary="a worker_id in payroll, time records or gate logs that is not on the roster",
      evidence={Kind.PAYROLL: ("worker_id", "name", "period"), Kind.TIMESHEET: ("worker_id", "name", "date"),
                Kind.GATE_LOG: ("worker_id", "name", "timestamp", "date", "time")},
      message=lambda h: f"{h.subject['worker_id']} appears in the {' and '.join(h.values['found_in'])} "
                        f"but not on the roster",
      rests_on=RestsOn((Kind.ROSTER,), per="whole", among=SEEN),
      readings="only where a roster was read, completely, and it names most of the workers the other records "
               "name: no roster, or one not read whole, or one department's list, is one DQ-COVERAGE")
def find_worker_unknown(ds: Dataset) -> list[Hit]:
    rows = ds.sql("""
        with seen as (select worker_id, _rec, 'time records' as src from timesheet
                      union all select worker_id, _rec, 'payroll' as src from payroll
                      union all select worker_id, _rec, 'gate log' as src from gate_log)
        select s.worker_id, list(s._rec order by s._rec) as recs, list(distinct s.src) as found_in
        from seen s anti join roster r on r.worker_id = s.worker_id
        where s.worker_id is not null group by s.worker_id""")
    return [Hit(worker_subject(r["worker_id"]), None, None, None,
                [CITED], list(r["recs"]),
                {"found_in": sorted(r["found_in"])}) for r in rows]


@rule("XDOC-NO-PAYROLL", category="cross_document", severity="major", unit="days",
      summary="a worker with worked days in a month but no payroll line for it",
      evidence={Kind.TIMESHEET: ("worker_id", "name", "date", "punches", "in1", "out1")},
      message=lambda h: f"{h.subject['worker_id']} worked {h.measured:g} days in {h.values['month']} but has no "
                        f"payroll line for that month",
      rests_on=RestsOn((Kind.PAYROLL,), among=WORKED),
      readings="fires only for months whose payroll was read completely and names most of the workers with "
               "worked days: a month missing whole is DQ-PERIOD-GAP, one read in part is one DQ-COVERAGE")
def find_no_payroll(ds: Dataset) -> list[Hit]:
    rows = ds.sql("""
        select d.worker_id, d.month, count(*) as days, flatten(list(d.recs)) as recs
        from days d
        where not exists (select 1 from payroll p where p.worker_id = d.worker_id and p.period = d.month)
        group by d.worker_id, d.month""")
    return [Hit(worker_subject(r["worker_id"]), month_period(r["month"]), r["days"], None,
                [CITED], list(r["recs"]), r) for r in rows]


def _gate_message(h: Hit) -> str:
    if h.values["no_record"]:
        return f"{h.subject['worker_id']} is inside the factory by the gate log on {h.period['start']}, a day with no time record"
    return (f"{h.subject['worker_id']} is inside the factory {h.measured:g} min beyond the clock-in/clock-out "
            f"span on {h.period['start']} by the gate log (tolerance {h.limit:g} min, {h.sources[0]})")


@rule("XDOC-GATE-TIMESHEET", category="cross_document", severity="major", unit="minutes",
      summary="the gate log shows the worker inside beyond the tolerance around the punches, or on a day "
              "with no time record",
      params=("gate_tolerance_minutes",),
      evidence={Kind.GATE_LOG: ("worker_id", "timestamp", "date", "time", "direction", "gate"),
                Kind.TIMESHEET: ("date", "punches", *PUNCH_FIELDS)},
      message=_gate_message,
      rests_on=RestsOn((Kind.TIMESHEET,), among=AT_THE_GATE, what="no time record that day"),
      readings="'no time record that day' fires only for months whose time records were read completely and "
               "name most of the workers at the gate (a month not read, or read in part, is one DQ-COVERAGE); "
               "presence beyond the punches needs both records and is judged everywhere; a dormitory's door "
               "(its gate named as one) is no presence at work")
def find_gate_timesheet(ds: Dataset) -> list[Hit]:
    """Gate presence (an 'in' paired with the next 'out') against each worked day's span from
    first clock-in to last clock-out, as an interval join that stays fast on a factory-year."""
    rows = ds.sql(f"""
        with ev as (
            select worker_id, "timestamp" as ts, direction, _rec,
                   lead("timestamp") over w as next_ts, lead(direction) over w as next_dir,
                   lead(_rec) over w as next_rec, lag(direction) over w as prev_dir
            from gate_log where worker_id is not null and "timestamp" is not null and direction is not null
              -- a dormitory's door: workers live there, so being inside says nothing of work
              and not regexp_matches(coalesce(gate, ''), '(?i){DORMITORY_WORDS}')
            window w as (partition by worker_id order by "timestamp")),
        presence as (
            select worker_id, ts as p_start,
                   case when next_dir = 'out' then next_ts else ts end as p_end,
                   case when next_dir = 'out' then [_rec, next_rec] else [_rec] end as gate_recs
            from ev where direction = 'in'
            union all
            select worker_id, ts, ts, [_rec] from ev
            where direction = 'out' and (prev_dir is null or prev_dir <> 'in')),
        spans as (
            select worker_id, date, recs,
                   date::timestamp + to_minutes(first_in::bigint) as s_start,
                   date::timestamp + to_minutes(last_out::bigint) as s_end
            from days where first_in is not null and last_out is not null),
        matched as (
            select pr.*, s.date, s.s_start, s.s_end, s.recs, t.value as tol, t.source
            from presence pr
            {param_at('t', 'gate_tolerance_minutes', 'pr.p_start::date')}
            left join spans s on s.worker_id = pr.worker_id
                 and s.s_start - to_minutes(t.value::bigint) <= pr.p_end
                 and pr.p_start <= s.s_end + to_minutes(t.value::bigint)),
        judged as (
            select worker_id, coalesce(date, p_start::date) as day, tol, source, gate_recs, recs,
                   -- "no time record that day": only where the month's time records were read whole
                   -- (rests_on, checked in Rule.run)
                   date is null as no_record,
                   greatest(date_diff('minute', p_start, s_start), date_diff('minute', s_end, p_end), 0) as off
            from matched)
        select worker_id, day, bool_or(no_record) as no_record, max(off) as measured, any_value(tol) as lim,
               any_value(source) as source,
               list_distinct(flatten(list(gate_recs)) || flatten(list(coalesce(recs, [])))) as recs
        from judged where no_record or off > tol
        group by worker_id, day""")
    return [Hit(worker_subject(r["worker_id"]), period(r["day"]), None if r["no_record"] else r["measured"],
                r["lim"], [r["source"]], list(r["recs"]), r, rests=bool(r["no_record"])) for r in rows]

