"""Independent sources disagree: records the attendance software does not write place a worker in
the factory on a day its time records give as rest. A worker producing output on a day with no time
record, in a month the time records cover, is the strongest signal there is (gate events against
punches: XDOC-GATE-TIMESHEET)."""
from __future__ import annotations

from validators.dataset.dataset import Dataset
from preaudit.core.model import Kind
from validators.base import CITED, Hit, period, rule, worker_subject
from validators.rests_on import RestsOn
from validators.working_time import TIME_FIELDS

OUTPUT_FIELDS = {Kind.PRODUCTION_OUTPUT: ("worker_id", "date", "quantity", "ticket_no"), **TIME_FIELDS}


@rule("INT-OUTPUT-ON-REST", category="integrity", severity="critical", unit="pieces",
      summary="production output (piece-rate tickets, line output) recorded for a worker on a day the time "
              "records, which cover the worker's month, give no work",
      readings="statistic: output quantity > 0 for a worker-day with no worked day in the time records while the "
               "worker has time records that month; threshold: any such day (the records disagree outright)",
      evidence=OUTPUT_FIELDS,
      rests_on=RestsOn((Kind.TIMESHEET,), what="no time record that day"),
      message=lambda h: f"{h.subject['worker_id']} has {h.measured:g} pieces of output on {h.values['date']} "
                        f"({h.values['tickets']}), a day the time records give no work: ask for the production "
                        f"tickets and the terminal's raw log of that day")
def find_output_on_rest(ds: Dataset) -> list[Hit]:
    rows = ds.sql("""
        with out as (select worker_id, date, sum(quantity) as qty, list(_rec) as recs,
                            string_agg(distinct coalesce(ticket_no, _doc), ', ') as tickets
                     from production_output where worker_id is not null and date is not null and quantity > 0
                     group by worker_id, date)
        select o.* from out o
        where exists (select 1 from days d where d.worker_id = o.worker_id and d.month = strftime(o.date, '%Y-%m'))
          and not exists (select 1 from days d where d.worker_id = o.worker_id and d.date = o.date)
        order by worker_id, date""")
    return [Hit(worker_subject(r["worker_id"]), period(r["date"]), r["qty"], 0, [CITED], list(r["recs"]),
                {**r, "date": r["date"].isoformat()}) for r in rows]
