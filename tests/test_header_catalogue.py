"""Leave-one-out over the catalogue of real header texts (tests/data/header_catalogue.csv, each
row with its public source): every header is mapped with its own phrase, and every phrase that
contains it, taken out of the lexicon (fields.yaml's words and concepts.yaml's phrases), so it is
read by its words alone. Unmapped is not wrong; a wrong field is what turns into false findings.

The score is printed (pytest -s, or in the failure message). The issue's bar is 95 % right and at
most 1 % wrong; the floor asserted here is what the reader reaches today, so that it only rises.
"""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from extractors.headers import HeaderMapper
from preaudit.core.model import Kind

DATA = Path(__file__).parent / "data"
#: China's premiums (rules/CN.yaml ot_premium_*): how a multiplier names a day type in the catalogue
CN_PREMIUMS = {"weekday": 1.5, "restday": 2.0, "holiday": 3.0}
RIGHT_FLOOR, WRONG_CEILING = 0.80, 0.01


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def leave_one_out(rows: list[dict[str, str]]) -> tuple[Counter, list[tuple[str, str, str, str]]]:
    score: Counter = Counter()
    wrong = []
    for row in rows:
        mapper = HeaderMapper(premiums=CN_PREMIUMS, without=[row["text"]])
        hit = mapper.match(Kind(row["kind"]), [row["text"]])
        got = hit.field if hit else "none"
        if got == row["field"]:
            score["right"] += 1
        elif got == "none":
            score["unmapped"] += 1
        else:
            score["wrong"] += 1
            wrong.append((row["text"], row["kind"], row["field"], got))
    return score, wrong


def _report(name: str, score: Counter, wrong: list, total: int) -> str:
    lines = [f"{name}: {total} headers, right {score['right'] / total:.1%}, "
             f"unmapped {score['unmapped'] / total:.1%}, wrong {score['wrong'] / total:.1%}"]
    lines += [f"  wrong: {t!r} ({k}) expected {e}, read as {g}" for t, k, e, g in wrong]
    return "\n".join(lines)


def test_leave_one_out_over_the_catalogue_of_real_headers():
    rows = _rows("header_catalogue.csv")
    score, wrong = leave_one_out(rows)
    report = _report("leave-one-out", score, wrong, len(rows))
    print("\n" + report)
    assert score["wrong"] / len(rows) <= WRONG_CEILING, report
    assert score["right"] / len(rows) >= RIGHT_FLOOR, report


def test_the_held_out_catalogue_is_scored_without_its_misses_being_read():
    """A second catalogue from sources the lexicon's authors never looked at: only its score is
    shown (the misses are not printed, so nobody tunes the lexicon to them)."""
    rows = _rows("header_catalogue_holdout.csv")
    score, _ = leave_one_out(rows)
    print(f"\nheld out: {len(rows)} headers, right {score['right'] / len(rows):.1%}, "
          f"wrong {score['wrong'] / len(rows):.1%}")
    # today: 69 % right, 1.7 % wrong (the mapper before composition: 64 % right, 0.9 % wrong)
    assert score["wrong"] / len(rows) <= 0.02
    assert score["right"] / len(rows) >= 0.67


def test_leave_one_out_takes_the_header_and_the_phrases_holding_it_out():
    """The test above must not be reading the phrase it left out: a phrase the lexicon holds word
    for word is an exact match with it, a composed one without it."""
    with_phrase = HeaderMapper().match(Kind.PAYROLL, ["holiday ot hours"])
    without = HeaderMapper(without=["holiday ot hours"]).match(Kind.PAYROLL, ["holiday ot hours"])
    assert (with_phrase.field, with_phrase.how) == ("ot_hours_holiday", "exact")
    assert (without.field, without.how) == ("ot_hours_holiday", "composed")
    # "Overtime" alone says neither hours nor money: left unmapped once its phrase is out
    assert HeaderMapper(without=["overtime"]).match(Kind.PAYROLL, ["Overtime"]) is None
