"""Rules for Azure ML computes (workspaces/computes): clusters (AmlCompute) and instances.

azure-native keeps the ARM nesting of a Compute: ``properties.disableLocalAuth`` and the
type-specific ``properties.properties.*``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model import PROD_ONLY, Level, Resource, Rule, ap, ck, get, ps
from .types import COMPUTE, WORKSPACE
from .workspace import MANAGED_ISOLATION

CLUSTER = "AmlCompute"
INSTANCE = "ComputeInstance"


def _kind(r: Resource) -> str | None:
    kind = get(r.inputs, "properties.computeType")
    return str(kind) if kind is not None else None


def _props(r: Resource) -> Mapping[str, Any]:
    inner = get(r.inputs, "properties.properties")
    return inner if isinstance(inner, Mapping) else {}


def _local_auth(r: Resource, _: Sequence[Resource]) -> str | None:
    if _kind(r) not in (CLUSTER, INSTANCE):
        return None
    if get(r.inputs, "properties.disableLocalAuth") is not True:
        return "properties.disableLocalAuth is not true: key-based access to the compute is on"
    return None


def _in_network(r: Resource, stack: Sequence[Resource]) -> str | None:
    if _kind(r) not in (CLUSTER, INSTANCE):
        return None
    props = _props(r)
    if get(props, "subnet.id"):
        return None
    # A workspace's managed network is a virtual network too (Azure Policy and PSRule look for a
    # subnet only; this rule accepts the managed network Azure ML recommends instead).
    for other in stack:
        if other.type == WORKSPACE and other.inputs.get("workspaceName") == r.inputs.get("workspaceName"):
            mode = get(other.inputs, "managedNetwork.isolationMode")
            if mode in MANAGED_ISOLATION:
                return None
            return f"no subnet, and the workspace has no managed network (isolationMode {mode!r})"
    # Workspace not in this stack: no public IP is only accepted by Azure with a subnet or a
    # managed network, so it shows the compute is isolated.
    if props.get("enableNodePublicIp") is False:
        return None
    return "no subnet and node public IPs on: the compute is not in a virtual network"


def _idle_shutdown(r: Resource, _: Sequence[Resource]) -> str | None:
    if _kind(r) != INSTANCE:
        return None
    if not _props(r).get("idleTimeBeforeShutdown"):
        return "no idleTimeBeforeShutdown: an idle instance runs (and bills) until someone stops it"
    return None


def _scale_to_zero(r: Resource, _: Sequence[Resource]) -> str | None:
    if _kind(r) != CLUSTER:
        return None
    low = get(_props(r), "scaleSettings.minNodeCount")
    if low not in (None, 0):
        return f"scaleSettings.minNodeCount is {low}: nodes bill while no job runs"
    return None


def _no_public_ip(r: Resource, _: Sequence[Resource]) -> str | None:
    if _kind(r) not in (CLUSTER, INSTANCE):
        return None
    if _props(r).get("enableNodePublicIp") is not False:
        return "enableNodePublicIp is not false (Azure's default is true): nodes get public IPs"
    return None


def _no_ssh(r: Resource, _: Sequence[Resource]) -> str | None:
    props = _props(r)
    if _kind(r) == CLUSTER:
        access = props.get("remoteLoginPortPublicAccess")
        # NotSpecified (Azure's default) opens SSH when an admin account is set.
        if access != "Disabled":
            return f"remoteLoginPortPublicAccess is {access!r}: the SSH port may be open"
        return None
    if _kind(r) == INSTANCE:
        access = get(props, "sshSettings.sshPublicAccess")
        if access == "Enabled":
            return "sshSettings.sshPublicAccess is Enabled"
    return None


def _no_password_login(r: Resource, _: Sequence[Resource]) -> str | None:
    if _kind(r) != CLUSTER:
        return None
    if get(_props(r), "userAccountCredentials.adminUserPassword") is not None:
        return "userAccountCredentials.adminUserPassword is set: password SSH login to the nodes"
    return None


def _assigned_user(r: Resource, _: Sequence[Resource]) -> str | None:
    if _kind(r) != INSTANCE:
        return None
    if not get(_props(r), "personalComputeInstanceSettings.assignedUser.objectId"):
        return "no personalComputeInstanceSettings.assignedUser: nobody owns the instance"
    return None


RULES = (
    Rule(
        id="MLC-001",
        title="Computes have local authentication disabled",
        types=(COMPUTE,),
        sources=(ap("e96a9a5f"), ps("Azure.ML.DisableLocalAuth"), ck("CKV_AZURE_142")),
        fix="computeClusters[].localAuth / computeInstances[].localAuth: false (the default)",
        check=_local_auth,
    ),
    Rule(
        id="MLC-002",
        title="Computes are in a virtual network",
        types=(COMPUTE,),
        sources=(ap("7804b5c7"), ps("Azure.ML.ComputeVnet")),
        fix="workspace.isolationMode (a managed network), or computeClusters[].subnetId / computeInstances[].subnetId",
        check=_in_network,
        needs_stack=True,
    ),
    Rule(
        id="MLC-003",
        title="Compute instances shut down when idle",
        types=(COMPUTE,),
        sources=(ap("679ddf89"), ps("Azure.ML.ComputeIdleShutdown")),
        fix="computeInstances[].idleShutdownMinutes (profile default 60)",
        check=_idle_shutdown,
    ),
    Rule(
        id="MLC-004",
        title="Clusters scale to zero nodes",
        types=(COMPUTE,),
        sources=(ck("CKV_AZURE_150"),),
        fix="computeClusters[].minNodes: 0 (the default)",
        check=_scale_to_zero,
        # Mandatory in dev and staging (nobody waits for warm nodes there); advisory in prod, where
        # warm nodes can be a deliberate latency choice.
        levels={"dev": Level.MANDATORY, "staging": Level.MANDATORY, "prod": Level.ADVISORY},
    ),
    Rule(
        id="MLC-005",
        title="Compute nodes have no public IP",
        types=(COMPUTE,),
        sources=(),
        fix="computeClusters[].nodePublicIp / computeInstances[].nodePublicIp: false, with a managed network "
        "or a subnet",
        check=_no_public_ip,
    ),
    Rule(
        id="MLC-006",
        title="SSH to compute nodes is disabled",
        types=(COMPUTE,),
        sources=(),
        fix="computeClusters[].sshAccess / computeInstances[].sshAccess: false (the default)",
        check=_no_ssh,
    ),
    Rule(
        id="MLC-007",
        title="Clusters have no admin password",
        types=(COMPUTE,),
        sources=(),
        fix="computeClusters[].sshPublicKey; drop user_account_credentials.admin_user_password from "
        "computeClusters[].overrides",
        check=_no_password_login,
    ),
    Rule(
        id="MLC-008",
        title="Compute instances have an assigned user",
        types=(COMPUTE,),
        sources=(),
        fix="computeInstances[].assignedUser, or personalInstances.users",
        check=_assigned_user,
        levels=PROD_ONLY,
    ),
)
