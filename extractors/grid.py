"""From a grid of cells (what any reader sees: a CSV, a sheet, a PDF table, an OCR'd page) to a
typed table of one document kind, each value with its provenance.

Every reader produces a ``Grid``; ``build_table`` is the one place it becomes a table: it tries the
layouts of ``extractors.layouts`` in order, so a scanned register and an Excel export end up as the
same table.
"""
from __future__ import annotations

from extractors.headers import HeaderMapper
from extractors.layouts import LAYOUTS
from extractors.types import Grid, Table, Unclassified
from preaudit.core.options import ReadingOptions


def build_table(grid: Grid, mapper: HeaderMapper, *, document: str, sha256: str,
                options: ReadingOptions | None = None) -> Table | Unclassified:
    """The grid read in the first layout that reads it, among those factory.yaml's kind and layout
    allow. Otherwise why not: the layout factory.yaml names has the last word, else the first
    layout that recognised its shape but could not read it."""
    options = options or ReadingOptions()
    if options.period:
        grid.context = [options.period] + grid.context  # the month factory.yaml gives comes first
    why: Unclassified | None = None
    for layout in LAYOUTS:
        if not layout.wanted(options):
            continue
        read = layout.read(grid, mapper, document=document, sha256=sha256, options=options)
        if isinstance(read, Table):
            return read
        if isinstance(read, Unclassified):
            if options.layout in layout.layouts:
                return read
            why = why or read
    return why or Unclassified("no layout reads this grid")
