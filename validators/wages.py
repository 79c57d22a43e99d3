"""Wage rules over payroll lines (one line per worker and pay period)."""
from __future__ import annotations

from validators.base import Hit, Rule, cite, month_period, worker_subject
from preaudit.dataset import Dataset
from preaudit.model import Kind

#: rounding slack, in currency units: payrolls round to the cent or the yuan (SPEC: "beyond 1.00")
MONEY_TOLERANCE = 1.00
MONTH_START = "strptime(pr.period || '-01', '%Y-%m-%d')::date"


def _join(alias: str, name: str) -> str:
    return (f"join params {alias} on {alias}.name = '{name}' "
            f"and {MONTH_START} between {alias}.valid_from and {alias}.valid_to")


def find_min_wage(ds: Dataset) -> list[Hit]:
    # pro-rated by regular_hours / standard_monthly_hours, capped at a full month: a month with
    # more regular hours than the standard still owes the monthly minimum, not more
    rows = ds.sql(f"""
        select pr.worker_id, pr.period, pr.base_pay as measured, pr.regular_hours,
               mw.value * least(1.0, coalesce(pr.regular_hours / nullif(sh.value, 0), 1.0)) as lim,
               mw.value as monthly, mw.source as mw_source, sh.source as sh_source, pr._rec
        from payroll pr {_join('mw', 'minimum_wage_monthly')}
        left join params sh on sh.name = 'standard_monthly_hours'
             and {MONTH_START} between sh.valid_from and sh.valid_to
        where pr.base_pay is not null and pr.period is not null
          and pr.base_pay < round(lim, 2) - 0.005""")
    return [Hit(worker_subject(r["worker_id"]), month_period(r["period"]), r["measured"],
                r["lim"], [s for s in (r["mw_source"], r["sh_source"]) if s], [r["_rec"]],
                {"month": r["period"], "monthly": r["monthly"], "regular_hours": r["regular_hours"]})
            for r in rows]


def find_ot_premium(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        with lines as (
            select pr.*, coalesce(pr.hourly_rate, pr.base_pay / nullif(pr.regular_hours, 0)) as rate,
                   coalesce(ot_hours_weekday, 0) as wd, coalesce(ot_hours_restday, 0) as rd,
                   coalesce(ot_hours_holiday, 0) as hol
            from payroll pr where pr.period is not null)
        select pr.worker_id, pr.period, coalesce(pr.ot_pay, 0) as measured, pr.rate,
               pr.wd, pr.rd, pr.hol,
               pr.rate * (pw.value * pr.wd + prd.value * pr.rd + ph.value * pr.hol) as lim,
               pw.value as pw, prd.value as prd, ph.value as ph, pw.source as source, pr._rec
        from lines pr {_join('pw', 'ot_premium_weekday')} {_join('prd', 'ot_premium_restday')}
             {_join('ph', 'ot_premium_holiday')}
        where pr.rate is not null and pr.wd + pr.rd + pr.hol > 0
          and round(lim - coalesce(pr.ot_pay, 0), 2) > {MONEY_TOLERANCE}""")
    return [Hit(worker_subject(r["worker_id"]), month_period(r["period"]), r["measured"], r["lim"],
                [r["source"]], [r["_rec"]],
                {k: r[k] for k in ("period", "rate", "wd", "rd", "hol", "pw", "prd", "ph")})
            for r in rows]


def find_arithmetic(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        with sums as (
            select worker_id, period, _rec, gross_pay, net_pay,
                   base_pay + coalesce(ot_pay, 0) + coalesce(allowances, 0) as gross_expected,
                   gross_pay - coalesce(deductions, 0) - coalesce(social_insurance, 0) as net_expected
            from payroll where period is not null
            -- a line holding money in a column no field took cannot be re-added (DQ-COVERAGE)
            {"and _unread_money is null" if "_unread_money" in ds.tables[Kind.PAYROLL].columns else ""})
        -- compared in cents: 0.1 + 0.2 style float noise must not turn 1.00 into 1.0000000001
        select *, round(abs(gross_pay - gross_expected), 2) as gross_off,
               round(abs(net_pay - net_expected), 2) as net_off
        from sums
        where round(abs(gross_pay - gross_expected), 2) > {MONEY_TOLERANCE}
           or round(abs(net_pay - net_expected), 2) > {MONEY_TOLERANCE}""")
    hits = []
    for r in rows:
        off = max(x for x in (r["gross_off"], r["net_off"]) if x is not None)
        hits.append(Hit(worker_subject(r["worker_id"]), month_period(r["period"]), off,
                        MONEY_TOLERANCE, cite(ds, "LAB-PAYROLL-ARITHMETIC"),
                        [r["_rec"]], r))
    return hits


def _arithmetic_message(h: Hit) -> str:
    v, parts = h.values, []
    if v["gross_off"] is not None and v["gross_off"] > MONEY_TOLERANCE:
        parts.append(f"gross pay {v['gross_pay']:.2f} ≠ base + overtime + allowances "
                     f"{v['gross_expected']:.2f}")
    if v["net_off"] is not None and v["net_off"] > MONEY_TOLERANCE:
        parts.append(f"net pay {v['net_pay']:.2f} ≠ gross − deductions − social insurance "
                     f"{v['net_expected']:.2f}")
    return f"{h.subject['worker_id']} payroll {v['period']}: " + "; ".join(parts)


def find_pay_late(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        select pr.worker_id, pr.period, pr.pay_date, pr._rec,
               last_day({MONTH_START}) as month_end,
               date_diff('day', last_day({MONTH_START}), pr.pay_date) as measured,
               p.value as lim, p.source
        from payroll pr {_join('p', 'max_pay_delay_days')}
        where pr.pay_date is not null and pr.period is not null
          and date_diff('day', last_day({MONTH_START}), pr.pay_date) > p.value""")
    return [Hit(worker_subject(r["worker_id"]), month_period(r["period"]), r["measured"], r["lim"],
                [r["source"]], [r["_rec"]], r) for r in rows]


PAY_FIELDS = ("period", "base_pay", "regular_hours", "hourly_rate", "ot_hours_weekday",
              "ot_hours_restday", "ot_hours_holiday", "ot_pay", "allowances", "deductions",
              "social_insurance", "gross_pay", "net_pay")

RULES = [
    Rule("LAB-MIN-WAGE", "wages", "critical", "currency",
         "base pay below the minimum wage, pro-rated by regular hours",
         ("minimum_wage_monthly", "standard_monthly_hours"),
         {Kind.PAYROLL: ("period", "base_pay", "regular_hours")}, find_min_wage,
         lambda h: f"{h.subject['worker_id']} base pay {h.measured:.2f} for {h.values['month']} is "
                   f"below the minimum {h.limit:.2f} (monthly {h.values['monthly']:g}"
                   + (f" × {h.values['regular_hours']:g} h / standard month"
                      if h.values['regular_hours'] is not None else "")
                   + f", {h.sources[0]})"),
    Rule("LAB-OT-PREMIUM", "wages", "major", "currency",
         "overtime pay below the hourly rate × premium × overtime hours",
         ("ot_premium_weekday", "ot_premium_restday", "ot_premium_holiday"),
         {Kind.PAYROLL: PAY_FIELDS}, find_ot_premium,
         lambda h: (f"{h.subject['worker_id']} overtime pay {h.measured:.2f} for {h.values['period']} "
                    f"is below {h.limit:.2f} = {h.values['rate']:.2f}/h × ({h.values['pw']:g} × "
                    f"{h.values['wd']:g} h + {h.values['prd']:g} × {h.values['rd']:g} h + "
                    f"{h.values['ph']:g} × {h.values['hol']:g} h) ({h.sources[0]})")),
    Rule("LAB-PAY-LATE", "wages", "major", "days",
         "pay_date later than the allowed days after the month's end", ("max_pay_delay_days",),
         {Kind.PAYROLL: ("period", "pay_date", "net_pay")}, find_pay_late,
         lambda h: f"{h.subject['worker_id']} was paid for {h.values['period']} on {h.values['pay_date']}, "
                   f"{h.measured:g} days after the month's end (limit {h.limit:g}, {h.sources[0]})"),
    Rule("LAB-PAYROLL-ARITHMETIC", "wages", "minor", "currency",
         "gross ≠ base + OT + allowances, or net ≠ gross − deductions − social insurance",
         (), {Kind.PAYROLL: PAY_FIELDS}, find_arithmetic, _arithmetic_message),
]
