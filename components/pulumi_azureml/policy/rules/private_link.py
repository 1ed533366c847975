"""Private endpoints to the workspace's dependents (storage, key vault, registry).

A dependent counts as privately linked when the stack declares a private endpoint to it, or when
the workspace's managed network creates one: always in ``AllowOnlyApprovedOutbound`` mode (storage,
key vault and registry), and in ``AllowInternetOutbound`` mode for dependents whose public access
is disabled (how-to-managed-network.md). A datastore's account counts when its workspace has a
private-endpoint outbound rule to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Check, Resource, get
from .links import ends_with_id, has_private_endpoint, id_suffix
from .types import OUTBOUND_RULE, WORKSPACE

# Workspace input that references each kind of dependent.
WORKSPACE_KEY = {"storage": "storageAccount", "vault": "keyVault", "registry": "containerRegistry"}


def _public(r: Resource, kind: str) -> object:
    return get(r.inputs, "properties.publicNetworkAccess") if kind == "vault" else r.inputs.get("publicNetworkAccess")


def private_link_check(kind: str, provider_path: str, name_key: str) -> Check:
    """The check for one kind of dependent; ``provider_path`` is its ARM id's provider part
    (``/providers/Microsoft.Storage/storageAccounts/``), ``name_key`` the input holding its name."""

    def check(r: Resource, stack: Sequence[Resource]) -> str | None:
        suffix = id_suffix(r, provider_path, name_key)
        if suffix is None or has_private_endpoint(suffix, stack):
            return None
        for other in stack:
            if other.type == OUTBOUND_RULE:
                target = get(other.inputs, "properties.destination.serviceResourceId")
                if get(other.inputs, "properties.type") == "PrivateEndpoint" and ends_with_id(target, suffix):
                    return None
            elif other.type == WORKSPACE and ends_with_id(other.inputs.get(WORKSPACE_KEY[kind]), suffix):
                mode = get(other.inputs, "managedNetwork.isolationMode")
                if mode == "AllowOnlyApprovedOutbound":
                    return None
                if mode == "AllowInternetOutbound" and _public(r, kind) == "Disabled":
                    return None
        return "no private endpoint reaches it (none declared, and no managed network creates one)"

    return check
