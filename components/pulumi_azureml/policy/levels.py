"""Which level each rule has in a stack: the rule's level for the environment, unless stack config
changes it (``<project>:policy``), always with a written reason.

    azureml-platform:policy:
      MLW-001:
        level: advisory
        reason: staging keeps the studio reachable for reviewers

The setting is declared here, next to the rules it names; the stack config schema includes it, so
``pulumi up`` rejects a bad ``policy`` key before any resource, and ``check`` reads the same key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from ..core.schema import Args, Spelling, StrCheck, validate
from .catalog import BY_ID, RULES
from .model import Level, Rule

CONFIG_KEY = "policy"


@dataclass(frozen=True)
class LevelOverride:
    level: Level
    reason: str


def _rule_id_check(value: str) -> None:
    if value not in BY_ID:
        raise ValueError(f"{value!r} is not a rule id (see README 'Policy rules')")


def _reason_check(value: str) -> None:
    if not value.strip():
        raise ValueError("is required: say why this stack changes the rule's level")


RuleId = Annotated[
    str, StrCheck(_rule_id_check, {"type": "string", "enum": sorted(BY_ID)}, outputs=False, label="rule id")
]
Reason = Annotated[str, StrCheck(_reason_check, {"type": "string", "minLength": 1}, outputs=False)]


class LevelSetting(Args):
    """One rule's level in this stack, always with the reason."""

    level: Literal["mandatory", "advisory", "disabled"]
    """The rule's level here."""
    reason: Reason
    """Say why this stack changes the rule's level. ``check`` prints it."""

    @property
    def override(self) -> LevelOverride:
        return LevelOverride(Level(self.level), self.reason.strip())


class PolicySettings(Args):
    """The ``policy`` key of a stack: rule id to ``{level, reason}``."""

    policy: dict[RuleId, LevelSetting] = {}
    """Change a policy rule's level for this stack, with a reason (see Policy rules)."""


def parse_overrides(project: str, raw: Any) -> dict[str, LevelOverride]:
    """``raw`` (the value of ``<project>:policy``) as overrides by rule id; ConfigError on bad input."""
    if raw is None:
        return {}
    settings = validate(PolicySettings, {"policy": raw}, Spelling("config", f"{project}:"))
    return {rule_id: setting.override for rule_id, setting in settings.policy.items()}


def effective_levels(environment: str, overrides: Mapping[str, LevelOverride]) -> dict[str, Level]:
    """Every rule's level in ``environment`` after the stack's overrides."""
    return {
        rule.id: overrides[rule.id].level if rule.id in overrides else rule.level_for(environment) for rule in RULES
    }


def level_of(rule: Rule, environment: str, overrides: Mapping[str, LevelOverride]) -> Level:
    return overrides[rule.id].level if rule.id in overrides else rule.level_for(environment)
