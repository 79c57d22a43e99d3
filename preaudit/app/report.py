"""report.html: the page the auditor opens (issue 12). One self-contained file — inline CSS, script
and images, no request leaves it — written beside findings.json.

The page is built from findings.json as written (masked unless --unmasked), the run's review
(patterns, auditor's sample, per-worker series) and, for findings on scans and PDF pages, crops
of the page images with the deciding row outlined, cut from the pack's own files. All data goes in
as one gzip'd, base64 block (a factory-year's hundred thousand findings in a few MB), and the
script writes it into the page as text only: a ``<script>`` in a worker's name stays text.
"""
from __future__ import annotations

import base64
import datetime as dt
import gzip
import io
import json
from collections import Counter, OrderedDict
from pathlib import Path
from typing import Any

import jinja2

from preaudit.core.storage import Storage, StorageError

#: crops embedded at most (the report of a factory-year stays small; each is ~20-60 kB)
MAX_CROPS = 250
#: evidence items shown per finding (findings.json keeps them all); a run with more findings than
#: MANY_FINDINGS shows one, so the page of a factory-year opens in a few seconds
EVIDENCE_SHOWN, MANY_FINDINGS = 3, 20_000
CROP_WIDTH = 900          # pixels: a crop is scaled down to this width at most
TEXT_LAYER_SCALE = 2.0    # a text-layer PDF page is rendered at 144 dpi for its crops
CATEGORIES = ("working_time", "wages", "age", "identity", "integrity", "cross_document", "license",
              "security", "data_quality")
SEVERITIES = ("critical", "major", "minor")


class PageImages:
    """Page images of a pack's documents, as the reader measured their boxes: a scan turned and
    deskewed as before OCR (the transform its document report records), a text-layer page
    rendered. A few pages are kept at a time."""

    def __init__(self, source: Storage | None, documents: list[dict[str, Any]]):
        self.source = source
        self.transforms = {(d["path"], s.get("page")): s.get("transform")
                           for d in documents for s in d.get("sheets", []) if s.get("transform")}
        self._pages: OrderedDict[tuple[str, int, str], Any] = OrderedDict()

    def page(self, document: str, number: int, unit: str):
        key = (document, number, unit)
        if key not in self._pages:
            self._pages[key] = self._load(document, number, unit)
            while len(self._pages) > 4:
                self._pages.popitem(last=False)
        return self._pages[key]

    def _load(self, document: str, number: int, unit: str):
        from PIL import Image, ImageOps

        if self.source is None:
            return None
        try:
            data = self.source.read(document)
        except (StorageError, OSError):
            return None
        if data.startswith(b"%PDF"):
            import pypdfium2 as pdfium

            from extractors.pages import PDFIUM_LOCK, PageTooLarge, render_scale

            with PDFIUM_LOCK:
                pdf = pdfium.PdfDocument(data)
                if number > len(pdf):
                    return None
                page = pdf[number - 1]
                used = (self.transforms.get((document, number)) or {}).get("scale")
                try:  # the scale OCR used (recorded by the reader; a profile may have changed it), so the boxes fit
                    scale = used or render_scale(*page.get_size()) if unit == "px" else TEXT_LAYER_SCALE
                except PageTooLarge:
                    return None
                image = page.render(scale=scale).to_pil()
        else:
            try:
                image = Image.open(io.BytesIO(data))
                if number > getattr(image, "n_frames", 1):
                    return None
                image.seek(number - 1)
                image = ImageOps.exif_transpose(image.copy())
            except (OSError, ValueError):
                return None
        if unit != "px":
            return image.convert("RGB")
        image = ImageOps.exif_transpose(image).convert("L")
        transform = self.transforms.get((document, number)) or {}
        if transform.get("rotated"):
            image = image.rotate(-transform["rotated"], expand=True, fillcolor="white")
        if transform.get("deskewed"):
            image = image.rotate(transform["deskewed"], expand=True, fillcolor="white", resample=Image.BICUBIC)
        return image.convert("RGB")


def crop(image, box: list[float], unit: str) -> str:
    """The row's surroundings with the row outlined, as a JPEG data URI."""
    from PIL import ImageDraw

    scale = 1.0 if unit == "px" else TEXT_LAYER_SCALE
    x0, top, x1, bottom = (v * scale for v in box)
    height = max(bottom - top, 10)
    left, upper = max(0, x0 - 40), max(0, top - 3 * height)
    right, lower = min(image.width, x1 + 40), min(image.height, bottom + 3 * height)
    piece = image.crop((int(left), int(upper), int(right), int(lower))).copy()
    pad = max(6, round(height / 4))  # boxes shrunk to the ink: an outline on them would strike the glyphs
    ImageDraw.Draw(piece).rectangle((x0 - left - pad, top - upper - pad, x1 - left + pad, bottom - upper + pad),
                                    outline=(220, 30, 30), width=4)
    if piece.width > CROP_WIDTH:
        piece = piece.resize((CROP_WIDTH, round(piece.height * CROP_WIDTH / piece.width)))
    buf = io.BytesIO()
    piece.save(buf, "JPEG", quality=70)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode()


def crop_key(e: dict[str, Any]) -> tuple | None:
    """What a crop is cut by: the evidence's page and box."""
    if not (e.get("page") and e.get("bbox") and e.get("bbox_unit")):
        return None
    return e["document"], e["page"], tuple(e["bbox"]), e["bbox_unit"]


def evidence_shown(findings: list[dict[str, Any]]) -> int:
    return EVIDENCE_SHOWN if len(findings) <= MANY_FINDINGS else 1


def attach_crops(findings: list[dict[str, Any]], images: PageImages) -> dict[tuple, tuple[str, str]]:
    """Crops for evidence on page images, review queue first, then by severity: crop key → (id,
    data URI). At most MAX_CROPS; evidence beyond them keeps its page, row and box in words."""
    crops: dict[tuple, tuple[str, str]] = {}
    shown = evidence_shown(findings)
    ordered = sorted(findings, key=lambda f: (not f.get("needs_review"), SEVERITIES.index(f["severity"])
                                              if f["severity"] in SEVERITIES else 9))
    for f in ordered:
        for e in f.get("evidence", [])[:shown]:
            key = crop_key(e)
            if key is None or key in crops or len(crops) >= MAX_CROPS:
                continue
            image = images.page(e["document"], e["page"], e["bbox_unit"])
            if image is not None:
                crops[key] = (f"c{len(crops)}", crop(image, e["bbox"], e["bbox_unit"]))
    return crops


def compact(findings: list[dict[str, Any]], crops: dict[tuple, tuple[str, str]]) -> dict[str, Any]:
    """Findings as rows of a table whose repeated texts (rules, documents, sources, units) are held
    once: a factory-year's hundred thousand findings fit the page. The script turns them back
    into objects; FIELDS names the columns."""
    strings: dict[str, int] = {}
    shown = evidence_shown(findings)

    def s(value: Any) -> int:
        if value is None:
            return -1
        text = str(value)
        if text not in strings:
            strings[text] = len(strings)
        return strings[text]

    rows = []
    for f in findings:
        subject = f.get("subject") or {}
        period = f.get("period") or {}
        evidence = [[s(e["document"]), s(e.get("sheet")), e.get("page"), e.get("row"), s(e.get("cell")),
                     e.get("bbox"), s(e.get("bbox_unit")), e.get("text") or "", e.get("confidence"),
                     (crops.get(crop_key(e)) or (None,))[0]]
                    for e in f.get("evidence", [])[:shown]]
        rows.append([s(f["rule_id"]), s(f["severity"]), s(f["category"]),
                     s(", ".join(v if k == "worker_id" else f"{k} {v}" for k, v in subject.items())),
                     s(subject.get("worker_id")), s(period.get("start")), s(period.get("end")),
                     f.get("measured"), f.get("limit"), s(f.get("unit")), f["message"],
                     s(" | ".join(f.get("sources", []))), 1 if f.get("needs_review") else 0, s(f.get("history")),
                     evidence, max(0, len(f.get("evidence", [])) - shown)])
    return {"strings": list(strings), "rows": rows}


def summary(document: dict[str, Any], result) -> dict[str, Any]:
    """Factory, period, packs and their sources, counts by category × severity, run history."""
    findings = document.get("findings", [])
    counts = Counter((f["category"], f["severity"]) for f in findings)
    profile = getattr(result, "profile", None)
    context = getattr(result, "context", None)
    sources: dict[str, set[str]] = {}
    for value in getattr(context, "values", []) or []:
        sources.setdefault(value.pack, set()).add(value.source)
    history = Counter(f.get("history") for f in findings if f.get("history"))
    return {
        "factory_id": document.get("factory_id"), "run_id": document.get("run_id"),
        "generated_at": document.get("generated_at"),
        "jurisdiction": getattr(profile, "jurisdiction", None),
        "period": [getattr(profile, "period_start", None), getattr(profile, "period_end", None)],
        "audit_date": getattr(profile, "audit_date", None),
        "packs": [{"id": p, "sources": sorted(sources.get(p, []))[:12]} for p in document.get("rule_packs", [])],
        "counts": [{"category": c, "severity": s, "n": counts[(c, s)]} for c in CATEGORIES for s in SEVERITIES
                   if counts[(c, s)]],
        "relaxed": document.get("relaxed", []), "identity": document.get("identity"),
        "total": len(findings), "needs_review": sum(1 for f in findings if f.get("needs_review")),
        "history": {"new": history.get("new", 0), "open": history.get("open", 0),
                    "resolved": len(document.get("resolved", [])),
                    "previous_run_id": document.get("previous_run_id")} if "previous_run_id" in document else None,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, set):
        return sorted(value)
    return str(value)


def render_report(document: dict[str, Any], result=None, source: Storage | None = None,
                  masked: bool = False) -> str:
    """report.html for one run: findings.json as written, the run's review, and crops cut from
    ``source`` (the pack) where findings rest on page images. National IDs are masked in all of
    it, whatever findings.json was written as (``masked``: the document is masked already)."""
    from preaudit.app.outputs import _mask

    findings = document.get("findings", [])
    crops = attach_crops(findings, PageImages(source, document.get("documents", [])))
    review = getattr(result, "review", None)
    data = {
        "summary": summary(document, result),
        "review": document.get("review") or {},
        "documents": document.get("documents", []),
        "findings": compact(findings, crops),
        "resolved": document.get("resolved", []),
        "workers": getattr(review, "worker_series", {}) if review is not None else {},
    }
    # the series by worker id come from the run, not from findings.json: always masked here
    data = _mask(data) if not masked else {**data, **_mask({k: data[k] for k in ("summary", "workers")})}
    data["crops"] = dict(crops.values())
    # gzip, then base64: the script inflates it with the browser's DecompressionStream (no request);
    # base64 holds no "<", so no text of a document can close the script element
    packed = base64.b64encode(gzip.compress(json.dumps(data, ensure_ascii=False, default=_plain).encode(), 6))
    template = _environment().get_template("report.html.j2")
    return template.render(title=f"preaudit — {document.get('factory_id')}", data=packed.decode("ascii"))


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined)
