"""Age rules. Age comes from birth_date, or from the national ID's birth date where it is absent."""
from __future__ import annotations

from validators.base import Hit, Rule, period, worker_subject
from preaudit.dataset import Dataset
from preaudit.model import Kind

#: SQL for each roster worker's birth date and where it came from (GB 11643: ID digits 7-14)
BIRTH_DATES = """
    select worker_id, _rec,
           coalesce(birth_date, try_strptime(substr(national_id, 7, 8), '%Y%m%d')::date) as born,
           birth_date is null as from_id
    from roster where worker_id is not null"""

#: every day a worker has a record: worked days, and for pay months without time records the
#: first and last day of the pay month
RECORD_DAYS = """
    select worker_id, date as day, recs from days
    union all by name
    select worker_id, unnest([m_start, last_day(m_start)]) as day, [_rec] as recs
    from (select pr.worker_id, pr._rec, strptime(pr.period || '-01', '%Y-%m-%d')::date as m_start
          from payroll pr anti join days d on d.worker_id = pr.worker_id and d.month = pr.period
          where pr.period is not null and pr.worker_id is not null)"""


def find_child_labor(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        with people as ({BIRTH_DATES}), record_days as ({RECORD_DAYS}),
        child as (
            select rd.worker_id, rd.day, rd.recs, pe.born, pe.from_id, pe._rec as roster_rec,
                   p.value as lim, p.source
            from record_days rd join people pe on pe.worker_id = rd.worker_id
            join params p on p.name = 'minimum_age' and rd.day between p.valid_from and p.valid_to
            where pe.born is not null and rd.day < pe.born + to_years(cast(p.value as integer)))
        select worker_id, min(day) as first_day, max(day) as last_day, any_value(born) as born,
               bool_or(from_id) as from_id, max(lim) as lim, any_value(source) as source,
               date_sub('year', any_value(born), min(day)) as measured,
               list_distinct(flatten(list(recs)) || list(roster_rec)) as recs
        from child group by worker_id""")
    return [Hit(worker_subject(r["worker_id"]), period(r["first_day"], r["last_day"]), r["measured"],
                r["lim"], [r["source"]], list(r["recs"]),
                {"born": r["born"], "from_id": r["from_id"]}) for r in rows]


RULES = [
    Rule("LAB-CHILD-LABOR", "age", "critical", "years",
         "a worker below the minimum working age on a day with time or pay records",
         ("minimum_age",),
         {Kind.ROSTER: ("worker_id", "name", "birth_date", "national_id"),
          Kind.TIMESHEET: ("date", "punches", "in1", "out1"), Kind.PAYROLL: ("period", "base_pay")},
         find_child_labor,
         lambda h: f"{h.subject['worker_id']} (born {h.values['born']}"
                   f"{', by the national ID' if h.values['from_id'] else ''}) was {h.measured:g} "
                   f"on {h.period['start']} and has time or pay records until {h.period['end']} "
                   f"(minimum age {h.limit:g}, {h.sources[0]})"),
]
