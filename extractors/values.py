"""Parsing cell values (as spreadsheets and OCR give them) into typed values.

Each parser takes one raw value (str, int, float, date, datetime, time or None) and returns the
typed value, or ``None`` for a blank. A value that is present but cannot be parsed raises
``ValueError`` so the caller can count it as a data-quality problem instead of losing it.
``parse_column`` parses a whole column once per *distinct* value: a factory-year of time records
has hundreds of thousands of rows but only a few hundred distinct dates and clock times.
"""
from __future__ import annotations

import calendar
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
#: three numbers: dd/mm/yyyy, mm/dd/yyyy, and with a two-digit year also yy-mm-dd (DingTalk)
_NUMERIC_TRIPLE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")
_NUMERIC_DMY = _NUMERIC_TRIPLE  # the old name, kept for callers outside this module

#: a weekday written after (or before) a date, as exports add it: "25-08-01 星期五", "周五",
#: "01/08/2025 (Fri)", "Friday", "Thứ Sáu", "T6", "CN"; Monday is 0 as in ``date.weekday()``
_WEEKDAYS: dict[str, int] = {}
for _i, _names in enumerate([
        ("星期一", "周一", "礼拜一", "mon", "monday", "thứ hai", "thứ 2", "t2"),
        ("星期二", "周二", "礼拜二", "tue", "tues", "tuesday", "thứ ba", "thứ 3", "t3"),
        ("星期三", "周三", "礼拜三", "wed", "wednesday", "thứ tư", "thứ 4", "t4"),
        ("星期四", "周四", "礼拜四", "thu", "thur", "thurs", "thursday", "thứ năm", "thứ 5", "t5"),
        ("星期五", "周五", "礼拜五", "fri", "friday", "thứ sáu", "thứ 6", "t6"),
        ("星期六", "周六", "礼拜六", "sat", "saturday", "thứ bảy", "thứ 7", "t7"),
        ("星期日", "星期天", "周日", "周天", "礼拜日", "礼拜天", "sun", "sunday", "chủ nhật", "cn")]):
    for _name in _names:
        _WEEKDAYS[_name] = _i
_WEEKDAY_WORDS = "|".join(sorted((re.escape(n) for n in _WEEKDAYS), key=len, reverse=True))
_WEEKDAY_AFTER = re.compile(rf"^(.*?\d)\s*[(（,]?\s*({_WEEKDAY_WORDS})\.?\s*[)）]?$", re.I)
_WEEKDAY_BEFORE = re.compile(rf"^({_WEEKDAY_WORDS})\.?\s*[,，]?\s*(\d.*)$", re.I)
_DATE_PREFIX = re.compile(r"^(?:ngày|date|日期)\s*[:：]?\s*", re.I)


def split_weekday(text: str) -> tuple[str, int | None]:
    """("25-08-01", 4) from "25-08-01 星期五"; the weekday, when written, settles the date order."""
    text = _DATE_PREFIX.sub("", text.strip())
    match = _WEEKDAY_AFTER.match(text)
    if match:
        return match.group(1).strip(), _WEEKDAYS[match.group(2).lower()]
    match = _WEEKDAY_BEFORE.match(text)
    if match:
        return match.group(2).strip(), _WEEKDAYS[match.group(1).lower()]
    return text, None


def excel_serial_to_date(serial: float) -> dt.date:
    if not 1 <= serial < 2958466:
        raise ValueError(f"{serial} is not an Excel date serial")
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


DATE_ORDERS = ("DMY", "MDY", "YMD")
_TRAILING_CLOCK = re.compile(r"[\sT]+\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?(?:\.\d+)?(?:\s*(?:am|pm))?$", re.I)


def _triple_date(a: int, b: int, c: int, order: str, two_digit_year: bool) -> dt.date:
    if order == "YMD":
        if not two_digit_year:
            raise ValueError("a four-digit year comes first or last")
        return dt.date(2000 + a, b, c)
    year = c + 2000 if c < 100 else c
    day, month = (a, b) if order == "DMY" else (b, a)
    return dt.date(year, month, day)


def date_order(values: Sequence[Any], default: str = "DMY", *, days: bool = False) -> str:
    """'DMY', 'MDY' or 'YMD' for a column's three-number dates, decided from all of its values,
    not one at a time: the order under which most values are real dates, then the one whose
    written weekdays agree ("25-08-01 星期五" is 2025-08-01, a Friday), then, for a two-digit
    year, the part that stays the same over a column of days (the year) against the one that
    changes most (the day), and likewise, in a column of ``days`` (the dates of daily records,
    never pay dates: paid on the 5th of each month, the day is what stays), between day-first and
    month-first the part that stays the same over three or more dates (the month). Undecided columns take ``default``: day-first, the convention of the
    Chinese, South and South-East Asian records we read, unless the jurisdiction writes month-first."""
    triples: list[tuple[int, int, int, bool, int | None]] = []
    for text in _distinct_dates(values):
        text, weekday = split_weekday(text)
        match = _NUMERIC_TRIPLE.match(text)
        if match:
            a, b, c = (int(g) for g in match.groups())
            triples.append((a, b, c, len(match.group(3)) == 2, weekday))
    if not triples:
        return default
    score: dict[str, tuple[int, int, int]] = {}
    preference = [default] + [o for o in DATE_ORDERS if o != default]
    for k, order in enumerate(preference):
        valid = agree = 0
        for a, b, c, short, weekday in triples:
            try:
                day = _triple_date(a, b, c, order, short)
            except ValueError:
                continue
            valid += 1
            agree += weekday is not None and day.weekday() == weekday
        score[order] = (valid, agree, -k)
    if all(short for *_, short, _ in triples) and score["YMD"][:2] == score["DMY"][:2]:
        firsts, lasts = {t[0] for t in triples}, {t[2] for t in triples}
        if len(firsts) < len(lasts):
            score["YMD"] = (score["YMD"][0], score["YMD"][1], 1)
    elif days and score["DMY"][:2] == score["MDY"][:2] and score["DMY"][0] > score["YMD"][0]:
        # a column of days spans a month or two: the part that changes is the day, the part that
        # stays is the month (a ZKTeco card's 9/1/2026 … 9/12/2026 is September, whatever the country)
        firsts, seconds = {t[0] for t in triples}, {t[1] for t in triples}
        if len(seconds) <= 2 < len(firsts):
            score["DMY"] = (score["DMY"][0], score["DMY"][1], 2)
        elif len(firsts) <= 2 < len(seconds):
            score["MDY"] = (score["MDY"][0], score["MDY"][1], 2)
    return max(preference, key=lambda o: score[o])


def _distinct_dates(values: Sequence[Any]) -> set[str]:
    """The distinct date parts of a column's text values (a month of taps holds ~30 dates)."""
    return {_TRAILING_CLOCK.sub("", v.strip()) for v in set(v for v in values if isinstance(v, str))}


def has_ambiguous_dates(values: Sequence[Any]) -> bool:
    """Whether a column holds three-number dates whose order had to be decided."""
    return any(_NUMERIC_TRIPLE.match(split_weekday(t)[0]) for t in _distinct_dates(values))


#: what a licence says for "no expiry": a date that is rightly empty
NO_EXPIRY = {"长期", "长期有效", "永久", "无固定期限", "long-term", "long term", "permanent", "no expiry", "n/a"}


def parse_date(value: Any, order: str = "DMY") -> dt.date | None:
    if isinstance(value, str) and value.strip().lower() in NO_EXPIRY:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return excel_serial_to_date(float(value))
    text = _text(value)
    if text is None:
        return None
    text, weekday = split_weekday(text)
    day = _parse_date_text(text, order)
    if weekday is not None and day.weekday() != weekday:
        raise ValueError(f"{value!r}: {day.isoformat()} is not a {calendar.day_name[weekday]}")
    return day


def _parse_date_text(text: str, order: str) -> dt.date:
    for pattern in (_ISO, _CJK_DATE, _COMPACT):
        match = pattern.match(text)
        if match:
            y, m, d = (int(g) for g in match.groups())
            return dt.date(y, m, d)
    match = _NUMERIC_TRIPLE.match(text)
    if match:
        a, b, c = (int(g) for g in match.groups())
        return _triple_date(a, b, c, order, len(match.group(3)) == 2)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return excel_serial_to_date(float(text))
    return _dateparser(text, "DMY" if order == "YMD" else order)


def _dateparser(text: str, order: str) -> dt.date:
    import dateparser  # slow to import; only reached for unusual spellings ("5 Mar 2026")

    parsed = dateparser.parse(text, languages=["en", "zh", "vi"],
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
_NEXT_DAY = re.compile(r"^(?:次日|隔日|翌日|next\s*day)\s*|\s*(?:\(\+1\)|\+1|\(次日\)|（次日）)$", re.I)
#: what time clocks write in a punch cell that holds no punch (DingTalk 缺卡: "missed punch")
_MISSED_PUNCH = {"缺卡", "未打卡", "missing", "missed", "no punch", "漏打卡"}


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
    if text is None or text in _MISSED_PUNCH:
        return None
    text = _NEXT_DAY.sub("", text).strip()  # "次日 00:30": the pair crosses midnight, as pairs may
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


MAX_PAIRS = 5  # ZKTeco time cards export Clock In 1 … Clock Out 5
_PAIR_SPLIT = re.compile(r"\s*[-–~～至到]\s*")


def parse_punches(value: Any) -> list[int | None]:
    """A cell holding all of a day's punches ("08:00-12:00 13:00-17:30", "08:00 12:00 13:00
    17:30", "08:00/12:00;13:00/17:30") → up to six clock times in order (in1, out1, in2, ...)."""
    text = _text(value)
    if text is None:
        return []
    tokens = [t for t in re.split(r"[\s,;，；/|]+|\s*[-–~～至到]\s*", text) if t]
    times = [parse_clock(t) for t in tokens]
    if len(times) > 2 * MAX_PAIRS or len(times) % 2:
        raise ValueError(f"punches must be 1-{MAX_PAIRS} in/out pairs: {text!r}")
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


#: hours and minutes in words, as DingTalk and WeCom export a duration: "9小时1分钟", "9h 30m",
#: "8 hrs 15 mins", "45分钟"
_HOURS_AND_MINUTES = re.compile(r"^(?:(\d+(?:\.\d+)?)\s*(?:小时|时|hours?|hrs?|h)\s*)?"
                                r"(?:(\d+)\s*(?:分钟|分|minutes?|mins?|m))?$", re.I)


def parse_hours(value: Any) -> float | None:
    """A duration in hours: 8, 8.5, "8.5h", "8小时", "8:30" (h:mm), "9小时1分钟", "9h 30m"."""
    if isinstance(value, dt.time):
        return value.hour + value.minute / 60
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 3600
    text = _text(value) if isinstance(value, str) else value
    if isinstance(text, str):
        match = _HOURS_HM.match(text)
        if match:
            return int(match.group(1)) + int(match.group(2)) / 60
        both = _HOURS_AND_MINUTES.match(text.strip())
        if both and both.group(2) is not None:
            return float(both.group(1) or 0) + int(both.group(2)) / 60
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


_VN_MONTH = re.compile(r"^(?:tháng|t)\s*(\d{1,2})\s*(?:năm|[-/.])\s*(\d{4})$", re.I)


def parse_period(value: Any) -> str | None:
    """A pay period as YYYY-MM: 2026-03, 2026/3, 2026.03, 2026年3月, Mar 2026, March-2026,
    Aug-2025, 03/2026, 202603, Tháng 08 năm 2025, T08-2025, or a date inside the month.
    A month with no year ("8月") is "XXXX-08": the audit period decides its year later."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    text = _text(value)
    if text is None:
        return None
    text = re.sub(r"(工资表|工资|薪资|份)$", "", text).strip()
    for pattern, order in ((r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$", "ym"),
                           (r"^(\d{1,2})\s*[-/.]\s*(\d{4})$", "my"),
                           (r"^(\d{4})(\d{2})$", "ym")):
        match = re.match(pattern, text)
        if match:
            a, b = int(match.group(1)), int(match.group(2))
            year, month = (a, b) if order == "ym" else (b, a)
            if 1 <= month <= 12:
                return f"{year:04d}-{month:02d}"
    match = _VN_MONTH.match(text)
    if match and 1 <= int(match.group(1)) <= 12:
        return f"{int(match.group(2)):04d}-{int(match.group(1)):02d}"
    match = re.match(r"^([A-Za-z]{3})[A-Za-z]*\.?[\s\-/,']*(\d{4}|\d{2})$", text)
    if match and match.group(1).lower() in _MONTHS:
        year = int(match.group(2)) + (2000 if len(match.group(2)) == 2 else 0)
        return f"{year:04d}-{_MONTHS[match.group(1).lower()]:02d}"
    match = re.match(r"^(\d{1,2})\s*月$", text)
    if match and 1 <= int(match.group(1)) <= 12:
        return f"XXXX-{int(match.group(1)):02d}"
    if isinstance(value, (int, float)) or re.fullmatch(r"\d{5}(\.\d+)?", text):
        day = excel_serial_to_date(float(text))
        return f"{day.year:04d}-{day.month:02d}"
    day = parse_date(text)
    return f"{day.year:04d}-{day.month:02d}"


_PERIOD_IN_TEXT = re.compile(r"(\d{4}\s*年\s*\d{1,2}\s*月|(?<![\d.])\d{4}[-/.]\d{1,2}(?![-/\d]|\.\d)|"
                             r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s\-']*\d{4}|"
                             r"tháng\s*\d{1,2}\s*năm\s*\d{4}|tháng\s*\d{1,2}\s*/\s*\d{4}|"
                             r"(?<![A-Za-z])T\d{1,2}[-/.]\d{4}|(?<![\d年])\d{1,2}\s*月)", re.I)


def period_from_context(texts: Sequence[str]) -> str | None:
    """A payroll's month when no column holds it: "2026年3月工资表", sheet "2026-03", a file name."""
    for text in texts:
        for match in _PERIOD_IN_TEXT.finditer(text or ""):
            try:
                return parse_period(match.group(1))
            except ValueError:
                continue
    return None


def resolve_month(period: str | None, start: dt.date, end: dt.date) -> str | None:
    """The year of a "XXXX-MM" period: the one year that puts the month inside start..end."""
    if period is None or not period.startswith("XXXX-"):
        return period
    month = int(period[5:])
    years = {y for y in range(start.year, end.year + 1)
             if (y, month) >= (start.year, start.month) and (y, month) <= (end.year, end.month)}
    return f"{years.pop():04d}-{month:02d}" if len(years) == 1 else None


def parse_identifier(value: Any) -> str | None:
    """An id as text: 1023.0 from a numeric cell becomes "1023"; spaces are dropped."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _text(value)
    if text is None:
        return None
    if _JUNK.search(text):  # a device's corrupt record: binary bytes where the id was
        raise ValueError(f"{text!r}: control characters or undecodable bytes, not an id")
    return re.sub(r"\s+", "", text).upper()


_JUNK = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")


def parse_text(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _text(value)


def parse_person_name(value: Any) -> str | None:
    """A person's name: text with a letter in it (any script). A cell of digits alone ("12312321",
    a number typed in the name column) names nobody."""
    text = parse_text(value)
    if text is not None and not any(c.isalpha() for c in text):
        raise ValueError(f"{text!r} holds no letters: not a name")
    return text


_GENDER = {"m": "M", "male": "M", "男": "M", "f": "F", "female": "F", "女": "F", "nam": "M", "nữ": "F",
           "nu": "F", "পুরুষ": "M", "মহিলা": "F", "নারী": "F"}


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
    keys = [_hashable(v) for v in values] if any(isinstance(v, list) for v in values) else values
    for value in set(keys):
        try:
            cache[value] = parser(value)
        except (ValueError, OverflowError, TypeError):
            failed_values.add(value)
            cache[value] = None
    parsed = [cache[k] for k in keys]
    failed = [i for i, k in enumerate(keys) if k in failed_values] if failed_values else []
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


_IN = {"in", "i", "entry", "enter", "entrance", "进", "入", "进入", "进厂", "入厂", "进门", "vào", "vao"}
_OUT = {"out", "o", "exit", "leave", "出", "离开", "出厂", "离厂", "出门", "ra"}


def parse_direction(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    if text.lower() in _IN:
        return "in"
    if text.lower() in _OUT:
        return "out"
    raise ValueError(f"not in/out: {text!r}")


#: the in/out state time clocks write beside a tap: ZKTeco C/In C/Out (and its numeric codes
#: 0 check-in, 1 check-out, 2 break-out, 3 break-in, 4 OT-in, 5 OT-out), DingTalk 上班/下班,
#: 签到/签退, Check In/Check Out
_STATE_IN = {"c/in", "cin", "in", "i", "check in", "check-in", "checkin", "clock in", "on duty", "duty on",
             "break in", "break-in", "ot in", "ot-in", "overtime in", "上班", "签到", "上班打卡", "进", "入",
             "vào", "vao", "0", "3", "4"}
_STATE_OUT = {"c/out", "cout", "out", "o", "check out", "check-out", "checkout", "clock out", "off duty",
              "duty off", "break out", "break-out", "ot out", "ot-out", "overtime out", "下班", "签退",
              "下班打卡", "出", "ra", "1", "2", "5"}


def parse_punch_state(value: Any) -> str | None:
    """A tap's state: "in" or "out"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _text(value)
    if text is None:
        return None
    low = re.sub(r"\s+", " ", text.lower())
    if low in _STATE_IN:
        return "in"
    if low in _STATE_OUT:
        return "out"
    raise ValueError(f"not an in/out state: {text!r}")


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
