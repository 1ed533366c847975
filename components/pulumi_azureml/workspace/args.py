"""The arguments of :class:`~pulumi_azureml.workspace.MachineLearningWorkspace`, declared once.

Stack config mirrors them key for key in camelCase (``workspace.isolationMode`` is
``args.workspace.isolation_mode``); see :mod:`pulumi_azureml.stack.config`.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal

import pulumi_azure_native.machinelearningservices as ml
from pydantic import Field, model_validator

from ..core.naming import COMPUTE_NAME_RULE, RESOURCE_GROUP_RULE, WORKSPACE_RULE, ResourceNames, build_names
from ..core.schema import Args, ProviderArg, fail
from ..core.types import (
    EnvironmentToken,
    InputStr,
    InstanceToken,
    OverridesOf,
    PublicNetworkAccess,
    Region,
    SubnetId,
    SuffixSeed,
    Tags,
    VmSize,
    Workload,
    name_rule,
)
from ..dependents.diagnostics import DiagnosticsOptions
from ..dependents.identity import IdentityOptions
from ..dependents.keyvault import KeyVaultOptions
from ..dependents.monitoring import MonitoringOptions
from ..dependents.registry import ContainerRegistryOptions
from ..dependents.storage import WorkspaceStorageOptions
from ..network.args import NetworkOptions
from ..network.outbound import Bundle, FqdnRule, OutboundRule, PrivateEndpointRule, ServiceTagRule, bundle_rules
from .access import AccessOptions

IsolationMode = Literal["Disabled", "AllowInternetOutbound", "AllowOnlyApprovedOutbound"]
SystemDatastoresAuthMode = Literal["AccessKey", "Identity", "UserDelegationSAS"]


class WorkspaceOptions(Args):
    """The workspace resource itself."""

    name: Annotated[str, name_rule(WORKSPACE_RULE)] | None = None
    """Workspace name. Default ``mlw-<workload>-<env>-<region>``."""
    friendly_name: str | None = None
    """Display name in the studio. Default ``<workload> (<environment>)``."""
    description: str | None = None
    """Default ``Azure ML workspace for <workload> (<environment>), managed by Pulumi``."""
    hbi_workspace: Annotated[bool, ProviderArg("hbi_workspace")] = False
    """High business impact: less diagnostic data collected, encrypted local scratch disks. Fixed
    at creation."""
    public_network_access: Annotated[PublicNetworkAccess, ProviderArg("public_network_access")] = "Disabled"
    """The workspace endpoint, reachable from the internet or only through a private endpoint."""
    isolation_mode: IsolationMode = "AllowOnlyApprovedOutbound"
    """Managed network isolation. It can be tightened later but never loosened or turned off."""
    provision_network_now: bool | None = None
    """Provision the managed network with the workspace instead of on the first compute. Default:
    on when isolation is on."""
    system_datastores_auth_mode: Annotated[SystemDatastoresAuthMode, ProviderArg("system_datastores_auth_mode")] = (
        "Identity"
    )
    """How the workspace reaches its own datastores. ``Identity`` stores no account keys, which is
    what lets the storage account turn shared-key access off."""
    image_build_compute: Annotated[str, name_rule(COMPUTE_NAME_RULE), ProviderArg("image_build_compute")] | None = None
    """The compute cluster that builds environment images: needed when the registry is not
    reachable from Azure ML's build service (a private registry). The name may be of a cluster
    this stack creates. Default: none, or ``image-builder`` (created here) when the created
    registry has public network access disabled."""
    image_builder_vm_size: VmSize = "Standard_D4s_v5"
    """VM size of the ``image-builder`` cluster created for a private registry (a CPU size: image
    builds support no GPU sizes). It scales to zero between builds."""
    outbound_rules: Annotated[list[OutboundRule], Field(max_length=100)] = []
    """Managed-network outbound rules (``type`` FQDN, ServiceTag or PrivateEndpoint); FQDN and
    service tag rules need ``AllowOnlyApprovedOutbound``. Applied one at a time after the
    datastores' rules."""
    outbound_bundles: list[Bundle] = []
    """Named sets of FQDN rules the docs list: ``pypi``, ``conda``, ``pytorch``, ``tensorflow``,
    ``huggingface``, ``dockerhub``, ``vscode`` (``AllowOnlyApprovedOutbound`` only)."""
    firewall_sku: Literal["Standard", "Basic"] = "Standard"
    """The Azure Firewall the first FQDN rule deploys in the managed network (billed per hour)."""
    overrides: Annotated[dict[str, Any], OverridesOf(ml.WorkspaceArgs)] = {}
    """Escape hatch: keyword arguments for ``machinelearningservices.WorkspaceArgs``."""

    def all_outbound_rules(self) -> list[FqdnRule | ServiceTagRule | PrivateEndpointRule]:
        """The declared rules, then the bundles' FQDN rules."""
        return [*self.outbound_rules, *bundle_rules(list(self.outbound_bundles))]

    @property
    def has_fqdn_rules(self) -> bool:
        return any(rule.type == "FQDN" for rule in self.all_outbound_rules())

    @model_validator(mode="after")
    def _outbound_modes(self) -> WorkspaceOptions:
        names: set[str] = set()
        for i, rule in enumerate(self.all_outbound_rules()):
            where: tuple[str | int, ...] = (
                ("outbound_rules", i) if i < len(self.outbound_rules) else ("outbound_bundles",)
            )
            if rule.type != "PrivateEndpoint" and self.isolation_mode != "AllowOnlyApprovedOutbound":
                fail(
                    where,
                    rule.name,
                    f"{rule.type} rules need isolation_mode AllowOnlyApprovedOutbound (it is {self.isolation_mode}); "
                    "with AllowInternetOutbound the internet is open already",
                )
            if rule.type == "PrivateEndpoint" and not self.managed_network:
                fail(
                    where,
                    rule.name,
                    "private endpoint rules need managed network isolation (isolation_mode not Disabled)",
                )
            if rule.name in names:
                fail(
                    (*where, "name") if i < len(self.outbound_rules) else where,
                    rule.name,
                    "outbound rule names must be unique",
                )
            names.add(rule.name)
        return self

    @property
    def managed_network(self) -> bool:
        """Whether managed network isolation is on (computes then run in the managed network)."""
        return self.isolation_mode != "Disabled"

    @model_validator(mode="after")
    def _one_owner_of_outbound_rules(self) -> WorkspaceOptions:
        network = self.overrides.get("managed_network")
        rules = network.get("outbound_rules") if isinstance(network, dict) else getattr(network, "outbound_rules", None)
        if rules:
            # Rules are separate ManagedNetworkSettingsRule resources, applied one at a time; inline
            # ones would be a second owner, and a later workspace update resending the service's
            # required rules is refused (Azure/azure-sdk-for-python#32643).
            fail(
                "overrides.managed_network.outbound_rules",
                "[...]",
                "outbound rules are separate resources applied one at a time (datastores add theirs; add your own "
                "with MachineLearningWorkspace.add_outbound_rule), never inline on the workspace",
            )
        return self


class ServerlessComputeOptions(Args):
    """Where serverless compute runs. Azure ML documents these for a customer VNet only."""

    subnet_id: SubnetId | None = None
    """ARM id of a subnet in your VNet. Not with managed network isolation, whose serverless jobs
    already run in the managed network."""
    no_public_ip: bool = False
    """Serverless nodes without public IPs. Needs a subnet and a private workspace (public network
    access Disabled), or managed network isolation."""


class MachineLearningWorkspaceArgs(Args):
    """Arguments of :class:`~pulumi_azureml.workspace.MachineLearningWorkspace`.

    Only ``workload``, ``environment`` and ``location`` are required; every other setting has the
    secure default documented on it. Environment profiles (:mod:`pulumi_azureml.stack.profiles`)
    relax some of them for dev.
    """

    workload: Workload
    """Short workload token used in every name: 2-10 lowercase letters and digits, starting with a letter."""
    environment: EnvironmentToken
    """Environment token used in names and tags (``dev``)."""
    location: Region
    """Azure region of every resource, as ARM spells it (``westeurope``)."""
    instance: InstanceToken | None = None
    """Instance number (2-3 digits) appended to names; quote it in YAML (``instance: "01"``), where
    an unquoted ``01`` is the number 1."""
    suffix_seed: SuffixSeed | None = None
    """Extra input to the deterministic suffix of globally unique names (e.g. your subscription id,
    if a name is taken)."""
    resource_group_name: Annotated[InputStr, name_rule(RESOURCE_GROUP_RULE, outputs=True)] | None = None
    """Use this existing resource group instead of creating ``rg-<workload>-<env>-<region>``."""
    tags: Tags = {}
    """Added to every resource, after ``workload``, ``environment`` and ``managed-by``."""
    protect: bool = False
    """Pulumi ``protect`` on the stateful resources (resource group, storage, key vault, Log
    Analytics, Application Insights, registry, identity, workspace, and the storage of datastores
    placed on this workspace)."""
    workspace: WorkspaceOptions = WorkspaceOptions()
    """The workspace resource: name, network posture, datastore authentication."""
    identity: IdentityOptions = IdentityOptions()
    """The workspace's managed identity."""
    storage: WorkspaceStorageOptions = WorkspaceStorageOptions()
    """The default storage account."""
    key_vault: KeyVaultOptions = KeyVaultOptions()
    """The workspace key vault."""
    monitoring: MonitoringOptions = MonitoringOptions()
    """Log Analytics and Application Insights."""
    diagnostics: DiagnosticsOptions = DiagnosticsOptions()
    """Resource logs of the workspace, key vault and registry."""
    container_registry: ContainerRegistryOptions = ContainerRegistryOptions()
    """The container registry."""
    serverless_compute: ServerlessComputeOptions = ServerlessComputeOptions()
    """Network settings of serverless compute (default: serverless jobs run in the managed network
    when isolation is on, else on Azure-managed public nodes)."""
    access: AccessOptions = AccessOptions()
    """Who uses the workspace (groups first), and so gets its Azure ML role and the data roles
    identity mode needs (see Access)."""
    network: NetworkOptions = NetworkOptions()
    """Where the private endpoints to the workspace and its dependents go, and their DNS (see
    Private networking). Default: no endpoints."""
    purge_on_destroy: bool = False
    """Purge the workspace (``forceToPurge``) and the key vault when they are deleted, so the
    stack can be re-created under the same names right away (both names stay blocked while
    soft-deleted). Needs ``pulumi destroy --run-program``, and a vault without purge protection."""

    @cached_property
    def names(self) -> ResourceNames:
        """The CAF names of every resource (see Naming)."""
        return build_names(
            self.workload, self.environment, self.location, instance=self.instance, suffix_seed=self.suffix_seed
        )

    @property
    def has_log_analytics(self) -> bool:
        """Whether a Log Analytics workspace is created here (not when Application Insights is brought)."""
        return self.monitoring.existing_application_insights_id is None

    @property
    def diagnostics_enabled(self) -> bool:
        target = self.diagnostics.log_analytics_workspace_id is not None or self.has_log_analytics
        return target if self.diagnostics.enabled is None else self.diagnostics.enabled

    @model_validator(mode="after")
    def _combinations(self) -> MachineLearningWorkspaceArgs:
        self._check_serverless()
        storage = self.storage
        auth = self.workspace.system_datastores_auth_mode
        if storage.existing_id is None and not storage.allow_shared_key_access and auth != "Identity":
            fail(
                "workspace.system_datastores_auth_mode",
                auth,
                "must be Identity when the workspace storage has shared-key access off "
                "(storage allow_shared_key_access false): the system datastores could not authenticate",
            )
        if (
            self.diagnostics.enabled
            and not self.has_log_analytics
            and self.diagnostics.log_analytics_workspace_id is None
        ):
            fail(
                "diagnostics.enabled",
                True,
                "needs a Log Analytics workspace: set diagnostics log_analytics_workspace_id when monitoring brings "
                "an existing Application Insights",
            )
        if self.purge_on_destroy and self.key_vault.existing_id is None and self.key_vault.purge_protection:
            fail(
                "purge_on_destroy",
                True,
                "needs key_vault purge_protection false: Azure refuses to purge a vault with purge protection",
            )
        self._check_network()
        registry = self.container_registry
        approved = self.workspace.isolation_mode == "AllowOnlyApprovedOutbound"
        if approved and registry.effective_mode == "create" and registry.sku != "Premium":
            fail(
                "container_registry.sku",
                registry.sku,
                "workspace isolation_mode AllowOnlyApprovedOutbound always adds a private endpoint to the registry, "
                "which needs the Premium SKU",
            )
        return self

    def endpoint_groups(self) -> list[str]:
        """The private endpoint groups the workspace's own endpoints need (for their DNS zones)."""
        net = self.network
        if net.effective_mode == "none" or not net.private_endpoints:
            return []
        groups = ["amlworkspace", *net.storage_subresources, "vault"]
        return groups + (["registry"] if self.container_registry.effective_mode != "none" else [])

    def _check_network(self) -> None:
        net, registry = self.network, self.container_registry
        if net.compute_subnet is not None and self.workspace.managed_network:
            fail(
                "network.compute_subnet",
                net.compute_subnet.address_prefix,
                "computes of a workspace with managed network isolation run in the managed network; a compute "
                "subnet needs workspace isolation_mode Disabled",
            )
        groups = self.endpoint_groups()
        if "registry" in groups and registry.effective_mode == "create" and registry.sku != "Premium":
            fail(
                "container_registry.sku",
                registry.sku,
                "a registry private endpoint (network.privateEndpoints) needs the Premium SKU",
            )
        if net.dns.mode == "existing":
            missing = [z for z in net.needed_zones(groups) if z not in net.dns.zone_ids]
            if missing:
                fail(
                    "network.dns.zone_ids",
                    sorted(net.dns.zone_ids),
                    f"must name every zone the endpoints need; missing {missing}",
                )

    def _check_serverless(self) -> None:
        """Azure ML's documented compatibility of serverless settings, the managed network and a subnet."""
        ws, serverless = self.workspace, self.serverless_compute
        isolation = ws.isolation_mode
        if serverless.subnet_id is not None and isolation != "Disabled":
            fail(
                "serverless_compute.subnet_id",
                serverless.subnet_id,
                f"a workspace with managed network isolation ({isolation}) runs serverless compute in its managed "
                "network; a custom subnet needs workspace isolation_mode Disabled",
            )
        if not serverless.no_public_ip or isolation != "Disabled":
            return
        if serverless.subnet_id is None:
            fail(
                "serverless_compute.no_public_ip",
                True,
                "serverless compute without public IPs needs a subnet (serverless_compute.subnet_id) or managed "
                "network isolation",
            )
        if ws.public_network_access != "Disabled":
            fail(
                "serverless_compute.no_public_ip",
                True,
                "serverless compute without public IPs in a customer VNet needs a private workspace "
                "(workspace public_network_access Disabled, reached through a private endpoint)",
            )
