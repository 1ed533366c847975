"""The offline plan engine on the fixture project (tests/fixtures/plan_project) and small programs."""

from __future__ import annotations

import gc
import json
import os
import sys
import uuid
from pathlib import Path
from typing import Any

import pulumi
import pulumi_azure_native.resources as resources
import pulumi_azure_native.storage as storage
import pytest

from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.plan import (
    PLACEHOLDER_CLIENT,
    PLACEHOLDER_OBJECT,
    PLACEHOLDER_SUBSCRIPTION,
    PLACEHOLDER_TENANT,
    SECRET,
    AzureMocks,
    Plan,
    PlanError,
    PlannedResource,
    fastpath,
    find_run_error,
    load_project,
    load_stack_config,
    render_json,
    render_tree,
    run_plan,
    run_program,
)
from pulumi_azureml.plan.fastpath import is_version_alias
from pulumi_azureml.plan.render import key_settings
from pulumi_azureml.plan.snapshot import alias_urns

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "plan_project"
SAMPLE = ROOT / "tests" / "fixtures" / "sample_project"
DATASTORES = ROOT / "tests" / "fixtures" / "datastores_project"
PREFIX = "urn:pulumi:test::plan-fixture::"
STACK_URN = PREFIX + "pulumi:pulumi:Stack::plan-fixture-test"
COMPONENT_URN = PREFIX + "fixture:index:DataPlatform::data"
# Plaintexts that must never reach a plan: a secret the program makes, and the stack file's ciphertext.
SECRET_TEXTS = ("plaintext-token-9f2c", "Y2lwaGVyLXRleHQtbm9ib2R5LWNhbi1yZWFk", "cipher-text")


def child_urn(type_token: str, name: str) -> str:
    return f"{PREFIX}fixture:index:DataPlatform${type_token}::{name}"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return run_plan(FIXTURE, "test")


# -- resources: hierarchy, options, inputs -------------------------------------------------------


def test_the_stack_is_the_root_and_components_parent_their_children(plan: Plan) -> None:
    stack = plan.resources[0]
    assert (stack.urn, stack.type, stack.parent, stack.custom) == (STACK_URN, "pulumi:pulumi:Stack", None, False)
    component = plan.get("data")
    assert (component.urn, component.type, component.custom, component.parent) == (
        COMPONENT_URN,
        "fixture:index:DataPlatform",
        False,
        STACK_URN,
    )
    children = {r.name for r in plan.children(COMPONENT_URN)}
    assert children == {"data-rg", "data-st", "data-raw", "data-curated", "data-kv", "data-api-key"}
    assert {r.name for r in plan.children(STACK_URN)} == {"data", "audit", "late"}
    assert all(r.custom for r in plan.resources if r.type.startswith("azure-native:"))
    assert len(plan.resources) == 10


def test_urns_are_the_engines_parent_type_chain_without_the_stack(plan: Plan) -> None:
    assert plan.get("late").urn == PREFIX + "azure-native:resources:ResourceGroup::late"
    assert plan.get("data-st").urn == child_urn("azure-native:storage:StorageAccount", "data-st")

    class Outer(pulumi.ComponentResource):
        def __init__(self) -> None:
            super().__init__("my:index:Outer", "outer")
            Inner(self)

    class Inner(pulumi.ComponentResource):
        def __init__(self, parent: pulumi.Resource) -> None:
            super().__init__("my:index:Inner", "inner", opts=pulumi.ResourceOptions(parent=parent))
            pulumi.CustomResource("other:index:Thing", "thing", {}, opts=pulumi.ResourceOptions(parent=self))

    nested = run_program(Outer)
    assert nested.get("thing").urn == "urn:pulumi:dev::test::my:index:Outer$my:index:Inner$other:index:Thing::thing"
    assert nested.get("thing").parent == "urn:pulumi:dev::test::my:index:Outer$my:index:Inner::inner"


def test_registration_order_puts_parents_and_dependencies_first(plan: Plan) -> None:
    seen: set[str] = set()
    for resource in plan.resources:
        assert resource.parent is None or resource.parent in seen, resource.urn
        assert set(resource.dependencies) <= seen, resource.urn
        seen.add(resource.urn)
    containers = [r.name for r in plan.by_type("azure-native:storage:BlobContainer")]
    assert containers == ["data-raw", "data-curated"]  # the program's order


def test_protect_and_lifecycle_options(plan: Plan) -> None:
    assert [r.name for r in plan.resources if r.protect] == ["data-rg"]
    late = plan.get("late")
    assert late.options == {"deleteBeforeReplace": True, "aliases": [{"spec": {"name": "early", "parentUrn": ""}}]}
    assert plan.get("data-st").options == {"ignoreChanges": ["tags"]}
    # azure-native's own aliases (older API versions of each type) are not shown.
    assert plan.get("data-kv").options == {}


def test_dependencies_explicit_and_from_inputs(plan: Plan) -> None:
    vault = child_urn("azure-native:keyvault:Vault", "data-kv")
    group = child_urn("azure-native:resources:ResourceGroup", "data-rg")
    account = child_urn("azure-native:storage:StorageAccount", "data-st")
    assert plan.get("late").dependencies == [vault]  # depends_on only: no input comes from the vault
    assert plan.get("data-st").dependencies == [group]
    assert plan.get("data-api-key").dependencies == sorted([vault, group])
    audit = plan.get("audit")
    assert audit.inputs == {"target": account}  # a resource reference is shown as its URN
    assert audit.dependencies == [account]


def test_inputs_are_camel_case_as_the_provider_receives_them(plan: Plan) -> None:
    assert plan.get("data-st").inputs == {
        "accountName": "stdataplan01",  # from the helper module beside the program
        "allowSharedKeyAccess": False,
        "isHnsEnabled": True,
        "kind": "StorageV2",
        "location": "westeurope",
        "minimumTlsVersion": "TLS1_2",
        "resourceGroupName": "rg-data-plan",
        "sku": {"name": "Standard_ZRS"},
        "tags": {"owner": "ml-platform", "token": SECRET},
    }
    vault = plan.get("data-kv").inputs
    assert "vaultName" not in vault  # left to azure-native's auto-naming
    assert vault["properties"]["sku"] == {"family": "A", "name": "standard"}
    assert vault["properties"]["enableRbacAuthorization"] is True
    assert vault["properties"]["softDeleteRetentionInDays"] == 90  # a whole number, not 90.0
    assert plan.get("data-raw").inputs == {
        "accountName": "stdataplan01",
        "containerName": "raw",
        "publicAccess": "None",
        "resourceGroupName": "rg-data-plan",
    }


# -- config ---------------------------------------------------------------------------------------


def test_stack_config_is_namespaced_structured_and_secure_values_are_secret_placeholders() -> None:
    config, secret_keys = load_stack_config(load_project(FIXTURE), "test")
    assert config == {
        "azure-native:location": "westeurope",
        # Objects as Pulumi passes them: compact JSON with sorted keys.
        "plan-fixture:settings": '{"containers":["raw","curated"],"team":"data"}',
        "plan-fixture:owner": "ml-platform",  # no namespace in the file: the project's
        "plan-fixture:replicas": "3",
        "plan-fixture:apiKey": SECRET,
    }
    assert secret_keys == ["plan-fixture:apiKey"]


def test_config_reaches_the_program(plan: Plan) -> None:
    assert plan.outputs["containers"].value == ["raw", "curated"]  # get_object of a structured value
    assert plan.outputs["replicas"].value == 3  # require_int of a plain number
    assert plan.get("data-rg").inputs["tags"] == {"owner": "ml-platform"}
    assert plan.get("data-rg").inputs["resourceGroupName"] == "rg-data-plan"
    assert plan.outputs["api_key_marked_secret"].value is True
    assert plan.warnings == ["replicas=3: this fixture creates no compute"]


def test_config_overrides_replace_stack_values() -> None:
    settings = json.dumps({"team": "ops", "containers": ["only"]})
    overridden = run_plan(FIXTURE, "test", config_overrides={"settings": settings, "plan-fixture:replicas": "5"})
    assert [r.name for r in overridden.by_type("azure-native:storage:BlobContainer")] == ["data-only"]
    assert overridden.get("data-st").inputs["accountName"] == "stopsplan01"
    assert overridden.outputs["replicas"].value == 5


def test_the_program_runs_where_the_cli_runs_it(plan: Plan) -> None:
    assert plan.outputs["cwd"].value == "program"  # `main: program/` is also the working directory
    assert plan.outputs["root_directory"].value == "plan_project"  # pulumi.get_root_directory()


# -- secrets and values only Azure knows -----------------------------------------------------------


def test_secrets_are_masked_in_inputs_outputs_and_renderings(plan: Plan) -> None:
    assert plan.get("data-api-key").inputs["properties"] == {"contentType": "text/plain", "value": SECRET}
    assert plan.get("data-st").inputs["tags"]["token"] == SECRET
    api_key = plan.outputs["api_key"]
    assert (api_key.secret, api_key.known_after_apply) == (True, False)
    document = render_json(plan)
    assert json.loads(document)["outputs"]["api_key"] == {"value": SECRET, "knownAfterApply": False, "secret": True}
    tree = render_tree(plan)
    for text in SECRET_TEXTS:
        assert text not in document
        assert text not in tree
    assert "api_key              : [secret]" in tree


def test_values_only_azure_computes_are_known_after_apply(plan: Plan) -> None:
    outputs = plan.outputs
    assert outputs["blob_endpoint"].value == "https://stdataplan01.blob.core.windows.net/"
    vault_name = outputs["vault_name"].value
    assert vault_name.startswith("data-kv") and len(vault_name) == len("data-kv") + 8  # auto-named
    assert outputs["vault_uri"].value == f"https://{vault_name}.vault.azure.net/"
    assert outputs["late_group_id"].value == f"/subscriptions/{PLACEHOLDER_SUBSCRIPTION}/resourceGroups/rg-late"
    assert outputs["endpoints"].value == {"blob": "https://stdataplan01.blob.core.windows.net/", "region": "westeurope"}
    assert outputs["group"].value == child_urn("azure-native:resources:ResourceGroup", "data-rg")
    known_after_apply = {name for name, output in outputs.items() if output.known_after_apply}
    assert known_after_apply == {"blob_endpoint", "vault_name", "vault_uri", "late_group_id", "endpoints"}
    # What the program gave explicitly, and what invokes answer, are known when planning.
    assert outputs["group_name"].value == "rg-data-plan"


def test_client_config_placeholders_and_overrides(plan: Plan) -> None:
    assert plan.outputs["subscription_id"].value == PLACEHOLDER_SUBSCRIPTION
    assert plan.outputs["tenant_id"].value == PLACEHOLDER_TENANT
    assert plan.get("data-kv").inputs["properties"]["tenantId"] == PLACEHOLDER_TENANT
    sub, tenant = "12345678-aaaa-bbbb-cccc-1234567890ab", "87654321-dddd-eeee-ffff-ba0987654321"
    real = run_plan(FIXTURE, "test", subscription_id=sub, tenant_id=tenant)
    assert (real.outputs["subscription_id"].value, real.outputs["tenant_id"].value) == (sub, tenant)
    assert real.get("data-kv").inputs["properties"]["tenantId"] == tenant
    assert real.outputs["late_group_id"].value == f"/subscriptions/{sub}/resourceGroups/rg-late"
    assert (real.subscription_id, real.tenant_id) == (sub, tenant)


# -- the mocks on their own ------------------------------------------------------------------------


def new(mocks: AzureMocks, type_token: str, name: str, **inputs: object) -> tuple[str | None, dict[str, object]]:
    return mocks.new_resource(pulumi.runtime.MockResourceArgs(typ=type_token, name=name, inputs=dict(inputs)))


def test_mocks_build_arm_ids_and_auto_names() -> None:
    mocks = AzureMocks()
    rg = f"/subscriptions/{PLACEHOLDER_SUBSCRIPTION}/resourceGroups/rg-x"
    assert new(mocks, "azure-native:resources:ResourceGroup", "g", resourceGroupName="rg-x") == (
        rg,
        {"resourceGroupName": "rg-x", "name": "rg-x"},
    )
    compute_id, _ = new(
        mocks,
        "azure-native:machinelearningservices:Compute",
        "c",
        resourceGroupName="rg-x",
        workspaceName="mlw",
        computeName="cpu",
    )
    assert compute_id == f"{rg}/providers/Microsoft.MachineLearningServices/workspaces/mlw/computes/cpu"
    container_id, _ = new(
        mocks,
        "azure-native:storage:BlobContainer",
        "b",
        resourceGroupName="rg-x",
        accountName="st",
        containerName="raw",
    )
    assert container_id == f"{rg}/providers/Microsoft.Storage/storageAccounts/st/blobServices/default/containers/raw"
    blob_id, blob = new(
        mocks, "azure-native:storage:BlobServiceProperties", "p", resourceGroupName="rg-x", accountName="st"
    )
    assert blob_id == f"{rg}/providers/Microsoft.Storage/storageAccounts/st/blobServices/default"
    assert blob["name"] == "default"  # a singleton: never auto-named
    scope = f"{rg}/providers/Microsoft.Storage/storageAccounts/st"
    ra_id, ra = new(mocks, "azure-native:authorization:RoleAssignment", "ra", scope=scope)
    assert ra_id == f"{scope}/providers/Microsoft.Authorization/roleAssignments/{ra['name']}"
    uuid.UUID(str(ra["name"]))  # azure-native names role assignments with a GUID
    # Types the table does not know: Microsoft.<Module>/<resource>s, named by <resource>Name.
    nic_id, _ = new(
        mocks, "azure-native:network:NetworkInterface", "n", resourceGroupName="rg-x", networkInterfaceName="nic"
    )
    assert nic_id == f"{rg}/providers/Microsoft.Network/networkInterfaces/nic"
    _, auto = new(mocks, "azure-native:storage:StorageAccount", "st", resourceGroupName="rg-x")
    again = AzureMocks()
    assert new(again, "azure-native:storage:StorageAccount", "st", resourceGroupName="rg-x")[1]["name"] == auto["name"]
    assert str(auto["name"]).startswith("st") and len(str(auto["name"])) == 10
    assert auto["name"] in mocks.invented and rg in mocks.invented


def test_mocks_compute_what_azure_computes() -> None:
    mocks = AzureMocks(tenant_id="tttttttt-0000-0000-0000-000000000000")
    ws_id, ws = new(
        mocks,
        "azure-native:machinelearningservices:Workspace",
        "w",
        resourceGroupName="rg-x",
        workspaceName="mlw",
        location="swedencentral",
        identity={"type": "SystemAssigned"},
    )
    uuid.UUID(str(ws["workspaceId"]))
    assert ws["discoveryUrl"] == "https://swedencentral.api.azureml.ms/discovery"
    assert ws["mlFlowTrackingUri"] == f"azureml://swedencentral.api.azureml.ms/mlflow/v1.0{ws_id}"
    identity = ws["identity"]
    assert isinstance(identity, dict) and identity["tenantId"] == "tttttttt-0000-0000-0000-000000000000"
    uuid.UUID(identity["principalId"])
    _, acr = new(mocks, "azure-native:containerregistry:Registry", "r", resourceGroupName="rg-x", registryName="crX")
    assert acr["loginServer"] == "crx.azurecr.io"
    _, appi = new(mocks, "azure-native:applicationinsights:Component", "a", resourceGroupName="rg-x", resourceName="ai")
    assert str(appi["connectionString"]).startswith(f"InstrumentationKey={appi['instrumentationKey']};")
    _, uai = new(
        mocks, "azure-native:managedidentity:UserAssignedIdentity", "i", resourceGroupName="rg-x", resourceName="id"
    )
    assert {"principalId", "clientId", "tenantId"} <= set(uai)
    _, log = new(
        mocks, "azure-native:operationalinsights:Workspace", "l", resourceGroupName="rg-x", workspaceName="log"
    )
    uuid.UUID(str(log["customerId"]))
    assert {ws["workspaceId"], acr["loginServer"], appi["instrumentationKey"], log["customerId"]} <= mocks.invented


def test_mocks_remember_what_each_invented_value_is() -> None:
    # An export refers to the output (reference(...).identity.principalId) instead of the placeholder.
    mocks = AzureMocks()
    ws_id, ws = new(
        mocks,
        "azure-native:machinelearningservices:Workspace",
        "w",
        resourceGroupName="rg-x",
        workspaceName="mlw",
        identity={"type": "SystemAssigned"},
    )
    identity = ws["identity"]
    assert isinstance(identity, dict) and isinstance(ws_id, str)
    seed = "azure-native:machinelearningservices:Workspace::w"
    assert mocks.origins[ws_id] == (seed, "id")
    assert mocks.origins[identity["principalId"]] == (seed, "identity.principalId")
    assert mocks.origins[str(ws["workspaceId"])] == (seed, "workspaceId")
    new(mocks, "azure-native:keyvault:Vault", "kv", resourceGroupName="rg-x", vaultName="kv", properties={})
    assert mocks.origins["https://kv.vault.azure.net/"] == ("azure-native:keyvault:Vault::kv", "properties.vaultUri")
    # A later resource that is given the workspace's id (an input) does not become its origin.
    rule_id, _ = new(
        mocks,
        "azure-native:machinelearningservices:ManagedNetworkSettingsRule",
        "r",
        resourceGroupName="rg-x",
        workspaceName="mlw",
        ruleName="pe",
        properties={"destination": {"serviceResourceId": ws_id}},
    )
    assert mocks.origins[ws_id] == (seed, "id")
    assert rule_id == f"{ws_id}/outboundRules/pe"


def test_invokes() -> None:
    mocks = AzureMocks(subscription_id="s-1")
    config = mocks.call(pulumi.runtime.MockCallArgs("azure-native:authorization:getClientConfig", {}, ""))
    assert config == {
        "clientId": PLACEHOLDER_CLIENT,
        "objectId": PLACEHOLDER_OBJECT,
        "subscriptionId": "s-1",
        "tenantId": PLACEHOLDER_TENANT,
    }
    assert mocks.call(pulumi.runtime.MockCallArgs("azure-native:storage:getThing", {"a": 1}, "")) == {"a": 1}


# -- the Plan API and renderings -------------------------------------------------------------------


def test_plan_lookups(plan: Plan) -> None:
    account = plan.get("data-st")
    assert plan.get(account.urn) is account
    assert plan.get("StorageAccount::data-st") is account  # a URN suffix
    with pytest.raises(KeyError):
        plan.get("nothing")
    assert [r.name for r in plan.by_type("azure-native:resources:ResourceGroup")] == ["data-rg", "late"]


def test_json_document_is_stable_and_shaped(plan: Plan) -> None:
    document = render_json(plan)
    doc = json.loads(document)
    assert document == json.dumps(doc, indent=2, sort_keys=True) + "\n"
    assert {"project", "stack", "resources", "outputs"} <= set(doc)
    assert (doc["project"], doc["stack"]) == ("plan-fixture", "test")
    base = {"urn", "type", "name", "parent", "custom", "protect", "inputs", "dependencies"}
    for resource in doc["resources"]:
        assert base <= set(resource) <= base | {"options"}
    assert [r["urn"] for r in doc["resources"]] == [r.urn for r in plan.resources]
    for output in doc["outputs"].values():
        assert set(output) == {"value", "knownAfterApply", "secret"}
    assert doc["outputs"]["blob_endpoint"]["knownAfterApply"] is True


def test_tree_reads_like_pulumi_preview(plan: Plan) -> None:
    tree = render_tree(plan)
    lines = tree.splitlines()
    assert "Plan for project plan-fixture, stack test" in lines[0]
    assert f"Subscription: {PLACEHOLDER_SUBSCRIPTION} (placeholder; set with --subscription-id)" in lines
    assert any(line.startswith(" +   pulumi:pulumi:Stack") and "plan-fixture-test" in line for line in lines)
    group = next(line for line in lines if "azure-native:resources:ResourceGroup" in line and "data-rg" in line)
    stack_line = next(line for line in lines if "pulumi:pulumi:Stack" in line)
    component = next(line for line in lines if "fixture:index:DataPlatform" in line)
    # Children sit deeper than their parent.
    assert stack_line.index("pulumi:") < component.index("fixture:") < group.index("azure-native:")
    assert group.endswith("[protect]")
    late = next(line for line in lines if "azure-native:resources:ResourceGroup" in line and " late " in line)
    assert late.endswith("[delete-before-replace]")
    assert "sku.name=Standard_ZRS" in tree and "isHnsEnabled=true" in tree
    assert "+ 7 resources to create (1 protected)" in tree
    endpoint = next(line for line in lines if line.strip().startswith("blob_endpoint"))
    assert endpoint.endswith("(known after apply)")
    group_name = next(line for line in lines if line.strip().startswith("group_name"))
    assert "known after apply" not in group_name
    assert "warning: replicas=3: this fixture creates no compute" in lines


def test_key_settings_name_well_known_roles() -> None:
    assignment = PlannedResource(
        urn="urn:pulumi:dev::p::azure-native:authorization:RoleAssignment::ra",
        type="azure-native:authorization:RoleAssignment",
        name="ra",
        parent=None,
        custom=True,
        protect=False,
        inputs={
            "roleDefinitionId": "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/"
            "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
            "principalType": "ServicePrincipal",
        },
        dependencies=[],
    )
    assert key_settings(assignment) == [
        "roleDefinitionId=ba92f5b4-2d11-453d-a403-e96b0029c9fe (Storage Blob Data Contributor)",
        "principalType=ServicePrincipal",
    ]


# -- isolation and determinism ---------------------------------------------------------------------


def test_plans_in_one_process_are_identical_and_isolated(plan: Plan) -> None:
    path, cwd = list(sys.path), os.getcwd()
    # The sample project has a `helper` module beside its program too, with other contents: each plan
    # must import its own.
    run_plan(SAMPLE, "test")
    again = run_plan(FIXTURE, "test")
    assert render_json(again) == render_json(plan)
    assert render_tree(again) == render_tree(plan)
    assert (sys.path, os.getcwd()) == (path, cwd)
    assert "helper" not in sys.modules


# -- the fast path (plan/fastpath.py): shortcuts that change no plan --------------------------------


def aliased_program(seen: dict[str, Any]) -> None:
    """A program with aliases of every kind, some that look like azure-native's own, and a
    transformation-free azure-native resource whose version aliases are not shown."""
    group = resources.ResourceGroup("group", resource_group_name="rg-aliases")
    account = storage.StorageAccount(
        "account",
        resource_group_name=group.name,
        kind="StorageV2",
        sku=storage.SkuArgs(name="Standard_LRS"),
        opts=pulumi.ResourceOptions(
            aliases=[
                pulumi.Alias(name="old-account"),
                pulumi.Alias(parent=pulumi.ROOT_STACK_RESOURCE),
                # A version-looking type moved from another parent: the user's, so shown.
                pulumi.Alias(type_="azure-native:storage/v20220901:StorageAccount", parent=group),
                "urn:pulumi:dev::test::azure-native:storage:StorageAccount::older",
            ]
        ),
    )
    seen["account"] = account
    seen["group"] = group
    pulumi.log.warn("a warning from the program")


USER_ALIASES = [
    {"spec": {"name": "old-account", "parentUrn": ""}},
    {"spec": {"noParent": True}},
    {
        "spec": {
            "type": "azure-native:storage/v20220901:StorageAccount",
            "parentUrn": "urn:pulumi:dev::test::azure-native:resources:ResourceGroup::group",
        }
    },
    {"urn": "urn:pulumi:dev::test::azure-native:storage:StorageAccount::older"},
]


def test_the_fast_path_keeps_user_aliases_and_skips_only_azure_natives_own(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    fast = run_program(lambda: aliased_program(seen))
    account = fast.get("account")
    assert account.options == {"aliases": USER_ALIASES}
    assert fast.warnings == ["a warning from the program"]
    # The SDK computed URNs for the four user aliases only, not for the ~30 API-version aliases.
    assert len(seen["account"]._aliases) == 4
    assert len(seen["group"]._aliases) == 0
    # The snapshot guard still finds the old URNs they claim.
    old = "urn:pulumi:dev::test::"
    assert alias_urns(account, "dev", "test") == {
        old + "azure-native:storage:StorageAccount::old-account",
        old + "azure-native:storage:StorageAccount::account",
        old + "azure-native:resources:ResourceGroup$azure-native:storage/v20220901:StorageAccount::account",
        old + "azure-native:storage:StorageAccount::older",
    }

    monkeypatch.setattr(fastpath, "ENABLED", False)
    slow_seen: dict[str, Any] = {}
    slow = run_program(lambda: aliased_program(slow_seen))
    assert len(slow_seen["account"]._aliases) > 20  # without the shortcut, every version alias
    assert render_json(slow) == render_json(fast)
    assert render_tree(slow) == render_tree(fast)
    assert slow.warnings == fast.warnings


def test_only_provider_version_aliases_are_skipped() -> None:
    assert is_version_alias(pulumi.Alias(type_="azure-native:storage/v20190401:StorageAccount"))
    for kept in (
        pulumi.Alias(type_="azure-native:storage:StorageAccount"),  # no version
        pulumi.Alias(type_="azure-native:storage/v20190401:StorageAccount", name="old"),
        pulumi.Alias(type_="azure-native:storage/v20190401:StorageAccount", parent=None),
        pulumi.Alias(type_="azure-native:storage/v20190401:StorageAccount", stack="prod"),
        pulumi.Alias(type_="azure-native:storage/v20190401:StorageAccount", project="other"),
        "urn:pulumi:dev::test::azure-native:storage/v20190401:StorageAccount::account",
    ):
        assert not is_version_alias(kept)


def test_a_programs_own_transformation_sees_every_alias() -> None:
    counts: list[int] = []

    def program() -> None:
        def count(args: pulumi.ResourceTransformationArgs) -> None:
            counts.append(len(args.opts.aliases or []))

        pulumi.runtime.register_stack_transformation(count)
        resources.ResourceGroup("group", resource_group_name="rg-transformed")

    plan = run_program(program)
    assert counts and counts[0] > 20  # azure-native's version aliases are still there for it
    assert plan.get("group").options == {}


@pytest.mark.parametrize(
    ("project", "stack"),
    [(FIXTURE, "test"), (ROOT, "dev"), (ROOT / "tests" / "fixtures" / "datastores_project", "staging")],
)
def test_the_fast_path_changes_no_plan(project: Path, stack: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = run_plan(project, stack)
    monkeypatch.setattr(fastpath, "ENABLED", False)
    slow = run_plan(project, stack)
    assert render_json(fast) == render_json(slow)
    assert render_tree(fast) == render_tree(slow)
    assert fast.warnings == slow.warnings


def test_garbage_collection_is_back_on_after_a_plan_even_a_failed_one() -> None:
    run_plan(FIXTURE, "test")
    assert gc.isenabled()
    with pytest.raises(ConfigError):
        run_plan(FIXTURE, "broken-late")
    assert gc.isenabled()
    gc.disable()  # a caller that turned it off keeps it off
    try:
        run_program(lambda: None)
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- errors ----------------------------------------------------------------------------------------


def test_config_error_before_any_resource_propagates() -> None:
    with pytest.raises(ConfigError, match=r"asked to fail before any resource") as caught:
        run_plan(FIXTURE, "broken")
    assert caught.value.key == "plan-fixture:settings.fail"


def test_config_error_inside_an_output_propagates_as_itself() -> None:
    with pytest.raises(ConfigError) as caught:
        run_plan(FIXTURE, "broken-late")
    assert str(caught.value) == (
        f"config error: plan-fixture:settings.fail='late': asked to fail in tenant {PLACEHOLDER_TENANT}"
    )


def test_find_run_error_unwraps_causes() -> None:
    inner = ConfigError("p:k", 1, "must be 2")
    try:
        try:
            raise inner
        except ConfigError as error:
            raise RuntimeError("RPC failed") from error
    except RuntimeError as outer:
        assert find_run_error(outer) is inner
    assert find_run_error(ValueError("x")) is None


def write_project(directory: Path, pulumi_yaml: str, files: dict[str, str]) -> Path:
    (directory / "Pulumi.yaml").write_text(pulumi_yaml)
    for name, text in files.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text)
    return directory


def test_main_file_and_default_config_dir(tmp_path: Path) -> None:
    program = (
        "import pulumi\n"
        "pulumi.CustomResource('other:index:Thing', 'thing', {'size': pulumi.Config().require_int('size')})\n"
    )
    write_project(tmp_path, "name: tiny\nruntime: python\nmain: app.py\n", {"app.py": program})
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  size: 2\n")
    tiny = run_plan(tmp_path, "dev")
    assert [r.urn for r in tiny.resources] == [
        "urn:pulumi:dev::tiny::pulumi:pulumi:Stack::tiny-dev",
        "urn:pulumi:dev::tiny::other:index:Thing::thing",
    ]
    assert tiny.get("thing").inputs == {"size": 2}


@pytest.mark.parametrize(
    ("pulumi_yaml", "message"),
    [
        (None, "no Pulumi.yaml here"),
        ("name: x\nmain: nowhere/\n", "main 'nowhere/' has no program"),
        ("name: [\n", "not valid YAML"),
        ("runtime: python\n", "needs a project name"),
    ],
)
def test_project_file_errors(tmp_path: Path, pulumi_yaml: str | None, message: str) -> None:
    if pulumi_yaml is not None:
        (tmp_path / "Pulumi.yaml").write_text(pulumi_yaml)
    with pytest.raises(PlanError, match=message):
        run_plan(tmp_path, "dev")


def test_missing_or_malformed_stack_file(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as caught:
        run_plan(FIXTURE, "nope")
    assert str(caught.value) == f"{FIXTURE / 'stacks' / 'Pulumi.nope.yaml'}: no config file for stack 'nope'"
    write_project(tmp_path, "name: x\n", {"__main__.py": "", "Pulumi.dev.yaml": "config: [1, 2]\n"})
    with pytest.raises(PlanError, match="'config' must be a mapping"):
        run_plan(tmp_path, "dev")


def test_two_resources_with_one_urn_are_refused_as_the_pulumi_engine_refuses_them() -> None:
    from pulumi_azureml import (
        ComputeCluster,
        ComputeClusterArgs,
        MachineLearningWorkspace,
        MachineLearningWorkspaceArgs,
    )

    def program() -> None:
        ws = MachineLearningWorkspace(
            "ml", MachineLearningWorkspaceArgs(workload="churn", environment="dev", location="westeurope")
        )
        ComputeCluster("train", ComputeClusterArgs(compute_name="cpu-a"), workspace=ws)
        ComputeCluster("train", ComputeClusterArgs(compute_name="cpu-b"), workspace=ws)

    with pytest.raises(pulumi.RunError, match=r"Duplicate resource URN '.*ComputeCluster::train'; try giving it"):
        run_program(program)
