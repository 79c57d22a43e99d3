"""Issue 27 item 9: the factory's country decides the national ID scheme first. In a CN factory a
17-, 9-, 10-, 12- or 13-digit number is a bad resident ID (ID-INVALID naming GB 11643), not another
country's number; only a clearly foreign document (a passport-like value with letters, or a column
headed passport / 护照 / foreign) is left unjudged. The same for VN, BD and IN."""
from __future__ import annotations

import datetime as dt

import pytest

from preaudit.core.identifiers import ric_check_char, national_id_problem
from preaudit.core.model import DocStatus, DocumentReport, PartRead
from validators.dataset.dataset import Dataset
from preaudit.core.packs import load_packs, resolve
from tests.support.builders import dataset, profile, table
from tests.support.rules import subject_keys
from validators import RULES_BY_ID

TODAY = dt.date(2026, 6, 15)
CN_OK = "31011519900101602" + ric_check_char("31011519900101602")


@pytest.mark.parametrize("digits", [17, 9, 10, 12, 13])
def test_a_cn_factory_judges_any_digit_string_as_a_resident_id(digits):
    number = "1234567890123456789"[:digits]
    problem = national_id_problem(number, ["cn_ric"], None, None, TODAY)
    assert problem is not None and "Chinese resident ID (GB 11643)" in problem and str(digits) in problem


def test_the_rule_finds_them_in_a_cn_factory():
    roster = [{"worker_id": f"E{n}", "national_id": "1234567890123456789"[:n]} for n in (17, 9, 10, 12, 13)]
    roster += [{"worker_id": "OK", "national_id": CN_OK},
               {"worker_id": "P1", "national_id": "E12345678"},      # a Chinese passport: foreign doc
               {"worker_id": "P2", "national_id": "C01X00T47"},      # a Vietnamese / other passport
               {"worker_id": "S1", "national_id": "3101 1519 9001 0160 2" + CN_OK[-1]}]  # spaced: valid
    found = RULES_BY_ID["ID-INVALID"].run(dataset(roster=roster, profile=profile()), None)
    assert sorted(subject_keys(found)) == sorted((f"E{n}", None) for n in (17, 9, 10, 12, 13))
    assert all("GB 11643" in f.message for f in found)


def test_a_column_headed_passport_holds_foreign_documents():
    rows = [{"worker_id": "F1", "passport / national id": "023456789"},
            {"worker_id": "F2", "passport / national id": "11010519491231001X"}]  # own shape: judged
    t = table(rows, "roster.csv")
    assert any(c.get("field") == "national_id" for c in t.columns), t.columns
    report = DocumentReport("roster.csv", "0" * 64, "roster", None, DocStatus.OK,
                            sheets=[PartRead(None, None, "roster", DocStatus.OK, columns=t.columns)])
    context = resolve("CN-SH", ["sa8000"], {}, load_packs())
    ds = Dataset.build([t], context, [report], profile=profile())
    found = RULES_BY_ID["ID-INVALID"].run(ds, None)
    assert subject_keys(found) == [("F2", None)]
    # the same numbers under a plain header: both judged as resident IDs
    plain = RULES_BY_ID["ID-INVALID"].run(dataset(roster=[{"worker_id": r["worker_id"],
                                                           "national_id": r["passport / national id"]}
                                                          for r in rows], profile=profile()), None)
    assert subject_keys(plain) == [("F1", None), ("F2", None)]


@pytest.mark.parametrize("jurisdiction,schemes,bad,label", [
    ("VN-R1", ["vn_cccd", "vn_cmnd"], ["31011519900101602" + ric_check_char("31011519900101602"),
                                        "1234567890", "1234567890123"], "CCCD, 12 digits"),
    ("BD", ["bd_nid"], ["123456789", "123456789012", CN_OK], "Bangladeshi NID"),
    ("IN", ["in_aadhaar"], ["123456789", "1234567890", "1234567890123", CN_OK], "Aadhaar"),
])
def test_the_factorys_country_decides_elsewhere_too(jurisdiction, schemes, bad, label):
    for number in bad:
        problem = national_id_problem(number, schemes, None, None, TODAY)
        assert problem is not None and label in problem, (number, problem)
    assert national_id_problem("N1234567", schemes, None, None, TODAY) is None  # a passport
    assert national_id_problem("A123456(7)", schemes, None, None, TODAY) is None  # a Hong Kong identity card


def test_the_rule_pack_gives_the_schemes():
    """VN, BD and IN rosters through the rule: a Chinese ID there is invalid, a passport is not judged."""
    for jurisdiction in ("VN-R1", "BD", "IN"):
        roster = [{"worker_id": "C1", "national_id": CN_OK}, {"worker_id": "P1", "national_id": "E12345678"}]
        found = RULES_BY_ID["ID-INVALID"].run(dataset(roster=roster, jurisdiction=jurisdiction, standards=(),
                                                      profile=profile(jurisdiction=jurisdiction)), None)
        assert subject_keys(found) == [("C1", None)], jurisdiction
