"""OCR of page images with Tesseract (pytesseract): words with boxes and confidences.

Before recognition: EXIF orientation applied, the page turned upright (Tesseract OSD: 90/180/270),
small skew (±5°) removed by the projection-profile angle that makes text lines sharpest.
Recognition runs ``eng+chi_sim`` with one thread per tesseract (OMP_THREAD_LIMIT=1) so pages
can run one per core, under a per-page timeout.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageOps

from extractors.layout import Word

LANGUAGES = "eng+chi_sim"
PAGE_TIMEOUT_SECONDS = 120
MAX_SKEW_DEGREES = 5.0
os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per tesseract; parallel across pages


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
    notes: list[str] = field(default_factory=list)
    column_rules: list[float] = field(default_factory=list)  # x of vertical ruling lines


def upright(image: Image.Image) -> tuple[Image.Image, int]:
    """The page turned by what Tesseract's orientation detection says (0 when it cannot tell)."""
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0 -c min_characters_to_try=10",
                                       output_type=pytesseract.Output.DICT, timeout=30)
    except (pytesseract.TesseractError, RuntimeError):
        return image, 0  # too little text to tell: leave it
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
    return Image.fromarray(cleaned), _rule_positions(vertical.sum(axis=0), 3 * length)


def _rule_positions(profile: np.ndarray, minimum: int) -> list[float]:
    """Centres of the column runs where a vertical rule stands (tall enough to be a rule)."""
    columns = np.nonzero(profile >= minimum)[0]
    if columns.size == 0:
        return []
    groups = np.split(columns, np.nonzero(np.diff(columns) > 3)[0] + 1)
    return [float(g.mean()) for g in groups]


RETRY_BELOW = 0.85  # words read with less confidence get a second, per-word reading
MAX_RETRIES = 120   # per page: a bad scan must not take minutes


def _second_reading(image: Image.Image, word: Word) -> Word:
    """Re-read one word's crop in each language alone, as a single line: in a mostly-English
    table Tesseract's eng+chi_sim reads a short Chinese name with Latin glyphs (王芳 → EHR)."""
    import pytesseract

    pad = max(8, int((word.bottom - word.top) * 0.3))
    box = (max(0, int(word.x0) - pad), max(0, int(word.top) - pad),
           min(image.width, int(word.x1) + pad), min(image.height, int(word.bottom) + pad))
    crop = image.crop(box)
    best = word
    for language in LANGUAGES.split("+"):
        try:
            data = pytesseract.image_to_data(crop, lang=language, config="--psm 7",
                                             output_type=pytesseract.Output.DICT, timeout=10)
        except (RuntimeError, pytesseract.TesseractError):
            continue
        parts = [(t.strip(), float(c)) for t, c in zip(data["text"], data["conf"]) if t.strip() and float(c) >= 0]
        if not parts:
            continue
        text = _EDGE_NOISE.sub("", "".join(t for t, _ in parts) if language.startswith("chi") else
                               " ".join(t for t, _ in parts))
        conf = sum(c for _, c in parts) / len(parts) / 100  # a reading's mean: one weak glyph of two is not a misread
        if text and conf > best.conf:
            best = Word(text, word.x0, word.top, word.x1, word.bottom, conf)
    return best


def ocr_image(image: Image.Image, *, languages: str = LANGUAGES, psm: int = 6) -> OcrPage:
    import pytesseract

    image = ImageOps.exif_transpose(image).convert("L")
    image, rotated = upright(image)
    angle = skew_angle(image)
    if abs(angle) >= 0.2:
        image = image.rotate(angle, expand=True, fillcolor="white", resample=Image.BICUBIC)
    image, rules = remove_rules(image)
    try:
        data = pytesseract.image_to_data(image, lang=languages, config=f"--psm {psm} -c preserve_interword_spaces=1",
                                         output_type=pytesseract.Output.DICT, timeout=PAGE_TIMEOUT_SECONDS)
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrError(f"OCR took longer than {PAGE_TIMEOUT_SECONDS} s") from exc
    except pytesseract.TesseractError as exc:
        raise OcrError(f"tesseract failed: {exc}") from exc
    words = []
    for text, conf, left, top, width, height in zip(data["text"], data["conf"], data["left"], data["top"],
                                                    data["width"], data["height"]):
        text = _EDGE_NOISE.sub("", text.strip())
        if text and float(conf) >= 0:
            words.append(Word(text, left, top, left + width, top + height, float(conf) / 100))
    # the least confident words get a second reading, in place: reading order stays as it was
    retry = set(sorted((k for k, w in enumerate(words) if w.conf < RETRY_BELOW),
                       key=lambda k: words[k].conf)[:MAX_RETRIES])
    words = [_second_reading(image, w) if k in retry else w for k, w in enumerate(words)]
    mean = float(np.mean([w.conf for w in words])) if words else 0.0
    page = OcrPage(words, image.width, image.height, rotated, angle, mean, column_rules=rules)
    if rules:
        page.notes.append("ruling lines removed")
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
