"""Record-integrity signals: the shapes double books and fabricated records take."""
from __future__ import annotations

from validators.dataset.dataset import Dataset
from preaudit.core.model import Kind
from validators.base import CITED, Hit, month_period, names, period, rule, worker_subject
from validators.sql import month_start, ot_hours, param_at
from validators.working_time import TIME_FIELDS

MIN_DAYS = 10  # SPEC §3: a worker-month of at least 10 worked days
MAX_DISTINCT_MINUTES = 2


@rule("INT-DUPLICATE-ID", category="integrity", severity="critical", unit="workers",
      summary="one national_id used by two or more worker_ids",
      evidence={Kind.ROSTER: ("worker_id", "name", "national_id")},
      message=lambda h: f"{h.subject['worker_id']} shares its national ID with {names(h.values['others'])} "
                        f"(ID borrowing hides under-age workers)")
def find_duplicate_id(ds: Dataset) -> list[Hit]:
    rows = ds.sql("""
        with ids as (select national_id, worker_id, _rec from roster
                     where national_id is not null and worker_id is not null),
        shared as (select national_id, list(distinct worker_id order by worker_id) as workers
                   from ids group by national_id having count(distinct worker_id) >= 2)
        select i.worker_id, s.national_id, any_value(s.workers) as workers,
               (select list(j._rec) from ids j where j.national_id = s.national_id) as recs
        from ids i join shared s on s.national_id = i.national_id
        group by i.worker_id, s.national_id""")
    return [Hit(worker_subject(r["worker_id"]), None, len(r["workers"]), 1, [CITED],
                list(r["recs"]), {"others": [w for w in r["workers"] if w != r["worker_id"]]}) for r in rows]


#: a rule of this module firing for more than this share of a month's workers (and more than
#: GROUP_PER_WORKER of them) is a systemic pattern: one finding for the month, with its members
PATTERN_SHARE = 0.5


def _uniform_message(h: Hit) -> str:
    v = h.values
    if v.get("members") is None:
        return (f"{h.subject['worker_id']} clocked in at {v['ins']} and out at {v['outs']} distinct minute(s) over "
                f"{v['days']} worked days in {v['month']}: records this regular are rarely punched by people")
    return (f"{len(v['members'])} of {v['workers']} workers clocked in and out at no more than "
            f"{MAX_DISTINCT_MINUTES} distinct minutes each over at least {MIN_DAYS} worked days in {v['month']}: "
            f"{names(v['members'])} (every member is listed once, in this finding's members): a systemic "
            f"pattern — records this regular are rarely punched by people")


@rule("INT-UNIFORM-PUNCHES", category="integrity", severity="major", unit="days",
      summary="a worker-month of ≥ 10 worked days with ≤ 2 distinct clock-in and ≤ 2 distinct clock-out minutes; "
              "for most of a month's workers, one finding with its members",
      evidence=TIME_FIELDS, message=_uniform_message)
def find_uniform_punches(ds: Dataset) -> list[Hit]:
    rows = ds.sql(f"""
        with m as (select worker_id, month, count(*) as days, count(distinct first_in) as ins,
                   count(distinct last_out) as outs, flatten(list(recs)) as recs
            from days where first_in is not null and last_out is not null group by worker_id, month),
        w as (select month, count(distinct worker_id) as workers from days group by month)
        select m.*, w.workers from m join w using (month)
        where days >= {MIN_DAYS} and ins <= {MAX_DISTINCT_MINUTES} and outs <= {MAX_DISTINCT_MINUTES}
        order by month, worker_id""")
    by_month: dict[str, list[dict]] = {}
    for r in rows:
        by_month.setdefault(r["month"], []).append(r)
    hits = []
    for month, group in by_month.items():
        workers = group[0]["workers"]
        if len(group) > GROUP_PER_WORKER and len(group) > PATTERN_SHARE * workers:
            members = [r["worker_id"] for r in group]
            hits.append(Hit({"worker_group": f"{members[0]} and {len(members) - 1} more"}, month_period(month),
                            min(r["days"] for r in group), MIN_DAYS, [CITED],
                            [rec for r in group[:3] for rec in r["recs"]],
                            {"month": month, "members": members, "workers": workers}, members=members))
            continue
        hits += [Hit(worker_subject(r["worker_id"]), month_period(month), r["days"], MIN_DAYS,
                     [CITED], list(r["recs"]), r) for r in group]
    return hits


#: a group of workers with identical records up to this size is one finding per worker, naming the
#: others; a larger group is a pattern: one finding for the group, its members listed once in it
GROUP_PER_WORKER = 5


def _identical_message(h: Hit) -> str:
    v = h.values
    if v.get("members") is None:
        return (f"{h.subject['worker_id']} has the same punch times as {names(v['others'])} "
                f"on all {h.measured:g} worked days of {v['month']}")
    return (f"{len(v['members'])} workers have the same punch times on all {h.measured:g} worked days of "
            f"{v['month']}: {names(v['members'])} (every member is listed once, in this finding's members): "
            f"one template, not people clocking in")


@rule("INT-IDENTICAL-RECORDS", category="integrity", severity="major", unit="days",
      summary="two workers with the same punch times on every day of a month (≥ 10 days); a group of more "
              f"than {GROUP_PER_WORKER} is one finding with its members",
      evidence=TIME_FIELDS, message=_identical_message)
def find_identical_records(ds: Dataset) -> list[Hit]:
    """Per worker for a pair or a small group; a larger group (a template) is one finding whose
    evidence is its first members' records and whose members are all listed, once: the output grows
    with the workers, never with their square (issue 27, item 3)."""
    rows = ds.sql(f"""
        with sig as (
            select worker_id, month, count(*) as days, flatten(list(recs)) as recs,
                   md5(string_agg(strftime(date, '%Y-%m-%d') || '=' || punch_times, ';' order by date)) as s
            from days where first_in is not null group by worker_id, month
            having count(*) >= {MIN_DAYS})
        select month, s, any_value(days) as days, list(worker_id order by worker_id) as workers,
               list(recs order by worker_id) as recs
        from sig group by month, s having count(*) >= 2 order by month, workers[1]""")
    hits = []
    for r in rows:
        workers = r["workers"]
        if len(workers) <= GROUP_PER_WORKER:
            hits += [Hit(worker_subject(w), month_period(r["month"]), r["days"], MIN_DAYS, [CITED], list(recs),
                         {"month": r["month"], "others": [o for o in workers if o != w]})
                     for w, recs in zip(workers, r["recs"])]
            continue
        cited = [rec for recs in r["recs"][:3] for rec in recs]  # the first members' records
        hits.append(Hit({"worker_group": f"{workers[0]} and {len(workers) - 1} more"}, month_period(r["month"]),
                        r["days"], MIN_DAYS, [CITED], cited,
                        {"month": r["month"], "members": list(workers)}, members=list(workers)))
    return hits


@rule("INT-OT-AT-CAP", category="integrity", severity="minor", unit="months",
      summary="overtime exactly at the monthly cap in every month (3 or more): a double-book signal",
      params=("max_monthly_ot_hours",),
      evidence={Kind.PAYROLL: ("period", "ot_hours_weekday", "ot_hours_restday", "ot_hours_holiday")},
      message=lambda h: f"{h.subject['worker_id']} is paid exactly {h.limit:g} h of overtime, the legal cap, in each "
                        f"of {h.measured:g} months ({h.values['first']} to {h.values['last']}): check the time "
                        f"records behind it")
def find_ot_at_cap(ds: Dataset) -> list[Hit]:
    """Not in the SPEC catalogue: overtime recorded exactly at the monthly cap in every month
    (at least 3), the pattern of records built "to show compliance" (reference note (c) 4)."""
    rows = ds.sql(f"""
        with monthly as (
            select pr.worker_id, pr.period,
                   sum({ot_hours('pr')}) as ot, list(pr._rec) as recs
            from payroll pr where pr.period is not null group by pr.worker_id, pr.period),
        capped as (
            select m.*, p.value as cap, p.source
            from monthly m {param_at('p', 'max_monthly_ot_hours', month_start('m.period'))})
        select worker_id, min(period) as first, max(period) as last, count(*) as months,
               any_value(cap) as cap, any_value(source) as source, flatten(list(recs)) as recs
        from capped group by worker_id
        having count(*) >= 3 and bool_and(abs(ot - cap) < 0.005)""")
    return [Hit(worker_subject(r["worker_id"]), period(month_period(r["first"])["start"], month_period(r["last"])["end"]),
                r["months"], r["cap"], [r["source"], CITED],
                list(r["recs"]), r) for r in rows]


PAY_COMPARED = ("base_pay", "ot_pay", "gross_pay", "net_pay", "regular_hours", "ot_hours_weekday",
                "ot_hours_restday", "ot_hours_holiday")


@rule("INT-DOUBLE-BOOK", category="integrity", severity="major",
      summary="the same worker-day (or worker-month of pay) given differently by two documents",
      evidence={**TIME_FIELDS, Kind.PAYROLL: ("period", *PAY_COMPARED)},
      message=lambda h: f"{h.subject['worker_id']}'s {h.values['what']} for {h.values['on']} is given differently "
                        f"by two documents: {h.values['readings']}")
def find_double_book(ds: Dataset) -> list[Hit]:
    """The same worker-day (time records) or worker-month (payroll) given differently by two
    documents: a second set of books, or one of them misread; both readings are the evidence."""
    hits = [Hit(worker_subject(r["worker_id"]), period(r["date"]), max(r["hours"]) - min(r["hours"]), 0,
                [CITED], list(r["recs"]),
                {"what": "hours", "on": r["date"].isoformat(),
                 "readings": ", ".join(f"{h:g} h in {d}" for d, h in zip(r["_doc"], r["hours"]))})
            for r in ds.double_books.iter_rows(named=True)]
    compared = " || '|' || ".join(f"coalesce(cast(round({c}, 2) as varchar), '-')" for c in PAY_COMPARED)
    rows = ds.sql(f"""
        with lines as (select worker_id, period, _doc, _rec, {compared} as fingerprint,
                              coalesce(net_pay, gross_pay, base_pay) as amount
                       from payroll where worker_id is not null and period is not null),
        per_doc as (select worker_id, period, _doc, list(_rec) as recs, min(fingerprint) as fingerprint,
                           max(amount) as amount from lines group by worker_id, period, _doc)
        select worker_id, period, list(_doc order by _doc) as docs, list(amount order by _doc) as amounts,
               flatten(list(recs)) as recs
        from per_doc group by worker_id, period
        having count(*) > 1 and count(distinct fingerprint) > 1""")
    hits += [Hit(worker_subject(r["worker_id"]), month_period(r["period"]),
                 None if None in r["amounts"] else max(r["amounts"]) - min(r["amounts"]), 0,
                 [CITED], list(r["recs"]),
                 {"what": "pay", "on": r["period"],
                  "readings": ", ".join(f"{a:g} in {d}" if a is not None else f"a line in {d}"
                                        for d, a in zip(r["docs"], r["amounts"]))}) for r in rows]
    return hits
