"""Every URL pattern of the project, walked from the root URL configuration, so that a test that
means to cover every address also covers one added tomorrow (an include of a new module too)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

# A value of each converter's kind, for a test that needs only some address of the pattern.
FILLERS = {"id": "1", "slug": "confirm", "str": "INC-2026-0001", "path": "x"}

_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


@dataclass(frozen=True)
class Route:
    """One URL pattern: ``name`` as ``reverse`` takes it ("admin:index"), or None for an unnamed
    pattern; ``route`` as written, its includes' prefixes joined ("api/incidents/<str:key>/")."""

    name: str | None
    route: str
    namespace: str | None
    regex: bool  # a re_path(): its route is a regular expression, not a path with parameters

    @property
    def key(self) -> str:
        """What a table of patterns names this one by: its name, or its route if it has none."""
        if self.name is None:
            return self.route
        return f"{self.namespace}:{self.name}" if self.namespace else self.name

    @property
    def parameters(self) -> list[str]:
        """The names of the route's parameters, in order ("key", "step")."""
        return [match[2] for match in _PARAMETER.finditer(self.route)] if not self.regex else []

    def path(self, values: Mapping[str, str] | None = None) -> str:
        """The address, each parameter filled with ``values[name]`` or a value of its kind."""
        values = values or {}
        return "/" + _PARAMETER.sub(
            lambda match: values.get(match[2], FILLERS[match[1] or "str"]), self.route
        )


def every_route() -> list[Route]:
    return list(_walk(get_resolver(), "", None, regex=False))


def _walk(resolver: URLResolver, prefix: str, namespace: str | None, *, regex: bool) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        is_regex = regex or isinstance(entry.pattern, RegexPattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry, route, entry.namespace or namespace, regex=is_regex)
        elif isinstance(entry, URLPattern):
            yield Route(entry.name, route, namespace, is_regex)
