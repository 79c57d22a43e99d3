"""YAML loading that leaves dates as text: PyYAML's own date resolver raises on 2026-13-45 before
our validation can name the field, so profiles and packs parse their dates themselves."""
from __future__ import annotations

from typing import Any

import yaml


class _TextDatesLoader(yaml.SafeLoader):
    pass


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def load(text: str) -> Any:
    return yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 (a SafeLoader subclass)
