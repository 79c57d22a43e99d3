"""The ground truth of a sample pack: a plain re-statement of each rule over the scenario's days,
pay lines and logs, with its own calendar and parameter values (``scenario.P``), so the truth is
exact even where jitter and violations interact. It reads the scenario alone, never the writers'
output: what preaudit reads from the files must come out the same."""
from __future__ import annotations

import datetime as dt
from typing import Any

from preaudit.samples.scenario import D, MONTHS, P, AUDIT_DATE, FACTORY_USCC, LEGAL_NAME, LEGAL_NAME_LOCAL, day_type, Truth, Worker, _hours, _month_hours, _span, CONTAINERS, VISITORS, LICENSES, REQUIRED_LICENSES


# ------------------------------------------------------------------ the oracle


def _month_start(month: str) -> str:
    return f"{month}-01"


def _day_ot(worker: Worker, day: D) -> float:
    h = _hours(worker, day)
    return max(0.0, h - P["regular_daily_hours"]) if day_type(day) == "weekday" else h


def _night(worker: Worker, day: D) -> bool:
    return any((b - a) % 1440 > 0 and (a < 360 or a + (b - a) % 1440 > 1320) for a, b in worker.days[day])


def _age_on(born: D, day: D) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _ric_ok(number: str, today: D) -> bool:
    from stdnum.cn import ric

    try:
        born = D(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return born <= today and ric.calc_check_digit(number) == number[-1]


def _oracle_logs(workers: list[Worker], pay: list[dict[str, Any]], gate: list[dict[str, Any]],
                 roster_birth_column: bool) -> list[Truth]:
    truth: list[Truth] = []
    on_roster = [w for w in workers if w.on_roster]
    by_id: dict[str, list[str]] = {}
    for w in on_roster:
        by_id.setdefault(w.national_id, []).append(w.worker_id)
        written_birth = (w.roster_birth or w.birth) if roster_birth_column else None
        id_ok = _ric_ok(w.national_id, AUDIT_DATE)
        id_birth = D(int(w.national_id[6:10]), int(w.national_id[10:12]), int(w.national_id[12:14])) if id_ok else None
        if not id_ok or (written_birth is not None and written_birth != id_birth):
            truth.append(Truth("ID-INVALID", {"worker_id": w.worker_id}, None))
        born = written_birth or id_birth
        if born is None:
            continue
        juvenile_months = {d.strftime("%Y-%m") for d in w.days
                           if P["minimum_age"] <= _age_on(born, d) < P["juvenile_age"]
                           and (_day_ot(w, d) > 0 or _night(w, d))}
        truth += [Truth("LAB-JUVENILE-RESTRICTED", {"worker_id": w.worker_id}, _month_start(m)) for m in juvenile_months]
    truth += [Truth("INT-DUPLICATE-ID", {"worker_id": x}, None) for ids in by_id.values() if len(ids) > 1 for x in ids]
    signatures: dict[tuple[str, tuple], list[str]] = {}
    paid = {(line["worker_id"], line["period"]) for line in pay}
    paid_months = {line["period"] for line in pay}
    for w in workers:
        for month in MONTHS:
            days = sorted(d for d in w.days if d.strftime("%Y-%m") == month)
            if days and month in paid_months and (w.worker_id, month) not in paid:
                truth.append(Truth("XDOC-NO-PAYROLL", {"worker_id": w.worker_id}, _month_start(month)))
            if len(days) < 10:
                continue
            ins = {min(a for a, _ in w.days[d]) for d in days}
            outs = {max(a + (b - a) % 1440 for a, b in w.days[d]) for d in days}
            if len(ins) <= 2 and len(outs) <= 2:
                truth.append(Truth("INT-UNIFORM-PUNCHES", {"worker_id": w.worker_id}, _month_start(month)))
            signatures.setdefault((month, tuple((d, tuple(w.days[d])) for d in days)), []).append(w.worker_id)
    truth += [Truth("INT-IDENTICAL-RECORDS", {"worker_id": x}, _month_start(month))
              for (month, _), ids in signatures.items() if len(ids) > 1 for x in ids]
    for w in workers:
        lines = [line for line in pay if line["worker_id"] == w.worker_id]
        if len(lines) >= 3 and all(abs(line["ot_hours_weekday"] + line["ot_hours_restday"] + line["ot_hours_holiday"]
                                       - P["max_monthly_ot_hours"]) < 0.005 for line in lines):
            truth.append(Truth("INT-OT-AT-CAP", {"worker_id": w.worker_id}, min(_month_start(x["period"]) for x in lines)))
    for line in pay:
        y, m = map(int, line["period"].split("-"))
        month_end = D(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
        if (line["pay_date"] - month_end).days > P["max_pay_delay_days"]:
            truth.append(Truth("LAB-PAY-LATE", {"worker_id": line["worker_id"]}, _month_start(line["period"])))
    # gate: one in/out pair a day in this data, so each pair is judged against its own day
    spans = {(w.worker_id, d): _span(w, d) for w in workers for d in w.days}
    tolerance = dt.timedelta(minutes=P["gate_tolerance_minutes"])
    by_worker: dict[str, list[dict[str, Any]]] = {}
    for r in gate:
        by_worker.setdefault(r["worker_id"], []).append(r)
    for worker_id, events in by_worker.items():
        for entry, leave in zip(events[0::2], events[1::2]):
            day = entry["timestamp"].date()  # every shift here starts after its gate entry, the same day
            span = spans.get((worker_id, day))
            if span is None:
                truth.append(Truth("XDOC-GATE-TIMESHEET", {"worker_id": worker_id}, day.isoformat()))
            elif span[0] - entry["timestamp"] > tolerance or leave["timestamp"] - span[1] > tolerance:
                truth.append(Truth("XDOC-GATE-TIMESHEET", {"worker_id": worker_id}, day.isoformat()))
    return truth


def _oracle_documents(profile_period: tuple[D, D]) -> list[Truth]:
    truth: list[Truth] = []
    latest: dict[str, D] = {}
    kinds = {"营业执照": "business_license", "消防验收意见书": "fire_safety", "排污许可证": "discharge_permit",
             "食品经营许可证": "canteen_hygiene", "特种设备使用登记证": "special_equipment"}
    from stdnum.cn import uscc

    for zh, _, number, holder, code, until in LICENSES:
        kind = kinds[zh]
        latest[kind] = max(latest.get(kind, until), until)
        if holder not in (LEGAL_NAME, LEGAL_NAME_LOCAL) or (code and code != FACTORY_USCC):
            truth.append(Truth("LIC-HOLDER-MISMATCH", {"license_type": kind}, None))
        codes = {code} | ({number} if kind == "business_license" else set())
        if any(c and uscc.calc_check_digit(c[:17]) != c[17] for c in codes):
            truth.append(Truth("LIC-INVALID-NUMBER", {"license_type": kind}, None))
    truth += [Truth("LIC-MISSING", {"license_type": t}, None) for t in REQUIRED_LICENSES if t not in latest]
    for kind, until in latest.items():
        if until < AUDIT_DATE:
            truth.append(Truth("LIC-EXPIRED", {"license_type": kind}, until.isoformat()))
        elif (until - AUDIT_DATE).days <= P["license_warning_days"]:
            truth.append(Truth("LIC-EXPIRING", {"license_type": kind}, until.isoformat()))
    sealed: dict[str, list[str]] = {}
    for c, day, seal, inspected_on, inspected_seal, points, vvtt, verifier in CONTAINERS:
        sealed.setdefault(seal, []).append(c)
        subject = {"container_no": c}
        if inspected_on is None:
            truth.append(Truth("SEC-INSPECTION-MISSING", subject, day.isoformat()))
        elif inspected_seal != seal:
            truth.append(Truth("SEC-SEAL-MISMATCH", subject, day.isoformat()))
        if inspected_on is not None and points != "ok":
            truth.append(Truth("SEC-INSPECTION-INCOMPLETE", subject, inspected_on.isoformat()))
        if not vvtt or not verifier:
            truth.append(Truth("SEC-SEAL-VVTT", subject, day.isoformat()))
    truth += [Truth("SEC-SEAL-REUSED", {"seal_no": s}, None) for s, cs in sealed.items() if len(cs) > 1]
    for day, name, _, checked, out in VISITORS:
        subject = {"visitor": f"{name}|{day.isoformat()}"}
        if not checked:
            truth.append(Truth("SEC-VISITOR-ID", subject, day.isoformat()))
        if out is None:
            truth.append(Truth("SEC-VISITOR-EXIT", subject, day.isoformat()))
    month, end = profile_period[0].replace(day=1), profile_period[1]
    while month <= end:
        if month.strftime("%Y-%m") not in MONTHS:
            truth += [Truth("DQ-PERIOD-GAP", {"record_kind": k}, month.isoformat()) for k in ("timesheet", "payroll")]
        month = D(month.year + month.month // 12, month.month % 12 + 1, 1)
    return truth


def _month_start_date(month: str) -> D:
    return D(int(month[:4]), int(month[5:7]), 1)


def _days_in_month(month: str) -> int:
    first = _month_start_date(month)
    return ((first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - first).days


def _oracle(workers: list[Worker], pay: list[dict[str, Any]], states_rate: bool,
            bad_documents: dict[str, str]) -> list[Truth]:
    truth: list[Truth] = []
    for w in workers:
        subject = {"worker_id": w.worker_id}
        days = sorted(w.days)
        hours = {d: _hours(w, d) for d in days}
        for d in days:
            if hours[d] > P["max_daily_hours"] + 1e-9:
                truth.append(Truth("LAB-HOURS-DAY-MAX", subject, d.isoformat()))
        weeks: dict[D, float] = {}
        for d in days:
            monday = d - dt.timedelta(days=d.weekday())
            weeks[monday] = weeks.get(monday, 0) + hours[d]
        truth += [Truth("LAB-HOURS-WEEK-MAX", subject, m.isoformat())
                  for m, h in weeks.items() if h > P["max_weekly_hours"] + 1e-9]
        for month in MONTHS:
            mh = _month_hours(w, month)
            if mh["wd"] + mh["rd"] + mh["hol"] > P["max_monthly_ot_hours"] + 1e-9:
                truth.append(Truth("LAB-OT-MONTH-MAX", subject, _month_start(month)))
        run_start, previous, length = None, None, 0
        for d in days + [None]:
            if d is not None and previous is not None and d - previous == dt.timedelta(days=1):
                length += 1
            else:
                if run_start is not None and length > P["max_consecutive_days"]:
                    truth.append(Truth("LAB-REST-DAY", subject, run_start.isoformat()))
                run_start, length = d, 1
            previous = d
        sixteen = D(w.birth.year + P["minimum_age"], w.birth.month, w.birth.day)
        child_days = [d for d in days if d < sixteen]
        if w.on_roster and child_days:
            truth.append(Truth("LAB-CHILD-LABOR", subject, child_days[0].isoformat()))
        if not w.on_roster:
            truth.append(Truth("XDOC-WORKER-UNKNOWN", subject, None))
    for line in pay:
        subject, start = {"worker_id": line["worker_id"]}, _month_start(line["period"])
        worker = next(w for w in workers if w.worker_id == line["worker_id"])
        # a full month owes the full minimum; a month the worker joined in, the days employed
        first, days_in = _month_start_date(line["period"]), _days_in_month(line["period"])
        employed = days_in - max(0, (worker.hire - first).days) if worker.hire > first else days_in
        share = max(0, employed) / days_in
        if line["base_pay"] < round(P["minimum_wage_monthly"] * share, 2) - 0.005:
            truth.append(Truth("LAB-MIN-WAGE", subject, start))
        rate = line["base_pay"] / P["standard_monthly_hours"]  # CN: monthly ÷ 21.75 ÷ 8, stated or not
        owed = rate * (P["ot_premium_weekday"] * line["ot_hours_weekday"] + P["ot_premium_restday"]
                       * line["ot_hours_restday"] + P["ot_premium_holiday"] * line["ot_hours_holiday"])
        if line["ot_pay"] < owed - 1.0:
            truth.append(Truth("LAB-OT-PREMIUM", subject, start))
        gross_off = abs(line["gross_pay"] - (line["base_pay"] + line["ot_pay"] + line["allowances"]))
        net_off = abs(line["net_pay"] - (line["gross_pay"] - line["deductions"] - line["social_insurance"]))
        if max(gross_off, net_off) > 1.0 + 1e-9:
            truth.append(Truth("LAB-PAYROLL-ARITHMETIC", subject, start))
        time_hours = sum(_hours(worker, d) for d in worker.days if d.strftime("%Y-%m") == line["period"])
        pay_hours = (line["regular_hours"] + line["ot_hours_weekday"] + line["ot_hours_restday"]
                     + line["ot_hours_holiday"])
        if round(abs(pay_hours - time_hours), 2) > round(max(2.0, 0.05 * time_hours), 2):
            truth.append(Truth("XDOC-HOURS-MISMATCH", subject, start))
    for path, rule in bad_documents.items():
        truth.append(Truth(rule, {"document": path}, None))
    return truth
