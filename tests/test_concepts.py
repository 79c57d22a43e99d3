"""Headers read by what their words mean (extractors/concepts.py): words → concepts → a field.
The headers here are not phrases of fields.yaml: they are read by composition alone."""
from __future__ import annotations

import pytest

from extractors.concepts import ConceptReader
from extractors.headers import HeaderMapper
from preaudit.core.model import Kind

CN = {"weekday": 1.5, "restday": 2.0, "holiday": 3.0}
M = HeaderMapper(premiums=CN)


@pytest.mark.parametrize("header,field", [
    ("Hrs of OT on Public Holidays", "ot_hours_holiday"),
    ("Sunday OT (hrs)", "ot_hours_restday"),
    ("国庆加班小时", "ot_hours_holiday"),
    ("Giờ làm thêm ngày lễ", "ot_hours_holiday"),
    ("মোট ওভারটাইম ঘণ্টা", "ot_hours_weekday"),
    ("Tiền làm thêm ngày nghỉ", "ot_pay"),
    ("Staff Code No.", "worker_id"),
    ("Take-home Amount", "net_pay"),
    ("Tiền lương cơ bản", "base_pay"),
    ("Deduction for advance salary", "deductions"),
    ("Provident Fund Deduction", "social_insurance"),
    ("Total Deductions Amount", "deductions_total"),
])
def test_a_header_no_phrase_names_is_composed_from_its_words(header, field):
    hit = M.match(Kind.PAYROLL, [header])
    assert hit is not None and hit.field == field and hit.how == "composed", (header, hit)


def test_a_day_type_is_never_changed_into_another():
    # rest-day and holiday overtime hours are not weekday overtime hours, whatever else they say
    for header in ("OT hrs (weekend)", "Rest-day OT hours", "节假日加班工时数"):
        assert M.match(Kind.PAYROLL, [header]).field != "ot_hours_weekday", header
    # money is not hours: "OT hours pay" names the pay, not the hours
    assert M.match(Kind.PAYROLL, ["Holiday OT amount"]).field == "ot_pay"


def test_an_unknown_word_is_ignored_never_guessed():
    reading = ConceptReader().read("Zuschlag OT Stunden")
    assert reading.unknown == ["zuschlag", "stunden"] and reading.concepts == {"overtime"}
    assert M.match(Kind.PAYROLL, ["Zuschlag OT"]) is None  # overtime alone: neither hours nor pay


def test_a_misspelt_word_is_read_as_the_word_it_is():
    reading = ConceptReader().read("Emp1oyee Nane")
    assert reading.corrected == [("emp1oyee", "employee")]
    assert reading.unknown == ["nane"]  # a word of four letters is too short to be guessed
    assert M.match(Kind.ROSTER, ["Emp1oyee Code"]).field == "worker_id"


def test_words_of_another_field_block_a_composition():
    for header in ("Bank Account No", "Employee Signature", "Late minutes", "Expected work hours"):
        hit = M.match(Kind.PAYROLL, [header])
        assert hit is None or hit.how != "composed", (header, hit)
        assert M.match(Kind.TIMESHEET, [header]) is None, header


def test_two_columns_that_compose_to_one_field_are_both_left_unmapped_with_the_reason():
    mapping = M.map_columns(Kind.PAYROLL, [["Staff Code No.", "Take-home Amount", "Amount take home (cash)"]])
    assert 0 in mapping.columns and mapping.columns[0] == "worker_id"
    assert 1 not in mapping.columns and 2 not in mapping.columns
    assert "both read as net_pay" in mapping.why_unmapped[1] and "both read as net_pay" in mapping.why_unmapped[2]


def test_a_multiplier_the_premiums_cannot_tell_leaves_the_column_unmapped_and_says_why():
    mapping = HeaderMapper(premiums={"weekday": 2.0, "restday": 2.0, "holiday": 3.0}).map_columns(
        Kind.PAYROLL, [["Emp ID", "OT Hrs 200%"]])
    assert mapping.columns == {0: "worker_id"}
    assert "premium of weekday and restday" in mapping.why_unmapped[1]


def test_a_factory_registers_everyday_words_compose():
    """Words of registers as Chinese and Vietnamese factories write them in English and Vietnamese:
    normal OT is the weekday's, TC is tăng ca (overtime), the housing fund and IIT are deducted."""
    mapper = HeaderMapper(premiums={"weekday": 1.5, "restday": 2.0, "holiday": 3.0})
    expected = {"Normal OT Hrs": ("ot_hours_weekday", False), "Normal OT Amt": ("ot_pay", True),
                "Working Days": ("days_worked", False), "Position Allowance": ("allowances", True),
                "Housing Fund": ("social_insurance", True), "IIT": ("deductions", True),
                "Giờ TC ngày thường": ("ot_hours_weekday", False), "Tiền TC ngày lễ": ("ot_pay", True),
                "Phụ cấp chức vụ": ("allowances", True), "Công đoàn": ("deductions", True),
                "Working Day OT Hours": ("ot_hours_weekday", False)}
    got = {h: (lambda hit: hit and (hit.field, hit.part))(mapper.match(Kind.PAYROLL, [h])) for h in expected}
    assert got == expected
    # a weekday OT reading never takes a holiday or a rest day
    assert mapper.match(Kind.PAYROLL, ["Giờ TC ngày lễ"]).field == "ot_hours_holiday"
    assert mapper.match(Kind.PAYROLL, ["Normal Hours"]).field == "regular_hours"


def test_function_words_of_several_characters_are_read_past():
    """'个人部分' (the worker's part) qualifies a deduction without naming another; '单位部分' (the
    employer's part) still names something no pay field holds."""
    assert (M.match(Kind.PAYROLL, ["社保个人部分"]).field, M.match(Kind.PAYROLL, ["社保个人部分"]).part) == \
        ("social_insurance", True)
    assert M.match(Kind.PAYROLL, ["社保单位部分"]) is None


def test_a_bangladeshi_registers_bills_and_charges_are_pay_parts():
    """Bangladesh's garment registers call allowances bills (night bill, tiffin bill) and take a
    stamp charge; 'others' qualifies a part without naming another."""
    mapper = HeaderMapper(premiums={"weekday": 2.0})
    expected = {"Night Bill": "allowances", "Tiffin Bill": "allowances", "Lunch Allowance": "allowances",
                "Arrear": "allowances", "Stamp Charge": "deductions", "Others Deduction": "deductions"}
    assert {h: (mapper.match(Kind.PAYROLL, [h]) or None) and mapper.match(Kind.PAYROLL, [h]).field
            for h in expected} == expected
    # a lunch in a time record is still its break, and a bare "Misc" names nothing
    assert mapper.match(Kind.TIMESHEET, ["Lunch"]).field == "break_minutes"
    assert mapper.match(Kind.PAYROLL, ["Misc"]) is None


def test_a_sides_pair_number_and_a_weekend_spelt_in_two_words():
    """'Vào 2' / 'Ra 2' are the second pair (not a second reading of the first, which left both
    unmapped); ZKTeco's 'WeekEnd_OT' is the weekend's overtime, never a clock-out ('end')."""
    hdr = ["Mã NV", "Ngày", "Giờ vào", "Giờ ra", "Vào 2", "Ra 2", "WeekEnd_OT"]
    mapping = M.map_columns(Kind.TIMESHEET, [hdr])
    assert [mapping.columns.get(i) for i in range(len(hdr))] == \
        ["worker_id", "date", "in1", "out1", "in2", "out2", None]
    assert "pair 2 by its number" in mapping.how[4]
    assert M.match(Kind.PAYROLL, ["WeekEnd_OT Hours"]).field == "ot_hours_restday"
