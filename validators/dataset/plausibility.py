"""Values no real record holds, kept out of the rules and reported (DQ-IMPLAUSIBLE-VALUE).

A misread date ("25-08-01" read as 2001-08-25) must cost one data-quality finding that points at
its cell, never eighteen child-labour findings about workers "aged 1". Each screen returns the
table without the value (a record outside the audit period is dropped whole; a single value is
blanked) and the values it took out, with their provenance.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from preaudit.core.model import Kind
from preaudit.core.profile import Profile

#: a record dated further than this outside the audit period is not fed to a rule
PERIOD_MARGIN = dt.timedelta(days=31)
MIN_AGE, MAX_AGE = 10, 80
MAX_DAY_HOURS = 24.0
MAX_PAY_TO_MINIMUM = 100


@dataclass
class Implausible:
    kind: str
    document: str
    sha256: str
    page: int | None
    sheet: str | None
    row: int | None
    field: str
    raw: str | None
    cell: str | None
    confidence: float
    reason: str


def _taken_out(df: pl.DataFrame, mask: pl.Series, kind: Kind, field: str, reason: str) -> list[Implausible]:
    out = []
    for r in df.filter(mask).iter_rows(named=True):
        out.append(Implausible(kind.value, r["_doc"], r["_sha256"], r.get("_page"), r.get("_sheet"), r.get("_row"),
                               field, r.get(f"raw:{field}"), r.get(f"ref:{field}"),
                               r.get(f"conf:{field}") if r.get(f"conf:{field}") is not None else 1.0,
                               reason.format(value=r.get(field))))
    return out


def screen(tables: dict[Kind, pl.DataFrame], profile: Profile,
           minimum_wage_at) -> tuple[dict[Kind, pl.DataFrame], list[Implausible]]:
    """(tables the rules may see, values taken out). ``minimum_wage_at(date)`` gives the monthly
    minimum wage in force, or None."""
    found: list[Implausible] = []
    low, high = profile.period_start - PERIOD_MARGIN, profile.period_end + PERIOD_MARGIN
    window = f"the audit period {profile.period_start}..{profile.period_end}"

    ts = tables[Kind.TIMESHEET]
    if ts.height:
        outside = ts["date"].is_not_null() & ((ts["date"] < low) | (ts["date"] > high))
        found += _taken_out(ts, outside, Kind.TIMESHEET, "date", "{value} is far outside " + window)
        tables[Kind.TIMESHEET] = ts.filter(~outside)

    pay = tables[Kind.PAYROLL]
    if pay.height:
        months = pay["period"].str.to_date("%Y-%m", strict=False)
        outside = months.is_not_null() & ((months < low.replace(day=1)) | (months > high))
        found += _taken_out(pay, outside, Kind.PAYROLL, "period", "pay period {value} is far outside " + window)
        pay = pay.filter(~outside)
        months = pay["period"].str.to_date("%Y-%m", strict=False)
        minimum = {m: minimum_wage_at(m) for m in months.drop_nulls().unique().to_list()}
        cap = months.replace_strict(minimum, default=None, return_dtype=pl.Float64) * MAX_PAY_TO_MINIMUM
        for field in ("base_pay", "gross_pay", "net_pay"):
            huge = (pay[field] > cap).fill_null(False)
            found += _taken_out(pay, huge, Kind.PAYROLL, field,
                                f"{{value}} is more than {MAX_PAY_TO_MINIMUM} × the monthly minimum wage")
            pay = pay.with_columns(pl.when(huge).then(None).otherwise(pl.col(field)).alias(field))
        tables[Kind.PAYROLL] = pay

    roster = tables[Kind.ROSTER]
    if roster.height:
        youngest = profile.audit_date.replace(year=profile.audit_date.year - MIN_AGE)
        oldest = profile.audit_date.replace(year=profile.audit_date.year - MAX_AGE)
        odd = roster["birth_date"].is_not_null() & ((roster["birth_date"] > youngest) | (roster["birth_date"] < oldest))
        found += _taken_out(roster, odd, Kind.ROSTER, "birth_date",
                            f"born {{value}}: aged under {MIN_AGE} or over {MAX_AGE} on the audit date")
        tables[Kind.ROSTER] = roster.with_columns(
            pl.when(odd).then(None).otherwise(pl.col("birth_date")).alias("birth_date"))
    return tables, found


def implausible_days(days: pl.DataFrame, timesheet: pl.DataFrame) -> tuple[pl.DataFrame, list[Implausible]]:
    """Worker-days over 24 hours: punches read out of order or a misread time, never a shift."""
    # as punched: a break presumed away must not make such a day plausible
    too_long = days["hours_punched" if "hours_punched" in days.columns else "hours"] > MAX_DAY_HOURS
    recs = [r for recs in days.filter(too_long)["recs"].to_list() for r in recs]
    rows = timesheet.filter(pl.col("_rec").is_in(pl.Series(recs, dtype=pl.Int64).implode()))
    found = [Implausible(Kind.TIMESHEET.value, r["_doc"], r["_sha256"], r.get("_page"), r.get("_sheet"),
                         r.get("_row"), "punches", r.get("raw:in1"), r.get("ref:in1"),
                         r.get("conf:in1") if r.get("conf:in1") is not None else 1.0,
                         f"worker {r['worker_id']} on {r['date']}: the day's punches add up to more than "
                         f"{MAX_DAY_HOURS:g} hours") for r in rows.iter_rows(named=True)]
    return days.filter(~too_long), found
