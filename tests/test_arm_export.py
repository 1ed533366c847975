"""`plan --format arm`: the plan as an ARM deployment template, checked against the Azure SDKs' own
models of the API versions azure-native 3.29 uses.

The shape test reads every exported resource of every shipped stack (and of the datastores fixture
and a user-assigned-identity variant, which add file shares, outbound rules, secrets and identities)
into the SDK model of its type and writes it back: a key the model does not know is dropped by
msrest deserialization (or, for azure-ai-ml's TypeSpec models, has no field), so a lost key is a
wrong shape or a misspelling.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from azure.ai.ml._restclient.arm_ml_service import models as ml
from azure.ai.ml._restclient.arm_ml_service._utils.model_base import Model as TypeSpecModel
from azure.mgmt.applicationinsights.v2020_02_02 import models as appinsights
from azure.mgmt.authorization.v2022_04_01 import models as authorization
from azure.mgmt.containerregistry.v2023_01_01_preview import models as registry

# azure-mgmt-containerservice 40.1 holds 2025-09-01 only.
from azure.mgmt.containerservice import models as containerservice
from azure.mgmt.keyvault.v2024_11_01 import models as keyvault
from azure.mgmt.kubernetesconfiguration.v2023_05_01 import models as kubernetesconfiguration

# No release has Log Analytics 2023-09-01 (azure-native's): 13.1 has 2025-07-01 only, a superset of
# the properties we send, so a misspelt or misplaced key still fails.
from azure.mgmt.loganalytics import models as loganalytics
from azure.mgmt.monitor.v2021_05_01_preview import models as monitor
from azure.mgmt.msi.v2023_01_31 import models as msi
from azure.mgmt.network import models as network
from azure.mgmt.privatedns import models as privatedns

# azure-mgmt-storage 23.0 holds 2024-01-01 only.
from azure.mgmt.storage import models as storage

from pulumi_azureml.cli import main
from pulumi_azureml.plan import PLACEHOLDER_SUBSCRIPTION, Plan, PlannedResource, run_plan, run_program
from pulumi_azureml.plan.arm import SCHEMA, SHAPES, api_version, to_arm_template

ROOT = Path(__file__).resolve().parents[1]
DATASTORES = ROOT / "tests" / "fixtures" / "datastores_project"
ML = "Microsoft.MachineLearningServices"
AKS = "Microsoft.ContainerService/managedClusters"

# ARM type -> (model, API version of that model). Storage and ML models hold one API version each.
MODELS: dict[str, tuple[type[Any], str]] = {
    "Microsoft.Storage/storageAccounts": (storage.StorageAccountCreateParameters, "2024-01-01"),
    "Microsoft.Storage/storageAccounts/blobServices": (storage.BlobServiceProperties, "2024-01-01"),
    "Microsoft.Storage/storageAccounts/fileServices": (storage.FileServiceProperties, "2024-01-01"),
    "Microsoft.Storage/storageAccounts/blobServices/containers": (storage.BlobContainer, "2024-01-01"),
    "Microsoft.Storage/storageAccounts/fileServices/shares": (storage.FileShare, "2024-01-01"),
    "Microsoft.KeyVault/vaults": (keyvault.VaultCreateOrUpdateParameters, "2024-11-01"),
    "Microsoft.ContainerRegistry/registries": (registry.Registry, "2023-01-01-preview"),
    "Microsoft.OperationalInsights/workspaces": (loganalytics.Workspace, "2025-07-01"),
    "Microsoft.Insights/components": (appinsights.ApplicationInsightsComponent, "2020-02-02"),
    "Microsoft.Insights/diagnosticSettings": (monitor.DiagnosticSettingsResource, "2021-05-01-preview"),
    "Microsoft.Authorization/roleAssignments": (authorization.RoleAssignmentCreateParameters, "2022-04-01"),
    "Microsoft.ManagedIdentity/userAssignedIdentities": (msi.Identity, "2023-01-31"),
    f"{ML}/workspaces": (ml.Workspace, "2025-12-01"),
    f"{ML}/workspaces/computes": (ml.ComputeResource, "2025-12-01"),
    f"{ML}/workspaces/datastores": (ml.Datastore, "2025-12-01"),
    f"{ML}/workspaces/outboundRules": (ml.OutboundRuleBasicResource, "2025-12-01"),
    f"{ML}/registries": (ml.Registry, "2025-12-01"),
    f"{ML}/workspaces/onlineEndpoints": (ml.OnlineEndpoint, "2025-12-01"),
    AKS: (containerservice.ManagedCluster, "2025-09-01"),
    f"{AKS}/managedNamespaces": (containerservice.ManagedNamespace, "2025-09-01"),
    f"{AKS}/trustedAccessRoleBindings": (containerservice.TrustedAccessRoleBinding, "2025-09-01"),
    "Microsoft.KubernetesConfiguration/extensions": (kubernetesconfiguration.Extension, "2023-05-01"),
    # azure-mgmt-network 27 models 2024-06-01, the release after azure-native's 2024-05-01 (no
    # property these resources use changed between them).
    "Microsoft.Network/virtualNetworks": (network.VirtualNetwork, "2024-06-01"),
    "Microsoft.Network/virtualNetworks/subnets": (network.Subnet, "2024-06-01"),
    "Microsoft.Network/networkSecurityGroups": (network.NetworkSecurityGroup, "2024-06-01"),
    "Microsoft.Network/privateEndpoints": (network.PrivateEndpoint, "2024-06-01"),
    "Microsoft.Network/privateEndpoints/privateDnsZoneGroups": (network.PrivateDnsZoneGroup, "2024-06-01"),
    "Microsoft.Network/privateDnsZones": (privatedns.PrivateZone, "2024-06-01"),
    "Microsoft.Network/privateDnsZones/virtualNetworkLinks": (privatedns.VirtualNetworkLink, "2024-06-01"),
}
# Where the SDK model's API version is not azure-native's (see the imports).
NEAREST = {
    "Microsoft.OperationalInsights/workspaces": "2023-09-01",
    **{
        t: "2024-05-01"
        for t in (
            "Microsoft.Network/virtualNetworks",
            "Microsoft.Network/virtualNetworks/subnets",
            "Microsoft.Network/networkSecurityGroups",
            "Microsoft.Network/privateEndpoints",
            "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
        )
    },
}
# Keys of a template resource that are the template's, not the request body's.
TEMPLATE_KEYS = {"type", "apiVersion", "name", "scope", "dependsOn", "comments"}


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {
        "dev": run_plan(ROOT, "dev"),
        "staging": run_plan(ROOT, "staging"),
        "prod": run_plan(ROOT, "prod"),
        "shared": run_plan(ROOT, "shared"),
        "datastores": run_plan(DATASTORES, "staging"),
        "user-assigned": run_plan(ROOT, "staging", config_overrides={"identity": '{"type": "UserAssigned"}'}),
    }


@pytest.fixture(scope="module")
def templates(plans: dict[str, Plan]) -> dict[str, dict[str, Any]]:
    return {name: to_arm_template(plan) for name, plan in plans.items()}


def leaf_paths(value: Any, path: str = "") -> Iterator[str]:
    """Every key path in a JSON value (list items as [i]); empty objects count as leaves."""
    if isinstance(value, Mapping) and value:
        for key, item in value.items():
            yield from leaf_paths(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            yield from leaf_paths(item, f"{path}[{i}]")
    else:
        yield path


def body_of(resource: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in resource.items() if k not in TEMPLATE_KEYS}


def msrest_round_trip(model: type[Any], body: dict[str, Any]) -> dict[str, Any]:
    """Deserialize into the msrest model and serialize back (validating required fields)."""
    round_tripped: dict[str, Any] = model.deserialize(body).serialize(keep_readonly=True)
    return round_tripped


def typespec_unknown_paths(value: Any, data: Any, path: str) -> Iterator[str]:
    """Paths in ``data`` that azure-ai-ml's TypeSpec model ``value`` (deserialized from it) has no
    field for. These models keep unknown keys in their raw mapping, so a round trip would not drop
    them: the walk asks each level for the field of each key and follows its typed value."""
    if isinstance(value, TypeSpecModel) and isinstance(data, Mapping):
        fields: dict[str, Any] = value._attr_to_rest_field
        for key, item in data.items():
            attribute = next((a for a, f in fields.items() if f._rest_name == key), None)
            child = f"{path}.{key}" if path else key
            typed = getattr(value, attribute) if attribute is not None else None
            if attribute is None:
                yield child
            elif fields[attribute]._is_model and not reads_as_models(typed):
                # The model could not read it (a list where it has an object, say) and kept it raw.
                yield f"{child} (the model cannot read it)"
            else:
                yield from typespec_unknown_paths(typed, item, child)
    elif isinstance(value, list) and isinstance(data, list):
        for i, (typed, raw) in enumerate(zip(value, data, strict=True)):
            yield from typespec_unknown_paths(typed, raw, f"{path}[{i}]")
    elif isinstance(value, Mapping) and isinstance(data, Mapping):
        for key in data:
            yield from typespec_unknown_paths(value[key], data[key], f"{path}.{key}")
    elif isinstance(data, Mapping | list) or isinstance(value, TypeSpecModel | list):
        yield f"{path} ({type(data).__name__} where the model has {type(value).__name__})"


def reads_as_models(typed: Any) -> bool:
    """A model field's value as the model read it: a model, or a list or map of them."""
    if isinstance(typed, TypeSpecModel):
        return True
    if isinstance(typed, list):
        return all(isinstance(item, TypeSpecModel) for item in typed)
    return isinstance(typed, dict) and all(isinstance(item, TypeSpecModel) for item in typed.values())


def lost_paths(arm_type: str, resource: Mapping[str, Any]) -> list[str]:
    model, _ = MODELS[arm_type]
    body = body_of(resource)
    if issubclass(model, TypeSpecModel):
        typed = model._deserialize(body, [])  # type: ignore[no-untyped-call]
        return list(typespec_unknown_paths(typed, body, ""))
    kept = set(leaf_paths(msrest_round_trip(model, body)))
    return [p for p in leaf_paths(body) if p not in kept]


def every_resource(templates: dict[str, dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for stack, template in templates.items():
        for resource in template["resources"]:
            yield stack, resource


# -- the shape test ---------------------------------------------------------------------------


def test_every_exported_key_survives_the_sdk_model(templates: dict[str, dict[str, Any]]) -> None:
    lost = {
        f"{stack} {r['type']} {r['name']}": paths
        for stack, r in every_resource(templates)
        if (paths := lost_paths(r["type"], r))
    }
    assert lost == {}


def test_shape_test_covers_every_type_the_components_create(templates: dict[str, dict[str, Any]]) -> None:
    covered = {(stack, r["type"]) for stack, r in every_resource(templates)}
    assert {t for _, t in covered} == set(MODELS)
    # The three shipped stacks alone: every type they produce has a model.
    shipped = {t for s, t in covered if s in ("shared", "dev", "staging", "prod")}
    assert shipped <= set(MODELS) and len(shipped) == 28


@pytest.mark.parametrize("arm_type", sorted(MODELS))
def test_api_version_is_azure_natives_and_the_models(arm_type: str, templates: dict[str, dict[str, Any]]) -> None:
    versions = {r["apiVersion"] for _, r in every_resource(templates) if r["type"] == arm_type}
    assert versions == {NEAREST.get(arm_type, MODELS[arm_type][1])}


def test_a_lost_key_is_caught() -> None:
    # The check itself: a misspelt key, a key in the wrong place, a nested misspelling.
    account = {"location": "westeurope", "kind": "StorageV2", "sku": {"name": "Standard_LRS"}}
    assert lost_paths("Microsoft.Storage/storageAccounts", {**account, "properties": {"networkRuleSet": {}}}) == [
        "properties.networkRuleSet"
    ]
    assert lost_paths("Microsoft.OperationalInsights/workspaces", {"location": "x", "sku": {"name": "PerGB2018"}}) == [
        "sku.name"
    ]
    compute = {"properties": {"computeType": "AmlCompute", "properties": {"vmSise": "Standard_DS3_v2"}}}
    assert lost_paths(f"{ML}/workspaces/computes", compute) == ["properties.properties.vmSise"]
    # azure-native's list of user-assigned identities where ARM has a map.
    identity = {"identity": {"type": "UserAssigned", "userAssignedIdentities": ["/id"]}}
    assert lost_paths(f"{ML}/workspaces", identity) == ["identity (the model cannot read it)"]


# -- the template ------------------------------------------------------------------------------


def test_template_shape(templates: dict[str, dict[str, Any]]) -> None:
    for template in templates.values():
        assert template["$schema"] == SCHEMA
        assert template["contentVersion"] == "1.0.0.0"
        assert set(template) == {"$schema", "contentVersion", "metadata", "parameters", "resources"}
        for resource in template["resources"]:
            assert isinstance(resource["name"], str) and resource["name"]
            assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?", resource["apiVersion"])
            assert resource["type"].count("/") == resource["name"].count("/") + 1


def test_shipped_stacks_need_no_parameters_and_hold_no_placeholder(templates: dict[str, dict[str, Any]]) -> None:
    for stack in ("dev", "staging", "prod"):
        template = templates[stack]
        assert template["parameters"] == {}
        assert template["metadata"]["notes"] == []
        group, *elsewhere = template["metadata"]["skipped"]
        assert group["type"] == "azure-native:resources:ResourceGroup"
        # Reader on the shared stack's registry: role assignments in the shared group, not this one.
        registry = f"resourceGroups/rg-churn-shared-we/providers/{ML}/registries/mlr-churn-shared-we'"
        assert elsewhere and all(
            s["type"] == "azure-native:authorization:RoleAssignment" and registry in s["reason"] for s in elsewhere
        )
        assert PLACEHOLDER_SUBSCRIPTION not in json.dumps(template["resources"])


def test_no_value_only_azure_knows_is_written_literally(
    plans: dict[str, Plan], templates: dict[str, dict[str, Any]]
) -> None:
    for name, plan in plans.items():
        text = json.dumps(templates[name]["resources"])
        assert [v for v in plan.invented if f'"{v}"' in text] == []


def dependable_ids(resource: Mapping[str, Any]) -> str:
    """The id expression another resource's dependsOn names this one by."""
    names = ", ".join(f"'{n}'" for n in resource["name"].split("/"))
    own = f"resourceId('{resource['type']}', {names})"
    scope = resource.get("scope")
    if scope is None:
        return f"[{own}]"
    namespace, *parts = scope.split("/")
    scope_id = (
        f"resourceId('{'/'.join([namespace, *parts[0::2]])}', {', '.join(repr(n) for n in parts[1::2])})"
        if scope
        else "resourceGroup().id"
    )
    return f"[extensionResourceId({scope_id}, '{resource['type']}', {names})]"


def test_depends_on_names_resources_of_the_template(templates: dict[str, dict[str, Any]]) -> None:
    for template in templates.values():
        ids = {dependable_ids(r) for r in template["resources"]}
        dangling = [d for r in template["resources"] for d in r.get("dependsOn", []) if d not in ids]
        assert dangling == []


def test_children_depend_on_their_parents(templates: dict[str, dict[str, Any]]) -> None:
    for _, resource in every_resource(templates):
        if "/" in resource["name"]:
            parent_type = resource["type"].rsplit("/", 1)[0]
            parent = "', '".join(resource["name"].split("/")[:-1])
            assert f"[resourceId('{parent_type}', '{parent}')]" in resource["dependsOn"], resource["name"]


# -- per type ----------------------------------------------------------------------------------


def find(template: dict[str, Any], arm_type: str, name: str | None = None) -> dict[str, Any]:
    found = [r for r in template["resources"] if r["type"] == arm_type and (name is None or r["name"] == name)]
    assert found, (arm_type, name)
    first: dict[str, Any] = found[0]
    return first


def test_storage_account_is_flattened_and_renamed(templates: dict[str, dict[str, Any]]) -> None:
    account = find(templates["prod"], "Microsoft.Storage/storageAccounts")
    assert {"location", "kind", "sku", "tags", "properties"} <= set(account)
    props = account["properties"]
    assert props["networkAcls"] == {
        "bypass": "AzureServices",
        "defaultAction": "Deny",
        "resourceAccessRules": [
            {
                "resourceId": "[resourceId('Microsoft.MachineLearningServices/workspaces', 'mlw-churn-prod-we')]",
                "tenantId": "[subscription().tenantId]",
            }
        ],
    }
    assert props["supportsHttpsTrafficOnly"] is True and props["allowSharedKeyAccess"] is False
    assert "resourceGroupName" not in account and "accountName" not in props


def test_storage_children_are_named_under_their_account(templates: dict[str, dict[str, Any]]) -> None:
    dev = templates["dev"]
    blob = find(dev, "Microsoft.Storage/storageAccounts/blobServices", "stchurndev4q4dd3/default")
    assert blob["properties"]["deleteRetentionPolicy"] == {"days": 7, "enabled": True}
    assert "blobServicesName" not in blob["properties"]
    files = find(dev, "Microsoft.Storage/storageAccounts/fileServices", "stchurndev4q4dd3/default")
    assert files["properties"]["shareDeleteRetentionPolicy"] == {"days": 7, "enabled": True}
    container = find(dev, "Microsoft.Storage/storageAccounts/blobServices/containers")
    assert container["name"].endswith("/default/raw") and container["properties"] == {"publicAccess": "None"}
    share = find(templates["datastores"], "Microsoft.Storage/storageAccounts/fileServices/shares")
    assert share["name"].endswith("/default/notebooks")


def test_key_vault_keeps_its_properties(templates: dict[str, dict[str, Any]]) -> None:
    vault = find(templates["prod"], "Microsoft.KeyVault/vaults")
    assert vault["properties"]["enablePurgeProtection"] is True
    assert vault["properties"]["tenantId"] == "[subscription().tenantId]"
    assert vault["properties"]["networkAcls"]["defaultAction"] == "Deny"


def test_log_analytics_sku_is_a_property(templates: dict[str, dict[str, Any]]) -> None:
    log = find(templates["prod"], "Microsoft.OperationalInsights/workspaces")
    assert "sku" not in log and log["properties"]["sku"] == {"name": "PerGB2018"}
    assert log["properties"]["retentionInDays"] == 90


def test_application_insights_uses_the_specs_wire_names(templates: dict[str, dict[str, Any]]) -> None:
    appi = find(templates["prod"], "Microsoft.Insights/components")
    assert appi["kind"] == "web"
    props = appi["properties"]
    assert props["Application_Type"] == "web" and props["IngestionMode"] == "LogAnalytics"
    assert (
        props["WorkspaceResourceId"] == "[resourceId('Microsoft.OperationalInsights/workspaces', 'log-churn-prod-we')]"
    )


def test_registry(templates: dict[str, dict[str, Any]]) -> None:
    acr = find(templates["prod"], "Microsoft.ContainerRegistry/registries")
    assert acr["sku"] == {"name": "Premium"}
    assert acr["properties"]["publicNetworkAccess"] == "Disabled" and acr["properties"]["adminUserEnabled"] is False


def test_workspace_refers_to_its_dependents_by_resource_id(templates: dict[str, dict[str, Any]]) -> None:
    ws = find(templates["prod"], f"{ML}/workspaces")
    props = ws["properties"]
    assert props["storageAccount"].startswith("[resourceId('Microsoft.Storage/storageAccounts', ")
    assert props["keyVault"].startswith("[resourceId('Microsoft.KeyVault/vaults', ")
    assert ws["identity"] == {"type": "SystemAssigned"} and props["publicNetworkAccess"] == "Disabled"
    assert props["storageAccount"] in ws["dependsOn"]


def test_user_assigned_identities_become_a_map(templates: dict[str, dict[str, Any]]) -> None:
    template = templates["user-assigned"]
    ws = find(template, f"{ML}/workspaces")
    uai = "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-churn-staging-we')]"
    assert ws["identity"] == {"type": "UserAssigned", "userAssignedIdentities": {uai: {}}}
    assert ws["properties"]["primaryUserAssignedIdentity"] == uai
    identity = find(template, "Microsoft.ManagedIdentity/userAssignedIdentities")
    assert set(identity) == {"type", "apiVersion", "name", "location", "tags", "comments"}


def test_computes_keep_their_nested_properties(templates: dict[str, dict[str, Any]]) -> None:
    cluster = find(templates["dev"], f"{ML}/workspaces/computes", "mlw-churn-dev-we/cpu-cluster")
    assert cluster["properties"]["computeType"] == "AmlCompute"
    assert cluster["properties"]["properties"]["scaleSettings"]["maxNodeCount"] == 2
    assert cluster["identity"] == {"type": "SystemAssigned"} and cluster["location"] == "westeurope"
    instance = find(templates["dev"], f"{ML}/workspaces/computes", "mlw-churn-dev-we/ci-alice-gezc")
    assigned = instance["properties"]["properties"]["personalComputeInstanceSettings"]["assignedUser"]
    assert assigned["tenantId"] == "[subscription().tenantId]"


def test_datastores_and_secrets_become_securestring_parameters(templates: dict[str, dict[str, Any]]) -> None:
    template = templates["datastores"]
    store = find(template, f"{ML}/workspaces/datastores", "mlw-churn-staging-we/blob_key")
    reference = store["properties"]["credentials"]["secrets"]["key"]
    name = "datastore_blob_key_datastore_properties_credentials_secrets_key"
    assert reference == f"[parameters('{name}')]"
    assert template["parameters"][name]["type"] == "securestring"
    assert store["properties"]["subscriptionId"] == "[subscription().subscriptionId]"
    assert store["properties"]["resourceGroup"] == "[resourceGroup().name]"
    # A datastore on an account in another subscription keeps that account's coordinates.
    lake = find(template, f"{ML}/workspaces/datastores", "mlw-churn-staging-we/lake_sp")
    assert lake["properties"]["subscriptionId"] == "00000000-0000-0000-0000-000000000009"
    used = set(re.findall(r"\[parameters\('([^']+)'\)\]", json.dumps(template["resources"])))
    assert used == set(template["parameters"]) and len(used) == 11
    assert all(p["type"] == "securestring" for p in template["parameters"].values())


def test_outbound_rules(templates: dict[str, dict[str, Any]]) -> None:
    rule = find(templates["datastores"], f"{ML}/workspaces/outboundRules", "mlw-churn-staging-we/blob-identity-blob")
    destination = rule["properties"]["destination"]
    assert destination["serviceResourceId"] == "[resourceId('Microsoft.Storage/storageAccounts', 'stchurnstgucsd5o')]"
    assert rule["properties"]["type"] == "PrivateEndpoint"


def test_role_assignments_are_scoped_extension_resources(templates: dict[str, dict[str, Any]]) -> None:
    on_storage = [
        r
        for r in templates["dev"]["resources"]
        if r["type"] == "Microsoft.Authorization/roleAssignments"
        and r["scope"] == "Microsoft.Storage/storageAccounts/stchurndev4q4dd3"
        and "computes" in r["properties"]["principalId"]
    ]
    assert len(on_storage) == 1  # the cluster identity's data role on the default storage
    props = on_storage[0]["properties"]
    assert set(props) == {"principalId", "roleDefinitionId", "principalType", "description"}
    assert props["roleDefinitionId"] == (
        "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')]"
    )
    # The cluster's identity is only known after apply: a reference to it.
    compute = "resourceId('Microsoft.MachineLearningServices/workspaces/computes', 'mlw-churn-dev-we', 'cpu-cluster')"
    assert props["principalId"] == f"[reference({compute}, '2025-12-01', 'Full').identity.principalId]"
    assert f"[{compute}]" in on_storage[0]["dependsOn"]
    # A user-assigned identity's grants reference the identity's principal, before the workspace.
    template = templates["user-assigned"]
    uai = [
        r
        for r in template["resources"]
        if r["type"].endswith("roleAssignments") and "userAssignedIdentities" in r["properties"]["principalId"]
    ]
    assert uai and all(
        r["properties"]["principalId"].endswith(", '2023-01-31', 'Full').properties.principalId]") for r in uai
    )


def test_role_assignments_outside_the_group_are_skipped(templates: dict[str, dict[str, Any]]) -> None:
    skipped = templates["datastores"]["metadata"]["skipped"]
    outside = [s for s in skipped if s["type"] == "azure-native:authorization:RoleAssignment"]
    assert outside and all("rg-partner" in s["reason"] for s in outside)


def test_diagnostic_settings_extend_what_they_watch(templates: dict[str, dict[str, Any]]) -> None:
    settings = [r for r in templates["prod"]["resources"] if r["type"] == "Microsoft.Insights/diagnosticSettings"]
    assert sorted(s["scope"].split("/")[0] for s in settings) == [
        "Microsoft.ContainerRegistry",
        "Microsoft.KeyVault",
        "Microsoft.MachineLearningServices",
    ]
    assert all(s["properties"]["logs"] == [{"categoryGroup": "allLogs", "enabled": True}] for s in settings)
    assert all("resourceUri" not in s["properties"] for s in settings)


AKS_PROD = "aks-churn-prod-we-aks-inference"
AKS_ID = f"resourceId('{AKS}', '{AKS_PROD}')"


def test_managed_cluster_keeps_its_envelope_on_top(templates: dict[str, dict[str, Any]]) -> None:
    cluster = find(templates["prod"], AKS, AKS_PROD)
    assert cluster["sku"] == {"name": "Base", "tier": "Standard"} and cluster["location"] == "westeurope"
    uai = "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-aks-churn-prod-we-aks-inference')]"
    assert cluster["identity"] == {"type": "UserAssigned", "userAssignedIdentities": {uai: {}}}
    props = cluster["properties"]
    assert props["aadProfile"]["tenantID"] == "[subscription().tenantId]" and props["enableRBAC"] is True
    subnet = "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-churn-prod-we', 'snet-aks')]"
    assert [pool["vnetSubnetID"] for pool in props["agentPoolProfiles"]] == [subnet, subnet]
    assert "resourceName" not in props and "resourceName" not in cluster


def test_cluster_children_are_named_under_their_cluster(templates: dict[str, dict[str, Any]]) -> None:
    namespace = find(templates["prod"], f"{AKS}/managedNamespaces", f"{AKS_PROD}/azureml-workloads")
    assert namespace["properties"]["adoptionPolicy"] == "IfIdentical" and namespace["location"] == "westeurope"
    binding = find(templates["prod"], f"{AKS}/trustedAccessRoleBindings", f"{AKS_PROD}/aml-aks-inference")
    workspace = "[resourceId('Microsoft.MachineLearningServices/workspaces', 'mlw-churn-prod-we')]"
    assert binding["properties"] == {
        "roles": ["Microsoft.MachineLearningServices/workspaces/mlworkload"],
        "sourceResourceId": workspace,
    }
    assert set(binding) - TEMPLATE_KEYS == {"properties"}


def test_kubernetes_extension_extends_its_cluster(templates: dict[str, dict[str, Any]]) -> None:
    extension = find(templates["prod"], "Microsoft.KubernetesConfiguration/extensions", "azureml")
    assert extension["scope"] == f"{AKS}/{AKS_PROD}"
    assert f"[{AKS_ID}]" in extension["dependsOn"]
    props = extension["properties"]
    assert not {"clusterRp", "clusterResourceName", "clusterName"} & (set(props) | set(extension))
    # Its own `scope` (where in the cluster it installs) is a property, not the template's scope.
    assert props["scope"] == {"cluster": {"releaseNamespace": "azureml"}}
    assert props["extensionType"] == "Microsoft.AzureML.Kubernetes"
    # The attached compute waits for the extension by its id on the cluster.
    compute = find(templates["prod"], f"{ML}/workspaces/computes", "mlw-churn-prod-we/aks-inference")
    own = "'Microsoft.KubernetesConfiguration/extensions', 'azureml'"
    assert f"[extensionResourceId({AKS_ID}, {own})]" in compute["dependsOn"]


def test_online_endpoints_keep_their_properties(templates: dict[str, dict[str, Any]]) -> None:
    endpoint = find(templates["prod"], f"{ML}/workspaces/onlineEndpoints", "mlw-churn-prod-we/churn-score-aks")
    assert endpoint["identity"] == {"type": "SystemAssigned"}
    assert endpoint["properties"] == {
        "authMode": "AMLToken",
        "compute": "aks-inference",
        "publicNetworkAccess": "Enabled",
    }


# -- the table against the SDKs ------------------------------------------------------------------


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def sdk_renames(model: type[Any], prefix: str = "", seen: frozenset[str] = frozenset()) -> Iterator[tuple[str, str]]:
    """(input path, wire name) wherever an msrest model's wire name is not its attribute's camelCase."""
    module = __import__(model.__module__, fromlist=["_"])
    for attribute, spec in model._attribute_map.items():
        if model._validation.get(attribute, {}).get("readonly") or model.__name__ in seen:
            continue
        wire = spec["key"].replace("\\.", ".").split(".")[-1] if not prefix else spec["key"].replace("\\.", ".")
        path = prefix + camel(attribute)
        if wire != camel(attribute):
            yield path, wire
        nested = getattr(module, spec["type"].strip("[]{}"), None)
        if isinstance(nested, type) and hasattr(nested, "_attribute_map"):
            inner = path + ("[]." if spec["type"].startswith("[") else ".")
            yield from sdk_renames(nested, inner, seen | {model.__name__})


def normal(path: str) -> str:
    return path.lower()


def native_names(module_type: str) -> set[str]:
    """Every input name azure-native's SDK module uses (its getters' names): the nested types' and
    the resource's own (``enableRBAC`` is a ManagedCluster argument, in no nested type)."""
    module_name, resource = module_type.split(":")
    module = __import__(f"pulumi_azure_native.{module_name}", fromlist=["_"])
    sources = [Path(module.__file__ or "").with_name("_inputs.py"), Path(inspect.getfile(getattr(module, resource)))]
    return {name for path in sources for name in re.findall(r'@pulumi\.getter\(name="([^"]+)"\)', path.read_text())}


def needs_rename(module_type: str, wire: str) -> bool:
    # A wire name that differs from the SDK attribute only in case may be azure-native's own spelling.
    return wire not in native_names(module_type)


@pytest.mark.parametrize(
    ("module_type", "arm_type"),
    [
        ("storage:StorageAccount", "Microsoft.Storage/storageAccounts"),
        ("storage:BlobServiceProperties", "Microsoft.Storage/storageAccounts/blobServices"),
        ("storage:FileServiceProperties", "Microsoft.Storage/storageAccounts/fileServices"),
        ("storage:BlobContainer", "Microsoft.Storage/storageAccounts/blobServices/containers"),
        ("storage:FileShare", "Microsoft.Storage/storageAccounts/fileServices/shares"),
        ("containerregistry:Registry", "Microsoft.ContainerRegistry/registries"),
        ("operationalinsights:Workspace", "Microsoft.OperationalInsights/workspaces"),
        ("applicationinsights:Component", "Microsoft.Insights/components"),
        ("monitor:DiagnosticSetting", "Microsoft.Insights/diagnosticSettings"),
        ("authorization:RoleAssignment", "Microsoft.Authorization/roleAssignments"),
        ("managedidentity:UserAssignedIdentity", "Microsoft.ManagedIdentity/userAssignedIdentities"),
        ("containerservice:ManagedCluster", AKS),
        ("containerservice:ManagedNamespace", f"{AKS}/managedNamespaces"),
        ("containerservice:TrustedAccessRoleBinding", f"{AKS}/trustedAccessRoleBindings"),
        ("kubernetesconfiguration:Extension", "Microsoft.KubernetesConfiguration/extensions"),
    ],
)
def test_shape_table_matches_the_sdk_model(module_type: str, arm_type: str) -> None:
    """For the whole type, not only what the stacks set: which inputs stay on top, and every rename.

    (azure-native's input names match the SDK's attribute names but for case: `iPAddressOrRange`.)
    """
    model, _ = MODELS[arm_type]
    shape = SHAPES[module_type]
    writable = {
        a: s["key"] for a, s in model._attribute_map.items() if not model._validation.get(a, {}).get("readonly")
    }
    top = {camel(a) for a, key in writable.items() if not key.startswith("properties")}
    flattened = {camel(a) for a, key in writable.items() if key.startswith("properties.")}
    assert top <= shape.top
    assert not {normal(n) for n in flattened} & {normal(n) for n in shape.top}
    expected = {
        normal(p): w
        for p, w in sdk_renames(model)
        if normal(p) != "features.additionalproperties"
        and (normal(p.split(".")[-1]) != normal(w) or needs_rename(module_type, w))
    }
    assert {normal(p): w for p, w in shape.renames.items()} == expected


def test_api_versions_come_from_the_sdk_source() -> None:
    assert api_version("azure-native:machinelearningservices:Workspace") == "2025-12-01"
    assert api_version("azure-native:storage:StorageAccount") == "2024-01-01"
    assert api_version("azure-native:monitor:DiagnosticSetting") == "2021-05-01-preview"
    assert api_version("azure-native:storage:NoSuchThing") is None
    assert api_version("azure-native:nosuchmodule:Thing") is None


# -- values ------------------------------------------------------------------------------------


def planned(type_token: str, name: str, inputs: dict[str, Any], deps: list[str] | None = None) -> PlannedResource:
    urn = f"urn:pulumi:t::p::{type_token}::{name}"
    return PlannedResource(urn, type_token, name, None, True, False, inputs, deps or [])


def plan_of(*resources: PlannedResource, **fields: Any) -> Plan:
    return Plan("p", "t", list(resources), {}, "sub-1", "tenant-1", **fields)


def test_unknown_values_are_left_out_with_a_note() -> None:
    account = planned(
        "azure-native:storage:StorageAccount",
        "st",
        {"resourceGroupName": "rg", "accountName": "st", "location": "[unknown]", "kind": "StorageV2"},
    )
    template = to_arm_template(plan_of(account))
    (resource,) = template["resources"]
    assert "location" not in resource and resource["kind"] == "StorageV2"
    assert template["metadata"]["notes"] == ["st: location is known only after apply; left out"]


def test_literal_brackets_are_escaped_and_ids_in_text_become_concat() -> None:
    account_id = "/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"
    account = planned("azure-native:storage:StorageAccount", "st", {"resourceGroupName": "rg", "accountName": "st"})
    vault = planned(
        "azure-native:keyvault:Vault",
        "kv",
        {
            "resourceGroupName": "rg",
            "vaultName": "kv",
            "tags": {"note": "[draft]", "blob": f"{account_id}/blobServices"},
        },
    )
    plan = plan_of(account, vault, invented=frozenset({account_id}), origins={account_id: (account.urn, "id")})
    tags = to_arm_template(plan)["resources"][1]["tags"]
    assert tags["note"] == "[[draft]"
    assert tags["blob"] == "[concat(resourceId('Microsoft.Storage/storageAccounts', 'st'), '/blobServices')]"


def test_a_value_only_azure_knows_without_an_origin_is_kept_with_a_note() -> None:
    vault = planned(
        "azure-native:keyvault:Vault", "kv", {"resourceGroupName": "rg", "vaultName": "kv", "tags": {"a": "x-42"}}
    )
    template = to_arm_template(plan_of(vault, invented=frozenset({"x-42"})))
    assert template["resources"][0]["tags"] == {"a": "x-42"}
    assert template["metadata"]["notes"] == ["a value only Azure knows is kept as the plan's placeholder: x-42"]


def test_resources_elsewhere_and_unknown_types_are_noted() -> None:
    group = planned("azure-native:resources:ResourceGroup", "rg", {"resourceGroupName": "rg"})
    elsewhere = planned("azure-native:storage:StorageAccount", "far", {"resourceGroupName": "rg-2", "accountName": "f"})
    provider = planned("pulumi:providers:azure-native", "default", {})
    other = planned("random:index:RandomString", "r", {})
    guessed = planned("azure-native:network:NatGateway", "nat", {"resourceGroupName": "rg", "natGatewayName": "v"})
    template = to_arm_template(plan_of(group, elsewhere, provider, other, guessed))
    reasons = [s["reason"] for s in template["metadata"]["skipped"]]
    assert reasons == [
        "the resource group: the template is deployed into one",
        "in resource group 'rg-2', not 'rg'",
        "a provider",
        "not an azure-native resource",
    ]
    (nat,) = template["resources"]
    assert nat["type"] == "Microsoft.Network/natGateways" and nat["name"] == "v"
    assert template["metadata"]["notes"] == [
        "nat: azure-native:network:NatGateway is not in the shape table; properties shaped by the common rule"
    ]


def test_shared_private_link_resources_keep_their_own_properties() -> None:
    # azure-native flattens these list items' properties too (the spec's x-ms-client-flatten).
    link = {"name": "pl", "groupId": "blob", "privateLinkResourceId": "/x", "requestMessage": "please"}
    inputs = {"resourceGroupName": "rg", "workspaceName": "ws", "location": "westeurope"}
    ws = planned(
        "azure-native:machinelearningservices:Workspace", "w", {**inputs, "sharedPrivateLinkResources": [link]}
    )
    (resource,) = to_arm_template(plan_of(ws))["resources"]
    assert resource["properties"]["sharedPrivateLinkResources"] == [
        {"name": "pl", "properties": {"groupId": "blob", "privateLinkResourceId": "/x", "requestMessage": "please"}}
    ]
    assert lost_paths(f"{ML}/workspaces", resource) == []


def test_autoscaler_profile_takes_the_autoscalers_flag_names() -> None:
    # No shipped stack sets it: azure-native's camelCase names go out as the cluster-autoscaler's flags.
    inputs = {"resourceGroupName": "rg", "resourceName": "aks", "location": "westeurope", "dnsPrefix": "aks"}
    profile = {"balanceSimilarNodeGroups": "true", "scanInterval": "20s", "expander": "least-waste"}
    cluster = planned("azure-native:containerservice:ManagedCluster", "aks", {**inputs, "autoScalerProfile": profile})
    (resource,) = to_arm_template(plan_of(cluster))["resources"]
    assert resource["properties"]["autoScalerProfile"] == {
        "balance-similar-node-groups": "true",
        "expander": "least-waste",
        "scan-interval": "20s",
    }
    assert lost_paths(AKS, resource) == []


def extension_of(cluster_name: str, group: str = "rg") -> PlannedResource:
    return planned(
        "azure-native:kubernetesconfiguration:Extension",
        "ext",
        {
            "resourceGroupName": group,
            "clusterRp": "Microsoft.ContainerService",
            "clusterResourceName": "managedClusters",
            "clusterName": cluster_name,
            "extensionName": "azureml",
            "extensionType": "Microsoft.AzureML.Kubernetes",
        },
    )


def test_extensions_of_clusters_elsewhere_or_unknown_are_skipped() -> None:
    group = planned("azure-native:resources:ResourceGroup", "rg", {"resourceGroupName": "rg"})
    template = to_arm_template(
        plan_of(group, extension_of("aks"), extension_of("[unknown]"), extension_of("a", "rg-2"))
    )
    (resource,) = template["resources"]
    assert resource["scope"] == "Microsoft.ContainerService/managedClusters/aks"
    assert resource["properties"] == {"extensionType": "Microsoft.AzureML.Kubernetes"}
    assert [s["reason"] for s in template["metadata"]["skipped"]][1:] == [
        "the resource it extends is known only after apply",
        "in resource group 'rg-2', not 'rg'",
    ]


def test_auto_named_resources_take_the_plans_name() -> None:
    def program() -> None:
        import pulumi_azure_native.storage as st

        st.StorageAccount("auto", resource_group_name="rg", kind="StorageV2", sku={"name": "Standard_LRS"})

    plan = run_program(program)
    template = to_arm_template(plan)
    (resource,) = template["resources"]
    assert resource["name"].startswith("auto")
    assert template["metadata"]["notes"] == [
        f"auto: auto-named by azure-native at apply; the template names it {resource['name']}"
    ]


# -- the command -------------------------------------------------------------------------------


def test_cli_prints_the_template(capsys: pytest.CaptureFixture[str], templates: dict[str, dict[str, Any]]) -> None:
    assert main(["plan", "--stack", "prod", "--format", "arm", "--cwd", str(ROOT)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == templates["prod"]


def test_cli_bad_format_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--stack", "prod", "--format", "bicep"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "invalid choice: 'bicep'" in err[0]
