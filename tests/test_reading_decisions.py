"""Say how a document was read, and let the user correct it (issue 9): `preaudit inspect`, the
document report, and factory.yaml `documents:` corrections, each by the label inspect prints."""
from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from preaudit.cli import app
from preaudit.core.packs import load_packs
from preaudit.app.pipeline import audit, discover, extract
from preaudit.core.profile import ProfileError, parse_profile
from preaudit.core.storage import LocalStorage

BASE = """factory_id: F1
jurisdiction: CN-SH
audit_date: 2026-06-15
period: {start: 2025-07-01, end: 2026-05-31}
"""


def pack(tmp_path, files: dict[str, str], documents: str = ""):
    (tmp_path / "factory.yaml").write_text(BASE + documents, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return LocalStorage(tmp_path)


def read(storage, path):
    from preaudit.app.pipeline import load_profile

    profile = load_profile(storage, load_packs())
    doc = next(d for d in discover(storage) if d.path == path)
    return extract(storage, doc, profile.reading_options(doc.path))


TAPS = "user_id,time,flag\n7,2026-03-02 08:00,I\n7,2026-03-02 17:00,O\n"
#: a tap log the reader does not recognise by itself: its Hours column (filled on the out-taps)
#: makes it look like one row per worker-day
HOURS_TAPS = "user_id,time,flag,Hours\n7,2026-03-02 08:00,I,\n7,2026-03-02 17:00,O,9\n"


def test_inspect_prints_how_each_column_was_read_and_the_first_records(tmp_path):
    pack(tmp_path, {"AttLog.csv": "Department,Name,No.,Date/Time,Location ID,ID Number,VerifyCode,CardNo\n"
                                  "Knit,Lan,7,02/03/2026 8:01:10,1,,FP,\nKnit,Lan,7,02/03/2026 17:03:00,1,,FP,\n"})
    result = CliRunner().invoke(app, ["inspect", str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "layout tap_log" in out and "No." in out and "weak" in out and "Date/Time" in out
    assert "day first" in out and "08:01" in out and "17:03" in out
    missing = CliRunner().invoke(app, ["inspect", str(tmp_path), "nope.csv"])
    assert missing.exit_code == 2


def test_the_document_report_says_the_shape_columns_and_skipped_rows(tmp_path):
    storage = pack(tmp_path, {"pay.csv": "2026年3月工资表\n工号,姓名,基本工资,备注,实发工资\nA1,王,3000,,2900\n合计,,3000,,2900\n"})
    sheet = read(storage, "pay.csv").report.parts[0]
    assert sheet.layout == "table" and sheet.skipped_why == {"total row": 1}
    assert {c["label"]: c["field"] for c in sheet.columns} == {
        "工号": "worker_id", "姓名": "name", "基本工资": "base_pay", "备注": None, "实发工资": "net_pay"}


def test_a_column_corrected_by_its_printed_group_and_sub_header(tmp_path):
    text = "工号,姓名,加班工时,,基本工资,实发工资\n,,平时,奖励,,\nA1,王,10,4,3000,3300\n"
    storage = pack(tmp_path, {"pay-2026-03.csv": text})
    plain = read(storage, "pay-2026-03.csv").tables[0]
    labels = {c["label"]: c["field"] for c in plain.columns}
    assert labels["加班工时 / 奖励"] is None  # a wording no field knows
    storage = pack(tmp_path, {"pay-2026-03.csv": text},
                   'documents:\n  - match: "pay-*.csv"\n    columns: {"加班工时 / 奖励": ot_hours_restday}\n')
    table = read(storage, "pay-2026-03.csv").tables[0]
    assert table.df["ot_hours_restday"].to_list() == [4.0]
    assert {c["label"]: c["how"] for c in table.columns}["加班工时 / 奖励"] == "column_map"


def test_date_format_kind_layout_and_period_corrections(tmp_path):
    # 03/04/2026 is undecidable from one value: day-first unless factory.yaml says otherwise
    files = {"ZK/card.csv": "Emp No.,Name,Date,Clock In 1,Clock Out 1\nE1,Ana,03/04/2026,08:00,17:00\n",
             "grid.csv": "工号,姓名," + ",".join(str(d) for d in range(1, 32)) + "\nA1,王," + ",".join(["08:00-17:00"] * 31)}
    storage = pack(tmp_path, files)
    assert read(storage, "ZK/card.csv").tables[0].df["date"].to_list() == [dt.date(2026, 4, 3)]
    assert read(storage, "grid.csv").report.status.value == "unclassified"
    storage = pack(tmp_path, files, 'documents:\n  - match: "ZK/*.csv"\n    date_format: MM/DD/YYYY\n'
                                    '    kind: timesheet\n    layout: day_rows\n'
                                    '  - match: grid.csv\n    period: "2026-03"\n')
    card = read(storage, "ZK/card.csv").tables[0]
    assert card.df["date"].to_list() == [dt.date(2026, 3, 4)]
    assert any("factory.yaml date_format" in n for n in card.notes)
    grid = read(storage, "grid.csv").tables[0]
    assert grid.layout == "day_grid" and grid.df["date"].min() == dt.date(2026, 3, 1)


def test_a_tap_layout_forced_on_a_log_the_reader_did_not_recognise(tmp_path):
    # a tap log whose out-taps carry the hours worked: with a total_hours column filled the reader
    # takes it for one row per worker-day (day_rows) with no date and no punches
    storage = pack(tmp_path, {"log.csv": HOURS_TAPS})
    alone = read(storage, "log.csv").tables[0]
    assert alone.layout != "tap_log"
    assert alone.df.select("date", "in1", "out1").rows() == [(None, None, None)] * 2
    # "flag" names no state; as a tap log its taps pair by order
    storage = pack(tmp_path, {"log.csv": HOURS_TAPS}, 'documents:\n  - match: log.csv\n    layout: tap_log\n')
    table = read(storage, "log.csv").tables[0]
    assert table.layout == "tap_log"
    assert table.df.select("worker_id", "date", "in1", "out1").rows() == [("7", dt.date(2026, 3, 2), 480, 1020)]


@pytest.mark.parametrize("documents,problem", [
    ('documents:\n  - kind: timesheet\n', "documents[0].match"),
    ('documents:\n  - match: a.csv\n    kind: timecard\n', "documents[0].kind"),
    ('documents:\n  - match: a.csv\n    layout: wide\n', "documents[0].layout"),
    ('documents:\n  - match: a.csv\n    date_format: "Q-Q"\n', "documents[0].date_format"),
    ('documents:\n  - match: a.csv\n    period: "2026-13"\n', "documents[0].period"),
    ('documents:\n  - match: a.csv\n    columns: {"X": salary}\n', "documents[0].columns.X"),
    ('breaks:\n  - {from: "13:00", to: "12:00"}\n', "breaks[0]"),
    ('rest_days: [funday]\n', "rest_days"),
    ('colum_map: {}\n', "colum_map: unknown field"),
])
def test_profile_corrections_that_cannot_be_applied_are_refused_by_name(documents, problem):
    with pytest.raises(ProfileError) as err:
        parse_profile(BASE + documents, load_packs())
    assert problem in str(err.value)


def test_a_whole_pack_run_uses_the_corrections(tmp_path):
    """The same log audited with and without its factory.yaml layout: the 13.5 h days are found
    only when the correction makes the reader see the taps."""
    log = {"AttLog.csv": "user_id,time,flag,Hours\n" + "".join(
        f"7,2026-03-{d:02d} 07:00,I,\n7,2026-03-{d:02d} 20:30,O,13.5\n" for d in (2, 3))}

    def findings(folder, documents=""):
        folder.mkdir()
        return {(f.rule_id, tuple(sorted(f.subject.items())), (f.period or {}).get("start")): f
                for f in audit(pack(folder, log, documents)).findings}

    plain = findings(tmp_path / "plain")
    corrected = findings(tmp_path / "corrected", 'documents:\n  - match: AttLog.csv\n    layout: tap_log\n')
    day_max = {k: f.measured for k, f in corrected.items() if k[0] == "LAB-HOURS-DAY-MAX"}
    # 13.5 h punched, no break recorded: judged on the lenient 12.5 h (the lunch hour presumed taken)
    assert day_max == {("LAB-HOURS-DAY-MAX", (("worker_id", "7"),), "2026-03-02"): 12.5,
                       ("LAB-HOURS-DAY-MAX", (("worker_id", "7"),), "2026-03-03"): 12.5}
    assert not any(k[0] == "LAB-HOURS-DAY-MAX" for k in plain)
    # uncorrected, March holds no time record at all; corrected, it does
    march_gap = ("DQ-PERIOD-GAP", (("record_kind", "timesheet"),), "2026-03-01")
    assert march_gap in plain and march_gap not in corrected
    assert set(plain) - set(corrected) == {march_gap}
    # and the worked days it now sees have no payroll: XDOC-NO-PAYROLL held back as one DQ-COVERAGE
    payroll_absent = ("DQ-COVERAGE", (("record_kind", "payroll"),), "2026-03-01")
    assert set(corrected) - set(plain) == set(day_max) | {payroll_absent}


def test_an_undecidable_date_column_reads_month_first_in_the_us(tmp_path):
    files = {"pay.csv": "Employee ID,Pay Period,Regular Pay,Net Pay,Pay Date\nU1,03/2026,2000,1800,04/03/2026\n"}
    storage = pack(tmp_path, files)
    assert read(storage, "pay.csv").tables[0].df["pay_date"].to_list() == [dt.date(2026, 3, 4)]
    (tmp_path / "factory.yaml").write_text(BASE.replace("CN-SH", "US-FLSA"), encoding="utf-8")
    table = read(storage, "pay.csv").tables[0]
    assert table.df["pay_date"].to_list() == [dt.date(2026, 4, 3)]
    assert any("month first" in n for n in table.notes)


def test_the_pay_month_from_the_pay_date_as_the_last_resort(tmp_path):
    storage = pack(tmp_path, {"pay.csv": "1.工号,2.姓名,3.基本工资,(4) Net Pay,发放日期\nA1,王,3000,2900,2026-04-10\n"
                                         "A2,李,3000,2900,2026-04-28\n"})
    table = read(storage, "pay.csv").tables[0]
    assert table.df["period"].to_list() == ["2026-03", "2026-04"] and table.df["net_pay"].to_list() == [2900, 2900]
    assert any("pay month taken from the pay date" in n for n in table.notes)


ZK_CARD = "Emp No.,AC-No.,No.,Name,Date,Clock In 1,Clock Out 1,Clock In 2,Clock Out 2,Total in time\n"


def test_a_printed_header_repeated_and_a_footer_line_are_not_records(tmp_path):
    """A ZKTeco time card printed over pages repeats its header; a line under it is a note."""
    def days(no: int, name: str) -> str:
        return "".join(f"{no},{100 + no},{no},{name},9/{d}/2026,7:58,12:01,13:02,17:31,08:32\n" for d in range(1, 6))
    text = ZK_CARD + days(1, "Lan") + ZK_CARD + days(2, "Minh") + "Printed by ZKTime 5.0,,,,,,,,,\n"
    sheet, table = (lambda r: (r.report.parts[0], r.tables[0]))(read(pack(tmp_path, {"card.csv": text}), "card.csv"))
    assert sheet.skipped_why == {"header repeated": 1, "note row": 1} and not sheet.problems
    assert table.df.height == 10 and sorted(set(table.df["worker_id"])) == ["1", "2"]


@pytest.mark.parametrize("dates, days, expected", [
    (["9/1/2026", "9/2/2026", "9/3/2026"], True, dt.date(2026, 9, 1)),     # a month of days: 9 stays, the day moves
    (["1/9/2026", "2/9/2026", "3/9/2026"], True, dt.date(2026, 9, 1)),
    (["05/09/2026", "05/10/2026", "05/11/2026"], False, dt.date(2026, 9, 5)),  # paid on the 5th: the day stays
])
def test_the_part_a_column_of_days_keeps_is_the_month(dates, days, expected):
    from extractors.values import date_order, parse_date

    assert parse_date(dates[0], date_order(dates, "DMY", days=days)) == expected
