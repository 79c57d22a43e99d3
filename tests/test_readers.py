"""Readers and classification, on files written the ways factories write them."""
import datetime as dt
import io

import openpyxl
import pytest
import xlwt

from extractors import read_document, sniff_format
from extractors.headers import HeaderMapper
from preaudit.core.model import DocStatus, Document, Kind

ROWS = [["工号", "姓名", "日期", "上班1", "下班1"], ["E1", "张三", "2026年3月2日", "08:00", "17:00"],
        ["E2", "李四", "2026年3月2日", "08:05", "17:10"]]


def read(path, data, column_map=None):
    doc = Document(path, "f" * 64, len(data), sniff_format(path, data[:16]))
    return read_document(doc, data, HeaderMapper(column_map))


def csv_bytes(rows, delimiter=",", encoding="utf-8", bom=False):
    text = "\r\n".join(delimiter.join(r) for r in rows)
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


@pytest.mark.parametrize("encoding,delimiter,bom", [
    ("utf-8", ",", False), ("utf-8", ";", True), ("gbk", "\t", False), ("gb18030", ",", False), ("utf-8", "\t", True)])
def test_csv_encodings_and_delimiters(encoding, delimiter, bom):
    result = read("t.csv", csv_bytes(ROWS, delimiter, encoding, bom))
    assert result.report.status is DocStatus.OK and result.report.kind == "timesheet"
    df = result.tables[0].df
    assert df["worker_id"].to_list() == ["E1", "E2"] and df["name"].to_list() == ["张三", "李四"]
    assert df["date"].to_list() == [dt.date(2026, 3, 2)] * 2 and df["in1"].to_list() == [480, 485]
    assert df["_row"].to_list() == [2, 3] and df["ref:in1"].to_list() == ["D2", "D3"]
    assert df["raw:date"].to_list() == ["2026年3月2日"] * 2


def test_xlsx_title_rows_two_line_header_merged_cells_and_native_values():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2026-03"
    sheet.append(["2026年3月考勤 / Attendance"])
    sheet.append(["工号", "日期", "上午 / AM", None, "下午 / PM", None])
    sheet.append(["Emp. No.", "Date", "上班 In", "下班 Out", "上班 In", "下班 Out"])
    sheet.merge_cells("C2:D2")
    sheet.merge_cells("E2:F2")
    sheet.append(["E1", dt.datetime(2026, 3, 2), dt.time(8), dt.time(12), dt.time(13), dt.time(17, 30)])
    sheet.append(["E2", 46083, "08:00", "12:00", "13:00", "17:00"])  # a serial date, text times
    buf = io.BytesIO()
    book.save(buf)
    result = read("a.xlsx", buf.getvalue())
    t = result.tables[0]
    assert t.kind is Kind.TIMESHEET and t.header_rows == [2, 3]
    assert t.df.select("in1", "out1", "in2", "out2").rows() == [(480, 720, 780, 1050), (480, 720, 780, 1020)]
    assert t.df["date"].to_list() == [dt.date(2026, 3, 2)] * 2
    assert t.df["_sheet"].to_list() == ["2026-03"] * 2 and t.df["_row"].to_list() == [4, 5]


def test_xlsx_every_sheet_is_classified_and_payroll_month_comes_from_the_sheet_name():
    book = openpyxl.Workbook()
    roster = book.active
    roster.title = "Roster"
    roster.append(["Employee ID", "Name", "ID Card No", "Join Date"])
    roster.append(["E1", "A", "310115199001011234", "2025-01-01"])
    pay = book.create_sheet("2026年4月")
    pay.append(["工号", "基本工资", "实发工资"])
    pay.append(["E1", 3000, 2800])
    pay.append(["合计", 3000, 2800])
    book.create_sheet("empty")
    buf = io.BytesIO()
    book.save(buf)
    result = read("book.xlsx", buf.getvalue())
    assert result.report.kind == "mixed"
    kinds = {t.kind: t for t in result.tables}
    assert set(kinds) == {Kind.ROSTER, Kind.PAYROLL}
    assert kinds[Kind.PAYROLL].df["period"].to_list() == ["2026-04"]  # and the total row is not a worker
    assert kinds[Kind.PAYROLL].skipped_rows == 1


def test_xls_legacy_workbook_with_dates():
    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    for c, h in enumerate(["Staff ID", "DOB", "National ID"]):
        sheet.write(0, c, h)
    sheet.write(1, 0, "E7")
    sheet.write(1, 1, dt.date(2010, 9, 1), xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    sheet.write(1, 2, "310115201009011237")
    buf = io.BytesIO()
    book.save(buf)
    result = read("r.xls", buf.getvalue())
    assert result.tables[0].kind is Kind.ROSTER
    assert result.tables[0].df["birth_date"].to_list() == [dt.date(2010, 9, 1)]


@pytest.mark.parametrize("path,data,status,reason", [
    ("x.xlsx", b"PK\x03\x04garbage", DocStatus.UNREADABLE, "not a readable .xlsx"),
    ("x.xls", b"\xd0\xcf\x11\xe0broken", DocStatus.UNREADABLE, "not a readable .xls"),
    ("x.csv", b"", DocStatus.UNREADABLE, "empty"),
    ("x.csv", b"  \n ", DocStatus.UNREADABLE, "empty"),
    ("menu.csv", "菜品,价格\n红烧肉,12\n".encode(), DocStatus.UNCLASSIFIED, "no header row"),
    ("half.csv", b"Employee ID,Name\nE1,A\n", DocStatus.UNCLASSIFIED, "lacks"),
    ("scan.pdf", b"%PDF-1.4 ...", DocStatus.UNREADABLE, "not a readable PDF"),
    ("photo.jpg", b"\xff\xd8\xff\xe0broken", DocStatus.UNREADABLE, "not a readable image"),
    ("notes.docx", b"\x00\x01binary", DocStatus.UNREADABLE, "not a document format preaudit reads"),
])
def test_bad_documents_get_a_status_and_a_reason(path, data, status, reason):
    result = read(path, data)
    assert result.report.status is status and reason in result.report.reason
    assert result.tables == []


def test_renamed_files_are_read_by_content():
    book = openpyxl.Workbook()
    book.active.append(["Employee ID", "Date of Birth"])
    book.active.append(["E1", "1990-01-01"])
    buf = io.BytesIO()
    book.save(buf)
    assert read("export.csv", buf.getvalue()).tables[0].kind is Kind.ROSTER


def test_unparseable_values_are_reported_not_dropped():
    rows = [["工号", "日期", "上班1", "下班1"], ["E1", "2026-03-02", "08:00", "lunch?"], ["E2", "yesterday", "08:00", "17:00"]]
    result = read("t.csv", csv_bytes(rows))
    problems = result.report.parts[0].problems
    assert {(p.row, p.field) for p in problems} == {(2, "out1"), (3, "date")}
    assert result.tables[0].df.height == 2  # the rows stay; their bad values are null


def test_unmapped_columns_are_listed():
    rows = [["工号", "日期", "上班1", "下班1", "备注"], ["E1", "2026-03-02", "08:00", "17:00", "ok"]]
    assert read("t.csv", csv_bytes(rows)).report.unmapped_columns == ["备注"]


def test_column_map_from_the_profile():
    rows = [["Emp No", "Month", "Basic Salary", "Amount Received"], ["E1", "2026-03", "3000", "2800"]]
    result = read("p.csv", csv_bytes(rows), {"Amount Received": "net_pay"})
    assert result.tables[0].df["net_pay"].to_list() == [2800.0]


@pytest.mark.parametrize("text,encoding", [
    ("Employee ID,Name,Date of Birth\nE1,José Núñez,1990-01-01\nE2,Françoise Müller,1991-02-02\n", "cp1252"),
    ("工号,姓名,出生日期\nE1,王堃,1990-01-01\nE2,李喆,1991-02-02\nE3,张三,1992-03-03\n", "gbk"),
    ("工号,姓名,出生日期\nE1,䶮,1990-01-01\n", "gb18030"),  # a rare name character, outside GB2312
])
def test_csv_encodings_beyond_utf8_keep_names_intact(text, encoding):
    result = read("roster.csv", text.encode(encoding))
    names = result.tables[0].df["name"].to_list()
    assert names == [line.split(",")[1] for line in text.splitlines()[1:]]
