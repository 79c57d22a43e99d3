"""OCR of page images with Tesseract (pytesseract): words with boxes and confidences.

Before recognition: EXIF orientation applied, the page turned upright (Tesseract OSD: 90/180/270),
small skew (±5°) removed by the projection-profile angle that makes text lines sharpest.
Recognition runs ``eng+chi_sim`` with one thread per tesseract (OMP_THREAD_LIMIT=1) so pages
can run one per core, under a per-page timeout.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageOps

from extractors.layout import Word

LANGUAGES = "eng+chi_sim"
PAGE_TIMEOUT_SECONDS = 120
MAX_SKEW_DEGREES = 5.0
os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per tesseract; parallel across pages


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


def ocr_image(image: Image.Image, *, languages: str = LANGUAGES, psm: int = 6) -> OcrPage:
    import pytesseract

    image = ImageOps.exif_transpose(image).convert("L")
    image, rotated = upright(image)
    angle = skew_angle(image)
    if abs(angle) >= 0.2:
        image = image.rotate(angle, expand=True, fillcolor="white", resample=Image.BICUBIC)
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
        if text.strip() and float(conf) >= 0:
            words.append(Word(text.strip(), left, top, left + width, top + height, float(conf) / 100))
    mean = float(np.mean([w.conf for w in words])) if words else 0.0
    return OcrPage(words, image.width, image.height, rotated, angle, mean)


def ocr_pages(images: list[Image.Image]) -> list[OcrPage | OcrError]:
    """Pages in parallel, one tesseract per core; a page that fails comes back as its error."""
    def one(image: Image.Image) -> OcrPage | OcrError:
        try:
            return ocr_image(image)
        except OcrError as exc:
            return exc
    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        return list(pool.map(one, images))


def load_images(data: bytes) -> list[Image.Image]:
    """Every frame of an image file (multi-page TIFF included)."""
    import io

    image = Image.open(io.BytesIO(data))
    frames = []
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        frames.append(ImageOps.exif_transpose(image.copy()))
    return frames
