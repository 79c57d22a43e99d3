"""Packs in the object store as the agency's tests put them there: a sample pack uploaded under an inbox name, and last night's visitors log changed so that one finding is new and one resolved."""
from __future__ import annotations

from typer.testing import CliRunner
from preaudit.cli import app
from preaudit.samples.generator import generate, profile_yaml


def upload(tmp_path, bucket: str, style: str, seed: int, factory_id: str | None = None):
    sample = generate(style=style, seed=seed)
    folder = tmp_path / f"pack-{seed}"
    sample.write(folder)
    if factory_id:
        (folder / "factory.yaml").write_bytes(profile_yaml(factory_id))
    result = CliRunner().invoke(app, ["upload", str(folder), "--store", f"s3://{bucket}"])
    assert result.exit_code == 0, result.output
    return sample, folder


def change_visitor_exits(store: str, factory: str, folder) -> None:
    """The "mixed" sample's visitors log changed and uploaded again: 孙梅's exit recorded now (a
    SEC-VISITOR-EXIT resolved), Tom Baker's gone (one new)."""
    import openpyxl

    from preaudit.core.storage import open_storage

    visitors = folder / "security" / "visitors.xlsx"
    book = openpyxl.load_workbook(visitors)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    out_col, name_col = header.index("Time Out") + 1, header.index("Visitor Name") + 1
    for row in range(2, sheet.max_row + 1):
        name = sheet.cell(row, name_col).value
        if name == "孙梅":
            sheet.cell(row, out_col).value = "16:30"
        if name == "Tom Baker":
            sheet.cell(row, out_col).value = None
    book.save(visitors)
    open_storage(f"{store}/inbox/{factory}").write("security/visitors.xlsx", visitors.read_bytes())
