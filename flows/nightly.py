"""The nightly run: every factory under s3://BUCKET/inbox/ whose pack changed since its last
audit is audited again, one subflow per factory; one factory's failure never stops the others.

On a Dask cluster (``dask``) several factories are audited at once, one per worker thread of
the cluster: each factory's tasks run on the cluster, so this process only orchestrates, and
auditing factories one after another would leave all workers but one idle between a pack's
documents (rules and outputs are one task each)."""
from __future__ import annotations

import contextvars
import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor

from prefect import flow, task
from prefect.cache_policies import NONE

from flows.audit import STORAGE_RETRIES, audit_pack, is_storage_error, on_dask
from preaudit.app import pipeline, portfolio
from preaudit.app.outputs import printable
from preaudit.app.reportstore import AgencyStore, FactoryReports, Lease, new_owner
from preaudit.core.settings import load_settings
from preaudit.core.storage import open_storage


@task(cache_policy=NONE, retry_condition_fn=is_storage_error, **STORAGE_RETRIES)
def list_factories(store: str) -> list[str]:
    return AgencyStore.of(store).factories()


@task(cache_policy=NONE, retry_condition_fn=is_storage_error, **STORAGE_RETRIES)
def changed_since_last_audit(store: str, factory: str) -> tuple[bool, str]:
    """(changed, the pack's fingerprint now), from object ETags: no document is read."""
    agency = AgencyStore.of(store)
    fingerprint = pipeline.pack_fingerprint(open_storage(agency.inbox(factory)))
    latest = FactoryReports(agency.reports, factory).latest() or {}
    return latest.get("fingerprint") != fingerprint, fingerprint


def cluster_threads(address: str) -> int:
    """How many tasks the cluster at ``address`` runs at once."""
    from distributed import Client

    with Client(address, timeout=30) as client:
        return max(1, sum(client.nthreads().values()))


@flow(name="nightly-audit", log_prints=True)
def nightly_audit(store: str = "s3://preaudit", rules_dir: str | None = None,
                  dask: str | None = None, settings: str | None = None) -> dict[str, str]:
    """Audit every factory with new or changed documents; return each factory's outcome.
    ``dask``: a Dask scheduler's address (tcp://host:8786) to run the audits' tasks on.
    ``settings``: the operator's settings file. Each factory is audited under its lease
    (reports/FACTORY/lease.json): a second nightly at the same time passes it over."""
    agency = AgencyStore.of(store)
    audit = on_dask(dask) if dask else audit_pack
    owner = new_owner()  # this run, in each factory's lease
    lease_seconds = load_settings(settings, rules_dir).limits.seconds_per_run + 900
    changed: dict[str, str] = {}
    outcome: dict[str, str] = {}
    for factory in list_factories(agency.root):
        is_changed, fingerprint = changed_since_last_audit(agency.root, factory)
        if is_changed:
            changed[factory] = fingerprint
        else:
            outcome[factory] = "unchanged"

    def audit_one(factory: str) -> tuple[str, str]:
        lease = Lease(agency.reports, factory, owner, lease_seconds)
        other = lease.take()
        if other is not None:  # a second nightly at the same time: one report for one change
            what = "skipped: another run is auditing it now (reports/{}/lease.json)".format(factory)
            print(printable(f"{factory}: {what}"))
            return factory, what
        try:
            still_changed, fingerprint = changed_since_last_audit(agency.root, factory)
            if not still_changed:  # another run audited this change while we listed
                return factory, "unchanged"
            state = audit(pack=agency.inbox(factory), reports=agency.reports, cache=agency.cache(factory),
                          rules_dir=rules_dir, fingerprint=fingerprint, factory=factory, settings=settings,
                          return_state=True)
            what = "audited" if state.is_completed() else f"failed: {state.message}"
            if not state.is_completed():  # the portfolio shows the failure and why
                now = dt.datetime.now(dt.timezone.utc)
                FactoryReports(agency.reports, factory).record_summary(portfolio.failed_summary(
                    factory, pipeline.new_run_id(now), now.isoformat(timespec="seconds"), printable(str(state.message))))
        finally:
            lease.release()
        print(printable(f"{factory}: {what}"))  # an inbox name, a failure message: no escapes, no ID
        return factory, what

    at_once = cluster_threads(dask) if dask and len(changed) > 1 else 1
    if at_once == 1:
        outcome.update(audit_one(factory) for factory in changed)
    else:  # each thread's subflow stays a child of this flow run (the context is copied to it)
        with ThreadPoolExecutor(at_once, thread_name_prefix="factory") as pool:
            running = [pool.submit(contextvars.copy_context().run, audit_one, factory) for factory in changed]
            outcome.update(future.result() for future in running)
    morning(agency, outcome)
    return dict(sorted(outcome.items()))


@task(cache_policy=NONE, retry_condition_fn=is_storage_error, **STORAGE_RETRIES)
def morning(agency: AgencyStore, outcome: dict[str, str]) -> str:
    """portfolio.html beside the reports, the morning message as a Prefect artifact, and sent
    through the notification block named in PREAUDIT_NOTIFY_BLOCK when there is one."""
    from prefect.artifacts import create_markdown_artifact

    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    rows = portfolio.write_portfolio(open_storage(agency.reports), now)
    message = portfolio.morning_message(rows, outcome)
    create_markdown_artifact(key="morning", markdown=message, description="Factories that got worse, new critical "
                                                                            "findings and failed runs")
    block = os.environ.get("PREAUDIT_NOTIFY_BLOCK")
    if block:
        from prefect.blocks.core import Block

        Block.load(block).notify(message, subject="preaudit: the morning")
    return message
