"""OCR engines behind one small interface: the words of a page with boxes and confidences, and the
text of one crop.

Two engines: Tesseract (pytesseract over Debian's tesseract-ocr, eng + chi_sim; one process per
call) and RapidOCR (PyPI ``rapidocr``: the PP-OCR detection, line-orientation and recognition
models ship as ONNX files inside its wheel, run by onnxruntime on the CPU; nothing is downloaded).
Each is loaded once per process and shared by its OCR threads: RapidOCR's model load is paid once,
never per page or per cell.

Threads: the process reads at most ``cores()`` pages at once (``extractors.pages.OCR_SLOTS``), and
each engine call uses one thread (onnxruntime's intra- and inter-op pools of 1, Tesseract's
OpenMP limited by OMP_THREAD_LIMIT=1), so OCR threads never outnumber the cores given.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per tesseract; parallel across pages


def cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass
class Reading:
    text: str
    conf: float  # mean of the reading's word confidences: one weak glyph of two is not a misread


def rapid_available() -> bool:
    try:
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True
