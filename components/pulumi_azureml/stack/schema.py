"""The schema of ``stacks/Pulumi.<env>.yaml``, composed from the component schemas.

Top-level keys are the workspace's arguments
(:class:`~pulumi_azureml.workspace.MachineLearningWorkspaceArgs`), the stack-only keys below (the
computes and datastores of the stack, the node cap) and the policy levels
(:class:`~pulumi_azureml.policy.levels.PolicySettings`). Keys are camelCase
(``storage.allowSharedKeyAccess``), in the project namespace (``azureml-platform:storage``).
Nothing is declared twice: a field here is a stack-only setting.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import ConfigDict, Field, model_validator

from ..compute.args import ComputeClusterSettings, ComputeInstanceSettings, PersonalInstancesSettings
from ..compute.attached_args import (
    AksInferenceClusterSettings,
    DatabricksAttachSettings,
    HDInsightAttachSettings,
    SynapseSparkAttachSettings,
    VirtualMachineAttachSettings,
)
from ..connection.args import ConnectionSettings
from ..core.schema import Args, StrCheck, fail
from ..core.types import EnvironmentToken, InstanceToken, Region, Tags, Workload
from ..datastore.args import DatastoreSettings
from ..inference.args import KubernetesComputeSettings, OnlineEndpointSettings
from ..policy.levels import PolicySettings
from ..registry.args import RegistrySettings
from ..workspace.args import MachineLearningWorkspaceArgs

LOADER_DEFAULTS = {
    "environment": "the stack name",
    "location": "azure-native:location",
}
"""Keys the stack loader fills before validation when a stack file leaves them out."""


def _loader_defaults(schema: dict[str, Any]) -> None:
    # The component needs these; a stack file may leave them to the stack name and the provider's region.
    schema["required"] = [key for key in schema.get("required", []) if key not in LOADER_DEFAULTS]
    for key, source in LOADER_DEFAULTS.items():
        prop = schema["properties"][key]
        prop["description"] = f"{prop.get('description', '')} Default: {source}.".strip()


class StackDatastore(DatastoreSettings):
    """A datastore of the stack."""

    default: bool = False
    """The team's default datastore, exported as ``default_datastore`` (at most one)."""


ATTACHED_KINDS = ("virtual_machine", "synapse_spark", "databricks", "hd_insight", "aks_inference_cluster")


class StackAttachedCompute(Args):
    """One attached compute: exactly one of its kinds."""

    virtual_machine: VirtualMachineAttachSettings | None = None
    """An existing VM, attached over SSH (credentials as secrets)."""
    synapse_spark: SynapseSparkAttachSettings | None = None
    """A Synapse Spark pool."""
    databricks: DatabricksAttachSettings | None = None
    """An Azure Databricks workspace (access token as a secret)."""
    hd_insight: HDInsightAttachSettings | None = None
    """An HDInsight cluster, attached over SSH (credentials as secrets)."""
    aks_inference_cluster: AksInferenceClusterSettings | None = None
    """The legacy AKS inference cluster (``computeType: AKS``); prefer ``kubernetesComputes``."""

    @model_validator(mode="after")
    def _one_kind(self) -> StackAttachedCompute:
        given = [kind for kind in ATTACHED_KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            fail(
                (),
                given,
                "needs exactly one of virtualMachine, synapseSpark, databricks, hdInsight, aksInferenceCluster",
            )
        return self

    @property
    def settings(self) -> Any:
        return next(getattr(self, kind) for kind in ATTACHED_KINDS if getattr(self, kind) is not None)


def _stack_name_check(value: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", value):
        raise ValueError("must be a fully qualified stack name: <organization>/<project>/<stack>")


class RegistryReference(Args):
    """The shared Azure ML registry, from the stack that owns it (``stacks/Pulumi.shared.yaml``)."""

    stack: Annotated[
        str,
        StrCheck(
            _stack_name_check,
            {"type": "string", "pattern": "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"},
            outputs=False,
            label="<organization>/<project>/<stack>",
        ),
    ]
    """The shared stack's fully qualified name (``<organization>/azureml-platform/shared``), read with a
    StackReference; offline, its outputs come from ``stacks/outputs/<organization>.<project>.<stack>.json``
    or ``--stack-outputs``."""
    workspace_access: bool = True
    """Reader on the registry for the workspace identity: jobs and deployments of this workspace use
    its models, environments and components."""
    user_access: bool = True
    """Reader on the registry for ``access.dataScientists`` and ``access.readers``: Learn's role for
    people who use a registry's assets in a workspace (submitting a job with its environment or
    component, deploying its model) without changing them."""
    compute_access: bool = True
    """Reader on the registry for every compute cluster's and instance's identity of this stack
    (derived from Learn's read permissions; Learn names no role for compute identities)."""
    outbound_regions: Annotated[list[Region], Field(min_length=1, max_length=10)] | None = None
    """The registry's regions this workspace reads it in: with ``workspace.isolationMode``
    ``AllowOnlyApprovedOutbound``, each gets ``Storage.<region>`` and ``AzureContainerRegistry.<region>``
    outbound rules (a public registry's storage and images; the managed network's required rules
    lack them). Default: the stack's location. Only in ``AllowOnlyApprovedOutbound``."""


class StackConfig(MachineLearningWorkspaceArgs, PolicySettings):
    """Everything a stack file may set in the project namespace."""

    model_config = ConfigDict(json_schema_extra=_loader_defaults)

    compute_clusters: list[ComputeClusterSettings] = []
    """Compute clusters; each takes the environment's cluster defaults for what it leaves out."""
    compute_instances: list[ComputeInstanceSettings] = []
    """Compute instances, each with its ``assignedUser``; the environment's instance defaults apply."""
    personal_instances: PersonalInstancesSettings | None = None
    """One instance per user from shared settings, named ``ci-<alias>-<4 letters>`` (stable per user
    and workspace)."""
    kubernetes_computes: list[KubernetesComputeSettings] = []
    """Kubernetes computes (an AKS cluster with the Azure ML extension, or an attached one) for
    inference; each takes the environment's Kubernetes defaults for what it leaves out."""
    online_endpoints: list[OnlineEndpointSettings] = []
    """Online endpoints (managed, or on a Kubernetes compute of this stack); deployments stay downstream."""
    compute_node_cap: Annotated[int, Field(ge=0)] | None = None
    """Ceiling on the sum of ``maxNodes`` over all clusters and the node pools of the Kubernetes
    clusters created here: a cost guardrail. Default: the environment's (raise it deliberately)."""
    datastores: list[StackDatastore] = []
    """Datastores registered on the workspace (see Datastores)."""
    attached_computes: list[StackAttachedCompute] = []
    """Compute of yours attached to the workspace (a VM, Synapse Spark, Databricks, HDInsight, or the
    legacy AKS inference cluster); detached, not deleted, on destroy unless ``onDestroy: Delete``."""
    connections: list[ConnectionSettings] = []
    """Workspace connections (Azure OpenAI, AI Services, storage, container registry, Git, Python feed,
    custom keys), identity-based where the service allows; credentials only as secrets."""
    registry: RegistryReference | None = None
    """The shared Azure ML registry this environment reads models, environments and components from."""


class SharedStackConfig(PolicySettings):
    """A stack of shared assets (``stacks/Pulumi.shared.yaml``, ``environment: shared``): the Azure ML
    registry every environment reads from, and nothing else."""

    workload: Workload
    """Short workload token used in the registry's default name."""
    environment: EnvironmentToken = "shared"
    """Always ``shared`` for this kind of stack."""
    location: Region
    """The registry's primary region (``azure-native:location`` by default)."""
    instance: InstanceToken | None = None
    """Instance number appended to the default names."""
    tags: Tags = {}
    """Added to the registry's and resource group's tags."""
    registry: RegistrySettings
    """The registry: regions, network access, private endpoint, readers and publishers."""
