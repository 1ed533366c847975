"""The azureml-platform program: one Azure ML workspace platform per stack.

`pulumi up` runs this file; `pulumi-azureml plan` runs it unchanged under mocks.
"""

from typing import Any

import pulumi

from pulumi_azureml import DATASTORE_CLASSES, ComputeCluster, ComputeInstance, Datastore, MachineLearningWorkspace
from pulumi_azureml.inference import KubernetesCompute, OnlineEndpoint
from pulumi_azureml.stack.config import load_stack_config

# Checks every key first: bad config stops here, before any resource is registered.
settings = load_stack_config()

platform = MachineLearningWorkspace("platform", settings.workspace_args)

# Everything below takes its placement (names, region, tags, network, posture) from the workspace.
clusters = [ComputeCluster(f"cluster-{spec.compute_name}", spec, workspace=platform) for spec in settings.clusters]
instances = [ComputeInstance(f"instance-{spec.compute_name}", spec, workspace=platform) for spec in settings.instances]
datastores = [
    DATASTORE_CLASSES[spec.kind or "AzureBlob"](f"datastore-{spec.datastore_name}", spec, workspace=platform)
    for spec in settings.datastores
]
kubernetes = {
    spec.compute_name: KubernetesCompute(f"kubernetes-{spec.compute_name}", spec, workspace=platform)
    for spec in settings.kubernetes_computes
}
endpoints = [
    OnlineEndpoint(
        f"endpoint-{spec.endpoint_name}",
        spec,
        workspace=platform,
        compute=kubernetes[spec.compute] if spec.compute is not None else None,
    )
    for spec in settings.online_endpoints
]


def datastore_entry(store: Datastore, default: bool) -> pulumi.Output[dict[str, Any]]:
    short, long = store.uris()
    return pulumi.Output.all(account=store.account_name, long=long).apply(
        lambda v: {
            "name": store.datastore_name,
            "kind": store.kind,
            "account_name": v["account"],
            "container": store.container,
            "uri": short,
            "long_uri": v["long"],
            "default": default,
        }
    )


pulumi.export("environment", settings.environment)
for key, value in platform.connection_bundle().items():
    if value is not None:
        pulumi.export(key, value)
pulumi.export("compute_clusters", [c.compute_name for c in clusters])
pulumi.export("compute_instances", [i.compute_name for i in instances])
pulumi.export("kubernetes_computes", [k.bundle_entry() for k in kubernetes.values()])
pulumi.export("online_endpoints", [e.bundle_entry() for e in endpoints])
pulumi.export(
    "datastores",
    [datastore_entry(store, spec.default) for store, spec in zip(datastores, settings.datastores, strict=True)],
)
# Azure keeps workspaceblobstore as the service default (isDefault is read-only in ARM); the bundle
# carries the team's choice for downstream code.
pulumi.export("default_datastore", settings.default_datastore)
