"""What differs per environment, in one place, as values of the stack schema.

A profile is a partial stack config (snake_case keys of :class:`~pulumi_azureml.stack.schema.StackConfig`)
over the components' own secure, prod-grade defaults, plus the defaults of each compute cluster
and instance; stack config then overrides single keys. Only what really differs between dev,
staging and prod lives here; how a resource is built lives in the components. Every value is
checked against the schema (``tests/test_profiles.py``), so a profile cannot hold a key the
components do not know.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.schema import given_fields
from ..workspace.args import MachineLearningWorkspaceArgs

NIGHTLY_STOP: dict[str, Any] = {"action": "Stop", "cron": "0 20 * * *", "time_zone": "UTC"}


@dataclass(frozen=True)
class EnvironmentProfile:
    """Per-environment posture: stack settings, and the defaults of each compute."""

    name: str
    settings: Mapping[str, Any]
    """Stack settings (``StackConfig`` field names), deep-merged under the stack file's."""
    cluster: Mapping[str, Any]
    """Defaults of every compute cluster (``ComputeClusterSettings`` fields) the stack file leaves out."""
    instance: Mapping[str, Any]
    """Defaults of every compute instance, personal ones included (instance settings fields)."""
    notes: Mapping[str, str]
    """Why a setting differs here, by dotted setting path (shown in the README's Environments table)."""
    kubernetes: Mapping[str, Any] = field(default_factory=dict)
    """Defaults of every Kubernetes compute (``KubernetesComputeSettings`` fields)."""
    endpoint: Mapping[str, Any] = field(default_factory=dict)
    """Defaults of every online endpoint (``OnlineEndpointSettings`` fields)."""
    requires_network: bool = False
    """The stack must say where its private endpoints go (``network``), or opt out with a reason:
    a private platform nobody can reach is no platform."""

    def workspace_args(
        self,
        *,
        workload: str,
        location: str,
        environment: str | None = None,
        instance: str | None = None,
        suffix_seed: str | None = None,
        **overrides: Any,
    ) -> MachineLearningWorkspaceArgs:
        """Arguments for :class:`~pulumi_azureml.workspace.MachineLearningWorkspace` in this environment,
        with ``overrides`` (snake_case, nested mappings merged key by key) on top."""
        workspace_keys = set(MachineLearningWorkspaceArgs.model_fields)
        base = {k: v for k, v in self.settings.items() if k in workspace_keys}
        given = {"workload": workload, "location": location, "environment": environment or self.name}
        given.update({k: v for k, v in {"instance": instance, "suffix_seed": suffix_seed}.items() if v is not None})
        return MachineLearningWorkspaceArgs(**deep_merge(deep_merge(base, given), overrides))


DEV = EnvironmentProfile(
    name="dev",
    settings={
        "protect": False,
        "workspace": {"public_network_access": "Enabled", "isolation_mode": "AllowInternetOutbound"},
        "storage": {
            "sku": "Standard_LRS",
            "allow_shared_key_access": True,
            "public_network_access": "Enabled",
            "blob_soft_delete_days": 7,
            "container_soft_delete_days": 7,
            "share_soft_delete_days": 7,
        },
        "key_vault": {"purge_protection": False, "soft_delete_retention_days": 7, "public_network_access": "Enabled"},
        "monitoring": {"retention_days": 30},
        "container_registry": {"sku": "Basic", "public_network_access": "Enabled"},
        "compute_node_cap": 8,
        "purge_on_destroy": True,
    },
    cluster={"vm_priority": "LowPriority", "max_nodes": 2},
    instance={"idle_shutdown_minutes": 60, "schedules": [NIGHTLY_STOP]},
    kubernetes={
        "cluster": {
            "sku_tier": "Free",
            "private_api_server": False,
            "system_pool": {"min_nodes": 1, "max_nodes": 2},
            "user_pool": {"min_nodes": 0, "max_nodes": 2},
        },
        "extension": {"cluster_purpose": "DevTest", "router_high_availability": False, "internal_load_balancer": False},
    },
    endpoint={"public_network_access": "Enabled"},
    notes={
        "kubernetes.cluster.system_pool.min_nodes": "one always-on node if a dev stack adds a Kubernetes compute "
        "(the shipped dev stack has none: nothing runs all the time in dev)",
        "storage.allow_shared_key_access": "compute instances, studio notebooks and AutoML are documented to need "
        "account keys; staging and prod run jobs under identities",
        "key_vault.purge_protection": "irreversible once on; off in dev so throwaway stacks can be recreated",
        "purge_on_destroy": "a destroyed dev stack frees its workspace and key vault names at once (needs "
        "`pulumi destroy --run-program`)",
        "workspace.isolation_mode": "pip, conda and Hugging Face just work in dev",
        "cluster.vm_priority": "cheap, preemptible nodes in dev",
    },
)

STAGING = EnvironmentProfile(
    name="staging",
    settings={
        "protect": False,
        "workspace": {"public_network_access": "Enabled", "isolation_mode": "AllowOnlyApprovedOutbound"},
        "storage": {
            "sku": "Standard_ZRS",
            "allow_shared_key_access": False,
            "public_network_access": "Enabled",
            "blob_soft_delete_days": 14,
            "container_soft_delete_days": 14,
            "share_soft_delete_days": 14,
        },
        "key_vault": {"purge_protection": True, "soft_delete_retention_days": 30, "public_network_access": "Disabled"},
        "monitoring": {"retention_days": 60},
        "container_registry": {"sku": "Premium", "public_network_access": "Disabled"},
        "compute_node_cap": 16,
    },
    cluster={"vm_priority": "Dedicated", "max_nodes": 4},
    instance={"idle_shutdown_minutes": 60, "schedules": [NIGHTLY_STOP]},
    kubernetes={
        "cluster": {
            "sku_tier": "Free",
            "private_api_server": False,
            "system_pool": {"min_nodes": 1, "max_nodes": 3},
            "user_pool": {"min_nodes": 0, "max_nodes": 2},
        },
        "extension": {"cluster_purpose": "DevTest", "router_high_availability": False, "internal_load_balancer": False},
    },
    endpoint={"public_network_access": "Enabled"},
    notes={
        "workspace.public_network_access": "the studio stays reachable for reviewers",
        "kubernetes.cluster.private_api_server": "staging has no network of its own to reach a private API server "
        "from; Entra ID and Azure RBAC gate the public one",
        "kubernetes.extension.router_high_availability": "one always-on node (DevTest) instead of three",
        "endpoint.public_network_access": "reviewers and CI score from outside a private network",
        "storage.public_network_access": "the studio in a reviewer's browser talks to the default storage directly; "
        "without a private endpoint in the reviewers' network it must admit them (keys off: Entra ID and RBAC "
        "are the gate; IP rules are not supported by the studio)",
    },
)

PROD = EnvironmentProfile(
    name="prod",
    settings={
        "protect": True,
        "workspace": {"public_network_access": "Disabled", "isolation_mode": "AllowOnlyApprovedOutbound"},
        "storage": {
            "sku": "Standard_GZRS",
            "allow_shared_key_access": False,
            "public_network_access": "Disabled",
            "blob_soft_delete_days": 30,
            "container_soft_delete_days": 30,
            "share_soft_delete_days": 30,
        },
        "key_vault": {"purge_protection": True, "soft_delete_retention_days": 90, "public_network_access": "Disabled"},
        "monitoring": {"retention_days": 90},
        "container_registry": {"sku": "Premium", "public_network_access": "Disabled"},
        "compute_node_cap": 64,
    },
    cluster={"vm_priority": "Dedicated", "max_nodes": 8},
    instance={"idle_shutdown_minutes": 60, "schedules": []},
    notes={"protect": "a `pulumi destroy` or a replacement must be an explicit decision in prod"},
    requires_network=True,
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
    """``base`` with ``override`` (snake_case, nested mappings merged key by key), checked again."""
    return MachineLearningWorkspaceArgs(**deep_merge(given_fields(base), override))
