"""A time record that states its own totals checks the reading (issue 21): per row, the hours
computed from the pairing and break deduction against the stated total, with the literal shapes
of ZKTeco time cards (``Total in time``) and DingTalk daily reports (``工作时长(分钟)``) of
reference/real-exports.md."""
from __future__ import annotations

import datetime as dt

import polars as pl

from preaudit.core.packs import load_packs, resolve
from validators.dataset.dataset import Dataset
from tests.support.rules import certain, possible
from tests.support.exports import DINGTALK, read, xlsx_bytes
from validators import RULES_BY_ID

ZK_CARD = ["Emp No.", "AC-No.", "No.", "Name", "Date"] + \
    [f"Clock {w} {i}" for i in range(1, 6) for w in ("In", "Out")] + ["Total in time"]


def card_row(worker: str, day: int, pairs: list[tuple[str, str]], total: str) -> list:
    cells = [c for p in pairs for c in p] + [""] * (10 - 2 * len(pairs))
    return [worker, worker, "", f"W{worker}", f"3/{day}/2026", *cells, total]


def build(path: str, data: bytes, jurisdiction: str = "CN-SH") -> Dataset:
    result = read(path, data)
    context = resolve(jurisdiction, ["sa8000"], {}, load_packs())
    return Dataset.build(result.tables, context, [result.report])


def notes(ds: Dataset, path: str) -> str:
    return " ".join(ds.reading_notes.get(path, []) + [n for d in ds.documents for p in d.parts for n in p.notes])


WEEKDAYS = [2, 3, 4, 5, 6, 9, 10, 11, 12, 13]  # March 2026


def test_totals_that_agree_as_punched_confirm_the_reading_and_no_break_is_presumed():
    """08:00-17:00 in one pair, Total in time 09:00: the factory's own record counts 9 hours; the
    lunch hour is not presumed on top of it."""
    rows = [ZK_CARD] + [card_row("9", d, [("08:00", "17:00")], "09:00") for d in WEEKDAYS]
    ds = build("TimeCard.xlsx", xlsx_bytes(rows))
    assert ds.days["hours"].to_list() == [9.0] * 10 and ds.days["hours_punched"].to_list() == [9.0] * 10
    assert "confirm the hours computed from the punches on 10 of 10 rows" in notes(ds, "TimeCard.xlsx")
    assert ds.total_disagreements.is_empty()


def test_totals_that_deduct_the_same_break_teach_the_documents_break():
    """Punched 07:30-17:30 straight through, Total in time 09:00 on every row: the document deducts a
    60-min break of its own (not the presumed lunch hour, nor the law's interval)."""
    rows = [ZK_CARD] + [card_row("9", d, [("07:30", "17:30")], "09:00") for d in WEEKDAYS]
    ds = build("TimeCard.xlsx", xlsx_bytes(rows))
    assert ds.days["hours"].to_list() == [9.0] * 10 and ds.days["hours_punched"].to_list() == [10.0] * 10
    assert set(ds.days["break_label"]) == {"60-min break"}
    assert "the document's own totals" in ds.days["break_basis"][0]
    assert "less a 60-min break on 10 of 10 rows" in notes(ds, "TimeCard.xlsx")


def test_a_row_that_disagrees_while_the_rest_agree_is_named_not_fixed():
    rows = [ZK_CARD] + [card_row("9", d, [("08:00", "12:00"), ("13:00", "17:00")], "08:00") for d in WEEKDAYS[:-1]] \
        + [card_row("9", 13, [("08:00", "12:00"), ("13:00", "20:00")], "08:00")]  # 11 h punched, 8 h stated
    ds = build("TimeCard.xlsx", xlsx_bytes(rows))
    day13 = ds.days.filter(pl.col("date") == dt.date(2026, 3, 13))
    assert day13["hours"].to_list() == [11.0]  # kept as punched: the rules judge the punches
    found = RULES_BY_ID["DQ-STATED-TOTAL"].run(ds, None)
    assert [(f.subject["worker_id"], f.period["start"]) for f in found] == [("9", "2026-03-13")]
    assert found[0].measured == 3 and "states 8 h but its punches give 11 h" in found[0].message
    assert found[0].evidence and found[0].evidence[0].document == "TimeCard.xlsx"
    assert "1 row(s) state a total that disagrees" in notes(ds, "TimeCard.xlsx")


def test_where_most_rows_disagree_the_reading_is_wrong_and_the_stated_totals_are_judged():
    """Punches the reader paired wrongly (in1 a 07:00 tap, out1 19:00 the next shift's arrival, say):
    12 h computed but 08:00 stated on every row. Not LAB-HOURS-DAY-MAX on the computed hours: the
    document is judged on its stated totals, and its report says why."""
    rows = [ZK_CARD] + [card_row("9", d, [("07:00", "19:00")], "08:00") for d in WEEKDAYS]
    ds = build("TimeCard.xlsx", xlsx_bytes(rows))
    assert ds.days["hours"].to_list() == [8.0] * 10 and ds.days["hours_punched"].to_list() == [8.0] * 10
    assert "disagree with the hours computed from the punches on 10 of 10 rows" in notes(ds, "TimeCard.xlsx")
    found = RULES_BY_ID["LAB-HOURS-DAY-MAX"].run(ds, None)
    assert certain(found) == [] and possible(found) == []
    assert RULES_BY_ID["DQ-STATED-TOTAL"].run(ds, None) == []  # the reading is wrong, not each row


DING = DINGTALK[:8] + ["上班1打卡时间", "下班1打卡时间", "工作时长(分钟)"]


def dingtalk(rows):
    title = ["每日统计表 统计日期：2025-08-01 至 2025-08-31"] + [None] * (len(DING) - 1)
    return xlsx_bytes([title, DING] + rows)


def ding_row(worker: str, day: int, start: str, end: str, minutes: int) -> list:
    weekday = "一二三四五六日"[dt.date(2025, 8, day).weekday()]
    return [f"员工{worker}", "车间A", "缝制", worker, "车工", "0" + worker, f"25-08-{day:02d} 星期{weekday}", "白班",
            start, end, minutes]


def test_dingtalk_work_minutes_check_the_reading():
    """DingTalk's 工作时长(分钟) counts the day less its 60-min lunch: 08:00-17:00 is 480 minutes. The
    document teaches the break; one row states 600 minutes against 540 punched."""
    days = [4, 5, 6, 7, 8, 11, 12, 13]
    rows = [ding_row("1001", d, "08:00", "17:00", 480) for d in days] + [ding_row("1001", 14, "08:00", "17:00", 600)]
    ds = build("每日统计.xlsx", dingtalk(rows))
    assert ds.days.height == 9
    assert ds.days.filter(pl.col("date") != dt.date(2025, 8, 14))["hours"].to_list() == [8.0] * 8
    assert set(ds.days.filter(pl.col("date") != dt.date(2025, 8, 14))["break_label"]) == {"60-min break"}
    found = RULES_BY_ID["DQ-STATED-TOTAL"].run(ds, None)
    assert [f.period["start"] for f in found] == ["2025-08-14"] and found[0].measured == 1
    assert "states 10 h but its punches give 9 h" in found[0].message


def test_where_most_rows_disagree_and_the_totals_state_no_hours_the_document_is_not_judged():
    """A column read as the total whose values are zeros (late minutes, say): neither reading holds, so
    the document's hours are not judged and the months are not covered (DQ-COVERAGE names the count)."""
    rows = [ZK_CARD] + [card_row("9", d, [("07:00", "21:00")], "00:00") for d in WEEKDAYS]
    ds = build("TimeCard.xlsx", xlsx_bytes(rows))
    assert RULES_BY_ID["LAB-HOURS-DAY-MAX"].run(ds, None) == []
    assert ("timesheet", "2026-03") in ds.uncovered
    assert any("on 10 of 10 rows and state no hours" in g.reason for g in ds.gaps)
