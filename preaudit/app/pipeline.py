"""The audit of one pack as plain functions: discover → extract each document → validate → write.

The Prefect flow (flows/audit.py) calls exactly these, one task each; tests call them directly.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from extractors import EXTRACTOR_VERSION, read_document, sniff_format

from extractors.types import Extracted
from extractors.headers import HeaderMapper
from preaudit.core.limits import Limits
from preaudit.core.options import ReadingOptions
from validators.dataset.dataset import Dataset
from preaudit.core.model import DocStatus, Document, DocumentReport, Finding
from preaudit.core.packs import Pack, RuleContext, load_packs, resolve
from preaudit.core.profile import Profile, ProfileError, parse_profile
from preaudit.core.settings import Settings, load_settings
from preaudit.core.storage import ObjectGone, Storage

if TYPE_CHECKING:
    from preaudit.app.cache import ExtractCache
    from preaudit.app.review import RunReview

PROFILE_NAME = "factory.yaml"


class PackNotFound(Exception):
    pass


@dataclass
class AuditResult:
    profile: Profile
    context: RuleContext
    documents: list[DocumentReport]
    findings: list[Finding]
    run_id: str
    generated_at: str
    review: "RunReview | None" = None
    #: the factory_id factory.yaml claimed, when it differs from the inbox the pack is filed under
    claimed_factory_id: str | None = None


def load_profile(storage: Storage, packs: dict[str, Pack], settings: "Settings | None" = None) -> Profile:
    """The pack's factory.yaml, checked against the operator's settings (its ceilings, and what it
    may relax): ProfileError naming each field otherwise."""
    if PROFILE_NAME not in storage.list():
        raise PackNotFound(f"no {PROFILE_NAME} at the top of the pack: every pack needs its factory profile")
    from preaudit.core.text import UnreadableError, decode

    try:  # Chinese Windows tools save it as GBK or UTF-16
        text, _ = decode(storage.read(PROFILE_NAME))
    except ObjectGone as exc:
        raise PackNotFound(f"{PROFILE_NAME} was listed but gone when read") from exc
    except UnreadableError as exc:
        raise ProfileError(f"{PROFILE_NAME}: {exc}") from exc
    return parse_profile(text, packs, settings)


def discover(storage: Storage, limits: Limits | None = None) -> list[Document]:
    """The pack's documents as listed, with their sizes: a format from each file's first bytes,
    nothing read in full (the content hash is filled in when extraction reads the document, once).
    Documents past the pack's byte limit, in path order, are passed over, each with its reason."""
    limits = limits or Limits()
    documents = []
    total = 0
    for path, size in sorted(storage.sizes().items()):
        if path == PROFILE_NAME:
            continue
        total += size
        if total > limits.bytes_per_pack:
            documents.append(_not_read(path, limits.exceeded("bytes_per_pack", total, "bytes in the pack up to here")))
            continue
        try:
            documents.append(Document(path, "", size, sniff_format(path, storage.head(path, 16))))
        except ObjectGone:  # deleted since the listing: that document's finding, the run goes on
            documents.append(_not_read(path, GONE))
    # hidden files and links are not read, and not passed over in silence either
    for path, why in getattr(storage, "passed_over", lambda: [])():
        documents.append(_not_read(path, why))
    return documents


def _not_read(path: str, why: str) -> Document:
    """A document that is not read, and why: its finding stands for it (an own hash, so two are
    never taken for copies of each other)."""
    return Document(path, hashlib.sha256(f"passed over: {path}".encode()).hexdigest(), 0, "passed-over", why)


#: a document listed but deleted (or moved) before it was read: DQ-UNREADABLE, never a lost night
GONE = "listed but gone when read (deleted or moved after the pack was listed)"


def read_once(storage: Storage, document: Document) -> tuple[Document, bytes]:
    """The document's bytes, read once, and the document with their hash and size; a document
    gone since the listing is passed over with that reason (no retry: it will not come back)."""
    if document.format == "passed-over":
        return document, b""
    try:
        data = storage.read(document.path)
    except ObjectGone:
        return _not_read(document.path, GONE), b""
    return replace(document, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                   format=sniff_format(document.path, data[:16])), data


def extract(storage: Storage, document: Document,
            options: ReadingOptions | dict[str, str] | None = None) -> Extracted:
    return extract_cached(storage, document, options, None)[0]


def run_deadline(limits: Limits, now: float | None = None) -> tuple[float, float]:
    """(when the run started, when its time is spent: limits.seconds_per_run), wall-clock seconds."""
    import time

    start = time.time() if now is None else now
    return start, start + limits.seconds_per_run


def extract_cached(storage: Storage, document: Document, options: ReadingOptions | dict[str, str] | None,
                   cache: "ExtractCache | None", deadline: tuple[float, float] | None = None) -> tuple[Extracted, bool]:
    """(what the document yields, whether it came from the cache). The document is read once: its
    hash keys the cache, and on a miss the same bytes are extracted. A document whose turn comes
    after the run's ``deadline`` (run_deadline) is passed over with its reason, never read."""
    import time

    options = ReadingOptions.of(options)
    if deadline is not None and time.time() > deadline[1] and document.format != "passed-over":
        document = _not_read(document.path, options.limits.exceeded(
            "seconds_per_run", round(time.time() - deadline[0]), "seconds of the run before this document's turn")
            + ": not read")
    if document.size > options.limits.bytes_per_document:  # known from the listing: never downloaded
        document = _not_read(document.path, options.limits.exceeded("bytes_per_document", document.size,
                                                                      "bytes in the document"))
    document, data = read_once(storage, document)
    if cache is not None and document.format != "passed-over":
        hit = cache.get(document, options)
        if hit is not None:
            return hit, True
    extracted = read_document(document, data, HeaderMapper(options.column_map, premiums=options.premiums), options)
    if cache is not None and document.format != "passed-over":
        cache.put(document, options, extracted)
    return extracted, False


#: worker ids carried into a second reading at most (a factory's roster; beyond, a pack's junk)
MAX_KNOWN_IDS = 100_000


def known_worker_ids(extracted: list[Extracted]) -> tuple[str, ...]:
    """The worker ids the pack's documents hold, as read: what a column under a word no lexicon
    holds can be recognised by."""
    ids: set[str] = set()
    for e in extracted:
        for table in e.tables:
            if "worker_id" in table.df.columns:
                ids.update(str(v) for v in table.df["worker_id"].drop_nulls().unique().to_list())
    return tuple(sorted(ids))[:MAX_KNOWN_IDS]


def second_readings(extracted: list[Extracted], documents: list[Document],
                    options_for) -> list[tuple[int, ReadingOptions]]:
    """(index, options) of each document no header read, to be read again knowing the worker ids
    of the rest of the pack (its roster's, its payroll's): a column of those ids is the worker id
    whatever its header says. Only unclassified documents are read twice, and no scan."""
    ids = known_worker_ids(extracted)
    if not ids:
        return []
    return [(i, replace(options_for(d.path), known_ids=ids)) for i, (e, d) in enumerate(zip(extracted, documents))
            if e.report.status is DocStatus.UNCLASSIFIED and _lacks_worker_id(e.report) and not _scanned(e.report)]


def _lacks_worker_id(report: DocumentReport) -> bool:
    """Whether the document came closest to a kind whose header lacked only who the records are
    about: what the pack's ids can supply (a menu or a note is not downloaded again each night)."""
    return report.closest is not None and "lacks" in (report.reason or "") and "worker_id" in (report.reason or "")


def _scanned(report: DocumentReport) -> bool:
    """A document read by OCR is not read twice: a second OCR of every page costs more than the
    roster's ids win (a scan's coded ids are typed by their values on the first reading)."""
    return any(p.source == "ocr" for p in report.pages_read)


def keep_better(first: Extracted, second: Extracted) -> Extracted:
    """The second reading where it found a table the first did not."""
    return second if second.report.status is DocStatus.OK else first


def pack_fingerprint(storage: Storage) -> str:
    """One hash for a pack's content: unchanged packs are skipped by the nightly run."""
    items = sorted(storage.fingerprints().items())
    return hashlib.sha256(json.dumps(items).encode()).hexdigest()


def validate(profile: Profile, extracted: list[Extracted],
             packs: dict[str, Pack]) -> tuple[RuleContext, list[Finding], "RunReview"]:
    """The rules over all documents, and what to look at first (patterns, partly read documents)."""
    from preaudit.app.review import review
    from validators import judge  # validators import the dataset; keep this module light

    context = resolve(profile.jurisdiction, profile.standards, profile.overrides, packs)
    tables = [t for e in extracted for t in e.tables]
    dataset = Dataset.build(tables, context, [e.report for e in extracted], profile)
    judged = judge(dataset)
    if profile.relaxed:
        context.relaxed = relaxed_findings(profile, tables, extracted, judged.findings, packs)
    return context, judged.findings, review(dataset, judged.findings, judged.possible)


def dataset_parameters() -> set[str]:
    """The rule parameters the dataset's package reads itself (named in its source), not only the
    rules: found beside Dataset's module, wherever the package lives."""
    import inspect

    from preaudit.core.params import PARAMETERS

    text = "".join(p.read_text(encoding="utf-8") for p in Path(inspect.getfile(Dataset)).parent.glob("*.py"))

    return {name for name in PARAMETERS if f'"{name}"' in text}


def relaxed_findings(profile: Profile, tables: list, extracted: list[Extracted], findings: list[Finding],
                     packs: dict[str, Pack]) -> list[dict]:
    """Each value the profile relaxed (the operator allowing it), with the findings the law's own
    values give and the relaxed run does not: only the rules that use a relaxed value run again."""
    from validators import RULES, judge

    names = {r["parameter"] for r in profile.relaxed}
    # a value the dataset itself reads (the minimum wage screens pay, regular hours make overtime)
    # changes what every rule sees: then every rule runs again, else only those that use it
    rules = list(RULES) if names & dataset_parameters() else [r for r in RULES if names & set(r.params)]
    lawful = {k: v for k, v in profile.overrides.items() if k not in names}
    law_profile = replace(profile, overrides=lawful, relaxed=[])
    law = resolve(profile.jurisdiction, profile.standards, lawful, packs)
    dataset = Dataset.build(tables, law, [e.report for e in extracted], law_profile)
    have = {f.key() for f in findings}
    removed = [f for f in judge(dataset, rules).findings if f.key() not in have] if rules else []
    by_id = {r.id: r for r in rules}
    through_dataset = names & dataset_parameters()
    out = []
    for entry in profile.relaxed:
        name = entry["parameter"]
        # a finding is the doing of the relaxed values its rule uses, else of those the dataset reads
        gone = [f for f in removed
                if name in by_id[f.rule_id].params
                or (name in through_dataset and not names & set(by_id[f.rule_id].params))]
        out.append({**entry, "rules": sorted({f.rule_id for f in gone} | {r.id for r in rules if name in r.params}),
                    "findings_removed": len(gone),
                    "removed": [{"rule_id": f.rule_id, "subject": f.subject, "period": f.period,
                                 "message": f.message} for f in gone]})
    return out


def new_run_id(now: dt.datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]


def file_under(profile: Profile, factory: str | None) -> tuple[Profile, str | None]:
    """The profile filed under ``factory`` (the inbox folder the store holds the pack in), and the
    factory_id the profile claimed when it differs: never obeyed, reported (DQ-FACTORY-ID)."""
    if not factory or factory == profile.factory_id:
        return profile, None
    return replace(profile, factory_id=factory), profile.factory_id


def identity_finding(factory: str, claimed: str) -> Finding:
    return Finding("DQ-FACTORY-ID", "major", "data_quality", {"document": PROFILE_NAME}, None, None, None, None,
                   f"factory.yaml says factory_id {claimed!r}, but the pack sits in the inbox of {factory!r}: "
                   f"filed under {factory!r}, as the store says; the profile's claim is not obeyed",
                   ["preaudit: a pack is filed under its inbox folder"])


def make_result(profile: Profile, context: RuleContext, extracted: list[Extracted],
                findings: list[Finding], run_review: "RunReview | None" = None,
                claimed_factory_id: str | None = None) -> AuditResult:
    now = dt.datetime.now(dt.timezone.utc)
    if claimed_factory_id:
        findings = [identity_finding(profile.factory_id, claimed_factory_id), *findings]
    return AuditResult(profile, context, [e.report for e in extracted], findings,
                       new_run_id(now), now.isoformat(timespec="seconds"), run_review, claimed_factory_id)


def audit(storage: Storage, rules_dir: Path | None = None, settings: Settings | None = None) -> AuditResult:
    """The whole audit of one pack, in-process (no Prefect)."""
    packs = load_packs(rules_dir)
    profile = load_profile(storage, packs, settings if settings is not None else load_settings(None, rules_dir))
    deadline = run_deadline(profile.limits)
    documents = discover(storage, profile.limits)
    extracted = [extract_cached(storage, d, profile.reading_options(d.path), None, deadline)[0] for d in documents]
    for i, options in second_readings(extracted, documents, profile.reading_options):
        extracted[i] = keep_better(extracted[i], extract_cached(storage, documents[i], options, None, deadline)[0])
    context, findings, run_review = validate(profile, extracted, packs)
    return make_result(profile, context, extracted, findings, run_review)


__all__ = ["AuditResult", "PackNotFound", "audit", "discover", "extract", "load_profile",
           "validate", "make_result", "EXTRACTOR_VERSION"]
