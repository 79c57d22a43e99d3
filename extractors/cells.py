"""Second readings of a scanned table's cells, one crop per cell, with settings chosen by what the
column holds.

A first, whole-page reading splits a cell into words and reads each with the page's context. A
cell it read with low confidence is read again from its own crop, and a cell it left empty is
read when ink stands in it (Tesseract drops lone short marks such as a "Y"): columns of numbers,
dates and clock times with only the characters they can hold (otherwise 0 and O, 1 and l trade
places), identifier columns with capitals and digits, every other column in each language alone,
so a Chinese name in an English register comes back as Chinese (``ocr.better_reading``). Of the
readings, only those the column's parser accepts compete. Header cells that name no field are read
again the same way, a reading counting only when it names one.
"""
from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from PIL import Image

from extractors import values as V
from extractors.values import CJK
from extractors.layouts.table import find_header
from extractors.parsers import DATE_FIELDS, PARSERS, parser_for
from extractors.types import Grid, Unclassified
from preaudit.core.options import OCR_LANGUAGES
from extractors.headers import ColumnMapping, HeaderMapper
from extractors.ocr import (MAX_RETRIES, RETRY_BELOW, SECOND_READINGS_SECONDS, Reading, better_reading,
                            crop_of, read_crop)

DIGITS = "0123456789-:/., "  # the space too: without it a timestamp's two parts run together
IDENTIFIER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/"
_NUMERIC_PARSERS = {V.parse_clock, V.parse_hours, V.parse_amount, V.parse_minutes, V.parse_period}
#: how many lines (titles) may stand above a page's table header for the page to have its own
HEADER_WITHIN_ROWS = 3
#: an empty cell holds a lost value when this share of it is ink (noise and JPEG ringing stay far below)
INK_SHARE = 0.01


def characters_for(field: str, first: str) -> str | None:
    """The characters a cell of ``field`` can hold, when that set is small; None for free text.
    A first reading with Chinese in it (2026年3月1日) is read without a restriction."""
    if CJK.search(first):
        return None
    parser = PARSERS.get(field, (None,))[0]
    if field in DATE_FIELDS or field in ("timestamp", "punches") or parser in _NUMERIC_PARSERS:
        return DIGITS
    if parser is V.parse_identifier and not any(c.islower() for c in first):
        return IDENTIFIER
    return None


def table_fields(grid: Grid, mapper: HeaderMapper) -> tuple[int, int, ColumnMapping] | None:
    """(header row, header row count, mapping) when the page starts with its own table header."""
    found = find_header(grid, mapper)
    if isinstance(found, Unclassified) or found[0] > HEADER_WITHIN_ROWS:
        return None
    return found


def reread_header(image: Image.Image, grid: Grid, head: int, span: int, mapping: ColumnMapping,
                  mapper: HeaderMapper, languages: tuple[str, ...] = OCR_LANGUAGES) -> int:
    """Header cells that name no field read again; a reading counts only when it names a field of
    the table's kind. A Chinese header in a register is misread like a Chinese name (施封人 →
    "aA"), and a column whose header is lost loses every value under it. Returns how many cells
    changed."""
    if grid.cell_boxes is None or grid.cell_confs is None:
        return 0
    changed = 0
    for i in range(head, head + span):
        for col, conf in enumerate(grid.cell_confs[i]):
            if col in mapping.columns or conf is None or not grid.cell_boxes[i][col]:
                continue  # (however confident: two overlapping boxes can read one glyph twice, 核查人人)
            first = Reading(str(grid.rows[i][col] or ""), conf)
            best = better_reading(image, grid.cell_boxes[i][col], first,
                                  lambda text: mapper.match(mapping.kind, [text]) is not None, languages=languages)
            if best is not first:
                grid.rows[i][col], grid.cell_confs[i][col] = best.text, best.conf
                changed += 1
    return changed


def _acceptor(field: str, column: list) -> Callable[[str], bool]:
    parse = parser_for(field, [v for v in column if v is not None])[0]

    def accepts(text: str) -> bool:
        try:
            return parse(text) is not None
        except (ValueError, OverflowError, TypeError):
            return False
    return accepts


def deciding(field: str, first: str) -> bool:
    """Whether a value of ``field`` decides findings by its exact characters: identifiers, dates,
    clock times, hours and money (a name or a remark does not)."""
    parser = PARSERS.get(field, (None,))[0]
    return (field in DATE_FIELDS or field in ("timestamp", "punches") or parser in _NUMERIC_PARSERS
            or parser is V.parse_identifier)


def _same(a: str, b: str) -> bool:
    return "".join(a.split()).upper() == "".join(b.split()).upper()


def read_cell(image: Image.Image, box, field: str, first: Reading, accepts: Callable[[str], bool],
              engine: str = "tesseract", languages: tuple[str, ...] = OCR_LANGUAGES) -> Reading:
    """A weak cell read again. With ``engine="rapid"`` RapidOCR's recogniser reads the crop
    (~20 ms); a reading it cannot make the column accept goes to Tesseract's column-wise second
    reading, and when the two engines read a deciding value differently, the cell's confidence
    drops under the review line: which of them is right is for a person to see."""
    if engine != "rapid":
        return _tesseract_cell(image, box, field, first, accepts, languages)
    from extractors.engines import rapid

    second = rapid.read_crop(crop_of(image, box))
    if second is not None and second.text and accepts(second.text):
        if accepts(first.text) and not _same(first.text, second.text) and deciding(field, second.text):
            # the page's reading and the crop's disagree: the crop's is read by Tesseract too
            third = _tesseract_cell(image, box, field, first, accepts, languages)
            agreed = third.text and accepts(third.text) and _same(third.text, second.text)
            return Reading(second.text, second.conf if agreed else min(second.conf, RETRY_BELOW / 2))
        return second if second.conf >= first.conf or not accepts(first.text) else first
    third = _tesseract_cell(image, box, field, first, accepts, languages)
    if (second is not None and third.text and accepts(third.text) and deciding(field, third.text)
            and not _same(third.text, second.text)):
        return Reading(third.text, min(third.conf, RETRY_BELOW / 2))
    return third


def _tesseract_cell(image: Image.Image, box, field: str, first: Reading, accepts: Callable[[str], bool],
                    languages: tuple[str, ...] = OCR_LANGUAGES) -> Reading:
    allowed = characters_for(field, first.text)
    restricted = read_crop(image, box, language="eng", whitelist=allowed) if allowed else None
    if restricted is not None and accepts(restricted.text):
        return max([r for r in (first, restricted) if r.text and accepts(r.text)], key=lambda r: r.conf)
    best = better_reading(image, box, first, accepts, languages=languages)
    return best if accepts(best.text) else _salvaged(best, accepts) or best


def _salvaged(reading: Reading, accepts: Callable[[str], bool]) -> Reading | None:
    """The one word of a rejected reading the column accepts ("© 17:11": a speck beside the value),
    kept at low confidence: it is a guess, and a finding resting on it goes to review."""
    words = {w for w in reading.text.split() if accepts(w)}
    return Reading(words.pop(), min(reading.conf, RETRY_BELOW / 2)) if len(words) == 1 else None


def _has_ink(image: Image.Image, box) -> bool:
    crop = np.asarray(image.crop(tuple(int(v) for v in box)))
    return crop.size > 0 and float((crop < 128).mean()) >= INK_SHARE


def reread_cells(image: Image.Image, grid: Grid, first_row: int, fields: dict[int, str],
                 limit: int = MAX_RETRIES, engine: str = "tesseract",
                 languages: tuple[str, ...] = OCR_LANGUAGES) -> int:
    """Cells of mapped columns read again, least confident first: those read with low confidence,
    those whose value the column's parser rejects (their confidence drops: whatever Tesseract
    says, the reading is wrong) and empty ones with ink in them. The grid is updated in place.
    Returns how many crops were read."""
    if grid.cell_boxes is None or grid.cell_confs is None or grid.row_boxes is None:
        return 0
    rows = range(first_row, len(grid.rows))
    accepts = {col: _acceptor(name, [grid.rows[i][col] for i in rows]) for col, name in fields.items()}
    todo: list[tuple[float, int, int]] = []
    for col in fields:
        boxes = [grid.cell_boxes[i][col] for i in rows if grid.cell_boxes[i][col]]
        span = (min(b[0] for b in boxes), max(b[2] for b in boxes)) if boxes else None
        for i in rows:
            value, conf = grid.rows[i][col], grid.cell_confs[i][col]
            if value is None and span and grid.row_boxes[i]:
                box = (span[0], grid.row_boxes[i][1], span[1], grid.row_boxes[i][3])
                if _has_ink(image, box):
                    grid.cell_boxes[i][col], grid.cell_confs[i][col] = box, 0.0  # a value stands there, unread
                    todo.append((0.0, i, col))
            elif value is not None and not accepts[col](str(value)):
                grid.cell_confs[i][col] = conf = min(conf, RETRY_BELOW / 2)  # a misread, however sure of itself
                todo.append((conf, i, col))
            elif conf is not None and conf < RETRY_BELOW:
                todo.append((conf, i, col))
    todo.sort()
    deadline = time.monotonic() + SECOND_READINGS_SECONDS
    for _, i, col in todo[:limit]:
        if time.monotonic() > deadline:
            break
        first = Reading(str(grid.rows[i][col] or ""), grid.cell_confs[i][col])
        best = read_cell(image, grid.cell_boxes[i][col], fields[col], first, accepts[col], engine, languages)
        if best.text:
            grid.rows[i][col], grid.cell_confs[i][col] = best.text, best.conf
    return min(len(todo), limit)
