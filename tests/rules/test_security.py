"""Security rules (validators/security.py): a positive, a negative and a boundary case each
(CN-SH + SA8000 unless stated)."""
from __future__ import annotations

from tests.support.rules import run, subject_keys


# ---------------------------------------------------------------- SEC-*

SEALS = [{"date": "2026-04-01", "container_no": "C1", "seal_no": "S1", "verified_by": "Li", "vvtt_done": "Y"},
         {"date": "2026-04-02", "container_no": "C2", "seal_no": "S2", "verified_by": "Li", "vvtt_done": "N"},
         {"date": "2026-04-03", "container_no": "C3", "seal_no": "S3", "verified_by": None, "vvtt_done": "Y"},
         {"date": "2026-04-04", "container_no": "C4", "seal_no": "S1", "verified_by": "Li", "vvtt_done": "Y"},
         {"date": "2026-04-05", "container_no": "C5", "seal_no": "S5", "verified_by": "Li", "vvtt_done": "Y"}]
POINTS = {p: "pass" for p in ("front wall", "left side", "right side", "floor", "ceiling roof", "doors", "undercarriage")}
INSPECTIONS = [{"date": "2026-04-01", "container_no": "C1", "seal_no": "S1", **POINTS},
               {"date": "2026-04-01", "container_no": "C2", "seal_no": "S2", **POINTS, "floor": "fail"},
               {"date": "2026-04-03", "container_no": "C3", "seal_no": "S9", **POINTS, "doors": None},
               {"date": "2026-04-04", "container_no": "C4", "seal_no": "S1", **POINTS},
               {"date": "2026-04-06", "container_no": "C5", "seal_no": "S5", **POINTS}]  # the day after sealing


def sec(rule_id):
    return subject_keys(run(rule_id, seals=SEALS, inspections=INSPECTIONS))


def test_security_seals_and_inspections():
    assert sec("SEC-SEAL-MISMATCH") == [("C3", "2026-04-03")]
    assert sec("SEC-SEAL-REUSED") == [("S1", None)]
    assert sec("SEC-SEAL-VVTT") == [("C2", "2026-04-02"), ("C3", "2026-04-03")]
    assert sec("SEC-INSPECTION-MISSING") == [("C5", "2026-04-05")]
    assert sec("SEC-INSPECTION-INCOMPLETE") == [("C2", "2026-04-01"), ("C3", "2026-04-03")]


def test_security_visitors():
    visitors = [{"date": "2026-04-01", "visitor name": "A", "id checked": "Y", "time in": "09:00", "time out": "10:00"},
                {"date": "2026-04-01", "visitor name": "B", "id checked": "N", "time in": "09:00", "time out": "10:00"},
                {"date": "2026-04-02", "visitor name": "C", "id number": "11010519491231002X", "time in": "09:00"},
                {"date": "2026-04-02", "visitor name": "D", "time in": "09:00", "time out": "10:00"}]
    found = run("SEC-VISITOR-ID", visitors=visitors)
    assert subject_keys(found) == [("B|2026-04-01", "2026-04-01"), ("D|2026-04-02", "2026-04-02")]
    assert subject_keys(run("SEC-VISITOR-EXIT", visitors=visitors)) == [("C|2026-04-02", "2026-04-02")]
