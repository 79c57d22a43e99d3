"""The shapes a grid's records come in, one module each, tried in the order of ``LAYOUTS``:
``forms`` (container-inspection checklists), ``day_grid`` (one column per day of the month) and
``table`` (a header row, then one record per row; time records read so become worker-days in
``taps``). ``extractors.grid.build_table`` walks the list, honouring factory.yaml's kind and layout.

A new shape (another time clock's export, another form) is one new module here with a ``read``
like the others (a Table; an Unclassified saying why it cannot be read; None: not this shape) and
one entry in ``LAYOUTS``, placed before the layouts that would misread it. Nothing else changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from extractors.headers import HeaderMapper
from extractors.layouts import day_grid, forms, table
from extractors.types import Grid, Table, Unclassified
from preaudit.core.model import Kind
from preaudit.core.options import ReadingOptions


class Reader(Protocol):
    """The grid read in this layout, why it cannot be, or None when the grid is not in it."""

    def __call__(self, grid: Grid, mapper: HeaderMapper, *, document: str, sha256: str,
                 options: ReadingOptions) -> Table | Unclassified | None: ...


@dataclass(frozen=True)
class Layout:
    """One entry of the registry: a layout's name, what it can yield and how it reads a grid."""
    name: str
    #: the kinds of document it can yield: factory.yaml naming another kind skips it
    kinds: frozenset[Kind]
    read: Reader
    #: the ``layout:`` values of factory.yaml (and of Table.layout) that are this one's
    layouts: tuple[str, ...]
    #: tried even when factory.yaml names another layout (one the grid then turned out not to be in)
    fallback: bool = False

    def wanted(self, options: ReadingOptions) -> bool:
        return (options.kind is None or Kind(options.kind) in self.kinds) and (
            options.layout is None or options.layout in self.layouts or self.fallback)


LAYOUTS: list[Layout] = [
    Layout("form", frozenset({Kind.CONTAINER_INSPECTION}), forms.read, ("form",)),
    Layout("day_grid", frozenset({Kind.TIMESHEET}), day_grid.read, ("day_grid",)),
    Layout("table", frozenset(Kind), table.read, ("table", "tap_log", "day_rows", "day_segments"), fallback=True),
]
