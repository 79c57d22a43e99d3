"""How much one document, page or pack may hold before preaudit refuses it with a reason instead
of spending memory or hours on it. Each bound can be set in factory.yaml (``limits:``); a document
over one is DQ-UNREADABLE naming the bound, and the run goes on.

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

    def exceeded(self, name: str, measured: int, what: str) -> str:
        """The reason a document gives when ``measured`` is over the bound ``name``."""
        return (f"{what}: {measured:,} is over the limit of {getattr(self, name):,} "
                f"(limits.{name} in factory.yaml)")


LIMIT_NAMES = tuple(f.name for f in fields(Limits))
