"""Small datasets for rule tests, built through the real grid → table path from plain rows whose
keys are canonical field names (every canonical name is also a header synonym)."""
from __future__ import annotations

from typing import Any

from extractors.grid import build_table

from extractors.types import Grid, Table
from extractors.headers import HeaderMapper
from validators.dataset.dataset import Dataset
from preaudit.core.packs import load_packs, resolve


def table(rows: list[dict[str, Any]], name: str = "doc.csv") -> Table:
    headers = list(dict.fromkeys(k for r in rows for k in r))
    grid = Grid([headers] + [[r.get(h) for h in headers] for r in rows],
                list(range(1, len(rows) + 2)), spreadsheet=True)
    result = build_table(grid, HeaderMapper(), document=name, sha256="0" * 64)
    assert isinstance(result, Table), result
    return result


def dataset(*, roster=None, timesheet=None, payroll=None, gate=None, licenses=None, seals=None,
            inspections=None, visitors=None, access=None, jurisdiction="CN-SH", standards=("sa8000",),
            overrides=None, profile=None) -> Dataset:
    tables = []
    for name, rows in (("roster.csv", roster), ("time.csv", timesheet), ("pay.csv", payroll),
                       ("gate.csv", gate), ("licenses.csv", licenses), ("seals.csv", seals),
                       ("inspections.csv", inspections), ("visitors.csv", visitors), ("canteen.csv", access)):
        if rows:
            tables.append(table(rows, name))
    context = resolve(jurisdiction, list(standards), overrides or {}, load_packs())
    return Dataset.build(tables, context, profile=profile)


def profile(**changes):
    import datetime as dt

    from preaudit.core.profile import Profile

    base = dict(factory_id="F1", jurisdiction="CN-SH", audit_date=dt.date(2026, 6, 15),
                period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 5, 31),
                legal_name="Shanghai Example Garments Co., Ltd.", legal_name_local="上海示例服装有限公司",
                uscc="914403001922038216", required_licenses=["business_license", "fire_safety"])
    return Profile(**{**base, **changes})


def day(worker: str, date: str, *pairs: str, brk: int | None = None) -> dict[str, Any]:
    """day("E1", "2026-03-02", "08:00-12:00", "13:00-17:00")"""
    row: dict[str, Any] = {"worker_id": worker, "date": date}
    for k, pair in enumerate(pairs, 1):
        row[f"in{k}"], row[f"out{k}"] = pair.split("-")
    if brk is not None:
        row["break_minutes"] = brk
    return row


def week(worker: str, monday: str, pairs: tuple[str, ...] = ("08:00-12:00", "13:00-17:00"),
         days: int = 5) -> list[dict[str, Any]]:
    import datetime as dt

    start = dt.date.fromisoformat(monday)
    return [day(worker, (start + dt.timedelta(days=k)).isoformat(), *pairs) for k in range(days)]
