"""Job cards and time cards: a worker stated in a labelled row above the days ("Employee ID:
10023", "工号：1001"), one card or several stacked in a sheet (extractors/cards.py and
layouts/table.py's stated fields). Each card's days are that worker's, and cite the cell that
states the worker."""
import hashlib

from extractors import read_document, sniff_format
from extractors.headers import HeaderMapper
from preaudit.core.model import DocStatus, Document, Kind

WEEK = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]


def read(name: str, lines: list[str]):
    data = "\n".join(lines).encode()
    doc = Document(name, hashlib.sha256(data).hexdigest(), len(data), sniff_format(name, data[:16]))
    return read_document(doc, data, HeaderMapper())


def job_card(worker: str, name: str, shift_minute: int) -> list[str]:
    """A Bangladeshi garment factory's job card for March 2026 (Fridays off)."""
    lines = ["Job Card for the Month of March 2026,,,,,,,,",
             f"Employee ID:,{worker},Name:,{name},Designation:,Operator,Section:,Sewing,",
             "Date,Day,Shift,In Time,Out Time,Late,OT Hour,Status,Remarks"]
    for d in range(1, 29):
        day = WEEK[(d + 6) % 7]
        lines.append(f"{d:02d}/03/2026,{day},General,,,,0,W," if day == "Fri"
                     else f"{d:02d}/03/2026,{day},General,07:{50 + shift_minute},19:0{shift_minute},00:00,2,P,")
    return lines


def test_stacked_job_cards_are_each_their_own_workers_days():
    result = read("jobcards-2026-03.csv", ["ABC Garments Ltd.,,,,,,,,", *job_card("10023", "Rahim Uddin", 1), ",,,,,,,,",
                                           *job_card("10024", "Karim Mia", 2)])
    assert result.report.status is DocStatus.OK
    assert [t.kind for t in result.tables] == [Kind.TIMESHEET, Kind.TIMESHEET]
    first, second = (t.df for t in result.tables)
    assert first["worker_id"].unique().to_list() == ["10023"] and second["worker_id"].unique().to_list() == ["10024"]
    assert first["name"].unique().to_list() == ["Rahim Uddin"]
    monday = first.filter(first["date"].cast(str) == "2026-03-02").row(0, named=True)
    assert (monday["in1"], monday["out1"]) == (7 * 60 + 51, 19 * 60 + 1)
    assert second.filter(second["date"].cast(str) == "2026-03-02")["in1"].to_list() == [7 * 60 + 52]
    # every record cites the cell that states its worker: B3 for the first card, B35 for the second
    assert first["ref:worker_id"].unique().to_list() == ["B3"] and second["ref:worker_id"].unique().to_list() == ["B35"]
    assert any("stated above the table" in n for n in result.tables[0].notes)


def test_a_chinese_time_card_stating_its_worker_in_one_cell():
    lines = ["工号：1001,姓名：张三,部门：车缝", "日期,上班,下班"]
    lines += [f"2026-03-0{d},08:0{d},17:3{d}" for d in range(2, 7)]
    (table,) = read("考勤卡.csv", lines).tables
    assert table.df["worker_id"].unique().to_list() == ["1001"] and table.df.height == 5
    assert table.df["name"].unique().to_list() == ["张三"]


def test_a_label_row_is_never_a_header_and_a_table_with_its_own_ids_is_not_split():
    """A line of labelled values over an ordinary register (who printed it) changes nothing: the
    ids are the rows' own."""
    lines = ["Printed by:,HR Admin,Date:,2026-04-01", "Emp No,Date,In,Out"]
    lines += [f"E{w:03d},2026-03-0{d},08:00,17:00" for w in range(1, 4) for d in range(2, 7)]
    (table,) = read("time.csv", lines).tables
    assert sorted(table.df["worker_id"].unique().to_list()) == ["E001", "E002", "E003"]
