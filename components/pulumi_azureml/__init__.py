"""Pulumi components for Azure Machine Learning platforms.

    from pulumi_azureml import ComputeCluster, ComputeClusterArgs, MachineLearningWorkspace

    ws = MachineLearningWorkspace("research", MachineLearningWorkspaceArgs(workload="research", ...))
    ComputeCluster("train", ComputeClusterArgs(compute_name="cpu-cluster"), workspace=ws)

Names are imported on first use, so ``pulumi-azureml connect`` does not load Pulumi's SDK.
Packages: ``workspace``, ``compute``, ``datastore`` (components and their arguments),
``inference`` (Kubernetes compute, online endpoints), ``registry`` (the Azure ML registry),
``connection`` (workspace connections), ``dependents`` (storage, key vault, monitoring, registry,
identity), ``stack`` (stack config and profiles), ``plan`` (the offline plan), ``policy`` (the rules),
``core`` (names, ids, errors, roles).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .compute import (
        AssignedUser,
        ComputeCluster,
        ComputeClusterArgs,
        ComputeClusterSettings,
        ComputeIdentity,
        ComputeInstance,
        ComputeInstanceArgs,
        ComputeInstanceSettings,
        InstanceTemplate,
        PersonalUser,
        Schedule,
        SetupScript,
        create_personal_instances,
    )
    from .compute.attached import (
        AksInferenceCluster,
        AttachedDatabricks,
        AttachedHDInsight,
        AttachedSynapseSpark,
        AttachedVirtualMachine,
    )
    from .connection import WorkspaceConnection
    from .core.errors import ConfigError
    from .core.roles import BuiltInRole, assign_role
    from .datastore import (
        DATASTORE_CLASSES,
        AzureBlobDatastore,
        AzureDataLakeGen1Datastore,
        AzureDataLakeGen2Datastore,
        AzureFileDatastore,
        Datastore,
        DatastoreArgs,
        DatastoreCredentials,
        DatastoreGrant,
        DatastoreSettings,
    )
    from .dependents.diagnostics import DiagnosticsOptions
    from .dependents.identity import IdentityOptions
    from .dependents.keyvault import KeyVaultOptions
    from .dependents.monitoring import MonitoringOptions
    from .dependents.registry import ContainerRegistryOptions
    from .dependents.storage import StorageAccountSettings, WorkspaceStorageOptions
    from .inference import (
        KubernetesCompute,
        KubernetesComputeArgs,
        KubernetesComputeSettings,
        OnlineEndpoint,
        OnlineEndpointArgs,
        OnlineEndpointSettings,
    )
    from .registry import MachineLearningRegistry, RegistryArgs, RegistrySettings
    from .stack.profiles import PROFILES, EnvironmentProfile, merge_workspace_args
    from .workspace import (
        MachineLearningWorkspace,
        MachineLearningWorkspaceArgs,
        ServerlessComputeOptions,
        WorkspaceOptions,
        WorkspacePlacement,
    )

_EXPORTS = {
    "pulumi_azureml.compute": (
        "AssignedUser",
        "ComputeCluster",
        "ComputeClusterArgs",
        "ComputeClusterSettings",
        "ComputeIdentity",
        "ComputeInstance",
        "ComputeInstanceArgs",
        "ComputeInstanceSettings",
        "InstanceTemplate",
        "PersonalUser",
        "Schedule",
        "SetupScript",
        "create_personal_instances",
    ),
    "pulumi_azureml.inference": (
        "KubernetesCompute",
        "KubernetesComputeArgs",
        "KubernetesComputeSettings",
        "OnlineEndpoint",
        "OnlineEndpointArgs",
        "OnlineEndpointSettings",
    ),
    "pulumi_azureml.registry": ("MachineLearningRegistry", "RegistryArgs", "RegistrySettings"),
    "pulumi_azureml.connection": ("WorkspaceConnection",),
    "pulumi_azureml.compute.attached": (
        "AksInferenceCluster",
        "AttachedDatabricks",
        "AttachedHDInsight",
        "AttachedSynapseSpark",
        "AttachedVirtualMachine",
    ),
    "pulumi_azureml.core.errors": ("ConfigError",),
    "pulumi_azureml.core.roles": ("BuiltInRole", "assign_role"),
    "pulumi_azureml.datastore": (
        "DATASTORE_CLASSES",
        "AzureBlobDatastore",
        "AzureDataLakeGen1Datastore",
        "AzureDataLakeGen2Datastore",
        "AzureFileDatastore",
        "Datastore",
        "DatastoreArgs",
        "DatastoreCredentials",
        "DatastoreGrant",
        "DatastoreSettings",
    ),
    "pulumi_azureml.dependents.diagnostics": ("DiagnosticsOptions",),
    "pulumi_azureml.dependents.identity": ("IdentityOptions",),
    "pulumi_azureml.dependents.keyvault": ("KeyVaultOptions",),
    "pulumi_azureml.dependents.monitoring": ("MonitoringOptions",),
    "pulumi_azureml.dependents.registry": ("ContainerRegistryOptions",),
    "pulumi_azureml.dependents.storage": ("StorageAccountSettings", "WorkspaceStorageOptions"),
    "pulumi_azureml.stack.profiles": ("PROFILES", "EnvironmentProfile", "merge_workspace_args"),
    "pulumi_azureml.workspace": (
        "MachineLearningWorkspace",
        "MachineLearningWorkspaceArgs",
        "ServerlessComputeOptions",
        "WorkspaceOptions",
        "WorkspacePlacement",
    ),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

# Literal, so type checkers and linters see the public names (a test checks it matches _EXPORTS).
__all__ = [
    "DATASTORE_CLASSES",
    "PROFILES",
    "AksInferenceCluster",
    "AssignedUser",
    "AttachedDatabricks",
    "AttachedHDInsight",
    "AttachedSynapseSpark",
    "AttachedVirtualMachine",
    "AzureBlobDatastore",
    "AzureDataLakeGen1Datastore",
    "AzureDataLakeGen2Datastore",
    "AzureFileDatastore",
    "BuiltInRole",
    "ComputeCluster",
    "ComputeClusterArgs",
    "ComputeClusterSettings",
    "ComputeIdentity",
    "ComputeInstance",
    "ComputeInstanceArgs",
    "ComputeInstanceSettings",
    "ConfigError",
    "ContainerRegistryOptions",
    "Datastore",
    "DatastoreArgs",
    "DatastoreCredentials",
    "DatastoreGrant",
    "DatastoreSettings",
    "DiagnosticsOptions",
    "EnvironmentProfile",
    "IdentityOptions",
    "InstanceTemplate",
    "KeyVaultOptions",
    "KubernetesCompute",
    "KubernetesComputeArgs",
    "KubernetesComputeSettings",
    "MachineLearningRegistry",
    "MachineLearningWorkspace",
    "MachineLearningWorkspaceArgs",
    "MonitoringOptions",
    "OnlineEndpoint",
    "OnlineEndpointArgs",
    "OnlineEndpointSettings",
    "PersonalUser",
    "RegistryArgs",
    "RegistrySettings",
    "Schedule",
    "ServerlessComputeOptions",
    "SetupScript",
    "StorageAccountSettings",
    "WorkspaceConnection",
    "WorkspaceOptions",
    "WorkspacePlacement",
    "WorkspaceStorageOptions",
    "assign_role",
    "create_personal_instances",
    "merge_workspace_args",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'pulumi_azureml' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
