"""OCR benchmark: the sample pack's scanned pages (time register and security registers, 200-300
dpi, up to 3 degrees of skew), read the way preaudit reads them.

    .venv/bin/python bench/ocr_pages.py [--seed 7]

For each page: seconds for the whole reading (turned upright, deskewed, rules erased, one
Tesseract pass, table rebuilt, second readings of weak, rejected and lost cells) and its ratio to
two baselines measured in the same run on the same image: one bare Tesseract pass (eng+chi_sim,
psm 6, no preparation: the target's baseline, BENCHMARKS.md) and preaudit's own first reading
(``recognise``: the preparation and that pass). Single-threaded per page: the pipeline runs one
page per core.
"""
from __future__ import annotations

import argparse
import time


def main() -> None:
    import pypdfium2 as pdfium

    from extractors.headers import HeaderMapper
    import pytesseract

    from extractors.ocr import LANGUAGES, recognise
    from extractors.pages import RENDER_DPI, _ocr_page
    from preaudit.samples.generator import generate

    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sample = generate(style="scanned", seed=args.seed)
    mapper = HeaderMapper()
    print(f"OCR benchmark, sample pack seed {args.seed}, pages rendered at {RENDER_DPI} dpi")
    print(f"{'page':44} {'cells':>6} {'seconds':>8} {'bare':>7} {'ratio':>6} {'first':>7} {'ratio':>6}")
    total = base_total = bare_total = 0.0
    for path in ("time/attendance-2026-03-scan.pdf", "security/security-logs-scan.pdf"):
        for number, page in enumerate(pdfium.PdfDocument(sample.files[path]), 1):
            image = page.render(scale=RENDER_DPI / 72).to_pil()
            start = time.perf_counter()  # the target's baseline: one bare Tesseract pass, no preparation
            pytesseract.image_to_data(image, lang=LANGUAGES, config="--psm 6")
            bare = time.perf_counter() - start
            start = time.perf_counter()
            recognise(image)
            baseline = time.perf_counter() - start
            start = time.perf_counter()
            content = _ocr_page(image, number, mapper)
            took = time.perf_counter() - start
            cells = sum(v is not None for row in content.grid.rows for v in row) if content.grid else 0
            total, base_total, bare_total = total + took, base_total + baseline, bare_total + bare
            print(f"{path + ' p' + str(number):44} {cells:6d} {took:8.1f} {bare:7.1f} {took / bare:6.2f} "
                  f"{baseline:7.1f} {took / baseline:6.2f}")
    print(f"{'all pages':44} {'':6} {total:8.1f} {bare_total:7.1f} {total / bare_total:6.2f} "
          f"{base_total:7.1f} {total / base_total:6.2f}")


if __name__ == "__main__":
    main()
