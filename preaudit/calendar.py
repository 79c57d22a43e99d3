"""Day types for overtime: a normal working day, a rest day, or a statutory holiday.

Statutory holidays and make-up working days (China's 调休) come from the ``holidays`` package.
A day the calendar gives off without being the statutory holiday itself (an "observed" or
substituted day off) is a rest day: Labour Law Art 44 pays 300 % only on the holiday.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays

WEEKDAY, RESTDAY, HOLIDAY = "weekday", "restday", "holiday"


def _is_statutory(name: str) -> bool:
    parts = [p.strip() for p in name.split(";")]
    return any("observed" not in p.lower() and not p.lower().startswith("day off") for p in parts)


def day_types(dates: Iterable[dt.date], calendar: str | None, rest_weekdays: list[int]) -> dict[dt.date, str]:
    dates = sorted(set(dates))
    if not dates:
        return {}
    if calendar is None:
        return {d: RESTDAY if d.weekday() in rest_weekdays else WEEKDAY for d in dates}
    cal = holidays.country_holidays(calendar, years=range(dates[0].year, dates[-1].year + 1))
    out = {}
    for d in dates:
        name = cal.get(d)
        if name and _is_statutory(name):
            out[d] = HOLIDAY
        elif cal.is_working_day(d):
            out[d] = WEEKDAY
        else:
            out[d] = RESTDAY
    return out
