"""Datastores: every kind and credential mode, the grants that make identity access work, secrets."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest

from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.core.roles import BuiltInRole
from pulumi_azureml.datastore import SUPPORTED_CREDENTIALS, Datastore
from pulumi_azureml.plan import SECRET, Plan, PlannedResource, render_json, run_plan, run_program
from pulumi_azureml.stack.config import parse_stack_config

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "datastores_project"
DS = "azure-native:machinelearningservices:Datastore"
RA = "azure-native:authorization:RoleAssignment"
SUB = "00000000-0000-0000-0000-000000000009"
ACCOUNT = f"/subscriptions/{SUB}/resourceGroups/rg-partner/providers/Microsoft.Storage/storageAccounts/stpartner"
TENANT = "0f0e0d0c-0b0a-4909-8807-060504030201"
CLIENT = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
GROUP = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
BASE: dict[str, Any] = {
    "workspace_name": "mlw-x",
    "resource_group_name": "rg-x",
    "location": "westeurope",
    "subscription_id": "00000000-0000-0000-0000-000000000001",
    "workspace_principal_id": "6f1d0c9e-1c2b-4e3a-9d8f-0a1b2c3d4e5f",
}
SECRET_TEXTS = ("key-that-must-never-appear", "sas-that-must-never-appear", "a2V5LXRoYXQ", "c2FzLXRoYXQ")


@pytest.fixture
def outputs_loop() -> Iterator[None]:
    # pulumi.Output.secret needs an event loop; outside run_program there is none.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield
    asyncio.set_event_loop(None)
    loop.close()


def plan_one(**args: Any) -> Plan:
    return run_program(lambda: Datastore("ds", {**BASE, **args}))


def only(plan: Plan, type_token: str) -> PlannedResource:
    (resource,) = plan.by_type(type_token)
    return resource


@pytest.fixture(scope="module")
def every_kind() -> Plan:
    return run_plan(FIXTURE, "staging")


def test_test_stack_covers_every_kind_and_credential_mode(every_kind: Plan) -> None:
    seen = {
        (d.inputs["properties"]["datastoreType"], d.inputs["properties"]["credentials"]["credentialsType"])
        for d in every_kind.by_type(DS)
    }
    wanted = {
        "identity": "None",
        "account_key": "AccountKey",
        "sas": "Sas",
        "service_principal": "ServicePrincipal",
        "certificate": "Certificate",
    }
    assert seen == {(kind, wanted[mode]) for kind, modes in SUPPORTED_CREDENTIALS.items() for mode in modes}


def test_secrets_never_reach_the_plan(every_kind: Plan) -> None:
    document = render_json(every_kind)
    for text in SECRET_TEXTS:
        assert text not in document
    secrets = [
        d.inputs["properties"]["credentials"].get("secrets")
        for d in every_kind.by_type(DS)
        if d.inputs["properties"]["credentials"]["credentialsType"] != "None"
    ]
    assert len(secrets) == 11
    for entry in secrets:
        fields = {k: v for k, v in entry.items() if k != "secretsType"}
        assert fields and set(fields.values()) == {SECRET}, entry


def test_gen1_is_registered_with_a_retirement_warning(every_kind: Plan) -> None:
    gen1 = [d for d in every_kind.by_type(DS) if d.inputs["properties"]["datastoreType"] == "AzureDataLakeGen1"]
    assert {d.inputs["properties"]["storeName"] for d in gen1} == {"oldstore"}
    assert sum("retired" in w for w in every_kind.warnings) == 2


def test_identity_datastore_grants_the_workspace_identity_on_the_container(every_kind: Plan) -> None:
    grants = {r.name: r.inputs for r in every_kind.by_type(RA)}
    reader = grants["datastore-blob_identity-ra-workspace"]
    assert reader["roleDefinitionId"].endswith(BuiltInRole.STORAGE_BLOB_DATA_READER.value)  # readOnly: true
    assert reader["scope"].endswith("/blobServices/default/containers/raw")
    writer = grants["datastore-lake_identity-ra-workspace"]
    assert writer["roleDefinitionId"].endswith(BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR.value)
    assert writer["scope"].endswith("/blobServices/default/containers/curated")
    group = grants["datastore-blob_identity-grant-data-engineers-write"]
    assert (group["principalId"], group["principalType"]) == (GROUP, "Group")
    # keys and service principals need no grant
    assert "datastore-blob_sp-ra-workspace" not in grants


def test_private_accounts_get_a_managed_network_private_endpoint(every_kind: Plan) -> None:
    rules = {
        r.inputs["ruleName"]: r.inputs["properties"]
        for r in every_kind.by_type("azure-native:machinelearningservices:ManagedNetworkSettingsRule")
    }
    assert rules["lake-identity-dfs"]["destination"]["subresourceTarget"] == "dfs"
    assert rules["blob-sp-blob"]["destination"]["serviceResourceId"] == ACCOUNT
    assert rules["files-key-file"]["type"] == "PrivateEndpoint"


def test_outputs_hand_off_uris(every_kind: Plan) -> None:
    entries = {d["name"]: d for d in every_kind.outputs["datastores"].value}
    blob = entries["blob_identity"]
    assert blob["uri"] == "azureml://datastores/blob_identity/paths/"
    assert blob["long_uri"].startswith("azureml://subscriptions/") and blob["long_uri"].endswith(
        "/resourcegroups/rg-churn-staging-we/workspaces/mlw-churn-staging-we/datastores/blob_identity/paths/"
    )
    assert (blob["kind"], blob["container"], blob["default"]) == ("AzureBlob", "raw", True)
    assert entries["blob_sas"]["account_name"] == "stpartner"
    assert entries["legacy_sp"]["account_name"] is None
    assert every_kind.outputs["default_datastore"].value == "blob_identity"


def test_created_accounts_follow_the_kind() -> None:
    lake = plan_one(
        kind="AzureDataLakeGen2", datastore_name="lake", container="curated", storage_account_name="stlake01"
    )
    account = only(lake, "azure-native:storage:StorageAccount").inputs
    assert account["isHnsEnabled"] is True
    assert account["allowSharedKeyAccess"] is False
    assert only(lake, "azure-native:storage:BlobContainer").inputs["containerName"] == "curated"
    files = plan_one(
        kind="AzureFile",
        datastore_name="files",
        container="share",
        storage_account_name="stfiles01",
        credentials={"mode": "account_key"},
    )
    # a key datastore on a created account reads the key from Azure, as a secret
    assert only(files, "azure-native:storage:StorageAccount").inputs["allowSharedKeyAccess"] is True
    assert only(files, "azure-native:storage:FileShare").inputs["shareName"] == "share"
    assert only(files, DS).inputs["properties"]["credentials"]["secrets"]["key"] == SECRET
    assert "offline-plan-key" not in json.dumps(files.to_json())


def test_existing_account_targets_its_resource_group_and_subscription() -> None:
    plan = plan_one(kind="AzureBlob", datastore_name="raw", container="raw", storage_account_id=ACCOUNT)
    assert not plan.by_type("azure-native:storage:StorageAccount")
    props = only(plan, DS).inputs["properties"]
    assert (props["accountName"], props["resourceGroup"], props["subscriptionId"]) == ("stpartner", "rg-partner", SUB)
    assert props["serviceDataAccessAuthIdentity"] == "WorkspaceSystemAssignedIdentity"


def test_grants_are_deterministic() -> None:
    args: dict[str, Any] = {
        **BASE,
        "kind": "AzureBlob",
        "datastore_name": "raw",
        "container": "raw",
        "storage_account_id": ACCOUNT,
    }

    def program() -> None:
        store = Datastore("ds", args)
        store.grant_read(GROUP, principal_type="Group")
        store.grant_write("7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d")

    def names(plan: Plan) -> list[tuple[str, str]]:
        return sorted((r.name, r.inputs["roleAssignmentName"]) for r in plan.by_type(RA))

    first, second = run_program(program), run_program(program)
    assert names(first) == names(second)
    roles = {r.name.rsplit("-", 1)[-1]: r.inputs["roleDefinitionId"].rsplit("/", 1)[-1] for r in first.by_type(RA)}
    assert roles["read"] == BuiltInRole.STORAGE_BLOB_DATA_READER.value
    assert roles["write"] == BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR.value


COMPONENT_ERRORS: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "SAS on Gen1",
        {"kind": "AzureDataLakeGen1", "container": "oldstore", "credentials": {"mode": "sas"}},
        "Datastore('ds').credentials.mode",
        "AzureDataLakeGen1 datastores support service_principal, certificate",
    ),
    (
        "identity on Files",
        {"kind": "AzureFile", "storage_account_id": ACCOUNT, "credentials": {"mode": "identity"}},
        "Datastore('ds').credentials.mode",
        "AzureFile datastores support",
    ),
    (
        "identity without a workspace identity",
        {"kind": "AzureBlob", "storage_account_id": ACCOUNT, "workspace_principal_id": None},
        "Datastore('ds').credentials.mode",
        "needs the workspace identity",
    ),
    (
        "plain-text key",
        {
            "kind": "AzureBlob",
            "storage_account_id": ACCOUNT,
            "credentials": {"mode": "account_key", "account_key": "abc"},
        },
        "Datastore('ds').credentials.account_key",
        "must be a Pulumi secret",
    ),
    (
        "missing client secret",
        {
            "kind": "AzureBlob",
            "storage_account_id": ACCOUNT,
            "credentials": {"mode": "service_principal", "tenant_id": TENANT, "client_id": CLIENT},
        },
        "Datastore('ds').credentials.client_secret",
        "required",
    ),
    (
        "tenant not a GUID",
        {
            "kind": "AzureDataLakeGen1",
            "container": "oldstore",
            "credentials": {
                "mode": "service_principal",
                "tenant_id": "contoso",
                "client_id": CLIENT,
                "client_secret": "S",
            },
        },
        "Datastore('ds').credentials.tenant_id",
        "GUID",
    ),
    (
        "SAS on a created account",
        {"kind": "AzureBlob", "storage_account_name": "stnew01", "credentials": {"mode": "sas"}},
        "Datastore('ds').credentials.mode",
        "existing account",
    ),
    (
        "bad datastore name",
        {"kind": "AzureBlob", "storage_account_id": ACCOUNT, "datastore_name": "Raw-Data"},
        "Datastore('ds').datastore_name",
        "lowercase",
    ),
    (
        "bad container",
        {"kind": "AzureBlob", "storage_account_id": ACCOUNT, "container": "Raw_Data"},
        "Datastore('ds').container",
        "3-63",
    ),
    ("no account at all", {"kind": "AzureBlob"}, "Datastore('ds').storage_account_name", "required"),
]


@pytest.mark.parametrize(
    ("args", "key", "rule"), [c[1:] for c in COMPONENT_ERRORS], ids=[c[0] for c in COMPONENT_ERRORS]
)
@pytest.mark.usefixtures("outputs_loop")
def test_component_refuses_bad_combinations(args: dict[str, Any], key: str, rule: str) -> None:
    full = {**BASE, "datastore_name": "raw", "container": "raw", **args}
    creds = full.get("credentials", {})
    if creds.get("client_secret") == "S":
        creds["client_secret"] = pulumi.Output.secret("S")
    with pytest.raises(ConfigError) as caught:
        Datastore("ds", full)
    assert caught.value.key == key
    assert rule in caught.value.rule


def parse(datastores: list[dict[str, Any]], secret: bool = False) -> Any:
    return parse_stack_config(
        "azureml-platform",
        "dev",
        {"workload": "churn", "datastores": datastores},
        "westeurope",
        frozenset({"datastores"}) if secret else frozenset(),
    )


CONFIG_ERRORS: list[tuple[str, list[dict[str, Any]], str, str]] = [
    (
        "plain-text secret in config",
        [
            {
                "name": "raw",
                "kind": "AzureBlob",
                "container": "raw",
                "storageAccountId": ACCOUNT,
                "credentials": {"mode": "sas", "sasToken": "sv=2024"},
            }
        ],
        "datastores[0].credentials.sasToken",
        "--secret",
    ),
    (
        "two defaults",
        [
            {"name": "a_store", "kind": "AzureBlob", "container": "aaa", "default": True},
            {"name": "b_store", "kind": "AzureBlob", "container": "bbb", "default": True},
        ],
        "datastores[1].default",
        "at most one",
    ),
    (
        "duplicate names",
        [
            {"name": "a_store", "kind": "AzureBlob", "container": "aaa"},
            {"name": "a_store", "kind": "AzureDataLakeGen2", "container": "bbb"},
        ],
        "datastores[1].name",
        "unique",
    ),
    ("unknown kind", [{"name": "a_store", "kind": "S3", "container": "aaa"}], "datastores[0].kind", "must be one of"),
    (
        "grant on a file share",
        [
            {
                "name": "f_store",
                "kind": "AzureFile",
                "container": "fff",
                "credentials": {"mode": "account_key"},
                "grants": [{"principalId": GROUP}],
            }
        ],
        "datastores[0].grants",
        "Blob and Data Lake Gen2",
    ),
    (
        "grant principal not a GUID",
        [{"name": "a_store", "kind": "AzureBlob", "container": "aaa", "grants": [{"principalId": "team"}]}],
        "datastores[0].grants[0].principalId",
        "GUID",
    ),
]


@pytest.mark.parametrize(
    ("datastores", "key", "rule"), [c[1:] for c in CONFIG_ERRORS], ids=[c[0] for c in CONFIG_ERRORS]
)
@pytest.mark.usefixtures("outputs_loop")
def test_config_refuses_bad_datastores(datastores: list[dict[str, Any]], key: str, rule: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(datastores)
    assert caught.value.key == f"azureml-platform:{key}"
    assert rule in caught.value.rule


@pytest.mark.usefixtures("outputs_loop")
def test_secret_config_key_allows_inline_secrets() -> None:
    settings = parse(
        [
            {
                "name": "raw",
                "kind": "AzureBlob",
                "container": "raw",
                "storageAccountId": ACCOUNT,
                "credentials": {"mode": "sas", "sasToken": "sv=2024"},
            }
        ],
        secret=True,
    )
    token = settings.datastores[0].credentials.sas_token
    assert isinstance(token, pulumi.Output)


def test_dev_stack_starts_with_blob_and_gen2_on_identity() -> None:
    dev = run_plan(ROOT, "dev")
    kinds = {
        d.inputs["name"]: (
            d.inputs["properties"]["datastoreType"],
            d.inputs["properties"]["credentials"]["credentialsType"],
        )
        for d in dev.by_type(DS)
    }
    assert kinds == {"raw_data": ("AzureBlob", "None"), "curated": ("AzureDataLakeGen2", "None")}
    ws = dev.by_type("azure-native:machinelearningservices:Workspace")[0]
    cluster = dev.get("cluster-cpu-cluster-compute")
    for grant in (r for r in dev.by_type(RA) if r.name.startswith("datastore-")):
        assert "/blobServices/default/containers/" in grant.inputs["scope"]
        if grant.name.endswith("-ra-workspace"):
            assert ws.urn in grant.dependencies  # the workspace identity's principal
        elif "-grant-cpu-cluster-" in grant.name:
            assert cluster.urn in grant.dependencies  # the cluster identity's principal
        else:
            assert grant.inputs["principalType"] == "Group"  # the dev stack's data scientists
    # Every identity datastore: the workspace identity, the cluster identity and the group.
    assert len([r for r in dev.by_type(RA) if r.name.startswith("datastore-")]) == 6
    assert dev.outputs["default_datastore"].value == "raw_data"


def test_per_kind_classes_set_the_kind_and_their_own_type() -> None:
    from pulumi_azureml.datastore import AzureDataLakeGen1Datastore, AzureFileDatastore

    def program() -> None:
        AzureFileDatastore(
            "files",
            {
                **BASE,
                "datastore_name": "shared",
                "container": "share",
                "storage_account_id": ACCOUNT,
                "credentials": {"mode": "sas", "sas_token": pulumi.Output.secret("sv=1")},
            },
        )
        AzureDataLakeGen1Datastore(
            "old",
            {
                **BASE,
                "datastore_name": "legacy",
                "container": "oldstore",
                "credentials": {
                    "mode": "service_principal",
                    "tenant_id": TENANT,
                    "client_id": CLIENT,
                    "client_secret": pulumi.Output.secret("s"),
                },
            },
        )

    plan = run_program(program)
    assert plan.get("files").type == "pulumi-azureml:index:AzureFileDatastore"
    assert plan.get("old").type == "pulumi-azureml:index:AzureDataLakeGen1Datastore"
    kinds = {d.inputs["properties"]["datastoreType"] for d in plan.by_type(DS)}
    assert kinds == {"AzureFile", "AzureDataLakeGen1"}


def test_outbound_rule_names_fit_azure_limits() -> None:
    import re

    from pulumi_azureml.datastore import outbound_rule_name

    assert outbound_rule_name("raw_data", "blob") == "raw-data-blob"
    long_names = {outbound_rule_name(name, "dfs") for name in ("customer_transactions_curated", "a" * 255, "b" * 255)}
    assert len(long_names) == 3
    for name in long_names:
        assert re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}", name), name
