"""Rules for Azure ML registries (Microsoft.MachineLearningServices/registries), where models,
environments and components are shared across workspaces.

No Azure Policy, PSRule or Checkov rule judges ML registries (Azure/azure-policy has only the
diagnostic-setting policies for them), so the rule is the project's. A registry with public access
disabled is reached through private endpoints (Learn ``how-to-registry-network-isolation.md``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import PROD_ONLY, Resource, Rule
from .types import ML_REGISTRY


def _public_access(r: Resource, _: Sequence[Resource]) -> str | None:
    access = r.inputs.get("publicNetworkAccess")
    if access != "Disabled":
        return f"publicNetworkAccess is {access!r}: models and environments are reachable from the internet"
    return None


RULES = (
    Rule(
        id="MLR-001",
        title="Azure ML registries have public network access disabled in prod",
        types=(ML_REGISTRY,),
        sources=(),
        fix="in the shared stack (Pulumi.shared.yaml) set publicNetworkAccess Disabled under registry, with "
        "privateEndpointSubnetId so each workspace's network reaches it",
        check=_public_access,
        levels=PROD_ONLY,
    ),
)
