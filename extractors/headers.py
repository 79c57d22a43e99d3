"""Header mapping by meaning: a column header in any of the spellings factories use → a
canonical field of a document kind.

Headers come in English, Simplified Chinese or both ("工号 / Emp. No.", or Chinese on one line
and English on the next), sometimes under a merged group cell ("上午 / AM" over "上班 In" and
"下班 Out"). Each column is matched with every text it could be read as, exact synonyms first,
then fuzzy (rapidfuzz) for longer Latin spellings. The words are declared once per field in
fields.yaml, per kind where they differ, so "Time In" is a visitor's arrival in a visitor log
and a clock-in in a timesheet.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from extractors.concepts import ConceptReader, Lexicon, compose, lexicon
from extractors.fields import declarations, fold_chinese
from extractors.values import CJK
from preaudit.core.model import Kind

def _synonyms() -> dict[Kind, dict[str, list[str]]]:
    """kind → field → the words that name it there (fields.yaml)."""
    out: dict[Kind, dict[str, list[str]]] = {}
    for declared in declarations().values():
        for kind in declared.kinds:
            out.setdefault(kind, {})[declared.name] = declared.words_in(kind)
    return out


SYNONYMS: dict[Kind, dict[str, list[str]]] = _synonyms()

#: weak words: they name the field only when no column names it better ("No." is ZKTeco's worker
#: id beside "Emp No."; "ID No" is a Bangladesh list's employee number but elsewhere the national ID)
WEAK: dict[Kind, dict[str, list[str]]] = {
    kind: {d.name: list(d.weak) for d in declarations().values() if d.weak and kind in d.kinds}
    for kind in SYNONYMS}

#: payroll fields that registers split over several columns: every column naming a part is
#: summed into the field, each part kept as evidence; a subtotal column (扣款合计, Total
#: Deduction, Cộng) is read only when no part is there
PARTS: dict[str, list[str]] = {d.name: list(d.parts) for d in declarations().values() if d.parts}

#: payroll columns that hold numbers but no money of the worker's month: days, rates, grades,
#: serial numbers, quantities, subtotals, the employer's own contributions
NOT_MONEY = re.compile(
    r"day|天数|天|ngày|số công|\bcông\b|rate|单价|费率|hệ số|bậc|grade|\bsl\b|s\.?\s*no|stt|số tt|序号|"
    r"^no\.?$|sign|签|ký|remark|备注|ghi chú|bank|account|账号|tài khoản|transaction|\bid\b|card|phone|"
    r"hour|hrs|工时|小时|giờ|%|employer|单位部分|公司|total|合计|小计|cộng|tổng|মোট|subtotal|sum|"
    r"số sp|quantity|pieces|件数|数量|ক্রমিক", re.I)

#: fields several columns may claim, one of which the values choose (pyzk scripts export both
#: "status" and "punch"; which of them holds check-in/check-out differs between ports)
CHOSEN_BY_VALUES = {"punch_state"}

#: numbered punch columns: "Clock In 3", "上班2打卡时间", "下班2", "C/In 2", "Check Out 4"
_NUMBERED_PUNCH = re.compile(
    r"^(clockin|clockout|checkin|checkout|timein|timeout|punchin|punchout|cin|cout|in|out|"
    r"上班|下班|签到|签退)([1-5])(?:打卡时间|时间)?$")
_PUNCH_SIDE = {"clockin": "in", "checkin": "in", "timein": "in", "punchin": "in", "cin": "in", "in": "in",
               "上班": "in", "签到": "in", "clockout": "out", "checkout": "out", "timeout": "out",
               "punchout": "out", "cout": "out", "out": "out", "下班": "out", "签退": "out"}

#: canonical fields a table of each kind cannot do without
REQUIRED: dict[Kind, list[set[str]]] = {
    Kind.ROSTER: [{"worker_id"}, {"national_id", "birth_date", "hire_date"}],
    # a tap log gives a date and time per tap (one column or two) and no pairs: see layouts/taps.py
    Kind.TIMESHEET: [{"worker_id"}, {"date", "timestamp", "time"},
                     {"in1", "out1", "punches", "total_hours", "timestamp", "time"}],
    # Vietnam's 02-LĐTL as issued names workers without an id: the roster's id for the name is
    # taken later (validators/dataset/dataset.py), when exactly one roster worker has it
    Kind.PAYROLL: [{"worker_id", "name"}, {"base_pay", "gross_pay", "net_pay"}],
    Kind.LICENSE: [{"license_type"}, {"number", "valid_until"}],
    Kind.GATE_LOG: [{"worker_id"}, {"timestamp", "time"}, {"direction", "gate"}],
    Kind.VISITOR_LOG: [{"visitor_name"}, {"time_in", "date"}],
    Kind.SEAL_LOG: [{"container_no"}, {"seal_no"}],
    Kind.CONTAINER_INSPECTION: [{"container_no"}, {"front_wall", "left_side", "right_side", "floor",
                                                   "ceiling_roof", "doors", "undercarriage"}],
    Kind.PRODUCTION_OUTPUT: [{"worker_id"}, {"date"}, {"quantity"}],
    # a swipe says where it was (a canteen, a dormitory) or that it bought a meal
    Kind.ACCESS_LOG: [{"worker_id"}, {"timestamp", "time"}, {"place", "meal", "amount"}],
}

_NUMBERED = re.compile(r"^\s*(?:\(\d{1,2}\)|\d{1,2}[.、)]|[①-⑳])\s*(?=\D)")
_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_LATIN_PART = re.compile(r"[A-Za-z][A-Za-z0-9 .#&'’()/-]*")


def normalize(text: str) -> str:
    """Case, width, punctuation and Traditional Chinese folded away: "Emp. No." → "empno",
    "工号（编号）" → "工号编号", "員工編號" → "员工编号"."""
    text = fold_chinese(unicodedata.normalize("NFKC", text).lower())
    return re.sub(r"[\s.:_\-#/\\()\[\]{}|*,'’\"。，：（）]+", "", text)


_SCRIPT = re.compile(r"[\u3400-\u9fff]|[\u0980-\u09ff]|[\u0900-\u097f]|[A-Za-z\u00c0-\u1ef9]")


def _script(text: str) -> str:
    found = _SCRIPT.search(text)
    if not found:
        return ""
    ch = found.group(0)
    return "cjk" if "\u3400" <= ch <= "\u9fff" else "bn" if "\u0980" <= ch <= "\u09ff" else \
        "hi" if "\u0900" <= ch <= "\u097f" else "latin"


def _pieces(cell: str) -> list[str]:
    """The halves of a label written twice: "工号 / Emp No", "Tên\nName", "Mã NV | Emp ID". A slash
    inside one language's words ("Date/Time", "C/In", "Lương OT/Tháng") joins them, never splits."""
    out = []
    for line in re.split(r"[\n|]", cell):
        halves = [h for h in re.split(r"\s+/\s+|/", line)]
        tight = [h for h in re.split(r"\s+/\s+", line)]
        if len(halves) > 1 and len({_script(h) for h in halves if h.strip()}) > 1:
            out += halves
        else:
            out += tight
    return out


def candidate_texts(parts: Sequence[str | None]) -> list[tuple[str, float]]:
    """Every way to read one column's header cells (top to bottom) → (text, rows used).

    Two-line bilingual headers and merged group cells are read as each line alone, as the whole
    group + sub-header ("加班工时" over "1.5倍", "Lương thời gian" over "Số tiền"), and as the
    Chinese parts joined and the Latin parts joined."""
    cells = [str(p).strip() for p in parts if p is not None and str(p).strip()]  # a number or a date heads a column too
    cells = [c for k, c in enumerate(cells) if k == 0 or c != cells[k - 1]]  # a merged cell read twice
    out: list[tuple[str, int]] = []
    cells = [_NUMBERED.sub("", c) or c for c in cells]  # "1.基本工资", "(3) Net Pay", "③ 实发工资"
    for cell in cells:
        out.append((cell, 1.01))  # the whole cell is the most specific reading of itself
        unbracketed = _BRACKETED.sub(" ", cell).strip()
        if unbracketed and unbracketed != cell:  # units and notes: "Base Salary (RMB)", "工时（小时）"
            out.append((unbracketed, 1))
        for piece in _pieces(cell):
            if piece.strip() and piece.strip() != cell:
                out.append((piece.strip(), 1))
                bare = _BRACKETED.sub(" ", piece).strip()
                if bare and bare != piece.strip():
                    out.append((bare, 1))
        if CJK.search(cell) and re.search(r"[A-Za-z]", cell):  # bilingual label: each language alone
            for cjk in CJK.findall(cell):
                out.append((cjk, 1))
            for latin in _LATIN_PART.findall(cell):
                out.append((latin.strip(), 1))
    if len(cells) > 1:
        out.append((" ".join(_BRACKETED.sub(" ", c) for c in cells), len(cells)))
        cjk_join = "".join("".join(CJK.findall(c)) for c in cells)
        latin_join = " ".join(" ".join(_LATIN_PART.findall(c)) for c in cells)
        if cjk_join:
            out.append((cjk_join, len(cells)))
        if latin_join.strip():
            out.append((latin_join, len(cells)))
    return out


EXACT, PART, WEAK_SCORE, CUSTOM = 100, 101, 60, 200
#: a field composed from a header's words: below any phrase named word for word, above a weak word
COMPOSED = 80


@dataclass
class HeaderMatch:
    field: str
    score: float
    part: bool = False   # one of several columns summed into the field
    how: str = "exact"   # exact | part | weak | composed | numbered | column_map
    why: str = ""        # the words and concepts read, for a composed field


@dataclass
class ColumnMapping:
    kind: Kind
    columns: dict[int, str]                     # column index → canonical field
    unmapped: list[str] = field(default_factory=list)
    score: float = 0.0
    how: dict[int, str] = field(default_factory=dict)     # column index → how it was decided
    labels: dict[int, str] = field(default_factory=dict)  # column index → its header as printed
    scale: dict[int, float] = field(default_factory=dict)  # column index → factor to the field's unit
    #: column index → why no field was read from it (its words, and what they compose to)
    why_unmapped: dict[int, str] = field(default_factory=dict)
    #: field → the columns whose words read equally as it (none taken: the values may choose)
    tied: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: field → (value, row index, column) a card states above its header for every record
    stated: dict[str, tuple[str, int, int]] = field(default_factory=dict)


class HeaderMapper:
    """Maps header cells to canonical fields; built once per run (profile column_map included)."""

    def __init__(self, column_map: Mapping[str, str] | None = None, *,
                 premiums: Mapping[str, float] | None = None, without: Sequence[str] = (),
                 lexicon_: Lexicon | None = None):
        """``premiums``: the jurisdiction's overtime premium per day type, through which a
        multiplier in a header (1.5倍, 200%) names its day type. ``without``: header texts taken
        out of the phrases and the concept lexicon (and every phrase containing one), so the
        leave-one-out test reads a header by its words alone."""
        self._custom = {normalize(k): v for k, v in (column_map or {}).items()}
        gone = [normalize(w) for w in without]

        def kept(word: str) -> bool:
            key = normalize(word)
            return not any(g and g in key for g in gone)

        self._index: dict[Kind, dict[str, tuple[str, int, bool]]] = {}
        for kind, fields in SYNONYMS.items():
            index: dict[str, tuple[str, int, bool]] = {}
            for f, words in WEAK.get(kind, {}).items():
                index.update({normalize(w): (f, WEAK_SCORE, False) for w in words if kept(w)})
            if kind is Kind.PAYROLL:
                index.update({normalize(w): (f, PART, True) for f, words in PARTS.items() for w in words if kept(w)})
            index.update({normalize(w): (f, EXACT, False)
                          for f, words in fields.items() for w in words + [f.replace("_", " ")] if kept(w)})
            self._index[kind] = index
        lex = lexicon_ or lexicon()
        self.concepts = ConceptReader(lex, premiums, skip=lex.phrases_holding(without))

    def match(self, kind: Kind, parts: Sequence[str | None]) -> HeaderMatch | None:
        """A phrase of the lexicon named word for word first; else the field the header's words
        compose to (concepts.py). Nothing is fuzzy-matched onto a neighbouring phrase."""
        best: HeaderMatch | None = None
        index = self._index.get(kind, {})
        for text, rows in candidate_texts(parts):
            key = normalize(text)
            if not key:
                continue
            bonus = 5 * (int(rows) - 1) + 2 * (rows - int(rows)) * 100  # whole cells and group cells read first
            numbered = _NUMBERED_PUNCH.match(key) if kind is Kind.TIMESHEET else None
            if key in self._custom:
                hit = HeaderMatch(self._custom[key], CUSTOM + bonus, how="column_map")
            elif numbered:
                hit = HeaderMatch(f"{_PUNCH_SIDE[numbered.group(1)]}{numbered.group(2)}", EXACT + 10 + bonus,
                                  how="numbered")
            elif key in index and (index[key][1] != WEAK_SCORE or rows == 1.01):
                # a weak word ("No.", "ID") names the column only as the whole cell: "Serial\nNo." is no id
                f, score, part = index[key]
                hit = HeaderMatch(f, score + bonus, part,
                                  "part" if part else "weak" if score == WEAK_SCORE else "exact")
            else:
                hit = None
            if hit and rows != 1.01 and hit.how in ("exact", "part", "weak") and self._says_more(parts, text):
                hit = None  # "OT hrs (weekend)" is not the "OT hrs" its brackets were taken off
            if hit and (best is None or hit.score > best.score):
                best = hit
        if best is None or best.how == "weak":
            composed = self.composed(kind, parts)
            if composed is not None and composed.field:
                field, why = _pair_numbered(composed.field, parts), composed.why
                if field != composed.field:
                    why = f"{why}; pair {field[-1]} by its number"
                return HeaderMatch(field, COMPOSED + composed.size, composed.part, "composed", why)
        return best

    def _says_more(self, parts: Sequence[str | None], text: str) -> bool:
        """Whether the whole header names a day type, a side (in / out) or money against hours
        that the part of it read as a phrase does not: then the phrase would change a concept."""
        whole = self.concepts.read(" ".join(str(p) for p in parts if p is not None and str(p).strip()))
        part = self.concepts.read(text)
        classes = self.concepts.lex.classes
        for cls in ("day_type", "side"):
            if not whole.of_class(cls, classes) <= part.of_class(cls, classes):
                return True
        pay, time = {"money"}, {"hours", "minutes"}
        return bool((whole.concepts & pay and part.concepts & time and not part.concepts & pay) or
                    (whole.concepts & time and part.concepts & pay and not part.concepts & time))

    def composed(self, kind: Kind, parts: Sequence[str | None]):
        """The field a header's words make: all its cells read together (a group cell over its
        sub-header, both halves of a bilingual label), else the best of its single readings."""
        cells = [str(p).strip() for p in parts if p is not None and str(p).strip()]
        if not cells:
            return None
        fields = declarations()
        classes = self.concepts.lex.classes
        whole = compose(kind, self.concepts.read(" ".join(dict.fromkeys(cells))), fields, classes)
        if whole.field:
            return whole
        tried = [compose(kind, self.concepts.read(t), fields, classes) for t, _ in candidate_texts(parts)]
        named = [c for c in tried if c.field]
        if named and len({c.field for c in named if c.size == max(n.size for n in named)}) == 1:
            return max(named, key=lambda c: c.size)
        return whole

    def exact(self, kind: Kind, text: str) -> str | None:
        """The field a text names word for word (a profile spelling or a known word), else None."""
        key = normalize(text)
        if key in self._custom:
            return self._custom[key]
        hit = self._index.get(kind, {}).get(key)
        return hit[0] if hit else None

    def map_columns(self, kind: Kind, header_rows: Sequence[Sequence[str | None]]) -> ColumnMapping:
        header_rows = fill_group_cells(header_rows)
        width = max((len(r) for r in header_rows), default=0)
        chosen: dict[str, tuple[int, float, str]] = {}
        several: dict[str, list[int]] = {}  # parts summed into a field, or candidates its values choose from
        labels: dict[int, str] = {}
        hits: dict[int, HeaderMatch] = {}
        unexplained: dict[int, str] = {}  # why a column no phrase names composes to no field
        for col in range(width):
            cells = [row[col] if col < len(row) else None for row in header_rows]
            texts = [str(p).strip() for p in cells if p is not None and str(p).strip()]
            labels[col] = " / ".join(t for k, t in enumerate(texts) if k == 0 or t != texts[k - 1])
            hit = self.match(kind, cells)
            if hit is None:
                if labels[col] and kind in (Kind.PAYROLL, Kind.TIMESHEET, Kind.ROSTER):
                    why = self.composed(kind, cells)
                    if why is not None:
                        unexplained[col] = f"unmapped: {why.why}"
                continue
            hits[col] = hit
            if hit.part or hit.field in CHOSEN_BY_VALUES:
                several.setdefault(hit.field, []).append(col)
            elif hit.field not in chosen or hit.score > chosen[hit.field][1]:
                chosen[hit.field] = (col, hit.score, hit.how)
        tied: dict[str, tuple[int, ...]] = {}
        for f, (col, score, decided) in list(chosen.items()):  # columns whose words make one field: none is taken
            rivals = [c for c, h in hits.items() if c != col and h.field == f and h.how == "composed" and not h.part
                      and h.score == score]
            if decided == "composed" and rivals:
                del chosen[f]
                tied[f] = tuple(sorted((col, *rivals)))
                named = " and ".join(repr(labels[c]) for c in (col, *rivals))
                for c in (col, *rivals):
                    unexplained[c] = f"unmapped: {named} {'both' if len(rivals) == 1 else 'all'} read as {f}"
        columns = {col: f for f, (col, _, _) in chosen.items()}
        how = {col: h for _, (col, _, h) in chosen.items()}
        for col, h in list(how.items()):
            if h == "composed":
                how[col] = f"composed: {hits[col].why}"
        for f, cols in several.items():
            if f in chosen:  # parts are there: the subtotal column is not read again
                del columns[chosen[f][0]]
                how[chosen[f][0]] = f"subtotal of {f} (its parts are summed instead)"
            for col in cols:
                columns[col] = f
                how[col] = f"composed: {hits[col].why}" if hits[col].how == "composed" else hits[col].how
        score = sum(s for _, s, _ in chosen.values()) + sum(hits[c].score for cols in several.values() for c in cols)
        unmapped = [labels[c] for c in range(width) if c not in columns and c not in how and labels[c]]
        why_unmapped = {col: why for col, why in unexplained.items() if col not in columns and col not in how}
        scale = {}
        for col, f in columns.items():  # "工作时长(分钟)" holds minutes where the field keeps hours
            declared = declarations().get(f)
            unit = declared.scale_for(labels[col]) if declared else None
            if unit is not None:
                scale[col] = unit[0]
                how[col] = f"{how[col]}; values in {unit[1]} as the header says"
        return ColumnMapping(kind, columns, unmapped, score, how, labels, scale, why_unmapped, tied)


#: a pair's number written beside its side ("Vào 2", "Out (3)", "2nd In"), never a clock time's digit
_PAIR_NUMBER = re.compile(r"(?<![\d:.])([1-5])(?:st|nd|rd|th)?(?![\d:.])", re.I)


def _pair_numbered(field: str, parts: Sequence[str | None]) -> str:
    """in1 / out1 as composed from a side's word, made the pair its header numbers (one number
    only: "In 1 / Out 2" names none)."""
    if field not in ("in1", "out1"):
        return field
    numbers = {m.group(1) for p in parts if p for m in _PAIR_NUMBER.finditer(str(p))}
    return f"{field[:-1]}{numbers.pop()}" if len(numbers) == 1 else field


def fill_group_cells(rows: Sequence[Sequence[str | None]]) -> list[list[str | None]]:
    """A group cell over sub-headers ("加班工时" over "1.5倍 / 2倍 / 3倍") stands only above the
    first sub-column when the file has no merged cells (CSV): carry it right while the columns
    below still have sub-headers and the column before is itself grouped."""
    out = [list(r) for r in rows]
    if len(out) < 2:
        return out
    top, below = out[0], out[-1]

    def filled(v: str | None) -> bool:
        return v is not None and str(v).strip() != ""

    for c in range(1, len(top)):
        if not filled(top[c]) and c < len(below) and filled(below[c]) and filled(top[c - 1]) \
                and c - 1 < len(below) and filled(below[c - 1]) and top[c - 1] != below[c - 1]:
            top[c] = top[c - 1]
    return out


def satisfies(kind: Kind, fields: set[str]) -> bool:
    return all(fields & need for need in REQUIRED.get(kind, [{"__never__"}]))
