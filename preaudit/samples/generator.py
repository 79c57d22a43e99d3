"""Sample packs with seeded violations and their ground truth.

A Shanghai garment factory (CN-SH + SA8000), ~50 workers, March–May 2026, written as a roster,
time records and payroll in one of several styles (English CSV; Chinese GBK CSV; bilingual Excel
with title rows, two-line and merged headers; a mix with legacy .xls, a one-column punch list,
`;` delimiters, day-first dates and currency text). Each seeded worker breaks one rule (or sits
exactly on its limit, which must not be flagged).

Three parts, each its own module: ``scenario`` (who works when, what they are paid, the seeded
violations), ``writers`` (the file formats) and ``oracle`` (the expected findings). The ground
truth is not what the seeds intended but what a plain re-statement of each rule finds in the
scenario's days and pay lines, computed from the scenario alone, never from the writers' output,
so the truth is exact even where jitter and violations interact. Tests then check that every
seeded case is in the truth, and that preaudit's findings equal it. This module puts them together
(``generate``) and keeps every name other modules import from it.
"""
from __future__ import annotations

import random

from preaudit.samples.oracle import _oracle, _oracle_documents, _oracle_logs
from preaudit.samples.scenario import (LICENSES, PROFILE_PERIOD, SamplePack, _gate_rows, _inspection_rows,
                                       _license_rows, _make_workers, _pay_lines, _seal_rows, _seed, _visitor_rows,
                                       profile_yaml)
# what other modules take from here: the bench and the tests draw single documents of a pack
from preaudit.samples.writers import (LOG_HEADERS, SCANNED_LOGS, STYLES, _as_documents, _cell, _concat_pdfs,  # noqa: F401
                                      _csv, _license_lines, _log_files, _pdf_value)

__all__ = ["generate", "profile_yaml", "SamplePack", "STYLES", "LICENSES", "LOG_HEADERS", "SCANNED_LOGS"]


def generate(style: str = "mixed", seed: int = 7, workers: int = 50) -> SamplePack:
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r} (known: {', '.join(STYLES)})")
    if workers < 25:
        raise ValueError("the seeded cases need at least 25 workers")
    rng = random.Random(seed)
    people = _make_workers(rng, workers)
    seeded = _seed(people, rng)
    states_rate = style != "mixed"  # the mixed payroll leaves the hourly rate out
    pay = [line for w in people for line in _pay_lines(w, rng, states_rate)]
    files = {"factory.yaml": profile_yaml(), **STYLES[style](people, pay, rng)}
    gate = _gate_rows(people, rng)
    logs = {"gate": gate, "visitors": _visitor_rows(rng), "seals": _seal_rows(), "inspections": _inspection_rows(),
            "licenses": _license_rows("en" if style in ("en", "mixed") else "zh")}
    files.update(_log_files("en" if style == "scanned" else style, logs, rng))
    if style == "scanned":
        files = _as_documents(files, people, pay, logs, seed)
    bad = {"misc/canteen-menu.csv": "DQ-UNCLASSIFIED", "misc/scan-0007.xlsx": "DQ-UNREADABLE"}
    files["misc/canteen-menu.csv"] = _csv([["菜品 Dish", "价格 Price"], ["红烧肉", "12"], ["青菜", "4"]])
    files["misc/scan-0007.xlsx"] = b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(512))
    seeded["DQ-UNCLASSIFIED"], seeded["DQ-UNREADABLE"] = ["misc/canteen-menu.csv"], ["misc/scan-0007.xlsx"]
    truth = _oracle(people, pay, states_rate, bad)
    truth += _oracle_logs(people, pay, gate, roster_birth_column=style in ("en", "mixed", "scanned"))
    truth += _oracle_documents(PROFILE_PERIOD)
    return SamplePack(style, files, truth, seeded, people)
