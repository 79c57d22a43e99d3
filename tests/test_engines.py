"""The OCR engines behind preaudit's scans: RapidOCR for registers (its models ship in its wheel),
Tesseract for free text; orientation from RapidOCR's detector and classifier; never more OCR
threads than cores. Real engines on small drawn pages, no fixtures."""
from __future__ import annotations

import hashlib
import io
import os
import threading
import time

import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.engines import cores, rapid_available
from preaudit.samples.render import CJK_FONT

pytestmark = pytest.mark.skipif(not rapid_available(), reason="rapidocr/onnxruntime not installed")

HEADER_EN = ["Worker ID", "Name", "Date", "In 1", "Out 1"]
ROWS_EN = [["E1001", "刘娜", "2026-03-02", "08:00", "17:01"],
           ["E1002", "Tom Lee", "2026-03-02", "07:54", "17:06"],
           ["E1003", "胡秀英", "2026-03-03", "08:05", "18:30"]]
HEADER_ZH = ["工号", "姓名", "日期", "上班1", "下班1"]


def register(header, rows, size=(1700, 560)) -> Image.Image:
    """A small ruled register drawn at ~300 dpi sizes."""
    font = ImageFont.truetype(str(CJK_FONT), 34)
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    xs = [60, 340, 640, 960, 1230, 1500]
    top, step = 80, 90
    for k, line in enumerate([header, *rows]):
        y = top + k * step
        for x, text in zip(xs, line):
            draw.text((x + 16, y + 22), text, fill=0, font=font)
    for k in range(len(rows) + 2):
        draw.line([(xs[0], top + k * step), (xs[-1], top + k * step)], fill=0, width=2)
    for x in xs:
        draw.line([(x, top), (x, top + (len(rows) + 1) * step)], fill=0, width=2)
    return image


def _values(content):
    return [[c for c in row] for row in content.grid.rows if any(c is not None for c in row)]


def test_the_models_ship_in_the_wheel_and_load_once_per_process():
    from extractors.engines import rapid

    engine = rapid.engine()
    assert rapid.engine() is engine and rapid.LOADS[0] == 1
    import rapidocr

    models = os.path.join(os.path.dirname(rapidocr.__file__), "models")
    assert sum(f.endswith(".onnx") for f in os.listdir(models)) >= 3  # det, cls, rec: nothing downloaded
    assert rapid.session_threads() and set(rapid.session_threads()) == {1}


def test_a_register_is_read_by_rapidocr_chinese_names_and_ids_included():
    from extractors.headers import HeaderMapper
    from extractors.pages import _ocr_page

    content = _ocr_page(register(HEADER_EN, ROWS_EN), 1, HeaderMapper())
    rows = _values(content)
    assert rows[-3:] == ROWS_EN, rows
    assert all(c > 0.85 for row in content.grid.cell_confs[-3:] for c in row if c is not None)


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_a_turned_register_reads_like_the_upright_one(angle):
    from extractors.headers import HeaderMapper
    from extractors.pages import _ocr_page

    content = _ocr_page(register(HEADER_EN, ROWS_EN).rotate(angle, expand=True, fillcolor=255), 1, HeaderMapper())
    assert _values(content)[-3:] == ROWS_EN
    assert content.transform["rotated"] == angle  # as Tesseract's OSD says it: image.rotate(-angle) undoes it


def test_the_phone_photo_turned_a_quarter_is_told_upright():
    from pathlib import Path

    from extractors.engines import rapid
    from extractors.ocr import load_images

    photo = Path(__file__).resolve().parents[2] / "shared" / "realdocs" / "phone-photos" / "boston_cooking_a.jpg"
    if not photo.exists():
        pytest.skip("../shared/realdocs not present")
    (image,) = load_images(photo.read_bytes())
    assert rapid.orientation(image) == 0
    assert rapid.orientation(image.rotate(90, expand=True)) == 90  # image.rotate(-90) undoes it


def test_engines_disagreeing_on_a_deciding_value_send_it_to_review(monkeypatch):
    from extractors import cells
    from extractors.ocr import RETRY_BELOW, Reading

    image = register(HEADER_EN, ROWS_EN)
    box = (76, 190, 200, 236)  # E1001's cell
    accepts = lambda text: text[:1] == "E"  # noqa: E731
    agreed = cells.read_cell(image, box, "worker_id", Reading("E1007", 0.6), accepts, engine="rapid")
    assert agreed.text == "E1001" and agreed.conf >= RETRY_BELOW
    monkeypatch.setattr(cells, "_tesseract_cell", lambda *a, **k: Reading("E1007", 0.9))
    doubted = cells.read_cell(image, box, "worker_id", Reading("E1007", 0.9), accepts, engine="rapid")
    assert doubted.text == "E1001" and doubted.conf < RETRY_BELOW  # a person decides which


def _tesseracts() -> int:
    import psutil

    return sum(1 for p in psutil.Process().children(recursive=True) if "tesseract" in p.name())


def test_ocr_workers_stay_within_the_cores_while_a_two_language_pack_is_read():
    """Four scanned documents (English and Chinese registers, a free-text page read by Tesseract)
    read at once: live tesseract processes never above the cores, onnxruntime sessions each on one
    thread, the process's threads never more than the readers' pools and the engine's own."""
    from extractors import read_document
    from extractors.headers import HeaderMapper
    from extractors.engines import rapid
    from preaudit.core.model import Document

    def tiff(*pages) -> bytes:
        buf = io.BytesIO()
        pages[0].save(buf, "TIFF", save_all=True, append_images=list(pages[1:]), dpi=(300, 300))
        return buf.getvalue()

    font = ImageFont.truetype(str(CJK_FONT), 40)
    letter = Image.new("L", (1400, 500), 255)
    ImageDraw.Draw(letter).text((60, 60), "Certificate of training\nissued to the factory's staff", fill=0, font=font)
    docs = [tiff(register(HEADER_EN, ROWS_EN), register(HEADER_ZH, ROWS_EN)),
            tiff(register(HEADER_ZH, ROWS_EN)), tiff(letter), tiff(register(HEADER_EN, ROWS_EN).rotate(90, expand=True))]
    rapid.engine()
    baseline = threading.active_count()
    peak = {"tesseract": 0, "threads": 0, "python": 0}
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak["tesseract"] = max(peak["tesseract"], _tesseracts())
            peak["threads"] = max(peak["threads"], len(os.listdir("/proc/self/task")))
            peak["python"] = max(peak["python"], threading.active_count() - baseline - 1)
            time.sleep(0.02)

    watcher = threading.Thread(target=watch)
    watcher.start()
    results = [None] * len(docs)

    def one(k):
        data = docs[k]
        doc = Document(f"scan{k}.tiff", hashlib.sha256(data).hexdigest(), len(data), "image")
        results[k] = read_document(doc, data, HeaderMapper())

    readers = [threading.Thread(target=one, args=(k,)) for k in range(len(docs))]
    for t in readers:
        t.start()
    for t in readers:
        t.join()
    done.set()
    watcher.join()
    assert peak["tesseract"] <= cores(), peak
    assert set(rapid.session_threads()) == {1} and rapid.LOADS[0] == 1
    assert all(r is not None for r in results)
    from extractors.pages import OCR_SLOTS

    assert OCR_SLOTS._initial_value == cores()
