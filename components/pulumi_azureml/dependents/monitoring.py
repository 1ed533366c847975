"""Log Analytics and workspace-based Application Insights for a workspace."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import pulumi
import pulumi_azure_native.applicationinsights as applicationinsights
import pulumi_azure_native.operationalinsights as operationalinsights
from pydantic import Field

from ..core.naming import APPLICATION_INSIGHTS_RULE, LOG_ANALYTICS_RULE
from ..core.overrides import as_resource_kwargs, build_args
from ..core.schema import Args
from ..core.types import ApplicationInsightsId, OverridesOf, name_rule


class MonitoringOptions(Args):
    """Log Analytics + workspace-based Application Insights, created or brought by id."""

    existing_application_insights_id: ApplicationInsightsId | None = None
    """ARM id of an existing Application Insights component; then neither it nor a Log Analytics
    workspace is created."""
    log_analytics_name: Annotated[str, name_rule(LOG_ANALYTICS_RULE)] | None = None
    """Default ``log-<workload>-<env>-<region>``."""
    application_insights_name: Annotated[str, name_rule(APPLICATION_INSIGHTS_RULE)] | None = None
    """Default ``appi-<workload>-<env>-<region>``."""
    retention_days: Annotated[int, Field(ge=30, le=730)] = 30
    """Log Analytics retention, 30-730 days."""
    disable_local_auth: bool = False
    """Entra-only Application Insights ingestion. Off by default: managed online endpoints and the
    azure-ai-ml SDK send telemetry with the connection string's key."""
    log_analytics_overrides: Annotated[dict[str, Any], OverridesOf(operationalinsights.WorkspaceArgs)] = {}
    """Escape hatch: keyword arguments for ``operationalinsights.WorkspaceArgs`` (Log Analytics has
    ``features.disable_local_auth: true`` unless overridden)."""
    application_insights_overrides: Annotated[dict[str, Any], OverridesOf(applicationinsights.ComponentArgs)] = {}
    """Escape hatch: keyword arguments for ``applicationinsights.ComponentArgs``."""


@dataclass
class Monitoring:
    log_analytics: operationalinsights.Workspace
    application_insights: applicationinsights.Component


def create_monitoring(
    resource_name: str,
    *,
    log_analytics_name: str,
    application_insights_name: str,
    resource_group_name: pulumi.Input[str],
    location: pulumi.Input[str],
    options: MonitoringOptions,
    tags: Mapping[str, str],
    parent: pulumi.Resource,
    protect: bool,
) -> Monitoring:
    resource_opts = pulumi.ResourceOptions(parent=parent, protect=protect)
    log_analytics = operationalinsights.Workspace(
        f"{resource_name}-log",
        build_args(
            operationalinsights.WorkspaceArgs,
            {
                "workspace_name": log_analytics_name,
                "resource_group_name": resource_group_name,
                "location": location,
                "sku": operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
                "retention_in_days": options.retention_days,
                # Entra-only ingestion and queries: nothing here uses the workspace's shared keys
                # (Application Insights and diagnostic settings write as the service).
                "features": operationalinsights.WorkspaceFeaturesArgs(disable_local_auth=True),
                "tags": dict(tags),
            },
            options.log_analytics_overrides,
        ),
        opts=resource_opts,
    )
    application_insights = applicationinsights.Component(
        f"{resource_name}-appi",
        opts=resource_opts,
        **as_resource_kwargs(
            build_args(
                applicationinsights.ComponentArgs,
                {
                    "resource_name": application_insights_name,
                    "resource_group_name": resource_group_name,
                    "location": location,
                    "kind": "web",
                    "application_type": "web",
                    # Workspace-based: classic (standalone) Application Insights is retired.
                    "workspace_resource_id": log_analytics.id,
                    "ingestion_mode": "LogAnalytics",
                    "disable_local_auth": options.disable_local_auth,
                    "tags": dict(tags),
                },
                options.application_insights_overrides,
            )
        ),
    )
    return Monitoring(log_analytics, application_insights)
