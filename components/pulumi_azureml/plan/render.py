"""Plan renderers: a tree that reads like `pulumi preview`, and a stable JSON document."""

from __future__ import annotations

import json
from typing import Any

from .model import SECRET, Plan, PlannedResource, get_path

# The settings worth a glance per resource type (input paths); others show nothing extra.
KEY_SETTINGS: dict[str, tuple[str, ...]] = {
    "azure-native:resources:ResourceGroup": ("resourceGroupName", "location"),
    "azure-native:machinelearningservices:Workspace": (
        "workspaceName",
        "publicNetworkAccess",
        "managedNetwork.isolationMode",
        "systemDatastoresAuthMode",
        "identity.type",
        "hbiWorkspace",
    ),
    "azure-native:machinelearningservices:Compute": (
        "computeName",
        "properties.computeType",
        "properties.properties.vmSize",
        "properties.properties.vmPriority",
        "properties.properties.scaleSettings.minNodeCount",
        "properties.properties.scaleSettings.maxNodeCount",
        "properties.properties.idleTimeBeforeShutdown",
        "properties.disableLocalAuth",
    ),
    "azure-native:machinelearningservices:Datastore": (
        "name",
        "properties.datastoreType",
        "properties.credentials.credentialsType",
    ),
    "azure-native:storage:StorageAccount": (
        "accountName",
        "sku.name",
        "kind",
        "allowSharedKeyAccess",
        "publicNetworkAccess",
        "minimumTlsVersion",
        "isHnsEnabled",
    ),
    "azure-native:storage:BlobServiceProperties": ("deleteRetentionPolicy.days", "containerDeleteRetentionPolicy.days"),
    "azure-native:storage:FileServiceProperties": ("shareDeleteRetentionPolicy.days",),
    "azure-native:keyvault:Vault": (
        "vaultName",
        "properties.sku.name",
        "properties.enableRbacAuthorization",
        "properties.enablePurgeProtection",
        "properties.softDeleteRetentionInDays",
        "properties.publicNetworkAccess",
    ),
    "azure-native:operationalinsights:Workspace": ("workspaceName", "retentionInDays"),
    "azure-native:applicationinsights:Component": ("resourceName", "ingestionMode"),
    "azure-native:containerregistry:Registry": ("registryName", "sku.name", "adminUserEnabled", "publicNetworkAccess"),
    "azure-native:managedidentity:UserAssignedIdentity": ("resourceName",),
    "azure-native:authorization:RoleAssignment": ("roleDefinitionId", "principalType"),
}


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def key_settings(resource: PlannedResource) -> list[str]:
    shown: list[str] = []
    for path in KEY_SETTINGS.get(resource.type, ()):
        value = get_path(resource.inputs, path)
        if value is None:
            continue
        if path == "roleDefinitionId" and isinstance(value, str):
            value = value.rsplit("/", 1)[-1]
        label = path.removeprefix("properties.").removeprefix("properties.")
        shown.append(f"{label}={_show(value)}")
    return shown


def _short_type(type_token: str) -> str:
    return type_token.replace("azure-native:", "")


def render_tree(plan: Plan) -> str:
    lines = [
        f"Plan for {plan.project}/{plan.stack} (offline, under mocks: nothing was sent to Azure)",
        f"subscription {plan.subscription_id}, tenant {plan.tenant_id}",
        "",
        f"     {'Type':<52} Name",
    ]
    by_parent: dict[str | None, list[PlannedResource]] = {}
    for r in plan.resources:
        by_parent.setdefault(r.parent, []).append(r)

    def visit(resource: PlannedResource, depth: int) -> None:
        marks = [
            m
            for m, on in (
                ("[protect]", resource.protect),
                ("[delete-before-replace]", bool(resource.options.get("deleteBeforeReplace"))),
            )
            if on
        ]
        indent = "   " * depth
        label = f"{indent}{_short_type(resource.type)}"
        lines.append(f" +   {label:<52} {resource.name} {' '.join(marks)}".rstrip())
        settings = key_settings(resource)
        if settings:
            lines.append(f"     {indent}   {', '.join(settings)}")
        for child in by_parent.get(resource.urn, []):
            visit(child, depth + 1)

    roots = [r for r in plan.resources if r.parent is None or r.parent not in {x.urn for x in plan.resources}]
    for root in roots:
        visit(root, 0)

    summary = plan.summary()
    lines += [
        "",
        f"Resources: {summary['resources']} to create ({summary['protected']} protected), "
        f"{summary['components']} components",
        f"Always-on compute nodes: {summary['alwaysOnNodes']} "
        "(cluster minimum nodes + instances without idle shutdown)",
    ]
    for warning in plan.warnings:
        lines.append(f"warning: {warning}")
    lines += ["", "Outputs:"]
    width = max((len(n) for n in plan.outputs), default=0)
    for name, output in sorted(plan.outputs.items()):
        value = SECRET if output.secret else _show(output.value)
        note = "  (known after apply)" if output.known_after_apply else ""
        lines.append(f"    {name:<{width}}: {value}{note}")
    return "\n".join(lines) + "\n"


def render_json(plan: Plan) -> str:
    return json.dumps(plan.to_json(), indent=2, sort_keys=True) + "\n"
