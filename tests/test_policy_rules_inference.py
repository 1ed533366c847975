"""Policy rules for the inference resources (AKS, online endpoints, Azure ML registries, workspace
connections): each on a resource that passes and one that fails, with the failure's text.

No stack config builds these resources yet, so these cases are their only coverage;
tests/test_policy_rules.py runs its generic checks (sources, levels, fix keys) over them too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from pulumi_azureml.policy import BY_ID, RULES, Level, Resource, Rule
from pulumi_azureml.policy.rules import connection, endpoint, kubernetes, ml_registry
from pulumi_azureml.policy.rules import types as t

INFERENCE_TYPES = frozenset({t.MANAGED_CLUSTER, t.AGENT_POOL, t.ONLINE_ENDPOINT, t.ML_REGISTRY, t.WORKSPACE_CONNECTION})
"""Resource types no stack config builds yet (issues 14/15)."""
INFERENCE_RULES: tuple[Rule, ...] = (
    *kubernetes.RULES,
    *kubernetes.WORKS_RULES,
    *endpoint.RULES,
    *endpoint.WORKS_RULES,
    *ml_registry.RULES,
    *connection.RULES,
)


def res(type_: str, inputs: Mapping[str, Any], name: str = "r") -> Resource:
    return Resource(type=type_, name=name, inputs=inputs, urn=f"urn:pulumi:s::p::{type_}::{name}")


def pool(**inputs: Any) -> dict[str, Any]:
    return {"name": "system", "mode": "System", "vmSize": "Standard_D4s_v5", "count": 1, **inputs}


def aks(*pools: Mapping[str, Any], **inputs: Any) -> Resource:
    base: dict[str, Any] = {"resourceName": "aks-a", "resourceGroupName": "rg", "identity": {"type": "SystemAssigned"}}
    return res(t.MANAGED_CLUSTER, {**base, "agentPoolProfiles": list(pools) or [pool()], **inputs})


def agent_pool(cluster: str = "aks-a", **inputs: Any) -> Resource:
    placed = {"resourceName": cluster, "resourceGroupName": "rg", "agentPoolName": "user"}
    return res(t.AGENT_POOL, {**placed, "vmSize": "Standard_D4s_v5", "count": 1, **inputs}, name=f"pool-{cluster}")


def online(**props: Any) -> Resource:
    identity = props.pop("identity", {"type": "SystemAssigned"})
    return res(t.ONLINE_ENDPOINT, {"workspaceName": "mlw-a", "identity": identity, "properties": props})


def connection_of(auth: str, **props: Any) -> Resource:
    return res(t.WORKSPACE_CONNECTION, {"workspaceName": "mlw-a", "properties": {"authType": auth, **props}})


Case = tuple[Resource, Resource, list[Resource], str]
"""(passing resource, failing resource, the rest of the stack, text of the failure)."""

KUBERNETES = "/providers/Microsoft.MachineLearningServices/workspaces/mlw-a/computes/k8s"
CASES: dict[str, Case] = {
    "AKS-001": (
        aks(aadProfile={"managed": True, "enableAzureRBAC": True}),
        aks(aadProfile={"managed": True}),
        [],
        "aadProfile.enableAzureRBAC is not true",
    ),
    "AKS-002": (aks(disableLocalAccounts=True), aks(), [], "Azure ML does not support AKS clusters with local"),
    "AKS-003": (
        aks(apiServerAccessProfile={"enablePrivateCluster": True}),
        aks(apiServerAccessProfile={"authorizedIPRanges": []}),
        [],
        "the API server is public",
    ),
    "AKS-004": (
        aks(networkProfile={"networkPlugin": "azure", "networkPolicy": "calico"}),
        aks(networkProfile={"networkPlugin": "azure", "networkPolicy": "none"}),
        [],
        "networkProfile.networkPolicy is 'none'",
    ),
    "AKS-005": (
        aks(securityProfile={"defender": {"securityMonitoring": {"enabled": True}}}),
        aks(securityProfile={}),
        [],
        "no Defender profile",
    ),
    "AKS-006": (
        aks(addonProfiles={"azurepolicy": {"enabled": True}}),
        aks(addonProfiles={"azurepolicy": {"enabled": False}}),
        [],
        "addonProfiles.azurepolicy is not enabled",
    ),
    "AKS-007": (
        aks(autoUpgradeProfile={"upgradeChannel": "patch"}),
        aks(autoUpgradeProfile={"upgradeChannel": "none"}),
        [],
        "upgradeChannel is 'none'",
    ),
    "AKS-008": (
        aks(pool(enableAutoScaling=True, minCount=1, maxCount=3)),
        agent_pool(enableAutoScaling=False),
        [],
        "node pool(s) user: enableAutoScaling is not true",
    ),
    "AKS-009": (
        agent_pool(enableEncryptionAtHost=True),
        aks(pool(enableEncryptionAtHost=True), pool(name="gpu")),
        [],
        "node pool(s) gpu: enableEncryptionAtHost is not true",
    ),
    "AKS-010": (
        aks(securityProfile={"workloadIdentity": {"enabled": True}}, oidcIssuerProfile={"enabled": True}),
        aks(securityProfile={"workloadIdentity": {"enabled": True}}),
        [],
        "workload identity needs the OIDC issuer",
    ),
    "AKS-011": (
        aks(pool(), pool(name="user", osDiskType="Ephemeral")),
        agent_pool(osDiskType="Managed"),
        [],
        "osDiskType is not Ephemeral",
    ),
    "AKS-012": (
        aks(sku={"name": "Base", "tier": "Standard"}),
        aks(sku={"name": "Base", "tier": "Free"}),
        [],
        "no uptime",
    ),
    "AKS-013": (
        aks(addonProfiles={"omsAgent": {"enabled": True}}),
        aks(addonProfiles={"azurepolicy": {"enabled": True}}),
        [],
        "no Container insights",
    ),
    "AKS-014": (aks(diskEncryptionSetID="/des"), aks(), [], "no diskEncryptionSetID"),
    "AKS-015": (aks(pool(enableNodePublicIP=False)), agent_pool(enableNodePublicIP=True), [], "enableNodePublicIP"),
    "AKS-016": (
        aks(pool(vnetSubnetID="/subnets/aks")),
        aks(pool(vnetSubnetID="/subnets/aks"), pool(name="user")),
        [],
        "node pool(s) user: no vnetSubnetID",
    ),
    "RUN-009": (
        aks(identity={"type": "UserAssigned", "userAssignedIdentities": ["/uami"]}),
        aks(identity=None, servicePrincipalProfile={"clientId": "c"}),
        [],
        "does not support AKS clusters with a service principal",
    ),
    "RUN-010": (
        aks(pool(vmSize="Standard_D2s_v5", count=1), resourceName="aks-a"),
        aks(pool(vmSize="Standard_D2s_v5", enableAutoScaling=True, minCount=1, maxCount=5), resourceName="aks-b"),
        [agent_pool("aks-a", vmSize="Standard_D2s_v5")],
        "have 2 vCPUs and 8 GB at their minimum node count",
    ),
    "MLE-001": (
        online(publicNetworkAccess="Disabled", authMode="AADToken"),
        online(publicNetworkAccess="Enabled", authMode="AADToken"),
        [],
        "properties.publicNetworkAccess is 'Enabled'",
    ),
    "MLE-002": (online(authMode="AADToken"), online(authMode="Key"), [], "static keys that never expire"),
    "MLE-003": (online(authMode="AADToken"), online(authMode="AADToken", identity={"type": "None"}), [], "no managed"),
    "RUN-011": (
        online(authMode="AMLToken", compute=KUBERNETES),
        online(authMode="AADToken", compute=KUBERNETES),
        [],
        "Microsoft Entra token auth is for managed online endpoints only",
    ),
    "MLR-001": (
        res(t.ML_REGISTRY, {"registryName": "mlr-a", "publicNetworkAccess": "Disabled"}),
        res(t.ML_REGISTRY, {"registryName": "mlr-a", "publicNetworkAccess": "Enabled"}),
        [],
        "publicNetworkAccess is 'Enabled'",
    ),
    "CON-001": (connection_of("ManagedIdentity"), connection_of("ApiKey"), [], "'ApiKey': a stored credential"),
    "CON-002": (
        connection_of("AAD", isSharedToAll=False),
        connection_of("AAD", isSharedToAll=True),
        [],
        "every user of the workspace",
    ),
}


def test_every_inference_rule_is_in_the_catalog_once_with_a_case() -> None:
    ids = [rule.id for rule in INFERENCE_RULES]
    assert len(ids) == len(set(ids))
    assert set(ids) <= set(BY_ID) and all(BY_ID[i] is rule for i, rule in zip(ids, INFERENCE_RULES, strict=True))
    assert [r.id for r in RULES].count("RUN-009") == 1
    assert set(CASES) == set(ids)
    # The rules of this file are exactly the catalog's rules for the types no stack builds yet.
    assert {rule.id for rule in RULES if set(rule.types) <= INFERENCE_TYPES} == set(ids)


@pytest.mark.parametrize("rule", INFERENCE_RULES, ids=lambda r: r.id)
def test_rule_passes_and_fails_with_its_text(rule: Rule) -> None:
    passing, failing, others, text = CASES[rule.id]
    assert rule.applies_to(passing) and rule.applies_to(failing)
    stack = [passing, failing, *others]
    assert rule.check(passing, stack) is None
    assert text in (rule.check(failing, stack) or "")


@pytest.mark.parametrize("rule", INFERENCE_RULES, ids=lambda r: r.id)
def test_rule_has_sources_of_its_family(rule: Rule) -> None:
    project_rules = {"AKS-016", "MLE-001", "MLE-002", "MLE-003", "MLR-001", "CON-001", "CON-002"}
    if rule.id in project_rules:
        assert rule.sources == ()  # no tool has a rule for it: the README table says "ours"
        return
    tools = {"Azure Policy", "PSRule", "Checkov"} if rule.family == "security" else {"Microsoft Learn"}
    assert rule.sources and {s.tool for s in rule.sources} <= tools


def test_levels_follow_the_brief() -> None:
    prod_only = {"AKS-003", "AKS-012", "AKS-016", "MLE-001", "MLR-001"}
    advisory = {"AKS-002", "AKS-005", "AKS-008", "AKS-009", "AKS-010", "AKS-011", "AKS-013", "AKS-014"}
    advisory |= {"MLE-002", "CON-001", "CON-002"}
    for rule in INFERENCE_RULES:
        levels = [rule.level_for(env) for env in ("dev", "staging", "prod")]
        if rule.family == "works":
            assert levels == [Level.MANDATORY] * 3
        elif rule.id in prod_only:
            assert levels == [Level.ADVISORY, Level.ADVISORY, Level.MANDATORY], rule.id
        elif rule.id in advisory:
            assert levels == [Level.ADVISORY] * 3, rule.id
        else:
            assert levels == [Level.ADVISORY, Level.MANDATORY, Level.MANDATORY], rule.id


def test_local_accounts_advisory_names_the_azure_ml_limitation() -> None:
    rule = BY_ID["AKS-002"]
    assert "how-to-deploy-kubernetes-extension.md" in rule.fix and "does not support" in rule.fix
    assert "Azure ML does not support it" in rule.title
    # The "will it work" rule refuses what the advisory asks for.
    off = aks(disableLocalAccounts=True)
    assert rule.check(off, [off]) is None
    assert "local accounts disabled" in (BY_ID["RUN-009"].check(off, [off]) or "")
    pods = aks(podIdentityProfile={"enabled": True})
    assert "pod-managed identity" in (BY_ID["RUN-009"].check(pods, [pods]) or "")


def test_authorized_ip_ranges_pass_the_api_server_rule() -> None:
    ranges = aks(apiServerAccessProfile={"authorizedIPRanges": ["203.0.113.0/24"]})
    assert BY_ID["AKS-003"].check(ranges, [ranges]) is None


def test_node_pool_rules_judge_agent_pool_resources_and_skip_what_they_cannot() -> None:
    assert BY_ID["AKS-008"].check(agent_pool(type="AvailabilitySet"), []) is None  # no autoscaler there
    assert BY_ID["AKS-011"].check(aks(), []) is None  # unset is Ephemeral where the size allows it
    assert BY_ID["AKS-004"].check(aks(networkProfile={"networkPolicy": "cilium"}), []) is None


@pytest.mark.parametrize(
    ("size", "capacity"),
    [
        ("Standard_DS2_v2", (2, 7.0)),
        ("Standard_D3_v2", (4, 14.0)),
        ("Standard_D4s_v5", (4, 16.0)),
        ("standard_d8ads_v5", (8, 32.0)),
        ("Standard_E2s_v5", (2, 16.0)),
        ("Standard_F4s_v2", (4, 8.0)),
        ("Standard_D11_v2", None),  # memory-optimized v2: not the D1-D5 ratio
        ("Standard_D4ls_v5", None),  # low memory
        ("Standard_E16-4s_v5", None),  # constrained vCPUs
        ("Standard_B2s", None),
    ],
)
def test_vm_capacity_knows_only_fixed_ratio_series(size: str, capacity: tuple[int, float] | None) -> None:
    assert kubernetes.vm_capacity(size) == capacity


def test_capacity_rule_counts_pools_and_skips_what_it_cannot_judge() -> None:
    rule = BY_ID["RUN-010"]
    memory_short = aks(pool(vmSize="Standard_F4s_v2"))
    assert "4 vCPUs and 8 GB" in (rule.check(memory_short, [memory_short]) or "")
    windows = aks(pool(vmSize="Standard_D2s_v5"), pool(name="win", osType="Windows", vmSize="Standard_D16s_v5"))
    assert "2 vCPUs" in (rule.check(windows, [windows]) or "")  # Windows nodes cannot run the extension
    unknown = aks(pool(vmSize="Standard_B2s"))
    assert rule.check(unknown, [unknown]) is None
    pending = agent_pool("[unknown]")
    small = aks(pool(vmSize="Standard_D2s_v5"))
    assert rule.check(small, [small, pending]) is None  # that pool could be this cluster's


def test_endpoint_rules_tell_managed_from_kubernetes_endpoints() -> None:
    kube = online(authMode="AMLToken", compute=KUBERNETES, publicNetworkAccess="Enabled")
    assert BY_ID["MLE-001"].check(kube, [kube]) is None  # judged for managed endpoints only
    assert BY_ID["MLE-002"].check(kube, [kube]) is None  # AADToken is not available there
    managed = online(authMode="AMLToken")
    assert "prefer AADToken" in (BY_ID["MLE-002"].check(managed, [managed]) or "")
    assert BY_ID["RUN-011"].check(online(authMode="AADToken"), []) is None


@pytest.mark.parametrize("auth", connection.CREDENTIAL_AUTH)
def test_every_credential_auth_type_is_flagged(auth: str) -> None:
    assert BY_ID["CON-001"].check(connection_of(auth), []) is not None


@pytest.mark.parametrize("auth", ["AAD", "ManagedIdentity", "None"])
def test_identity_and_anonymous_connections_pass(auth: str) -> None:
    assert BY_ID["CON-001"].check(connection_of(auth), []) is None
