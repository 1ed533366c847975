"""The network side of a workspace platform, declared once: where private endpoints go, which DNS
answers for them, and what the managed network may reach.

Inbound (users to the platform) and outbound (computes to the world) are different networks. A
workspace's *managed network* (``workspace.isolationMode``) isolates its computes' outbound
traffic; a *virtual network of yours* carries the private endpoints through which users, CI and
peered networks reach the workspace and its storage, key vault and registry
(``how-to-managed-network.md``: "An Azure Virtual Network that you create and manage is used to
provide network isolation inbound access to the workspace").
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..core.naming import SUBNET_RULE, VIRTUAL_NETWORK_RULE
from ..core.schema import Args, StrCheck, fail
from ..core.types import Cidr, PrivateDnsZoneId, SubnetId, VirtualNetworkId, name_rule

NetworkMode = Literal["create", "existing", "none"]
DnsMode = Literal["create", "existing", "none"]
StorageSubresource = Literal["blob", "file", "dfs", "queue", "table"]

# The privatelink zones of each private endpoint group (Azure public cloud): Azure ML's two
# (how-to-custom-dns.md), and each dependent's (private-endpoint-dns.md). An Azure ML registry
# (group amlregistry) answers in the workspace's API zone only (private-endpoint-dns.md; its FQDN is
# <registry-guid>.registry.<region>.privatelink.api.azureml.ms, how-to-registry-network-isolation.md).
ZONES: dict[str, tuple[str, ...]] = {
    "amlworkspace": ("privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"),
    "amlregistry": ("privatelink.api.azureml.ms",),
    "blob": ("privatelink.blob.core.windows.net",),
    "file": ("privatelink.file.core.windows.net",),
    "dfs": ("privatelink.dfs.core.windows.net",),
    "queue": ("privatelink.queue.core.windows.net",),
    "table": ("privatelink.table.core.windows.net",),
    "vault": ("privatelink.vaultcore.azure.net",),
    "registry": ("privatelink.azurecr.io",),
}
ZoneName = Literal[
    "privatelink.api.azureml.ms",
    "privatelink.notebooks.azure.net",
    "privatelink.blob.core.windows.net",
    "privatelink.file.core.windows.net",
    "privatelink.dfs.core.windows.net",
    "privatelink.queue.core.windows.net",
    "privatelink.table.core.windows.net",
    "privatelink.vaultcore.azure.net",
    "privatelink.azurecr.io",
]

_REASON = re.compile(r"\S.{0,499}", re.DOTALL)


def _reason_check(value: str) -> None:
    if not _REASON.fullmatch(value):
        raise ValueError("must say why (1-500 characters)")


Reason = Annotated[str, StrCheck(_reason_check, {"type": "string", "minLength": 1}, outputs=False, label="reason")]


class SubnetOptions(Args):
    """A subnet of the created virtual network."""

    address_prefix: Cidr
    """Its address block, inside the network's address space (``10.20.1.0/24``)."""
    name: Annotated[str, name_rule(SUBNET_RULE)] | None = None
    """Subnet name. Default ``snet-pep``, ``snet-compute`` or ``snet-aks``."""


class DnsOptions(Args):
    """Which private DNS answers for the endpoints: zones created here and linked to the network,
    zones that exist already (a hub's central DNS, possibly in another subscription), or none (a
    hub whose Azure Policy writes the records)."""

    mode: DnsMode = "create"
    """``create``: the privatelink zones the endpoints need, linked to the network. ``existing``:
    ``zoneIds`` names every zone needed. ``none``: no zone groups; records are someone else's."""
    zone_ids: dict[ZoneName, PrivateDnsZoneId] = {}
    """ARM ids of existing zones by zone name (``privatelink.api.azureml.ms: /subscriptions/...``)."""

    @model_validator(mode="after")
    def _ids_with_mode(self) -> DnsOptions:
        if self.zone_ids and self.mode != "existing":
            fail("zone_ids", "{...}", f"are only used with mode existing, not {self.mode}")
        if self.mode == "existing" and not self.zone_ids:
            fail("zone_ids", None, "are required with mode existing: the zone id of each privatelink zone needed")
        return self


class NetworkOptions(Args):
    """Where the platform's private endpoints go. Default: nowhere (no endpoints; dev). The prod
    profile requires a network, or ``mode: none`` with a reason."""

    mode: NetworkMode | None = None
    """``create`` a virtual network, use an ``existing`` subnet, or ``none``. Default: ``create``
    with ``addressSpace``, ``existing`` with ``privateEndpointSubnetId``, else ``none``."""
    address_space: Annotated[list[Cidr], Field(max_length=8)] = []
    """Address blocks of the created virtual network (``[10.20.0.0/16]``)."""
    name: Annotated[str, name_rule(VIRTUAL_NETWORK_RULE)] | None = None
    """Virtual network name. Default ``vnet-<workload>-<env>-<region>``."""
    private_endpoint_subnet: SubnetOptions | None = None
    """The subnet of the private endpoints (required with ``create``)."""
    compute_subnet: SubnetOptions | None = None
    """A subnet for computes in your network (a workspace without managed network isolation)."""
    kubernetes_subnet: SubnetOptions | None = None
    """A subnet for Kubernetes (AKS) nodes."""
    private_endpoint_subnet_id: SubnetId | None = None
    """ARM id of an existing subnet for the private endpoints (``existing``); its virtual network
    gets the DNS links."""
    hub_virtual_network_id: VirtualNetworkId | None = None
    """Peer the created network to this hub network (the spoke's side; the hub's side is the hub
    owner's to add)."""
    use_hub_gateway: bool = False
    """Route through the hub's VPN or ExpressRoute gateway (``useRemoteGateways``); needs one in the hub."""
    private_endpoints: bool = True
    """Private endpoints to the workspace, its storage, key vault and registry, and datastore accounts
    created here."""
    storage_subresources: Annotated[list[StorageSubresource], Field(min_length=1, max_length=5)] = ["blob", "file"]
    """Default storage endpoints: ``blob`` and ``file`` (studio data, notebooks); add ``dfs``,
    ``queue`` and ``table`` where a feature needs them (batch endpoints and ParallelRunStep use
    queue and table)."""
    dns: DnsOptions = DnsOptions()
    """Private DNS for the endpoints."""
    manual_approval: bool = False
    """Request the endpoints to dependents brought by id for their owner to approve
    (``manualPrivateLinkServiceConnections``) instead of approving them as the deploying principal."""
    reason: Reason | None = None
    """Why a prod stack has no network (with ``mode: none``): how its users reach it instead."""

    @property
    def effective_mode(self) -> NetworkMode:
        if self.mode is not None:
            return self.mode
        if self.address_space:
            return "create"
        return "existing" if self.private_endpoint_subnet_id is not None else "none"

    @model_validator(mode="after")
    def _combinations(self) -> NetworkOptions:
        mode = self.effective_mode
        created = ("address_space", "private_endpoint_subnet", "compute_subnet", "kubernetes_subnet", "name")
        if mode != "create":
            for key in created:
                if getattr(self, key):
                    fail(key, getattr(self, key), f"is only used with mode create (mode is {mode})")
        if mode == "create":
            self._check_create()
        if mode == "existing" and self.private_endpoint_subnet_id is None:
            fail("private_endpoint_subnet_id", None, "is required with mode existing")
        if mode != "existing" and self.private_endpoint_subnet_id is not None:
            fail(
                "private_endpoint_subnet_id",
                self.private_endpoint_subnet_id,
                f"is only used with mode existing, not {mode}",
            )
        if mode != "create" and self.hub_virtual_network_id is not None:
            fail("hub_virtual_network_id", self.hub_virtual_network_id, "peering is made for a network created here")
        if self.use_hub_gateway and self.hub_virtual_network_id is None:
            fail("use_hub_gateway", True, "needs hub_virtual_network_id")
        if self.reason is not None and mode != "none":
            fail("reason", self.reason, "is only used with mode none")
        if len(set(self.storage_subresources)) != len(self.storage_subresources):
            fail("storage_subresources", self.storage_subresources, "lists a subresource twice")
        return self

    def _check_create(self) -> None:
        if not self.address_space:
            fail("address_space", [], "is required with mode create (e.g. [10.20.0.0/16])")
        if self.private_endpoint_subnet is None:
            fail("private_endpoint_subnet", None, "is required with mode create (e.g. {addressPrefix: 10.20.1.0/24})")
        spaces = [ipaddress.ip_network(block) for block in self.address_space]
        taken: list[tuple[str, ipaddress.IPv4Network | ipaddress.IPv6Network]] = []
        for key in ("private_endpoint_subnet", "compute_subnet", "kubernetes_subnet"):
            subnet: SubnetOptions | None = getattr(self, key)
            if subnet is None:
                continue
            block = ipaddress.ip_network(subnet.address_prefix)
            if not any(block.subnet_of(space) for space in spaces if block.version == space.version):  # type: ignore[arg-type]
                fail(
                    (key, "address_prefix"),
                    subnet.address_prefix,
                    f"is not inside the address space {self.address_space}",
                )
            for other, other_block in taken:
                if block.overlaps(other_block):
                    fail((key, "address_prefix"), subnet.address_prefix, f"overlaps {other}")
            taken.append((key, block))
        names = [
            s.name for s in (self.private_endpoint_subnet, self.compute_subnet, self.kubernetes_subnet) if s and s.name
        ]
        if len(names) != len(set(names)):
            fail("private_endpoint_subnet", names, "subnet names must differ")

    def needed_zones(self, groups: list[str]) -> list[str]:
        """The privatelink zones the endpoints of these groups need, in a stable order."""
        return sorted({zone for group in groups for zone in ZONES[group]})
