"""The command line as the README gives it, run as a person runs it (a subprocess, Prefect's
ephemeral mode): `preaudit demo`, `preaudit nightly` against a local folder store, and `--rules DIR`."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = """factory_id: {factory}
jurisdiction: CN-SH
audit_date: 2026-04-15
period: {{start: 2026-03-01, end: 2026-03-31}}
"""


def preaudit(*args: str, home: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    """``preaudit ARGS`` from this checkout, with its own cache and Prefect home."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "XDG_CACHE_HOME": str(home / "cache"), "PREFECT_HOME": str(home / "prefect"), "COLUMNS": "200"}
    env.pop("PREFECT_API_URL", None)
    return subprocess.run([sys.executable, "-m", "preaudit.cli", *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=home)


def keys(findings: list[dict]) -> set[tuple]:
    return {(f["rule_id"], tuple(sorted(f["subject"].items())), (f["period"] or {}).get("start")) for f in findings}


def time_pack(folder: Path, factory: str, end: str = "17:00") -> Path:
    """A factory whose one worker clocks 07:00 to ``end`` on three days of March 2026."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "factory.yaml").write_text(PROFILE.format(factory=factory), encoding="utf-8")
    (folder / "time.csv").write_text("工号,姓名,日期,上班时间,下班时间\n" + "".join(
        f"A1,王芳,2026-03-{d:02d},07:00,{end}\n" for d in (2, 3, 4)), encoding="utf-8")
    return folder


def test_preaudit_demo_builds_audits_and_finds_every_seeded_violation(tmp_path):
    """README step 1, in its spreadsheet style: the sample pack, its ground truth, the three outputs,
    and the summary line saying every seeded violation was found — which the outputs confirm."""
    out = tmp_path / "demo"
    run = preaudit("demo", "--style", "en", "--seed", "3", "--out", str(out), home=tmp_path)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    truth = json.loads((out / "ground-truth.json").read_text(encoding="utf-8"))
    truth = truth["findings"] if isinstance(truth, dict) else truth
    assert len(truth) > 30
    assert f"seeded violations found: {len(truth)}/{len(truth)}" in run.stdout, run.stdout[-2000:]
    assert (out / "pack" / "factory.yaml").exists() and len(list((out / "pack").rglob("*.*"))) > 5
    for name in ("findings.json", "findings.csv", "report.html"):
        assert (out / "report" / name).stat().st_size > 0, name
    found = keys(json.loads((out / "report" / "findings.json").read_text(encoding="utf-8"))["findings"])
    expected = {(t["rule_id"], tuple(sorted(t["subject"].items())), t.get("period_start")) for t in truth}
    assert found == expected, (sorted(expected - found), sorted(found - expected))
    from preaudit.samples.generator import generate

    sample = generate(style="en", seed=3)  # the style and seed asked for, nothing else
    written = {str(p.relative_to(out / "pack")): p.read_bytes() for p in (out / "pack").rglob("*") if p.is_file()}
    assert sorted(written) == sorted(sample.files)
    assert [name for name, data in sample.files.items() if written[name] != data] == []
    assert expected == {t.key() for t in sample.truth}
    assert "Traceback" not in run.stdout + run.stderr


def test_preaudit_nightly_against_a_local_folder_audits_changed_factories_only(tmp_path):
    """`preaudit nightly --store FOLDER`: every factory under inbox/ audited the first night, then only
    the one whose pack changed; its latest report holds the change."""
    store = tmp_path / "agency"
    time_pack(store / "inbox" / "F-A", "F-A")
    time_pack(store / "inbox" / "F-B", "F-B")
    first = preaudit("nightly", "--store", str(store), home=tmp_path)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "F-A: audited" in first.stdout and "F-B: audited" in first.stdout, first.stdout[-2000:]

    def latest(factory):
        reports = store / "reports" / factory
        run_id = json.loads((reports / "latest.json").read_text(encoding="utf-8"))["run_id"]
        return run_id, json.loads((reports / run_id / "findings.json").read_text(encoding="utf-8"))["findings"]

    a_run, _ = latest("F-A")
    b_run, b_findings = latest("F-B")
    assert not [f for f in b_findings if f["rule_id"] == "LAB-HOURS-DAY-MAX"]
    time_pack(store / "inbox" / "F-B", "F-B", end="22:00")  # F-B's days are now 15 h
    second = preaudit("nightly", "--store", str(store), home=tmp_path)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "F-A: unchanged" in second.stdout and "F-B: audited" in second.stdout, second.stdout[-2000:]
    assert latest("F-A")[0] == a_run
    b_run2, b_findings = latest("F-B")
    assert b_run2 != b_run
    day_max = [f for f in b_findings if f["rule_id"] == "LAB-HOURS-DAY-MAX"]
    assert len(day_max) == 3 and all(f["history"] == "new" for f in day_max)


def test_rules_dir_a_copied_pack_with_a_changed_value_changes_a_finding(tmp_path):
    """`--rules DIR` on run and on rules explain: the same pack under a copy of the rule packs whose
    CN daily maximum is 10 h instead of 11 gives a finding for 10.5 h days the built-in packs pass."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    cn = rules / "CN.yaml"
    text = cn.read_text(encoding="utf-8")
    changed = text.replace("  max_daily_hours:\n    - value: 11\n", "  max_daily_hours:\n    - value: 10\n", 1)
    assert changed != text
    cn.write_text(changed, encoding="utf-8")
    explained = preaudit("rules", "explain", "LAB-HOURS-DAY-MAX", "--rules", str(rules), home=tmp_path)
    builtin = preaudit("rules", "explain", "LAB-HOURS-DAY-MAX", home=tmp_path)
    assert explained.returncode == 0 and builtin.returncode == 0, explained.stdout + explained.stderr
    assert explained.stdout != builtin.stdout and "10" in explained.stdout

    # 07:00-18:30 with no break recorded: 10.5 h with the lunch hour presumed taken (the lenient reading)
    pack = time_pack(tmp_path / "pack", "F-RULES", end="18:30")
    plain = preaudit("run", str(pack), "--out", str(tmp_path / "plain"), home=tmp_path)
    ours = preaudit("run", str(pack), "--out", str(tmp_path / "ours"), "--rules", str(rules), home=tmp_path)
    for run in (plain, ours):
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

    def day_max(out):
        findings = json.loads((tmp_path / out / "findings.json").read_text(encoding="utf-8"))["findings"]
        return [(f["subject"]["worker_id"], f["period"]["start"], f["measured"], f["limit"])
                for f in findings if f["rule_id"] == "LAB-HOURS-DAY-MAX"]

    assert day_max("plain") == []
    assert sorted(day_max("ours")) == [("A1", f"2026-03-{d:02d}", 10.5, 10) for d in (2, 3, 4)]
