"""Rules for Application Insights and its Log Analytics workspace."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import ADVISORY_ALL, Resource, Rule, ap, get, ps
from .types import APP_INSIGHTS, LOG_ANALYTICS


def _workspace_based(r: Resource, _: Sequence[Resource]) -> str | None:
    if not r.inputs.get("workspaceResourceId"):
        return "no workspaceResourceId: classic Application Insights (retired)"
    return None


def _insights_local_auth(r: Resource, _: Sequence[Resource]) -> str | None:
    if r.inputs.get("disableLocalAuth") is not True:
        return "disableLocalAuth is not true: telemetry is accepted with the instrumentation key alone"
    return None


def _log_analytics_local_auth(r: Resource, _: Sequence[Resource]) -> str | None:
    if get(r.inputs, "features.disableLocalAuth") is not True:
        return "features.disableLocalAuth is not true: the workspace accepts shared-key ingestion"
    return None


def _private_ingestion(r: Resource, _: Sequence[Resource]) -> str | None:
    open_paths = [
        key
        for key in ("publicNetworkAccessForIngestion", "publicNetworkAccessForQuery")
        if r.inputs.get(key) != "Disabled"
    ]
    if open_paths:
        return " and ".join(open_paths) + " not Disabled"
    return None


RULES = (
    Rule(
        id="MON-001",
        title="Application Insights is workspace-based",
        types=(APP_INSIGHTS,),
        sources=(ap("d550e854"), ps("Azure.AppInsights.Workspace")),
        fix="monitoring.applicationInsightsOverrides: do not unset workspace_resource_id (or bring a "
        "workspace-based one with monitoring.existingApplicationInsightsId)",
        check=_workspace_based,
    ),
    Rule(
        id="MON-002",
        title="Application Insights accepts Entra ID ingestion only",
        types=(APP_INSIGHTS,),
        sources=(ap("199d5677"), ps("Azure.AppInsights.LocalAuth")),
        fix="monitoring.disableLocalAuth: true (online endpoints then need Entra-authenticated telemetry)",
        check=_insights_local_auth,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="MON-003",
        title="Log Analytics accepts Entra ID ingestion only",
        types=(LOG_ANALYTICS,),
        sources=(ap("e15effd4"),),
        fix="monitoring.logAnalyticsOverrides: do not set features.disable_local_auth false (true by default)",
        check=_log_analytics_local_auth,
    ),
    Rule(
        id="MON-004",
        title="Monitoring ingestion and query are private",
        types=(APP_INSIGHTS, LOG_ANALYTICS),
        sources=(ap("1bc02227"), ap("6c53d030")),
        fix="monitoring.applicationInsightsOverrides and monitoring.logAnalyticsOverrides: "
        "public_network_access_for_ingestion and _for_query Disabled, with an Azure Monitor Private Link Scope "
        "(not built by this project)",
        check=_private_ingestion,
        levels=ADVISORY_ALL,
    ),
)
