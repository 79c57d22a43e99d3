"""Age rules. Age comes from birth_date, or from the national ID's birth date where it is absent."""
from __future__ import annotations

import datetime as dt

from validators.base import Hit, month_period, period, rule, worker_subject
from validators.sql import month_start, ot_hours, param_at
from validators.dataset.dataset import Dataset
from preaudit.core.model import PUNCH_FIELDS, Kind

#: SQL for each roster worker's birth date and where it came from (GB 11643: ID digits 7-14).
#: A birth date read from the ID that makes the worker younger than 10 or older than 80 is not
#: an age (the birth_date column is screened the same way: validators/dataset/plausibility.py)
BIRTH_DATES = """
    select worker_id, _rec, born, from_id from (
        select worker_id, _rec,
               -- only a Chinese resident ID holds YYYYMMDD at digits 7-14 (GB 11643)
               coalesce(birth_date, case when length(national_id) = 18
                            and exists (select 1 from id_schemes where scheme = 'cn_ric')
                        then try_strptime(substr(national_id, 7, 8), '%Y%m%d')::date end) as born,
               birth_date is null as from_id
        from roster where worker_id is not null)
    where born is null or not from_id or (select count(*) from audit) = 0
       or born between (select audit_date from audit) - to_years(80) and (select audit_date from audit) - to_years(10)"""

#: every day a worker has a record: worked days, and for pay months without time records the
#: first and last day of the pay month
RECORD_DAYS = f"""
    select worker_id, date as day, recs from days
    union all by name
    select worker_id, unnest([m_start, last_day(m_start)]) as day, [_rec] as recs
    from (select pr.worker_id, pr._rec, {month_start('pr.period')} as m_start
          from payroll pr anti join days d on d.worker_id = pr.worker_id and d.month = pr.period
          where pr.period is not null and pr.worker_id is not null)"""


@rule("LAB-CHILD-LABOR", category="age", severity="critical", unit="years",
      summary="a worker below the minimum working age on a day with time or pay records",
      params=("minimum_age",),
      evidence={Kind.ROSTER: ("worker_id", "name", "birth_date", "national_id"),
                Kind.TIMESHEET: ("date", "punches", "in1", "out1"), Kind.PAYROLL: ("period", "base_pay")},
      message=lambda h: f"{h.subject['worker_id']} (born {h.values['born']}"
                        f"{', by the national ID' if h.values['from_id'] else ''}) was {h.measured:g} "
                        f"on {h.period['start']} and has time or pay records until {h.period['end']} "
                        f"(minimum age {h.limit:g}, {h.sources[0]})")
def find_child_labor(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        with people as ({BIRTH_DATES}), record_days as ({RECORD_DAYS}),
        child as (
            select rd.worker_id, rd.day, rd.recs, pe.born, pe.from_id, pe._rec as roster_rec,
                   p.value as lim, p.source
            from record_days rd join people pe on pe.worker_id = rd.worker_id
            {param_at('p', 'minimum_age', 'rd.day')}
            where pe.born is not null and rd.day < pe.born + to_years(cast(p.value as integer)))
        select worker_id, min(day) as first_day, max(day) as last_day, any_value(born) as born,
               bool_or(from_id) as from_id, max(lim) as lim, any_value(source) as source,
               date_sub('year', any_value(born), min(day)) as measured,
               list_distinct(flatten(list(recs)) || list(roster_rec)) as recs
        from child group by worker_id""")
    return [Hit(worker_subject(r["worker_id"]), period(r["first_day"], r["last_day"]), r["measured"],
                r["lim"], [r["source"]], list(r["recs"]),
                {"born": r["born"], "from_id": r["from_id"]}) for r in rows]


def _restrictions(v: dict, suffix: str = "") -> list[str]:
    parts = []
    if v["ot_hours" + suffix]:
        parts.append(f"{round(v['ot_hours' + suffix], 2):g} h of overtime")
    if v["nights"] and not suffix:
        parts.append(f"night work ({v['night_from']:02.0f}:00-{v['night_to']:02.0f}:00) on {v['nights']} day(s)")
    if v["long_days" + suffix]:
        parts.append(f"{v['long_days' + suffix]} day(s) over a young worker's daily limit")
    if v["long_weeks" + suffix]:
        parts.append(f"{v['long_weeks' + suffix]} week(s) over a young worker's weekly limit")
    return parts


def _juvenile_message(h: Hit) -> str:
    v = h.values
    parts = _restrictions(v, "_punched" if h.possible else "")
    tail = f" if the unrecorded breaks of {v['presumed_days']} day(s) were worked" if h.possible else ""
    return (f"{h.subject['worker_id']} (born {v['born']}) is under {h.limit:g} and has "
            f"{' and '.join(parts)} in {v['month']}{tail} ({h.sources[0]})")


@rule("LAB-JUVENILE-RESTRICTED", category="age", severity="major", unit="hours",
      summary="a juvenile worker (minimum age ≤ age < 18) with overtime, night work (the jurisdiction's window), "
              "or hours over a young worker's daily or weekly limit",
      params=("minimum_age", "juvenile_age", "juvenile_night_start", "juvenile_night_end", "juvenile_max_daily_hours",
              "juvenile_max_weekly_hours"),
      evidence={Kind.ROSTER: ("worker_id", "birth_date", "national_id"),
                Kind.TIMESHEET: ("date", "punches", *PUNCH_FIELDS),
                Kind.PAYROLL: ("period", "ot_hours_weekday", "ot_hours_restday", "ot_hours_holiday")},
      # working_time.BREAK_READINGS in other words (imported from there, the rules would register out of order)
      readings="a day whose record shows no break (one punch pair, no break minutes) is read with the break "
               "deducted and as punched, the break worked: overtime or hours over the young worker's limits with "
               "the break deducted are a finding, those only as punched a possible item; night work does not "
               "depend on the break; a month without time records is judged on the payroll's overtime hours",
      message=_juvenile_message)
def find_juvenile_restricted(ds: Dataset) -> list[Hit]:
    """Overtime, night work (the jurisdiction's window: Bangladesh 19:00-07:00, else 22:00-06:00) and
    hours beyond a young worker's daily or weekly limit (Bangladesh 5 h / 30 h, Vietnam 8 h / 40 h),
    each under both readings of an unrecorded break: with it deducted (a finding) and as punched (what
    only that reading shows is a possible item)."""
    rows = ds.sql(f"""
        with people as ({BIRTH_DATES}),
        judged_days as (
            select d.worker_id, d.month, d.date as day, d.recs, d.ot_hours, d.ot_hours_punched, d.hours,
                   d.hours_punched, d.hours_punched > d.hours + 1e-9 as presumed,
                   coalesce(d.first_in < ne.value * 60 or d.last_out > ns.value * 60, d.night) as night,
                   d.hours > jd.value + 1e-9 as over_day, d.hours_punched > jd.value + 1e-9 as over_day_punched,
                   date_trunc('week', d.date)::date as week, jw.value as week_limit,
                   coalesce(ns.value, 22) as night_from, coalesce(ne.value, 6) as night_to
            from days d {param_at('ns', 'juvenile_night_start', 'd.date', optional=True)}
                 {param_at('ne', 'juvenile_night_end', 'd.date', optional=True)}
                 {param_at('jd', 'juvenile_max_daily_hours', 'd.date', optional=True)}
                 {param_at('jw', 'juvenile_max_weekly_hours', 'd.date', optional=True)}),
        weeks as (select worker_id, week, sum(hours) as week_hours, sum(hours_punched) as week_punched,
                         any_value(week_limit) as week_limit
                  from judged_days group by worker_id, week),
        restricted as (
            select j.worker_id, j.month, j.day, j.recs, j.ot_hours, j.ot_hours_punched, j.night, j.presumed,
                   coalesce(j.over_day, false) as over_day, coalesce(j.over_day_punched, false) as over_day_punched,
                   j.night_from, j.night_to,
                   coalesce(w.week_hours > w.week_limit + 1e-9, false) as over_week,
                   coalesce(w.week_punched > w.week_limit + 1e-9, false) as over_week_punched
            from judged_days j join weeks w on w.worker_id = j.worker_id and w.week = j.week
            where j.ot_hours_punched > 0 or j.night or j.over_day_punched or w.week_punched > w.week_limit + 1e-9
            union all by name
            select pr.worker_id, pr.period as month, {month_start('pr.period')} as day,
                   [pr._rec] as recs,
                   {ot_hours()} as ot_hours, {ot_hours()} as ot_hours_punched, false as night, false as presumed,
                   false as over_day, false as over_day_punched, false as over_week, false as over_week_punched
            from payroll pr anti join days d on d.worker_id = pr.worker_id and d.month = pr.period
            where pr.period is not null
              and {ot_hours()} > 0),
        juvenile as (
            select r.*, pe.born, pe._rec as roster_rec, ja.value as juvenile_age, ja.source
            from restricted r join people pe on pe.worker_id = r.worker_id
            {param_at('ma', 'minimum_age', 'r.day')}
            {param_at('ja', 'juvenile_age', 'r.day')}
            where pe.born is not null
              and r.day >= pe.born + to_years(cast(ma.value as integer))
              and r.day < pe.born + to_years(cast(ja.value as integer)))
        select worker_id, month, sum(ot_hours) as ot_hours, sum(ot_hours_punched) as ot_hours_punched,
               count_if(night) as nights, count_if(over_day) as long_days, count_if(over_day_punched) as long_days_punched,
               count(distinct case when over_week then date_trunc('week', day) end) as long_weeks,
               count(distinct case when over_week_punched then date_trunc('week', day) end) as long_weeks_punched,
               count_if(presumed) as presumed_days,
               any_value(born) as born, any_value(juvenile_age) as lim, any_value(source) as source,
               coalesce(any_value(night_from), 22) as night_from, coalesce(any_value(night_to), 6) as night_to,
               list_distinct(flatten(list(recs)) || list(roster_rec)) as recs
        from juvenile group by worker_id, month""")
    def sources(month: str) -> list[str]:
        day = dt.date.fromisoformat(month + "-01")
        return [v.source for name in ("juvenile_night_start", "juvenile_max_daily_hours", "juvenile_max_weekly_hours")
                if (v := ds.context.value_at(name, day)) is not None and v.pack != "preaudit"]

    hits = []
    for r in rows:
        certain = r["ot_hours"] > 1e-9 or r["nights"] or r["long_days"] or r["long_weeks"]
        hit = Hit(worker_subject(r["worker_id"]), month_period(r["month"]),
                  r["ot_hours"] if certain else r["ot_hours_punched"], r["lim"],
                  [r["source"]] + sources(r["month"]), list(r["recs"]), r)
        if not certain:
            hit.possible = (f"no break recorded on {r['presumed_days']} day(s): "
                            f"{' and '.join(_restrictions(r, '_punched'))} if those breaks were worked, "
                            f"none if not")
        hits.append(hit)
    return hits
