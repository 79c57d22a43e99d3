"""People are not random numbers: a worker's clock-in and clock-out times carry habits.

Software sold to pass audits (验厂考勤) writes each day's punch as an independent draw from a
window ("random, not uniform"). Real arrival and departure times lean on the day before: a worker
who came in 5 minutes early yesterday comes in about 5 minutes early today, and a week of late
orders keeps the evenings long. The signal is the lag-1 autocorrelation of the worker-month's
clock-in minutes and of its clock-out minutes, over the worked days in date order.

Each series is tested by Spearman's lag-1 rank correlation (a late morning moves a rank, not the
statistic) against preaudit's habit floor (``HABIT_RHO``): H0 "this worker's times are at least that
autocorrelated", one-sided, by Fisher's z (z = (atanh r − atanh ρ0)·√((n − 4)/1.06), scipy.stats.norm).
The clock-ins are also tested for flatness (a window's uniform draw) against a normal pile-up around
a usual time: the Anscombe–Glynn kurtosis test, one-sided (scipy.stats.kurtosistest). The three
p-values combine by Stouffer's method (scipy.stats.combine_pvalues), and the worker-months of a pack
are corrected for being tested together by Benjamini–Hochberg (statsmodels.stats.multitest,
false-discovery rate ``FDR``); a worker's months are also pooled (Stouffer per worker, BH
across workers), a month of a flagged worker counting where its own p is below ``FDR``. The evidence names the days; the message gives r, the Ljung–Box
p-value of independence (statsmodels), and the p-values.
"""
from __future__ import annotations

import math

import numpy as np

from validators.dataset.dataset import Dataset
from validators.base import CITED, Hit, month_period, rule, worker_subject
from validators.working_time import TIME_FIELDS

#: preaudit's own floor, not a published figure: the lag-1 autocorrelation below which a
#: worker-month's times look like independent draws. Genuine logs built with habits (tests/support/
#: second_books.py: lateness, early days, missed taps) run at 0.4 ± 0.2 (Spearman); independent draws
#: at 0 ± 0.2. To be calibrated on real exports.
HABIT_RHO = 0.5
#: Benjamini–Hochberg false-discovery rate across the pack's worker-months
FDR = 0.05
#: fewer worked days with both a clock-in and a clock-out than this: too few to test
MIN_DAYS = 15


def _acf1(x: np.ndarray) -> float:
    """Spearman's rank correlation of each day with the next (a late morning or a long evening
    moves a rank, not the whole statistic)."""
    from scipy.stats import spearmanr
    rho = spearmanr(x[:-1], x[1:]).statistic
    return 0.0 if rho != rho else float(rho)


def _habit_p(r: float, n: int) -> float:
    """One-sided p of H0 ρ ≥ HABIT_RHO given the sample lag-1 autocorrelation r of n days."""
    from scipy.stats import norm
    r = max(min(r, 0.999), -0.999)
    # Fieller, Hartley & Pearson (1957): atanh of Spearman's rho has variance ≈ 1.06 / (n − 3)
    return float(norm.cdf((math.atanh(r) - math.atanh(HABIT_RHO)) * math.sqrt((n - 4) / 1.06)))


def _flat_p(x: np.ndarray) -> float:
    """One-sided p of H0 "the clock-ins pile up around a usual time as a normal spread does"
    against "flatter" (a window's uniform draw): the Anscombe–Glynn kurtosis test (scipy)."""
    import warnings

    from scipy.stats import kurtosistest
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns below 20 values; MIN_DAYS keeps it near
        return float(kurtosistest(x, alternative="less").pvalue)


def _excess_kurtosis(x: np.ndarray) -> float:
    from scipy.stats import kurtosis
    return float(kurtosis(x))


def _ljung_box_p(x: np.ndarray) -> float:
    from statsmodels.stats.diagnostic import acorr_ljungbox
    return float(acorr_ljungbox(x, lags=[1])["lb_pvalue"].iloc[0])


def habit_tests(ds: Dataset) -> list[dict]:
    """Every worker-month with enough days: its statistics, combined p and BH-adjusted p."""
    from scipy.stats import combine_pvalues
    from statsmodels.stats.multitest import multipletests

    rows = ds.sql(f"""
        select worker_id, month, list(first_in order by date) as ins, list(last_out order by date) as outs,
               flatten(list(recs order by date)) as recs
        from days where first_in is not null and last_out is not null
        group by worker_id, month having count(*) >= {MIN_DAYS}""")
    tested = []
    for r in rows:
        ins, outs = np.asarray(r["ins"], float), np.asarray(r["outs"], float)
        if ins.std() == 0 or outs.std() == 0:
            continue  # the same minute every day: INT-UNIFORM-PUNCHES says it
        n = len(ins)
        r_in, r_out = _acf1(ins), _acf1(outs)
        p_in, p_out = _habit_p(r_in, n), _habit_p(r_out, n)
        p_flat = _flat_p(ins)
        p = float(combine_pvalues([p_in, p_out, p_flat], method="stouffer").pvalue)
        tested.append({**r, "days": n, "r_in": r_in, "r_out": r_out, "p_in": p_in, "p_out": p_out, "p": p,
                       "p_flat": p_flat, "kurt": _excess_kurtosis(ins),
                       "lb_in": _ljung_box_p(ins), "lb_out": _ljung_box_p(outs)})
    if tested:
        reject, adjusted, _, _ = multipletests([t["p"] for t in tested], alpha=FDR, method="fdr_bh")
        for t, rej, q in zip(tested, reject, adjusted):
            t["flagged"], t["q"], t["by"] = bool(rej), float(q), "month"
        # a worker's months together: the months' p-values Stouffer-combined per worker, BH across
        # workers; a month of a worker so flagged counts where its own p is below FDR
        months: dict[str, list[dict]] = {}
        for t in tested:
            months.setdefault(t["worker_id"], []).append(t)
        pooled = {w: float(combine_pvalues([t["p"] for t in ts], method="stouffer").pvalue)
                  for w, ts in months.items() if len(ts) >= 2}
        if pooled:
            workers = sorted(pooled)
            reject, adjusted, _, _ = multipletests([pooled[w] for w in workers], alpha=FDR, method="fdr_bh")
            for w, rej, q in zip(workers, reject, adjusted):
                for t in months[w]:
                    if rej and not t["flagged"] and t["p"] < FDR:
                        t["flagged"], t["q"], t["by"] = True, float(q), f"the worker's {len(months[w])} months"
    return tested


def _message(h: Hit) -> str:
    v = h.values
    return (f"{h.subject['worker_id']}'s clock-in and clock-out times in {v['month']} show no day-to-day habit: "
            f"lag-1 autocorrelation {v['r_in']:.2f} (in) and {v['r_out']:.2f} (out) over {v['days']} worked days "
            f"(Ljung–Box p of independence {v['lb_in']:.2f} and {v['lb_out']:.2f}), and clock-ins spread flat over "
            f"their window (excess kurtosis {v['kurt']:.2f}, p {v['p_flat']:.2g} against a pile-up around a usual "
            f"time); a worker with a habit "
            f"(autocorrelation ≥ {HABIT_RHO:g}) gives this with p = {v['p']:.2g} (Benjamini–Hochberg-adjusted "
            f"{v['q']:.2g} across {v['tested']} worker-months" + (f", judged with {v['by']}" if v["by"] != "month" else "")
            + "). Times drawn independently within a window look "
            f"like this; ask for the terminal's raw log of these days")


@rule("INT-NO-HABIT", category="integrity", severity="major", unit="autocorrelation",
      summary=f"a worker-month (≥ {MIN_DAYS} punched days) whose clock times look drawn at random: no "
              f"day-to-day habit (lag-1 rank autocorrelation significantly below {HABIT_RHO:g}) and clock-ins "
              f"spread flat over a window (Stouffer-combined, Benjamini–Hochberg at {FDR:g})",
      readings=f"statistics: Spearman's lag-1 autocorrelation of the clock-in minutes and of the clock-out minutes "
               f"over the worked days in date order (scipy), each tested against H0 ρ ≥ {HABIT_RHO:g} one-sided by "
               f"Fisher's z (variance 1.06/(n − 3)); the Anscombe–Glynn kurtosis test of the clock-ins, H0 a normal "
               f"pile-up around a usual time against flatter (scipy); the three p-values combined by Stouffer "
               f"(scipy), Benjamini–Hochberg across the pack's worker-months at FDR {FDR:g} (statsmodels); "
               f"Ljung–Box p of independence shown (statsmodels). threshold: BH-adjusted p below {FDR:g}; ρ0 = {HABIT_RHO:g} is preaudit's own "
               f"(records with habits run at 0.4 ± 0.2 even with lateness and early days, independent draws at "
               f"0 ± 0.2), to be calibrated on real terminal exports",
      evidence=TIME_FIELDS, message=_message)
def find_no_habit(ds: Dataset) -> list[Hit]:
    tested = habit_tests(ds)
    # a statistic of times alone is a question for the auditor, never a finding by itself: records
    # of real work drawn by a tidy HR export can look as habit-less as written ones
    return [Hit(worker_subject(t["worker_id"]), month_period(t["month"]), round(max(t["r_in"], t["r_out"]), 2),
                HABIT_RHO, [CITED], list(t["recs"]), {**t, "tested": len(tested)},
                possible=f"the times show no day-to-day habit (lag-1 ρ {t['r_in']:.2f} in, {t['r_out']:.2f} out); "
                         f"the terminal's raw log of these days decides whether they were punched or written")
            for t in tested if t["flagged"]]
