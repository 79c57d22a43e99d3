"""Issue 27 item 5: no national ID in clear anywhere unless --unmasked — findings.json, findings.csv,
report.html and its embedded data (gzip + base64, inflated here), the progress lines on stdout,
Prefect's logs (captured at INFO) and artifacts (read back through the Prefect client) — for a CN
resident ID, a Vietnamese CCCD and an Indian Aadhaar, as worker ids and in file names in any
spelling (spaces, hyphens, underscores, full-width digits). Item 13 (part): no raw terminal escape
from a file name reaches the screen or the log."""
from __future__ import annotations

import io
import json
import logging
import re
import unicodedata

import pytest
from stdnum import verhoeff

from preaudit.core.identifiers import ric_check_char
from tests.support.report_data import embedded

CN = "31011519900101602" + ric_check_char("31011519900101602")
VN = "079198123456"                                      # CCCD: a man born 1998 in Ho Chi Minh City
IN = "23456789012" + verhoeff.calc_check_digit("23456789012")
IDS = {"CN": CN, "VN": VN, "IN": IN}
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
PROFILE = "factory_id: F-IDS\njurisdiction: CN-SH\naudit_date: 2026-04-15\nperiod: {start: 2026-03-01, end: 2026-03-31}\n"
ESCAPES = "\x1b[31m red \x07"


def spellings(number: str) -> dict[str, str]:
    groups = [number[:6], number[6:14], number[14:]] if len(number) == 18 else [number[:4], number[4:8], number[8:]]
    return {"spaces": " ".join(groups), "hyphens": "-".join(groups), "underscores": "_".join(groups),
            "full-width": number.translate(FULL_WIDTH), "plain": number}


def in_clear(text: str) -> list[str]:
    """Which IDs a text holds in clear, however spelt (full-width digits folded, separators dropped)."""
    folded = re.sub(r"[\s\-_\u2010-\u2013\uff0d]", "", unicodedata.normalize("NFKC", text))
    return [country for country, number in IDS.items() if number in folded]


def write_pack(pack):
    pack.mkdir()
    (pack / "factory.yaml").write_text(PROFILE, encoding="utf-8")
    rows = "".join(f"{worker},工人{k},2026-03-{day:02d},08:00,23:30\n"
                   for k, worker in enumerate(IDS.values()) for day in (2, 3, 4))
    (pack / f"考勤 {spellings(CN)['spaces']}.csv").write_text("工号,姓名,日期,上班时间,下班时间\n" + rows,
                                                            encoding="utf-8")
    names = [f"张三 {text}.csv" for number in IDS.values() for text in spellings(number).values()]
    names.append(f"evil{ESCAPES}name.csv")
    for name in names:
        (pack / name).write_bytes(b"nothing a reader takes\n")
    return names


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    from prefect.client.orchestration import get_client

    from flows.audit import audit_pack

    tmp = tmp_path_factory.mktemp("ids")
    pack, out = tmp / "pack", tmp / "out"
    write_pack(pack)
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(self.format(record))

    keep = Keep(logging.INFO)
    keep.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    loggers = [logging.getLogger(n) for n in ("", "prefect", "prefect.flow_runs", "prefect.task_runs")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(keep)
        lg.setLevel(logging.INFO)
    stdout = io.StringIO()
    import contextlib

    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, LogFilter, LogFilterFlowRunId

    import flows.audit
    from preaudit.core.storage import StorageError

    extract, failed = flows.audit.pipeline.extract_cached, []

    def hiccup(storage, document, *args, **kwargs):
        """The store fails once on the timesheet: Prefect logs the retry, naming the document."""
        if document.path.startswith("考勤") and not failed:
            failed.append(document.path)
            raise StorageError(f"{document.path}: the store did not answer")
        return extract(storage, document, *args, **kwargs)

    try:
        with contextlib.redirect_stdout(stdout), pytest.MonkeyPatch.context() as patch:
            patch.setattr(flows.audit.pipeline, "extract_cached", hiccup)
            state = audit_pack(str(pack), out=str(out), cache=None, return_state=True)
        summary = state.result()
        run_id = state.state_details.flow_run_id
        with get_client(sync_client=True) as client:  # the server may hold other runs: this one's only
            artifacts = client.read_artifacts(
                artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run_id])))
            logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))
    finally:
        for lg, level in zip(loggers, levels):
            lg.removeHandler(keep)
            lg.setLevel(level)
    artifact_text = "\n".join(f"{a.key} {a.description} {json.dumps(a.data, ensure_ascii=False)}" for a in artifacts)
    return {"summary": summary, "out": out, "stdout": stdout.getvalue(), "log records": "\n".join(records),
            "prefect logs": "\n".join(log.message for log in logs), "artifacts": artifact_text}


def test_every_document_was_read_and_named(audited):
    stdout = audited["stdout"]
    assert stdout.count("/") >= 17 and "reading" in stdout
    findings = json.loads((audited["out"] / "findings.json").read_text(encoding="utf-8"))
    assert len(findings["documents"]) == 17  # the timesheet and 16 junk files, each named


def test_no_id_in_clear_in_any_output(audited):
    out = audited["out"]
    html = (out / "report.html").read_text(encoding="utf-8")
    data = embedded(html)
    channels = {"findings.json": (out / "findings.json").read_text(encoding="utf-8"),
                "findings.csv": (out / "findings.csv").read_text(encoding="utf-8-sig"),
                "report.html": html, "report data": data}
    for name, text in channels.items():
        assert in_clear(text) == [], name
    workers = json.loads(data)["workers"]
    assert len(workers) == 3 and all("*" in w for w in workers)  # the series are there, by masked id


def test_no_id_in_clear_on_the_screen_or_in_prefects_logs(audited):
    assert audited["artifacts"]
    for name in ("log records", "prefect logs"):  # the retry named the document, masked
        assert "考勤 31**** ******** " in audited[name] and "the store did not answer" in audited[name], name
    for name in ("stdout", "log records", "prefect logs", "artifacts"):
        assert in_clear(audited[name]) == [], (name, audited[name][:2000])


def test_no_raw_terminal_escape_reaches_the_screen_or_the_log(audited):
    for name in ("stdout", "log records", "prefect logs"):
        assert "\x1b" not in audited[name] and "\x07" not in audited[name], name
    assert "evil\\x1b[31m red \\x07name.csv" in audited["stdout"]  # shown, escaped


@pytest.mark.parametrize("country", list(IDS))
@pytest.mark.parametrize("spelling", ["spaces", "hyphens", "underscores", "full-width", "plain"])
def test_mask_text_masks_each_spelling(country, spelling):
    from preaudit.app.outputs import mask_text

    text = f"张三 {spellings(IDS[country])[spelling]}.csv: not read"
    assert in_clear(mask_text(text)) == [] and mask_text(text).endswith(".csv: not read")


def test_unmasked_keeps_findings_json_only(tmp_path):
    from preaudit.app.outputs import write_outputs
    from preaudit.app.pipeline import audit
    from preaudit.core.storage import LocalStorage

    pack = tmp_path / "pack"
    write_pack(pack)
    write_outputs(audit(LocalStorage(pack)), LocalStorage(tmp_path / "out"), unmasked=True)
    assert set(in_clear((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))) == set(IDS)
    assert in_clear(embedded((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))) == []
    assert in_clear((tmp_path / "out" / "findings.csv").read_text(encoding="utf-8-sig")) == []
