"""The agency's store, as one module knows it (the flows and the CLI ask here, never build paths):

    inbox/FACTORY_ID/…               each factory's pack, as uploaded
    reports/FACTORY_ID/RUN_ID/…      each run's findings.json, findings.csv and report.html
    reports/FACTORY_ID/latest.json   the newest run: id, time, the pack's fingerprint, findings
    reports/FACTORY_ID/history/RUN_ID.json   each run's summary, for the portfolio and its trend
    reports/portfolio.html           every factory at a glance (preaudit/app/portfolio.py)
    reports/FACTORY_ID/lease.json    which run is auditing the factory now, and until when
    cache/FACTORY_ID/extract/…       what each document yields, by content (preaudit/app/cache.py)
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from preaudit.core.storage import Storage, open_storage, parse_s3


@dataclass(frozen=True)
class AgencyStore:
    root: str  # s3://BUCKET (or a folder laid out the same way)

    @classmethod
    def of(cls, root: str) -> "AgencyStore":
        return cls(root.rstrip("/"))

    @classmethod
    def holding(cls, pack: str) -> "AgencyStore | None":
        """The store an s3:// pack sits in (s3://BUCKET/inbox/FACTORY_ID/ → s3://BUCKET)."""
        return cls(f"s3://{parse_s3(pack)[0]}") if pack.startswith("s3://") else None

    @staticmethod
    def inbox_factory(pack: str) -> str | None:
        """FACTORY of s3://BUCKET/inbox/FACTORY/ (the name the agency files the pack under), or
        None for a pack that is not an inbox folder."""
        if not pack.startswith("s3://"):
            return None
        parts = [p for p in parse_s3(pack)[1].split("/") if p]
        return parts[1] if len(parts) == 2 and parts[0] == "inbox" else None

    def inbox(self, factory: str) -> str:
        return f"{self.root}/inbox/{factory}"

    @property
    def reports(self) -> str:
        return f"{self.root}/reports"

    def cache(self, factory: str) -> str:
        """One prefix per factory: what a document yields (names, IDs, pay) never sits beside
        another factory's."""
        return f"{self.root}/cache/{factory}"

    def factories(self) -> list[str]:
        """Every factory with a pack in the inbox."""
        return sorted({path.split("/", 1)[0] for path in open_storage(self.root).child("inbox").list() if "/" in path})


class FactoryReports:
    """One factory's runs under a reports root: the newest, the one before, and a new one."""

    def __init__(self, reports: str, factory: str):
        self.storage: Storage = open_storage(reports).child(factory)

    def latest(self) -> dict[str, Any] | None:
        return json.loads(self.storage.read("latest.json")) if self.storage.exists("latest.json") else None

    def run(self, run_id: str) -> Storage:
        return self.storage.child(run_id)

    def previous_findings(self) -> dict[str, Any] | None:
        from preaudit.app.outputs import read_findings

        latest = self.latest()
        return read_findings(self.run(latest["run_id"])) if latest else None

    def record(self, run_id: str, generated_at: str, fingerprint: str | None, findings: int) -> None:
        """latest.json points at the run, once its outputs are written."""
        self.storage.write("latest.json", json.dumps({"run_id": run_id, "generated_at": generated_at,
                                                      "fingerprint": fingerprint, "findings": findings}).encode())

    def record_summary(self, summary: dict[str, Any]) -> None:
        """The run's summary as an object of its own: written whole or not at all, never an
        append that a killed run leaves half done."""
        self.storage.write(f"history/{summary['run_id']}.json", json.dumps(summary, ensure_ascii=False).encode())

#: after writing a lease, wait this long and read it back: of two runs taking it at once, the one
#: whose write came last keeps it, and the other sees so and steps back
LEASE_SETTLE_SECONDS = 1.0


def new_owner() -> str:
    return uuid.uuid4().hex


class Lease:
    """One factory's lease (reports/FACTORY/lease.json): while a run holds it, another run (a
    second nightly started at the same time, or by hand) passes the factory over instead of
    writing a second report for the same change. A lease past its time (a run killed) is taken."""

    def __init__(self, reports: str, factory: str, owner: str, seconds: float):
        self.storage: Storage = open_storage(reports).child(factory)
        self.owner, self.seconds = owner, seconds

    def held(self) -> dict[str, Any] | None:
        if not self.storage.exists("lease.json"):
            return None
        try:
            lease = json.loads(self.storage.read("lease.json"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
        return lease if isinstance(lease, dict) and lease.get("until", 0) > time.time() else None

    def take(self) -> dict[str, Any] | None:
        """None when this run holds the lease now; else the other run's lease."""
        other = self.held()
        if other is not None and other.get("owner") != self.owner:
            return other
        self.storage.write("lease.json", json.dumps({"owner": self.owner, "until": time.time() + self.seconds,
                                                     "taken_at": time.time()}).encode())
        time.sleep(LEASE_SETTLE_SECONDS)
        other = self.held()
        return other if other is not None and other.get("owner") != self.owner else None

    def release(self) -> None:
        held = self.held()
        if held is not None and held.get("owner") == self.owner:
            self.storage.delete("lease.json")
