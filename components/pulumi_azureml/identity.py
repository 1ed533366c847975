"""The workspace identity: system-assigned, user-assigned, or both, and the roles each needs."""

from __future__ import annotations

from typing import Literal, TypedDict

from .arm import is_guid, parse_resource_id
from .errors import ConfigError

IdentityType = Literal["SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"]
IDENTITY_TYPES: tuple[IdentityType, ...] = ("SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned")


class IdentityOptions(TypedDict, total=False):
    """The workspace's managed identity. Defaults are listed per key."""

    type: IdentityType
    """Default ``SystemAssigned``. With ``UserAssigned`` the user-assigned identity is the
    workspace's primary identity. Azure allows going from system to system+user, not back."""
    user_assigned_identity_id: str
    """ARM id of an existing user-assigned identity. Default: create ``id-<workload>-<env>-<region>``
    when the type includes UserAssigned."""
    principal_id: str
    """Principal (object) id of ``user_assigned_identity_id``; required with it, since the role
    assignments need it before the workspace exists."""
    name: str
    """Name of the created user-assigned identity. Default from :mod:`pulumi_azureml.naming`."""
    assign_roles: bool
    """Create the role assignments Azure ML documents for the identity. Default ``True``.
    User-assigned: Contributor on the storage account, key vault, registry and Application
    Insights, Storage Blob Data Contributor and File Data Privileged Contributor on storage, Key
    Vault Administrator on the vault (all before the workspace is created), Contributor on the
    workspace, and Azure AI Enterprise Network Connection Approver on the resource group when
    managed network isolation is on. System-assigned, with identity auth to the system datastores:
    Storage Blob Data Contributor and File Data Privileged Contributor on storage (the portal
    grants these; ARM deployments must)."""


def uses_user_assigned(options: IdentityOptions) -> bool:
    return "UserAssigned" in options.get("type", "SystemAssigned")


def uses_system_assigned(options: IdentityOptions) -> bool:
    return "SystemAssigned" in options.get("type", "SystemAssigned")


def validate_identity_options(key: str, options: IdentityOptions) -> None:
    kind = options.get("type", "SystemAssigned")
    if kind not in IDENTITY_TYPES:
        raise ConfigError(f"{key}.type", kind, f"must be one of {', '.join(IDENTITY_TYPES)}")
    uai_id = options.get("user_assigned_identity_id")
    principal = options.get("principal_id")
    if not uses_user_assigned(options) and (uai_id or principal):
        field = "user_assigned_identity_id" if uai_id else "principal_id"
        raise ConfigError(
            f"{key}.{field}", uai_id or principal, "needs type UserAssigned or SystemAssigned,UserAssigned"
        )
    if uai_id:
        parse_resource_id(
            f"{key}.user_assigned_identity_id", uai_id, "Microsoft.ManagedIdentity/userAssignedIdentities"
        )
        if not principal:
            raise ConfigError(f"{key}.principal_id", None, "is required with user_assigned_identity_id")
        if not is_guid(principal):
            raise ConfigError(f"{key}.principal_id", principal, "must be a GUID (the identity's object id)")
    elif principal:
        raise ConfigError(f"{key}.principal_id", principal, "is only used with user_assigned_identity_id")
