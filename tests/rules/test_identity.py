"""Identity rules (validators/identity.py): a positive, a negative and a boundary case each
(CN-SH + SA8000 unless stated)."""
from __future__ import annotations

import datetime as dt

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


def test_id_invalid_in_vietnam_takes_the_old_nine_digit_cmnd_beside_the_cccd():
    """VN checks two schemes: the 12-digit CCCD and the 9-digit CMND still in use. A CMND is a
    valid number there; the same digits one short or one long fit neither."""
    roster = [{"worker_id": "V1", "national_id": "023456789"},          # CMND, 9 digits: valid
              {"worker_id": "V2", "national_id": "0234 5678 9"},        # the same CMND, spaced as printed
              {"worker_id": "V3", "national_id": "02345678"},           # 8 digits: no scheme
              {"worker_id": "V4", "national_id": "02345678901"},        # 11 digits: no scheme
              {"worker_id": "V5", "national_id": "079198123456", "gender": "F"}]  # CCCD, a woman born 1998
    found = RULES_BY_ID["ID-INVALID"].run(dataset(roster=roster, jurisdiction="VN-R1", standards=(),
                                                  profile=profile(jurisdiction="VN-R1")), None)
    assert subject_keys(found) == [("V3", None), ("V4", None)]
    assert all("CMND, 9 digits" in f.message and "CCCD, 12 digits" in f.message for f in found), \
        [f.message for f in found]


def test_a_cmnd_is_vietnams_to_judge():
    from preaudit.core.identifiers import national_id_problem

    today = dt.date(2026, 6, 15)
    assert national_id_problem("023456789", ["vn_cccd", "vn_cmnd"], None, None, today) is None
    assert "CMND" in national_id_problem("02345678", ["vn_cccd", "vn_cmnd"], None, None, today)
    # on a Chinese roster the factory's country decides: a 9-digit number is a bad resident ID, not a
    # Vietnamese CMND (issue 27 item 9; this asserted the opposite before)
    assert "GB 11643" in national_id_problem("023456789", ["cn_ric"], None, None, today)
    assert "fit no national ID format" in national_id_problem("02345678", ["cn_ric"], None, None, today)
