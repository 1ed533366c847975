"""Rules for the workspace's container registry."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import ADVISORY_ALL, Resource, Rule, ap, ck, get, ps
from .types import REGISTRY


def _admin_user(r: Resource, _: Sequence[Resource]) -> str | None:
    if r.inputs.get("adminUserEnabled") is True:
        return "adminUserEnabled is true: a shared username and password can push and pull"
    return None


def _anonymous_pull(r: Resource, _: Sequence[Resource]) -> str | None:
    if r.inputs.get("anonymousPullEnabled") is True:
        return "anonymousPullEnabled is true: anyone can pull images"
    return None


def _public_access(r: Resource, _: Sequence[Resource]) -> str | None:
    access = r.inputs.get("publicNetworkAccess")
    if access != "Disabled":
        return f"publicNetworkAccess is {access!r}"
    return None


def _firewall(r: Resource, _: Sequence[Resource]) -> str | None:
    if r.inputs.get("publicNetworkAccess") == "Disabled":
        return None
    action = get(r.inputs, "networkRuleSet.defaultAction")
    if action != "Deny":
        return f"public network access on and networkRuleSet.defaultAction is {action!r}, not 'Deny'"
    return None


def _premium(r: Resource, _: Sequence[Resource]) -> str | None:
    sku = get(r.inputs, "sku.name")
    if sku != "Premium":
        return f"sku {sku!r}: private endpoints, retention and zone redundancy need Premium"
    return None


def _export_policy(r: Resource, _: Sequence[Resource]) -> str | None:
    status = get(r.inputs, "policies.exportPolicy.status")
    if status != "disabled":
        return "policies.exportPolicy.status is not 'disabled': images can be exported out of the registry"
    return None


def _zone_redundancy(r: Resource, _: Sequence[Resource]) -> str | None:
    if r.inputs.get("zoneRedundancy") != "Enabled":
        return "zoneRedundancy is not Enabled"
    return None


def _retention(r: Resource, _: Sequence[Resource]) -> str | None:
    if get(r.inputs, "policies.retentionPolicy.status") != "enabled":
        return "no retention policy for untagged manifests"
    return None


RULES = (
    Rule(
        id="CR-001",
        title="Registry admin user is disabled",
        types=(REGISTRY,),
        sources=(ap("dc921057"), ps("Azure.ACR.AdminUser"), ck("CKV_AZURE_137")),
        fix="containerRegistry.overrides: do not set admin_user_enabled true",
        check=_admin_user,
    ),
    Rule(
        id="CR-002",
        title="Registry allows no anonymous pull",
        types=(REGISTRY,),
        sources=(ap("9f2dea28"), ps("Azure.ACR.AnonymousAccess"), ck("CKV_AZURE_138")),
        fix="containerRegistry.overrides: do not set anonymous_pull_enabled true",
        check=_anonymous_pull,
    ),
    Rule(
        id="CR-003",
        title="Registry public network access is disabled",
        types=(REGISTRY,),
        sources=(ap("0fdf0491"), ck("CKV_AZURE_139")),
        fix="containerRegistry.publicNetworkAccess: Disabled (needs sku Premium)",
        check=_public_access,
    ),
    Rule(
        id="CR-004",
        title="Registry firewall denies by default",
        types=(REGISTRY,),
        sources=(ap("d0793b48"), ps("Azure.ACR.Firewall")),
        fix="containerRegistry.publicNetworkAccess: Disabled, or overrides.network_rule_set with default_action Deny",
        check=_firewall,
    ),
    Rule(
        id="CR-005",
        title="Registry uses the Premium SKU",
        types=(REGISTRY,),
        sources=(ps("Azure.ACR.MinSku"),),
        fix="containerRegistry.sku: Premium (staging and prod profiles)",
        check=_premium,
    ),
    Rule(
        id="CR-006",
        title="Registry export is disabled",
        types=(REGISTRY,),
        sources=(ps("Azure.ACR.ExportPolicy"),),
        fix="containerRegistry.overrides.policies.export_policy.status: disabled (Premium, public access off)",
        check=_export_policy,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="CR-007",
        title="Registry is zone-redundant",
        types=(REGISTRY,),
        sources=(ck("CKV_AZURE_233"),),
        fix="containerRegistry.overrides.zone_redundancy: Enabled (set at creation: replaces the registry)",
        check=_zone_redundancy,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="CR-008",
        title="Registry purges untagged manifests",
        types=(REGISTRY,),
        sources=(ck("CKV_AZURE_167"),),
        fix="containerRegistry.overrides.policies.retention_policy: {status: enabled, days: 7}",
        check=_retention,
        levels=ADVISORY_ALL,
    ),
)
