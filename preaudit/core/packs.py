"""Rule packs (rules/*.yaml): thresholds as data, each value with its source and effective dates.

Resolution for a factory, per parameter and per date:
1. law: the nearest pack of the jurisdiction chain that has a value in force (CN-GD-SZ → CN-GD →
   CN), so a city's minimum wage beats the absence of a national one;
2. the strictest of that law value and every chosen standard's value in force (SPEC §3: the
   strictest applicable value wins; every standard says "whichever protects workers more");
3. a profile ``overrides`` value beats everything, on every date.
The result is a table of date ranges that the rules join against, so a minimum wage raised in
July applies from July.
"""
from __future__ import annotations

import functools

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from preaudit.core import yamlio
from preaudit.core.options import OCR_LANGUAGES, DayMarks, ReadingCustoms
from preaudit.core.params import PARAMETERS, stricter_of

DEFAULT_RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
BEGIN, END = dt.date(1900, 1, 1), dt.date(9999, 12, 31)


class PackError(Exception):
    pass


@dataclass
class PackValue:
    value: float
    source: str
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    confidence: str | None = None
    url: str | None = None
    note: str | None = None

    def in_force(self, day: dt.date) -> bool:
        return (self.effective_from or BEGIN) <= day <= (self.effective_to or END)


@dataclass
class Pack:
    id: str
    kind: str  # law | standard
    title: str
    parameters: dict[str, list[PackValue]]
    rest_weekdays: list[int] | None = None  # Mon=0; None: the pack does not say (a parent pack may)
    holiday_calendar: str | None = None
    gaps: list[Any] = field(default_factory=list)
    citations: dict[str, list[str]] = field(default_factory=dict)  # rule id → clauses it rests on
    path: Path | None = None
    bases: dict[str, dict[str, Any]] = field(default_factory=dict)  # how a law computes, each with its source
    #: the country's reading customs (None: the pack does not say, a parent pack may)
    date_order: str | None = None               # DMY | MDY | YMD, for dates their values cannot settle
    ocr_languages: tuple[str, ...] | None = None  # Tesseract language codes its scans are read in
    day_marks: DayMarks | None = None           # its attendance sheets' leave, rest and presence marks


#: what a law pack's ``bases:`` may say, and the settings each takes
BASES: dict[str, set[str]] = {
    "national_id": {"schemes"},                    # identifiers.SCHEMES checked for this country
    # hourly rate = base_pay ÷ divisor, or ÷ the month's hours of normal work (regular hours, else
    # days worked × the divisor_parameter's daily hours) where per: hours_worked
    "hourly_rate": {"divisor", "divisor_parameter", "per"},
    # what the minimum wage is compared with: base_pay | gross_less_ot | wage (the month's wage as
    # the register states it: see gross_pay); composed_of / paid_on_top: what the law's minimum is
    # made of and what is paid on top of it (shown by `rules explain`)
    "minimum_wage": {"compare", "composed_of", "paid_on_top"},
    # what a register's gross pay means in the country: earnings (the month's earnings, overtime and
    # bonuses included: the SPEC's gross = base + overtime + allowances) or wage (the monthly wage the
    # minimum is set on, overtime and bonuses paid on top: a Bangladesh wage sheet's Gross Salary)
    "gross_pay": {"means"},
}
MINIMUM_WAGE_BASES = ("base_pay", "gross_less_ot", "wage")
GROSS_PAY_MEANINGS = ("earnings", "wage")

#: what one dated value of a parameter may say
VALUE_KEYS = {"value", "source", "effective_from", "effective_to", "confidence", "url", "note"}

def _date(value: Any, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PackError(f"{where}: {value!r} is not an ISO date") from None


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _rest_days(value: Any, name: str) -> list[int] | None:
    if not value:
        return None
    days = value if isinstance(value, list) else [value]
    for day in days:
        if str(day).strip().lower() not in _WEEKDAYS:
            raise PackError(f"{name}: rest_days: {day!r} is not a weekday name (monday … sunday)")
    return [_WEEKDAYS.index(str(d).strip().lower()) for d in days]


def load_pack(path: Path) -> Pack:
    """A rule pack in any encoding a Windows editor saves (UTF-8 with or without BOM, UTF-16, GBK)."""
    from preaudit.core.text import UnreadableError, decode

    try:
        doc = yamlio.load(decode(path.read_bytes())[0])
    except UnreadableError as exc:
        raise PackError(f"{path.name}: {exc}") from None
    except yaml.YAMLError as exc:
        raise PackError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict) or "pack" not in doc:
        raise PackError(f"{path.name}: a rule pack needs a top-level 'pack' id")
    params: dict[str, list[PackValue]] = {}
    for name, entries in (doc.get("parameters") or {}).items():
        where = f"{path.name}: parameters.{name}"
        if name not in PARAMETERS:
            raise PackError(f"{where}: unknown parameter (known: {', '.join(PARAMETERS)})")
        values = []
        for i, entry in enumerate(entries if isinstance(entries, list) else [entries]):
            if not isinstance(entry, dict) or "value" not in entry or not entry.get("source"):
                raise PackError(f"{where}[{i}]: every value needs 'value' and 'source'")
            extra = set(entry) - VALUE_KEYS
            if extra:  # a misspelt effective_from would silently apply a value for all time
                raise PackError(f"{where}[{i}].{sorted(extra)[0]}: unknown setting (known: {', '.join(sorted(VALUE_KEYS))})")
            number = entry["value"]
            if isinstance(number, bool) or not isinstance(number, (int, float)) or number != number \
                    or number in (float("inf"), float("-inf")):
                raise PackError(f"{where}[{i}].value: {number!r} is not a number")
            values.append(PackValue(float(number), str(entry["source"]),
                                    _date(entry.get("effective_from"), where),
                                    _date(entry.get("effective_to"), where),
                                    entry.get("confidence"), entry.get("url"), entry.get("note")))
        params[name] = values
    rest = _rest_days(doc.get("rest_days"), path.name)
    bases = _bases(doc.get("bases") or {}, path.name)
    citations = {rule: [c] if isinstance(c, str) else list(c)
                 for rule, c in (doc.get("citations") or {}).items()}
    kind = doc.get("kind", "standard")
    if kind not in ("law", "standard", "base"):
        raise PackError(f"{path.name}: kind must be law, standard or base, not {kind!r}")
    date_order = doc.get("date_order")
    if date_order is not None and date_order not in ("DMY", "MDY", "YMD"):
        raise PackError(f"{path.name}: date_order must be DMY, MDY or YMD, not {date_order!r}")
    languages = doc.get("ocr_languages")
    if languages is not None and not (isinstance(languages, list) and languages
                                      and all(isinstance(x, str) and x for x in languages)):
        raise PackError(f"{path.name}: ocr_languages must be a list of Tesseract language codes (eng, chi_sim)")
    return Pack(str(doc["pack"]), kind, doc.get("title", doc["pack"]), params, rest,
                doc.get("holiday_calendar"), doc.get("gaps") or [], citations, path, bases,
                date_order, tuple(languages) if languages else None, _day_marks(doc.get("day_marks"), path.name))


def _day_marks(entry: Any, name: str) -> DayMarks | None:
    if entry is None:
        return None
    if not isinstance(entry, dict) or not entry.get("letters") or set(entry) - {"letters", "present", "absent"}:
        raise PackError(f"{name}: day_marks needs its letters and may give present and absent marks")
    if any(isinstance(m, bool) for key in ("present", "absent") for m in entry.get(key) or ()):
        raise PackError(f"{name}: day_marks: quote a mark YAML reads as yes or no (\"NO\")")
    marks = {key: tuple(str(m).strip().lower() for m in entry.get(key) or ()) for key in ("present", "absent")}
    return DayMarks(str(entry["letters"]).lower(), marks["present"], marks["absent"])


def reading_customs(jurisdiction: str, packs: dict[str, Pack]) -> ReadingCustoms:
    """How the jurisdiction writes its records: each custom from the most specific law pack that
    gives it (CN-GD-SZ, then CN), else preaudit's default."""
    chain = law_chain(jurisdiction, packs)
    date_order = next((p.date_order for p in chain if p.date_order), "DMY")
    languages = next((p.ocr_languages for p in chain if p.ocr_languages), OCR_LANGUAGES)
    marks = next((p.day_marks for p in chain if p.day_marks), None)
    return ReadingCustoms(date_order, languages, (marks,) if marks else ())


def _bases(doc: dict, name: str) -> dict[str, dict[str, Any]]:
    from preaudit.core.identifiers import SCHEMES

    out = {}
    for key, entry in doc.items():
        where = f"{name}: bases.{key}"
        if key not in BASES:
            raise PackError(f"{where}: unknown (known: {', '.join(BASES)})")
        if not isinstance(entry, dict) or not entry.get("source"):
            raise PackError(f"{where}: needs its settings and a 'source'")
        extra = set(entry) - BASES[key] - {"source", "url", "confidence", "note"}
        if extra:
            raise PackError(f"{where}.{sorted(extra)[0]}: unknown setting")
        for scheme in entry.get("schemes", []):
            if scheme not in SCHEMES:
                raise PackError(f"{where}: unknown scheme {scheme!r} (known: {', '.join(SCHEMES)})")
        if key == "minimum_wage" and entry.get("compare") not in MINIMUM_WAGE_BASES:
            raise PackError(f"{where}.compare: one of {', '.join(MINIMUM_WAGE_BASES)}")
        if key == "gross_pay" and entry.get("means") not in GROSS_PAY_MEANINGS:
            raise PackError(f"{where}.means: one of {', '.join(GROSS_PAY_MEANINGS)}")
        for listed in ("composed_of", "paid_on_top"):
            if listed in entry and not (isinstance(entry[listed], list) and all(isinstance(x, str) for x in entry[listed])):
                raise PackError(f"{where}.{listed}: a list of names")
        if key == "hourly_rate" and not (entry.get("divisor") or entry.get("divisor_parameter") in PARAMETERS):
            raise PackError(f"{where}: needs a divisor or a divisor_parameter")
        if key == "hourly_rate" and entry.get("per") not in (None, "hours_worked"):
            raise PackError(f"{where}.per: only hours_worked")
        out[key] = dict(entry)
    return out


def load_packs(rules_dir: Path | None = None) -> dict[str, Pack]:
    """Every pack in ``rules_dir``: read once per process while no file in it changes (a night
    audits hundreds of factories against the same packs; parsing them costs 0.35 s)."""
    rules_dir = rules_dir or DEFAULT_RULES_DIR
    paths = sorted(p for p in rules_dir.glob("*.y*ml") if p.name != "settings.yaml")  # the operator's settings
    stamps = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in paths)
    return dict(_load_packs(stamps, str(rules_dir)))


@functools.lru_cache(maxsize=8)
def _load_packs(stamps: tuple[tuple[str, int, int], ...], rules_dir: str) -> dict[str, Pack]:
    packs = {}
    for path, _, _ in stamps:
        pack = load_pack(Path(path))
        packs[pack.id] = pack
    if not packs:
        raise PackError(f"no rule packs (*.yaml) in {rules_dir}")
    return packs


def law_chain(jurisdiction: str, packs: dict[str, Pack]) -> list[Pack]:
    """Most specific first: CN-GD-SZ → [CN-GD-SZ, CN-GD, CN], skipping levels with no pack."""
    parts = jurisdiction.split("-")
    chain = ["-".join(parts[:i]) for i in range(len(parts), 0, -1)]
    return [packs[c] for c in chain if c in packs and packs[c].kind == "law"]


def known_jurisdictions(packs: dict[str, Pack]) -> list[str]:
    return sorted(p.id for p in packs.values() if p.kind == "law")


def known_standards(packs: dict[str, Pack]) -> list[str]:
    return sorted(p.id for p in packs.values() if p.kind == "standard")


@dataclass
class ResolvedValue:
    name: str
    value: float
    valid_from: dt.date
    valid_to: dt.date
    source: str
    pack: str


@dataclass
class RuleContext:
    """Everything the rules need to know about the packs in force for one factory."""

    packs_used: list[str]
    values: list[ResolvedValue]
    rest_weekdays: list[int]
    holiday_calendar: str | None
    citations: dict[str, list[str]] = field(default_factory=dict)
    #: the law's bases in force (nearest pack of the chain first), each with "pack" and "source"
    bases: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: values the profile set weaker than the law, the operator allowing it: each with the law's
    #: values and the findings they would have given (pipeline.relaxed_findings)
    relaxed: list[dict[str, Any]] = field(default_factory=list)

    def value_at(self, name: str, day: dt.date) -> ResolvedValue | None:
        return next((v for v in self.values if v.name == name and v.valid_from <= day <= v.valid_to), None)


def _breakpoints(entries: list[PackValue]) -> list[dt.date]:
    points = {BEGIN}
    for e in entries:
        if e.effective_from:
            points.add(e.effective_from)
        if e.effective_to and e.effective_to < END:
            points.add(e.effective_to + dt.timedelta(days=1))
    return sorted(points)


def resolve(jurisdiction: str, standards: list[str], overrides: dict[str, float],
            packs: dict[str, Pack]) -> RuleContext:
    chain = law_chain(jurisdiction, packs)
    chosen = [packs[s] for s in standards]
    base = [p for p in packs.values() if p.kind == "base"]  # SPEC defaults: used only when nothing else speaks
    out: list[ResolvedValue] = []
    for name in PARAMETERS:
        if name in overrides:
            out.append(ResolvedValue(name, float(overrides[name]), BEGIN, END,
                                     "factory profile override", "profile"))
            continue
        entries = [e for p in chain + chosen + base for e in p.parameters.get(name, [])]
        points = _breakpoints(entries)
        for start, nxt in zip(points, points[1:] + [None]):
            stop = nxt - dt.timedelta(days=1) if nxt else END
            candidates: list[tuple[PackValue, str]] = []
            law = next(((e, p.id) for p in chain for e in p.parameters.get(name, [])
                        if e.in_force(start)), None)
            if law:
                candidates.append(law)
            candidates += [(e, p.id) for p in chosen for e in p.parameters.get(name, [])
                           if e.in_force(start)]
            if not candidates:
                candidates = [(e, p.id) for p in base for e in p.parameters.get(name, []) if e.in_force(start)]
            if not candidates:
                continue
            best = candidates[0]
            for cand in candidates[1:]:
                if stricter_of(name, cand[0].value, best[0].value):
                    best = cand
            entry, pack_id = best
            if out and out[-1].name == name and out[-1].pack == pack_id and \
                    out[-1].value == entry.value and out[-1].valid_to + dt.timedelta(days=1) == start:
                out[-1].valid_to = stop  # same winner continues: one range, not many
            else:
                out.append(ResolvedValue(name, entry.value, start, stop, entry.source, pack_id))
    rest = next((p.rest_weekdays for p in chain if p.rest_weekdays is not None), [5, 6])
    bases: dict[str, dict[str, Any]] = {}
    for pack in chain:
        for key, entry in pack.bases.items():
            bases.setdefault(key, {**entry, "pack": pack.id})
    calendar = next((p.holiday_calendar for p in chain if p.holiday_calendar), None)
    citations: dict[str, list[str]] = {}
    for pack in list(reversed(chain)) + chosen + base:
        for rule, clauses in pack.citations.items():
            citations.setdefault(rule, [])
            citations[rule] += [c for c in clauses if c not in citations[rule]]
    return RuleContext([p.id for p in reversed(chain)] + [p.id for p in chosen], out, rest, calendar,
                       citations, bases)


def weaker_than_law(name: str, value: float, jurisdiction: str, standards: list[str], packs: dict[str, Pack],
                    start: dt.date, end: dt.date) -> list[ResolvedValue]:
    """The values of the law and the chosen standards in force between ``start`` and ``end``
    that ``value`` (a profile's override of ``name``) would weaken: none when it is as strict or
    stricter everywhere (the SPEC's defaults, pack kind base, are no law and bind no one)."""
    context = resolve(jurisdiction, standards, {}, packs)
    base = {p.id for p in packs.values() if p.kind == "base"}
    return [v for v in context.values if v.name == name and v.pack not in base
            and v.valid_from <= end and v.valid_to >= start and stricter_of(name, v.value, value)]
