"""The name rule of an Azure ML registry and its default name.

Two sources disagree on the length: the REST spec's ``registryName`` pattern is
``^[a-zA-Z0-9][a-zA-Z0-9\\-_]{2,32}$`` (3-33 characters; registries.json, 2025-12-01), while Learn
says 2-32 (how-to-manage-registries.md, "Choose a name"), as does azurerm's validation. The rule
takes what both accept, 3-32, so no name passes here that either refuses.

A registry name is unique in the Microsoft Entra tenant, is part of every asset id that code
references (``azureml://registries/<name>/models/...``) and cannot be changed after creation
(how-to-manage-registries.md).
"""

from __future__ import annotations

import re

from ..core.naming import NameRule, build_names, validate_name

REGISTRY_RULE = NameRule(
    "machine learning registry",
    3,
    32,
    re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_-]{2,31}"),
    "registry names are 3-32 letters, digits, '-' or '_', starting with a letter or digit; unique in the "
    "Microsoft Entra tenant and fixed at creation",
)

REGISTRY_ABBREVIATION = "mlr"
"""Not in CAF's abbreviation list (which has ``mlw`` for workspaces); ``mlr`` is what azurerm's
registry example uses."""


def registry_name(workload: str, environment: str, location: str, *, instance: str | None = None) -> str:
    """``mlr-<workload>-<env>-<region>[-<instance>]`` (``mlr-churn-shared-we``); NamingError on bad input.

    The longest inputs give ``mlr-<10>-<8>-<4>-<3>``, 32 characters: within the rule.
    """
    base = build_names(workload, environment, location, instance=instance).base
    return validate_name(REGISTRY_RULE, f"{REGISTRY_ABBREVIATION}-{base}")
