"""Rule logic. Each rule is a small unit with its own query and message; this module lists them
and runs them all over a dataset."""
from __future__ import annotations

from validators import (age, cross_document, data_quality, identity, integrity, licenses, security, wages,
                        working_time)
from validators.base import Rule
from preaudit.dataset import Dataset
from preaudit.model import Finding

RULES: list[Rule] = [*working_time.RULES, *wages.RULES, *age.RULES, *identity.RULES, *integrity.RULES,
                     *cross_document.RULES, *licenses.RULES, *security.RULES, *data_quality.RULES]
RULES_BY_ID = {r.id: r for r in RULES}

SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2}


def run_rules(dataset: Dataset, rules: list[Rule] | None = None) -> list[Finding]:
    floor = next((v.value for v in dataset.context.values if v.name == "ocr_confidence_floor"), None)
    findings = [f for rule in (rules or RULES) for f in rule.run(dataset, floor)]
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.rule_id,
                                           sorted(f.subject.items()), (f.period or {}).get("start") or ""))
