"""The azureml-platform program: one Azure ML workspace platform per stack.

`pulumi up` runs this file; `pulumi-azureml plan` runs it unchanged under mocks.
"""

from typing import Any, cast

import pulumi
import pulumi_azure_native.authorization as authorization

from pulumi_azureml.compute import ComputeCluster, ComputeClusterArgs, ComputeInstance, ComputeInstanceArgs
from pulumi_azureml.config import load_stack_config
from pulumi_azureml.datastore import DATASTORE_CLASSES, Datastore, DatastoreArgs
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

# Identity datastores grant the workspace identity that previews data (system-assigned if any).
preview_principal = platform.system_principal_id or platform.principal_id
datastores: list[tuple[Datastore, bool]] = []
for spec in settings.datastore_specs:
    grants = spec.get("grants") or []
    args = {k: v for k, v in spec.items() if k not in ("grants", "default")}
    store = DATASTORE_CLASSES[args["kind"]](
        f"datastore-{args['datastore_name']}",
        cast(
            DatastoreArgs,
            {
                **args,
                **placement,
                "subscription_id": platform.subscription_id,
                "workspace_principal_id": preview_principal,
                "tags": {**placement["tags"], **args.get("tags", {})},
            },
        ),
    )
    for grant in grants:
        give = store.grant_write if grant["access"] == "write" else store.grant_read
        give(grant["principal_id"], label=grant.get("label"), principal_type=grant["principal_type"])
    datastores.append((store, bool(spec.get("default"))))


def datastore_entry(store: Datastore, default: bool) -> pulumi.Output[dict[str, Any]]:
    short, long = store.uris(platform.subscription_id, platform.resource_group_name, platform.workspace_name)
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
pulumi.export("datastores", [datastore_entry(store, default) for store, default in datastores])
# Azure keeps workspaceblobstore as the service default (isDefault is read-only in ARM); the bundle
# carries the team's choice for downstream code.
pulumi.export(
    "default_datastore", next((store.datastore_name for store, default in datastores if default), "workspaceblobstore")
)
