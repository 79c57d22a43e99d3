"""CSV files: encoding (UTF-8, UTF-8 with BOM, GBK/GB18030) and delimiter (, ; tab) detected."""
from __future__ import annotations

import csv
import io
import re

from extractors.types import Grid
from preaudit.core.limits import Limits
from preaudit.core.text import UnreadableError, decode


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t"}
        return max(counts, key=counts.get)


#: the csv module's limit is one for the whole process: set high once, and each file is held to
#: its profile's limits.bytes_per_field below
csv.field_size_limit(64 * 1024 * 1024)


def read_csv(data: bytes, *, name: str, limits: Limits | None = None) -> list[Grid]:
    limits = limits or Limits()
    text, _ = decode(data)
    if "\x00" in text:
        raise UnreadableError("binary content in a .csv file")
    delimiter = sniff_delimiter(text)
    rows = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        longest = max(map(len, row), default=0)
        if longest > limits.bytes_per_field:
            raise UnreadableError(limits.exceeded("bytes_per_field", longest, f"a CSV field of line {len(rows) + 1} "
                                                  "(the field limit: an unclosed quote?)"))
        line = sum(map(len, row))
        if line > limits.bytes_per_line:
            raise UnreadableError(limits.exceeded("bytes_per_line", line, f"characters on line {len(rows) + 1}"))
        rows.append([cell if cell.strip() else None for cell in row])
    notes: list[str] = []
    numbers = list(range(1, len(rows) + 1))
    device = _device_log_header(rows)
    if device:
        rows.insert(0, device)
        numbers.insert(0, 0)  # no line of the file: the header is the device format's, not the file's
        notes.append("no header row: the columns are a ZKTeco attendance log's (user id, date/time, verify, "
                     "state, work code), told by the values' shape")
    elif _drop_empty_header_cells(rows):
        notes.append("the header names more columns than its rows hold: its empty header cells dropped")
    return [Grid(rows=rows, row_numbers=numbers, spreadsheet=True, context=[name], notes=notes)]


#: a ZKTeco device's own attendance log (1_attlog.dat, fetched off the clock): no header, one tap a
#: line, "   ID<TAB>YYYY-MM-DD HH:MM:SS<TAB>verify<TAB>state<TAB>workcode<TAB>reserved"
_ATTLOG_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
_ATTLOG_COLUMNS = ["User ID", "Date/Time", "Verify Code", "State", "Job Code", "Reserved"]


def _device_log_header(rows: list[list[str | None]]) -> list[str] | None:
    """The header of a headerless device dump, when nearly every line (the first one too) is an id,
    a timestamp and small codes: a corrupt line here and there (a device's binary junk) does not
    hide the shape, and a file whose first line names its columns is never taken for one."""
    sample = [r for r in rows[:500] if any(c for c in r)]
    if len(sample) < 2:
        return None

    def tap(row: list[str | None]) -> bool:
        return 4 <= len(row) <= len(_ATTLOG_COLUMNS) and bool(row[0] and row[0].strip()) \
            and bool(row[1] and _ATTLOG_STAMP.match(row[1].strip())) \
            and all(c is None or re.fullmatch(r"-?\d+", c.strip()) for c in row[2:])

    if not tap(sample[0]) or sum(map(tap, sample)) < 0.9 * len(sample):
        return None
    width = max(len(r) for r in rows)
    return _ATTLOG_COLUMNS[:width]


def _drop_empty_header_cells(rows: list[list[str | None]]) -> bool:
    """A header wider than every row under it by exactly its empty cells (a GLog export writes
    "Name\t\t\tGMNo" over rows with one field between): the empty cells are no columns."""
    if len(rows) < 2 or not rows[0]:
        return False
    header, body = rows[0], [r for r in rows[1:] if any(c for c in r)]
    named = [c for c in header if c is not None]
    widths = {len(r) for r in body}
    if not body or len(widths) != 1 or len(named) == len(header) or widths != {len(named)}:
        return False
    rows[0] = named
    return True
