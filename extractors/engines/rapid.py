"""RapidOCR (PP-OCR models as ONNX, in the ``rapidocr`` wheel) on onnxruntime's CPU provider.

One engine per process, loaded on first use under a lock and shared by every OCR thread
(onnxruntime's sessions are thread-safe); each session runs on one thread, so the pages read at
once (one per core) are the threads used.

``page_words``: the page's text lines detected, each line's orientation classified, recognised,
and split into words with their boxes (the recogniser's own character positions), in the page's
pixels. ``read_crop``: one value's crop recognised alone (no detection: ~20 ms).
``orientation``: the quarter turns that make a page upright, from the shape of the detected lines
(a page at 90° or 270° has tall ones) and the line classifier's 0/180 verdict.
"""
from __future__ import annotations

import threading

import numpy as np
from PIL import Image

from extractors.engines import Reading
from extractors.layout import Word

_ENGINE = None
_LOCK = threading.Lock()
LOADS = [0]  # model loads in this process (a test holds it at one)


def engine():
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            import logging

            from rapidocr import RapidOCR

            _ENGINE = RapidOCR(params={
                "Global.log_level": "error",
                "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            })
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            for load in (_ENGINE._load_det_model, _ENGINE._load_cls_model, _ENGINE._load_rec_model):
                load()  # all three now: the load is paid once, before the first page's clock starts
            LOADS[0] += 1
        return _ENGINE


def _rgb(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))


def _boxes_of(det) -> list[tuple[float, float, float, float]]:
    if det is None or getattr(det, "boxes", None) is None:
        return []
    return [(float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 0].max()), float(b[:, 1].max())) for b in det.boxes]


def orientation(image: Image.Image) -> int | None:
    """Degrees (0, 90, 180, 270) such that ``image.rotate(-angle)`` stands the page upright (the
    sense of Tesseract's OSD "rotate"); None when no text line is found."""
    small = image.convert("L")
    scale = 1600 / max(small.size)
    if scale < 1:
        small = small.resize((max(1, int(small.width * scale)), max(1, int(small.height * scale))))
    ocr = engine()
    det = ocr(_rgb(small), use_det=True, use_cls=False, use_rec=False)
    boxes = _boxes_of(det)
    if not boxes:
        return None
    tall = sum(1 for x0, y0, x1, y1 in boxes if (y1 - y0) > 1.5 * (x1 - x0))
    wide = sum(1 for x0, y0, x1, y1 in boxes if (x1 - x0) > 1.5 * (y1 - y0))
    quarter = tall > wide
    if quarter:  # lines run up the page: turn it a quarter, then ask the classifier which way up
        small = small.rotate(90, expand=True, fillcolor=255)
        det = ocr(_rgb(small), use_det=True, use_cls=False, use_rec=False)
        boxes = _boxes_of(det)
    widest = sorted(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True)[:24]
    crops = [_rgb(small.crop(tuple(int(v) for v in b))) for b in widest if b[2] - b[0] > b[3] - b[1]]
    flipped = 0.0
    if crops:
        labels = ocr._load_cls_model()(crops).cls_res
        votes = [(1 if label == "180" else -1) * score for label, score in labels]
        flipped = sum(votes)
    upside_down = flipped > 0
    if quarter:
        # small was turned 90° counter-clockwise (PIL rotate(90)): upright is rotate(90) or rotate(270)
        # upright is rotate(90) ≡ rotate(-270), or, upside down, rotate(270) ≡ rotate(-90)
        return 90 if upside_down else 270
    return 180 if upside_down else 0


def page_words(image: Image.Image) -> list[Word]:
    """The words of an upright page with boxes and confidences (0-1)."""
    ocr = engine()
    result = ocr(_rgb(image), use_det=True, use_cls=True, use_rec=True, return_word_box=True)
    if result is None or not getattr(result, "txts", None):
        return []
    words: list[Word] = []
    lines = list(zip(result.boxes, result.txts, result.scores))
    word_results = list(result.word_results) if result.word_results else []
    for k, (box, text, score) in enumerate(lines):
        x0, y0, x1, y1 = float(box[:, 0].min()), float(box[:, 1].min()), float(box[:, 0].max()), float(box[:, 1].max())
        parts = _split(word_results[k] if k < len(word_results) else None, text, score, (x0, y0, x1, y1))
        words += parts
    words = _tight(words, np.asarray(image.convert("L")) < 128)
    return [_alone(image, w) if getattr(w, "parted", False) else w for w in words]


def _alone(image: Image.Image, word: Word) -> Word:
    """A word of a line that ran across cells, recognised from its own crop: read with its
    neighbour, a clock time beside a Chinese department came back as 00:60 for 09:00, at 0.9999."""
    from extractors.ocr import crop_of

    reading = read_crop(crop_of(image, (word.x0, word.top, word.x1, word.bottom)))
    if reading is None or reading.text == word.text:
        return word
    return Word(reading.text, word.x0, word.top, word.x1, word.bottom, min(reading.conf, word.conf))


def _tight(words: list[Word], ink: np.ndarray) -> list[Word]:
    """Each word's box shrunk to its ink. The detector's boxes are its text lines grown by half
    a line (unclip), so a word's box would be half again as tall as its glyphs: the layout's
    gaps, measured in word heights, would join neighbouring cells."""
    out = []
    for w in words:
        top, left = max(0, int(w.top)), max(0, int(w.x0))
        sub = ink[top:int(w.bottom) + 1, left:int(w.x1) + 1]
        rows, cols = np.nonzero(sub.any(axis=1))[0], np.nonzero(sub.any(axis=0))[0]
        if rows.size and cols.size:
            w = Word(w.text, float(left + cols[0]), float(top + rows[0]), float(left + cols[-1] + 1),
                     float(top + rows[-1] + 1), w.conf)
        out.append(w)
    return out


def _split(items, text: str, score: float, line_box) -> list[Word]:
    """A line's words. The recogniser gives a box per word or per character; they join into one
    word until the line's text has a space between them, or the gap between two boxes is wider
    than half the line's height (two cells' values detected as one line)."""
    x0, y0, x1, y1 = line_box
    if not items:
        return [Word(text.strip(), x0, y0, x1, y1, float(score))] if text.strip() else []
    height = max(1.0, y1 - y0)
    out: list[Word] = []
    current: list[tuple[str, float, float, float]] = []
    pos = 0
    parted = False

    def flush():
        if current:
            out.append(Word("".join(c[0] for c in current), current[0][2], y0, current[-1][3], y1,
                            min(c[1] for c in current)))
            current.clear()

    for txt, conf, pts in items:
        if pts is None or not txt or not txt.strip():
            continue
        txt = txt.strip()
        spaced = False
        while pos < len(text) and text[pos].isspace():
            pos, spaced = pos + 1, True
        found = text.find(txt, pos)
        if found >= 0 and found - pos <= 2:
            spaced = spaced or any(c.isspace() for c in text[pos:found])
            pos = found + len(txt)
        pts = np.asarray(pts, dtype=float)
        left, right = float(pts[:, 0].min()), float(pts[:, 0].max())
        if current and (spaced or left - current[-1][3] > 0.5 * height):
            parted = parted or not spaced
            flush()
        current.append((txt, float(conf), left, right))
    flush()
    if parted:  # one detected line across cells: each word is read again from its own crop
        for w in out:
            w.parted = True  # type: ignore[attr-defined]
    return out


def read_crop(image: Image.Image) -> Reading | None:
    """One crop recognised as one line, no detection."""
    ocr = engine()
    result = ocr(_rgb(image), use_det=False, use_cls=False, use_rec=True)
    txts = getattr(result, "txts", None)
    if not txts or not txts[0].strip():
        return None
    return Reading(txts[0].strip(), float(result.scores[0]))


def session_threads() -> list[int]:
    """The intra-op threads of each loaded onnxruntime session (each one: pages run in parallel
    one per core, never a pool per page)."""
    if _ENGINE is None:
        return []
    out = []
    for part in (_ENGINE.text_det, _ENGINE.text_cls, _ENGINE.text_rec):
        session = getattr(getattr(part, "session", None), "session", None)
        if session is not None:
            out.append(session.get_session_options().intra_op_num_threads)
    return out
