"""Rules for AKS clusters (Microsoft.ContainerService/managedClusters) that run Azure ML workloads
through the Azure ML extension (Kubernetes compute), and their node pools.

azure-native flattens a cluster's ``properties.*`` to top-level inputs (``disableLocalAccounts``,
``aadProfile.enableAzureRBAC``, ``agentPoolProfiles[].vnetSubnetID``); a separate
``containerservice:AgentPool`` has its pool's properties at top level. Node-pool rules judge both.

Sources were read from the tools themselves: Azure/azure-policy (Kubernetes and Security Center
categories), Azure/PSRule.Rules.Azure (``Azure.AKS.Rule.yaml`` / ``.ps1``) and bridgecrewio/checkov
(``checkov/arm`` and ``checkov/terraform`` AKS checks). Some Checkov ids exist for Terraform only
(CKV_AZURE_115, 116, 117, 143, 170); they are cited for the same setting.

What Azure ML itself needs from the cluster is in the "will it work" rules at the end (Learn
``how-to-deploy-kubernetes-extension.md``, Prerequisites and Limitations).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import (
    ADVISORY_ALL,
    MANDATORY_ALL,
    PROD_ONLY,
    Resource,
    Rule,
    ap,
    ck,
    get,
    is_known,
    learn,
    ps,
)
from .types import AGENT_POOL, MANAGED_CLUSTER

CLUSTER_AND_POOLS = (MANAGED_CLUSTER, AGENT_POOL)
NETWORK_POLICIES = ("azure", "calico", "cilium")
MANAGED_IDENTITIES = ("SystemAssigned", "UserAssigned")
EXTENSION_DOC = "how-to-deploy-kubernetes-extension.md"
NO_LOCAL_ACCOUNTS = (
    f"Azure ML does not support AKS clusters with local accounts disabled (Learn {EXTENSION_DOC}, Limitations)"
)


def _pools(r: Resource) -> list[Mapping[str, Any]]:
    """The node pools ``r`` declares: a cluster's agentPoolProfiles, or an AgentPool itself."""
    if r.type == AGENT_POOL:
        return [r.inputs]
    pools = r.inputs.get("agentPoolProfiles")
    return [p for p in pools if isinstance(p, Mapping)] if isinstance(pools, Sequence) else []


def _pool_name(pool: Mapping[str, Any]) -> str:
    return str(pool.get("name") or pool.get("agentPoolName") or "?")


def _failing_pools(r: Resource, bad: Any, what: str) -> str | None:
    """``what`` for the pools where ``bad(pool)`` holds, or None."""
    names = [_pool_name(p) for p in _pools(r) if bad(p)]
    if names:
        return f"node pool(s) {', '.join(names)}: {what}"
    return None


def _addon_enabled(r: Resource, name: str) -> bool:
    """An addon profile enabled (keys compared case-insensitively: ARM returns ``azurepolicy`` and
    ``omsagent``, the tools look for ``azurePolicy`` and ``omsAgent``)."""
    addons = r.inputs.get("addonProfiles")
    if not isinstance(addons, Mapping):
        return False
    return any(
        str(key).lower() == name.lower() and isinstance(value, Mapping) and value.get("enabled") is True
        for key, value in addons.items()
    )


# -- security ------------------------------------------------------------------------------------


def _entra_rbac(r: Resource, _: Sequence[Resource]) -> str | None:
    if r.inputs.get("enableRBAC") is False:
        return "enableRBAC is false: Kubernetes RBAC is off"
    aad = r.inputs.get("aadProfile")
    if not isinstance(aad, Mapping) or aad.get("managed") is not True:
        return "aadProfile.managed is not true: no AKS-managed Entra ID integration"
    if aad.get("enableAzureRBAC") is not True:
        return "aadProfile.enableAzureRBAC is not true: Kubernetes authorization is not done with Azure RBAC"
    return None


def _local_accounts(r: Resource, _: Sequence[Resource]) -> str | None:
    if r.inputs.get("disableLocalAccounts") is not True:
        return (
            "disableLocalAccounts is not true: the cluster admin credential works without Entra ID "
            f"({NO_LOCAL_ACCOUNTS})"
        )
    return None


def _api_server(r: Resource, _: Sequence[Resource]) -> str | None:
    profile = r.inputs.get("apiServerAccessProfile")
    profile = profile if isinstance(profile, Mapping) else {}
    if profile.get("enablePrivateCluster") is True or profile.get("authorizedIPRanges"):
        return None
    return "the API server is public: neither apiServerAccessProfile.enablePrivateCluster nor authorizedIPRanges is set"


def _network_policy(r: Resource, _: Sequence[Resource]) -> str | None:
    policy = get(r.inputs, "networkProfile.networkPolicy")
    if policy not in NETWORK_POLICIES:
        return f"networkProfile.networkPolicy is {policy!r}: pods can reach every other pod"
    return None


def _defender(r: Resource, _: Sequence[Resource]) -> str | None:
    if get(r.inputs, "securityProfile.defender.securityMonitoring.enabled") is not True:
        return "securityProfile.defender.securityMonitoring.enabled is not true: no Defender profile"
    return None


def _policy_addon(r: Resource, _: Sequence[Resource]) -> str | None:
    if not _addon_enabled(r, "azurepolicy"):
        return "addonProfiles.azurepolicy is not enabled: Azure Policy cannot audit or deny workloads"
    return None


def _auto_upgrade(r: Resource, _: Sequence[Resource]) -> str | None:
    channel = get(r.inputs, "autoUpgradeProfile.upgradeChannel")
    if channel in (None, "none"):
        return f"autoUpgradeProfile.upgradeChannel is {channel!r}: the cluster is never upgraded automatically"
    return None


def _autoscaling(r: Resource, _: Sequence[Resource]) -> str | None:
    # Autoscaling exists for scale-set pools only (PSRule skips the others the same way).
    def fixed(pool: Mapping[str, Any]) -> bool:
        return pool.get("type") in (None, "VirtualMachineScaleSets") and pool.get("enableAutoScaling") is not True

    return _failing_pools(r, fixed, "enableAutoScaling is not true")


def _encryption_at_host(r: Resource, _: Sequence[Resource]) -> str | None:
    return _failing_pools(
        r, lambda p: p.get("enableEncryptionAtHost") is not True, "enableEncryptionAtHost is not true"
    )


def _workload_identity(r: Resource, _: Sequence[Resource]) -> str | None:
    if get(r.inputs, "securityProfile.workloadIdentity.enabled") is not True:
        return "securityProfile.workloadIdentity.enabled is not true"
    if get(r.inputs, "oidcIssuerProfile.enabled") is not True:
        return "oidcIssuerProfile.enabled is not true: workload identity needs the OIDC issuer"
    return None


def _ephemeral_os(r: Resource, _: Sequence[Resource]) -> str | None:
    # Unset is Ephemeral where the size allows it (the provider's docs), as PSRule's default check.
    return _failing_pools(r, lambda p: p.get("osDiskType") not in (None, "Ephemeral"), "osDiskType is not Ephemeral")


def _uptime_sla(r: Resource, _: Sequence[Resource]) -> str | None:
    tier = get(r.inputs, "sku.tier")
    if tier not in ("Standard", "Premium"):
        return f"sku.tier is {tier!r}: the control plane has no uptime SLA (Free tier)"
    return None


def _container_insights(r: Resource, _: Sequence[Resource]) -> str | None:
    if not _addon_enabled(r, "omsagent"):
        return "addonProfiles.omsagent is not enabled: no Container insights logs"
    return None


def _customer_managed_key(r: Resource, _: Sequence[Resource]) -> str | None:
    if not r.inputs.get("diskEncryptionSetID"):
        return "no diskEncryptionSetID: node disks use platform-managed keys"
    return None


def _no_node_public_ip(r: Resource, _: Sequence[Resource]) -> str | None:
    return _failing_pools(r, lambda p: p.get("enableNodePublicIP") is True, "enableNodePublicIP is true")


def _in_subnet(r: Resource, _: Sequence[Resource]) -> str | None:
    return _failing_pools(
        r, lambda p: not p.get("vnetSubnetID"), "no vnetSubnetID: AKS creates a virtual network of its own"
    )


# -- will it work --------------------------------------------------------------------------------


def _extension_identity(r: Resource, _: Sequence[Resource]) -> str | None:
    kind = get(r.inputs, "identity.type")
    if kind not in MANAGED_IDENTITIES:
        return (
            f"identity.type is {kind!r}: Azure ML does not support AKS clusters with a service principal; "
            "the cluster needs a system- or user-assigned managed identity"
        )
    if r.inputs.get("disableLocalAccounts") is True:
        return f"disableLocalAccounts is true: {NO_LOCAL_ACCOUNTS}"
    if get(r.inputs, "podIdentityProfile.enabled") is True:
        return "podIdentityProfile.enabled is true: Azure ML does not support Entra pod-managed identity on AKS"
    return None


MIN_VCPUS = 4
MIN_MEMORY_GB = 14
_DV2 = re.compile(r"^standard_ds?([1-5])_v2$", re.IGNORECASE)
_DV2_SIZES = {1: (1, 3.5), 2: (2, 7.0), 3: (4, 14.0), 4: (8, 28.0), 5: (16, 56.0)}
_DE_MODERN = re.compile(r"^standard_([de])(\d+)a?d?s?_v[3-6]$", re.IGNORECASE)
_FSV2 = re.compile(r"^standard_f(\d+)s_v2$", re.IGNORECASE)
_GB_PER_VCPU = {"d": 4.0, "e": 8.0}


def vm_capacity(size: str) -> tuple[int, float] | None:
    """(vCPUs, memory GB) of sizes whose series have a fixed memory per vCPU: Dv2/DSv2 1-5, D and E
    v3-v6 (with a, d, s only: no l, p or constrained sizes) and Fsv2; None for any other size.
    Figures from the series' size tables (4 GB per vCPU for D, 8 for E, 2 for Fsv2); the largest E
    sizes have a little less than 8 GB per vCPU, which cannot matter against a 14 GB minimum."""
    if match := _DV2.match(size):
        return _DV2_SIZES[int(match.group(1))]
    if match := _DE_MODERN.match(size):
        vcpus = int(match.group(2))
        return vcpus, vcpus * _GB_PER_VCPU[match.group(1).lower()]
    if match := _FSV2.match(size):
        vcpus = int(match.group(1))
        return vcpus, vcpus * 2.0
    return None


def _nodes(pool: Mapping[str, Any]) -> Any:
    """The node count the pool can shrink to: minCount when it autoscales, else count (default 1)."""
    if pool.get("enableAutoScaling") is True and pool.get("minCount") is not None:
        return pool.get("minCount")
    return pool.get("count", 1)


def _cluster_pools(r: Resource, stack: Sequence[Resource]) -> list[Mapping[str, Any]] | None:
    """The cluster's pools with the AgentPool resources of the stack that belong to it; None when
    an AgentPool's cluster is not known yet (it could be this one)."""
    pools = list(_pools(r))
    name, group = r.inputs.get("resourceName"), r.inputs.get("resourceGroupName")
    for other in stack:
        if other.type != AGENT_POOL:
            continue
        theirs = other.inputs.get("resourceName"), other.inputs.get("resourceGroupName")
        if not all(is_known(v) for v in theirs):
            return None
        if theirs == (name, group):
            pools.append(other.inputs)
    return pools


def _extension_capacity(r: Resource, stack: Sequence[Resource]) -> str | None:
    pools = _cluster_pools(r, stack)
    if pools is None:
        return None
    vcpus, memory = 0, 0.0
    # Only Linux nodes run the extension's (Linux) containers.
    for pool in (p for p in pools if p.get("osType") in (None, "Linux")):
        size, count = pool.get("vmSize"), _nodes(pool)
        capacity = vm_capacity(size) if isinstance(size, str) else None
        if capacity is None or not isinstance(count, int):
            return None  # a size or count this rule cannot judge
        vcpus += capacity[0] * count
        memory += capacity[1] * count
    if vcpus < MIN_VCPUS or memory < MIN_MEMORY_GB:
        return (
            f"the cluster's Linux nodes have {vcpus} vCPUs and {memory:g} GB at their minimum node count: the "
            f"Azure ML extension needs at least {MIN_VCPUS} vCPUs and {MIN_MEMORY_GB} GB"
        )
    return None


RULES = (
    Rule(
        id="AKS-001",
        title="AKS uses Entra ID with Azure RBAC for Kubernetes authorization",
        types=(MANAGED_CLUSTER,),
        sources=(
            ap("450d2877"),
            ap("ac4a19c2"),
            ps("Azure.AKS.ManagedAAD"),
            ps("Azure.AKS.AzureRBAC"),
            ps("Azure.AKS.UseRBAC"),
            ck("CKV_AZURE_5"),
        ),
        fix="KubernetesCompute always sets aadProfile {managed: true, enableAzureRBAC: true}; for a cluster of yours "
        "(kubernetesComputes[].clusterId), turn on Entra ID with Azure RBAC there",
        check=_entra_rbac,
    ),
    Rule(
        id="AKS-002",
        title="AKS local accounts are disabled (Azure ML does not support it: advisory)",
        types=(MANAGED_CLUSTER,),
        sources=(ap("993c2fcd"), ps("Azure.AKS.LocalAccounts"), ck("CKV_AZURE_141")),
        fix="kubernetesComputes[].cluster.disableLocalAccounts stays false: keep local accounts while Azure "
        f"ML's extension needs them ({NO_LOCAL_ACCOUNTS}); "
        "lower this rule with a reason in policy",
        check=_local_accounts,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="AKS-003",
        title="AKS API server is private or limited to authorized IP ranges in prod",
        types=(MANAGED_CLUSTER,),
        sources=(
            ap("040732e8"),
            ap("0e246bcf"),
            ps("Azure.AKS.AuthorizedIPs"),
            ck("CKV_AZURE_115"),
            ck("CKV_AZURE_6"),
        ),
        fix="kubernetesComputes[].cluster.privateApiServer: true (the prod default), or "
        "cluster.authorizedIpRanges that include the "
        f"Azure ML control plane ranges of both paired regions (Learn {EXTENSION_DOC}, Limitations)",
        check=_api_server,
        levels=PROD_ONLY,
    ),
    Rule(
        id="AKS-004",
        title="AKS has a network policy",
        types=(MANAGED_CLUSTER,),
        sources=(ps("Azure.AKS.NetworkPolicy"), ck("CKV_AZURE_7")),
        fix="KubernetesCompute sets networkProfile.networkPolicy cilium; kubernetesComputes[].cluster.overrides "
        "for another "
        "(azure, calico or cilium; set at creation)",
        check=_network_policy,
    ),
    Rule(
        id="AKS-005",
        title="AKS has the Defender profile",
        types=(MANAGED_CLUSTER,),
        sources=(ap("a1840de2"), ps("Azure.AKS.DefenderProfile")),
        fix="kubernetesComputes[].cluster.defender: true (the default; needs the workspace's Log Analytics or "
        "cluster.logAnalyticsWorkspaceId): securityProfile.defender {securityMonitoring: {enabled: true}, "
        "logAnalyticsWorkspaceResourceId} (Defender for Containers is billed per vCore)",
        check=_defender,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="AKS-006",
        title="AKS has the Azure Policy add-on",
        types=(MANAGED_CLUSTER,),
        sources=(ap("0a15ec92"), ps("Azure.AKS.AzurePolicyAddOn"), ck("CKV_AZURE_116")),
        fix="kubernetesComputes[].cluster.azurePolicy: true (the default)",
        check=_policy_addon,
    ),
    Rule(
        id="AKS-007",
        title="AKS upgrades automatically",
        types=(MANAGED_CLUSTER,),
        sources=(ap("5c345cdf"), ps("Azure.AKS.AutoUpgrade"), ck("CKV_AZURE_171")),
        fix="kubernetesComputes[].cluster.upgradeChannel: patch (the default) or stable (Azure ML supports "
        "the N-2 AKS versions)",
        check=_auto_upgrade,
    ),
    Rule(
        id="AKS-008",
        title="AKS node pools autoscale",
        types=CLUSTER_AND_POOLS,
        sources=(ps("Azure.AKS.AutoScaling"),),
        fix="KubernetesCompute autoscales every pool: kubernetesComputes[].cluster.systemPool.minNodes and maxNodes",
        check=_autoscaling,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="AKS-009",
        title="AKS node pools encrypt at host",
        types=CLUSTER_AND_POOLS,
        sources=(ap("41425d9f"), ck("CKV_AZURE_227")),
        fix="kubernetesComputes[].cluster.systemPool.encryptionAtHost and userPool.encryptionAtHost: true (needs the "
        "subscription's "
        "Microsoft.Compute/EncryptionAtHost feature and a size that supports it)",
        check=_encryption_at_host,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="AKS-010",
        title="AKS has workload identity",
        types=(MANAGED_CLUSTER,),
        sources=(ap("2cc2e023"),),
        fix="no config key: KubernetesCompute always turns securityProfile.workloadIdentity and oidcIssuerProfile on",
        check=_workload_identity,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="AKS-011",
        title="AKS node pools use ephemeral OS disks",
        types=CLUSTER_AND_POOLS,
        sources=(ps("Azure.AKS.EphemeralOSDisk"), ck("CKV_AZURE_226")),
        fix="kubernetesComputes[].cluster.systemPool.osDiskType and userPool.osDiskType: Ephemeral (on a size with a "
        "large enough cache or temp disk)",
        check=_ephemeral_os,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="AKS-012",
        title="AKS control plane has an uptime SLA in prod",
        types=(MANAGED_CLUSTER,),
        sources=(ps("Azure.AKS.UptimeSLA"), ck("CKV_AZURE_170")),
        fix="kubernetesComputes[].cluster.skuTier: Standard (the prod default; billed per cluster hour)",
        check=_uptime_sla,
        levels=PROD_ONLY,
    ),
    Rule(
        id="AKS-013",
        title="AKS sends Container insights logs",
        types=(MANAGED_CLUSTER,),
        sources=(ps("Azure.AKS.ContainerInsights"), ck("CKV_AZURE_4")),
        fix="kubernetesComputes[].cluster.overrides.addon_profiles: omsagent {enabled: true, config: "
        "{logAnalyticsWorkspaceResourceID}} "
        "(ingestion is billed)",
        check=_container_insights,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="AKS-014",
        title="AKS node disks are encrypted with a customer-managed key",
        types=(MANAGED_CLUSTER,),
        sources=(ap("7d7be79c"), ck("CKV_AZURE_117")),
        fix="kubernetesComputes[].cluster.overrides.disk_encryption_set_id (a disk encryption set with a key "
        "vault key; set at creation)",
        check=_customer_managed_key,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="AKS-015",
        title="AKS nodes have no public IP",
        types=CLUSTER_AND_POOLS,
        sources=(ck("CKV_AZURE_143"),),
        fix="no config key: KubernetesCompute never gives nodes public IPs; on a cluster of yours turn them off there",
        check=_no_node_public_ip,
    ),
    Rule(
        id="AKS-016",
        title="AKS node pools are in the platform's virtual network in prod",
        types=CLUSTER_AND_POOLS,
        sources=(),
        fix="network.kubernetesSubnet (the nodes go there), or kubernetesComputes[].cluster.subnetId",
        check=_in_subnet,
        levels=PROD_ONLY,
    ),
)

WORKS_RULES = (
    Rule(
        id="RUN-009",
        title="An AKS cluster for Azure ML has a managed identity and its local accounts",
        types=(MANAGED_CLUSTER,),
        sources=(learn(f"{EXTENSION_DOC} (Limitations)"),),
        fix="KubernetesCompute gives the cluster a managed identity; for a cluster of yours: a system- or "
        "user-assigned "
        "managed identity (no servicePrincipalProfile), "
        "leave disableLocalAccounts unset and podIdentityProfile off",
        check=_extension_identity,
        levels=dict(MANDATORY_ALL),
        family="works",
    ),
    Rule(
        id="RUN-010",
        title="An AKS cluster for Azure ML has at least 4 vCPUs and 14 GB of Linux nodes",
        types=(MANAGED_CLUSTER,),
        sources=(
            learn(f"{EXTENSION_DOC} (Prerequisites)"),
            learn("reference-kubernetes.md (Recommended resource planning)"),
        ),
        fix="kubernetesComputes[].cluster.systemPool.vmSize and minNodes: e.g. one "
        "Standard_D4s_v5, or two Standard_D2s_v5",
        check=_extension_capacity,
        levels=dict(MANDATORY_ALL),
        needs_stack=True,
        family="works",
    ),
)
