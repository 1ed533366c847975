"""Workspace connections: every kind's planned inputs, secrets kept secret, bad input refused."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from pulumi_azureml.connection import (
    CATEGORIES,
    CONNECTION_CLASSES,
    ConnectionSettings,
    CustomKeysConnectionSettings,
    GitConnectionSettings,
    WorkspaceConnection,
)
from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.core.schema import Args, Spelling, validate
from pulumi_azureml.plan import SECRET, Plan, PlannedResource, render_json, run_program
from pulumi_azureml.workspace import MachineLearningWorkspace, WorkspacePlacement

CONN = "azure-native:machinelearningservices:WorkspaceConnection"
SUB = "00000000-0000-0000-0000-000000000001"
AOAI_ID = f"/subscriptions/{SUB}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/aoai-x"
AIS_ID = f"/subscriptions/{SUB}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/ais-x"
ACCOUNT_ID = f"/subscriptions/{SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stdata"
UAI_ID = f"/subscriptions/{SUB}/resourceGroups/rg-id/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-acr"
UAI_CLIENT = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
PLACEMENT = WorkspacePlacement(workspace_name="mlw-x", resource_group_name="rg-x", location="westeurope")
SECRET_TEXTS = ("api-key-never-shown", "pat-never-shown", "password-never-shown", "custom-key-never-shown")


@pytest.fixture
def outputs_loop() -> Iterator[None]:
    # pulumi.Output.secret needs an event loop; outside run_program there is none.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    asyncio.set_event_loop(None)
    loop.close()


def secret(text: str) -> pulumi.Output[str]:
    return pulumi.Output.secret(text)


def every_kind() -> dict[str, dict[str, Any]]:
    """One connection of each kind and auth type; built inside the program (secrets need its loop)."""
    return {
        "aoai": {
            "kind": "AzureOpenAI",
            "connection_name": "aoai-entra",
            "target": "https://aoai-x.openai.azure.com/",
            "resource_id": AOAI_ID,
            "api_version": "2024-10-21",
        },
        "aoai-key": {
            "kind": "AzureOpenAI",
            "connection_name": "aoai-key",
            "target": "https://aoai-x.openai.azure.com/",
            "resource_id": AOAI_ID,
            "auth_type": "ApiKey",
            "api_key": secret("api-key-never-shown"),
        },
        "ais": {
            "kind": "AIServices",
            "connection_name": "ais-entra",
            "target": "https://ais-x.cognitiveservices.azure.com/",
            "resource_id": AIS_ID,
        },
        "blob": {
            "kind": "AzureBlob",
            "connection_name": "blob-raw",
            "storage_account_id": ACCOUNT_ID,
            "container": "raw",
        },
        "gen2": {
            "kind": "AzureDataLakeGen2",
            "connection_name": "lake-curated",
            "storage_account_id": ACCOUNT_ID,
            "container": "curated",
        },
        "acr-mi": {
            "kind": "ContainerRegistry",
            "connection_name": "acr-identity",
            "target": "crshared.azurecr.io",
            "identity_resource_id": UAI_ID,
            "identity_client_id": UAI_CLIENT,
        },
        "acr-pw": {
            "kind": "ContainerRegistry",
            "connection_name": "acr-token",
            "target": "crshared.azurecr.io",
            "auth_type": "UsernamePassword",
            "username": "pull-token",
            "password": secret("password-never-shown"),
        },
        "git": {
            "kind": "Git",
            "connection_name": "git-private",
            "target": "https://github.com/contoso/features",
            "pat": secret("pat-never-shown"),
        },
        "git-public": {
            "kind": "Git",
            "connection_name": "git-public",
            "target": "https://github.com/contoso/open",
            "auth_type": "None",
        },
        "feed": {
            "kind": "PythonFeed",
            "connection_name": "feed-artifacts",
            "target": "https://pkgs.dev.azure.com/contoso/_packaging/ml/pypi/simple/",
            "auth_type": "UsernamePassword",
            "username": "build",
            "password": secret("password-never-shown"),
        },
        "keys": {
            "kind": "CustomKeys",
            "connection_name": "vendor-api",
            "target": "https://api.vendor.example/",
            "keys": {"x-api-key": secret("custom-key-never-shown")},
        },
    }


@pytest.fixture(scope="module")
def plan() -> Plan:
    def program() -> None:
        for name, args in every_kind().items():
            entry = WorkspaceConnection(name, args, workspace=PLACEMENT).bundle_entry()
            pulumi.export(f"bundle-{name}", entry)

    return run_program(program)


def connection(plan: Plan, name: str) -> PlannedResource:
    return plan.get(f"{name}-connection")


EXPECTED: list[tuple[str, str, str, str, dict[str, str] | None]] = [
    (
        "aoai",
        "AzureOpenAI",
        "AAD",
        "https://aoai-x.openai.azure.com/",
        {"ApiType": "Azure", "ResourceId": AOAI_ID, "ApiVersion": "2024-10-21"},
    ),
    (
        "aoai-key",
        "AzureOpenAI",
        "ApiKey",
        "https://aoai-x.openai.azure.com/",
        {"ApiType": "Azure", "ResourceId": AOAI_ID},
    ),
    (
        "ais",
        "AIServices",
        "AAD",
        "https://ais-x.cognitiveservices.azure.com/",
        {"ApiType": "Azure", "ResourceId": AIS_ID},
    ),
    (
        "blob",
        "AzureBlob",
        "AAD",
        "https://stdata.blob.core.windows.net/",
        {"AccountName": "stdata", "ContainerName": "raw", "ResourceId": ACCOUNT_ID},
    ),
    (
        "gen2",
        "ADLSGen2",
        "AAD",
        "https://stdata.dfs.core.windows.net/",
        {"AccountName": "stdata", "ContainerName": "curated", "ResourceId": ACCOUNT_ID},
    ),
    ("acr-mi", "ContainerRegistry", "ManagedIdentity", "crshared.azurecr.io", None),
    ("acr-pw", "ContainerRegistry", "UsernamePassword", "crshared.azurecr.io", None),
    ("git", "Git", "PAT", "https://github.com/contoso/features", None),
    ("git-public", "Git", "None", "https://github.com/contoso/open", None),
    ("feed", "PythonFeed", "UsernamePassword", "https://pkgs.dev.azure.com/contoso/_packaging/ml/pypi/simple/", None),
    ("keys", "CustomKeys", "CustomKeys", "https://api.vendor.example/", None),
]


@pytest.mark.parametrize(("name", "category", "auth", "target", "metadata"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_each_kind_plans_its_category_auth_target_and_metadata(
    plan: Plan, name: str, category: str, auth: str, target: str, metadata: dict[str, str] | None
) -> None:
    inputs = connection(plan, name).inputs
    assert inputs["workspaceName"] == "mlw-x"
    assert inputs["resourceGroupName"] == "rg-x"
    properties = inputs["properties"]
    assert properties["category"] == category
    assert properties["authType"] == auth
    assert properties["target"] == target
    assert properties.get("metadata") == metadata
    assert properties["isSharedToAll"] is False


def test_every_kind_is_covered_and_categories_are_the_rest_enum(plan: Plan) -> None:
    planned = {r.inputs["properties"]["category"] for r in plan.by_type(CONN)}
    assert planned == set(CATEGORIES.values())
    assert set(CONNECTION_CLASSES) == set(CATEGORIES)
    assert CATEGORIES["AzureDataLakeGen2"] == "ADLSGen2"


def test_identity_kinds_carry_no_secret_and_the_identity_is_named(plan: Plan) -> None:
    for name in ("aoai", "ais", "blob", "gen2", "git-public"):
        assert "credentials" not in connection(plan, name).inputs["properties"], name
    assert connection(plan, "acr-mi").inputs["properties"]["credentials"] == {
        "resourceId": UAI_ID,
        "clientId": UAI_CLIENT,
    }


def test_credentials_are_secrets_in_the_plan(plan: Plan) -> None:
    document = render_json(plan)
    for text in SECRET_TEXTS:
        assert text not in document
    creds = {name: connection(plan, name).inputs["properties"]["credentials"] for name in ("aoai-key", "git", "keys")}
    assert creds == {"aoai-key": {"key": SECRET}, "git": {"pat": SECRET}, "keys": {"keys": {"x-api-key": SECRET}}}
    for name, user in (("acr-pw", "pull-token"), ("feed", "build")):
        assert connection(plan, name).inputs["properties"]["credentials"] == {"username": user, "password": SECRET}


def test_bundle_entries_name_category_and_target_and_never_a_secret(plan: Plan) -> None:
    entry = plan.outputs["bundle-aoai-key"]
    assert not entry.secret
    assert entry.value == {"name": "aoai-key", "category": "AzureOpenAI", "target": "https://aoai-x.openai.azure.com/"}
    assert plan.outputs["bundle-gen2"].value["target"] == "https://stdata.dfs.core.windows.net/"
    for name, *_ in EXPECTED:
        value = plan.outputs[f"bundle-{name}"].value
        assert set(value) == {"name", "category", "target"}
        assert SECRET not in value.values()
        assert not any(text in str(value) for text in SECRET_TEXTS)


def test_the_connection_has_the_arm_id_of_a_workspace_connection(plan: Plan) -> None:
    component = plan.get("git")
    assert component.type == "pulumi-azureml:index:WorkspaceConnection"
    (child,) = plan.children(component.urn)
    assert child.name == "git-connection"
    assert child.inputs["connectionName"] == "git-private"


def test_outputs_are_the_name_and_the_arm_id() -> None:
    found: dict[str, Any] = {}

    def program() -> None:
        conn = WorkspaceConnection("git", every_kind()["git-public"], workspace=PLACEMENT)
        pulumi.export("id", conn.connection_id)
        found["name"] = conn.connection_name

    plan = run_program(program)
    assert found["name"] == "git-public"
    assert str(plan.outputs["id"].value).endswith(
        "/resourceGroups/rg-x/providers/Microsoft.MachineLearningServices/workspaces/mlw-x/connections/git-public"
    )


def test_placement_from_a_workspace_and_typed_settings() -> None:
    def program() -> None:
        ws = MachineLearningWorkspace("ws", {"workload": "research", "environment": "dev", "location": "westeurope"})
        WorkspaceConnection(
            "feature-repo",
            GitConnectionSettings(
                connection_name="features", target="https://github.com/contoso/features", auth_type="None"
            ),
            workspace=ws,
        )

    conn = run_program(program).get("feature-repo-connection")
    assert conn.inputs["workspaceName"].startswith("mlw-research-dev")
    assert conn.inputs["properties"]["category"] == "Git"


def test_explicit_target_shared_flag_metadata_and_overrides_are_passed() -> None:
    def program() -> None:
        WorkspaceConnection(
            "lake",
            {
                "kind": "AzureBlob",
                "connection_name": "blob-gov",
                "storage_account_id": ACCOUNT_ID,
                "container": "raw",
                "target": "https://stdata.blob.core.usgovcloudapi.net/",
                "is_shared_to_all": True,
                "metadata": {"owner": "data-team"},
                "overrides": {"pe_requirement": "Required"},
            },
            workspace=PLACEMENT,
        )

    properties = run_program(program).get("lake-connection").inputs["properties"]
    assert properties["target"] == "https://stdata.blob.core.usgovcloudapi.net/"
    assert properties["isSharedToAll"] is True
    assert properties["metadata"]["owner"] == "data-team"
    assert properties["metadata"]["AccountName"] == "stdata"
    assert properties["peRequirement"] == "Required"


@pytest.mark.usefixtures("outputs_loop")
def test_a_plain_text_key_from_python_is_refused_and_never_echoed() -> None:
    # The project's Secret type takes only Pulumi secrets: a plain string is an error, not wrapped.
    args = {**every_kind()["aoai-key"], "api_key": "plain-text-key-never-echoed"}
    with pytest.raises(ConfigError) as caught:
        WorkspaceConnection("c", args, workspace=PLACEMENT)
    assert caught.value.key == "WorkspaceConnection('c').api_key"
    assert "must be a Pulumi secret" in caught.value.rule
    assert "plain-text-key-never-echoed" not in str(caught.value)
    with pytest.raises(ConfigError) as typed:
        CustomKeysConnectionSettings(
            connection_name="vendor-api",
            target="https://api.vendor.example/",
            keys={"k": "plain-text-key-never-echoed"},  # type: ignore[dict-item]
        )
    assert typed.value.key == "CustomKeysConnectionSettings.keys.k"
    assert "plain-text-key-never-echoed" not in str(typed.value)


def base(which: str, **args: Any) -> dict[str, Any]:
    return {**every_kind()[which], **args}


ERRORS: list[tuple[str, Any, str, str]] = [
    ("missing target", lambda: {k: v for k, v in base("aoai").items() if k != "target"}, "target", "is required"),
    ("http target", lambda: base("aoai", target="http://aoai-x.openai.azure.com/"), "target", "https:// URL"),
    ("not a URL", lambda: base("feed", target="pkgs.dev.azure.com/contoso"), "target", "https:// URL"),
    ("token in the URL", lambda: base("git", target="https://u:tok@github.com/c/r"), "target", "credentials"),
    ("registry as URL", lambda: base("acr-mi", target="https://crshared.azurecr.io"), "target", "login server"),
    ("key with Entra ID", lambda: base("aoai", api_key=secret("k")), "api_key", "only used with auth_type ApiKey"),
    ("pat on a public repo", lambda: base("git-public", pat=secret("p")), "pat", "only used with auth_type PAT"),
    ("password with PAT", lambda: base("git", password=secret("p")), "password", "UsernamePassword"),
    ("identity with a password", lambda: base("acr-pw", identity_client_id=UAI_CLIENT), "identity_client_id", "only"),
    ("missing key", lambda: base("aoai", auth_type="ApiKey"), "api_key", "is required with auth_type ApiKey"),
    ("missing pat", lambda: {k: v for k, v in base("git").items() if k != "pat"}, "pat", "is required"),
    ("missing identity", lambda: base("acr-mi", identity_resource_id=None), "identity_resource_id", "is required"),
    ("keys missing", lambda: {k: v for k, v in base("keys").items() if k != "keys"}, "keys", "is required"),
    ("storage by key", lambda: base("blob", auth_type="AccountKey"), "auth_type", "must be AAD"),
    ("auth the kind lacks", lambda: base("git", auth_type="ManagedIdentity"), "auth_type", "must be one of"),
    ("bad name", lambda: base("git", connection_name="git repo"), "connection_name", "3-33"),
    ("name too long", lambda: base("git", connection_name="g" * 34), "connection_name", "3-33"),
    ("bad account id", lambda: base("blob", storage_account_id="stdata"), "storage_account_id", "ARM resource id"),
    ("unknown kind", lambda: base("git", kind="GitHub"), "kind", "must be one of"),
    ("no kind", lambda: {k: v for k, v in base("git").items() if k != "kind"}, "kind", "is required"),
    ("metadata the kind sets", lambda: base("aoai", metadata={"ResourceId": "x"}), "metadata.ResourceId", "is set"),
    ("auth type override", lambda: base("git", overrides={"auth_type": "None"}), "overrides.auth_type", "auth_type"),
    (
        "credentials as override",
        lambda: base("git-public", overrides={"credentials": {"pat": "plain-override-never-echoed"}}),
        "overrides.credentials",
        "never overrides",
    ),
    ("misspelt override", lambda: base("git", overrides={"expiry_tme": "x"}), "overrides.expiry_tme", "expiry_time"),
]


@pytest.mark.parametrize(("make", "key", "rule"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
@pytest.mark.usefixtures("outputs_loop")
def test_bad_input_is_one_config_error_naming_the_key(make: Any, key: str, rule: str) -> None:
    with pytest.raises(ConfigError) as caught:
        WorkspaceConnection("c", make(), workspace=PLACEMENT)
    assert caught.value.key == f"WorkspaceConnection('c').{key}"
    assert rule in caught.value.rule
    assert "never-echoed" not in str(caught.value)
    if key in ("api_key", "pat", "password", "overrides.credentials"):
        assert caught.value.value in ("[secret]", None)


@pytest.mark.usefixtures("outputs_loop")
def test_a_connection_needs_a_workspace() -> None:
    with pytest.raises(ConfigError) as caught:
        WorkspaceConnection("c", base("git-public"))
    assert caught.value.key == "WorkspaceConnection('c').workspace"


class _Config(Args):
    connections: list[ConnectionSettings] = []


@pytest.mark.usefixtures("outputs_loop")
def test_the_union_reads_stack_config_by_kind_in_camel_case() -> None:
    spelling = Spelling("config", "azureml-platform:")
    good = validate(
        _Config,
        {
            "connections": [
                {"kind": "Git", "name": "git-public", "target": "https://github.com/c/r", "authType": "None"}
            ]
        },
        spelling,
    )
    assert isinstance(good.connections[0], GitConnectionSettings)
    assert good.connections[0].connection_name == "git-public"
    with pytest.raises(ConfigError) as caught:
        validate(
            _Config,
            {"connections": [{"kind": "PythonFeed", "name": "feed", "target": "https://f.example/", "pat": "plain"}]},
            spelling,
        )
    assert caught.value.key == "azureml-platform:connections[0].pat"
    assert caught.value.value == "[plain text]"
    with pytest.raises(ConfigError) as mode:
        validate(
            _Config,
            {"connections": [{"kind": "Git", "name": "repo", "target": "https://g.example/", "isSharedToAll": "yes"}]},
            spelling,
        )
    assert mode.value.key == "azureml-platform:connections[0].isSharedToAll"


def test_secret_fields_are_secure_values_in_the_json_schema() -> None:
    schema = _Config.model_json_schema(by_alias=True)
    git = schema["$defs"]["GitConnectionSettings"]["properties"]
    assert git["pat"]["anyOf"][0]["required"] == ["secure"]
    keys = schema["$defs"]["CustomKeysConnectionSettings"]["properties"]["keys"]
    assert keys["anyOf"][0]["additionalProperties"]["required"] == ["secure"]


RA = "azure-native:authorization:RoleAssignment"
DS_GROUP, READERS = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9", "2d3e4f50-6172-4839-a4b5-c6d7e8f90123"
OPENAI_USER, COGNITIVE_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd", "a97b65f3-24c7-4388-baec-2e87135dc908"
BLOB_CONTRIBUTOR, BLOB_READER = "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"


def platform(environment: str = "dev", **extra: Any) -> MachineLearningWorkspace:
    """The workspace the data-role and outbound tests place connections on."""
    return MachineLearningWorkspace(
        "platform", {"workload": "churn", "environment": environment, "location": "westeurope", **extra}
    )


def plan_with_people(*connections: tuple[str, dict[str, Any]]) -> Plan:
    """A workspace with data scientists and readers, a cluster before the connections and one after;
    each connection is a kind of :func:`every_kind` with changes."""
    from pulumi_azureml import ComputeCluster

    def program() -> None:
        ws = platform(
            access={
                "data_scientists": [{"principal_id": DS_GROUP, "name": "ds"}],
                "readers": [{"principal_id": READERS, "name": "rd"}],
            }
        )
        ComputeCluster("cluster-cpu", {"compute_name": "cpu"}, workspace=ws)
        kinds = every_kind()  # inside the program: secrets need its loop
        for kind, changes in connections:
            conn = {**kinds[kind], **changes}
            WorkspaceConnection(f"connection-{conn['connection_name']}", conn, workspace=ws)
        ComputeCluster("cluster-gpu", {"compute_name": "gpu"}, workspace=ws)

    return run_program(program)


def grants_of(plan: Plan, prefix: str) -> dict[str, tuple[str, str]]:
    """Pulumi name -> (scope, role GUID) of the connection's role assignments."""
    return {
        r.name: (r.inputs["scope"], r.inputs["roleDefinitionId"].rsplit("/", 1)[-1])
        for r in plan.by_type(RA)
        if r.name.startswith(prefix) and not r.name.endswith("-ra-network-approver")  # see the outbound tests
    }


def test_identity_connections_grant_their_callers_the_data_role() -> None:
    plan = plan_with_people(("aoai", {}), ("ais", {}), ("blob", {}), ("aoai-key", {}))
    assert grants_of(plan, "connection-aoai-entra-") == {
        "connection-aoai-entra-ra-user-ds-cognitive-services-openai-user": (AOAI_ID, OPENAI_USER),
        "connection-aoai-entra-ra-compute-cpu-cognitive-services-openai-user": (AOAI_ID, OPENAI_USER),
        "connection-aoai-entra-ra-compute-gpu-cognitive-services-openai-user": (AOAI_ID, OPENAI_USER),
    }, "data scientists and both clusters (before and after the connection); readers call no model"
    assert {role for _, role in grants_of(plan, "connection-ais-entra-").values()} == {COGNITIVE_USER}
    container = f"{ACCOUNT_ID}/blobServices/default/containers/raw"
    assert grants_of(plan, "connection-blob-raw-") == {
        "connection-blob-raw-ra-user-ds-storage-blob-data-contributor": (container, BLOB_CONTRIBUTOR),
        "connection-blob-raw-ra-user-rd-storage-blob-data-reader": (container, BLOB_READER),
        "connection-blob-raw-ra-compute-cpu-storage-blob-data-contributor": (container, BLOB_CONTRIBUTOR),
        "connection-blob-raw-ra-compute-gpu-storage-blob-data-contributor": (container, BLOB_CONTRIBUTOR),
    }
    # A key connection authenticates with its key: nobody needs a role.
    assert grants_of(plan, "connection-aoai-key-") == {}
    users = [r for r in plan.by_type(RA) if r.name == "connection-blob-raw-ra-user-rd-storage-blob-data-reader"]
    assert users[0].inputs["principalType"] == "Group" and users[0].inputs["principalId"] == READERS


def test_read_only_storage_connections_and_opting_out() -> None:
    plan = plan_with_people(
        ("gen2", {"connection_name": "lake", "read_only": True}), ("aoai", {"identity_access": False})
    )
    roles = {role for _, role in grants_of(plan, "connection-lake-").values()}
    assert roles == {BLOB_READER} and len(grants_of(plan, "connection-lake-")) == 4
    assert grants_of(plan, "connection-aoai-entra-") == {}


RULE = "azure-native:machinelearningservices:ManagedNetworkSettingsRule"
APPROVER = "b556d68e-0be0-4f35-a333-ad7ee1ce17ea"


def plan_in_network(isolation: str, *connections: tuple[str, dict[str, Any]]) -> Plan:
    def program() -> None:
        ws = platform("staging", workspace={"isolation_mode": isolation})
        kinds = every_kind()
        for kind, changes in connections:
            conn = {**kinds[kind], **changes}
            WorkspaceConnection(f"connection-{conn['connection_name']}", conn, workspace=ws)

    return run_program(program)


def rules_of(plan: Plan) -> dict[str, tuple[str, str]]:
    """Rule name -> (target id, group) of the connections' outbound rules."""
    out = {}
    for r in plan.by_type(RULE):
        if "WorkspaceConnection" in r.urn:
            destination = r.inputs["properties"]["destination"]
            out[r.inputs["ruleName"]] = (destination["serviceResourceId"], destination["subresourceTarget"])
    return out


def test_approved_outbound_networks_get_a_private_endpoint_to_each_azure_target() -> None:
    plan = plan_in_network(
        "AllowOnlyApprovedOutbound", ("aoai", {}), ("gen2", {"connection_name": "lake"}), ("blob", {}), ("git", {})
    )
    assert rules_of(plan) == {
        "cn-aoai-entra-account": (AOAI_ID, "account"),
        "cn-lake-dfs": (ACCOUNT_ID, "dfs"),
        "cn-lake-blob": (ACCOUNT_ID, "blob"),
    }, "blob-raw shares lake's blob endpoint (one per account and group); Git hosts are the user's FQDN rules"
    approvers = [r for r in plan.by_type(RA) if r.name.endswith("-ra-network-approver")]
    assert {r.inputs["scope"] for r in approvers} == {AOAI_ID, ACCOUNT_ID}
    assert all(r.inputs["roleDefinitionId"].endswith(APPROVER) for r in approvers)
    # Each rule waits for its approver grant (auto-approval is gone for such targets).
    (rule,) = [r for r in plan.by_type(RULE) if r.inputs["ruleName"] == "cn-aoai-entra-account"]
    assert any(a.urn in rule.dependencies for a in approvers)


def test_internet_outbound_needs_asking_and_approved_outbound_can_opt_out() -> None:
    assert rules_of(plan_in_network("AllowInternetOutbound", ("aoai", {}))) == {}
    asked = plan_in_network("AllowInternetOutbound", ("aoai", {"private_endpoint": True}))
    assert rules_of(asked) == {"cn-aoai-entra-account": (AOAI_ID, "account")}
    assert rules_of(plan_in_network("AllowOnlyApprovedOutbound", ("aoai", {"private_endpoint": False}))) == {}
    with pytest.raises(ConfigError) as err:
        plan_in_network("Disabled", ("aoai", {"private_endpoint": True}))
    assert err.value.key == "WorkspaceConnection('connection-aoai-entra').private_endpoint"
    assert "managed network" in err.value.rule
    long = plan_in_network("AllowOnlyApprovedOutbound", ("aoai", {"connection_name": "a-very-long-connection-name-x"}))
    (name,) = rules_of(long)
    assert len(name) <= 33 and name.endswith("-account")


def test_a_datastore_and_a_connection_on_one_container_share_each_grant() -> None:
    """Azure refuses a second assignment of a role to a principal at a scope (RoleAssignmentExists)."""
    from pulumi_azureml import AzureBlobDatastore, ComputeCluster

    def program() -> None:
        ws = platform(access={"data_scientists": [{"principal_id": DS_GROUP, "name": "ds"}]})
        ComputeCluster("cluster-cpu", {"compute_name": "cpu"}, workspace=ws)
        AzureBlobDatastore(
            "datastore-raw",
            {"datastore_name": "raw", "storage_account_id": ACCOUNT_ID, "container": "raw"},
            workspace=ws,
        )
        WorkspaceConnection("connection-blob-raw", every_kind()["blob"], workspace=ws)

    plan = run_program(program)
    container = f"{ACCOUNT_ID}/blobServices/default/containers/raw"
    keys = [
        (r.inputs["principalId"], r.inputs["roleDefinitionId"].rsplit("/", 1)[-1])
        for r in plan.by_type(RA)
        if r.inputs["scope"] == container
    ]
    assert len(keys) == len(set(keys)), keys
    assert (DS_GROUP, BLOB_CONTRIBUTOR) in keys
    assert grants_of(plan, "connection-blob-raw-") == {}, "the datastore declared both first"


def test_connections_given_one_output_id_twice_are_refused_by_the_plan_as_azure_would() -> None:
    """Validation wraps each Output, so two connections to one container by an Output id cannot be
    told apart when registered: the offline plan refuses the second grant, as Azure would."""
    from pulumi_azureml.plan.refusals import AzureRefusal

    def program() -> None:
        ws = platform("staging", access={"data_scientists": [{"principal_id": DS_GROUP, "name": "ds"}]})
        account = pulumi.Output.from_input(ACCOUNT_ID)
        for name in ("raw-a", "raw-b"):
            conn = {"kind": "AzureBlob", "connection_name": name, "storage_account_id": account, "container": "raw"}
            WorkspaceConnection(f"connection-{name}", conn, workspace=ws)

    with pytest.raises(AzureRefusal, match="RoleAssignmentExists"):
        run_program(program)
