"""The operator's settings: what the agency running preaudit decides, and a pack never does.

A pack (factory.yaml and its documents) comes from the factory audited: it may lower a bound, never
raise one, and it may set a rule value weaker than the law (and the chosen standards) only where
these settings allow it. Read, each on top of the one before:

1. the built-in defaults (preaudit/core/limits.py; no value may be relaxed);
2. a settings file: ``--settings PATH``, else ``$PREAUDIT_SETTINGS``, else ``settings.yaml`` in
   the rule packs' folder (``--rules DIR`` or the built-in rules/)::

       limits: {pages_per_document: 500, ocr_seconds_per_document: 900, seconds_per_run: 7200}
       profile_may_relax: [max_pay_delay_days]     # parameter names, or: all

3. environment variables: ``PREAUDIT_LIMIT_<BOUND>`` (``PREAUDIT_LIMIT_PAGE_PIXELS=40000000``) and
   ``PREAUDIT_PROFILE_MAY_RELAX`` (comma-separated names, ``all`` or ``none``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from preaudit.core import yamlio
from preaudit.core.limits import LIMIT_NAMES, Limits
from preaudit.core.params import PARAMETERS

SETTINGS_FILE = "settings.yaml"
KNOWN_KEYS = ("limits", "profile_may_relax")


class SettingsError(Exception):
    """The operator's settings are wrong: the run does not start (exit 2)."""


@dataclass(frozen=True)
class Settings:
    #: the ceilings: a profile's ``limits:`` may only be lower
    limits: Limits = field(default_factory=Limits)
    #: parameters a profile's ``overrides:`` may set weaker than the law and the chosen standards
    may_relax: frozenset[str] = frozenset()
    #: where they were read from, as the outputs and errors name them
    origin: str = "built-in defaults"

    def allows_relaxing(self, name: str) -> bool:
        return name in self.may_relax


def _relax(value: Any, where: str) -> frozenset[str]:
    if value is None or value == "none" or value == []:
        return frozenset()
    if value == "all":
        return frozenset(PARAMETERS)
    names = [n.strip() for n in value.split(",")] if isinstance(value, str) else value
    if not isinstance(names, list):
        raise SettingsError(f"{where}: a list of parameter names, all or none")
    for name in names:
        if name not in PARAMETERS:
            raise SettingsError(f"{where}: unknown parameter {name!r} (known: {', '.join(PARAMETERS)})")
    return frozenset(str(n) for n in names)


def _bound(name: str, value: Any, where: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise SettingsError(f"{where}: {value!r} is not a whole number above 0")
    return value


def settings_path(path: str | Path | None = None, rules_dir: str | Path | None = None) -> Path | None:
    if path:
        return Path(path)
    if os.environ.get("PREAUDIT_SETTINGS"):
        return Path(os.environ["PREAUDIT_SETTINGS"])
    from preaudit.core.packs import DEFAULT_RULES_DIR

    beside = Path(rules_dir or DEFAULT_RULES_DIR) / SETTINGS_FILE
    return beside if beside.is_file() else None


def load_settings(path: str | Path | None = None, rules_dir: str | Path | None = None) -> Settings:
    """The operator's settings (see the module's text); SettingsError names what is wrong."""
    given: dict[str, int] = {}
    relax: frozenset[str] = frozenset()
    origins = []
    file = settings_path(path, rules_dir)
    if file is not None:
        try:
            doc = yamlio.load(file.read_text(encoding="utf-8-sig")) or {}
        except OSError as exc:
            raise SettingsError(f"settings {file}: cannot be read ({exc.strerror or exc})") from None
        except yaml.YAMLError as exc:
            raise SettingsError(f"settings {file}: not valid YAML: {exc}") from None
        if not isinstance(doc, dict):
            raise SettingsError(f"settings {file}: must be a mapping (limits: …, profile_may_relax: …)")
        for key in set(doc) - set(KNOWN_KEYS):
            raise SettingsError(f"settings {file}: {key}: unknown (known: {', '.join(KNOWN_KEYS)})")
        limits = doc.get("limits") or {}
        if not isinstance(limits, dict):
            raise SettingsError(f"settings {file}: limits: must be a mapping of bounds")
        for name, value in limits.items():
            if name not in LIMIT_NAMES:
                raise SettingsError(f"settings {file}: limits.{name}: unknown bound (known: {', '.join(LIMIT_NAMES)})")
            given[name] = _bound(name, value, f"settings {file}: limits.{name}")
        relax = _relax(doc.get("profile_may_relax"), f"settings {file}: profile_may_relax")
        origins.append(str(file))
    for name in LIMIT_NAMES:
        variable = f"PREAUDIT_LIMIT_{name.upper()}"
        if os.environ.get(variable):
            given[name] = _bound(name, os.environ[variable], variable)
            origins.append(variable)
    if os.environ.get("PREAUDIT_PROFILE_MAY_RELAX"):
        relax = _relax(os.environ["PREAUDIT_PROFILE_MAY_RELAX"].strip(), "PREAUDIT_PROFILE_MAY_RELAX")
        origins.append("PREAUDIT_PROFILE_MAY_RELAX")
    return Settings(replace(Limits(), **given), relax, ", ".join(origins) or "built-in defaults")


__all__ = ["Settings", "SettingsError", "load_settings", "settings_path"]
