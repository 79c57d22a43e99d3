"""factory.yaml: the factory profile, validated with errors that name the field and the problem."""
from __future__ import annotations

import math

import datetime as dt
import difflib
import fnmatch
import re
from dataclasses import dataclass, field, replace

import yaml

from preaudit.core.limits import LIMIT_NAMES, Limits
from preaudit.core.options import ReadingCustoms, ReadingOptions
from preaudit.core import yamlio
from preaudit.core.model import FIELDS
from preaudit.core.packs import Pack, known_jurisdictions, known_standards, law_chain, reading_customs, resolve, weaker_than_law
from preaudit.core.params import PARAMETERS
from preaudit.core.settings import Settings

WORKING_HOUR_SYSTEMS = ("standard", "comprehensive", "flexible")
LICENSE_TYPES = ("business_license", "fire_safety", "discharge_permit", "dormitory",
                 "canteen_hygiene", "special_equipment", "operator_certificate")
_CANONICAL = sorted({f for fields in FIELDS.values() for f in fields} | {"punches"})


class ProfileError(Exception):
    """All the problems found in a profile, one per line, each naming its field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("factory.yaml is not valid:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass
class Profile:
    factory_id: str
    jurisdiction: str
    audit_date: dt.date
    period_start: dt.date
    period_end: dt.date
    legal_name: str | None = None
    legal_name_local: str | None = None
    uscc: str | None = None
    address: str | None = None
    standards: list[str] = field(default_factory=list)
    working_hour_system: str = "standard"
    required_licenses: list[str] = field(default_factory=list)
    overrides: dict[str, float] = field(default_factory=dict)
    column_map: dict[str, str] = field(default_factory=dict)
    documents: list[dict] = field(default_factory=list)   # per-document corrections (glob → options)
    breaks: list[tuple[int, int]] = field(default_factory=list)  # unpaid meal breaks, minutes after midnight
    rest_days: list[int] | None = None  # the factory's weekly rest days (Monday 0), when it states them
    limits: Limits = field(default_factory=Limits)  # bounds past which a document is refused
    #: the law's overtime premium per day type at the period's end: how a header's multiplier
    #: (1.5倍, 200%) names its day type when documents are read
    premiums: dict[str, float] = field(default_factory=dict)
    #: overrides weaker than the law that the operator's settings allowed: each with the law's
    #: values it replaced (every output says so)
    relaxed: list[dict] = field(default_factory=list)
    #: how the jurisdiction writes its records (its law packs': date order, OCR languages, day marks)
    customs: ReadingCustoms = field(default_factory=ReadingCustoms)

    def reading_options(self, path: str) -> ReadingOptions:
        """The column map, and the corrections of the first ``documents:`` entry whose glob matches;
        the jurisdiction's customs (its law packs': the order of undecidable dates, month-first in
        the US; the OCR languages; the day marks of its sheets)."""
        customs = self.customs
        common = {"default_date_order": customs.date_order, "limits": self.limits,
                  "ocr_languages": customs.ocr_languages, "day_marks": customs.day_marks,
                  "premiums": dict(self.premiums)}
        for entry in self.documents:
            if fnmatch.fnmatch(path, entry["match"]) or fnmatch.fnmatch(path.rsplit("/", 1)[-1], entry["match"]):
                return ReadingOptions({**self.column_map, **entry.get("columns", {})}, entry.get("kind"),
                                      entry.get("layout"), entry.get("date_format"), entry.get("period"), **common)
        return ReadingOptions(dict(self.column_map), **common)


def _date(doc: dict, key: str, label: str, problems: list[str]) -> dt.date | None:
    value = doc.get(key)
    if value is None:
        problems.append(f"{label}: missing (an ISO date such as 2026-12-10)")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(f"{label}: {value!r} is not a date (use YYYY-MM-DD)")
        return None


def parse_profile(text: str, packs: dict[str, Pack], settings: Settings | None = None) -> Profile:
    """factory.yaml, checked against the operator's ``settings`` (the ceilings of its limits, and
    which values it may set weaker than the law): every problem named by its field."""
    settings = settings or Settings()
    try:
        doc = yamlio.load(text)
    except yaml.YAMLError as exc:
        raise ProfileError([f"not valid YAML: {exc}"]) from exc
    if not isinstance(doc, dict):
        raise ProfileError(["the file must be a mapping of fields (factory_id: ..., ...)"])
    problems: list[str] = []

    factory_id = doc.get("factory_id")
    if factory_id is None or not str(factory_id).strip():
        problems.append("factory_id: missing (a stable id such as F-SZ-0001)")
    elif not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", str(factory_id)):
        problems.append(f"factory_id: {factory_id!r} may hold only letters, digits, '.', '_' and '-'")
    elif len(str(factory_id)) > FACTORY_ID_LENGTH:  # it names folders and objects: a file name has 255 bytes
        problems.append(f"factory_id: {len(str(factory_id))} characters long: at most {FACTORY_ID_LENGTH}")

    jurisdiction = str(doc.get("jurisdiction") or "").strip().upper()
    known = known_jurisdictions(packs)
    if not jurisdiction:
        problems.append(f"jurisdiction: missing (known: {', '.join(known)})")
    elif not law_chain(jurisdiction, packs):
        problems.append(f"jurisdiction: unknown {jurisdiction!r} (known: {', '.join(known)})")

    audit_date = _date(doc, "audit_date", "audit_date", problems)
    period = doc.get("period")
    start = end = None
    if not isinstance(period, dict):
        problems.append("period: missing (period: {start: YYYY-MM-DD, end: YYYY-MM-DD})")
    else:
        start = _date(period, "start", "period.start", problems)
        end = _date(period, "end", "period.end", problems)
        if start and end and start > end:
            problems.append(f"period: start {start} is after end {end}")
        for label, day in (("period.start", start), ("period.end", end)):
            if day and not PERIOD_YEARS[0] <= day.year <= PERIOD_YEARS[1]:
                problems.append(f"{label}: {day} is not a date of records (years {PERIOD_YEARS[0]} to {PERIOD_YEARS[1]})")
                start = end = None
        if start and end and (end - start).days + 1 > PERIOD_DAYS:
            problems.append(f"period: {(end - start).days + 1:,} days from {start} to {end}: at most {PERIOD_DAYS:,} "
                            f"(an audit covers months, not decades)")

    standards = [str(s).lower() for s in _listed(doc, "standards", "standards: [sa8000, amfori-bsci]", problems)]
    for s in standards:
        if s not in packs or packs[s].kind != "standard":
            problems.append(f"standards: unknown {s!r} (known: {', '.join(known_standards(packs))})")

    system = str(doc.get("working_hour_system") or "standard")
    if system not in WORKING_HOUR_SYSTEMS:
        problems.append(f"working_hour_system: {system!r} is not one of {', '.join(WORKING_HOUR_SYSTEMS)}")

    licenses = [str(x) for x in _listed(doc, "required_licenses", "required_licenses: [business_license]", problems)]
    for lic in licenses:
        if lic not in LICENSE_TYPES:
            problems.append(f"required_licenses: unknown {lic!r} (known: {', '.join(LICENSE_TYPES)})")

    overrides: dict[str, float] = {}
    for name, value in _mapping(doc, "overrides", "overrides: {max_daily_hours: 10}", problems).items():
        if name not in PARAMETERS:
            problems.append(f"overrides.{name}: unknown parameter{did_you_mean(name, PARAMETERS)} "
                            f"(known: {', '.join(PARAMETERS)})")
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"overrides.{name}: {value!r} is not a number")
        elif not math.isfinite(value) or value < 0:  # a NaN limit makes every comparison false: findings vanish
            problems.append(f"overrides.{name}: {value!r} is not a finite number of 0 or more")
        else:
            overrides[name] = float(value)

    column_map: dict[str, str] = {}
    for header, target in _mapping(doc, "column_map", "column_map: {实发: net_pay}", problems).items():
        if target not in _CANONICAL:
            problems.append(f"column_map.{header}: {target!r} is not a canonical field")
        else:
            column_map[str(header)] = str(target)

    for name in ("legal_name", "legal_name_local", "uscc", "address"):  # texts, not lists or mappings
        if doc.get(name) is not None and (isinstance(doc[name], (dict, list, bool))):
            problems.append(f"{name}: must be a text, not {type(doc[name]).__name__} {doc[name]!r}"[:200])
    documents = _documents(doc.get("documents"), problems)
    breaks = _breaks(doc.get("breaks"), problems)
    rest_days = _rest_days(doc.get("rest_days"), problems)
    limits = _limits(doc.get("limits"), problems, settings)
    # weaker than the law? only where the law and the period are known (else their own problems say)
    known_packs = jurisdiction and law_chain(jurisdiction, packs) and all(
        s in packs and packs[s].kind == "standard" for s in standards)
    relaxed = _relaxed(overrides, jurisdiction, standards, start, end, packs, settings, problems) \
        if known_packs and start and end else []
    for name in sorted(set(doc) - KNOWN_KEYS):
        problems.append(f"{name}: unknown field{did_you_mean(name, KNOWN_KEYS)} (known: {', '.join(sorted(KNOWN_KEYS))})")

    if problems:
        raise ProfileError(problems)
    text = {name: None if doc.get(name) is None else str(doc[name])
            for name in ("legal_name", "legal_name_local", "uscc", "address")}
    return Profile(str(factory_id), jurisdiction, audit_date, start, end,
                   text["legal_name"], text["legal_name_local"], text["uscc"], text["address"], standards, system, licenses, overrides, column_map, documents, breaks,
                   rest_days, limits, premiums=law_premiums(jurisdiction, end, packs), relaxed=relaxed,
                   customs=reading_customs(jurisdiction, packs))


def law_premiums(jurisdiction: str, on: dt.date, packs: dict[str, Pack]) -> dict[str, float]:
    """The law's overtime premiums by day type on a date (no standard or override: a header's
    "2倍" names the day the law pays double, whatever the factory pays)."""
    context = resolve(jurisdiction, [], {}, packs)
    out = {}
    for day in ("weekday", "restday", "holiday"):
        value = context.value_at(f"ot_premium_{day}", on)
        if value is not None:
            out[day] = value.value
    return out


KNOWN_KEYS = {"factory_id", "legal_name", "legal_name_local", "uscc", "address", "jurisdiction", "standards",
              "audit_date", "period", "working_hour_system", "required_licenses", "overrides", "column_map",
              "documents", "breaks", "rest_days", "limits"}


#: a factory_id names folders and objects (out/FACTORY_ID, reports/FACTORY_ID/…)
FACTORY_ID_LENGTH = 64
#: the years a period of records may lie in, and its longest span (a calendar of every day is built)
PERIOD_YEARS = (1990, 2100)
PERIOD_DAYS = 3 * 366


def _listed(doc: dict, key: str, example: str, problems: list[str]) -> list:
    value = doc.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]  # one name written without brackets
    if not isinstance(value, list):
        problems.append(f"{key}: {value!r} is not a list ({example})")
        return []
    return value


def _mapping(doc: dict, key: str, example: str, problems: list[str]) -> dict:
    value = doc.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{key}: {value!r} is not a mapping ({example})"[:300])
        return {}
    return value


def did_you_mean(name: str, known) -> str:
    """ ", did you mean 'overrides'?" for a misspelt key, else nothing."""
    close = difflib.get_close_matches(str(name), sorted(known), n=1, cutoff=0.75)
    return f", did you mean {close[0]!r}?" if close else ""


RELAXED_BY = "the factory profile (factory.yaml overrides)"


def _relaxed(overrides: dict[str, float], jurisdiction: str, standards: list[str], start, end,
             packs: dict[str, Pack], settings: Settings, problems: list[str]) -> list[dict]:
    """An override weaker than the law (or a chosen standard) in force in the period is refused,
    unless the operator's settings allow relaxing that parameter; then it is kept and said."""
    out = []
    for name, value in overrides.items():
        weakened = weaker_than_law(name, value, jurisdiction, standards, packs, start, end)
        if not weakened:
            continue
        law = [{"value": v.value, "pack": v.pack, "source": v.source, "from": v.valid_from.isoformat(),
                "to": v.valid_to.isoformat()} for v in weakened]
        said = "; ".join(f"{v['value']:g} ({v['pack']}: {v['source']})" for v in law)
        if not settings.allows_relaxing(name):
            problems.append(f"overrides.{name}: {value:g} is weaker than {said}; a profile may relax the law "
                            f"only where the operator's settings allow it (profile_may_relax; settings: "
                            f"{settings.origin})")
            continue
        out.append({"parameter": name, "profile_value": value, "law": law, "by": RELAXED_BY,
                    "allowed_by": settings.origin})
    return out


def _limits(value, problems: list[str], settings: Settings | None = None) -> Limits:
    """limits: {pages_per_document: 200, ...}: whole numbers above zero, by their names, each at
    most the operator's ceiling (a pack may lower a bound, never raise one)."""
    ceiling = (settings or Settings()).limits
    if value is None:
        return ceiling
    if not isinstance(value, dict):
        problems.append("limits: must be a mapping of bounds (limits: {pages_per_document: 200})")
        return ceiling
    given: dict[str, int] = {}
    for name, bound in value.items():
        if name not in LIMIT_NAMES:
            problems.append(f"limits.{name}: unknown bound{did_you_mean(name, LIMIT_NAMES)} "
                            f"(known: {', '.join(LIMIT_NAMES)})")
        elif isinstance(bound, bool) or not isinstance(bound, int) or bound <= 0:
            problems.append(f"limits.{name}: {bound!r} is not a whole number above 0")
        elif bound > getattr(ceiling, name):
            problems.append(f"limits.{name}: {bound:,} is above the operator's limit of {getattr(ceiling, name):,} "
                            f"(settings: {(settings or Settings()).origin}): a pack may only lower a bound")
        else:
            given[name] = bound
    return replace(ceiling, **given)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _documents(value, problems: list[str]) -> list[dict]:
    from preaudit.core.options import LAYOUTS, ReadingOptions
    from preaudit.core.model import Kind

    if value is None:
        return []
    if not isinstance(value, list):
        problems.append("documents: must be a list of {match: GLOB, ...} entries")
        return []
    out = []
    for k, entry in enumerate(value):
        where = f"documents[{k}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("match"), str) or not entry["match"].strip():
            problems.append(f"{where}.match: missing (a glob such as \"钉钉考勤/*.xlsx\")")
            continue
        clean: dict = {"match": entry["match"].strip()}
        for key in set(entry) - {"match", "kind", "layout", "date_format", "period", "columns"}:
            problems.append(f"{where}.{key}: unknown (known: match, kind, layout, date_format, period, columns)")
        if entry.get("kind") is not None:
            if entry["kind"] not in [k.value for k in Kind]:
                problems.append(f"{where}.kind: {entry['kind']!r} is not a document kind "
                                f"({', '.join(k.value for k in Kind)})")
            clean["kind"] = str(entry["kind"])
        if entry.get("layout") is not None:
            if entry["layout"] not in LAYOUTS:
                problems.append(f"{where}.layout: {entry['layout']!r} is not one of {', '.join(LAYOUTS)}")
            clean["layout"] = str(entry["layout"])
        if entry.get("date_format") is not None:
            clean["date_format"] = str(entry["date_format"])
            if ReadingOptions(date_format=clean["date_format"]).date_order() is None:
                problems.append(f"{where}.date_format: {entry['date_format']!r} does not order day, month and "
                                f"year (use e.g. YY-MM-DD, DD/MM/YYYY, MM/DD/YYYY)")
        if entry.get("period") is not None:
            text = str(entry["period"])
            if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
                problems.append(f"{where}.period: {text!r} is not a month (YYYY-MM)")
            clean["period"] = text
        columns = entry.get("columns") or {}
        if not isinstance(columns, dict):
            problems.append(f"{where}.columns: must map a column label to a field")
            columns = {}
        for label, target in columns.items():
            if target not in _CANONICAL:
                problems.append(f"{where}.columns.{label}: {target!r} is not a canonical field")
        clean["columns"] = {str(k): str(v) for k, v in columns.items()}
        out.append(clean)
    return out


def _clock(text) -> int | None:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(text).strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        return None
    return int(match.group(1)) * 60 + int(match.group(2))


def _breaks(value, problems: list[str]) -> list[tuple[int, int]]:
    if value is None:
        return []
    out = []
    for k, entry in enumerate(value if isinstance(value, list) else [value]):
        start = _clock(entry.get("from")) if isinstance(entry, dict) else None
        end = _clock(entry.get("to")) if isinstance(entry, dict) else None
        if start is None or end is None or end <= start:
            problems.append(f"breaks[{k}]: must be {{from: \"HH:MM\", to: \"HH:MM\"}} with to after from")
            continue
        out.append((start, end))
    return out


def _rest_days(value, problems: list[str]) -> list[int] | None:
    if value is None:
        return None
    days = []
    for day in value if isinstance(value, list) else [value]:
        name = str(day).strip().lower()
        if name not in _WEEKDAYS:
            problems.append(f"rest_days: {day!r} is not a weekday name (monday … sunday)")
        else:
            days.append(_WEEKDAYS.index(name))
    return days
