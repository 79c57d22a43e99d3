"""CSV files: encoding (UTF-8, UTF-8 with BOM, GBK/GB18030) and delimiter (, ; tab) detected."""
from __future__ import annotations

import csv
import io

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
    return [Grid(rows=rows, row_numbers=list(range(1, len(rows) + 1)), spreadsheet=True,
                 context=[name])]
