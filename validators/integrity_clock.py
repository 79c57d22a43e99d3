"""A time clock is a machine: one terminal serves one person at a time.

A gate or attendance terminal verifies a card, a finger or a face in a second or two and the next
person steps up: real logs show queues, taps seconds apart, a bounded number per terminal per
minute. A log written by software shows dozens of taps on one terminal within the same minute, or
several in the same second.
"""
from __future__ import annotations

from validators.dataset.dataset import Dataset
from preaudit.core.model import Kind
from validators.base import CITED, Hit, month_period, period, rule

#: preaudit's own bound, not a vendor figure: a terminal that verifies in about a second and lets
#: the next person step up serves well under 30 a minute; more on one terminal in one minute is
#: more than a queue can give
MAX_PER_MINUTE = 30
#: two people cannot be verified by one terminal in the same second; three is a pattern
MAX_PER_SECOND = 2

GATE_FIELDS = {Kind.GATE_LOG: ("worker_id", "timestamp", "date", "time", "gate", "direction")}


def _message(h: Hit) -> str:
    v = h.values
    what = (f"{v['taps']} taps within the minute {v['minute']}" if v["by"] == "minute"
            else f"{v['taps']} taps in the same second {v['minute']}")
    return (f"terminal {v['gate']} records {what} (at most {h.limit:g} a {v['by']} for a terminal that serves "
            f"one person at a time): ask for the terminal's raw log with its device sequence numbers")


@rule("INT-TERMINAL-CROWD", category="integrity", severity="major", unit="taps",
      summary=f"more taps on one terminal within a minute than a queue can give (> {MAX_PER_MINUTE}), "
              f"or more than {MAX_PER_SECOND} in the same second",
      readings=f"statistic: taps per terminal (the log's gate column) per clock minute, and per second where the "
               f"log keeps seconds; threshold {MAX_PER_MINUTE} a minute and {MAX_PER_SECOND} a second, "
               f"preaudit's own (a terminal verifies one person at a time in about a second)",
      evidence=GATE_FIELDS, message=_message)
def find_terminal_crowd(ds: Dataset) -> list[Hit]:
    columns = ds.tables[Kind.GATE_LOG].columns
    raw = "coalesce(" + ", ".join([f'"raw:{c}"' for c in ("time", "timestamp") if f"raw:{c}" in columns] + ["''"]) + ")"
    rows = ds.sql(f"""
        with taps as (select coalesce(gate, '(one terminal)') as gate, timestamp, _rec,
                             -- the timestamp keeps minutes; the seconds are in the text as read
                             try_cast(nullif(regexp_extract({raw},
                                                            '\\d{{1,2}}:\\d{{2}}:(\\d{{2}})', 1), '') as integer) as sec
                      from gate_log where timestamp is not null),
        seconds_kept as (select gate from taps where sec is not null group by gate having count(distinct sec) > 1),
        by_minute as (select gate, date_trunc('minute', timestamp)AS tapped, 'minute' as by, count(*) as taps,
                             list(_rec) as recs from taps group by gate, date_trunc('minute', timestamp)
                      having count(*) > {MAX_PER_MINUTE}),
        by_second as (select gate, date_trunc('minute', timestamp) + to_seconds(sec) AS tapped, 'second' as by,
                             count(*) as taps, list(_rec) as recs from taps
                      where sec is not null and gate in (select gate from seconds_kept)
                      group by gate, date_trunc('minute', timestamp) + to_seconds(sec)
                      having count(*) > {MAX_PER_SECOND})
        select * from by_minute union all select * from by_second order by gate, tapped""")
    return [Hit({"terminal": r["gate"]}, period(r["tapped"].date()), r["taps"],
                MAX_PER_MINUTE if r["by"] == "minute" else MAX_PER_SECOND, [CITED], list(r["recs"]),
                {**r, "minute": r["tapped"].strftime("%Y-%m-%d %H:%M" if r["by"] == "minute" else "%Y-%m-%d %H:%M:%S")})
            for r in rows]


# ---------------------------------------------------------------- the terminal's own record numbers

#: preaudit's own: a terminal's clock may be set back now and then (a correction, a battery change)
#: and its counter may restart (a reset, a replaced unit): each is one break in one of the two orders
#: below. More than this many in one terminal-month is more than a device's upkeep gives
MAX_BREAKS = 3
#: a step back in time this small is a clock adjusted by a few seconds (NTP), not a tap out of order
BACK_TOLERANCE_SECONDS = 60
#: a terminal-month with fewer numbered taps than this is too few to judge
MIN_NUMBERED_TAPS = 20
#: preaudit's own: numbers that step by exactly one on at least this share of the steps are the
#: device's every record; a number missing among them is a record not in the export
DENSE_SHARE = 0.99

SEQUENCE_FIELDS = {Kind.GATE_LOG: ("worker_id", "timestamp", "date", "time", "gate", "sequence")}


def _sequence_message(h: Hit) -> str:
    v = h.values
    if v["what"] == "gaps":
        return (f"terminal {v['terminal']} numbers its records one by one, yet {v['missing']} numbers are missing "
                f"in {v['month']} ({v['ranges']}): records removed from the export or the device; ask for the "
                f"terminal's raw log with its device sequence numbers")
    return (f"terminal {v['terminal']}'s own record numbers run against its clock in {v['month']}: {v['breaks']} "
            f"breaks in {v['taps']} numbered taps (taps later in number but earlier in time, or numbers "
            f"repeated or falling as time runs on: {v['back']} steps back in time in number order, {v['drops']} "
            f"drops in number in time order; a clock set back or a counter restarted gives one each, at most "
            f"{MAX_BREAKS:g} a month), e.g. {v['example']}: taps entered out of the order the terminal recorded "
            f"them; ask for the terminal's raw log with its device sequence numbers")


@rule("INT-TERMINAL-SEQUENCE", category="integrity", severity="major", unit="breaks",
      summary=f"a terminal whose own record numbers (event serial no., log id) run against its clock: more "
              f"than {MAX_BREAKS} breaks in a month; numbers missing from a log otherwise numbered one by one "
              f"are a question",
      readings=f"statistic: per terminal (the log's gate or device column; without one, a document whose numbers "
               f"never repeat is one terminal) and month, with seconds where the log keeps them: the steps back in "
               f"time (> {BACK_TOLERANCE_SECONDS} s) in number order, and the drops or repeats of the number in time "
               f"order; breaks = the smaller count (a clock set back once gives one step back and many drops, a "
               f"counter restarted one drop and many steps back, so the smaller is what no upkeep explains). "
               f"threshold: more than {MAX_BREAKS} breaks in a terminal-month of ≥ {MIN_NUMBERED_TAPS} numbered "
               f"taps, preaudit's own. A column numbering the rows 1, 2, 3 … in the document's order may be the "
               f"export's own count, not the device's: then a possible item. Numbers missing where ≥ "
               f"{DENSE_SHARE:.0%} of steps are +1: a possible item (an export filtered by event type skips numbers "
               f"too)",
      evidence=SEQUENCE_FIELDS, message=_sequence_message)
def find_terminal_sequence(ds: Dataset) -> list[Hit]:
    table = ds.tables[Kind.GATE_LOG]
    if "sequence" not in table.columns or table["sequence"].null_count() == table.height:
        return []
    columns = table.columns
    raw = "coalesce(" + ", ".join([f'"raw:{c}"' for c in ("time", "timestamp") if f"raw:{c}" in columns] + ["''"]) + ")"
    terminal = "coalesce(" + ", ".join([c for c in ("gate", "device") if c in columns] + ["NULL"]) + ")"
    rows = ds.sql(f"""
        with numbered as (
            select _doc, {terminal} as terminal, worker_id, _rec, _row, try_cast(sequence as bigint) as seq,
                   timestamp + to_seconds(coalesce(try_cast(nullif(regexp_extract({raw},
                       '\\d{{1,2}}:\\d{{2}}:(\\d{{2}})', 1), '') as integer), 0)) as t
            from gate_log where timestamp is not null and try_cast(sequence as bigint) is not null),
        -- a row repeated (same number, time and worker) is one record exported twice, not a break
        taps as (select _doc, terminal, seq, t, min(_rec) as _rec, min(_row) as _row from numbered
                 group by _doc, terminal, seq, t, worker_id),
        -- without a terminal column, a document whose numbers repeat holds several devices' counters
        judged as (select * from taps where terminal is not null or _doc in (
                       select _doc from taps where terminal is null group by _doc having count(*) = count(distinct seq))),
        stepped as (select *, strftime(t, '%Y-%m') as month,
                           t < lag(t) over (partition by _doc, terminal order by seq, t)
                               - to_seconds({BACK_TOLERANCE_SECONDS}) as back,
                           seq <= lag(seq) over (partition by _doc, terminal order by t, seq) as dropped,
                           -- missing numbers: the steps between numbers in number order
                           seq - lag(seq) over (partition by _doc, terminal order by seq, t) as step,
                           lag(seq) over (partition by _doc, terminal order by seq, t) as before,
                           lag(_rec) over (partition by _doc, terminal order by seq, t) as back_from,
                           lag(_rec) over (partition by _doc, terminal order by t, seq) as drop_from,
                           seq - lag(seq) over (partition by _doc order by _row) as row_step
                    from judged)
        select _doc, coalesce(terminal, _doc) as terminal, month, count(*) as taps,
               count(*) filter (where back) as back, count(*) filter (where dropped) as drops,
               count(*) filter (where step = 1) as ones, count(*) filter (where step > 0) as rising,
               sum(step - 1) filter (where step > 1) as missing,
               string_agg(cast(before + 1 as varchar) || '–' || cast(seq - 1 as varchar), ', ' order by seq)
                   filter (where step > 1) as ranges,
               list(_rec) filter (where step > 1) || list(back_from) filter (where step > 1) as gap_recs,
               bool_and(coalesce(row_step, 1) = 1) as row_numbers,
               list(_rec) filter (where back) || list(back_from) filter (where back) as back_recs,
               list(_rec) filter (where dropped) || list(drop_from) filter (where dropped) as drop_recs,
               min(strftime(t, '%Y-%m-%d %H:%M:%S') || ' no. ' || seq) filter (where back) as back_example,
               min(strftime(t, '%Y-%m-%d %H:%M:%S') || ' no. ' || seq) filter (where dropped) as drop_example
        from stepped group by _doc, coalesce(terminal, _doc), month
        having count(*) >= {MIN_NUMBERED_TAPS}
        order by terminal, month""")
    hits = []
    for r in rows:
        breaks = min(r["back"], r["drops"])
        values = {**r, "breaks": breaks}
        if breaks > MAX_BREAKS:
            recs = r["back_recs"] if r["back"] <= r["drops"] else r["drop_recs"]
            values["example"] = r["back_example"] if r["back"] <= r["drops"] else r["drop_example"]
            values["what"] = "breaks"
            hits.append(Hit({"terminal": r["terminal"]}, month_period(r["month"]), breaks, MAX_BREAKS, [CITED],
                            [x for x in recs if x is not None], values,
                            possible=None if not r["row_numbers"] else
                            "the number column runs 1, 2, 3 … down the document's rows: it may be the export's "
                            "own row count rather than the terminal's; the terminal's raw log decides"))
        elif r["missing"] and r["rising"] and r["ones"] >= DENSE_SHARE * r["rising"]:
            hits.append(Hit({"terminal": r["terminal"]}, month_period(r["month"]), r["missing"], 0, [CITED],
                            [x for x in r["gap_recs"] if x is not None],
                            {**values, "what": "gaps"},
                            possible=f"{r['missing']} record numbers missing ({r['ranges']}): records removed, or "
                                     f"an export filtered by event type; the terminal's raw log decides"))
    return hits
