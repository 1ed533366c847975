"""Mocks that answer like Azure: ARM ids, auto-names, and what only the service computes.

Everything is deterministic (derived from the URN), so two plans of the same program are equal.
Every value the mocks invent is remembered, so the plan can mark outputs that are only known
after `pulumi up`.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

PLACEHOLDER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
PLACEHOLDER_TENANT = "00000000-0000-0000-0000-0000000000aa"
PLACEHOLDER_CLIENT = "00000000-0000-0000-0000-0000000000cc"


@dataclass(frozen=True)
class ArmType:
    """Where a resource type lives in ARM and which input carries its name."""

    namespace: str
    collection: str
    name_key: str
    parents: tuple[tuple[str, str], ...] = ()
    """(collection, input key) of parent resources, outermost first."""


_ML = "Microsoft.MachineLearningServices"
_WS_PARENT = (("workspaces", "workspaceName"),)
_ST_PARENT = (("storageAccounts", "accountName"),)

ARM_TYPES: dict[str, ArmType] = {
    "machinelearningservices:Workspace": ArmType(_ML, "workspaces", "workspaceName"),
    "machinelearningservices:Compute": ArmType(_ML, "computes", "computeName", _WS_PARENT),
    "machinelearningservices:Datastore": ArmType(_ML, "datastores", "name", _WS_PARENT),
    "storage:StorageAccount": ArmType("Microsoft.Storage", "storageAccounts", "accountName"),
    "storage:BlobServiceProperties": ArmType("Microsoft.Storage", "blobServices", "blobServicesName", _ST_PARENT),
    "storage:FileServiceProperties": ArmType("Microsoft.Storage", "fileServices", "fileServicesName", _ST_PARENT),
    "storage:BlobContainer": ArmType(
        "Microsoft.Storage", "containers", "containerName", (*_ST_PARENT, ("blobServices", "default"))
    ),
    "storage:FileShare": ArmType(
        "Microsoft.Storage", "shares", "shareName", (*_ST_PARENT, ("fileServices", "default"))
    ),
    "keyvault:Vault": ArmType("Microsoft.KeyVault", "vaults", "vaultName"),
    "keyvault:Secret": ArmType("Microsoft.KeyVault", "secrets", "secretName", (("vaults", "vaultName"),)),
    "operationalinsights:Workspace": ArmType("Microsoft.OperationalInsights", "workspaces", "workspaceName"),
    "applicationinsights:Component": ArmType("Microsoft.Insights", "components", "resourceName"),
    "containerregistry:Registry": ArmType("Microsoft.ContainerRegistry", "registries", "registryName"),
    "managedidentity:UserAssignedIdentity": ArmType(
        "Microsoft.ManagedIdentity", "userAssignedIdentities", "resourceName"
    ),
    "network:VirtualNetwork": ArmType("Microsoft.Network", "virtualNetworks", "virtualNetworkName"),
    "network:Subnet": ArmType(
        "Microsoft.Network", "subnets", "subnetName", (("virtualNetworks", "virtualNetworkName"),)
    ),
    "network:PrivateEndpoint": ArmType("Microsoft.Network", "privateEndpoints", "privateEndpointName"),
}


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _guid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "pulumi-azureml-plan|" + "|".join(parts)))


class AzureMocks(pulumi.runtime.Mocks):
    """Pulumi mocks that answer resource registrations and invokes the way Azure would."""

    def __init__(self, subscription_id: str | None = None, tenant_id: str | None = None) -> None:
        self.subscription_id = subscription_id or PLACEHOLDER_SUBSCRIPTION
        self.tenant_id = tenant_id or PLACEHOLDER_TENANT
        self.invented: set[str] = set()
        """Every string the mocks made up (ids, auto-names, computed values)."""

    def _invent(self, value: str) -> str:
        self.invented.add(value)
        return value

    # -- invokes ---------------------------------------------------------------------------
    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:  # type: ignore[override]
        # A plain dict means "no check failures" to the mock monitor.
        if args.token == "azure-native:authorization:getClientConfig":
            return {
                "clientId": PLACEHOLDER_CLIENT,
                "objectId": PLACEHOLDER_CLIENT,
                "subscriptionId": self.subscription_id,
                "tenantId": self.tenant_id,
            }
        # Unknown invokes echo their arguments so programs keep running.
        return dict(args.args)

    # -- resources -------------------------------------------------------------------------
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        inputs: dict[str, Any] = dict(args.inputs)
        if not args.typ.startswith("azure-native:"):
            # Components never get here; other providers get an id and their inputs back.
            return self._invent(f"{args.name}-{_digest(args.typ, args.name)[:8]}"), inputs
        module_type = args.typ.split(":", 1)[1]
        arm = ARM_TYPES.get(module_type)
        if module_type == "resources:ResourceGroup":
            name = self._name(inputs, "resourceGroupName", args)
            rid = f"/subscriptions/{self.subscription_id}/resourceGroups/{name}"
            return self._invent(rid), {**inputs, "name": name}
        if module_type == "authorization:RoleAssignment":
            name = self._name(inputs, "roleAssignmentName", args, guid=True)
            rid = f"{inputs.get('scope', '')}/providers/Microsoft.Authorization/roleAssignments/{name}"
            return self._invent(rid), {**inputs, "name": name, "type": "Microsoft.Authorization/roleAssignments"}
        if arm is None:
            module, _, resource = module_type.partition(":")
            arm = ArmType(f"Microsoft.{module[:1].upper()}{module[1:]}", resource[:1].lower() + resource[1:] + "s", "")
        name = self._name(inputs, arm.name_key, args)
        rid = self._arm_id(inputs, arm, name)
        state = {**inputs, "name": name, "type": f"{arm.namespace}/{arm.collection}"}
        state.update(self._computed(module_type, inputs, name, rid, args))
        return self._invent(rid), state

    def _name(
        self, inputs: Mapping[str, Any], key: str, args: pulumi.runtime.MockResourceArgs, guid: bool = False
    ) -> str:
        given = inputs.get(key) if key else None
        if isinstance(given, str) and given:
            return given
        # azure-native auto-names from the Pulumi name plus a random suffix; ours is derived from the URN.
        seed = args.typ + "::" + args.name
        return self._invent(_guid(seed) if guid else f"{args.name}{_digest(seed)[:8]}")

    def _arm_id(self, inputs: Mapping[str, Any], arm: ArmType, name: str) -> str:
        rg = inputs.get("resourceGroupName") or "unknown-rg"
        path = "".join(f"/{collection}/{inputs.get(key, key)}" for collection, key in arm.parents)
        return (
            f"/subscriptions/{self.subscription_id}/resourceGroups/{rg}/providers/{arm.namespace}"
            f"{path}/{arm.collection}/{name}"
        )

    def _computed(
        self, module_type: str, inputs: Mapping[str, Any], name: str, rid: str, args: pulumi.runtime.MockResourceArgs
    ) -> dict[str, Any]:
        """Properties only Azure computes, with plausible deterministic values."""
        seed = rid
        location = str(inputs.get("location") or "westeurope")
        out: dict[str, Any] = {}
        identity = inputs.get("identity")
        if isinstance(identity, Mapping):
            ident: dict[str, Any] = dict(identity)
            if "SystemAssigned" in str(identity.get("type", "")):
                ident["principalId"] = self._invent(_guid(seed, "principal"))
                ident["tenantId"] = self.tenant_id
            # The provider takes user-assigned identities as a list of ids and returns a map.
            uais = identity.get("userAssignedIdentities")
            if isinstance(uais, list):
                ident["userAssignedIdentities"] = {
                    uai: {
                        "principalId": self._invent(_guid(str(uai), "principalId")),
                        "clientId": self._invent(_guid(str(uai), "clientId")),
                    }
                    for uai in uais
                }
            out["identity"] = ident
        if module_type == "machinelearningservices:Workspace":
            out.update(
                workspaceId=self._invent(_guid(seed, "workspaceId")),
                discoveryUrl=self._invent(f"https://{location}.api.azureml.ms/discovery"),
                mlFlowTrackingUri=self._invent(f"azureml://{location}.api.azureml.ms/mlflow/v1.0{rid}"),
                tenantId=self.tenant_id,
                storageHnsEnabled=False,
            )
        elif module_type == "storage:StorageAccount":
            out["primaryEndpoints"] = {
                svc: self._invent(f"https://{name}.{svc}.core.windows.net/")
                for svc in ("blob", "dfs", "file", "queue", "table", "web")
            }
        elif module_type == "keyvault:Vault":
            props = dict(inputs.get("properties") or {})
            props["vaultUri"] = self._invent(f"https://{name}.vault.azure.net/")
            out["properties"] = props
        elif module_type == "containerregistry:Registry":
            out["loginServer"] = self._invent(f"{name.lower()}.azurecr.io")
        elif module_type == "applicationinsights:Component":
            key = self._invent(_guid(seed, "instrumentationKey"))
            out.update(
                instrumentationKey=key,
                appId=self._invent(_guid(seed, "appId")),
                connectionString=self._invent(
                    f"InstrumentationKey={key};IngestionEndpoint=https://{location}-0.in.applicationinsights.azure.com/"
                ),
            )
        elif module_type == "operationalinsights:Workspace":
            out["customerId"] = self._invent(_guid(seed, "customerId"))
        elif module_type == "managedidentity:UserAssignedIdentity":
            out.update(
                principalId=self._invent(_guid(seed, "principalId")),
                clientId=self._invent(_guid(seed, "clientId")),
                tenantId=self.tenant_id,
            )
        return out
