"""What a plan records: one resource registration, one stack output. (A leaf module: the graph and
summary read these, and the plan holds them.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core.provider_inputs import SECRET

__all__ = ["PlannedOutput", "PlannedResource"]


@dataclass
class PlannedResource:
    """One resource registration, as the Pulumi engine would receive it."""

    urn: str
    type: str
    name: str
    parent: str | None
    custom: bool
    protect: bool
    inputs: dict[str, Any]
    """Inputs in the camelCase shape the provider receives; secrets are ``"[secret]"``."""
    dependencies: list[str]
    options: dict[str, Any] = field(default_factory=dict)
    """Lifecycle options that were set: deleteBeforeReplace, replaceOnChanges, ignoreChanges, aliases."""

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "urn": self.urn,
            "type": self.type,
            "name": self.name,
            "parent": self.parent,
            "custom": self.custom,
            "protect": self.protect,
            "inputs": self.inputs,
            "dependencies": self.dependencies,
        }
        if self.options:
            doc["options"] = self.options
        return doc


@dataclass
class PlannedOutput:
    value: Any
    known_after_apply: bool
    """The value contains something only Azure computes (ids, endpoints, principal ids): the plan
    shows a plausible placeholder."""
    secret: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "value": SECRET if self.secret else self.value,
            "knownAfterApply": self.known_after_apply,
            "secret": self.secret,
        }
