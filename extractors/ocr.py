"""OCR of page images with Tesseract (pytesseract): words with boxes and confidences.

Before recognition: EXIF orientation applied, the page turned upright (Tesseract OSD: 90/180/270),
small skew (±5°) removed by the projection-profile angle that makes text lines sharpest.
Recognition runs ``eng+chi_sim`` with one thread per tesseract (OMP_THREAD_LIMIT=1) so pages
can run one per core, under a per-page timeout.
"""
from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageOps

from extractors.layout import Word, lines_of
from preaudit.core.limits import Limits
from preaudit.core.options import OCR_LANGUAGES
from extractors.values import CJK
from extractors.engines import Reading, cores  # noqa: F401  (Reading: its home was here)

LANGUAGES = "+".join(OCR_LANGUAGES)  # where no law pack names its own (ocr_languages:)
PAGE_TIMEOUT_SECONDS = Limits.ocr_seconds_per_page
MAX_SKEW_DEGREES = 5.0
os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per tesseract; parallel across pages
#: the engine that reads table pages (registers) when it is installed: RapidOCR read 99.8 % of a
#: scanned pack's values where Tesseract's tables held 25.8 % (BENCHMARKS.md); Tesseract reads
#: free text (licences, certificates) and stays the fallback
TABLE_ENGINE = os.environ.get("PREAUDIT_TABLE_ENGINE", "rapid")


# specks and ruling remnants Tesseract reads as quotes, bars or a dollar sign at a word's edge
_EDGE_NOISE = re.compile(r"^[”“\"'‘’`|_=$~]+|[”“\"'‘’`|_=~]+$")


class OcrError(Exception):
    pass


@dataclass
class OcrPage:
    words: list[Word]
    width: int
    height: int
    rotated: int = 0          # degrees turned to make it upright
    deskewed: float = 0.0     # degrees of skew removed
    mean_confidence: float = 0.0
    column_rules: list[float] = field(default_factory=list)  # x of vertical ruling lines
    image: Image.Image | None = None  # the cleaned, upright page the word boxes refer to
    orientation_known: bool = True    # Tesseract's orientation detection could tell
    ink_share: float = 0.0            # share of dark pixels on the page as scanned (rules included)

    def why_no_text(self) -> str:
        """Why a page gave no words: what an auditor would see looking at it."""
        if self.ink_share < BLANK_INK_SHARE:
            return "blank page: no ink"
        if self.ink_share > TOO_DARK_INK_SHARE:
            return "page too dark to read: most of it is dark"
        if not self.orientation_known:
            return "no text read: its orientation could not be told (too little text, or not text)"
        return "no text read: ink, but nothing Tesseract recognises as text"


#: share of dark pixels under which a page is blank (a speck or two, a stapler shadow)
BLANK_INK_SHARE = 0.0005
#: share of dark pixels over which a page is too dark to read (print covers a page's smaller part)
TOO_DARK_INK_SHARE = 0.5


def ink_share(image: Image.Image) -> float:
    """The share of dark pixels, from a thumbnail (cheap on a 300-dpi page)."""
    small = ImageOps.exif_transpose(image).convert("L")
    small.thumbnail((600, 600))
    pixels = np.asarray(small)
    return float((pixels < 128).mean()) if pixels.size else 0.0


def upright(image: Image.Image) -> tuple[Image.Image, int | None]:
    """The page turned by what Tesseract's orientation detection says (None when it cannot tell)."""
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(uncompressed(image), config="--psm 0 -c min_characters_to_try=10",
                                       output_type=pytesseract.Output.DICT, timeout=30)
    except (pytesseract.TesseractError, RuntimeError):
        return image, None  # too little text to tell: leave it
    angle = int(osd.get("rotate", 0)) % 360
    if angle and float(osd.get("orientation_conf", 0)) >= 1.0:
        return image.rotate(-angle, expand=True, fillcolor="white"), angle
    return image, 0


def skew_angle(image: Image.Image) -> float:
    """The small rotation (±5°) that makes the rows of text sharpest: the variance of the
    horizontal ink profile peaks when text lines are level."""
    small = image.convert("L")
    scale = 1000 / max(small.size)
    if scale < 1:
        small = small.resize((int(small.width * scale), int(small.height * scale)))
    ink = np.asarray(small) < 128
    if ink.mean() < 0.002:
        return 0.0

    def sharpness(angle: float) -> float:
        turned = Image.fromarray((ink * 255).astype(np.uint8)).rotate(angle, expand=False, fillcolor=0)
        return float(np.var(np.asarray(turned).sum(axis=1)))

    coarse = max(np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.01, 0.5), key=sharpness)
    fine = max(np.arange(coarse - 0.5, coarse + 0.51, 0.1), key=sharpness)
    return float(round(fine, 1))


def _long_runs(ink: np.ndarray, length: int) -> np.ndarray:
    """Pixels in horizontal runs of ink at least ``length`` long (rows of a boolean image)."""
    padded = np.pad(ink, ((0, 0), (1, 1))).astype(np.int8)
    edges = np.diff(padded, axis=1)
    out = np.zeros_like(ink)
    for row in np.nonzero(ink.any(axis=1))[0]:
        starts, ends = np.nonzero(edges[row] == 1)[0], np.nonzero(edges[row] == -1)[0]
        for start, end in zip(starts, ends):
            if end - start >= length:
                out[row, start:end] = True
    return out


def remove_rules(image: Image.Image) -> tuple[Image.Image, list[float]]:
    """A ruled register with its ruling lines erased (Tesseract reads grid lines as glyphs and
    loses the cells between them), and the x positions of its vertical rules: the column
    boundaries. Lines are ink runs longer than any glyph (1/15 of the page)."""
    pixels = np.asarray(image.convert("L"))
    ink = pixels < 150
    length = max(40, min(ink.shape) // 15)
    horizontal, vertical = _long_runs(ink, length), _long_runs(ink.T, length).T
    lines = horizontal | vertical
    if lines.mean() < 0.001:
        return image, []
    lines = lines | np.roll(lines, 1, 0) | np.roll(lines, -1, 0) | np.roll(lines, 1, 1) | np.roll(lines, -1, 1)
    cleaned = np.where(lines, 255, pixels).astype(np.uint8)
    # every pixel counted is part of a run longer than any glyph, so one run makes a rule; the
    # profile is summed over 5 columns because a rule a pixel wide drifts across columns when
    # deskewing leaves a few hundredths of a degree
    profile = np.convolve(vertical.sum(axis=0), np.ones(5, dtype=np.int64), "same")
    return Image.fromarray(cleaned), _rule_positions(profile, length)


def _rule_positions(profile: np.ndarray, minimum: int) -> list[float]:
    """Centres of the column runs where a vertical rule stands (tall enough to be a rule)."""
    columns = np.nonzero(profile >= minimum)[0]
    if columns.size == 0:
        return []
    groups = np.split(columns, np.nonzero(np.diff(columns) > 3)[0] + 1)
    return [float(g.mean()) for g in groups]


def uncompressed(image: Image.Image) -> Image.Image:
    """Handed to Tesseract as BMP: pytesseract writes PNG by default, and compressing a page and a
    hundred cell crops cost 8 % of reading a register page (a profile of bench/ocr_pages.py)."""
    image.format = "BMP"
    return image


RETRY_BELOW = 0.85  # values read with less confidence get a second reading of their own crop
MAX_RETRIES = 120   # second readings per page, least confident first: a bad scan must not take minutes
SECOND_READINGS_SECONDS = 90.0  # and no new second reading starts after this long on one page


def crop_of(image: Image.Image, box, between: tuple[float, float] | None = None) -> Image.Image:
    """A value's crop with a white margin that never reaches past ``between``."""
    height = box[3] - box[1]
    pad = max(8, int(height * 0.3))
    left, right = between or (0, image.width)
    return image.crop((int(max(0, left, box[0] - pad)), max(0, int(box[1]) - pad),
                       int(min(image.width, right, box[2] + pad)), min(image.height, int(box[3]) + pad)))


def read_crop(image: Image.Image, box: tuple[float, float, float, float], *, language: str,
              whitelist: str | None = None, psm: int = 7, between: tuple[float, float] | None = None) -> Reading | None:
    """One value's crop read alone, as a single line (``--psm 7``) or word (8), in one language,
    optionally restricted to the characters the value can hold. The crop gets a white margin, but
    never reaches past ``between`` (the neighbouring words' edges): a neighbour's glyph in the
    margin is read as part of the value (6 + 月 → 6月, then 月 again: 6月月)."""
    import pytesseract

    crop = crop_of(image, box, between)
    config = f"--psm {psm}" + (f' -c "tessedit_char_whitelist={whitelist}"' if whitelist else "")
    try:
        data = pytesseract.image_to_data(uncompressed(crop), lang=language, config=config,
                                         output_type=pytesseract.Output.DICT, timeout=10)
    except (RuntimeError, pytesseract.TesseractError):
        return None
    parts = [(t.strip(), float(c)) for t, c in zip(data["text"], data["conf"]) if t.strip() and float(c) >= 0]
    if not parts:
        return None
    text = _EDGE_NOISE.sub("", "".join(t for t, _ in parts) if language.startswith("chi") else
                           " ".join(t for t, _ in parts))
    return Reading(text, sum(c for _, c in parts) / len(parts) / 100) if text else None


def better_reading(image: Image.Image, box: tuple[float, float, float, float], first: Reading,
                   accepts: Callable[[str], bool] = lambda text: True,
                   between: tuple[float, float] | None = None,
                   languages: tuple[str, ...] = OCR_LANGUAGES) -> Reading:
    """A low-confidence value read again in each language alone; of the readings ``accepts``
    (the column's parser, for a table cell), the most confident. ``chi_sim`` reads Latin letters
    and digits as themselves, so when it sees Chinese glyphs they are Chinese, whatever ``eng``
    claims: in a mostly-English table ``eng`` reads a short Chinese name as Latin letters, often
    with more confidence (王芳 → "ER" at 0.75) than the right reading gets."""
    readings = [first]
    cjk: list[Reading] = []
    for psm in (7, 8):  # a lone short mark ("Y") that no line reading accepts is often read as a word
        alone = {language: read_crop(image, box, language=language, psm=psm, between=between)
                 for language in languages}
        readings = [r for r in (first, *alone.values()) if r is not None and r.text and accepts(r.text)] or [first]
        cjk = [r for language, r in alone.items() if language.startswith(("chi", "jpn", "kor"))
               and r is not None and r in readings and CJK.search(r.text)]
        if len(readings) > 1 or readings[0] is not first:
            break
    if cjk:
        readings = [r for r in readings if CJK.search(r.text)]
    return max(readings, key=lambda r: r.conf)


def reread_words(image: Image.Image, words: list[Word], limit: int = MAX_RETRIES,
                 languages: tuple[str, ...] = OCR_LANGUAGES) -> list[Word]:
    """Free text (certificates, notes): the least confident words read again, in place, so
    reading order stays as it was."""
    retry = set(sorted((k for k, w in enumerate(words) if w.conf < RETRY_BELOW), key=lambda k: words[k].conf)[:limit])
    deadline = time.monotonic() + SECOND_READINGS_SECONDS
    between: dict[int, tuple[float, float]] = {}
    for line in lines_of(words):
        for k, word in enumerate(line):
            # up to the neighbours' edges, never into the word itself when boxes overlap
            between[id(word)] = (min(word.x0, line[k - 1].x1) if k else 0,
                                 max(word.x1, line[k + 1].x0) if k + 1 < len(line) else image.width)
    out = []
    for k, word in enumerate(words):
        if k in retry and time.monotonic() < deadline:
            best = better_reading(image, (word.x0, word.top, word.x1, word.bottom), Reading(word.text, word.conf),
                                  between=between.get(id(word)), languages=languages)
            word = Word(best.text, word.x0, word.top, word.x1, word.bottom, best.conf)
        out.append(word)
    return out


def rapid_upright(image: Image.Image) -> tuple[Image.Image, int | None]:
    """The page turned by what RapidOCR's detector and line classifier say (None: no text found)."""
    from extractors.engines import rapid

    angle = rapid.orientation(image)
    if angle:
        return image.rotate(-angle, expand=True, fillcolor="white"), angle
    return image, angle


def recognise(image: Image.Image, *, languages: str = LANGUAGES, psm: int = 6,
              timeout: int = PAGE_TIMEOUT_SECONDS, engine: str = "tesseract") -> OcrPage:
    """The first reading of a page: turned upright, deskewed, ruling lines erased, one pass of
    ``engine`` ("tesseract" or "rapid"). The page keeps the cleaned image its word boxes refer
    to, for second readings."""
    import pytesseract

    image = ImageOps.exif_transpose(image).convert("L")
    if engine == "rapid":
        return _recognise_rapid(image)
    image, rotated = upright(image)
    ink = ink_share(image)
    angle = skew_angle(image)
    if abs(angle) >= 0.2:
        image = image.rotate(angle, expand=True, fillcolor="white", resample=Image.BICUBIC)
    image, rules = remove_rules(image)
    try:
        data = pytesseract.image_to_data(uncompressed(image), lang=languages, config=f"--psm {psm} -c preserve_interword_spaces=1",
                                         output_type=pytesseract.Output.DICT, timeout=timeout)
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrError(f"OCR took longer than {timeout} s (limits.ocr_seconds_per_page in factory.yaml)") from exc
    except pytesseract.TesseractError as exc:
        raise OcrError(f"tesseract failed: {exc}") from exc
    words = []
    for text, conf, left, top, width, height in zip(data["text"], data["conf"], data["left"], data["top"],
                                                    data["width"], data["height"]):
        raw = text.strip()
        text = _EDGE_NOISE.sub("", raw)
        if text and float(conf) >= 0:
            # a reading trimmed of edge specks is a guess ("$H100001" may be SH100001): it is
            # sent to a second reading and, unless that one is better, to review
            confidence = float(conf) / 100 if text == raw else min(float(conf) / 100, RETRY_BELOW / 2)
            words.append(Word(text, left, top, left + width, top + height, confidence))
    applied = angle if abs(angle) >= 0.2 else 0.0
    page = OcrPage(words, image.width, image.height, rotated or 0, applied, column_rules=rules, image=image,
                   orientation_known=rotated is not None, ink_share=ink)
    page.mean_confidence = float(np.mean([w.conf for w in words])) if words else 0.0
    return page


def _prepared(image: Image.Image, rotated: int | None):
    ink = ink_share(image)
    angle = skew_angle(image)
    if abs(angle) >= 0.2:
        image = image.rotate(angle, expand=True, fillcolor="white", resample=Image.BICUBIC)
    image, rules = remove_rules(image)
    return image, rules, ink, (angle if abs(angle) >= 0.2 else 0.0)


def _recognise_rapid(image: Image.Image) -> OcrPage:
    from extractors.engines import rapid

    image, rotated = rapid_upright(image)
    image, rules, ink, applied = _prepared(image, rotated)
    words = rapid.page_words(image)
    page = OcrPage(words, image.width, image.height, rotated or 0, applied, column_rules=rules, image=image,
                   orientation_known=rotated is not None, ink_share=ink)
    page.mean_confidence = float(np.mean([w.conf for w in words])) if words else 0.0
    return page


def ocr_image(image: Image.Image, *, languages: str = LANGUAGES, psm: int = 6) -> OcrPage:
    """A page of free text: the first reading, its least confident words read again."""
    page = recognise(image, languages=languages, psm=psm)
    page.words = reread_words(page.image, page.words)
    page.mean_confidence = float(np.mean([w.conf for w in page.words])) if page.words else 0.0
    return page


def load_images(data: bytes) -> list[Image.Image]:
    """Every frame of an image file (multi-page TIFF included)."""
    import io

    image = Image.open(io.BytesIO(data))
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frames.append(ImageOps.exif_transpose(image.copy()))
    return frames
