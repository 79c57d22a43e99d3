"""Factory-year benchmark: ~1,500 workers × 12 months (≈ 470k worked days, ≈ 940k gate events).

    .venv/bin/python bench/factory_year.py [--workers 1500] [--keep DIR]

Each stage is reported in seconds and as a ratio to a baseline measured in the same run on the
same files: extraction against polars.read_csv of the same CSV (the floor for reading it at all),
the rules against one DuckDB pass that sums every worked day's hours (the floor for touching it).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import tempfile
import time
from pathlib import Path


def write_pack(folder: Path, workers: int) -> None:
    rng = random.Random(1)
    (folder / "factory.yaml").write_text(
        "factory_id: F-BENCH\njurisdiction: CN-SH\nstandards: [sa8000, ctpat]\naudit_date: 2027-01-15\n"
        "period: {start: 2026-01-01, end: 2026-12-31}\n", encoding="utf-8")
    days = [dt.date(2026, 1, 1) + dt.timedelta(k) for k in range(365)]
    days = [d for d in days if d.weekday() < 5]
    with (folder / "time.csv").open("w", newline="", encoding="utf-8") as t, \
            (folder / "gate.csv").open("w", newline="", encoding="utf-8") as g:
        tw, gw = csv.writer(t), csv.writer(g)
        tw.writerow(["工号", "日期", "上班1", "下班1", "上班2", "下班2"])
        gw.writerow(["工号", "刷卡时间", "进出"])
        for i in range(workers):
            for d in days:
                a, b = 470 + rng.randrange(10), 1020 + rng.randrange(60)
                tw.writerow([f"E{i:05d}", d.isoformat(), f"{a // 60:02d}:{a % 60:02d}", "12:00", "13:00",
                             f"{b // 60:02d}:{b % 60:02d}"])
                gin, gout = a - rng.randrange(5, 40), b + rng.randrange(5, 80)
                gw.writerow([f"E{i:05d}", f"{d} {gin // 60:02d}:{gin % 60:02d}", "in"])
                gw.writerow([f"E{i:05d}", f"{d} {gout // 60:02d}:{gout % 60:02d}", "out"])
    with (folder / "roster.csv").open("w", newline="", encoding="utf-8") as r:
        w = csv.writer(r)
        w.writerow(["Emp No", "Name", "Date of Birth"])
        w.writerows([f"E{i:05d}", "x", "1990-01-01"] for i in range(workers))
    with (folder / "pay.csv").open("w", newline="", encoding="utf-8") as p:
        w = csv.writer(p)
        w.writerow(["Emp No", "Period", "Basic Salary", "Regular Hours", "OT Hours", "Gross Pay", "Net Pay"])
        w.writerows([f"E{i:05d}", f"2026-{m:02d}", 3000, 170, 10, 3000, 3000]
                    for i in range(workers) for m in range(1, 13))


def report_rows(result, storage, folder: Path) -> list[tuple[str, float, float]]:
    """report.html: writing it (against json.dumps of findings.json) and, where chromium is
    installed, opening it until its script has run (against an empty page in the same browser)."""
    import json
    import shutil

    from preaudit.app.outputs import findings_document
    from preaudit.app.report import render_report

    document = findings_document(result)
    start = time.perf_counter()
    html = render_report(document, result, storage)
    took = time.perf_counter() - start
    start = time.perf_counter()
    json.dumps(document, ensure_ascii=False)
    baseline = time.perf_counter() - start
    path = folder / "report.html"
    path.write_text(html, encoding="utf-8")
    (folder / "empty.html").write_text("<!DOCTYPE html><title>empty</title>", encoding="utf-8")
    out = [(f"write report.html ({path.stat().st_size / 1e6:.1f} MB)", took, baseline)]
    if shutil.which("chromium"):
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            page = browser.new_page()
            start = time.perf_counter()
            page.goto((folder / "empty.html").as_uri())
            baseline = time.perf_counter() - start
            start = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_selector("body[data-ready=yes]", timeout=120_000)
            took = time.perf_counter() - start
            browser.close()
        out.append(("open report.html in chromium (script run)", took, baseline))
    return out


def main() -> None:
    import duckdb
    import polars as pl

    from preaudit.app import pipeline
    from preaudit.core.packs import load_packs
    from preaudit.core.storage import LocalStorage

    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=1500)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="preaudit-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    write_pack(folder, args.workers)
    storage, packs = LocalStorage(folder), load_packs()
    profile = pipeline.load_profile(storage, packs)
    rows = []
    extracted = []
    for doc in pipeline.discover(storage):
        start = time.perf_counter()
        pl.read_csv(folder / doc.path, infer_schema=False)
        baseline = time.perf_counter() - start
        start = time.perf_counter()
        extracted.append(pipeline.extract(storage, doc, {}))
        took = time.perf_counter() - start
        n = sum(t.df.height for t in extracted[-1].tables)
        rows.append((f"extract {doc.path} ({n:,} rows)", took, baseline))
    start = time.perf_counter()
    context, findings, run_review = pipeline.validate(profile, extracted, packs)
    took = time.perf_counter() - start
    time_rows = next(t.df for e in extracted for t in e.tables if t.kind.value == "timesheet")  # noqa: F841 - DuckDB reads it by name
    start = time.perf_counter()
    duckdb.sql("select worker_id, date, sum(coalesce(out2, 0) - coalesce(in1, 0)) from time_rows group by all").fetchall()
    baseline = time.perf_counter() - start
    rows.append((f"validate: every rule ({len(findings):,} findings)", took, baseline))
    rows += report_rows(pipeline.make_result(profile, context, extracted, findings, run_review), storage, folder)
    print(f"factory-year benchmark, {args.workers} workers, pack in {folder}")
    print(f"{'stage':58} {'seconds':>8} {'baseline':>9} {'ratio':>7}")
    for name, took, base in rows:
        print(f"{name:58} {took:8.2f} {base:9.3f} {took / base:7.1f}")


if __name__ == "__main__":
    main()
