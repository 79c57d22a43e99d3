"""National ID checks by the schemes the factory's law pack names (bases.national_id), each as its
standard defines it (preaudit.core.identifiers). The factory's country decides the scheme: a digit
string of another length is invalid; only a foreign document (a passport-like value, or a column
headed passport / 护照 / foreign) is not judged."""
from __future__ import annotations

import datetime as dt

import polars as pl

from validators.dataset.dataset import Dataset
from preaudit.core.identifiers import FOREIGN_HEADER, national_id_problem
from preaudit.core.model import Kind
from validators.base import CITED, Hit, rule, worker_subject


@rule("ID-INVALID", category="identity", severity="major",
      summary="national_id fails its check character, or its birth date disagrees with birth_date",
      evidence={Kind.ROSTER: ("worker_id", "name", "national_id", "birth_date")},
      message=lambda h: f"{h.subject['worker_id']}: the national ID is not valid: {h.values['problem']}")
def find_id_invalid(ds: Dataset) -> list[Hit]:
    basis = ds.context.bases.get("national_id")
    if basis is None:
        return []  # no identity scheme is known for this jurisdiction: nothing to judge
    roster = ds.tables[Kind.ROSTER].filter(pl.col("national_id").is_not_null() & pl.col("worker_id").is_not_null())
    today = ds.profile.audit_date if ds.profile else dt.date.today()
    foreign = _foreign_columns(ds)
    hits = []
    for worker_id, number, born, gender, rec, doc, sheet in roster.select(
            "worker_id", "national_id", "birth_date", "gender", "_rec", "_doc", "_sheet").iter_rows():
        problem = national_id_problem(number, basis["schemes"], born, gender, today,
                                      foreign=(doc, sheet) in foreign or (doc, None) in foreign)
        if problem:
            hits.append(Hit(worker_subject(worker_id), None, None, None,
                            [basis["source"], CITED],
                            [rec], {"problem": problem}))
    return hits


def _foreign_columns(ds: Dataset) -> set[tuple[str, str | None]]:
    """(document, sheet) whose national_id column is headed as a foreign document (passport, 护照)."""
    out: set[tuple[str, str | None]] = set()
    for d in ds.documents:
        for part in d.parts:
            if any(c.get("field") == "national_id" and FOREIGN_HEADER.search(str(c.get("label") or ""))
                   for c in part.columns):
                out.add((d.path, part.sheet))
    return out
