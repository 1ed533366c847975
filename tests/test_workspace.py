"""MachineLearningWorkspace under Pulumi's mocks: children, parents, defaults, BYO ids, overrides."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.core.roles import BuiltInRole
from pulumi_azureml.plan import Plan, PlannedResource, run_program
from pulumi_azureml.workspace import COMPONENT_TYPE, MachineLearningWorkspace

SUB = "00000000-0000-0000-0000-000000000001"
STORAGE_ID = f"/subscriptions/{SUB}/resourceGroups/rg-shared/providers/Microsoft.Storage/storageAccounts/stshared"
KV_ID = f"/subscriptions/{SUB}/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/kv-shared"
APPI_ID = f"/subscriptions/{SUB}/resourceGroups/rg-shared/providers/Microsoft.Insights/components/appi-shared"
ACR_ID = f"/subscriptions/{SUB}/resourceGroups/rg-shared/providers/Microsoft.ContainerRegistry/registries/crshared"
UAI_ID = (
    f"/subscriptions/{SUB}/resourceGroups/rg-shared/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x"
)
UAI_PRINCIPAL = "6f1d0c9e-1c2b-4e3a-9d8f-0a1b2c3d4e5f"

WS = "azure-native:machinelearningservices:Workspace"
STORAGE = "azure-native:storage:StorageAccount"
KV = "azure-native:keyvault:Vault"
RA = "azure-native:authorization:RoleAssignment"
STATEFUL = {
    "azure-native:resources:ResourceGroup",
    STORAGE,
    KV,
    "azure-native:operationalinsights:Workspace",
    "azure-native:applicationinsights:Component",
    "azure-native:containerregistry:Registry",
    "azure-native:managedidentity:UserAssignedIdentity",
    WS,
}


def plan_component(**overrides: Any) -> Plan:
    args: dict[str, Any] = {"workload": "churn", "environment": "dev", "location": "westeurope", **overrides}

    def program() -> None:
        ws = MachineLearningWorkspace("ml", args)
        import pulumi

        for key, value in ws.connection_bundle().items():
            if value is not None:
                pulumi.export(key, value)

    return run_program(program)


def one(plan: Plan, type_token: str) -> PlannedResource:
    found = plan.by_type(type_token)
    assert len(found) == 1, f"expected one {type_token}, got {[r.name for r in found]}"
    return found[0]


@pytest.fixture(scope="module")
def default_plan() -> Plan:
    return plan_component()


def test_children_are_parented_and_named_from_the_component(default_plan: Plan) -> None:
    component = one(default_plan, COMPONENT_TYPE)
    assert component.custom is False
    children = [r for r in default_plan.resources if r.type != COMPONENT_TYPE and r.type != "pulumi:pulumi:Stack"]
    assert {r.type for r in children} >= STATEFUL - {"azure-native:managedidentity:UserAssignedIdentity"}
    for child in children:
        assert child.parent == component.urn, child.urn
        assert child.name.startswith("ml-"), child.name
    assert [r.name for r in default_plan.by_type(WS)] == ["ml-workspace"]


def test_secure_defaults_reach_the_provider_inputs(default_plan: Plan) -> None:
    ws = one(default_plan, WS).inputs
    assert ws["identity"]["type"] == "SystemAssigned"
    assert ws["systemDatastoresAuthMode"] == "Identity"
    assert ws["publicNetworkAccess"] == "Disabled"
    assert ws["managedNetwork"]["isolationMode"] == "AllowOnlyApprovedOutbound"
    assert ws["hbiWorkspace"] is False
    assert ws["workspaceName"] == "mlw-churn-dev-we"

    st = one(default_plan, STORAGE).inputs
    assert st["kind"] == "StorageV2"
    assert st["enableHttpsTrafficOnly"] is True
    assert st["minimumTlsVersion"] == "TLS1_2"
    assert st["allowBlobPublicAccess"] is False
    assert st["allowCrossTenantReplication"] is False
    assert st["allowSharedKeyAccess"] is False
    assert st["isHnsEnabled"] is False
    assert st["publicNetworkAccess"] == "Disabled"
    assert st["networkRuleSet"]["defaultAction"] == "Deny"

    blob = one(default_plan, "azure-native:storage:BlobServiceProperties").inputs
    assert blob["deleteRetentionPolicy"] == {"enabled": True, "days": 7}
    assert blob["containerDeleteRetentionPolicy"] == {"enabled": True, "days": 7}

    kv = one(default_plan, KV).inputs["properties"]
    assert kv["enableRbacAuthorization"] is True
    assert kv["enableSoftDelete"] is True
    assert kv["enablePurgeProtection"] is True

    acr = one(default_plan, "azure-native:containerregistry:Registry").inputs
    assert acr["adminUserEnabled"] is False
    assert acr["anonymousPullEnabled"] is False
    assert acr["sku"]["name"] == "Premium"

    appi = one(default_plan, "azure-native:applicationinsights:Component").inputs
    log = one(default_plan, "azure-native:operationalinsights:Workspace")
    assert appi["workspaceResourceId"].endswith(f"/workspaces/{log.inputs['workspaceName']}")


def test_workspace_references_its_dependents(default_plan: Plan) -> None:
    ws = one(default_plan, WS)
    for dependent, key in [(STORAGE, "storageAccount"), (KV, "keyVault")]:
        resource = one(default_plan, dependent)
        assert resource.urn in ws.dependencies
        assert ws.inputs[key].startswith("/subscriptions/")
    assert ws.inputs["containerRegistry"].endswith(
        "/registries/" + one(default_plan, "azure-native:containerregistry:Registry").inputs["registryName"]
    )
    # The service edits CORS on its storage: our blob/file service settings must exist first.
    blob = one(default_plan, "azure-native:storage:BlobServiceProperties")
    assert blob.urn in ws.dependencies


def test_system_identity_gets_no_role_assignment_azure_ml_makes_itself(default_plan: Plan) -> None:
    # Azure ML grants its system identity the storage data roles (a second one: RoleAssignmentExists).
    assert default_plan.by_type(RA) == []


def test_people_get_workspace_and_storage_roles_by_team() -> None:
    group, reader, operator = (
        "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        "1f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
        "2f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    )
    plan = plan_component(
        access={
            "data_scientists": [{"principal_id": group, "name": "ds"}],
            "readers": [{"principal_id": reader, "principal_type": "User"}],
            "operators": [{"principal_id": operator}],
        }
    )
    ws, storage = one(plan, WS), one(plan, "azure-native:storage:StorageAccount")
    granted = {
        (a.inputs["principalId"], a.inputs["roleDefinitionId"].rsplit("/", 1)[-1], a.inputs["principalType"])
        for a in plan.by_type(RA)
    }
    R = BuiltInRole
    assert granted == {
        (group, R.AZUREML_DATA_SCIENTIST.value, "Group"),
        (group, R.STORAGE_BLOB_DATA_CONTRIBUTOR.value, "Group"),
        (group, R.STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR.value, "Group"),
        (reader, R.READER.value, "User"),
        (reader, R.STORAGE_BLOB_DATA_READER.value, "User"),
        (reader, R.STORAGE_FILE_DATA_PRIVILEGED_READER.value, "User"),
        (operator, R.AZUREML_COMPUTE_OPERATOR.value, "Group"),
    }
    for a in plan.by_type(RA):
        expected = (
            ws.urn
            if a.inputs["roleDefinitionId"].rsplit("/", 1)[-1]
            in {R.AZUREML_DATA_SCIENTIST.value, R.READER.value, R.AZUREML_COMPUTE_OPERATOR.value}
            else storage.urn
        )
        assert expected in a.dependencies
        uuid.UUID(a.inputs["roleAssignmentName"])  # Azure requires a GUID
    assert one(plan, WS).urn  # named ds: stable Pulumi names
    assert any(a.name == "ml-access-ds-azureml-data-scientist" for a in plan.by_type(RA))


@pytest.mark.parametrize(
    ("access", "key", "rule"),
    [
        (
            {"readers": [{"principal_id": "1f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"}] * 2},
            "readers[1].principal_id",
            "twice",
        ),
        (
            {
                "readers": [{"principal_id": "1f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "name": "team"}],
                "operators": [{"principal_id": "2f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "name": "team"}],
            },
            "readers[0].name",
            "unique",
        ),
        ({"readers": [{"principal_id": "not-a-guid"}]}, "readers[0].principal_id", "GUID"),
    ],
)
def test_bad_access_is_refused(access: dict[str, Any], key: str, rule: str) -> None:
    with pytest.raises(ConfigError) as caught:
        plan_component(access=access)
    assert caught.value.key.endswith(f"access.{key}")
    assert rule in caught.value.rule


def test_connection_bundle_outputs(default_plan: Plan) -> None:
    outputs = default_plan.outputs
    assert outputs["workspace_name"].value == "mlw-churn-dev-we"
    assert outputs["workspace_name"].known_after_apply is False
    assert outputs["resource_group_name"].value == "rg-churn-dev-we"
    assert outputs["location"].value == "westeurope"
    assert re.fullmatch(r"https://st\w+\.blob\.core\.windows\.net/", outputs["storage_blob_endpoint"].value)
    assert outputs["key_vault_uri"].value.startswith("https://kv-churn-dev-")
    assert outputs["container_registry_login_server"].value.endswith(".azurecr.io")
    assert outputs["mlflow_tracking_uri"].value.startswith("azureml://westeurope.api.azureml.ms/mlflow/v1.0/")
    for computed in ("workspace_id", "workspace_arm_id", "workspace_principal_id", "mlflow_tracking_uri"):
        assert outputs[computed].known_after_apply, computed


def test_protect_marks_stateful_resources_only() -> None:
    plan = plan_component(protect=True, identity={"type": "UserAssigned"})
    for resource in plan.resources:
        if resource.type in STATEFUL:
            assert resource.protect, resource.urn
        elif resource.type == RA:
            assert not resource.protect, resource.urn


def test_default_plan_protects_nothing(default_plan: Plan) -> None:
    assert not [r.urn for r in default_plan.resources if r.protect]


def test_bring_your_own_dependents() -> None:
    plan = plan_component(
        resource_group_name="rg-existing",
        storage={"existing_id": STORAGE_ID},
        key_vault={"existing_id": KV_ID},
        monitoring={"existing_application_insights_id": APPI_ID},
        container_registry={"mode": "existing", "existing_id": ACR_ID},
    )
    created = {r.type for r in plan.resources}
    for absent in STATEFUL - {WS}:
        assert absent not in created, absent
    ws = one(plan, WS).inputs
    assert ws["resourceGroupName"] == "rg-existing"
    assert ws["storageAccount"] == STORAGE_ID
    assert ws["keyVault"] == KV_ID
    assert ws["applicationInsights"] == APPI_ID
    assert ws["containerRegistry"] == ACR_ID
    assert plan.outputs["storage_account_name"].value == "stshared"
    assert plan.outputs["key_vault_uri"].value == "https://kv-shared.vault.azure.net/"
    assert plan.outputs["container_registry_login_server"].value == "crshared.azurecr.io"
    # The service grants its system identity on brought dependents too: nothing declared twice.
    assert plan.by_type(RA) == []


def test_no_registry() -> None:
    plan = plan_component(workspace={"isolation_mode": "AllowInternetOutbound"}, container_registry={"mode": "none"})
    assert not plan.by_type("azure-native:containerregistry:Registry")
    assert "containerRegistry" not in one(plan, WS).inputs
    assert "container_registry_login_server" not in plan.outputs


def test_user_assigned_identity_is_created_and_granted_before_the_workspace() -> None:
    plan = plan_component(identity={"type": "UserAssigned"})
    uai = one(plan, "azure-native:managedidentity:UserAssignedIdentity")
    assert uai.inputs["resourceName"] == "id-churn-dev-we"
    ws = one(plan, WS)
    assert ws.inputs["identity"]["type"] == "UserAssigned"
    assert ws.inputs["primaryUserAssignedIdentity"] == ws.inputs["identity"]["userAssignedIdentities"][0]
    before = [a for a in plan.by_type(RA) if a.urn in ws.dependencies]
    roles_before = sorted((a.name.split("-ra-uai-")[1]) for a in before)
    assert roles_before == sorted(
        [
            "storage-contributor",
            "storage-storage-blob-data-contributor",
            "storage-storage-file-data-privileged-contributor",
            "kv-contributor",
            "kv-key-vault-administrator",
            "appi-contributor",
            "acr-contributor",
            "acr-acr-pull",
        ]
    )
    after = [a for a in plan.by_type(RA) if ws.urn in a.dependencies]
    assert [a.name for a in after] == ["ml-ra-uai-workspace-contributor"]


def test_existing_user_assigned_identity_uses_the_given_principal() -> None:
    plan = plan_component(
        identity={"type": "UserAssigned", "user_assigned_identity_id": UAI_ID, "principal_id": UAI_PRINCIPAL},
        workspace={"isolation_mode": "Disabled"},
    )
    assert not plan.by_type("azure-native:managedidentity:UserAssignedIdentity")
    assignments = plan.by_type(RA)
    assert assignments
    assert {a.inputs["principalId"] for a in assignments} == {UAI_PRINCIPAL}
    assert not [a for a in assignments if "network-connection-approver" in a.name]
    assert plan.outputs["workspace_principal_id"].value == UAI_PRINCIPAL


def test_role_assignment_names_are_stable_across_runs() -> None:
    args: dict[str, Any] = {
        "identity": {"type": "UserAssigned", "user_assigned_identity_id": UAI_ID, "principal_id": UAI_PRINCIPAL}
    }
    first = {a.name: a.inputs["roleAssignmentName"] for a in plan_component(**args).by_type(RA)}
    second = {a.name: a.inputs["roleAssignmentName"] for a in plan_component(**args).by_type(RA)}
    assert first == second
    assert len(set(first.values())) == len(first)


def test_overrides_reach_the_provider_and_win() -> None:
    plan = plan_component(
        storage={"overrides": {"access_tier": "Cool", "minimum_tls_version": "TLS1_2"}},
        workspace={"overrides": {"image_build_compute": "image-builder"}},
        key_vault={"overrides": {"enabled_for_deployment": True}},
    )
    assert one(plan, STORAGE).inputs["accessTier"] == "Cool"
    assert one(plan, WS).inputs["imageBuildCompute"] == "image-builder"
    assert one(plan, KV).inputs["properties"]["enabledForDeployment"] is True


def test_explicit_names_and_text_settings() -> None:
    plan = plan_component(
        workspace={
            "name": "mlw-custom",
            "friendly_name": "Churn",
            "description": "d",
            "hbi_workspace": True,
            "public_network_access": "Enabled",
        },
        storage={"name": "stcustom01"},
        tags={"owner": "team"},
    )
    ws = one(plan, WS).inputs
    assert (ws["workspaceName"], ws["friendlyName"], ws["description"], ws["hbiWorkspace"]) == (
        "mlw-custom",
        "Churn",
        "d",
        True,
    )
    assert ws["publicNetworkAccess"] == "Enabled"
    assert ws["tags"] == {"workload": "churn", "environment": "dev", "managed-by": "pulumi", "owner": "team"}
    assert one(plan, STORAGE).inputs["accountName"] == "stcustom01"


def test_purge_protection_off_is_omitted_not_false() -> None:
    # Azure refuses enablePurgeProtection=false.
    plan = plan_component(key_vault={"purge_protection": False})
    assert "enablePurgeProtection" not in one(plan, KV).inputs["properties"]


def test_bad_arguments_register_nothing() -> None:
    errors: list[str] = []

    def program() -> None:
        try:
            MachineLearningWorkspace(
                "ml",
                {
                    "workload": "churn",
                    "environment": "dev",
                    "location": "westeurope",
                    "storage": {"sku": "Premium_LRS"},
                },
            )
        except ConfigError as err:
            errors.append(err.key)

    plan = run_program(program)
    assert errors == ["MachineLearningWorkspace('ml').storage.sku"]
    assert [r for r in plan.resources if r.type != "pulumi:pulumi:Stack"] == []


DIAG = "azure-native:monitor:DiagnosticSetting"
LAW_ID = f"/subscriptions/{SUB}/resourceGroups/rg-shared/providers/Microsoft.OperationalInsights/workspaces/log-shared"


def test_resource_logs_of_workspace_and_vault_go_to_log_analytics(default_plan: Plan) -> None:
    settings = {r.name: r for r in default_plan.by_type(DIAG)}
    assert set(settings) == {"ml-workspace-diag", "ml-kv-diag", "ml-acr-diag"}
    log_analytics = one(default_plan, "azure-native:operationalinsights:Workspace")
    assert log_analytics.inputs["features"] == {"disableLocalAuth": True}
    workspace_diag = settings["ml-workspace-diag"].inputs
    assert workspace_diag["resourceUri"].endswith("/workspaces/" + one(default_plan, WS).inputs["workspaceName"])
    assert workspace_diag["workspaceId"].endswith("/workspaces/" + log_analytics.inputs["workspaceName"])
    assert workspace_diag["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]
    assert workspace_diag["metrics"] == [{"category": "AllMetrics", "enabled": True}]
    assert settings["ml-kv-diag"].inputs["resourceUri"].endswith("/vaults/" + one(default_plan, KV).inputs["vaultName"])
    registry = one(default_plan, "azure-native:containerregistry:Registry").inputs["registryName"]
    assert settings["ml-acr-diag"].inputs["resourceUri"].endswith("/registries/" + registry)
    assert all(r.parent and r.parent.endswith("::ml") for r in settings.values())


def test_resource_logs_off_or_to_a_brought_workspace() -> None:
    assert plan_component(diagnostics={"enabled": False}).by_type(DIAG) == []
    # Existing App Insights: no Log Analytics here, so no diagnostics unless told where to send them.
    brought = {"existing_application_insights_id": APPI_ID}
    assert plan_component(monitoring=brought).by_type(DIAG) == []
    plan = plan_component(
        monitoring=brought,
        key_vault={"existing_id": KV_ID},
        container_registry={"mode": "existing", "existing_id": ACR_ID},
        diagnostics={"log_analytics_workspace_id": LAW_ID},
    )
    (setting,) = plan.by_type(DIAG)  # the brought vault and registry are left alone
    assert setting.inputs["workspaceId"] == LAW_ID


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        (
            {"monitoring": {"existing_application_insights_id": APPI_ID}, "diagnostics": {"enabled": True}},
            "MachineLearningWorkspace('ml').diagnostics.enabled",
        ),
        (
            {"diagnostics": {"log_analytics_workspace_id": KV_ID}},
            "MachineLearningWorkspace('ml').diagnostics.log_analytics_workspace_id",
        ),
    ],
)
def test_bad_diagnostics_options(overrides: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        plan_component(**overrides)
    assert caught.value.key == key
