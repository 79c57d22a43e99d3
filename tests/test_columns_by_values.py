"""Where the words leave a column undecided, its values decide (extractors/columns_by_values.py):
a worker-id column under a word no lexicon holds, two columns whose words read as one field, and
the roster's ids recognised in another document of the pack. Headers here are words the lexicon
does not hold ("Matricule") or that are taken out of it for the test."""
import hashlib
from pathlib import Path

import pytest

from extractors import read_document, sniff_format
from extractors.headers import HeaderMapper
from preaudit.core.model import DocStatus, Document, Kind
from preaudit.core.options import ReadingOptions

NAMES = ["Wang Fang", "Li Na", "Zhang Wei", "Liu Yang", "Chen Jie", "Yang Min", "Zhao Lei"]
PROFILE = ("factory_id: F-T\njurisdiction: CN-SH\nstandards: [sa8000]\naudit_date: 2026-05-15\n"
           "period: {start: 2026-03-01, end: 2026-03-31}\n")


def read(text: str, without=(), options: ReadingOptions | None = None):
    data = text.encode()
    doc = Document("t.csv", hashlib.sha256(data).hexdigest(), len(data), sniff_format("t.csv", data[:16]))
    return read_document(doc, data, HeaderMapper(without=list(without)), options)


def columns(result) -> dict[str, tuple[str | None, str]]:
    (table,) = result.tables
    return {c["label"]: (c.get("field"), c.get("how") or "") for c in table.columns}


def time_record(id_header: str, ids: list[str], extra: tuple[str, list[str]] | None = None) -> str:
    head = [id_header] + ([extra[0]] if extra else []) + ["Date", "Clock In", "Clock Out"]
    lines = [",".join(head)]
    for k, wid in enumerate(ids):
        for day in range(2, 7):
            cells = [wid] + ([extra[1][k]] if extra else []) + [f"2026-03-0{day}", f"08:0{k}", "17:00"]
            lines.append(",".join(cells))
    return "\n".join(lines)


def test_an_id_column_under_a_word_no_lexicon_holds_is_read_by_its_values():
    result = read(time_record("Matricule", [f"FR{k:04d}" for k in range(7)]))
    assert result.report.status is DocStatus.OK
    field, how = columns(result)["Matricule"]
    assert field == "worker_id" and "names no field" in how and "id codes" in how
    assert sorted(result.tables[0].df["worker_id"].unique().to_list()) == [f"FR{k:04d}" for k in range(7)]


def test_a_code_shared_by_a_whole_day_of_rows_is_nobodys_id():
    """A line or department code repeats over the rows like an id does, but dozens of rows share it
    on one day: the document stays unread, with its reason, rather than one 'worker' per line."""
    lines = ["Line,Date,Clock In,Clock Out"]
    for day in range(2, 7):
        for k in range(30):
            lines.append(f"L{k % 3:02d},2026-03-0{day},08:00,17:00")
    result = read("\n".join(lines))
    assert result.report.status is DocStatus.UNCLASSIFIED
    assert "lacks worker_id" in result.report.reason


def test_two_columns_whose_words_tie_are_chosen_between_by_their_values():
    words = ["Staff Number", "Employee Number"]  # both compose to worker_id once their phrases are out
    result = read(time_record("Staff Number", [f"E{k:04d}" for k in range(7)], ("Employee Number", NAMES)), words)
    cols = columns(result)
    assert cols["Staff Number"][0] == "worker_id" and "person names" in cols["Staff Number"][1]
    assert cols["Employee Number"][0] is None


def test_a_tie_the_values_do_not_settle_stays_unread():
    words = ["Staff Number", "Employee Number"]
    result = read(time_record("Staff Number", [f"E{k:04d}" for k in range(7)],
                              ("Employee Number", [f"B{k:04d}" for k in range(7)])), words)
    assert result.report.status is DocStatus.UNCLASSIFIED


def payroll(ids: list[str]) -> str:
    return "Matricule,Pay Period,Gross Pay,Net Pay\n" + "".join(f"{i},2026-03,5200.00,4800.00\n" for i in ids)


def test_bare_numbers_under_an_unknown_word_are_ids_only_when_another_document_holds_them():
    """In a payroll a column of bare numbers is as likely a serial or an amount: alone it names no
    worker; once the roster holds those numbers it does."""
    ids = [str(1001 + k) for k in range(12)]
    alone = read(payroll(ids))
    assert alone.report.status is DocStatus.UNCLASSIFIED
    known = read(payroll(ids), options=ReadingOptions(known_ids=tuple(ids)))
    assert known.report.status is DocStatus.OK and known.tables[0].kind is Kind.PAYROLL
    assert "ids of the roster" in columns(known)["Matricule"][1]
    strangers = read(payroll(ids), options=ReadingOptions(known_ids=tuple(str(5001 + k) for k in range(12))))
    assert strangers.report.status is DocStatus.UNCLASSIFIED


@pytest.mark.parametrize("with_roster", [True, False])
def test_a_pack_reads_an_unclassified_document_again_with_its_rosters_ids(tmp_path: Path, with_roster):
    from preaudit.app.pipeline import audit
    from preaudit.core.storage import LocalStorage

    ids = [str(1001 + k) for k in range(12)]
    (tmp_path / "factory.yaml").write_text(PROFILE, encoding="utf-8")
    if with_roster:
        (tmp_path / "roster.csv").write_text("工号,姓名,入职日期\n" + "".join(
            f"{i},张{k}{k},2020-01-0{1 + k % 9}\n" for k, i in enumerate(ids)), encoding="utf-8")
    (tmp_path / "payroll-2026-03.csv").write_text(payroll(ids), encoding="utf-8")
    result = audit(LocalStorage(tmp_path))
    pay = next(d for d in result.documents if d.path == "payroll-2026-03.csv")
    assert (pay.status is DocStatus.OK) is with_roster
    if with_roster:
        assert pay.kind == Kind.PAYROLL.value


def test_the_flow_reads_it_again_too(tmp_path: Path):
    """The Prefect flow takes the same second reading as the in-process audit."""
    import json

    from flows.audit import audit_pack

    ids = [str(1001 + k) for k in range(12)]
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "factory.yaml").write_text(PROFILE, encoding="utf-8")
    (pack / "roster.csv").write_text("工号,姓名,入职日期\n" + "".join(
        f"{i},张{k}{k},2020-01-0{1 + k % 9}\n" for k, i in enumerate(ids)), encoding="utf-8")
    (pack / "payroll-2026-03.csv").write_text(payroll(ids), encoding="utf-8")
    audit_pack(str(pack), out=str(tmp_path / "out"), cache=None)
    documents = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))["documents"]
    pay = next(d for d in documents if d["path"] == "payroll-2026-03.csv")
    assert pay["status"] == "ok" and pay["kind"] == "payroll"


def test_inspect_shows_the_second_reading_and_why(tmp_path: Path):
    from preaudit.app.inspect import inspect_pack
    from preaudit.core.storage import LocalStorage

    ids = [str(1001 + k) for k in range(12)]
    (tmp_path / "factory.yaml").write_text(PROFILE, encoding="utf-8")
    (tmp_path / "roster.csv").write_text("工号,姓名,入职日期\n" + "".join(
        f"{i},张{k}{k},2020-01-0{1 + k % 9}\n" for k, i in enumerate(ids)), encoding="utf-8")
    (tmp_path / "payroll-2026-03.csv").write_text(payroll(ids), encoding="utf-8")
    (document, extracted), = inspect_pack(LocalStorage(tmp_path), only="payroll-*")
    assert extracted.report.status is DocStatus.OK
    assert "ids of the roster" in columns(extracted)["Matricule"][1]


def test_a_punch_column_of_excel_date_times_under_a_two_language_header_is_the_taps_timestamp():
    """'打卡时间 / Punch Time' reads as the day's punches; its cells are Excel date-times, each a tap:
    the values make it the timestamp, and the workbook a tap log."""
    import datetime as dt
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["工号 / Emp No", "姓名 / Name", "打卡时间 / Punch Time"])
    for k, name in enumerate(NAMES[:6]):
        for d in range(2, 8):
            for hour, minute in ((8, k), (17, 30 + k)):
                sheet.append([f"E{k:03d}", name, dt.datetime(2026, 3, d, hour, minute)])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    doc = Document("punches.xlsx", hashlib.sha256(data).hexdigest(), len(data), sniff_format("punches.xlsx", data[:16]))
    result = read_document(doc, data, HeaderMapper())
    (table,) = result.tables
    assert table.kind is Kind.TIMESHEET and table.layout == "tap_log"
    how = {c["label"]: (c.get("field"), c.get("how")) for c in table.columns}
    assert how["打卡时间 / Punch Time"][0] == "timestamp" and "date-times" in how["打卡时间 / Punch Time"][1]
    first = table.df.filter(table.df["worker_id"] == "E002").sort("date").row(0, named=True)
    assert (first["date"], first["in1"], first["out1"]) == (dt.date(2026, 3, 2), 8 * 60 + 2, 17 * 60 + 32)


def wecom_day_rows() -> str:
    """A WeCom (企业微信) daily punch export: 时间 holds the day and its weekday, 最早 / 最晚 the
    first and last punch, 账号 the member's account, durations in words."""
    lines = ["时间,姓名,账号,部门,班次,最早,最晚,打卡次数,实际工作时长,打卡状态"]
    for w in range(1, 8):
        for d, weekday in zip(range(2, 7), "一二三四五"):
            lines.append(f"2026/03/0{d} 星期{weekday},张{w},E{w:04d},生产部,白班 08:00-17:00,07:5{w},17:3{w},2,"
                         f"9小时{30 + w}分钟,正常")
    return "\n".join(lines)


def test_a_time_column_of_dates_is_the_date_and_durations_in_words_are_hours():
    known = read(wecom_day_rows(), options=ReadingOptions(known_ids=tuple(f"E{w:04d}" for w in range(1, 8))))
    assert known.report.status is DocStatus.OK
    cols = columns(known)
    assert cols["时间"][0] == "date" and "dates" in cols["时间"][1]
    assert (cols["最早"][0], cols["最晚"][0]) == ("in1", "out1")
    row = known.tables[0].df.filter(known.tables[0].df["worker_id"] == "E0003").sort("date").row(0, named=True)
    assert str(row["date"]) == "2026-03-02" and (row["in1"], row["out1"]) == (7 * 60 + 53, 17 * 60 + 33)
    assert row["total_hours"] == pytest.approx(9 + 33 / 60)


def test_a_column_whose_words_name_something_else_is_not_typed_by_its_values_alone():
    """账号 is an account (a bank's, in a register): codes that look like ids under it are not read
    as the worker id from their shape; the roster's ids are needed."""
    alone = read(wecom_day_rows())
    assert alone.report.status is DocStatus.UNCLASSIFIED and "worker_id" in alone.report.reason
