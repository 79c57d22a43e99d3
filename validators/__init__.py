"""Rule logic. Each rule is one decorated finder with its message (validators/base.py ``rule``);
importing this package imports every module in it, so a rule in a new module is found without
being listed anywhere."""
from __future__ import annotations

import importlib
import pkgutil

from preaudit.data.dataset import Dataset
from preaudit.core.model import Finding
from validators.base import REGISTRY, Rule

#: the catalogue's order (labour law first); any other module of this package after them
_FIRST = ("working_time", "wages", "age", "identity", "integrity", "cross_document", "licenses", "security",
          "data_quality")
for _name in (*_FIRST, *sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in _FIRST)):
    importlib.import_module(f"{__name__}.{_name}")

RULES: list[Rule] = list(REGISTRY)
RULES_BY_ID = {r.id: r for r in RULES}

SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2}


def run_rules(dataset: Dataset, rules: list[Rule] | None = None) -> list[Finding]:
    floor = next((v.value for v in dataset.context.values if v.name == "ocr_confidence_floor"), None)
    findings = [f for rule in (rules or RULES) for f in rule.run(dataset, floor)]
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.rule_id,
                                           sorted(f.subject.items()), (f.period or {}).get("start") or ""))
