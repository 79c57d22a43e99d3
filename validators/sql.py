"""SQL fragments the rules share, written once: the first day of a pay month, a payroll line's
overtime hours, and the one way a rule reads a pack parameter — the value in force on a date
(each value has valid_from/valid_to; a law that changes mid-year changes the limit mid-year)."""
from __future__ import annotations

OT_COLUMNS = ("ot_hours_weekday", "ot_hours_restday", "ot_hours_holiday")


def month_start(period: str) -> str:
    """The first day of a 'YYYY-MM' pay period column, as a date."""
    return f"strptime({period} || '-01', '%Y-%m-%d')::date"


def ot_hours(table: str | None = None) -> str:
    """A payroll line's overtime hours, all three kinds, a missing one counting as none."""
    prefix = f"{table}." if table else ""
    return " + ".join(f"coalesce({prefix}{c}, 0)" for c in OT_COLUMNS)


def hours_paid(table: str | None = None) -> str:
    """A payroll line's hours worked: regular plus overtime."""
    prefix = f"{table}." if table else ""
    return f"coalesce({prefix}regular_hours, 0) + {ot_hours(table)}"


def param_at(alias: str, name: str, on: str, *, optional: bool = False) -> str:
    """Join the parameter ``name``'s value in force on the date ``on`` as ``alias`` (alias.value,
    alias.source). ``optional``: keep the row where no pack gives a value (alias.value null)."""
    join = "left join" if optional else "join"
    return f"{join} params {alias} on {alias}.name = '{name}' and {on} between {alias}.valid_from and {alias}.valid_to"


def param_value_at(name: str, on: str) -> str:
    """The parameter ``name``'s value in force on the date ``on``, as a scalar subquery."""
    return f"(select value from params v where v.name = '{name}' and {on} between v.valid_from and v.valid_to)"
