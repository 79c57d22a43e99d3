"""portfolio.html over many factories: how long the page takes to open in Debian's chromium
(issue 24: 1,000 factories under 3 s), against the baseline of an empty portfolio opened the same way.

    .venv/bin/python bench/portfolio.py [--factories 1000] [--runs 12]
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from preaudit.app import portfolio as pf  # noqa: E402
from preaudit.core.storage import LocalStorage  # noqa: E402

RULES = ["LAB-MIN-WAGE", "LAB-HOURS-DAY-MAX", "LAB-OT-MONTH-MAX", "LAB-REST-DAY", "INT-UNIFORM-PUNCHES", "DQ-COVERAGE"]
SEVERITY = {"LAB-MIN-WAGE": "critical", "INT-UNIFORM-PUNCHES": "major", "DQ-COVERAGE": "major"}


def synthetic(root: Path, factories: int, runs: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    store = LocalStorage(root)
    for f in range(factories):
        name = f"F-{f:05d}"
        for r in range(runs):
            rules = {rule: {"severity": SEVERITY.get(rule, "minor"),
                            "category": "integrity" if rule.startswith("INT") else "data_quality" if rule.startswith("DQ")
                            else "wages", "affected": rnd.randint(1, 40), "months": ["2026-03"], "findings": 5, "open": 0}
                     for rule in rnd.sample(RULES, rnd.randint(0, 4))}
            summary = {"factory": name, "factory_id": name, "name": name, "country": rnd.choice(["CN", "BD", "VN", "IN"]),
                       "jurisdiction": "CN", "standards": [rnd.choice(["sa8000", "amfori-bsci", "rba"])],
                       "run_id": f"r{r:03d}", "generated_at": f"2026-{1 + r // 28:02d}-{1 + r % 28:02d}T02:00:00+00:00",
                       "status": "audited", "documents": {"total": 30, "read": 29}, "gaps": [], "gap_count": 0,
                       "new": rnd.randint(0, 5), "resolved": rnd.randint(0, 5), "counts": {"critical": 1}, "categories": {},
                       "rules": rules, "report": f"{name}/r{r:03d}/report.html"}
            store.write(f"{name}/history/r{r:03d}.json", json.dumps(summary).encode())


def open_seconds(page_path: Path) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(page_path.as_uri())
        page.wait_for_selector("body[data-ready='1']", timeout=60000)
        took = time.perf_counter() - start
        browser.close()
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--factories", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=12)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        empty = root / "empty"
        empty.mkdir()
        pf.write_portfolio(LocalStorage(empty), "2026-12-01T02:00:00+00:00")
        synthetic(root / "reports", args.factories, args.runs)
        start = time.perf_counter()
        rows = pf.write_portfolio(LocalStorage(root / "reports"), "2026-12-01T02:00:00+00:00")
        build = time.perf_counter() - start
        baseline = open_seconds(empty / "portfolio.html")
        opened = open_seconds(root / "reports" / "portfolio.html")
        size = (root / "reports" / "portfolio.html").stat().st_size
        print(f"portfolio of {len(rows)} factories × {args.runs} runs: built in {build:.2f} s, {size / 1e6:.2f} MB; "
              f"opens in {opened:.2f} s (empty page {baseline:.2f} s, ratio {opened / baseline:.1f} ×)")


if __name__ == "__main__":
    main()
