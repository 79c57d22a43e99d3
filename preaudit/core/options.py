"""How one document is to be read: the profile's column map, and the corrections factory.yaml
gives for documents matching a glob (SPEC §1 ``documents:``). Every decision preaudit prints for
a document can be overridden here; all of it is part of the extraction cache key."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from preaudit.core.limits import Limits

LAYOUTS = ("tap_log", "day_rows", "day_segments", "day_grid", "form", "table")


@dataclass(frozen=True)
class ReadingOptions:
    column_map: dict[str, str] = field(default_factory=dict)  # header label as printed → field
    kind: str | None = None          # a document kind: the reader considers no other
    layout: str | None = None        # one of LAYOUTS
    date_format: str | None = None   # "YY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", …: the order of its parts
    period: str | None = None        # "YYYY-MM": the month of a payroll or a day grid that does not say
    #: the order of a column its values cannot settle (03/04/2026): the jurisdiction's custom (US month-first)
    default_date_order: str = "DMY"
    limits: Limits = field(default_factory=Limits)  # bounds past which a document is refused
    #: the law's overtime premium per day type: a header's multiplier names its day type by it
    premiums: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, value: "ReadingOptions | dict[str, str] | None") -> "ReadingOptions":
        """Options from options, or from a bare column map (the older call)."""
        if isinstance(value, ReadingOptions):
            return value
        return cls(column_map=dict(value or {}))

    def date_order(self) -> str | None:
        """"DMY", "MDY" or "YMD" from a written format such as "YY-MM-DD"."""
        if not self.date_format:
            return None
        letters = [c for c in self.date_format.upper() if c in "DMY"]
        order = "".join(dict.fromkeys(letters))
        return order if order in ("DMY", "MDY", "YMD") else None

    def key(self) -> str:
        """A short hash of everything here, for the cache key."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]
