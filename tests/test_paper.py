"""Digital PDFs, scans and photos: real public documents (../shared/realdocs) and generated packs
with known ground truth."""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from pathlib import Path

import pytest

from extractors import read_document, sniff_format
from extractors.headers import HeaderMapper
from preaudit.core.model import DocStatus, Document
from tests.support.browser import SCREENSHOTS, browser_page

REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"


def realdocs() -> Path:
    if not REALDOCS.exists():
        pytest.skip("../shared/realdocs not present")
    return REALDOCS


def read(path: Path, name: str | None = None):
    data = path.read_bytes()
    name = name or path.name
    doc = Document(name, hashlib.sha256(data).hexdigest(), len(data), sniff_format(name, data[:16]))
    return read_document(doc, data, HeaderMapper())


def test_every_real_document_is_read_or_reported_with_a_reason():
    root = realdocs()
    files = [f for f in sorted(root.rglob("*")) if f.is_file() and f.name not in ("MANIFEST.md", "SHA256SUMS")
             and not f.name.startswith("LICENSE")]
    assert len(files) > 50
    for f in files:
        result = read(f, str(f.relative_to(root)))
        report = result.report
        assert report.status is DocStatus.OK or report.reason, f
        assert (report.status is DocStatus.OK) == bool(result.tables), f


def word_accuracy(truth: str, words: list[str]) -> float:
    expected = re.findall(r"\S+", truth)
    matcher = difflib.SequenceMatcher(a=expected, b=words, autojunk=False)
    return sum(b.size for b in matcher.get_matching_blocks()) / len(expected)


# floors measured with eng+chi_sim, the languages preaudit runs (see realdocs MANIFEST §3 for the
# eng-only baseline); a drop below them is a regression
@pytest.mark.parametrize("image,truth,floor", [
    ("tesseract-ocr-test/phototest.tif", "tesseract-ocr-test/phototest.txt", 0.98),
    ("tesseract-ocr-test/phototest-rotated-180.png", "tesseract-ocr-test/phototest.txt", 0.98),
    ("tesseract-ocr-test/phototest-rotated-L.png", "tesseract-ocr-test/phototest.txt", 0.98),
    ("tesseract-ocr-test/phototest-rotated-R.png", "tesseract-ocr-test/phototest.txt", 0.98),
    ("pytesseract-formats/test.jpg", "tesseract-ocr-test/phototest.txt", 0.98),
    ("pytesseract-formats/test.webp", "tesseract-ocr-test/phototest.txt", 0.98),
    ("pytesseract-formats/test.png", "tesseract-ocr-test/phototest.txt", 0.98),
    ("pytesseract-formats/test.gif", "tesseract-ocr-test/phototest.txt", 0.98),
    ("pytesseract-formats/test.tiff", "tesseract-ocr-test/phototest.txt", 0.98),
    ("pytesseract-formats/test.jpeg2000", "tesseract-ocr-test/phototest.txt", 0.98),
    ("tesseract-ocr-test/eurotext.tif", "tesseract-ocr-test/eurotext.txt", 0.80),
    ("pytesseract-formats/test-european.jpg", "tesseract-ocr-test/eurotext.txt", 0.85),  # measured 0.864
])
def test_ocr_word_accuracy_floor(image, truth, floor):
    from PIL import Image

    from extractors.ocr import ocr_image

    root = realdocs()
    page = ocr_image(Image.open(root / image))
    assert word_accuracy((root / truth).read_text(encoding="utf-8"), [w.text for w in page.words]) >= floor


def words_found(truth: str, words: list[str]) -> float:
    """Share of the truth's words read, in any order: a multi-column page is read line by line
    across its columns (a table's reading), so word order says nothing there."""
    import collections

    expected, got = collections.Counter(re.findall(r"\S+", truth)), collections.Counter(words)
    return sum((expected & got).values()) / sum(expected.values())


# real 300-dpi scans of multi-column magazine pages (UNLV-ISRI); measured 0.887 and 0.938
@pytest.mark.parametrize("image,floor", [("8087_054.3B", 0.88), ("8071_093.3B", 0.93)])
def test_ocr_words_found_on_real_multi_column_scans(image, floor):
    from PIL import Image

    from extractors.ocr import ocr_image

    root = realdocs() / "tesseract-ocr-test"
    page = ocr_image(Image.open(root / f"{image}.tif"))
    truth = (root / f"{image}.txt").read_text(encoding="utf-8", errors="replace")
    assert words_found(truth, [w.text for w in page.words]) >= floor


def test_real_phone_photo_of_a_curled_page_is_turned_by_exif_and_read():
    """No ground truth ships with it (MANIFEST §2.3); its heading must be read once EXIF has
    turned it upright (stored sideways: read as stored, it yields nothing)."""
    from extractors.ocr import load_images, ocr_image

    (image,) = load_images((realdocs() / "phone-photos" / "boston_cooking_a.jpg").read_bytes())
    assert image.height > image.width  # EXIF orientation 6 applied: the page stands upright
    text = " ".join(w.text for w in ocr_image(image).words)
    assert "Braised Chicken" in text and "BOSTON" in text and "Giblet" in text


def test_a_rotated_pdf_page_reads_like_the_upright_one():
    from extractors.pages import read_pdf

    root = realdocs() / "pdfplumber-tests"
    upright = read_pdf((root / "nics-background-checks-2015-11.pdf").read_bytes(), HeaderMapper())[0]
    rotated = read_pdf((root / "nics-background-checks-2015-11-rotated.pdf").read_bytes(), HeaderMapper())[0]
    numbers = lambda page: sorted(w.text for w in page.words if re.fullmatch(r"[\d,]+", w.text))  # noqa: E731
    assert len(numbers(upright)) > 300 and numbers(rotated) == numbers(upright)
    assert "November - 2015" in rotated.text


# seed 16: a second reading whose margin reached into the next glyph read 6月 as 6月月
@pytest.mark.parametrize("seed", [1, 16])
def test_phone_photo_license_with_exif_orientation(seed):
    from preaudit.samples import render
    from preaudit.samples.generator import LICENSES, _license_lines

    result = read_document(Document("license.jpg", "0" * 64, 1, "image"),
                           render.photo(_license_lines(*LICENSES[0]), seed=seed), HeaderMapper())
    (table,) = result.tables
    row = table.df.row(0, named=True)
    assert row["license_type"] == "business_license" and row["holder_uscc"] == LICENSES[0][4]
    assert row["valid_until"].isoformat() == "2045-06-30" and row["holder_name"] == LICENSES[0][3]
    assert 0 < row["conf:holder_uscc"] < 1 and row["_bbox_unit"] == "px" and row["_bbox"] is not None


@pytest.fixture(scope="module")
def scanned_folder(tmp_path_factory):
    from preaudit.samples.generator import generate

    sample = generate(style="scanned", seed=7)  # the demo's pack
    folder = tmp_path_factory.mktemp("scanned")
    sample.write(folder)
    return sample, folder


@pytest.fixture(scope="module")
def scanned_pack(scanned_folder):
    from preaudit.app.pipeline import audit
    from preaudit.core.storage import LocalStorage

    sample, folder = scanned_folder
    return sample, audit(LocalStorage(folder))


def test_registers_in_digital_pdfs_run_over_pages(scanned_pack):
    sample, result = scanned_pack
    time_doc = next(d for d in result.documents if d.path == "time/attendance-2026-03.pdf")
    assert time_doc.status is DocStatus.OK and time_doc.kind == "timesheet" and time_doc.pages > 10


def test_a_pdf_holding_three_kinds_of_document(scanned_pack):
    _, result = scanned_pack
    scan = next(d for d in result.documents if d.path == "security/security-logs-scan.pdf")
    assert scan.kind == "mixed"
    kinds = {s.page: s.kind for s in scan.parts if s.kind}
    assert kinds == {1: "visitor_log", 2: "seal_log", 3: "container_inspection"}
    notes = [s.note or "" for s in scan.pages_read if s.source == "ocr"]
    assert any(n.startswith("turned 90°") for n in notes)  # the page fed in sideways


def test_scanned_pack_recall_and_precision_per_rule(scanned_pack):
    sample, result = scanned_pack
    truth = {t.key() for t in sample.truth}
    found = {f.key() for f in result.findings}
    rules = {k[0] for k in truth}
    assert len(rules) >= 30  # the pack seeds (nearly) the whole catalogue
    for rule in sorted(rules | {k[0] for k in found}):
        expected, got = {k for k in truth if k[0] == rule}, {k for k in found if k[0] == rule}
        recall = len(expected & got) / len(expected) if expected else 1.0
        precision = len(expected & got) / len(got) if got else 1.0
        assert recall >= 0.9 and precision >= 0.95, (rule, sorted(expected - got), sorted(got - expected))


def _misread_of(read: str, printed: str) -> bool:
    """``read`` is ``printed`` with some characters read wrong (a name OCR'd under the review floor)."""
    return difflib.SequenceMatcher(None, read, printed).ratio() >= 0.5


def _same_subject(review: dict[str, str], twin: dict[str, str]) -> bool:
    """The same worker (or visitor, seal, document): the same worker id exactly; any other subject
    has the same keys and parts (``name|date``), a text part possibly misread, a date part exact."""
    if review.keys() != twin.keys():
        return False
    if "worker_id" in twin:
        return review["worker_id"] == twin["worker_id"]
    for key, value in twin.items():
        for got, want in zip(review[key].split("|"), value.split("|"), strict=False):
            if got != want and (re.fullmatch(r"[\d-]+", want) or not _misread_of(got, want)):
                return False
        if review[key].count("|") != value.count("|"):
            return False
    return True


def _missed_without_excuse(truth: set[tuple], findings: list) -> list[str]:
    """The twin's findings the scan did not give and nothing excuses: a missed finding is excused only
    by a needs_review finding of the same rule, period and subject (its name possibly misread), or by
    a needs_review DQ-UNPARSED-VALUE on a scanned cell of that subject's record."""
    got = {f.key() for f in findings}
    review = [f for f in findings if f.needs_review]
    unexcused = []
    for rule, subject, start in sorted(truth - got, key=str):
        subject = dict(subject)
        same = [f for f in review if f.rule_id == rule and (f.period or {}).get("start") == start
                and _same_subject(f.subject, subject)]
        names = [v.split("|")[0] for v in subject.values()]
        unreadable = [f for f in review if f.rule_id == "DQ-UNPARSED-VALUE" and any(
            e.page and any(n and n in (e.text or "") for n in names) for e in f.evidence)]
        if not same and not unreadable:
            others = [(f.rule_id, f.subject, (f.period or {}).get("start")) for f in review if f.rule_id == rule]
            unexcused.append(f"{rule} {subject} {start}: missing from the scan; review findings of that rule: {others}")
    return unexcused


def test_scanned_pack_matches_its_spreadsheet_twin_except_findings_for_review(scanned_pack):
    sample, result = scanned_pack
    truth = {t.key() for t in sample.truth}  # the same data as spreadsheets: the twin's findings
    confident = {f.key() for f in result.findings if not f.needs_review}
    assert confident <= truth, sorted(confident - truth)
    unexcused = _missed_without_excuse(truth, result.findings)
    assert not unexcused, "\n".join(unexcused)
    for f in (f for f in result.findings if f.needs_review):  # each is there because a deciding value was read with low confidence
        assert min(e.confidence for e in f.evidence) < 0.70 and all(e.bbox for e in f.evidence if e.page)


def test_a_missed_finding_is_excused_only_by_a_review_finding_of_its_own_subject():
    """The excuse above, on hand-made findings: another worker's review finding of the same rule and
    month excuses nothing; the same visitor with a misread name, or an unreadable cell of theirs, does."""
    from preaudit.core.model import Evidence, Finding

    def finding(rule, subject, start, review=True, text=None):
        evidence = [Evidence(document="scan.pdf", sha256="0" * 64, page=1, row=3, text=text or "", confidence=0.5,
                             bbox=(0, 0, 1, 1))]
        return Finding(rule_id=rule, severity="major", category="security", subject=subject,
                       period={"start": start, "end": start}, measured=None, limit=None, unit=None,
                       message="", sources=[], needs_review=review, evidence=evidence)

    missed = ("SEC-VISITOR-ID", (("visitor", "赵磊|2026-04-08"),), "2026-04-08")
    worker = ("LAB-HOURS-DAY-MAX", (("worker_id", "E1001"),), "2026-03-02")
    other_visitor = finding("SEC-VISITOR-ID", {"visitor": "李明|2026-04-08"}, "2026-04-08")
    other_worker = finding("LAB-HOURS-DAY-MAX", {"worker_id": "E1002"}, "2026-03-02")
    assert len(_missed_without_excuse({missed, worker}, [other_visitor, other_worker])) == 2
    misread = finding("SEC-VISITOR-ID", {"visitor": "赵石|2026-04-08"}, "2026-04-08")
    other_day = finding("SEC-VISITOR-ID", {"visitor": "赵磊|2026-04-09"}, "2026-04-08")
    assert _missed_without_excuse({missed}, [misread]) == []
    assert len(_missed_without_excuse({missed}, [other_day])) == 1
    assert len(_missed_without_excuse({missed}, [finding("SEC-VISITOR-ID", {"visitor": "赵石|2026-04-08"},
                                                         "2026-04-08", review=False)])) == 1
    unparsed = finding("DQ-UNPARSED-VALUE", {"document": "scan.pdf"}, "2026-03-02",
                       text="worker_id=E1001; date=2026-03-02; out1=1?:3O")
    assert _missed_without_excuse({worker}, [unparsed]) == []


def _scanned_logs_cells(**scan) -> tuple[int, int, int]:
    """(cells read right, cells, cells read wrong with confidence above the review floor) for the
    sample pack's three security logs, printed as the pack prints them (English registers with
    short Chinese names, and a Chinese seal register) and scanned with ``scan`` settings."""
    import random

    from extractors import read_document
    from preaudit.samples import generator as samplegen, render
    from preaudit.samples.generator import LOG_HEADERS, SCANNED_LOGS, _cell, _pdf_value

    logs = {"visitors": samplegen._visitor_rows(random.Random(0)), "seals": samplegen._seal_rows(),
            "inspections": samplegen._inspection_rows()}
    chinese = {stem: any(ord(c) > 0x3000 for c in title) for stem, title in SCANNED_LOGS.items()}
    assert any(chinese.values()) and not all(chinese.values())

    def printed(stem, row, field):
        return _cell(row.get(field), "zh-gbk", field) if chinese[stem] else _pdf_value(row.get(field))

    pages = [render.table_pdf(title, list(LOG_HEADERS[stem]["zh" if chinese[stem] else "en"].values()),
                              [[printed(stem, r, f) for f in LOG_HEADERS[stem]["en"]] for r in logs[stem]],
                              landscape=True, font_size=10) for stem, title in SCANNED_LOGS.items()]
    data = render.scan(samplegen._concat_pdfs(pages), seed=3, **scan)
    result = read_document(Document("scan.pdf", "0" * 64, len(data), "pdf"), data, HeaderMapper())
    right = total = confident_wrong = 0
    for table, (stem, rows) in zip(result.tables, logs.items()):
        assert len(table.df) == len(rows)
        for field in LOG_HEADERS[stem]["en"]:
            for raw, conf, row in zip(table.df[f"raw:{field}"], table.df[f"conf:{field}"], rows):
                total += 1
                ok = (raw or "").replace(" ", "") == str(printed(stem, row, field)).replace(" ", "")
                right += ok
                confident_wrong += not ok and conf >= 0.70
    return right, total, confident_wrong


def test_clean_scan_cell_accuracy_floor():
    """Issue 3's target: 98 % of cells exactly right on a clean 300-dpi scan. Measured 216 of 217
    (one short Chinese name misread, with low confidence)."""
    right, total, confident_wrong = _scanned_logs_cells(dpi=300, max_skew=0, noise=0, jpeg_quality=95)
    assert right / total >= 0.98 and confident_wrong == 0


def test_poor_scan_cell_accuracy_floor():
    """The generator's worst scan: 200 dpi, 3° of skew, noise, JPEG. Measured 217 of 217 (0.991
    before header cells were read again; its misreads came with confidence below the floor)."""
    right, total, confident_wrong = _scanned_logs_cells(dpi=200, max_skew=3.0, noise=6.0, jpeg_quality=85)
    assert right / total >= 0.98 and confident_wrong == 0


def test_a_multi_page_tiff_holding_two_registers():
    """Fax-style TIFF: every frame is a page; each page's table is read on its own."""
    import io

    import pypdfium2 as pdfium

    from preaudit.samples import generator as samplegen, render
    from preaudit.samples.generator import LOG_HEADERS, _pdf_value

    seals, inspections = samplegen._seal_rows(), samplegen._inspection_rows()
    pages = [render.table_pdf(stem.title(), list(LOG_HEADERS[stem]["en"].values()),
                              [[_pdf_value(r.get(f)) for f in LOG_HEADERS[stem]["en"]] for r in rows],
                              landscape=True, font_size=10)
             for stem, rows in (("seals", seals), ("inspections", inspections))]
    frames = [p.render(scale=200 / 72).to_pil().convert("L") for p in pdfium.PdfDocument(samplegen._concat_pdfs(pages))]
    buf = io.BytesIO()
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_deflate", dpi=(200, 200))
    result = read_document(Document("logs.tiff", "0" * 64, len(buf.getvalue()), "image"), buf.getvalue(), HeaderMapper())
    assert result.report.pages == 2 and result.report.kind == "mixed"
    by_kind = {t.kind.value: t.df for t in result.tables}
    assert by_kind["seal_log"]["seal_no"].to_list() == [r["seal_no"] for r in seals]
    assert by_kind["container_inspection"]["container_no"].to_list() == [r["container_no"] for r in inspections]
    assert set(by_kind["seal_log"]["_page"]) == {1} and set(by_kind["container_inspection"]["_page"]) == {2}


def test_pages_with_a_text_layer_never_go_through_ocr(monkeypatch):
    from extractors import ocr
    from preaudit.samples import generator as samplegen, render
    from preaudit.samples.generator import LOG_HEADERS, _pdf_value

    def no_ocr(*args, **kwargs):
        raise AssertionError("a page with a text layer was sent to OCR")

    monkeypatch.setattr(ocr, "recognise", no_ocr)
    seals = samplegen._seal_rows()
    data = render.table_pdf("Seals", list(LOG_HEADERS["seals"]["en"].values()),
                            [[_pdf_value(r.get(f)) for f in LOG_HEADERS["seals"]["en"]] for r in seals])
    result = read_document(Document("seals.pdf", "0" * 64, len(data), "pdf"), data, HeaderMapper())
    (table,) = result.tables
    assert table.df["seal_no"].to_list() == [r["seal_no"] for r in seals]
    assert table.df["_bbox_unit"].unique().to_list() == ["pt"] and set(table.df["conf:seal_no"]) == {1.0}


def test_ocr_slots_are_shared_by_every_document_read_at_once(monkeypatch):
    """Several scanned documents at once must not start a Tesseract per core each."""
    import os
    import threading
    import time

    from extractors import pages

    running, peak, lock = [0], [0], threading.Lock()

    def fake_page(image, number, mapper, timeout=None, languages=None):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return pages.PageContent(number, None, "", [], "px", True, 0.0, None)

    monkeypatch.setattr(pages, "_ocr_page", fake_page)
    # one slot for the process: four documents of four pages must then OCR one page at a time (each
    # document's own pool has a worker per core, so pages that skipped the slots would overlap)
    monkeypatch.setattr(pages, "OCR_SLOTS", threading.BoundedSemaphore(1))
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    threads = [threading.Thread(target=pages._ocr_parallel, args=([lambda: None] * 4, [1, 2, 3, 4], None)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 1


def _with_footer_text(scanned: bytes, footer: str) -> bytes:
    """A scanning app's PDF: each page an image, plus a line of real text ("Scanned with
    CamScanner") in the text layer; the register itself is only in the image."""
    import io

    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    for page in pdfium.PdfDocument(scanned):
        pdf.drawImage(ImageReader(page.render(scale=200 / 72).to_pil()), 0, 0, width=A4[0], height=A4[1])
        pdf.setFont("Helvetica", 7)
        pdf.drawString(24, 12, footer)
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def test_a_scan_whose_text_layer_holds_only_a_footer_is_read_from_its_image():
    """Read from its text layer, a legible scanned register came back empty or unclassified."""
    from preaudit.samples import render

    header = ["Emp No.", "AC-No.", "No.", "Name", "Date", "Clock In 1", "Clock Out 1", "Clock In 2", "Clock Out 2",
              "Total in time"]  # ZKTeco time card, dates month-first (real-exports.md)
    rows = [[n, 100 + n, n, name, f"9/{d}/2026", "7:58", "12:01", "13:02", "17:31", "08:32"]
            for n, name in ((1, "Lan"), (2, "Minh")) for d in range(1, 5)]
    data = _with_footer_text(render.scan(render.table_pdf("Time Card", header, rows, font_size=9), dpi=200, seed=3),
                             "Scanned with CamScanner")
    result = read_document(Document("card.pdf", "0" * 64, len(data), "pdf"), data, HeaderMapper())
    assert result.report.status is DocStatus.OK and result.report.kind == "timesheet"
    (table,) = result.tables
    assert table.df.height == 8 and table.df["_bbox_unit"][0] == "px"  # OCR'd, with boxes on the image
    assert sorted(set(table.df["date"].to_list())) == [dt.date(2026, 9, d) for d in range(1, 5)]
    assert sorted(set(table.df["in1"].to_list())) == [7 * 60 + 58]


def test_a_page_with_no_text_says_why():
    import io

    from PIL import Image

    pages = [Image.new("L", (1654, 2339), 255), Image.new("L", (1654, 2339), 20)]  # A4 at 200 dpi
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=200)
    report = read_document(Document("scan.pdf", "0" * 64, 1, "pdf"), buf.getvalue(), HeaderMapper()).report
    assert report.status is DocStatus.UNREADABLE
    assert report.reason == "no text on any page: page 1: blank page: no ink; page 2: page too dark to read: most " \
                            "of it is dark"


def test_the_demo_report_in_a_real_browser(scanned_folder, scanned_pack, tmp_path):
    """report.html of the demo pack in Debian's chromium: it renders, a filter changes the rows, a
    finding from a scanned page shows its crop, every image loads, no request leaves the page.
    Screenshots of the summary, that finding and a worker page are saved for people to look at."""
    from preaudit.app.outputs import write_outputs
    from preaudit.core.storage import LocalStorage

    _, folder = scanned_folder
    _, result = scanned_pack
    write_outputs(result, LocalStorage(tmp_path), source=LocalStorage(folder))
    report = tmp_path / "report.html"
    assert report.stat().st_size < 20_000_000
    scanned = next(f for f in result.findings  # a worker's finding resting on the scanned attendance pages
                   if f.subject.get("worker_id") and any(e.bbox and e.bbox_unit == "px" for e in f.evidence))
    with browser_page() as (page, requests):
        page.goto(report.as_uri())
        page.wait_for_selector("body[data-ready=yes]")
        assert page.locator("#title").inner_text() == f"Pre-audit of {result.profile.factory_id}"
        page.screenshot(path=str(SCREENSHOTS / "summary.png"), full_page=True)
        page.click("#tabs a[data-tab=findings]")
        rows = page.locator("#finding-rows tr.finding")
        assert rows.count() == len(result.findings)
        page.select_option("#f-severity", "critical")
        assert 0 < rows.count() == sum(f.severity == "critical" for f in result.findings)
        page.select_option("#f-severity", "")
        page.fill("#f-worker", scanned.subject["worker_id"])
        row = page.locator(f"#finding-rows tr.finding[data-rule='{scanned.rule_id}']").first
        row.click()
        crop = page.locator("tr.detail img.crop").first
        crop.wait_for()
        assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        crop.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "finding-on-a-scan.png"), full_page=True)
        page.click("#tabs a[data-tab=workers]")
        page.click(f"#worker-list a[data-worker='{scanned.subject['worker_id']}']")
        assert page.locator("#worker-page svg.bars").count() >= 1
        page.screenshot(path=str(SCREENSHOTS / "worker.png"), full_page=True)
    assert requests and all(url.startswith(("file:", "data:")) for url in requests), requests


def test_the_highlighted_crop_is_the_row_the_finding_rests_on(scanned_folder, scanned_pack):
    """The crop is cut around the evidence's box on the page as the reader measured it: OCR of the
    outlined band reads the finding's own values back."""
    import base64
    import io

    import pytesseract
    from PIL import Image

    from preaudit.app.outputs import findings_document
    from preaudit.app.report import PageImages, attach_crops, crop_key

    _, folder = scanned_folder
    _, result = scanned_pack
    from preaudit.core.storage import LocalStorage

    document = findings_document(result, unmasked=True)
    on_scan = [f for f in document["findings"] if any(e.get("bbox_unit") == "px" for e in f["evidence"])]
    crops = attach_crops(on_scan, PageImages(LocalStorage(folder), document["documents"]))
    checked = 0
    for f in on_scan[:3]:
        e = next(e for e in f["evidence"] if crop_key(e) in crops)
        image = Image.open(io.BytesIO(base64.b64decode(crops[crop_key(e)][1].split(",", 1)[1])))
        red = [(x, y) for x in range(image.width) for y in range(0, image.height, 2)
               if (lambda p: p[0] > 180 and p[1] < 90 and p[2] < 90)(image.getpixel((x, y)))]
        top, bottom = min(y for _, y in red), max(y for _, y in red)
        band = pytesseract.image_to_string(image.crop((0, top, image.width, bottom)), lang="eng+chi_sim")
        values = [p.split("=", 1)[1] for p in e["text"].split("; ") if "=" in p and p.split("=", 1)[0] != "name"]
        assert any(v and v.replace(" ", "") in band.replace(" ", "") for v in values), (band, values)
        checked += 1
    assert checked
