"""The library as another repository uses it: typed arguments checked at run time and by mypy,
placement from the workspace, Outputs for ids, StackReferences planned offline, types shipped."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pulumi
import pytest

import pulumi_azureml
from pulumi_azureml import (
    AzureBlobDatastore,
    AzureDataLakeGen2Datastore,
    ComputeCluster,
    ComputeClusterArgs,
    ComputeInstance,
    ConfigError,
    DatastoreSettings,
    MachineLearningWorkspace,
    MachineLearningWorkspaceArgs,
    create_personal_instances,
)
from pulumi_azureml.plan import Plan, run_plan, run_program

ROOT = Path(__file__).resolve().parents[1]
CONSUMER = ROOT / "examples" / "consumer"
SHARED = CONSUMER / "shared-data.dev.json"
USER = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
SUB = "5f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a190"
ACCOUNT = f"/subscriptions/{SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stdata"
COMPUTE = "azure-native:machinelearningservices:Compute"
RA = "azure-native:authorization:RoleAssignment"
FILE_SERVICE = "azure-native:storage:FileServiceProperties"


def workspace(**args: Any) -> MachineLearningWorkspace:
    return MachineLearningWorkspace(
        "ws",
        {"workload": "research", "environment": "dev", "location": "westeurope", "tags": {"owner": "team"}, **args},
    )


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulumi_azureml.cli", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


# -- misspelt keys ------------------------------------------------------------------------------


def test_misspelt_keyword_of_a_typed_model_is_one_clear_error() -> None:
    with pytest.raises(ConfigError) as caught:
        ComputeClusterArgs(compute_name="cpu", vm_prority="LowPriority")  # type: ignore[call-arg]
    assert caught.value.key == "ComputeClusterArgs.vm_prority"
    assert caught.value.rule == "is not an argument (did you mean vm_priority?)"


@pytest.mark.parametrize(
    ("build", "key"),
    [
        (lambda ws: ComputeCluster("c", {"compute_name": "cpu", "vm_prority": "x"}, workspace=ws), "vm_prority"),
        (
            lambda ws: ComputeInstance(
                "i",
                {"compute_name": "ci-x", "schedules": [{"action": "Stop", "cron": "0 20 * * *", "timezone": "UTC"}]},
                workspace=ws,
            ),
            "schedules[0].timezone",
        ),
        (
            lambda ws: create_personal_instances(
                [{"alias": "alice", "object_id": USER}], {"vm_sise": "Standard_D4s_v5"}, workspace=ws
            ),
            "template.vm_sise",
        ),
    ],
    ids=["cluster dict", "schedule timezone", "personal template"],
)
def test_misspelt_key_in_a_dict_names_it_and_registers_nothing_after(build: Any, key: str) -> None:
    seen: list[ConfigError] = []

    def program() -> None:
        ws = workspace()
        try:
            build(ws)
        except ConfigError as err:
            seen.append(err)

    plan = run_program(program)
    (error,) = seen
    assert error.key.endswith(key) and "is not an argument" in error.rule
    # Only the workspace's own image builder (its registry is private) got registered.
    assert [c.name for c in plan.by_type(COMPUTE)] == ["ws-image-builder"]


def test_misspelt_workspace_setting_and_override() -> None:
    with pytest.raises(ConfigError, match=r"workspace\.isolaton_mode='Disabled': is not an argument"):
        run_program(lambda: workspace(workspace={"isolaton_mode": "Disabled"}))
    from pulumi_azureml import merge_workspace_args

    args = MachineLearningWorkspaceArgs(workload="research", environment="dev", location="westeurope")
    with pytest.raises(ConfigError, match=r"MachineLearningWorkspaceArgs\.key_vault\.skuu"):
        merge_workspace_args(args, {"key_vault": {"skuu": "premium"}})


def test_python_errors_name_python_keys_not_config_keys() -> None:
    with pytest.raises(ConfigError) as caught:
        run_program(
            lambda: AzureBlobDatastore("raw", {"datastore_name": "", "container": "raw"}, workspace=workspace())
        )
    assert caught.value.key == "AzureBlobDatastore('raw').datastore_name"


def test_consumer_program_with_a_misspelt_key_exits_2_with_one_line(tmp_path: Path) -> None:
    project = tmp_path / "consumer"
    shutil.copytree(CONSUMER, project)
    main = project / "__main__.py"
    main.write_text(main.read_text().replace('vm_priority="LowPriority"', 'vm_prority="LowPriority"'))
    result = cli("plan", "--cwd", str(project), "--stack", "dev", "--stack-outputs", f"acme/shared-data/dev={SHARED}")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "config error: ComputeClusterArgs.vm_prority='LowPriority': is not an argument (did you mean vm_priority?)"
    ]


# -- strict mypy on a consumer --------------------------------------------------------------------

MYPY_CONFIG = """
[mypy]
strict = True
[mypy-pulumi_azure_native]
follow_imports = skip
"""


def _mypy(program: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "mypy.ini"
    config.write_text(MYPY_CONFIG)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(config),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            str(program),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )


def test_strict_mypy_passes_on_the_consumer_and_catches_a_misspelt_key(tmp_path: Path) -> None:
    good = _mypy(CONSUMER / "__main__.py", tmp_path)
    assert good.returncode == 0, good.stdout
    bad = tmp_path / "bad.py"
    bad.write_text(
        (CONSUMER / "__main__.py").read_text().replace('vm_priority="LowPriority"', 'vm_prority="LowPriority"')
    )
    result = _mypy(bad, tmp_path)
    assert result.returncode == 1
    assert 'Unexpected keyword argument "vm_prority" for "ComputeClusterArgs"' in result.stdout


# -- StackReferences and Outputs ------------------------------------------------------------------


def test_consumer_plans_offline_with_ids_from_a_stack_reference() -> None:
    import json

    shared = json.loads(SHARED.read_text())
    plan = run_plan(CONSUMER, "dev", stack_outputs={"acme/shared-data/dev": shared})
    (ws,) = plan.by_type("azure-native:machinelearningservices:Workspace")
    assert ws.inputs["keyVault"] == shared["key_vault_id"]
    (store,) = plan.by_type("azure-native:machinelearningservices:Datastore")
    assert (store.inputs["properties"]["accountName"], store.inputs["properties"]["resourceGroup"]) == (
        "stshareddatalake",
        "rg-shared-data",
    )
    grant = plan.get("lake-grant-train-read")
    assert grant.inputs["scope"] == f"{shared['lake_account_id']}/blobServices/default/containers/curated"
    assert plan.outputs["key_vault_uri"].value == "https://kv-shared-data.vault.azure.net/"


def test_a_bad_id_from_another_stack_is_checked_once_known(tmp_path: Path) -> None:
    outputs = tmp_path / "outputs.json"
    outputs.write_text('{"key_vault_id": "kv-shared-data", "lake_account_id": "' + ACCOUNT + '"}')
    result = cli("plan", "--cwd", str(CONSUMER), "--stack", "dev", "--stack-outputs", f"acme/shared-data/dev={outputs}")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        # The consumer wrote KeyVaultOptions(existing_id=...): the key is named where it was written.
        "config error: KeyVaultOptions.existing_id='kv-shared-data': must be an ARM resource id "
        "like /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>"
    ]


def test_missing_stack_outputs_are_named() -> None:
    result = cli("plan", "--cwd", str(CONSUMER), "--stack", "dev")
    assert result.returncode == 2
    assert result.stderr.startswith("stack reference 'acme/shared-data/dev': the offline plan has no outputs")


def test_outputs_are_accepted_for_every_id_argument() -> None:
    def program() -> None:
        ids = pulumi.Output.from_input
        ws = workspace(
            resource_group_name=ids("rg-research"),
            storage={"existing_id": ids(ACCOUNT)},
            identity={
                "type": "UserAssigned",
                "user_assigned_identity_id": ids(
                    f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/x"
                ),
                "principal_id": ids(USER),
            },
        )
        store = AzureBlobDatastore(
            "raw", {"datastore_name": "raw", "container": "raw", "storage_account_id": ids(ACCOUNT)}, workspace=ws
        )
        store.grant_read(ids(USER), label="team")

    plan = run_program(program)
    (ws,) = plan.by_type("azure-native:machinelearningservices:Workspace")
    assert ws.inputs["resourceGroupName"] == "rg-research"
    assert plan.get("raw-grant-team-read").inputs["principalId"] == USER


# -- placement from the workspace -----------------------------------------------------------------


@pytest.fixture(scope="module")
def placed() -> Plan:
    def program() -> None:
        ws = workspace(identity={"type": "UserAssigned"}, protect=True)
        cluster = ComputeCluster("train", ComputeClusterArgs(compute_name="cpu-cluster"), workspace=ws)
        lake = AzureDataLakeGen2Datastore(
            "lake", DatastoreSettings(datastore_name="curated", container="curated"), workspace=ws
        )
        lake.grant_write(cluster)
        create_personal_instances([{"alias": "alice", "object_id": USER}], {}, workspace=ws)

    return run_program(program)


def test_everything_placed_on_a_workspace_carries_its_tags(placed: Plan) -> None:
    tags = {"workload": "research", "environment": "dev", "managed-by": "pulumi", "owner": "team"}
    for resource in placed.resources:
        if resource.custom and "tags" in resource.inputs:
            assert resource.inputs["tags"] == tags, resource.name


def test_datastores_take_the_workspace_posture_and_preview_identity(placed: Plan) -> None:
    account = placed.get("lake-storage")
    # The workspace's own storage defaults (private, GRS), its protect, and its only identity.
    assert (account.inputs["publicNetworkAccess"], account.inputs["sku"]["name"], account.protect) == (
        "Disabled",
        "Standard_GRS",
        True,
    )
    assert placed.get("lake-container").protect is True
    store = placed.get("lake-datastore").inputs["properties"]
    assert store["serviceDataAccessAuthIdentity"] == "WorkspaceUserAssignedIdentity"
    identity = placed.get("ws-identity")
    assert identity.urn in placed.get("lake-ra-workspace").dependencies
    # Approved-outbound isolation (the component default): a private endpoint rule for the account.
    assert placed.get("lake-outbound").inputs["properties"]["destination"]["subresourceTarget"] == "dfs"


def test_computes_get_the_managed_network_and_the_grant_uses_their_identity(placed: Plan) -> None:
    cluster = placed.get("train-compute")
    assert cluster.inputs["properties"]["properties"]["enableNodePublicIp"] is False
    # The cluster gets write access by default; granting it again by hand returns that grant.
    grant = placed.get("lake-grant-cpu-cluster-write")
    assert cluster.urn in grant.dependencies
    assert not [r for r in placed.by_type(RA) if r.name == "lake-grant-train-write"]
    (instance,) = [r for r in placed.by_type(COMPUTE) if r.inputs["computeName"].startswith("ci-alice-")]
    tenant = instance.inputs["properties"]["properties"]["personalComputeInstanceSettings"]["assignedUser"]["tenantId"]
    assert tenant == placed.tenant_id  # the deploying tenant, when the user's is not given


def test_personal_instance_names_are_the_same_as_from_config() -> None:
    from pulumi_azureml.compute import personal_instance_name

    plan = run_program(
        lambda: create_personal_instances([{"alias": "alice", "object_id": USER}], {}, workspace=workspace())
    )
    expected = personal_instance_name(
        "alice", workload="research", environment="dev", location="westeurope", object_id=USER
    )
    assert [r.inputs["computeName"] for r in plan.by_type(COMPUTE) if r.name != "ws-image-builder"] == [expected]


def test_personal_instance_names_need_a_plain_location() -> None:
    def program() -> None:
        template = {
            "workspace_name": "mlw-x",
            "resource_group_name": "rg-x",
            "location": pulumi.Output.from_input("westeurope"),
        }
        create_personal_instances(
            [{"alias": "alice", "object_id": USER}], template, workload="research", environment="dev"
        )

    with pytest.raises(ConfigError, match="plain strings"):
        run_program(program)


def test_placement_is_the_workspace_or_explicit_never_both() -> None:
    with pytest.raises(ConfigError, match=r"ComputeCluster\('c'\)\.workspace_name=.*not both"):
        run_program(
            lambda: ComputeCluster("c", {"compute_name": "cpu", "workspace_name": "mlw-x"}, workspace=workspace())
        )
    with pytest.raises(ConfigError, match=r"ComputeCluster\('c'\)\.resource_group_name=None: is required without"):
        ComputeCluster("c", {"compute_name": "cpu", "workspace_name": "mlw-x"})


def test_explicit_placement_keeps_working() -> None:
    args = {"workspace_name": "mlw-x", "resource_group_name": "rg-x", "location": "westeurope", "managed_network": True}
    plan = run_program(lambda: ComputeCluster("c", {**args, "compute_name": "cpu-cluster"}))
    (compute,) = plan.by_type(COMPUTE)
    assert compute.inputs["workspaceName"] == "mlw-x"
    assert compute.inputs["properties"]["properties"]["enableNodePublicIp"] is False
    assert compute.inputs["tags"] == {"managed-by": "pulumi"}


def test_grants_to_a_compute_without_identity_or_under_a_taken_label_are_refused() -> None:
    def no_identity() -> None:
        ws = workspace()
        instance = ComputeInstance("i", {"compute_name": "ci-x"}, workspace=ws)
        store = AzureBlobDatastore("raw", {"datastore_name": "raw", "container": "raw"}, workspace=ws)
        store.grant_read(instance)

    with pytest.raises(ConfigError, match="has no managed identity"):
        run_program(no_identity)

    def twice() -> None:
        store = AzureBlobDatastore("raw", {"datastore_name": "raw", "container": "raw"}, workspace=workspace())
        # Azure allows one assignment per principal, role and scope: asking again returns it.
        assert store.grant_read(USER) is store.grant_read(USER, label="again")

    grants = [r for r in run_program(twice).by_type(RA) if "-grant-" in r.name]
    assert [g.inputs["principalId"] for g in grants] == [USER]

    def label_taken() -> None:
        store = AzureBlobDatastore("raw", {"datastore_name": "raw", "container": "raw"}, workspace=workspace())
        store.grant_read(USER, label="team")
        store.grant_read("5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1e", label="team")

    with pytest.raises(ConfigError, match="already granted under this label"):
        run_program(label_taken)


def test_missing_location_is_a_config_error_not_a_key_error() -> None:
    with pytest.raises(ConfigError, match=r"MachineLearningWorkspace\('ws'\)\.location=None: is required"):
        MachineLearningWorkspace("ws", {"workload": "research", "environment": "dev"})


# -- the package ------------------------------------------------------------------------------------


def test_public_api_names_resolve_and_match_the_export_table() -> None:
    assert sorted(pulumi_azureml.__all__) == sorted(pulumi_azureml._MODULE_OF)
    for name in pulumi_azureml.__all__:
        assert getattr(pulumi_azureml, name) is not None
    with pytest.raises(AttributeError):
        pulumi_azureml.NotAThing  # noqa: B018


def test_the_wheel_ships_py_typed(tmp_path: Path) -> None:
    uv = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    result = subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(tmp_path), str(ROOT)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("pulumi_azureml-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "pulumi_azureml/py.typed" in names
    assert "pulumi_azureml/core/schema.py" in names


def test_datastore_accounts_take_every_soft_delete_setting_of_the_workspace() -> None:
    from pulumi_azureml import AzureFileDatastore

    def program() -> None:
        ws = workspace(storage={"share_soft_delete_days": 30, "blob_soft_delete_days": 21})
        AzureFileDatastore("files", {"datastore_name": "files", "container": "share"}, workspace=ws)

    plan = run_program(program)
    days = {r.name: r.inputs["shareDeleteRetentionPolicy"]["days"] for r in plan.by_type(FILE_SERVICE)}
    assert days == {"ws-storage-file": 30, "files-storage-file": 30}


PLAIN_MOCKS = """
import asyncio, runpy, sys
from pathlib import Path
import pulumi
import pulumi.runtime.settings as settings
from pulumi.runtime.stack import wait_for_rpcs
from pulumi_azureml.plan import AzureMocks, load_project, load_stack_config
from pulumi_azureml.plan.engine import recorded_outputs

project = load_project(Path("."))
config, secret_keys = load_stack_config(project, "dev")
loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
settings.reset_options(project=project.name, stack="dev")
pulumi.runtime.set_all_config(config, secret_keys)
# The dev stack reads the shared registry: a unit test answers the StackReference with its outputs.
mocks = AzureMocks(stack_outputs=recorded_outputs(project.stack_config_dir))
pulumi.runtime.set_mocks(mocks, project=project.name, stack="dev", preview=False)
sys.path.insert(0, str(project.main.parent))
runpy.run_path(str(project.main), run_name="__main__")
loop.run_until_complete(wait_for_rpcs())
print("planned")
"""


def test_the_program_runs_under_plain_pulumi_mocks_as_a_users_unit_test_would() -> None:
    # Plain set_mocks sets no root directory; the stack loader must not need one.
    done = subprocess.run(
        [sys.executable, "-c", PLAIN_MOCKS], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("planned")
