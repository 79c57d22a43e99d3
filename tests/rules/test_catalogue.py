"""The catalogue: every rule of the SPEC implemented, listed with a source, and rendered by
`preaudit rules list` and `rules explain`."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from preaudit.app import catalogue
from preaudit.core.packs import load_packs
from validators import RULES


# ---------------------------------------------------------------- the catalogue

SPEC = Path(__file__).resolve().parents[3] / "shared" / "SPEC.md"


def spec_rule_ids() -> set[str]:
    if not SPEC.exists():
        pytest.skip("../shared/SPEC.md not present")
    return set(re.findall(r"^\| ([A-Z]+(?:-[A-Z0-9]+)+) \|", SPEC.read_text(encoding="utf-8"), re.M))


def test_every_spec_rule_is_implemented_and_listed_with_a_source():
    ids = spec_rule_ids()
    assert len(ids) == 38  # the SPEC catalogue as it stands: a parse that misses rows fails here
    entries = {e.id: e for e in catalogue.build(load_packs())}
    assert ids <= set(entries)
    for rule_id in ids:
        assert entries[rule_id].sources, rule_id


def test_every_rule_renders_in_the_cli():
    from typer.testing import CliRunner

    from preaudit.cli import app

    result = CliRunner().invoke(app, ["rules", "list"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    for rule in RULES:
        assert rule.id in result.output
    explained = CliRunner().invoke(app, ["rules", "explain", "lab-min-wage"], env={"COLUMNS": "200"})
    assert explained.exit_code == 0 and "CN-SH: 2740" in explained.output and "2025-07-01" in explained.output
    assert CliRunner().invoke(app, ["rules", "explain", "NOPE"]).exit_code == 2
