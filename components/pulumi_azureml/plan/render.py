"""Plan renderers: a tree that reads like `pulumi preview`, a stable JSON document, a markdown PR
comment and a mermaid dependency graph."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .mocks import PLACEHOLDER_SUBSCRIPTION, PLACEHOLDER_TENANT, arm_type
from .model import SECRET, Plan, PlannedResource, get_path

# The settings worth a glance per resource type (input paths). Other azure-native types show the
# input that names them.
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
    "azure-native:network:PrivateEndpoint": ("privateEndpointName",),
    "azure-native:network:VirtualNetwork": ("virtualNetworkName", "addressSpace.addressPrefixes"),
    "azure-native:network:Subnet": ("subnetName", "addressPrefix"),
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
    "azure-native:keyvault:Secret": ("secretName", "properties.contentType"),
    "azure-native:storage:BlobContainer": ("containerName", "publicAccess"),
    "azure-native:storage:FileShare": ("shareName", "shareQuota", "enabledProtocols"),
}


# Built-in role definition GUIDs (the same in every tenant) a reader recognises by name.
ROLE_NAMES: dict[str, str] = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
    "b7e6dc6d-f1e8-4753-8033-0f276bb0955b": "Storage Blob Data Owner",
    "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1": "Storage Blob Data Reader",
    "69566ab7-960f-475b-8e7c-b3118f30c6bd": "Storage File Data Privileged Contributor",
    "b8eda974-7b85-4f76-af95-65846b26df6d": "Storage File Data Privileged Reader",
    "00482a5a-887f-4fb3-b363-3b7fe8e74483": "Key Vault Administrator",
    "4633458b-17de-408a-b874-0445c86b69e6": "Key Vault Secrets User",
    "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": "Key Vault Secrets Officer",
    "7f951dda-4ed3-4680-a7ca-43fe172d538d": "AcrPull",
    "8311e382-0749-4cb8-b61a-304f252e45ec": "AcrPush",
    "f6c7c914-8db3-469d-8ca1-694a8f32e121": "AzureML Data Scientist",
    "b556d68e-0be0-4f35-a333-ad7ee1ce17ea": "Azure AI Enterprise Network Connection Approver",
}

# The box-drawing glyphs `pulumi preview` draws its tree with.
_BAR = "\u2502  "
_TEE = "\u251c\u2500 "
_ELBOW = "\u2514\u2500 "

_SETTINGS_WIDTH = 100
"""Settings wrap onto more lines beyond this many characters."""


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def _setting_paths(resource: PlannedResource) -> tuple[str, ...]:
    known = KEY_SETTINGS.get(resource.type)
    if known is not None:
        return known
    if resource.custom and resource.type.startswith("azure-native:"):
        return (arm_type(resource.type.split(":", 1)[1]).name_key,)
    return ()


def key_settings(resource: PlannedResource) -> list[str]:
    """``label=value`` for the settings of :data:`KEY_SETTINGS` the resource has."""
    shown: list[str] = []
    for path in _setting_paths(resource):
        value = get_path(resource.inputs, path)
        if value is None:
            continue
        if path == "roleDefinitionId" and isinstance(value, str):
            guid = value.rsplit("/", 1)[-1]
            value = f"{guid} ({ROLE_NAMES[guid]})" if guid in ROLE_NAMES else guid
        label = path.removeprefix("properties.").removeprefix("properties.")
        shown.append(f"{label}={_show(value)}")
    if resource.type == "azure-native:network:PrivateEndpoint":
        shown += _serves(resource)
    return shown


def _serves(endpoint: PlannedResource) -> list[str]:
    """Which resource and group a private endpoint serves: ``serves=stchurn.../blob``."""
    out: list[str] = []
    for key, how in (("privateLinkServiceConnections", ""), ("manualPrivateLinkServiceConnections", " (approval)")):
        for conn in endpoint.inputs.get(key) or []:
            target = str(conn.get("privateLinkServiceId", "")).rstrip("/").rsplit("/", 1)[-1]
            groups = ",".join(conn.get("groupIds") or [])
            out.append(f"serves={target}/{groups}{how}")
    return out


def _marks(resource: PlannedResource) -> str:
    marks = [
        mark
        for mark, on in (
            ("[protect]", resource.protect),
            ("[delete-before-replace]", bool(resource.options.get("deleteBeforeReplace"))),
            ("[retain-on-delete]", bool(resource.options.get("retainOnDelete"))),
        )
        if on
    ]
    hooks = resource.options.get("hooks") or {}
    # What `pulumi up` / `pulumi destroy --run-program` runs around it: [hooks: beforeDelete]
    if hooks:
        marks.append(f"[hooks: {', '.join(sorted(hooks))}]")
    return " ".join(marks)


def _wrap(items: list[str], width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for item in items:
        candidate = f"{current}, {item}" if current else item
        if current and len(candidate) > width:
            lines.append(current + ",")
            current = item
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _header(plan: Plan) -> list[str]:
    def note(value: str, placeholder: str, flag: str) -> str:
        return f"{value} (placeholder; set with {flag})" if value == placeholder else value

    return [
        f"Plan for project {plan.project}, stack {plan.stack}: what `pulumi up` would create.",
        "Offline, under Pulumi's mocks: nothing was sent to Azure.",
        f"Subscription: {note(plan.subscription_id, PLACEHOLDER_SUBSCRIPTION, '--subscription-id')}",
        f"Tenant:       {note(plan.tenant_id, PLACEHOLDER_TENANT, '--tenant-id')}",
    ]


def render_tree(plan: Plan) -> str:
    """The plan as `pulumi preview` shows it: the resource tree, key settings, counts, outputs."""
    urns = {r.urn for r in plan.resources}
    children: dict[str | None, list[PlannedResource]] = {}
    for resource in plan.resources:
        # A parent the plan did not see (a program parenting to a resource it only looked up) is a root.
        children.setdefault(resource.parent if resource.parent in urns else None, []).append(resource)

    # (tree prefix + type, name, marks, settings lines), then aligned in columns.
    rows: list[tuple[str, str, str, list[str]]] = []

    def visit(resource: PlannedResource, branch: str, stem: str) -> None:
        kids = children.get(resource.urn, [])
        # Settings sit under the type, with the tree's bar continuing to the children below.
        settings_prefix = stem + (_BAR if kids else "   ")
        rows.append(
            (
                branch + resource.type,
                resource.name,
                _marks(resource),
                [settings_prefix + line for line in _wrap(key_settings(resource), _SETTINGS_WIDTH)],
            )
        )
        for index, child in enumerate(kids):
            last = index == len(kids) - 1
            visit(child, stem + (_ELBOW if last else _TEE), stem + ("   " if last else _BAR))

    for root in children.get(None, []):
        visit(root, "", "")

    width = max([len("Type"), *(len(row[0]) for row in rows)])
    lines = [*_header(plan), "", f"     {'Type':<{width}}  Name"]
    for label, name, marks, settings in rows:
        lines.append(f" +   {label:<{width}}  {name}  {marks}".rstrip())
        lines.extend(f"     {line}" for line in settings)

    summary = plan.summary()
    lines += [
        "",
        f"+ {summary['resources']} resources to create ({summary['protected']} protected), "
        f"{summary['components']} components",
        f"Always-on compute nodes: {summary['alwaysOnNodes']} "
        "(cluster minimum nodes + instances without idle shutdown)",
        f"Dependency graph: depth {summary['depth']} (longest chain of creates), width {summary['width']}",
    ]
    lines.extend(f"warning: {warning}" for warning in plan.warnings)
    lines += ["", "Outputs:"]
    name_width = max((len(name) for name in plan.outputs), default=0)
    for name, output in sorted(plan.outputs.items()):
        value = SECRET if output.secret else _show(output.value)
        note = "  (known after apply)" if output.known_after_apply else ""
        lines.append(f"    {name:<{name_width}}: {value}{note}")
    if not plan.outputs:
        lines.append("    (none)")
    return "\n".join(lines) + "\n"


def render_json(plan: Plan) -> str:
    """The stable ``--format json`` document: sorted keys, two-space indent, secrets as ``"[secret]"``."""
    return json.dumps(plan.to_json(), indent=2, sort_keys=True) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(plan: Plan) -> str:
    """A pull-request comment: summary counts, a table of resources, collapsible details."""
    summary = plan.summary()
    lines = [
        f"### Offline plan: `{plan.project}` / `{plan.stack}`",
        "",
        f"**{summary['resources']}** resources to create ({summary['protected']} protected), "
        f"{summary['components']} components · always-on compute nodes: **{summary['alwaysOnNodes']}** · "
        f"dependency depth {summary['depth']}, width {summary['width']}",
        "",
    ]
    lines += [f"> :warning: {_md(w)}" for w in plan.warnings]
    lines += ["", "| | type | name | key settings |", "|---|---|---|---|"]
    for resource in plan.resources:
        if not resource.custom:
            continue
        mark = ":lock:" if resource.protect else "+"
        lines.append(
            f"| {mark} | `{resource.type.replace('azure-native:', '')}` | `{resource.name}` | "
            f"{_md(', '.join(key_settings(resource)))} |"
        )
    lines += ["", "<details><summary>Outputs</summary>", "", "| output | value |", "|---|---|"]
    for name, output in sorted(plan.outputs.items()):
        value = SECRET if output.secret else _show(output.value)
        note = " _(known after apply)_" if output.known_after_apply else ""
        lines.append(f"| `{name}` | `{_md(value)}`{note} |")
    lines += ["", "</details>", "", "<details><summary>Dependency graph</summary>", "", "```mermaid"]
    lines += render_mermaid(plan).rstrip("\n").splitlines()
    lines += ["```", "", "</details>", ""]
    return "\n".join(lines)


def _node_id(urn: str) -> str:
    # Stable across runs (Python's hash() is salted per process).
    return "n" + hashlib.sha256(urn.encode()).hexdigest()[:10]


def render_mermaid(plan: Plan) -> str:
    """The dependency graph (custom resources), components as subgraphs; GitHub renders it."""
    from .graph import custom_dependencies

    by_parent: dict[str | None, list[PlannedResource]] = {}
    for resource in plan.resources:
        by_parent.setdefault(resource.parent, []).append(resource)
    lines = ["graph TD"]

    def emit(parent: str | None, indent: str) -> None:
        for resource in by_parent.get(parent, []):
            if resource.type == "pulumi:pulumi:Stack":
                emit(resource.urn, indent)
            elif resource.custom:
                label = f"{resource.name}<br/>{resource.type.rsplit(':', 1)[-1]}"
                lines.append(f'{indent}{_node_id(resource.urn)}["{label}"]')
            else:
                lines.append(f'{indent}subgraph {_node_id(resource.urn)}["{resource.name}"]')
                emit(resource.urn, indent + "  ")
                lines.append(f"{indent}end")

    emit(None, "  ")
    for urn, deps in custom_dependencies(plan.resources).items():
        for dep in sorted(deps):
            lines.append(f"  {_node_id(dep)} --> {_node_id(urn)}")
    return "\n".join(lines) + "\n"
