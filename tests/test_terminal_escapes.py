"""Issue 27 item 13 (part): raw terminal escapes from file names never reach the screen — the
progress lines (tests/test_ids_never_in_clear.py), the run's summary, error lines and `preaudit
inspect`: a file named with ESC [31m and BEL is shown with the escapes written out. IDs in names
are masked on the screen too."""
from __future__ import annotations

import io

import pytest
from rich.console import Console
from typer.testing import CliRunner

from preaudit.core.identifiers import ric_check_char

EVIL = "evil\x1b[31m red\x07 [bold]markup.csv"
SHOWN = "evil\\x1b[31m red\\x07 [bold]markup.csv"
CN = "31011519900101602" + ric_check_char("31011519900101602")
PROFILE = "factory_id: F-ESC\njurisdiction: CN-SH\naudit_date: 2026-04-15\nperiod: {start: 2026-03-01, end: 2026-03-31}\n"


@pytest.fixture()
def pack(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "factory.yaml").write_text(PROFILE, encoding="utf-8")
    (pack / EVIL).write_text("工号,姓名,日期,上班时间,下班时间\nA1,王芳,2026-03-02,07:00,17:00\n", encoding="utf-8")
    (pack / f"张三 {CN[:6]} {CN[6:14]} {CN[14:]}\x1b]0;title\x07.csv").write_bytes(b"junk\n")
    return pack


def clean(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text, text
    assert CN not in text.replace(" ", ""), text


def test_inspect_shows_names_with_escapes_written_out(pack, monkeypatch):
    from preaudit import cli

    monkeypatch.setattr(cli, "console", Console(file=io.StringIO(), width=250, force_terminal=False))
    result = CliRunner().invoke(cli.app, ["inspect", str(pack)])
    assert result.exit_code == 0, result.output
    shown = cli.console.file.getvalue() + result.output
    clean(shown)
    assert SHOWN in shown and "\\x1b]0;title\\x07" in shown and "31**** ******** " in shown


def test_an_error_line_naming_the_file_is_escaped(pack, monkeypatch):
    from preaudit import cli

    monkeypatch.setattr(cli, "console", Console(file=io.StringIO(), width=250, force_terminal=False))
    result = CliRunner().invoke(cli.app, ["inspect", str(pack), f"missing\x1b[2J{CN}\x07.csv"])
    assert result.exit_code == cli.EXIT_CANNOT_RUN
    shown = cli.console.file.getvalue()
    clean(shown)
    assert "missing\\x1b[2J310115********" in shown


def test_the_run_summary_table_escapes_names(pack, monkeypatch):
    from preaudit import cli
    from preaudit.app.pipeline import audit
    from preaudit.core.storage import LocalStorage

    monkeypatch.setattr(cli, "console", Console(file=io.StringIO(), width=250, force_terminal=False))
    cli._summary(audit(LocalStorage(pack)), "out")
    shown = cli.console.file.getvalue()
    clean(shown)
    assert SHOWN[:20] in shown


def test_printable():
    from preaudit.app.outputs import printable

    assert printable(EVIL) == SHOWN
    assert printable(f"a {CN} b\n") == "a 310115********" + CN[-4:] + " b\\n"
