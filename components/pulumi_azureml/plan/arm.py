"""A plan as an ARM deployment template, for tools that read ARM: Checkov's ``arm`` framework, PSRule
for Azure, Template Analyzer, and ``az deployment group validate`` / ``what-if``.

``to_arm_template(plan)`` returns one ARM resource per azure-native resource that lives in the plan's
resource group (the template deploys into a resource group, so the group itself, components, the
stack and providers are left out and listed in the template's ``metadata``). Each resource is in
ARM's request shape for the API version azure-native uses: azure-native flattens ``properties``
into top-level inputs for most types and renames a few (:data:`SHAPES`), and takes ids of other
resources as plain strings, which become ``resourceId()`` expressions here. Values only Azure
knows become ``reference()`` expressions; Pulumi secrets become ``securestring`` parameters.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.provider_inputs import SECRET, UNKNOWN
from .mocks import ArmType, arm_type
from .model import Plan, PlannedResource

__all__ = ["CONTENT_VERSION", "SCHEMA", "SHAPES", "Shape", "api_version", "render_arm", "to_arm_template"]

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
CONTENT_VERSION = "1.0.0.0"
PREFIX = "azure-native:"

# Inputs that are ARM's resource envelope rather than `properties` in most request bodies.
ENVELOPE = frozenset({"location", "tags", "sku", "kind", "identity", "zones", "plan", "extendedLocation", "etag"})


@dataclass(frozen=True)
class Shape:
    """How azure-native's inputs of one type map onto the ARM request body.

    azure-native builds the body from its metadata: each input has a wire name and a container path
    (``["properties"]`` for the flattened ones, from the specs' ``x-ms-client-flatten``). The same
    specs make the azure-mgmt SDKs, whose models tests/test_arm_export.py checks this table against.
    """

    top: frozenset[str] = ENVELOPE
    """Inputs that stay at the top of the body; the others go under ``properties``."""
    flattened: bool = True
    """False for types that take ``properties`` as an input (the body is the inputs as they are)."""
    renames: Mapping[str, str] = field(default_factory=dict)
    """Input path (``a.b``, ``a[].b`` inside lists) -> the wire name ARM uses at that place."""
    nested: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Paths of objects whose own ``properties`` azure-native flattens, with the keys that stay out."""
    query: frozenset[str] = frozenset()
    """Query parameters: inputs that are no part of the body."""
    scope: str | None = None
    """For extension resources: the input holding the id of the resource they extend."""
    scope_parts: tuple[str, ...] = ()
    """For extension resources whose inputs name the resource they extend by parts rather than by id:
    the inputs that, joined by ``/``, are its relative name (``NS/type/name``), in the group that
    ``resourceGroupName`` names."""


_STORAGE_ACCOUNT = Shape(
    renames={
        "networkRuleSet": "networkAcls",
        "enableHttpsTrafficOnly": "supportsHttpsTrafficOnly",
        "enableNfsV3": "isNfsV3Enabled",
        "networkRuleSet.ipRules[].iPAddressOrRange": "value",
        "networkRuleSet.virtualNetworkRules[].virtualNetworkResourceId": "id",
        "encryption.keyVaultProperties": "keyvaultproperties",
        "encryption.keyVaultProperties.keyName": "keyname",
        "encryption.keyVaultProperties.keyVersion": "keyversion",
        "encryption.keyVaultProperties.keyVaultUri": "keyvaulturi",
        "encryption.encryptionIdentity": "identity",
        "encryption.encryptionIdentity.encryptionUserAssignedIdentity": "userAssignedIdentity",
        "encryption.encryptionIdentity.encryptionFederatedIdentityClientId": "federatedIdentityClientId",
    }
)
# Application Insights' 2020-02-02 properties keep the spec's Pascal_Case wire names.
_APPINSIGHTS_RENAMES = {
    "applicationType": "Application_Type",
    "flowType": "Flow_Type",
    "requestSource": "Request_Source",
    "hockeyAppId": "HockeyAppId",
    "samplingPercentage": "SamplingPercentage",
    "retentionInDays": "RetentionInDays",
    "disableIpMasking": "DisableIpMasking",
    "immediatePurgeDataOn30Days": "ImmediatePurgeDataOn30Days",
    "workspaceResourceId": "WorkspaceResourceId",
    "ingestionMode": "IngestionMode",
    "disableLocalAuth": "DisableLocalAuth",
    "forceCustomerStorageForProfiler": "ForceCustomerStorageForProfiler",
}
_AS_GIVEN = Shape(flattened=False)
# The AKS autoscaler profile's wire names are the cluster-autoscaler's flags; azure-native camelCases
# them (azure-mgmt-containerservice 40.1, 2025-09-01: ManagedClusterPropertiesAutoScalerProfile).
_AUTOSCALER_FLAGS = (
    "balance-similar-node-groups",
    "daemonset-eviction-for-empty-nodes",
    "daemonset-eviction-for-occupied-nodes",
    "ignore-daemonsets-utilization",
    "max-empty-bulk-delete",
    "max-graceful-termination-sec",
    "max-node-provision-time",
    "max-total-unready-percentage",
    "new-pod-scale-up-delay",
    "ok-total-unready-count",
    "scan-interval",
    "scale-down-delay-after-add",
    "scale-down-delay-after-delete",
    "scale-down-delay-after-failure",
    "scale-down-unneeded-time",
    "scale-down-unready-time",
    "scale-down-utilization-threshold",
    "skip-nodes-with-local-storage",
    "skip-nodes-with-system-pods",
)


def _camel(flag: str) -> str:
    head, *rest = flag.split("-")
    return head + "".join(part.capitalize() for part in rest)


_MANAGED_CLUSTER = Shape(
    top=frozenset({"location", "tags", "sku", "identity", "extendedLocation", "kind"}),
    renames={f"autoScalerProfile.{_camel(flag)}": flag for flag in _AUTOSCALER_FLAGS},
)

SHAPES: dict[str, Shape] = {
    "storage:StorageAccount": _STORAGE_ACCOUNT,
    "storage:BlobServiceProperties": Shape(),
    "storage:FileServiceProperties": Shape(),
    "storage:BlobContainer": Shape(),
    "storage:FileShare": Shape(query=frozenset({"expand"})),
    "storage:ManagementPolicy": Shape(),
    "keyvault:Vault": _AS_GIVEN,
    "keyvault:Secret": _AS_GIVEN,
    # Log Analytics keeps its sku inside properties.
    "operationalinsights:Workspace": Shape(top=frozenset({"location", "tags", "identity", "etag"})),
    "applicationinsights:Component": Shape(
        top=frozenset({"location", "tags", "kind", "etag"}), renames=_APPINSIGHTS_RENAMES
    ),
    "containerregistry:Registry": Shape(renames={"networkRuleSet.ipRules[].iPAddressOrRange": "value"}),
    "managedidentity:UserAssignedIdentity": Shape(),
    "machinelearningservices:Workspace": Shape(nested={"sharedPrivateLinkResources[]": frozenset({"name"})}),
    "machinelearningservices:Compute": _AS_GIVEN,
    "machinelearningservices:Datastore": Shape(flattened=False, query=frozenset({"skipValidation"})),
    "machinelearningservices:ManagedNetworkSettingsRule": _AS_GIVEN,
    "authorization:RoleAssignment": Shape(top=frozenset(), scope="scope"),
    # Network: items of these lists are sub-resources whose own properties azure-native flattens.
    "network:VirtualNetwork": Shape(nested={"subnets[]": frozenset({"name", "id"})}),
    "network:Subnet": Shape(top=frozenset()),
    "network:NetworkSecurityGroup": Shape(nested={"securityRules[]": frozenset({"name", "id"})}),
    "network:PrivateEndpoint": Shape(
        nested={
            # The subnet reference carries the SDK type's defaults (network policies) flattened too.
            "subnet": frozenset({"name", "id"}),
            "privateLinkServiceConnections[]": frozenset({"name", "id"}),
            "manualPrivateLinkServiceConnections[]": frozenset({"name", "id"}),
        }
    ),
    "network:PrivateDnsZoneGroup": Shape(top=frozenset(), nested={"privateDnsZoneConfigs[]": frozenset({"name"})}),
    "network:VirtualNetworkPeering": Shape(top=frozenset()),
    "privatedns:PrivateZone": Shape(top=frozenset({"location", "tags", "etag"})),
    "privatedns:VirtualNetworkLink": Shape(top=frozenset({"location", "tags", "etag"})),
    "monitor:DiagnosticSetting": Shape(top=frozenset(), scope="resourceUri"),
    "containerservice:ManagedCluster": _MANAGED_CLUSTER,
    "containerservice:ManagedNamespace": _AS_GIVEN,
    "containerservice:TrustedAccessRoleBinding": Shape(top=frozenset()),
    # An extension resource of the cluster: PUT {cluster id}/providers/Microsoft.KubernetesConfiguration/
    # extensions/{name}; azure-native takes the cluster as clusterRp/clusterResourceName/clusterName
    # (Learn, Microsoft.KubernetesConfiguration extensions 2023-05-01: "scope: resourceSymbolicName").
    "kubernetesconfiguration:Extension": Shape(
        top=frozenset({"identity", "plan", "systemData"}),
        scope_parts=("clusterRp", "clusterResourceName", "clusterName"),
    ),
    "machinelearningservices:OnlineEndpoint": _AS_GIVEN,
    # The registry's properties are flattened like the workspace's.
    "machinelearningservices:Registry": Shape(),
}

SKIPPED_TYPES = {"resources:ResourceGroup": "the resource group: the template is deployed into one"}

_API_VERSION = re.compile(r"Uses Azure REST API version ([0-9]{4}-[0-9]{2}-[0-9]{2}(?:-[a-z]+)?)")
_ARM_ID = re.compile(r"/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/(.+)", re.IGNORECASE)


@functools.cache
def api_version(type_token: str) -> str | None:
    """The REST API version azure-native uses for ``azure-native:<module>:<Resource>``.

    The SDK states it in the docstrings of the class's ``__init__`` overloads, which Python drops at
    run time, so it is read from the class's source (importing its submodule only).
    """
    _, module, resource = type_token.split(":", 2)
    try:
        cls = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), resource)
        source = inspect.getsource(cls)
    except (ImportError, AttributeError, OSError, TypeError):
        return None
    found = _API_VERSION.search(source)
    return found.group(1) if found else None


class _Expr(str):
    """The text of an ARM template expression (written ``[text]`` in the template)."""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _literal(text: str) -> str:
    # A string that starts with '[' is an expression to ARM; '[[' escapes it.
    return "[" + text if text.startswith("[") else text


@dataclass(frozen=True)
class _Target:
    """An exported resource: where it lives in ARM and how other resources refer to it."""

    resource: PlannedResource
    module_type: str
    shape: Shape
    arm: ArmType
    names: tuple[str, ...]
    api: str
    scope: str | None = None
    """Extension resources: the relative name of the resource they extend (``NS/type/name``)."""

    @property
    def type(self) -> str:
        collections = [collection for collection, _ in self.arm.parents]
        return "/".join([self.arm.namespace, *collections, self.arm.collection])

    def id_expression(self) -> str:
        args = ", ".join(_quote(n) for n in self.names)
        if not self.scope:
            # On the resource group (scope ""), an extension resource's id is the group's resourceId().
            return f"resourceId({_quote(self.type)}, {args})"
        return f"extensionResourceId({_scope_id(self.scope)}, {_quote(self.type)}, {args})"


def _scope_id(relative: str) -> str:
    """``resourceId()`` of a resource given by its relative name ``NS/type/name/child/name``."""
    namespace, *parts = relative.split("/")
    types, names = parts[0::2], parts[1::2]
    type_arg = _quote("/".join([namespace, *types]))
    return f"resourceId({type_arg}, {', '.join(_quote(n) for n in names)})"


@dataclass
class _Export:
    """What the export builds up: its targets, parameters and notes."""

    plan: Plan
    group: str
    targets: dict[str, _Target] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    pattern: re.Pattern[str] | None = None


def to_arm_template(plan: Plan) -> dict[str, Any]:
    """The plan as an ARM deployment template (a JSON-able dict) for its resource group."""
    export = _Export(plan, _deployment_group(plan))
    for resource in plan.resources:
        _add_target(export, resource)
    tokens = sorted(plan.invented, key=len, reverse=True)
    export.pattern = re.compile("|".join(re.escape(t) for t in tokens)) if tokens else None
    resources = [_resource(export, target) for target in export.targets.values()]
    return {
        "$schema": SCHEMA,
        "contentVersion": CONTENT_VERSION,
        "metadata": {
            "generator": "pulumi-azureml plan --format arm",
            "project": plan.project,
            "stack": plan.stack,
            "resourceGroup": export.group,
            "skipped": export.skipped,
            "notes": export.notes,
        },
        "parameters": export.parameters,
        "resources": resources,
    }


def render_arm(plan: Plan) -> str:
    """``plan --format arm``: the template as JSON."""
    return json.dumps(to_arm_template(plan), indent=2) + "\n"


def _deployment_group(plan: Plan) -> str:
    """The resource group the template is for: the plan's ResourceGroup, else the most used one."""
    for resource in plan.resources:
        if resource.type == PREFIX + "resources:ResourceGroup":
            return str(resource.inputs.get("resourceGroupName") or resource.name)
    groups = [
        str(r.inputs["resourceGroupName"]) for r in plan.resources if r.custom and r.inputs.get("resourceGroupName")
    ]
    return max(sorted(set(groups)), key=groups.count) if groups else ""


def _skip(export: _Export, resource: PlannedResource, reason: str) -> None:
    export.skipped.append({"urn": resource.urn, "type": resource.type, "reason": reason})


def _add_target(export: _Export, resource: PlannedResource) -> None:
    if not resource.custom:
        return  # components and the stack register nothing in Azure
    if not resource.type.startswith(PREFIX):
        kind = "a provider" if resource.type.startswith("pulumi:providers:") else "not an azure-native resource"
        _skip(export, resource, kind)
        return
    module_type = resource.type.removeprefix(PREFIX)
    if module_type in SKIPPED_TYPES:
        _skip(export, resource, SKIPPED_TYPES[module_type])
        return
    api = api_version(resource.type)
    if api is None:
        _skip(export, resource, "no API version found in the azure-native SDK")
        return
    shape = SHAPES.get(module_type) or _guess_shape(export, resource)
    target = _target(export, resource, module_type, shape, api)
    if target is not None:
        export.targets[resource.urn] = target


def _guess_shape(export: _Export, resource: PlannedResource) -> Shape:
    # A type the table does not know: the common azure-native rule, flagged for review.
    export.notes.append(
        f"{resource.name}: {resource.type} is not in the shape table; properties shaped by the common rule"
    )
    return _AS_GIVEN if "properties" in resource.inputs else Shape()


def _target(export: _Export, resource: PlannedResource, module_type: str, shape: Shape, api: str) -> _Target | None:
    arm = arm_type(module_type)
    inputs = resource.inputs
    if shape.scope is None and inputs.get("resourceGroupName") != export.group:
        _skip(export, resource, f"in resource group {inputs.get('resourceGroupName')!r}, not {export.group!r}")
        return None
    own = arm.fixed_name or inputs.get(arm.name_key) or _auto_name(export, resource)
    names = (*(str(inputs.get(key, key)) for _, key in arm.parents), str(own))
    if any(n in (UNKNOWN, SECRET, "") for n in names):
        _skip(export, resource, "its name is known only after apply")
        return None
    scope = None
    if shape.scope is not None:
        scope = _relative_scope(export, str(inputs.get(shape.scope, "")))
        if scope is None:
            _skip(export, resource, f"extends {inputs.get(shape.scope)!r}, outside resource group {export.group!r}")
            return None
    elif shape.scope_parts:
        parts = [str(inputs.get(key, "")) for key in shape.scope_parts]
        if any(p in (UNKNOWN, SECRET, "") for p in parts):
            _skip(export, resource, "the resource it extends is known only after apply")
            return None
        scope = "/".join(parts)
    return _Target(resource, module_type, shape, arm, names, api, scope)


def _auto_name(export: _Export, resource: PlannedResource) -> str:
    name = next((v for v, (urn, path) in export.plan.origins.items() if urn == resource.urn and path == "name"), "")
    if name:
        export.notes.append(f"{resource.name}: auto-named by azure-native at apply; the template names it {name}")
    return name


def _relative_scope(export: _Export, scope: str) -> str | None:
    """``NS/type/name`` for a resource in the deployment's group, ``""`` for the group itself, else None."""
    group_id = f"/subscriptions/{export.plan.subscription_id}/resourceGroups/{export.group}"
    if scope.lower() == group_id.lower():
        return ""
    found = _ARM_ID.fullmatch(scope)
    if not found or found.group(1) != export.plan.subscription_id or found.group(2).lower() != export.group.lower():
        return None
    return found.group(3)


# The order a reader expects in a template's resource; the body's other keys follow, properties last.
_ORDER = ("location", "kind", "sku", "identity", "zones", "plan", "extendedLocation", "tags")


def _resource(export: _Export, target: _Target) -> dict[str, Any]:
    body = _write(export, target, _reshape(target), "")
    out: dict[str, Any] = {"type": target.type, "apiVersion": target.api, "name": "/".join(target.names)}
    if target.scope:
        out["scope"] = target.scope
    for key in sorted(body, key=lambda k: (k == "properties", _ORDER.index(k) if k in _ORDER else len(_ORDER), k)):
        out[key] = body[key]
    depends = _depends_on(export, target)
    if depends:
        out["dependsOn"] = depends
    out["comments"] = f"pulumi: {target.resource.urn}"
    return out


def _path_parameters(target: _Target) -> set[str]:
    keys = {"resourceGroupName", target.arm.name_key, *target.shape.query}
    keys.update(key for _, key in target.arm.parents)
    if target.shape.scope:
        keys.add(target.shape.scope)
    keys.update(target.shape.scope_parts)
    return keys


def _reshape(target: _Target) -> dict[str, Any]:
    """The inputs in ARM's body shape: path parameters out, flattened inputs under ``properties``,
    renamed where the wire name differs, string sets (user-assigned identities) as maps."""
    shape = target.shape
    body: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    for key, value in target.resource.inputs.items():
        if key in _path_parameters(target):
            continue
        value = _rename(value, key, shape)
        wire = shape.renames.get(key, key)
        if not shape.flattened or key in shape.top:
            body[wire] = value
        else:
            properties[wire] = value
    if properties:
        body["properties"] = properties
    identity = body.get("identity")
    if isinstance(identity, dict) and isinstance(identity.get("userAssignedIdentities"), list):
        # azure-native takes a list of ids (a string set in its metadata); ARM a map of id -> {}.
        body["identity"] = {
            **identity,
            "userAssignedIdentities": {str(i): {} for i in identity["userAssignedIdentities"]},
        }
    return body


def _rename(value: Any, path: str, shape: Shape) -> Any:
    if isinstance(value, list):
        return [_rename(item, f"{path}[]", shape) for item in value]
    if not isinstance(value, dict) or not (shape.renames or shape.nested):
        return value
    out = {shape.renames.get(f"{path}.{k}", k): _rename(v, f"{path}.{k}", shape) for k, v in value.items()}
    kept = shape.nested.get(path)
    if kept is not None:
        inner = {k: v for k, v in out.items() if k not in kept}
        out = {k: v for k, v in out.items() if k in kept}
        if inner:
            out["properties"] = inner
    return out


def _write(export: _Export, target: _Target, value: Any, path: str) -> Any:
    """A body value as the template writes it: secrets as parameters, Azure's values as expressions,
    other strings literal (escaped). Unknown values are dropped, with a note."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in sorted(value.items()):
            child = f"{path}.{key}" if path else str(key)
            if item == UNKNOWN:
                export.notes.append(f"{target.resource.name}: {child} is known only after apply; left out")
                continue
            written_key = _write_string(export, target, str(key), child, as_key=True)
            out[written_key] = _write(export, target, item, child)
        return out
    if isinstance(value, list):
        return [_write(export, target, item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, str):
        return _write_string(export, target, value, path)
    return value


def _write_string(export: _Export, target: _Target, text: str, path: str, as_key: bool = False) -> str:
    if text == SECRET and not as_key:
        return f"[parameters({_quote(_parameter(export, target, path))})]"
    expression = _expression(export, text)
    if expression is not None:
        return f"[{expression}]"
    return _literal(text)


def _parameter(export: _Export, target: _Target, path: str) -> str:
    base = re.sub(r"[^A-Za-z0-9]+", "_", f"{target.resource.name}_{path}").strip("_")
    name = base if base[:1].isalpha() else f"p_{base}"
    suffix = 2
    while name in export.parameters:
        name, suffix = f"{base}_{suffix}", suffix + 1
    export.parameters[name] = {
        "type": "securestring",
        "metadata": {"description": f"Pulumi secret {path} of {target.resource.urn}"},
    }
    return name


def _expression(export: _Export, text: str) -> str | None:
    """An ARM expression for a string the template must not hold literally, or None."""
    plan = export.plan
    if text == plan.subscription_id:
        return "subscription().subscriptionId"
    if text == plan.tenant_id:
        return "subscription().tenantId"
    if text == export.group:
        return "resourceGroup().name"
    role = re.fullmatch(rf"/subscriptions/{re.escape(plan.subscription_id)}/providers/([^/]+/[^/]+)/([^/]+)", text)
    if role:
        return f"subscriptionResourceId({_quote(role.group(1))}, {_quote(role.group(2))})"
    if export.pattern is None or not export.pattern.search(text):
        return None
    parts = list(_pieces(export, text))
    if any(p is None for p in parts):
        export.notes.append(f"a value only Azure knows is kept as the plan's placeholder: {text[:120]}")
        return None
    pieces = [p for p in parts if p]
    return pieces[0] if len(pieces) == 1 and isinstance(pieces[0], _Expr) else f"concat({', '.join(pieces)})"


def _pieces(export: _Export, text: str) -> Iterator[str | None]:
    """The parts of ``text`` as expression arguments: quoted literals and references (None: no reference)."""
    assert export.pattern is not None
    position = 0
    for found in export.pattern.finditer(text):
        if found.start() > position:
            yield _quote(text[position : found.start()])
        yield _reference(export, found.group(0))
        position = found.end()
    if position < len(text):
        yield _quote(text[position:])


def _reference(export: _Export, value: str) -> _Expr | None:
    """The expression for an invented value: a resource's id, or one of its outputs."""
    origin = export.plan.origins.get(value)
    if origin is None:
        return None
    urn, path = origin
    target = export.targets.get(urn)
    if target is None:
        group = next((r for r in export.plan.resources if r.urn == urn and r.type.endswith(":ResourceGroup")), None)
        return _Expr("resourceGroup().id") if group is not None and path == "id" else None
    if path == "id":
        return _Expr(target.id_expression())
    if path == "name":
        return _Expr(_quote(target.names[-1]))
    return _Expr(f"reference({target.id_expression()}, {_quote(target.api)}, 'Full').{_output_path(target, path)}")


def _output_path(target: _Target, path: str) -> str:
    """Where an azure-native output lives in ARM's full resource: flattened outputs under properties."""
    first, _, rest = path.partition(".")
    shape = target.shape
    if not shape.flattened or first in shape.top or first in ("identity", "name", "type", "id"):
        return path
    wire = shape.renames.get(first, first)
    return f"properties.{wire}" + (f".{rest}" if rest else "")


def _depends_on(export: _Export, target: _Target) -> list[str]:
    """The exported resources this one waits for: the plan's dependencies (components expanded to
    their resources), its parent, and the resource it extends."""
    found = [export.targets[urn] for urn in _expand(export.plan, target.resource.dependencies) if urn in export.targets]
    for other in export.targets.values():
        parent = (
            target.scope is None
            and target.type.startswith(other.type + "/")
            and target.names[: len(other.names)] == other.names
        )
        extended = bool(target.scope) and other.scope is None and target.scope == _relative_name(other)
        if parent or extended:
            found.append(other)
    expressions = [f"[{other.id_expression()}]" for other in found if other is not target]
    return list(dict.fromkeys(expressions))


def _relative_name(target: _Target) -> str:
    types = target.type.split("/")
    parts = [types[0]]
    for kind, name in zip(types[1:], target.names, strict=True):
        parts += [kind, name]
    return "/".join(parts)


def _expand(plan: Plan, urns: list[str]) -> Iterator[str]:
    """Dependencies with components replaced by the resources inside them."""
    by_urn = {r.urn: r for r in plan.resources}
    for urn in urns:
        resource = by_urn.get(urn)
        if resource is not None and not resource.custom:
            yield from _expand(plan, [r.urn for r in plan.resources if r.parent == urn])
        else:
            yield urn
