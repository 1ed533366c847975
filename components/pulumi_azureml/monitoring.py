"""Log Analytics and workspace-based Application Insights for a workspace."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

import pulumi
import pulumi_azure_native.applicationinsights as applicationinsights
import pulumi_azure_native.operationalinsights as operationalinsights

from .errors import check_whole_number
from .overrides import as_resource_kwargs, build_args, check_overrides


class MonitoringOptions(TypedDict, total=False):
    """Options for Log Analytics + Application Insights. Defaults are listed per key."""

    existing_application_insights_id: str
    """ARM id of an existing Application Insights component; then neither it nor a Log Analytics
    workspace is created. Default: create both."""
    log_analytics_name: str
    """Default ``log-<workload>-<env>-<region>``."""
    application_insights_name: str
    """Default ``appi-<workload>-<env>-<region>``."""
    retention_days: int
    """Log Analytics retention, 30-730 days. Default 30."""
    disable_local_auth: bool
    """Application Insights ingestion with Entra ID only. Default ``False``: managed online
    endpoints and the azure-ai-ml SDK send telemetry with the connection string's key."""
    log_analytics_overrides: Mapping[str, Any]
    """Escape hatch: keyword arguments for ``operationalinsights.WorkspaceArgs``."""
    application_insights_overrides: Mapping[str, Any]
    """Escape hatch: keyword arguments for ``applicationinsights.ComponentArgs``."""


MONITORING_DEFAULTS: MonitoringOptions = {"retention_days": 30, "disable_local_auth": False}


def validate_monitoring_options(key: str, options: MonitoringOptions) -> None:
    days = options.get("retention_days", 30)
    check_whole_number(f"{key}.retention_days", days, 30, 730, unit="days")
    check_overrides(
        f"{key}.log_analytics_overrides",
        operationalinsights.WorkspaceArgs,
        options.get("log_analytics_overrides"),
    )
    check_overrides(
        f"{key}.application_insights_overrides",
        applicationinsights.ComponentArgs,
        options.get("application_insights_overrides"),
    )


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
    opts: dict[str, Any] = {**MONITORING_DEFAULTS, **options}
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
                "retention_in_days": opts["retention_days"],
                # Entra-only ingestion and queries: nothing here uses the workspace's shared keys
                # (Application Insights and diagnostic settings write as the service).
                "features": operationalinsights.WorkspaceFeaturesArgs(disable_local_auth=True),
                "tags": dict(tags),
            },
            opts.get("log_analytics_overrides"),
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
                    "disable_local_auth": opts["disable_local_auth"],
                    "tags": dict(tags),
                },
                opts.get("application_insights_overrides"),
            )
        ),
    )
    return Monitoring(log_analytics, application_insights)
