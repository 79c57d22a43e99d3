"""The rule catalogue as data: every rule with its thresholds by pack and the clauses it rests on.
`preaudit rules list` and `preaudit rules explain` render this; tests check it covers the SPEC."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from preaudit.core.packs import Pack


@dataclass
class RuleEntry:
    id: str
    category: str
    severity: str
    summary: str
    parameters: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # param → values by pack
    citations: list[dict[str, str]] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    #: how each jurisdiction computes what the rule compares (bases.*), with its source
    bases: list[dict[str, Any]] = field(default_factory=list)
    #: the readings of an ambiguous record the rule tries, most lenient first
    readings: str = ""

    @property
    def sources(self) -> list[str]:
        found = [v["source"] for values in self.parameters.values() for v in values]
        return list(dict.fromkeys(found + [c["source"] for c in self.citations] + [b["source"] for b in self.bases]))


def _gap_texts(pack: Pack, names: set[str]) -> list[str]:
    out = []
    for gap in pack.gaps:
        items = gap.items() if isinstance(gap, dict) else [("", gap)]
        out += [f"{pack.id}: {key}: {text}" for key, text in items if key in names]
    return out


#: which law-pack bases each rule computes with
RULE_BASES = {"LAB-OT-PREMIUM": {"hourly_rate"},
              "LAB-MIN-WAGE": {"minimum_wage", "minimum_wage_basis", "gross_pay", "standard_monthly_hours"},
              "LAB-PAYROLL-ARITHMETIC": {"gross_pay"},
              "ID-INVALID": {"national_id"}, "LAB-REST-DAY": {"rest_days"}}


def _says(name: str, basis: dict[str, Any]) -> str:
    if name == "hourly_rate":
        if basis.get("per") == "hours_worked":
            return (f"hourly rate = base pay ÷ the month's hours of normal work (regular hours, else days worked "
                    f"× {basis['divisor_parameter']})")
        return (f"hourly rate = base pay ÷ {basis['divisor']:g}" if basis.get("divisor")
                else f"hourly rate = base pay ÷ {basis['divisor_parameter']}")
    if name == "minimum_wage":
        says = {"base_pay": "compared with base pay", "gross_less_ot": "compared with gross pay less overtime",
                "wage": "compared with the month's wage (gross pay where it is the wage)"}[basis["compare"]]
        if basis.get("composed_of"):
            says += "; the minimum is " + " + ".join(basis["composed_of"])
        if basis.get("paid_on_top"):
            says += "; paid on top: " + ", ".join(basis["paid_on_top"])
        return says
    if name == "gross_pay":
        return {"wage": "a register's gross pay is the monthly wage (overtime and bonuses paid on top)",
                "earnings": "a register's gross pay is the month's earnings (overtime and allowances included)"}[
            basis["means"]]
    if name == "national_id":
        from preaudit.core.identifiers import SCHEMES

        return "checked as " + "; ".join(SCHEMES[s].label for s in basis["schemes"])
    return str(basis)


def build(packs: dict[str, Pack]) -> list[RuleEntry]:
    from validators import RULES

    entries = []
    for rule in RULES:
        entry = RuleEntry(rule.id, rule.category, rule.severity, rule.summary, readings=rule.readings)
        for name in rule.params:
            entry.parameters[name] = [
                {"pack": p.id, "value": v.value, "effective_from": v.effective_from, "effective_to": v.effective_to,
                 "source": v.source, "confidence": v.confidence, "note": v.note}
                for p in packs.values() for v in p.parameters.get(name, [])]
        entry.citations = [{"pack": p.id, "source": c} for p in packs.values() for c in p.citations.get(rule.id, [])]
        basis_names = RULE_BASES.get(rule.id, set())
        entry.gaps = [g for p in packs.values() for g in _gap_texts(p, set(rule.params) | basis_names)]
        entry.bases = [{"pack": p.id, "basis": name, "says": _says(name, b), "source": b["source"],
                        "confidence": b.get("confidence"), "note": b.get("note")}
                       for p in packs.values() if p.kind == "law" for name, b in p.bases.items() if name in basis_names]
        entries.append(entry)
    return entries
