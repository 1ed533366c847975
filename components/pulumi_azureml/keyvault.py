"""A key vault in RBAC mode with soft delete and, where asked, purge protection."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

import pulumi
import pulumi_azure_native.keyvault as keyvault

from .errors import ConfigError, check_whole_number
from .overrides import build_args, check_overrides


class KeyVaultOptions(TypedDict, total=False):
    """Options for the workspace key vault. Defaults are listed per key."""

    existing_id: str
    """ARM id of an existing vault. Default: create one."""
    name: str
    """Vault name. Default ``kv-<workload>-<env>-<suffix>`` from :mod:`pulumi_azureml.naming`."""
    sku: str
    """``standard`` or ``premium`` (HSM-backed keys). Default ``standard``."""
    purge_protection: bool
    """Default ``True``. Once on it can never be turned off, and the vault name stays taken for
    the retention period after deletion; the dev profile leaves it off."""
    soft_delete_retention_days: int
    """7-90 days. Default 90."""
    public_network_access: str
    """``Enabled`` or ``Disabled``. Default ``Disabled``; the firewall then denies by default and
    lets trusted Azure services (Azure ML among them) through."""
    overrides: Mapping[str, Any]
    """Escape hatch: keyword arguments for ``keyvault.VaultPropertiesArgs``."""


KEY_VAULT_DEFAULTS: KeyVaultOptions = {
    "sku": "standard",
    "purge_protection": True,
    "soft_delete_retention_days": 90,
    "public_network_access": "Disabled",
}


def validate_key_vault_options(key: str, options: KeyVaultOptions) -> None:
    sku = options.get("sku", KEY_VAULT_DEFAULTS["sku"])
    if sku not in ("standard", "premium"):
        raise ConfigError(f"{key}.sku", sku, "must be standard or premium")
    days = options.get("soft_delete_retention_days", 90)
    check_whole_number(f"{key}.soft_delete_retention_days", days, 7, 90)
    pna = options.get("public_network_access", KEY_VAULT_DEFAULTS["public_network_access"])
    if pna not in ("Enabled", "Disabled"):
        raise ConfigError(f"{key}.public_network_access", pna, "must be Enabled or Disabled")
    check_overrides(f"{key}.overrides", keyvault.VaultPropertiesArgs, options.get("overrides"))


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
) -> keyvault.Vault:
    opts: dict[str, Any] = {**KEY_VAULT_DEFAULTS, **options}
    public = opts["public_network_access"] == "Enabled"
    properties = build_args(
        keyvault.VaultPropertiesArgs,
        {
            "tenant_id": tenant_id,
            "sku": keyvault.SkuArgs(family="A", name=opts["sku"]),
            "enable_rbac_authorization": True,
            "enable_soft_delete": True,
            "soft_delete_retention_in_days": opts["soft_delete_retention_days"],
            # Azure refuses enablePurgeProtection=false ("cannot be set to false"): omit it instead.
            "enable_purge_protection": True if opts["purge_protection"] else None,
            "public_network_access": opts["public_network_access"],
            "network_acls": keyvault.NetworkRuleSetArgs(
                default_action="Allow" if public else "Deny", bypass="AzureServices"
            ),
        },
        opts.get("overrides"),
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
        opts=pulumi.ResourceOptions(parent=parent, protect=protect),
    )
