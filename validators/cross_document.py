"""Rules that compare documents with each other: payroll against time records, both against
the roster."""
from __future__ import annotations

from validators.base import Hit, Rule, month_period, worker_subject
from preaudit.dataset import Dataset
from preaudit.model import Kind

HOURS_TOLERANCE_MIN, HOURS_TOLERANCE_SHARE = 2.0, 0.05  # SPEC §3: max(2 h, 5 %)
SPEC_SOURCE = "preaudit SPEC §3 (payroll vs time records, tolerance max(2 h, 5 %))"


def find_hours_mismatch(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        with t as (select worker_id, month, sum(hours) as time_hours, flatten(list(recs)) as recs
                   from days group by worker_id, month),
        p as (select worker_id, period as month,
                     sum(coalesce(regular_hours, 0) + coalesce(ot_hours_weekday, 0)
                         + coalesce(ot_hours_restday, 0) + coalesce(ot_hours_holiday, 0)) as pay_hours,
                     list(_rec) as recs
              from payroll
              where period is not null and (regular_hours is not null or ot_hours_weekday is not null
                    or ot_hours_restday is not null or ot_hours_holiday is not null)
              group by worker_id, period)
        select t.worker_id, t.month, t.time_hours, p.pay_hours,
               round(abs(p.pay_hours - t.time_hours), 2) as measured,
               round(greatest({HOURS_TOLERANCE_MIN}, {HOURS_TOLERANCE_SHARE} * t.time_hours), 2) as lim,
               p.recs || t.recs as recs
        from t join p on p.worker_id = t.worker_id and p.month = t.month
        -- hundredths of an hour: float noise must not push a difference on the tolerance over it
        where round(abs(p.pay_hours - t.time_hours), 2)
              > round(greatest({HOURS_TOLERANCE_MIN}, {HOURS_TOLERANCE_SHARE} * t.time_hours), 2)""")
    return [Hit(worker_subject(r["worker_id"]), month_period(r["month"]), r["measured"], r["lim"],
                [SPEC_SOURCE], list(r["recs"]),
                {"month": r["month"], "time": r["time_hours"], "pay": r["pay_hours"]}) for r in rows]


def find_worker_unknown(ds: Dataset) -> list[Hit]:
    if ds.tables[Kind.ROSTER].is_empty():
        return []  # no roster in the pack: DQ, not one finding per worker
    rows = ds.sql("""
        with seen as (select worker_id, _rec, 'time records' as src from timesheet
                      union all select worker_id, _rec, 'payroll' as src from payroll)
        select s.worker_id, list(s._rec order by s._rec) as recs, list(distinct s.src) as found_in
        from seen s anti join roster r on r.worker_id = s.worker_id
        where s.worker_id is not null group by s.worker_id""")
    return [Hit(worker_subject(r["worker_id"]), None, None, None,
                ["preaudit SPEC §3 (every worker on the roster)"], list(r["recs"]),
                {"found_in": sorted(r["found_in"])}) for r in rows]


RULES = [
    Rule("XDOC-HOURS-MISMATCH", "cross_document", "major", "hours",
         "payroll hours differ from time-record hours for the month by more than max(2 h, 5 %)",
         (), {Kind.PAYROLL: ("period", "regular_hours", "ot_hours_weekday", "ot_hours_restday",
                             "ot_hours_holiday"),
              Kind.TIMESHEET: ("date", "punches", "in1", "out1", "in2", "out2", "in3",
                                 "out3")},
         find_hours_mismatch,
         lambda h: f"{h.subject['worker_id']} payroll for {h.values['month']} pays "
                   f"{h.values['pay']:g} h but the time records show {h.values['time']:g} h "
                   f"(difference {h.measured:g} h, tolerance {h.limit:g} h)"),
    Rule("XDOC-WORKER-UNKNOWN", "cross_document", "major", None,
         "a worker_id in payroll or time records that is not on the roster", (),
         {Kind.PAYROLL: ("worker_id", "name", "period"), Kind.TIMESHEET: ("worker_id", "name", "date")},
         find_worker_unknown,
         lambda h: f"{h.subject['worker_id']} appears in the {' and '.join(h.values['found_in'])} "
                   f"but not on the roster"),
]
