"""XDOC-PAID-NO-TIME: a worker paid for hours worked in a month with no time record of theirs,
in a month the time records otherwise cover: a name on the payroll the attendance never saw
(reference note (c) 8, headcount mismatches; the share below is ours).

The rule, its message and its evidence are this one declaration; its citation is in
rules/preaudit.yaml."""
from __future__ import annotations

from validators.dataset.dataset import Dataset
from preaudit.core.model import Kind
from validators.base import Hit, month_period, period, rule, worker_subject
from validators.rests_on import PAID, RestsOn
from validators.sql import hours_paid

#: the time records must name at least this share of a month's paid workers before a missing
#: one is a finding: below it the export is partial (one department, one line), which is a
#: coverage question for the auditor, not a finding for every worker it leaves out
MIN_SHARE_WITH_TIME = 0.8


def _message(h: Hit) -> str:
    months = h.values["months"]
    one = len(months) == 1
    return (f"{h.subject['worker_id']} is paid for {h.measured:g} h worked in {', '.join(months)} but has no time "
            f"record in {'that month' if one else 'those months'}, while the time records name "
            f"{h.values['with_time']} of its {h.values['paid']} paid workers"
            + ("" if one else " (counted month by month)"))


def _per_worker(hits: list[Hit]) -> list[Hit]:
    """One finding per worker, not per month: a worker the attendance never sees (a manager who
    does not clock, an ID the time clock spells otherwise) is one question for the auditor, not
    twelve. The months are checked one by one first (rests_on)."""
    by_worker: dict[str, list[Hit]] = {}
    for hit in hits:
        by_worker.setdefault(hit.subject["worker_id"], []).append(hit)
    out = []
    for worker, group in by_worker.items():
        group.sort(key=lambda h: h.values["month"])
        months = [h.values["month"] for h in group]
        out.append(Hit(worker_subject(worker), period(month_period(months[0])["start"], month_period(months[-1])["end"]),
                       sum(h.measured for h in group), None, recs=[r for h in group for r in h.recs],
                       values={"months": months, "paid": sum(h.values["paid"] for h in group),
                               "with_time": sum(h.values["with_time"] for h in group)}))
    return out


@rule("XDOC-PAID-NO-TIME", category="cross_document", severity="major", unit="hours",
      summary="a worker paid for hours worked in months with no time record, where the time records name "
              "at least 80 % of each month's paid workers (one finding per worker, its months listed)",
      evidence={Kind.PAYROLL: ("worker_id", "name", "period", "regular_hours", "ot_hours_weekday",
                               "ot_hours_restday", "ot_hours_holiday", "gross_pay")},
      message=_message,
      rests_on=RestsOn((Kind.TIMESHEET,), among=PAID, most=round(1 - MIN_SHARE_WITH_TIME, 6), at_least=1),
      combine=_per_worker,
      readings="fires only for months whose time records were read completely and name at least 80 % of the "
               "month's paid workers: below that the export is partial (one department, one line), one "
               "DQ-COVERAGE for the month")
def find_paid_without_time(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        with paid as (
            select worker_id, period as month,
                   sum({hours_paid()}) as hours, list(_rec) as recs
            from payroll where worker_id is not null and period is not null group by worker_id, period
            having sum({hours_paid()}) > 0),
        timed as (select distinct worker_id, strftime(date, '%Y-%m') as month from timesheet
                  where worker_id is not null and date is not null),
        shares as (select p.month, count(*) as paid, count(t.worker_id) as with_time
                   from paid p left join timed t on t.worker_id = p.worker_id and t.month = p.month
                   group by p.month)
        select p.*, s.paid, s.with_time from paid p join shares s on s.month = p.month
        where not exists (select 1 from timed t where t.worker_id = p.worker_id and t.month = p.month)""")
    return [Hit(worker_subject(r["worker_id"]), month_period(r["month"]), r["hours"], None,
                recs=list(r["recs"]), values=r) for r in rows]
