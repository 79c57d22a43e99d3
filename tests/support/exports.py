"""What the reading tests build and read: files in the shapes of docs/reference/real-exports.md, read as a pack's documents are."""
from __future__ import annotations

import io
import openpyxl
from extractors import read_document, sniff_format
from extractors.headers import HeaderMapper
from preaudit.core.model import DocStatus, Document, Kind


def read(path, data, column_map=None):
    doc = Document(path, "f" * 64, len(data), sniff_format(path, data[:16]))
    return read_document(doc, data, HeaderMapper(column_map))


def csv_bytes(rows, delimiter=",", encoding="utf-8"):
    return "\r\n".join(delimiter.join(str(c) for c in r) for r in rows).encode(encoding)


def xlsx_bytes(rows, merges=(), title="Sheet1"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def only_table(result, kind=Kind.TIMESHEET):
    assert result.report.status is DocStatus.OK, result.report
    tables = [t for t in result.tables if t.kind is kind]
    assert len(tables) == 1, [t.kind for t in result.tables]
    return tables[0]


def pairs(df, worker, date):
    row = df.filter((df["worker_id"] == worker) & (df["date"] == date)).to_dicts()
    assert len(row) == 1, row
    out = []
    for i in range(1, 6):
        if row[0][f"in{i}"] is not None or row[0][f"out{i}"] is not None:
            out.append((row[0][f"in{i}"], row[0][f"out{i}"]))
    return out


def hm(text):
    h, m = text.split(":")
    return int(h) * 60 + int(m)


ZK_NEW = ["Department", "Name", "No.", "Date/Time", "Location ID", "ID Number", "VerifyCode", "CardNo"]


DINGTALK = ["姓名", "考勤组", "部门", "工号", "职位", "UserId", "日期", "班次",
            "上班1打卡时间", "上班1打卡结果", "下班1打卡时间", "下班1打卡结果",
            "上班2打卡时间", "上班2打卡结果", "下班2打卡时间", "下班2打卡结果", "关联的审批单"]


def dingtalk_workbook(rows):
    title = ["每日统计表 统计日期：2025-08-01 至 2025-08-31"] + [None] * (len(DINGTALK) - 1)
    note = ["报表生成时间：2025-09-01 10:00"] + [None] * (len(DINGTALK) - 1)
    group = DINGTALK[:8] + ["打卡时间与结果"] * 8 + [DINGTALK[-1]]
    merges = ["A1:Q1", "A2:Q2", "I3:P3"] + [f"{c}3:{c}4" for c in "ABCDEFGHQ"]
    return xlsx_bytes([title, note, group, DINGTALK] + rows, merges)


def xls_bytes(rows, sheet="Sheet1"):
    import xlwt

    book = xlwt.Workbook()
    ws = book.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
