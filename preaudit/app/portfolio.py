"""The agency's morning (issue 24): every factory at a glance, ranked by what needs attention.

Each run leaves a small summary of itself in the store (``reports/FACTORY/history/RUN_ID.json``:
one object per run, so a run's summary is written whole or not at all, and the trend is read
without opening any findings.json). ``portfolio.html`` is built from the newest summaries of every
factory: one row each, ranked by a score whose formula the page prints, with a one-line reason.

The risk score (preaudit's own weighting; the page says so):

    Σ over the rules that fired:  severity weight × people or things affected × (1 + 0.25 × runs open, at most 4)
    severity weight: critical 10, major 3, minor 1; integrity signals (records that may be written
    to pass the audit) weigh double. Data-quality findings (what could not be read) are not risk:
    they are shown as reading coverage, the uncertainty of the rank.
"""
from __future__ import annotations

import base64
import gzip
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import jinja2

from preaudit.core.storage import Storage

SEVERITY_WEIGHT = {"critical": 10, "major": 3, "minor": 1}
INTEGRITY_FACTOR = 2
OPEN_FACTOR, OPEN_RUNS_COUNTED = 0.25, 4
TREND_RUNS = 12
FORMULA = ("score = Σ over the rules that fired: severity weight (critical 10, major 3, minor 1; integrity "
           "signals × 2) × people or things affected × (1 + 0.25 × runs the findings have stayed open, at most 4). "
           "What could not be read is not counted as risk: it is shown as reading coverage. The weights are "
           "preaudit's own, chosen so that one critical finding outweighs three major ones.")

#: rule → how the reason line names what it found (any other rule: its summary)
RULE_WORDS = {
    "LAB-MIN-WAGE": "under the minimum wage", "LAB-HOURS-DAY-MAX": "over the daily hours limit",
    "LAB-HOURS-WEEK-MAX": "over the weekly hours limit", "LAB-OT-MONTH-MAX": "over the monthly overtime cap",
    "LAB-REST-DAY": "without the weekly rest day", "LAB-OT-PREMIUM": "paid overtime below the premium",
    "LAB-CHILD-LABOR": "under the minimum working age", "LAB-JUVENILE-RESTRICTED": "juveniles on restricted work",
    "LAB-PAY-LATE": "paid late", "XDOC-HOURS-MISMATCH": "paid for other hours than their time records show",
}


def run_summary(result, document: dict[str, Any], *, factory: str, report: str, status: str = "audited",
                fingerprint: str | None = None) -> dict[str, Any]:
    """What the portfolio needs of one run, from its result and its findings.json as written
    (masked: no national ID reaches a summary; workers are counted, never named)."""
    findings = document.get("findings", [])
    profile = result.profile
    by_rule: dict[str, dict[str, Any]] = {}
    for f in findings:
        entry = by_rule.setdefault(f["rule_id"], {"severity": f["severity"], "category": f["category"],
                                                  "subjects": set(), "months": set(), "findings": 0,
                                                  "open": 0})
        entry["subjects"].add(json.dumps(f["subject"], sort_keys=True))
        if f.get("period"):
            entry["months"].add((f["period"].get("start") or "")[:7])
        entry["findings"] += 1
        entry["open"] += f.get("history") == "open"
    documents = document.get("documents", [])
    gaps = [f for f in findings if f["rule_id"] in ("DQ-COVERAGE", "DQ-PERIOD-GAP")]
    return {
        "factory": factory, "factory_id": profile.factory_id,
        "name": profile.legal_name or profile.legal_name_local or profile.factory_id,
        "jurisdiction": profile.jurisdiction, "country": profile.jurisdiction.split("-")[0],
        "standards": list(profile.standards), "audit_date": profile.audit_date.isoformat(),
        "period": [profile.period_start.isoformat(), profile.period_end.isoformat()],
        "run_id": document.get("run_id"), "generated_at": document.get("generated_at"), "status": status,
        "fingerprint": fingerprint, "report": report,
        "documents": {"total": len(documents), "read": sum(d.get("status") == "ok" for d in documents)},
        "gaps": [f["message"] for f in gaps][:5], "gap_count": len(gaps),
        "counts": dict(Counter(f["severity"] for f in findings if f["category"] != "data_quality")),
        "categories": dict(Counter(f["category"] for f in findings)),
        "new": sum(f.get("history") == "new" for f in findings), "resolved": len(document.get("resolved", [])),
        "possible": len((document.get("review") or {}).get("possible", [])),
        "rules": {rule: {"severity": e["severity"], "category": e["category"], "affected": len(e["subjects"]),
                         "months": sorted(m for m in e["months"] if m), "findings": e["findings"],
                         "open": e["open"]}
                  for rule, e in sorted(by_rule.items())},
    }


def failed_summary(factory: str, run_id: str, when: str, reason: str) -> dict[str, Any]:
    return {"factory": factory, "factory_id": factory, "name": factory, "run_id": run_id, "generated_at": when,
            "status": "failed", "reason": reason, "rules": {}, "counts": {}, "categories": {}, "new": 0,
            "resolved": 0, "documents": {"total": 0, "read": 0}, "gaps": [], "gap_count": 0}


def risk(summary: dict[str, Any], runs_open: dict[str, int] | None = None) -> tuple[float, str]:
    """The score and the one-line reason for it (the formula is FORMULA)."""
    runs_open = runs_open or {}
    parts = []
    for rule, e in summary.get("rules", {}).items():
        if e["category"] == "data_quality":
            continue
        weight = SEVERITY_WEIGHT.get(e["severity"], 1) * (INTEGRITY_FACTOR if e["category"] == "integrity" else 1)
        longevity = 1 + OPEN_FACTOR * min(runs_open.get(rule, 0), OPEN_RUNS_COUNTED)
        parts.append((weight * e["affected"] * longevity, rule, e))
    score = round(sum(p for p, _, _ in parts), 1)
    parts.sort(key=lambda p: (-p[0], p[1]))
    words = []
    for _, rule, e in parts[:2]:
        what = RULE_WORDS.get(rule, rule)
        months = e["months"]
        span = f" in {len(months)} month{'s' if len(months) != 1 else ''}" if len(months) > 1 else \
            (f" in {months[0]}" if months else "")
        who = "worker" if "worker" in what or rule.startswith(("LAB", "XDOC")) else "case"
        words.append(f"{e['affected']} {who}{'s' if e['affected'] != 1 else ''} {what}{span}"
                     if rule in RULE_WORDS else f"{rule}: {e['affected']} affected{span}")
    if summary.get("status") == "failed":
        words = [f"the last run failed: {summary.get('reason', '')}"]
    if summary.get("gap_count"):
        words.append(summary["gaps"][0] if summary.get("gaps") else f"{summary['gap_count']} reading gap(s)")
    return score, "; ".join(words) or "no finding"


def runs_open(history: list[dict[str, Any]]) -> dict[str, int]:
    """For each rule of the newest run, how many runs before it in a row it had already fired in
    (0: new last night)."""
    out: dict[str, int] = {}
    for rule in (history[-1].get("rules", {}) if history else {}):
        out[rule] = 0
        for run in reversed(history[:-1]):
            if rule not in run.get("rules", {}):
                break
            out[rule] += 1
    return out


def row(history: list[dict[str, Any]]) -> dict[str, Any]:
    """One factory's row: its newest summary, the rank and reason, what changed, the trend."""
    newest = history[-1]
    audited = [h for h in history if h.get("status") != "failed"]
    last_audit = audited[-1] if audited else newest
    score, reason = risk(last_audit, runs_open([h for h in history if h.get("status") != "failed"]))
    if newest.get("status") == "failed":
        _, reason = risk(newest)
    trend = [{"run": h.get("run_id"), "score": risk(h)[0], "at": h.get("generated_at")}
             for h in audited[-TREND_RUNS:]]
    previous = audited[-2] if len(audited) > 1 else None
    return {**{k: last_audit.get(k) for k in ("factory", "factory_id", "name", "country", "jurisdiction",
                                              "standards", "audit_date", "documents", "counts", "categories",
                                              "new", "resolved", "possible", "gap_count", "report")},
            "status": newest.get("status"), "last_run": newest.get("generated_at"), "run_id": newest.get("run_id"),
            "reason": reason, "score": score, "trend": trend,
            "worse": previous is not None and score > risk(previous)[0],
            "integrity": last_audit.get("categories", {}).get("integrity", 0),
            "new_critical": [r for r, e in last_audit.get("rules", {}).items() if e["severity"] == "critical"
                             and previous is not None and r not in previous.get("rules", {})]}


def rows(histories: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    out = [row(h) for h in histories.values() if h]
    return sorted(out, key=lambda r: (-r["score"], r["factory"]))


def read_histories(reports: Storage, runs: int = TREND_RUNS) -> dict[str, list[dict[str, Any]]]:
    """Every factory's newest run summaries under a reports root, oldest first: one listing, and
    only the ``runs`` newest summaries read (run ids begin with their time), however long the
    history."""
    paths: dict[str, list[str]] = defaultdict(list)
    for path in reports.list():
        parts = path.split("/")
        if len(parts) == 3 and parts[1] == "history" and parts[2].endswith(".json"):
            paths[parts[0]].append(path)
    found: dict[str, list[dict[str, Any]]] = {}
    for factory, names in sorted(paths.items()):
        summaries = []
        for path in sorted(names)[-runs:]:
            try:
                summaries.append(json.loads(reports.read(path)))
            except (ValueError, UnicodeDecodeError):
                continue  # a summary half written by a killed run: the next run writes its own
        found[factory] = sorted(summaries, key=lambda r: (r.get("generated_at") or "", r.get("run_id") or ""))
    return found


def morning_message(portfolio: list[dict[str, Any]], outcome: dict[str, str] | None = None) -> str:
    """Markdown for the nightly artifact and notification: factories that got worse, new critical
    findings, failed runs."""
    worse = [r for r in portfolio if r["worse"]]
    critical = [(r["factory"], rule) for r in portfolio for rule in r["new_critical"]]
    failed = [(f, what) for f, what in (outcome or {}).items() if what.startswith("failed")] or \
        [(r["factory"], r["reason"]) for r in portfolio if r["status"] == "failed"]
    lines = ["# preaudit — the morning", "", f"{len(portfolio)} factories; "
             f"{len(worse)} got worse, {len(critical)} new critical finding(s), {len(failed)} failed run(s).", ""]
    if worse:
        lines += ["| factory | score | why |", "|---|---|---|"]
        lines += [f"| {r['factory']} | {r['score']:g} | {r['reason']} |" for r in worse]
        lines.append("")
    for factory, rule in critical:
        lines.append(f"- new critical: **{factory}** {rule}")
    for factory, what in failed:
        lines.append(f"- failed: **{factory}** {what}")
    return "\n".join(lines)


def render_portfolio(portfolio: list[dict[str, Any]], generated_at: str) -> str:
    data = {"rows": portfolio, "formula": FORMULA, "generated_at": generated_at}
    packed = base64.b64encode(gzip.compress(json.dumps(data, ensure_ascii=False).encode(), 6)).decode("ascii")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    return env.get_template("portfolio.html.j2").render(data=packed)


def write_portfolio(reports: Storage, generated_at: str, out: Storage | None = None) -> list[dict[str, Any]]:
    """portfolio.html over every factory the reports root holds, into ``out`` (default: the root)."""
    portfolio = rows(read_histories(reports))
    (out or reports).write("portfolio.html", render_portfolio(portfolio, generated_at).encode("utf-8"))
    return portfolio
