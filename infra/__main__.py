"""The azureml-platform program: one Azure ML workspace platform per environment stack, and the
shared registry in the ``shared`` stack.

`pulumi up` runs this file; `pulumi-azureml plan` runs it unchanged under mocks.
"""

from typing import Any

import pulumi

from pulumi_azureml import DATASTORE_CLASSES, ComputeCluster, ComputeInstance, Datastore, MachineLearningWorkspace
from pulumi_azureml.compute.attached import ATTACHED_CLASSES
from pulumi_azureml.connection import WorkspaceConnection
from pulumi_azureml.inference import KubernetesCompute, OnlineEndpoint
from pulumi_azureml.registry import MachineLearningRegistry
from pulumi_azureml.stack.config import StackSettings, is_shared_stack, load_shared_config, load_stack_config

REGISTRY_KEYS = (
    "registry_name",
    "registry_location",
    "registry_arm_id",
    "registry_resource_group_name",
    "registry_subscription_id",
    "registry_discovery_url",
    "registry_mlflow_uri",
)


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


def shared_stack() -> None:
    """The registry every environment reads from; its bundle keys are this stack's outputs."""
    shared = load_shared_config()
    registry = MachineLearningRegistry(
        "registry",
        {
            **{k: getattr(shared.registry, k) for k in shared.registry.model_fields_set},
            "workload": shared.workload,
            "environment": shared.environment,
            "instance": shared.instance,
            "tags": {**shared.tags, **shared.registry.tags},
        },
    )
    pulumi.export("environment", shared.environment)
    for key, value in registry.connection_bundle().items():
        pulumi.export(key, value)


def environment_stack(settings: StackSettings) -> None:
    platform = MachineLearningWorkspace("platform", settings.workspace_args)

    # The shared registry, from its own stack: the workspace reads its assets, endpoints deploy from it.
    registry_id: pulumi.Output[Any] | None = None
    if settings.config.registry is not None:
        shared = pulumi.StackReference(settings.config.registry.stack)
        registry_id = shared.require_output("registry_arm_id")
        for key in REGISTRY_KEYS:
            pulumi.export(key, shared.require_output(key))
        # Reader for the workspace identity, its people and its compute identities, and the managed
        # network's way out to a public registry (see MachineLearningWorkspace.use_registry).
        ref = settings.config.registry
        platform.use_registry(
            registry_id,
            workspace_identity=ref.workspace_access,
            people=ref.user_access,
            computes=ref.compute_access,
            regions=ref.outbound_regions,
        )

    # Everything below takes its placement (names, region, tags, network, posture) from the workspace.
    clusters = [ComputeCluster(f"cluster-{spec.compute_name}", spec, workspace=platform) for spec in settings.clusters]
    instances = [
        ComputeInstance(f"instance-{spec.compute_name}", spec, workspace=platform) for spec in settings.instances
    ]
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
            spec.model_copy(update={"registry_ids": [*spec.registry_ids, registry_id]}) if registry_id else spec,
            workspace=platform,
            compute=kubernetes[spec.compute] if spec.compute is not None else None,
        )
        for spec in settings.online_endpoints
    ]
    attached = [
        ATTACHED_CLASSES[type(spec)](f"attached-{spec.compute_name}", spec, workspace=platform)
        for spec in settings.attached_computes
    ]
    connections = [
        WorkspaceConnection(f"connection-{spec.connection_name}", spec, workspace=platform)
        for spec in settings.connections
    ]

    pulumi.export("environment", settings.environment)
    for key, value in platform.connection_bundle().items():
        if value is not None:
            pulumi.export(key, value)
    pulumi.export("compute_clusters", [c.compute_name for c in clusters])
    pulumi.export("compute_instances", [i.compute_name for i in instances])
    pulumi.export("kubernetes_computes", [k.bundle_entry() for k in kubernetes.values()])
    pulumi.export("attached_computes", [a.compute_name for a in attached])
    pulumi.export("online_endpoints", [e.bundle_entry() for e in endpoints])
    pulumi.export("connections", [c.bundle_entry() for c in connections])
    pulumi.export(
        "datastores",
        [datastore_entry(store, spec.default) for store, spec in zip(datastores, settings.datastores, strict=True)],
    )
    # Azure keeps workspaceblobstore as the service default (isDefault is read-only in ARM); the bundle
    # carries the team's choice for downstream code.
    pulumi.export("default_datastore", settings.default_datastore)


# Checks every key first: bad config stops here, before any resource is registered.
if is_shared_stack():
    shared_stack()
else:
    environment_stack(load_stack_config())
