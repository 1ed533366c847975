"""A key vault in RBAC mode with soft delete and, where asked, purge protection."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

import pulumi
import pulumi_azure_native.keyvault as keyvault
from pydantic import Field

from ..core.naming import KEY_VAULT_RULE
from ..core.overrides import build_args
from ..core.schema import Args
from ..core.types import KeyVaultId, OverridesOf, PublicNetworkAccess, name_rule


class KeyVaultOptions(Args):
    """The workspace key vault: RBAC authorization, soft delete, created or brought by id."""

    existing_id: KeyVaultId | None = None
    """ARM id of an existing vault to use instead of creating one."""
    name: Annotated[str, name_rule(KEY_VAULT_RULE)] | None = None
    """Vault name. Default ``kv-<workload>-<env>-<suffix>`` (see Naming)."""
    sku: Literal["standard", "premium"] = "standard"
    """``premium`` adds HSM-backed keys."""
    purge_protection: bool = True
    """Irreversible once on, and the vault name stays taken for the retention period after
    deletion; the dev profile leaves it off."""
    soft_delete_retention_days: Annotated[int, Field(ge=7, le=90)] = 90
    """7-90 days; Azure fixes it when the vault is created ("can only be configured during key vault
    creation", ``soft-delete-overview.md``): a later change fails, and replacing the vault does
    not help while the old name is soft-deleted. Changing it needs a new vault name."""
    public_network_access: PublicNetworkAccess = "Disabled"
    """Public endpoint. ``Disabled`` also makes the firewall deny by default, letting trusted
    Azure services (Azure ML among them) through."""
    overrides: Annotated[dict[str, Any], OverridesOf(keyvault.VaultPropertiesArgs)] = {}
    """Escape hatch: keyword arguments for ``keyvault.VaultPropertiesArgs``."""


def create_key_vault(
    resource_name: str,
    *,
    vault_name: str,
    resource_group_name: pulumi.Input[str],
    location: pulumi.Input[str],
    tenant_id: pulumi.Input[str],
    options: KeyVaultOptions,
    tags: Mapping[str, str],
    parent: pulumi.Resource,
    protect: bool,
    hooks: pulumi.ResourceHookBinding | None = None,
) -> keyvault.Vault:
    public = options.public_network_access == "Enabled"
    properties = build_args(
        keyvault.VaultPropertiesArgs,
        {
            "tenant_id": tenant_id,
            "sku": keyvault.SkuArgs(family="A", name=keyvault.SkuName(options.sku)),
            "enable_rbac_authorization": True,
            "enable_soft_delete": True,
            "soft_delete_retention_in_days": options.soft_delete_retention_days,
            # Azure refuses enablePurgeProtection=false ("cannot be set to false"): omit it instead.
            "enable_purge_protection": True if options.purge_protection else None,
            "public_network_access": options.public_network_access,
            "network_acls": keyvault.NetworkRuleSetArgs(
                default_action="Allow" if public else "Deny", bypass="AzureServices"
            ),
        },
        options.overrides,
    )
    return keyvault.Vault(
        resource_name,
        keyvault.VaultArgs(
            vault_name=vault_name,
            resource_group_name=resource_group_name,
            location=location,
            properties=properties,
            tags=dict(tags),
        ),
        opts=pulumi.ResourceOptions(parent=parent, protect=protect, hooks=hooks),
    )
