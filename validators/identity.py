"""National ID checks (GB 11643, as the standard defines it; see preaudit.identifiers)."""
from __future__ import annotations

import datetime as dt

import polars as pl

from preaudit.dataset import Dataset
from preaudit.identifiers import ric_birth_date, ric_problem
from preaudit.model import Kind
from validators.base import Hit, Rule, cite, worker_subject


def find_id_invalid(ds: Dataset) -> list[Hit]:
    roster = ds.tables[Kind.ROSTER].filter(pl.col("national_id").is_not_null() & pl.col("worker_id").is_not_null())
    today = ds.profile.audit_date if ds.profile else dt.date.today()
    # each distinct number is checked once: a roster is small, but IDs repeat across its sheets
    problems = {n: ric_problem(n, today) for n in roster["national_id"].unique().to_list()}
    hits = []
    for worker_id, number, born, rec in roster.select("worker_id", "national_id", "birth_date", "_rec").iter_rows():
        problem = problems[number]
        if problem is None and born is not None and ric_birth_date(number) != born:
            problem = f"its birth date {ric_birth_date(number)} differs from birth_date {born}"
        if problem:
            hits.append(Hit(worker_subject(worker_id), None, None, None, cite(ds, "ID-INVALID"), [rec],
                            {"problem": problem}))
    return hits


RULES = [
    Rule("ID-INVALID", "identity", "major", None,
         "national_id fails its check character, or its birth date disagrees with birth_date", (),
         {Kind.ROSTER: ("worker_id", "name", "national_id", "birth_date")}, find_id_invalid,
         lambda h: f"{h.subject['worker_id']}: the national ID is not valid: {h.values['problem']}"),
]
