"""The public header catalogue (tests/data/header_catalogue.csv) is well-formed test data."""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from extractors.fields import declarations
from preaudit.core.model import Kind

CATALOGUE = Path(__file__).parent / "data" / "header_catalogue.csv"
LANGUAGES = {"en", "zh", "zh_hant", "vi", "bn", "hi"}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with CATALOGUE.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["text", "language", "kind", "field", "source"]
        return list(reader)


def test_enough_rows(rows):
    assert len(rows) >= 300


def test_fields_and_kinds_are_declared(rows):
    decl = declarations()
    kinds = {k.value for k in Kind}
    for row in rows:
        assert row["kind"] in kinds, row
        if row["field"] == "none":
            continue
        assert row["field"] in decl, row
        assert Kind(row["kind"]) in decl[row["field"]].kinds, row


def test_every_row_has_text_language_and_source(rows):
    for row in rows:
        assert row["text"].strip() == row["text"] and row["text"], row
        assert row["language"] in LANGUAGES, row
        assert row["source"].strip(), row


def test_no_duplicate_text_kind(rows):
    dupes = [k for k, n in Counter((r["text"], r["kind"]) for r in rows).items() if n > 1]
    assert not dupes


def test_spread(rows):
    langs = Counter(r["language"] for r in rows)
    assert langs["zh"] + langs["zh_hant"] >= 60
    assert langs["vi"] >= 40 and langs["bn"] >= 20 and langs["hi"] >= 20
    assert sum(r["field"] == "none" for r in rows) >= 40
