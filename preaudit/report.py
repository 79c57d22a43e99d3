"""report.html: the page the auditor opens (issue 12). One self-contained file — inline CSS, script
and images, no request leaves it — written beside findings.json.

The page is built from findings.json as written (masked unless --unmasked), the run's review
(patterns, auditor's sample, per-worker series) and, for findings on scans and PDF pages, crops
of the page images with the deciding row outlined, cut from the pack's own files. All data goes in
as one JSON block with ``<`` escaped, and the script writes it into the page as text only: a
``<script>`` in a worker's name stays text.
"""
from __future__ import annotations

import base64
import datetime as dt
import io
import json
from collections import Counter, OrderedDict
from pathlib import Path
from typing import Any

import jinja2

from preaudit.storage import Storage, StorageError

#: crops embedded at most (the report of a factory-year stays small; each is ~20-60 kB)
MAX_CROPS = 250
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

            from extractors.pages import RENDER_DPI

            pdf = pdfium.PdfDocument(data)
            if number > len(pdf):
                return None
            scale = RENDER_DPI / 72 if unit == "px" else TEXT_LAYER_SCALE
            image = pdf[number - 1].render(scale=scale).to_pil()
        else:
            from extractors.ocr import load_images

            try:
                frames = load_images(data)
            except (OSError, ValueError):
                return None
            if number > len(frames):
                return None
            image = frames[number - 1]
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
    ImageDraw.Draw(piece).rectangle((x0 - left - 4, top - upper - 4, x1 - left + 4, bottom - upper + 4),
                                    outline=(220, 30, 30), width=4)
    if piece.width > CROP_WIDTH:
        piece = piece.resize((CROP_WIDTH, round(piece.height * CROP_WIDTH / piece.width)))
    buf = io.BytesIO()
    piece.save(buf, "JPEG", quality=70)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode()


def attach_crops(findings: list[dict[str, Any]], images: PageImages) -> dict[str, str]:
    """Crops for evidence on page images, review queue first; each evidence item that has one gets
    its ``crop`` id. Returns id → data URI."""
    crops: dict[str, str] = {}
    by_key: dict[tuple, str] = {}
    ordered = sorted(findings, key=lambda f: (not f.get("needs_review"), SEVERITIES.index(f["severity"])
                                              if f["severity"] in SEVERITIES else 9))
    for f in ordered:
        for e in f.get("evidence", []):
            if not (e.get("page") and e.get("bbox") and e.get("bbox_unit")):
                continue
            key = (e["document"], e["page"], tuple(e["bbox"]), e["bbox_unit"])
            if key not in by_key:
                if len(crops) >= MAX_CROPS:
                    continue
                image = images.page(e["document"], e["page"], e["bbox_unit"])
                if image is None:
                    continue
                by_key[key] = f"c{len(crops)}"
                crops[by_key[key]] = crop(image, e["bbox"], e["bbox_unit"])
            e["crop"] = by_key[key]
    return crops


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
        "total": len(findings), "needs_review": sum(1 for f in findings if f.get("needs_review")),
        "history": {"new": history.get("new", 0), "open": history.get("open", 0),
                    "resolved": len(document.get("resolved", [])),
                    "previous_run_id": document.get("previous_run_id")} if "previous_run_id" in document else None,
    }


def _json_for_script(data: Any) -> str:
    """JSON safe inside <script>: no "</script>", no "<!--", no line separators."""
    text = json.dumps(data, ensure_ascii=False, default=_plain)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, set):
        return sorted(value)
    return str(value)


def render_report(document: dict[str, Any], result=None, source: Storage | None = None) -> str:
    """report.html for one run: findings.json as written, the run's review, and crops cut from
    ``source`` (the pack) where findings rest on page images."""
    document = json.loads(json.dumps(document, default=_plain))  # crops are attached to a copy
    findings = document.get("findings", [])
    crops = attach_crops(findings, PageImages(source, document.get("documents", [])))
    review = getattr(result, "review", None)
    data = {
        "summary": summary(document, result),
        "review": document.get("review") or {},
        "documents": document.get("documents", []),
        "findings": findings,
        "resolved": document.get("resolved", []),
        "workers": getattr(review, "worker_series", {}) if review is not None else {},
        "crops": crops,
    }
    template = _environment().get_template("report.html.j2")
    return template.render(title=f"preaudit — {document.get('factory_id')}", data=_json_for_script(data))


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined)
