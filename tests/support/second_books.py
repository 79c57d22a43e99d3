"""Worker-months written the way audit-passing software writes them, and worker-months of work.

Written (验厂考勤 style): every day's clock-in an independent uniform draw within a window before the
shift start, the clock-out an independent draw within a window after the end (or after the day's
overtime), no lateness, no missed tap, the month's overtime kept under the cap.

Genuine: habits — a worker's own usual arrival, today's close to yesterday's (AR(1)), skewed towards
the shift start with the odd early day; lateness on a few days; the odd forgotten tap (a day with
only its clock-in); overtime that follows the orders (weeks of long evenings, then short ones).
"""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

from tests.support.builders import day

SHIFT_START, SHIFT_END = 8 * 60, 17 * 60


def hhmm(minutes: float) -> str:
    m = int(round(minutes))
    return f"{m // 60:02d}:{m % 60:02d}"


def workdays(month: str, per_week: int = 6) -> list[dt.date]:
    y, m = map(int, month.split("-"))
    d, out = dt.date(y, m, 1), []
    while d.month == m:
        if d.weekday() < per_week:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def _row(worker: str, date: dt.date, arrive: float, leave: float | None) -> dict[str, Any]:
    if leave is None:  # a forgotten tap: the clock-in alone
        return {"worker_id": worker, "date": date.isoformat(), "in1": hhmm(arrive)}
    return day(worker, date.isoformat(), f"{hhmm(arrive)}-12:00", f"13:00-{hhmm(leave)}")


def written_month(rng: random.Random, worker: str, month: str, *, window: tuple[int, int] = (20, 0),
                  ot_cap_hours: float = 36.0) -> list[dict[str, Any]]:
    """Independent uniform draws within windows; overtime spread so the month stays under the cap."""
    days = workdays(month, per_week=5)
    ot_per_day = min(2.0, 0.95 * ot_cap_hours / len(days))
    rows = []
    for d in days:
        arrive = SHIFT_START - rng.uniform(window[1], window[0])
        leave = SHIFT_END + ot_per_day * 60 + rng.uniform(0, 15)
        rows.append(_row(worker, d, arrive, leave))
    return rows


def genuine_month(rng: random.Random, worker: str, month: str, *, state: dict | None = None,
                  late_rate: float = 0.04, missed_rate: float = 0.02) -> list[dict[str, Any]]:
    """Habits, lateness, missed taps and overtime that follows the orders. ``state`` carries the
    worker's habit from one month to the next."""
    state = state if state is not None else {}
    usual = state.setdefault("usual", rng.uniform(3, 15))        # minutes early, on a usual day
    ar = state.setdefault("ar", 0.0)
    out_ar = state.setdefault("out_ar", 0.0)
    rows = []
    week_orders = None
    for d in workdays(month):
        if d.weekday() == 0 or week_orders is None:   # this week's orders: how long the evenings run
            week_orders = max(0.0, rng.gauss(1.5, 1.0))
        ar = 0.8 * ar + rng.gauss(0, 2.5)
        early = usual + ar + (rng.expovariate(1 / 6) if rng.random() < 0.1 else 0.0)  # skew: the odd early day
        if rng.random() < late_rate:
            early = -rng.uniform(1, 20)  # late
        out_ar = 0.7 * out_ar + rng.gauss(0, 6)
        ot = round(week_orders * 2) / 2 if d.weekday() < 5 else 0.0
        leave = SHIFT_END + ot * 60 + max(0.0, 5 + out_ar)
        rows.append(_row(worker, d, SHIFT_START - early, None if rng.random() < missed_rate else leave))
    state.update(ar=ar, out_ar=out_ar)
    return rows


def pack_rows(seed: int, *, written: int, genuine: int, months: tuple[str, ...] = ("2026-03", "2026-04"),
              ) -> tuple[list[dict[str, Any]], set[str], set[str]]:
    """Timesheet rows of ``written`` software-written and ``genuine`` genuine workers over ``months``:
    (rows, written worker ids, genuine worker ids)."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    w_ids = {f"W{i:03d}" for i in range(written)}
    g_ids = {f"G{i:03d}" for i in range(genuine)}
    for w in sorted(w_ids):
        for m in months:
            rows += written_month(rng, w, m)
    for g in sorted(g_ids):
        state: dict = {}
        for m in months:
            rows += genuine_month(rng, g, m, state=state)
    return rows, w_ids, g_ids
