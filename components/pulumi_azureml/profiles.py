"""What differs per environment, in one place.

A profile turns into :class:`~pulumi_azureml.workspace.MachineLearningWorkspaceArgs` on top of
the component's own (secure, prod-grade) defaults; stack config then overrides single keys.
Only what really differs between dev, staging and prod lives here; how a resource is built
lives in the components.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from .compute import Schedule, VmPriority
from .workspace import IsolationMode, MachineLearningWorkspaceArgs, PublicNetworkAccess


@dataclass(frozen=True)
class ComputeProfile:
    """Compute defaults and guardrails for an environment."""

    cluster_vm_priority: VmPriority
    """Low priority in dev (cheap, preemptible); dedicated where runs must finish."""
    cluster_max_nodes: int
    """Default ``max_nodes`` of a cluster that does not set it."""
    node_cap: int
    """Ceiling on the sum of ``max_nodes`` over all clusters of the stack: a cost guardrail."""
    instance_idle_shutdown_minutes: int
    """Compute instances shut down after this many idle minutes unless config says otherwise."""
    instance_schedules: tuple[Schedule, ...]
    """Schedules every compute instance gets unless config gives its own (dev: a nightly stop)."""

    def cluster_defaults(self) -> dict[str, Any]:
        """Defaults for a cluster in this environment (min 0 nodes comes from the component)."""
        return {"vm_priority": self.cluster_vm_priority, "max_nodes": self.cluster_max_nodes}

    def instance_defaults(self) -> dict[str, Any]:
        return {
            "idle_shutdown_minutes": self.instance_idle_shutdown_minutes,
            "schedules": [dict(s) for s in self.instance_schedules],
        }


NIGHTLY_STOP: Schedule = {"action": "Stop", "cron": "0 20 * * *", "time_zone": "UTC"}


@dataclass(frozen=True)
class EnvironmentProfile:
    """Per-environment posture. Each field says what it controls and why it differs."""

    name: str
    storage_sku: str
    """Redundancy: local in dev, zone-redundant in staging, geo-zone-redundant in prod."""
    storage_allow_shared_key_access: bool
    """Shared-key access on the workspace storage. On in dev only: compute instance creation,
    studio notebooks and AutoML are documented to need it (identity-only storage is still in
    preview for those). Staging and prod run jobs and pipelines, which work with identities."""
    storage_public_network_access: PublicNetworkAccess
    soft_delete_days: int
    """Blob, container and file-share soft-delete retention."""
    key_vault_purge_protection: bool
    """Irreversible once on, and keeps the vault name taken after deletion: off in dev so
    throwaway stacks can be recreated, on elsewhere."""
    key_vault_soft_delete_retention_days: int
    key_vault_public_network_access: PublicNetworkAccess
    log_retention_days: int
    registry_sku: str
    """Premium where private endpoints are needed (approved-outbound isolation)."""
    registry_public_network_access: PublicNetworkAccess
    workspace_public_network_access: PublicNetworkAccess
    """Staging keeps the studio reachable for reviewers; prod is private-endpoint only."""
    isolation_mode: IsolationMode
    """AllowInternetOutbound in dev (pip, conda and Hugging Face just work); approved outbound
    only in staging and prod."""
    protect: bool
    """Pulumi ``protect`` on stateful resources: a `pulumi destroy` or a replacement must be an
    explicit decision in prod."""
    compute: ComputeProfile

    def workspace_args(
        self,
        *,
        workload: str,
        location: str,
        environment: str | None = None,
        instance: str | None = None,
        suffix_seed: str | None = None,
    ) -> MachineLearningWorkspaceArgs:
        """Arguments for :class:`~pulumi_azureml.workspace.MachineLearningWorkspace` in this environment."""
        return {
            "workload": workload,
            "environment": environment or self.name,
            "location": location,
            "instance": instance,
            "suffix_seed": suffix_seed,
            "public_network_access": self.workspace_public_network_access,
            "isolation_mode": self.isolation_mode,
            "system_datastores_auth_mode": "Identity",
            "protect": self.protect,
            "storage": {
                "sku": self.storage_sku,
                "allow_shared_key_access": self.storage_allow_shared_key_access,
                "public_network_access": self.storage_public_network_access,
                "blob_soft_delete_days": self.soft_delete_days,
                "container_soft_delete_days": self.soft_delete_days,
                "share_soft_delete_days": self.soft_delete_days,
            },
            "key_vault": {
                "purge_protection": self.key_vault_purge_protection,
                "soft_delete_retention_days": self.key_vault_soft_delete_retention_days,
                "public_network_access": self.key_vault_public_network_access,
            },
            "monitoring": {"retention_days": self.log_retention_days},
            "container_registry": {
                "mode": "create",
                "sku": self.registry_sku,
                "public_network_access": self.registry_public_network_access,
            },
        }


DEV = EnvironmentProfile(
    name="dev",
    storage_sku="Standard_LRS",
    storage_allow_shared_key_access=True,
    storage_public_network_access="Enabled",
    soft_delete_days=7,
    key_vault_purge_protection=False,
    key_vault_soft_delete_retention_days=7,
    key_vault_public_network_access="Enabled",
    log_retention_days=30,
    registry_sku="Basic",
    registry_public_network_access="Enabled",
    workspace_public_network_access="Enabled",
    isolation_mode="AllowInternetOutbound",
    protect=False,
    compute=ComputeProfile(
        cluster_vm_priority="LowPriority",
        cluster_max_nodes=2,
        node_cap=8,
        instance_idle_shutdown_minutes=60,
        instance_schedules=(NIGHTLY_STOP,),
    ),
)

STAGING = EnvironmentProfile(
    name="staging",
    storage_sku="Standard_ZRS",
    storage_allow_shared_key_access=False,
    storage_public_network_access="Disabled",
    soft_delete_days=14,
    key_vault_purge_protection=True,
    key_vault_soft_delete_retention_days=30,
    key_vault_public_network_access="Disabled",
    log_retention_days=60,
    registry_sku="Premium",
    registry_public_network_access="Disabled",
    workspace_public_network_access="Enabled",
    isolation_mode="AllowOnlyApprovedOutbound",
    protect=False,
    compute=ComputeProfile(
        cluster_vm_priority="Dedicated",
        cluster_max_nodes=4,
        node_cap=16,
        instance_idle_shutdown_minutes=60,
        instance_schedules=(NIGHTLY_STOP,),
    ),
)

PROD = EnvironmentProfile(
    name="prod",
    storage_sku="Standard_GZRS",
    storage_allow_shared_key_access=False,
    storage_public_network_access="Disabled",
    soft_delete_days=30,
    key_vault_purge_protection=True,
    key_vault_soft_delete_retention_days=90,
    key_vault_public_network_access="Disabled",
    log_retention_days=90,
    registry_sku="Premium",
    registry_public_network_access="Disabled",
    workspace_public_network_access="Disabled",
    isolation_mode="AllowOnlyApprovedOutbound",
    protect=True,
    compute=ComputeProfile(
        cluster_vm_priority="Dedicated",
        cluster_max_nodes=8,
        node_cap=64,
        instance_idle_shutdown_minutes=60,
        instance_schedules=(),
    ),
)

PROFILES: Mapping[str, EnvironmentProfile] = {p.name: p for p in (DEV, STAGING, PROD)}


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``; nested mappings merge key by key, anything else is replaced.

    ``overrides`` escape-hatch mappings merge too, so config can add one SDK argument without
    repeating the others.
    """
    merged: dict[str, Any] = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def merge_workspace_args(
    base: MachineLearningWorkspaceArgs, override: Mapping[str, Any]
) -> MachineLearningWorkspaceArgs:
    return cast(MachineLearningWorkspaceArgs, deep_merge(base, override))
