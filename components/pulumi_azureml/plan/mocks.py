"""Mocks that answer like Azure: ARM ids, auto-names, and what only the service computes.

Everything is deterministic (derived from the URN), so two plans of the same program are equal.
Every value the mocks invent is remembered in :attr:`AzureMocks.invented`, so the plan can mark the
outputs that are only known after `pulumi up`.
"""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pulumi

from .refusals import Refusals

# Obviously fake ids, so nobody mistakes a plan for a real subscription.
PLACEHOLDER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
PLACEHOLDER_TENANT = "11111111-1111-1111-1111-111111111111"
PLACEHOLDER_CLIENT = "22222222-2222-2222-2222-222222222222"
PLACEHOLDER_OBJECT = "33333333-3333-3333-3333-333333333333"

LIST_KEYS_TOKEN = "azure-native:storage:listStorageAccountKeys"
STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference"
CLIENT_CONFIG_TOKEN = "azure-native:authorization:getClientConfig"


@dataclass(frozen=True)
class ArmType:
    """Where a resource type lives in ARM and which input carries its name."""

    namespace: str
    collection: str
    name_key: str
    parents: tuple[tuple[str, str], ...] = ()
    """(collection, input key) of the parent resources, outermost first. A key that is not an input
    is used literally (``default`` for the blob and file services)."""
    fixed_name: str | None = None
    """Singleton child resources are always named this (``default``), never auto-named."""


_ML = "Microsoft.MachineLearningServices"
_ST = "Microsoft.Storage"
_NET = "Microsoft.Network"
_IN_WORKSPACE = (("workspaces", "workspaceName"),)
_IN_ACCOUNT = (("storageAccounts", "accountName"),)

ARM_TYPES: dict[str, ArmType] = {
    "machinelearningservices:Workspace": ArmType(_ML, "workspaces", "workspaceName"),
    # PUT .../providers/Microsoft.MachineLearningServices/registries/{registryName} (2025-12-01).
    "machinelearningservices:Registry": ArmType(_ML, "registries", "registryName"),
    "machinelearningservices:Compute": ArmType(_ML, "computes", "computeName", _IN_WORKSPACE),
    "machinelearningservices:Datastore": ArmType(_ML, "datastores", "name", _IN_WORKSPACE),
    "machinelearningservices:Connection": ArmType(_ML, "connections", "connectionName", _IN_WORKSPACE),
    "machinelearningservices:WorkspaceConnection": ArmType(_ML, "connections", "connectionName", _IN_WORKSPACE),
    # PUT .../workspaces/{workspaceName}/outboundRules/{ruleName} (2025-12-01).
    "machinelearningservices:ManagedNetworkSettingsRule": ArmType(_ML, "outboundRules", "ruleName", _IN_WORKSPACE),
    "storage:StorageAccount": ArmType(_ST, "storageAccounts", "accountName"),
    "storage:BlobServiceProperties": ArmType(_ST, "blobServices", "blobServicesName", _IN_ACCOUNT, "default"),
    "storage:FileServiceProperties": ArmType(_ST, "fileServices", "fileServicesName", _IN_ACCOUNT, "default"),
    "storage:ManagementPolicy": ArmType(_ST, "managementPolicies", "managementPolicyName", _IN_ACCOUNT, "default"),
    "storage:BlobContainer": ArmType(_ST, "containers", "containerName", (*_IN_ACCOUNT, ("blobServices", "default"))),
    "storage:FileShare": ArmType(_ST, "shares", "shareName", (*_IN_ACCOUNT, ("fileServices", "default"))),
    "keyvault:Vault": ArmType("Microsoft.KeyVault", "vaults", "vaultName"),
    "keyvault:Secret": ArmType("Microsoft.KeyVault", "secrets", "secretName", (("vaults", "vaultName"),)),
    "operationalinsights:Workspace": ArmType("Microsoft.OperationalInsights", "workspaces", "workspaceName"),
    "applicationinsights:Component": ArmType("Microsoft.Insights", "components", "resourceName"),
    "containerregistry:Registry": ArmType("Microsoft.ContainerRegistry", "registries", "registryName"),
    "managedidentity:UserAssignedIdentity": ArmType(
        "Microsoft.ManagedIdentity", "userAssignedIdentities", "resourceName"
    ),
    "network:VirtualNetwork": ArmType(_NET, "virtualNetworks", "virtualNetworkName"),
    "network:Subnet": ArmType(_NET, "subnets", "subnetName", (("virtualNetworks", "virtualNetworkName"),)),
    "network:PrivateEndpoint": ArmType(_NET, "privateEndpoints", "privateEndpointName"),
    "network:NetworkSecurityGroup": ArmType(_NET, "networkSecurityGroups", "networkSecurityGroupName"),
    "network:PrivateZone": ArmType(_NET, "privateDnsZones", "privateZoneName"),
    "privatedns:PrivateZone": ArmType(_NET, "privateDnsZones", "privateZoneName"),
    "privatedns:VirtualNetworkLink": ArmType(
        _NET, "virtualNetworkLinks", "virtualNetworkLinkName", (("privateDnsZones", "privateZoneName"),)
    ),
    "network:VirtualNetworkPeering": ArmType(
        _NET, "virtualNetworkPeerings", "virtualNetworkPeeringName", (("virtualNetworks", "virtualNetworkName"),)
    ),
    "network:PrivateDnsZoneGroup": ArmType(
        _NET, "privateDnsZoneGroups", "privateDnsZoneGroupName", (("privateEndpoints", "privateEndpointName"),)
    ),
    "machinelearningservices:OnlineEndpoint": ArmType(_ML, "onlineEndpoints", "endpointName", _IN_WORKSPACE),
    "containerservice:ManagedCluster": ArmType("Microsoft.ContainerService", "managedClusters", "resourceName"),
    "kubernetesconfiguration:Extension": ArmType("Microsoft.KubernetesConfiguration", "extensions", "extensionName"),
    "containerservice:ManagedNamespace": ArmType(
        "Microsoft.ContainerService",
        "managedNamespaces",
        "managedNamespaceName",
        (("managedClusters", "resourceName"),),
    ),
    "containerservice:TrustedAccessRoleBinding": ArmType(
        "Microsoft.ContainerService",
        "trustedAccessRoleBindings",
        "trustedAccessRoleBindingName",
        (("managedClusters", "resourceName"),),
    ),
    # Extension resources: their ids hang off the resource they extend (see AzureMocks.new_resource).
    "authorization:RoleAssignment": ArmType("Microsoft.Authorization", "roleAssignments", "roleAssignmentName"),
    "monitor:DiagnosticSetting": ArmType("Microsoft.Insights", "diagnosticSettings", "name"),
}

# ARM namespaces of azure-native modules whose name is not simply `Microsoft.<Module>`.
_NAMESPACES: dict[str, str] = {
    "applicationinsights": "Microsoft.Insights",
    "authorization": "Microsoft.Authorization",
    "cognitiveservices": "Microsoft.CognitiveServices",
    "compute": "Microsoft.Compute",
    "containerinstance": "Microsoft.ContainerInstance",
    "containerregistry": "Microsoft.ContainerRegistry",
    "containerservice": "Microsoft.ContainerService",
    "dbforpostgresql": "Microsoft.DBforPostgreSQL",
    "documentdb": "Microsoft.DocumentDB",
    "eventhub": "Microsoft.EventHub",
    "insights": "Microsoft.Insights",
    "keyvault": "Microsoft.KeyVault",
    "machinelearningservices": _ML,
    "managedidentity": "Microsoft.ManagedIdentity",
    "monitor": "Microsoft.Insights",
    "network": _NET,
    "operationalinsights": "Microsoft.OperationalInsights",
    "privatedns": _NET,
    "resources": "Microsoft.Resources",
    "search": "Microsoft.Search",
    "servicebus": "Microsoft.ServiceBus",
    "sql": "Microsoft.Sql",
    "storage": _ST,
    "web": "Microsoft.Web",
}


class StackReferenceError(pulumi.RunError):
    """A program references a stack whose outputs the plan was not given: one line, exit 2."""

    def __init__(self, name: str, known: list[str]) -> None:
        given = f" (given: {', '.join(known)})" if known else ""
        super().__init__(
            f"stack reference {name!r}: the offline plan has no outputs for it{given}; pass "
            f"--stack-outputs {name}=FILE with what `pulumi stack output --json --stack {name}` prints"
        )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def arm_type(module_type: str) -> ArmType:
    """The ARM shape of ``module:Resource`` (the type token without ``azure-native:``), with a
    guess for types not in the table: ``Microsoft.<Module>/<resource>s`` named by ``<resource>Name``."""
    known = ARM_TYPES.get(module_type)
    if known is not None:
        return known
    module, _, resource = module_type.partition(":")
    namespace = _NAMESPACES.get(module, f"Microsoft.{module[:1].upper()}{module[1:]}")
    return ArmType(namespace, _lower_first(resource) + "s", _lower_first(resource) + "Name")


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# How a secret is marked inside property values (pulumi/runtime/rpc.py).
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"


def _unwrap_secret(value: Any) -> tuple[Any, bool]:
    """The value inside a secret wrapper, and whether there was one."""
    if isinstance(value, Mapping) and value.get(SIG_KEY) == SECRET_SIG:
        return value.get("value"), True
    return value, False


def _wrap_secret(value: Any, secret: bool) -> Any:
    return {SIG_KEY: SECRET_SIG, "value": value} if secret else value


def _plain_inputs(value: Any) -> Any:
    """Inputs with secret wrappers removed (a refusal compares values, secret or not)."""
    inner, _ = _unwrap_secret(value)
    if isinstance(inner, Mapping):
        return {k: _plain_inputs(v) for k, v in inner.items()}
    if isinstance(inner, list):
        return [_plain_inputs(v) for v in inner]
    return inner


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _guid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "pulumi-azureml-plan|" + "|".join(parts)))


class AzureMocks(pulumi.runtime.Mocks):
    """Pulumi mocks that answer resource registrations and invokes the way Azure would.

    ``subscription_id`` / ``tenant_id`` are what ``getClientConfig`` reports and what ARM ids are
    built from; they default to obvious placeholders.
    """

    def __init__(
        self,
        subscription_id: str | None = None,
        tenant_id: str | None = None,
        stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.subscription_id = subscription_id or PLACEHOLDER_SUBSCRIPTION
        self.tenant_id = tenant_id or PLACEHOLDER_TENANT
        self.stack_outputs = dict(stack_outputs or {})
        """Outputs of the stacks a program references (``StackReference``), by fully qualified name."""
        self.refusals = Refusals()
        """What Azure would refuse, checked as each resource registers."""
        self.invented: set[str] = set()
        """Every string the mocks made up (ids, auto-names, computed values): known only after apply."""
        self.origins: dict[str, tuple[str, str]] = {}
        """What an invented value stands for: (URN, output path) of the resource that answered it first
        (``id``, ``name``, ``identity.principalId``, ``properties.vaultUri``...)."""
        self._current = threading.local()

    @contextmanager
    def registering(self, urn: str) -> Iterator[None]:
        """Tell :meth:`new_resource` (called on this thread) the URN of the resource it answers for."""
        self._current.urn = urn
        try:
            yield
        finally:
            self._current.urn = None

    def _seed(self, args: pulumi.runtime.MockResourceArgs) -> str:
        urn: str | None = getattr(self._current, "urn", None)
        return urn or f"{args.typ}::{args.name}"

    def _invent(self, value: str) -> str:
        self.invented.add(value)
        return value

    # -- invokes ---------------------------------------------------------------------------
    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:  # type: ignore[override]
        # A plain dict (not a tuple) means "no check failures" to the mock monitor.
        if args.token == CLIENT_CONFIG_TOKEN:
            return {
                "clientId": PLACEHOLDER_CLIENT,
                "objectId": PLACEHOLDER_OBJECT,
                "subscriptionId": self.subscription_id,
                "tenantId": self.tenant_id,
            }
        if args.token == LIST_KEYS_TOKEN:
            # Never a real key; the program must treat it as a secret either way.
            account = str(args.args.get("accountName", ""))
            return {
                "keys": [
                    {"keyName": "key1", "permissions": "FULL", "value": self._invent(f"offline-plan-key-of-{account}")}
                ]
            }
        # Other invokes echo their arguments, so programs keep running.
        return dict(args.args)

    # -- resources -------------------------------------------------------------------------
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        seed = self._seed(args)
        rid, state = self._answer(args, seed)
        if args.typ.startswith("azure-native:"):
            if not args.resource_id:
                # A resource read by id (Resource.get) or imported is not created: nothing to refuse.
                self.refusals.check(seed, args.typ.split(":", 1)[1], _plain_inputs(args.inputs), rid or "")
            if rid in self.invented:
                self.origins.setdefault(rid, (seed, "id"))
            self._record_origins(seed, state, "")
        return rid, state

    def _record_origins(self, urn: str, value: Any, path: str) -> None:
        """Remember which output each invented value in ``value`` is. The first resource to answer with a
        value is its origin: a later one only passes it on (an input holding another resource's id)."""
        if isinstance(value, str):
            if value in self.invented:
                self.origins.setdefault(value, (urn, path))
        elif isinstance(value, Mapping) and SIG_KEY not in value:
            for key, item in value.items():
                # Map keys that are ids (userAssignedIdentities) make no output path.
                if isinstance(key, str) and _IDENTIFIER.fullmatch(key):
                    self._record_origins(urn, item, f"{path}.{key}" if path else key)

    def _answer(self, args: pulumi.runtime.MockResourceArgs, seed: str) -> tuple[str | None, dict[str, Any]]:
        inputs: dict[str, Any] = dict(args.inputs)
        if args.typ == STACK_REFERENCE_TYPE:
            return self._stack_reference(str(args.resource_id or inputs.get("name") or args.name))
        if not args.typ.startswith("azure-native:"):
            # Other providers: an id, and their inputs as the state.
            return args.resource_id or self._invent(f"{args.name}-{_digest(seed)[:8]}"), inputs
        module_type = args.typ.split(":", 1)[1]
        if module_type == "resources:ResourceGroup":
            name = self._name(inputs, "resourceGroupName", args.name, seed)
            rid = f"/subscriptions/{self.subscription_id}/resourceGroups/{name}"
            return args.resource_id or self._invent(rid), {**inputs, "name": name}
        if module_type == "authorization:RoleAssignment":
            # azure-native names role assignments with a random GUID.
            name = self._name(inputs, "roleAssignmentName", args.name, seed, guid=True)
            rid = f"{inputs.get('scope', '')}/providers/Microsoft.Authorization/roleAssignments/{name}"
            state = {**inputs, "name": name, "type": "Microsoft.Authorization/roleAssignments"}
            return args.resource_id or self._invent(rid), state
        if module_type == "monitor:DiagnosticSetting":
            # An extension resource: its id hangs off the resource it watches.
            name = self._name(inputs, "name", args.name, seed)
            rid = f"{inputs.get('resourceUri', '')}/providers/Microsoft.Insights/diagnosticSettings/{name}"
            state = {**inputs, "name": name, "type": "Microsoft.Insights/diagnosticSettings"}
            return args.resource_id or self._invent(rid), state
        if module_type == "kubernetesconfiguration:Extension":
            # An extension resource: <cluster id>/providers/Microsoft.KubernetesConfiguration/extensions/<name>.
            name = self._name(inputs, "extensionName", args.name, seed)
            cluster = (
                f"/subscriptions/{self.subscription_id}/resourceGroups/{inputs.get('resourceGroupName', '')}/providers/"
                f"{inputs.get('clusterRp', '')}/{inputs.get('clusterResourceName', '')}/{inputs.get('clusterName', '')}"
            )
            rid = f"{cluster}/providers/Microsoft.KubernetesConfiguration/extensions/{name}"
            state = {**inputs, "name": name, "type": "Microsoft.KubernetesConfiguration/extensions"}
            return args.resource_id or self._invent(rid), state
        arm = arm_type(module_type)
        name = arm.fixed_name or self._name(inputs, arm.name_key, args.name, seed)
        rid = args.resource_id or self._invent(self._arm_id(inputs, arm, name))
        state = {**inputs, "name": name, "type": f"{arm.namespace}/{arm.collection}"}
        state.update(self._computed(module_type, inputs, name, rid))
        return rid, state

    def _stack_reference(self, name: str) -> tuple[str, dict[str, Any]]:
        """A referenced stack's outputs, from the file given for it (``--stack-outputs NAME=FILE``).

        ``pulumi stack output --json`` prints secrets as ``"[secret]"``: those outputs stay secret.
        """
        if name not in self.stack_outputs:
            raise StackReferenceError(name, sorted(self.stack_outputs))
        outputs = dict(self.stack_outputs[name])
        secret = sorted(k for k, v in outputs.items() if v == "[secret]")
        return name, {"name": name, "outputs": outputs, "secretOutputNames": secret}

    def _name(self, inputs: Mapping[str, Any], key: str, resource_name: str, seed: str, guid: bool = False) -> str:
        given = inputs.get(key)
        if isinstance(given, str) and given:
            return given
        # azure-native auto-names: the Pulumi name plus a random 8-character suffix. Ours is derived
        # from the URN, so plans are stable.
        return self._invent(_guid(seed) if guid else f"{resource_name}{_digest(seed)[:8]}")

    def _arm_id(self, inputs: Mapping[str, Any], arm: ArmType, name: str) -> str:
        group = inputs.get("resourceGroupName") or "unknown-resource-group"
        path = "".join(f"/{collection}/{inputs.get(key, key)}" for collection, key in arm.parents)
        return (
            f"/subscriptions/{self.subscription_id}/resourceGroups/{group}/providers/{arm.namespace}"
            f"{path}/{arm.collection}/{name}"
        )

    def _identity(self, identity: Mapping[str, Any], seed: str) -> dict[str, Any]:
        out: dict[str, Any] = dict(identity)
        if "SystemAssigned" in str(identity.get("type", "")):
            out["principalId"] = self._invent(_guid(seed, "principalId"))
            out["tenantId"] = self.tenant_id
        # Inputs list user-assigned identity ids; Azure answers with a map of id -> principal/client id.
        assigned = identity.get("userAssignedIdentities")
        if isinstance(assigned, list):
            out["userAssignedIdentities"] = {
                str(uai): {
                    "principalId": self._invent(_guid(str(uai), "principalId")),
                    "clientId": self._invent(_guid(str(uai), "clientId")),
                }
                for uai in assigned
            }
        return out

    def _computed(self, module_type: str, inputs: Mapping[str, Any], name: str, rid: str) -> dict[str, Any]:
        """Properties only Azure computes, with plausible deterministic values (seeded by the ARM id)."""
        location = str(inputs.get("location") or "westeurope")
        out: dict[str, Any] = {}
        identity, secret_identity = _unwrap_secret(inputs.get("identity"))
        if isinstance(identity, Mapping):
            out["identity"] = _wrap_secret(self._identity(identity, rid), secret_identity)
        # An object with a secret inside arrives as one secret: look inside, keep it secret.
        properties, secret_properties = _unwrap_secret(inputs.get("properties"))
        properties = dict(properties) if isinstance(properties, Mapping) else {}
        if module_type == "machinelearningservices:Workspace":
            out.update(
                workspaceId=self._invent(_guid(rid, "workspaceId")),
                discoveryUrl=self._invent(f"https://{location}.api.azureml.ms/discovery"),
                mlFlowTrackingUri=self._invent(f"azureml://{location}.api.azureml.ms/mlflow/v1.0{rid}"),
                tenantId=self.tenant_id,
                storageHnsEnabled=False,
            )
        elif module_type == "machinelearningservices:Registry":
            out.update(self._registry(inputs, name, rid, location))
        elif module_type == "storage:StorageAccount":
            out["primaryEndpoints"] = {
                service: self._invent(f"https://{name}.{service}.core.windows.net/")
                for service in ("blob", "dfs", "file", "queue", "table", "web")
            }
            out["primaryLocation"] = location
        elif module_type == "keyvault:Vault":
            properties["vaultUri"] = self._invent(f"https://{name}.vault.azure.net/")
            out["properties"] = _wrap_secret(properties, secret_properties)
        elif module_type == "keyvault:Secret":
            uri = self._invent(f"https://{inputs.get('vaultName', 'vault')}.vault.azure.net/secrets/{name}")
            properties.update(secretUri=uri, secretUriWithVersion=self._invent(f"{uri}/{_digest(rid)[:32]}"))
            # Azure never returns a secret's value; without it, nothing else here is secret.
            properties.pop("value", None)
            out["properties"] = properties
        elif module_type == "containerregistry:Registry":
            out["loginServer"] = self._invent(f"{name.lower()}.azurecr.io")
        elif module_type == "applicationinsights:Component":
            key = self._invent(_guid(rid, "instrumentationKey"))
            app_id = self._invent(_guid(rid, "appId"))
            out.update(
                instrumentationKey=key,
                appId=app_id,
                connectionString=self._invent(
                    f"InstrumentationKey={key};IngestionEndpoint=https://{location}-0.in.applicationinsights.azure.com/;"
                    f"ApplicationId={app_id}"
                ),
            )
        elif module_type == "operationalinsights:Workspace":
            out["customerId"] = self._invent(_guid(rid, "customerId"))
        elif module_type == "managedidentity:UserAssignedIdentity":
            out.update(
                principalId=self._invent(_guid(rid, "principalId")),
                clientId=self._invent(_guid(rid, "clientId")),
                tenantId=self.tenant_id,
            )
        else:
            out.update(self._computed_inference(module_type, inputs, name, rid, properties, secret_properties))
        return out

    def _computed_inference(
        self,
        module_type: str,
        inputs: Mapping[str, Any],
        name: str,
        rid: str,
        properties: dict[str, Any],
        secret_properties: bool,
    ) -> dict[str, Any]:
        """What Azure computes for online endpoints and AKS clusters."""
        location = str(inputs.get("location") or "westeurope")
        if module_type == "machinelearningservices:OnlineEndpoint":
            base = f"https://{name}.{location}.inference.ml.azure.com"
            properties.update(scoringUri=self._invent(f"{base}/score"), swaggerUri=self._invent(f"{base}/swagger.json"))
            return {"properties": _wrap_secret(properties, secret_properties)}
        if module_type == "containerservice:ManagedCluster":
            return {
                "fqdn": self._invent(f"{name}-{_digest(rid)[:8]}.hcp.{location}.azmk8s.io"),
                "oidcIssuerProfile": {
                    **dict(inputs.get("oidcIssuerProfile") or {}),
                    "issuerURL": self._invent(f"https://{location}.oic.prod-aks.azure.com/{_guid(rid, 'oidc')}/"),
                },
            }
        return {}

    def _registry(self, inputs: Mapping[str, Any], name: str, rid: str, location: str) -> dict[str, Any]:
        """An Azure ML registry's computed properties, shaped as `az ml registry show` reports them: a
        managed resource group ``azureml-rg-<name>_<guid>`` holding one storage account per region
        and one container registry replicated to every region (the same ACR id in each region)."""
        group = f"/subscriptions/{self.subscription_id}/resourceGroups/azureml-rg-{name}_{_guid(rid, 'managedRg')}"
        acr = self._invent(f"{group}/providers/Microsoft.ContainerRegistry/registries/{_digest(rid + '|acr')[:11]}")
        regions = [
            self._registry_region(detail, group, acr, rid) if isinstance(detail, Mapping) else detail
            for detail in inputs.get("regionDetails") or []
        ]
        return {
            "discoveryUrl": self._invent(
                f"https://{location}.api.azureml.ms/registrymanagement/v1.0/registries/{name}/discovery"
            ),
            "mlFlowRegistryUri": self._invent(f"azureml://{location}.api.azureml.ms/mlflow/v1.0{rid}"),
            "managedResourceGroup": {"resourceId": self._invent(group)},
            "regionDetails": regions,
        }

    def _registry_region(self, detail: Mapping[str, Any], group: str, acr: str, rid: str) -> dict[str, Any]:
        """One region of a registry with the names and ids of its system-created accounts filled in."""
        account = _digest(f"{rid}|{detail.get('location', '')}")[:11]
        made = {
            "systemCreatedStorageAccount": {
                "storageAccountName": self._invent(account),
                "armResourceId": {
                    "resourceId": self._invent(f"{group}/providers/Microsoft.Storage/storageAccounts/{account}")
                },
            },
            "systemCreatedAcrAccount": {
                "acrAccountName": self._invent(acr.rsplit("/", 1)[-1]),
                "armResourceId": {"resourceId": acr},
            },
        }

        def filled(items: Any, key: str) -> list[Any]:
            return [
                {**item, key: {**item[key], **made[key]}}
                if isinstance(item, Mapping) and isinstance(item.get(key), Mapping)
                else item
                for item in items or []
            ]

        return {
            **detail,
            "storageAccountDetails": filled(detail.get("storageAccountDetails"), "systemCreatedStorageAccount"),
            "acrDetails": filled(detail.get("acrDetails"), "systemCreatedAcrAccount"),
        }
