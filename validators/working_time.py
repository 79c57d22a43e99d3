"""Working-time rules over worked days (SPEC §3: ISO weeks, overtime by day type)."""
from __future__ import annotations

from validators.base import Hit, month_period, period, rule, worker_subject
from validators.base import TIME_RECORDS_IN_PART
from validators.sql import month_start, ot_hours, param_at
from preaudit.data.dataset import Dataset
from preaudit.core.model import PUNCH_FIELDS, Kind

TIME_FIELDS = {Kind.TIMESHEET: ("date", "punches", *PUNCH_FIELDS, "break_minutes")}
PAY_HOURS_FIELDS = {Kind.PAYROLL: ("period", "ot_hours_weekday", "ot_hours_restday", "ot_hours_holiday")}


def _hits(rows: list[dict], start: str, end: str | None = None, **values: str) -> list[Hit]:
    return [Hit(worker_subject(r["worker_id"]), period(r[start], r[end or start]), r["measured"],
                r["lim"], [r["source"]], list(r["recs"]), {k: r[v] for k, v in values.items()})
            for r in rows]


@rule("LAB-HOURS-DAY-MAX", category="working_time", severity="major", unit="hours",
      summary="hours on a worked day above the daily maximum",
      params=("max_daily_hours",),
      evidence=TIME_FIELDS,
      message=lambda h: f"{h.subject['worker_id']} worked {h.measured:g} h on {h.period['start']} "
                        + (f"after the {h.values['break_deducted']}-min meal break the punches do not show "
                           f"(factory.yaml breaks) " if h.values.get("break_deducted") else "")
                        + f"(limit {h.limit:g} h, {h.sources[0]})")
def find_day_max(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        select d.worker_id, d.date, d.hours as measured, p.value as lim, p.source, d.recs, d.break_deducted
        from days d {param_at('p', 'max_daily_hours', 'd.date')}
        where d.hours > p.value + 1e-9""")
    return _hits(rows, "date", break_deducted="break_deducted")


@rule("LAB-HOURS-WEEK-MAX", category="working_time", severity="major", unit="hours",
      summary="hours in an ISO week above the weekly maximum",
      params=("max_weekly_hours",),
      evidence=TIME_FIELDS,
      message=lambda h: f"{h.subject['worker_id']} worked {h.measured:g} h in the week of "
                        f"{h.period['start']} (limit {h.limit:g} h, {h.sources[0]})",
      rests_on=TIME_RECORDS_IN_PART)
def find_week_max(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        with weeks as (
            select worker_id, date_trunc('week', date)::date as week_start,
                   sum(hours) as measured, flatten(list(recs)) as recs
            from days group by worker_id, week_start)
        select w.*, w.week_start + 6 as week_end, p.value as lim, p.source
        from weeks w {param_at('p', 'max_weekly_hours', 'w.week_start')}
        where w.measured > p.value + 1e-9""")
    return _hits(rows, "week_start", "week_end")


@rule("LAB-OT-MONTH-MAX", category="working_time", severity="major", unit="hours",
      summary="overtime hours in a calendar month above the monthly cap",
      params=("max_monthly_ot_hours", "regular_daily_hours"),
      evidence={**TIME_FIELDS, **PAY_HOURS_FIELDS},
      message=lambda h: f"{h.subject['worker_id']} worked {h.measured:g} h of overtime in "
                        f"{h.values['month']} by the {h.values['basis']} "
                        f"(limit {h.limit:g} h, {h.sources[0]})",
      rests_on=TIME_RECORDS_IN_PART)
def find_ot_month_max(ds: Dataset) -> list[Hit]:
    # time records are the primary evidence; a month without them is judged on the payroll
    rows = ds.sql(f"""
        with from_time as (
            select worker_id, month, sum(ot_hours) as measured, flatten(list(recs)) as recs,
                   'time records' as basis
            from days group by worker_id, month),
        from_pay as (
            select pr.worker_id, pr.period as month,
                   sum({ot_hours('pr')}) as measured,
                   list(pr._rec) as recs, 'payroll' as basis
            from payroll pr anti join from_time t on t.worker_id = pr.worker_id and t.month = pr.period
            where pr.worker_id is not null and pr.period is not null
            group by pr.worker_id, pr.period),
        months as (select * from from_time union all by name select * from from_pay)
        select m.*, {month_start('m.month')} as month_start,
               p.value as lim, p.source
        from months m {param_at('p', 'max_monthly_ot_hours', month_start('m.month'))}
        where m.measured > p.value + 1e-9""")
    return [Hit(worker_subject(r["worker_id"]), month_period(r["month"]), r["measured"], r["lim"],
                [r["source"]], list(r["recs"]), {"basis": r["basis"], "month": r["month"]})
            for r in rows]


@rule("LAB-REST-DAY", category="working_time", severity="major", unit="days",
      summary="more consecutive worked days than allowed",
      params=("max_consecutive_days",),
      evidence=TIME_FIELDS,
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
