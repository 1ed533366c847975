"""The azureml-platform program: one Azure ML workspace platform per stack.

`pulumi up` runs this file; `pulumi-azureml plan` runs it unchanged under mocks.
"""

from typing import Any, cast

import pulumi
import pulumi_azure_native.authorization as authorization

from pulumi_azureml.compute import ComputeCluster, ComputeClusterArgs, ComputeInstance, ComputeInstanceArgs
from pulumi_azureml.config import load_stack_config
from pulumi_azureml.workspace import MachineLearningWorkspace

# Validates every key first: bad config stops here, before any resource is registered.
settings = load_stack_config()

platform = MachineLearningWorkspace("platform", settings.workspace_args)

# Computes hang off the workspace name only, so they are created in parallel once it exists.
placement: dict[str, Any] = {
    "workspace_name": platform.workspace_name,
    "resource_group_name": platform.resource_group_name,
    "location": settings.workspace_args["location"],
    "tags": {"workload": settings.workspace_args["workload"], "environment": settings.environment},
}
clusters = [
    ComputeCluster(f"cluster-{spec['compute_name']}", cast(ComputeClusterArgs, {**spec, **placement}))
    for spec in settings.cluster_specs
]
tenant_id = authorization.get_client_config_output().tenant_id
instances = []
for spec in settings.instance_specs:
    user = spec.get("assigned_user")
    if user is not None and user.get("tenant_id") is None:
        spec = {**spec, "assigned_user": {**user, "tenant_id": tenant_id}}
    instances.append(
        ComputeInstance(f"instance-{spec['compute_name']}", cast(ComputeInstanceArgs, {**spec, **placement}))
    )

pulumi.export("environment", settings.environment)
for key, value in platform.connection_bundle().items():
    if value is not None:
        pulumi.export(key, value)
pulumi.export("compute_clusters", [c.compute_name for c in clusters])
pulumi.export("compute_instances", [i.compute_name for i in instances])
