"""Rules for the workspace's key vault. azure-native nests a vault's settings under ``properties``."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Resource, Rule, ap, ck, get, ps
from .links import VAULT_PATH, resource_logs_check
from .private_link import private_link_check
from .types import KEY_VAULT


def _soft_delete(r: Resource, _: Sequence[Resource]) -> str | None:
    # Soft delete is always on for new vaults; only an explicit false is a finding.
    if get(r.inputs, "properties.enableSoftDelete") is False:
        return "properties.enableSoftDelete is false"
    return None


def _purge_protection(r: Resource, _: Sequence[Resource]) -> str | None:
    if get(r.inputs, "properties.enablePurgeProtection") is not True:
        return "purge protection is off: a deleted vault (and the workspace's secrets) can be purged at once"
    return None


def _rbac(r: Resource, _: Sequence[Resource]) -> str | None:
    if get(r.inputs, "properties.enableRbacAuthorization") is not True:
        return "properties.enableRbacAuthorization is not true: access policies instead of Azure RBAC"
    return None


def _no_access_policies(r: Resource, _: Sequence[Resource]) -> str | None:
    policies = get(r.inputs, "properties.accessPolicies")
    if policies:
        return f"{len(policies)} access policies: grant access with Azure RBAC roles instead"
    return None


def _public_access(r: Resource, _: Sequence[Resource]) -> str | None:
    access = get(r.inputs, "properties.publicNetworkAccess")
    if access != "Disabled":
        return f"properties.publicNetworkAccess is {access!r}"
    return None


def _firewall(r: Resource, _: Sequence[Resource]) -> str | None:
    action = get(r.inputs, "properties.networkAcls.defaultAction")
    if action != "Deny":
        return f"properties.networkAcls.defaultAction is {action!r}, not 'Deny'"
    return None


RULES = (
    Rule(
        id="KV-001",
        title="Key vault soft delete is on",
        types=(KEY_VAULT,),
        sources=(ap("1e66c121"), ps("Azure.KeyVault.SoftDelete"), ck("CKV_AZURE_111")),
        fix="keyVault.overrides: do not set enable_soft_delete false",
        check=_soft_delete,
    ),
    Rule(
        id="KV-002",
        title="Key vault purge protection is on",
        types=(KEY_VAULT,),
        sources=(ap("0b60c0b2"), ps("Azure.KeyVault.PurgeProtect"), ck("CKV_AZURE_110"), ck("CKV_AZURE_42")),
        fix="keyVault.purgeProtection: true (staging and prod profiles; irreversible)",
        check=_purge_protection,
    ),
    Rule(
        id="KV-003",
        title="Key vault uses Azure RBAC",
        types=(KEY_VAULT,),
        sources=(ap("12d4fa5e"), ps("Azure.KeyVault.RBAC")),
        fix="keyVault.overrides.enable_rbac_authorization: true (the default)",
        check=_rbac,
    ),
    Rule(
        id="KV-004",
        title="Key vault has no access policies",
        types=(KEY_VAULT,),
        sources=(ps("Azure.KeyVault.AccessPolicy"),),
        fix="drop keyVault.overrides.access_policies; use role assignments",
        check=_no_access_policies,
    ),
    Rule(
        id="KV-005",
        title="Key vault public network access is disabled",
        types=(KEY_VAULT,),
        sources=(ap("405c5871"), ck("CKV_AZURE_189")),
        fix="keyVault.publicNetworkAccess: Disabled",
        check=_public_access,
    ),
    Rule(
        id="KV-006",
        title="Key vault firewall denies by default",
        types=(KEY_VAULT,),
        sources=(ap("55615ac9"), ps("Azure.KeyVault.Firewall"), ck("CKV_AZURE_109")),
        fix="keyVault.publicNetworkAccess: Disabled (sets networkAcls.defaultAction: Deny)",
        check=_firewall,
    ),
    Rule(
        id="KV-007",
        title="Key vault audit logs are collected",
        types=(KEY_VAULT,),
        sources=(ps("Azure.KeyVault.Logs"),),
        fix="diagnostics.enabled: true (the default when Log Analytics exists)",
        check=resource_logs_check(VAULT_PATH, "vaultName", "the vault's audit log"),
        needs_stack=True,
    ),
    Rule(
        id="KV-008",
        title="Key vault is reached through a private endpoint",
        types=(KEY_VAULT,),
        sources=(ap("a6abeaec"), ck("CKV2_AZURE_32")),
        fix="network.privateEndpointSubnet (an endpoint in your network), or workspace.isolationMode: "
        "AllowOnlyApprovedOutbound (Azure ML adds one for its computes)",
        check=private_link_check("vault", VAULT_PATH, "vaultName"),
        needs_stack=True,
    ),
)
