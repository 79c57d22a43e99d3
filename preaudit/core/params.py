"""Rule parameters: their names (SPEC §3), units, and which way is stricter."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Parameter:
    name: str
    unit: str
    stricter: str  # "lower" (a ceiling: less is stricter) or "higher" (a floor)
    meaning: str


PARAMETERS: dict[str, Parameter] = {p.name: p for p in [
    Parameter("max_daily_hours", "hours", "lower", "most hours on one worked day"),
    Parameter("max_weekly_hours", "hours", "lower", "most hours in an ISO week, overtime included"),
    Parameter("max_monthly_ot_hours", "hours", "lower", "most overtime hours in a calendar month"),
    Parameter("max_consecutive_days", "days", "lower", "most worked days in a row"),
    Parameter("regular_daily_hours", "hours", "lower", "hours of a normal working day; more is overtime"),
    Parameter("standard_monthly_hours", "hours", "lower", "hours a monthly minimum wage pays for"),
    Parameter("minimum_wage_monthly", "currency/month", "higher", "monthly minimum wage"),
    Parameter("minimum_wage_hourly", "currency/hour", "higher",
              "hourly minimum wage: the register's hourly rate, or base pay ÷ regular hours, may not be lower"),
    Parameter("ot_premium_weekday", "× hourly rate", "higher", "overtime premium on a working day"),
    Parameter("ot_premium_restday", "× hourly rate", "higher", "premium for work on a rest day"),
    Parameter("ot_premium_holiday", "× hourly rate", "higher", "premium for work on a statutory holiday"),
    Parameter("max_pay_delay_days", "days", "lower", "days after the month's end wages must be paid by"),
    Parameter("minimum_age", "years", "higher", "minimum working age"),
    Parameter("juvenile_age", "years", "higher", "age below which a worker is a juvenile"),
    Parameter("juvenile_night_start", "hour of day", "lower", "juveniles may not work from this hour…"),
    Parameter("juvenile_night_end", "hour of day", "higher", "…until this hour (the night window, across midnight)"),
    Parameter("juvenile_max_daily_hours", "hours", "lower", "most hours a juvenile may work in a day"),
    Parameter("juvenile_max_weekly_hours", "hours", "lower", "most hours a juvenile may work in an ISO week"),
    Parameter("license_warning_days", "days", "higher", "warn of licenses expiring this soon"),
    Parameter("gate_tolerance_minutes", "minutes", "lower", "gate presence allowed around punches"),
    Parameter("ocr_confidence_floor", "0..1", "higher", "OCR confidence below which a finding needs review"),
    # a day whose punches show no break (one punch pair, no break minutes) is read with the rest
    # the law requires deducted (the lenient reading; the hours as punched are the other one)
    Parameter("rest_interval_minutes", "minutes", "higher",
              "rest interval a day longer than rest_interval_after_hours must include"),
    Parameter("rest_interval_after_hours", "hours", "lower", "a day longer than this must include the rest interval"),
    Parameter("rest_interval_short_minutes", "minutes", "higher",
              "the shorter rest interval of a day longer than rest_interval_short_after_hours"),
    Parameter("rest_interval_short_after_hours", "hours", "lower",
              "a day longer than this (and not than rest_interval_after_hours) must include the shorter interval"),
    Parameter("rest_interval_night_minutes", "minutes", "higher",
              "the rest interval of such a day with night work in it"),
    Parameter("meal_break_midday_minutes", "minutes", "higher",
              "where no law gives a rest interval: the midday meal of a day whose span covers 12:00-13:00"),
    Parameter("meal_break_midnight_minutes", "minutes", "higher",
              "where no law gives a rest interval: the midnight meal of a day whose span covers 00:00"),
]}


def stricter_of(name: str, a: float, b: float) -> bool:
    """True when value a is stricter than b for parameter ``name``."""
    return a < b if PARAMETERS[name].stricter == "lower" else a > b
