"""The layers written down in pyproject.toml ([tool.importlinter]) hold: no package imports one
above it (the CLI, the flows, the application, rules and
the dataset they query | sample packs, readers, core)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")


def lint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_no_package_imports_one_above_it():
    run = lint()
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 kept, 0 broken" in run.stdout


def test_the_contract_sees_a_layer_that_imports_one_above_it(tmp_path):
    """The same layers upside down must break: the check looks at real imports, not at nothing."""
    config = tmp_path / "upside-down.ini"
    config.write_text("[importlinter]\nroot_packages =\n    preaudit\n    extractors\n    validators\n    flows\n\n"
                      "[importlinter:contract:upside-down]\nname = upside down\ntype = layers\nlayers =\n"
                      "    preaudit.core\n    extractors\n    validators\n    preaudit.app\n"
                      "    flows\n    preaudit.cli\n")
    run = lint(str(config))
    assert run.returncode == 1 and "BROKEN" in run.stdout, run.stdout[-2000:]
    assert "validators is not allowed to import extractors" in run.stdout
    assert "validators.dataset.dataset -> extractors.types" in run.stdout
