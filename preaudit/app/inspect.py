"""`preaudit inspect`: how each document of a pack was read — kind, layout, header rows, each
column's field and how it was decided, the date order, rows read and skipped and why — with the
first records as parsed, so a misreading shows in seconds. Reads in-process: no flow, no server."""
from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from extractors.types import Extracted
from preaudit.core.options import ReadingOptions
from preaudit.core.model import PUNCH_FIELDS, DocStatus, Document
from preaudit.core.storage import Storage


def _t(text, style: str = "") -> Text:
    """A text from the pack on the screen: never markup, no terminal escape, no ID in clear."""
    from preaudit.app.outputs import printable

    return Text(printable("" if text is None else text), style=style)

FIRST_RECORDS = 3


def inspect_pack(storage: Storage, only: str | None = None) -> Iterator[tuple[Document, Extracted]]:
    """Each document (those matching ``only``) as the run reads it: an unclassified one read again
    with the worker ids of the rest of the pack, as the run does (pipeline.second_readings)."""
    from preaudit.core.packs import load_packs
    from preaudit.app.pipeline import PROFILE_NAME, discover, extract, keep_better, load_profile, second_readings

    from preaudit.core.settings import load_settings

    profile = load_profile(storage, load_packs(), load_settings()) if PROFILE_NAME in storage.list() else None

    def options_for(path: str) -> ReadingOptions:
        return profile.reading_options(path) if profile else ReadingOptions()

    documents = discover(storage, profile.limits if profile else None)
    chosen = [d for d in documents if not only or d.path == only or fnmatch.fnmatch(d.path, only)]
    read = {d.path: extract(storage, d, options_for(d.path)) for d in chosen}
    if any(e.report.status is DocStatus.UNCLASSIFIED for e in read.values()):
        every = [read[d.path] if d.path in read else extract(storage, d, options_for(d.path)) for d in documents]
        for i, options in second_readings(every, documents, options_for):
            if documents[i].path in read:
                read[documents[i].path] = keep_better(read[documents[i].path], extract(storage, documents[i], options))
    for document in chosen:
        yield document, read[document.path]


def _shown(name: str, value) -> str:
    from preaudit.app.outputs import printable

    if value is None:
        return ""
    if name in PUNCH_FIELDS:  # minutes after midnight, as the clock showed them
        return f"{value // 60:02d}:{value % 60:02d}"
    return printable(str(value))


def render(document: Document, extracted: Extracted, console: Console) -> None:
    report = extracted.report
    console.rule(Text.assemble(_t(document.path, "bold"), f"  {document.format}  {report.status.value}"
                               + (f"  kind {report.kind}" if report.kind else "")))
    if report.reason:
        console.print(_t(report.reason, "yellow"))
    tables = iter(extracted.tables)
    for sheet in report.parts:
        where = sheet.where
        if sheet.status is not DocStatus.OK:
            console.print(Text.assemble(_t(where), ": ", (sheet.status.value, "yellow"), " — ", _t(sheet.reason)))
            continue
        console.print(Text.assemble(_t(where), " → ", (str(sheet.kind), "bold"), ", layout ",
                                    (str(sheet.layout), "bold"), _t(
                      f", header row(s) {sheet.header_rows}, {sheet.rows} record(s), "
                      f"{sheet.skipped_rows} row(s) skipped"
                      + (f" ({', '.join(f'{k}: {v}' for k, v in sheet.skipped_why.items())})"
                         if sheet.skipped_why else ""))))
        columns = RichTable(show_header=True, header_style="bold")
        for name in ("col", "label as printed", "field", "how", "values"):
            columns.add_column(name)
        for c in sheet.columns:
            columns.add_row(_t(c.column), _t(c.label), _t(c.field) if c.field else Text("unmapped", "dim"),
                            _t(c.how), _t(c.values or ""))
        console.print(columns)
        for note in sheet.notes:
            console.print(_t(f"  • {note}"))
        problems = sheet.problems
        if problems:
            console.print(_t(f"  • {len(problems)} value(s) not read, e.g. "
                             + "; ".join(f"row {p.row}: {p.reason}" for p in problems[:3])))
        table = next(tables, None)
        if table is not None and table.df.height:
            shown = [c for c in table.df.columns if not c.startswith(("raw:", "ref:", "conf:", "bbox:", "_"))
                     and table.df[c].null_count() < table.df.height]
            first = RichTable(title=f"first {min(FIRST_RECORDS, table.df.height)} record(s) as parsed",
                              show_header=True, header_style="bold")
            for name in shown + ["_row"]:
                first.add_column(_t(name))
            for row in table.df.head(FIRST_RECORDS).select(shown + ["_row"]).iter_rows(named=True):
                first.add_row(*[Text(_shown(name, value)) for name, value in row.items()])
            console.print(first)
