"""Attached computes (VM, Synapse Spark, Databricks, HDInsight) and the legacy AKS inference
cluster: planned inputs, secrets, guardrails, the Detach/Delete choice reaching the delete hook,
and the legacy warning."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

import pulumi
import pytest

from pulumi_azureml.compute import (
    AKS_REPLACE_ON_CHANGES,
    SYNAPSE_SPARK_REPLACE_ON_CHANGES,
    VIRTUAL_MACHINE_REPLACE_ON_CHANGES,
    AksInferenceCluster,
    AttachedDatabricks,
    AttachedHDInsight,
    AttachedSynapseSpark,
    AttachedVirtualMachine,
    VirtualMachineAttachSettings,
)
from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.core.roles import BuiltInRole
from pulumi_azureml.core.schema import Spelling, validate
from pulumi_azureml.lifecycle import hooks
from pulumi_azureml.lifecycle.arm import ArmClient, Response
from pulumi_azureml.plan import SECRET, Plan, PlannedResource, render_json, run_program
from pulumi_azureml.workspace import MachineLearningWorkspace

COMPUTE = "azure-native:machinelearningservices:Compute"
RA = "azure-native:authorization:RoleAssignment"
SUB = "00000000-0000-0000-0000-000000000001"
PLACE: dict[str, Any] = {"workspace_name": "mlw-x", "resource_group_name": "rg-x", "location": "westeurope"}
VM = f"/subscriptions/{SUB}/resourceGroups/rg-dsvm/providers/Microsoft.Compute/virtualMachines/dsvm1"
POOL = f"/subscriptions/{SUB}/resourceGroups/rg-syn/providers/Microsoft.Synapse/workspaces/syn1/bigDataPools/pool1"
DBX = f"/subscriptions/{SUB}/resourceGroups/rg-dbx/providers/Microsoft.Databricks/workspaces/dbx1"
HDI = f"/subscriptions/{SUB}/resourceGroups/rg-hdi/providers/Microsoft.HDInsight/clusters/hdi1"
AKS = f"/subscriptions/{SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks1"
SUBNET = f"/subscriptions/{SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks"
PASSWORD = "password-that-must-never-appear"
KEY = "-----BEGIN OPENSSH PRIVATE KEY----- key-that-must-never-appear"
TOKEN = "dapi-token-that-must-never-appear"
SECRET_TEXTS = (PASSWORD, KEY, TOKEN)


def secret(text: str) -> pulumi.Output[str]:
    return pulumi.Output.secret(text)


# What each kind needs at least, as a function: secrets need the event loop run_program makes.
def vm_args(**extra: Any) -> dict[str, Any]:
    return {
        **PLACE,
        "compute_name": "dsvm",
        "resource_id": VM,
        "admin_user_name": "azureuser",
        "admin_password": secret(PASSWORD),
        **extra,
    }


def hdi_args(**extra: Any) -> dict[str, Any]:
    return {
        **PLACE,
        "compute_name": "hdi",
        "resource_id": HDI,
        "admin_user_name": "sshuser",
        "ssh_private_key": secret(KEY),
        **extra,
    }


def synapse_args(**extra: Any) -> dict[str, Any]:
    return {**PLACE, "compute_name": "spark", "resource_id": POOL, **extra}


def databricks_args(**extra: Any) -> dict[str, Any]:
    return {**PLACE, "compute_name": "dbx", "resource_id": DBX, "access_token": secret(TOKEN), **extra}


def aks_args(**extra: Any) -> dict[str, Any]:
    return {**PLACE, "compute_name": "aks-score", "resource_id": AKS, **extra}


KINDS: dict[str, tuple[Callable[..., Any], Callable[..., dict[str, Any]]]] = {
    "vm": (AttachedVirtualMachine, vm_args),
    "hdi": (AttachedHDInsight, hdi_args),
    "synapse": (AttachedSynapseSpark, synapse_args),
    "databricks": (AttachedDatabricks, databricks_args),
    "aks": (AksInferenceCluster, aks_args),
}


def plan_one(kind: str, **extra: Any) -> Plan:
    """Plan one ``kind``; a callable value is called inside the program (secrets need its loop)."""
    component, args = KINDS[kind]
    return run_program(lambda: component(kind, args(**{k: v() if callable(v) else v for k, v in extra.items()})))


def compute_of(plan: Plan) -> PlannedResource:
    (compute,) = plan.by_type(COMPUTE)
    return compute


def props(kind: str, **extra: Any) -> dict[str, Any]:
    return dict(compute_of(plan_one(kind, **extra)).inputs["properties"])


# -- planned inputs -------------------------------------------------------------------------------


def test_vm_is_attached_by_id_with_ssh_on_port_22_and_the_password_secret() -> None:
    plan = plan_one("vm")
    compute = compute_of(plan)
    outer = compute.inputs["properties"]
    assert outer["computeType"] == "VirtualMachine"
    assert outer["resourceId"] == VM
    assert outer["properties"]["sshPort"] == 22
    assert outer["properties"]["administratorAccount"] == {"username": "azureuser", "password": SECRET}
    # local auth is a property of managed computes; nothing says Azure honours it on a VM
    assert "disableLocalAuth" not in outer
    assert compute.inputs["computeName"] == "dsvm"
    assert compute.options["replaceOnChanges"] == VIRTUAL_MACHINE_REPLACE_ON_CHANGES
    assert compute.options["deleteBeforeReplace"] is True
    assert compute.options["hooks"] == {"beforeDelete": ["vm-compute-delete"]}


def test_vm_with_a_private_key_and_an_address() -> None:
    inner = props(
        "vm",
        admin_password=None,
        ssh_private_key=lambda: secret(KEY),
        ssh_port=2222,
        address="dsvm1.westeurope.cloudapp.azure.com",
    )["properties"]
    assert inner["administratorAccount"] == {"username": "azureuser", "privateKeyData": SECRET}
    assert inner["sshPort"] == 2222
    assert inner["address"] == "dsvm1.westeurope.cloudapp.azure.com"


def test_hdinsight_is_attached_by_cluster_id_with_the_key_secret() -> None:
    outer = props("hdi")
    assert outer["computeType"] == "HDInsight"
    assert outer["resourceId"] == HDI
    assert outer["properties"] == {
        "sshPort": 22,
        "administratorAccount": {"username": "sshuser", "privateKeyData": SECRET},
    }


def test_synapse_pool_is_attached_with_a_system_identity_and_no_local_auth() -> None:
    compute = compute_of(plan_one("synapse"))
    outer = compute.inputs["properties"]
    assert outer["computeType"] == "SynapseSpark"
    assert outer["resourceId"] == POOL
    assert outer["disableLocalAuth"] is True
    # scaling and pausing are the pool's: nothing of them is sent
    assert "properties" not in outer
    assert compute.inputs["identity"] == {"type": "SystemAssigned"}
    assert compute.options["replaceOnChanges"] == SYNAPSE_SPARK_REPLACE_ON_CHANGES
    # identity and tags are updatable in place (Learn): they must not force a replacement
    assert "identity" not in SYNAPSE_SPARK_REPLACE_ON_CHANGES and "tags" not in SYNAPSE_SPARK_REPLACE_ON_CHANGES


def test_synapse_pool_identity_gets_the_cluster_grants_on_a_workspace() -> None:
    def program() -> None:
        ws = MachineLearningWorkspace("ws", {"workload": "research", "environment": "dev", "location": "westeurope"})
        AttachedSynapseSpark(
            "spark", {"compute_name": "spark", "resource_id": POOL, "key_vault_secrets": True}, workspace=ws
        )

    plan = run_program(program)
    grants = {r.name: r.inputs for r in plan.by_type(RA) if r.name.startswith("spark-")}
    storage = grants["spark-ra-storage-storage-blob-data-contributor"]
    assert storage["roleDefinitionId"].endswith(BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR.value)
    assert "/Microsoft.Storage/storageAccounts/" in storage["scope"]
    vault = grants["spark-ra-kv-key-vault-secrets-user"]
    assert "/Microsoft.KeyVault/vaults/" in vault["scope"]
    assert plan.get("spark-compute").inputs["workspaceName"] == "mlw-research-dev-we"


def test_synapse_pool_with_a_user_assigned_identity_and_without_one() -> None:
    uai = f"/subscriptions/{SUB}/resourceGroups/rg-x/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-x"
    compute = compute_of(
        plan_one("synapse", identity={"type": "UserAssigned", "user_assigned_identity_ids": [uai]}, local_auth=True)
    )
    assert compute.inputs["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [uai]}
    assert compute.inputs["properties"]["disableLocalAuth"] is False
    assert "identity" not in compute_of(plan_one("synapse", identity=None)).inputs


def test_databricks_is_attached_with_the_token_secret() -> None:
    outer = props("databricks", workspace_url="https://adb-1234567890123456.7.azuredatabricks.net")
    assert outer["computeType"] == "Databricks"
    assert outer["resourceId"] == DBX
    assert outer["properties"] == {
        "databricksAccessToken": SECRET,
        "workspaceUrl": "https://adb-1234567890123456.7.azuredatabricks.net",
    }


def test_aks_attach_sends_the_cluster_id_and_its_purpose() -> None:
    compute = compute_of(plan_one("aks"))
    outer = compute.inputs["properties"]
    assert outer["computeType"] == "AKS"
    assert outer["resourceId"] == AKS
    assert outer["properties"]["clusterPurpose"] == "FastProd"
    assert "agentCount" not in outer["properties"]
    assert compute.options["replaceOnChanges"] == AKS_REPLACE_ON_CHANGES


def test_aks_create_sends_size_network_and_tls() -> None:
    outer = props(
        "aks",
        resource_id=None,
        cluster_purpose="DevTest",
        agent_count=1,
        agent_vm_size="Standard_D4s_v5",
        load_balancer_type="InternalLoadBalancer",
        load_balancer_subnet="aks",
        subnet_id=SUBNET,
        service_cidr="10.100.0.0/16",
        dns_service_ip="10.100.0.10",
        ssl=lambda: {"status": "Enabled", "cert": "-----BEGIN CERTIFICATE-----", "key": secret(KEY), "cname": "x.com"},
    )
    assert "resourceId" not in outer
    inner = outer["properties"]
    assert inner["agentCount"] == 1
    assert inner["agentVmSize"] == "Standard_D4s_v5"
    assert (inner["loadBalancerType"], inner["loadBalancerSubnet"]) == ("InternalLoadBalancer", "aks")
    assert inner["aksNetworkingConfiguration"] == {
        "subnetId": SUBNET,
        "serviceCidr": "10.100.0.0/16",
        "dnsServiceIP": "10.100.0.10",
    }
    assert inner["sslConfiguration"] == {
        "status": "Enabled",
        "cert": "-----BEGIN CERTIFICATE-----",
        "key": SECRET,
        "cname": "x.com",
    }


def test_secrets_never_reach_the_plan_document() -> None:
    def program() -> None:
        AttachedVirtualMachine("vm", vm_args())
        AttachedHDInsight("hdi", hdi_args())
        AttachedDatabricks("dbx", databricks_args())
        AksInferenceCluster(
            "aks", aks_args(ssl={"status": "Enabled", "cert": "c", "key": secret(PASSWORD), "cname": "a.b.com"})
        )

    document = render_json(run_program(program))
    for text in SECRET_TEXTS:
        assert text not in document
    assert document.count(SECRET) >= 4


def test_an_unmarked_output_is_sent_as_a_secret() -> None:
    # An Output from another resource passes validation; the component marks it secret anyway.
    inner = props("databricks", access_token=lambda: pulumi.Output.from_input(TOKEN))["properties"]
    assert inner["databricksAccessToken"] == SECRET


# -- guardrails -----------------------------------------------------------------------------------


ERRORS: list[tuple[str, str, dict[str, Any], str, str]] = [
    ("vm id for a pool", "synapse", {"resource_id": VM}, "resource_id", "Microsoft.Synapse/workspaces/bigDataPools"),
    ("pool id for a vm", "vm", {"resource_id": POOL}, "resource_id", "Microsoft.Compute/virtualMachines"),
    ("not an id", "databricks", {"resource_id": "dbx1"}, "resource_id", "must be an ARM resource id"),
    ("aks id for hdinsight", "hdi", {"resource_id": AKS}, "resource_id", "Microsoft.HDInsight/clusters"),
    ("vm id for aks", "aks", {"resource_id": VM}, "resource_id", "Microsoft.ContainerService/managedClusters"),
    ("neither credential", "vm", {"admin_password": None}, "admin_password", "exactly one of"),
    ("both credentials", "vm", {"ssh_private_key": "key"}, "ssh_private_key", "not both"),
    ("hdinsight neither", "hdi", {"ssh_private_key": None}, "admin_password", "exactly one of"),
    ("plain-text password", "vm", {"admin_password": "pw"}, "admin_password", "must be a Pulumi secret"),
    ("plain-text token", "databricks", {"access_token": "dapi"}, "access_token", "must be a Pulumi secret"),
    ("no token", "databricks", {"access_token": None}, "access_token", "must be a Pulumi secret"),
    ("bad address", "vm", {"address": "not an address"}, "address", "IP address"),
    ("port out of range", "vm", {"ssh_port": 70000}, "ssh_port", "65535"),
    ("root-ish user name", "hdi", {"admin_user_name": "Admin"}, "admin_user_name", "Linux user name"),
    ("unknown on_destroy", "synapse", {"on_destroy": "Keep"}, "on_destroy", "Detach"),
    ("bad workspace url", "databricks", {"workspace_url": "https://"}, "workspace_url", "workspace's URL"),
    ("size on attach", "aks", {"agent_count": 3}, "agent_count", "not with resource_id"),
    ("prod with 2 nodes", "aks", {"resource_id": None, "agent_count": 2}, "agent_count", "at least 3 nodes"),
    ("lb subnet without ilb", "aks", {"load_balancer_subnet": "aks"}, "load_balancer_subnet", "InternalLoadBalancer"),
    (
        "microsoft certificate on an ilb",
        "aks",
        {"load_balancer_type": "InternalLoadBalancer", "ssl": {"status": "Auto", "leaf_domain_label": "score"}},
        "ssl.status",
        "own",
    ),
    ("tls without key", "aks", {"ssl": {"status": "Enabled", "cert": "c", "cname": "a.b.com"}}, "ssl.key", "required"),
    ("auto without label", "aks", {"ssl": {"status": "Auto"}}, "ssl.leaf_domain_label", "required"),
    ("cert while disabled", "aks", {"ssl": {"cert": "c"}}, "ssl.cert", "only used with status Enabled"),
    (
        "dns ip outside the range",
        "aks",
        {"resource_id": None, "subnet_id": SUBNET, "service_cidr": "10.100.0.0/16", "dns_service_ip": "10.0.0.10"},
        "dns_service_ip",
        "inside service_cidr",
    ),
    ("cidr without subnet", "aks", {"resource_id": None, "service_cidr": "10.1.0.0/16"}, "service_cidr", "subnet_id"),
    ("misspelt key", "synapse", {"resource_idd": POOL}, "resource_idd", "did you mean resource_id"),
]


@pytest.mark.parametrize(("kind", "extra", "key", "rule"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_bad_input_is_one_config_error_naming_the_key(kind: str, extra: dict[str, Any], key: str, rule: str) -> None:
    component, _ = KINDS[kind]
    names = {
        "vm": "AttachedVirtualMachine",
        "hdi": "AttachedHDInsight",
        "synapse": "AttachedSynapseSpark",
        "databricks": "AttachedDatabricks",
        "aks": "AksInferenceCluster",
    }

    def program() -> None:
        # "key" stands for a secret key: secrets need the event loop of the program.
        given = {k: (secret(KEY) if v == "key" else v) for k, v in extra.items()}
        component(kind, KINDS[kind][1](**given))

    with pytest.raises(ConfigError) as caught:
        run_program(program)
    assert caught.value.key == f"{names[kind]}({kind!r}).{key}"
    assert rule in caught.value.rule
    for text in SECRET_TEXTS:
        assert text not in str(caught.value)


def test_settings_read_stack_config_keys() -> None:
    # The settings are what a stack file holds: camelCase keys, "name" for the compute name.
    spelling = Spelling("config", "azureml-platform:attachedComputes[0]")
    read: list[VirtualMachineAttachSettings] = []

    def program() -> None:
        config = {"name": "dsvm", "resourceId": VM, "adminUserName": "azureuser", "onDestroy": "Delete"}
        read.append(validate(VirtualMachineAttachSettings, {**config, "sshPrivateKey": secret(KEY)}, spelling))
        validate(VirtualMachineAttachSettings, {**config, "sshPort": 0, "sshPrivateKey": secret(KEY)}, spelling)

    with pytest.raises(ConfigError) as caught:
        run_program(program)
    assert caught.value.key == "azureml-platform:attachedComputes[0].sshPort"
    (settings,) = read
    assert (settings.compute_name, settings.ssh_port, settings.on_destroy) == ("dsvm", 22, "Delete")


# -- destroy: Detach or Delete reaches the hook ---------------------------------------------------


class FakeArm:
    """Answers like Resource Manager for one compute DELETE and the poll that finds it gone."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def __call__(self, method: str, url: str, headers: Mapping[str, str]) -> Response:
        self.seen.append((method, url))
        return Response(200 if method == "DELETE" else 404, {}, None)


COMPUTE_ID = (
    f"/subscriptions/{SUB}/resourceGroups/rg-x/providers/Microsoft.MachineLearningServices/workspaces/mlw-x/computes/c"
)


def run_delete_hook(
    monkeypatch: pytest.MonkeyPatch, kind: str, **extra: Any
) -> tuple[Plan, dict[str, pulumi.ResourceHook], FakeArm]:
    """Plan ``kind``, keep the delete hooks it binds, run its hook against a fake Azure."""
    made: dict[str, pulumi.ResourceHook] = {}
    real = hooks.delete_compute

    def spy(name: str, action: hooks.UnderlyingResourceAction = "Delete") -> pulumi.ResourceHook:
        made[name] = real(name, action)
        return made[name]

    monkeypatch.setattr(hooks, "delete_compute", spy)
    plan = plan_one(kind, **extra)
    fake = FakeArm()
    monkeypatch.setattr(
        hooks, "client_factory", lambda: ArmClient(transport=fake, token=lambda: "t", sleep=lambda _: None)
    )
    args = pulumi.ResourceHookArgs(urn="urn:x", id=COMPUTE_ID, name="x", type="t", old_outputs={"id": COMPUTE_ID})
    result = made[f"{kind}-compute-delete"].callback(args)
    assert asyncio.iscoroutine(result)
    asyncio.run(result)
    return plan, made, fake


def deleted_with(fake: FakeArm) -> str:
    (delete,) = [url for method, url in fake.seen if method == "DELETE"]
    assert delete.startswith(f"https://management.azure.com{COMPUTE_ID}?")
    return delete.split("underlyingResourceAction=", 1)[1].split("&", 1)[0]


@pytest.mark.parametrize("kind", ["vm", "hdi", "synapse", "databricks", "aks"])
def test_attached_resources_are_detached_by_default(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    plan, made, fake = run_delete_hook(monkeypatch, kind)
    assert deleted_with(fake) == "Detach"
    # the hook the plan binds is the one that ran
    assert compute_of(plan).options["hooks"]["beforeDelete"] == list(made)
    assert ("GET", f"https://management.azure.com{COMPUTE_ID}?api-version={hooks.ML_API_VERSION}") in fake.seen


@pytest.mark.parametrize("kind", ["vm", "synapse", "databricks", "aks"])
def test_delete_is_an_explicit_choice(monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    _, _, fake = run_delete_hook(monkeypatch, kind, on_destroy="Delete")
    assert deleted_with(fake) == "Delete"


def test_a_cluster_azure_ml_creates_is_deleted_by_default_or_detached_when_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, _, fake = run_delete_hook(monkeypatch, "aks", resource_id=None)
    assert deleted_with(fake) == "Delete"
    _, _, kept = run_delete_hook(monkeypatch, "aks", resource_id=None, on_destroy="Detach")
    assert deleted_with(kept) == "Detach"


def test_delete_compute_now_sends_the_action_and_refuses_others() -> None:
    fake = FakeArm()
    client = ArmClient(transport=fake, token=lambda: "t", sleep=lambda _: None)
    args = pulumi.ResourceHookArgs(urn="u", id=COMPUTE_ID, name="x", type="t", old_outputs={"id": COMPUTE_ID})
    hooks.delete_compute_now(args, client, "Detach")
    assert deleted_with(fake) == "Detach"
    fake.seen.clear()
    hooks.delete_compute_now(args, client)  # existing callers keep Delete
    assert deleted_with(fake) == "Delete"
    with pytest.raises(ValueError, match="Delete or Detach"):
        hooks.delete_compute_now(args, client, "Keep")  # type: ignore[arg-type]


# -- legacy AKS -----------------------------------------------------------------------------------


def test_legacy_aks_warns_at_plan_time_citing_learn() -> None:
    for extra in ({}, {"resource_id": None}):
        warnings = plan_one("aks", **extra).warnings
        (warning,) = [w for w in warnings if "legacy" in w]
        assert "Kubernetes compute" in warning
        assert "how-to-create-attach-kubernetes" in warning
        assert "30 June 2026" in warning
    assert not [w for w in plan_one("synapse").warnings if "legacy" in w]


def test_vm_on_a_managed_network_workspace_is_warned_about() -> None:
    from pulumi_azureml import MachineLearningWorkspace

    def program(isolation: str) -> Any:
        def run() -> None:
            ws = MachineLearningWorkspace(
                "platform",
                {
                    "workload": "churn",
                    "environment": "dev",
                    "location": "westeurope",
                    "workspace": {"isolation_mode": isolation},
                },
            )
            extra = {k: v for k, v in vm_args().items() if k not in PLACE}
            AttachedVirtualMachine("vm", extra, workspace=ws)

        return run

    warned = run_program(program("AllowOnlyApprovedOutbound")).warnings
    assert any("attached VM dsvm: attached VMs are not supported in the workspace's managed" in w for w in warned)
    assert not any("attached VM" in w for w in run_program(program("Disabled")).warnings)
