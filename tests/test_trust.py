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
