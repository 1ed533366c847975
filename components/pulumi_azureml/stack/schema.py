"""The schema of ``stacks/Pulumi.<env>.yaml``, composed from the component schemas.

Top-level keys are the workspace's arguments
(:class:`~pulumi_azureml.workspace.MachineLearningWorkspaceArgs`), the stack-only keys below (the
computes and datastores of the stack, the node cap) and the policy levels
(:class:`~pulumi_azureml.policy.levels.PolicySettings`). Keys are camelCase
(``storage.allowSharedKeyAccess``), in the project namespace (``azureml-platform:storage``).
Nothing is declared twice: a field here is a stack-only setting.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, Field

from ..compute.args import ComputeClusterSettings, ComputeInstanceSettings, PersonalInstancesSettings
from ..datastore.args import DatastoreSettings
from ..inference.args import KubernetesComputeSettings, OnlineEndpointSettings
from ..policy.levels import PolicySettings
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
