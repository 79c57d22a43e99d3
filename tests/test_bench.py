"""CI runs the benchmarks only as a smoke run (bench/run.py --smoke): the cases still run and
report against their baselines. Their figures are in BENCHMARKS.md, never asserted here."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_cases_still_run_on_tiny_inputs():
    run = subprocess.run([sys.executable, "bench/run.py", "--smoke", "--cases", "scale"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "factory of 25 workers × 12 months, end to end" in run.stdout
    assert "re-run over the unchanged pack (4 documents from the cache)" in run.stdout
    assert "nightly: telling the pack is unchanged" in run.stdout


def test_the_large_input_and_many_documents_cases_still_run():
    run = subprocess.run([sys.executable, "bench/run.py", "--smoke", "--cases", "many,large"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "small CSVs: discovery and one extraction task each" in run.stdout
    assert "valid time records, 0.5 MB CSV" in run.stdout and "findings.json" in run.stdout
