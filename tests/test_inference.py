"""Kubernetes compute (AKS + Azure ML extension + attach) and online endpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pulumi
import pytest

from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.core.rolenames import BuiltInRole
from pulumi_azureml.inference import KubernetesCompute, OnlineEndpoint, extension_settings
from pulumi_azureml.inference.args import KubernetesComputeSettings
from pulumi_azureml.plan import Plan, PlannedResource, run_plan, run_program
from pulumi_azureml.stack.config import parse_stack_config
from pulumi_azureml.workspace import MachineLearningWorkspace

ROOT = Path(__file__).resolve().parents[1]
AKS = "azure-native:containerservice:ManagedCluster"
EXT = "azure-native:kubernetesconfiguration:Extension"
NS = "azure-native:containerservice:ManagedNamespace"
TRUST = "azure-native:containerservice:TrustedAccessRoleBinding"
COMPUTE = "azure-native:machinelearningservices:Compute"
ENDPOINT = "azure-native:machinelearningservices:OnlineEndpoint"
RA = "azure-native:authorization:RoleAssignment"
SUB = "00000000-0000-0000-0000-000000000001"
EXISTING_AKS = f"/subscriptions/{SUB}/resourceGroups/rg-k8s/providers/Microsoft.ContainerService/managedClusters/aks-x"
EXISTING_ARC = f"/subscriptions/{SUB}/resourceGroups/rg-arc/providers/Microsoft.Kubernetes/connectedClusters/arc-x"
TLS = {"tls": {"cname": "score.churn.example.com", "secret_name": "azureml-fe-tls"}}
NETWORK = {
    "address_space": ["10.40.0.0/16"],
    "private_endpoint_subnet": {"address_prefix": "10.40.1.0/24"},
    "kubernetes_subnet": {"address_prefix": "10.40.4.0/22"},
}


def workspace(**extra: Any) -> MachineLearningWorkspace:
    return MachineLearningWorkspace(
        "platform", {"workload": "churn", "environment": "prod", "location": "westeurope", **extra}
    )


def plan_compute(ws_args: dict[str, Any] | None = None, **args: Any) -> Plan:
    def program() -> None:
        ws = workspace(**(ws_args or {}))
        KubernetesCompute("inf", {"compute_name": "aks-inference", "extension": TLS, **args}, workspace=ws)

    return run_program(program)


def one(plan: Plan, type_token: str) -> PlannedResource:
    (found,) = [r for r in plan.by_type(type_token) if "KubernetesCompute" in r.urn or "OnlineEndpoint" in r.urn]
    return found


def grants_of(plan: Plan, component: str) -> dict[str, str]:
    """Role definition GUID by Pulumi name of the role assignments under a component."""
    return {
        r.name: str(r.inputs["roleDefinitionId"]).rsplit("/", 1)[-1]
        for r in plan.by_type(RA)
        if f"index:{component}$" in r.urn
    }


# -- the cluster ------------------------------------------------------------------------------


def test_created_cluster_is_entra_rbac_private_autoscaling_and_watched() -> None:
    plan = plan_compute()
    aks = one(plan, AKS).inputs
    assert aks["resourceName"] == "aks-churn-prod-we-aks-inference"
    assert aks["aadProfile"]["managed"] is True and aks["aadProfile"]["enableAzureRBAC"] is True
    # Azure ML refuses clusters with local accounts disabled (how-to-deploy-kubernetes-extension).
    assert aks["disableLocalAccounts"] is False
    assert aks["apiServerAccessProfile"]["enablePrivateCluster"] is True
    assert aks["sku"] == {"name": "Base", "tier": "Standard"}
    pools = {p["name"]: p for p in aks["agentPoolProfiles"]}
    assert pools["system"]["mode"] == "System" and pools["user"]["mode"] == "User"
    assert (pools["system"]["minCount"], pools["system"]["maxCount"]) == (3, 5)
    assert (pools["user"]["minCount"], pools["user"]["maxCount"]) == (0, 3)
    assert all(p["enableAutoScaling"] is True and p["enableNodePublicIP"] is False for p in pools.values())
    # Untainted: the extension's router and agents run there (they document no toleration).
    assert "nodeTaints" not in pools["system"]
    # Private, and without the public FQDN AKS adds by default (Azure ML does not support it).
    assert aks["apiServerAccessProfile"]["enablePrivateClusterPublicFQDN"] is False
    assert aks["oidcIssuerProfile"] == {"enabled": True}
    security = aks["securityProfile"]
    assert security["workloadIdentity"] == {"enabled": True}
    assert security["defender"]["securityMonitoring"] == {"enabled": True}
    assert "/Microsoft.OperationalInsights/workspaces/" in security["defender"]["logAnalyticsWorkspaceResourceId"]
    assert aks["addonProfiles"]["azurepolicy"] == {"enabled": True}
    assert aks["networkProfile"]["networkPolicy"] == "cilium"
    assert aks["identity"] == {"type": "SystemAssigned"}
    assert any("keeps 3 node(s) running" in w for w in plan.warnings)
    assert plan.summary()["alwaysOnNodes"] == 3


def test_cluster_in_the_platform_subnet_gets_an_identity_with_network_contributor_first() -> None:
    plan = plan_compute({"network": NETWORK})
    aks = one(plan, AKS)
    (subnet,) = [r for r in plan.by_type("azure-native:network:Subnet") if r.name == "platform-snet-aks"]
    assert {p["vnetSubnetID"] for p in aks.inputs["agentPoolProfiles"]} == {
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-churn-prod-we/providers/"
        "Microsoft.Network/virtualNetworks/vnet-churn-prod-we/subnets/snet-aks"
    }
    assert aks.inputs["identity"]["type"] == "UserAssigned"
    grant = next(r for r in plan.by_type(RA) if r.name == "inf-ra-aks-subnet-network-contributor")
    assert str(grant.inputs["roleDefinitionId"]).endswith(BuiltInRole.NETWORK_CONTRIBUTOR.value)
    assert grant.urn in aks.dependencies
    assert (
        subnet.urn in plan.by_type(RA)[0].dependencies
        or grant.inputs["scope"] == aks.inputs["agentPoolProfiles"][0]["vnetSubnetID"]
    )


def test_local_accounts_off_is_refused_with_the_reason() -> None:
    with pytest.raises(ConfigError) as err:
        plan_compute(cluster={"disable_local_accounts": True})
    assert "KubernetesCompute('inf').cluster.disable_local_accounts=True" in str(err.value)
    assert "Azure ML does not support" in str(err.value)


def test_router_high_availability_needs_three_nodes() -> None:
    with pytest.raises(ConfigError, match=r"router_high_availability=True: needs at least 3 worker nodes"):
        plan_compute(cluster={"system_pool": {"min_nodes": 1}})
    # Without HA one node is enough.
    plan = plan_compute(
        cluster={"system_pool": {"min_nodes": 1}},
        extension={**TLS, "router_high_availability": False, "cluster_purpose": "DevTest"},
    )
    assert extension_of(plan)["inferenceRouterHA"] == "False"


def test_private_api_server_gets_the_trusted_access_binding_and_a_public_one_does_not() -> None:
    plan = plan_compute()
    binding = one(plan, TRUST).inputs
    assert binding["roles"] == ["Microsoft.MachineLearningServices/workspaces/mlworkload"]
    assert binding["sourceResourceId"].endswith("/workspaces/mlw-churn-prod-we")
    public = plan_compute(cluster={"private_api_server": False})
    assert [r for r in public.by_type(TRUST)] == []


# -- the extension and namespace -----------------------------------------------------------------


def extension_of(plan: Plan) -> dict[str, str]:
    return dict(one(plan, EXT).inputs["configurationSettings"])


def test_extension_serves_https_on_an_internal_load_balancer_by_default() -> None:
    plan = plan_compute()
    ext = one(plan, EXT).inputs
    assert ext["extensionType"] == "Microsoft.AzureML.Kubernetes"
    assert ext["clusterRp"] == "Microsoft.ContainerService" and ext["clusterResourceName"] == "managedClusters"
    assert ext["scope"] == {"cluster": {"releaseNamespace": "azureml"}}
    settings = ext["configurationSettings"]
    assert settings["enableInference"] == "True" and settings["enableTraining"] == "False"
    assert settings["allowInsecureConnections"] == "False"
    assert settings["inferenceRouterServiceType"] == "LoadBalancer"
    assert settings["internalLoadBalancerProvider"] == "azure"
    assert settings["scoringFe.serviceType.internalLoadBalancer"] == "true"
    assert (settings["sslCname"], settings["sslSecret"]) == ("score.churn.example.com", "azureml-fe-tls")
    assert settings["clusterId"].endswith("/managedClusters/aks-churn-prod-we-aks-inference")
    assert settings["relayserver.enabled"] == "false" and settings["servicebus.enabled"] == "false"
    assert settings["domain"] == "westeurope.cloudapp.azure.com"
    assert one(plan, AKS).urn in one(plan, EXT).dependencies


def test_inference_without_tls_or_insecure_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"extension\.tls=None: is required for inference"):
        plan_compute(extension={})


def test_pem_certificates_go_as_protected_settings_and_stay_secret() -> None:
    def program() -> None:
        tls = {
            "cname": "score.example.com",
            "certificate_pem": pulumi.Output.secret("-----BEGIN CERTIFICATE-----"),
            "key_pem": pulumi.Output.secret("-----BEGIN PRIVATE KEY-----"),
        }
        KubernetesCompute("inf", {"compute_name": "aks-inference", "extension": {"tls": tls}}, workspace=workspace())

    plan = run_program(program)
    ext = one(plan, EXT).inputs
    assert ext["configurationProtectedSettings"] == {"scoringFe.sslCert": "[secret]", "scoringFe.sslKey": "[secret]"}
    assert "sslSecret" not in ext["configurationSettings"]


def test_pem_needs_both_halves() -> None:
    def program() -> None:
        tls = {"cname": "score.example.com", "certificate_pem": pulumi.Output.secret("x")}
        KubernetesCompute("inf", {"compute_name": "aks-inference", "extension": {"tls": tls}}, workspace=workspace())

    with pytest.raises(ConfigError, match=r"tls.key_pem=None: both PEM values are needed"):
        run_program(program)


def test_plain_text_pem_is_refused_without_showing_it() -> None:
    with pytest.raises(ConfigError) as err:
        plan_compute(extension={"tls": {"cname": "s.example.com", "certificate_pem": "PEMTEXT", "key_pem": "K"}})
    assert "must be a Pulumi secret" in str(err.value) and "PEMTEXT" not in str(err.value)


def test_namespace_is_created_as_a_managed_namespace_unless_default() -> None:
    plan = plan_compute()
    ns = one(plan, NS).inputs
    assert ns["managedNamespaceName"] == "azureml-workloads"
    assert ns["properties"]["deletePolicy"] == "Keep"
    compute = one(plan, COMPUTE)
    assert one(plan, NS).urn in compute.dependencies and one(plan, EXT).urn in compute.dependencies
    assert plan_compute(namespace="default").by_type(NS) == []
    # A managed namespace admits only its own namespace by default: the router calls in from azureml.
    assert ns["properties"]["defaultNetworkPolicy"] == {"ingress": "AllowAll", "egress": "AllowAll"}


def test_system_pool_taint_only_when_asked_and_public_api_server_keeps_its_fqdn_default() -> None:
    tainted = one(plan_compute(cluster={"dedicated_system_pool": True}), AKS).inputs
    pools = {p["name"]: p for p in tainted["agentPoolProfiles"]}
    assert pools["system"]["nodeTaints"] == ["CriticalAddonsOnly=true:NoSchedule"]
    assert "nodeTaints" not in pools["user"]
    public = one(plan_compute(cluster={"private_api_server": False}), AKS).inputs
    assert "enablePrivateClusterPublicFQDN" not in public["apiServerAccessProfile"]


def test_default_instance_type_fits_an_mlflow_model_and_limits_cover_requests() -> None:
    types = one(plan_compute(), COMPUTE).inputs["properties"]["properties"]["instanceTypes"]
    # how-to-manage-kubernetes-instance-types.md: MLflow deployments need at least 2 CPU and 4 GB.
    assert types["defaultinstancetype"]["resources"]["requests"] == {"cpu": "2", "memory": "4Gi"}
    assert types["defaultinstancetype"]["resources"]["limits"] == {"cpu": "2", "memory": "4Gi"}
    roomy = {"big": {"cpu": "500m", "memory": "512Mi", "cpu_limit": "1", "memory_limit": "1Gi"}}
    limits = one(plan_compute(instance_types=roomy), COMPUTE).inputs["properties"]["properties"]["instanceTypes"]
    assert limits["big"]["resources"]["limits"] == {"cpu": "1", "memory": "1Gi"}
    with pytest.raises(ConfigError) as err:
        plan_compute(instance_types={"small": {"cpu": "2", "cpu_limit": "1500m"}})
    assert "instance_types.small.cpu_limit='1500m'" in str(err.value) and "below the cpu request (2)" in str(err.value)
    with pytest.raises(ConfigError, match=r"memory_limit='3Gi'.*below the memory request \(4Gi\)"):
        plan_compute(instance_types={"small": {"memory_limit": "3Gi"}})


# -- the attach ----------------------------------------------------------------------------------


def test_compute_attaches_the_cluster_with_instance_types_and_grants_its_identity() -> None:
    plan = plan_compute(
        instance_types={"cpu-small": {"cpu": "500m", "memory": "2Gi"}, "gpu": {"gpu": 1, "node_selector": {"a": "b"}}},
        default_instance_type="cpu-small",
    )
    props = one(plan, COMPUTE).inputs["properties"]
    assert props["computeType"] == "Kubernetes" and props["disableLocalAuth"] is True
    assert props["resourceId"].endswith("/managedClusters/aks-churn-prod-we-aks-inference")
    inner = props["properties"]
    assert inner["namespace"] == "azureml-workloads" and inner["defaultInstanceType"] == "cpu-small"
    assert inner["instanceTypes"]["gpu"]["resources"]["limits"]["nvidia.com/gpu"] == "1"
    assert inner["instanceTypes"]["cpu-small"]["resources"]["requests"] == {"cpu": "500m", "memory": "2Gi"}
    assert one(plan, COMPUTE).inputs["identity"] == {"type": "SystemAssigned"}
    roles = grants_of(plan, "KubernetesCompute")
    assert roles["inf-ra-compute-acr-acr-pull"] == BuiltInRole.ACR_PULL.value
    assert roles["inf-ra-compute-storage-storage-blob-data-reader"] == BuiltInRole.STORAGE_BLOB_DATA_READER.value


def test_hbi_workspace_gives_the_compute_identity_what_learn_asks() -> None:
    roles = grants_of(plan_compute({"workspace": {"hbi_workspace": True}}), "KubernetesCompute")
    # how-to-secure-kubernetes-inferencing-environment.md: both roles for an AKS compute of an HBI workspace.
    assert roles["inf-ra-compute-storage-storage-blob-data-contributor"] == (
        BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR.value
    )
    assert roles["inf-ra-compute-storage-storage-account-contributor"] == BuiltInRole.STORAGE_ACCOUNT_CONTRIBUTOR.value
    assert "inf-ra-compute-storage-storage-account-contributor" not in grants_of(plan_compute(), "KubernetesCompute")


def test_training_gets_write_access_instead_of_read() -> None:
    plan = plan_compute(extension={**TLS, "enable_training": True})
    roles = grants_of(plan, "KubernetesCompute")
    assert "inf-ra-compute-storage-storage-blob-data-contributor" in roles
    assert extension_of(plan)["enableTraining"] == "True"


def test_existing_aks_is_attached_without_a_cluster() -> None:
    plan = plan_compute(cluster_id=EXISTING_AKS)
    assert [r for r in plan.by_type(AKS)] == []
    ext = one(plan, EXT).inputs
    assert (ext["resourceGroupName"], ext["clusterName"]) == ("rg-k8s", "aks-x")
    assert one(plan, COMPUTE).inputs["properties"]["resourceId"] == EXISTING_AKS
    assert plan.by_type(TRUST) == []
    assert not any("keeps" in w for w in plan.warnings)


def test_existing_arc_cluster_uses_the_arc_provider_and_no_managed_namespace() -> None:
    plan = plan_compute(cluster_id=EXISTING_ARC)
    ext = one(plan, EXT).inputs
    assert (ext["clusterRp"], ext["clusterResourceName"]) == ("Microsoft.Kubernetes", "connectedClusters")
    assert ext["identity"] == {"type": "SystemAssigned"}
    assert extension_of(plan)["relayserver.enabled"] == "true"
    assert plan.by_type(NS) == []


def test_cluster_settings_with_an_existing_cluster_are_refused() -> None:
    with pytest.raises(ConfigError, match=r"cluster=.*not with cluster_id"):
        plan_compute(cluster_id=EXISTING_AKS, cluster={"sku_tier": "Free"})


def test_cluster_id_must_be_a_kubernetes_cluster() -> None:
    bad = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"
    with pytest.raises(ConfigError, match=r"cluster_id=.*managedClusters or .*connectedClusters"):
        plan_compute(cluster_id=bad)


def test_workspace_with_a_user_assigned_identity_gets_the_cluster_roles() -> None:
    plan = plan_compute({"identity": {"type": "UserAssigned"}})
    roles = set(grants_of(plan, "KubernetesCompute").values())
    assert {
        BuiltInRole.READER.value,
        BuiltInRole.KUBERNETES_EXTENSION_CONTRIBUTOR.value,
        BuiltInRole.AKS_CLUSTER_ADMIN.value,
    } <= roles
    assert BuiltInRole.AKS_CLUSTER_ADMIN.value not in set(grants_of(plan_compute(), "KubernetesCompute").values())


def test_extension_settings_escape_hatch_wins() -> None:
    spec = KubernetesComputeSettings.model_validate(
        {"compute_name": "aks-x", "extension": {**TLS, "settings": {"logLevel": "DEBUG"}}}, by_name=True
    )
    settings = extension_settings(spec, EXISTING_AKS, "aks-x", "westeurope")
    assert settings["logLevel"] == "DEBUG" and settings["location"] == "westeurope"


# -- online endpoints ----------------------------------------------------------------------------


def plan_endpoint(**args: Any) -> Plan:
    def program() -> None:
        ws = workspace()
        OnlineEndpoint("score", {"endpoint_name": "churn-score", **args}, workspace=ws)

    return run_program(program)


def test_managed_endpoint_defaults_to_entra_auth_and_no_public_access() -> None:
    plan = plan_endpoint()
    endpoint = one(plan, ENDPOINT).inputs
    assert endpoint["endpointName"] == "churn-score"
    assert endpoint["properties"]["authMode"] == "AADToken"
    assert endpoint["properties"]["publicNetworkAccess"] == "Disabled"
    assert "compute" not in endpoint["properties"] and "traffic" not in endpoint["properties"]
    assert endpoint["identity"] == {"type": "SystemAssigned"}
    # Azure ML grants a system-assigned endpoint identity AcrPull and Blob Data Reader itself.
    assert grants_of(plan, "OnlineEndpoint") == {}


def test_user_assigned_endpoint_identity_gets_pull_and_read_before_the_endpoint() -> None:
    uai = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-ep"
    principal = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
    registry = (
        f"/subscriptions/{SUB}/resourceGroups/rg-shared/providers/Microsoft.MachineLearningServices/registries/mlr"
    )
    plan = plan_endpoint(
        identity="UserAssigned",
        user_assigned_identity_id=uai,
        user_assigned_principal_id=principal,
        registry_ids=[registry],
    )
    roles = grants_of(plan, "OnlineEndpoint")
    assert roles["score-ra-acr-acr-pull"] == BuiltInRole.ACR_PULL.value
    assert roles["score-ra-storage-storage-blob-data-reader"] == BuiltInRole.STORAGE_BLOB_DATA_READER.value
    assert roles["score-ra-registry-mlr-reader"] == BuiltInRole.READER.value
    endpoint = one(plan, ENDPOINT)
    pull = next(r for r in plan.by_type(RA) if r.name == "score-ra-acr-acr-pull")
    assert pull.urn in endpoint.dependencies
    assert endpoint.inputs["identity"]["userAssignedIdentities"] == [uai]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"compute": "aks-inference", "auth_mode": "AADToken"}, "support only Key and AMLToken"),
        ({"compute": "aks-inference", "public_network_access": "Enabled"}, "applies to managed endpoints only"),
        ({"identity": "UserAssigned"}, "required with, and only with, identity UserAssigned"),
        ({"endpoint_name": "9lives"}, "online endpoint names are 3-32"),
        ({"endpoint_name": "a" * 33}, "online endpoint names are 3-32"),
    ],
)
def test_endpoint_errors_name_the_key(args: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as err:
        plan_endpoint(**args)
    assert message in str(err.value)
    assert "OnlineEndpoint('score')." in str(err.value)


def test_kubernetes_endpoint_runs_on_the_compute_with_aml_tokens() -> None:
    def program() -> None:
        ws = workspace()
        k = KubernetesCompute("inf", {"compute_name": "aks-inference", "extension": TLS}, workspace=ws)
        OnlineEndpoint("score", {"endpoint_name": "churn-aks", "compute": "aks-inference"}, workspace=ws, compute=k)

    plan = run_program(program)
    endpoint = one(plan, ENDPOINT)
    assert endpoint.inputs["properties"]["compute"] == "aks-inference"
    assert endpoint.inputs["properties"]["authMode"] == "AMLToken"
    assert one(plan, COMPUTE).urn in endpoint.dependencies


# -- stacks --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stacks() -> dict[str, Plan]:
    return {name: run_plan(ROOT, name) for name in ("dev", "staging", "prod")}


def test_staging_and_prod_plan_a_kubernetes_compute_and_dev_nothing_always_on(stacks: dict[str, Plan]) -> None:
    assert stacks["dev"].by_type(AKS) == [] and stacks["dev"].by_type(ENDPOINT) == []
    for name in ("staging", "prod"):
        plan = stacks[name]
        assert len(plan.by_type(AKS)) == 1 and len(plan.by_type(EXT)) == 1
        kinds = [r.inputs["properties"]["computeType"] for r in plan.by_type(COMPUTE)]
        assert "Kubernetes" in kinds
        assert plan.outputs["kubernetes_computes"].value == ["aks-inference"]
    staging = one(stacks["staging"], AKS).inputs
    assert staging["sku"]["tier"] == "Free" and staging["apiServerAccessProfile"]["enablePrivateCluster"] is False
    assert extension_of(stacks["staging"])["clusterPurpose"] == "DevTest"
    prod = one(stacks["prod"], AKS).inputs
    assert prod["apiServerAccessProfile"]["enablePrivateCluster"] is True
    assert extension_of(stacks["prod"])["internalLoadBalancerProvider"] == "azure"
    assert len(stacks["prod"].by_type(TRUST)) == 1


def test_prod_has_a_private_managed_endpoint_in_the_bundle(stacks: dict[str, Plan]) -> None:
    entries = {e["name"]: e for e in stacks["prod"].outputs["online_endpoints"].value}
    managed = entries["churn-score-prd"]
    assert (managed["public_network_access"], managed["auth_mode"], managed["compute"]) == (
        "Disabled",
        "AADToken",
        None,
    )
    assert managed["scoring_uri"] == "https://churn-score-prd.westeurope.inference.ml.azure.com/score"
    assert entries["churn-score-aks"]["compute"] == "aks-inference"
    staging = stacks["staging"].outputs["online_endpoints"].value
    assert [e["name"] for e in staging] == ["churn-score-stg"]


def parse(extra: dict[str, Any], environment: str = "staging") -> Any:
    # A public workspace registry, as staging ships it: these clusters are in no network of ours.
    public_acr = {"containerRegistry": {"publicNetworkAccess": "Enabled"}}
    raw = {"workload": "churn", "environment": environment, **public_acr, **extra}
    return parse_stack_config("azureml-platform", environment, raw, "westeurope")


def test_stack_endpoint_on_an_unknown_compute_is_refused() -> None:
    with pytest.raises(ConfigError) as err:
        parse({"onlineEndpoints": [{"name": "score-x", "compute": "aks-nope"}]})
    assert str(err.value).startswith("config error: azureml-platform:onlineEndpoints[0].compute='aks-nope'")
    assert "kubernetesComputes: none" in str(err.value)


def test_stack_kubernetes_compute_takes_the_profile_and_counts_toward_the_cap() -> None:
    tls = {"tls": {"cname": "score.example.com", "secretName": "tls"}}
    settings = parse({"kubernetesComputes": [{"name": "aks-inference", "extension": tls}]})
    (spec,) = settings.kubernetes_computes
    assert spec.cluster.sku_tier == "Free" and spec.extension.router_high_availability is False
    with pytest.raises(ConfigError) as err:
        parse(
            {
                "kubernetesComputes": [
                    {"name": "aks-inference", "extension": tls, "cluster": {"userPool": {"maxNodes": 20}}}
                ]
            }
        )
    assert "must not exceed the staging cap of 16" in str(err.value)


def test_stack_attached_cluster_does_not_take_the_profile_cluster() -> None:
    tls = {"tls": {"cname": "score.example.com", "secretName": "tls"}}
    settings = parse({"kubernetesComputes": [{"name": "aks-inference", "clusterId": EXISTING_AKS, "extension": tls}]})
    assert settings.kubernetes_computes[0].cluster_id == EXISTING_AKS


def test_stack_compute_names_are_unique_across_kinds() -> None:
    with pytest.raises(ConfigError, match=r"kubernetesComputes\[0\]\.name='cpu-cluster': compute names must be unique"):
        parse(
            {
                "computeClusters": [{"name": "cpu-cluster"}],
                "kubernetesComputes": [{"name": "cpu-cluster", "extension": {"allowInsecureConnections": True}}],
            }
        )


def test_equal_quantities_in_other_units_are_not_below_their_request() -> None:
    same = {"a": {"cpu": "700m", "cpu_limit": "0.7", "memory": "4100M", "memory_limit": "4.1G"}}
    limits = one(plan_compute(instance_types=same), COMPUTE).inputs["properties"]["properties"]["instanceTypes"]
    assert limits["a"]["resources"]["limits"] == {"cpu": "0.7", "memory": "4.1G"}


def test_a_dedicated_system_pool_needs_a_user_pool() -> None:
    with pytest.raises(ConfigError, match=r"cluster.dedicated_system_pool=True: needs a user_pool"):
        plan_compute(cluster={"dedicated_system_pool": True, "user_pool": None})
