"""Are these records of real work? The integrity signals (validators/integrity*.py) brought
together: worker-months and documents ranked by the combined evidence, each rank explained in
words. It never calls a record forged: it says what the records show and what the auditor should
ask for to tell (the terminal's raw log, the canteen system's export, the production tickets)."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from preaudit.core.model import Finding

#: how much each signal weighs in the ranking (preaudit's own: a copy or a second total is
#: close to proof that one set was written; a statistical signal is evidence to be weighed)
WEIGHT = {"INT-OUTPUT-ON-REST": 4, "INT-DOUBLE-BOOK": 3, "INT-IDENTICAL-RECORDS": 3, "INT-COPIED-MONTH": 3, "INT-PLUS-CONSTANT": 3,
          "INT-TERMINAL-CROWD": 2, "INT-NO-HABIT": 2, "INT-UNIFORM-PUNCHES": 2, "INT-OT-UNDER-CAP": 1,
          "INT-OT-AT-CAP": 1, "INT-DAYS-AT-LIMIT": 1, "INT-PAY-NEVER-ADJUSTED": 1, "INT-DUPLICATE-ID": 1,
          "INT-PRESENT-ON-REST": 1, "INT-TERMINAL-SEQUENCE": 2, "INT-NEVER-LATE": 1}

#: what each signal shows, in words, and what would tell
SHOWS = {
    "INT-PAY-NEVER-ADJUSTED": ("a payroll that is the attendance multiplied out, never adjusted",
                               "the bank transfer records"),
    "INT-OUTPUT-ON-REST": ("production output on a day the time records give no work",
                           "the production tickets"),
    "INT-PRESENT-ON-REST": ("canteen meals on days the time records give no work (presence, not proof of work)",
                            "the canteen system's export"),
    "INT-NO-HABIT": ("clock times that look drawn at random within a window (no day-to-day habit)",
                     "the terminal's raw log (device export with sequence numbers)"),
    "INT-UNIFORM-PUNCHES": ("the same clock minutes day after day", "the terminal's raw log"),
    "INT-NEVER-LATE": ("half a year or more without a late arrival or a missed tap", "the terminal's raw log"),
    "INT-IDENTICAL-RECORDS": ("the same punches as another worker", "the terminal's raw log"),
    "INT-PLUS-CONSTANT": ("punches that are another worker's plus a constant", "the terminal's raw log"),
    "INT-COPIED-MONTH": ("a month's punches repeating another month's", "the terminal's raw log"),
    "INT-DOUBLE-BOOK": ("two documents giving different hours or pay", "both documents' source systems"),
    "INT-TERMINAL-CROWD": ("more taps on one terminal than a queue can give", "the terminal's raw log"),
    "INT-TERMINAL-SEQUENCE": ("a terminal's own record numbers running against its clock",
                              "the terminal's raw log (device export with sequence numbers)"),
    "INT-OT-UNDER-CAP": ("overtime kept in the last half hour under the cap", "the production tickets"),
    "INT-OT-AT-CAP": ("overtime exactly at the cap every month", "the production tickets"),
    "INT-DAYS-AT-LIMIT": ("days never over the daily limit but often on it", "the production tickets"),
    "INT-DUPLICATE-ID": ("a national ID shared with another worker id", "the ID cards"),
}
ALWAYS_ASK = "the canteen system's export"


def _month(f: Finding) -> str | None:
    return (f.period or {}).get("start", "")[:7] or None


def real_work(findings: list[Finding], limit: int = 200) -> dict[str, Any]:
    """{"worker_months": [...], "documents": [...]}: ranked, each with its score, signals and words."""
    signals = [f for f in findings if f.rule_id in WEIGHT]
    by_wm: dict[tuple[str, str | None], list[Finding]] = defaultdict(list)
    site: dict[str | None, list[Finding]] = defaultdict(list)  # signals about a month or a terminal
    for f in signals:
        if "worker_id" in f.subject:
            by_wm[(f.subject["worker_id"], _month(f))].append(f)
        else:
            site[_month(f)].append(f)
    rows = []
    for (worker, month), group in by_wm.items():
        around = site.get(month, [])
        rules = sorted({f.rule_id for f in group + around}, key=lambda r: -WEIGHT[r])
        score = sum(WEIGHT[r] for r in rules)
        shows = "; ".join(SHOWS[r][0] for r in rules)
        ask = sorted({SHOWS[r][1] for r in rules} | {ALWAYS_ASK})
        rows.append({"worker_id": worker, "month": month, "score": score, "signals": rules,
                     "documents": sorted({e.document for f in group for e in f.evidence}),
                     "explanation": f"{worker}'s records for {month or 'the period'} show {shows} "
                                    f"({len(rules)} signal(s), weight {score}). This is what the records show, "
                                    f"not a finding that they were written: ask for {', '.join(ask)} "
                                    f"for these days and compare."})
    rows.sort(key=lambda r: (-r["score"], r["worker_id"], r["month"] or ""))
    docs: dict[str, dict[str, Any]] = {}
    for r in rows:
        for d in r["documents"]:
            entry = docs.setdefault(d, {"document": d, "score": 0, "worker_months": 0, "signals": set()})
            entry["score"] += r["score"]
            entry["worker_months"] += 1
            entry["signals"] |= set(r["signals"])
    for f in (f for group in site.values() for f in group):
        for d in {e.document for e in f.evidence}:
            entry = docs.setdefault(d, {"document": d, "score": 0, "worker_months": 0, "signals": set()})
            entry["score"] += WEIGHT[f.rule_id]
            entry["signals"].add(f.rule_id)
    doc_rows = []
    for entry in sorted(docs.values(), key=lambda e: (-e["score"], e["document"])):
        signals_ = sorted(entry["signals"], key=lambda r: -WEIGHT[r])
        doc_rows.append({**entry, "signals": signals_,
                         "explanation": f"{entry['document']} carries {entry['worker_months']} worker-month(s) "
                                        f"with integrity signals ({', '.join(SHOWS[r][0] for r in signals_)}): "
                                        f"ask for the system it was exported from and its raw data"})
    return {"worker_months": rows[:limit], "documents": doc_rows[:limit],
            "worker_months_total": len(rows)}
