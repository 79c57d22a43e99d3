"""The benchmark cases of BENCHMARKS.md, each against a baseline measured in the same run.

    .venv/bin/python bench/run.py [--smoke] [--cases fixed,scale,many,large,night] [--sizes 100,500,1500] [--large-mb 50,200]

Every case generates its inputs, runs once to warm up, then ``--repeat`` times, and prints the
median, the baseline's median and their ratio. Each pack size runs in a child process, so its
peak RSS is its own. ``--smoke`` (CI) runs every case once on tiny inputs: it proves the cases
still run, not how fast they are.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
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


def in_child(code: str, env: dict | None = None) -> tuple[dict, float]:
    """Run ``code`` (which prints one JSON object) in a fresh interpreter: (that object, the
    child's own peak RSS in MB). Its output goes to files, not pipes: a server a child leaves
    behind must not keep the bench waiting for the pipe to close."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        done = subprocess.run([sys.executable, "-c", code + _PEAK], stdout=out, stderr=err, text=True,
                              env=env or ENV, cwd=ROOT)
        out.seek(0), err.seek(0)
        if done.returncode:
            raise SystemExit(f"a bench case failed:\n{err.read()[-4000:]}")
        *_, result, peak_kb = out.read().strip().splitlines()
    return json.loads(result), int(peak_kb) / 1024


@contextlib.contextmanager
def prefect_server():
    """A Prefect API server of the bench's own on a free loopback port, as an agency runs one
    (infra/): yields its PREFECT_API_URL, and is killed with its process group afterwards."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = Path(tempfile.mkdtemp(prefix="preaudit-bench-prefect-"))
    server = subprocess.Popen([str(CLI.with_name("prefect")), "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env={**ENV, "PREFECT_HOME": str(home)},
                              stdout=open(home / "server.log", "wb"), stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/health", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the Prefect server did not start; see {home / 'server.log'}")
                time.sleep(0.5)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def fixed_cost(repeat: int, folder: Path) -> list[tuple]:
    """``preaudit run`` on a pack that holds only factory.yaml, Prefect's ephemeral server included,
    against starting the interpreter with preaudit's CLI imported."""
    pack = folder / "empty"
    pack.mkdir(parents=True, exist_ok=True)
    (pack / "factory.yaml").write_text("factory_id: F-EMPTY\njurisdiction: CN-SH\naudit_date: 2026-04-15\n"
                                       "period: {start: 2026-03-01, end: 2026-03-31}\n", encoding="utf-8")

    def run(env=ENV):
        subprocess.run([str(CLI), "run", str(pack), "--out", str(folder / "empty-out")], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def baseline():
        subprocess.run([sys.executable, "-c", "import preaudit.cli"], env=ENV, check=True)

    rows = [("preaudit run, empty pack (Prefect's ephemeral server included)", timed(run, repeat),
             timed(baseline, repeat), None)]
    with prefect_server() as url:
        rows.append(("  the same against a running Prefect server (PREFECT_API_URL)",
                     timed(lambda: run({**ENV, "PREFECT_API_URL": url}), repeat), rows[0][2], None))
    return rows


_SCALE = """
import json, tempfile, time
from pathlib import Path
import polars as pl
from bench.factory_year import write_pack
from preaudit.app import outputs, pipeline
from preaudit.app.cache import ExtractCache
from preaudit.core.packs import load_packs
from preaudit.core.storage import LocalStorage
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
import json, shutil, tempfile, time
from pathlib import Path
from bench.factory_year import write_pack
from preaudit.app import outputs, pipeline
from preaudit.core.packs import load_packs
from preaudit.samples.generator import generate
from preaudit.core.storage import LocalStorage
root = Path(tempfile.mkdtemp(prefix="preaudit-night-"))
inbox = root / "inbox"
for k in range({packs}):  # mixed sizes: two sample styles (50 workers, 3 months), 20 and 60 workers × 12 months
    folder = inbox / f"F-{{k:04d}}"
    folder.mkdir(parents=True)
    if k % 4 < 2:
        generate(style=("en", "bilingual-xlsx")[k % 4], seed=k + 1).write(folder)
    else:
        write_pack(folder, (20, 60)[k % 4 - 2])
packs = load_packs()
# the baseline: the same audits (outputs included) without Prefect, one pack after another, over
# the first {baseline} packs (the mix repeats every 4), scaled to the night
start = time.perf_counter()
for folder in sorted(inbox.iterdir())[:{baseline}]:
    storage = LocalStorage(folder)
    profile = pipeline.load_profile(storage, packs)
    extracted = [pipeline.extract_cached(storage, d, profile.reading_options(d.path), None)[0]
                 for d in pipeline.discover(storage, profile.limits)]
    context, findings, review = pipeline.validate(profile, extracted, packs)
    result = pipeline.make_result(profile, context, extracted, findings, review)
    outputs.write_outputs(result, LocalStorage(root / "direct" / folder.name), source=storage)
direct = (time.perf_counter() - start) * {packs} / min({packs}, {baseline})
from flows.nightly import nightly_audit
def night(dask=None):
    for name in ("reports", "cache"):
        shutil.rmtree(root / name, ignore_errors=True)
    start = time.perf_counter()
    outcome = nightly_audit(str(root), dask=dask)
    assert set(outcome.values()) == {{"audited"}}, outcome
    return time.perf_counter() - start
one_process = night()
start = time.perf_counter()
assert set(nightly_audit(str(root)).values()) == {{"unchanged"}}
unchanged = time.perf_counter() - start
from distributed import LocalCluster
with LocalCluster(n_workers={workers}, threads_per_worker=1, processes=True, dashboard_address=None,
                  host="127.0.0.1") as cluster:
    on_dask = night(cluster.scheduler_address)
print(json.dumps({{"direct": direct, "one_process": one_process, "unchanged": unchanged, "dask": on_dask}}))
"""


_LARGE = """
import json, os, tempfile, time
from pathlib import Path
import polars as pl
from bench.large_input import write_pack
from preaudit.app import outputs, pipeline
from preaudit.core.packs import load_packs
from preaudit.core.storage import LocalStorage
folder = Path(tempfile.mkdtemp(prefix="preaudit-bench-large-"))
workers = write_pack(folder, {mb})
size = (folder / "time.csv").stat().st_size
t0 = time.perf_counter()
pl.read_csv(folder / "time.csv", infer_schema=False)
floor = time.perf_counter() - t0
import resource
cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
start = time.perf_counter()
storage, packs = LocalStorage(folder), load_packs()
profile = pipeline.load_profile(storage, packs)
extracted = [pipeline.extract(storage, d, profile.reading_options(d.path))
             for d in pipeline.discover(storage, profile.limits)]
read = time.perf_counter() - start
context, findings, review = pipeline.validate(profile, extracted, packs)
rules = time.perf_counter() - start - read
result = pipeline.make_result(profile, context, extracted, findings, review)
out = LocalStorage(folder / "out")
outputs.write_outputs(result, out, source=storage)
total = time.perf_counter() - start
cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu0
written = {{name: (folder / "out" / name).stat().st_size for name in ("findings.json", "findings.csv", "report.html")}}
import shutil; shutil.rmtree(folder, ignore_errors=True)
print(json.dumps({{"total": total, "cpu": cpu, "read": read, "rules": rules, "floor": floor, "size": size,
                  "workers": workers, "findings": len(findings), "written": written}}))
"""


def large(sizes_mb: list[float]) -> list[tuple]:
    """Valid large input (issue 27, item 3): one CSV of templated punches per size, end to end in
    a child process (its own peak RSS), against polars.read_csv of the same file; the outputs'
    size beside it."""
    rows = []
    for mb in sizes_mb:
        got, peak = in_child(_LARGE.format(mb=mb))
        w = got["written"]
        rows.append((f"valid time records, {got['size'] / 1e6:,.1f} MB CSV ({got['workers']:,} workers × 12 months, "
                     f"{got['findings']:,} findings)", got["total"], got["floor"],
                     f"CPU {got['cpu']:.0f} s; peak RSS {peak:,.0f} MB; findings.json {w['findings.json'] / 1e6:,.1f} MB, "
                     f"findings.csv {w['findings.csv'] / 1e6:,.1f} MB, report.html {w['report.html'] / 1e6:,.1f} MB"))
        rows.append(("  of which reading the document", got["read"], got["floor"], None))
        rows.append(("  of which the rules", got["rules"], None, None))
    return rows


_MANY = """
import json, tempfile, time
from pathlib import Path
import polars as pl
import flows.audit as audit_flow
folder = Path(tempfile.mkdtemp(prefix="preaudit-bench-many-"))
(folder / "factory.yaml").write_text("factory_id: F-MANY\\njurisdiction: CN-SH\\naudit_date: 2026-04-15\\n"
                                     "period: {{start: 2026-03-01, end: 2026-03-31}}\\n", encoding="utf-8")
for k in range({documents}):
    (folder / f"d{{k % 20}}").mkdir(exist_ok=True)
    (folder / f"d{{k % 20}}" / f"t{{k:05d}}.csv").write_text(f"工号,日期,上班1,下班1\\nE{{k}},2026-03-02,08:00,17:00\\n",
                                                       encoding="utf-8")
t0 = time.perf_counter()
for p in sorted(folder.rglob("*.csv")):
    pl.read_csv(p, infer_schema=False)
floor = time.perf_counter() - t0
import resource
cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
start = time.perf_counter()
pack = str(folder)
profile = audit_flow.load_pack_profile.fn(pack, None)
documents = audit_flow.discover_documents.fn(pack, profile.limits)
for d in documents:  # each task body as a worker runs it: the pack opened afresh
    audit_flow.extract_document.fn(pack, d, profile.reading_options(d.path), None)
took = time.perf_counter() - start
cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu0
import shutil; shutil.rmtree(folder, ignore_errors=True)
print(json.dumps({{"took": took, "cpu": cpu, "floor": floor, "documents": len(documents)}}))
"""


def many(counts: list[int]) -> list[tuple]:
    """Many small documents (issue 27, item 7): discovery and one extraction task body per
    document, each opening the pack as a task does, against polars.read_csv of the same files."""
    rows = []
    for n in counts:
        got, peak = in_child(_MANY.format(documents=n))
        rows.append((f"{got['documents']:,} small CSVs: discovery and one extraction task each", got["took"],
                     got["floor"], f"{got['took'] / got['documents'] * 1000:.1f} ms a document; CPU {got['cpu']:.1f} s; peak RSS {peak:,.0f} MB"))
    return rows


def night(packs: int, workers: int = 2, baseline: int = 20) -> list[tuple]:
    """A night of factory packs of mixed size through the nightly flow: in one process, then again
    with nothing changed, then on a local Dask cluster of ``workers`` single-threaded workers;
    against the same audits called directly, without Prefect (the baseline). Against a Prefect
    server, as an agency runs the night (without one each Dask worker would start its own)."""
    with prefect_server() as url:
        got, peak = in_child(_NIGHT.format(packs=packs, workers=workers, baseline=baseline),
                             {**ENV, "PREFECT_API_URL": url})
    overhead = (got["one_process"] - got["direct"]) / packs
    return [(f"a night of {packs} packs through nightly, one process (wall; baseline: the same audits "
             f"without Prefect, {min(packs, baseline)} packs measured)", got["one_process"], got["direct"],
             f"peak RSS {peak:,.0f} MB; per pack {got['one_process'] / packs:.2f} s, "
             f"of which Prefect {overhead:.2f} s"),
            (f"  the next night, nothing changed ({packs} packs skipped)", got["unchanged"], got["one_process"], None),
            (f"  on a local Dask cluster of {workers} workers (wall)", got["dask"], got["one_process"],
             f"speed-up {got['one_process'] / got['dask']:.2f} ×")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="every case once on tiny inputs (CI)")
    parser.add_argument("--cases", default="fixed,scale,night")
    parser.add_argument("--sizes", default="100,500,1500")
    parser.add_argument("--night", type=int, default=10)
    parser.add_argument("--many", default="500,2000", help="numbers of small documents (case many)")
    parser.add_argument("--large-mb", default="50,200", help="sizes of the large-input case, in MB")
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
    if "many" in cases:
        rows += many([20] if args.smoke else [int(s) for s in args.many.split(",")])
    if "large" in cases:
        rows += large([0.5] if args.smoke else [float(s) for s in args.large_mb.split(",")])
    if "night" in cases:
        rows += night(4 if args.smoke else args.night)
    print(f"preaudit benchmarks — {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{'case':72} {'seconds':>8} {'baseline':>9} {'ratio':>7}  note")
    for name, took, base, note in rows:
        ratio = f"{took / base:7.2f}" if base else f"{'':7}"
        print(f"{name:72} {took:8.2f} {base if base is not None else float('nan'):9.2f} {ratio}  {note or ''}")


if __name__ == "__main__":
    main()
