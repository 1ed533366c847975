"""The Azure ML registry component: regions, network, roles and what it hands to workspace stacks."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.core.naming import validate_name
from pulumi_azureml.core.roles import BuiltInRole
from pulumi_azureml.core.schema import Spelling, validate
from pulumi_azureml.network.args import ZONES
from pulumi_azureml.plan import Plan, PlannedResource, run_program
from pulumi_azureml.registry import (
    PRIVATE_ENDPOINT_GROUP,
    REGISTRY_RULE,
    MachineLearningRegistry,
    RegistryArgs,
    RegistrySettings,
    registry_name,
)

REGISTRY = "azure-native:machinelearningservices:Registry"
RA = "azure-native:authorization:RoleAssignment"
PEP = "azure-native:network:PrivateEndpoint"
ZONE = "azure-native:privatedns:PrivateZone"
ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"
SUB = "00000000-0000-0000-0000-000000000001"
SUBNET = f"/subscriptions/{SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/pep"
API_ZONE_ID = (
    f"/subscriptions/{SUB}/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.api.azureml.ms"
)
CI = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
COMPUTE_MI = "6f1d0c9e-1c2b-4e3a-9d8f-0a1b2c3d4e5f"
TEAM = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
BASE: dict[str, Any] = {"workload": "churn", "environment": "shared", "location": "westeurope"}
R = "MachineLearningRegistry('shared')"
READER_ID = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
REGISTRY_USER_ID = "1823dd4f-9b8c-4ab6-ab4e-7397a3684615"


def plan_registry(export: bool = False, **args: Any) -> Plan:
    def program() -> None:
        registry = MachineLearningRegistry("shared", {**BASE, **args})
        if export:
            for key, value in registry.connection_bundle().items():
                pulumi.export(key, value)

    return run_program(program)


def only(plan: Plan, type_token: str) -> PlannedResource:
    (resource,) = plan.by_type(type_token)
    return resource


def test_defaults_primary_region_with_system_created_accounts() -> None:
    plan = plan_registry()
    registry = only(plan, REGISTRY)
    assert registry.name == "shared-registry"
    assert registry.inputs["registryName"] == "mlr-churn-shared-we"
    assert registry.inputs["location"] == "westeurope"
    assert registry.inputs["resourceGroupName"] == "rg-churn-shared-we"
    assert registry.inputs["identity"] == {"type": "SystemAssigned"}
    # No private endpoint: the public endpoint is the only way in.
    assert registry.inputs["publicNetworkAccess"] == "Enabled"
    assert registry.inputs["regionDetails"] == [
        {
            "location": "westeurope",
            "acrDetails": [{"systemCreatedAcrAccount": {"acrAccountSku": "Premium"}}],
            "storageAccountDetails": [
                {
                    "systemCreatedStorageAccount": {
                        "storageAccountType": "Standard_LRS",
                        "storageAccountHnsEnabled": False,
                        "allowBlobPublicAccess": False,
                    }
                }
            ],
        }
    ]
    assert registry.inputs["tags"] == {"workload": "churn", "environment": "shared", "managed-by": "pulumi"}
    rg = plan.get("shared-rg")
    assert rg.inputs["resourceGroupName"] == "rg-churn-shared-we"
    assert plan.by_type(PEP) == [] and plan.by_type(RA) == []


def test_replication_regions_follow_the_primary_with_their_own_storage() -> None:
    plan = plan_registry(
        storage_account_type="Standard_ZRS",
        replication_regions=[
            {"location": "northeurope"},
            {"location": "swedencentral", "storage_account_type": "Standard_LRS", "storage_hns_enabled": True},
        ],
    )
    details = only(plan, REGISTRY).inputs["regionDetails"]
    assert [d["location"] for d in details] == ["westeurope", "northeurope", "swedencentral"]
    storage = [d["storageAccountDetails"][0]["systemCreatedStorageAccount"] for d in details]
    assert [s["storageAccountType"] for s in storage] == ["Standard_ZRS", "Standard_ZRS", "Standard_LRS"]
    assert [s["storageAccountHnsEnabled"] for s in storage] == [False, False, True]
    assert all(d["acrDetails"] == [{"systemCreatedAcrAccount": {"acrAccountSku": "Premium"}}] for d in details)


def test_existing_resource_group_name_and_protect() -> None:
    plan = plan_registry(resource_group_name="rg-platform-shared", name="Contoso_Models-1", protect=True)
    registry = only(plan, REGISTRY)
    assert registry.inputs["resourceGroupName"] == "rg-platform-shared"
    assert registry.inputs["registryName"] == "Contoso_Models-1"
    assert registry.protect is True
    assert plan.by_type("azure-native:resources:ResourceGroup") == []


@pytest.mark.parametrize(
    ("args", "key", "rule"),
    [
        ({"name": "ab"}, f"{R}.name", "3-32 letters"),
        ({"name": "-models"}, f"{R}.name", "starting with a letter or digit"),
        ({"name": "models.shared"}, f"{R}.name", "letters, digits, '-' or '_'"),
        ({"name": "m" * 33}, f"{R}.name", "3-32"),
        (
            {"replication_regions": [{"location": "northeurope"}, {"location": "northeurope"}]},
            f"{R}.replication_regions[1].location",
            "lists a region twice",
        ),
        (
            {"replication_regions": [{"location": "westeurope"}]},
            f"{R}.replication_regions[0].location",
            "is the primary region",
        ),
        ({"replication_regions": [{"location": "West Europe"}]}, f"{R}.replication_regions[0].location", "westeurope"),
        (
            {"replication_regions": [{"location": "northeurope", "storage_account_type": "Standard_XRS"}]},
            f"{R}.replication_regions[0].storage_account_type",
            "Standard_LRS",
        ),
        ({"dns": {"mode": "none"}}, f"{R}.dns", "only used with private_endpoint_subnet_id"),
        ({"private_endpoint_dependents": True}, f"{R}.private_endpoint_dependents", "private_endpoint_subnet_id"),
        (
            {"private_endpoint_subnet_id": SUBNET, "dns": {"mode": "existing", "zone_ids": {}}},
            f"{R}.dns.zone_ids",
            "required with mode existing",
        ),
        (
            {
                "private_endpoint_subnet_id": SUBNET,
                "private_endpoint_dependents": True,
                "dns": {"mode": "existing", "zone_ids": {"privatelink.api.azureml.ms": API_ZONE_ID}},
            },
            f"{R}.dns.zone_ids",
            "privatelink.blob.core.windows.net",
        ),
        ({"identity": {"type": "UserAssigned"}}, f"{R}.identity.user_assigned_identity_ids", "required"),
        (
            {"readers": [{"name": "ci", "principal_id": CI}, {"name": "ci", "principal_id": COMPUTE_MI}]},
            f"{R}.readers[1].name",
            "unique",
        ),
        ({"readers": [{"name": "ci", "principal_id": "not-a-guid"}]}, f"{R}.readers[0].principal_id", "GUID"),
        ({"overrides": {"regoin_details": []}}, f"{R}.overrides.regoin_details", "did you mean region_details"),
    ],
)
def test_bad_settings_are_refused_naming_the_key(args: dict[str, Any], key: str, rule: str) -> None:
    with pytest.raises(ConfigError) as err:
        plan_registry(**args)
    assert err.value.key == key
    assert rule in err.value.rule


def test_settings_read_from_stack_config_name_the_camel_case_key() -> None:
    spelling = Spelling("config", "azureml-platform:registry")
    settings = validate(
        RegistrySettings,
        {
            "location": "westeurope",
            "replicationRegions": [{"location": "northeurope", "storageAccountType": "Standard_ZRS"}],
        },
        spelling,
    )
    assert [r[:2] for r in settings.regions()] == [("westeurope", "Standard_LRS"), ("northeurope", "Standard_ZRS")]
    with pytest.raises(ConfigError) as err:
        validate(
            RegistrySettings, {"location": "westeurope", "replicationRegions": [{"location": "westeurope"}]}, spelling
        )
    assert err.value.key == "azureml-platform:registry.replicationRegions[0].location"
    with pytest.raises(ConfigError) as missing:
        validate(RegistrySettings, {}, spelling)
    assert missing.value.key == "azureml-platform:registry.location"


def test_name_rule_and_default_name() -> None:
    assert registry_name("churn", "shared", "westeurope") == "mlr-churn-shared-we"
    # The longest tokens still fit the 32 characters both Learn and the REST spec allow.
    longest = registry_name("abcdefghij", "abcdefgh", "southcentralus", instance="001")
    assert len(longest) == 32 and validate_name(REGISTRY_RULE, longest) == longest
    assert REGISTRY_RULE.min_len == 3 and REGISTRY_RULE.max_len == 32


def test_private_endpoint_to_the_registry_in_the_api_zone() -> None:
    plan = plan_registry(private_endpoint_subnet_id=SUBNET, private_endpoint_location="northeurope")
    registry = only(plan, REGISTRY)
    assert registry.inputs["publicNetworkAccess"] == "Disabled"
    endpoint = only(plan, PEP)
    assert endpoint.name == "shared-pep-mlr"
    assert endpoint.inputs["privateEndpointName"] == "pep-churn-shared-we-mlr"
    assert endpoint.inputs["location"] == "northeurope"
    assert endpoint.inputs["subnet"]["id"] == SUBNET
    (connection,) = endpoint.inputs["privateLinkServiceConnections"]
    assert connection["groupIds"] == [PRIVATE_ENDPOINT_GROUP] == ["amlregistry"]
    assert connection["privateLinkServiceId"].endswith(
        "/providers/Microsoft.MachineLearningServices/registries/mlr-churn-shared-we"
    )
    assert ZONES["amlregistry"] == ("privatelink.api.azureml.ms",)
    zone = only(plan, ZONE)
    assert zone.inputs["privateZoneName"] == "privatelink.api.azureml.ms"
    link = only(plan, "azure-native:privatedns:VirtualNetworkLink")
    assert link.inputs["virtualNetwork"] == {"id": SUBNET.split("/subnets/")[0]}
    group = only(plan, ZONE_GROUP)
    assert [c["name"] for c in group.inputs["privateDnsZoneConfigs"]] == ["privatelink-api-azureml-ms"]


def test_private_endpoint_with_an_existing_zone_and_public_access_kept() -> None:
    plan = plan_registry(
        private_endpoint_subnet_id=SUBNET,
        public_network_access="Enabled",
        dns={"mode": "existing", "zone_ids": {"privatelink.api.azureml.ms": API_ZONE_ID}},
        manual_approval=True,
    )
    assert only(plan, REGISTRY).inputs["publicNetworkAccess"] == "Enabled"
    assert plan.by_type(ZONE) == []
    endpoint = only(plan, PEP)
    assert "privateLinkServiceConnections" not in endpoint.inputs
    assert endpoint.inputs["manualPrivateLinkServiceConnections"][0]["groupIds"] == ["amlregistry"]
    group = only(plan, ZONE_GROUP)
    assert group.inputs["privateDnsZoneConfigs"][0]["privateDnsZoneId"] == API_ZONE_ID


def test_private_endpoints_to_the_system_created_storage_and_acr() -> None:
    plan = plan_registry(
        private_endpoint_subnet_id=SUBNET,
        private_endpoint_dependents=True,
        replication_regions=[{"location": "northeurope"}],
    )
    endpoints = {e.name: e for e in plan.by_type(PEP)}
    assert sorted(endpoints) == ["shared-pep-acr", "shared-pep-mlr", "shared-pep-st-ne", "shared-pep-st-we"]
    targets = {name: e.inputs["privateLinkServiceConnections"][0] for name, e in endpoints.items()}
    managed = "/resourceGroups/azureml-rg-mlr-churn-shared-we_"
    for region in ("we", "ne"):
        assert targets[f"shared-pep-st-{region}"]["groupIds"] == ["blob"]
        assert managed in targets[f"shared-pep-st-{region}"]["privateLinkServiceId"]
        assert (
            "/providers/Microsoft.Storage/storageAccounts/"
            in targets[f"shared-pep-st-{region}"]["privateLinkServiceId"]
        )
    # One storage account per region, one container registry for all of them.
    assert targets["shared-pep-st-we"]["privateLinkServiceId"] != targets["shared-pep-st-ne"]["privateLinkServiceId"]
    assert targets["shared-pep-acr"]["groupIds"] == ["registry"]
    assert "/providers/Microsoft.ContainerRegistry/registries/" in targets["shared-pep-acr"]["privateLinkServiceId"]
    assert sorted(z.inputs["privateZoneName"] for z in plan.by_type(ZONE)) == [
        "privatelink.api.azureml.ms",
        "privatelink.azurecr.io",
        "privatelink.blob.core.windows.net",
    ]


def _grants() -> None:
    registry = MachineLearningRegistry("shared", {**BASE, "publishers": [{"name": "ci", "principal_id": CI}]})
    registry.grant_read("compute-train", COMPUTE_MI)
    registry.grant_read("team", TEAM, "Group")
    registry.grant_publish("compute-train", COMPUTE_MI)
    # The same principal and role twice is one assignment (Azure refuses a second).
    registry.grant_read("compute-train", COMPUTE_MI)


def test_grant_read_and_publish_roles_and_principal_types() -> None:
    plan = run_program(_grants)
    grants = {g.name: g.inputs for g in plan.by_type(RA)}
    assert sorted(grants) == [
        "shared-ra-ci-azureml-registry-user",
        "shared-ra-compute-train-azureml-registry-user",
        "shared-ra-compute-train-reader",
        "shared-ra-team-reader",
    ]
    registry_id = only(plan, REGISTRY).inputs["registryName"]
    for name, inputs in grants.items():
        role = REGISTRY_USER_ID if name.endswith("azureml-registry-user") else READER_ID
        assert inputs["roleDefinitionId"].endswith(f"/providers/Microsoft.Authorization/roleDefinitions/{role}")
        assert inputs["scope"].endswith(f"/providers/Microsoft.MachineLearningServices/registries/{registry_id}")
    assert grants["shared-ra-ci-azureml-registry-user"]["principalId"] == CI
    assert grants["shared-ra-ci-azureml-registry-user"]["principalType"] == "ServicePrincipal"
    assert grants["shared-ra-team-reader"]["principalType"] == "Group"
    assert BuiltInRole.AZUREML_REGISTRY_USER.value == REGISTRY_USER_ID


@pytest.mark.parametrize(
    ("program", "key", "rule"),
    [
        (lambda r: r.grant_read("Bad Name", CI), f"{R}.grant_read.name", "lowercase"),
        (lambda r: r.grant_publish("ci", CI, "Robot"), f"{R}.grant_publish.principal_type", "ServicePrincipal"),
        (lambda r: r.grant_read("ci", "nope"), f"{R}.grant_read.principal_id", "GUID"),
        (
            lambda r: (r.grant_read("ci", CI), r.grant_read("ci", COMPUTE_MI)),
            f"{R}.grant_read.name",
            "already names another principal's reader grant",
        ),
    ],
)
def test_bad_grants_are_refused(program: Any, key: str, rule: str) -> None:
    with pytest.raises(ConfigError) as err:
        run_program(lambda: program(MachineLearningRegistry("shared", BASE)))
    assert err.value.key == key
    assert rule in err.value.rule


def test_connection_bundle_keys_and_values() -> None:
    outputs = plan_registry(export=True).outputs
    assert sorted(outputs) == [
        "registry_arm_id",
        "registry_discovery_url",
        "registry_location",
        "registry_mlflow_uri",
        "registry_name",
        "registry_resource_group_name",
        "registry_subscription_id",
    ]
    assert outputs["registry_name"].value == "mlr-churn-shared-we"
    assert outputs["registry_location"].value == "westeurope"
    assert outputs["registry_resource_group_name"].value == "rg-churn-shared-we"
    arm_id = outputs["registry_arm_id"].value
    assert arm_id == (
        f"/subscriptions/{outputs['registry_subscription_id'].value}/resourceGroups/rg-churn-shared-we"
        "/providers/Microsoft.MachineLearningServices/registries/mlr-churn-shared-we"
    )
    assert outputs["registry_discovery_url"].value == (
        "https://westeurope.api.azureml.ms/registrymanagement/v1.0/registries/mlr-churn-shared-we/discovery"
    )
    assert outputs["registry_mlflow_uri"].value == f"azureml://westeurope.api.azureml.ms/mlflow/v1.0{arm_id}"
    for computed in ("registry_arm_id", "registry_discovery_url", "registry_mlflow_uri"):
        assert outputs[computed].known_after_apply, computed
    assert not outputs["registry_name"].known_after_apply


def test_args_model_is_the_settings_plus_placement() -> None:
    assert set(RegistryArgs.model_fields) - set(RegistrySettings.model_fields) == {
        "workload",
        "environment",
        "instance",
        "resource_group_name",
    }
    undocumented = [n for n, f in RegistryArgs.model_fields.items() if not f.description]
    assert undocumented == []
