"""Attached computes: existing compute registered in an Azure ML workspace, and the legacy AKS
inference cluster.

Each component registers one ``machinelearningservices:Compute`` whose ``resourceId`` points at
the resource it attaches. Azure ML fixes the attachment at creation: to change a TLS or other
cluster setting one first removes the attachment and attaches again (Learn v1
how-to-attach-compute-targets, "Limitations"), so the type, the id, the location and the
type-specific properties are ``replace_on_changes`` with ``delete_before_replace``. A Synapse
pool's identity and tags are documented as updatable in place (Learn how-to-manage-synapse-spark-pool)
and stay out of its list. Tags of the others change in place (unconfirmed for those types).

Destroying or replacing a compute runs the ``before_delete`` hook with the component's
``on_destroy``: ``Detach`` (the default for what this program did not create) keeps the VM,
pool, workspace or cluster; ``Delete`` deletes it too. Do not attach one resource twice (under two
names or to two workspaces): each new attachment breaks the earlier ones (same Learn pages).

Credentials (VM and HDInsight passwords or private keys, the Databricks token, an AKS TLS key)
are accepted only as Pulumi secrets and sent as secrets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

import pulumi
import pulumi_azure_native.machinelearningservices as ml

from ..core.schema import python, validate
from ..core.tokens import component_type
from ..lifecycle import hooks
from ..workspace.placement import resolve_placement
from .args import ComputeIdentity
from .attached_args import (
    AksInferenceClusterArgs,
    AksInferenceClusterSettings,
    AksSslSettings,
    DatabricksAttachArgs,
    DatabricksAttachSettings,
    HDInsightAttachArgs,
    HDInsightAttachSettings,
    OnDestroy,
    SynapseSparkAttachArgs,
    SynapseSparkAttachSettings,
    VirtualMachineAttachArgs,
    VirtualMachineAttachSettings,
    _AttachedCommon,
    _SshAttached,
)
from .component import Workspace, _Compute, _identity_args

# What Azure fixes when it attaches: a change detaches and attaches again (module docstring).
_ATTACHED = [
    "properties.computeType",
    "properties.resourceId",
    "properties.computeLocation",
    "properties.description",
]
VIRTUAL_MACHINE_REPLACE_ON_CHANGES = [*_ATTACHED, "properties.properties"]
SYNAPSE_SPARK_REPLACE_ON_CHANGES = [*_ATTACHED, "properties.disableLocalAuth"]
DATABRICKS_REPLACE_ON_CHANGES = [*_ATTACHED, "properties.properties"]
HDINSIGHT_REPLACE_ON_CHANGES = [*_ATTACHED, "properties.properties"]
# A created cluster's size and network are fixed too, and its identity (azurerm forces a new
# inference cluster for identity changes).
AKS_REPLACE_ON_CHANGES = [*_ATTACHED, "properties.properties", "identity"]

LEGACY_AKS_WARNING = (
    "legacy AKS inference cluster (computeType AKS): Microsoft calls creating or attaching AKS this way a legacy "
    "feature of SDK/CLI v1 and recommends the Kubernetes compute target (kubernetesComputes, KubernetesCompute) "
    "instead (learn.microsoft.com/azure/machine-learning/v1/how-to-create-attach-kubernetes); SDK v1 is deprecated "
    "since 31 March 2025 and its support ended 30 June 2026, the v1 CLI extension's on 30 September 2025"
)


def _secret(value: pulumi.Output[str] | None) -> pulumi.Output[str] | None:
    # Validation took only Outputs; marking them secret again keeps one that came unmarked from
    # another resource out of the state in plain text.
    return pulumi.Output.secret(value) if value is not None else None


def _ssh_credentials(a: _SshAttached) -> ml.VirtualMachineSshCredentialsArgs:
    return ml.VirtualMachineSshCredentialsArgs(
        username=a.admin_user_name, password=_secret(a.admin_password), private_key_data=_secret(a.ssh_private_key)
    )


class _AttachedCompute(_Compute):
    """What every attached compute shares: the one ``ml.Compute``, its delete hook and outputs."""

    on_destroy: OnDestroy
    """What destroying the compute does to the underlying resource."""

    def _attach(
        self,
        name: str,
        a: _AttachedCommon,
        properties: Any,
        replace_on_changes: list[str],
        on_destroy: OnDestroy,
        identity: ComputeIdentity | None = None,
    ) -> None:
        p = self.placement
        self._name = name
        self.on_destroy = on_destroy
        self.compute = ml.Compute(
            f"{name}-compute",
            ml.ComputeArgs(
                compute_name=a.compute_name,
                workspace_name=p.workspace_name,
                resource_group_name=p.resource_group_name,
                location=p.location,
                identity=_identity_args(identity),
                properties=properties,
                tags=p.tags_with(a.tags),
            ),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=a.protect,
                replace_on_changes=replace_on_changes,
                delete_before_replace=True,
                hooks=pulumi.ResourceHookBinding(
                    before_delete=[hooks.delete_compute(f"{name}-compute-delete", on_destroy)]
                ),
            ),
        )
        self.compute_name = self.compute.name
        self.principal_id = (
            self.compute.identity.apply(lambda i: (i.principal_id or "") if i else "")
            if identity is not None and "SystemAssigned" in identity.type
            else None
        )
        if identity is not None:
            # The cluster's grants: default storage, identity datastores, registry, key vault.
            # _identity_access reads only datastore_access and key_vault_secrets of the settings.
            self._identity_access(a.compute_name, cast(Any, a), identity)
        self.register_outputs(
            {"compute_name": self.compute_name, "principal_id": self.principal_id, "on_destroy": on_destroy}
        )


class AttachedVirtualMachine(_AttachedCompute):
    """An existing Ubuntu VM attached over SSH (``computeType: VirtualMachine``); detached, not
    deleted, on destroy by default.

    ``AttachedVirtualMachine("dsvm", {"compute_name": "dsvm", "resource_id": vm.id,
    "admin_user_name": "azureuser", "ssh_private_key": config.require_secret("dsvmKey")}, workspace=ws)``
    """

    TYPE = component_type("AttachedVirtualMachine")

    def __init__(
        self,
        name: str,
        args: VirtualMachineAttachSettings | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        spelling = python(f"AttachedVirtualMachine({name!r})")
        settings = isinstance(args, VirtualMachineAttachSettings)
        a = validate(VirtualMachineAttachSettings if settings else VirtualMachineAttachArgs, args, spelling)
        self.placement = resolve_placement(workspace, a, spelling)
        super().__init__(self.TYPE, name, None, opts)
        if self.placement.managed_network:
            # how-to-managed-network.md, Limitations: "Kubernetes and attached VMs aren't supported in an
            # Azure Machine Learning managed virtual network."
            pulumi.log.warn(
                f"attached VM {a.compute_name}: attached VMs are not supported in the workspace's managed virtual "
                "network; the VM stays in its own network and must reach the workspace, its storage and registry "
                "from there (public access or private endpoints in that network)",
                resource=self,
            )
        self._attach(
            name,
            a,
            ml.VirtualMachineArgs(
                compute_type="VirtualMachine",
                resource_id=a.resource_id,
                compute_location=a.compute_location,
                description=a.description,
                properties=ml.VirtualMachineSchemaPropertiesArgs(
                    ssh_port=a.ssh_port, address=a.address, administrator_account=_ssh_credentials(a)
                ),
            ),
            VIRTUAL_MACHINE_REPLACE_ON_CHANGES,
            a.on_destroy,
        )


class AttachedHDInsight(_AttachedCompute):
    """An existing HDInsight cluster attached over SSH (``computeType: HDInsight``); detached on
    destroy by default. Learn documents this attach for SDK v1 only.
    """

    TYPE = component_type("AttachedHDInsight")

    def __init__(
        self,
        name: str,
        args: HDInsightAttachSettings | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        spelling = python(f"AttachedHDInsight({name!r})")
        model = HDInsightAttachSettings if isinstance(args, HDInsightAttachSettings) else HDInsightAttachArgs
        a = validate(model, args, spelling)
        self.placement = resolve_placement(workspace, a, spelling)
        super().__init__(self.TYPE, name, None, opts)
        self._attach(
            name,
            a,
            ml.HDInsightArgs(
                compute_type="HDInsight",
                resource_id=a.resource_id,
                compute_location=a.compute_location,
                description=a.description,
                properties=ml.HDInsightPropertiesArgs(
                    ssh_port=a.ssh_port, address=a.address, administrator_account=_ssh_credentials(a)
                ),
            ),
            HDINSIGHT_REPLACE_ON_CHANGES,
            a.on_destroy,
        )


class AttachedSynapseSpark(_AttachedCompute):
    """An existing Synapse Spark pool attached with a managed identity (``computeType:
    SynapseSpark``); detached on destroy by default.

    The pool's identity still needs Synapse Administrator on the pool in Synapse RBAC, which no
    ARM role assignment gives (see :class:`SynapseSparkAttachSettings`): ``principal_id`` is its
    system identity's principal.
    """

    TYPE = component_type("AttachedSynapseSpark")

    def __init__(
        self,
        name: str,
        args: SynapseSparkAttachSettings | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        spelling = python(f"AttachedSynapseSpark({name!r})")
        model = SynapseSparkAttachSettings if isinstance(args, SynapseSparkAttachSettings) else SynapseSparkAttachArgs
        a = validate(model, args, spelling)
        self.placement = resolve_placement(workspace, a, spelling)
        super().__init__(self.TYPE, name, None, opts)
        self._attach(
            name,
            a,
            # No properties: node size, scaling and pausing are the pool's own, read by Azure ML.
            ml.SynapseSparkArgs(
                compute_type="SynapseSpark",
                resource_id=a.resource_id,
                compute_location=a.compute_location,
                description=a.description,
                disable_local_auth=not a.local_auth,
            ),
            SYNAPSE_SPARK_REPLACE_ON_CHANGES,
            a.on_destroy,
            a.identity,
        )


class AttachedDatabricks(_AttachedCompute):
    """An existing Azure Databricks workspace attached with an access token (``computeType:
    Databricks``); detached on destroy by default.
    """

    TYPE = component_type("AttachedDatabricks")

    def __init__(
        self,
        name: str,
        args: DatabricksAttachSettings | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        spelling = python(f"AttachedDatabricks({name!r})")
        model = DatabricksAttachSettings if isinstance(args, DatabricksAttachSettings) else DatabricksAttachArgs
        a = validate(model, args, spelling)
        self.placement = resolve_placement(workspace, a, spelling)
        super().__init__(self.TYPE, name, None, opts)
        self._attach(
            name,
            a,
            ml.DatabricksArgs(
                compute_type="Databricks",
                resource_id=a.resource_id,
                compute_location=a.compute_location,
                description=a.description,
                properties=ml.DatabricksPropertiesArgs(
                    databricks_access_token=_secret(a.access_token), workspace_url=a.workspace_url
                ),
            ),
            DATABRICKS_REPLACE_ON_CHANGES,
            a.on_destroy,
        )


def _ssl(ssl: AksSslSettings | None) -> ml.SslConfigurationArgs | None:
    if ssl is None:
        return None
    return ml.SslConfigurationArgs(
        status=ssl.status,
        cert=ssl.cert,
        key=_secret(ssl.key),
        cname=ssl.cname,
        leaf_domain_label=ssl.leaf_domain_label,
        overwrite_existing_domain=ssl.overwrite_existing_domain if ssl.status == "Auto" else None,
    )


def _aks_properties(a: AksInferenceClusterSettings) -> ml.AKSSchemaPropertiesArgs:
    network = (
        ml.AksNetworkingConfigurationArgs(
            subnet_id=a.subnet_id, service_cidr=a.service_cidr, dns_service_ip=a.dns_service_ip
        )
        if a.subnet_id is not None
        else None
    )
    return ml.AKSSchemaPropertiesArgs(
        cluster_purpose=a.cluster_purpose,
        agent_count=a.agent_count,
        agent_vm_size=a.agent_vm_size,
        load_balancer_type=a.load_balancer_type,
        load_balancer_subnet=a.load_balancer_subnet,
        aks_networking_configuration=network,
        ssl_configuration=_ssl(a.ssl),
    )


class AksInferenceCluster(_AttachedCompute):
    """A legacy (v1) AKS inference cluster (``computeType: AKS``): attach an existing AKS cluster
    (``resource_id``; detached on destroy by default) or let Azure ML create one (deleted with the
    compute by default). Warns at every plan that Microsoft calls it legacy.

    ``AksInferenceCluster("score", {"compute_name": "aks-score", "resource_id": aks.id}, workspace=ws)``
    """

    TYPE = component_type("AksInferenceCluster")

    def __init__(
        self,
        name: str,
        args: AksInferenceClusterSettings | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        spelling = python(f"AksInferenceCluster({name!r})")
        a = validate(
            AksInferenceClusterSettings if isinstance(args, AksInferenceClusterSettings) else AksInferenceClusterArgs,
            args,
            spelling,
        )
        self.placement = resolve_placement(workspace, a, spelling)
        super().__init__(self.TYPE, name, None, opts)
        pulumi.log.warn(LEGACY_AKS_WARNING, resource=self)
        self._attach(
            name,
            a,
            ml.AKSArgs(
                compute_type="AKS",
                resource_id=a.resource_id,
                compute_location=a.compute_location,
                description=a.description,
                properties=_aks_properties(a),
            ),
            AKS_REPLACE_ON_CHANGES,
            a.destroy_action,
            a.identity,
        )


ATTACHED_CLASSES: dict[type[Any], Callable[..., _AttachedCompute]] = {
    VirtualMachineAttachSettings: AttachedVirtualMachine,
    HDInsightAttachSettings: AttachedHDInsight,
    SynapseSparkAttachSettings: AttachedSynapseSpark,
    DatabricksAttachSettings: AttachedDatabricks,
    AksInferenceClusterSettings: AksInferenceCluster,
}
"""The component of each attached compute's settings (what a stack's ``attachedComputes[]`` hold)."""
