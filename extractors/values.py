"""Parsing cell values (as spreadsheets and OCR give them) into typed values.

Each parser takes one raw value (str, int, float, date, datetime, time or None) and returns the
typed value, or ``None`` for a blank. A value that is present but cannot be parsed raises
``ValueError`` so the caller can count it as a data-quality problem instead of losing it.
``parse_column`` parses a whole column once per *distinct* value: a factory-year of time records
has hundreds of thousands of rows but only a few hundred distinct dates and clock times.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system, including its 1900-02-29 quirk
_BLANKS = {"", "-", "--", "—", "/", "n/a", "na", "none", "null", "无", "空"}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip().replace("\u3000", " ")
    return None if text.lower() in _BLANKS else text


# ---------------------------------------------------------------- dates

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
#: runs of CJK ideographs (search: is there Chinese in it; findall: the Chinese parts)
CJK = re.compile(r"[\u3400-\u9fff]+")
_CJK_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMERIC_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")


def excel_serial_to_date(serial: float) -> dt.date:
    if not 1 <= serial < 2958466:
        raise ValueError(f"{serial} is not an Excel date serial")
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def date_order(values: Sequence[Any]) -> str:
    """'DMY' or 'MDY' for a column's nn/nn/yyyy values: a part above 12 decides; else day-first,
    the convention of the Chinese, South and South-East Asian records we read."""
    for value in values:
        match = _NUMERIC_DMY.match(str(value).strip()) if isinstance(value, str) else None
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                return "DMY"
            if second > 12 >= first:
                return "MDY"
    return "DMY"


def parse_date(value: Any, order: str = "DMY") -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return excel_serial_to_date(float(value))
    text = _text(value)
    if text is None:
        return None
    for pattern in (_ISO, _CJK_DATE, _COMPACT):
        match = pattern.match(text)
        if match:
            y, m, d = (int(g) for g in match.groups())
            return dt.date(y, m, d)
    match = _NUMERIC_DMY.match(text)
    if match:
        a, b, y = (int(g) for g in match.groups())
        if y < 100:
            y += 2000
        day, month = (a, b) if order == "DMY" else (b, a)
        return dt.date(y, month, day)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return excel_serial_to_date(float(text))
    return _dateparser(text, order)


def _dateparser(text: str, order: str) -> dt.date:
    import dateparser  # slow to import; only reached for unusual spellings ("5 Mar 2026")

    parsed = dateparser.parse(text, languages=["en", "zh"],
                              settings={"DATE_ORDER": order, "PREFER_DAY_OF_MONTH": "first",
                                        "REQUIRE_PARTS": ["day", "month", "year"],
                                        # never "yesterday" or "3 days ago": a record's date
                                        # must not depend on the day we read it
                                        "PARSERS": ["absolute-time"]})
    if parsed is None:
        raise ValueError(f"not a date: {text!r}")
    return parsed.date()


# ---------------------------------------------------------------- clock times

_HM = re.compile(r"^(\d{1,2})\s*[:：.时点h]\s*(\d{2})?\s*(?:分)?(?::\d{2})?\s*(am|pm|上午|下午)?$", re.I)
_HHMM = re.compile(r"^(\d{2})(\d{2})$")
_AMPM_FIRST = re.compile(r"^(上午|下午)\s*(.+)$")


def parse_clock(value: Any) -> int | None:
    """Minutes after midnight (0..1439) of a clock time: 08:00, 8:00:00, 0800, 8点30分, 5:30 PM,
    an Excel time fraction, or a time/datetime cell."""
    if isinstance(value, dt.datetime):
        return value.hour * 60 + value.minute
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 0 <= value < 1:
            return round(value * 1440) % 1440
        raise ValueError(f"not a clock time: {value!r}")
    text = _text(value)
    if text is None:
        return None
    text = text.replace(" ", "") if re.search(r"[点时分]", text) else text
    prefix = _AMPM_FIRST.match(text)
    if prefix:
        text = prefix.group(2) + prefix.group(1)
    match = _HM.match(text) or _HHMM.match(text)
    if not match:
        raise ValueError(f"not a clock time: {text!r}")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = match.group(3).lower() if match.re is _HM and match.group(3) else None
    if meridiem in ("pm", "下午") and hour < 12:
        hour += 12
    if meridiem in ("am", "上午") and hour == 12:
        hour = 0
    if hour == 24 and minute == 0:
        hour = 0
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"not a clock time: {text!r}")
    return hour * 60 + minute


_PAIR_SPLIT = re.compile(r"\s*[-–~～至到]\s*")


def parse_punches(value: Any) -> list[int | None]:
    """A cell holding all of a day's punches ("08:00-12:00 13:00-17:30", "08:00 12:00 13:00
    17:30", "08:00/12:00;13:00/17:30") → up to six clock times in order (in1, out1, in2, ...)."""
    text = _text(value)
    if text is None:
        return []
    tokens = [t for t in re.split(r"[\s,;，；/|]+|\s*[-–~～至到]\s*", text) if t]
    times = [parse_clock(t) for t in tokens]
    if len(times) > 6 or len(times) % 2:
        raise ValueError(f"punches must be 1-3 in/out pairs: {text!r}")
    return times


# ---------------------------------------------------------------- numbers

_CURRENCY = re.compile(r"(RMB|CNY|USD|BDT|VND|INR|Tk\.?|Rs\.?|[¥￥$৳₫₹元])", re.I)


def parse_amount(value: Any) -> float | None:
    """Money or a count: 1234.5, "1,234.50", "¥1,234.50", "RMB 3200", "(12.00)", "1.234,50"."""
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    text = _text(value)
    if text is None:
        return None
    text = _CURRENCY.sub("", text).replace(" ", "").replace("\u00a0", "")
    negative = text.startswith("(") and text.endswith(")")
    text = text.strip("()")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+,\d{1,2}", text) or re.fullmatch(r"-?\d+,\d{1,2}", text):
        text = text.replace(".", "").replace(",", ".")  # decimal comma (1.234,50)
    else:
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"not a number: {value!r}") from None
    return -number if negative else number


_HOURS_HM = re.compile(r"^(\d{1,3}):(\d{2})$")


def parse_hours(value: Any) -> float | None:
    """A duration in hours: 8, 8.5, "8.5h", "8小时", "8:30" (h:mm)."""
    if isinstance(value, dt.time):
        return value.hour + value.minute / 60
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 3600
    text = _text(value) if isinstance(value, str) else value
    if isinstance(text, str):
        match = _HOURS_HM.match(text)
        if match:
            return int(match.group(1)) + int(match.group(2)) / 60
        text = re.sub(r"(hours?|hrs?|h|小时|时)$", "", text, flags=re.I).strip()
    return parse_amount(text)


def parse_minutes(value: Any) -> float | None:
    """A break: minutes as a number ("30", "30 min", "30分钟") or h:mm ("0:30")."""
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, str):
        match = _HOURS_HM.match(value.strip())
        if match:
            return int(match.group(1)) * 60 + int(match.group(2))
        value = re.sub(r"(minutes?|mins?|m|分钟|分)$", "", value.strip(), flags=re.I)
    return parse_amount(value)


# ---------------------------------------------------------------- periods and text

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def parse_period(value: Any) -> str | None:
    """A pay period as YYYY-MM: 2026-03, 2026/3, 2026年3月, Mar 2026, March-2026, 03/2026, 202603,
    or a date inside the month."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    text = _text(value)
    if text is None:
        return None
    for pattern, order in ((r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:份)?$", "ym"),
                           (r"^(\d{1,2})\s*[-/.]\s*(\d{4})$", "my"),
                           (r"^(\d{4})(\d{2})$", "ym")):
        match = re.match(pattern, text)
        if match:
            a, b = int(match.group(1)), int(match.group(2))
            year, month = (a, b) if order == "ym" else (b, a)
            if 1 <= month <= 12:
                return f"{year:04d}-{month:02d}"
    match = re.match(r"^([A-Za-z]{3})[a-z]*\.?[\s\-/,]*(\d{4})$", text)
    if match and match.group(1).lower() in _MONTHS:
        return f"{int(match.group(2)):04d}-{_MONTHS[match.group(1).lower()]:02d}"
    if isinstance(value, (int, float)) or re.fullmatch(r"\d{5}(\.\d+)?", text):
        day = excel_serial_to_date(float(text))
        return f"{day.year:04d}-{day.month:02d}"
    day = parse_date(text)
    return f"{day.year:04d}-{day.month:02d}"


def parse_identifier(value: Any) -> str | None:
    """An id as text: 1023.0 from a numeric cell becomes "1023"; spaces are dropped."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _text(value)
    return None if text is None else re.sub(r"\s+", "", text).upper()


def parse_text(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _text(value)


_GENDER = {"m": "M", "male": "M", "男": "M", "f": "F", "female": "F", "女": "F"}


def parse_gender(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if text.lower() not in _GENDER:
        raise ValueError(f"not a gender: {text!r}")
    return _GENDER[text.lower()]


_TRUE = {"y", "yes", "true", "1", "是", "√", "✓", "✔", "ok", "done", "pass", "checked", "已核对", "已检查"}
_FALSE = {"n", "no", "false", "0", "否", "×", "✗", "x", "fail", "未核对", "未检查"}


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value)
    if text is None:
        return None
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise ValueError(f"not yes/no: {text!r}")


# ---------------------------------------------------------------- whole columns


def _hashable(value: Any) -> Any:
    return value if not isinstance(value, list) else tuple(value)


def parse_column(values: Sequence[Any], parser: Callable[[Any], Any]) -> tuple[list[Any], list[int]]:
    """Parse each distinct value once. Returns the parsed values and the indexes that failed
    (their parsed value is None)."""
    cache: dict[Any, Any] = {}
    failed_values: set[Any] = set()
    for value in {_hashable(v) for v in values}:
        try:
            cache[value] = parser(value)
        except (ValueError, OverflowError, TypeError):
            failed_values.add(value)
            cache[value] = None
    parsed = [cache[_hashable(v)] for v in values]
    failed = [i for i, v in enumerate(values) if _hashable(v) in failed_values]
    return parsed, failed


# ---------------------------------------------------------------- logs and licenses

_STAMP = re.compile(r"^(.+?)[\sT]+(\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?(?:\.\d+)?(?:\s*(?:am|pm))?)$", re.I)


def parse_timestamp(value: Any, order: str = "DMY") -> dt.datetime | None:
    """A date and a clock time in one cell: 2026-03-02 07:55, 2026/3/2 7:55:12, 2026年3月2日 07:55,
    a datetime cell or an Excel serial with a day fraction."""
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        day = excel_serial_to_date(float(value))
        return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=round((float(value) % 1) * 1440))
    text = _text(value)
    if text is None:
        return None
    match = _STAMP.match(text)
    if not match:
        raise ValueError(f"not a date and time: {text!r}")
    day, minutes = parse_date(match.group(1), order), parse_clock(match.group(2).replace(" ", ""))
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)


_IN = {"in", "i", "entry", "enter", "entrance", "进", "入", "进入", "进厂", "入厂", "进门"}
_OUT = {"out", "o", "exit", "leave", "出", "离开", "出厂", "离厂", "出门"}


def parse_direction(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if text.lower() in _IN:
        return "in"
    if text.lower() in _OUT:
        return "out"
    raise ValueError(f"not in/out: {text!r}")


_PASS = {"pass", "passed", "ok", "y", "yes", "√", "✓", "✔", "合格", "正常", "是", "good", "1"}
_FAIL = {"fail", "failed", "n", "no", "x", "×", "✗", "不合格", "异常", "否", "bad", "0", "ng"}


def parse_check(value: Any) -> str | None:
    """An inspection point: "pass", "fail", or None when blank."""
    if isinstance(value, bool):
        return "pass" if value else "fail"
    text = _text(value)
    if text is None:
        return None
    if text.lower() in _PASS:
        return "pass"
    if text.lower() in _FAIL:
        return "fail"
    raise ValueError(f"not pass/fail: {text!r}")


LICENSE_TYPES = [
    ("operator_certificate", ["特种设备作业人员证", "作业人员证", "operator certificate", "operator's certificate",
                              "operator licence", "operator license"]),
    ("special_equipment", ["特种设备使用登记证", "特种设备", "使用登记证", "special equipment", "boiler", "elevator",
                           "pressure vessel", "forklift", "lifting"]),
    ("discharge_permit", ["排污许可证", "排污许可", "排污登记", "discharge permit", "pollutant discharge",
                          "pollution consent", "discharge"]),
    ("fire_safety", ["消防验收", "消防安全检查", "消防备案", "消防", "fire safety", "fire acceptance", "fire certificate",
                     "fire licence", "fire license", "fire"]),
    ("canteen_hygiene", ["食品经营许可证", "食品经营", "餐饮服务许可证", "卫生许可证", "canteen", "food business",
                         "food hygiene", "catering", "hygiene"]),
    ("dormitory", ["宿舍", "dormitory", "dorm"]),
    ("business_license", ["营业执照", "business license", "business licence", "business registration",
                          "factory licence", "factory license"]),
]


def parse_license_type(value: Any) -> str | None:
    """The license type from whatever the document calls it; unknown kinds are kept as "other"."""
    text = _text(value)
    if text is None:
        return None
    low = text.lower()
    if low in {t for t, _ in LICENSE_TYPES} | {"other"}:
        return low
    for kind, words in LICENSE_TYPES:
        if any(w in low for w in words):
            return kind
    return "other"
