"""Issue 27 item 6: a valid timesheet workbook with ~100 extra numeric columns (headed by numbers or
by nothing) raised AttributeError in header matching (a number or a date cell has no .strip()), was
reported as damaged, and its coverage gap switched the timesheet rules off for every month."""
from __future__ import annotations

import datetime as dt
import hashlib
import io

import openpyxl
import pytest

from extractors import read_document
from extractors.headers import HeaderMapper, candidate_texts
from preaudit.core.model import DocStatus, Document, Kind
from preaudit.core.packs import load_packs, resolve
from validators.dataset.dataset import Dataset
from tests.support.builders import profile


def workbook(extra_headers) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "考勤"
    ws.append(["工号", "姓名", "日期", "上班1", "下班1", "上班2", "下班2"] + list(extra_headers))
    for w in range(3):
        for k in range(20):
            day = dt.date(2026, 3, 2) + dt.timedelta(days=k)
            ws.append([f"E{w}", f"工人{w}", day, "08:00", "12:00", "13:00", "17:00"]
                      + [k * 1.5 + j for j in range(len(extra_headers))])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("headers", [
    [n if n % 3 else None for n in range(1, 101)],   # numbers, some columns unheaded
    list(range(1, 101)),                             # numbers 1..100 (1..31 look like days)
    [None] * 100,                                    # no header at all
    [float(n) / 2 for n in range(100)],              # numbers with decimals, 0.0 first
], ids=["numbers-and-empty", "numbers", "empty", "decimals"])
def test_a_wide_timesheet_is_read_with_its_records(headers):
    data = workbook(headers)
    doc = Document("考勤 wide.xlsx", hashlib.sha256(data).hexdigest(), len(data), "xlsx")
    extracted = read_document(doc, data, HeaderMapper())
    assert extracted.report.status is DocStatus.OK, extracted.report.reason
    assert [t.kind for t in extracted.tables] == [Kind.TIMESHEET]
    df = extracted.tables[0].df
    assert df.height == 60
    assert df["worker_id"].unique().sort().to_list() == ["E0", "E1", "E2"]
    assert df["in1"].null_count() == 0 and df["out2"].null_count() == 0
    # and no coverage gap switches the timesheet rules off
    context = resolve("CN-SH", ["sa8000"], {}, load_packs())
    ds = Dataset.build(extracted.tables, context, [extracted.report],
                       profile=profile(period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 3, 31)))
    assert not [g for g in ds.gaps if "timesheet" in str(g)], ds.gaps


def test_header_cells_of_any_type_are_read_as_text():
    assert candidate_texts([7, None]) == [("7", 1.01)]
    assert candidate_texts([0]) == [("0", 1.01)]
    assert HeaderMapper().match(Kind.TIMESHEET, [dt.datetime(2026, 3, 1), 3.5]) is None
