import datetime as dt

import pytest

from extractors import values as V

D = dt.date


@pytest.mark.parametrize("raw,expected", [
    ("2026-03-05", D(2026, 3, 5)), ("2026/3/5", D(2026, 3, 5)), ("2026.03.05", D(2026, 3, 5)),
    ("2026-03-05 00:00:00", D(2026, 3, 5)), ("2026年3月5日", D(2026, 3, 5)), ("2026 年 03 月 05 日", D(2026, 3, 5)),
    ("20260305", D(2026, 3, 5)), ("05/03/2026", D(2026, 3, 5)), ("5-3-26", D(2026, 3, 5)),
    (46086, D(2026, 3, 5)), ("46086", D(2026, 3, 5)), (dt.datetime(2026, 3, 5, 8, 0), D(2026, 3, 5)),
    ("5 Mar 2026", D(2026, 3, 5)), ("Mar 5, 2026", D(2026, 3, 5)), ("", None), (None, None), ("-", None),
])
def test_parse_date_forms(raw, expected):
    assert V.parse_date(raw) == expected


def test_date_order_is_decided_by_the_column():
    assert V.date_order(["03/05/2026", "03/25/2026"]) == "MDY"
    assert V.date_order(["03/05/2026", "25/03/2026"]) == "DMY"
    assert V.date_order(["03/05/2026"]) == "DMY"  # undecidable: day-first
    assert V.parse_date("03/05/2026", order="MDY") == D(2026, 3, 5)


@pytest.mark.parametrize("raw", ["2026-13-01", "31/02/2026", "not a date", "2026年2月30日"])
def test_parse_date_rejects(raw):
    with pytest.raises(ValueError):
        V.parse_date(raw)


@pytest.mark.parametrize("raw,expected", [
    ("08:00", 480), ("8:00", 480), ("08:00:59", 480), ("0800", 480), ("8点30分", 510), ("20时05分", 1205),
    ("5:30 PM", 1050), ("12:00 AM", 0), ("下午5:30", 1050), ("08：00", 480), (0.75, 1080),
    (dt.time(21, 30), 1290), ("24:00", 0), ("", None),
])
def test_parse_clock_forms(raw, expected):
    assert V.parse_clock(raw) == expected


@pytest.mark.parametrize("raw", ["25:00", "8:75", "morning", 1.5])
def test_parse_clock_rejects(raw):
    with pytest.raises(ValueError):
        V.parse_clock(raw)


def test_parse_punches_one_cell():
    assert V.parse_punches("08:00-12:00 13:00-17:30") == [480, 720, 780, 1050]
    assert V.parse_punches("08:00 12:00, 13:00 17:30") == [480, 720, 780, 1050]
    assert V.parse_punches("21:00~05:30") == [1260, 330]
    with pytest.raises(ValueError):
        V.parse_punches("08:00 12:00 13:00")  # an unpaired punch is not silently dropped


@pytest.mark.parametrize("raw,expected", [
    ("1,234.50", 1234.5), ("¥1,234.50", 1234.5), ("RMB 3200", 3200.0), ("3200元", 3200.0), ("(12.00)", -12.0),
    ("1.234,50", 1234.5), ("12,5", 12.5), ("-50", -50.0), (2740, 2740.0), ("", None),
])
def test_parse_amount_forms(raw, expected):
    assert V.parse_amount(raw) == expected


def test_parse_hours_and_minutes():
    assert V.parse_hours("8.5h") == 8.5 and V.parse_hours("8小时") == 8.0 and V.parse_hours("7:30") == 7.5
    assert V.parse_minutes("30 min") == 30 and V.parse_minutes("0:45") == 45 and V.parse_minutes("30分钟") == 30
    # DingTalk / WeCom write a duration in words
    assert V.parse_hours("9小时30分钟") == 9.5 and V.parse_hours("9h 15m") == 9.25 and V.parse_hours("45分钟") == 0.75
    assert V.parse_hours("8 hrs 30 mins") == 8.5


@pytest.mark.parametrize("raw,expected", [
    ("2026-03", "2026-03"), ("2026/3", "2026-03"), ("2026年3月", "2026-03"), ("2026年03月份", "2026-03"),
    ("Mar 2026", "2026-03"), ("March-2026", "2026-03"), ("03/2026", "2026-03"), ("202603", "2026-03"),
    (D(2026, 3, 31), "2026-03"), ("2026-03-31", "2026-03"),
])
def test_parse_period_forms(raw, expected):
    assert V.parse_period(raw) == expected


def test_identifiers_and_flags():
    assert V.parse_identifier(1023.0) == "1023"
    assert V.parse_identifier(" 31011520100901 1237 ") == "310115201009011237"
    assert V.parse_gender("女") == "F" and V.parse_bool("是") is True and V.parse_bool("×") is False


def test_parse_column_reports_failures_and_parses_each_value_once():
    calls = []

    def parser(v):
        calls.append(v)
        return V.parse_amount(v)

    parsed, failed = V.parse_column(["1", "x", "1", None, "x"], parser)
    assert parsed == [1.0, None, 1.0, None, None]
    assert failed == [1, 4]
    assert sorted(map(str, calls)) == ["1", "None", "x"]


@pytest.mark.parametrize("raw,expected", [
    ("T08-2025", "2025-08"), ("t8/2025", "2025-08"), ("T08.2025", "2025-08"),    # Vietnamese short forms
    ("Tháng 08 năm 2025", "2025-08"), ("tháng 8/2025", "2025-08"),
    ("Aug-2025", "2025-08"), ("AUG 2025", "2025-08"), ("August-2025", "2025-08"), ("AUGUST 2025", "2025-08"),
    ("8月", "XXXX-08"),                                                          # the year from the audit period
])
def test_parse_period_month_forms_the_readme_names(raw, expected):
    assert V.parse_period(raw) == expected


@pytest.mark.parametrize("raw", ["T13-2025", "Auf-2025", "13月"])
def test_parse_period_refuses_a_month_that_is_none(raw):
    with pytest.raises(ValueError):
        V.parse_period(raw)


@pytest.mark.parametrize("name,expected", [
    ("Bang luong T08-2025.csv", "2025-08"), ("Luong_T8-2025.csv", "2025-08"), ("payroll_Aug-2025.csv", "2025-08"),
    ("SALARY SHEET FOR THE MONTH OF AUGUST 2025.csv", "2025-08"),   # a Bangladesh wage sheet's title, in capitals
])
def test_a_payrolls_month_from_its_file_name(name, expected):
    """A payroll with no month column takes its month from the file name (README: "a payroll's
    month from a column, the title, the sheet or the file name")."""
    import hashlib

    from extractors import read_document
    from extractors.headers import HeaderMapper
    from preaudit.core.model import Document

    data = "工号,姓名,基本工资,实发工资\nA1,王,3000,2900\n".encode()
    doc = Document(name, hashlib.sha256(data).hexdigest(), len(data), "csv")
    table = read_document(doc, data, HeaderMapper()).tables[0]
    assert table.df["period"].to_list() == [expected]
