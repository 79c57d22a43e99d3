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
    """The weekly rest days are the law pack's (or the factory's own, from its profile), never the
    ``holidays`` package's weekend: Bangladesh works a legal six-day week with Friday off, where
    the package marks Friday and Saturday. The calendar gives the statutory holidays, the days off
    it moves, and the make-up working days on a rest day (China's 调休)."""
    dates = sorted(set(dates))
    if not dates:
        return {}
    if calendar is None:
        return {d: RESTDAY if d.weekday() in rest_weekdays else WEEKDAY for d in dates}
    cal = holidays.country_holidays(calendar, years=range(dates[0].year, dates[-1].year + 1))
    make_up = set(getattr(cal, "weekend_workdays", ()) or ())
    out = {}
    for d in dates:
        name = cal.get(d)
        if name and _is_statutory(name):
            out[d] = HOLIDAY
        elif d in make_up:
            out[d] = WEEKDAY
        elif d.weekday() in rest_weekdays or name:
            out[d] = RESTDAY
        else:
            out[d] = WEEKDAY
    return out
