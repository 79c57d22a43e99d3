"""Object storage, the extraction cache, run history and the nightly run, against a real S3
server (SeaweedFS on loopback, see tests/support/s3server.py)."""
from __future__ import annotations

import json
import threading
from collections import Counter

import pytest
from typer.testing import CliRunner

import preaudit.app.pipeline as pipeline
from flows.audit import audit_pack
from flows.nightly import nightly_audit
from preaudit.cli import app
from preaudit.samples.generator import generate
from preaudit.core.storage import LocalStorage, S3Storage, StorageError, open_storage
from tests.support.store import change_visitor_exits, upload


def keys(findings_json: dict) -> set:
    return {(f["rule_id"], tuple(sorted(f["subject"].items())), (f["period"] or {}).get("start"))
            for f in findings_json["findings"]}


def test_storage_interface_on_s3(s3_env):
    _, bucket = s3_env
    root = S3Storage(bucket)
    root.ensure_bucket()
    pack = open_storage(f"s3://{bucket}/inbox/F1/")
    pack.write("a/b.csv", "工号\n".encode())
    assert pack.list() == ["a/b.csv"] and pack.read("a/b.csv") == "工号\n".encode()
    assert pack.head("a/b.csv", 3) == "工".encode()  # a ranged GET: discovery reads no more
    assert pack.exists("a/b.csv") and not pack.exists("nope.csv")
    assert list(pack.fingerprints()) == ["a/b.csv"]
    assert "preaudit-test" not in repr(pack) and repr(pack) == f"S3Storage(s3://{bucket}/inbox/F1/)"


def test_run_from_s3_then_from_the_cache_then_a_changed_document_alone(s3_env, tmp_path, monkeypatch):
    _, bucket = s3_env
    sample, folder = upload(tmp_path, bucket, "en", 7)
    runner = CliRunner()
    pack = f"s3://{bucket}/inbox/F-SH-0001/"
    first = runner.invoke(app, ["run", pack])
    assert first.exit_code == 0, first.output
    assert "0 unchanged (from the cache)" in first.output
    reports = open_storage(f"s3://{bucket}/reports/F-SH-0001")
    latest = json.loads(reports.read("latest.json"))
    findings = json.loads(reports.child(latest["run_id"]).read("findings.json"))
    assert keys(findings) == {t.key() for t in sample.truth}
    cached = open_storage(f"s3://{bucket}/cache").list()  # what each document yields, kept by content
    assert cached and all(key.startswith("F-SH-0001/") for key in cached)  # in the factory's own prefix

    def no_reading(*args, **kwargs):
        raise AssertionError("an extractor ran for an unchanged document")

    reads: Counter = Counter()
    real_read = S3Storage.read

    def counted(self, path):
        reads[(self.location, path)] += 1
        return real_read(self, path)

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "read_document", no_reading)
        patch.setattr(S3Storage, "read", counted)
        second = audit_pack(pack, reports=f"s3://{bucket}/reports", cache=f"s3://{bucket}/cache/F-SH-0001")
    assert second.extracted == 0 and second.from_cache == second.documents
    # each document downloaded once, to hash it: the cache answers for what it yields
    documents = {path: n for (location, path), n in reads.items()
                 if location == open_storage(pack).location and path != "factory.yaml"}
    assert len(documents) == second.documents and set(documents.values()) == {1}
    again = json.loads(reports.child(second.run_id).read("findings.json"))
    assert keys(again) == keys(findings) and {f["history"] for f in again["findings"]} == {"open"}
    assert again["resolved"] == []

    visitors = (folder / "security" / "visitors.csv").read_text(encoding="utf-8")
    (folder / "security" / "visitors.csv").write_text(visitors.replace(",09:00,,V005,", ",09:00,16:30,V005,"),
                                                      encoding="utf-8")
    open_storage(pack).write("security/visitors.csv", (folder / "security" / "visitors.csv").read_bytes())
    third = audit_pack(pack, reports=f"s3://{bucket}/reports", cache=f"s3://{bucket}/cache/F-SH-0001")
    assert third.extracted == 1 and third.from_cache == third.documents - 1
    after = json.loads(reports.child(third.run_id).read("findings.json"))
    assert [r["rule_id"] for r in after["resolved"]] == ["SEC-VISITOR-EXIT"]


def test_storage_killed_and_restarted_mid_run(s3_env, tmp_path, monkeypatch):
    server, bucket = s3_env
    sample, _ = upload(tmp_path, bucket, "zh-gbk", 3)
    real_extract = pipeline.extract_cached
    outage = threading.Event()

    def extract_during_outage(*args, **kwargs):
        if not outage.is_set():  # the first extraction takes the store down; it is back 4 s later
            outage.set()
            server.kill()
            threading.Timer(4.0, server.start).start()
        return real_extract(*args, **kwargs)

    monkeypatch.setattr(pipeline, "extract_cached", extract_during_outage)
    summary = audit_pack(f"s3://{bucket}/inbox/F-SH-0001", out=f"s3://{bucket}/out", cache=f"s3://{bucket}/cache")
    assert outage.is_set()
    findings = json.loads(open_storage(f"s3://{bucket}/out").read("findings.json"))
    assert len(findings["findings"]) == len(sample.truth) == summary.findings  # none lost, none doubled
    assert keys(findings) == {t.key() for t in sample.truth}


def test_a_storage_outage_that_lasts_is_an_error_not_a_hang(tmp_path, monkeypatch):
    from tests.support.s3server import free_port

    monkeypatch.setenv("MINIO_ENDPOINT", f"127.0.0.1:{free_port()}")
    monkeypatch.setenv("MINIO_ACCESS_KEY", "access-Q7X")
    monkeypatch.setenv("MINIO_SECRET_KEY", "secret-Z9K4")
    with pytest.raises(StorageError):
        open_storage("s3://nowhere/inbox/F1/").list()
    result = CliRunner().invoke(app, ["run", "s3://nowhere/inbox/F1/"])
    assert result.exit_code == 2 and "error:" in result.output
    assert "secret-Z9K4" not in result.output and "access-Q7X" not in result.output
    no_bucket = CliRunner().invoke(app, ["run", "s3:///inbox/F1/"])
    assert no_bucket.exit_code == 2 and "names no bucket" in no_bucket.output


def test_nightly_audits_changed_factories_only_and_reports_history(s3_env, tmp_path):
    _, bucket = s3_env
    store = f"s3://{bucket}"
    upload(tmp_path, bucket, "en", 7, "F-A")
    _, folder_b = upload(tmp_path, bucket, "mixed", 11, "F-B")

    assert nightly_audit(store) == {"F-A": "audited", "F-B": "audited"}
    assert nightly_audit(store) == {"F-A": "unchanged", "F-B": "unchanged"}  # the second night reads nothing

    change_visitor_exits(store, "F-B", folder_b)

    assert nightly_audit(store) == {"F-A": "unchanged", "F-B": "audited"}
    reports = open_storage(f"{store}/reports/F-B")
    latest = json.loads(reports.read("latest.json"))
    doc = json.loads(reports.child(latest["run_id"]).read("findings.json"))
    new = [(f["rule_id"], f["subject"]) for f in doc["findings"] if f["history"] == "new"]
    assert new == [("SEC-VISITOR-EXIT", {"visitor": "Tom Baker|2026-03-04"})]
    assert [(r["rule_id"], r["subject"]) for r in doc["resolved"]] == [("SEC-VISITOR-EXIT", {"visitor": "孙梅|2026-05-13"})]
    csv_text = reports.child(latest["run_id"]).read("findings.csv").decode("utf-8-sig")
    assert ",resolved," in csv_text and ",new," in csv_text


def test_one_factorys_failure_does_not_stop_the_others(s3_env, tmp_path):
    _, bucket = s3_env
    upload(tmp_path, bucket, "en", 7, "F-GOOD")
    broken = open_storage(f"s3://{bucket}/inbox/F-BROKEN")
    broken.write("factory.yaml", b"factory_id: F-BROKEN\njurisdiction: CN\n")  # no dates: cannot run
    broken.write("time.csv", b"x")
    outcome = nightly_audit(f"s3://{bucket}")
    assert outcome["F-GOOD"] == "audited" and outcome["F-BROKEN"].startswith("failed")


def test_local_packs_cache_by_content(tmp_path):
    sample = generate(style="en", seed=7)
    sample.write(tmp_path / "pack")
    cache = str(tmp_path / "cache")
    first = audit_pack(str(tmp_path / "pack"), out=str(tmp_path / "out"), cache=cache)
    # the same documents under other names and folders are still the same documents
    renamed = tmp_path / "renamed"
    for path in LocalStorage(tmp_path / "pack").list():
        target = renamed / ("x-" + path.replace("/", "-") if path != "factory.yaml" else path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((tmp_path / "pack" / path).read_bytes())
    second = audit_pack(str(renamed), out=str(tmp_path / "out2"), cache=cache)
    assert first.extracted == first.documents and second.extracted == 0
    evidence_docs = {e.document for f in second.result.findings for e in f.evidence}
    assert evidence_docs and all(d.startswith("x-") for d in evidence_docs if d != "factory.yaml")


def test_credentials_from_a_prefect_secret_block(s3_env, monkeypatch):
    from prefect.blocks.system import Secret

    server, bucket = s3_env
    env = server.env()
    Secret(value={"endpoint": env["MINIO_ENDPOINT"], "access_key": env["MINIO_ACCESS_KEY"],
                  "secret_key": env["MINIO_SECRET_KEY"], "secure": "false"}).save("preaudit-test-minio", overwrite=True)
    for key in env:
        monkeypatch.delenv(key)
    monkeypatch.setenv("PREAUDIT_MINIO_BLOCK", "preaudit-test-minio")
    store = S3Storage(bucket)
    store.ensure_bucket()
    store.write("x.txt", b"1")
    assert store.list() == ["x.txt"]


def test_upload_mirrors_the_folder_so_a_withdrawn_document_is_not_audited(s3_env, tmp_path):
    _, bucket = s3_env
    _, folder = upload(tmp_path, bucket, "en", 7, "F-W")
    (folder / "misc" / "canteen-menu.csv").unlink()
    result = CliRunner().invoke(app, ["upload", str(folder), "--store", f"s3://{bucket}"])
    assert result.exit_code == 0 and "removed 1 no longer in the pack" in " ".join(result.output.split())
    remote = open_storage(f"s3://{bucket}/inbox/F-W").list()
    assert "misc/canteen-menu.csv" not in remote and sorted(remote) == LocalStorage(folder).list()


def test_a_store_lost_for_good_ends_the_run_in_one_line(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.support.s3server import free_port

    generate(style="en", seed=7).write(tmp_path / "pack")
    env = {**os.environ, "PREAUDIT_STORAGE_RETRIES": "1", "MINIO_ENDPOINT": f"127.0.0.1:{free_port()}",
           "MINIO_ACCESS_KEY": "access-Q7X", "MINIO_SECRET_KEY": "secret-Z9K4", "MINIO_SECURE": "false",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", None)
    run = subprocess.run([str(Path(sys.executable).with_name("preaudit")), "run", str(tmp_path / "pack"),
                          "--out", str(tmp_path / "out"), "--cache", "s3://nowhere/cache"],
                         capture_output=True, text=True, env=env, timeout=600)
    lines = (run.stdout + run.stderr).strip().splitlines()
    assert run.returncode == 2, lines
    assert lines[-1].startswith("error: ") and lines[-1].endswith("Connection refused (after retrying)"), lines
    assert len(lines) <= 2 and "Traceback" not in run.stdout + run.stderr, lines  # was ~400 lines of retries
