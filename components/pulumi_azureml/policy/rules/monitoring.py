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
        sources=(ap("WorkspaceResourceId"), ps("Azure.AppInsights.Workspace")),
        fix="monitoring: let the component create both (workspaceResourceId is always set)",
        check=_workspace_based,
    ),
    Rule(
        id="MON-002",
        title="Application Insights accepts Entra ID ingestion only",
        types=(APP_INSIGHTS,),
        sources=(ap("DisableLocalAuth"), ps("Azure.AppInsights.LocalAuth")),
        fix="monitoring.disableLocalAuth: true (online endpoints then need Entra-authenticated telemetry)",
        check=_insights_local_auth,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="MON-003",
        title="Log Analytics accepts Entra ID ingestion only",
        types=(LOG_ANALYTICS,),
        sources=(ap("features.disableLocalAuth"),),
        fix="monitoring.logAnalyticsOverrides: do not set features.disable_local_auth false (true by default)",
        check=_log_analytics_local_auth,
    ),
    Rule(
        id="MON-004",
        title="Monitoring ingestion and query are private",
        types=(APP_INSIGHTS, LOG_ANALYTICS),
        sources=(ap("publicNetworkAccessForIngestion/ForQuery"),),
        fix="monitoring.*Overrides.public_network_access_for_ingestion/_for_query: Disabled, with an Azure Monitor "
        "Private Link Scope (not built by this project)",
        check=_private_ingestion,
        levels=ADVISORY_ALL,
    ),
)
