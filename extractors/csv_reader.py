"""CSV files: encoding (UTF-8, UTF-8 with BOM, GBK/GB18030) and delimiter (, ; tab) detected."""
from __future__ import annotations

import csv
import io

from charset_normalizer import from_bytes

from extractors.grid import Grid
from extractors.limits import Limits


class UnreadableError(Exception):
    """The file cannot be read at all; the message says why, for DQ-UNREADABLE."""


#: what else the factories we read save CSV as: Western and Vietnamese Windows code pages,
#: Traditional Chinese, and GB18030 again for files whose Chinese is all rare name characters
#: (charset-normalizer chooses among these only)
OTHER_ENCODINGS = ["cp1252", "cp1258", "big5", "gb18030", "latin_1"]


def _looks_chinese(text: str) -> bool:
    """GB18030 decodes almost any bytes. Real Chinese records use GB2312 characters almost only;
    a Western file misread as GBK lands all over the extension planes."""
    wide = [c for c in text if ord(c) > 127]
    if not wide:
        return True
    common = 0
    for c in wide:
        try:
            c.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(wide) >= 0.9


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding). Strict UTF-8 first (BOM or not), then GB18030 (a superset of GBK and
    GB2312, what Chinese Excel saves as "CSV") when the result reads as Chinese, then the best
    of the other encodings our factories use."""
    if not data.strip():
        raise UnreadableError("the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text": UTF-16 with its BOM, tab-separated
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableError("UTF-16 text with a damaged character") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _looks_chinese(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=OTHER_ENCODINGS).best()
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
