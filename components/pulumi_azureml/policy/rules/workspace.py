"""Rules for the Azure ML workspace (Microsoft.MachineLearningServices/workspaces)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import ADVISORY_ALL, PROD_ONLY, Resource, Rule, ap, ck, get, is_known, ps
from .links import WORKSPACE_PATH, has_private_endpoint, id_suffix, resource_logs_check
from .types import OUTBOUND_RULE, STORAGE_ACCOUNT, WORKSPACE

MANAGED_ISOLATION = ("AllowOnlyApprovedOutbound", "AllowInternetOutbound")


def _public_access(r: Resource, _: Sequence[Resource]) -> str | None:
    access = r.inputs.get("publicNetworkAccess")
    if access != "Disabled":
        return f"publicNetworkAccess is {access!r}; the workspace is reachable from the internet"
    if r.inputs.get("allowPublicAccessWhenBehindVnet") is True:
        return "allowPublicAccessWhenBehindVnet is true: public access despite publicNetworkAccess Disabled"
    return None


def _approved_outbound(r: Resource, _: Sequence[Resource]) -> str | None:
    mode = get(r.inputs, "managedNetwork.isolationMode")
    if mode != "AllowOnlyApprovedOutbound":
        return f"managedNetwork.isolationMode is {mode!r}; outbound traffic is not limited to approved rules"
    return None


def _user_assigned_identity(r: Resource, _: Sequence[Resource]) -> str | None:
    kind = str(get(r.inputs, "identity.type") or "None")
    if "UserAssigned" not in kind or not r.inputs.get("primaryUserAssignedIdentity"):
        return f"identity.type is {kind!r} without primaryUserAssignedIdentity"
    return None


def _customer_managed_key(r: Resource, _: Sequence[Resource]) -> str | None:
    status = get(r.inputs, "encryption.status")
    if status != "Enabled":
        return "no customer-managed key (encryption.status is not Enabled)"
    return None


def _private_link(r: Resource, stack: Sequence[Resource]) -> str | None:
    suffix = id_suffix(r, WORKSPACE_PATH, "workspaceName")
    if suffix is None or has_private_endpoint(suffix, stack):
        return None
    return "no private endpoint to the workspace is declared in this stack"


def _private_endpoint_outbound(r: Resource, stack: Sequence[Resource]) -> str | None:
    mode = get(r.inputs, "managedNetwork.isolationMode")
    if mode not in MANAGED_ISOLATION:
        return f"managedNetwork.isolationMode is {mode!r}: no managed network, so no private-endpoint outbound rules"
    if mode == "AllowOnlyApprovedOutbound":
        # Azure ML always adds private-endpoint rules to the workspace, storage, key vault and
        # registry in this mode (how-to-managed-network.md).
        return None
    rules = get(r.inputs, "managedNetwork.outboundRules") or {}
    if isinstance(rules, Mapping) and any(
        isinstance(rule, Mapping) and rule.get("type") == "PrivateEndpoint" for rule in rules.values()
    ):
        return None
    name = r.inputs.get("workspaceName")
    for other in stack:
        if (
            other.type == OUTBOUND_RULE
            and other.inputs.get("workspaceName") == name
            and get(other.inputs, "properties.type") == "PrivateEndpoint"
        ):
            return None
    return "the managed network has no PrivateEndpoint outbound rule"


def _hbi_storage_private(r: Resource, stack: Sequence[Resource]) -> str | None:
    if r.inputs.get("hbiWorkspace") is not True:
        return None
    storage_id = r.inputs.get("storageAccount")
    if not is_known(storage_id):
        return None
    account = str(storage_id).rstrip("/").rsplit("/", 1)[-1]
    for other in stack:
        if other.type == STORAGE_ACCOUNT and other.inputs.get("accountName") == account:
            access = other.inputs.get("publicNetworkAccess")
            if access != "Disabled":
                return f"HBI workspace's storage account {account} has publicNetworkAccess {access!r}"
            return None
    return None  # storage brought by id: not in this stack, nothing to judge


def _system_datastores_identity(r: Resource, _: Sequence[Resource]) -> str | None:
    mode = r.inputs.get("systemDatastoresAuthMode")
    if str(mode).lower() != "identity":
        return f"systemDatastoresAuthMode is {mode!r}: the workspace's own datastores use the account key"
    return None


def _serverless_no_public_ip(r: Resource, _: Sequence[Resource]) -> str | None:
    if get(r.inputs, "managedNetwork.isolationMode") in MANAGED_ISOLATION:
        return None  # serverless jobs run in the managed network, without public IPs
    if get(r.inputs, "serverlessComputeSettings.serverlessComputeNoPublicIP") is True:
        return None
    return "serverless compute nodes get public IPs (no managed network, serverlessComputeNoPublicIP not true)"


RULES = (
    Rule(
        id="MLW-001",
        title="Workspace public network access is disabled",
        types=(WORKSPACE,),
        sources=(ap("438c38d2"), ps("Azure.ML.PublicAccess"), ck("CKV2_AZURE_49")),
        fix="workspace.publicNetworkAccess: Disabled (reach the studio through a private endpoint)",
        check=_public_access,
    ),
    Rule(
        id="MLW-002",
        title="Managed network allows only approved outbound traffic",
        types=(WORKSPACE,),
        sources=(ap("6ddb1705"),),
        fix="workspace.isolationMode: AllowOnlyApprovedOutbound",
        check=_approved_outbound,
    ),
    Rule(
        id="MLW-003",
        title="Workspace uses a user-assigned managed identity",
        types=(WORKSPACE,),
        sources=(ap("5f0c7d88"), ps("Azure.ML.UserManagedIdentity")),
        fix="identity.type: UserAssigned (created, or identity.userAssignedIdentityId + principalId)",
        check=_user_assigned_identity,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="MLW-004",
        title="Workspace is encrypted with a customer-managed key",
        types=(WORKSPACE,),
        sources=(ap("ba769a63"),),
        fix="workspace.overrides.encryption (a KeyVault key; set at creation only)",
        check=_customer_managed_key,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="MLW-005",
        title="Workspace resource logs are collected",
        types=(WORKSPACE,),
        sources=(ap("afe0c3be"),),
        fix="diagnostics.enabled: true (the default when Log Analytics exists)",
        check=resource_logs_check(WORKSPACE_PATH, "workspaceName", "the workspace's resource logs"),
        needs_stack=True,
    ),
    Rule(
        id="MLW-006",
        title="Workspace is reached through a private endpoint",
        types=(WORKSPACE,),
        sources=(ap("45e05259"),),
        fix="network.addressSpace and network.privateEndpointSubnet (or network.privateEndpointSubnetId): the "
        "workspace gets an amlworkspace endpoint with its DNS",
        check=_private_link,
        levels=PROD_ONLY,
        needs_stack=True,
    ),
    Rule(
        id="MLW-007",
        title="Managed network has a private-endpoint outbound rule",
        types=(WORKSPACE,),
        sources=(ck("CKV_AZURE_243"),),
        fix="workspace.isolationMode: AllowOnlyApprovedOutbound (Azure ML adds the rules), or "
        "datastores[].privateEndpoint: true",
        check=_private_endpoint_outbound,
        levels=ADVISORY_ALL,
        needs_stack=True,
    ),
    Rule(
        id="MLW-008",
        title="HBI workspace's storage is not public",
        types=(WORKSPACE,),
        sources=(ck("CKV2_AZURE_50"),),
        fix="storage.publicNetworkAccess: Disabled when workspace.hbiWorkspace is true",
        check=_hbi_storage_private,
        needs_stack=True,
    ),
    Rule(
        id="MLW-009",
        title="Workspace system datastores use identity access",
        types=(WORKSPACE,),
        sources=(),
        fix="workspace.systemDatastoresAuthMode: Identity",
        check=_system_datastores_identity,
    ),
    Rule(
        id="MLW-010",
        title="Serverless compute has no public IP in prod",
        types=(WORKSPACE,),
        sources=(),
        fix="a managed network (workspace.isolationMode), or serverlessCompute.noPublicIp with a subnet",
        check=_serverless_no_public_ip,
        levels=PROD_ONLY,
    ),
)
