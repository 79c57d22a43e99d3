"""How one document is to be read: the profile's column map, and the corrections factory.yaml
gives for documents matching a glob (SPEC §1 ``documents:``). Every decision preaudit prints for
a document can be overridden here; all of it is part of the extraction cache key."""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from preaudit.core.limits import Limits

LAYOUTS = ("tap_log", "day_rows", "day_segments", "day_grid", "form", "table")
#: Tesseract's languages where no law pack names its own (scripts/setup.sh installs these)
OCR_LANGUAGES = ("eng", "chi_sim")


@dataclass(frozen=True)
class DayMarks:
    """A country's attendance-sheet marks (its law pack's ``day_marks:``), read on a sheet whose
    words are written in the country's letters: Vietnam's Mẫu 01a writes "P" for paid leave
    (phép), where India's Form D writes it for present."""

    letters: str                   # letters only the country's language writes (ă â đ ơ ư …)
    present: tuple[str, ...] = ()  # marks of a day worked
    absent: tuple[str, ...] = ()   # leave and rest marks: the worker was not there

    def on(self, text: str) -> bool:
        """The sheet's words are in the country's letters."""
        lowered = text.lower()
        return any(c in lowered for c in self.letters)


@dataclass(frozen=True)
class ReadingCustoms:
    """How a country writes its records, as its law packs say (most specific first): the order of
    a date its values cannot settle, the languages its scans are read in, its sheets' day marks."""

    date_order: str = "DMY"
    ocr_languages: tuple[str, ...] = OCR_LANGUAGES
    day_marks: tuple[DayMarks, ...] = ()


def every_country_marks() -> tuple[DayMarks, ...]:
    """The day marks of every law pack preaudit ships, for a document read without a profile."""
    from preaudit.core.packs import load_packs

    return tuple(p.day_marks for p in load_packs().values() if p.kind == "law" and p.day_marks)


@dataclass(frozen=True)
class ReadingOptions:
    column_map: dict[str, str] = field(default_factory=dict)  # header label as printed → field
    kind: str | None = None          # a document kind: the reader considers no other
    layout: str | None = None        # one of LAYOUTS
    date_format: str | None = None   # "YY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", …: the order of its parts
    period: str | None = None        # "YYYY-MM": the month of a payroll or a day grid that does not say
    #: the order of a column its values cannot settle (03/04/2026): the jurisdiction's custom (its
    #: law pack's ``date_order:``, month-first in the US)
    default_date_order: str = "DMY"
    limits: Limits = field(default_factory=Limits)  # bounds past which a document is refused
    #: the law's overtime premium per day type: a header's multiplier names its day type by it
    premiums: dict[str, float] = field(default_factory=dict)
    #: the languages a scan is read in (the law pack's ``ocr_languages:``)
    ocr_languages: tuple[str, ...] = OCR_LANGUAGES
    #: the countries' attendance-sheet marks (law packs' ``day_marks:``); None: every pack's
    day_marks: tuple[DayMarks, ...] | None = None
    #: worker ids the pack's other documents hold (its roster's first): a column of them is the
    #: worker id whatever its header says; given only when a document is read a second time
    known_ids: tuple[str, ...] = ()

    def marks(self) -> tuple[DayMarks, ...]:
        return every_country_marks() if self.day_marks is None else self.day_marks

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
