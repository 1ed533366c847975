"""What a plan holds: the resources a program registers and the stack outputs it exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.provider_inputs import SECRET, UNKNOWN, get_path
from .resources import PlannedOutput, PlannedResource
from .summary import summarize

__all__ = ["SECRET", "UNKNOWN", "Plan", "PlannedOutput", "PlannedResource", "get_path"]


@dataclass
class Plan:
    """Every resource `pulumi up` would register for a stack, in registration order."""

    project: str
    stack: str
    resources: list[PlannedResource]
    outputs: dict[str, PlannedOutput]
    subscription_id: str
    tenant_id: str
    warnings: list[str] = field(default_factory=list)
    invented: frozenset[str] = frozenset()
    """Every value the mocks made up (ids, principal ids, endpoints): Azure decides them at apply."""
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)
    """For invented values: the (URN, output path) they are, e.g. ``(urn, "identity.principalId")``,
    so an export can refer to the output instead of the placeholder (see :mod:`.arm`)."""

    def by_type(self, type_token: str) -> list[PlannedResource]:
        return [r for r in self.resources if r.type == type_token]

    def get(self, name_or_urn: str) -> PlannedResource:
        """The resource with this URN, Pulumi name, or URN suffix (``StorageAccount::st``); raises
        KeyError when none or several match."""
        found = [r for r in self.resources if name_or_urn in (r.urn, r.name)]
        if not found:
            found = [r for r in self.resources if r.urn.endswith(name_or_urn)]
        if len(found) != 1:
            raise KeyError(f"{len(found)} resources match {name_or_urn!r}")
        return found[0]

    def children(self, urn: str) -> list[PlannedResource]:
        return [r for r in self.resources if r.parent == urn]

    def to_json(self) -> dict[str, Any]:
        """The stable document of ``--format json``."""
        return {
            "project": self.project,
            "stack": self.stack,
            "resources": [r.to_json() for r in self.resources],
            "outputs": {name: out.to_json() for name, out in sorted(self.outputs.items())},
            "summary": self.summary(),
        }

    def summary(self) -> dict[str, Any]:
        """Counts and the always-on compute node count (see :mod:`pulumi_azureml.plan.summary`)."""
        return summarize(self.resources)
