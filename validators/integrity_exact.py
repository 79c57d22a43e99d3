"""Compliance that is too exact: hours bunched just under the legal limits.

Real overtime follows the orders and spreads; overtime written to pass is kept under the cap, and
for most workers of a month lands in the last half hour below it (35.5–36 h when the cap is 36).
Real days run over the daily limit now and then; written days never do, and often sit on it.
"""
from __future__ import annotations

from preaudit.data.dataset import Dataset
from validators.base import CITED, Hit, month_period, rule
from validators.sql import month_start, param_at
from validators.working_time import TIME_FIELDS

#: preaudit's own: "just under" the monthly cap is the last half hour below it, as the issue's
#: 35.5–36 h for a cap of 36
BAND_HOURS = 0.5
#: preaudit's own: "most workers" of a month, and at least this many of them
MOST, AT_LEAST = 0.5, 5
#: preaudit's own: a worker-month of at least 10 worked days, none over the daily limit and at
#: least half of them on it (within 3 minutes)
DAY_MIN_DAYS, DAY_SHARE, DAY_NEAR = 10, 0.5, 0.05


def _month_message(h: Hit) -> str:
    v = h.values
    return (f"in {v['month']}, {v['near']} of {v['workers']} workers with overtime recorded "
            f"{v['cap'] - BAND_HOURS:g}–{v['cap']:g} h of it, the last half hour under the {v['cap']:g} h cap, "
            f"and none above: overtime that follows orders spreads; ask for the production tickets and the "
            f"terminal's raw log of the month")


@rule("INT-OT-UNDER-CAP", category="integrity", severity="major", unit="workers",
      summary=f"most workers of a month (> {MOST:.0%}, ≥ {AT_LEAST}) with monthly overtime in the last "
              f"{BAND_HOURS:g} h under the legal cap and none over it",
      params=("max_monthly_ot_hours",),
      readings=f"statistic: per month, the share of workers with overtime whose time-record overtime lies in "
               f"[cap − {BAND_HOURS:g}, cap]; threshold > {MOST:.0%} of them and ≥ {AT_LEAST}, no worker over "
               f"the cap; band and share are preaudit's own (the issue's 35.5–36 h for a 36 h cap)",
      evidence=TIME_FIELDS, message=_month_message)
def find_ot_under_cap(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        with monthly as (select worker_id, month, sum(ot_hours) as ot, flatten(list(recs)) as recs
                         from days group by worker_id, month having sum(ot_hours) > 0),
        capped as (select m.*, p.value as cap, p.source from monthly m
                   {param_at('p', 'max_monthly_ot_hours', month_start('m.month'))})
        select month, any_value(cap) as cap, any_value(source) as source, count(*) as workers,
               count(*) filter (where ot between cap - {BAND_HOURS} - 1e-9 and cap + 1e-9) as near,
               flatten(list(recs) filter (where ot between cap - {BAND_HOURS} - 1e-9 and cap + 1e-9)) as recs
        from capped group by month
        having count(*) filter (where ot > cap + 1e-9) = 0
           and count(*) filter (where ot between cap - {BAND_HOURS} - 1e-9 and cap + 1e-9) >= {AT_LEAST}
           and count(*) filter (where ot between cap - {BAND_HOURS} - 1e-9 and cap + 1e-9) > {MOST} * count(*)""")
    return [Hit({"month": r["month"]}, month_period(r["month"]), r["near"], r["cap"], [r["source"], CITED],
                list(r["recs"]), r) for r in rows]


def _day_message(h: Hit) -> str:
    v = h.values
    return (f"{h.subject['worker_id']} worked {v['at']} of {v['days']} days in {v['month']} at the {v['limit']:g} h "
            f"daily limit and none over it: working days that long vary; ask for the terminal's raw log")


@rule("INT-DAYS-AT-LIMIT", category="integrity", severity="minor", unit="days",
      summary=f"a worker-month (≥ {DAY_MIN_DAYS} days) never over the daily hours limit and on it "
              f"(within 3 minutes) on at least {DAY_SHARE:.0%} of its days",
      params=("max_daily_hours",),
      readings=f"statistic: the share of worked days at the daily limit (±{DAY_NEAR:g} h), no day over it; "
               f"threshold {DAY_SHARE:.0%}, preaudit's own",
      evidence=TIME_FIELDS, message=_day_message)
def find_days_at_limit(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        with judged as (select d.worker_id, d.month, d.hours, d.recs, p.value as lim, p.source
                        from days d {param_at('p', 'max_daily_hours', 'd.date')})
        select worker_id, month, count(*) as days, any_value(lim) as limit, any_value(source) as source,
               count(*) filter (where abs(hours - lim) <= {DAY_NEAR}) as at,
               flatten(list(recs) filter (where abs(hours - lim) <= {DAY_NEAR})) as recs
        from judged group by worker_id, month
        having count(*) >= {DAY_MIN_DAYS} and max(hours) <= any_value(lim) + {DAY_NEAR}
           and count(*) filter (where abs(hours - lim) <= {DAY_NEAR}) >= {DAY_SHARE} * count(*)""")
    return [Hit({"worker_id": r["worker_id"]}, month_period(r["month"]), r["at"], r["limit"],
                [r["source"], CITED], list(r["recs"]), r) for r in rows]
