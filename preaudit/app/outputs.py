"""findings.json and findings.csv (SPEC §4). National ID numbers are masked everywhere — findings.csv,
report.html and its embedded data, the screen, the logs — except in findings.json written with
--unmasked."""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from preaudit.app.pipeline import AuditResult
from preaudit.core.storage import Storage

#: a run of digits, one separator (space, hyphen, underscore, their full-width forms) between
#: groups, standing alone: an ID as printed ("310115 19900101 6022", "2345-6789-0123"), in a file
#: name ("张三_310115199001016022.csv") or in full-width digits. \d is any script's decimal digit.
_SEP = " \u3000_\\-\u2010\u2011\u2012\u2013\uff0d\uff3f"
#: a letter next to it does not hide an ID ("ID310115…", the "J" of an escape written out); a
#: hash does (a sha256 in hex is no ID, however many digits run in it)
_DIGIT_RUN = re.compile(rf"(?<!\d)\d+(?:[{_SEP}]\d+)*[XxＸｘ]?(?!\d)")
_ALNUM = re.compile(r"[0-9A-Za-z]*")
_HASH = re.compile(r"[0-9a-fA-F]{32,}")
_GROUP = re.compile(r"\d+")
#: lengths of the national IDs masked wherever they stand: CN resident ID 18 (or 15), VN CCCD and
#: IN Aadhaar 12, BD NID 13 and 17. (BD's 10 and VN's 9 digits are masked where named: bare, they
#: are amounts and phone numbers as often as IDs.)
_ID_LENGTHS = {12, 13, 15, 17, 18}


# an identity number named as such in evidence ("national_id=19952691041123456"), any country's
_NAMED_ID = re.compile(r"((?:national_id|id_number)=)([^;]+)")
#: a digit and eleven digits or separators after it: no bare ID is in a text without them (most texts)
_CANDIDATE = re.compile(rf"\d[\d{_SEP}]{{11,}}")


def _datey(groups: list[str]) -> bool:
    """Groups reading as dates (2026-03, 2026-03-01 2026-04): a year then a month."""
    return any(len(a) == 4 and a[:2] in ("19", "20") and len(b) <= 2 and 1 <= int(b) <= 12
               for a, b in zip(groups, groups[1:]))


def _in_hash(m: re.Match) -> bool:
    text, start, end = m.string, m.start(), m.end()
    if not ((start and text[start - 1].isascii() and text[start - 1].isalpha())
            or (end < len(text) and text[end].isascii() and text[end].isalpha())):
        return False
    left = len(text[:start]) - len(_ALNUM.match(text[:start][::-1]).group(0))
    right = end + len(_ALNUM.match(text, end).group(0))
    return bool(_HASH.fullmatch(text, left, right))


def _mask_run(m: re.Match) -> str:
    whole = m.group(0)
    if _in_hash(m):
        return whole
    spans = [g.span() for g in _GROUP.finditer(whole)]
    if sum(e - s for s, e in spans) + 1 < min(_ID_LENGTHS):
        return whole  # dates, times, amounts: most runs
    check = whole[-1] in "XxＸｘ"
    hidden: set[int] = set()
    i = 0
    while i < len(spans):  # the longest run of whole groups from each group that is an ID's length
        found = None
        for j in range(len(spans), i, -1):
            n = sum(e - s for s, e in spans[i:j]) + (check and j == len(spans))
            if n in _ID_LENGTHS and not _datey([whole[s:e] for s, e in spans[i:j]]):
                found = j
                break
        if found is None:
            i += 1
            continue
        chars = [k for s, e in spans[i:found] for k in range(s, e)] + \
            ([len(whole) - 1] if check and found == len(spans) else [])
        contiguous = found - i == 1
        keep = 6 if contiguous and len(chars) in (15, 18) else 2  # a resident ID: its region code
        hidden.update(chars[keep:-4])
        i = found
    return "".join("*" if k in hidden else c for k, c in enumerate(whole))


def mask_text(text: str) -> str:
    """An 18-character resident ID (or the old 15) keeps its region code and last four characters:
    440305********123X; a 12-, 13- or 17-digit ID (CCCD, Aadhaar, BD NID), or one spelt with
    spaces, hyphens or underscores in any digits (a file name's "310115 19900101 6022"), its first
    two and last four; an ID named in evidence whatever its country's format (Bangladesh's 10,
    Vietnam's 9 digits): its first two and last four."""
    if len(text) < 11:  # shorter than any ID either pattern takes ("id_number=" and one character)
        return text

    def named(m: re.Match) -> str:  # spaces, hyphens or a prefix in it: every character but the ends
        value = m.group(2)
        if "*" in value:
            return m.group(0)  # masked already
        keep = {i for i, c in enumerate(value) if c.isalnum()}
        ends = sorted(keep)[:2] + sorted(keep)[-4:] if len(keep) > 6 else []
        return m.group(1) + "".join(c if (i in ends or i not in keep) else "*" for i, c in enumerate(value))
    if _CANDIDATE.search(text):
        text = _DIGIT_RUN.sub(_mask_run, text)
    return _NAMED_ID.sub(named, text) if "id" in text else text


def printable(text: Any) -> str:
    """A text from the pack as a terminal or a log may show it: national IDs masked, control
    characters (escape sequences, BEL) and undecodable bytes written as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in mask_text(str(text)))


_LOGS_MASKED = False


def mask_logs() -> None:
    """Every log record of the process (Prefect's task and flow logs, which its API and UI keep)
    with national IDs masked and no terminal escapes: a document's name or a failure's message
    may hold them. Through the record factory, so it holds for every logger and handler."""
    import logging

    global _LOGS_MASKED
    if _LOGS_MASKED:
        return
    _LOGS_MASKED = True
    make = logging.getLogRecordFactory()

    def masked(*args, **kwargs) -> logging.LogRecord:
        record = make(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record whose arguments do not format: left to logging
            return record
        record.msg, record.args = printable(message).replace("\\n", "\n"), None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_text(logging.Formatter().formatException(record.exc_info))
        return record

    logging.setLogRecordFactory(masked)


def _mask(value: Any) -> Any:
    """Every text in a value masked, dictionary keys too (the report's series by worker id)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, (list, tuple)):
        return [_mask(v) for v in value]
    if isinstance(value, dict):
        return {(mask_text(k) if isinstance(k, str) else k): _mask(v) for k, v in value.items()}
    return value


def finding_key(f: dict[str, Any]) -> tuple:
    """A finding's identity across runs (as Finding.key, on its JSON form)."""
    return (f["rule_id"], tuple(sorted(f["subject"].items())), (f.get("period") or {}).get("start"))


def findings_document(result: AuditResult, *, unmasked: bool = False,
                      previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """findings.json. With the factory's previous findings.json, each finding says whether it is
    new or still open, and the previous run's findings that are gone are listed as resolved."""
    findings = [f.to_json() for f in result.findings]
    doc = {"factory_id": result.profile.factory_id, "run_id": result.run_id,
           "generated_at": result.generated_at, "rule_packs": result.context.packs_used}
    if result.claimed_factory_id:  # filed under the inbox, never under what the profile claims
        doc["identity"] = {"filed_under": result.profile.factory_id, "profile_factory_id": result.claimed_factory_id,
                           "obeyed": False}
    relaxed = getattr(result.context, "relaxed", None)
    if relaxed:  # the law relaxed by the profile, the operator allowing it: said before anything else
        doc["relaxed"] = relaxed
    if result.review is not None:  # what to check first: systemic patterns, partly read documents
        doc["review"] = result.review.to_json()
    doc.update({"documents": [d.to_json() for d in result.documents], "findings": findings})
    if previous is not None:
        before = {finding_key(f): f for f in previous.get("findings", [])}
        now = {finding_key(f) for f in findings}
        for f in findings:
            f["history"] = "open" if finding_key(f) in before else "new"
        doc["previous_run_id"] = previous.get("run_id")
        doc["resolved"] = [{k: f.get(k) for k in ("rule_id", "severity", "category", "subject", "period", "message")}
                           for key, f in before.items() if key not in now]
    return doc if unmasked else _mask(doc)


CSV_COLUMNS = ["rule_id", "severity", "category", "subject", "period_start", "period_end",
               "measured", "limit", "unit", "message", "sources", "needs_review", "history", "documents",
               "first_evidence"]


#: a cell a spreadsheet would run as a formula (=HYPERLINK(...), +cmd, -2+3, @SUM, a tab or CR first)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """Text a spreadsheet shows as text: a leading apostrophe before what would start a formula."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


class _InertWriter(csv.DictWriter):
    def writerow(self, rowdict):
        return super().writerow({k: _inert(v) for k, v in rowdict.items()})


def findings_csv(result: AuditResult, document: dict[str, Any] | None = None) -> str:
    out = io.StringIO()
    writer = _InertWriter(out, CSV_COLUMNS)
    writer.writeheader()
    history = {finding_key(f): f.get("history") for f in (document or {}).get("findings", [])}
    for f in result.findings:
        first = f.evidence[0] if f.evidence else None
        where = None
        if first:
            where = first.document + "".join(
                f" {label} {value}" for label, value in (("sheet", first.sheet), ("page", first.page),
                                                         ("row", first.row), ("cell", first.cell)) if value)
        writer.writerow({
            "rule_id": f.rule_id, "severity": f.severity, "category": f.category,
            "subject": ";".join(f"{k}={v}" for k, v in f.subject.items()),
            "period_start": (f.period or {}).get("start"), "period_end": (f.period or {}).get("end"),
            "measured": f.measured, "limit": f.limit, "unit": f.unit, "message": f.message,
            "sources": " | ".join(f.sources), "needs_review": f.needs_review, "history": history.get(f.key()),
            "documents": " | ".join(sorted({e.document for e in f.evidence})), "first_evidence": where})
    for f in (result.review.possible if result.review is not None else []):  # questions, not findings
        writer.writerow({"rule_id": f.rule_id, "severity": f.severity, "category": f.category,
                         "subject": ";".join(f"{k}={v}" for k, v in f.subject.items()),
                         "period_start": (f.period or {}).get("start"), "period_end": (f.period or {}).get("end"),
                         "measured": f.measured, "limit": f.limit, "unit": f.unit,
                         "message": f"{f.message} — possible: {f.possible}", "sources": " | ".join(f.sources),
                         "history": "possible",
                         "documents": " | ".join(sorted({e.document for e in f.evidence}))})
    for f in (document or {}).get("resolved", []):
        writer.writerow({"rule_id": f["rule_id"], "severity": f["severity"], "category": f["category"],
                         "subject": ";".join(f"{k}={v}" for k, v in f["subject"].items()),
                         "period_start": (f["period"] or {}).get("start"), "period_end": (f["period"] or {}).get("end"),
                         "message": f["message"], "history": "resolved"})
    return mask_text(out.getvalue())


def read_findings(storage: Storage, path: str = "findings.json") -> dict[str, Any] | None:
    """The previous run's findings.json, for history; a damaged one (a run killed while writing it)
    is set aside as findings.json.corrupt and the history starts again, never a failed run."""
    if not storage.exists(path):
        return None
    data = storage.read(path)
    try:
        document = json.loads(data)
        if isinstance(document, dict) and isinstance(document.get("findings", []), list):
            return document
    except (UnicodeDecodeError, json.JSONDecodeError):
        pass
    storage.write(path + ".corrupt", data)
    return None


def findings_json(document: dict[str, Any]) -> bytes:
    """findings.json as people read it: each top-level field on its line, each finding, document
    and resolved finding on a line of its own. Built as encoded pieces joined once: a factory-year's
    file is hundreds of MB, and every copy of it counts. (json's indent= takes its pure-Python
    encoder: ten times slower on 100k findings.)"""
    pieces = [b"{\n"]
    for n, (key, value) in enumerate(document.items()):
        pieces.append(b",\n" if n else b"")
        pieces.append(json.dumps(key).encode() + b": ")
        if key in ("findings", "documents", "resolved") and isinstance(value, list) and value:
            pieces.append(b"[\n  ")
            for k, item in enumerate(value):
                pieces.append(b",\n  " if k else b"")
                pieces.append(json.dumps(item, ensure_ascii=False).encode("utf-8"))
            pieces.append(b"\n]")
        else:
            pieces.append(json.dumps(value, ensure_ascii=False).encode("utf-8"))
    pieces.append(b"\n}\n")
    return b"".join(pieces)


def write_outputs(result: AuditResult, out: Storage, *, unmasked: bool = False,
                  previous: dict[str, Any] | None = None, source: Storage | None = None) -> dict[str, Any]:
    """findings.json, findings.csv and report.html; ``source`` (the pack) gives the report its crops.
    Returns findings.json's document as written (the run's summary is made from it)."""
    from preaudit.app.report import render_report

    document = findings_document(result, unmasked=unmasked, previous=previous)
    written = {
        "findings.json": findings_json(document),
        "findings.csv": findings_csv(result, document).encode("utf-8-sig"),  # BOM: Excel opens it as UTF-8
        "report.html": render_report(document, result, source, masked=not unmasked).encode("utf-8"),
    }
    for name, data in written.items():
        out.write(name, data)
    return document
