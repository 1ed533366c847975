"""A storage account with secure defaults, as the workspace's default storage or a data lake."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

import pulumi
import pulumi_azure_native.storage as storage

from .errors import ConfigError, check_whole_number
from .overrides import build_args, check_overrides

ALLOWED_WORKSPACE_STORAGE_SKUS = (
    "Standard_LRS",
    "Standard_ZRS",
    "Standard_GRS",
    "Standard_RAGRS",
    "Standard_GZRS",
    "Standard_RAGZRS",
)


class StorageAccountOptions(TypedDict, total=False):
    """Options for a storage account. Every key is optional; defaults are listed per key."""

    existing_id: str
    """ARM id of an existing account to use instead of creating one. Default: create one."""
    name: str
    """Account name. Default: ``st<workload><env><suffix>`` from :mod:`pulumi_azureml.naming`."""
    sku: str
    """Redundancy SKU. Default ``Standard_GRS``. Premium SKUs are refused for workspace storage."""
    allow_shared_key_access: bool
    """Account-key (shared key) authorization. Default ``False``: Entra ID only. The dev profile
    turns it on because compute instances, notebooks and AutoML are documented to need it."""
    public_network_access: str
    """``Enabled`` or ``Disabled``. Default ``Disabled``; with ``Disabled`` the firewall also
    denies by default and lets trusted Azure services through."""
    blob_soft_delete_days: int
    """Blob soft-delete retention, 1-365 days. Default 7."""
    container_soft_delete_days: int
    """Container soft-delete retention, 1-365 days. Default 7."""
    share_soft_delete_days: int
    """File-share soft-delete retention, 1-365 days. Default 7 (the notebooks share lives here)."""
    infrastructure_encryption: bool
    """Double encryption at rest; fixed at creation. Default ``True``."""
    overrides: Mapping[str, Any]
    """Escape hatch: keyword arguments for ``storage.StorageAccountArgs`` that win over the above."""


STORAGE_DEFAULTS: StorageAccountOptions = {
    "sku": "Standard_GRS",
    "allow_shared_key_access": False,
    "public_network_access": "Disabled",
    "blob_soft_delete_days": 7,
    "container_soft_delete_days": 7,
    "share_soft_delete_days": 7,
    "infrastructure_encryption": True,
}


def validate_storage_options(key: str, options: StorageAccountOptions, *, workspace_default: bool) -> None:
    sku = options.get("sku", STORAGE_DEFAULTS["sku"])
    if workspace_default and sku not in ALLOWED_WORKSPACE_STORAGE_SKUS:
        raise ConfigError(
            f"{key}.sku",
            sku,
            "a workspace's default storage must be a standard account, one of "
            + ", ".join(ALLOWED_WORKSPACE_STORAGE_SKUS),
        )
    pna = options.get("public_network_access", STORAGE_DEFAULTS["public_network_access"])
    if pna not in ("Enabled", "Disabled"):
        raise ConfigError(f"{key}.public_network_access", pna, "must be Enabled or Disabled")
    for days_key in ("blob_soft_delete_days", "container_soft_delete_days", "share_soft_delete_days"):
        days = options.get(days_key, 7)
        check_whole_number(f"{key}.{days_key}", days, 1, 365, unit="days")
    if workspace_default and (options.get("overrides") or {}).get("is_hns_enabled"):
        raise ConfigError(
            f"{key}.overrides.is_hns_enabled",
            True,
            "a workspace's default storage must not have a hierarchical namespace",
        )
    check_overrides(f"{key}.overrides", storage.StorageAccountArgs, options.get("overrides"))


# Azure ML adds a CORS rule like this to its default storage so the studio can read blobs and
# files from the browser. BlobServiceProperties/FileServiceProperties are full PUTs: declaring
# the rule here keeps a later `pulumi up` from wiping the one the service added.
STUDIO_CORS_ORIGINS = (
    "https://mlworkspace.azure.ai",
    "https://ml.azure.com",
    "https://*.ml.azure.com",
    "https://ai.azure.com",
    "https://*.ai.azure.com",
)


def _studio_cors() -> storage.CorsRulesArgs:
    return storage.CorsRulesArgs(
        cors_rules=[
            storage.CorsRuleArgs(
                allowed_origins=list(STUDIO_CORS_ORIGINS),
                allowed_methods=["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "PATCH"],
                allowed_headers=["*"],
                exposed_headers=["*"],
                max_age_in_seconds=1800,
            )
        ]
    )


@dataclass
class SecureStorageAccount:
    account: storage.StorageAccount
    blob_service: storage.BlobServiceProperties
    file_service: storage.FileServiceProperties


def create_storage_account(
    resource_name: str,
    *,
    account_name: str,
    resource_group_name: pulumi.Input[str],
    location: pulumi.Input[str],
    options: StorageAccountOptions,
    tags: Mapping[str, str],
    parent: pulumi.Resource,
    protect: bool,
    hierarchical_namespace: bool = False,
    studio_cors: bool = False,
) -> SecureStorageAccount:
    """StorageV2, HTTPS only, TLS 1.2, no public blobs, no cross-tenant replication, soft delete."""
    opts: dict[str, Any] = {**STORAGE_DEFAULTS, **options}
    public = opts["public_network_access"] == "Enabled"
    shared_key = bool(opts["allow_shared_key_access"])
    account = storage.StorageAccount(
        resource_name,
        build_args(
            storage.StorageAccountArgs,
            {
                "account_name": account_name,
                "resource_group_name": resource_group_name,
                "location": location,
                "kind": "StorageV2",
                "sku": storage.SkuArgs(name=opts["sku"]),
                "enable_https_traffic_only": True,
                "minimum_tls_version": "TLS1_2",
                "allow_blob_public_access": False,
                "allow_cross_tenant_replication": False,
                # Local users serve SFTP and NFS with their own keys; Azure ML uses neither.
                "is_local_user_enabled": False,
                "allow_shared_key_access": shared_key,
                # With shared keys off, the portal must default to Entra ID or it shows errors.
                "default_to_o_auth_authentication": not shared_key,
                "is_hns_enabled": hierarchical_namespace,
                "public_network_access": opts["public_network_access"],
                "network_rule_set": storage.NetworkRuleSetArgs(
                    default_action=storage.DefaultAction.ALLOW if public else storage.DefaultAction.DENY,
                    bypass="AzureServices",
                ),
                "encryption": storage.EncryptionArgs(
                    key_source="Microsoft.Storage",
                    require_infrastructure_encryption=opts["infrastructure_encryption"],
                    services=storage.EncryptionServicesArgs(
                        blob=storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                        file=storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                    ),
                ),
                "tags": dict(tags),
            },
            opts.get("overrides"),
        ),
        opts=pulumi.ResourceOptions(parent=parent, protect=protect),
    )
    child_opts = pulumi.ResourceOptions(parent=parent)
    blob_service = storage.BlobServiceProperties(
        f"{resource_name}-blob",
        storage.BlobServicePropertiesArgs(
            account_name=account.name,
            resource_group_name=resource_group_name,
            blob_services_name="default",
            cors=_studio_cors() if studio_cors else None,
            delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True, days=opts["blob_soft_delete_days"]),
            container_delete_retention_policy=storage.DeleteRetentionPolicyArgs(
                enabled=True, days=opts["container_soft_delete_days"]
            ),
        ),
        opts=child_opts,
    )
    file_service = storage.FileServiceProperties(
        f"{resource_name}-file",
        storage.FileServicePropertiesArgs(
            account_name=account.name,
            resource_group_name=resource_group_name,
            file_services_name="default",
            cors=_studio_cors() if studio_cors else None,
            share_delete_retention_policy=storage.DeleteRetentionPolicyArgs(
                enabled=True, days=opts["share_soft_delete_days"]
            ),
        ),
        opts=child_opts,
    )
    return SecureStorageAccount(account, blob_service, file_service)
