"""Months without a human trace: never late, never a tap forgotten, over half a year.

Real time records of a person carry, over months, the odd late arrival and the odd forgotten tap
(缺卡); software written to pass the audit (验厂考勤) draws each day's clock-in inside a window
before the shift start and never leaves a tap out. INT-NO-HABIT already asks whether the times
have a day-to-day habit and whether the clock-ins spread flat over a window, month by month; this
rule asks what no month alone can: whether a long record holds none of the events people leave,
while the factory's other workers have them.

Judged against the factory's own workers, never a national rate: a worker's late arrivals and
missed taps over all their days are compared with the rate of the least-often quarter of the
workers with as long a record (the lower quartile of their per-day rates), by an exact binomial
test (scipy.stats.binomtest, one-sided): H0 "this worker is late or misses a tap at least as often
as the punctual quarter of their peers". The p-values of all the workers judged are corrected for
being tested together by Benjamini–Hochberg (statsmodels). Where a quarter of the workers show no
such event at all, the records give no rate to judge by and nothing is tested.

Late: a clock-in after the shift start, the shift start read as the first half hour after the
worker's usual (median) clock-in of the month (07:52 → 08:00), since no record states the
timetable. Missed tap: a day whose punches leave an in without its out or an out without its in.
"""
from __future__ import annotations

from validators.dataset.dataset import Dataset
from preaudit.core.model import PAIRS, Kind
from validators.base import CITED, Hit, month_period, period, rule, worker_subject
from validators.working_time import TIME_FIELDS

#: preaudit's own: half a year of records; a month or two without lateness is ordinary
MIN_MONTHS = 6
#: a month counts towards the span with at least this many days of time records
MIN_MONTH_DAYS = 10
#: fewer workers with as long a record than this: no peer rate to judge by
MIN_PEERS = 10
#: the peers' rate the null hypothesis takes: their lower quartile (a punctual worker is judged
#: against punctual peers, not the average)
PEER_QUANTILE = 0.25
#: Benjamini–Hochberg false-discovery rate across the workers judged
FDR = 0.05
#: the shift start is read as the first multiple of this (minutes) after the usual clock-in
SHIFT_GRID_MINUTES = 30


def _record_days(ds: Dataset) -> list[dict]:
    """Per worker-day with a time record: its clock-in, whether it missed a tap, and whether it was
    late against the month's shift start; only months of the worker with MIN_MONTH_DAYS and read
    completely."""
    table = ds.tables[Kind.TIMESHEET]
    unpaired = " or ".join(f'((in{i} is null) <> (out{i} is null))' for i in PAIRS)
    partial = '"_partial"' if "_partial" in table.columns else "false"
    return ds.sql(f"""
        with rec as (select worker_id, date, strftime(date, '%Y-%m') as month,
                            bool_or({unpaired} or coalesce({partial}, false)) as missed, list(_rec) as recs
                     from timesheet where worker_id is not null and date is not null
                       and ({" or ".join(f"in{i} is not null or out{i} is not null" for i in PAIRS)})
                     group by worker_id, date),
        judged as (select r.*, d.first_in from rec r left join days d on d.worker_id = r.worker_id and d.date = r.date
                   where r.month not in (select month from uncovered where kind = 'timesheet')),
        months as (select worker_id, month, median(first_in) as usual from judged group by worker_id, month
                   having count(*) >= {MIN_MONTH_DAYS})
        select j.worker_id, j.month, j.date, j.missed, j.recs,
               coalesce(j.first_in > (floor(m.usual / {SHIFT_GRID_MINUTES}) + 1) * {SHIFT_GRID_MINUTES}, false) as late
        from judged j join months m on m.worker_id = j.worker_id and m.month = j.month
        order by j.worker_id, j.date""")


def trace_tests(ds: Dataset) -> list[dict]:
    """Every worker with MIN_MONTHS months: days, late arrivals, missed taps, the peer rate, p and
    the BH-adjusted q (and whether it is flagged)."""
    import numpy as np
    from scipy.stats import binomtest
    from statsmodels.stats.multitest import multipletests

    workers: dict[str, dict] = {}
    for r in _record_days(ds):
        w = workers.setdefault(r["worker_id"], {"worker_id": r["worker_id"], "months": set(), "days": 0,
                                                "late": 0, "missed": 0, "recs": []})
        w["months"].add(r["month"])
        w["days"] += 1
        w["late"] += bool(r["late"])
        w["missed"] += bool(r["missed"])
        w["recs"] += r["recs"]
    judged = [w for w in workers.values() if len(w["months"]) >= MIN_MONTHS]
    if len(judged) < MIN_PEERS:
        return []
    rates = np.array([(w["late"] + w["missed"]) / w["days"] for w in judged])
    peer_rate = float(np.quantile(rates, PEER_QUANTILE))
    if peer_rate <= 0:
        return []  # a quarter of the workers show no event: no rate to judge by
    for w in judged:
        w["events"] = w["late"] + w["missed"]
        w["p"] = float(binomtest(w["events"], w["days"], peer_rate, alternative="less").pvalue)
    reject, adjusted, _, _ = multipletests([w["p"] for w in judged], alpha=FDR, method="fdr_bh")
    for w, rej, q in zip(judged, reject, adjusted):
        months = sorted(w["months"])
        w.update(q=float(q), flagged=bool(rej) and w["events"] == 0, peer_rate=peer_rate, peers=len(judged),
                 first=months[0], last=months[-1], n_months=len(months))
    return judged


def _message(h: Hit) -> str:
    v = h.values
    return (f"{h.subject['worker_id']} has no late arrival and no missed tap on any of {v['days']} days over "
            f"{v['n_months']} months ({v['first']} to {v['last']}), while the punctual quarter of the {v['peers']} "
            f"workers with as long a record are late or miss a tap on {v['peer_rate']:.1%} of their days: a worker "
            f"like them gives none in {v['days']} days with p = {v['p']:.2g} (exact binomial; Benjamini–Hochberg-"
            f"adjusted {v['q']:.2g} across the {v['peers']} workers). Times written inside a window before the "
            f"shift start look like this, and so does a very punctual person; ask for the terminal's raw log and "
            f"the late-arrival and missed-punch records (迟到, 缺卡 corrections) of these months")


@rule("INT-NEVER-LATE", category="integrity", severity="minor", unit="events",
      summary=f"a worker with ≥ {MIN_MONTHS} months of time records and never a late arrival or a missed tap, "
              f"while the factory's punctual workers have them (exact binomial against the peers' lower "
              f"quartile, Benjamini–Hochberg at {FDR:g}); a question, never a finding",
      readings=f"statistic: a worker's late arrivals (a clock-in after the shift start, read as the first "
               f"half-hour mark after the worker's median clock-in of the month: 07:52 → 08:00) plus days with a tap missing (an in without its out or an out without its in), "
               f"over all days of ≥ {MIN_MONTHS} months of ≥ {MIN_MONTH_DAYS} days read completely; tested by the "
               f"exact binomial (scipy.stats.binomtest, one-sided) against H0 rate = the lower quartile of the "
               f"per-day rates of the workers with as long a record (≥ {MIN_PEERS} of them; none tested where a "
               f"quarter show no event), Benjamini–Hochberg across them at FDR {FDR:g} (statsmodels). threshold: "
               f"no event at all and BH-adjusted p below {FDR:g}; the six months, the quartile and the half-hour "
               f"grid are preaudit's own. A possible item only: a very punctual person leaves the same record. "
               f"Day-to-day habit and flat clock-ins within a month are INT-NO-HABIT's",
      evidence=TIME_FIELDS, message=_message)
def find_never_late(ds: Dataset) -> list[Hit]:
    return [Hit(worker_subject(w["worker_id"]),
                period(month_period(w["first"])["start"], month_period(w["last"])["end"]),
                0, round(w["peer_rate"] * w["days"], 2), [CITED], sorted(w["recs"]), w,
                possible=f"no late arrival and no missed tap in {w['days']} days over {w['n_months']} months, "
                         f"p = {w['p']:.2g} against the punctual quarter of the workers; the terminal's raw log and "
                         f"the 迟到/缺卡 correction records decide")
            for w in trace_tests(ds) if w["flagged"]]
