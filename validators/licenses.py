"""License rules against the factory profile (required types, legal names, USCC, audit date).

A type is judged on its latest-expiring document: a renewed license makes the expired one moot.
"""
from __future__ import annotations

import re
import unicodedata

import polars as pl

from validators.dataset.dataset import Dataset
from preaudit.core.identifiers import uscc_problem
from preaudit.core.model import Evidence, Kind
from validators.base import CITED, Hit, period, rule
from validators.rests_on import REQUIRED_LICENCES, RestsOn

LIC_FIELDS = {Kind.LICENSE: ("license_type", "number", "holder_name", "holder_uscc", "valid_until")}


def _subject(license_type: str) -> dict[str, str]:
    return {"license_type": license_type}


def _latest_per_type(ds: Dataset) -> list[dict]:
    return ds.sql("""
        select license_type, arg_max(valid_until, valid_until) as valid_until,
               arg_max(_rec, valid_until) as rec, count(*) as documents
        from license where license_type is not null and valid_until is not null
        group by license_type order by license_type""")


@rule("LIC-MISSING", category="licenses", severity="critical",
      summary="a license type in required_licenses has no document",
      evidence=LIC_FIELDS,
      message=lambda h: f"no {h.subject['license_type']} document in the pack, but the profile requires one",
      # licences are few and each its own document: a pack holding one of four is judged per type
      rests_on=RestsOn((Kind.LICENSE,), per="whole", among=REQUIRED_LICENCES, most=None),
      readings="fires only where licences were read and none could not be: a licence document that could not "
               "be read may be the one missing, and a pack with no licence read at all is one DQ-COVERAGE")
def find_missing(ds: Dataset) -> list[Hit]:
    if ds.profile is None:
        return []
    present = set(ds.tables[Kind.LICENSE]["license_type"].drop_nulls().to_list())
    return [Hit(_subject(t), None, None, None, [CITED], [], {},
                [Evidence("factory.yaml", "", None, None, text=f"required_licenses: {t}")])
            for t in ds.profile.required_licenses if t not in present]


@rule("LIC-EXPIRED", category="licenses", severity="critical", unit="days",
      summary="valid_until before audit_date",
      evidence=LIC_FIELDS,
      rests_on=RestsOn(("license_expiry",), per="whole", gate=False, what="a licence whose expiry could not be read"),
      message=lambda h: f"the {h.subject['license_type']} expired on {h.values['valid_until']}, "
                        f"{h.measured:g} days before the audit on {h.values['audit_date']}")
def find_expired(ds: Dataset) -> list[Hit]:
    if ds.profile is None:
        return []
    audit = ds.profile.audit_date
    return [Hit(_subject(r["license_type"]), period(r["valid_until"]), (audit - r["valid_until"]).days, 0,
                [CITED], [r["rec"]], {**r, "audit_date": audit})
            for r in _latest_per_type(ds) if r["valid_until"] < audit]


@rule("LIC-EXPIRING", category="licenses", severity="minor", unit="days",
      summary="valid_until within the warning window after audit_date",
      params=("license_warning_days",),
      evidence=LIC_FIELDS,
      rests_on=RestsOn(("license_expiry",), per="whole", gate=False, what="a licence whose expiry could not be read"),
      message=lambda h: f"the {h.subject['license_type']} expires on {h.values['valid_until']}, {h.measured:g} days "
                        f"after the audit (warning window {h.limit:g} days)")
def find_expiring(ds: Dataset) -> list[Hit]:
    if ds.profile is None:
        return []
    audit = ds.profile.audit_date
    window = ds.context.value_at("license_warning_days", audit)
    if window is None:
        return []
    return [Hit(_subject(r["license_type"]), period(r["valid_until"]), (r["valid_until"] - audit).days,
                window.value, [window.source], [r["rec"]], {**r, "audit_date": audit})
            for r in _latest_per_type(ds) if 0 <= (r["valid_until"] - audit).days <= window.value]


def _name_key(name: str) -> str:
    """Company names compared without case, width, spaces, punctuation or the legal-form suffix
    spelled differently (Co., Ltd. / Co Ltd / 有限公司 stay; only their punctuation goes)."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", name).lower())


@rule("LIC-HOLDER-MISMATCH", category="licenses", severity="major",
      summary="holder name is not legal_name / legal_name_local, or holder_uscc differs from the profile",
      evidence={Kind.LICENSE: ("license_type", "number", "holder_name", "holder_uscc", "address")},
      message=lambda h: f"the {h.subject['license_type']} is not in the factory's name: "
                        + "; ".join(h.values["problems"]))
def find_holder_mismatch(ds: Dataset) -> list[Hit]:
    profile = ds.profile
    if profile is None:
        return []
    names = {_name_key(n) for n in (profile.legal_name, profile.legal_name_local) if n}
    uscc = (profile.uscc or "").strip().upper() or None
    rows = ds.tables[Kind.LICENSE].filter(pl.col("license_type").is_not_null()).select(
        "license_type", "holder_name", "holder_uscc", "_rec").to_dicts()
    by_type: dict[str, Hit] = {}
    for r in rows:
        problems = []
        if names and r["holder_name"] and _name_key(r["holder_name"]) not in names:
            problems.append(f"holder {r['holder_name']!r} is not the factory's legal name")
        if uscc and r["holder_uscc"] and r["holder_uscc"] != uscc:
            problems.append(f"holder USCC {r['holder_uscc']} is not the factory's {uscc}")
        if problems:
            hit = by_type.setdefault(r["license_type"], Hit(_subject(r["license_type"]), None, None, None,
                                                            [CITED], [], {"problems": []}))
            hit.recs.append(r["_rec"])
            hit.values["problems"] += [p for p in problems if p not in hit.values["problems"]]
    return list(by_type.values())


@rule("LIC-INVALID-NUMBER", category="licenses", severity="minor",
      summary="a USCC that fails its check character",
      evidence={Kind.LICENSE: ("license_type", "number", "holder_uscc")},
      message=lambda h: f"the {h.subject['license_type']} carries a USCC that fails GB 32100: "
                        + "; ".join(h.values["codes"]) + " (a few early pilot-region codes were legally issued "
                        "this way: confirm with the registry before treating it as forged)")
def find_invalid_number(ds: Dataset) -> list[Hit]:
    rows = ds.tables[Kind.LICENSE].filter(pl.col("license_type").is_not_null()).select(
        "license_type", "number", "holder_uscc", "_rec").to_dicts()
    by_type: dict[str, Hit] = {}
    for r in rows:
        candidates = {r["holder_uscc"]} if r["holder_uscc"] else set()
        if r["license_type"] == "business_license" and r["number"] and len(r["number"]) == 18:
            candidates.add(r["number"])  # a business license's number is the USCC itself
        for code in sorted(c for c in candidates if c):
            problem = uscc_problem(code)
            if problem:
                hit = by_type.setdefault(r["license_type"], Hit(_subject(r["license_type"]), None, None, None,
                                                                [CITED], [], {"codes": []}))
                hit.recs.append(r["_rec"])
                hit.values["codes"].append(f"{code}: {problem}")
    return list(by_type.values())
