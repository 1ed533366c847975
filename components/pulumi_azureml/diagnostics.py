"""Diagnostic settings: resource logs and metrics of the workspace, key vault and registry to Log
Analytics.

Azure Policy (afe0c3be) and PSRule (Azure.KeyVault.Logs, Azure.ACR.AuditLogs) expect resource logs;
Azure ML's own audit trail (job, compute and model events), the vault's AuditEvent log and the
registry's login and repository events exist only when a diagnostic setting sends them somewhere.
"""

from __future__ import annotations

from typing import TypedDict

import pulumi
import pulumi_azure_native.monitor as monitor

from .arm import parse_resource_id
from .errors import ConfigError


class DiagnosticsOptions(TypedDict, total=False):
    """Where resource logs go. Defaults are listed per key."""

    enabled: bool
    """Send the workspace's, the created key vault's and registry's resource logs (``allLogs``)
    and metrics to Log Analytics. Default ``True`` when there is a Log Analytics workspace: the one
    created with Application Insights, or ``log_analytics_workspace_id``."""
    log_analytics_workspace_id: str
    """ARM id of the Log Analytics workspace to send to, when monitoring brings an existing
    Application Insights (then no workspace is created here). Default: the created one."""


LOG_ANALYTICS_TYPE = "Microsoft.OperationalInsights/workspaces"


def validate_diagnostics_options(key: str, options: DiagnosticsOptions, *, has_log_analytics: bool) -> None:
    target = options.get("log_analytics_workspace_id")
    if target is not None:
        parse_resource_id(f"{key}.log_analytics_workspace_id", target, LOG_ANALYTICS_TYPE)
    if options.get("enabled") is True and not has_log_analytics and target is None:
        raise ConfigError(
            f"{key}.enabled",
            True,
            "needs a Log Analytics workspace: set diagnostics.log_analytics_workspace_id when monitoring brings "
            "an existing Application Insights",
        )


def send_resource_logs(
    resource_name: str,
    *,
    target_resource_id: pulumi.Input[str],
    log_analytics_workspace_id: pulumi.Input[str],
    parent: pulumi.Resource,
) -> monitor.DiagnosticSetting:
    """One diagnostic setting on ``target_resource_id``: all logs and all metrics to Log Analytics."""
    return monitor.DiagnosticSetting(
        resource_name,
        monitor.DiagnosticSettingArgs(
            resource_uri=target_resource_id,
            name="send-to-log-analytics",
            workspace_id=log_analytics_workspace_id,
            # Resource-specific tables instead of AzureDiagnostics where the service offers them.
            log_analytics_destination_type="Dedicated",
            logs=[monitor.DiagnosticsLogSettingsArgs(category_group="allLogs", enabled=True)],
            metrics=[monitor.DiagnosticsMetricSettingsArgs(category="AllMetrics", enabled=True)],
        ),
        opts=pulumi.ResourceOptions(parent=parent),
    )
