"""Every rule, in the order the README table and ``check`` list them."""

from __future__ import annotations

from collections.abc import Mapping

from .model import Rule
from .rules import compute, datastore, general, keyvault, monitoring, registry, storage, works, workspace

RULES: tuple[Rule, ...] = (
    *workspace.RULES,
    *compute.RULES,
    *datastore.RULES,
    *storage.RULES,
    *keyvault.RULES,
    *registry.RULES,
    *monitoring.RULES,
    *general.RULES,
    *works.RULES,
)
BY_ID: Mapping[str, Rule] = {rule.id: rule for rule in RULES}
