"""The command line: preaudit run | demo | inspect | rules list | upload | nightly | serve."""
from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.console import Console
from rich.text import Text
from rich.table import Table as RichTable

if TYPE_CHECKING:  # importing the flow starts Prefect: only where a command needs it
    from flows.audit import AuditSummary

# Prefect reads these at import: no telemetry (there is no network), quiet logs, and room for the
# ephemeral server to start on a slow machine.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def _terminal_is_ours() -> None:
    """A command that reports its own progress and failures (run, demo, nightly) keeps Prefect's
    console handler for what is critical: a store lost mid-run was ~400 lines of retry warnings
    and task tracebacks before the one line that says what happened. The Prefect API (the UI)
    still gets every log; PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL=INFO shows them here again.
    Set before Prefect is imported (it reads its logging settings then)."""
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Pre-audit checks of a factory's records, with evidence.")
rules_app = typer.Typer(no_args_is_help=True, help="The rule catalogue and its packs.")
app.add_typer(rules_app, name="rules")
console = Console()

EXIT_CANNOT_RUN = 2
#: nightly: at least one factory's audit failed (the others ran)
EXIT_SOME_FAILED = 3
SETTINGS_HELP = ("the operator's settings file (bounds, what a profile may relax) "
                 "[default: $PREAUDIT_SETTINGS, else settings.yaml in the rules folder]")


def _summary(result, out: str) -> None:
    run_review = result.review
    if result.claimed_factory_id:
        console.print(Text(printable(f"Filed under {result.profile.factory_id} (the inbox it sits in): factory.yaml "
                                     f"claims factory_id {result.claimed_factory_id!r}, not obeyed (DQ-FACTORY-ID)"),
                           style="bold yellow"))
    for r in getattr(result.context, "relaxed", None) or []:
        law = "; ".join(f"{v['value']:g} ({v['pack']})" for v in r["law"])
        console.print(Text(printable(f"The law relaxed: {r['parameter']} {law} → {r['profile_value']:g} by {r['by']}, "
                                     f"allowed by the operator's settings ({r['allowed_by']}): "
                                     f"{r['findings_removed']} finding(s) the law's value gives are not reported "
                                     f"(findings.json \"relaxed\")"), style="bold yellow"))
    if run_review is not None and run_review.patterns:
        console.print("[bold yellow]Check these first — one rule for most workers of a month:[/bold yellow]")
        for p in run_review.patterns:
            console.print(Text(printable(f"  • {p['message']} (share {p['share']:.0%}; "
                                         f"fields {', '.join(p['fields']) or '-'})")))
    for rule in (run_review.not_checked if run_review is not None else []):
        console.print(Text(printable(rule["message"]), style="yellow"))
    docs = RichTable(title=Text(f"Documents read — {printable(result.profile.factory_id)}"))
    for column in ("document", "kind", "status", "note"):
        docs.add_column(column)
    for d in result.documents:  # names and reasons from the pack: never markup, never escape sequences
        docs.add_row(Text(printable(d.path)), d.kind or "-", d.status.value, Text(printable(d.reason or "")[:90]))
    console.print(docs)
    counts = Counter(f.rule_id for f in result.findings)
    severity = {f.rule_id: f.severity for f in result.findings}
    table = RichTable(title=f"Findings per rule — packs {', '.join(result.context.packs_used)}")
    for column in ("rule", "severity", "findings"):
        table.add_column(column)
    for rule_id, n in sorted(counts.items()):
        table.add_row(rule_id, severity[rule_id], str(n))
    console.print(table)
    review = sum(f.needs_review for f in result.findings)
    partly = run_review.findings_on_partly_read if run_review is not None else 0
    possible = len(run_review.possible) if run_review is not None else 0
    console.print(f"{len(result.findings)} findings"
                  + (f" and {possible} possible item(s) for the auditor (a violation under some readings "
                     f"only: the review queue)" if possible else "")
                  + (f", {review} of them resting on OCR below the confidence floor (needs_review)" if review else "")
                  + (f", {partly} resting on a document not fully read ({len(run_review.partly_read_documents)} "
                     f"document(s): see DQ findings and preaudit inspect)" if partly else "")
                  + f"; outputs in [bold]{out}[/bold] (report.html, findings.json, findings.csv), run {result.run_id}")


def printable(text: str) -> str:
    """A text from the pack as a terminal may show it: national IDs masked, control characters
    (escape sequences) and undecodable bytes written as escapes (preaudit.app.outputs.printable)."""
    from preaudit.app.outputs import printable as shown

    return shown(text)


def cannot_run_errors() -> tuple[type[Exception], ...]:
    """What means the pack cannot run (exit 2); anything else is a bug and keeps its traceback."""
    from preaudit.core.packs import PackError
    from preaudit.app.pipeline import PackNotFound
    from preaudit.core.profile import ProfileError
    from preaudit.core.settings import SettingsError
    from preaudit.core.storage import StorageError

    return ProfileError, PackNotFound, PackError, SettingsError, StorageError, FileNotFoundError


def _fail(exc: Exception) -> None:
    """One line (never wrapped, never read as markup: it may quote a path from the pack), exit 2."""
    lines = [printable(line) for line in str(exc).splitlines()] or [""]  # a profile's problems: one per line
    console.print(Text.assemble(("error: ", "red"), "\n".join(lines)), soft_wrap=True)
    raise typer.Exit(EXIT_CANNOT_RUN) from None


def _check_writable(out: Path) -> None:
    """--out must be a folder preaudit can write into (or create)."""
    if out.exists() and not out.is_dir():
        _fail(FileExistsError(f"--out {out} is a file, not a folder"))
    existing = next((p for p in [out, *out.parents] if p.exists()), None)
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        _fail(PermissionError(f"--out {out}: {existing} is not writable"))


def default_cache() -> str:
    return str(Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "preaudit")


def _run(pack: str, out: Optional[str], rules: Optional[Path], unmasked: bool, cache: Optional[str] = None,
         dask: Optional[str] = None, settings: Optional[Path] = None) -> AuditSummary:
    from flows.audit import audit_pack, on_dask
    from preaudit.core.packs import load_packs
    from preaudit.app.interrupts import ephemeral_server_dies_with_us, stop_on_interrupt
    from preaudit.app.pipeline import load_profile
    from preaudit.app.reportstore import AgencyStore
    from preaudit.core.storage import open_storage

    if not pack.startswith("s3://") and not Path(pack).is_dir():
        _fail(FileNotFoundError(f"{pack} is not a folder"))
    reports = None
    try:
        # a pack that cannot run fails here, in a second, not after the flow's server has started
        from preaudit.core.settings import load_settings

        profile = load_profile(open_storage(pack), load_packs(rules), load_settings(settings, rules))
        agency = AgencyStore.holding(pack)
        factory = profile.factory_id
        if agency is not None:
            # filed under the inbox folder the store holds the pack in, never the profile's claim
            factory = AgencyStore.inbox_factory(pack)
            if factory is None and not out:
                _fail(FileNotFoundError(f"{pack} is not an inbox folder (s3://BUCKET/inbox/FACTORY_ID/): "
                                        f"give --out, or upload the pack to its inbox"))
            cache = cache or (agency.cache(factory) if factory else None)
            reports = None if out else agency.reports
        if not out and not reports:
            out = str(Path("out") / factory)
        if out and not out.startswith("s3://"):
            _check_writable(Path(out))  # before the audit, not after it
        flow_ = on_dask(dask) if dask else audit_pack
        stop_on_interrupt(f"the audit of {printable(pack)}")
        ephemeral_server_dies_with_us()
        return flow_(pack, out=out, reports=reports, cache=cache or str(Path(default_cache()) / (factory or profile.factory_id)),
                     rules_dir=str(rules) if rules else None, unmasked=unmasked, factory=factory if reports else None,
                     settings=str(settings) if settings else None)
    except cannot_run_errors() as exc:
        _fail(exc)


@app.command()
def run(pack: str = typer.Argument(..., help="pack folder, or s3://BUCKET/inbox/FACTORY_ID/"),
        out: Optional[str] = typer.Option(None, "--out", help="output folder or s3:// prefix "
                                          "[default: ./out/FACTORY_ID; for s3:// packs s3://BUCKET/reports/FACTORY_ID/RUN_ID/]"),
        rules: Optional[Path] = typer.Option(None, "--rules", help="folder of rule packs to use instead of the built-in ones"),
        unmasked: bool = typer.Option(False, "--unmasked", help="write national IDs unmasked in findings.json"),
        cache: Optional[str] = typer.Option(None, "--cache", help="where extraction results are kept by content "
                                            "[default: ~/.cache/preaudit/FACTORY_ID; for s3:// packs s3://BUCKET/cache/FACTORY_ID/]"),
        dask: Optional[str] = typer.Option(None, "--dask", help="run extraction on a Dask cluster at this address "
                                           "(tcp://scheduler:8786)"),
        settings: Optional[Path] = typer.Option(None, "--settings", help=SETTINGS_HELP)):
    """Audit one pack: read every document, check every rule, write findings.json, findings.csv and report.html."""
    _terminal_is_ours()
    summary = _run(pack, out, rules, unmasked, cache, dask, settings)
    _summary(summary.result, summary.output)
    console.print(f"documents: {summary.extracted} read, {summary.from_cache} unchanged (from the cache)")


@app.command()
def inspect(pack: str = typer.Argument(..., help="pack folder or s3:// prefix"),
            document: Optional[str] = typer.Argument(None, help="one document (its path in the pack, or a glob)")):
    """How each document was read: kind, layout, column → field and why, date order, rows read and
    skipped, and the first records as parsed. Correct any of it in factory.yaml (documents:)."""
    from preaudit.app.inspect import inspect_pack, render
    from preaudit.core.storage import open_storage

    if not pack.startswith("s3://") and not Path(pack).is_dir():
        _fail(FileNotFoundError(f"{pack} is not a folder"))
    seen = 0
    try:
        for doc, extracted in inspect_pack(open_storage(pack), document):
            render(doc, extracted, console)
            seen += 1
    except cannot_run_errors() as exc:
        _fail(exc)
    if document and not seen:
        _fail(FileNotFoundError(f"no document {document!r} in {pack}"))


def _store(store: Optional[str]) -> str:
    return (store or os.environ.get("PREAUDIT_STORE") or "s3://preaudit").rstrip("/")


@app.command()
def upload(pack: Path = typer.Argument(..., help="pack folder with factory.yaml"),
           store: Optional[str] = typer.Option(None, "--store", help="s3://BUCKET [default: $PREAUDIT_STORE or s3://preaudit]")):
    """Mirror a pack to s3://BUCKET/inbox/FACTORY_ID/ (credentials from MINIO_* variables): files
    the folder no longer has are removed there too, so a withdrawn document is not audited."""
    from preaudit.core.packs import load_packs
    from preaudit.app.pipeline import load_profile
    from preaudit.app.reportstore import AgencyStore
    from preaudit.core.storage import LocalStorage, S3Storage, open_storage, parse_s3

    target_root = _store(store)
    try:
        from preaudit.core.settings import load_settings

        local = LocalStorage(pack)
        profile = load_profile(local, load_packs(), load_settings())
        S3Storage(parse_s3(target_root + "/")[0]).ensure_bucket()
        target = open_storage(AgencyStore.of(target_root).inbox(profile.factory_id))
        files = local.list()
        for path in files:
            target.write(path, local.read(path))
        withdrawn = sorted(set(target.list()) - set(files))
        for path in withdrawn:
            target.delete(path)
    except cannot_run_errors() as exc:
        _fail(exc)
    console.print(Text(printable(f"uploaded {len(files)} files to {target.location}"
                  + (f"; removed {len(withdrawn)} no longer in the pack" if withdrawn else ""))))


@app.command()
def nightly(store: Optional[str] = typer.Option(None, "--store", help="s3://BUCKET [default: $PREAUDIT_STORE or s3://preaudit]"),
            rules: Optional[Path] = typer.Option(None, "--rules", help="folder of rule packs"),
            dask: Optional[str] = typer.Option(None, "--dask", help="run the audits on a Dask cluster at this "
                                               "address (tcp://host:8786), as many factories at once as it has threads"),
            settings: Optional[Path] = typer.Option(None, "--settings", help=SETTINGS_HELP)):
    """Run the nightly audit now: every factory whose pack changed since its last audit. Exit 3
    when any factory's audit failed (the others still ran), 2 when the run cannot start."""
    _terminal_is_ours()
    from flows.nightly import nightly_audit
    from preaudit.app.interrupts import ephemeral_server_dies_with_us, stop_on_interrupt

    stop_on_interrupt("the nightly run")
    ephemeral_server_dies_with_us()
    try:
        from preaudit.core.settings import load_settings

        load_settings(settings, rules)  # wrong settings stop the night before any factory
    except cannot_run_errors() as exc:
        _fail(exc)
    outcome = nightly_audit(_store(store), str(rules) if rules else None, dask, str(settings) if settings else None)
    for factory, what in outcome.items():
        console.print(Text(printable(f"{factory}: {what}")))
    failed = [factory for factory, what in outcome.items() if what.startswith("failed")]
    if failed:
        console.print(Text(f"{len(failed)} of {len(outcome)} factories failed: {', '.join(failed)}", style="red"))
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command()
def portfolio(store: Optional[str] = typer.Option(None, "--store", help="s3://BUCKET or a folder laid out the same way "
                                                                      "[default: $PREAUDIT_STORE or s3://preaudit]"),
              out: Optional[str] = typer.Option(None, "--out", help="where portfolio.html goes [default: the store's "
                                                                    "reports/]")):
    """Every factory the store holds reports for, on one page ranked by what needs attention."""
    import datetime as dt

    from preaudit.app import portfolio as pf
    from preaudit.app.reportstore import AgencyStore
    from preaudit.core.storage import StorageError, open_storage

    try:
        reports = open_storage(AgencyStore.of(_store(store)).reports)
        target = open_storage(out) if out else reports
        rows = pf.write_portfolio(reports, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), target)
    except StorageError as exc:
        _fail(exc)
    console.print(Text(f"{len(rows)} factories; portfolio.html in {printable(target.location)}"))


@app.command()
def serve(store: Optional[str] = typer.Option(None, "--store", help="s3://BUCKET [default: $PREAUDIT_STORE or s3://preaudit]"),
          cron: str = typer.Option("0 2 * * *", help="when the nightly run starts"),
          timezone: str = typer.Option("Asia/Shanghai", help="time zone of --cron"),
          rules: Optional[Path] = typer.Option(None, "--rules", help="folder of rule packs")):
    """Serve the nightly-audit deployment on its schedule (needs a Prefect API: PREFECT_API_URL)."""
    from prefect.schedules import Cron

    from flows.nightly import nightly_audit

    nightly_audit.serve(name="nightly-audit", schedules=[Cron(cron, timezone=timezone)],
                        parameters={"store": _store(store), "rules_dir": str(rules) if rules else None,
                                    "settings": None},
                        pause_on_shutdown=False)


@app.command()
def demo(out: Path = typer.Option(Path("demo-out"), "--out", help="where the sample pack and its outputs go"),
         style: str = typer.Option("scanned", help="sample style: scanned (spreadsheets, digital PDFs, a scan, a "
                                   "photo), en, zh-gbk, bilingual-xlsx, mixed"),
         seed: int = typer.Option(7, help="random seed of the sample pack")):
    """Build a sample pack (50 workers, 3 months, seeded violations), audit it, print a summary."""
    _terminal_is_ours()
    from preaudit.samples.generator import generate

    sample = generate(style=style, seed=seed)
    pack_dir = out / "pack"
    sample.write(pack_dir)
    console.print(f"sample pack ({style}): {len(sample.files)} files in [bold]{pack_dir}[/bold], "
                  f"{len(sample.truth)} seeded findings (ground truth in {out / 'ground-truth.json'})")
    sample.write_truth(out / "ground-truth.json")
    report = out / "report"
    result = _run(str(pack_dir), str(report), None, False, str(out / "cache")).result
    _summary(result, str(report))
    found = {f.key() for f in result.findings}
    missed = [t for t in sample.truth if t.key() not in found]
    console.print(f"seeded violations found: {len(sample.truth) - len(missed)}/{len(sample.truth)}")


def _value_text(values: list[dict]) -> str:
    return "; ".join(f"{v['pack']} {v['value']:g}" + (f" from {v['effective_from']}" if v["effective_from"] else "")
                     + (f" to {v['effective_to']}" if v["effective_to"] else "") for v in values) or "no pack sets it"


@rules_app.command("list")
def rules_list(rules: Optional[Path] = typer.Option(None, "--rules", help="folder of rule packs")):
    """Every rule: category, severity, its thresholds by pack, and the sources it rests on."""
    from preaudit.app import catalogue
    from preaudit.core.packs import load_packs

    table = RichTable(title="preaudit rules", show_lines=True)
    for column in ("rule", "category", "severity", "thresholds by pack", "sources"):
        table.add_column(column, overflow="fold")
    for entry in catalogue.build(load_packs(rules)):
        thresholds = "\n".join(f"{name}: {_value_text(values)}" for name, values in entry.parameters.items())
        table.add_row(entry.id, entry.category, entry.severity, thresholds or "-", "\n".join(entry.sources))
    console.print(table)


@rules_app.command("explain")
def rules_explain(rule_id: str, rules: Optional[Path] = typer.Option(None, "--rules", help="folder of rule packs")):
    """One rule in full: what it flags, each threshold with its pack, dates, source and confidence."""
    from preaudit.app import catalogue
    from preaudit.core.packs import law_chain, load_packs

    packs = load_packs(rules)
    entries = {e.id: e for e in catalogue.build(packs)}
    entry = entries.get(rule_id.upper())
    if entry is None:
        console.print(f"[red]error:[/red] no rule {rule_id!r} (known: {', '.join(entries)})")
        raise typer.Exit(EXIT_CANNOT_RUN)
    console.print(f"[bold]{entry.id}[/bold] — {entry.category}, {entry.severity}\n{entry.summary}")
    if entry.readings:
        console.print(f"\n[bold]readings tried[/bold]\n  {entry.readings}")
    for name, values in entry.parameters.items():
        console.print(f"\n[bold]{name}[/bold]")
        for v in values or [{"pack": "-", "value": float("nan"), "effective_from": None, "effective_to": None,
                             "source": "no pack sets it", "confidence": None, "note": None}]:
            span = f"{v['effective_from'] or '…'} – {v['effective_to'] or '…'}"
            console.print(f"  {v['pack']}: {v['value']:g}  ({span})  {v['source']}"
                          + (f"  [{v['confidence']}]" if v["confidence"] else "")
                          + (f"\n      note: {v['note']}" if v["note"] else ""))
    if entry.bases:
        console.print("\n[bold]basis by jurisdiction[/bold]")
        for b in entry.bases:
            console.print(f"  {b['pack']}: {b['says']} — {b['source']}" + (f"  [{b['confidence']}]" if b["confidence"] else "")
                          + (f"\n      note: {b['note']}" if b["note"] else ""))
        covered = {b["pack"] for b in entry.bases}
        others = sorted(p.id for p in packs.values() if p.kind == "law"
                        and not any(q.id in covered for q in law_chain(p.id, packs)))
        if others:
            console.print(f"  {', '.join(others)}: no basis of its own — the SPEC's definition applies (see gaps)")
    if entry.citations:
        console.print("\n[bold]rests on[/bold]")
        for c in entry.citations:
            console.print(f"  {c['pack']}: {c['source']}")
    if entry.gaps:
        console.print("\n[bold]gaps[/bold]")
        for g in entry.gaps:
            console.print(f"  {g}")


if __name__ == "__main__":
    app()
