"""Reading one document of a pack into typed tables with provenance.

``read_document`` never raises for a bad file: a file that cannot be read, or whose kind cannot be
told, comes back with its status and the reason, so the run goes on and the report says why.
"""
from __future__ import annotations

import hashlib

from extractors.csv_reader import read_csv
from extractors.excel import read_xls, read_xlsx
from extractors.cards import split_cards
from extractors.grid import build_table
from extractors.headers import HeaderMapper
from extractors.types import Extracted, Grid, Table, Unclassified, UnreadableError
from preaudit.core.limits import Limits
from preaudit.core.options import ReadingOptions
from preaudit.core.model import DocStatus, Document, DocumentReport, PageRead, PartRead

#: bumped whenever a change to reading could change what a document yields (cache key, issue 5)
EXTRACTOR_VERSION = "12"  # 12: values decide ties and unknown id words, RapidOCR reads registers; 11: a gate log's device sequence; 10: canteen / dormitory swipes (access_log); 9: header cells of any type

READERS = {"csv": read_csv, "xlsx": read_xlsx, "xls": read_xls}


def reading_key(document: Document, options: ReadingOptions | dict[str, str] | None = None) -> str:
    """Everything a reading of the document depends on, as one key (what the extraction cache keys
    on): its bytes (sha256), the readers' version, the reading options (the profile's column_map,
    date format and customs, the document's corrections) and the month its file name gives, the one
    thing a reader takes from a name (a renamed file whose name says the same reads the same)."""
    from extractors.values import period_from_context

    options = ReadingOptions.of(options)
    named = hashlib.sha256(str(period_from_context([document.path])).encode()).hexdigest()[:8]
    return f"v{EXTRACTOR_VERSION}/{document.sha256[:2]}/{document.sha256}-{options.key()}-{named}"


def sniff_format(path: str, head: bytes) -> str:
    """The format from the content first (a renamed file is still read right), the suffix second."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and suffix in ("xlsx", "xlsm", "xls", "csv", ""):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head[:4] in (b"\x89PNG", b"II*\x00", b"MM\x00*", b"GIF8") or head[:3] == b"\xff\xd8\xff" \
            or (head[:4] == b"RIFF" and head[8:12] == b"WEBP") or head.startswith(b"\x00\x00\x00\x0cjP  "):
        return "image"
    if suffix in ("csv", "txt", "tsv"):
        return "csv"
    if suffix in ("dat", "log") and b"\x00" not in head:  # a time clock's own dump (ZKTeco 1_attlog.dat)
        return "csv"
    if suffix in ("xlsx", "xlsm", "xls"):
        return suffix if suffix != "xlsm" else "xlsx"
    if suffix in ("pdf", "png", "jpg", "jpeg", "tif", "tiff", "gif", "webp", "jp2", "jpeg2000"):
        return "pdf" if suffix == "pdf" else "image"
    return "other"


def read_grids(document: Document, data: bytes, limits: Limits | None = None) -> list[Grid]:
    reader = READERS.get(document.format)
    if reader is None:
        raise UnreadableError("not a document format preaudit reads (CSV, Excel, PDF, PNG, JPEG, TIFF)")
    return reader(data, name=document.path, limits=limits or Limits())


def paged_grids(document: Document, data: bytes, mapper: HeaderMapper, report: DocumentReport,
                limits: Limits | None = None, languages: tuple[str, ...] | None = None) -> list[Grid]:
    """Pages into grids: a page whose table starts with its own header begins a new part (one
    PDF may hold several documents); a page whose table has no header continues the part above;
    a page with no table may be a license; anything else is reported, never dropped."""
    from extractors.cells import HEADER_WITHIN_ROWS
    from extractors.layouts.table import find_header
    from extractors.license import read_license
    from extractors.pages import read_image, read_pdf

    limits = limits or Limits()
    languages = languages or ReadingOptions().ocr_languages
    pages = read_pdf(data, mapper, limits, languages) if document.format == "pdf" else \
        read_image(data, mapper, limits, languages)
    report.pages = len(pages)
    grids: list[Grid] = []
    for content in pages:
        entry = PageRead(content.page, "ocr" if content.ocr else "text layer",
                         mean_confidence=round(content.mean_confidence, 3) if content.ocr else None,
                         transform=(content.transform or None) if content.ocr else None,
                         note=(content.note or None) if content.words else None,
                         no_text=None if content.words else (content.note or None))
        report.sheets.append(entry)
        grid = content.grid
        header = find_header(grid, mapper) if grid is not None else None
        if grid is not None and not isinstance(header, Unclassified) and header[0] <= HEADER_WITHIN_ROWS:
            grids.append(grid)
            continue
        if grid is not None and grids and grids[-1].bbox_unit == grid.bbox_unit:
            grids[-1].extend(grid)
            entry.continues = True
            continue
        words = content.words
        box = (min(w.x0 for w in words), min(w.top for w in words), max(w.x1 for w in words),
               max(w.bottom for w in words)) if words else None
        license_grid = read_license(content.text, page=content.page, unit=content.unit, box=box,
                                    confidence=content.mean_confidence if content.ocr else 1.0)
        if license_grid is not None:
            grids.append(license_grid)
        elif content.text.strip():
            grids.append(Grid(rows=[[line] for line in content.text.splitlines()],
                              row_numbers=list(range(1, len(content.text.splitlines()) + 1)), page=content.page))
    return grids


def read_document(document: Document, data: bytes, mapper: HeaderMapper,
                  options: ReadingOptions | None = None) -> Extracted:
    """Never raises for what a file holds: any failure of a reader is the document's
    DQ-UNREADABLE, with a reason a person understands, and the run goes on."""
    try:
        return _read_document(document, data, mapper, options)
    except MemoryError:
        reason = "too large to read in memory"
    except Exception as exc:  # noqa: BLE001 - every reader's failure, however it is spelt
        reason = why_unreadable(exc)
    return Extracted(DocumentReport(document.path, document.sha256, None, None, DocStatus.UNREADABLE, reason))


def why_unreadable(exc: Exception) -> str:
    """What a reader's exception means for the person reading the report."""
    import csv
    import zipfile
    import zlib

    from PIL import Image

    text = str(exc)
    if isinstance(exc, Image.DecompressionBombError):
        return "an image too large to decode safely (over Pillow's pixel limit)"
    if isinstance(exc, csv.Error) and "field larger" in text:
        return "a CSV field longer than the field limit (an unclosed quote?)"
    if isinstance(exc, (zipfile.BadZipFile, zlib.error, EOFError)):
        return f"damaged compressed data ({type(exc).__name__})"
    if "password" in text.lower() or "encrypt" in text.lower():
        return "encrypted: a password is needed"
    if isinstance(exc, UnicodeError):
        return "text in an encoding that could not be read"
    return f"could not be read: the file is damaged or not what its name says ({type(exc).__name__})"


def _read_document(document: Document, data: bytes, mapper: HeaderMapper,
                   options: ReadingOptions | None = None) -> Extracted:
    options = options or ReadingOptions()
    report = DocumentReport(document.path, document.sha256, None, None, DocStatus.OK)
    if document.format == "passed-over":
        report.status, report.reason = DocStatus.UNREADABLE, document.note or "not read"
        return Extracted(report)
    if len(data) > options.limits.bytes_per_document:
        report.status = DocStatus.UNREADABLE
        report.reason = options.limits.exceeded("bytes_per_document", len(data), "bytes in the document")
        return Extracted(report)
    try:
        if document.format in ("pdf", "image"):
            grids = paged_grids(document, data, mapper, report, options.limits, options.ocr_languages)
            # a text-layer page that read plainly says nothing the parts below do not
            report.sheets = [s for s in report.pages_read if s.note or s.no_text or s.source == "ocr" or s.continues]
        else:
            grids = read_grids(document, data, options.limits)
    except UnreadableError as exc:
        report.status, report.reason = DocStatus.UNREADABLE, str(exc)
        return Extracted(report)
    tables: list[Table] = []
    reasons: list[str] = []
    grids = [card for grid in grids for card in split_cards(grid, mapper)]  # a worker's card each
    for grid in grids:
        where = f"sheet {grid.sheet!r}" if grid.sheet else (f"page {grid.page}" if grid.page else "")
        if not any(any(v is not None and str(v).strip() for v in row) for row in grid.rows):
            continue  # an empty sheet says nothing
        result = build_table(grid, mapper, document=document.path, sha256=document.sha256, options=options)
        if isinstance(result, Unclassified):
            reasons.append(f"{where}: {result.reason}".lstrip(": "))
            report.unmapped_columns += [c for c in result.unmapped if c not in report.unmapped_columns]
            report.sheets.append(PartRead(grid.sheet, grid.page, None, DocStatus.UNCLASSIFIED, result.reason,
                                          closest=result.closest))
            continue
        result.notes[:0] = grid.notes
        if result.df.height == 0 and not result.problems:
            # a header with nothing under it (a blank template): no document of that kind was read
            skipped = ", ".join(f"{n} {why}" for why, n in sorted(result.skip_reasons.items()))
            reason = f"a {result.kind.value} header but no record under it" + (f" (rows skipped: {skipped})"
                                                                                if skipped else "")
            reasons.append(f"{where}: {reason}".lstrip(": "))
            report.sheets.append(PartRead(grid.sheet, grid.page, None, DocStatus.UNCLASSIFIED, reason))
            continue
        tables.append(result)
        report.unmapped_columns += [c for c in result.unmapped if c not in report.unmapped_columns]
        report.sheets.append(PartRead(grid.sheet, grid.page, result.kind.value, DocStatus.OK, layout=result.layout,
                                      rows=result.df.height, header_rows=result.header_rows,
                                      skipped_rows=result.skipped_rows, skipped_why=result.skip_reasons,
                                      columns=result.columns, notes=result.notes, presence_only=result.presence_only,
                                      problems=result.problems, bbox_unit=grid.bbox_unit or None))
    if not grids or (not tables and not reasons):
        blank = [f"page {s.page}: {s.no_text}" for s in report.pages_read if s.no_text]
        report.status, report.reason = DocStatus.UNREADABLE, \
            ("no text on any page: " + "; ".join(blank)) if blank else "no content: every sheet is empty"
    elif not tables:
        report.status, report.reason = DocStatus.UNCLASSIFIED, "; ".join(reasons)
        report.closest = next((p.closest for p in report.parts if p.closest), None)
    else:
        kinds = sorted({t.kind.value for t in tables})
        report.kind = kinds[0] if len(kinds) == 1 else "mixed"
        if reasons:
            report.reason = "some parts not classified: " + "; ".join(reasons)
    return Extracted(report, tables)
