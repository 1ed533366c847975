"""The arguments of the attached-compute components, declared once.

``*Settings`` are what a stack file would hold for one attached compute; ``*Args`` add the explicit
placement for a workspace made elsewhere (``workspace=ws`` makes it unnecessary).

Attached computes point Azure ML at a resource that exists elsewhere (``resourceId``): a VM, a
Synapse Spark pool, a Databricks workspace, an HDInsight cluster, or (legacy) an AKS cluster that
Azure ML either attaches or creates. What happens to that resource when the compute goes is the
explicit ``on_destroy`` setting: the compute DELETE's ``underlyingResourceAction`` is ``Delete``
("delete the underlying compute") or ``Detach`` ("detach the underlying compute from workspace",
Compute_Delete in the Machine Learning REST API). Detach is the default for everything this
program did not create.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..core.schema import Args, StrCheck, fail
from ..core.types import Cidr, DatastoreName, InputStr, Region, Secret, SubnetId, Tags, VmSize, arm_id
from ..workspace.placement import PlacementArgs
from .args import AdminUser, ComputeIdentity, ComputeName

OnDestroy = Literal["Detach", "Delete"]
"""What the compute's DELETE does to the underlying resource: ``Detach`` keeps it, ``Delete`` deletes it."""
ClusterPurpose = Literal["DevTest", "FastProd", "DenseProd"]
LoadBalancerType = Literal["PublicIp", "InternalLoadBalancer"]
SslStatus = Literal["Disabled", "Enabled", "Auto"]

VirtualMachineId = Annotated[InputStr, arm_id("Microsoft.Compute/virtualMachines")]
"""A VM's ARM id (``.../providers/Microsoft.Compute/virtualMachines/<vm>``)."""
SynapseSparkPoolId = Annotated[InputStr, arm_id("Microsoft.Synapse/workspaces/bigDataPools")]
"""A Synapse Spark pool's ARM id (``.../Microsoft.Synapse/workspaces/<ws>/bigDataPools/<pool>``)."""
DatabricksWorkspaceId = Annotated[InputStr, arm_id("Microsoft.Databricks/workspaces")]
"""An Azure Databricks workspace's ARM id."""
HDInsightClusterId = Annotated[InputStr, arm_id("Microsoft.HDInsight/clusters")]
"""An HDInsight cluster's ARM id."""
AksClusterId = Annotated[InputStr, arm_id("Microsoft.ContainerService/managedClusters")]
"""An AKS cluster's ARM id."""

_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DNS_NAME = re.compile(rf"(?=.{{1,253}}\Z){_LABEL}(\.{_LABEL})*")


def _address_check(value: str) -> None:
    try:
        ipaddress.ip_address(value)
        return
    except ValueError:
        pass
    if not _DNS_NAME.fullmatch(value):
        raise ValueError("must be an IP address (10.0.0.4) or a DNS name (vm1.westeurope.cloudapp.azure.com)")


def _workspace_url_check(value: str) -> None:
    host = value.removeprefix("https://").rstrip("/")
    if not _DNS_NAME.fullmatch(host) or "." not in host:
        raise ValueError("must be the workspace's URL, like https://adb-1234567890123456.7.azuredatabricks.net")


def _ip_check(value: str) -> None:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        raise ValueError("must be an IPv4 address like 10.0.0.10") from None


def _leaf_label_check(value: str) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9-]{0,61}[a-z0-9]", value):
        raise ValueError("must be a DNS label: 2-63 lowercase letters, digits and '-', starting with a letter")


Address = Annotated[
    InputStr, StrCheck(_address_check, {"type": "string", "minLength": 1}, label="IP address or DNS name")
]
WorkspaceUrl = Annotated[
    str, StrCheck(_workspace_url_check, {"type": "string", "minLength": 1}, outputs=False, label="URL")
]
IpAddress = Annotated[
    str,
    StrCheck(_ip_check, {"type": "string", "pattern": r"^\d{1,3}(\.\d{1,3}){3}$"}, outputs=False, label="IPv4 address"),
]
LeafDomainLabel = Annotated[
    str,
    StrCheck(
        _leaf_label_check,
        {"type": "string", "pattern": "^[a-z][a-z0-9-]{0,61}[a-z0-9]$"},
        outputs=False,
        label="DNS label",
    ),
]
SshPort = Annotated[int, Field(ge=1, le=65535)]


class _AttachedCommon(Args):
    """What every attached compute has."""

    compute_name: ComputeName = Field(validation_alias="name")
    """Name of the compute in the workspace: 3-24 letters, digits and '-', starting with a letter,
    every '-' followed later by a letter."""
    description: str | None = None
    """Description shown in the studio."""
    compute_location: Region | None = None
    """Region of the underlying resource (``computeLocation``). Default: not sent."""
    tags: Tags = {}
    """Added to the workspace's tags on this compute."""
    protect: bool = False
    """Pulumi ``protect`` on the compute resource."""


class _DetachedOnDestroy(_AttachedCommon):
    """An attached resource this program did not create: destroying the compute detaches it."""

    on_destroy: OnDestroy = "Detach"
    """What destroying (or replacing) the compute does to the attached resource: ``Detach`` keeps
    it, ``Delete`` asks Azure ML to delete it too."""


class _SshAttached(_DetachedOnDestroy):
    """A machine Azure ML reaches over SSH: a VM or an HDInsight cluster's head node."""

    ssh_port: SshPort = 22
    """SSH port on the machine."""
    admin_user_name: AdminUser
    """The Linux user Azure ML logs in as."""
    admin_password: Secret | None = None
    """Secret. The user's password; exactly one of this or ``ssh_private_key``."""
    ssh_private_key: Secret | None = None
    """Secret. The user's OpenSSH private key (PEM text); exactly one of this or ``admin_password``."""
    address: Address | None = None
    """Public or private IP address or DNS name of the machine. Default: not sent (Azure ML
    resolves the resource id)."""

    @model_validator(mode="after")
    def _one_credential(self) -> _SshAttached:
        if self.admin_password is None and self.ssh_private_key is None:
            fail("admin_password", None, "give exactly one of admin_password or ssh_private_key (as a secret)")
        if self.admin_password is not None and self.ssh_private_key is not None:
            fail("ssh_private_key", "[secret]", "give exactly one of admin_password or ssh_private_key, not both")
        return self


class VirtualMachineAttachSettings(_SshAttached):
    """An existing Azure VM attached as a compute target (``computeType: VirtualMachine``).

    Learn (v1 how-to-attach-compute-targets, "Remote virtual machines"): Azure ML supports only
    Ubuntu VMs, and detaching never deletes the VM.
    """

    resource_id: VirtualMachineId
    """ARM id of the VM (``/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Compute/
    virtualMachines/<vm>``)."""


class HDInsightAttachSettings(_SshAttached):
    """An existing HDInsight cluster attached as a compute target (``computeType: HDInsight``).

    Learn documents the attach for SDK v1 only (v1 how-to-attach-compute-targets, "Azure
    HDInsight"); attaching by the cluster's public address alone is no longer supported, by resource
    id it is.
    """

    resource_id: HDInsightClusterId
    """ARM id of the cluster (``.../providers/Microsoft.HDInsight/clusters/<cluster>``)."""


class _IdentityAccess(Args):
    """A managed identity on the compute, and the data access it gets, as clusters have."""

    datastore_access: list[DatastoreName] | None = None
    """The identity datastores this compute's identity gets data access to, each read or write as
    the datastore declares. Default: all of the workspace's; ``[]`` for none."""
    key_vault_secrets: bool = False
    """Key Vault Secrets User on the workspace key vault for this compute's identity."""


class SynapseSparkAttachSettings(_DetachedOnDestroy, _IdentityAccess):
    """An existing Synapse Spark pool attached as a compute target (``computeType: SynapseSpark``).

    Auto-scale, auto-pause, node size and Spark version are the pool's, set in Synapse; Azure ML
    reads them (Learn how-to-manage-synapse-spark-pool). The attached pool only works once its
    identity has the **Synapse Administrator** role on the pool in Synapse RBAC (Synapse Studio >
    Manage > Access control, scope "Apache Spark pool"; the principal is listed under the Azure ML
    workspace's name, same page "Add role assignments in Azure Synapse Analytics"). Synapse RBAC is
    not an ARM role assignment, so this component cannot grant it: use ``principal_id``. The older
    linked-service route (v1 how-to-link-synapse-ml-workspaces) is deprecated.
    """

    resource_id: SynapseSparkPoolId
    """ARM id of the pool (``.../providers/Microsoft.Synapse/workspaces/<ws>/bigDataPools/<pool>``)."""
    identity: ComputeIdentity | None = ComputeIdentity()
    """The pool's managed identity in Azure ML (SystemAssigned or UserAssigned, as the API
    allows); jobs on the pool reach data as it. None for no identity."""
    local_auth: bool = False
    """Key-based local auth to the compute; off sends ``disableLocalAuth: true`` (azurerm's
    machine_learning_synapse_spark sends the same property)."""


class DatabricksAttachSettings(_DetachedOnDestroy):
    """An existing Azure Databricks workspace attached as a compute target (``computeType: Databricks``).

    Learn (v1 how-to-attach-compute-targets, "Azure Databricks"): a training target in SDK v1
    pipelines only; a workspace in another subscription needs you to be Contributor on it.
    """

    resource_id: DatabricksWorkspaceId
    """ARM id of the Databricks workspace (``.../providers/Microsoft.Databricks/workspaces/<ws>``)."""
    access_token: Secret
    """Secret. A Databricks personal access token Azure ML authenticates with."""
    workspace_url: WorkspaceUrl | None = None
    """The workspace's URL (``https://adb-<id>.<n>.azuredatabricks.net``). Default: not sent."""


class AksSslSettings(Args):
    """TLS termination of the scoring endpoints (Learn v1 how-to-create-attach-kubernetes)."""

    status: SslStatus = "Disabled"
    """``Enabled`` (your certificate), ``Auto`` (a Microsoft certificate for
    ``<leafDomainLabel>######.<region>.cloudapp.azure.com``) or ``Disabled``."""
    cert: str | None = None
    """PEM certificate, with ``Enabled``."""
    key: Secret | None = None
    """Secret. PEM private key of the certificate, with ``Enabled``."""
    cname: str | None = None
    """The certificate's host name (CNAME), with ``Enabled``."""
    leaf_domain_label: LeafDomainLabel | None = None
    """Leaf domain label of the Microsoft certificate, with ``Auto``."""
    overwrite_existing_domain: bool = False
    """Replace an existing domain of that label, with ``Auto``."""

    @model_validator(mode="after")
    def _by_status(self) -> AksSslSettings:
        custom = {"cert": self.cert, "key": self.key, "cname": self.cname}
        if self.status == "Enabled":
            for name, value in custom.items():
                if value is None:
                    fail(name, None, "is required with status Enabled (your own certificate)")
        elif self.status == "Auto" and self.leaf_domain_label is None:
            fail("leaf_domain_label", None, "is required with status Auto (a Microsoft certificate)")
        if self.status != "Enabled":
            for name, value in custom.items():
                if value is not None:
                    shown = "[secret]" if name == "key" else value
                    fail(name, shown, "is only used with status Enabled")
        if self.status != "Auto" and (self.leaf_domain_label is not None or self.overwrite_existing_domain):
            name = "leaf_domain_label" if self.leaf_domain_label is not None else "overwrite_existing_domain"
            fail(name, getattr(self, name), "is only used with status Auto")
        return self


class AksInferenceClusterSettings(_AttachedCommon, _IdentityAccess):
    """A legacy (v1) AKS inference cluster (``computeType: AKS``): an existing AKS cluster attached,
    or one Azure ML creates.

    Microsoft calls this legacy and recommends the Kubernetes compute target instead (Learn v1
    how-to-create-attach-kubernetes); the component warns at every plan.
    """

    resource_id: AksClusterId | None = None
    """ARM id of an existing AKS cluster to attach (``.../Microsoft.ContainerService/managedClusters/<aks>``).
    Default: Azure ML creates a cluster."""
    on_destroy: OnDestroy | None = None
    """What destroying (or replacing) the compute does to the AKS cluster. Default: ``Delete`` when
    Azure ML created it (no ``resource_id``), ``Detach`` for an attached cluster."""
    cluster_purpose: ClusterPurpose = "FastProd"
    """``DevTest`` (not for production traffic, no fault tolerance), ``FastProd`` or ``DenseProd``;
    production purposes need at least 3 nodes and 12 vCPUs (Learn)."""
    agent_count: Annotated[int, Field(ge=1, le=100)] | None = None
    """Nodes of a created cluster: at least 3 for FastProd and DenseProd, 1 for DevTest. Default:
    Azure ML's."""
    agent_vm_size: VmSize | None = None
    """VM size of a created cluster's nodes (fixed after creation). Default: Azure ML's."""
    load_balancer_type: LoadBalancerType | None = None
    """``InternalLoadBalancer`` gives the scoring endpoints a private IP. Default: Azure's (``PublicIp``)."""
    load_balancer_subnet: str | None = None
    """Name of the subnet of the internal load balancer."""
    subnet_id: SubnetId | None = None
    """Subnet of a created cluster (its ``aksNetworkingConfiguration``)."""
    service_cidr: Cidr | None = None
    """Kubernetes service address range of a created cluster in ``subnet_id``; must not overlap the VNet."""
    dns_service_ip: IpAddress | None = None
    """Cluster DNS service IP of a created cluster, inside ``service_cidr``."""
    ssl: AksSslSettings | None = None
    """TLS termination of the scoring endpoints. Default: not sent (no TLS)."""
    identity: ComputeIdentity | None = None
    """A managed identity on the compute. Default: none."""

    @property
    def creates_cluster(self) -> bool:
        return self.resource_id is None

    @property
    def destroy_action(self) -> OnDestroy:
        """``on_destroy`` in effect."""
        if self.on_destroy is not None:
            return self.on_destroy
        return "Delete" if self.creates_cluster else "Detach"

    @model_validator(mode="after")
    def _combinations(self) -> AksInferenceClusterSettings:
        if not self.creates_cluster:
            for name in ("agent_count", "agent_vm_size", "subnet_id", "service_cidr", "dns_service_ip"):
                if getattr(self, name) is not None:
                    fail(name, getattr(self, name), "describes a cluster Azure ML creates: not with resource_id")
        production = self.cluster_purpose != "DevTest"
        if self.agent_count is not None and production and self.agent_count < 3:
            fail(
                "agent_count",
                self.agent_count,
                f"a {self.cluster_purpose} cluster needs at least 3 nodes (use cluster_purpose DevTest for fewer)",
            )
        if self.load_balancer_subnet is not None and self.load_balancer_type != "InternalLoadBalancer":
            fail("load_balancer_subnet", self.load_balancer_subnet, "is only used with InternalLoadBalancer")
        if self.load_balancer_type == "InternalLoadBalancer" and self.ssl is not None and self.ssl.status == "Auto":
            fail(
                "ssl.status",
                "Auto",
                "an internal load balancer cannot use a Microsoft certificate: use status Enabled with your own",
            )
        for name in ("service_cidr", "dns_service_ip"):
            if getattr(self, name) is not None and self.subnet_id is None:
                fail(name, getattr(self, name), "is only used with subnet_id")
        if (
            self.service_cidr is not None
            and self.dns_service_ip is not None
            and ipaddress.IPv4Address(self.dns_service_ip) not in ipaddress.IPv4Network(self.service_cidr)
        ):
            fail("dns_service_ip", self.dns_service_ip, f"must be inside service_cidr ({self.service_cidr})")
        return self


class VirtualMachineAttachArgs(VirtualMachineAttachSettings, PlacementArgs):
    """Arguments of :class:`~pulumi_azureml.compute.AttachedVirtualMachine`: the settings, plus the
    explicit placement when no ``workspace=`` is given."""


class SynapseSparkAttachArgs(SynapseSparkAttachSettings, PlacementArgs):
    """Arguments of :class:`~pulumi_azureml.compute.AttachedSynapseSpark`."""


class DatabricksAttachArgs(DatabricksAttachSettings, PlacementArgs):
    """Arguments of :class:`~pulumi_azureml.compute.AttachedDatabricks`."""


class HDInsightAttachArgs(HDInsightAttachSettings, PlacementArgs):
    """Arguments of :class:`~pulumi_azureml.compute.AttachedHDInsight`."""


class AksInferenceClusterArgs(AksInferenceClusterSettings, PlacementArgs):
    """Arguments of :class:`~pulumi_azureml.compute.AksInferenceCluster`."""
