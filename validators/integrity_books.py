"""Two books: a month copied from another with its dates shifted, a worker's records that are
another worker's plus a constant. (The same worker-day or worker-month given differently by two
documents is INT-DOUBLE-BOOK; punch for punch the same as another worker, INT-IDENTICAL-RECORDS.)"""
from __future__ import annotations

from validators.dataset.dataset import Dataset
from validators.base import CITED, Hit, month_period, rule, worker_subject
from validators.working_time import TIME_FIELDS

#: preaudit's own: at least this many days in common, and at least this many distinct clock-in
#: minutes among them (a fixed timetable is INT-UNIFORM-PUNCHES, not a copy)
MIN_DAYS, MIN_DISTINCT = 10, 5


@rule("INT-PLUS-CONSTANT", category="integrity", severity="major", unit="days",
      summary=f"a worker whose clock-in and clock-out on every common day (≥ {MIN_DAYS}) are another worker's "
              f"plus the same minutes",
      readings=f"statistic: the differences of two workers' first clock-in and last clock-out over their common "
               f"days of a month; threshold: one difference each on all of ≥ {MIN_DAYS} days with ≥ {MIN_DISTINCT} "
               f"distinct clock-in minutes, not both zero (that is INT-IDENTICAL-RECORDS); preaudit's own",
      evidence=TIME_FIELDS,
      message=lambda h: f"{h.subject['worker_id']}'s clock-in and clock-out on all {h.measured:g} common days of "
                        f"{h.values['month']} are {h.values['other']}'s plus {h.values['d_in']:+d} and "
                        f"{h.values['d_out']:+d} minutes: ask how the two workers' times were recorded (the "
                        f"terminal's raw log)")
def find_plus_constant(ds: Dataset) -> list[Hit]:
    # Comparing every worker with every other on every day is quadratic (4,000 workers: hours).
    # Only worker-months that could qualify are compared (≥ MIN_DAYS days, ≥ MIN_DISTINCT clock-in
    # minutes: a templated timetable never does), and only pairs that share a step — the same two
    # dates a worked day or two apart with the same change of clock-in and clock-out between them,
    # which a worker plus a constant shares with its original on every such step; the exact test
    # then runs on those pairs alone.
    rows = ds.sql(f"""
        with d0 as (select worker_id, month, date, first_in, last_out, recs from days
                    where first_in is not null and last_out is not null),
        months as (select worker_id, month, count(*) as n from d0 group by worker_id, month
                   having count(*) >= {MIN_DAYS} and count(distinct first_in) >= {MIN_DISTINCT}),
        d as (select d0.* from d0 join months using (worker_id, month)),
        seq as (select *, row_number() over (partition by worker_id, month order by date) as k from d),
        steps as (select a.worker_id, a.month, a.date as d1, b.date as d2, b.first_in - a.first_in as s_in,
                         b.last_out - a.last_out as s_out
                  from seq a join seq b on a.worker_id = b.worker_id and a.month = b.month
                                       and b.k in (a.k + 1, a.k + 2)),
        candidates as (select distinct a.worker_id, b.worker_id as other, a.month
                       from steps a join steps b on a.d1 = b.d1 and a.d2 = b.d2 and a.s_in = b.s_in
                                                and a.s_out = b.s_out and a.worker_id <> b.worker_id),
        pairs as (select c.worker_id, c.other, c.month, count(*) as days,
                         min(a.first_in - b.first_in) as d_in, max(a.first_in - b.first_in) as d_in_max,
                         min(a.last_out - b.last_out) as d_out, max(a.last_out - b.last_out) as d_out_max,
                         count(distinct a.first_in) as distinct_in, flatten(list(a.recs || b.recs)) as recs
                  from candidates c join d a on a.worker_id = c.worker_id and a.month = c.month
                                    join d b on b.worker_id = c.other and b.date = a.date
                  group by c.worker_id, c.other, c.month)
        select pairs.* from pairs join months m on m.worker_id = pairs.worker_id and m.month = pairs.month
        where days >= {MIN_DAYS} and distinct_in >= {MIN_DISTINCT} and d_in = d_in_max and d_out = d_out_max
          and not (d_in = 0 and d_out = 0) and days * 2 >= m.n
        order by worker_id, month""")
    return [Hit(worker_subject(r["worker_id"]), month_period(r["month"]), r["days"], MIN_DAYS, [CITED],
                list(r["recs"]), {**r, "d_in": int(r["d_in"]), "d_out": int(r["d_out"])}) for r in rows]


@rule("INT-COPIED-MONTH", category="integrity", severity="major", unit="days",
      summary=f"a worker-month whose punches, day after day, are those of another month (≥ {MIN_DAYS} days) "
              f"with the dates shifted",
      readings=f"statistic: the sequence of a worker-month's punch times over its worked days in date order, "
               f"compared with every other worker-month's; threshold: the same sequence over ≥ {MIN_DAYS} days "
               f"with ≥ {MIN_DISTINCT} distinct clock-in minutes; preaudit's own",
      evidence=TIME_FIELDS,
      message=lambda h: f"{h.subject['worker_id']}'s punches in {h.values['month']} repeat, day after day for "
                        f"{h.measured:g} days, those of {h.values['copy_of']}: a month copied with its dates "
                        f"shifted; ask for the terminal's raw log of both months")
def find_copied_month(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        with sig as (select worker_id, month, count(*) as days, count(distinct first_in) as distinct_in,
                            string_agg(punch_times, ';' order by date) as s, flatten(list(recs)) as recs
                     from days where first_in is not null group by worker_id, month
                     having count(*) >= {MIN_DAYS} and count(distinct first_in) >= {MIN_DISTINCT})
        select a.worker_id, a.month, a.days, a.recs || any_value(b.recs) as recs,
               string_agg(distinct b.worker_id || ' ' || b.month, ', ') as copy_of
        from sig a join sig b on a.s = b.s and a.month <> b.month
        group by a.worker_id, a.month, a.days, a.recs order by a.worker_id, a.month""")
    return [Hit(worker_subject(r["worker_id"]), month_period(r["month"]), r["days"], MIN_DAYS, [CITED],
                list(r["recs"]), r) for r in rows]
