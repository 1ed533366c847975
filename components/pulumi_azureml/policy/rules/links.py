"""What points at a resource from elsewhere in the stack: diagnostic settings and private
endpoints, found by the resource's ARM id (``/providers/<namespace>/<type>/<name>``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Check, Resource, is_known
from .types import DIAGNOSTIC_SETTING, PRIVATE_ENDPOINT

WORKSPACE_PATH = "/providers/Microsoft.MachineLearningServices/workspaces/"
VAULT_PATH = "/providers/Microsoft.KeyVault/vaults/"
REGISTRY_PATH = "/providers/Microsoft.ContainerRegistry/registries/"
STORAGE_PATH = "/providers/Microsoft.Storage/storageAccounts/"


def ends_with_id(value: Any, suffix: str) -> bool:
    """``value`` is an ARM id ending in ``suffix``, any case."""
    return isinstance(value, str) and value.lower().endswith(suffix.lower())


def id_suffix(r: Resource, provider_path: str, name_key: str) -> str | None:
    """How an ARM id of ``r`` ends, or None while its name (input ``name_key``) is unknown."""
    name = r.inputs.get(name_key)
    return f"{provider_path}{name}" if is_known(name) else None


def sends_logs(setting: Resource) -> bool:
    """A diagnostic setting with at least one enabled log category or category group."""
    logs = setting.inputs.get("logs") or []
    return any(isinstance(entry, Mapping) and entry.get("enabled") is True for entry in logs)


def has_private_endpoint(suffix: str, stack: Sequence[Resource]) -> bool:
    """A private endpoint in the stack connects to the resource whose id ends in ``suffix``
    (approved by the deployment, or requested for the target's owner to approve)."""
    return any(
        isinstance(conn, Mapping) and ends_with_id(conn.get("privateLinkServiceId"), suffix)
        for other in stack
        if other.type == PRIVATE_ENDPOINT
        for key in ("privateLinkServiceConnections", "manualPrivateLinkServiceConnections")
        for conn in other.inputs.get(key) or []
    )


def resource_logs_check(provider_path: str, name_key: str, what: str) -> Check:
    """A rule check: some diagnostic setting in the stack sends ``r``'s logs somewhere."""

    def check(r: Resource, stack: Sequence[Resource]) -> str | None:
        suffix = id_suffix(r, provider_path, name_key)
        if suffix is None:
            return None
        for other in stack:
            uri = other.inputs.get("resourceUri")
            if other.type == DIAGNOSTIC_SETTING and ends_with_id(uri, suffix) and sends_logs(other):
                return None
        return f"no diagnostic setting sends {what} anywhere"

    return check
