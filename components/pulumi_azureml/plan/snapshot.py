"""Snapshots that guard against replacing real infrastructure.

A snapshot keeps, per resource, its URN and the inputs whose change makes Azure or the provider
replace it (path parameters such as names and resource groups, create-only properties, and the
paths a resource lists in ``replace_on_changes``). Comparing a new plan with a snapshot reports
every resource whose URN disappeared (a rename or a new parent, unless an alias maps the old URN)
and every replacement-forcing input that changed. Added resources are fine.

``python -m pulumi_azureml.plan.snapshot write DIR STACK...`` (``make snapshots``) refreshes them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .model import Plan, PlannedResource, get_path

# Inputs whose change replaces the resource (../shared/reference/replacement.md: path parameters
# and create-only properties), plus those Azure refuses to change in place (workspace dependents).
REPLACING_INPUTS: dict[str, tuple[str, ...]] = {
    "azure-native:resources:ResourceGroup": ("resourceGroupName", "location"),
    "azure-native:machinelearningservices:Workspace": (
        "resourceGroupName",
        "workspaceName",
        "location",
        "kind",
        "storageAccount",
        "keyVault",
        "applicationInsights",
        "containerRegistry",
        "hbiWorkspace",
    ),
    "azure-native:machinelearningservices:Compute": ("resourceGroupName", "workspaceName", "computeName"),
    "azure-native:machinelearningservices:Datastore": ("resourceGroupName", "workspaceName", "name"),
    "azure-native:machinelearningservices:OnlineEndpoint": ("resourceGroupName", "workspaceName", "endpointName"),
    # AKS: the path, and its region (a cluster cannot move).
    "azure-native:containerservice:ManagedCluster": ("resourceGroupName", "resourceName", "location"),
    "azure-native:containerservice:TrustedAccessRoleBinding": (
        "resourceGroupName",
        "resourceName",
        "trustedAccessRoleBindingName",
    ),
    "azure-native:kubernetesconfiguration:Extension": (
        "resourceGroupName",
        "clusterRp",
        "clusterResourceName",
        "clusterName",
        "extensionName",
    ),
    "azure-native:machinelearningservices:ManagedNetworkSettingsRule": (
        "resourceGroupName",
        "workspaceName",
        "ruleName",
    ),
    "azure-native:storage:StorageAccount": ("resourceGroupName", "accountName", "location", "isHnsEnabled"),
    "azure-native:storage:BlobServiceProperties": ("resourceGroupName", "accountName"),
    "azure-native:storage:FileServiceProperties": ("resourceGroupName", "accountName"),
    "azure-native:storage:BlobContainer": ("resourceGroupName", "accountName", "containerName"),
    "azure-native:storage:FileShare": ("resourceGroupName", "accountName", "shareName"),
    "azure-native:keyvault:Vault": ("resourceGroupName", "vaultName", "location"),
    "azure-native:operationalinsights:Workspace": ("resourceGroupName", "workspaceName", "location"),
    "azure-native:applicationinsights:Component": ("resourceGroupName", "resourceName", "location"),
    "azure-native:containerregistry:Registry": ("resourceGroupName", "registryName", "location"),
    "azure-native:managedidentity:UserAssignedIdentity": ("resourceGroupName", "resourceName", "location"),
    "azure-native:authorization:RoleAssignment": ("scope", "roleAssignmentName", "principalId"),
    "azure-native:monitor:DiagnosticSetting": ("resourceUri", "name"),
    "azure-native:network:VirtualNetwork": ("resourceGroupName", "virtualNetworkName", "location"),
    "azure-native:network:Subnet": ("resourceGroupName", "virtualNetworkName", "subnetName"),
    "azure-native:network:NetworkSecurityGroup": ("resourceGroupName", "networkSecurityGroupName", "location"),
    "azure-native:network:VirtualNetworkPeering": (
        "resourceGroupName",
        "virtualNetworkName",
        "virtualNetworkPeeringName",
    ),
    # A private endpoint's subnet, target and group are fixed: a change makes a new endpoint.
    "azure-native:network:PrivateEndpoint": (
        "resourceGroupName",
        "privateEndpointName",
        "location",
        "subnet.id",
        "privateLinkServiceConnections",
        "manualPrivateLinkServiceConnections",
        "customNetworkInterfaceName",
    ),
    "azure-native:network:PrivateDnsZoneGroup": ("resourceGroupName", "privateEndpointName", "privateDnsZoneGroupName"),
    "azure-native:privatedns:PrivateZone": ("resourceGroupName", "privateZoneName"),
    "azure-native:privatedns:VirtualNetworkLink": ("resourceGroupName", "privateZoneName", "virtualNetworkLinkName"),
}


def replacing_paths(resource: PlannedResource) -> list[str]:
    paths = list(REPLACING_INPUTS.get(resource.type, ()))
    paths += [p for p in resource.options.get("replaceOnChanges", []) if p not in paths]
    return paths


def take(plan: Plan) -> dict[str, Any]:
    """The snapshot of a plan: URNs and replacement-forcing inputs of its custom resources."""
    resources = {}
    for resource in plan.resources:
        if not resource.custom:
            continue
        resources[resource.urn] = {
            "type": resource.type,
            "protect": resource.protect,
            "replacing": take_resource(resource),
        }
    return {"project": plan.project, "stack": plan.stack, "resources": resources}


def _urn(stack: str, project: str, parent: str | None, type_token: str, name: str) -> str:
    qualified = type_token
    if parent:
        parent_type = parent.split("::")[2]
        if parent_type != "pulumi:pulumi:Stack":
            qualified = f"{parent_type}${type_token}"
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def alias_urns(resource: PlannedResource, stack: str, project: str) -> set[str]:
    """The old URNs a resource's aliases claim (unset alias fields default to the resource's own)."""
    urns: set[str] = set()
    for alias in resource.options.get("aliases", []):
        if "urn" in alias:
            urns.add(alias["urn"])
            continue
        spec = alias.get("spec", {})
        parent = None if spec.get("noParent") else (spec.get("parentUrn") or resource.parent)
        urns.add(
            _urn(
                spec.get("stack") or stack,
                spec.get("project") or project,
                parent,
                spec.get("type") or resource.type,
                spec.get("name") or resource.name,
            )
        )
    return urns


def compare(saved: Mapping[str, Any], plan: Plan) -> list[str]:
    """What in ``plan`` would replace or delete a resource of the ``saved`` snapshot, one line each."""
    problems: list[str] = []
    current = {r.urn: r for r in plan.resources if r.custom}
    claimed = {old: r for r in current.values() for old in alias_urns(r, plan.stack, plan.project)}
    for urn, before in saved["resources"].items():
        resource = current.get(urn) or claimed.get(urn)
        name = urn.rsplit("::", 1)[-1]
        if resource is None:
            problems.append(
                f"{before['type']} {name!r} is gone: its URN {urn} is not in the plan, so `pulumi up` would DELETE it "
                "(renamed or moved? add `aliases` with the old name or parent)"
            )
            continue
        now = take_resource(resource)
        for path, old in before["replacing"].items():
            new = now.get(path)
            if new != old:
                risk = " (stateful: data loss)" if before.get("protect") or before["type"] in STATEFUL else ""
                problems.append(
                    f"{before['type']} {name!r} would be REPLACED{risk}: {path} changes from {old!r} to {new!r}"
                )
    return problems


# Resources that hold data (or are where data is found): replacing one loses it.
STATEFUL = frozenset(
    {
        "azure-native:resources:ResourceGroup",
        "azure-native:machinelearningservices:Workspace",
        "azure-native:storage:StorageAccount",
        "azure-native:storage:BlobContainer",
        "azure-native:storage:FileShare",
        "azure-native:keyvault:Vault",
        "azure-native:containerregistry:Registry",
        "azure-native:operationalinsights:Workspace",
        "azure-native:applicationinsights:Component",
    }
)


def take_resource(resource: PlannedResource) -> dict[str, Any]:
    return {path: get_path(resource.inputs, path) for path in replacing_paths(resource)}


def write(directory: Path, stacks: Sequence[str], project_dir: Path) -> list[Path]:
    from .engine import run_plan

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for stack in stacks:
        path = directory / f"{stack}.json"
        path.write_text(json.dumps(take(run_plan(project_dir, stack)), indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 3 or args[0] != "write":
        print("usage: python -m pulumi_azureml.plan.snapshot write DIR STACK...", file=sys.stderr)
        return 2
    for path in write(Path(args[1]), args[2:], Path(".")):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
