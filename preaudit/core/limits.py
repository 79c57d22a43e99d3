"""How much one document, page or pack may hold before preaudit refuses it with a reason instead
of spending memory or hours on it. The operator's settings (preaudit/core/settings.py: a settings
file or PREAUDIT_LIMIT_* variables) set each bound; a pack's factory.yaml (``limits:``) may only
lower one. A document over one is DQ-UNREADABLE naming the bound, and the run goes on.

Not here: YAML aliases and nesting depth (preaudit/core/yamlio.py), because they guard the reading of
factory.yaml itself.
"""
from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    #: a register of a year is a few hundred pages; a PDF of thousands is refused, not rendered
    pages_per_document: int = 1_000
    #: pixels of one page rendered for OCR (A1 at 300 dpi); a larger page is rendered at a lower
    #: resolution, down to 100 dpi, and refused below it
    page_pixels: int = 70_000_000
    #: frames of one image file (a multi-page TIFF)
    image_frames: int = 1_000
    #: values of one sheet, counted from the cells it really holds, not its declared extent
    cells_per_sheet: int = 5_000_000
    #: one CSV field (an unclosed quote swallows the rest of the file into one) and one line
    bytes_per_field: int = 131_072
    bytes_per_line: int = 1_048_576
    #: one document, and all of a pack's documents together (read in path order; those past the
    #: limit are not read, each with its finding)
    bytes_per_document: int = 256 * 1024 * 1024  # a workbook counts unpacked
    bytes_per_pack: int = 8 * 1024 * 1024 * 1024
    #: Tesseract's time for one page, counted from when the page has its OCR slot
    ocr_seconds_per_page: int = 120
    #: all the OCR of one document, counted from its first page's OCR slot: pages past it are not
    #: read and the document is DQ-UNREADABLE (a 999-page scan within every other bound is hours)
    ocr_seconds_per_document: int = 1_800
    #: one audit, from its first extraction: documents not yet read when it is spent are passed
    #: over, each with its finding
    seconds_per_run: int = 6 * 3600

    def exceeded(self, name: str, measured: int, what: str) -> str:
        """The reason a document gives when ``measured`` is over the bound ``name``."""
        return (f"{what}: {measured:,} is over the limit of {getattr(self, name):,} "
                f"(limits.{name})")


LIMIT_NAMES = tuple(f.name for f in fields(Limits))
