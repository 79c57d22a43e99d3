"""What a document yields, kept in the store under its content: an unchanged document is never
read (or OCR'd) twice, whatever its name or folder.

Key: the readers' reading key (``extractors.reading_key``): sha256 of the bytes + EXTRACTOR_VERSION
+ a hash of the reading options (the profile's column_map and the document's corrections) + the
month the file name gives (a renamed file whose name says the same stays a hit). Value: the document report and its tables as Arrow IPC, in one
JSON object. Provenance that depends on where the file sits (its path) is set again on load.
"""
from __future__ import annotations

import base64
import io
import json

import polars as pl

from extractors import reading_key

from extractors.types import Extracted
from extractors.types import Table
from preaudit.core.options import ReadingOptions
from preaudit.core.model import ColumnRead, DocStatus, Document, DocumentReport, Kind, Problem, part_or_page
from preaudit.core.storage import Storage


def cache_key(document: Document, options: ReadingOptions | dict[str, str] | None) -> str:
    """Where an extraction is kept: under the readers' own key for what the reading depends on."""
    return f"extract/{reading_key(document, options)}.json"


def _encode_table(table: Table) -> dict:
    buf = io.BytesIO()
    table.df.write_ipc(buf, compression="zstd")
    return {"kind": table.kind.value, "unmapped": table.unmapped, "header_rows": table.header_rows,
            "problems": [p.to_json() for p in table.problems], "skipped_rows": table.skipped_rows,
            "skip_reasons": table.skip_reasons, "columns": [c.to_json() for c in table.columns], "layout": table.layout,
            "notes": table.notes, "presence_only": table.presence_only,
            "ipc": base64.b64encode(buf.getvalue()).decode("ascii")}


def _decode_table(data: dict, path: str) -> Table:
    df = pl.read_ipc(io.BytesIO(base64.b64decode(data["ipc"]))).with_columns(pl.lit(path).alias("_doc"))
    return Table(Kind(data["kind"]), df, data["unmapped"], data["header_rows"],
                 [Problem(**p) for p in data["problems"]], data["skipped_rows"], data.get("skip_reasons", {}),
                 [ColumnRead.of(c) for c in data.get("columns", [])], data.get("layout", "table"), data.get("notes", []),
                 data.get("presence_only", False))


def dumps(extracted: Extracted) -> bytes:
    report = extracted.report.to_json()
    return json.dumps({"report": report, "tables": [_encode_table(t) for t in extracted.tables]},
                      ensure_ascii=False).encode("utf-8")


def loads(data: bytes, document: Document) -> Extracted:
    doc = json.loads(data)
    r = doc["report"]
    report = DocumentReport(document.path, document.sha256, r["kind"], r["pages"], DocStatus(r["status"]),
                            r["reason"], r["unmapped_columns"], [part_or_page(s) for s in r.get("sheets") or []],
                            Kind(r["closest"]) if r.get("closest") else None)
    return Extracted(report, [_decode_table(t, document.path) for t in doc["tables"]])


class ExtractCache:
    def __init__(self, storage: Storage):
        self.storage = storage

    def get(self, document: Document, options: ReadingOptions | dict[str, str] | None) -> Extracted | None:
        key = cache_key(document, options)
        if not self.storage.exists(key):
            return None
        try:
            return loads(self.storage.read(key), document)
        except (ValueError, KeyError, TypeError):
            return None  # a damaged or older entry: read the document again

    def put(self, document: Document, options: ReadingOptions | dict[str, str] | None, extracted: Extracted) -> None:
        self.storage.write(cache_key(document, options), dumps(extracted))
