"""Every rule, in the order the README table and ``check`` list them."""

from __future__ import annotations

from collections.abc import Mapping

from .model import Rule
from .rules import (
    compute,
    connection,
    datastore,
    endpoint,
    general,
    keyvault,
    kubernetes,
    ml_registry,
    monitoring,
    registry,
    storage,
    works,
    workspace,
)

RULES: tuple[Rule, ...] = (
    *workspace.RULES,
    *compute.RULES,
    *datastore.RULES,
    *storage.RULES,
    *keyvault.RULES,
    *registry.RULES,
    *monitoring.RULES,
    *kubernetes.RULES,
    *endpoint.RULES,
    *ml_registry.RULES,
    *connection.RULES,
    *general.RULES,
    *works.RULES,
    *kubernetes.WORKS_RULES,
    *endpoint.WORKS_RULES,
)
BY_ID: Mapping[str, Rule] = {rule.id: rule for rule in RULES}
