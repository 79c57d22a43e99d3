"""How a field's column is read: the parser of each field (from its fields.yaml type) and the column
type its values are kept as. Dates need the whole column: it decides the order of day, month and
year."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import polars as pl

from extractors import values as V
from extractors.fields import TYPES, declarations, of_type
from preaudit.core.model import PUNCH_FIELDS

DATE_FIELDS = of_type("date")
DAY_FIELDS = {"date", "timestamp"}  # dates of daily records: a column of them spans a month or two
#: field → how its values are read and the column type they are kept as (fields.yaml types);
#: punch pairs past the ones named by words ("Clock In 5") are clocks too
PARSERS: dict[str, tuple[Callable[[Any], Any], pl.DataType]] = {
    **{name: TYPES["clock"] for name in PUNCH_FIELDS},
    **{d.name: TYPES[d.type] for d in declarations().values() if TYPES[d.type][0] is not None}}


def parser_for(name: str, column: Sequence[Any], order: str | None = None,
               default: str = "DMY") -> tuple[Callable[[Any], Any], pl.DataType]:
    """How to read a field's column. Dates need the whole column: it decides the order of day,
    month and year (unless factory.yaml gives the document's date format)."""
    if name in DATE_FIELDS:
        return partial(V.parse_date, order=order or V.date_order(column, default, days=name in DAY_FIELDS)), pl.Date
    if name == "timestamp":
        return partial(V.parse_timestamp, order=order or V.date_order(column, default, days=True)), pl.Datetime("us")
    return PARSERS.get(name, (V.parse_text, pl.Utf8))
