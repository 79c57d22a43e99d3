"""The canonical fields, declared once in fields.yaml: each field's type (how its values are read),
the kinds of document that have it, the words that name it in every language factories export in,
and the unit its values are kept in. Header matching (headers.py) and value parsing (parsers.py) are
built from these declarations; nothing else lists a field's words.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import opencc
import polars as pl

from extractors import values as V
from preaudit.core.model import FIELDS, PUNCH_FIELDS, Kind
from preaudit.core.yamlio import load as load_yaml_text

LANGUAGES = ("en", "zh", "zh_hant", "vi", "bn", "hi")

#: how each type's values are read, and the column type they are kept as. Dates need the whole
#: column (it decides day-first or month-first): parsers.parser_for builds their parser.
TYPES: dict[str, tuple[Callable[[Any], Any] | None, pl.DataType]] = {
    "date": (None, pl.Date),
    "timestamp": (None, pl.Datetime("us")),
    "clock": (V.parse_clock, pl.Int16),
    "hours": (V.parse_hours, pl.Float64),
    "days": (V.parse_hours, pl.Float64),
    "minutes": (V.parse_minutes, pl.Float64),
    "money": (V.parse_amount, pl.Float64),
    "period": (V.parse_period, pl.Utf8),
    "identifier": (V.parse_identifier, pl.Utf8),
    "gender": (V.parse_gender, pl.Utf8),
    "yes_no": (V.parse_bool, pl.Boolean),
    "direction": (V.parse_direction, pl.Utf8),
    "punch_state": (V.parse_punch_state, pl.Utf8),
    "check": (V.parse_check, pl.Utf8),
    "license_type": (V.parse_license_type, pl.Utf8),
    "text": (V.parse_text, pl.Utf8),
    "person_name": (V.parse_person_name, pl.Utf8),
}

#: the words a header uses to give its unit, for the fields that declare one: "工作时长(分钟)",
#: "Work Time (min)", "Break (h)"
UNIT_WORDS: dict[str, tuple[str, ...]] = {
    "minutes": ("分钟", "分", "min", "mins", "minute", "minutes", "phút", "মিনিট", "मिनट"),
    "hours": ("小时", "时", "h", "hr", "hrs", "hour", "hours", "giờ", "ঘণ্টা", "घंटे", "घंटा"),
}
_IN_HOURS = {"minutes": 1 / 60, "hours": 1.0}
_UNIT_IN_HEADER = re.compile(r"[(（\[【]\s*([^)）\]】]{1,10}?)\s*[)）\]】]\s*$")

_TO_SIMPLIFIED = opencc.OpenCC("t2s")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def fold_chinese(text: str) -> str:
    """Traditional Chinese as Simplified (員工編號 → 员工编号), so one word names both."""
    return _TO_SIMPLIFIED.convert(text) if _HAN.search(text) else text


@dataclass(frozen=True)
class FieldDeclaration:
    name: str
    type: str
    kinds: tuple[Kind, ...]
    words: tuple[str, ...]                                   # every language's words
    in_kind: dict[Kind, tuple[str, ...]] = field(default_factory=dict)
    weak: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    unit: str | None = None
    #: the concepts that make the field (concepts.yaml), each alternative enough; the field is
    #: read from any header whose words say all of one alternative and nothing against it
    compose: tuple[frozenset[str], ...] = ()
    #: alternatives that make a part summed into the field (an allowance, a tax, 1.5× OT pay)
    compose_parts: tuple[frozenset[str], ...] = ()
    #: concepts a header may say beyond an alternative without meaning another field ("total")
    allow: frozenset[str] = frozenset()

    def words_in(self, kind: Kind) -> list[str]:
        return list(self.words) + list(self.in_kind.get(kind, ()))

    def scale_for(self, header: str) -> tuple[float, str] | None:
        """The factor from the unit a header names to the field's unit, and that unit's name; None
        when the header names no unit (or the field's own)."""
        if self.unit is None:
            return None
        found = _UNIT_IN_HEADER.search(unicodedata.normalize("NFKC", header).strip().lower())
        if not found:
            return None
        named = next((unit for unit, words in UNIT_WORDS.items() if found.group(1).strip() in words), None)
        if named is None or named == self.unit:
            return None
        return _IN_HOURS[named] / _IN_HOURS[self.unit], named


def _words(entry: Any, where: str) -> tuple[str, ...]:
    if entry is None:
        return ()
    if not isinstance(entry, dict) or set(entry) - set(LANGUAGES):
        raise ValueError(f"fields.yaml {where}: words are given by language ({', '.join(LANGUAGES)})")
    return tuple(str(w) for lang in LANGUAGES for w in entry.get(lang) or ())


def _alternatives(entry: Any) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(str(c) for c in alt) for alt in entry or ())


def parse_declarations(text: str) -> dict[str, FieldDeclaration]:
    raw = load_yaml_text(text)
    out: dict[str, FieldDeclaration] = {}
    for name, spec in raw.items():
        if spec["type"] not in TYPES:
            raise ValueError(f"fields.yaml {name}: unknown type {spec['type']!r}")
        unit = spec.get("unit")
        if unit is not None and unit not in UNIT_WORDS:
            raise ValueError(f"fields.yaml {name}: unknown unit {unit!r}")
        out[name] = FieldDeclaration(
            name=name, type=spec["type"], kinds=tuple(Kind(k) for k in spec["kinds"]),
            words=_words(spec.get("words"), name),
            in_kind={Kind(k): _words(ws, f"{name}.in_kind.{k}") for k, ws in (spec.get("in_kind") or {}).items()},
            weak=_words(spec.get("weak"), f"{name}.weak"), parts=_words(spec.get("parts"), f"{name}.parts"),
            unit=unit, compose=_alternatives(spec.get("compose")), compose_parts=_alternatives(spec.get("compose_parts")),
            allow=frozenset(spec.get("allow") or ()))
    return out


@lru_cache(maxsize=1)
def declarations() -> dict[str, FieldDeclaration]:
    return parse_declarations((Path(__file__).with_name("fields.yaml")).read_text(encoding="utf-8"))


def of_type(*types: str) -> set[str]:
    return {d.name for d in declarations().values() if d.type in types}


#: the provenance every record of a table carries beside its fields (where it was read)
RECORD_COLUMNS: dict[str, pl.DataType] = {
    "_rec": pl.Int64, "_doc": pl.Utf8, "_sha256": pl.Utf8, "_page": pl.Int32, "_sheet": pl.Utf8,
    "_row": pl.Int32, "_bbox": pl.List(pl.Float64), "_bbox_unit": pl.Utf8}


def column_type(name: str) -> pl.DataType:
    """The column type a field's values are kept as: its declared type's (punch pairs past the
    ones named by words are clocks); a field declared nowhere is text."""
    declared = declarations().get(name)
    if declared is not None:
        return TYPES[declared.type][1]
    return TYPES["clock"][1] if name in PUNCH_FIELDS else pl.Utf8


def empty_table(kind: Kind) -> pl.DataFrame:
    """The table of a kind no document gave: every field of the kind, typed as declared, and the
    record provenance, with no rows."""
    return pl.DataFrame(schema={**{name: column_type(name) for name in FIELDS[kind]}, **RECORD_COLUMNS})
