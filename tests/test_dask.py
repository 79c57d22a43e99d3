"""Extraction on a Dask cluster by address (a local cluster here, in its own processes)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def dask_address():
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                           host="127.0.0.1")
    yield cluster.scheduler_address
    cluster.close()


def test_audit_on_a_dask_cluster_gives_the_same_findings(dask_address, tmp_path):
    from distributed import Client
    from typer.testing import CliRunner

    from preaudit.cli import app
    from preaudit.samples.generator import generate

    sample = generate(style="bilingual-xlsx", seed=7)
    sample.write(tmp_path / "pack")
    result = CliRunner().invoke(app, ["run", str(tmp_path / "pack"), "--out", str(tmp_path / "out"),
                                      "--cache", str(tmp_path / "cache"), "--dask", dask_address])
    assert result.exit_code == 0, result.output
    import json
    findings = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    found = {(f["rule_id"], tuple(sorted(f["subject"].items())), (f["period"] or {}).get("start"))
             for f in findings["findings"]}
    assert found == {t.key() for t in sample.truth}
    with Client(dask_address) as client:  # the extraction tasks ran on the cluster's workers
        prefixes = client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.task_prefixes))
        assert any("extract_document" in str(key) for key in prefixes), prefixes


def test_nightly_on_a_dask_cluster_audits_factories_side_by_side(dask_address, tmp_path):
    """Two factories audited at once on the cluster: each report holds its own pack's findings
    and nothing of the other's, and the second night reads nothing."""
    import json

    from flows.nightly import nightly_audit
    from preaudit.app.reportstore import AgencyStore, FactoryReports
    from preaudit.samples.generator import generate

    agency = AgencyStore.of(str(tmp_path / "agency"))
    samples = {"F-A": generate(style="en", seed=7), "F-B": generate(style="mixed", seed=11)}
    for factory, sample in samples.items():
        sample.write(tmp_path / "agency" / "inbox" / factory)

    assert nightly_audit(agency.root, dask=dask_address) == {"F-A": "audited", "F-B": "audited"}
    for factory, sample in samples.items():
        reports = FactoryReports(agency.reports, factory)
        findings = json.loads(reports.run(reports.latest()["run_id"]).read("findings.json"))
        found = {(f["rule_id"], tuple(sorted(f["subject"].items())), (f["period"] or {}).get("start"))
                 for f in findings["findings"]}
        # the sample's profile names another factory than its inbox folder: said, never obeyed
        claimed = ("DQ-FACTORY-ID", (("document", "factory.yaml"),), None)
        assert claimed in found, factory
        assert found - {claimed} == {t.key() for t in sample.truth}, factory
    assert nightly_audit(agency.root, dask=dask_address) == {"F-A": "unchanged", "F-B": "unchanged"}
