"""What the rule tests share: run one rule over hand-built tables, and the keys of its findings."""
from __future__ import annotations

import datetime as dt

from validators.dataset.calendar import day_types
from tests.support.builders import dataset, day
from validators import RULES_BY_ID

PAIRS_8H = ("08:00-12:00", "13:00-17:00")


def run(rule_id: str, **tables):
    return RULES_BY_ID[rule_id].run(dataset(**tables), None)


def worker_keys(findings):
    """(worker, period start) in the rule's order."""
    return [(f.subject.get("worker_id"), (f.period or {}).get("start")) for f in findings]


def subject_keys(findings):
    """(the subject's one value, period start), sorted: for rules whose subject is not a worker."""
    return sorted((next(iter(f.subject.values())), (f.period or {}).get("start")) for f in findings)


def pay(worker, period="2026-03", **values):
    return {"worker_id": worker, "period": period, **values}


def march_days(worker: str, ot_days: int, pairs_ot=("08:00-12:00", "13:00-19:00")):
    """A worker's March 2026 working days (CN calendar), 8 h each, the first ``ot_days`` longer."""
    dates = [dt.date(2026, 3, d) for d in range(1, 32)]
    types = day_types(dates, "CN", [5, 6])
    workdays = [d for d in dates if types[d] == "weekday"]
    return [day(worker, d.isoformat(), *(pairs_ot if k < ot_days else PAIRS_8H)) for k, d in enumerate(workdays)]


def certain(found):
    """The findings proper: what every reading of the records agrees on."""
    return [f for f in found if not f.possible]


def possible(found):
    """The possible items: what holds only under some readings (the review queue)."""
    return [f for f in found if f.possible]
