"""The nightly run: every factory under s3://BUCKET/inbox/ whose pack changed since its last
audit is audited again, one subflow per factory; one factory's failure never stops the others."""
from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NONE

from flows.audit import STORAGE_RETRIES, audit_pack, is_storage_error
from preaudit import pipeline
from preaudit.reportstore import AgencyStore, FactoryReports
from preaudit.storage import open_storage


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


@flow(name="nightly-audit", log_prints=True)
def nightly_audit(store: str = "s3://preaudit", rules_dir: str | None = None) -> dict[str, str]:
    """Audit every factory with new or changed documents; return each factory's outcome."""
    agency = AgencyStore.of(store)
    outcome: dict[str, str] = {}
    for factory in list_factories(agency.root):
        changed, fingerprint = changed_since_last_audit(agency.root, factory)
        if not changed:
            outcome[factory] = "unchanged"
            continue
        state = audit_pack(pack=agency.inbox(factory), reports=agency.reports, cache=agency.cache(factory),
                           rules_dir=rules_dir, fingerprint=fingerprint, return_state=True)
        outcome[factory] = "audited" if state.is_completed() else f"failed: {state.message}"
        print(f"{factory}: {outcome[factory]}")
    return outcome
