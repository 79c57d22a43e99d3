"""CSV files: encoding (UTF-8, UTF-8 with BOM, GBK/GB18030) and delimiter (, ; tab) detected."""
from __future__ import annotations

import csv
import io

from charset_normalizer import from_bytes

from extractors.grid import Grid


class UnreadableError(Exception):
    """The file cannot be read at all; the message says why, for DQ-UNREADABLE."""


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). Strict UTF-8 first (BOM or not), then GB18030 (a superset of GBK and
    GB2312, what Chinese Excel saves as "CSV"), then charset-normalizer's best guess."""
    if not data.strip():
        raise UnreadableError("the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableError("the text encoding could not be determined")
    return str(best), best.encoding


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t"}
        return max(counts, key=counts.get)


def read_csv(data: bytes, *, name: str) -> list[Grid]:
    text, _ = decode(data)
    if "\x00" in text:
        raise UnreadableError("binary content in a .csv file")
    delimiter = sniff_delimiter(text)
    rows = [[cell if cell.strip() else None for cell in row]
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return [Grid(rows=rows, row_numbers=list(range(1, len(rows) + 1)), spreadsheet=True,
                 context=[name])]
