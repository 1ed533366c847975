"""The platform's network: a virtual network (or an existing subnet), private DNS, and one private
endpoint per target with its DNS zone group.

Children are named ``<workspace component>-vnet``, ``-snet-<role>``, ``-nsg-<role>``,
``-peering-hub``, ``-dns-<zone>``, ``-dns-link-<zone>`` and ``<owner>-pep-<target>`` (+ ``-dns``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_azure_native.network as network
import pulumi_azure_native.privatedns as privatedns

from ..core.errors import ConfigError
from ..core.naming import ResourceNames
from .args import ZONES, NetworkOptions, SubnetOptions

SUBNET_ROLES = {"private_endpoint_subnet": "pep", "compute_subnet": "compute", "kubernetes_subnet": "aks"}


# Stable Pulumi-name tokens of the zones (never change one: it names deployed zones).
ZONE_TOKENS = {
    "privatelink.api.azureml.ms": "azureml",
    "privatelink.notebooks.azure.net": "notebooks",
    "privatelink.blob.core.windows.net": "blob",
    "privatelink.file.core.windows.net": "file",
    "privatelink.dfs.core.windows.net": "dfs",
    "privatelink.queue.core.windows.net": "queue",
    "privatelink.table.core.windows.net": "table",
    "privatelink.vaultcore.azure.net": "vault",
    "privatelink.azurecr.io": "registry",
}


@dataclass
class PlatformNetwork:
    """What the endpoints of a platform need: the subnet, the zones, and who owns them."""

    options: NetworkOptions
    names: ResourceNames
    resource_group_name: pulumi.Input[str]
    location: pulumi.Input[str]
    tags: Mapping[str, str]
    parent: pulumi.Resource
    name: str
    """The owning component's name (prefix of the children's names)."""
    subnet_ids: dict[str, pulumi.Input[str]] = field(default_factory=dict)
    """Subnet ids by role: ``pep``, ``compute``, ``aks``."""
    zone_ids: dict[str, pulumi.Input[str]] = field(default_factory=dict)
    virtual_network_id: pulumi.Input[str] | None = None
    resources: list[pulumi.Resource] = field(default_factory=list)
    base: list[pulumi.Resource] = field(default_factory=list)
    """The network's own resources (not its DNS zones), which every endpoint waits for."""
    key: str = "network"
    """Where the options came from, as the caller spells it: errors name ``<key>.dns.zone_ids``."""

    def build(self) -> PlatformNetwork:
        o = self.options
        if o.effective_mode == "create":
            self._virtual_network()
        elif o.private_endpoint_subnet_id is not None:
            self.subnet_ids["pep"] = o.private_endpoint_subnet_id
            self.virtual_network_id = pulumi.Output.from_input(o.private_endpoint_subnet_id).apply(
                lambda sid: sid.split("/subnets/")[0]
            )
        if o.dns.mode == "existing":
            self.zone_ids.update({str(zone): zone_id for zone, zone_id in o.dns.zone_ids.items()})
        # Endpoints wait for the network, not for zones made along the way: equal dependencies
        # keep the order they are registered in the same on every plan.
        self.base = list(self.resources)
        return self

    # -- the virtual network ------------------------------------------------------------------

    def _virtual_network(self) -> None:
        o = self.options
        opts = pulumi.ResourceOptions(parent=self.parent)
        vnet = network.VirtualNetwork(
            f"{self.name}-vnet",
            network.VirtualNetworkInitArgs(
                virtual_network_name=o.name or self.names.virtual_network,
                resource_group_name=self.resource_group_name,
                location=self.location,
                address_space=network.AddressSpaceArgs(address_prefixes=list(o.address_space)),
                tags=dict(self.tags),
            ),
            # Subnets are their own resources; azure-native keeps a network's unset subnets on update.
            opts=opts,
        )
        self.virtual_network_id = vnet.id
        self.resources.append(vnet)
        previous: list[pulumi.Resource] = []
        for key, role in SUBNET_ROLES.items():
            subnet: SubnetOptions | None = getattr(o, key)
            if subnet is not None:
                # One subnet at a time: Azure refuses concurrent changes to one network's subnets.
                made = self._subnet(vnet, role, subnet, previous)
                previous = [made]
        if o.hub_virtual_network_id is not None:
            self._peering(vnet)

    def _subnet(
        self, vnet: network.VirtualNetwork, role: str, subnet: SubnetOptions, after: list[pulumi.Resource]
    ) -> network.Subnet:
        nsg = network.NetworkSecurityGroup(
            f"{self.name}-nsg-{role}",
            network.NetworkSecurityGroupInitArgs(
                network_security_group_name=self.names.derived("nsg", role),
                resource_group_name=self.resource_group_name,
                location=self.location,
                # Azure's default rules already allow traffic inside the network and out to the
                # internet and deny the rest inbound; this states the last one at a priority that
                # later rules of yours (100-4095) can precede.
                security_rules=[
                    network.SecurityRuleArgs(
                        name="deny-internet-inbound",
                        priority=4096,
                        direction="Inbound",
                        access="Deny",
                        protocol="*",
                        source_address_prefix="Internet",
                        source_port_range="*",
                        destination_address_prefix="*",
                        destination_port_range="*",
                    )
                ],
                tags=dict(self.tags),
            ),
            opts=pulumi.ResourceOptions(parent=self.parent),
        )
        made = network.Subnet(
            f"{self.name}-snet-{role}",
            network.SubnetInitArgs(
                subnet_name=subnet.name or f"snet-{role}",
                virtual_network_name=vnet.name,
                resource_group_name=self.resource_group_name,
                address_prefix=subnet.address_prefix,
                network_security_group=network.NetworkSecurityGroupArgs(id=nsg.id),
                # NSGs apply to private endpoints only when their network policies are on.
                private_endpoint_network_policies="Enabled" if role == "pep" else None,
                # Endpoints need no internet; computes' outbound (NAT, firewall) is your network's design.
                default_outbound_access=False if role == "pep" else None,
            ),
            opts=pulumi.ResourceOptions(parent=self.parent, depends_on=after),
        )
        self.subnet_ids[role] = made.id
        self.resources += [nsg, made]
        return made

    def _peering(self, vnet: network.VirtualNetwork) -> None:
        o = self.options
        hub = str(o.hub_virtual_network_id)
        peering = network.VirtualNetworkPeering(
            f"{self.name}-peering-hub",
            network.VirtualNetworkPeeringInitArgs(
                virtual_network_peering_name=f"peer-to-{hub.rstrip('/').rsplit('/', 1)[-1]}"[:80],
                virtual_network_name=vnet.name,
                resource_group_name=self.resource_group_name,
                remote_virtual_network=network.SubResourceArgs(id=hub),
                allow_virtual_network_access=True,
                allow_forwarded_traffic=True,
                use_remote_gateways=o.use_hub_gateway,
            ),
            opts=pulumi.ResourceOptions(parent=self.parent),
        )
        self.resources.append(peering)

    # -- DNS -------------------------------------------------------------------------------------

    def zone(self, zone: str) -> pulumi.Input[str] | None:
        """The id of a privatelink zone, created (and linked) on first use in ``create`` mode."""
        if zone in self.zone_ids or self.options.dns.mode != "create":
            return self.zone_ids.get(zone)
        token = ZONE_TOKENS[zone]
        made = privatedns.PrivateZone(
            f"{self.name}-dns-{token}",
            privatedns.PrivateZoneArgs(
                private_zone_name=zone,
                resource_group_name=self.resource_group_name,
                location="global",
                tags=dict(self.tags),
            ),
            opts=pulumi.ResourceOptions(parent=self.parent),
        )
        if self.virtual_network_id is not None:
            link = privatedns.VirtualNetworkLink(
                f"{self.name}-dns-link-{token}",
                privatedns.VirtualNetworkLinkArgs(
                    virtual_network_link_name=f"link-{self.names.base}",
                    private_zone_name=made.name,
                    resource_group_name=self.resource_group_name,
                    location="global",
                    virtual_network=privatedns.SubResourceArgs(id=self.virtual_network_id),
                    registration_enabled=False,
                    tags=dict(self.tags),
                ),
                opts=pulumi.ResourceOptions(parent=self.parent),
            )
            self.resources.append(link)
        self.zone_ids[zone] = made.id
        self.resources.append(made)
        return made.id

    # -- endpoints -------------------------------------------------------------------------------

    def endpoint(
        self,
        owner: str,
        target: str,
        target_id: pulumi.Input[str],
        group: str,
        *,
        parent: pulumi.Resource,
        manual: bool = False,
        depends_on: list[pulumi.Resource] | None = None,
        key: str | None = None,
    ) -> network.PrivateEndpoint:
        """A private endpoint ``<owner>-pep-<key or target>`` (Azure name ``pep-<base>-<target>``) to
        ``target_id``'s ``group``, with its DNS zone group."""
        key = key or target
        subnet = self.subnet_ids.get("pep")
        if subnet is None:
            raise ConfigError(f"{self.key}.private_endpoint_subnet", None, "is needed for private endpoints")
        connection = network.PrivateLinkServiceConnectionArgs(
            name=f"{target}-{group}",
            private_link_service_id=target_id,
            group_ids=[group],
            request_message="Azure ML platform private endpoint (pulumi-azureml); approve to allow it"
            if manual
            else None,
        )
        endpoint = network.PrivateEndpoint(
            f"{owner}-pep-{key}",
            network.PrivateEndpointArgs(
                private_endpoint_name=self.names.derived("pep", target),
                resource_group_name=self.resource_group_name,
                location=self.location,
                subnet=network.SubnetArgs(id=subnet),
                custom_network_interface_name=self.names.derived("pep", target, "nic"),
                private_link_service_connections=None if manual else [connection],
                manual_private_link_service_connections=[connection] if manual else None,
                tags=dict(self.tags),
            ),
            opts=pulumi.ResourceOptions(parent=parent, depends_on=[*self.base, *(depends_on or [])]),
        )
        self._zone_group(owner, key, group, endpoint, parent)
        return endpoint

    def _zone_group(
        self, owner: str, key: str, group: str, endpoint: network.PrivateEndpoint, parent: pulumi.Resource
    ) -> None:
        if self.options.dns.mode == "none":
            return
        configs = []
        for zone in ZONES[group]:
            zone_id = self.zone(zone)
            if zone_id is None:
                raise ConfigError(
                    f"{self.key}.dns.zone_ids",
                    zone,
                    f"is needed for the {group} private endpoint with dns mode existing",
                )
            configs.append(network.PrivateDnsZoneConfigArgs(name=zone.replace(".", "-"), private_dns_zone_id=zone_id))
        network.PrivateDnsZoneGroup(
            f"{owner}-pep-{key}-dns",
            network.PrivateDnsZoneGroupArgs(
                private_dns_zone_group_name="default",
                private_endpoint_name=endpoint.name,
                resource_group_name=self.resource_group_name,
                private_dns_zone_configs=configs,
            ),
            opts=pulumi.ResourceOptions(parent=parent),
        )
