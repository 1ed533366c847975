"""Private networking: the network (created or existing), private endpoints with DNS (created,
existing or none), typed managed-network outbound rules, and what plan, diff and check make of them."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from pulumi_azureml import AzureBlobDatastore, AzureFileDatastore, ComputeCluster, MachineLearningWorkspace
from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.core.roles import BuiltInRole
from pulumi_azureml.network.outbound import BUNDLES
from pulumi_azureml.plan import Plan, run_plan, run_program
from pulumi_azureml.plan.diff import diff
from pulumi_azureml.plan.render import render_tree
from pulumi_azureml.policy.check import evaluate, resources_of, stack_policy

ROOT = Path(__file__).resolve().parents[1]
NETWORK = ROOT / "tests" / "fixtures" / "network_project"
PE = "azure-native:network:PrivateEndpoint"
ZONE = "azure-native:privatedns:PrivateZone"
LINK = "azure-native:privatedns:VirtualNetworkLink"
GROUP = "azure-native:network:PrivateDnsZoneGroup"
RULE = "azure-native:machinelearningservices:ManagedNetworkSettingsRule"
RA = "azure-native:authorization:RoleAssignment"
HUB = "/subscriptions/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/rg-hub/providers/Microsoft.Network"
CREATED = {"address_space": ["10.30.0.0/16"], "private_endpoint_subnet": {"address_prefix": "10.30.1.0/24"}}


def workspace(**args: Any) -> MachineLearningWorkspace:
    return MachineLearningWorkspace(
        "ws", {"workload": "research", "environment": "prod", "location": "westeurope", **args}
    )


def groups_of(endpoint: Any) -> list[str]:
    connections = endpoint.inputs.get("privateLinkServiceConnections") or endpoint.inputs.get(
        "manualPrivateLinkServiceConnections"
    )
    return [g for c in connections for g in c["groupIds"]]


@pytest.fixture(scope="module")
def prod() -> Plan:
    return run_plan(ROOT, "prod")


def test_prod_plans_a_network_and_an_endpoint_with_dns_for_the_workspace_and_each_dependent(prod: Plan) -> None:
    endpoints = {r.name: r for r in prod.by_type(PE)}
    assert {name: groups_of(r) for name, r in endpoints.items()} == {
        "platform-pep-workspace": ["amlworkspace"],
        "platform-pep-storage-blob": ["blob"],
        "platform-pep-storage-file": ["file"],
        "platform-pep-kv": ["vault"],
        "platform-pep-acr": ["registry"],
    }
    subnets = {r.inputs["subnetName"]: r for r in prod.by_type("azure-native:network:Subnet")}
    assert sorted(subnets) == ["snet-aks", "snet-pep"]  # endpoints, and the AKS inference nodes
    subnet = subnets["snet-pep"]
    for endpoint in endpoints.values():
        assert endpoint.inputs["subnet"]["id"].endswith("/subnets/snet-pep")
        assert subnet.urn in endpoint.dependencies
    zones = {r.inputs["privateZoneName"] for r in prod.by_type(ZONE)}
    assert zones == {
        "privatelink.api.azureml.ms",
        "privatelink.notebooks.azure.net",
        "privatelink.blob.core.windows.net",
        "privatelink.file.core.windows.net",
        "privatelink.vaultcore.azure.net",
        "privatelink.azurecr.io",
    }
    assert len(prod.by_type(LINK)) == len(zones)
    workspace_dns = prod.get("platform-pep-workspace-dns").inputs["privateDnsZoneConfigs"]
    assert len(workspace_dns) == 2  # api.azureml.ms and notebooks.azure.net
    (vnet,) = prod.by_type("azure-native:network:VirtualNetwork")
    assert vnet.inputs["virtualNetworkName"] == "vnet-churn-prod-we"
    assert vnet.inputs["addressSpace"] == {"addressPrefixes": ["10.40.0.0/16"]}


def test_the_studio_reader_grants_on_the_storage_endpoints(prod: Plan) -> None:
    (ws,) = prod.by_type("azure-native:machinelearningservices:Workspace")
    readers = [r for r in prod.by_type(RA) if r.name.startswith("platform-ra-pep-storage-")]
    assert sorted(r.name for r in readers) == [
        "platform-ra-pep-storage-blob-reader",
        "platform-ra-pep-storage-file-reader",
    ]
    for reader in readers:
        assert reader.inputs["roleDefinitionId"].endswith(BuiltInRole.READER.value)
        assert "/privateEndpoints/" in reader.inputs["scope"]
        assert ws.urn in reader.dependencies  # the workspace identity


def test_check_prod_passes_with_the_endpoint_rules_mandatory(prod: Plan) -> None:
    environment, overrides = stack_policy(ROOT, "prod")
    report = evaluate(resources_of(prod), environment, overrides)
    assert report.mandatory == []
    for rule_id in ("MLW-006", "ST-018", "KV-008", "CR-009"):
        from pulumi_azureml.policy import BY_ID

        assert BY_ID[rule_id].level_for("prod").value == "mandatory"
    # Without the network, MLW-006 fails prod.
    # The AKS nodes would then pull from the registry over its public endpoint, which the loader
    # refuses while the registry is private; opened, the registry fails CR-003 and CR-004 in prod.
    public_acr = '{"publicNetworkAccess": "Enabled"}'
    no_network = run_plan(
        ROOT,
        "prod",
        config_overrides={"network": '{"mode": "none", "reason": "a test"}', "containerRegistry": public_acr},
    )
    failed = evaluate(resources_of(no_network), environment, overrides)
    # ...and AKS-016: the inference cluster has no subnet of yours either.
    assert {f.rule.id for f in failed.mandatory} == {"MLW-006", "AKS-016", "CR-003", "CR-004"}


def test_an_existing_subnet_and_a_hubs_zones_plan_in_a_fixture() -> None:
    plan = run_plan(NETWORK, "prod")
    assert not plan.by_type("azure-native:network:VirtualNetwork")
    assert not plan.by_type(ZONE) and not plan.by_type(LINK)
    subnet = "/subscriptions/5f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a190/resourceGroups/rg-spoke/providers/Microsoft.Network"
    for endpoint in plan.by_type(PE):
        assert endpoint.inputs["subnet"]["id"] == f"{subnet}/virtualNetworks/vnet-spoke/subnets/snet-pep"
    groups = {r.name: r for r in plan.by_type(GROUP)}
    assert len(groups) == len(plan.by_type(PE)) == 8  # workspace, 3 storage, vault, registry, 2 for the Gen2 datastore
    zone_ids = {c["privateDnsZoneId"] for g in groups.values() for c in g.inputs["privateDnsZoneConfigs"]}
    assert all("/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/" in z for z in zone_ids)
    lake = {groups_of(r)[0] for r in plan.by_type(PE) if r.name.startswith("datastore-curated-")}
    assert lake == {"dfs", "blob"}


def test_dns_by_policy_peering_subnets_and_typed_outbound_rules() -> None:
    plan = run_plan(NETWORK, "prod-policy-dns")
    assert plan.by_type(PE) and not plan.by_type(GROUP) and not plan.by_type(ZONE)
    (peering,) = plan.by_type("azure-native:network:VirtualNetworkPeering")
    assert peering.inputs["remoteVirtualNetwork"]["id"] == f"{HUB}/virtualNetworks/vnet-hub"
    assert peering.inputs["useRemoteGateways"] is True
    subnets = [r.inputs["subnetName"] for r in plan.by_type("azure-native:network:Subnet")]
    assert subnets == ["snet-pep", "snet-aks"]
    nsgs = plan.by_type("azure-native:network:NetworkSecurityGroup")
    assert len(nsgs) == 2 and all(n.inputs["securityRules"][0]["access"] == "Deny" for n in nsgs)
    rules = {r.inputs["ruleName"]: r.inputs["properties"] for r in plan.by_type(RULE)}
    hosts = set(BUNDLES["pypi"]) | set(BUNDLES["conda"]) | {"github.com"}
    assert {p["destination"] for p in rules.values() if p["type"] == "FQDN"} == hosts
    assert rules["aad"]["destination"]["serviceTag"] == "AzureActiveDirectory"
    ordered = plan.by_type(RULE)
    for earlier, later in itertools.pairwise(ordered):
        assert earlier.urn in later.dependencies  # one at a time
    (ws,) = plan.by_type("azure-native:machinelearningservices:Workspace")
    assert ws.inputs["managedNetwork"]["firewallSku"] == "Basic"
    assert any("Azure Firewall (Basic)" in w and "billed" in w for w in plan.warnings)


def test_datastore_accounts_get_endpoints_and_files_get_file() -> None:
    def program() -> None:
        ws = workspace(network=CREATED)
        AzureBlobDatastore("raw", {"datastore_name": "raw", "container": "raw"}, workspace=ws)
        AzureFileDatastore("share", {"datastore_name": "share", "container": "share"}, workspace=ws)

    plan = run_program(program)
    mine = {r.name: groups_of(r) for r in plan.by_type(PE) if not r.name.startswith("ws-")}
    assert mine == {"raw-pep-blob": ["blob"], "share-pep-file": ["file"]}
    assert {r.inputs["privateZoneName"] for r in plan.by_type(ZONE)} >= {"privatelink.file.core.windows.net"}


def test_dependents_brought_by_id_can_ask_their_owner_to_approve() -> None:
    storage = (
        "/subscriptions/5f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a190/resourceGroups/rg-data/providers/Microsoft.Storage/"
        "storageAccounts/stshared"
    )
    plan = run_program(
        lambda: workspace(network={**CREATED, "manual_approval": True}, storage={"existing_id": storage})
    )
    blob = plan.get("ws-pep-storage-blob")
    assert "privateLinkServiceConnections" not in blob.inputs
    (connection,) = blob.inputs["manualPrivateLinkServiceConnections"]
    assert connection["privateLinkServiceId"] == storage and "approve" in connection["requestMessage"]
    assert "privateLinkServiceConnections" in plan.get("ws-pep-workspace").inputs  # ours: approved by us
    assert "serves=stshared/blob (approval)" in render_tree(plan)


def test_a_compute_subnet_places_computes_without_a_managed_network() -> None:
    def program() -> None:
        ws = workspace(
            network={**CREATED, "compute_subnet": {"address_prefix": "10.30.2.0/24"}},
            workspace={"isolation_mode": "Disabled"},
            container_registry={"public_network_access": "Disabled"},
        )
        ComputeCluster("train", {"compute_name": "cpu-cluster"}, workspace=ws)

    compute = run_program(program).get("train-compute")
    props = compute.inputs["properties"]["properties"]
    assert props["subnet"]["id"].endswith("/subnets/snet-compute")
    assert props["enableNodePublicIp"] is False


def test_the_tree_says_which_endpoint_serves_what(prod: Plan) -> None:
    tree = render_tree(prod)
    assert "serves=mlw-churn-prod-we/amlworkspace" in tree
    assert "serves=kv-churn-prd-qzm8n/vault" in tree


def test_diff_flags_a_new_endpoint_subnet_as_a_replacement(prod: Plan) -> None:
    moved = run_plan(
        ROOT,
        "prod",
        config_overrides={
            "network": json.dumps(
                {
                    "addressSpace": ["10.40.0.0/16"],
                    "privateEndpointSubnet": {"addressPrefix": "10.40.1.0/24", "name": "snet-endpoints"},
                    "kubernetesSubnet": {"addressPrefix": "10.40.4.0/22"},
                }
            )
        },
    )
    replaced = {c.name for c in diff(prod, moved) if c.replaces}
    assert {"platform-pep-workspace", "platform-pep-kv", "platform-snet-pep"} <= replaced


BAD: list[tuple[dict[str, Any], str, str]] = [
    ({"address_space": ["10.30.0.0/16"]}, "network.private_endpoint_subnet", "required with mode create"),
    (
        {"address_space": ["10.30.0.1/16"], "private_endpoint_subnet": {"address_prefix": "10.30.1.0/24"}},
        "network.address_space[0]",
        "no host bits",
    ),
    (
        {"address_space": ["10.30.0.0/16"], "private_endpoint_subnet": {"address_prefix": "10.31.1.0/24"}},
        "network.private_endpoint_subnet.address_prefix",
        "not inside",
    ),
    (
        {**CREATED, "kubernetes_subnet": {"address_prefix": "10.30.1.128/25"}},
        "network.kubernetes_subnet.address_prefix",
        "overlaps private_endpoint_subnet",
    ),
    ({"mode": "existing"}, "network.private_endpoint_subnet_id", "required with mode existing"),
    (
        {
            **CREATED,
            "dns": {
                "mode": "existing",
                "zone_ids": {"privatelink.api.azureml.ms": f"{HUB}/privateDnsZones/privatelink.api.azureml.ms"},
            },
        },
        "network.dns.zone_ids",
        "missing",
    ),
    (
        {**CREATED, "dns": {"zone_ids": {"privatelink.api.azureml.ms": f"{HUB}/privateDnsZones/x"}}},
        "network.dns.zone_ids",
        "only used with mode existing",
    ),
    ({**CREATED, "use_hub_gateway": True}, "network.use_hub_gateway", "needs hub_virtual_network_id"),
    ({**CREATED, "compute_subnet": {"address_prefix": "10.30.2.0/24"}}, "network.compute_subnet", "managed network"),
]


@pytest.mark.parametrize(("network", "key", "rule"), BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_bad_networks_are_refused_before_anything_is_registered(network: dict[str, Any], key: str, rule: str) -> None:
    with pytest.raises(ConfigError) as caught:
        workspace(network=network)
    assert caught.value.key == f"MachineLearningWorkspace('ws').{key}"
    assert rule in caught.value.rule


@pytest.mark.parametrize(
    ("workspace_options", "key", "rule"),
    [
        (
            {"isolation_mode": "AllowInternetOutbound", "outbound_bundles": ["pypi"]},
            "workspace.outbound_bundles",
            "AllowOnlyApprovedOutbound",
        ),
        (
            {"outbound_rules": [{"type": "FQDN", "name": "x", "destination": "pypi.org"}]},
            "workspace.outbound_rules[0].name",
            "3-33",
        ),
        (
            {"outbound_rules": [{"type": "FQDN", "name": "store", "destination": "acct.blob.core.windows.net"}]},
            "workspace.outbound_rules[0].destination",
            "private endpoint rule",
        ),
        (
            {"outbound_rules": [{"type": "FQDN", "name": "bad", "destination": "Not A Host"}]},
            "workspace.outbound_rules[0].destination",
            "host name",
        ),
        (
            {"outbound_rules": [{"type": "ServiceTag", "name": "tag", "service_tag": "Storage", "port_ranges": "0"}]},
            "workspace.outbound_rules[0].port_ranges",
            "1-65535",
        ),
        (
            {"outbound_rules": [{"type": "Fqdn", "name": "bad", "destination": "pypi.org"}]},
            "workspace.outbound_rules[0]",
            "FQDN",
        ),
        (
            {
                "outbound_rules": [{"type": "FQDN", "name": "pypi-01", "destination": "x.org"}],
                "outbound_bundles": ["pypi"],
            },
            "workspace.outbound_bundles",
            "unique",
        ),
        (
            {
                "isolation_mode": "Disabled",
                "outbound_rules": [
                    {
                        "type": "PrivateEndpoint",
                        "name": "sql",
                        "service_resource_id": "/x",
                        "subresource_target": "sqlServer",
                    }
                ],
            },
            "workspace.outbound_rules[0]",
            "managed network",
        ),
    ],
)
def test_bad_outbound_rules_are_refused(workspace_options: dict[str, Any], key: str, rule: str) -> None:
    extra: dict[str, Any] = {"container_registry": {"public_network_access": "Disabled"}}
    with pytest.raises(ConfigError) as caught:
        workspace(workspace=workspace_options, **extra)
    assert caught.value.key.startswith(f"MachineLearningWorkspace('ws').{key}")
    assert rule in caught.value.rule


def test_the_network_plans_in_the_same_order_every_time(prod: Plan) -> None:
    # Endpoints wait for the same resources, so their registration order cannot race.
    for _ in range(2):
        assert [r.urn for r in run_plan(ROOT, "prod").resources] == [r.urn for r in prod.resources]
