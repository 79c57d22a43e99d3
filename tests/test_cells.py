"""Second readings of scanned table cells, on small drawn images (real Tesseract, no fixtures)."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.cells import DIGITS, IDENTIFIER, characters_for, reread_cells
from extractors.types import Grid
from extractors.ocr import Reading, better_reading, remove_rules
from preaudit.samples.render import CJK_FONT


def _font(size: int = 40):
    return ImageFont.truetype(str(CJK_FONT), size)


def drawn(cells: list[tuple[str, tuple[int, int]]], size=(1400, 300)) -> Image.Image:
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for text, xy in cells:
        draw.text(xy, text, fill=0, font=_font())
    return image


def box_of(text: str, xy: tuple[int, int]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = _font().getbbox(text)
    return (float(x0 + xy[0]), float(y0 + xy[1]), float(x1 + xy[0]), float(y1 + xy[1]))


@pytest.mark.parametrize("field,first,expected", [
    ("time_in", "O9:0O", DIGITS), ("date", "2026-03-0l", DIGITS), ("gross_pay", "1,234.5O", DIGITS),
    ("seal_no", "SH1O0001", IDENTIFIER), ("seal_no", "sh100001", None),  # lower case: not a code
    ("date", "2026年3月1日", None), ("visitor_name", "ER", None), ("vvtt_done", "Y", None),
])
def test_a_columns_character_set_follows_its_field(field, first, expected):
    assert characters_for(field, first) == expected


def test_a_short_chinese_name_is_read_as_chinese_however_sure_eng_is():
    image = drawn([("王芳", (100, 100))])
    first = Reading("ER", 0.75)  # what eng+chi_sim made of it on a mostly-English page
    best = better_reading(image, box_of("王芳", (100, 100)), first)
    assert best.text == "王芳" and 0 < best.conf <= 1


def test_a_latin_value_stays_latin():
    image = drawn([("Buyer Audit", (100, 100))])
    best = better_reading(image, box_of("Buyer Audit", (100, 100)), Reading("BuyerAudit", 0.4))
    assert best.text == "Buyer Audit" and best.conf > 0.4


def _grid(image_cells, header=("Seal No", "VVTT Done", "Sealed At")) -> Grid:
    """A header row and one data row whose cells are given as (text, conf, box) or None."""
    rows = [list(header), [c[0] if c else None for c in image_cells]]
    boxes = [[None] * len(header), [c[2] if c else None for c in image_cells]]
    confs = [[None] * len(header), [c[1] if c else None for c in image_cells]]
    row_box = (min(c[2][0] for c in image_cells if c), min(c[2][1] for c in image_cells if c),
               max(c[2][2] for c in image_cells if c), max(c[2][3] for c in image_cells if c))
    return Grid(rows=rows, row_numbers=[1, 2], page=1, cell_boxes=boxes, cell_confs=confs,
                row_boxes=[None, row_box], bbox_unit="px")


def test_weak_cells_rejected_cells_and_lost_cells_with_ink_are_read_again():
    seal, mark, when = (100, 100), (600, 100), (900, 100)
    image = drawn([("SH100001", seal), ("Y", mark), ("2026-03-02 08:15", when)])
    grid = _grid([("SH1000O1", 0.60, box_of("SH100001", seal)),  # weak: read again
                  None,  # Tesseract dropped the lone "Y"
                  ("2026-03-O2 08:l5", 0.97, box_of("2026-03-02 08:15", when))])
    # the lost cell's column span comes from the column's other cells: give it one more row
    grid.rows.append([None, "N", None])
    grid.cell_boxes.append([None, box_of("Y", (600, 200)), None])
    grid.cell_confs.append([None, 0.99, None])
    grid.row_boxes.append(box_of("Y", (600, 200)))
    fields = {0: "seal_no", 1: "vvtt_done", 2: "timestamp"}
    read = reread_cells(image, grid, 1, fields)
    assert read == 3
    assert grid.rows[1] == ["SH100001", "Y", "2026-03-02 08:15"]
    assert grid.cell_confs[1][1] > 0.5 and grid.cell_boxes[1][1] is not None


def test_a_rejected_value_that_stays_unreadable_loses_its_confidence():
    image = drawn([("~~~", (100, 100)), ("Y", (600, 100))])
    grid = _grid([("~~~", 0.96, box_of("~~~", (100, 100))), ("Y", 0.99, box_of("Y", (600, 100))), None],
                 header=("Time In", "VVTT Done", "Sealed At"))
    reread_cells(image, grid, 1, {0: "time_in", 1: "vvtt_done", 2: "timestamp"})
    assert grid.cell_confs[1][0] < 0.5  # whatever Tesseract said, the column cannot hold it
    assert grid.rows[1][1] == "Y" and grid.cell_confs[1][1] == 0.99  # a good cell is left alone
    assert grid.rows[1][2] is None and grid.cell_confs[1][2] is None  # no ink: truly empty


def test_vertical_rules_of_a_short_table_are_found():
    """A three-row register on a whole page: its rules are short next to the page, long next to a glyph."""
    image = Image.new("L", (3500, 2500), 255)
    draw = ImageDraw.Draw(image)
    xs = [300, 900, 1500, 2100]
    for x in xs:
        draw.line([(x, 400), (x, 640)], fill=0, width=2)
    for y in (400, 480, 560, 640):
        draw.line([(300, y), (2100, y)], fill=0, width=2)
    draw.text((320, 420), "Seal No", fill=0, font=_font())
    cleaned, rules = remove_rules(image)
    assert len(rules) == len(xs) and all(abs(r - x) <= 2 for r, x in zip(rules, xs)), rules
    assert int(np.asarray(cleaned.crop((280, 380, 2120, 660))).min()) < 128  # the text stays
    assert int(np.asarray(cleaned.crop((1490, 570, 1510, 630))).min()) > 200  # the rule is gone


@pytest.mark.parametrize("line,expected", [
    ("有效期至：2045年6月30日", "2045年6月30日"),
    ("有效期至 于 2045 年 6 月 30 日", "2045 年 6 月 30 日"),  # the label's colon read as a glyph
    ("有效期至：2020年1月1日至2045年6月30日", "2045年6月30日"),  # a period ends on the expiry date
    ("Valid until: 30 June 2045", "30 June 2045"),
])
def test_a_license_date_is_taken_out_of_what_surrounds_it(line, expected):
    from extractors.license import read_license

    grid = read_license(f"营业执照\n统一社会信用代码：91310115MA1K35Y38L\n{line}", page=1, unit="px")
    row = dict(zip(grid.fields, grid.rows[0]))
    assert row["valid_until"] == expected


def test_an_unreadable_scanned_value_is_reported_where_it_stands_and_sent_for_review():
    """DQ-UNPARSED-VALUE on an OCR'd page carries the cell's page, box and confidence."""
    from extractors.types import Extracted
    from extractors.headers import HeaderMapper
    from extractors.grid import build_table
    from preaudit.core.model import DocStatus, DocumentReport, PartRead
    from preaudit.core.packs import load_packs
    from preaudit.app.pipeline import validate
    from tests.support.builders import profile

    header = ["Worker ID", "Date", "In 1", "Out 1"]
    first = Grid(rows=[header, ["E1", "2026-03-02", "08:00", "17:00"]], row_numbers=[1, 2], page=1,
                 cell_boxes=[[None] * 4, [(10, 10, 50, 30)] * 4], cell_confs=[[None] * 4, [0.95] * 4],
                 row_boxes=[None, (10, 10, 400, 30)], bbox_unit="px")
    first.extend(Grid(rows=[["E1", "2026-03-03", "08:00", "l7:O0"]], row_numbers=[1], page=2,
                      cell_boxes=[[(10, 10, 50, 30)] * 3 + [(300, 40, 380, 70)]],
                      cell_confs=[[0.95, 0.95, 0.95, 0.40]], row_boxes=[(10, 40, 400, 70)], bbox_unit="px"))
    table = build_table(first, HeaderMapper(), document="time.pdf", sha256="0" * 64)
    (problem,) = table.problems
    assert (problem.page, problem.bbox, problem.confidence) == (2, [300, 40, 380, 70], 0.40)
    report = DocumentReport("time.pdf", "0" * 64, "timesheet", 2, DocStatus.OK)
    report.sheets.append(PartRead(None, 1, "timesheet", DocStatus.OK, bbox_unit="px", problems=table.problems))
    _, findings, _ = validate(profile(), [Extracted(report, [table])], load_packs())
    (unparsed,) = [f for f in findings if f.rule_id == "DQ-UNPARSED-VALUE"]
    (evidence,) = unparsed.evidence
    assert (evidence.page, evidence.bbox, evidence.bbox_unit, evidence.confidence) == (2, [300, 40, 380, 70], "px", 0.40)
    assert unparsed.needs_review


def test_ruled_columns_stay_apart_when_a_speck_joins_their_header_cells():
    """A speck between "Container No" and "Seal No" closes the gap between them; the ruling line
    that parts the two columns still decides."""
    from extractors.headers import HeaderMapper
    from extractors.layout import Word, words_to_grid

    def line(top, *cells):
        return [Word(text, x0, top, x1, top + 30, 0.95) for text, x0, x1 in cells]

    words = (line(100, ("Date", 20, 100), ("Container", 180, 330), ("No", 340, 380), ("—", 395, 410),
                  ("Seal", 430, 500), ("No", 510, 550), ("Inspector", 640, 800))
             + line(160, ("2026-03-10", 20, 170), ("TGHU7000011", 180, 400), ("SH100001", 430, 600),
                    ("王芳", 640, 700)))
    grid = words_to_grid(words, HeaderMapper(), page=1, unit="px", rules=[10, 175, 420, 630, 900])
    assert grid.rows[1] == ["2026-03-10", "TGHU7000011", "SH100001", "王芳"]


def test_a_misread_chinese_header_is_read_again_until_it_names_a_field():
    """施封人 read as "aA" would lose the whole applied_by column."""
    from extractors.cells import reread_header, table_fields
    from extractors.headers import HeaderMapper

    cells = [("日期", (40, 100)), ("柜号", (300, 100)), ("封条号", (560, 100)), ("施封人", (860, 100))]
    image = drawn(cells)
    grid = Grid(rows=[["日期", "柜号", "封条号", "aA"], ["2026-03-10", "TGHU7000011", "SH100001", "李强"]],
                row_numbers=[1, 2], page=1, cell_boxes=[[box_of(t, xy) for t, xy in cells], [None] * 4],
                cell_confs=[[0.96, 0.95, 0.96, 0.36], [0.9] * 4], row_boxes=[None, None], bbox_unit="px")
    mapper = HeaderMapper()
    head, span, mapping = table_fields(grid, mapper)
    assert 3 not in mapping.columns
    assert reread_header(image, grid, head, span, mapping, mapper) == 1
    assert grid.rows[0][3] == "施封人" and table_fields(grid, mapper)[2].columns[3] == "applied_by"


def test_a_word_read_across_a_ruling_line_becomes_one_weak_part_per_cell():
    from extractors.headers import HeaderMapper
    from extractors.layout import Word, words_to_grid

    header = [Word(t, x0, 100, x1, 130, 0.95) for t, x0, x1 in
              (("Staff", 20, 90), ("No", 100, 140), ("Date", 180, 260), ("In1", 330, 380), ("Out1", 450, 520),
               ("In2", 560, 620))]
    row = [Word("E1001", 20, 160, 110, 190, 0.95), Word("2026-03-11", 180, 160, 300, 190, 0.95),
           Word("07:52", 330, 160, 400, 190, 0.9), Word("12:00)..-13:00", 440, 160, 640, 190, 0.9)]
    title = [Word("Attendance March 2026", 20, 20, 700, 50, 0.95)]  # crosses rules, but is no cell
    grid = words_to_grid(title + header + row, HeaderMapper(), page=1, unit="px", rules=[10, 170, 320, 430, 540, 700])
    assert "Attendance March 2026" in grid.rows[0]
    assert grid.rows[2][3:] == ["12:00)..-13:00", "12:00)..-13:00"] and grid.cell_confs[2][3:] == [0.0, 0.0]
    assert grid.cell_boxes[2][3] == (440, 160, 540, 190) and grid.cell_boxes[2][4] == (540, 160, 640, 190)
    assert grid.cell_confs[2][2] == 0.9  # a word inside its cell is left alone


def test_a_speck_beside_a_clock_time_is_dropped_but_the_value_stays_under_review():
    from extractors.cells import _acceptor, _salvaged

    accepts = _acceptor("out2", ["17:00"])
    assert _salvaged(Reading("© 17:11", 0.9), accepts) == Reading("17:11", 0.425)
    assert _salvaged(Reading("12:00 13:00", 0.9), accepts) is None  # two values: no guess
    assert _salvaged(Reading("©", 0.9), accepts) is None
