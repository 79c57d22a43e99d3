"""The nightly deployment, served by `preaudit serve` against a real Prefect server on loopback,
triggered once and run to completion over a factory in the S3 test server."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.s3server import free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_UI_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=open(home / "server.log", "wb"), stderr=subprocess.STDOUT,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/health", timeout=2)
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"prefect server exited; see {home / 'server.log'}")
            time.sleep(0.5)
    else:
        os.killpg(server.pid, signal.SIGKILL)
        pytest.fail("prefect server did not become healthy in 120 s")
    yield url
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def test_one_scheduled_run_triggered_through_the_deployment(prefect_api, s3_env, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from preaudit.samples.generator import generate
    from preaudit.core.storage import open_storage

    _, bucket = s3_env
    sample = generate(style="en", seed=7)
    sample.write(tmp_path / "pack")
    env = {**os.environ, "PREFECT_API_URL": prefect_api}
    uploaded = subprocess.run([str(BIN / "preaudit"), "upload", str(tmp_path / "pack"), "--store", f"s3://{bucket}"],
                              env=env, capture_output=True, text=True, timeout=120)
    assert uploaded.returncode == 0, uploaded.stdout + uploaded.stderr
    serve = subprocess.Popen([str(BIN / "preaudit"), "serve", "--store", f"s3://{bucket}", "--cron", "0 2 * * *",
                              "--timezone", "Asia/Shanghai"], cwd=ROOT, env=env,
                             stdout=open(tmp_path / "serve.log", "wb"), stderr=subprocess.STDOUT,
                             start_new_session=True)
    try:
        with temporary_settings({PREFECT_API_URL: prefect_api}):
            deployment = None
            for _ in range(120):
                try:
                    with get_client(sync_client=True) as client:
                        deployment = client.read_deployment_by_name("nightly-audit/nightly-audit")
                    break
                except Exception:  # noqa: BLE001 - not registered yet
                    assert serve.poll() is None, (tmp_path / "serve.log").read_text()
                    time.sleep(0.5)
            assert deployment is not None, (tmp_path / "serve.log").read_text()
            schedule = deployment.schedules[0].schedule
            assert (schedule.cron, schedule.timezone) == ("0 2 * * *", "Asia/Shanghai")
            run = run_deployment("nightly-audit/nightly-audit", timeout=300, poll_interval=2)
        assert run.state.is_completed(), run.state
    finally:
        os.killpg(serve.pid, signal.SIGKILL)
    reports = open_storage(f"s3://{bucket}/reports/F-SH-0001")
    latest = json.loads(reports.read("latest.json"))
    findings = json.loads(reports.child(latest["run_id"]).read("findings.json"))
    assert len(findings["findings"]) == len(sample.truth)
