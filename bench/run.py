"""The benchmark cases of BENCHMARKS.md, each against a baseline measured in the same run.

    .venv/bin/python bench/run.py [--smoke] [--cases fixed,scale,rerun,night] [--sizes 100,500,1500]

Every case generates its inputs, runs once to warm up, then ``--repeat`` times, and prints the
median, the baseline's median and their ratio. Each pack size runs in a child process, so its
peak RSS is its own. ``--smoke`` (CI) runs every case once on tiny inputs: it proves the cases
still run, not how fast they are.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CLI = Path(sys.executable).with_name("preaudit")
ENV = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def timed(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls after one warm-up call."""
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


_PEAK = "\nimport resource as _r\nprint(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss)\n"


def in_child(code: str) -> tuple[dict, float]:
    """Run ``code`` (which prints one JSON object) in a fresh interpreter: (that object, the
    child's own peak RSS in MB)."""
    out = subprocess.run([sys.executable, "-c", code + _PEAK], capture_output=True, text=True, env=ENV, cwd=ROOT,
                         check=True)
    *_, result, peak_kb = out.stdout.strip().splitlines()
    return json.loads(result), int(peak_kb) / 1024


def fixed_cost(repeat: int, folder: Path) -> list[tuple]:
    """``preaudit run`` on a pack that holds only factory.yaml, Prefect's ephemeral server included,
    against starting the interpreter with preaudit's CLI imported."""
    pack = folder / "empty"
    pack.mkdir(parents=True, exist_ok=True)
    (pack / "factory.yaml").write_text("factory_id: F-EMPTY\njurisdiction: CN-SH\naudit_date: 2026-04-15\n"
                                       "period: {start: 2026-03-01, end: 2026-03-31}\n", encoding="utf-8")

    def run():
        subprocess.run([str(CLI), "run", str(pack), "--out", str(folder / "empty-out")], env=ENV, check=True,
                       capture_output=True)

    def baseline():
        subprocess.run([sys.executable, "-c", "import preaudit.cli"], env=ENV, check=True)

    return [("preaudit run, empty pack (Prefect included)", timed(run, repeat), timed(baseline, repeat), None)]


_SCALE = """
import json, tempfile, time
from pathlib import Path
import polars as pl
from bench.factory_year import write_pack
from preaudit import outputs, pipeline
from preaudit.cache import ExtractCache
from preaudit.packs import load_packs
from preaudit.storage import LocalStorage
folder = Path(tempfile.mkdtemp(prefix="preaudit-bench-"))
write_pack(folder, {workers})
t0 = time.perf_counter()
for name in ("time.csv", "gate.csv", "roster.csv", "pay.csv"):
    pl.read_csv(folder / name, infer_schema=False)
floor = time.perf_counter() - t0
storage, packs = LocalStorage(folder), load_packs()
cache = ExtractCache(LocalStorage(folder / "cache"))
def run():
    start = time.perf_counter()
    profile = pipeline.load_profile(storage, packs)
    hits = 0
    extracted = []
    for d in pipeline.discover(storage, profile.limits):
        e, hit = pipeline.extract_cached(storage, d, profile.reading_options(d.path), cache)
        extracted.append(e); hits += hit
    read = time.perf_counter() - start
    context, findings, review = pipeline.validate(profile, extracted, packs)
    rules = time.perf_counter() - start - read
    result = pipeline.make_result(profile, context, extracted, findings, review)
    outputs.write_outputs(result, LocalStorage(folder / "out"), source=storage)
    return time.perf_counter() - start, read, rules, len(findings), hits
cold = run()
warm = run()
t0 = time.perf_counter()
pipeline.pack_fingerprint(storage)  # what a nightly run pays to see that a pack is unchanged
unchanged = time.perf_counter() - t0
print(json.dumps({{"cold": cold, "warm": warm, "floor": floor, "unchanged": unchanged}}))
"""


def scale(sizes: list[int]) -> list[tuple]:
    """End to end from exports (extract, rules, findings.json/csv and report.html) per factory size,
    cold and again over the unchanged pack; against polars.read_csv of the same CSVs."""
    rows = []
    for workers in sizes:
        got, peak = in_child(_SCALE.format(workers=workers))
        total, read, rules, findings, _ = got["cold"]
        rows.append((f"factory of {workers:,} workers × 12 months, end to end ({findings:,} findings)",
                     total, got["floor"], f"peak RSS {peak:,.0f} MB"))
        rows.append(("  of which reading the documents", read, got["floor"], None))
        rows.append(("  of which the rules", rules, None, None))
        warm_total, warm_read, _, _, hits = got["warm"]
        rows.append((f"  re-run over the unchanged pack ({hits} documents from the cache)", warm_total, total,
                     f"reading {warm_read:.2f} s"))
        rows.append(("  nightly: telling the pack is unchanged (then skipped)", got["unchanged"], total, None))
    return rows


_NIGHT = """
import json, tempfile, time
from pathlib import Path
from flows.audit import audit_pack
from preaudit.samplegen import generate
root = Path(tempfile.mkdtemp(prefix="preaudit-night-"))
packs = []
for k in range({packs}):
    sample = generate(style="en", seed=k + 1)
    sample.write(root / f"pack-{{k}}")
    packs.append(root / f"pack-{{k}}")
times = []
start = time.perf_counter()
for k, pack in enumerate(packs):
    t = time.perf_counter()
    audit_pack(str(pack), out=str(root / f"out-{{k}}"), cache=str(root / "cache" / str(k)))
    times.append(time.perf_counter() - t)
print(json.dumps({{"wall": time.perf_counter() - start, "each": times}}))
"""


def night(packs: int) -> list[tuple]:
    """A night of small factory packs (50 workers, 3 months each) audited one after another through
    the Prefect flow in one process; the first pack's time includes starting Prefect."""
    got, peak = in_child(_NIGHT.format(packs=packs))
    each = got["each"]
    steady = statistics.median(each[1:]) if len(each) > 1 else each[0]
    return [(f"a night of {packs} packs through audit_pack (wall)", got["wall"], None, f"peak RSS {peak:,.0f} MB"),
            ("  per pack after the first (median)", steady, None, None),
            ("  the first pack (Prefect starts)", each[0], steady, None)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="every case once on tiny inputs (CI)")
    parser.add_argument("--cases", default="fixed,scale,night")
    parser.add_argument("--sizes", default="100,500,1500")
    parser.add_argument("--night", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases = args.cases.split(",")
    repeat = 1 if args.smoke else args.repeat
    sizes = [25] if args.smoke else [int(s) for s in args.sizes.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="preaudit-bench-"))
    rows: list[tuple] = []
    if "fixed" in cases:
        rows += fixed_cost(repeat, folder)
    if "scale" in cases:
        rows += scale(sizes)
    if "night" in cases:
        rows += night(2 if args.smoke else args.night)
    print(f"preaudit benchmarks — {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{'case':72} {'seconds':>8} {'baseline':>9} {'ratio':>7}  note")
    for name, took, base, note in rows:
        ratio = f"{took / base:7.2f}" if base else f"{'':7}"
        print(f"{name:72} {took:8.2f} {base if base is not None else float('nan'):9.2f} {ratio}  {note or ''}")


if __name__ == "__main__":
    main()
