"""What a policy rule is, what it looks at and what it reports.

A rule is a plain function over one resource's type and inputs (the camelCase shape the provider
receives, which is also what Pulumi's mocks and CrossGuard see), so the same function runs over
the offline plan (``pulumi-azureml check``) and inside the CrossGuard pack (``policies/``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from ..core.provider_inputs import SECRET, UNKNOWN
from ..core.provider_inputs import get_path as get

__all__ = [
    "ENVIRONMENTS",
    "SECRET",
    "UNKNOWN",
    "Finding",
    "Level",
    "Resource",
    "Rule",
    "Source",
    "get",
    "gh",
    "is_known",
    "learn",
]

ENVIRONMENTS = ("dev", "staging", "prod")


class Level(StrEnum):
    """Enforcement levels, named as CrossGuard names them."""

    MANDATORY = "mandatory"
    """A violation fails ``check`` (exit 1) and blocks ``pulumi preview/up --policy-pack``."""
    ADVISORY = "advisory"
    """A violation is reported; nothing fails."""
    DISABLED = "disabled"
    """The rule does not run."""


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: a rule of a trusted tool that ours mirrors (security rules), or the
    Microsoft document or issue thread that shows what Azure does ("will it work" rules)."""

    tool: str
    """``Azure Policy``, ``PSRule`` or ``Checkov``; ``Microsoft Learn`` or ``GitHub`` for evidence."""
    ref: str
    """The tool's id or name (``438c38d2``, ``Azure.ML.PublicAccess``, ``CKV2_AZURE_49``), the
    document (``how-to-managed-network.md``) or the thread (``Azure/terraform-provider-azapi#453``)."""

    def __str__(self) -> str:
        short = {"Azure Policy": "AP", "PSRule": "PS", "Checkov": "CK", "Microsoft Learn": "MS", "GitHub": "GH"}
        return f"{short.get(self.tool, self.tool)} {self.ref}"


def ap(ref: str) -> Source:
    return Source("Azure Policy", ref)


def ps(ref: str) -> Source:
    return Source("PSRule", ref)


def ck(ref: str) -> Source:
    return Source("Checkov", ref)


def learn(ref: str) -> Source:
    return Source("Microsoft Learn", ref)


def gh(ref: str) -> Source:
    return Source("GitHub", ref)


@dataclass(frozen=True)
class Resource:
    """One resource as a rule sees it: its type token, inputs and the options rules judge."""

    type: str
    name: str
    inputs: Mapping[str, Any]
    urn: str = ""
    protect: bool = False
    dependencies: tuple[str, ...] = ()
    """URNs of the resources this one depends on (its inputs' sources among them)."""


Check = Callable[[Resource, Sequence[Resource]], "str | None"]
"""``check(resource, stack)``: the violation message, or None when the resource passes (or the
rule cannot judge it). ``stack`` is every resource of the stack, for rules that look at a second
resource (an HBI workspace's storage); rules that don't ignore it."""

STANDARD: Mapping[str, Level] = {"dev": Level.ADVISORY, "staging": Level.MANDATORY, "prod": Level.MANDATORY}
"""The default: advisory in dev, mandatory in staging and prod."""
PROD_ONLY: Mapping[str, Level] = {"dev": Level.ADVISORY, "staging": Level.ADVISORY, "prod": Level.MANDATORY}
ADVISORY_ALL: Mapping[str, Level] = {env: Level.ADVISORY for env in ENVIRONMENTS}
"""Hardening this project does not build yet, or that costs real money: reported, never blocking."""
MANDATORY_ALL: Mapping[str, Level] = {env: Level.MANDATORY for env in ENVIRONMENTS}
"""A platform that cannot work is not advisory: every "will it work" rule, in every environment."""

Family = Literal["security", "works"]
"""``security``: what Azure Policy, PSRule and Checkov check. ``works``: what Azure would refuse,
or what leaves the platform's users without access."""


@dataclass(frozen=True)
class Rule:
    """One policy rule: an id of ours, what it checks, where it comes from and how to fix it."""

    id: str
    title: str
    types: tuple[str, ...]
    """Resource type tokens the rule applies to (``azure-native:storage:StorageAccount``); ``*``: all."""
    sources: tuple[Source, ...]
    """Rules of Azure Policy, PSRule and Checkov this one mirrors; empty for our own."""
    fix: str
    """Remediation naming our config key."""
    check: Check
    levels: Mapping[str, Level] = field(default_factory=lambda: dict(STANDARD))
    """Level per environment; an environment without a profile takes the prod level."""
    needs_stack: bool = False
    """The check looks at other resources of the stack (CrossGuard runs it as a stack policy)."""
    family: Family = "security"
    needs_secret_markers: bool = False
    """The check needs to see which inputs are Pulumi secrets: the offline plan shows them as
    ``"[secret]"``; CrossGuard hands analyzers plain values, so the pack cannot run this rule."""

    def level_for(self, environment: str) -> Level:
        return self.levels.get(environment, self.levels["prod"])

    def applies_to(self, resource: Resource) -> bool:
        return "*" in self.types or resource.type in self.types


@dataclass(frozen=True)
class Finding:
    """A resource that breaks a rule, at the level the stack's environment gives the rule."""

    rule: Rule
    resource: Resource
    message: str
    level: Level
    reason: str | None = None
    """Why stack config changed the rule's level, when it did."""

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "rule": self.rule.id,
            "title": self.rule.title,
            "level": self.level.value,
            "resource": self.resource.urn or self.resource.name,
            "type": self.resource.type,
            "message": self.message,
            "fix": self.rule.fix,
        }
        if self.reason:
            doc["reason"] = self.reason
        return doc


def is_known(value: Any) -> bool:
    """False for a value only Azure will know (an id of a resource not created yet)."""
    return value is not None and value != UNKNOWN
