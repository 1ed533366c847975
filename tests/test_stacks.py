"""The shipped stacks (infra/ + stacks/Pulumi.<env>.yaml) planned offline, as `pulumi up` would run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pulumi_azureml.plan import Plan, PlannedResource, run_plan

ROOT = Path(__file__).resolve().parents[1]

WS = "azure-native:machinelearningservices:Workspace"
STORAGE = "azure-native:storage:StorageAccount"
KV = "azure-native:keyvault:Vault"
ACR = "azure-native:containerregistry:Registry"
LOG = "azure-native:operationalinsights:Workspace"
APPI = "azure-native:applicationinsights:Component"
RG = "azure-native:resources:ResourceGroup"
STATEFUL = (RG, STORAGE, KV, LOG, APPI, ACR, WS)

BUNDLE = {
    "environment",
    "subscription_id",
    "resource_group_name",
    "location",
    "workspace_name",
    "workspace_arm_id",
    "workspace_id",
    "discovery_url",
    "mlflow_tracking_uri",
    "storage_account_name",
    "storage_blob_endpoint",
    "key_vault_uri",
    "container_registry_login_server",
    "application_insights_id",
    "workspace_principal_id",
    "compute_clusters",
    "compute_instances",
    "kubernetes_computes",
    "attached_computes",
    "online_endpoints",
    "connections",
    "registry_name",
    "registry_location",
    "registry_arm_id",
    "registry_resource_group_name",
    "registry_subscription_id",
    "registry_discovery_url",
    "registry_mlflow_uri",
    "datastores",
    "default_datastore",
}


@pytest.fixture(scope="module", params=["dev", "staging", "prod"])
def stack_plan(request: pytest.FixtureRequest) -> Plan:
    return run_plan(ROOT, str(request.param))


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {stack: run_plan(ROOT, stack) for stack in ("dev", "staging", "prod")}


def one(plan: Plan, type_token: str) -> PlannedResource:
    # The platform's own resource of this type (datastores may add more storage accounts).
    found = [r for r in plan.by_type(type_token) if r.name.startswith("platform-")]
    assert len(found) == 1, [r.urn for r in found]
    return found[0]


def test_every_stack_plans_the_platform_and_exports_the_bundle(stack_plan: Plan) -> None:
    assert stack_plan.project == "azureml-platform"
    for type_token in STATEFUL:
        one(stack_plan, type_token)
    assert set(stack_plan.outputs) == BUNDLE
    assert stack_plan.outputs["environment"].value == stack_plan.stack
    ws = one(stack_plan, WS)
    assert ws.inputs["workspaceName"] == f"mlw-churn-{stack_plan.stack}-we"
    assert ws.inputs["location"] == "westeurope"
    assert ws.inputs["tags"]["owner"] == "ml-platform"


def test_dev_profile(plans: dict[str, Plan]) -> None:
    dev = plans["dev"]
    st = one(dev, STORAGE).inputs
    assert st["sku"]["name"] == "Standard_LRS"
    assert st["allowSharedKeyAccess"] is True
    assert st["publicNetworkAccess"] == "Enabled"
    ws = one(dev, WS).inputs
    assert ws["publicNetworkAccess"] == "Enabled"
    assert ws["managedNetwork"]["isolationMode"] == "AllowInternetOutbound"
    assert one(dev, ACR).inputs["sku"]["name"] == "Basic"
    assert "enablePurgeProtection" not in one(dev, KV).inputs["properties"]
    assert not [r.urn for r in dev.resources if r.protect]


def test_staging_profile(plans: dict[str, Plan]) -> None:
    staging = plans["staging"]
    st = one(staging, STORAGE).inputs
    assert st["sku"]["name"] == "Standard_ZRS"
    assert st["allowSharedKeyAccess"] is False
    # The studio in reviewers' browsers reaches the default storage: public, keys off, RBAC only.
    assert st["publicNetworkAccess"] == "Enabled"
    assert st["networkRuleSet"]["defaultAction"] == "Allow"
    ws = one(staging, WS).inputs
    assert ws["publicNetworkAccess"] == "Enabled"
    assert ws["managedNetwork"]["isolationMode"] == "AllowOnlyApprovedOutbound"
    assert one(staging, ACR).inputs["sku"]["name"] == "Premium"
    assert one(staging, KV).inputs["properties"]["enablePurgeProtection"] is True
    assert not [r.urn for r in staging.resources if r.protect]


def test_prod_profile_is_private_redundant_and_protected(plans: dict[str, Plan]) -> None:
    prod = plans["prod"]
    st = one(prod, STORAGE).inputs
    assert st["sku"]["name"] == "Standard_GZRS"
    assert st["allowSharedKeyAccess"] is False
    assert st["publicNetworkAccess"] == "Disabled"
    assert st["isHnsEnabled"] is False
    ws = one(prod, WS).inputs
    assert ws["publicNetworkAccess"] == "Disabled"
    assert ws["managedNetwork"]["isolationMode"] == "AllowOnlyApprovedOutbound"
    assert ws["systemDatastoresAuthMode"] == "Identity"
    assert ws["identity"]["type"] == "SystemAssigned"
    assert ws["hbiWorkspace"] is True  # set in stacks/Pulumi.prod.yaml
    assert ws["friendlyName"] == "Churn prediction (production)"
    kv = one(prod, KV).inputs["properties"]
    assert kv["enablePurgeProtection"] is True
    assert kv["softDeleteRetentionInDays"] == 90
    assert kv["enableRbacAuthorization"] is True
    assert one(prod, LOG).inputs["retentionInDays"] == 90
    acr = one(prod, ACR).inputs
    assert (acr["sku"]["name"], acr["publicNetworkAccess"], acr["adminUserEnabled"]) == ("Premium", "Disabled", False)
    for type_token in STATEFUL:
        assert one(prod, type_token).protect, type_token


def test_names_are_deterministic_and_differ_per_environment(plans: dict[str, Plan]) -> None:
    again = run_plan(ROOT, "dev")
    assert again.to_json() == plans["dev"].to_json()
    accounts = {stack: one(plan, STORAGE).inputs["accountName"] for stack, plan in plans.items()}
    assert len(set(accounts.values())) == 3


def test_recorded_outputs_fixture_matches_the_dev_stack(plans: dict[str, Plan]) -> None:
    # tests/fixtures/outputs/dev.json stands in for `pulumi stack output --json` in the connect
    # tests: it must keep the shape the dev stack really exports.
    import json

    recorded = json.loads((ROOT / "tests" / "fixtures" / "outputs" / "dev.json").read_text())
    assert set(recorded) == set(plans["dev"].outputs)
    planned = plans["dev"].outputs["datastores"].value
    assert [sorted(d) for d in recorded["datastores"]] == [sorted(d) for d in planned]


def test_recorded_shared_outputs_match_the_shared_stack() -> None:
    # stacks/outputs/ answers the environment stacks' StackReference offline: it must be what the
    # shared stack exports (re-record it when the registry's names change).
    shared = run_plan(ROOT, "shared")
    recorded = json.loads((ROOT / "stacks" / "outputs" / "organization.azureml-platform.shared.json").read_text())
    assert recorded == {key: output.value for key, output in shared.outputs.items()}
    (registry,) = shared.by_type("azure-native:machinelearningservices:Registry")
    assert registry.protect is True
    regions = [r["location"] for r in registry.inputs["regionDetails"]]
    assert regions == ["westeurope", "northeurope"]
