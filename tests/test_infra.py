"""Docker cannot run here, so the production files are checked for structure and kept in step
with the code: service names, environment variables the code reads, the deployment's entrypoint,
parameters and schedule."""
from __future__ import annotations

import inspect
import re
from pathlib import Path

import yaml

from flows.nightly import nightly_audit

INFRA = Path(__file__).resolve().parents[1] / "infra"


def test_compose_has_the_services_and_the_variables_the_code_reads():
    compose = yaml.safe_load((INFRA / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"minio", "postgres", "prefect-server", "worker"} <= set(services)
    assert "postgresql+asyncpg://" in services["prefect-server"]["environment"]["PREFECT_API_DATABASE_CONNECTION_URL"]
    worker_env = services["worker"]["environment"]
    storage_code = (INFRA.parent / "preaudit" / "core" / "storage.py").read_text()
    read_by_code = set(re.findall(r'os\.environ\.get\("(MINIO_[A-Z_]+)"', storage_code))
    assert read_by_code == {"MINIO_ENDPOINT", "MINIO_ACCESS_KEY", "MINIO_SECRET_KEY", "MINIO_SECURE"}
    assert read_by_code <= set(worker_env)
    assert worker_env["PREFECT_API_URL"].startswith("http://prefect-server:4200")
    assert worker_env["MINIO_ENDPOINT"].startswith("minio:")
    assert (INFRA / services["worker"]["command"].split()[-1].replace("infra/", "")).exists()
    example = dict(line.split("=", 1) for line in (INFRA / ".env.example").read_text().split())
    needed = set(re.findall(r"\$\{([A-Z_]+)", (INFRA / "docker-compose.yml").read_text()))
    assert needed <= set(example)


def test_deployment_file_matches_the_flow():
    config = yaml.safe_load((INFRA / "prefect.yaml").read_text())
    (deployment,) = config["deployments"]
    path, name = deployment["entrypoint"].split(":")
    assert (INFRA.parent / path).exists() and name == nightly_audit.fn.__name__
    assert set(deployment["parameters"]) == set(inspect.signature(nightly_audit.fn).parameters)
    (schedule,) = deployment["schedules"]
    from preaudit import cli
    serve = inspect.signature(cli.serve).parameters
    assert schedule["cron"] == serve["cron"].default.default
    assert schedule["timezone"] == serve["timezone"].default.default
    script = (INFRA / "start-worker.sh").read_text()
    assert deployment["work_pool"]["name"] in (script + (INFRA / "docker-compose.yml").read_text())
    assert "infra/prefect.yaml" in script


def test_every_extraction_tag_has_a_concurrency_limit_on_the_pool():
    from flows.audit import EXTRACTION_TAGS, extraction_tags
    from preaudit.core.model import Document

    script = (INFRA / "start-worker.sh").read_text()
    created = set(re.findall(r"concurrency-limit create (\S+)", script))
    assert set(EXTRACTION_TAGS) == created
    scan, sheet = (Document(name, "0" * 64, 1, fmt) for name, fmt in (("a.pdf", "pdf"), ("b.xlsx", "xlsx")))
    assert extraction_tags(scan) == ["extract", "ocr"] and extraction_tags(sheet) == ["extract"]


def test_published_ports_are_on_loopback_unless_the_operator_says_otherwise():
    """Prefect's API has no authentication and MinIO's console is a login page: neither is published
    on every interface by default (issue 27, item 13)."""
    compose = yaml.safe_load((INFRA / "docker-compose.yml").read_text())
    published = [port for service in compose["services"].values() for port in service.get("ports", [])]
    assert published and all(port.startswith("${PREAUDIT_BIND:-127.0.0.1}:") for port in published), published
    example = dict(line.split("=", 1) for line in (INFRA / ".env.example").read_text().split())
    assert example["PREAUDIT_BIND"] == "127.0.0.1"
