"""The pack is untrusted input (issue 27): the operator's settings bound the pack's, the law is
relaxed only where the operator allows it and then said everywhere, a pack is filed under its
inbox, and configuration that is wrong is an error naming its field, never a traceback."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ("factory_id: F-T\njurisdiction: CN-SH\naudit_date: 2026-04-15\n"
           "period: {start: 2026-03-01, end: 2026-03-31}\n")
TIME = "工号,姓名,日期,上班时间,下班时间\n" + "".join(f"A1,王芳,2026-03-{d:02d},07:00,21:00\n" for d in (2, 3, 4))


def cli(*args: str, env: dict | None = None):
    from preaudit.cli import app

    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def pack(folder: Path, profile: str = PROFILE, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "factory.yaml").write_text(profile, encoding="utf-8")
    for name, text in ({"time.csv": TIME} | files).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# -- item 12: configuration that crashed ---------------------------------------------------------

@pytest.mark.parametrize("change, named", [
    ("standards: 5\n", "standards: 5 is not a list"),
    ("required_licenses: 5\n", "required_licenses: 5 is not a list"),
    ("overrides: [10]\n", "overrides: [10] is not a mapping"),
    ("column_map: net_pay\n", "column_map: 'net_pay' is not a mapping"),
    ("legal_name: {en: Example Garments}\n", "legal_name: must be a text"),
    ("@period: {start: 0001-01-01, end: 9999-12-31}\n", "period.start: 0001-01-01 is not a date of records"),
    ("@factory_id: " + "F" * 300 + "\n", "factory_id: 300 characters long: at most 64"),
])
def test_a_profile_that_crashed_is_an_error_naming_its_field(tmp_path, monkeypatch, change, named):
    import preaudit.app.pipeline as pipeline

    profile = PROFILE
    if change.startswith("@"):  # replaces a field of the profile
        key = change[1:].split(":")[0]
        profile = "".join(line + "\n" for line in PROFILE.splitlines() if not line.startswith(key)) + change[1:]
    else:
        profile += change
    monkeypatch.chdir(tmp_path)  # the default paths: ./out/FACTORY_ID
    monkeypatch.setattr(pipeline, "extract_cached", lambda *a, **k: pytest.fail("extraction before the error"))
    result = cli("run", str(pack(tmp_path / "pack", profile)))
    assert result.exit_code == 2, result.output
    assert named in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("old, new, named", [
    ("rest_days: [saturday, sunday]", "rest_days: [funday]", "rest_days: 'funday' is not a weekday name"),
    ("value: 8\n", "value: eight\n", "value: 'eight' is not a number"),
])
def test_a_rule_pack_that_crashed_is_an_error_naming_its_field(tmp_path, old, new, named):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    text = (rules / "CN.yaml").read_text(encoding="utf-8")
    assert old in text
    (rules / "CN.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    result = cli("run", str(pack(tmp_path / "pack")), "--rules", str(rules), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert "CN.yaml" in result.output and named in result.output, result.output


# -- item 1: the operator's settings are the ceiling ---------------------------------------------

def test_a_profile_cannot_raise_a_bound_over_the_operators(tmp_path):
    """The 1.3 KB PDF that grew past 6 GB once factory.yaml raised page_pixels and pages_per_document:
    the profile is refused, naming each bound, before anything is read (exit 2)."""
    from tests.support.hostile_pack import pdf_pages

    folder = pack(tmp_path / "pack", PROFILE + "limits: {page_pixels: 4000000000, pages_per_document: 100000}\n")
    (folder / "huge.pdf").write_bytes(pdf_pages(1, (20000, 20000)))
    result = cli("run", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert "limits.page_pixels: 4,000,000,000 is above the operator's limit of 70,000,000" in result.output
    assert "limits.pages_per_document: 100,000 is above the operator's limit of 1,000" in result.output
    assert not (tmp_path / "out").exists()


def test_a_profile_may_lower_a_bound(tmp_path):
    from preaudit.app.pipeline import audit
    from preaudit.core.storage import LocalStorage
    from tests.support.hostile_pack import pdf_pages

    folder = pack(tmp_path / "pack", PROFILE + "limits: {pages_per_document: 2}\n")
    (folder / "scan.pdf").write_bytes(pdf_pages(3, (595, 842)))
    result = audit(LocalStorage(folder))
    assert result.profile.limits.pages_per_document == 2
    assert [f for f in result.findings if f.rule_id == "DQ-UNREADABLE" and "limits.pages_per_document" in f.message]


@pytest.mark.parametrize("how", ["file", "variable", "beside the rules", "--settings"])
def test_the_operators_settings_set_the_bounds(tmp_path, monkeypatch, how):
    """README "Operator's settings": a settings file ($PREAUDIT_SETTINGS, --settings, or settings.yaml
    in the rules folder) or PREAUDIT_LIMIT_* variables; the pack says nothing of its bounds."""
    import json

    from tests.support.hostile_pack import pdf_pages

    folder = pack(tmp_path / "pack")
    (folder / "scan.pdf").write_bytes(pdf_pages(3, (595, 842)))
    settings = tmp_path / "settings.yaml"
    settings.write_text("limits: {pages_per_document: 2}\n", encoding="utf-8")
    args = ["run", str(folder), "--out", str(tmp_path / "out")]
    if how == "file":
        monkeypatch.setenv("PREAUDIT_SETTINGS", str(settings))
    elif how == "variable":
        monkeypatch.setenv("PREAUDIT_LIMIT_PAGES_PER_DOCUMENT", "2")
    elif how == "--settings":
        args += ["--settings", str(settings)]
    else:
        rules = tmp_path / "rules"
        shutil.copytree(ROOT / "rules", rules)
        shutil.copy(settings, rules / "settings.yaml")
        args += ["--rules", str(rules)]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    findings = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))["findings"]
    assert [f for f in findings if f["rule_id"] == "DQ-UNREADABLE" and f["subject"]["document"] == "scan.pdf"
            and "limits.pages_per_document" in f["message"]]


def test_wrong_settings_stop_the_run_naming_the_setting(tmp_path):
    settings = tmp_path / "settings.yaml"
    settings.write_text("limits: {pages_per_document: lots}\nprofile_may_relax: [max_day]\n", encoding="utf-8")
    result = cli("run", str(pack(tmp_path / "pack")), "--out", str(tmp_path / "out"), "--settings", str(settings))
    assert result.exit_code == 2 and "limits.pages_per_document: 'lots' is not a whole number" in result.output


# -- item 2: an override weaker than the law -----------------------------------------------------

WEAKER = "overrides: {max_daily_hours: 24, minimum_wage_monthly: 0, max_monthly_ot_hours: 1000}\n"


def test_an_override_weaker_than_the_law_is_refused(tmp_path):
    result = cli("run", str(pack(tmp_path / "pack", PROFILE + WEAKER)), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    for name, law in (("max_daily_hours: 24", "11 (CN"), ("minimum_wage_monthly: 0", "2740 (CN-SH"),
                      ("max_monthly_ot_hours: 1000", "36 (CN")):
        assert f"overrides.{name} is weaker than {law}" in result.output, result.output
    assert "profile_may_relax" in result.output


def test_an_override_as_strict_as_the_law_or_stricter_is_kept():
    from preaudit.core.packs import load_packs
    from preaudit.core.profile import parse_profile

    profile = parse_profile(PROFILE + "overrides: {max_daily_hours: 10, max_monthly_ot_hours: 36}\n", load_packs())
    assert profile.overrides == {"max_daily_hours": 10, "max_monthly_ot_hours": 36} and not profile.relaxed


def test_a_relaxed_law_is_said_everywhere_with_the_findings_it_removed(tmp_path):
    """The operator allows it: the run goes on with the profile's values, and findings.json, report.html
    and the CLI summary say which values were relaxed, from what to what, by whom, and the findings
    the law's values give that the run does not report: exactly those."""
    import json

    from preaudit.app.pipeline import audit
    from preaudit.core.settings import Settings
    from preaudit.core.storage import LocalStorage
    from preaudit.samples.generator import generate

    sample = generate(style="en", seed=7)
    sample.write(tmp_path / "lawful")
    lawful = audit(LocalStorage(tmp_path / "lawful"))
    sample.write(tmp_path / "relaxed")
    yaml_path = tmp_path / "relaxed" / "factory.yaml"
    import yaml

    doc = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    doc["overrides"] = {**doc.get("overrides", {}), "max_daily_hours": 24, "minimum_wage_monthly": 0,
                        "max_monthly_ot_hours": 1000}
    yaml_path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    settings = tmp_path / "settings.yaml"
    settings.write_text("profile_may_relax: [max_daily_hours, minimum_wage_monthly, max_monthly_ot_hours]\n",
                        encoding="utf-8")
    result = cli("run", str(tmp_path / "relaxed"), "--out", str(tmp_path / "out"), "--settings", str(settings))
    assert result.exit_code == 0, result.output
    out = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    relaxed = {r["parameter"]: r for r in out["relaxed"]}
    assert set(relaxed) == {"max_daily_hours", "minimum_wage_monthly", "max_monthly_ot_hours"}
    assert relaxed["max_daily_hours"]["profile_value"] == 24 and relaxed["max_daily_hours"]["law"][0]["value"] == 11
    assert all(r["by"] == "the factory profile (factory.yaml overrides)" and str(settings) in r["allowed_by"]
               for r in relaxed.values())
    # the findings removed: exactly those the law gives and the relaxed run does not
    def key(f):
        return f["rule_id"], json.dumps(f["subject"], sort_keys=True), (f["period"] or {}).get("start")
    now = {key(f) for f in out["findings"]}
    law = {key(f.to_json()) for f in lawful.findings}
    removed = {key(f) for r in relaxed.values() for f in r["removed"]}
    assert removed and removed == law - now, (sorted(removed ^ (law - now)))
    assert all(r["findings_removed"] == len(r["removed"]) for r in relaxed.values())
    assert relaxed["max_daily_hours"]["findings_removed"] and relaxed["max_monthly_ot_hours"]["findings_removed"]
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    from tests.support.report_data import embedded

    data = json.loads(embedded(html))
    assert [r["parameter"] for r in data["summary"]["relaxed"]] == [r["parameter"] for r in out["relaxed"]]
    assert "The law relaxed by the factory profile" in html
    flat = " ".join(result.output.split())
    assert "The law relaxed: max_daily_hours 11 (CN) → 24 by the factory profile" in flat, result.output[:3000]
    assert Settings().may_relax == frozenset()  # by default nothing may be relaxed


# -- item 4: identity from the store -------------------------------------------------------------

def _inbox(bucket: str, factory: str, profile: str, time_csv: str = TIME):
    from preaudit.core.storage import S3Storage, open_storage

    S3Storage(bucket).ensure_bucket()
    inbox = open_storage(f"s3://{bucket}/inbox/{factory}")
    inbox.write("factory.yaml", profile.encode())
    inbox.write("time.csv", time_csv.encode())
    return inbox


def test_a_run_over_an_inbox_files_under_the_inbox_not_the_profiles_claim(s3_env):
    """`preaudit run s3://…/inbox/A/` whose profile claims factory B: B's latest.json and history are
    untouched; the report is filed under A and says, as a DQ finding, a top-level field and a CLI
    line, that the claim was not obeyed."""
    import json

    from preaudit.core.storage import open_storage

    _, bucket = s3_env
    _inbox(bucket, "F-B", PROFILE.replace("F-T", "F-B"))
    assert cli("run", f"s3://{bucket}/inbox/F-B/").exit_code == 0
    b_latest = open_storage(f"s3://{bucket}/reports/F-B").read("latest.json")
    _inbox(bucket, "F-A", PROFILE.replace("F-T", "F-B"))  # A's pack claims to be B
    result = cli("run", f"s3://{bucket}/inbox/F-A/")
    assert result.exit_code == 0, result.output
    assert open_storage(f"s3://{bucket}/reports/F-B").read("latest.json") == b_latest
    reports = open_storage(f"s3://{bucket}/reports/F-A")
    latest = json.loads(reports.read("latest.json"))
    doc = json.loads(reports.child(latest["run_id"]).read("findings.json"))
    assert doc["factory_id"] == "F-A"
    assert doc["identity"] == {"filed_under": "F-A", "profile_factory_id": "F-B", "obeyed": False}
    assert [f for f in doc["findings"] if f["rule_id"] == "DQ-FACTORY-ID" and "'F-B'" in f["message"]]
    assert "claims factory_id 'F-B', not obeyed" in " ".join(result.output.split())
    assert open_storage(f"s3://{bucket}/cache").list() and \
        all(p.split("/")[0] in ("F-A", "F-B") for p in open_storage(f"s3://{bucket}/cache").list())


# -- item 13: nightly exit codes and two nightlies at once ---------------------------------------

def test_nightly_exits_3_when_a_factory_fails_and_still_audits_the_others(s3_env):
    from preaudit.core.storage import open_storage

    _, bucket = s3_env
    _inbox(bucket, "F-GOOD", PROFILE.replace("F-T", "F-GOOD"))
    _inbox(bucket, "F-BROKEN", "factory_id: F-BROKEN\njurisdiction: CN\n")  # no dates: cannot run
    result = cli("nightly", "--store", f"s3://{bucket}")
    assert result.exit_code == 3, result.output
    assert "F-GOOD: audited" in result.output and "F-BROKEN: failed" in result.output
    assert "1 of 2 factories failed: F-BROKEN" in result.output
    assert open_storage(f"s3://{bucket}/reports/F-GOOD").exists("latest.json")
    assert cli("nightly", "--store", f"s3://{bucket}").exit_code == 3  # still broken: still said


def test_a_factory_under_another_runs_lease_is_passed_over_and_a_stale_lease_is_taken(s3_env):
    import json
    import time

    from flows.nightly import nightly_audit
    from preaudit.core.storage import open_storage

    _, bucket = s3_env
    _inbox(bucket, "F-L", PROFILE.replace("F-T", "F-L"))
    reports = open_storage(f"s3://{bucket}/reports/F-L")
    reports.write("lease.json", json.dumps({"owner": "another-nightly", "until": time.time() + 3600}).encode())
    assert nightly_audit(f"s3://{bucket}")["F-L"].startswith("skipped: another run is auditing it")
    assert not reports.exists("latest.json")
    reports.write("lease.json", json.dumps({"owner": "a-killed-run", "until": time.time() - 1}).encode())
    assert nightly_audit(f"s3://{bucket}") == {"F-L": "audited"}
    assert not reports.exists("lease.json")  # released


def test_two_nightlies_at_once_write_one_report_for_one_change(s3_env):
    """Two nightly processes started together over the same store: the factory is audited once."""
    import json
    import os
    import subprocess
    import sys

    from preaudit.core.storage import open_storage

    server, bucket = s3_env
    _inbox(bucket, "F-2", PROFILE.replace("F-T", "F-2"))
    env = {**os.environ, **server.env(), "PYTHONPATH": str(ROOT), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    runs = [subprocess.Popen([sys.executable, "-m", "preaudit.cli", "nightly", "--store", f"s3://{bucket}"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env) for _ in range(2)]
    outputs = [run.communicate(timeout=600)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    said = sorted(next(line for line in out.splitlines() if line.startswith("F-2:")) for out in outputs)
    assert said[0] == "F-2: audited" and said[1].startswith(("F-2: skipped", "F-2: unchanged")), said
    reports = open_storage(f"s3://{bucket}/reports/F-2")
    runs_written = {p.split("/")[0] for p in reports.list() if "/" in p and not p.startswith("history/")}
    assert len([p for p in reports.list() if p.startswith("history/")]) == 1  # one summary, for the portfolio
    assert len(runs_written) == 1, runs_written
    assert json.loads(open_storage(f"s3://{bucket}/reports/F-2").read("latest.json"))["run_id"] in runs_written


def test_the_readme_lists_every_bound_with_its_default():
    """README "Bounds" shows each bound the operator sets, with the default the code has."""
    import re

    from preaudit.core.limits import LIMIT_NAMES, Limits

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = dict(re.findall(r"^  (\w+): (\d+) ", text.split("**Bounds.**", 1)[1].split("```", 2)[1], re.M))
    assert {k: int(v) for k, v in shown.items()} == {name: getattr(Limits(), name) for name in LIMIT_NAMES}


@pytest.mark.parametrize("allowed, refused", [("max_daily_hours", ["minimum_wage_monthly", "max_monthly_ot_hours"]),
                                              ("all", []), ("none", ["max_daily_hours"])])
def test_the_operator_says_which_values_a_profile_may_relax(monkeypatch, allowed, refused):
    from preaudit.core.packs import load_packs
    from preaudit.core.profile import ProfileError, parse_profile
    from preaudit.core.settings import load_settings

    monkeypatch.setenv("PREAUDIT_PROFILE_MAY_RELAX", allowed)
    try:
        profile = parse_profile(PROFILE + WEAKER, load_packs(), load_settings())
    except ProfileError as exc:
        assert sorted(p.split(":")[0] for p in exc.problems) >= sorted(f"overrides.{n}" for n in refused) != []
        assert all(any(p.startswith(f"overrides.{n}:") for p in exc.problems) for n in refused)
    else:
        assert not refused and {r["parameter"] for r in profile.relaxed} == {
            "max_daily_hours", "minimum_wage_monthly", "max_monthly_ot_hours"}
        assert all(r["allowed_by"] == "PREAUDIT_PROFILE_MAY_RELAX" for r in profile.relaxed)
