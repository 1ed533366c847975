"""Another repository's Pulumi program built from the pulumi-azureml components.

It installs the library from git (``uv add "pulumi-azureml @ git+https://github.com/<org>/pulumi-azureml@v0.2.0"``),
takes a key vault and a data lake account from a shared stack through a StackReference, and places
a cluster and a datastore on its workspace. Plan it offline with the shared stack's outputs:

    pulumi-azureml plan --cwd examples/consumer --stack dev \\
        --stack-outputs acme/shared-data/dev=examples/consumer/shared-data.dev.json
"""

import pulumi

from pulumi_azureml import (
    AzureDataLakeGen2Datastore,
    ComputeCluster,
    ComputeClusterArgs,
    ContainerRegistryOptions,
    DatastoreSettings,
    KeyVaultOptions,
    MachineLearningWorkspace,
    MachineLearningWorkspaceArgs,
    WorkspaceOptions,
)

config = pulumi.Config()
shared = pulumi.StackReference(config.require("sharedStack"))

workspace = MachineLearningWorkspace(
    "research",
    MachineLearningWorkspaceArgs(
        workload="research",
        environment="dev",
        location="swedencentral",
        tags={"owner": "research-platform"},
        workspace=WorkspaceOptions(public_network_access="Enabled", isolation_mode="AllowInternetOutbound"),
        # Bring-your-own ids may be Outputs: checked once the shared stack's value is known.
        key_vault=KeyVaultOptions(existing_id=shared.get_output("key_vault_id")),
        container_registry=ContainerRegistryOptions(mode="none"),
    ),
)

# Placement, tags and network posture come from the workspace.
cluster = ComputeCluster(
    "train",
    ComputeClusterArgs(compute_name="cpu-cluster", vm_priority="LowPriority", max_nodes=4),
    workspace=workspace,
)
lake = AzureDataLakeGen2Datastore(
    "lake",
    DatastoreSettings(
        datastore_name="curated",
        container="curated",
        storage_account_id=shared.get_output("lake_account_id"),
    ),
    workspace=workspace,
)
# The cluster's identity reads the data its jobs use.
lake.grant_read(cluster)

for key, value in workspace.connection_bundle().items():
    if value is not None:
        pulumi.export(key, value)
pulumi.export("compute_clusters", [cluster.compute_name])
