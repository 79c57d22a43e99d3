"""Rule logic. Each rule is one decorated finder with its message (validators/base.py ``rule``);
importing this package imports every module in it, so a rule in a new module is found without
being listed anywhere."""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from validators.dataset.dataset import Dataset
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


@dataclass
class Judgement:
    """What the rules say of a pack: violations that hold under every reasonable reading, and
    possible items, which hold only under some and go to the auditor's review queue."""

    findings: list[Finding]
    possible: list[Finding]


def _ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.rule_id,
                                           sorted(f.subject.items()), (f.period or {}).get("start") or ""))


def judge(dataset: Dataset, rules: list[Rule] | None = None) -> Judgement:
    floor = next((v.value for v in dataset.context.values if v.name == "ocr_confidence_floor"), None)
    everything = [f for rule in (rules or RULES) for f in rule.run(dataset, floor)]
    return Judgement(_ordered([f for f in everything if not f.possible]),
                     _ordered([f for f in everything if f.possible]))


def run_rules(dataset: Dataset, rules: list[Rule] | None = None) -> list[Finding]:
    """The violations alone (possible items left out): see ``judge`` for both."""
    return judge(dataset, rules).findings
