"""What a rule's finder returns: one ``Hit`` per row (subject, period, measured value, limit, the
sources of the limit, the ``_rec`` ids of the records that decided it), and the bounds on what a
message may say of a group."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from preaudit.core.model import Evidence

MAX_EVIDENCE = 40  # per finding; a month of time records fits, a factory-year of rows does not
#: a finding's message, in characters: a sentence an auditor reads, never a list of thousands
#: (a group is named by its size and a few members; the full list is the finding's ``members``)
MAX_MESSAGE = 1000
NAMED = 5  # members a message names before "and N more"


def names(items: list[str], shown: int = NAMED) -> str:
    """"E1, E2, E3" — or, for more than ``shown``, the first few and how many more."""
    items = [str(i) for i in items]
    if len(items) <= shown:
        return ", ".join(items)
    return f"{', '.join(items[:shown])} and {len(items) - shown:,} more"


def bounded(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE - 1].rstrip() + "…"


#: in a hit's sources: the clauses the packs in force cite for the rule that found it
CITED = "<the rule's citations>"


@dataclass
class Hit:
    """One row a rule's query returned."""

    subject: dict[str, str]
    period: dict[str, str] | None
    measured: float | None
    limit: float | None
    sources: list[str] = field(default_factory=lambda: [CITED])  # a parameter's source, and/or CITED
    recs: list[int] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # anything else the message needs
    evidence: list[Evidence] | None = None  # given directly when there are no records to cite
    #: set when the violation holds only under some reasonable readings of the records: what would
    #: decide it ("no break recorded: 11.4 h if the lunch hour was worked, 10.4 h if not"). Such a
    #: hit is a possible item in the review queue, never a finding.
    possible: str | None = None
    #: for a rule with ``rests_on``: whether this hit rests on the absence or total it declares
    #: (False for a gate presence beyond the punches, which both sides show)
    rests: bool = True
    #: a finding for a group (a systemic pattern): every member, listed once, here only
    members: list[str] | None = None
