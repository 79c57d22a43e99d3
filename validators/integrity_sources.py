"""Independent sources disagree: records the attendance software does not write place a worker in
the factory on a day its time records give as rest. A worker producing output on a day with no time
record, in a month the time records cover, is the strongest signal there is (gate events against
punches: XDOC-GATE-TIMESHEET)."""
from __future__ import annotations

from validators.dataset.dataset import Dataset
from preaudit.core.model import PAIRS, Kind
from validators.base import CITED, Hit, month_period, names, period, rule, worker_subject
from validators.places import CANTEEN_WORDS, DORMITORY_WORDS
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
    rows = ds.sql(f"""
        with out as (select worker_id, date, sum(quantity) as qty, list(_rec) as recs,
                            string_agg(distinct coalesce(ticket_no, _doc), ', ') as tickets
                     from production_output where worker_id is not null and date is not null and quantity > 0
                     group by worker_id, date)
        select o.* from out o
        where exists (select 1 from days d where d.worker_id = o.worker_id and d.month = strftime(o.date, '%Y-%m'))
          and not exists (select 1 from days d where d.worker_id = o.worker_id and d.date = o.date)
          -- a lone tap (a forgotten clock-out) places the worker at work that day: not a day off
          and not exists (select 1 from timesheet t where t.worker_id = o.worker_id and t.date = o.date
                          and coalesce({', '.join(f'in{i}, out{i}' for i in PAIRS)}) is not null)
        order by worker_id, date""")
    return [Hit(worker_subject(r["worker_id"]), period(r["date"]), r["qty"], 0, [CITED], list(r["recs"]),
                {**r, "date": r["date"].isoformat()}) for r in rows]


# ---------------------------------------------------------------- canteen and dormitory swipes

#: preaudit's own: one meal on a day off is ordinary life; a worker's canteen meals on at least this
#: many days of a month the time records give no work are worth a question
MIN_REST_MEAL_DAYS = 2
#: preaudit's own: where most of the month's canteen users (and at least this many) eat on days
#: their time records give no work, it is the dormitory's life or a working day hidden site-wide: one
#: item for the month, with its members, not one per worker
MOST_USERS, AT_LEAST_USERS = 0.5, 5

ACCESS_FIELDS = {Kind.ACCESS_LOG: ("worker_id", "timestamp", "date", "time", "place", "meal", "amount"),
                 **TIME_FIELDS}


def _meals_message(h: Hit) -> str:
    v = h.values
    if h.members is not None:
        return (f"in {v['month']}, {len(h.members)} of {v['users']} workers who eat at the canteen have canteen "
                f"swipes on days their time records give no work ({names(h.members)}; every member is listed "
                f"in this item's members): the dormitory's residents eating on their days off, or days worked "
                f"that the time records do not show; ask for the canteen system's export and the terminal's raw "
                f"log of those days")
    return (f"{h.subject['worker_id']} has canteen swipes on {v['days']} days of {v['month']} the time records "
            f"give no work ({v['when']}): a worker who lives in the dormitory eats there on days off too, so "
            f"this alone shows presence, not work; ask for the canteen system's export and the terminal's raw "
            f"log of those days")


@rule("INT-PRESENT-ON-REST", category="integrity", severity="minor", unit="days",
      summary=f"canteen swipes (the canteen system's export) on ≥ {MIN_REST_MEAL_DAYS} days of a month the "
              f"worker's time records, which cover the month, give no work; a question, never a finding",
      readings=f"statistic: per worker-month, the days with a canteen swipe (a point named as a canteen, or a "
               f"meal or an amount charged) and no worked day in the time records, the worker having time "
               f"records that month and none that day (a lone tap, a forgotten clock-out, places them there "
               f"too); threshold ≥ {MIN_REST_MEAL_DAYS} such days, preaudit's own. Dormitory swipes "
               f"are never counted (workers live there), nor swipes at a point that names neither. A possible "
               f"item only: a dormitory resident eats at the canteen on days off, so a meal shows presence at "
               f"the site, not work (production output on such a day is INT-OUTPUT-ON-REST, a finding). Where "
               f"most of a month's canteen users (> {MOST_USERS:.0%}, ≥ {AT_LEAST_USERS}) show it, one item for "
               f"the month",
      evidence=ACCESS_FIELDS,
      rests_on=RestsOn((Kind.TIMESHEET,), what="no time record that day"),
      message=_meals_message)
def find_present_on_rest(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        with canteen as (
            select worker_id, timestamp, _rec from access_log
            where worker_id is not null and timestamp is not null
              and not regexp_matches(coalesce(place, ''), '(?i){DORMITORY_WORDS}')
              and (meal is not null or coalesce(amount, 0) > 0
                   or regexp_matches(coalesce(place, ''), '(?i){CANTEEN_WORDS}'))),
        meals as (select worker_id, cast(timestamp as date) as date, strftime(timestamp, '%Y-%m') as month,
                         string_agg(strftime(timestamp, '%H:%M'), ' ' order by timestamp) as times,
                         list(_rec) as recs
                  from canteen group by worker_id, cast(timestamp as date), strftime(timestamp, '%Y-%m')),
        timed as (select distinct worker_id, month from days),
        off as (select m.* from meals m join timed t on t.worker_id = m.worker_id and t.month = m.month
                where not exists (select 1 from days d where d.worker_id = m.worker_id and d.date = m.date)
                  -- a day with a tap but no pair (a forgotten clock-out) is a day the records place the worker in
                  and not exists (select 1 from timesheet t where t.worker_id = m.worker_id and t.date = m.date
                                  and coalesce({' , '.join(f'in{i}, out{i}' for i in PAIRS)}) is not null))
        select o.worker_id, o.month, count(*) as days, flatten(list(o.recs order by o.date)) as recs,
               string_agg(strftime(o.date, '%m-%d') || ' ' || o.times, ', ' order by o.date) as "when",
               (select count(distinct c.worker_id) from canteen c
                where strftime(c.timestamp, '%Y-%m') = o.month) as users
        from off o group by o.worker_id, o.month having count(*) >= {MIN_REST_MEAL_DAYS}
        order by o.worker_id, o.month""")
    by_month: dict[str, list[dict]] = {}
    for r in rows:
        by_month.setdefault(r["month"], []).append(r)
    hits = []
    for month, group in sorted(by_month.items()):
        users = group[0]["users"]
        if len(group) >= AT_LEAST_USERS and len(group) > MOST_USERS * users:
            members = [r["worker_id"] for r in group]
            hits.append(Hit({"month": month}, month_period(month), len(members), None, [CITED],
                            [rec for r in group for rec in r["recs"]][:200], {"month": month, "users": users},
                            members=members,
                            possible="canteen meals on days off for most canteen users: the dormitory's "
                                     "residents, or days worked the time records do not show; the canteen "
                                     "system's export beside the terminal's raw log decides"))
            continue
        hits += [Hit(worker_subject(r["worker_id"]), month_period(month), r["days"], MIN_REST_MEAL_DAYS, [CITED],
                     list(r["recs"]), r,
                     possible=f"canteen meals on {r['days']} days with no time record: presence at the site, "
                              f"not proof of work; the canteen export and the terminal's raw log decide")
                 for r in group]
    return hits
