"""Working-time rules over worked days (SPEC §3: ISO weeks, overtime by day type)."""
from __future__ import annotations

from collections.abc import Callable

from validators.base import Hit, month_period, period, rule, worker_subject
from validators.rests_on import TIME_RECORDS_IN_PART
from validators.sql import month_start, ot_hours, param_at
from validators.dataset.dataset import Dataset
from preaudit.core.model import PUNCH_FIELDS, Kind

TIME_FIELDS = {Kind.TIMESHEET: ("date", "punches", *PUNCH_FIELDS, "break_minutes")}
PAY_HOURS_FIELDS = {Kind.PAYROLL: ("period", "ot_hours_weekday", "ot_hours_restday", "ot_hours_holiday")}


def _hits(rows: list[dict], start: str, end: str | None = None, **values: str) -> list[Hit]:
    return [Hit(worker_subject(r["worker_id"]), period(r[start], r[end or start]), r["measured"],
                r["lim"], [r["source"]], list(r["recs"]), {k: r[v] for k, v in values.items()})
            for r in rows]


#: what the hours rules try: the unrecorded break's two readings (dataset.Dataset._presume_breaks)
BREAK_READINGS = ("a day whose record shows no break (one punch pair, no break minutes) is read with the break "
                  "deducted (factory.yaml breaks, else the law's rest interval, else preaudit's own presumption "
                  "of the midday or midnight meal) and as punched, the break worked: over the limit with the "
                  "break deducted is a finding; over it only if the break was worked is a possible item")


def _n(x: float) -> str:
    return f"{round(x, 2):g}"


def _day_message(h: Hit) -> str:
    who, when, limit = h.subject["worker_id"], h.period["start"], f"(limit {h.limit:g} h, {h.sources[0]})"
    v = h.values
    if h.possible:
        return (f"{who} worked {_n(h.measured)} h on {when} if the {v['break_label']} the punches do not show "
                f"was worked, {_n(v['hours'])} h if not ({v['break_basis']}) {limit}")
    deducted = f"after deducting the {v['break_label']} the punches do not show ({v['break_basis']}) " \
        if v.get("break_deducted") else ""
    return f"{who} worked {_n(h.measured)} h on {when} {deducted}{limit}"


@rule("LAB-HOURS-DAY-MAX", category="working_time", severity="major", unit="hours",
      summary="hours on a worked day above the daily maximum",
      params=("max_daily_hours",),
      evidence=TIME_FIELDS,
      readings=BREAK_READINGS,
      message=_day_message)
def find_day_max(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        select d.worker_id, d.date, d.hours, d.hours_punched, p.value as lim, p.source, d.recs,
               d.break_deducted, d.break_label, d.break_basis
        from days d {param_at('p', 'max_daily_hours', 'd.date')}
        where d.hours_punched > p.value + 1e-9""")
    hits = []
    for r in rows:
        over = r["hours"] > r["lim"] + 1e-9  # even with the break deducted
        hit = Hit(worker_subject(r["worker_id"]), period(r["date"]), r["hours"] if over else r["hours_punched"],
                  r["lim"], [r["source"]], list(r["recs"]),
                  {k: r[k] for k in ("hours", "break_deducted", "break_label", "break_basis")})
        if not over:
            hit.possible = (f"no break recorded: {_n(r['hours_punched'])} h if the {r['break_label']} was worked, "
                            f"{_n(r['hours'])} h if not")
        hits.append(hit)
    return hits


def _summed_hits(rows: list[dict], span: Callable[[dict], dict], **values: str) -> list[Hit]:
    """Hits of a rule over summed days: over the limit with the unrecorded breaks deducted is a
    finding; over it only as punched is a possible item."""
    hits = []
    for r in rows:
        over = r["measured"] > r["lim"] + 1e-9
        hit = Hit(worker_subject(r["worker_id"]), span(r),
                  r["measured"] if over else r["punched"], r["lim"], [r["source"]], list(r["recs"]),
                  {"presumed_days": r["presumed_days"], "lenient": r["measured"],
                   **{k: r[v] for k, v in values.items()}})
        if not over:
            hit.possible = (f"no break recorded on {r['presumed_days']} day(s): {_n(r['punched'])} h if those "
                            f"breaks were worked, {_n(r['measured'])} h if not")
        hits.append(hit)
    return hits


def _breaks_note(h: Hit) -> str:
    n = h.values.get("presumed_days")
    if not n:
        return ""
    if h.possible:
        return f" if the unrecorded breaks of {n} day(s) were worked ({_n(h.values['lenient'])} h if not)"
    return f" with the unrecorded breaks of {n} day(s) deducted"


@rule("LAB-HOURS-WEEK-MAX", category="working_time", severity="major", unit="hours",
      summary="hours in an ISO week above the weekly maximum",
      params=("max_weekly_hours",),
      evidence=TIME_FIELDS,
      readings=BREAK_READINGS,
      message=lambda h: f"{h.subject['worker_id']} worked {_n(h.measured)} h in the week of "
                        f"{h.period['start']}{_breaks_note(h)} (limit {h.limit:g} h, {h.sources[0]})",
      rests_on=TIME_RECORDS_IN_PART)
def find_week_max(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        with weeks as (
            select worker_id, date_trunc('week', date)::date as week_start,
                   sum(hours) as measured, sum(hours_punched) as punched,
                   count(*) filter (where break_deducted > 0) as presumed_days, flatten(list(recs)) as recs
            from days group by worker_id, week_start)
        select w.*, w.week_start + 6 as week_end, p.value as lim, p.source
        from weeks w {param_at('p', 'max_weekly_hours', 'w.week_start')}
        where w.punched > p.value + 1e-9""")
    return _summed_hits(rows, lambda r: period(r["week_start"], r["week_end"]))


@rule("LAB-OT-MONTH-MAX", category="working_time", severity="major", unit="hours",
      summary="overtime hours in a calendar month above the monthly cap",
      params=("max_monthly_ot_hours", "regular_daily_hours"),
      evidence={**TIME_FIELDS, **PAY_HOURS_FIELDS},
      readings=BREAK_READINGS + "; a month without time records is judged on the payroll's overtime hours",
      message=lambda h: f"{h.subject['worker_id']} worked {_n(h.measured)} h of overtime in "
                        f"{h.values['month']} by the {h.values['basis']}{_breaks_note(h)} "
                        f"(limit {h.limit:g} h, {h.sources[0]})",
      rests_on=TIME_RECORDS_IN_PART)
def find_ot_month_max(ds: Dataset) -> list[Hit]:
    # time records are the primary evidence; a month without them is judged on the payroll
    rows = ds.sql(f"""
        with from_time as (
            select worker_id, month, sum(ot_hours) as measured, sum(ot_hours_punched) as punched,
                   count(*) filter (where break_deducted > 0 and ot_hours_punched > ot_hours) as presumed_days,
                   flatten(list(recs)) as recs, 'time records' as basis
            from days group by worker_id, month),
        from_pay as (
            select pr.worker_id, pr.period as month,
                   sum({ot_hours('pr')}) as measured, sum({ot_hours('pr')}) as punched, 0 as presumed_days,
                   list(pr._rec) as recs, 'payroll' as basis
            from payroll pr anti join from_time t on t.worker_id = pr.worker_id and t.month = pr.period
            where pr.worker_id is not null and pr.period is not null
            group by pr.worker_id, pr.period),
        months as (select * from from_time union all by name select * from from_pay)
        select m.*, {month_start('m.month')} as month_start,
               p.value as lim, p.source
        from months m {param_at('p', 'max_monthly_ot_hours', month_start('m.month'))}
        where m.punched > p.value + 1e-9""")
    return _summed_hits(rows, lambda r: month_period(r["month"]), basis="basis", month="month")


@rule("LAB-REST-DAY", category="working_time", severity="major", unit="days",
      summary="more consecutive worked days than allowed",
      params=("max_consecutive_days",),
      evidence=TIME_FIELDS,
      readings="one: a worked day is a day with work in it (a punch pair or hours stated); a rest-day row "
               "(休息 with no punch), an absence or leave mark, a timetable never clocked or a 0:00-0:00 row "
               "is a day off",
      message=lambda h: f"{h.subject['worker_id']} worked {h.measured:g} days in a row from "
                        f"{h.period['start']} to {h.period['end']} without a day off "
                        f"(limit {h.limit:g}, {h.sources[0]})",
      rests_on=TIME_RECORDS_IN_PART)
def find_rest_day(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        with runs as (
            select worker_id, date, recs,
                   date - cast(row_number() over (partition by worker_id order by date) as integer) as grp
            from days),
        spans as (
            select worker_id, min(date) as run_start, max(date) as run_end, count(*) as measured,
                   flatten(list(recs)) as recs
            from runs group by worker_id, grp)
        select s.*, p.value as lim, p.source
        from spans s {param_at('p', 'max_consecutive_days', 's.run_start')}
        where s.measured > p.value""")
    return _hits(rows, "run_start", "run_end")
