"""The public header catalogues are well-formed test data.

`header_catalogue.csv` is the catalogue the mapper's words were checked against;
`header_catalogue_holdout.csv` is a second, held-out catalogue drawn from other public sources, so
the mapper can be scored on header texts its authors never saw. The same well-formedness checks run
on both; the holdout must share no (text, kind) and no source repository with the first.
"""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import pytest

from extractors.fields import declarations
from preaudit.core.model import Kind

DATA = Path(__file__).parent / "data"
CATALOGUE = DATA / "header_catalogue.csv"
HOLDOUT = DATA / "header_catalogue_holdout.csv"
CATALOGUES = {"first": CATALOGUE, "holdout": HOLDOUT}
LANGUAGES = {"en", "zh", "zh_hant", "vi", "bn", "hi"}
COLUMNS = ["text", "language", "kind", "field", "source"]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS, path.name
        return list(reader)


def repository(source: str) -> str:
    """The repository (or site) a row's source names: `owner/repo` of `owner/repo:path@commit`,
    the first two path parts of a bare path (`shared/reference/real-exports.md (…)`), the host and
    first two path parts of a URL."""
    if "://" in source:
        url = urlparse(source)
        parts = [p for p in url.path.split("/") if p][:2]
        return "/".join([url.netloc.lower(), *parts]) if url.netloc.lower() == "github.com" else url.netloc.lower()
    head = source.split(":", 1)[0] if ":" in source else source
    return "/".join(head.split(" ", 1)[0].split("/")[:2]).lower()


@pytest.fixture(scope="module", params=sorted(CATALOGUES))
def rows(request) -> list[dict[str, str]]:
    return _read(CATALOGUES[request.param])


@pytest.fixture(scope="module")
def first() -> list[dict[str, str]]:
    return _read(CATALOGUE)


@pytest.fixture(scope="module")
def holdout() -> list[dict[str, str]]:
    return _read(HOLDOUT)


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


def test_repository_of_a_source():
    assert repository("frappe/hrms:hrms/locale/zh.po@80f17c99") == "frappe/hrms"
    assert repository("shared/reference/real-exports.md (DingTalk 每日统计)") == "shared/reference"
    assert repository("https://github.com/Owner/Repo/blob/x/y.md") == "github.com/Owner/Repo"
    assert repository("https://example.org/forms/a.pdf") == "example.org"


def test_holdout_shares_no_text_kind_with_the_first(first, holdout):
    seen = {(r["text"], r["kind"]) for r in first}
    shared = [(r["text"], r["kind"]) for r in holdout if (r["text"], r["kind"]) in seen]
    assert not shared


def test_holdout_shares_no_source_repository_with_the_first(first, holdout):
    used = {repository(r["source"]) for r in first}
    shared = sorted({repository(r["source"]) for r in holdout} & used)
    assert not shared


def test_holdout_sources_are_pinned(holdout):
    for row in holdout:
        src = row["source"]
        assert "://" in src or ("@" in src and ":" in src.split("@", 1)[0]), row
