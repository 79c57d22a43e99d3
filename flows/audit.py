"""The audit of one pack as a Prefect flow: discover, one extraction task per document (served
from the content cache when it can be), validate, write outputs. No logic here: each task calls
one function of preaudit.app.pipeline or preaudit.app.outputs.

Storage calls retry with exponential backoff on StorageError only: a store that restarts mid-run
costs a delay, while a bad document or a bug fails at once. Tasks are idempotent (the cache is
content-addressed, outputs are whole-object writes), so a retried or re-run task never doubles
a finding.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NONE
from prefect.tasks import exponential_backoff
from prefect.utilities.annotations import quote

from extractors.types import Extracted
from preaudit.core.limits import Limits
from preaudit.core.options import ReadingOptions
from preaudit.app import outputs, pipeline, portfolio
from preaudit.app.outputs import mask_logs, mask_text, printable
from preaudit.app.cache import ExtractCache
from preaudit.core.model import Document
from preaudit.core.packs import load_packs
from preaudit.core.settings import load_settings
from preaudit.core.profile import Profile
from preaudit.app.reportstore import AgencyStore, FactoryReports
from preaudit.core.storage import StorageError, open_storage

mask_logs()  # Prefect's logs (its API and UI keep them) hold no ID in clear and no terminal escape

#: a store that is away comes back within a minute or so (2 + 4 + 8 + 16 + 32 s); an agency may
#: wait more or less (PREAUDIT_STORAGE_RETRIES)
STORAGE_RETRIES = dict(retries=int(os.environ.get("PREAUDIT_STORAGE_RETRIES", "5")),
                       retry_delay_seconds=exponential_backoff(backoff_factor=2),
                       retry_jitter_factor=0.3)


def is_storage_error(task, task_run, state) -> bool:
    try:
        state.result()
    except StorageError:
        return True
    except Exception:  # noqa: BLE001 - anything else is not a storage hiccup: do not retry
        return False
    return False


@task(cache_policy=NONE, retry_condition_fn=is_storage_error, **STORAGE_RETRIES)
def load_pack_profile(pack: str, rules_dir: str | None, settings: str | None = None) -> Profile:
    """factory.yaml, bounded by the operator's settings (``settings``: a file; else
    $PREAUDIT_SETTINGS, else settings.yaml beside the rule packs; PREAUDIT_LIMIT_* on top)."""
    return pipeline.load_profile(open_storage(pack), load_packs(Path(rules_dir) if rules_dir else None),
                                 load_settings(settings, rules_dir))


@task(cache_policy=NONE, retry_condition_fn=is_storage_error, **STORAGE_RETRIES)
def discover_documents(pack: str, limits: Limits | None = None) -> list[Document]:
    return pipeline.discover(open_storage(pack), limits)


#: task-run tags a work pool's concurrency limits key on (infra/start-worker.sh creates one per tag):
#: "extract" for every document, "ocr" for those that may need OCR, which takes every core it
#: is given (one tesseract per core) for seconds per page
EXTRACTION_TAGS = {"extract": None, "ocr": ("pdf", "image")}


def extraction_tags(document: Document) -> list[str]:
    return [tag for tag, formats in EXTRACTION_TAGS.items() if formats is None or document.format in formats]


@task(cache_policy=NONE, retry_condition_fn=is_storage_error, tags=["extract"], **STORAGE_RETRIES)
def extract_document(pack: str, document: Document, options: ReadingOptions,
                     cache: str | None, deadline: tuple[float, float] | None = None) -> tuple[Extracted, bool]:
    return pipeline.extract_cached(open_storage(pack), document, options,
                                   ExtractCache(open_storage(cache)) if cache else None, deadline)


@task(cache_policy=NONE)
def validate_pack(profile: Profile, extracted: list[Extracted], rules_dir: str | None):
    return pipeline.validate(profile, extracted, load_packs(Path(rules_dir) if rules_dir else None))


@task(cache_policy=NONE, retry_condition_fn=is_storage_error, **STORAGE_RETRIES)
def write_report(result: pipeline.AuditResult, out: str | None, reports: str | None, unmasked: bool,
                 fingerprint: str | None, pack: str | None = None, factory: str | None = None) -> str:
    """Into ``out``, or into ``reports``/FACTORY/RUN_ID/ with ``reports``/FACTORY/latest.json
    pointing at it; either way compared with the factory's previous findings. FACTORY is the
    name the agency files the pack under (its inbox folder) when given, else the pack's own
    factory_id. The pack gives report.html its crops of scanned pages."""
    source = open_storage(pack) if pack else None
    if out:
        target = open_storage(out)
        outputs.write_outputs(result, target, unmasked=unmasked, previous=outputs.read_findings(target),
                              source=source)
        _artifacts(result, target.location)
        return target.location
    name = factory or result.profile.factory_id
    factory = FactoryReports(reports, name)
    target = factory.run(result.run_id)
    document = outputs.write_outputs(result, target, unmasked=unmasked, previous=factory.previous_findings(),
                                     source=source)
    _artifacts(result, target.location)
    factory.record_summary(portfolio.run_summary(result, document, factory=name, fingerprint=fingerprint,
                                                 report=f"{name}/{result.run_id}/report.html"))
    factory.record(result.run_id, result.generated_at, fingerprint, len(result.findings))
    return target.location


def _artifacts(result: pipeline.AuditResult, location: str) -> None:
    """The run in Prefect's UI: findings per rule as a table, and where the report is."""
    from collections import Counter

    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    key = "".join(c if c.isalnum() else "-" for c in mask_text(result.profile.factory_id).lower()).strip("-") or "factory"
    counts = Counter((f.rule_id, f.severity) for f in result.findings)
    factory_id, location = mask_text(result.profile.factory_id), mask_text(location)  # the UI keeps them
    create_table_artifact(key=f"findings-{key}", description=f"Findings of {factory_id}, run {result.run_id}",
                          table=[{"rule": r, "severity": s, "findings": n} for (r, s), n in sorted(counts.items())])
    create_markdown_artifact(key=f"report-{key}", description="Where the auditor's report is",
                             markdown=f"**{factory_id}**: {len(result.findings)} findings. "
                                      f"Report: `{location}/report.html` (findings.json, findings.csv beside it)")


@dataclass(frozen=True)
class AuditSummary:
    """What one audit did: where its report is, how many documents were read or came from the
    cache, how many findings; ``result`` is the whole audit."""

    run_id: str
    factory_id: str
    output: str
    documents: int
    from_cache: int
    extracted: int
    findings: int
    quoted: quote  # quoted: Prefect would otherwise walk every finding as the flow returns

    @property
    def result(self) -> pipeline.AuditResult:
        return self.quoted.unquote()


def on_dask(address: str):
    """audit_pack with its tasks on a Dask cluster (``tcp://scheduler:8786``): extraction spreads
    over the cluster's workers. Tasks are idempotent and content-addressed, so Dask re-running a
    finished task when a worker dies (PrefectHQ/prefect#15442) costs time, never a duplicate."""
    from prefect_dask import DaskTaskRunner

    return audit_pack.with_options(task_runner=DaskTaskRunner(address=address))


@flow(name="audit-pack")  # progress goes to the terminal as printed (log_prints would take it away from the CLI)
def audit_pack(pack: str, out: str | None = None, reports: str | None = None, cache: str | None = None,
               rules_dir: str | None = None, unmasked: bool = False, fingerprint: str | None = None,
               factory: str | None = None, settings: str | None = None) -> AuditSummary:
    """Audit one pack (a folder or s3:// prefix); write findings.json, findings.csv and report.html,
    printing each stage and each document as it is read. ``factory``: the name its reports are
    filed under in ``reports``: the inbox folder the pack sits in (s3://…/inbox/FACTORY/), which
    the store gives and the pack cannot change; a profile claiming another factory_id is reported
    (DQ-FACTORY-ID), never obeyed. ``settings``: the operator's settings file."""
    if not out and not reports:
        raise ValueError("audit_pack needs out (a folder or prefix) or reports (a reports root)")
    factory = factory or AgencyStore.inbox_factory(pack)
    profile = load_pack_profile(pack, rules_dir, settings)
    profile, claimed = pipeline.file_under(profile, factory)
    documents = discover_documents(pack, profile.limits)
    deadline = pipeline.run_deadline(profile.limits)  # limits.seconds_per_run, from the first extraction
    futures = [extract_document.with_options(tags=extraction_tags(d)).submit(pack, d, profile.reading_options(d.path),
                                                                             cache, deadline)
               for d in documents]
    name = printable(profile.factory_id)  # progress lines: IDs masked, no terminal escapes from the pack
    print(f"{name}: reading {len(documents)} document(s)")
    results = []
    for number, (document, future) in enumerate(zip(documents, futures), 1):  # progress on long runs
        results.append(future.result())
        report = results[-1][0].report
        print(f"  {number}/{len(documents)} {printable(document.path)}: {report.status.value}"
              f"{' (unchanged, from the cache)' if results[-1][1] else ''}")
    extracted = [e for e, _ in results]
    again = pipeline.second_readings(extracted, documents, profile.reading_options)
    if again:  # a header word no lexicon holds over a column of the roster's ids
        print(f"{name}: reading {len(again)} unclassified document(s) again, knowing the pack's worker ids")
        second = [(i, extract_document.with_options(tags=extraction_tags(documents[i])).submit(
            pack, documents[i], options, cache, deadline)) for i, options in again]
        for i, future in second:
            extracted[i] = pipeline.keep_better(extracted[i], future.result()[0])
    print(f"{name}: checking the rules")
    # quote(): Prefect would otherwise walk every record and finding looking for futures (1.3 s a pack)
    context, findings, run_review = validate_pack(profile, quote(extracted), rules_dir)
    result = pipeline.make_result(profile, context, extracted, findings, run_review, claimed)
    print(f"{name}: {len(result.findings)} finding(s); writing findings.json, findings.csv, report.html")
    written_to = write_report(quote(result), out, reports, unmasked, fingerprint, pack, factory)
    return AuditSummary(result.run_id, profile.factory_id, written_to, len(documents),
                        sum(hit for _, hit in results), sum(not hit for _, hit in results), len(result.findings),
                        quote(result))
