"""Identity rules (validators/identity.py): a positive, a negative and a boundary case each
(CN-SH + SA8000 unless stated)."""
from __future__ import annotations

from tests.support.builders import dataset, profile
from tests.support.rules import subject_keys
from validators import RULES_BY_ID


# ---------------------------------------------------------------- ID-INVALID

def test_id_invalid_check_character_date_and_disagreement():
    roster = [{"worker_id": "E1", "national_id": "11010519491231002X"},                   # valid
              {"worker_id": "E2", "national_id": "11010519491231001X"},                   # bad check char
              {"worker_id": "E3", "national_id": "11010519491231002X", "birth_date": "1949-12-30"},
              {"worker_id": "E4", "national_id": "440524188001010014", "birth_date": "1880-01-01"},
              {"worker_id": "E5", "national_id": "610104620927690"}]                      # 15 digits, valid
    found = RULES_BY_ID["ID-INVALID"].run(dataset(roster=roster, profile=profile()), None)
    assert subject_keys(found) == [("E2", None), ("E3", None)]
    assert "check character" in found[0].message and "differs from birth_date" in found[1].message
