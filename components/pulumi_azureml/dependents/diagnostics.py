"""Diagnostic settings: resource logs and metrics of the workspace, key vault and registry to Log
Analytics.

Azure Policy (afe0c3be) and PSRule (Azure.KeyVault.Logs, Azure.ACR.AuditLogs) expect resource logs;
Azure ML's own audit trail (job, compute and model events), the vault's AuditEvent log and the
registry's login and repository events exist only when a diagnostic setting sends them somewhere.
"""

from __future__ import annotations

import pulumi
import pulumi_azure_native.monitor as monitor

from ..core.schema import Args
from ..core.types import LogAnalyticsWorkspaceId


class DiagnosticsOptions(Args):
    """Where resource logs of the workspace, the key vault and the registry go."""

    enabled: bool | None = None
    """Send the workspace's, the created key vault's and registry's resource logs (``allLogs``) and
    metrics to Log Analytics. Default: on when there is a Log Analytics workspace (the one created
    with Application Insights, or ``log_analytics_workspace_id``)."""
    log_analytics_workspace_id: LogAnalyticsWorkspaceId | None = None
    """Where to send them when monitoring brings an existing Application Insights (then no Log
    Analytics workspace is created here). Default: the created one."""


def send_resource_logs(
    resource_name: str,
    *,
    target_resource_id: pulumi.Input[str],
    log_analytics_workspace_id: pulumi.Input[str],
    parent: pulumi.Resource,
    destination_type_reads_back: bool = True,
) -> monitor.DiagnosticSetting:
    """One diagnostic setting on ``target_resource_id``: all logs and all metrics to Log Analytics.

    ``destination_type_reads_back`` false: the service reads ``logAnalyticsDestinationType`` back as
    null (key vaults, Azure/azure-rest-api-specs#22400), so a refresh would show drift and the next
    `pulumi up` an update; the setting is then sent on create and ignored afterwards.
    """
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
        opts=pulumi.ResourceOptions(
            parent=parent, ignore_changes=None if destination_type_reads_back else ["logAnalyticsDestinationType"]
        ),
    )
