"""The arguments of :class:`~pulumi_azureml.registry.MachineLearningRegistry`, declared once.

``RegistrySettings`` is what a shared stack's ``registry`` config key holds (camelCase keys:
``registry.replicationRegions[0].location``); ``RegistryArgs`` adds what the stack supplies (the
workload and environment tokens of the names, and the resource group).

What Azure allows (and what it does not):

- A registry replicates its assets to every region it lists. Each region gets a storage account
  created by the service; one Azure Container Registry, created by the service, is replicated to
  every region (how-to-manage-registries.md: "First, Azure blob storage accounts in each supported
  region. Second, a single Azure Container Registry with replication enabled to each supported
  region"). Both live in a managed resource group ``azureml-rg-<registry>_<guid>``
  (how-to-registry-network-isolation.md).
- Only system-created accounts are possible: "Using existing Azure resource instances for those
  when creating the registry is not supported" (``az ml registry create`` reference); Azure answers
  "Creating registry using an existing storage account is not permitted" (Azure/bicep-types-az#1805),
  and API 2025-12-01 has no ``userCreated...`` fields left. There is no setting for them here.
- The container registry is Premium: Learn's REST example creates it so, azurerm always sends
  Premium, and replication to other regions (geo-replication) is a Premium feature of ACR.
- The primary region cannot be changed after creation; additional regions can be added later
  (how-to-manage-registries.md, "Choose Azure regions"). The primary region is the first entry of
  ``regionDetails`` (azurerm writes and reads it so; the CLI's YAML must list it among
  ``replication_locations``, reference-yaml-registry.md).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import pulumi_azure_native.machinelearningservices as ml
from pydantic import Field, model_validator

from ..core.naming import RESOURCE_GROUP_RULE
from ..core.schema import Args, StrCheck, fail
from ..core.types import (
    EnvironmentToken,
    Guid,
    InputStr,
    InstanceToken,
    OverridesOf,
    PublicNetworkAccess,
    Region,
    SubnetId,
    Tags,
    UserAssignedIdentityId,
    Workload,
    name_rule,
)
from ..network.args import ZONES, DnsOptions
from .names import REGISTRY_RULE

# storageAccountType's allowed values (SystemCreatedStorageAccount, registries.json 2025-12-01).
StorageAccountType = Literal[
    "Standard_LRS",
    "Standard_GRS",
    "Standard_RAGRS",
    "Standard_ZRS",
    "Standard_GZRS",
    "Standard_RAGZRS",
    "Premium_LRS",
    "Premium_ZRS",
]
RegistryIdentityType = Literal["SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"]
PrincipalType = Literal["ServicePrincipal", "User", "Group"]
RegistryName = Annotated[str, name_rule(REGISTRY_RULE)]

_LABEL = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


def _label_check(value: str) -> None:
    if not _LABEL.fullmatch(value):
        raise ValueError("must be 1-40 lowercase letters, digits and '-', starting with a letter or digit")


GrantLabel = Annotated[
    str,
    StrCheck(_label_check, {"type": "string", "pattern": f"^{_LABEL.pattern}$"}, outputs=False, label="label"),
]
"""The stable token of a role assignment's Pulumi name (``<registry>-ra-<label>-<role>``)."""


class RegistryRegion(Args):
    """An additional region the registry replicates its assets to."""

    location: Region
    """The region, as ARM spells it (``northeurope``)."""
    storage_account_type: StorageAccountType | None = None
    """SKU of the storage account the service creates in this region. Default: the registry's
    ``storageAccountType``."""
    storage_hns_enabled: bool | None = None
    """Hierarchical namespace (Data Lake Storage Gen2) on that account. Default: the registry's
    ``storageHnsEnabled``."""


class RegistryIdentity(Args):
    """The registry's managed identity."""

    type: RegistryIdentityType = "SystemAssigned"
    """Learn creates registries with a system-assigned identity; the API's identity is the common
    ARM ``ManagedServiceIdentity``, so user-assigned ones are accepted by its schema (whether the
    service uses them is unconfirmed)."""
    user_assigned_identity_ids: Annotated[list[UserAssignedIdentityId], Field(max_length=10)] = []
    """ARM ids of existing user-assigned identities (with a type that includes ``UserAssigned``)."""

    @model_validator(mode="after")
    def _ids_with_type(self) -> RegistryIdentity:
        if "UserAssigned" in self.type and not self.user_assigned_identity_ids:
            fail("user_assigned_identity_ids", [], f"is required with type {self.type}")
        if "UserAssigned" not in self.type and self.user_assigned_identity_ids:
            fail("user_assigned_identity_ids", "[...]", "needs type UserAssigned or SystemAssigned,UserAssigned")
        return self


class RegistryPrincipal(Args):
    """A principal granted a role on the registry."""

    name: GrantLabel
    """Short, stable name of the grant, in its Pulumi name (``<registry>-ra-<name>-<role>``):
    changing it re-creates the assignment."""
    principal_id: Guid
    """The Entra object id (of a managed identity: its principal id)."""
    principal_type: PrincipalType = "ServicePrincipal"
    """``ServicePrincipal`` (managed identities and CI principals), ``User`` or ``Group``."""


class RegistrySettings(Args):
    """An Azure ML registry: where it lives, the regions it replicates to, who reaches it and how."""

    name: RegistryName | None = None
    """Registry name: 3-32 letters, digits, '-' or '_', starting with a letter or digit, unique in the
    Entra tenant and fixed at creation (it is part of every asset id). Default
    ``mlr-<workload>-<env>-<region>``."""
    location: Region
    """Primary region, as ARM spells it (``westeurope``). It cannot be changed after creation."""
    replication_regions: Annotated[list[RegistryRegion], Field(max_length=50)] = []
    """Additional regions to replicate assets to (not the primary one, which always comes first).
    Regions can be added later; list every region with workspaces that use the registry."""
    storage_account_type: StorageAccountType = "Standard_LRS"
    """SKU of the storage account the service creates in each region (Learn's example:
    ``Standard_LRS``; ``Standard_ZRS`` for zone redundancy where the region offers it)."""
    storage_hns_enabled: bool = False
    """Hierarchical namespace on those accounts: off gives Blob storage, on Data Lake Storage Gen2."""
    public_network_access: PublicNetworkAccess | None = None
    """The registry's public endpoint. Default: ``Disabled`` with a private endpoint, else
    ``Enabled``. With it disabled, studio shows only models and manages nothing: use the CLI or
    SDK (how-to-registry-network-isolation.md, "Limitations")."""
    identity: RegistryIdentity = RegistryIdentity()
    """The registry's managed identity."""
    private_endpoint_subnet_id: SubnetId | None = None
    """ARM id of a subnet for a private endpoint to the registry (group ``amlregistry``). Create it
    in the subnet of your workspaces' private endpoints (how-to-registry-network-isolation.md)."""
    private_endpoint_location: Region | None = None
    """Region of the private endpoint: the subnet's virtual network's region (a private endpoint
    lives in its network's region). Default: the registry's ``location``."""
    private_endpoint_dependents: bool = False
    """Also make private endpoints to the registry's system-created storage accounts (``blob``, one
    per region) and its container registry, which Learn asks for beside the registry's own. They
    target resources in the service's managed resource group, known only once the registry exists."""
    dns: DnsOptions = DnsOptions()
    """Private DNS for the endpoints: ``create`` makes ``privatelink.api.azureml.ms`` (and, with
    ``privateEndpointDependents``, the blob and ACR zones) here and links it to the subnet's
    network; a network can be linked to one zone of a name only, so when a workspace stack already
    links that zone to the network, use ``existing`` with its zone id."""
    manual_approval: bool = False
    """Request the private endpoints for their owner to approve instead of approving them as the
    deploying principal."""
    readers: Annotated[list[RegistryPrincipal], Field(max_length=100)] = []
    """Principals that use the registry's assets: Reader on the registry (see
    :meth:`MachineLearningRegistry.grant_read`)."""
    publishers: Annotated[list[RegistryPrincipal], Field(max_length=100)] = []
    """Principals that create and delete assets in it: AzureML Registry User (see
    :meth:`MachineLearningRegistry.grant_publish`)."""
    tags: Tags = {}
    """Added to the registry (and its resource group and endpoints), after ``workload``,
    ``environment`` and ``managed-by``."""
    protect: bool = False
    """Pulumi ``protect`` on the registry and a resource group created for it: deleting a registry
    deletes every asset in it."""
    overrides: Annotated[dict[str, Any], OverridesOf(ml.RegistryArgs)] = {}
    """Escape hatch: keyword arguments for ``machinelearningservices.RegistryArgs``."""

    @property
    def effective_public_network_access(self) -> PublicNetworkAccess:
        if self.public_network_access is not None:
            return self.public_network_access
        return "Disabled" if self.private_endpoint_subnet_id is not None else "Enabled"

    def endpoint_groups(self) -> list[str]:
        """The private endpoint groups of the endpoints made here (for their DNS zones)."""
        if self.private_endpoint_subnet_id is None:
            return []
        return ["amlregistry", *(["blob", "registry"] if self.private_endpoint_dependents else [])]

    def regions(self) -> list[tuple[str, StorageAccountType, bool]]:
        """Every region, primary first: (location, storage account type, hierarchical namespace)."""
        out: list[tuple[str, StorageAccountType, bool]] = [
            (self.location, self.storage_account_type, self.storage_hns_enabled)
        ]
        for region in self.replication_regions:
            kind = region.storage_account_type or self.storage_account_type
            hns = self.storage_hns_enabled if region.storage_hns_enabled is None else region.storage_hns_enabled
            out.append((region.location, kind, hns))
        return out

    @model_validator(mode="after")
    def _regions(self) -> RegistrySettings:
        seen: set[str] = set()
        for i, region in enumerate(self.replication_regions):
            if region.location == self.location:
                fail(
                    ("replication_regions", i, "location"),
                    region.location,
                    "is the primary region (location), which is always the registry's first region; list only "
                    "the additional regions",
                )
            if region.location in seen:
                fail(("replication_regions", i, "location"), region.location, "lists a region twice")
            seen.add(region.location)
        return self

    @model_validator(mode="after")
    def _network(self) -> RegistrySettings:
        if self.private_endpoint_subnet_id is None:
            given = {
                "private_endpoint_location": self.private_endpoint_location,
                "private_endpoint_dependents": self.private_endpoint_dependents or None,
                "dns": "{...}" if "dns" in self.model_fields_set else None,
                "manual_approval": self.manual_approval or None,
            }
            for key, value in given.items():
                if value is not None:
                    fail(key, value, "is only used with private_endpoint_subnet_id (a private endpoint)")
        if self.dns.mode == "existing":
            needed = sorted({zone for group in self.endpoint_groups() for zone in ZONES[group]})
            missing = [zone for zone in needed if zone not in self.dns.zone_ids]
            if missing:
                fail(
                    "dns.zone_ids",
                    sorted(self.dns.zone_ids),
                    f"must name every zone the endpoints need; missing {missing}",
                )
        return self

    @model_validator(mode="after")
    def _principals(self) -> RegistrySettings:
        for key in ("readers", "publishers"):
            names: set[str] = set()
            for i, who in enumerate(getattr(self, key)):
                if who.name in names:
                    fail((key, i, "name"), who.name, f"names must be unique among the {key}")
                names.add(who.name)
        return self


class RegistryArgs(RegistrySettings):
    """Arguments of :class:`~pulumi_azureml.registry.MachineLearningRegistry`: the settings, and what
    the stack supplies. A registry lives in a stack of its own (shared by every environment), not
    on a workspace."""

    workload: Workload
    """Short workload token used in the default names: 2-10 lowercase letters and digits, starting
    with a letter."""
    environment: EnvironmentToken
    """Environment token used in names and tags (``shared`` for a registry every environment uses)."""
    instance: InstanceToken | None = None
    """Instance number (2-3 digits) appended to the default names."""
    resource_group_name: Annotated[InputStr, name_rule(RESOURCE_GROUP_RULE, outputs=True)] | None = None
    """Use this existing resource group instead of creating ``rg-<workload>-<env>-<region>``."""
