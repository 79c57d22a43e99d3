"""Wage rules over payroll lines (one line per worker and pay period)."""
from __future__ import annotations

from validators.base import CITED, Hit, month_period, rule, worker_subject
from validators.rests_on import RestsOn
from validators.sql import month_start, param_at, param_value_at
from validators.dataset.dataset import Dataset
from preaudit.core.model import Kind

#: rounding slack, in currency units: payrolls round to the cent or the yuan (SPEC: "beyond 1.00")
MONEY_TOLERANCE = 1.00
MONTH_START = month_start("pr.period")


#: preaudit's own share (not a legal threshold): a line breaking one of its register's identities
#: (gross = its parts, net = gross − deductions, OT pay = rate × hours × premium) is judged only where
#: at least this share of the register's other lines, and at least MIN_CONFIRMING of them, keep it:
#: then the identity is the one the register keeps and was read right, and the line is that line's
#: error. Below it the reading is in doubt, not the factory: one line in five may be wrong before
#: preaudit doubts its own reading of the columns rather than the register.
REGISTER_AGREEMENT = 0.80
MIN_CONFIRMING = 2


def _confirmed(ok: int, n: int) -> bool:
    """Whether the lines of a register that keep an identity (ok of n) confirm it for the others."""
    return ok == n or (ok >= MIN_CONFIRMING and ok >= REGISTER_AGREEMENT * (n - 1))


#: more allowance columns than this and only the two readings of gross (with or without overtime) are tried
MAX_PARTS = 10


def _cache(ds: Dataset) -> dict:
    return ds.__dict__.setdefault("_wages_cache", {})


def _gross_means(ds: Dataset) -> str:
    return (ds.context.bases.get("gross_pay") or {}).get("means", "earnings")


def _parts(raw: str | None, total: float | None) -> list[tuple[str, float]]:
    """A line's allowance columns as read ("House Rent=3350; Medical=750"), or the one total."""
    from extractors.values import parse_amount

    if total is None:
        return []
    if raw and "=" in raw:
        out = []
        for chunk in raw.split("; "):
            label, _, text = chunk.partition("=")
            try:
                amount = parse_amount(text)
            except ValueError:
                amount = None
            if not label or amount is None:
                break
            out.append((label.strip(), float(amount)))
        else:
            if out and abs(sum(a for _, a in out) - total) < 0.005:
                return out
    return [("allowances", float(total))]


def _off(a: "np.ndarray", b: "np.ndarray") -> "np.ndarray":
    import numpy as np

    return np.round(np.abs(a - b), 2)


def register_arithmetic(ds: Dataset) -> dict:
    """The register's own arithmetic, per register (document and sheet): which columns its gross
    is made of (the reading most of its lines satisfy: base + overtime + allowances, base +
    allowances with overtime on top, …; the pack's gross_pay.means first where readings tie), and
    for each line whether gross and net satisfy the register's identities.
    Returns {"lines": {rec: {...}}, "registers": {(doc, sheet): {...}}}."""
    cache = _cache(ds)
    if "arithmetic" in cache:
        return cache["arithmetic"]
    import numpy as np

    pay = ds.tables[Kind.PAYROLL]
    wage_first = _gross_means(ds) == "wage"
    cols = [c for c in ("_rec", "_doc", "_sheet", "worker_id", "period", "base_pay", "ot_pay", "allowances",
                        "raw:allowances", "deductions", "social_insurance", "gross_pay", "net_pay",
                        "_unread_money") if c in pay.columns]
    rows = pay.filter(pay["period"].is_not_null()).select(cols).to_dicts() if pay.height else []
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["_doc"], r.get("_sheet")), []).append(r)
    lines: dict[int, dict] = {}
    registers: dict[tuple, dict] = {}
    for key, group in groups.items():
        parts = [_parts(r.get("raw:allowances"), r.get("allowances")) for r in group]
        labels = list(dict.fromkeys(label for p in parts for label, _ in p))
        comps = ["overtime"] + labels
        values = np.zeros((len(group), len(comps)))
        for i, (r, p) in enumerate(zip(group, parts)):
            values[i, 0] = r.get("ot_pay") or 0.0
            for label, amount in p:
                values[i, comps.index(label)] += amount
        full = (1 << len(comps)) - 1
        masks = list(range(full + 1)) if len(comps) <= MAX_PARTS else [full, full - 1]
        chosen = np.array([[(m >> j) & 1 for m in masks] for j in range(len(comps))], dtype=float)
        f = lambda name: np.array([np.nan if r.get(name) is None else float(r[name]) for r in group])  # noqa: E731
        base, gross, net = f("base_pay"), f("gross_pay"), f("net_pay")
        ded = np.nan_to_num(f("deductions")) + np.nan_to_num(f("social_insurance"))
        unread = np.array([r.get("_unread_money") is not None for r in group])
        checkable = ~np.isnan(base) & ~np.isnan(gross) & ~unread
        fits = (_off(gross[:, None], base[:, None] + values @ chosen) <= MONEY_TOLERANCE) & checkable[:, None]

        def preference(k: int) -> tuple:
            m, with_ot = masks[k], masks[k] & 1
            # the pack's meaning first: earnings = everything in gross; wage = overtime on top
            rank = (0 if m == full else 1) if not wage_first else (0 if m == full - 1 else 1 if not with_ot else 2)
            return int(fits[:, k].sum()), -rank, bin(m).count("1")

        best = max(range(len(masks)), key=preference)
        in_gross = chosen[:, best]
        gross_expected = base + values @ in_gross
        on_top = values @ (1 - in_gross)
        net_expected = gross + on_top - ded
        net_checkable = ~np.isnan(gross) & ~np.isnan(net) & ~unread
        gross_ok = _off(gross, gross_expected) <= MONEY_TOLERANCE
        net_ok = _off(net, net_expected) <= MONEY_TOLERANCE
        n_gross, n_net = int(checkable.sum()), int(net_checkable.sum())
        ok_gross, ok_net = int((gross_ok & checkable).sum()), int((net_ok & net_checkable).sum())
        names = [c for c, on in zip(comps, in_gross) if on]
        registers[key] = {
            "document": key[0], "sheet": key[1], "in_gross": names, "on_top": [c for c in comps if c not in names],
            "gross": (ok_gross, n_gross), "net": (ok_net, n_net),
            "gross_confirmed": _confirmed(ok_gross, n_gross), "net_confirmed": _confirmed(ok_net, n_net),
            "recs": [r["_rec"] for r in group]}
        for i, r in enumerate(group):
            lines[r["_rec"]] = {
                "register": key, "gross_checked": bool(checkable[i]), "net_checked": bool(net_checkable[i]),
                "gross_expected": None if np.isnan(gross_expected[i]) else float(gross_expected[i]),
                "net_expected": None if np.isnan(net_expected[i]) else float(net_expected[i]),
                "gross_off": None if not checkable[i] else float(_off(gross[i], gross_expected[i])),
                "net_off": None if not net_checkable[i] else float(_off(net[i], net_expected[i])),
                "ot_in_gross": bool(in_gross[0]), "on_top": float(on_top[i])}
    cache["arithmetic"] = {"lines": lines, "registers": registers}
    return cache["arithmetic"]


def _wage_table(ds: Dataset) -> str:
    """A table (_rec, wage) of the month's wage as the register states it, for a pack whose minimum
    is compared with the wage (BD): gross pay where the register's gross is the wage; gross less
    overtime where its own arithmetic shows overtime inside gross; base + allowances where no gross."""
    import polars as pl

    cache = _cache(ds)
    if "wage_table" not in cache:
        reading = register_arithmetic(ds)
        pay = ds.tables[Kind.PAYROLL]
        means = _gross_means(ds)
        out = []
        for r in pay.select("_rec", "gross_pay", "ot_pay", "base_pay", "allowances").to_dicts() if pay.height else []:
            line = reading["lines"].get(r["_rec"])
            if r["gross_pay"] is not None:
                register = reading["registers"][line["register"]] if line else None
                ot_inside = line["ot_in_gross"] if register and register["gross_confirmed"] else means == "earnings"
                wage = r["gross_pay"] - ((r["ot_pay"] or 0) if ot_inside else 0)
            elif r["base_pay"] is not None:
                wage = r["base_pay"] + (r["allowances"] or 0)
            else:
                wage = None
            # gross read as the wage is the month's wage rate (absence is deducted below it, overtime and
            # bonuses paid on top): compared with the minimum whatever the month's length
            is_rate = r["gross_pay"] is not None and wage == r["gross_pay"]
            out.append({"_rec": r["_rec"], "wage": wage, "is_rate": is_rate,
                        "basis": "gross pay (the month's wage)" if is_rate else "gross pay less overtime"
                        if r["gross_pay"] is not None else "base pay + allowances"})
        ds.con.register("_wages_wage", pl.DataFrame(out, schema={"_rec": pl.Int64, "wage": pl.Float64,
                                                                 "is_rate": pl.Boolean, "basis": pl.Utf8}))
        cache["wage_table"] = "_wages_wage"
    return cache["wage_table"]


def _minimum_wage_basis(ds: Dataset) -> tuple[str, str, str, str | None]:
    """(SQL for the pay the minimum wage is compared with, what it is called, whether it is the
    month's wage rate rather than its pay, its source): base pay (SPEC), or what the law pack says
    (Bangladesh: the month's wage, the register's gross)."""
    basis = ds.context.bases.get("minimum_wage") or {}
    if basis.get("compare") == "gross_less_ot":
        return "pr.gross_pay - coalesce(pr.ot_pay, 0)", "'gross pay less overtime'", "false", basis["source"]
    if basis.get("compare") == "wage":
        table = _wage_table(ds)
        pick = lambda col: f"(select w.{col} from {table} w where w._rec = pr._rec)"  # noqa: E731
        return pick("wage"), pick("basis"), pick("is_rate"), basis["source"]
    return "pr.base_pay", "'base pay'", "false", basis.get("source")


def _workdays_table(ds: Dataset) -> str:
    """A table (month, date) of the working days of every payroll month (the law's calendar and
    rest days): what a full month of time records covers."""
    import datetime as dt

    import polars as pl

    from validators.dataset.calendar import WEEKDAY, day_types

    cache = _cache(ds)
    if "workdays" not in cache:
        months = sorted(set(ds.tables[Kind.PAYROLL]["period"].drop_nulls().to_list()))
        dates = []
        for m in months:
            try:
                year, mon = (int(x) for x in m.split("-"))
            except ValueError:
                continue
            first = dt.date(year, mon, 1)
            nxt = dt.date(year + mon // 12, mon % 12 + 1, 1)
            dates += [first + dt.timedelta(days=k) for k in range((nxt - first).days)]
        types = day_types(dates, ds.context.holiday_calendar, ds.context.rest_weekdays)
        rows = [{"month": d.strftime("%Y-%m"), "date": d} for d in dates if types.get(d) == WEEKDAY]
        ds.con.register("_wages_workdays", pl.DataFrame(rows, schema={"month": pl.Utf8, "date": pl.Date}))
        cache["workdays"] = "_wages_workdays"
    return cache["workdays"]


def _money(x: float) -> str:
    return f"{x:,.2f}"


def _min_wage_message(h: Hit) -> str:
    v = h.values
    if v["monthly"] is None:
        return (f"{h.subject['worker_id']} {v['basis']} for {v['month']} is {h.measured:.2f}/h, below the "
                f"hourly minimum wage {h.limit:.2f}/h ({h.sources[0]})")
    if v.get("stated_share") is not None:
        share = (f" (pro rata for {v['stated']:g} of {v['standard']:g} {v['unit']} of normal work the register "
                 f"states{'; the worker joined or left that month' if v['partial'] else ''})")
    elif v["partial"]:
        share = " (pro-rated for the days employed: joined or left that month)"
    else:
        share = ""
    return (f"{h.subject['worker_id']} {v['basis']} for {v['month']} is {h.measured:.2f}, below the "
            f"minimum wage {h.limit:.2f}{share} ({h.sources[0]})")


def _min_wage_possible(r: dict) -> str:
    """What would decide a month below the full minimum whose length the records do not settle."""
    paid, full = _money(r["measured"]), _money(r["lim_employed"])
    if r["stated"] is not None:
        why = (f"the register states {r['stated']:g} {r['unit']} of normal work, and the law pack gives no "
               f"standard month to pro-rate the minimum by")
    elif r["n_worked"]:
        pro = r["lim_employed"] * r["n_worked"] / r["n_work"] if r["n_work"] else None
        why = (f"its normal hours are not stated and the time records show {r['n_worked']} of {r['n_work']} "
               f"working days" + (f" (pro rata for them: {_money(pro)})" if pro is not None else ""))
    else:
        why = "its normal hours are not stated and no time records show the month"
    return (f"paid {paid} for a month whose length is not settled: {why}; below the {full} minimum if the month "
            f"was full; the register does not say whether the short pay is unpaid leave")


@rule("LAB-MIN-WAGE", category="wages", severity="critical", unit="currency",
      summary="pay below the minimum wage (base pay, or what the law pack compares: BD the month's wage, the "
              "register's gross); pro rata for the hours or days of normal work the register states (of the "
              "law's standard month, CN 174 h = 21.75 days) or the days employed in a month joined or left; a "
              "month whose length nothing settles is a possible item; where the law sets an hourly minimum "
              "(FLSA), the hourly rate or base ÷ regular hours below it",
      params=("minimum_wage_monthly", "minimum_wage_hourly"),
      evidence={Kind.PAYROLL: ("period", "base_pay", "gross_pay", "ot_pay", "allowances", "hourly_rate",
                               "regular_hours", "days_worked"),
                Kind.ROSTER: ("hire_date", "termination_date")},
      readings="the pay compared: the law pack's basis (BD: gross pay is the month's wage, overtime on top, unless "
               "the register's own arithmetic shows overtime inside it); the month's length: the normal hours or "
               "days the register states, pro rata of the standard month (the lower of that and the days employed); "
               "with none stated, a full month only where the time records show every working day, otherwise a "
               "possible item (unpaid leave or a short month would explain the pay)",
      message=_min_wage_message)
def find_min_wage(ds: Dataset) -> list[Hit]:
    """A month the register states as short (hours or days of normal work below the law's standard
    month) owes the minimum pro rata; a month the worker joined or left in, pro rata of the calendar
    days employed; a month nothing states is owed the full minimum only where the time records
    show every working day of it, and is a possible item otherwise."""
    paid, basis_name, is_rate, basis_source = _minimum_wage_basis(ds)
    workdays = _workdays_table(ds)
    rows = ds.sql(f"""
        with lines as (
            select pr.*, {MONTH_START} as m_start, last_day({MONTH_START}) as m_end, {paid} as paid,
                   {basis_name} as basis, {is_rate} as is_rate
            from payroll pr where pr.period is not null),
        employed as (
            select l.*, r.hire_date, r.termination_date,
                   greatest(l.m_start, coalesce(r.hire_date, l.m_start)) as e_start,
                   least(l.m_end, coalesce(r.termination_date, l.m_end)) as e_end
            from lines l left join (select worker_id, min(hire_date) as hire_date,
                                           max(termination_date) as termination_date
                                    from roster group by worker_id) r on r.worker_id = l.worker_id),
        judged as (
            select e.*, mw.value as monthly, mw.source as mw_source,
                   least(1.0, greatest(0, date_diff('day', e.e_start, e.e_end) + 1)
                              / (date_diff('day', e.m_start, e.m_end) + 1)) as employed_share,
                   case when coalesce(e.regular_hours, 0) > 0 then e.regular_hours
                        when coalesce(e.days_worked, 0) > 0 then e.days_worked end as stated,
                   case when coalesce(e.regular_hours, 0) > 0 then 'hours'
                        when coalesce(e.days_worked, 0) > 0 then 'days' end as unit,
                   case when coalesce(e.regular_hours, 0) > 0 then std.value
                        when coalesce(e.days_worked, 0) > 0 then std.value / nullif(rd.value, 0) end as standard,
                   (select count(*) from {workdays} w
                     where w.month = e.period and w.date between e.e_start and e.e_end) as n_work,
                   (select count(*) from {workdays} w join days d on d.date = w.date and d.worker_id = e.worker_id
                     where w.month = e.period and w.date between e.e_start and e.e_end) as n_worked
            from employed e {param_at('mw', 'minimum_wage_monthly', 'e.m_start')}
                 {param_at('std', 'standard_monthly_hours', 'e.m_start', optional=True)}
                 {param_at('rd', 'regular_daily_hours', 'e.m_start', optional=True)})
        select worker_id, period, paid as measured, basis, is_rate, hire_date, termination_date, monthly, mw_source, _rec,
               e_start > m_start or e_end < m_end as partial, stated, unit, standard, n_work, n_worked,
               monthly * employed_share as lim_employed,
               case when standard is not null then least(1.0, stated / standard) end as stated_share,
               monthly * least(employed_share, coalesce(least(1.0, stated / standard), 1.0)) as lim
        from judged
        where paid is not null and paid < round(monthly * employed_share, 2) - 0.005""")
    hits = []
    for r in rows:
        sources = [s for s in (r["mw_source"], basis_source) if s]
        values = {"month": r["period"], "monthly": r["monthly"], "partial": r["partial"], "basis": r["basis"],
                  "stated": r["stated"], "standard": r["standard"], "unit": r["unit"],
                  "stated_share": r["stated_share"]}
        if r["stated_share"] is not None and not r["is_rate"]:  # the register states the month's normal work
            # the message names the share that bound the limit: the stated normal work, or the days employed
            if r["stated_share"] >= 1 or r["monthly"] * r["stated_share"] > r["lim_employed"]:
                values["stated_share"] = None
            if r["measured"] < round(r["lim"], 2) - 0.005:
                hits.append(Hit(worker_subject(r["worker_id"]), month_period(r["period"]), r["measured"], r["lim"],
                                sources, [r["_rec"]], values))
            continue
        values["stated_share"] = None
        # a wage rate, or every working day employed worked: the full minimum is owed
        full = r["is_rate"] or (r["n_work"] > 0 and r["n_worked"] >= r["n_work"])
        hits.append(Hit(worker_subject(r["worker_id"]), month_period(r["period"]), r["measured"], r["lim_employed"],
                        sources, [r["_rec"]], values, possible=None if full else _min_wage_possible(r)))
    monthly = {(h.subject["worker_id"], h.values["month"]) for h in hits}
    hits += [h for h in _below_hourly_minimum(ds) if (h.subject["worker_id"], h.values["month"]) not in monthly]
    return _unless_the_register_disagrees(ds, hits)


def _unless_the_register_disagrees(ds: Dataset, hits: list[Hit]) -> list[Hit]:
    """A pay figure read from a register whose own gross identity fails on most of its lines may
    not be the figure its header says (a misread column): below the minimum on that reading is a
    question for the auditor, not a finding."""
    reading = register_arithmetic(ds)
    for hit in hits:
        line = next((reading["lines"].get(rec) for rec in hit.recs if rec in reading["lines"]), None)
        register = reading["registers"].get(line["register"]) if line else None
        if hit.possible or register is None:
            continue
        ok, n = register["gross"]
        if n >= MIN_CONFIRMING + 1 and not register["gross_confirmed"]:
            hit.possible = (f"the register's own gross = base + its parts holds on {ok} of {n} lines, so the "
                            f"{hit.values.get('basis') or 'pay'} read from it may not be what its header says: "
                            f"check the column (preaudit inspect) before the pay")
    return hits


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


def overtime_reading(ds: Dataset) -> dict:
    """Every payroll line with overtime hours and an hourly rate, with what the law owes for it,
    and per register whether the register's own overtime pay is rate × hours × premium on most of
    its lines: its stated OT rate × hours where it states one, else its hourly rate (stated, or the
    law's) × the premiums most of its lines share (the law's, or one set the register keeps: a
    factory paying every overtime hour at 1.5× keeps its own arithmetic and underpays)."""
    cache = _cache(ds)
    if "overtime" in cache:
        return cache["overtime"]
    import numpy as np

    rate, rate_source = hourly_rate_sql(ds)
    rows = ds.sql(f"""
        with lines as (
            select pr.*, {rate} as rate,
                   coalesce(ot_hours_weekday, 0) as wd, coalesce(ot_hours_restday, 0) as rd,
                   coalesce(ot_hours_holiday, 0) as hol
            from payroll pr where pr.period is not null)
        select pr.worker_id, pr.period, coalesce(pr.ot_pay, 0) as measured, pr.rate, pr.ot_rate, pr.hourly_rate,
               pr.wd, pr.rd, pr.hol, pr._doc, {"pr._sheet" if "_sheet" in ds.tables[Kind.PAYROLL].columns else "null"} as _sheet,
               pr.rate * (pw.value * pr.wd + coalesce(prd.value, pw.value) * pr.rd
                          + coalesce(ph.value, pw.value) * pr.hol) as lim,
               pw.value as pw, coalesce(prd.value, pw.value) as prd, coalesce(ph.value, pw.value) as ph,
               pw.source as source, pr._rec,
               -- a register's stated overtime rate (BD "OT Rate") below the legal one
               pr.ot_rate is not null and pr.ot_rate < round(pr.rate * pw.value, 2) - 0.01 as rate_short
        -- a law with one overtime premium (FLSA) pays it on rest-day and holiday overtime too
        from lines pr {param_at('pw', 'ot_premium_weekday', MONTH_START)}
             {param_at('prd', 'ot_premium_restday', MONTH_START, optional=True)}
             {param_at('ph', 'ot_premium_holiday', MONTH_START, optional=True)}
        where pr.rate is not null and pr.wd + pr.rd + pr.hol > 0
        order by pr._rec""")
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        r["rate_source"] = rate_source
        groups.setdefault((r["_doc"], r["_sheet"]), []).append(r)
    registers = {}
    for key, group in groups.items():
        y = np.array([r["measured"] for r in group], dtype=float)
        hours = np.array([[r["wd"], r["rd"], r["hol"]] for r in group], dtype=float)
        own_rate = np.array([r["hourly_rate"] if r["hourly_rate"] is not None else r["rate"] for r in group], dtype=float)
        stated = np.array([r["ot_rate"] is not None for r in group])
        by_rate = np.array([(r["ot_rate"] or 0) * (r["wd"] + r["rd"] + r["hol"]) for r in group], dtype=float)
        x = hours * own_rate[:, None]
        tol = lambda expected: np.maximum(MONEY_TOLERANCE, 0.005 * np.abs(expected))  # noqa: E731

        def agree(premiums: np.ndarray) -> np.ndarray:
            expected = np.where(stated, by_rate, x @ premiums if premiums.ndim == 1 else (x * premiums).sum(1))
            return np.abs(y - expected) <= tol(expected)

        legal = np.array([[r["pw"], r["prd"], r["ph"]] for r in group], dtype=float)
        best = agree(legal)
        fit_on = ~stated
        for _ in range(3):  # the premiums most of the register's lines share (a trimmed least-squares fit)
            if fit_on.sum() == 0:
                break
            own = np.linalg.lstsq(x[fit_on], y[fit_on], rcond=None)[0]
            ok = agree(own)
            if ok.sum() > best.sum():
                best = ok
            if (ok & ~stated).sum() in (0, fit_on.sum()):
                break
            fit_on = ok & ~stated
        registers[key] = {"document": key[0], "sheet": key[1], "overtime": (int(best.sum()), len(group)),
                          "overtime_confirmed": _confirmed(int(best.sum()), len(group)),
                          "recs": [r["_rec"] for r in group]}
    cache["overtime"] = {"lines": rows, "registers": registers}
    return cache["overtime"]


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
              "BD basic ÷ 208; elsewhere the stated rate or base ÷ regular hours), or a stated OT rate below it; "
              "only in a register whose own overtime pay is rate × hours × premium on most lines",
      params=("ot_premium_weekday", "ot_premium_restday", "ot_premium_holiday"),
      evidence={Kind.PAYROLL: PAY_FIELDS + ("ot_rate", "base_pay")},
      readings="the register's own arithmetic first: its OT pay = its stated OT rate × hours, or its hourly rate "
               f"× hours × the premiums most of its lines share; where a line breaks that and under "
               f"{REGISTER_AGREEMENT:.0%} of the other lines (or fewer than {MIN_CONFIRMING}) keep it (a misread day "
               "type or rate column) no line of the register is "
               "judged and DQ-REGISTER-ARITHMETIC says so",
      message=_ot_message,
      rests_on=RestsOn(("payroll_ot_premium",), gate=False, what="not on lines with overtime that cannot be priced"))
def find_ot_premium(ds: Dataset) -> list[Hit]:
    reading = overtime_reading(ds)
    hits = []
    for r in reading["lines"]:
        if not reading["registers"][(r["_doc"], r["_sheet"])]["overtime_confirmed"]:
            continue  # the reading is in doubt, not the factory (DQ-REGISTER-ARITHMETIC)
        if round(r["lim"] - r["measured"], 2) > MONEY_TOLERANCE or r["rate_short"]:
            hits.append(Hit(worker_subject(r["worker_id"]), month_period(r["period"]), r["measured"], r["lim"],
                            [s for s in (r["source"], r["rate_source"]) if s], [r["_rec"]],
                            {k: r[k] for k in ("period", "rate", "wd", "rd", "hol", "pw", "prd", "ph", "ot_rate",
                                               "rate_short")}))
    return hits


def _arithmetic_message(h: Hit) -> str:
    v, parts = h.values, []
    if v["gross_off"] is not None and v["gross_off"] > MONEY_TOLERANCE:
        parts.append(f"gross pay {v['gross_pay']:.2f} ≠ {v['gross_parts']} {v['gross_expected']:.2f}")
    if v["net_off"] is not None and v["net_off"] > MONEY_TOLERANCE:
        top = f" + {v['on_top_parts']}" if v["on_top_parts"] else ""
        parts.append(f"net pay {v['net_pay']:.2f} ≠ gross{top} − deductions − social insurance "
                     f"{v['net_expected']:.2f}")
    share = "; ".join(f"{name} holds on {ok} of {n} lines of the register" for name, (ok, n) in v["shares"])
    return f"{h.subject['worker_id']} payroll {v['period']}: " + "; ".join(parts) + f" ({share})"


def _parts_text(names: list[str]) -> str:
    return " + ".join(names)


@rule("LAB-PAYROLL-ARITHMETIC", category="wages", severity="minor", unit="currency",
      summary="a line breaking an identity the other lines of its register keep (gross = base + the columns the "
              "register's gross is made of; net = gross + what is paid on top − deductions − social insurance)",
      evidence={Kind.PAYROLL: PAY_FIELDS},
      readings="the register's gross: the columns most of its lines add up to (base + overtime + allowances, or "
               "base + allowances with overtime and a bonus on top: the law pack's gross_pay.means first where they "
               f"tie); a line is judged only against an identity {REGISTER_AGREEMENT:.0%} of the register's other lines "
               f"(and at least {MIN_CONFIRMING}) keep; "
               "below that the reading is in doubt and DQ-REGISTER-ARITHMETIC says so",
      message=_arithmetic_message,
      rests_on=RestsOn(("payroll_arithmetic",), gate=False, what="not on lines holding money no field took"))
def find_arithmetic(ds: Dataset) -> list[Hit]:
    reading = register_arithmetic(ds)
    pay = ds.tables[Kind.PAYROLL]
    if not reading["lines"]:
        return []
    by_rec = {r["_rec"]: r for r in pay.select("_rec", "worker_id", "period", "gross_pay", "net_pay").to_dicts()}
    hits = []
    for rec, line in reading["lines"].items():
        register = reading["registers"][line["register"]]
        gross_bad = register["gross_confirmed"] and line["gross_checked"] and line["gross_off"] > MONEY_TOLERANCE
        net_bad = register["net_confirmed"] and line["net_checked"] and line["net_off"] > MONEY_TOLERANCE
        if not (gross_bad or net_bad):
            continue
        r = by_rec[rec]
        values = {**r, "gross_off": line["gross_off"] if gross_bad else None,
                  "net_off": line["net_off"] if net_bad else None,
                  "gross_expected": line["gross_expected"], "net_expected": line["net_expected"],
                  "gross_parts": _parts_text(["base"] + register["in_gross"]),
                  "on_top_parts": _parts_text(register["on_top"]) if line["on_top"] else "",
                  "shares": [(n, register[k]) for n, k, bad in (("gross", "gross", gross_bad), ("net", "net", net_bad))
                             if bad]}
        off = max(x for x in (values["gross_off"], values["net_off"]) if x is not None)
        hits.append(Hit(worker_subject(r["worker_id"]), month_period(r["period"]), off, MONEY_TOLERANCE, [CITED],
                        [rec], values))
    return hits


def _register_message(h: Hit) -> str:
    v = h.values
    where = f"{v['document']}" + (f" (sheet {v['sheet']})" if v["sheet"] else "")
    said = "; ".join(f"{what} holds on {ok} of {n} lines" for what, ok, n in v["doubts"])
    return (f"{where}: {said}: the register's own arithmetic does not confirm how it was read (a misread column or "
            f"day type is likelier than {max(n - ok for _, ok, n in v['doubts'])} wrong lines), so "
            f"{', '.join(v['rules'])} did not judge its lines; check how its columns were read")


@rule("DQ-REGISTER-ARITHMETIC", category="data_quality", severity="major", unit="lines",
      summary="a payroll register most of whose lines break one of its own identities (gross = its parts, net = "
              "gross − deductions, OT pay = rate × hours × premium): the reading is in doubt, its lines are not "
              "judged on that identity",
      evidence={},
      message=_register_message)
def find_register_arithmetic(ds: Dataset) -> list[Hit]:
    from preaudit.core.model import Evidence

    arithmetic, overtime = register_arithmetic(ds), overtime_reading(ds)
    doubts: dict[tuple, dict] = {}
    checks = [(arithmetic["registers"], "gross", "gross = " + "{parts}", "LAB-PAYROLL-ARITHMETIC"),
              (arithmetic["registers"], "net", "net = gross{top} − deductions − social insurance", "LAB-PAYROLL-ARITHMETIC"),
              (overtime["registers"], "overtime", "overtime pay = rate × hours × premium", "LAB-OT-PREMIUM")]
    for registers, name, text, rule_id in checks:
        for key, reg in registers.items():
            ok, n = reg[name]
            if n == 0 or reg[f"{name}_confirmed"] or ok == n:
                continue
            what = text.format(parts=_parts_text(["base"] + reg.get("in_gross", [])),
                               top=f" + {_parts_text(reg['on_top'])}" if reg.get("on_top") else "")
            entry = doubts.setdefault(key, {"doubts": [], "rules": [], "recs": set()})
            entry["doubts"].append((what, ok, n))
            if rule_id not in entry["rules"]:
                entry["rules"].append(rule_id)
            entry["recs"].update(reg["recs"])
    by_path = {d.path: d for d in ds.documents}
    hits = []
    for (doc, sheet), entry in sorted(doubts.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        subject = {"document": doc, **({"sheet": sheet} if sheet else {})}
        sha = by_path[doc].sha256 if doc in by_path else ""
        text = "; ".join(f"{what}: {ok} of {n} lines" for what, ok, n in entry["doubts"])
        hits.append(Hit(subject, None, min(ok for _, ok, _ in entry["doubts"]),
                        None, [CITED], [], {"document": doc, "sheet": sheet, **entry},
                        [Evidence(doc, sha, None, None, sheet, text=text)]))
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

