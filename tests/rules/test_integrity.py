"""Record-integrity rules (validators/integrity.py): a positive, a negative and a boundary case each
(CN-SH + SA8000 unless stated)."""
from __future__ import annotations

from tests.support.builders import day
from tests.support.rules import PAIRS_8H, pay, run, subject_keys


# ---------------------------------------------------------------- INT-DUPLICATE-ID

def test_duplicate_id_each_worker_and_not_for_repeats_of_one_worker():
    roster = [{"worker_id": "E1", "national_id": "11010519491231002X"},
              {"worker_id": "E2", "national_id": "11010519491231002X"},
              {"worker_id": "E3", "national_id": "440308199901101512"},
              {"worker_id": "E3", "national_id": "440308199901101512"}]  # one worker listed twice
    found = run("INT-DUPLICATE-ID", roster=roster)
    assert subject_keys(found) == [("E1", None), ("E2", None)] and "E2" in found[0].message


# ---------------------------------------------------------------- INT-UNIFORM-PUNCHES

def _days(worker, n, pairs_for):
    import datetime as dt

    start, out = dt.date(2026, 3, 2), []
    while len(out) < n:
        if start.weekday() < 5:
            out.append(day(worker, start.isoformat(), *pairs_for(len(out))))
        start += dt.timedelta(days=1)
    return out


def test_uniform_punches_positive_boundary_negative():
    uniform = _days("U1", 10, lambda k: PAIRS_8H)
    two_minutes = _days("U2", 12, lambda k: ("08:00-12:00", "13:00-17:00") if k % 2 else ("07:59-12:00", "13:00-17:01"))
    three_minutes = _days("N1", 12, lambda k: (f"07:5{k % 3}-12:00", "13:00-17:00"))
    nine_days = _days("N2", 9, lambda k: PAIRS_8H)
    found = run("INT-UNIFORM-PUNCHES", timesheet=uniform + two_minutes + three_minutes + nine_days)
    assert subject_keys(found) == [("U1", "2026-03-01"), ("U2", "2026-03-01")]


# ---------------------------------------------------------------- INT-IDENTICAL-RECORDS

def test_identical_records_need_every_day_and_ten_days():
    a = _days("A", 10, lambda k: (f"07:{50 + k % 7}-12:00", "13:00-17:05"))
    b = [{**r, "worker_id": "B"} for r in a]
    c = [{**r, "worker_id": "C"} for r in a[:-1]] + [day("C", a[-1]["date"], "07:00-12:00")]  # one day differs
    d9 = _days("D", 9, lambda k: PAIRS_8H)
    e9 = [{**r, "worker_id": "E"} for r in d9]
    found = run("INT-IDENTICAL-RECORDS", timesheet=a + b + c + d9 + e9)
    assert subject_keys(found) == [("A", "2026-03-01"), ("B", "2026-03-01")]


# ---------------------------------------------------------------- INT-OT-AT-CAP (not in the SPEC)

def test_ot_at_cap_every_month():
    lines = [pay("E1", m, base_pay=1, ot_hours_weekday=30, ot_hours_restday=6) for m in ("2026-03", "2026-04", "2026-05")]
    lines += [pay("E2", m, base_pay=1, ot_hours_weekday=36 if m != "2026-05" else 35) for m in ("2026-03", "2026-04", "2026-05")]
    lines += [pay("E3", m, base_pay=1, ot_hours_weekday=36) for m in ("2026-03", "2026-04")]
    assert subject_keys(run("INT-OT-AT-CAP", payroll=lines)) == [("E1", "2026-03-01")]


def test_a_template_shared_by_many_workers_is_one_finding_with_its_members_not_quadratic():
    """Issue 27, item 3: templated punches for many workers. Each message used to list every
    other worker of the group (a 1.6 GB findings.json for 50 MB of records); now a group larger
    than a few is one finding: its size and a few members in the message, every member once in
    ``members``, evidence bounded."""
    from validators.hits import MAX_EVIDENCE, MAX_MESSAGE
    from validators.integrity import GROUP_PER_WORKER

    template = _days("W0000", 12, lambda k: PAIRS_8H)
    workers = [f"W{i:04d}" for i in range(300)]
    rows = [{**r, "worker_id": w} for w in workers for r in template]
    pair = [{**r, "worker_id": w} for w in ("P1", "P2") for r in _days("P", 10, lambda k: (f"07:4{k % 9}-12:00", "13:00-17:00"))]
    found = run("INT-IDENTICAL-RECORDS", timesheet=rows + pair)
    group = [f for f in found if "worker_group" in f.subject]
    assert len(group) == 1 and subject_keys([f for f in found if f not in group]) == [("P1", "2026-03-01"), ("P2", "2026-03-01")]
    g = group[0]
    assert g.members == workers and g.to_json()["members"] == workers
    assert "300 workers" in g.message and "and 295 more" in g.message and len(g.message) <= MAX_MESSAGE
    assert 0 < len(g.evidence) <= MAX_EVIDENCE
    assert "P2" in found[-2].message or "P2" in found[-1].message
    # a group at the bound is still one finding per worker, each naming the others
    small = [{**r, "worker_id": w} for w in workers[:GROUP_PER_WORKER] for r in template]
    each = run("INT-IDENTICAL-RECORDS", timesheet=small)
    assert len(each) == GROUP_PER_WORKER and all(f.members is None for f in each)
    assert all(len(f.message) < 200 for f in each)


def test_output_grows_linearly_with_a_templated_time_record():
    """The whole path, rules and findings.json, for 40 then 160 workers with one template: the
    findings.json grows no faster than the records (it used to grow with their square)."""
    import datetime as dt

    from preaudit.app import outputs, pipeline
    from tests.support.builders import dataset, profile
    from validators import judge

    def size(n):
        days = [d for d in (dt.date(2026, 3, 1) + dt.timedelta(k) for k in range(31)) if d.weekday() < 5]
        rows = [day(f"E{i:04d}", d.isoformat(), *PAIRS_8H) for i in range(n) for d in days]
        ds = dataset(timesheet=rows, profile=profile())
        findings = judge(ds).findings
        result = pipeline.AuditResult(ds.profile, ds.context, [], findings, "r", "t")
        return len(outputs.findings_json(outputs.findings_document(result)))
    small, large = size(40), size(160)
    assert large < 4.6 * small, (small, large)


def test_uniform_punches_for_most_of_a_months_workers_is_one_finding_with_its_members():
    from validators.base import MAX_EVIDENCE

    template = _days("W0000", 12, lambda k: PAIRS_8H)
    rows = [{**r, "worker_id": f"W{i:04d}"} for i in range(40) for r in template]
    varied = [r for i in range(3) for r in _days(f"V{i}", 12, lambda k: (f"07:{40 + k}-12:00", "13:00-17:00"))]
    found = run("INT-UNIFORM-PUNCHES", timesheet=rows + varied)
    (one,) = found
    assert one.members == [f"W{i:04d}" for i in range(40)] and "40 of 43 workers" in one.message
    assert "and 35 more" in one.message and len(one.evidence) <= MAX_EVIDENCE
    # a few workers among many stay one finding each
    few = run("INT-UNIFORM-PUNCHES", timesheet=rows[:12 * 2] + varied)
    assert subject_keys(few) == [("W0000", "2026-03-01"), ("W0001", "2026-03-01")]
