"""Compliance that is too exact: hours bunched just under the legal limits.

Real overtime follows the orders and spreads; overtime written to pass is kept under the cap, and
for most workers of a month lands in the last half hour below it (35.5–36 h when the cap is 36).
Real days run over the daily limit now and then; written days never do, and often sit on it.
"""
from __future__ import annotations

from validators.dataset.dataset import Dataset
from preaudit.core.model import Kind
from validators.base import CITED, Hit, month_period, period, rule
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
        capped as (select m.*, p.value as cap, p.source,
                          m.ot between p.value - {BAND_HOURS} - 1e-9 and p.value + 1e-9 as in_band
                   from monthly m {param_at('p', 'max_monthly_ot_hours', month_start('m.month'))}),
        months as (select month, any_value(cap) as cap, any_value(source) as source, count(*) as workers,
                          count(*) filter (where in_band) as near, count(*) filter (where ot > cap + 1e-9) as over,
                          flatten(list(recs) filter (where in_band)) as recs
                   from capped group by month)
        select * from months where over = 0 and near >= {AT_LEAST} and near > {MOST} * workers""")
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


#: preaudit's own: a year's payroll is where an advance, a correction or a bonus turns up; six
#: months of at least five workers with none is a payroll computed from the attendance alone
PAY_MIN_MONTHS, PAY_MIN_WORKERS = 6, 5


@rule("INT-PAY-NEVER-ADJUSTED", category="integrity", severity="minor", unit="months",
      summary=f"a payroll of ≥ {PAY_MIN_MONTHS} months and ≥ {PAY_MIN_WORKERS} workers in which no line has an "
              f"allowance, a deduction or a bonus and every gross is base plus overtime to the cent",
      readings=f"statistic: the payroll lines with allowances or deductions other than 0, or gross ≠ base + "
               f"overtime pay; threshold: none in ≥ {PAY_MIN_MONTHS} months of ≥ {PAY_MIN_WORKERS} workers, "
               f"preaudit's own (the attendance multiplied out, with no rounding, advance, correction or bonus)",
      evidence={Kind.PAYROLL: ("period", "base_pay", "ot_pay", "allowances", "deductions", "gross_pay")},
      message=lambda h: f"{h.values['lines']} payroll lines of {h.values['workers']} workers over {h.measured:g} "
                        f"months ({h.values['first']} to {h.values['last']}) hold no allowance, deduction or "
                        f"bonus, and every gross is base plus overtime to the cent: the attendance multiplied "
                        f"out; ask for the bank transfer records and the payroll system's adjustment log")
def find_pay_never_adjusted(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        select count(distinct period) as months, count(distinct worker_id) as workers, count(*) as lines,
               min(period) as first, max(period) as last, list(_rec order by period) as recs,
               count(*) filter (where coalesce(allowances, 0) <> 0 or coalesce(deductions, 0) <> 0
                                or gross_pay is null or base_pay is null
                                or abs(gross_pay - base_pay - coalesce(ot_pay, 0)) > 0.005) as adjusted
        from payroll where worker_id is not null and period is not null""")
    return [Hit({"payroll": "all"}, period(month_period(r["first"])["start"], month_period(r["last"])["end"]),
                r["months"], PAY_MIN_MONTHS, [CITED], list(r["recs"]), r,
                possible=f"{r['months']} months of payroll with no allowance, deduction or correction: a payroll "
                         f"computed from the attendance, or a factory that pays no more than the base; the bank "
                         f"transfer records decide")
            for r in rows if r["months"] >= PAY_MIN_MONTHS and r["workers"] >= PAY_MIN_WORKERS
            and r["adjusted"] == 0]
