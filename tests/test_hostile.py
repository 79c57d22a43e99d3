"""A night that never falls over (issue 13): a broken or hostile file costs its own
DQ-UNREADABLE with a reason a person understands, never the run; only the pack's own regular
files are read, and what is passed over is said."""
from __future__ import annotations

import io
import os
import zipfile

import openpyxl
import pytest

from extractors import read_document, sniff_format
from extractors.headers import HeaderMapper
from preaudit.core.model import DocStatus, Document
from preaudit.app.pipeline import audit
from preaudit.core.storage import LocalStorage
from tests.support.hostile_pack import pdf_pages, png_header_only, tiff_frames

PROFILE = "factory_id: F-H\njurisdiction: CN-SH\naudit_date: 2026-04-15\nperiod: {start: 2026-03-01, end: 2026-03-31}\n"


def _xlsx_with_broken_sheet() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["工号", "姓名"])
    buf = io.BytesIO()
    book.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    return out.getvalue()


@pytest.mark.parametrize("name, data, reason", [
    ("bomb.png", png_header_only(30000, 30000), "too large to decode"),
    ("open-quote.csv", b'id,name\n1,"' + b"x" * 200_000 + b"\n", "field limit"),
    ("broken.xlsx", _xlsx_with_broken_sheet(), "damaged or not what its name says"),
    ("not-a-pdf.pdf", b"%PDF-1.4\n1 0 obj <</Length 99>> stream\nq\nendstream\nendobj\ntrailer <<>>\n%%EOF",
     "not a readable PDF"),
])
def test_a_broken_file_is_unreadable_with_a_reason_never_a_crash(name, data, reason):
    result = read_document(Document(name, "0" * 64, len(data), sniff_format(name, data[:16])), data, HeaderMapper())
    assert result.report.status is DocStatus.UNREADABLE and reason in result.report.reason


def test_excels_unicode_text_is_read():
    text = "工号\t姓名\t基本工资\t实发工资\r\nA1\t王芳\t3000\t2900\r\n"
    data = b"\xff\xfe" + text.encode("utf-16-le")
    result = read_document(Document("pay.txt", "0" * 64, len(data), "csv"), data, HeaderMapper())
    assert result.report.status is DocStatus.OK and result.tables[0].df["net_pay"].to_list() == [2900]


def test_only_the_packs_own_files_are_read_and_the_rest_is_said(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("工号,姓名,基本工资,实发工资\nS9,不该读,3000,2900\n", encoding="utf-8")
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "factory.yaml").write_text(PROFILE, encoding="utf-8")
    (pack / "pay.csv").write_text("工号,姓名,基本工资,实发工资\nA1,王芳,3000,2900\n", encoding="utf-8")
    (pack / ".hidden.csv").write_text("x\n", encoding="utf-8")
    os.symlink(secret, pack / "linked.csv")
    os.symlink(tmp_path / "gone.csv", pack / "dangling.csv")
    os.symlink(tmp_path, pack / "outside")
    result = audit(LocalStorage(pack))
    reasons = {d.path: d.reason for d in result.documents if d.status is DocStatus.UNREADABLE}
    assert reasons == {".hidden.csv": "a hidden file: not read", "linked.csv": "a link: not followed",
                       "dangling.csv": "a dangling link", "outside": "a link to a folder: not followed"}
    assert "S9" not in str([f.to_json() for f in result.findings])
    assert {f.subject.get("document") for f in result.findings if f.rule_id == "DQ-UNREADABLE"} >= set(reasons)


def test_names_from_the_pack_reach_the_terminal_as_text():
    from preaudit.cli import printable

    assert printable("pay\x1b[31m[bold]x.csv") == "pay\\x1b[31m[bold]x.csv"


def test_a_page_too_large_to_render_is_said_not_rendered():
    data = pdf_pages(1, (20000, 20000))  # 1 KB that would be 6 GB of pixels at 300 dpi
    report = read_document(Document("huge.pdf", "0" * 64, len(data), "pdf"), data, HeaderMapper()).report
    assert report.status is DocStatus.UNREADABLE and "page too large to render (20000 × 20000 pt)" in report.reason


def test_blank_pages_cost_no_tesseract_run(monkeypatch):
    import extractors.ocr

    def never(*args, **kwargs):
        raise AssertionError("a blank page was sent to Tesseract")
    monkeypatch.setattr(extractors.ocr, "recognise", never)
    data = pdf_pages(3, (595, 842))
    report = read_document(Document("blank.pdf", "0" * 64, len(data), "pdf"), data, HeaderMapper()).report
    assert report.reason == "no text on any page: " + "; ".join(f"page {n}: blank page: no ink" for n in (1, 2, 3))


@pytest.mark.parametrize("value", [".nan", ".inf", "-3"])
def test_a_threshold_that_would_silence_findings_is_refused(value):
    from preaudit.core.packs import load_packs
    from preaudit.core.profile import ProfileError, parse_profile

    with pytest.raises(ProfileError, match="overrides.max_daily_hours: .* not a finite number of 0 or more"):
        parse_profile(PROFILE + f"overrides: {{max_daily_hours: {value}}}\n", load_packs())


@pytest.mark.parametrize("encoding", ["gbk", "utf-16"])
def test_a_profile_saved_by_a_chinese_windows_tool_is_read(tmp_path, encoding):
    from preaudit.core.packs import load_packs
    from preaudit.app.pipeline import load_profile

    (tmp_path / "factory.yaml").write_bytes((PROFILE + "legal_name_local: 上海示例服装有限公司\n").encode(encoding))
    assert load_profile(LocalStorage(tmp_path), load_packs()).legal_name_local == "上海示例服装有限公司"


@pytest.mark.parametrize("spelt, shown", [
    ("310101 19900101 1234", "31**** ******** 1234"),
    ("3101-0119-9001-0112-34", "31**-****-****-**12-34"),
])
def test_an_id_spelt_with_spaces_or_hyphens_is_masked(spelt, shown):
    from preaudit.app.outputs import mask_text

    assert mask_text(f"worker_id=A1; national_id={spelt}") == f"worker_id=A1; national_id={shown}"


def test_outputs_and_the_cache_are_owner_only(tmp_path):
    store = LocalStorage(tmp_path / "out")
    store.write("cache/ab/cd.json", b"{}")
    assert (tmp_path / "out" / "cache" / "ab" / "cd.json").stat().st_mode & 0o777 == 0o600
    assert store.list() == ["cache/ab/cd.json"]  # no temporary file left


def test_a_profile_with_yaml_aliases_is_refused_by_name():
    from preaudit.core.packs import load_packs
    from preaudit.core.profile import ProfileError, parse_profile

    bomb = PROFILE + 'legal_name: &a ["x", "x"]\nuscc: [*a, *a, *a]\n'
    with pytest.raises(ProfileError, match=r"YAML aliases \(\*a\) are not accepted"):
        parse_profile(bomb, load_packs())


def test_a_damaged_previous_findings_json_is_set_aside(tmp_path):
    from preaudit.app.outputs import read_findings

    (tmp_path / "findings.json").write_text('{"findings": [{"rule_id": "LAB-', encoding="utf-8")  # a killed run
    assert read_findings(LocalStorage(tmp_path)) is None
    assert (tmp_path / "findings.json.corrupt").read_text(encoding="utf-8").startswith('{"findings"')


def test_an_out_that_is_a_file_is_refused_before_the_audit(tmp_path):
    from typer.testing import CliRunner

    from preaudit.cli import app

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "factory.yaml").write_text(PROFILE, encoding="utf-8")
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(pack), "--out", str(tmp_path / "taken")])
    assert result.exit_code == 2 and "is a file, not a folder" in " ".join(result.output.split())


def test_one_far_cell_does_not_make_a_sheet_of_billions():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["工号", "姓名", "基本工资", "实发工资"])
    sheet.append(["A1", "王芳", 3000, 2900])
    sheet["XFD1048576"] = "x"
    buf = io.BytesIO()
    book.save(buf)
    data = buf.getvalue()
    result = read_document(Document("pay.xlsx", "0" * 64, len(data), "xlsx"), data, HeaderMapper())
    assert result.report.status is DocStatus.OK and result.tables[0].df["net_pay"].to_list() == [2900]


# ---------------------------------------------------------------- bounds, each set in factory.yaml

def test_a_pdf_of_thousands_of_pages_and_a_tiff_of_thousands_of_frames_are_refused_unrendered(monkeypatch):
    import extractors.pages

    def never(*args, **kwargs):
        raise AssertionError("a page was rendered or decoded past the limit")
    monkeypatch.setattr(extractors.pages, "_ocr_parallel", never)
    for name, data, bound in [("blank.pdf", pdf_pages(2_000, (595, 842)), "limits.pages_per_document"),
                              ("frames.tif", tiff_frames(1_200), "limits.image_frames")]:
        report = read_document(Document(name, "0" * 64, len(data), sniff_format(name, data[:16])), data,
                               HeaderMapper()).report
        assert report.status is DocStatus.UNREADABLE and bound in report.reason, report.reason


def test_the_profiles_limits_are_the_ones_applied(tmp_path):
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "a-pay.csv").write_text("工号,姓名,基本工资,实发工资\nA1,王芳,3000,2900\n", encoding="utf-8")
    (pack / "b-long.csv").write_text("工号,姓名\nA1,王芳王芳王芳王芳王芳王芳\n", encoding="utf-8")
    (pack / "c-scan.pdf").write_bytes(pdf_pages(3, (595, 842)))
    (pack / "d-late.csv").write_text("工号,姓名,基本工资,实发工资\nA2,李四,3000,2900\n", encoding="utf-8")
    first_three = sum((pack / name).stat().st_size for name in ("a-pay.csv", "b-long.csv", "c-scan.pdf"))
    (pack / "factory.yaml").write_text(PROFILE + f"limits: {{pages_per_document: 2, bytes_per_pack: {first_three}, "
                                                 "bytes_per_field: 10}\n", encoding="utf-8")
    result = audit(LocalStorage(pack))
    reasons = {d.path: d.reason for d in result.documents if d.status is DocStatus.UNREADABLE}
    assert "limits.bytes_per_field" in reasons["b-long.csv"]
    assert "3 is over the limit of 2 (limits.pages_per_document" in reasons["c-scan.pdf"]
    assert "limits.bytes_per_pack" in reasons["d-late.csv"] and "a-pay.csv" not in reasons
    unreadable = {f.subject.get("document") for f in result.findings if f.rule_id == "DQ-UNREADABLE"}
    assert {"b-long.csv", "c-scan.pdf", "d-late.csv"} <= unreadable


@pytest.mark.parametrize("limits, message", [
    ("{pages_per_doc: 5}", "limits.pages_per_doc: unknown bound, did you mean 'pages_per_document'?"),
    ("{image_frames: -1}", "limits.image_frames: -1 is not a whole number above 0"),
    ("{ocr_seconds_per_page: .nan}", "limits.ocr_seconds_per_page: nan is not a whole number above 0"),
    ("[1, 2]", "limits: must be a mapping"),
])
def test_a_bound_that_cannot_be_used_is_refused_by_name(limits, message):
    from preaudit.core.packs import load_packs
    from preaudit.core.profile import ProfileError, parse_profile

    with pytest.raises(ProfileError) as refused:
        parse_profile(PROFILE + f"limits: {limits}\n", load_packs())
    assert message in str(refused.value)


def test_a_misspelt_field_is_named_with_what_was_meant():
    from preaudit.core.packs import load_packs
    from preaudit.core.profile import ProfileError, parse_profile

    with pytest.raises(ProfileError, match="overides: unknown field, did you mean 'overrides'"):
        parse_profile(PROFILE + "overides: {max_daily_hours: 10}\n", load_packs())


# ---------------------------------------------------------------- the whole hostile pack, end to end

_PEAK_RSS = """import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print("peak-rss-kb", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


def test_a_hostile_pack_beside_good_documents_costs_only_its_own_findings(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    from preaudit.samples.generator import generate
    from tests.support import hostile_pack

    good = tmp_path / "good"
    generate(style="en", seed=7).write(good)
    bad = hostile_pack.write(tmp_path / "hostile", good, tmp_path / "outside-secret.csv")
    alone = audit(LocalStorage(good))

    cli = Path(sys.executable).with_name("preaudit")
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-c", _PEAK_RSS, str(cli), "run", str(tmp_path / "hostile"),
                          "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env, timeout=1200)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    peak_kb = int(run.stdout.rsplit("peak-rss-kb", 1)[1].split()[0])
    print(f"hostile pack: peak RSS of the largest process {peak_kb / 1024:.0f} MB")
    assert peak_kb < 2 * 1024 * 1024, f"a process went past 2 GB: {peak_kb / 1024:.0f} MB"
    assert "Traceback" not in run.stdout + run.stderr

    findings = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))["findings"]

    def named(finding) -> set[str]:
        return {finding["subject"].get("document")} | {e["document"] for e in finding["evidence"]}

    for path in bad:  # each bad file has its finding, with a reason a person can read
        own = [f for f in findings if f["rule_id"].startswith("DQ-") and path in named(f)]
        assert own, f"no finding for {path!r}"
        assert all("could not be read: the file is damaged" not in f["message"] or path.endswith(".xlsx")
                   for f in own), own
    # the file the symlink points at, outside the pack, is never read: none of its values is in any output
    outputs = json.dumps(findings, ensure_ascii=False) + (tmp_path / "out" / "findings.csv").read_text(
        encoding="utf-8") + (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "不该读" not in outputs and "S9" not in json.dumps(findings, ensure_ascii=False)

    def key(rule, subject, period):
        return rule, json.dumps(subject, sort_keys=True, ensure_ascii=False), period

    def a_bad_files_own(finding) -> bool:
        """A bad file's own data-quality finding: about that file, citing nothing but bad files,
        or saying that a bad file is a copy of a good one."""
        cited = {e["document"] for e in finding["evidence"]}
        return finding["rule_id"].startswith("DQ-") and (
            finding["subject"].get("document") in bad or bool(cited) and cited <= set(bad)
            or finding["rule_id"] == "DQ-DUPLICATE-DOCUMENT" and "bad/copy-of-a-good-one.csv" in cited)

    # everything but the bad files' own findings is exactly what the good documents give alone,
    # finding for finding (a finding may cite the copy of a good document: the same bytes, read once)
    from collections import Counter

    with_hostile = Counter(key(f["rule_id"], f["subject"], (f["period"] or {}).get("start"))
                           for f in findings if not a_bad_files_own(f))
    good_alone = Counter(key(f.rule_id, f.to_json()["subject"], (f.to_json()["period"] or {}).get("start"))
                         for f in alone.findings)
    assert len(good_alone) > 20, "the good pack gives (almost) no findings: nothing to compare"
    missing, extra = good_alone - with_hostile, with_hostile - good_alone
    why = [f["message"] for f in findings if f["rule_id"].startswith("DQ-") and not a_bad_files_own(f)]
    assert not missing and not extra, f"lost beside the hostile files: {sorted(missing)}; " \
                                      f"gained: {sorted(extra)}; the good documents' DQ findings: {why}"


@pytest.mark.parametrize("encoding", ["utf-16", "gbk", "utf-8-sig"])
def test_rule_packs_saved_by_a_windows_editor_are_read(tmp_path, encoding):
    import shutil

    from preaudit.core.packs import DEFAULT_RULES_DIR, load_packs

    for path in DEFAULT_RULES_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    shanghai = tmp_path / "CN-SH.yaml"
    shanghai.write_bytes(shanghai.read_text(encoding="utf-8").replace("title:", "# 上海市\ntitle:", 1).encode(encoding))
    read = load_packs(tmp_path)["CN-SH"]
    assert read.parameters == load_packs()["CN-SH"].parameters and read.title == load_packs()["CN-SH"].title


# ---------------------------------------------------------------- every bound, each exceeded

def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _text_page_png() -> bytes:
    """An A4 page at 300 dpi full of small text: Tesseract needs seconds for it."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=28)
    for k in range(100):
        draw.text((100, 100 + 33 * k), f"E{1000 + k} Wang Fang 2026-03-{k % 28 + 1:02d} 08:00 17:30 "
                                      f"overtime 2.5 h net pay 3,250.00 signed by the manager", fill=0, font=font)
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


PAY = "工号,姓名,基本工资,实发工资\nA1,王芳,3000,2900\n"
#: bound → (its value in factory.yaml, the documents, the one over the bound)
BOUNDS = {
    "pages_per_document": (2, lambda: {"scan.pdf": pdf_pages(3, (595, 842))}, "scan.pdf"),
    "page_pixels": (500_000, lambda: {"scan.pdf": pdf_pages(1, (595, 842))}, "scan.pdf"),  # A4 at 100 dpi: 0.97 Mpx
    "image_frames": (2, lambda: {"frames.tif": tiff_frames(3)}, "frames.tif"),
    "cells_per_sheet": (10, lambda: {"pay.xlsx": _xlsx([["工号", "姓名", "基本工资", "实发工资"]]
                                                       + [[f"A{k}", "王芳", 3000, 2900] for k in range(3)])}, "pay.xlsx"),
    "bytes_per_field": (10, lambda: {"pay.csv": "工号,姓名,基本工资,实发工资\nA1,Wang Fang Li,3000,2900\n".encode()},
                        "pay.csv"),
    "bytes_per_line": (40, lambda: {"pay.csv": ("工号,姓名,基本工资,实发工资,备注\nA1,王芳,3000,2900,"
                                               + ",".join(["x"] * 30) + "\n").encode()}, "pay.csv"),
    "bytes_per_document": (100, lambda: {"pay.csv": (PAY + "".join(f"A{k},王芳,3000,2900\n" for k in range(2, 10)))
                                         .encode()}, "pay.csv"),
    "bytes_per_pack": (len(PAY.encode()) + 10, lambda: {"a-pay.csv": PAY.encode(), "b-pay.csv": PAY.encode()},
                       "b-pay.csv"),
    "ocr_seconds_per_page": (1, lambda: {"page.png": _text_page_png()}, "page.png"),
    # a document's OCR over its budget (issue 27, item 13: a 999-page scan within every other bound)
    "ocr_seconds_per_document": (1, lambda: {"page.png": _text_page_png()}, "page.png"),
    # a run over its budget: what is not read by then is passed over, each with its finding
    "seconds_per_run": (1, lambda: {"a-page.png": _text_page_png(), "b-pay.csv": PAY.encode()}, "b-pay.csv"),
}


def test_every_bound_has_its_case():
    from preaudit.core.limits import LIMIT_NAMES

    assert sorted(BOUNDS) == sorted(LIMIT_NAMES)


@pytest.mark.parametrize("bound", sorted(BOUNDS))
def test_each_bound_exceeded_is_dq_unreadable_naming_it(tmp_path, bound):
    """README "Bounds": a document over any bound of factory.yaml's limits: is DQ-UNREADABLE naming
    limits.NAME; the same documents under the default bounds are read."""
    value, files, over = BOUNDS[bound]
    for name, data in files().items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "factory.yaml").write_text(PROFILE, encoding="utf-8")
    if not bound.endswith("seconds_per_page"):  # a page of text takes its seconds: read it under a bound only
        plain = audit(LocalStorage(tmp_path))
        assert not [f for f in plain.findings if f.rule_id == "DQ-UNREADABLE" and f"limits.{bound}" in f.message]
    (tmp_path / "factory.yaml").write_text(PROFILE + f"limits: {{{bound}: {value}}}\n", encoding="utf-8")
    result = audit(LocalStorage(tmp_path))
    named = [f for f in result.findings if f.rule_id == "DQ-UNREADABLE" and f.subject.get("document") == over]
    assert named and f"limits.{bound}" in named[0].message, [(f.rule_id, f.subject, f.message) for f in result.findings
                                                             if f.rule_id.startswith("DQ-UNREAD")]
    others = {f.subject.get("document") for f in result.findings if f.rule_id == "DQ-UNREADABLE"} - {over}
    assert not others, others
