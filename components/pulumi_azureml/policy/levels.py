"""Which level each rule has in a stack: the rule's level for the environment, unless stack config
changes it (``<project>:policy``), always with a written reason.

    azureml-platform:policy:
      MLW-001:
        level: advisory
        reason: staging keeps the studio reachable for reviewers

Validation lives here, next to the config it checks; ``config.py`` calls it so that ``pulumi up``
rejects a bad ``policy`` key before any resource, and ``check`` reads the same key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from .catalog import BY_ID, RULES
from .model import Level, Rule

CONFIG_KEY = "policy"


@dataclass(frozen=True)
class LevelOverride:
    level: Level
    reason: str


def parse_overrides(key: str, raw: Any) -> dict[str, LevelOverride]:
    """``raw`` (the value of ``<project>:policy``) as overrides by rule id; ConfigError on bad input.

    ``key`` is the full config key (``azureml-platform:policy``), used in errors.
    """
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ConfigError(key, raw, "must map rule ids to {level, reason}")
    out: dict[str, LevelOverride] = {}
    levels = ", ".join(level.value for level in Level)
    for rule_id, spec in raw.items():
        here = f"{key}.{rule_id}"
        if rule_id not in BY_ID:
            raise ConfigError(here, spec, f"{rule_id!r} is not a rule id (see README 'Policy rules')")
        if not isinstance(spec, Mapping):
            raise ConfigError(here, spec, "must be a mapping with level and reason")
        unknown = sorted(set(spec) - {"level", "reason"})
        if unknown:
            raise ConfigError(f"{here}.{unknown[0]}", spec[unknown[0]], "is not a known key (level, reason)")
        level = spec.get("level")
        if level not in {lv.value for lv in Level}:
            raise ConfigError(f"{here}.level", level, f"must be one of {levels}")
        reason = spec.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"{here}.reason", reason, "is required: say why this stack changes the rule's level")
        out[str(rule_id)] = LevelOverride(Level(level), reason.strip())
    return out


def effective_levels(environment: str, overrides: Mapping[str, LevelOverride]) -> dict[str, Level]:
    """Every rule's level in ``environment`` after the stack's overrides."""
    return {
        rule.id: overrides[rule.id].level if rule.id in overrides else rule.level_for(environment) for rule in RULES
    }


def level_of(rule: Rule, environment: str, overrides: Mapping[str, LevelOverride]) -> Level:
    return overrides[rule.id].level if rule.id in overrides else rule.level_for(environment)
