"""The dependency graph of a plan: how long `pulumi up` must wait on chains of resources.

Depth is the longest chain of resources that must be created one after another; width is the
largest number of resources that can be created at the same step. Components are not created
themselves: a dependency on one means a dependency on the resources under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from .resources import PlannedResource


def custom_dependencies(resources: Sequence[PlannedResource]) -> dict[str, set[str]]:
    """For each custom resource, the custom resources it waits for (component deps expanded)."""
    by_urn = {r.urn: r for r in resources}
    children: dict[str, list[str]] = {}
    for r in resources:
        if r.parent:
            children.setdefault(r.parent, []).append(r.urn)

    def expand(urn: str) -> set[str]:
        resource = by_urn.get(urn)
        if resource is None:
            return set()
        if resource.custom:
            return {urn}
        found: set[str] = set()
        for child in children.get(urn, []):
            found |= expand(child)
        return found

    return {r.urn: {d for dep in r.dependencies for d in expand(dep) if d != r.urn} for r in resources if r.custom}


def levels(resources: Sequence[PlannedResource]) -> dict[str, int]:
    """Step at which each custom resource can be created (1 = needs nothing)."""
    deps = custom_dependencies(resources)

    @cache
    def level(urn: str) -> int:
        return 1 + max((level(d) for d in deps.get(urn, ()) if d in deps), default=0)

    return {urn: level(urn) for urn in deps}


def critical_path(resources: Sequence[PlannedResource]) -> list[str]:
    """The URNs of one longest chain, first to last."""
    deps = custom_dependencies(resources)
    step = levels(resources)
    if not step:
        return []
    urn = max(step, key=lambda u: (step[u], u))
    chain = [urn]
    while deps.get(urn):
        urn = max((d for d in deps[urn] if d in step), key=lambda u: (step[u], u))
        chain.append(urn)
    return list(reversed(chain))


def depth_and_width(resources: Sequence[PlannedResource]) -> tuple[int, int]:
    step = levels(resources)
    if not step:
        return 0, 0
    counts: dict[int, int] = {}
    for value in step.values():
        counts[value] = counts.get(value, 0) + 1
    return max(counts), max(counts.values())
