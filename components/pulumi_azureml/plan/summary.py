"""Figures about a plan that reviewers ask for: counts, the compute that never sleeps, and the
dependency graph's depth (longest chain of sequential creates) and width."""

from __future__ import annotations

from typing import Any

from ..core.provider_inputs import get_path
from .graph import depth_and_width
from .resources import PlannedResource

COMPUTE_TYPE = "azure-native:machinelearningservices:Compute"
AKS_TYPE = "azure-native:containerservice:ManagedCluster"


def always_on_nodes(resources: list[PlannedResource]) -> int:
    """Nodes that run (and cost) with no work: cluster minimum nodes, plus compute instances
    without idle shutdown (a stop schedule alone still leaves them on for part of the day), plus the
    minimum nodes of every AKS node pool (billed whether or not anything is deployed)."""
    total = 0
    for resource in resources:
        if resource.type == AKS_TYPE:
            pools = resource.inputs.get("agentPoolProfiles") or []
            total += sum(int(p.get("minCount") or p.get("count") or 0) for p in pools if isinstance(p, dict))
            continue
        if resource.type != COMPUTE_TYPE:
            continue
        properties = resource.inputs.get("properties") or {}
        kind = properties.get("computeType")
        if kind == "AmlCompute":
            total += int(get_path(properties, "properties.scaleSettings.minNodeCount") or 0)
        elif kind == "ComputeInstance" and not get_path(properties, "properties.idleTimeBeforeShutdown"):
            total += 1
    return total


def summarize(resources: list[PlannedResource]) -> dict[str, Any]:
    custom = [r for r in resources if r.custom]
    depth, width = depth_and_width(resources)
    return {
        "resources": len(custom),
        "components": len(resources) - len(custom),
        "protected": sum(1 for r in custom if r.protect),
        "alwaysOnNodes": always_on_nodes(resources),
        "depth": depth,
        "width": width,
    }
