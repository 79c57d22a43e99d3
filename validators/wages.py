"""Wage rules over payroll lines (one line per worker and pay period)."""
from __future__ import annotations

from validators.base import CITED, Hit, month_period, rule, worker_subject
from validators.base import RestsOn
from validators.sql import month_start, param_at, param_value_at
from preaudit.data.dataset import Dataset
from preaudit.core.model import Kind

#: rounding slack, in currency units: payrolls round to the cent or the yuan (SPEC: "beyond 1.00")
MONEY_TOLERANCE = 1.00
MONTH_START = month_start("pr.period")


def _minimum_wage_basis(ds: Dataset) -> tuple[str, str | None]:
    """(SQL for the pay the minimum wage is compared with, its source): base pay (SPEC), or what
    the law pack says (Bangladesh: gross pay less overtime)."""
    basis = ds.context.bases.get("minimum_wage") or {}
    if basis.get("compare") == "gross_less_ot":
        return "pr.gross_pay - coalesce(pr.ot_pay, 0)", basis["source"]
    return "pr.base_pay", basis.get("source")


def _min_wage_message(h: Hit) -> str:
    v = h.values
    if v["monthly"] is None:
        return (f"{h.subject['worker_id']} {v['basis']} for {v['month']} is {h.measured:.2f}/h, below the "
                f"hourly minimum wage {h.limit:.2f}/h ({h.sources[0]})")
    share = " (pro-rated for the days employed: joined or left that month)" if v["partial"] else ""
    return (f"{h.subject['worker_id']} {v['basis']} for {v['month']} is {h.measured:.2f}, below the "
            f"minimum wage {h.limit:.2f}{share} ({h.sources[0]})")


@rule("LAB-MIN-WAGE", category="wages", severity="critical", unit="currency",
      summary="pay below the minimum wage (base pay, or what the law pack compares: BD gross less overtime); "
              "pro-rated only for a month the worker joined or left in; where the law sets an hourly minimum "
              "(FLSA), the hourly rate or base ÷ regular hours below it",
      params=("minimum_wage_monthly", "minimum_wage_hourly"),
      evidence={Kind.PAYROLL: ("period", "base_pay", "gross_pay", "ot_pay", "hourly_rate", "regular_hours"),
                Kind.ROSTER: ("hire_date", "termination_date")},
      message=_min_wage_message)
def find_min_wage(ds: Dataset) -> list[Hit]:
    """A full month must earn the full minimum; a month the worker joined or left in is
    pro-rated by the calendar days employed (roster hire_date / termination_date)."""
    paid, basis_source = _minimum_wage_basis(ds)
    rows = ds.sql(f"""
        with lines as (
            select pr.*, {MONTH_START} as m_start, last_day({MONTH_START}) as m_end, {paid} as paid
            from payroll pr where pr.period is not null),
        employed as (
            select l.*, r.hire_date, r.termination_date,
                   greatest(l.m_start, coalesce(r.hire_date, l.m_start)) as e_start,
                   least(l.m_end, coalesce(r.termination_date, l.m_end)) as e_end
            from lines l left join (select worker_id, min(hire_date) as hire_date,
                                           max(termination_date) as termination_date
                                    from roster group by worker_id) r on r.worker_id = l.worker_id)
        select e.worker_id, e.period, e.paid as measured, e.hire_date, e.termination_date,
               mw.value * least(1.0, greatest(0, date_diff('day', e.e_start, e.e_end) + 1)
                                     / (date_diff('day', e.m_start, e.m_end) + 1)) as lim,
               mw.value as monthly, mw.source as mw_source, e._rec,
               e.e_start > e.m_start or e.e_end < e.m_end as partial
        from employed e {param_at('mw', 'minimum_wage_monthly', 'e.m_start')}
        where e.paid is not null and e.paid < round(lim, 2) - 0.005""")
    hits = [Hit(worker_subject(r["worker_id"]), month_period(r["period"]), r["measured"],
                r["lim"], [s for s in (r["mw_source"], basis_source) if s], [r["_rec"]],
                {"month": r["period"], "monthly": r["monthly"], "partial": r["partial"],
                 "basis": "gross pay less overtime" if "gross" in paid else "base pay"})
            for r in rows]
    monthly = {(h.subject["worker_id"], h.values["month"]) for h in hits}
    return hits + [h for h in _below_hourly_minimum(ds) if (h.subject["worker_id"], h.values["month"]) not in monthly]


def _below_hourly_minimum(ds: Dataset) -> list[Hit]:
    """Where the law sets an hourly minimum (FLSA): the register's hourly rate, or base pay ÷
    regular hours, below it. A month no hours or rate say anything about is not judged."""
    rows = ds.sql(f"""
        select pr.worker_id, pr.period, pr._rec,
               coalesce(pr.hourly_rate, pr.base_pay / nullif(pr.regular_hours, 0)) as measured,
               pr.hourly_rate is not null as stated, mw.value as lim, mw.source as source
        from payroll pr {param_at('mw', 'minimum_wage_hourly', MONTH_START)}
        where pr.period is not null
          and coalesce(pr.hourly_rate, pr.base_pay / nullif(pr.regular_hours, 0)) < mw.value - 0.005""")
    return [Hit(worker_subject(r["worker_id"]), month_period(r["period"]), r["measured"], r["lim"],
                [r["source"]], [r["_rec"]],
                {"month": r["period"], "monthly": None, "partial": False,
                 "basis": "hourly rate" if r["stated"] else "base pay ÷ regular hours"})
            for r in rows]


def hourly_rate_sql(ds: Dataset) -> tuple[str, str | None]:
    """(SQL for the hourly rate overtime premiums multiply, its source). The law pack's divisor of
    the monthly base (CN 21.75 × 8 = 174, BD 208); elsewhere the SPEC's: the register's hourly rate,
    else base pay ÷ regular hours."""
    basis = ds.context.bases.get("hourly_rate")
    if basis is None:
        return "coalesce(pr.hourly_rate, pr.base_pay / nullif(pr.regular_hours, 0))", None
    if basis.get("divisor"):
        return f"pr.base_pay / {float(basis['divisor'])}", basis["source"]
    daily = param_value_at(basis["divisor_parameter"], MONTH_START)
    if basis.get("per") == "hours_worked":
        return (f"coalesce(pr.hourly_rate, pr.base_pay / nullif(coalesce(nullif(pr.regular_hours, 0), "
                f"pr.days_worked * {daily}), 0))"), basis["source"]
    return f"pr.base_pay / nullif({daily}, 0)", basis["source"]


PAY_FIELDS = ("period", "base_pay", "regular_hours", "hourly_rate", "ot_hours_weekday",
              "ot_hours_restday", "ot_hours_holiday", "ot_pay", "allowances", "deductions",
              "social_insurance", "gross_pay", "net_pay")


def _ot_message(h: Hit) -> str:
    v = h.values
    text = (f"{h.subject['worker_id']} overtime pay {h.measured:.2f} for {v['period']} is below {h.limit:.2f} = "
            f"{v['rate']:.2f}/h × ({v['pw']:g} × {v['wd']:g} h + {v['prd']:g} × {v['rd']:g} h + "
            f"{v['ph']:g} × {v['hol']:g} h)") if h.measured < h.limit - MONEY_TOLERANCE else \
        f"{h.subject['worker_id']} overtime for {v['period']}"
    if v["rate_short"]:
        text += f"; the register's OT rate {v['ot_rate']:.2f}/h is below the legal {v['rate'] * v['pw']:.2f}/h"
    return text + f" ({'; '.join(h.sources)})"


@rule("LAB-OT-PREMIUM", category="wages", severity="major", unit="currency",
      summary="overtime pay below the legal hourly rate × premium × overtime hours (CN monthly ÷ 21.75 ÷ 8, "
              "BD basic ÷ 208; elsewhere the stated rate or base ÷ regular hours), or a stated OT rate below it",
      params=("ot_premium_weekday", "ot_premium_restday", "ot_premium_holiday"),
      evidence={Kind.PAYROLL: PAY_FIELDS + ("ot_rate", "base_pay")},
      message=_ot_message,
      rests_on=RestsOn(("payroll_ot_premium",), gate=False, what="not on lines with overtime that cannot be priced"))
def find_ot_premium(ds: Dataset) -> list[Hit]:
    rate, rate_source = hourly_rate_sql(ds)
    rows = ds.sql(f"""
        with lines as (
            select pr.*, {rate} as rate,
                   coalesce(ot_hours_weekday, 0) as wd, coalesce(ot_hours_restday, 0) as rd,
                   coalesce(ot_hours_holiday, 0) as hol
            from payroll pr where pr.period is not null)
        select pr.worker_id, pr.period, coalesce(pr.ot_pay, 0) as measured, pr.rate, pr.ot_rate,
               pr.wd, pr.rd, pr.hol,
               pr.rate * (pw.value * pr.wd + coalesce(prd.value, pw.value) * pr.rd
                          + coalesce(ph.value, pw.value) * pr.hol) as lim,
               pw.value as pw, coalesce(prd.value, pw.value) as prd, coalesce(ph.value, pw.value) as ph,
               pw.source as source, pr._rec,
               -- a register's stated overtime rate (BD "OT Rate") below the legal one
               pr.ot_rate is not null and pr.wd + pr.rd + pr.hol > 0
                   and pr.ot_rate < round(pr.rate * pw.value, 2) - 0.01 as rate_short
        -- a law with one overtime premium (FLSA) pays it on rest-day and holiday overtime too
        from lines pr {param_at('pw', 'ot_premium_weekday', MONTH_START)}
             {param_at('prd', 'ot_premium_restday', MONTH_START, optional=True)}
             {param_at('ph', 'ot_premium_holiday', MONTH_START, optional=True)}
        where pr.rate is not null and pr.wd + pr.rd + pr.hol > 0
          and (round(lim - coalesce(pr.ot_pay, 0), 2) > {MONEY_TOLERANCE} or rate_short)""")
    return [Hit(worker_subject(r["worker_id"]), month_period(r["period"]), r["measured"], r["lim"],
                [s for s in (r["source"], rate_source) if s], [r["_rec"]],
                {k: r[k] for k in ("period", "rate", "wd", "rd", "hol", "pw", "prd", "ph", "ot_rate", "rate_short")})
            for r in rows]


def _arithmetic_message(h: Hit) -> str:
    v, parts = h.values, []
    if v["gross_off"] is not None and v["gross_off"] > MONEY_TOLERANCE:
        parts.append(f"gross pay {v['gross_pay']:.2f} ≠ base + overtime + allowances "
                     f"{v['gross_expected']:.2f}")
    if v["net_off"] is not None and v["net_off"] > MONEY_TOLERANCE:
        parts.append(f"net pay {v['net_pay']:.2f} ≠ gross − deductions − social insurance "
                     f"{v['net_expected']:.2f}")
    return f"{h.subject['worker_id']} payroll {v['period']}: " + "; ".join(parts)


@rule("LAB-PAYROLL-ARITHMETIC", category="wages", severity="minor", unit="currency",
      summary="gross ≠ base + OT + allowances, or net ≠ gross − deductions − social insurance",
      evidence={Kind.PAYROLL: PAY_FIELDS},
      message=_arithmetic_message,
      rests_on=RestsOn(("payroll_arithmetic",), gate=False, what="not on lines holding money no field took"))
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
                        MONEY_TOLERANCE, [CITED],
                        [r["_rec"]], r))
    return hits


@rule("LAB-PAY-LATE", category="wages", severity="major", unit="days",
      summary="pay_date later than the allowed days after the month's end",
      params=("max_pay_delay_days",),
      evidence={Kind.PAYROLL: ("period", "pay_date", "net_pay")},
      message=lambda h: f"{h.subject['worker_id']} was paid for {h.values['period']} on {h.values['pay_date']}, "
                        f"{h.measured:g} days after the month's end (limit {h.limit:g}, {h.sources[0]})")
def find_pay_late(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        select pr.worker_id, pr.period, pr.pay_date, pr._rec,
               last_day({MONTH_START}) as month_end,
               date_diff('day', last_day({MONTH_START}), pr.pay_date) as measured,
               p.value as lim, p.source
        from payroll pr {param_at('p', 'max_pay_delay_days', MONTH_START)}
        where pr.pay_date is not null and pr.period is not null
          -- a month read from the pay date itself cannot show the pay was late
          {"and not coalesce(pr._period_from_pay_date, false)" if "_period_from_pay_date" in ds.tables[Kind.PAYROLL].columns else ""}
          and date_diff('day', last_day({MONTH_START}), pr.pay_date) > p.value""")
    return [Hit(worker_subject(r["worker_id"]), month_period(r["period"]), r["measured"], r["lim"],
                [r["source"]], [r["_rec"]], r) for r in rows]

