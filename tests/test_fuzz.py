"""Property tests (hypothesis) for the value parsers and header mapping, and a bounded fuzz run over
the CSV, Excel, PDF and image readers: whatever a file holds, reading it ends in a table or in a
reason, and never in a bug of ours (an IndexError or KeyError raised by our own code, which
read_document would otherwise turn into a vague "damaged" reason and hide)."""
from __future__ import annotations

import datetime as dt
import io
import traceback
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import extractors
from extractors import read_document, sniff_format
from extractors import values as V
from extractors.fields import declarations
from extractors.headers import HeaderMapper
from preaudit.core.model import PUNCH_FIELDS, Document, Kind

#: what parse_column treats as "this value is not a date / a number / a clock": anything else a
#: parser raises is a bug
EXPECTED = (ValueError, OverflowError, TypeError)
OURS = (str(Path(extractors.__file__).parent), str(Path(extractors.__file__).parent.parent / "preaudit"))
BUGS = (IndexError, KeyError, AttributeError, AssertionError, NameError, ZeroDivisionError, RecursionError)

cell_values = st.one_of(
    st.none(), st.text(max_size=40), st.integers(-10**12, 10**12),
    st.floats(allow_nan=True, allow_infinity=True), st.dates(), st.datetimes(),
    st.from_regex(r"\d{1,4}[-/.年]\d{1,2}[-/.月]\d{1,4}日?( \d{1,2}:\d{2}(:\d{2})?)?( 星期[一二三四五六日])?", fullmatch=True),
    st.from_regex(r"(次日 )?\d{1,2}[:：]\d{1,2}( ?[ap]m)?", fullmatch=True),
    st.from_regex(r"[¥$₫Tk৳₹]? ?-?\d{1,3}([,.]\d{3})*([.,]\d{1,2})?", fullmatch=True),
)

PARSERS = [V.parse_clock, V.parse_hours, V.parse_minutes, V.parse_amount, V.parse_period, V.parse_identifier,
           V.parse_text, V.parse_gender, V.parse_bool, V.parse_direction, V.parse_punch_state, V.parse_check,
           V.parse_license_type, V.parse_punches]


@settings(max_examples=300, deadline=None)
@given(value=cell_values, parser=st.sampled_from(PARSERS))
def test_a_value_parser_reads_a_value_or_says_it_cannot(value, parser):
    try:
        parser(value)
    except EXPECTED:
        pass


@settings(max_examples=300, deadline=None)
@given(value=cell_values, order=st.sampled_from(["DMY", "MDY", "YMD"]))
def test_dates_and_timestamps_are_dates_or_refused(value, order):
    for parse, kind in ((V.parse_date, dt.date), (V.parse_timestamp, dt.datetime)):
        try:
            parsed = parse(value, order)
        except EXPECTED:
            continue
        assert parsed is None or isinstance(parsed, kind)


@settings(max_examples=200, deadline=None)
@given(column=st.lists(cell_values, max_size=30))
def test_a_columns_date_order_is_always_one_of_the_three(column):
    assert V.date_order(column) in ("DMY", "MDY", "YMD")
    assert V.date_order(column, days=True) in ("DMY", "MDY", "YMD")


def _header_words() -> list[str]:
    return sorted({w for d in declarations().values() for w in d.words + d.weak + d.parts})


header_cells = st.one_of(st.none(), st.text(max_size=30), st.sampled_from(_header_words()),
                         st.builds(lambda a, b: f"{a} / {b}", st.sampled_from(_header_words()), st.text(max_size=8)),
                         st.builds(lambda a: f"{a}(分钟)", st.sampled_from(_header_words())))
MAPPER = HeaderMapper()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(list(Kind)),
       rows=st.lists(st.lists(header_cells, min_size=1, max_size=12), min_size=1, max_size=3))
def test_header_mapping_gives_only_fields_the_kind_has_and_each_once(kind, rows):
    mapping = MAPPER.map_columns(kind, rows)
    allowed = {d.name for d in declarations().values() if kind in d.kinds} | set(PUNCH_FIELDS)
    assert set(mapping.columns.values()) <= allowed
    summed = {"allowances", "deductions", "social_insurance", "ot_pay", "punch_state"}
    single = [f for f in mapping.columns.values() if f not in summed]
    assert len(single) == len(set(single))  # one column per field, unless its parts are summed
    assert all(factor > 0 for factor in mapping.scale.values())


# ---------------------------------------------------------------- the readers, fuzzed


def _seed_files() -> dict[str, bytes]:
    csv = ("Emp No.,Name,Date,Clock In 1,Clock Out 1,Total in time\r\n"
           "7,Rahim,9/12/2026,07:56,17:33,09:37\r\n8,Karim,9/13/2026,08:01,17:00,08:59\r\n").encode()
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [["2025年8月工资表"], ["工号", "姓名", "基本工资", "加班费", "应发工资", "实发工资"],
                ["A1", "王芳", 2690, 480.5, 3170.5, 2900]]:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = io.BytesIO()
    page = canvas.Canvas(pdf, pagesize=A4)
    page.setFont("Helvetica", 10)
    for k, line in enumerate(["Emp No.  Name  Date  Clock In  Clock Out", "7  Rahim  2026-09-01  07:56  17:33"]):
        page.drawString(60, 780 - 14 * k, line)
    page.save()
    from PIL import Image

    png = io.BytesIO()
    Image.new("L", (40, 30), 255).save(png, "PNG")
    return {"card.csv": csv, "pay.xlsx": buf.getvalue(), "log.pdf": pdf.getvalue(), "scan.png": png.getvalue()}


SEEDS = _seed_files()


def _mutations(data: bytes):
    """Flip, cut, repeat and overwrite bytes: what a truncated upload, a bad disk or a hostile
    hand makes of a file."""
    positions = st.integers(0, max(len(data) - 1, 0))
    return st.one_of(
        st.builds(lambda at, b: data[:at] + bytes([b]) + data[at + 1:], positions, st.integers(0, 255)),
        st.builds(lambda at: data[:at], positions),
        st.builds(lambda at, n, junk: data[:at] + junk * n + data[at:], positions, st.integers(1, 50),
                  st.binary(min_size=1, max_size=8)),
        st.builds(lambda at, junk: data[:at] + junk + data[at + len(junk):], positions, st.binary(min_size=1, max_size=64)),
    )


def _bug_of_ours(exc: BaseException) -> bool:
    if not isinstance(exc, BUGS):
        return False
    innermost = traceback.extract_tb(exc.__traceback__)[-1].filename
    return innermost.startswith(OURS)


@pytest.mark.parametrize("name, examples", [("card.csv", 120), ("pay.xlsx", 80), ("log.pdf", 60), ("scan.png", 15)])
def test_a_damaged_file_is_read_or_refused_with_a_reason_never_a_bug_of_ours(name, examples, monkeypatch):
    seen: list[BaseException] = []
    real = extractors.why_unreadable

    def recording(exc):
        seen.append(exc)
        return real(exc)

    monkeypatch.setattr(extractors, "why_unreadable", recording)

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=_mutations(SEEDS[name]))
    def read(data):
        document = Document(name, "0" * 64, len(data), sniff_format(name, data[:16]))
        result = read_document(document, data, MAPPER)
        assert result.report.status is not None
        assert result.report.status.value == "ok" or result.report.reason
        bugs = [e for e in seen if _bug_of_ours(e)]
        assert not bugs, "".join(traceback.format_exception(bugs[0]))

    read()
