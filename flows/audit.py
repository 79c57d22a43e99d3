"""The audit of one pack as a Prefect flow: discover, one extraction task per document,
validate, write outputs. No logic here: each task calls one function of preaudit.pipeline."""
from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.cache_policies import NONE

from extractors import Extracted
from preaudit import outputs, pipeline
from preaudit.model import Document
from preaudit.packs import load_packs
from preaudit.profile import Profile
from preaudit.storage import open_storage


@task(cache_policy=NONE)
def discover_documents(pack: str) -> list[Document]:
    return pipeline.discover(open_storage(pack))


@task(cache_policy=NONE, retries=2, retry_delay_seconds=2)
def extract_document(pack: str, document: Document, column_map: dict[str, str]) -> Extracted:
    return pipeline.extract(open_storage(pack), document, column_map)


@task(cache_policy=NONE)
def validate_pack(profile: Profile, extracted: list[Extracted], rules_dir: str | None):
    return pipeline.validate(profile, extracted, load_packs(Path(rules_dir) if rules_dir else None))


@flow(name="audit-pack", log_prints=True)
def audit_pack(pack: str, out: str, rules_dir: str | None = None, unmasked: bool = False) -> dict:
    """Audit one pack (a folder) and write findings.json and findings.csv into ``out``."""
    packs = load_packs(Path(rules_dir) if rules_dir else None)
    profile = pipeline.load_profile(open_storage(pack), packs)
    documents = discover_documents(pack)
    futures = [extract_document.submit(pack, d, profile.column_map) for d in documents]
    extracted = [f.result() for f in futures]
    context, findings = validate_pack(profile, extracted, rules_dir)
    result = pipeline.make_result(profile, context, extracted, findings)
    written = outputs.write_outputs(result, open_storage(out), unmasked=unmasked)
    return {"run_id": result.run_id, "factory_id": profile.factory_id, "written": written,
            "documents": len(result.documents), "findings": len(findings), "result": result}
