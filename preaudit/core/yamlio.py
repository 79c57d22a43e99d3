"""YAML loading that leaves dates as text: PyYAML's own date resolver raises on 2026-13-45 before
our validation can name the field, so profiles and packs parse their dates themselves."""
from __future__ import annotations

from typing import Any

import yaml


#: a profile or pack needs no YAML aliases; a few nested ones expand to billions of nodes
MAX_ALIASES = 0
MAX_DEPTH = 20


class _TextDatesLoader(yaml.SafeLoader):
    """Dates as text; no aliases and no deep nesting (a 1 KB "billion laughs" file went past 8 GB)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent) and MAX_ALIASES == 0:
            event = self.peek_event()
            raise yaml.YAMLError(f"YAML aliases (*{event.anchor}) are not accepted here "
                                 f"(line {event.start_mark.line + 1})")
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.YAMLError(f"nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def load(text: str) -> Any:
    return yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 (a SafeLoader subclass)
