"""National ID checks by the schemes the factory's law pack names (bases.national_id), each as its
standard defines it (preaudit.core.identifiers). A number in another country's shape is not invalid."""
from __future__ import annotations

import datetime as dt

import polars as pl

from validators.dataset.dataset import Dataset
from preaudit.core.identifiers import national_id_problem
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
    hits = []
    for worker_id, number, born, gender, rec in roster.select(
            "worker_id", "national_id", "birth_date", "gender", "_rec").iter_rows():
        problem = national_id_problem(number, basis["schemes"], born, gender, today)
        if problem:
            hits.append(Hit(worker_subject(worker_id), None, None, None,
                            [basis["source"], CITED],
                            [rec], {"problem": problem}))
    return hits
