"""Bytes as text: the encodings factories save in (UTF-8 with or without BOM, UTF-16, GBK/GB18030,
Windows code pages), for CSV exports, factory.yaml and rule packs alike; and the error any file
that cannot be read at all raises."""
from __future__ import annotations

from charset_normalizer import from_bytes


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
