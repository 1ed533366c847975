"""What real Azure does with our plans, where a plan can show it (issue 12, the outside review):
retired VM sizes, what the engine refuses with Azure's error code, role assignments Azure ML makes
itself, access for people and computes, outbound rules in order, image builds behind a private
registry, and the lifecycle hooks `pulumi up` and `pulumi destroy --run-program` run."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pulumi
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.keyvault as keyvault
import pulumi_azure_native.machinelearningservices as ml
import pulumi_azure_native.storage as storage
import pytest

from pulumi_azureml import AzureBlobDatastore, AzureDataLakeGen2Datastore, ComputeCluster, MachineLearningWorkspace
from pulumi_azureml.core import vmsizes
from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.core.roles import BuiltInRole
from pulumi_azureml.lifecycle import hooks
from pulumi_azureml.lifecycle.arm import ArmClient, ArmError, Response
from pulumi_azureml.plan import Plan, run_plan, run_program
from pulumi_azureml.plan.refusals import AzureRefusal
from pulumi_azureml.stack.config import parse_stack_config

ROOT = Path(__file__).resolve().parents[1]
RA = "azure-native:authorization:RoleAssignment"
COMPUTE = "azure-native:machinelearningservices:Compute"
RULE = "azure-native:machinelearningservices:ManagedNetworkSettingsRule"
WS = "azure-native:machinelearningservices:Workspace"
SUB = "00000000-0000-0000-0000-000000000000"
OTHER_SUB = "00000000-0000-0000-0000-000000000009"
PARTNER = f"/subscriptions/{OTHER_SUB}/resourceGroups/rg-partner/providers/Microsoft.Storage/storageAccounts/stpartner"
UAI = f"/subscriptions/{SUB}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-jobs"


def workspace(**args: Any) -> MachineLearningWorkspace:
    return MachineLearningWorkspace(
        "ws", {"workload": "research", "environment": "dev", "location": "westeurope", **args}
    )


def role_of(assignment: Any) -> str:
    return str(assignment.inputs["roleDefinitionId"]).rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def stacks() -> dict[str, Plan]:
    return {stack: run_plan(ROOT, stack) for stack in ("dev", "staging", "prod")}


# -- VM sizes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "today", "status", "successor"),
    [
        ("Standard_NC6s_v3", date(2025, 10, 1), "retired", "Standard_NC24ads_A100_v4"),
        ("Standard_NC24s_v3", date(2025, 10, 1), "retired", "Standard_NC96ads_A100_v4"),
        ("standard_nc6s_v3", date(2025, 9, 1), "retiring", "Standard_NC24ads_A100_v4"),
        ("Standard_NC6", date(2024, 1, 1), "retired", "Standard_NC4as_T4_v3"),
        ("Standard_DS3_v2", date(2026, 12, 2), "announced", "Standard_D4s_v5"),
        ("Standard_DS11_v2", date(2027, 6, 1), "retiring", "Standard_E2s_v5"),
        ("Standard_DS13-2_v2", date(2028, 5, 1), "retired", "Standard_D4s_v5"),
        ("Standard_F4s_v2", date(2026, 12, 2), "announced", "Standard_D4ls_v5"),
        ("Standard_M192is_v2", date(2026, 12, 2), "retiring", "an Msv2/Mdsv2 size"),
        ("Standard_NV12s_v3", date(2026, 12, 2), "retired", "Standard_NV6ads_A10_v5"),
    ],
)
def test_the_catalogue_knows_retirements_and_successors(size: str, today: date, status: str, successor: str) -> None:
    news = vmsizes.notice(size, today)
    assert news is not None
    assert (news.status, news.successor) == (status, successor)
    assert successor in news.message() and news.retirement.source in news.message()


@pytest.mark.parametrize(
    "size",
    [
        "Standard_D4s_v5",
        "Standard_E4s_v5",
        "Standard_NC24ads_A100_v4",
        "Standard_NC4as_T4_v3",
        "Standard_F4s_v6",
        "Standard_ND96asr_v4",
        "Standard_HB120rs_v3",
        "Standard_L8s_v3",
        "Standard_B2s_v2",
        "Standard_D8s_v5",
    ],
)
def test_current_sizes_have_no_notice(size: str) -> None:
    assert vmsizes.retirement_of(size) is None


def test_a_retired_size_is_a_config_error_naming_the_successor() -> None:
    with pytest.raises(ConfigError) as caught:
        ComputeCluster("gpu", {"compute_name": "gpu", "vm_size": "Standard_NC6s_v3", "workspace_name": "mlw-x"})
    assert caught.value.key == "ComputeCluster('gpu').vm_size"
    assert "retired on 2025-09-30" in caught.value.rule
    assert "Standard_NC24ads_A100_v4" in caught.value.rule


def test_an_announced_size_deploys_with_a_plan_warning() -> None:
    plan = run_program(
        lambda: ComputeCluster("old", {"compute_name": "old", "vm_size": "Standard_DS3_v2"}, workspace=workspace())
    )
    assert [
        c.inputs["properties"]["properties"]["vmSize"] for c in plan.by_type(COMPUTE) if c.name == "old-compute"
    ] == ["Standard_DS3_v2"]
    assert any("Standard_DS3_v2" in w and "2028-05-01" in w and "Standard_D4s_v5" in w for w in plan.warnings)


def test_shipped_stacks_and_defaults_use_sizes_without_any_notice(stacks: dict[str, Plan]) -> None:
    from pulumi_azureml.compute.args import ComputeClusterSettings, ComputeInstanceSettings
    from pulumi_azureml.workspace.args import WorkspaceOptions

    defaults = [
        ComputeClusterSettings.model_fields["vm_size"].default,
        ComputeInstanceSettings.model_fields["vm_size"].default,
        WorkspaceOptions.model_fields["image_builder_vm_size"].default,
    ]
    shipped = [
        c.inputs["properties"]["properties"]["vmSize"]
        for p in stacks.values()
        for c in p.by_type(COMPUTE)
        if c.inputs["properties"]["computeType"] != "Kubernetes"
    ]
    # AKS node pools of the Kubernetes computes: the same retirement list applies to them.
    shipped += [
        pool["vmSize"]
        for p in stacks.values()
        for aks in p.by_type("azure-native:containerservice:ManagedCluster")
        for pool in aks.inputs["agentPoolProfiles"]
    ]
    assert "Standard_NC24ads_A100_v4" in shipped
    for size in defaults + shipped:
        assert vmsizes.retirement_of(size) is None, size
    # The README shows a retired size only where it explains that one is refused.
    for line in (ROOT / "README.md").read_text().splitlines():
        for size in re.findall(r"Standard_[A-Za-z0-9_-]+", line):
            news = vmsizes.notice(size)
            assert news is None or news.status != "retired" or "retired" in line, line


# -- what the engine refuses --------------------------------------------------------------------------


def _assignment(name: str, role_assignment_name: str) -> None:
    authorization.RoleAssignment(
        name,
        authorization.RoleAssignmentArgs(
            scope=PARTNER,
            principal_id="5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d",
            principal_type="Group",
            role_definition_id=f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/"
            f"{BuiltInRole.READER.value}",
            role_assignment_name=role_assignment_name,
        ),
    )


def test_a_role_assignment_declared_twice_under_any_name_is_refused_as_azure_does() -> None:
    def program() -> None:
        _assignment("first", "6f1c1f2e-61c8-4b8b-9e5e-3f0c0a9c2a11")
        _assignment("second", "7e2d2e3f-72d9-4c9c-8f6f-4a1d1b0d3b22")

    with pytest.raises(AzureRefusal) as caught:
        run_program(program)
    assert caught.value.code == "RoleAssignmentExists"
    assert "second" in str(caught.value) and "already claimed by first" in str(caught.value)


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (
            lambda n: storage.StorageAccount(
                n,
                account_name="stsharedname01",
                resource_group_name=f"rg-{n}",
                kind="StorageV2",
                sku=storage.SkuArgs(name="Standard_LRS"),
            ),
            "StorageAccountAlreadyTaken",
        ),
        (
            lambda n: keyvault.Vault(
                n,
                vault_name="kv-shared-name",
                resource_group_name=f"rg-{n}",
                properties=keyvault.VaultPropertiesArgs(
                    tenant_id=SUB, sku=keyvault.SkuArgs(family="A", name=keyvault.SkuName.STANDARD)
                ),
            ),
            "VaultAlreadyExists",
        ),
    ],
)
def test_a_global_name_claimed_twice_is_refused(make: Any, code: str) -> None:
    def program() -> None:
        make("one")
        make("two")

    with pytest.raises(AzureRefusal) as caught:
        run_program(program)
    assert caught.value.code == code


def test_a_retired_size_through_the_escape_hatch_is_refused_by_the_engine() -> None:
    def program() -> None:
        ml.Compute(
            "raw",
            compute_name="gpu",
            workspace_name="mlw-x",
            resource_group_name="rg-x",
            properties=ml.AmlComputeArgs(
                compute_type="AmlCompute", properties=ml.AmlComputePropertiesArgs(vm_size="Standard_NC6s_v3")
            ),
        )

    with pytest.raises(AzureRefusal) as caught:
        run_program(program)
    assert caught.value.code == "InvalidPropertyValue"
    assert "Standard_NC24ads_A100_v4" in str(caught.value)


def test_two_resources_with_one_arm_id_are_refused_as_azure_native_does() -> None:
    def program() -> None:
        for n in ("a", "b"):
            ml.Datastore(
                n,
                name="same",
                workspace_name="mlw-x",
                resource_group_name="rg-x",
                properties=ml.AzureBlobDatastoreArgs(
                    datastore_type="AzureBlob",
                    account_name="st",
                    container_name="c",
                    credentials=ml.NoneDatastoreCredentialsArgs(credentials_type="None"),
                ),
            )

    with pytest.raises(AzureRefusal, match="cannot create already existing resource"):
        run_program(program)


def test_two_datastores_on_one_account_share_one_approver_grant() -> None:
    # Before: each datastore granted the approver role on the account; Azure allows one.
    def program() -> None:
        ws = workspace()
        for name in ("raw", "curated"):
            AzureBlobDatastore(
                name, {"datastore_name": name, "container": name, "storage_account_id": PARTNER}, workspace=ws
            )

    plan = run_program(program)
    approvers = [
        a for a in plan.by_type(RA) if role_of(a) == BuiltInRole.AZURE_AI_ENTERPRISE_NETWORK_CONNECTION_APPROVER
    ]
    assert [a.name for a in approvers] == ["raw-ra-network-approver"]


# -- role assignments -----------------------------------------------------------------------------------


def test_role_definitions_name_the_scopes_subscription() -> None:
    def program() -> None:
        AzureBlobDatastore(
            "raw", {"datastore_name": "raw", "container": "raw", "storage_account_id": PARTNER}, workspace=workspace()
        )

    for assignment in run_program(program).by_type(RA):
        assert assignment.inputs["roleDefinitionId"].startswith(f"/subscriptions/{OTHER_SUB}/"), assignment.name


def test_no_shipped_stack_declares_what_azure_ml_grants_its_system_identity(stacks: dict[str, Plan]) -> None:
    for plan in stacks.values():
        (ws,) = plan.by_type(WS)
        storage_id = ws.inputs["storageAccount"]
        for a in plan.by_type(RA):
            on_default_storage = a.inputs["scope"] == storage_id
            by_workspace_identity = ws.urn in a.dependencies and a.inputs["principalType"] == "ServicePrincipal"
            assert not (on_default_storage and by_workspace_identity), a.name


def test_computes_get_data_access_and_user_assigned_ones_the_registry() -> None:
    def program() -> None:
        ws = workspace()
        ComputeCluster("sai", {"compute_name": "sai-cluster", "key_vault_secrets": True}, workspace=ws)
        ComputeCluster(
            "uai",
            {"compute_name": "uai-cluster", "identity": {"type": "UserAssigned", "user_assigned_identity_ids": [UAI]}},
            workspace=ws,
        )
        ComputeCluster("none", {"compute_name": "no-data", "datastore_access": []}, workspace=ws)
        AzureBlobDatastore("raw", {"datastore_name": "raw", "container": "raw"}, workspace=ws)
        AzureBlobDatastore("ref", {"datastore_name": "reference", "container": "ref", "read_only": True}, workspace=ws)

    plan = run_program(program)
    granted = {(a.name.split("-ra-")[0] if "-ra-" in a.name else a.name, role_of(a)) for a in plan.by_type(RA)}
    R = BuiltInRole
    assert ("sai", R.STORAGE_BLOB_DATA_CONTRIBUTOR.value) in granted
    assert ("sai", R.KEY_VAULT_SECRETS_USER.value) in granted
    assert ("sai", R.ACR_PULL.value) not in granted  # Azure grants a system identity AcrPull itself
    assert ("uai", R.ACR_PULL.value) in granted
    names = {a.name for a in plan.by_type(RA)}
    assert {"raw-grant-sai-cluster-write", "ref-grant-sai-cluster-read", "raw-grant-uai-cluster-id-jobs-write"} <= names
    assert not [n for n in names if "no-data" in n and "-grant-" in n]
    assert ("none", R.STORAGE_BLOB_DATA_CONTRIBUTOR.value) in granted  # the default storage still


def test_a_compute_declared_after_its_datastores_still_gets_access() -> None:
    def program() -> None:
        ws = workspace()
        AzureBlobDatastore("raw", {"datastore_name": "raw", "container": "raw"}, workspace=ws)
        ComputeCluster("late", {"compute_name": "late-cluster"}, workspace=ws)

    names = {a.name for a in run_program(program).by_type(RA)}
    assert "raw-grant-late-cluster-write" in names


def test_datastore_access_names_stack_datastores() -> None:
    raw = {
        "workload": "churn",
        "computeClusters": [{"name": "cpu-cluster", "datastoreAccess": ["raw_data", "curtaed"]}],
        "datastores": [
            {"name": "raw_data", "kind": "AzureBlob", "container": "raw"},
            {"name": "curated", "kind": "AzureDataLakeGen2", "container": "curated"},
        ],
    }
    with pytest.raises(ConfigError) as caught:
        parse_stack_config("azureml-platform", "dev", raw, "westeurope")
    assert caught.value.key == "azureml-platform:computeClusters[0].datastoreAccess[1]"
    assert "curated, raw_data" in caught.value.rule


# -- managed network, image builds, drift -------------------------------------------------------------


def test_outbound_rules_are_chained_and_gen2_gets_blob_next_to_dfs() -> None:
    def program() -> None:
        ws = workspace()
        AzureBlobDatastore("raw", {"datastore_name": "raw", "container": "raw"}, workspace=ws)
        AzureDataLakeGen2Datastore("lake", {"datastore_name": "lake", "container": "lake"}, workspace=ws)

    plan = run_program(program)
    rules = plan.by_type(RULE)
    assert [(r.inputs["ruleName"], r.inputs["properties"]["destination"]["subresourceTarget"]) for r in rules] == [
        ("raw-blob", "blob"),
        ("lake-dfs", "dfs"),
        ("lake-blob", "blob"),
    ]
    for earlier, later in itertools.pairwise(rules):
        assert earlier.urn in later.dependencies
    assert "outboundRules" not in plan.by_type(WS)[0].inputs["managedNetwork"]


def test_a_private_registry_gets_an_image_builder(stacks: dict[str, Plan]) -> None:
    for name in ("prod",):
        (ws,) = stacks[name].by_type(WS)
        assert ws.inputs["imageBuildCompute"] == "image-builder"
        (builder,) = [c for c in stacks[name].by_type(COMPUTE) if c.inputs["computeName"] == "image-builder"]
        props = builder.inputs["properties"]
        assert props["properties"]["scaleSettings"]["minNodeCount"] == 0
        assert props["properties"]["enableNodePublicIp"] is False
    for name in ("dev", "staging"):  # a public registry builds serverless (staging's: its AKS pulls over it)
        (public_ws,) = stacks[name].by_type(WS)
        assert "imageBuildCompute" not in public_ws.inputs
    plan = run_program(lambda: workspace(workspace={"image_build_compute": "cpu-cluster"}))
    assert plan.by_type(WS)[0].inputs["imageBuildCompute"] == "cpu-cluster"
    assert not plan.by_type(COMPUTE)


def test_key_vault_diagnostics_ignore_the_destination_type_azure_reads_back_as_null(stacks: dict[str, Plan]) -> None:
    settings = {r.name: r for r in stacks["prod"].by_type("azure-native:monitor:DiagnosticSetting")}
    assert settings["platform-kv-diag"].options["ignoreChanges"] == ["logAnalyticsDestinationType"]
    assert "ignoreChanges" not in settings["platform-workspace-diag"].options


# -- lifecycle hooks ---------------------------------------------------------------------------------------


def test_hooks_the_plan_records(stacks: dict[str, Plan]) -> None:
    dev, prod = stacks["dev"], stacks["prod"]
    assert dev.get("platform-workspace").options["hooks"] == {"beforeDelete": ["platform-workspace-purge"]}
    assert dev.get("platform-kv").options["hooks"] == {"afterDelete": ["platform-kv-purge"]}
    assert "hooks" not in prod.get("platform-workspace").options
    for compute in dev.by_type(COMPUTE) + prod.by_type(COMPUTE):
        assert compute.options["hooks"]["beforeDelete"] == [f"{compute.name}-delete"]
    uai = run_program(lambda: workspace(identity={"type": "UserAssigned"}))
    assert uai.by_type(WS)[0].options["hooks"] == {"beforeCreate": ["ws-workspace-wait"]}
    no_wait = run_program(lambda: workspace(identity={"type": "UserAssigned", "role_propagation_seconds": 0}))
    assert "hooks" not in no_wait.by_type(WS)[0].options


class FakeArm:
    """Answers like Resource Manager: a script of responses per (method, URL prefix)."""

    def __init__(self, script: list[tuple[str, str, Response]]) -> None:
        self.script = script
        self.seen: list[tuple[str, str]] = []

    def __call__(self, method: str, url: str, headers: Mapping[str, str]) -> Response:
        self.seen.append((method, url))
        assert headers["Authorization"] == "Bearer token"
        for i, (m, prefix, reply) in enumerate(self.script):
            if m == method and url.startswith(prefix):
                del self.script[i]
                return reply
        raise AssertionError(f"unexpected {method} {url}")


def client(script: list[tuple[str, str, Response]]) -> tuple[ArmClient, FakeArm]:
    fake = FakeArm(script)
    return ArmClient(transport=fake, token=lambda: "token", sleep=lambda _: None), fake


ARM = "https://management.azure.com"
COMPUTE_ID = (
    f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/mlw/computes/cpu"
)


def hook_args(rid: str, **outputs: Any) -> pulumi.ResourceHookArgs:
    return pulumi.ResourceHookArgs(urn="urn:x", id=rid, name="x", type="t", old_outputs={"id": rid, **outputs})


def test_a_compute_is_deleted_with_its_vms_and_waited_for() -> None:
    arm, fake = client(
        [
            (
                "DELETE",
                f"{ARM}{COMPUTE_ID}?",
                Response(202, {"Azure-AsyncOperation": f"{ARM}/op/1", "Retry-After": "1"}, None),
            ),
            ("GET", f"{ARM}/op/1", Response(200, {}, {"status": "InProgress"})),
            ("GET", f"{ARM}/op/1", Response(200, {}, {"status": "Succeeded"})),
            ("GET", f"{ARM}{COMPUTE_ID}?", Response(404, {}, None)),
        ]
    )
    hooks.delete_compute_now(hook_args(COMPUTE_ID), arm)
    method, url = fake.seen[0]
    assert method == "DELETE" and "underlyingResourceAction=Delete" in url and "api-version=2025-12-01" in url
    assert fake.script == []


def test_a_failed_operation_stops_the_hook_with_azures_reason() -> None:
    arm, _ = client(
        [
            ("DELETE", f"{ARM}{COMPUTE_ID}?", Response(202, {"Location": f"{ARM}/op/2"}, None)),
            (
                "GET",
                f"{ARM}/op/2",
                Response(200, {}, {"status": "Failed", "error": {"code": "Conflict", "message": "busy"}}),
            ),
        ]
    )
    with pytest.raises(ArmError, match="Conflict: busy"):
        hooks.delete_compute_now(hook_args(COMPUTE_ID), arm)


def test_a_workspace_is_purged_not_soft_deleted() -> None:
    rid = COMPUTE_ID.rsplit("/computes/", 1)[0]
    arm, fake = client(
        [("DELETE", f"{ARM}{rid}?", Response(200, {}, None)), ("GET", f"{ARM}{rid}?", Response(404, {}, None))]
    )
    hooks.purge_workspace_now(hook_args(rid), arm)
    assert "forceToPurge=true" in fake.seen[0][1]


def test_a_deleted_key_vault_is_purged_in_its_region() -> None:
    rid = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-churn-dev-abcde"
    purge = (
        f"{ARM}/subscriptions/{SUB}/providers/Microsoft.KeyVault/locations/westeurope/deletedVaults/"
        "kv-churn-dev-abcde/purge"
    )
    arm, fake = client([("POST", purge, Response(200, {}, None))])
    hooks.purge_key_vault_now(hook_args(rid, location="westeurope"), arm)
    assert fake.seen == [("POST", f"{purge}?api-version=2024-11-01")]


def test_an_already_deleted_compute_counts_as_deleted() -> None:
    arm, _ = client(
        [
            ("DELETE", f"{ARM}{COMPUTE_ID}?", Response(404, {}, None)),
            ("GET", f"{ARM}{COMPUTE_ID}?", Response(404, {}, None)),
        ]
    )
    hooks.delete_compute_now(hook_args(COMPUTE_ID), arm)


def test_the_wait_hook_sleeps_the_configured_time(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", fake_sleep)

    # Outside an engine a hook cannot be registered: keep the callback the component would register.
    monkeypatch.setattr(pulumi, "ResourceHook", lambda name, func, opts=None: func)
    callback: Any = hooks.wait_for_roles("w", 90)
    asyncio.run(callback(pulumi.ResourceHookArgs(urn="u", id="", name="ws", type="t")))
    assert slept == [90]


def test_own_outbound_rules_queue_behind_the_datastores_and_inline_ones_are_refused() -> None:
    def program() -> None:
        ws = workspace()
        AzureBlobDatastore("raw", {"datastore_name": "raw", "container": "raw"}, workspace=ws)
        ws.add_outbound_rule(
            "pypi", ml.FqdnOutboundRuleArgs(type="FQDN", category="UserDefined", destination="pypi.org")
        )

    rules = run_program(program).by_type(RULE)
    assert [r.inputs["ruleName"] for r in rules] == ["raw-blob", "pypi"]
    assert rules[0].urn in rules[1].dependencies
    inline = {"managed_network": {"isolation_mode": "AllowOnlyApprovedOutbound", "outbound_rules": {"x": {}}}}
    with pytest.raises(ConfigError, match="never inline on the workspace"):
        workspace(workspace={"overrides": inline})


def test_storage_firewalls_let_the_workspace_through_as_a_resource_instance(stacks: dict[str, Plan]) -> None:
    plan = stacks["dev"]
    (ws,) = plan.by_type(WS)
    accounts = plan.by_type("azure-native:storage:StorageAccount")
    assert len(accounts) == 3  # the default storage and the two datastores'
    expected = (
        f"/subscriptions/{SUB}/resourceGroups/{ws.inputs['resourceGroupName']}/providers/"
        f"Microsoft.MachineLearningServices/workspaces/{ws.inputs['workspaceName']}"
    )
    for account in accounts:
        rules = account.inputs["networkRuleSet"]
        assert rules["bypass"] == "AzureServices"
        assert rules["resourceAccessRules"] == [{"resourceId": expected, "tenantId": plan.tenant_id}]
        assert ws.urn not in account.dependencies  # named from the workspace's name, not its id
