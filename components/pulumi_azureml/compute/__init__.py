"""Compute clusters, compute instances and personal instances."""

from .args import (
    AssignedUser,
    ComputeClusterArgs,
    ComputeClusterSettings,
    ComputeIdentity,
    ComputeInstanceArgs,
    ComputeInstanceSettings,
    InstanceTemplate,
    PersonalInstancesSettings,
    PersonalUser,
    Schedule,
    SetupScript,
)
from .component import (
    CLUSTER_REPLACE_ON_CHANGES,
    INSTANCE_REPLACE_ON_CHANGES,
    ComputeCluster,
    ComputeInstance,
    create_personal_instances,
    personal_instance_name,
    personal_instance_settings,
)

__all__ = [
    "CLUSTER_REPLACE_ON_CHANGES",
    "INSTANCE_REPLACE_ON_CHANGES",
    "AssignedUser",
    "ComputeCluster",
    "ComputeClusterArgs",
    "ComputeClusterSettings",
    "ComputeIdentity",
    "ComputeInstance",
    "ComputeInstanceArgs",
    "ComputeInstanceSettings",
    "InstanceTemplate",
    "PersonalInstancesSettings",
    "PersonalUser",
    "Schedule",
    "SetupScript",
    "create_personal_instances",
    "personal_instance_name",
    "personal_instance_settings",
]
