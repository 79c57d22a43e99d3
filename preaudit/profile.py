"""factory.yaml: the factory profile, validated with errors that name the field and the problem."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import yaml

from preaudit import yamlio
from preaudit.model import FIELDS
from preaudit.packs import Pack, known_jurisdictions, known_standards, law_chain
from preaudit.params import PARAMETERS

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


def parse_profile(text: str, packs: dict[str, Pack]) -> Profile:
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

    standards = [str(s).lower() for s in (doc.get("standards") or [])]
    for s in standards:
        if s not in packs or packs[s].kind != "standard":
            problems.append(f"standards: unknown {s!r} (known: {', '.join(known_standards(packs))})")

    system = str(doc.get("working_hour_system") or "standard")
    if system not in WORKING_HOUR_SYSTEMS:
        problems.append(f"working_hour_system: {system!r} is not one of {', '.join(WORKING_HOUR_SYSTEMS)}")

    licenses = [str(x) for x in (doc.get("required_licenses") or [])]
    for lic in licenses:
        if lic not in LICENSE_TYPES:
            problems.append(f"required_licenses: unknown {lic!r} (known: {', '.join(LICENSE_TYPES)})")

    overrides: dict[str, float] = {}
    for name, value in (doc.get("overrides") or {}).items():
        if name not in PARAMETERS:
            problems.append(f"overrides.{name}: unknown parameter (known: {', '.join(PARAMETERS)})")
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"overrides.{name}: {value!r} is not a number")
        else:
            overrides[name] = float(value)

    column_map: dict[str, str] = {}
    for header, target in (doc.get("column_map") or {}).items():
        if target not in _CANONICAL:
            problems.append(f"column_map.{header}: {target!r} is not a canonical field")
        else:
            column_map[str(header)] = str(target)

    if problems:
        raise ProfileError(problems)
    return Profile(str(factory_id), jurisdiction, audit_date, start, end,
                   doc.get("legal_name"), doc.get("legal_name_local"),
                   None if doc.get("uscc") is None else str(doc.get("uscc")),
                   doc.get("address"), standards, system, licenses, overrides, column_map)
