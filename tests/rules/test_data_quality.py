"""Data-quality rules (validators/data_quality.py): a positive, a negative and a boundary case each
(CN-SH + SA8000 unless stated)."""
from __future__ import annotations

from tests.support.builders import dataset, day, profile
from tests.support.rules import PAIRS_8H, pay, subject_keys
from validators import RULES_BY_ID


# ---------------------------------------------------------------- DQ-PERIOD-GAP

def test_period_gap_per_record_kind():
    time = [day("E1", "2026-03-02", *PAIRS_8H), day("E1", "2026-05-04", *PAIRS_8H)]
    ds = dataset(timesheet=time, payroll=[pay("E1", m, base_pay=1) for m in ("2026-03", "2026-04", "2026-05")],
                 profile=profile())
    found = RULES_BY_ID["DQ-PERIOD-GAP"].run(ds, None)
    assert subject_keys(found) == [("timesheet", "2026-04-01")]
