"""Compute clusters, compute instances, personal instances and serverless settings."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from pulumi_azureml.compute import (
    CLUSTER_REPLACE_ON_CHANGES,
    ComputeCluster,
    ComputeInstance,
    personal_instance_name,
)
from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.core.naming import COMPUTE_NAME_RULE, validate_name
from pulumi_azureml.plan import Plan, PlannedResource, run_plan, run_program
from pulumi_azureml.stack.config import parse_stack_config
from pulumi_azureml.workspace import MachineLearningWorkspace

ROOT = Path(__file__).resolve().parents[1]
COMPUTE = "azure-native:machinelearningservices:Compute"
SUB = "00000000-0000-0000-0000-000000000001"
SUBNET = f"/subscriptions/{SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/ml"
USER = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
TENANT = "0f0e0d0c-0b0a-4909-8807-060504030201"
UAI = f"/subscriptions/{SUB}/resourceGroups/rg-x/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x"
SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGV4YW1wbGUta2V5 alice@laptop"
C = "ComputeCluster('c')"
INST = "ComputeInstance('i')"
PLACE: dict[str, Any] = {"workspace_name": "mlw-x", "resource_group_name": "rg-x", "location": "westeurope"}


def plan_cluster(**args: Any) -> PlannedResource:
    plan = run_program(lambda: ComputeCluster("c", {**PLACE, "compute_name": "cpu-cluster", **args}))
    (compute,) = plan.by_type(COMPUTE)
    return compute


def plan_instance(**args: Any) -> PlannedResource:
    plan = run_program(lambda: ComputeInstance("i", {**PLACE, "compute_name": "ci-test", **args}))
    (compute,) = plan.by_type(COMPUTE)
    return compute


def props(resource: PlannedResource) -> dict[str, Any]:
    return dict(resource.inputs["properties"])


def test_cluster_defaults_are_secure_and_scale_to_zero() -> None:
    compute = plan_cluster()
    outer = props(compute)
    inner = outer["properties"]
    assert outer["computeType"] == "AmlCompute"
    assert outer["disableLocalAuth"] is True
    assert inner["vmSize"] == "Standard_D4s_v5"
    assert inner["vmPriority"] == "Dedicated"
    assert inner["scaleSettings"] == {"minNodeCount": 0, "maxNodeCount": 4, "nodeIdleTimeBeforeScaleDown": "PT2M"}
    assert inner["remoteLoginPortPublicAccess"] == "Disabled"
    assert "userAccountCredentials" not in inner
    assert inner["osType"] == "Linux"
    # no subnet, no managed network: a public IP is the only way nodes reach the service
    assert inner["enableNodePublicIp"] is True
    assert compute.inputs["identity"] == {"type": "SystemAssigned"}
    assert compute.inputs["computeName"] == "cpu-cluster"
    assert compute.name == "c-compute"


def test_cluster_lifecycle_replaces_without_name_collision() -> None:
    compute = plan_cluster()
    assert compute.options["deleteBeforeReplace"] is True
    assert compute.options["replaceOnChanges"] == CLUSTER_REPLACE_ON_CHANGES
    assert "properties.properties.vmSize" in CLUSTER_REPLACE_ON_CHANGES
    # scale settings change in place: they must not force a replacement
    assert not [p for p in CLUSTER_REPLACE_ON_CHANGES if "scaleSettings" in p]


def test_cluster_without_public_ip_in_managed_network_or_subnet() -> None:
    assert props(plan_cluster(managed_network=True))["properties"]["enableNodePublicIp"] is False
    inner = props(plan_cluster(subnet_id=SUBNET))["properties"]
    assert inner["subnet"] == {"id": SUBNET}
    assert inner["enableNodePublicIp"] is False


def test_cluster_ssh_and_identity_options() -> None:
    compute = plan_cluster(
        ssh_access=True,
        ssh_public_key=SSH_KEY,
        vm_priority="LowPriority",
        min_nodes=1,
        max_nodes=3,
        idle_seconds_before_scale_down=90,
        identity={"type": "UserAssigned", "user_assigned_identity_ids": [UAI]},
        local_auth=True,
    )
    inner = props(compute)["properties"]
    assert inner["remoteLoginPortPublicAccess"] == "Enabled"
    assert inner["userAccountCredentials"] == {"adminUserName": "azureuser", "adminUserSshPublicKey": SSH_KEY}
    assert inner["scaleSettings"] == {"minNodeCount": 1, "maxNodeCount": 3, "nodeIdleTimeBeforeScaleDown": "PT1M30S"}
    assert inner["vmPriority"] == "LowPriority"
    assert props(compute)["disableLocalAuth"] is False
    assert compute.inputs["identity"]["type"] == "UserAssigned"


def test_instance_schedules_scripts_and_user_reach_the_provider_shape() -> None:
    compute = plan_instance(
        assigned_user={"object_id": USER, "tenant_id": TENANT},
        schedules=[
            {"action": "Stop", "cron": "0 20 * * *", "time_zone": "W. Europe Standard Time"},
            {"action": "Start", "cron": "30 7 * * 1-5", "enabled": False},
        ],
        creation_script={"inline": "echo hello\n", "timeout_minutes": 5},
        startup_script={"path": "Users/admin/start.sh", "arguments": "--fast"},
    )
    outer = props(compute)
    inner = outer["properties"]
    assert outer["computeType"] == "ComputeInstance"
    assert inner["idleTimeBeforeShutdown"] == "PT60M"
    assert inner["personalComputeInstanceSettings"] == {"assignedUser": {"objectId": USER, "tenantId": TENANT}}
    assert inner["computeInstanceAuthorizationType"] == "personal"
    assert inner["schedules"]["computeStartStop"] == [
        {
            "action": "Stop",
            "status": "Enabled",
            "triggerType": "Cron",
            "cron": {"expression": "0 20 * * *", "timeZone": "W. Europe Standard Time"},
        },
        {
            "action": "Start",
            "status": "Disabled",
            "triggerType": "Cron",
            "cron": {"expression": "30 7 * * 1-5", "timeZone": "UTC"},
        },
    ]
    scripts = inner["setupScripts"]["scripts"]
    creation = scripts["creationScript"]
    assert creation["scriptSource"] == "inline"
    assert base64.b64decode(creation["scriptData"]).decode() == "echo hello\n"
    assert creation["timeout"] == "5m"
    assert scripts["startupScript"] == {
        "scriptSource": "workspaceStorage",
        "scriptData": "Users/admin/start.sh",
        "scriptArguments": "--fast",
        "timeout": "15m",
    }
    assert inner["sshSettings"] == {"sshPublicAccess": "Disabled"}
    assert outer["disableLocalAuth"] is True
    assert compute.options["deleteBeforeReplace"] is True


def test_replace_paths_exist_in_the_provider_inputs() -> None:
    # A misspelt path in replace_on_changes would silently never trigger: each must resolve.
    from pulumi_azureml.compute import INSTANCE_REPLACE_ON_CHANGES
    from pulumi_azureml.plan.model import get_path

    cluster = plan_cluster(subnet_id=SUBNET, ssh_access=True, ssh_public_key=SSH_KEY, node_public_ip=True)
    instance = plan_instance(
        subnet_id=SUBNET,
        assigned_user={"object_id": USER, "tenant_id": TENANT},
        schedules=[{"action": "Stop", "cron": "0 20 * * *"}],
        creation_script={"inline": "true"},
        description="notebooks",
        identity={"type": "SystemAssigned"},
    )
    for resource, paths in ((cluster, CLUSTER_REPLACE_ON_CHANGES), (instance, INSTANCE_REPLACE_ON_CHANGES)):
        missing = [p for p in paths if get_path(resource.inputs, p) is None and not p.endswith("computeLocation")]
        assert missing == [], missing


def test_instances_have_no_identity_unless_asked() -> None:
    assert "identity" not in plan_instance().inputs
    assert plan_instance(identity={"type": "SystemAssigned"}).inputs["identity"] == {"type": "SystemAssigned"}


def test_instance_without_idle_shutdown() -> None:
    inner = props(plan_instance(idle_shutdown_minutes=0))["properties"]
    assert "idleTimeBeforeShutdown" not in inner


def test_personal_instance_names_are_stable_valid_and_distinct() -> None:
    where = {"workload": "churn", "environment": "dev", "location": "westeurope"}
    name = personal_instance_name("Alice.Smith", object_id=USER, **where)
    assert name == personal_instance_name("Alice.Smith", object_id=USER, **where)
    assert name.startswith("ci-alicesm-") and len(name) <= 16
    validate_name(COMPUTE_NAME_RULE, name)
    other_env = personal_instance_name("Alice.Smith", object_id=USER, **{**where, "environment": "staging"})
    other_user = personal_instance_name("Alice.Smith", object_id=TENANT, **where)
    assert len({name, other_env, other_user}) == 3


CLUSTER_ERRORS: list[tuple[str, dict[str, Any], str, str]] = [
    ("min above max", {"min_nodes": 5, "max_nodes": 2}, f"{C}.min_nodes", "must not exceed max_nodes"),
    ("malformed VM size", {"vm_size": "DS3_v2"}, f"{C}.vm_size", "Azure VM size"),
    ("bad cluster name", {"compute_name": "cpu-01"}, f"{C}.compute_name", "compute names"),
    ("name too long", {"compute_name": "a" * 25}, f"{C}.compute_name", "compute names"),
    (
        "idle too short",
        {"idle_seconds_before_scale_down": 10},
        f"{C}.idle_seconds_before_scale_down",
        "at least 60",
    ),
    ("bad priority", {"vm_priority": "Spot"}, f"{C}.vm_priority", "Dedicated or LowPriority"),
    (
        "subnet with managed network",
        {"subnet_id": SUBNET, "managed_network": True},
        f"{C}.subnet_id",
        "managed network",
    ),
    ("no public IP without network", {"node_public_ip": False}, f"{C}.node_public_ip", "needs a subnet"),
    ("ssh without key", {"ssh_access": True}, f"{C}.ssh_public_key", "required"),
    ("malformed subnet", {"subnet_id": "subnet-1"}, f"{C}.subnet_id", "/subnets/"),
    (
        "user identity without ids",
        {"identity": {"type": "UserAssigned"}},
        f"{C}.identity.user_assigned_identity_ids",
        "required",
    ),
    ("misspelt override", {"overrides": {"vm_sise": "x"}}, f"{C}.overrides.vm_sise", "not an argument"),
]


@pytest.mark.parametrize(("args", "key", "rule"), [c[1:] for c in CLUSTER_ERRORS], ids=[c[0] for c in CLUSTER_ERRORS])
def test_cluster_guardrails(args: dict[str, Any], key: str, rule: str) -> None:
    full = {**PLACE, "compute_name": "cpu-cluster", **args}
    with pytest.raises(ConfigError) as caught:
        ComputeCluster("c", full)  # raises before registering anything, so no mocks are needed
    assert caught.value.key == key
    assert rule in caught.value.rule


INSTANCE_ERRORS: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "idle below 15 minutes",
        {"idle_shutdown_minutes": 5},
        f"{INST}.idle_shutdown_minutes",
        "from 15 to 4320",
    ),
    (
        "cron with four fields",
        {"schedules": [{"action": "Stop", "cron": "0 20 * *"}]},
        f"{INST}.schedules[0].cron",
        "5 fields",
    ),
    (
        "cron out of range",
        {"schedules": [{"action": "Stop", "cron": "0 25 * * *"}]},
        f"{INST}.schedules[0].cron",
        "0-23",
    ),
    (
        "cron garbage",
        {"schedules": [{"action": "Stop", "cron": "0 x * * *"}]},
        f"{INST}.schedules[0].cron",
        "not a number",
    ),
    (
        "bad action",
        {"schedules": [{"action": "Pause", "cron": "0 20 * * *"}]},
        f"{INST}.schedules[0].action",
        "Start or Stop",
    ),
    (
        "five schedules",
        {"schedules": [{"action": "Stop", "cron": "0 20 * * *"}] * 5},
        f"{INST}.schedules",
        "at most 4",
    ),
    (
        "script with both sources",
        {"creation_script": {"inline": "x", "path": "y"}},
        f"{INST}.creation_script",
        "exactly one",
    ),
    (
        "user not a GUID",
        {"assigned_user": {"object_id": "alice", "tenant_id": TENANT}},
        f"{INST}.assigned_user.object_id",
        "GUID",
    ),
    ("bad instance name", {"compute_name": "9ci"}, f"{INST}.compute_name", "compute names"),
    (
        "IANA time zone",
        {"schedules": [{"action": "Stop", "cron": "0 20 * * *", "time_zone": "Europe/Berlin"}]},
        f"{INST}.schedules[0].time_zone",
        "Windows time-zone id",
    ),
    (
        "step of zero",
        {"schedules": [{"action": "Stop", "cron": "*/0 * * * *"}]},
        f"{INST}.schedules[0].cron",
        "step below 1",
    ),
    (
        "weekday 7",
        {"schedules": [{"action": "Stop", "cron": "0 20 * * 7"}]},
        f"{INST}.schedules[0].cron",
        "0-6",
    ),
    (
        "SSH without a public IP",
        {"ssh_access": True, "ssh_public_key": SSH_KEY, "managed_network": True},
        f"{INST}.ssh_access",
        "node_public_ip",
    ),
]


@pytest.mark.parametrize(("args", "key", "rule"), [c[1:] for c in INSTANCE_ERRORS], ids=[c[0] for c in INSTANCE_ERRORS])
def test_instance_guardrails(args: dict[str, Any], key: str, rule: str) -> None:
    full = {**PLACE, "compute_name": "ci-test", **args}
    with pytest.raises(ConfigError) as caught:
        ComputeInstance("i", full)
    assert caught.value.key == key
    assert rule in caught.value.rule


def parse(raw: dict[str, Any], stack: str = "dev") -> Any:
    return parse_stack_config("azureml-platform", stack, {"workload": "churn", **raw}, "westeurope")


CONFIG_ERRORS: list[tuple[str, dict[str, Any], str, str, str]] = [
    (
        "node cap exceeded",
        {"computeClusters": [{"name": "a-cluster", "maxNodes": 6}, {"name": "b-cluster", "maxNodes": 6}]},
        "dev",
        "computeClusters",
        "must not exceed the dev cap of 8",
    ),
    (
        "min above max in config",
        {"computeClusters": [{"name": "cpu-cluster", "minNodes": 3, "maxNodes": 2}]},
        "dev",
        "computeClusters[0].minNodes",
        "must not exceed",
    ),
    ("bad name in config", {"computeClusters": [{"name": "cpu_1"}]}, "dev", "computeClusters[0].name", "compute names"),
    (
        "duplicate names",
        {
            "computeClusters": [{"name": "cpu-cluster"}],
            "computeInstances": [{"name": "cpu-cluster", "assignedUser": {"objectId": USER}}],
        },
        "dev",
        "computeInstances[0].name",
        "unique",
    ),
    (
        "bad schedule in config",
        {
            "computeInstances": [
                {
                    "name": "ci-shared",
                    "assignedUser": {"objectId": USER},
                    "schedules": [{"action": "Stop", "cron": "every night"}],
                }
            ]
        },
        "dev",
        "computeInstances[0].schedules[0].cron",
        "5 fields",
    ),
    (
        "unknown compute key",
        {"computeClusters": [{"name": "cpu-cluster", "maxNode": 2}]},
        "dev",
        "computeClusters[0].maxNode",
        "not a known key (did you mean maxNodes?)",
    ),
    (
        "personal user without GUID",
        {"personalInstances": {"users": [{"alias": "bob", "objectId": "bob"}]}},
        "dev",
        "personalInstances.users[0].objectId",
        "GUID",
    ),
    (
        "instance without a user",
        {"computeInstances": [{"name": "ci-shared"}]},
        "dev",
        "computeInstances[0].assignedUser",
        "deploying principal",
    ),
    (
        "two personal users with one alias",
        {"personalInstances": {"users": [{"alias": "alice", "objectId": USER}, {"alias": "alice", "objectId": USER}]}},
        "dev",
        "personalInstances.users[1].alias",
        "unique",
    ),
    (
        "personal alias unusable",
        {"personalInstances": {"users": [{"alias": "42", "objectId": USER}]}},
        "dev",
        "personalInstances.users[0].alias",
        "starting with a letter",
    ),
    (
        "serverless subnet with managed network",
        {"serverlessCompute": {"subnetId": SUBNET}},
        "dev",
        "serverlessCompute.subnetId",
        "managed network",
    ),
    (
        "serverless no public IP without a subnet",
        {"workspace": {"isolationMode": "Disabled"}, "serverlessCompute": {"noPublicIp": True}},
        "dev",
        "serverlessCompute.noPublicIp",
        "needs a subnet",
    ),
    (
        "serverless no public IP with a public workspace",
        {"workspace": {"isolationMode": "Disabled"}, "serverlessCompute": {"subnetId": SUBNET, "noPublicIp": True}},
        "dev",
        "serverlessCompute.noPublicIp",
        "private workspace",
    ),
]


@pytest.mark.parametrize(
    ("raw", "stack", "key", "rule"), [c[1:] for c in CONFIG_ERRORS], ids=[c[0] for c in CONFIG_ERRORS]
)
def test_compute_config_errors(raw: dict[str, Any], stack: str, key: str, rule: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(raw, stack)
    assert caught.value.key == f"azureml-platform:{key}"
    assert rule in caught.value.rule


NO_NETWORK = {"mode": "none", "reason": "a unit test: nobody reaches it"}


def test_profiles_set_compute_defaults_and_config_wins() -> None:
    dev = parse(
        {
            "computeClusters": [{"name": "cpu-cluster"}],
            "computeInstances": [{"name": "ci-shared", "assignedUser": {"objectId": USER}}],
        }
    )
    assert dev.clusters[0].vm_priority == "LowPriority"
    assert dev.clusters[0].max_nodes == 2
    assert dev.instances[0].idle_shutdown_minutes == 60
    assert [s.model_dump() for s in dev.instances[0].schedules] == [
        {"action": "Stop", "cron": "0 20 * * *", "time_zone": "UTC", "enabled": True}
    ]
    prod = parse({"computeClusters": [{"name": "cpu-cluster", "minNodes": 1}], "network": NO_NETWORK}, "prod")
    assert (prod.clusters[0].vm_priority, prod.clusters[0].min_nodes) == ("Dedicated", 1)
    never = parse(
        {"computeInstances": [{"name": "ci-shared", "assignedUser": {"objectId": USER}, "idleShutdownMinutes": 0}]}
    )
    assert never.instances[0].idle_shutdown_minutes == 0
    raised = parse({"computeNodeCap": 20, "computeClusters": [{"name": "big-cluster", "maxNodes": 20}]})
    assert raised.clusters[0].max_nodes == 20


def test_serverless_settings_reach_the_workspace() -> None:
    def program() -> None:
        MachineLearningWorkspace(
            "ml",
            {
                "workload": "churn",
                "environment": "dev",
                "location": "westeurope",
                "workspace": {"isolation_mode": "Disabled", "public_network_access": "Disabled"},
                "serverless_compute": {"subnet_id": SUBNET, "no_public_ip": True},
            },
        )

    plan = run_program(program)
    (ws,) = plan.by_type("azure-native:machinelearningservices:Workspace")
    assert ws.inputs["serverlessComputeSettings"] == {
        "serverlessComputeCustomSubnet": SUBNET,
        "serverlessComputeNoPublicIP": True,
    }


@pytest.fixture(scope="module")
def stacks() -> dict[str, Plan]:
    return {stack: run_plan(ROOT, stack) for stack in ("dev", "staging", "prod")}


def computes(plan: Plan, kind: str) -> list[PlannedResource]:
    return [r for r in plan.by_type(COMPUTE) if r.inputs["properties"]["computeType"] == kind]


def test_every_stack_declares_a_cluster_and_dev_a_personal_instance(stacks: dict[str, Plan]) -> None:
    for name, plan in stacks.items():
        assert computes(plan, "AmlCompute"), name
        # Nothing runs all the time in dev; staging and prod keep their AKS inference nodes (1 and 3).
        assert plan.summary()["alwaysOnNodes"] == {"dev": 0, "staging": 1, "prod": 3}[name], name
    (dev_cluster,) = computes(stacks["dev"], "AmlCompute")
    inner = dev_cluster.inputs["properties"]["properties"]
    assert inner["vmPriority"] == "LowPriority"
    assert inner["scaleSettings"]["minNodeCount"] == 0
    assert inner["enableNodePublicIp"] is False  # dev has a managed network
    (instance,) = computes(stacks["dev"], "ComputeInstance")
    inner = instance.inputs["properties"]["properties"]
    assert inner["idleTimeBeforeShutdown"] == "PT60M"
    assert inner["schedules"]["computeStartStop"][0]["action"] == "Stop"
    assert inner["personalComputeInstanceSettings"]["assignedUser"]["tenantId"] == stacks["dev"].tenant_id
    assert stacks["dev"].outputs["compute_instances"].value == [instance.inputs["computeName"]]
    for cluster in computes(stacks["prod"], "AmlCompute"):
        assert cluster.inputs["properties"]["properties"]["vmPriority"] == "Dedicated"
    assert sorted(stacks["prod"].outputs["compute_clusters"].value) == ["cpu-cluster", "gpu-cluster"]


def test_computes_depend_on_the_workspace_and_their_users_grants_only(stacks: dict[str, Plan]) -> None:
    plan = stacks["dev"]
    (ws,) = plan.by_type("azure-native:machinelearningservices:Workspace")
    for compute in plan.by_type(COMPUTE):
        assert ws.urn in compute.dependencies
        grants = [d for d in compute.dependencies if "RoleAssignment" in d]
        # An instance waits for what its user needs (its own children); nothing else waits on grants.
        assert all(
            g.rsplit("::", 1)[-1].startswith(compute.name.removesuffix("-compute") + "-ra-user-") for g in grants
        )
        if compute.inputs["properties"]["computeType"] == "ComputeInstance":
            assert len(grants) == 3


def test_always_on_nodes_counts_min_nodes_and_sleepless_instances() -> None:
    def program() -> None:
        ComputeCluster("a", {**PLACE, "compute_name": "always-on", "min_nodes": 2, "max_nodes": 4})
        ComputeInstance("b", {**PLACE, "compute_name": "ci-awake", "idle_shutdown_minutes": 0})
        ComputeInstance("c", {**PLACE, "compute_name": "ci-sleepy"})

    assert run_program(program).summary()["alwaysOnNodes"] == 3


def test_create_personal_instances_from_python() -> None:
    from pulumi_azureml.compute import create_personal_instances

    users = [
        {"alias": "alice", "object_id": USER, "tenant_id": TENANT},
        {"alias": "bob", "object_id": TENANT, "tenant_id": TENANT},
    ]
    plan = run_program(
        lambda: create_personal_instances(
            users,
            {**PLACE, "vm_size": "Standard_E4s_v5", "idle_shutdown_minutes": 30},
            workload="churn",
            environment="dev",
        )
    )
    instances = plan.by_type(COMPUTE)
    assert len(instances) == 2
    owners = {
        i.inputs["properties"]["properties"]["personalComputeInstanceSettings"]["assignedUser"]["objectId"]
        for i in instances
    }
    assert owners == {USER, TENANT}
    for instance in instances:
        assert instance.inputs["properties"]["properties"]["idleTimeBeforeShutdown"] == "PT30M"
        assert instance.inputs["computeName"].startswith(("ci-alice-", "ci-bob-"))
