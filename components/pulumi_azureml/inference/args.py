"""The arguments of the inference components, declared once: Kubernetes compute (an AKS cluster of
ours or an attached one, with the Azure ML extension) and online endpoints.

Facts behind the defaults (Learn, ``how-to-deploy-kubernetes-extension.md`` "Limitations" and the
Azure Architecture Center's "Baseline Azure Machine Learning online inference" reference, checked
2026-12-07):

- Azure ML does not support AKS clusters with local accounts disabled, nor clusters that use a
  service principal: the cluster has a managed identity and keeps local accounts.
- A cluster in another subscription can only be attached through Azure Arc.
- Production clusters need at least 4 vCPUs and 14 GB of memory; the inference router in high
  availability (three ``azureml-fe`` replicas) needs at least three worker nodes.
- Private API servers and authorized IP ranges need the Trusted Access role binding
  ``Microsoft.MachineLearningServices/workspaces/mlworkload`` for the workspace.
- Production routing: ``inferenceRouterServiceType=loadBalancer``, ``internalLoadBalancerProvider=azure``,
  ``allowInsecureConnections=False`` with ``sslSecret`` and ``sslCname``.
- Kubernetes online endpoints authenticate with keys or Azure ML tokens, never Entra tokens
  (``concept-endpoints-online-auth.md``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

import pulumi_azure_native.containerservice as containerservice
import pulumi_azure_native.machinelearningservices as ml
from pydantic import Field, model_validator

from ..compute.args import ComputeName
from ..core.arm import parse_resource_id
from ..core.naming import NameRule
from ..core.schema import Args, StrCheck, fail
from ..core.types import (
    Guid,
    InputStr,
    OverridesOf,
    PublicNetworkAccess,
    Secret,
    SubnetId,
    Tags,
    UserAssignedIdentityId,
    VmSize,
    arm_id,
    name_rule,
)
from ..workspace.placement import PlacementArgs

# AKS: 1-63 letters, digits, '-' and '_', starting and ending with a letter or digit (Microsoft.ContainerService
# naming rules, resource-name-rules.md).
AKS_NAME_RULE = NameRule(
    "AKS cluster",
    1,
    63,
    re.compile(r"[a-zA-Z0-9]([a-zA-Z0-9_-]*[a-zA-Z0-9])?"),
    "AKS cluster names are 1-63 letters, digits, '-' and '_', starting and ending with a letter or digit",
)
# Kubernetes namespaces are RFC 1123 labels.
NAMESPACE_RULE = NameRule(
    "Kubernetes namespace",
    1,
    63,
    re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"),
    "Kubernetes namespaces are 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit",
)
# Online endpoint names begin with a letter, are 3-32 characters and consist of letters, digits and '-'
# (how-to-manage-quotas.md, "Azure Machine Learning online endpoints and batch endpoints"); unique per region.
ENDPOINT_NAME_RULE = NameRule(
    "online endpoint",
    3,
    32,
    re.compile(r"[a-zA-Z][a-zA-Z0-9-]*[a-zA-Z0-9]"),
    "online endpoint names are 3-32 letters, digits and '-', start with a letter and do not end with '-'; "
    "unique per region",
)
# Instance type names become Kubernetes custom resource names.
INSTANCE_TYPE_RULE = NameRule(
    "instance type",
    1,
    63,
    re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?"),
    "instance type names are 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit",
)

AKS_TYPE = "Microsoft.ContainerService/managedClusters"
ARC_TYPE = "Microsoft.Kubernetes/connectedClusters"


def _cluster_id_check(value: str) -> None:
    try:
        parse_resource_id(value, AKS_TYPE)
    except ValueError:
        try:
            parse_resource_id(value, ARC_TYPE)
        except ValueError:
            raise ValueError(f"must be the ARM id of a {AKS_TYPE} or {ARC_TYPE} cluster") from None


ClusterId = Annotated[
    InputStr,
    StrCheck(
        _cluster_id_check,
        {
            "type": "string",
            "pattern": "^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/"
            "Microsoft\\.(ContainerService/managedClusters|Kubernetes/connectedClusters)/[^/]+$",
        },
        label="ARM id (AKS or Arc cluster)",
    ),
]
LogAnalyticsId = Annotated[InputStr, arm_id("Microsoft.OperationalInsights/workspaces")]
RegistryId = Annotated[InputStr, arm_id("Microsoft.MachineLearningServices/registries")]

_QUANTITY = re.compile(r"[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?")


def _quantity_check(value: str) -> None:
    if not _QUANTITY.fullmatch(value):
        raise ValueError("must be a Kubernetes quantity such as 500m, 2, 4Gi or 512Mi")


Quantity = Annotated[str, StrCheck(_quantity_check, {"type": "string"}, outputs=False, label="Kubernetes quantity")]

_SCALE = {
    "m": Decimal("0.001"),
    "": Decimal(1),
    **{suffix: Decimal(1000) ** n for n, suffix in enumerate(("k", "M", "G", "T"), start=1)},
    **{suffix: Decimal(1024) ** n for n, suffix in enumerate(("Ki", "Mi", "Gi", "Ti"), start=1)},
}


def quantity_value(value: str) -> Decimal:
    """A checked Kubernetes quantity as an exact number (``500m`` -> 0.5, ``4Gi`` -> 4294967296)."""
    match = _QUANTITY.fullmatch(value)
    assert match is not None  # checked by Quantity
    number = value[: len(value) - len(match.group(2) or "")]
    return Decimal(number) * _SCALE[match.group(2) or ""]


_FQDN = re.compile(r"(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}")


def _fqdn_check(value: str) -> None:
    if not _FQDN.fullmatch(value):
        raise ValueError("must be a DNS name such as scoring.ml.contoso.internal")


Fqdn = Annotated[str, StrCheck(_fqdn_check, {"type": "string"}, outputs=False, label="DNS name")]


class NodePool(Args):
    """An autoscaling AKS node pool."""

    vm_size: VmSize = "Standard_D4s_v5"
    """VM size of the nodes (4 vCPUs, 16 GiB: Azure ML's documented minimum for production is 4 vCPUs and
    14 GB in the cluster)."""
    min_nodes: Annotated[int, Field(ge=0, le=1000)] = 1
    """Nodes kept running (and billed) while idle. A system pool needs at least 1."""
    max_nodes: Annotated[int, Field(ge=1, le=1000)] = 3
    """Most nodes the autoscaler adds."""
    availability_zones: list[Literal["1", "2", "3"]] = []
    """Zones to spread the nodes over (``["1", "2", "3"]`` where the region has them)."""
    os_disk_type: Literal["Ephemeral", "Managed"] = "Managed"
    """``Ephemeral`` OS disks are faster and free, but need a VM size whose cache or temp disk holds the OS disk."""
    encryption_at_host: bool = False
    """Encrypt temp disks and caches on the host (needs the EncryptionAtHost feature on the subscription)."""

    @model_validator(mode="after")
    def _range(self) -> NodePool:
        if self.min_nodes > self.max_nodes:
            fail("min_nodes", self.min_nodes, f"must not exceed max_nodes ({self.max_nodes})")
        return self


class SystemPool(NodePool):
    """The system pool (``mode: System``): Kubernetes' own services, the Azure ML extension and, without a
    user pool, the deployments. Three nodes by default: the router's high availability needs three."""

    min_nodes: Annotated[int, Field(ge=1, le=1000)] = 3
    """Nodes kept running (and billed: 3 x Standard_D4s_v5 is roughly 3 x 140 USD a month) while idle."""
    max_nodes: Annotated[int, Field(ge=1, le=1000)] = 5
    """Most nodes the autoscaler adds."""


class UserPool(NodePool):
    """A user pool (``mode: User``) for model deployments; scales to zero by default."""

    min_nodes: Annotated[int, Field(ge=0, le=1000)] = 0
    """Nodes kept running while idle."""
    max_nodes: Annotated[int, Field(ge=1, le=1000)] = 3
    """Most nodes the autoscaler adds."""


class AksClusterOptions(Args):
    """The AKS cluster created for a Kubernetes compute (when no ``cluster_id`` is given)."""

    name: Annotated[str, name_rule(AKS_NAME_RULE)] | None = None
    """Cluster name. Default ``aks-<workload>-<env>-<region>-<compute name>``."""
    kubernetes_version: Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]+(\.[0-9]+)?$")] | None = None
    """Kubernetes version (``1.33``). Default: AKS's default version. The extension supports N-2."""
    sku_tier: Literal["Free", "Standard", "Premium"] = "Standard"
    """Control-plane tier: ``Standard`` has the uptime SLA production needs; ``Free`` has none."""
    system_pool: SystemPool = SystemPool()
    """The system pool: 3-5 nodes by default."""
    user_pool: UserPool | None = UserPool()
    """A user pool for model deployments, 0-3 nodes by default; ``null`` for none."""
    dedicated_system_pool: bool = False
    """Taint the system pool ``CriticalAddonsOnly`` (AKS's advice for system pools). Off: the Azure ML
    extension documents only ``nodeSelector`` for placing its pods, no toleration, so on a tainted system
    pool its router and agents would all run on the user pool, which then never scales to zero."""
    private_api_server: bool = True
    """A private API server (reachable from the cluster's network only); Azure ML reaches it through the
    Trusted Access role binding this component creates."""
    authorized_ip_ranges: Annotated[list[str], Field(max_length=200)] = []
    """With a public API server: the CIDRs allowed to reach it (include Azure ML's control-plane ranges of
    both paired regions, as the extension's limitations say)."""
    admin_group_object_ids: list[Guid] = []
    """Entra groups that are cluster admins (``aadProfile.adminGroupObjectIDs``)."""
    defender: bool = True
    """Microsoft Defender for Containers security monitoring, reporting to the workspace's Log Analytics."""
    log_analytics_workspace_id: LogAnalyticsId | None = None
    """Where Defender reports. Default: the workspace's Log Analytics workspace."""
    azure_policy: bool = True
    """The Azure Policy add-on, so Azure Policy for Kubernetes audits workloads."""
    upgrade_channel: Literal["none", "patch", "stable", "rapid", "node-image"] = "patch"
    """Automatic Kubernetes upgrades: ``patch`` applies patch releases of the chosen minor version."""
    node_os_upgrade_channel: Literal["None", "Unmanaged", "NodeImage", "SecurityPatch"] = "NodeImage"
    """Automatic node OS image upgrades."""
    disable_local_accounts: bool = False
    """Kept false: Azure ML does not support AKS clusters with local accounts disabled (Learn,
    how-to-deploy-kubernetes-extension.md, "Limitations"). Entra ID with Azure RBAC is on either way."""
    subnet_id: SubnetId | None = None
    """Subnet of the nodes. Default: the platform network's Kubernetes subnet when there is one, else a
    network AKS creates."""
    overrides: Annotated[dict[str, Any], OverridesOf(containerservice.ManagedClusterArgs)] = {}
    """Escape hatch: keyword arguments for ``containerservice.ManagedClusterArgs``."""

    @model_validator(mode="after")
    def _rules(self) -> AksClusterOptions:
        if self.disable_local_accounts:
            fail(
                "disable_local_accounts",
                True,
                "Azure ML does not support AKS clusters with local accounts disabled (how-to-deploy-kubernetes-"
                "extension, Limitations); Entra ID with Azure RBAC is on either way",
            )
        if self.private_api_server and self.authorized_ip_ranges:
            fail("authorized_ip_ranges", self.authorized_ip_ranges, "only apply to a public API server")
        if self.dedicated_system_pool and self.user_pool is None:
            fail("dedicated_system_pool", True, "needs a user_pool: a tainted system pool alone runs no deployment")
        return self

    def min_nodes(self) -> int:
        return self.system_pool.min_nodes + (self.user_pool.min_nodes if self.user_pool else 0)


class InferenceTls(Args):
    """HTTPS for the inference router (``azureml-fe``): a DNS name and its certificate, either a
    Kubernetes TLS secret in the ``azureml`` namespace or the PEM files as Pulumi secrets."""

    cname: Fqdn
    """The scoring DNS name the certificate is issued for (``sslCname``); create a DNS record for it that
    points at the router's load balancer IP."""
    secret_name: Annotated[str, name_rule(NAMESPACE_RULE)] | None = None
    """A Kubernetes TLS secret (``tls.crt``, ``tls.key``) in the ``azureml`` namespace (``sslSecret``),
    for example synced from Key Vault by the Secrets Store CSI driver."""
    certificate_pem: Secret | None = None
    """The PEM certificate chain, sent base64-encoded as a protected setting (``scoringFe.sslCert``)."""
    key_pem: Secret | None = None
    """The PEM private key, sent base64-encoded as a protected setting (``scoringFe.sslKey``)."""

    @model_validator(mode="after")
    def _one_source(self) -> InferenceTls:
        pem = self.certificate_pem is not None or self.key_pem is not None
        if pem and (self.certificate_pem is None or self.key_pem is None):
            fail("key_pem" if self.key_pem is None else "certificate_pem", None, "both PEM values are needed")
        if pem == (self.secret_name is not None):
            fail("secret_name", self.secret_name, "give exactly one of secret_name or certificate_pem with key_pem")
        return self


class ExtensionOptions(Args):
    """The Azure ML cluster extension (``Microsoft.AzureML.Kubernetes``) and its configuration settings."""

    install: bool = True
    """Install the extension. False for an attached cluster that has it already."""
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$")] = "azureml"
    """The extension's name on the cluster."""
    enable_inference: bool = True
    """Online endpoints on the cluster (``enableInference``)."""
    enable_training: bool = False
    """Training jobs and batch scoring on the cluster (``enableTraining``)."""
    router_service_type: Literal["LoadBalancer", "NodePort", "ClusterIP"] = "LoadBalancer"
    """How the inference router is exposed (``inferenceRouterServiceType``)."""
    internal_load_balancer: bool = True
    """An internal (private) load balancer for the router (``internalLoadBalancerProvider=azure``); with
    LoadBalancer only."""
    allow_insecure_connections: bool = False
    """Plain HTTP scoring (``allowInsecureConnections``). Without it, ``tls`` is required."""
    tls: InferenceTls | None = None
    """HTTPS for the router."""
    router_high_availability: bool = True
    """Three router replicas (``inferenceRouterHA``); needs at least three worker nodes."""
    cluster_purpose: Literal["DevTest", "FastProd"] = "FastProd"
    """``DevTest`` runs one replica of the extension's services; ``FastProd`` is highly available."""
    install_nvidia_device_plugin: bool = False
    """Install NVIDIA's device plugin (GPU nodes without it)."""
    auto_upgrade_minor_version: bool = True
    """Let the extension take minor versions of its release train."""
    release_train: Literal["stable", "preview"] = "stable"
    """Release train of the extension."""
    settings: dict[Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,128}$")], str] = {}
    """Escape hatch: more configuration settings (``nodeSelector.purpose``, ``logAnalyticsWS``, ...)."""

    @model_validator(mode="after")
    def _rules(self) -> ExtensionOptions:
        if not (self.enable_inference or self.enable_training):
            fail("enable_inference", False, "the extension needs enable_inference or enable_training (or both)")
        if self.install and self.enable_inference and not self.allow_insecure_connections and self.tls is None:
            fail(
                "tls",
                None,
                "is required for inference without allow_insecure_connections: the router refuses to start "
                "without a certificate (sslSecret or sslCertPemFile/sslKeyPemFile, with sslCname)",
            )
        if self.internal_load_balancer and self.router_service_type != "LoadBalancer":
            fail(
                "internal_load_balancer",
                True,
                f"only applies to router_service_type LoadBalancer (not {self.router_service_type}): set it false",
            )
        return self


class InstanceType(Args):
    """A Kubernetes instance type: what a deployment's pods request and may use.

    The default fits an MLflow model: "For MLflow model deployment, the resource request requires at
    least 2 CPU cores and 4 GB of memory. Otherwise, the deployment fails", and a deployment's own
    limits "must be less than the instance type limits" (how-to-manage-kubernetes-instance-types.md),
    so deployments that set limits keep them below the instance type's."""

    cpu: Quantity = "2"
    """CPU request (``500m``, ``2``)."""
    memory: Quantity = "4Gi"
    """Memory request."""
    cpu_limit: Quantity | None = None
    """CPU limit, at least the request. Default: the request."""
    memory_limit: Quantity | None = None
    """Memory limit, at least the request. Default: the request."""
    gpu: Annotated[int, Field(ge=0, le=16)] = 0
    """NVIDIA GPUs per pod (``nvidia.com/gpu``)."""
    node_selector: dict[str, str] = {}
    """Node labels the pods must run on (``agentpool: gpu``)."""

    @model_validator(mode="after")
    def _limits_cover_requests(self) -> InstanceType:
        # Kubernetes refuses a container whose limit is below its request.
        for limit, request in (("cpu_limit", "cpu"), ("memory_limit", "memory")):
            given = getattr(self, limit)
            if given is not None and quantity_value(given) < quantity_value(getattr(self, request)):
                fail(limit, given, f"is below the {request} request ({getattr(self, request)}): Kubernetes refuses it")
        return self


class KubernetesComputeSettings(Args):
    """A Kubernetes compute: an AKS cluster created here (or an existing AKS or Arc cluster by id) with
    the Azure ML extension, attached to the workspace."""

    compute_name: ComputeName = Field(validation_alias="name")
    """As for clusters: 3-24 characters, unique in the region."""
    cluster_id: ClusterId | None = None
    """An existing AKS (``Microsoft.ContainerService/managedClusters``) or Arc-enabled
    (``Microsoft.Kubernetes/connectedClusters``) cluster in the workspace's subscription. Default: create one."""
    cluster: AksClusterOptions = AksClusterOptions()
    """The AKS cluster to create (without ``cluster_id``)."""
    extension: ExtensionOptions
    """The Azure ML extension (required: the router's TLS, or plain HTTP, is a decision to make)."""
    namespace: Annotated[str, name_rule(NAMESPACE_RULE)] = "azureml-workloads"
    """Where Azure ML runs the compute's pods. Azure ML needs it to exist before the attach: on AKS it is
    created as an AKS managed namespace (``default`` is used as it is)."""
    instance_types: dict[Annotated[str, name_rule(INSTANCE_TYPE_RULE)], InstanceType] = {
        "defaultinstancetype": InstanceType()
    }
    """Instance types deployments choose from; the extension's own default is 100m CPU and 2Gi."""
    default_instance_type: Annotated[str, name_rule(INSTANCE_TYPE_RULE)] | None = None
    """The instance type of a deployment that names none. Default: the first."""
    description: str | None = None
    """Description shown in the studio."""
    tags: Tags = {}
    """Added to the workspace's tags."""
    protect: bool = False
    """Pulumi ``protect`` on the cluster and the compute."""
    on_destroy: Literal["Detach", "Delete"] = "Detach"
    """What deleting the compute does to the cluster (``underlyingResourceAction``): ``Detach`` leaves it;
    a cluster created here is deleted by Pulumi itself after the detach."""
    overrides: Annotated[dict[str, Any], OverridesOf(ml.KubernetesPropertiesArgs)] = {}
    """Escape hatch: keyword arguments for ``machinelearningservices.KubernetesPropertiesArgs``."""

    @property
    def creates_cluster(self) -> bool:
        return self.cluster_id is None

    @property
    def on_arc(self) -> bool:
        return (
            isinstance(self.cluster_id, str) and "/microsoft.kubernetes/connectedclusters/" in self.cluster_id.lower()
        )

    @model_validator(mode="after")
    def _rules(self) -> KubernetesComputeSettings:
        if not self.instance_types:
            fail("instance_types", {}, "needs at least one instance type")
        if self.default_instance_type is not None and self.default_instance_type not in self.instance_types:
            fail(
                "default_instance_type",
                self.default_instance_type,
                f"is not one of instance_types ({', '.join(self.instance_types)})",
            )
        if self.cluster_id is not None and "cluster" in self.model_fields_set:
            fail("cluster", "{...}", "describes a cluster to create: not with cluster_id (an existing cluster)")
        ext = self.extension
        if self.creates_cluster and ext.install and ext.enable_inference and ext.router_high_availability:
            nodes = self.cluster.min_nodes()
            if nodes < 3:
                fail(
                    ("extension", "router_high_availability"),
                    True,
                    f"needs at least 3 worker nodes and the cluster keeps {nodes} (raise the pools' min_nodes, or "
                    "set router_high_availability false)",
                )
        return self


class KubernetesComputeArgs(KubernetesComputeSettings, PlacementArgs):
    """Arguments of :class:`~pulumi_azureml.inference.KubernetesCompute`: the settings, plus the explicit
    placement when no ``workspace=`` is given."""


AuthMode = Literal["AADToken", "AMLToken", "Key"]


class OnlineEndpointSettings(Args):
    """An online endpoint: managed (Azure ML runs the deployments) or on a Kubernetes compute.
    Deployments of models stay with downstream code."""

    endpoint_name: Annotated[str, name_rule(ENDPOINT_NAME_RULE)] = Field(validation_alias="name")
    """3-32 letters, digits and '-', unique in the region (it is part of the scoring URI)."""
    compute: ComputeName | None = None
    """A Kubernetes compute of this workspace for a Kubernetes online endpoint. Default: a managed endpoint."""
    auth_mode: AuthMode | None = None
    """How callers authenticate: ``AADToken`` (Entra ID; managed endpoints only), ``AMLToken`` or ``Key``.
    Default: AADToken for managed endpoints, AMLToken on Kubernetes."""
    public_network_access: PublicNetworkAccess = "Disabled"
    """Managed endpoints: scoring from the internet. Disabled means through the workspace's private endpoint
    only. Kubernetes endpoints are as reachable as the router's load balancer."""
    identity: Literal["SystemAssigned", "UserAssigned"] = "SystemAssigned"
    """The endpoint identity the deployments' containers run as. Azure ML grants a system-assigned one
    AcrPull on the workspace registry and Storage Blob Data Reader on its storage
    (how-to-access-resources-from-endpoints-managed-identities.md); a user-assigned one gets them here."""
    user_assigned_identity_id: UserAssignedIdentityId | None = None
    """The user-assigned identity, with ``identity: UserAssigned``."""
    user_assigned_principal_id: Guid | None = None
    """Its principal id (for the grants)."""
    registry_ids: list[RegistryId] = []
    """Azure ML registries the endpoint deploys models from: its identity gets Reader on each."""
    description: str | None = None
    """Description shown in the studio."""
    tags: Tags = {}
    """Added to the workspace's tags."""
    protect: bool = False
    """Pulumi ``protect``: deleting an endpoint deletes its deployments and changes its scoring URI."""
    overrides: Annotated[dict[str, Any], OverridesOf(ml.OnlineEndpointPropertiesArgs)] = {}
    """Escape hatch: keyword arguments for ``machinelearningservices.OnlineEndpointPropertiesArgs``."""

    @property
    def effective_auth_mode(self) -> AuthMode:
        if self.auth_mode is not None:
            return self.auth_mode
        return "AMLToken" if self.compute is not None else "AADToken"

    @model_validator(mode="after")
    def _rules(self) -> OnlineEndpointSettings:
        if self.compute is not None and self.auth_mode == "AADToken":
            fail(
                "auth_mode",
                "AADToken",
                "Kubernetes online endpoints support only Key and AMLToken (concept-endpoints-online-auth)",
            )
        if self.compute is not None and "public_network_access" in self.model_fields_set:
            fail(
                "public_network_access",
                self.public_network_access,
                "applies to managed endpoints only: a Kubernetes endpoint is reached through the router's load "
                "balancer (extension.internal_load_balancer)",
            )
        uai = self.identity == "UserAssigned"
        if uai != (self.user_assigned_identity_id is not None) or uai != (self.user_assigned_principal_id is not None):
            fail(
                "user_assigned_identity_id",
                self.user_assigned_identity_id,
                "user_assigned_identity_id and user_assigned_principal_id are required with, and only with, "
                "identity UserAssigned",
            )
        return self


class OnlineEndpointArgs(OnlineEndpointSettings, PlacementArgs):
    """Arguments of :class:`~pulumi_azureml.inference.OnlineEndpoint`: the settings, plus the explicit
    placement when no ``workspace=`` is given."""
