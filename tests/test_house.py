"""The house a newcomer finds their way in (issue 26): hand-offs by type, a country's customs in its
pack, a clone that holds every file it cites, and a sample oracle that reads the scenario alone."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from preaudit.core.model import ColumnRead, DocStatus, DocumentReport, Kind, PartRead, part_or_page
from preaudit.core.packs import load_packs, reading_customs

ROOT = Path(__file__).resolve().parent.parent


def test_the_oracle_reads_the_scenario_alone():
    tree = ast.parse((ROOT / "preaudit/samples/oracle.py").read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert {m for m in imported if m.startswith("preaudit")} == {"preaudit.samples.scenario"}


def test_every_file_the_readme_and_the_code_cite_is_in_the_repository():
    cited = set()
    for path in [ROOT / "README.md", *ROOT.glob("rules/*.yaml"), *ROOT.glob("extractors/*.yaml"),
                 *(p for d in ("preaudit", "extractors", "validators", "flows") for p in (ROOT / d).rglob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        assert "shared/reference" not in text, path
        cited |= set(re.findall(r"docs/[\w./-]+\w", text))
    assert cited and all((ROOT / c).exists() for c in cited), sorted(c for c in cited if not (ROOT / c).exists())


def test_a_countrys_reading_customs_come_from_its_law_packs():
    packs = load_packs()
    assert reading_customs("US-FLSA", packs).date_order == "MDY"
    assert reading_customs("CN-SH", packs).date_order == "DMY"
    assert reading_customs("CN-GD-SZ", packs).ocr_languages == ("eng", "chi_sim")
    (vietnam,) = reading_customs("VN-R1", packs).day_marks
    assert {"p", "ô", "kl", "no"} <= set(vietnam.absent) and vietnam.on("Họ và tên")
    assert not reading_customs("IN", packs).day_marks


def test_the_closest_kind_and_the_columns_are_typed_and_survive_findings_json():
    part = PartRead(None, 2, None, DocStatus.UNCLASSIFIED, "closest to payroll …", closest=Kind.PAYROLL)
    read = PartRead("Sheet1", None, "roster", DocStatus.OK, columns=[ColumnRead("A", "工号", "worker_id", "exact")])
    report = DocumentReport("a.xlsx", "0" * 64, None, None, DocStatus.UNCLASSIFIED, "…", sheets=[part, read],
                            closest=Kind.PAYROLL)
    out = report.to_json()
    assert out["closest"] == "payroll" and out["sheets"][0]["closest"] == "payroll"
    assert out["sheets"][1]["columns"] == [{"column": "A", "label": "工号", "field": "worker_id", "how": "exact"}]
    back = [part_or_page(s) for s in out["sheets"]]
    assert back[0].closest is Kind.PAYROLL and back[1].columns == read.columns
