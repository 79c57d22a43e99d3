"""Identifier checks against the public test vectors in ../shared/realdocs/id-vectors."""
import csv
import datetime as dt
from pathlib import Path

import pytest

from preaudit.core.identifiers import ric_problem, uscc_problem

VECTORS = Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "id-vectors"
TODAY = dt.date(2026, 11, 26)


def rows(name):
    path = VECTORS / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_resident_ids_follow_gb_11643_leniently():
    for row in rows("cn_ric_vectors.csv"):
        expected_valid = row["upstream_expected"].startswith("valid")
        problem = ric_problem(row["value"], TODAY)
        assert (problem is None) == expected_valid, (row["value"], row["note"], problem)


def test_future_birth_date_is_invalid():
    from preaudit.core.identifiers import ric_check_char
    body = "31011520300101123"
    assert "future" in ric_problem(body + ric_check_char(body), TODAY)


def test_uscc_follows_gb_32100_including_letter_first_codes():
    for row in rows("cn_uscc_vectors.csv"):
        problem = uscc_problem(row["value"])
        assert (problem is None) == (row["upstream_expected"] == "valid"), (row["value"], problem)
    from preaudit.core.identifiers import uscc_check_char
    letter_first = "Y1350100M000100Y4"
    assert uscc_problem(letter_first + uscc_check_char(letter_first)) is None
