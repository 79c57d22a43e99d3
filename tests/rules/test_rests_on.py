"""Absence rules need the other side to be there (validators/base.py ``RestsOn``): a rule resting on
the absence or the total of records speaks only for months whose records were there and read
completely, and a month where it would fire for most of whom it judges is one DQ-COVERAGE."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from preaudit.core.model import DocStatus, DocumentReport, Kind, PageRead, PartRead
from preaudit.core.packs import load_packs, resolve
from validators.dataset.dataset import Dataset
from tests.support.builders import dataset, day, profile, table
from tests.support.rules import PAIRS_8H, pay, subject_keys
from validators import RULES, RULES_BY_ID
from validators.base import CITED, REGISTRY, Hit, Rule
from validators.rests_on import SEALED, RestsOn, held_back


def coverage_of(ds: Dataset, kind: str) -> list:
    """DQ-COVERAGE for one record kind (a pack missing another kind whole says so too)."""
    return [f for f in RULES_BY_ID["DQ-COVERAGE"].run(ds, None) if f.subject == {"record_kind": kind}]


def build(tables: dict[str, list[dict]], documents: list[DocumentReport] = (), **kw) -> Dataset:
    return Dataset.build([table(rows, name) for name, rows in tables.items() if rows],
                         resolve("CN-SH", ["sa8000"], {}, load_packs()), list(documents), **kw)


WORKERS = [f"E{k:02d}" for k in range(1, 11)]
MARCH_DAYS = [dt.date(2026, 3, d) for d in (2, 3, 4, 5, 6)]


def gate_rows(workers=WORKERS, days=MARCH_DAYS) -> list[dict]:
    return [{"worker_id": w, "timestamp": f"{d} {t}", "direction": way}
            for w in workers for d in days for t, way in (("07:50", "in"), ("17:10", "out"))]


def time_rows(workers=WORKERS, days=MARCH_DAYS) -> list[dict]:
    return [day(w, d.isoformat(), *PAIRS_8H) for w in workers for d in days]


# ---------------------------------------------------------------- XDOC-GATE-TIMESHEET

def test_a_month_of_gate_records_with_no_time_records_is_one_coverage_finding():
    # March's time records were read; April's were not read at all (the run says "no time records for
    # 2026-04"): ten workers inside the factory every April day are one question, not fifty findings
    april = [dt.date(2026, 4, d) for d in (1, 2, 3, 7, 8)]
    ds = dataset(timesheet=time_rows(), gate=gate_rows() + gate_rows(days=april))
    assert RULES_BY_ID["XDOC-GATE-TIMESHEET"].run(ds, None) == []
    (coverage,) = coverage_of(ds, "timesheet")
    assert coverage.period["start"] == "2026-04-01"
    assert "no time records were read for 2026-04" in coverage.message
    assert "XDOC-GATE-TIMESHEET (no time record that day) would have fired for 10 of the 10 workers at the gate " \
           "(50 finding(s) held back)" in coverage.message
    assert [e.document for e in coverage.evidence] == ["gate.csv"]


def test_a_month_with_time_records_for_all_but_two_workers_gives_findings_for_those_two():
    ds = dataset(timesheet=time_rows(WORKERS[:8]), gate=gate_rows())
    found = RULES_BY_ID["XDOC-GATE-TIMESHEET"].run(ds, None)
    assert {f.subject["worker_id"] for f in found} == {"E09", "E10"} and len(found) == 10
    assert coverage_of(ds, "timesheet") == []


def test_time_records_naming_a_few_of_the_workers_at_the_gate_are_a_partial_reading():
    ds = dataset(timesheet=time_rows(WORKERS[:3]), gate=gate_rows())
    assert RULES_BY_ID["XDOC-GATE-TIMESHEET"].run(ds, None) == []
    (coverage,) = coverage_of(ds, "timesheet")
    assert "7 of the 10 workers at the gate (35 finding(s) held back)" in coverage.message
    assert "name too few of the workers at the gate" in coverage.message
    assert {e.document for e in coverage.evidence} == {"gate.csv", "time.csv"}


def test_presence_beyond_the_punches_needs_no_coverage_and_stays():
    # both sides hold the day: nothing rests on an absence, so a month in part is no reason to hold it
    gate = gate_rows(WORKERS[:1], MARCH_DAYS[:1])
    gate[1]["timestamp"] = "2026-03-02 19:00"  # 120 min after the last clock-out
    found = RULES_BY_ID["XDOC-GATE-TIMESHEET"].run(dataset(timesheet=time_rows(WORKERS[:1]), gate=gate), None)
    assert subject_keys(found) == [("E01", "2026-03-02")] and found[0].measured == 120


# ---------------------------------------------------------------- XDOC-NO-PAYROLL

def test_a_payroll_month_read_in_part_gives_no_finding_per_worker():
    # phone photos of the March wage sheet, partly read: four of the ten workers' lines
    time = time_rows()
    payroll = [pay(w, regular_hours=40, base_pay=3000) for w in WORKERS[:4]]
    ds = dataset(timesheet=time, payroll=payroll)
    assert RULES_BY_ID["XDOC-NO-PAYROLL"].run(ds, None) == []
    (coverage,) = coverage_of(ds, "payroll")
    assert coverage.period["start"] == "2026-03-01"
    assert "XDOC-NO-PAYROLL would have fired for 6 of the 10 workers with worked days" in coverage.message
    assert "not checked: XDOC-NO-PAYROLL" in coverage.message


def test_a_payroll_photo_not_read_keeps_even_one_missing_worker_from_a_finding():
    photo = DocumentReport("payroll/2026-03 wages photo 2.jpg", "1" * 64, None, 1, DocStatus.UNREADABLE,
                           "image too blurred to read")
    ds = build({"time.csv": time_rows(), "pay.csv": [pay(w, regular_hours=40, base_pay=3000) for w in WORKERS[:9]]},
               [photo])
    assert RULES_BY_ID["XDOC-NO-PAYROLL"].run(ds, None) == []
    (coverage,) = coverage_of(ds, "payroll")
    assert "wages photo 2.jpg" in coverage.message and "XDOC-NO-PAYROLL would have fired for 1 of the 10" in coverage.message


def test_a_payroll_naming_all_but_one_worker_finds_that_one():
    ds = dataset(timesheet=time_rows(), payroll=[pay(w, regular_hours=40, base_pay=3000) for w in WORKERS[1:]])
    assert subject_keys(RULES_BY_ID["XDOC-NO-PAYROLL"].run(ds, None)) == [("E01", "2026-03-01")]


# ---------------------------------------------------------------- SEC-INSPECTION-MISSING

CONTAINERS = [f"TGHU{7000000 + k}" for k in range(36)]


def seals(containers=CONTAINERS) -> list[dict]:
    return [{"date": f"2026-04-{1 + k % 28:02d}", "container_no": c, "seal_no": f"S{k}", "verified_by": "Li",
             "vvtt_done": "Y"} for k, c in enumerate(containers)]


def inspection(container: str, date: str) -> dict:
    points = {p: "pass" for p in ("front wall", "left side", "right side", "floor", "ceiling roof", "doors",
                                  "undercarriage")}
    return {"date": date, "container_no": container, "seal_no": "S0", **points}


def test_a_seal_log_whose_inspection_forms_were_not_read_is_one_coverage_finding():
    # one PDF: the seal log was read, the inspection forms were not classified
    pdf = DocumentReport("security/seal log and inspections.pdf", "2" * 64, "seal_log", 3, DocStatus.OK,
                         sheets=[PageRead(1, "text layer"), PartRead(None, 1, "seal_log", DocStatus.OK),
                                 PageRead(2, "ocr"), PageRead(3, "ocr"),
                                 PartRead(None, 2, None, DocStatus.UNCLASSIFIED,
                                          "no header matched; closest to container_inspection (3 of 7)",
                                          closest=Kind.CONTAINER_INSPECTION)])
    ds = build({pdf.path: seals(), "inspections.csv": [inspection(CONTAINERS[0], "2026-04-01")]}, [pdf])
    assert RULES_BY_ID["SEC-INSPECTION-MISSING"].run(ds, None) == []
    (coverage,) = RULES_BY_ID["DQ-COVERAGE"].run(ds, None)
    assert coverage.subject == {"record_kind": "container_inspection"} and coverage.period["start"] == "2026-04-01"
    assert "SEC-INSPECTION-MISSING would have fired for 35 of the 36 containers sealed" in coverage.message
    assert pdf.path in {e.document for e in coverage.evidence}


def test_inspections_not_read_at_all_and_not_flagged_are_still_not_a_finding_per_container():
    ds = dataset(seals=seals())
    assert RULES_BY_ID["SEC-INSPECTION-MISSING"].run(ds, None) == []
    (coverage,) = RULES_BY_ID["DQ-COVERAGE"].run(ds, None)
    assert "no container inspections were read for 2026-04" in coverage.message
    assert "36 of the 36 containers sealed" in coverage.message


def test_most_containers_inspected_the_rest_are_findings():
    ds = dataset(seals=seals(), inspections=[inspection(c, "2026-04-01") for c in CONTAINERS[:30]])
    found = RULES_BY_ID["SEC-INSPECTION-MISSING"].run(ds, None)
    assert sorted(f.subject["container_no"] for f in found) == CONTAINERS[30:]


# ---------------------------------------------------------------- LIC-MISSING

def test_no_licence_read_at_all_is_coverage_not_every_licence_missing():
    ds = dataset(timesheet=time_rows(), profile=profile())
    assert RULES_BY_ID["LIC-MISSING"].run(ds, None) == []
    (coverage,) = coverage_of(ds, "license")
    assert "no licences were read" in coverage.message
    assert "LIC-MISSING would have fired for 2 of the 2 licence types the profile requires" in coverage.message


# ---------------------------------------------------------------- XDOC-PAID-NO-TIME

def test_paid_without_time_in_a_month_whose_time_records_were_not_read():
    payroll = [pay(w, m, regular_hours=40, base_pay=3000) for w in WORKERS for m in ("2026-03", "2026-04")]
    ds = dataset(timesheet=time_rows(WORKERS[1:]), payroll=payroll)  # E01 unseen in March; April not read
    found = RULES_BY_ID["XDOC-PAID-NO-TIME"].run(ds, None)
    assert subject_keys(found) == [("E01", "2026-03-01")] and found[0].period["end"] == "2026-03-31"
    assert found[0].measured == 40
    held = [h for h in held_back(ds, REGISTRY) if h.rule_id == "XDOC-PAID-NO-TIME"]
    assert [(h.kind, h.month, h.why, len(h.hits)) for h in held] == [("timesheet", "2026-04", "missing", 10)]


# ---------------------------------------------------------------- derived, never typed

def test_a_rule_declared_with_rests_on_is_said_not_checked_where_its_side_is_missing():
    from preaudit.app.review import rules_not_checked

    def find(ds: Dataset) -> list[Hit]:  # every sealed container, as if none were inspected
        return [Hit({"container_no": r["container_no"]}, {"start": str(r["date"]), "end": str(r["date"])},
                    None, None, [CITED], [r["_rec"]])
                for r in ds.tables[Kind.SEAL_LOG].to_dicts()]

    new = Rule(id="SEC-NEW-ABSENCE", category="security", severity="major", summary="test", evidence_fields={},
               find=find, message=lambda h: "x", rests_on=RestsOn((Kind.CONTAINER_INSPECTION,), among=SEALED))
    ds = dataset(seals=seals(CONTAINERS[:2]))
    assert new.run(ds, None) == []
    (said,) = [r for r in rules_not_checked(ds, [new]) if r["rule_id"] == "SEC-NEW-ABSENCE"]
    assert said["months"] == ["2026-04"] and said["record_kinds"] == ["container_inspection"]
    assert "SEC-NEW-ABSENCE not checked for 2026-04" in said["message"] and said["held_back"] == 2
    # and the registered rule of the same shape, in the run's list
    assert [r["rule_id"] for r in rules_not_checked(ds) if r["rule_id"].startswith("SEC-")] == ["SEC-INSPECTION-MISSING"]


def test_the_absence_rules_all_declare_what_they_rest_on():
    gated = {r.id for r in RULES if r.rests_on is not None and r.rests_on.gate}
    assert gated >= {"XDOC-GATE-TIMESHEET", "XDOC-NO-PAYROLL", "XDOC-HOURS-MISMATCH", "XDOC-PAID-NO-TIME",
                     "SEC-INSPECTION-MISSING", "LIC-MISSING", "XDOC-WORKER-UNKNOWN"}
    for r in RULES:
        if r.rests_on is not None and r.rests_on.gate:
            assert r.readings, f"{r.id}: say in readings= what it needs"


def test_no_list_of_rules_switched_off_by_a_gap_is_typed_by_hand():
    root = Path(__file__).resolve().parents[2]
    ids = re.compile(r"\b(?:XDOC|LAB|LIC|SEC|INT|ID|DQ)-[A-Z-]+\b")
    data_quality = {r.id for r in RULES if r.category == "data_quality"}  # a DQ rule may name itself
    for path in ("validators/dataset/coverage.py", "preaudit/app/review.py", "validators/data_quality.py"):
        assert set(ids.findall((root / path).read_text(encoding="utf-8"))) <= data_quality, path
