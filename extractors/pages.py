"""Digital PDFs, scanned PDFs and images, page by page, into grids.

A page whose text layer carries it is read from it (pdfplumber) and never OCR'd: ruled tables
through pdfplumber's table finder with each cell's box, other tables from word positions, rotated
pages (/Rotate) by turning the characters upright first. A page without one is rendered
(pypdfium2, 300 dpi) and OCR'd; so is a scan whose text layer holds only a scanner's footer or
blanks ("Scanned with CamScanner": read from that layer, a legible register came back empty), and
so are image files, every frame of a TIFF.
"""
from __future__ import annotations


import io
import threading
from dataclasses import dataclass
from functools import partial

from extractors.types import UnreadableError
from extractors.types import Grid
from extractors.headers import HeaderMapper
from extractors.layout import Word, lines_of, words_to_grid
from extractors.engines import cores
from preaudit.core.limits import Limits
from preaudit.core.options import OCR_LANGUAGES

RENDER_DPI = 300


@dataclass
class PageContent:
    page: int
    grid: Grid | None          # the page's table, when it has one
    text: str                  # its text, line by line (for key-value documents)
    words: list[Word]
    unit: str                  # "pt" for text layers, "px" for OCR'd images
    ocr: bool
    mean_confidence: float = 1.0
    note: str | None = None
    #: how the OCR'd image was turned before its boxes were measured: the report redoes it to crop
    transform: dict[str, float] | None = None


#: a page image covering this share of the page is a scan, unless the text layer carries the page
SCAN_IMAGE_SHARE = 0.5
#: fewer printable characters than this in the text layer of a scanned page: a footer or stamp,
#: not the page's content
TEXT_LAYER_MIN_CHARS = 40


def _text_layer_carries(page) -> bool:
    """Whether the page's text layer holds its content: any text on a page that is no scan, but on
    a page one image covers, more than a footer's worth of printable characters."""
    printable = sum(1 for c in page.chars if c["text"].strip())
    if not printable:
        return False
    if printable >= TEXT_LAYER_MIN_CHARS:
        return True
    area = float(page.width * page.height) or 1.0
    covered = max((float(i["width"]) * float(i["height"]) for i in page.images), default=0.0)
    return covered / area < SCAN_IMAGE_SHARE


def _upright_chars(page) -> list[Word]:
    """Characters as a reader sees the page: /Rotate applied (pdfplumber leaves it to us)."""
    x0, top, x1, bottom = page.mediabox if hasattr(page, "mediabox") else page.bbox
    width, height = x1 - x0, bottom - top
    out = []
    for c in page.chars:
        a0, a1, t, b = c["x0"], c["x1"], c["top"], c["bottom"]
        rotation = page.rotation % 360
        if rotation == 90:  # shown turned clockwise: the page's top edge becomes its right edge
            box = (t, width - a1, b, width - a0)
        elif rotation == 180:
            box = (width - a1, height - b, width - a0, height - t)
        elif rotation == 270:
            box = (height - b, a0, height - t, a1)
        else:
            box = (a0, t, a1, b)
        out.append(Word(c["text"], *box))
    return out


def _chars_to_words(chars: list[Word]) -> list[Word]:
    words: list[Word] = []
    for line in lines_of(chars):
        size = max(1.0, sorted(c.bottom - c.top for c in line)[len(line) // 2])
        current: list[Word] = []
        for ch in line:
            if ch.text.isspace():
                if current:
                    words.append(_merge(current))
                current = []
                continue
            if current and ch.x0 - current[-1].x1 > 0.25 * size:
                words.append(_merge(current))
                current = []
            current.append(ch)
        if current:
            words.append(_merge(current))
    return words


def _merge(chars: list[Word]) -> Word:
    return Word("".join(c.text for c in chars), min(c.x0 for c in chars), min(c.top for c in chars),
                max(c.x1 for c in chars), max(c.bottom for c in chars), 1.0)


def _ruled_table(page, mapper: HeaderMapper, number: int) -> Grid | None:
    """pdfplumber's ruled table on an unrotated page, cells with their boxes, if its text maps."""
    best = None
    for table in page.find_tables():
        rows = table.rows
        cells = [[c for c in row.cells] for row in rows]
        texts = table.extract()
        if not texts or len(texts[0]) < 2:
            continue
        grid = Grid(rows=[[t if t not in ("", None) else None for t in row] for row in texts],
                    row_numbers=list(range(1, len(texts) + 1)), page=number,
                    cell_boxes=[[tuple(c) if c else None for c in row] for row in cells],
                    row_boxes=[tuple(r.bbox) for r in rows], bbox_unit="pt")
        if best is None or len(texts) > len(best.rows):
            best = grid
    return best


def _text(words: list[Word]) -> str:
    from extractors.layout import _join

    return "\n".join(_join(line) for line in lines_of(words))


def read_pdf(data: bytes, mapper: HeaderMapper, limits: Limits | None = None,
             languages: tuple[str, ...] = OCR_LANGUAGES) -> list[PageContent]:
    """Each page from its text layer, or by OCR in ``languages`` (the law pack's ocr_languages)."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = list(pdf.pages)
    except Exception as exc:  # pdfminer raises many kinds for damaged or encrypted files
        reason = "encrypted" if "password" in str(exc).lower() or "Encrypt" in type(exc).__name__ else \
            f"not a readable PDF ({type(exc).__name__})"
        raise UnreadableError(reason) from exc
    limits = limits or Limits()
    if len(pages) > limits.pages_per_document:
        pdf.close()
        raise UnreadableError(limits.exceeded("pages_per_document", len(pages), "pages"))
    out: dict[int, PageContent] = {}
    scanned: list[int] = []
    with pdf:
        for number, page in enumerate(pages, 1):
            try:
                has_text = _text_layer_carries(page)
            except (PDFSyntaxError, ValueError, KeyError, TypeError):
                has_text = False
            if not has_text:
                scanned.append(number)
                continue
            words = _chars_to_words(_upright_chars(page))
            grid = _ruled_table(page, mapper, number) if page.rotation % 360 == 0 else None
            if grid is None:
                grid = words_to_grid(words, mapper, page=number, unit="pt")
            out[number] = PageContent(number, grid, _text(words), words, "pt", False)
    if scanned:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
        for number, content in zip(scanned, _ocr_parallel([partial(_render_page, document, n, limits.page_pixels)
                                                           for n in scanned], scanned, mapper, limits,
                                                          languages)):
            out[number] = content
    return [out[n] for n in sorted(out)]


#: a page rendered for OCR holds at most this many pixels (A1 at 300 dpi); a larger page is
#: rendered at a lower resolution, and one that would fall under LOWEST_DPI is not rendered
MAX_PAGE_PIXELS = Limits.page_pixels
LOWEST_DPI = 100
#: PDFium is not thread-safe: one page is rendered at a time (OCR, the slow part, runs in parallel)
PDFIUM_LOCK = threading.Lock()


def _render_page(document, number: int, page_pixels: int = MAX_PAGE_PIXELS):
    """Page ``number`` as an image for OCR, rendered only when its OCR slot is free (a document of
    two thousand pages is never held in memory at once); PageTooLarge when it cannot be. The
    image carries its scale, which report.html needs to cut crops that fit the boxes."""
    with PDFIUM_LOCK:
        page = document[number - 1]
        scale = render_scale(*page.get_size(), page_pixels)
        image = page.render(scale=scale).to_pil()
    image.info["render_scale"] = scale
    return image


def render_scale(width: float, height: float, page_pixels: int = MAX_PAGE_PIXELS) -> float:
    """Pixels per point for OCR: 300 dpi, less for a page larger than page_pixels at 300 dpi."""
    scale = min(RENDER_DPI / 72, (page_pixels / max(1.0, width * height)) ** 0.5)
    if scale < LOWEST_DPI / 72:
        lowest = round(width * height * (LOWEST_DPI / 72) ** 2)
        raise PageTooLarge(f"page too large to render ({width:.0f} × {height:.0f} pt): "
                           f"{lowest:,} pixels at {LOWEST_DPI} dpi is over the limit of {page_pixels:,} "
                           f"(limits.page_pixels)")
    return scale


class PageTooLarge(Exception):
    pass


#: OCR slots for the whole process: one page per core, however many documents are read at once
#: (each document's pool used to start its own Tesseract per core: ten or more on two cores, and
#: page timeouts that depended on the load). A page's timeout starts when it has its slot.
OCR_SLOTS = threading.BoundedSemaphore(cores())


def _ocr_parallel(images: list, numbers: list[int], mapper: HeaderMapper,
                  limits: Limits | None = None, languages: tuple[str, ...] = OCR_LANGUAGES) -> list[PageContent]:
    """One tesseract per core (each single-threaded: OMP_THREAD_LIMIT=1), shared by all documents.
    ``images`` holds functions that load each page's image, called once the page has its slot."""
    from concurrent.futures import ThreadPoolExecutor

    import math
    import time

    limits = limits or Limits()
    started: list[float] = []  # the document's OCR clock starts with its first page's slot

    def one(args) -> PageContent | None:
        load, number = args
        with OCR_SLOTS:
            now = time.monotonic()
            if not started:
                started.append(now)
            left = started[0] + limits.ocr_seconds_per_document - now
            if left <= 0:
                return None  # the document's OCR time is spent: the page is not read
            try:
                image = load()
            except PageTooLarge as exc:
                return PageContent(number, None, "", [], "px", True, 0.0, str(exc))
            return _ocr_page(image, number, mapper, max(1, min(limits.ocr_seconds_per_page, math.ceil(left))),
                             languages=languages)

    with ThreadPoolExecutor(max_workers=cores()) as pool:
        pages = list(pool.map(one, zip(images, numbers)))
    if started and (None in pages or time.monotonic() - started[0] > limits.ocr_seconds_per_document):
        spent = round(time.monotonic() - started[0])
        done = sum(p is not None for p in pages)
        raise UnreadableError(limits.exceeded("ocr_seconds_per_document", spent, "seconds of OCR for the document")
                              + f"; {done} of {len(pages)} page(s) read by then")
    return pages


def _ocr_page(image, number: int, mapper: HeaderMapper, timeout: int = Limits.ocr_seconds_per_page,
              languages: tuple[str, ...] = OCR_LANGUAGES) -> PageContent:
    """A table page gets its weak cells read again with settings for their column; a page of
    free text (a certificate, or a table continuing without its header) its weak words."""
    import statistics

    from extractors.cells import reread_cells, reread_header, table_fields
    from extractors.ocr import OcrError, recognise, reread_words

    from extractors import ocr
    from extractors.engines import rapid_available
    from extractors.ocr import BLANK_INK_SHARE, ink_share

    if ink_share(image) < BLANK_INK_SHARE:  # a blank page costs no Tesseract run (a PDF of 2,000 of them)
        return PageContent(number, None, "", [], "px", True, 0.0, "blank page: no ink")
    engine = "rapid" if ocr.TABLE_ENGINE == "rapid" and rapid_available() else "tesseract"
    grid = table = None
    if engine == "rapid":  # a register is read by RapidOCR; a page with no table goes to Tesseract
        try:
            result = recognise(image, timeout=timeout, engine="rapid")
        except Exception:  # noqa: BLE001 - a model that will not run leaves Tesseract to read
            result = None
        if result is not None:
            grid = words_to_grid(result.words, mapper, page=number, unit="px", rules=result.column_rules)
            table = table_fields(grid, mapper) if grid is not None else None
        if table is None:
            engine = "tesseract"
    if engine == "tesseract":
        try:
            result = recognise(image, languages="+".join(languages), timeout=timeout)
        except OcrError as exc:
            return PageContent(number, None, "", [], "px", True, 0.0, str(exc))
        grid = words_to_grid(result.words, mapper, page=number, unit="px", rules=result.column_rules)
        table = table_fields(grid, mapper) if grid is not None else None
    if table is None:  # free text, or a table whose header was misread too badly to be found
        result.words = reread_words(result.image, result.words, languages=languages)
        grid = words_to_grid(result.words, mapper, page=number, unit="px", rules=result.column_rules)
        table = table_fields(grid, mapper) if grid is not None else None
    if table is not None and reread_header(result.image, grid, *table, mapper, languages):
        table = table_fields(grid, mapper) or table
    if table is not None:
        head, span, mapping = table
        reread_cells(result.image, grid, head + span, mapping.columns, engine=engine, languages=languages)
        confidences = [c for row in grid.cell_confs for c in row if c is not None]
    else:
        confidences = [w.conf for w in result.words]
    note = None
    if not result.words:
        note = result.why_no_text()
    elif result.rotated or result.deskewed:
        note = f"turned {result.rotated}° and deskewed {result.deskewed}° before OCR"
    mean = statistics.fmean(confidences) if confidences else 0.0
    transform = {"rotated": result.rotated, "deskewed": result.deskewed}
    if "render_scale" in image.info:
        transform["scale"] = image.info["render_scale"]
    return PageContent(number, grid, _text(result.words), result.words, "px", True, mean, note, transform)


def read_image(data: bytes, mapper: HeaderMapper, limits: Limits | None = None,
               languages: tuple[str, ...] = OCR_LANGUAGES) -> list[PageContent]:
    """Every frame of an image file, each decoded only when its OCR slot is free."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        frames = getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableError(f"not a readable image ({type(exc).__name__})") from exc
    limits = limits or Limits()
    if frames > limits.image_frames:
        raise UnreadableError(limits.exceeded("image_frames", frames, "frames in the image"))
    lock = threading.Lock()

    def frame(index: int):
        with lock:  # one decoder, seeked frame by frame
            image.seek(index)
            return ImageOps.exif_transpose(image.copy())
    return _ocr_parallel([partial(frame, i) for i in range(frames)], list(range(1, frames + 1)), mapper, limits,
                         languages)
