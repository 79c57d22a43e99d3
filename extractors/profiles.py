"""What a column's values look like, so that the values can check a header's reading and decide
where the header's words are silent.

``profile(values)`` sorts each non-empty cell of one column into the shapes records hold: id
codes, person names, dates, timestamps, clock times, clock ranges ("07:56-17:33"), durations in
hours, minute counts, money, in/out words, attendance marks (P, A, WO, √, 休) and free text. One
value may have several shapes (``22`` is a count, an amount or a code; ``IN`` a state and a
two-letter mark): a profile counts each shape's share, and a reading is contradicted only by
values none of whose shapes fit it. ``contradiction`` says why a field's declared type does not
fit its column; ``field_from_values`` names the field a column with an unknown header must be,
where its values leave no doubt. The parsers of ``extractors.values`` decide each shape, so a
value counted as a clock time is one that the clock field would read.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from extractors import values as V
from preaudit.core.model import Kind

#: the shapes a value can have, in the order that settles which one a column is when several
#: hold most of it (a clock range is also text; a small integer is also a count and a code)
TYPES = ("clock_range", "datetime", "date", "clock", "in_out", "mark", "person_name", "duration",
         "minute_count", "money", "id_code", "text")
#: how ``describe`` names each shape
NAMES = {"id_code": "id codes", "person_name": "person names", "date": "dates", "datetime": "dates with times",
         "clock": "clock times", "clock_range": "clock ranges", "duration": "hours", "minute_count": "minute counts",
         "money": "amounts", "in_out": "In/Out", "mark": "attendance marks", "text": "text"}
DOMINANT = 0.8       # the share a shape must hold to be the column's
MIN_VALUES = 5       # fewer non-empty values contradict nothing and decide nothing
SAMPLE = 1000        # values classified per column (spread over it); counts of distinct values use all

# internal tags: shapes a field's parser accepts that are no type of their own
_SERIAL = "_serial"        # a bare number in the range of Excel date serials (1955-2119)
_HHMM = "_hhmm"            # 0800, 7.30: a clock time without a colon
_STATE_CODE = "_state_code"  # 0-5: ZKTeco's numeric tap states, a state only when they alternate
_BARE = "_bare_number"     # a plain integer: a code, a count or an amount alike
_FRACTION = "_fraction"    # 0 < x < 1: an Excel time of day, or a rate
_HM = "_h_mm"              # 8:30: a clock time, or hours and minutes

_DATE_SHAPE = re.compile(r"\d{1,4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,4}|\d{2,4}\s*年|^\d{8}$|"
                         r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[\s,-]+\d", re.I)
_CLOCK_MARK = re.compile(r"[:：点时]|\d\s*(?:am|pm)\b", re.I)
#: how parse_punches splits a cell of punches: a cell is a clock range when every part is a time
_PUNCH_TOKENS = re.compile(r"[\s,;，；/|]+|\s*[-–~～至到]\s*")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9\-_/#]*$")
_LETTERS = re.compile(r"[^\W\d_]")
_CJK_NAME = re.compile(r"^[\u3400-\u9fff]{2,4}$")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’\-.]*(?:['’\-.][^\W\d_]*)*\.?$")
_MONEY_SHAPE = re.compile(r"[,¥￥$৳₫₹元]|\d\.\d{2}$|RMB|CNY|USD|BDT|VND|INR|Tk|Rs", re.I)
_HOURS_WORD = re.compile(r"(hours?|hrs?|h|小时|时)$", re.I)
_MINUTES_WORD = re.compile(r"(minutes?|mins?|m|分钟|分)$", re.I)

#: words that are no one's name though they look like one: states, results, genders, grades,
#: and the roles and departments a roster lists beside the names
_NOT_NAMES = {
    "present", "absent", "leave", "holiday", "weekend", "week off", "normal", "late", "early", "overtime",
    "total", "yes", "no", "none", "male", "female", "nam", "nữ", "day", "night", "off", "rest", "high", "low",
    "medium", "midium", "pass", "fail", "ok", "paid", "unpaid", "active", "inactive", "resigned", "on leave",
    "sick", "casual", "annual", "half day", "shift", "general", "morning", "evening", "missing", "manual",
    "face", "fp", "card", "password", "check in", "check out", "clock in", "clock out", "in", "out",
    "正常", "迟到", "早退", "缺卡", "旷工", "休息", "事假", "病假", "年假", "婚假", "产假", "丧假", "调休", "出差",
    "加班", "请假", "合计", "总计", "上班", "下班", "签到", "签退", "男", "女", "白班", "夜班", "中班"}
_ROLE_WORDS = {
    "engineer", "manager", "director", "assistant", "officer", "operator", "worker", "supervisor", "executive",
    "trainee", "analyst", "advisor", "adviser", "coordinator", "department", "dept", "logistics", "production",
    "sewing", "cutting", "finishing", "packing", "quality", "admin", "administration", "accounts", "account",
    "accountant", "hr", "marketing", "sales", "finance", "helper", "technician", "security", "store", "stores",
    "developer", "designer", "consultant", "clerk", "driver", "cleaner", "guard", "staff", "senior", "junior",
    "head", "lead", "team", "intern", "software", "project", "data", "financial", "human", "resources",
    "maintenance", "warehouse", "office", "factory", "line", "section", "unit", "team", "company", "ltd",
    "limited", "inc", "co", "enterprise", "sample", "division", "it", "qa", "qc", "ie", "mechanic", "electrician",
    "cook", "peon", "associate", "specialist", "representative", "president", "ceo", "cfo", "gm", "agm"}
#: the commonest Chinese surnames (over nine in ten people carry one): 人力资源 and 市场专员 are no names
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄"
    "聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙"
    "荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花"
    "权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿"
    "鲜印逯隆茹诸战慕危玉银亢嵩公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由")
_COMPOUND_SURNAMES = {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "令狐", "夏侯"}
#: attendance marks: a present day, an absence, a rest day, a kind of leave (one or two letters,
#: a tick or cross, or one of the characters Chinese and Vietnamese sheets write)
_MARK_SYMBOLS = {"√", "✓", "✔", "×", "✗", "✘", "+", "○", "●", "◯", "△", "▲", "☆", "★", "*", "#", "½", "o",
                 "休", "病", "事", "旷", "假", "婚", "丧", "产", "年", "差", "迟", "早", "缺", "调", "公", "班", "夜",
                 "白", "中", "出", "休息", "正常", "迟到", "早退", "旷工", "事假", "病假", "年假", "婚假", "产假",
                 "丧假", "调休", "出差", "缺卡", "off", "hd", "½p", "p/2", "1/2", "present", "absent", "leave",
                 "holiday", "weekend", "week off", "weekly off", "rest", "half day", "on leave", "sick leave"}
_EXCEL_ZERO_DAYS = {dt.date(1899, 12, 30), dt.date(1899, 12, 31), dt.date(1900, 1, 1)}
_LATIN_MARK = re.compile(r"^[A-Za-zÀ-ỹ]{1,2}$")
#: in/out words the time clocks of Vietnam and gate readers write, beside those values.py reads
_EXTRA_IN_OUT = {"giờ vào": "in", "giờ ra": "out"}


def _in_out(text: str) -> str | None:
    """"in" or "out" for a word (not a numeric state code: 0 and 1 are states only when they alternate)."""
    low = re.sub(r"\s+", " ", text.strip().lower())
    if low.isdigit():
        return None
    if low in _EXTRA_IN_OUT:
        return _EXTRA_IN_OUT[low]
    for parse in (V.parse_punch_state, V.parse_direction):
        try:
            state = parse(text)
        except ValueError:
            continue
        if state is not None:
            return state
    return None


def _person_name(text: str) -> bool:
    if text.lower() in _NOT_NAMES:
        return False
    if _CJK_NAME.match(text):
        return text[0] in _SURNAMES or text[:2] in _COMPOUND_SURNAMES
    words = text.replace(",", " ").split()
    if not 1 <= len(words) <= 5 or any(not _NAME_WORD.match(w) for w in words):
        return False
    if any(w.lower().strip(".") in _ROLE_WORDS for w in words):
        return False
    if len(words) == 1:  # a first name alone (Deepak's "Aarav"): capitalised, not a code or a mark
        word = words[0]
        return len(word) >= 3 and word[0].isupper() and any(c.islower() for c in word[1:])
    long = [w for w in words if len(w.strip(".")) >= 2]
    return bool(long) and all(w[0].isupper() for w in long)


def _number_tags(number: float, written: str | None) -> set[str]:
    """The shapes of a number (``written`` is its text when it came as text)."""
    tags: set[str] = set()
    integer = float(number).is_integer()
    if integer and number >= 0 and (written is None or written.isdigit()):
        tags |= {_BARE, "id_code"}
        if written is not None and len(written) > 1 and written.startswith("0"):
            return {"id_code", _HHMM} if re.fullmatch(r"\d{4}", written) else {"id_code"}  # 00123, 0800
        if number <= 5:
            tags.add(_STATE_CODE)
        if 20000 <= number <= 80000:
            tags.add(_SERIAL)
        if written is not None and re.fullmatch(r"\d{3,4}", written):
            try:
                V.parse_clock(written)
                tags.add(_HHMM)
            except ValueError:
                pass
    if 0 <= number <= 24:
        tags.add("duration")
    if integer and 0 <= number <= 240:
        tags.add("minute_count")
    if 0 < number < 1 and written is None:
        tags.add(_FRACTION)
    if abs(number) >= 100 or (written is not None and _MONEY_SHAPE.search(written)) \
            or (written is None and not integer and round(number, 2) == number):
        tags.add("money")
    if written is not None and re.fullmatch(r"\d{1,2}\.[0-5]\d", written):
        tags.add(_HHMM)  # 7.30 is half past seven on some clocks
    return tags


def _identifier(text: str) -> str | None:
    try:
        return V.parse_identifier(text)
    except ValueError:  # control characters, undecodable bytes: no id
        return None


def _shapes(value: Any) -> frozenset[str]:
    """Every shape one non-empty value has."""
    if isinstance(value, bool):
        return frozenset({"text"})
    if isinstance(value, dt.datetime):
        if value.date() in _EXCEL_ZERO_DAYS:  # a time of day kept as a datetime on Excel's day 0
            return frozenset({"clock", "duration"})
        return frozenset({"date"} if value.time() == dt.time(0) else {"datetime"})
    if isinstance(value, dt.date):
        return frozenset({"date"})
    if isinstance(value, dt.time):
        return frozenset({"clock", "duration"})
    if isinstance(value, dt.timedelta):
        return frozenset({"duration"})
    if isinstance(value, (int, float)):
        return frozenset(_number_tags(float(value), None))
    text = str(value).strip().replace("\u3000", " ")
    tags: set[str] = set()
    has_digit = any(c.isdigit() for c in text)
    if has_digit:
        if _CLOCK_MARK.search(text):
            tokens = [t for t in _PUNCH_TOKENS.split(text) if t]
            if len(tokens) >= 2 and all(_CLOCK_MARK.search(t) for t in tokens):
                try:
                    times = V.parse_punches(text)
                    if len(times) >= 2 and all(t is not None for t in times):
                        tags.add("clock_range")
                except ValueError:
                    pass
            if not tags:
                try:
                    if V.parse_clock(text) is not None:
                        tags.add("clock")
                except ValueError:
                    pass
                try:
                    hours = V.parse_hours(text)
                    if hours is not None and 0 <= hours <= 24 and re.fullmatch(r"\d{1,2}:\d{2}", text):
                        tags.add(_HM)  # 09:20 "Total in time" reads as hours too
                except ValueError:
                    pass
            if not tags and _DATE_SHAPE.search(text):
                try:
                    if V.parse_timestamp(text) is not None:
                        tags.add("datetime")
                except (ValueError, OverflowError):
                    pass
        elif _DATE_SHAPE.search(text):
            for order in V.DATE_ORDERS:  # the column's order is decided later, from all its dates
                try:
                    if V.parse_date(text, order) is not None:
                        tags.add("date")
                        break
                except (ValueError, OverflowError):
                    continue
            if not tags and re.search(r"\d[-/.]\d{1,2}[-/.]\d", text):
                tags.add("text")  # 31/02/2026: a date gone wrong, no code
        if not tags:
            tags |= _numeric_text(text)
        if not tags and " " not in text and len(text) <= 20 and _CODE.match(_identifier(text) or ""):
            tags.add("id_code")
    state = _in_out(text) if len(text) <= 12 else None
    if state is not None:
        tags.add("in_out")
    if not has_digit or text.lower() in _MARK_SYMBOLS:
        if text.lower() in _MARK_SYMBOLS or text in _MARK_SYMBOLS or _LATIN_MARK.match(text):
            tags.add("mark")
        elif _person_name(text) and state is None:
            tags.add("person_name")
    return frozenset(tags or {"text"})


def _numeric_text(text: str) -> set[str]:
    """The shapes of a number written as text: 1,234.50, ¥3200, 8.5h, 30 min, 00123."""
    for strip, extra in ((None, set()), (_HOURS_WORD, {"duration"}), (_MINUTES_WORD, {"minute_count"})):
        body = text if strip is None else strip.sub("", text).strip()
        if strip is not None and body == text:
            continue
        try:
            number = V.parse_amount(body)
        except ValueError:
            continue
        if number is None:
            return set()
        written = body.replace(" ", "")
        tags = _number_tags(number, written if re.fullmatch(r"\d+", written) else written)
        if strip is not None:  # "8.5h" is hours, "30 min" minutes: nothing else
            keep = {"duration"} if "duration" in extra else {"minute_count"} if number.is_integer() else set()
            return (tags & keep) | extra if extra & tags or extra else tags
        return tags
    return set()


@dataclass(frozen=True)
class ValueProfile:
    """What one column's values look like."""
    total: int                      # cells, empty ones included
    non_empty: int
    shares: dict[str, float]        # shape → share of the non-empty values that have it
    distinct: int                   # distinct non-empty values (all of them, not the sample)
    top_share: float = 0.0          # the share of the non-empty values that are its commonest value
    sets: Counter = field(default_factory=Counter, repr=False)  # each value's set of shapes → count
    raw: Sequence[Any] = field(default=(), repr=False, compare=False)  # the cells profiled, as given

    @cached_property
    def values(self) -> list[Any]:
        """The non-empty values, in order."""
        return [v for v in self.raw if not _blank(v)]

    @property
    def dominant(self) -> str | None:
        """The shape holding ≥ 80 % of the non-empty values (the most telling, when several do)."""
        for kind in TYPES:
            if self.shares.get(kind, 0.0) >= DOMINANT:
                return kind
        return None

    @property
    def empty(self) -> float:
        return 1 - self.non_empty / self.total if self.total else 1.0

    @property
    def sampled(self) -> int:
        return sum(self.sets.values())

    def share_where(self, fits: Collection[str]) -> float:
        """The share of the values that have at least one of the shapes ``fits``."""
        if not self.sampled:
            return 0.0
        return sum(n for shapes, n in self.sets.items() if shapes & set(fits)) / self.sampled

    def only(self, shapes: Collection[str]) -> float:
        """The share of the values none of whose shapes is outside ``shapes``."""
        if not self.sampled:
            return 0.0
        return sum(n for s, n in self.sets.items() if s <= set(shapes)) / self.sampled

    def describe(self) -> str:
        """A short phrase for `preaudit inspect`: "92 % clock times, 8 % empty"."""
        if not self.non_empty:
            return "empty"
        parts: list[str] = []
        top = self.dominant
        if top is not None:
            also = [k for k in TYPES if k != top and self.shares.get(k, 0.0) >= DOMINANT and k != "text"]
            parts.append(f"{percent(self.shares[top] * (1 - self.empty))} {' or '.join(NAMES[k] for k in [top, *also[:1]])}")
        else:
            ranked = sorted((k for k in TYPES if self.shares.get(k)), key=lambda k: -self.shares[k])
            parts += [f"{percent(self.shares[k] * (1 - self.empty))} {NAMES[k]}" for k in ranked[:3]]
        if self.empty >= 0.005:
            parts.append(f"{percent(self.empty)} empty")
        return ", ".join(parts)


def percent(share: float) -> str:
    """"92 %"."""
    return f"{round(share * 100)} %"


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and V._text(value) is None


def profile(values: Sequence[Any]) -> ValueProfile:
    """The profile of one column's raw cell values, as readers give them. Each distinct value is
    looked at once, and at most ``SAMPLE`` values spread over the column are classified."""
    try:
        raw_counts = Counter(values)
    except TypeError:  # unhashable cells: count each as its own
        raw_counts = None
    if raw_counts is not None:
        blanks = {v for v in raw_counts if _blank(v)}
        present_n = len(values) - sum(raw_counts[v] for v in blanks)
        is_blank = blanks.__contains__
    else:
        is_blank = _blank
        present_n = sum(not _blank(v) for v in values)
    step = max(1, present_n // SAMPLE)
    sample = [v for v in values[::step] if not is_blank(v)][:SAMPLE] if step > 1 else \
        [v for v in values if not is_blank(v)]
    cache: dict[Any, frozenset[str]] = {}
    sets: Counter = Counter()
    for value in sample:
        key = (type(value), value)
        if key not in cache:
            cache[key] = _shapes(value)
        sets[cache[key]] += 1
    shares = {k: sum(n for s, n in sets.items() if k in s) / len(sample) for k in TYPES} if sample else {}
    counts: Counter = Counter()
    for value, n in (raw_counts or Counter(range(present_n))).items():  # " e001" and "E001" are one id
        if raw_counts is not None and value in blanks:
            continue
        counts[_identifier(value) if isinstance(value, (str, int, float)) else value] += n
    top = counts.most_common(1)[0][1] / present_n if present_n else 0.0
    return ValueProfile(len(values), present_n, {k: s for k, s in shares.items() if s}, len(counts), top,
                        sets, values)


# ------------------------------------------------------------------ values against a reading

#: for a field type, the shapes that cannot be its values (a value contradicts the type only when
#: every shape it has is among them: 45000 is an amount but also a date serial, so no date's foe)
_FOES: dict[str, set[str]] = {
    "identifier": {"person_name", "clock", "clock_range", "date", "datetime", "money", "duration", "in_out"},
    "date": {"clock", "clock_range", "money", "person_name", "in_out", "mark", "duration", "minute_count", "id_code"},
    "timestamp": {"clock", "clock_range", "money", "person_name", "in_out", "mark", "duration", "minute_count",
                  "id_code"},
    "clock": {"money", "person_name", "date", "in_out", "mark", "id_code", "minute_count", "duration"},
    "hours": {"clock_range", "date", "datetime", "person_name", "in_out", "mark"},
    "days": {"clock", "clock_range", "date", "datetime", "person_name", "in_out"},
    "minutes": {"clock_range", "date", "datetime", "person_name", "in_out", "mark"},
    "money": {"clock", "clock_range", "date", "datetime", "person_name", "in_out", "mark"},
    # P, A, WO: a day's attendance, not a tap's state (I and O are both, and fit)
    "punch_state": {"clock", "clock_range", "date", "datetime", "person_name", "money", "id_code", "duration",
                    "minute_count", "mark"},
    "direction": {"clock", "clock_range", "date", "datetime", "person_name", "money", "id_code", "duration",
                  "minute_count", "mark"},
    "period": {"clock", "clock_range", "person_name", "in_out"},
    "gender": {"clock", "clock_range", "date", "datetime", "money", "id_code"},
    "yes_no": {"clock", "clock_range", "date", "datetime", "money", "person_name"},
    "check": {"clock", "clock_range", "date", "datetime", "money", "person_name"},
}
#: internal tags a type's parser reads, which excuse a value otherwise among the type's foes
_FRIENDS: dict[str, set[str]] = {
    "date": {_SERIAL}, "timestamp": {_SERIAL}, "clock": {_HHMM, _FRACTION}, "punch_state": {_STATE_CODE},
    "direction": set(), "identifier": {_BARE}, "hours": {_FRACTION, _HM}, "days": {_HM}, "minutes": {_HM},
    "money": set(),
}
#: a field whose declared type is text but whose values have a shape: who a record is about
_NAMED_FIELDS = {"name": ("text", {"id_code", "clock", "clock_range", "date", "datetime", "money", "duration",
                                   "minute_count"})}


def contradiction(field_type: str, prof: ValueProfile, *, per_day: bool = False) -> str | None:
    """Why a column's values cannot be a field of ``field_type`` (a fields.yaml type, or a field's
    name), or None. Only when ≥ 80 % of ≥ 5 non-empty values have shapes that the type cannot
    read. ``per_day``: the field is a day's figure (a time record's hours: at most 24)."""
    if prof.non_empty < MIN_VALUES or not prof.sampled:
        return None
    foes: set[str] | None = None
    if field_type in _NAMED_FIELDS:
        field_type, foes = _NAMED_FIELDS[field_type]
    elif field_type not in _FOES and field_type not in ("text", "license_type"):
        from extractors.fields import declarations  # noqa: PLC0415 (fields is slow to build)

        declared = declarations().get(field_type)
        if declared is not None:
            if declared.name in _NAMED_FIELDS:
                return contradiction(declared.name, prof, per_day=per_day)
            field_type = declared.type
    foes = foes if foes is not None else _FOES.get(field_type)
    if foes is None:
        return None
    friends = _FRIENDS.get(field_type, set())
    if field_type in ("hours", "days"):
        friends = friends | {"duration"}
    against = [s for s, n in prof.sets.items() for _ in range(n)
               if not (s & friends) and (s - {t for t in s if t.startswith("_")}) <= foes
               and s & foes]
    # hours of one day are at most 24; a month's at most 31 days of them
    if field_type == "hours":
        limit = 24 if per_day else 744
        big = sum(n for v, n in _numbers(prof) if v > limit)
        if big / prof.sampled >= DOMINANT:
            return f"values are numbers over {limit} ({percent(big / prof.sampled)}), not hours" + \
                (" of a day" if per_day else "")
    share = len(against) / prof.sampled
    if share < DOMINANT:
        return None
    seen = Counter(t for s in against for t in s if t in foes)
    kind = max(seen, key=lambda t: (seen[t], -TYPES.index(t)))
    return f"values are {NAMES[kind]} ({percent(share)})"


def _numbers(prof: ValueProfile) -> list[tuple[float, int]]:
    """The sampled values read as hours, with their counts."""
    out: Counter = Counter()
    present = prof.values
    step = max(1, len(present) // SAMPLE)
    for value in present[::step][:SAMPLE]:
        try:
            number = V.parse_hours(value)
        except (ValueError, TypeError):
            continue
        if number is not None:
            out[number] += 1
    return list(out.items())


def alternates_per_worker(states: Sequence[Any], ids: Sequence[Any], *, at_least: float = 0.8) -> bool:
    """Whether a column of tap states (0/1, In/Out …) turns in → out → in for each worker, read in
    file order beside the column of worker ids: a 0/1 column that does so is the state, one that
    does not (a verify mode, a device number) is none."""
    last: dict[Any, str] = {}
    turns = steps = 0
    for state, worker in zip(states, ids):
        if _blank(state) or _blank(worker):
            continue
        try:
            read = V.parse_punch_state(state)
        except ValueError:
            return False
        if read is None:
            continue
        key = _identifier(worker) if isinstance(worker, (str, int, float)) else worker
        if key in last:
            steps += 1
            turns += last[key] != read
        last[key] = read
    return steps >= 4 and turns / steps >= at_least


# ------------------------------------------------------------------ values where the words are silent

UNAMBIGUOUS = 0.9
_TIME_KINDS = (Kind.TIMESHEET, Kind.GATE_LOG)


def _looks_like_ids(kind: Kind, prof: ValueProfile) -> str | None:
    """Why a column's values are worker ids in a table of ``kind``, or None."""
    codes = prof.only({"id_code", _BARE, _STATE_CODE, _SERIAL, _HHMM, "minute_count", "duration", "money"})
    if prof.shares.get("id_code", 0.0) < UNAMBIGUOUS or codes < UNAMBIGUOUS or prof.distinct < 2:
        return None
    coded = prof.share_where({"id_code"}) - prof.share_where({_BARE})  # E001, NV01, 00123: not a bare number
    if kind in _TIME_KINDS:
        if prof.distinct > prof.non_empty / 2 or prof.top_share >= DOMINANT:
            return None  # ids repeat over a worker's taps and days, and there is more than one worker
        if coded < 0.5 and (prof.distinct < 5 or prof.only({"duration", "minute_count", "id_code", _BARE,
                                                             _STATE_CODE}) >= 1 and _below(prof, 10)):
            return None  # 0/1/2, 5/6: states, verify modes, device numbers
        return f"typed by its values: {percent(prof.shares['id_code'])} id codes repeating over the rows"
    if coded < UNAMBIGUOUS or prof.distinct < 0.9 * prof.non_empty:
        return None  # in a roster or payroll a bare number is as likely a serial or an amount
    return f"typed by its values: {percent(prof.shares['id_code'])} id codes, one per row"


def _below(prof: ValueProfile, limit: int) -> bool:
    """Whether every value is a bare number under ``limit``."""
    for value in set(prof.values[:SAMPLE * 10]):
        try:
            if not (V.parse_amount(value) or 0) < limit:
                return False
        except (ValueError, TypeError):
            return False
    return True


def _all_small(prof: ValueProfile) -> bool:
    return all(_STATE_CODE in s for s in prof.sets)


def field_from_values(kind: Kind | str, prof: ValueProfile, *, ids: Collection[str] | None = None,
                      workers: Sequence[Any] | None = None) -> tuple[str, str] | None:
    """The field a column no header word explains must be, from its values alone, with the reason;
    None unless unambiguous. ``ids``: worker ids known from elsewhere (the roster): a column ≥ 90 %
    of whose values are among them holds worker ids whatever its header. ``workers``: the worker id
    of each of the column's rows (cells in order, as ``prof`` was built), for a 0/1 column that may
    be a tap's state. The caller leaves out fields its table already has."""
    kind = Kind(kind)
    if prof.non_empty < MIN_VALUES:
        # In/Out words and clock ranges say what they are even in a short file, when every value does
        if prof.non_empty >= 2 and kind in _TIME_KINDS and prof.only({"in_out", "mark"}) == 1.0 \
                and prof.shares.get("in_out") == 1.0:
            return ("punch_state" if kind is Kind.TIMESHEET else "direction"), "typed by its values: 100 % In/Out"
        if prof.non_empty >= 2 and kind is Kind.TIMESHEET and prof.shares.get("clock_range") == 1.0:
            return "punches", "typed by its values: 100 % clock ranges"
        return None
    if ids:
        known = {_identifier(i) for i in ids}
        present = prof.values
        step = max(1, len(present) // SAMPLE)
        sample = [_identifier(v) if isinstance(v, (str, int, float)) else v
                  for v in present[::step][:SAMPLE]]
        inside = sum(v in known for v in sample) / len(sample) if sample else 0.0
        if inside >= UNAMBIGUOUS:
            return "worker_id", f"typed by its values: {percent(inside)} are ids of the roster"
    if kind is Kind.TIMESHEET:
        if prof.shares.get("in_out", 0.0) >= UNAMBIGUOUS and prof.only({"in_out", "mark"}) >= UNAMBIGUOUS:
            return "punch_state", f"typed by its values: {percent(prof.shares['in_out'])} In/Out"
        if prof.shares.get("clock_range", 0.0) >= UNAMBIGUOUS:
            return "punches", f"typed by its values: {percent(prof.shares['clock_range'])} clock ranges"
        if workers is not None and _all_small(prof) and prof.distinct == 2 \
                and alternates_per_worker(prof.raw, workers):
            return "punch_state", "typed by its values: two codes alternating in, out for each worker"
    if kind is Kind.GATE_LOG and prof.shares.get("in_out", 0.0) >= UNAMBIGUOUS \
            and prof.only({"in_out", "mark"}) >= UNAMBIGUOUS:
        return "direction", f"typed by its values: {percent(prof.shares['in_out'])} In/Out"
    if kind in (Kind.TIMESHEET, Kind.GATE_LOG, Kind.PAYROLL, Kind.ROSTER):
        why = _looks_like_ids(kind, prof)
        if why:
            return "worker_id", why
    return None

