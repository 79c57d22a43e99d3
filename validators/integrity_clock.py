"""A time clock is a machine: one terminal serves one person at a time.

A gate or attendance terminal verifies a card, a finger or a face in a second or two and the next
person steps up: real logs show queues, taps seconds apart, a bounded number per terminal per
minute. A log written by software shows dozens of taps on one terminal within the same minute, or
several in the same second.
"""
from __future__ import annotations

from validators.dataset.dataset import Dataset
from preaudit.core.model import Kind
from validators.base import CITED, Hit, period, rule

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
