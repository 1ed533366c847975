"""A storage account with secure defaults, as the workspace's default storage or a data lake."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import pulumi
import pulumi_azure_native.storage as storage
from pydantic import model_validator

from ..core.naming import STORAGE_ACCOUNT_RULE
from ..core.overrides import build_args
from ..core.schema import Args, fail
from ..core.types import OverridesOf, PublicNetworkAccess, SoftDeleteDays, StorageAccountId, name_rule

# StorageV2 accounts with block blobs and files: the premium SKUs of this kind hold page blobs only.
StorageSku = Literal[
    "Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_RAGRS", "Standard_GZRS", "Standard_RAGZRS"
]


class StorageAccountSettings(Args):
    """A storage account created here (StorageV2, HTTPS only, TLS 1.2, no public blobs, no
    cross-tenant replication, soft delete), as the workspace's default storage or a datastore's."""

    sku: StorageSku = "Standard_GRS"
    """Redundancy. Premium SKUs are not offered: this kind of account holds no premium block blobs."""
    allow_shared_key_access: bool = False
    """Account-key (shared key) authorization; off means Entra ID only. The dev profile turns it on
    for the workspace storage because compute instances, notebooks and AutoML are documented to need it."""
    public_network_access: PublicNetworkAccess = "Disabled"
    """Public endpoint. ``Disabled`` also sets the firewall to deny by default."""
    blob_soft_delete_days: SoftDeleteDays = 7
    """Blob soft-delete retention, 1-365 days."""
    container_soft_delete_days: SoftDeleteDays = 7
    """Container soft-delete retention, 1-365 days."""
    share_soft_delete_days: SoftDeleteDays = 7
    """File-share soft-delete retention, 1-365 days (the notebooks share lives here)."""
    infrastructure_encryption: bool = True
    """Double encryption at rest; fixed at creation."""
    overrides: Annotated[dict[str, Any], OverridesOf(storage.StorageAccountArgs)] = {}
    """Escape hatch: keyword arguments for ``storage.StorageAccountArgs`` that win over the above."""


class WorkspaceStorageOptions(StorageAccountSettings):
    """The workspace's default storage account: created with these settings, or brought by id."""

    existing_id: StorageAccountId | None = None
    """ARM id of an existing account to use instead of creating one."""
    name: Annotated[str, name_rule(STORAGE_ACCOUNT_RULE)] | None = None
    """Account name. Default ``st<workload><env><suffix>`` (see Naming)."""

    @model_validator(mode="after")
    def _no_hierarchical_namespace(self) -> WorkspaceStorageOptions:
        if self.overrides.get("is_hns_enabled"):
            fail(
                "overrides.is_hns_enabled", True, "a workspace's default storage must not have a hierarchical namespace"
            )
        return self


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


def _account_args(
    account_name: str,
    resource_group_name: pulumi.Input[str],
    location: pulumi.Input[str],
    options: StorageAccountSettings,
    tags: Mapping[str, str],
    hierarchical_namespace: bool,
    trusted_workspace: tuple[pulumi.Input[str], pulumi.Input[str]] | None = None,
) -> storage.StorageAccountArgs:
    """StorageV2, HTTPS only, TLS 1.2, no public blobs, no cross-tenant replication, no local users."""
    public = options.public_network_access == "Enabled"
    shared_key = options.allow_shared_key_access
    return build_args(
        storage.StorageAccountArgs,
        {
            "account_name": account_name,
            "resource_group_name": resource_group_name,
            "location": location,
            "kind": "StorageV2",
            "sku": storage.SkuArgs(name=options.sku),
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
            "public_network_access": options.public_network_access,
            # Trusted services and the workspace as a resource instance stay let through even with
            # public access Disabled (storage-network-security-overview.md: they take precedence),
            # and service-side features such as data preview rely on them
            # (how-to-enable-studio-virtual-network.md). IP and VNet rules would be dead config there.
            "network_rule_set": storage.NetworkRuleSetArgs(
                default_action=storage.DefaultAction.ALLOW if public else storage.DefaultAction.DENY,
                bypass="AzureServices",
                resource_access_rules=(
                    [storage.ResourceAccessRuleArgs(tenant_id=trusted_workspace[0], resource_id=trusted_workspace[1])]
                    if trusted_workspace is not None
                    else None
                ),
            ),
            "encryption": storage.EncryptionArgs(
                key_source="Microsoft.Storage",
                require_infrastructure_encryption=options.infrastructure_encryption,
                services=storage.EncryptionServicesArgs(
                    blob=storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                    file=storage.EncryptionServiceArgs(enabled=True, key_type="Account"),
                ),
            ),
            "tags": dict(tags),
        },
        options.overrides,
    )


def create_storage_account(
    resource_name: str,
    *,
    account_name: str,
    resource_group_name: pulumi.Input[str],
    location: pulumi.Input[str],
    options: StorageAccountSettings,
    tags: Mapping[str, str],
    parent: pulumi.Resource,
    protect: bool,
    hierarchical_namespace: bool = False,
    studio_cors: bool = False,
    trusted_workspace: tuple[pulumi.Input[str], pulumi.Input[str]] | None = None,
) -> SecureStorageAccount:
    """The account, and its blob and file services with soft delete (and the studio's CORS rule).
    ``trusted_workspace`` (tenant id, workspace ARM id): the resource-instance rule for the workspace."""
    account = storage.StorageAccount(
        resource_name,
        _account_args(
            account_name, resource_group_name, location, options, tags, hierarchical_namespace, trusted_workspace
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
            delete_retention_policy=storage.DeleteRetentionPolicyArgs(enabled=True, days=options.blob_soft_delete_days),
            container_delete_retention_policy=storage.DeleteRetentionPolicyArgs(
                enabled=True, days=options.container_soft_delete_days
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
                enabled=True, days=options.share_soft_delete_days
            ),
        ),
        opts=child_opts,
    )
    return SecureStorageAccount(account, blob_service, file_service)
