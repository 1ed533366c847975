"""Rules for the workspace's container registry."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import ADVISORY_ALL, Check, Resource, Rule, ap, ck, get, is_known, ps
from .links import REGISTRY_PATH, resource_logs_check
from .private_link import private_link_check
from .types import REGISTRY, REPLICATION


def _admin_user(r: Resource, _: Sequence[Resource]) -> str | None:
    if r.inputs.get("adminUserEnabled") is True:
        return "adminUserEnabled is true: a shared username and password can push and pull"
    return None


def _anonymous_pull(r: Resource, _: Sequence[Resource]) -> str | None:
    # Anonymous pull is a Standard and Premium feature: a Basic registry has none to turn off
    # (Checkov's CKV_AZURE_138 passes Basic registries for the same reason).
    if get(r.inputs, "sku.name") not in ("Standard", "Premium"):
        return None
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


def _customer_managed_key(r: Resource, _: Sequence[Resource]) -> str | None:
    if get(r.inputs, "encryption.status") != "enabled":
        return "no customer-managed key (encryption.status is not 'enabled')"
    return None


def _data_endpoint(r: Resource, _: Sequence[Resource]) -> str | None:
    if r.inputs.get("dataEndpointEnabled") is not True:
        return "no dedicated data endpoint: firewall rules must allow the region's shared *.blob endpoint"
    return None


def _policy_enabled(path: str, what: str) -> Check:
    def check(r: Resource, _: Sequence[Resource]) -> str | None:
        if get(r.inputs, f"policies.{path}.status") != "enabled":
            return f"policies.{path}.status is not 'enabled': {what}"
        return None

    return check


def _geo_replicated(r: Resource, stack: Sequence[Resource]) -> str | None:
    name = r.inputs.get("registryName")
    if not is_known(name):
        return None
    if any(other.type == REPLICATION and other.inputs.get("registryName") == name for other in stack):
        return None
    return "no replication to a second region"


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
    Rule(
        id="CR-009",
        title="Registry is reached through a private endpoint",
        types=(REGISTRY,),
        sources=(ap("e8eef0a8"),),
        fix="network.privateEndpointSubnet (an endpoint in your network), or workspace.isolationMode: "
        "AllowOnlyApprovedOutbound (Azure ML adds one for its computes; both need sku Premium)",
        check=private_link_check("registry", REGISTRY_PATH, "registryName"),
        needs_stack=True,
    ),
    Rule(
        id="CR-010",
        title="Registry audit logs are collected",
        types=(REGISTRY,),
        sources=(ps("Azure.ACR.AuditLogs"),),
        fix="diagnostics.enabled: true (the default when Log Analytics exists)",
        check=resource_logs_check(REGISTRY_PATH, "registryName", "the registry's login and repository events"),
        needs_stack=True,
    ),
    Rule(
        id="CR-011",
        title="Registry is encrypted with a customer-managed key",
        types=(REGISTRY,),
        sources=(ap("5b9159ae"),),
        fix="containerRegistry.overrides.encryption (a key vault key and identity; set at creation only)",
        check=_customer_managed_key,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="CR-012",
        title="Registry has dedicated data endpoints",
        types=(REGISTRY,),
        sources=(ck("CKV_AZURE_237"),),
        fix="containerRegistry.overrides.data_endpoint_enabled: true (Premium)",
        check=_data_endpoint,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="CR-013",
        title="Registry is geo-replicated",
        types=(REGISTRY,),
        sources=(ck("CKV_AZURE_165"),),
        fix="no config key: add a containerregistry.Replication to a second region (Premium; billed per region)",
        check=_geo_replicated,
        levels=ADVISORY_ALL,
        needs_stack=True,
    ),
    Rule(
        id="CR-014",
        title="Registry accepts only signed images (content trust)",
        types=(REGISTRY,),
        sources=(ck("CKV_AZURE_164"),),
        fix="containerRegistry.overrides.policies.trust_policy: {status: enabled} (Premium)",
        check=_policy_enabled("trustPolicy", "unsigned images can be pulled"),
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="CR-015",
        title="Registry quarantines images until scanned",
        types=(REGISTRY,),
        sources=(ck("CKV_AZURE_166"),),
        fix="containerRegistry.overrides.policies.quarantine_policy: {status: enabled} (Premium; needs a scanner)",
        check=_policy_enabled("quarantinePolicy", "images are pullable before any scan"),
        levels=ADVISORY_ALL,
    ),
)
