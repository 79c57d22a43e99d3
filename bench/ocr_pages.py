"""OCR benchmark: the sample pack's scanned pages (time register and security registers, 200-300
dpi, up to 3 degrees of skew, the inspection page fed in sideways), read by each engine.

    .venv/bin/python bench/ocr_pages.py [--seed 7] [--pages N] [--engines bare,rapid,preaudit]

Ground truth: the same pages before scanning (the printout's PDF, read from its text layer). For
each page and engine, the CPU seconds (this process and its Tesseract children) and the share of
the page's cell values (three characters or more: ids, dates, clock times, money, names) read
right:

- ``bare``: one bare Tesseract pass (eng+chi_sim, psm 6, no preparation); a value counts when
  it stands in the page's text;
- ``rapid``: RapidOCR alone (detection, line classifier, recognition; no preparation); the same
  count;
- ``preaudit``: preaudit's path (``extractors.pages._ocr_page``: upright, deskew, rules erased,
  RapidOCR for registers, table rebuilt, weak cells read again); a value counts when a cell of
  the table holds exactly it.

``--pages N`` repeats the pack's pages up to N (the curve over pages, one process).
"""
from __future__ import annotations

import argparse
import collections
import os
import resource
import time


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def norm(text: str) -> str:
    return "".join(str(text).split())


def pages_with_truth(seed: int):
    """(name, scanned image, truth values) for each scanned page of the sample pack."""
    import pypdfium2 as pdfium

    from extractors.headers import HeaderMapper
    from extractors.pages import read_pdf
    from preaudit.samples import render
    from preaudit.samples.generator import generate

    originals = []
    scan = render.scan

    def keep(pdf, **kwargs):
        originals.append(pdf)
        return scan(pdf, **kwargs)

    render.scan = keep
    try:
        sample = generate(style="scanned", seed=seed)
    finally:
        render.scan = scan
    mapper = HeaderMapper()
    out = []
    for path, original in zip(("time/attendance-2026-03-scan.pdf", "security/security-logs-scan.pdf"), originals):
        truth = read_pdf(original, mapper)
        for number, page in enumerate(pdfium.PdfDocument(sample.files[path]), 1):
            grid = truth[number - 1].grid
            values = [norm(v) for row in grid.rows[2:] for v in row if v is not None and len(norm(v)) >= 3]
            # (rows[0:2]: the title and the header)
            out.append((f"{path} p{number}", page.render(scale=300 / 72).to_pil(), collections.Counter(values)))
    return out


def in_text(truth: collections.Counter, text: str) -> int:
    flat = norm(text)
    return sum(min(n, flat.count(v)) for v, n in truth.items())


def in_cells(truth: collections.Counter, grid) -> int:
    got = collections.Counter(norm(v) for row in (grid.rows if grid else []) for v in row if v is not None)
    return sum((truth & got).values())


def main() -> None:
    import pytesseract

    from extractors.engines import rapid
    from extractors.headers import HeaderMapper
    from extractors.ocr import LANGUAGES
    from extractors.pages import _ocr_page

    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pages", type=int, default=0, help="repeat the pack's pages up to this many")
    parser.add_argument("--engines", default="bare,rapid,preaudit")
    args = parser.parse_args()
    engines = args.engines.split(",")
    mapper = HeaderMapper()
    pages = pages_with_truth(args.seed)
    if args.pages:
        pages = [pages[k % len(pages)] for k in range(args.pages)]
    start = cpu()
    rapid.engine()
    print(f"RapidOCR model load: {cpu() - start:.2f} CPU s (once per process); "
          f"OMP_THREAD_LIMIT={os.environ.get('OMP_THREAD_LIMIT')}")
    print(f"{'page':44} {'values':>6} " + " ".join(f"{e + ' read':>13} {'cpu s':>6}" for e in engines))
    totals = collections.defaultdict(float)
    wall = time.perf_counter()
    for name, image, truth in pages:
        n = sum(truth.values())
        cells = []
        for engine in engines:
            start = cpu()
            if engine == "bare":
                read = in_text(truth, pytesseract.image_to_string(image, lang=LANGUAGES, config="--psm 6"))
            elif engine == "rapid":
                read = in_text(truth, " ".join(w.text for w in rapid.page_words(image)))
            else:
                read = in_cells(truth, _ocr_page(image, 1, mapper).grid)
            took = cpu() - start
            totals[engine, "read"] += read
            totals[engine, "cpu"] += took
            cells.append(f"{read:6d} {100 * read / max(1, n):5.1f}% {took:6.1f}")
        totals["values"] += n
        print(f"{name:44} {n:6d} " + " ".join(cells), flush=True)
    n = totals["values"]
    print(f"{'all ' + str(len(pages)) + ' pages':44} {int(n):6d} " + " ".join(
        f"{int(totals[e, 'read']):6d} {100 * totals[e, 'read'] / max(1, n):5.1f}% {totals[e, 'cpu']:6.1f}" for e in engines))
    print("CPU s per page: " + ", ".join(f"{e} {totals[e, 'cpu'] / len(pages):.1f}" for e in engines)
          + f"; wall {time.perf_counter() - wall:.0f} s")


if __name__ == "__main__":
    main()
