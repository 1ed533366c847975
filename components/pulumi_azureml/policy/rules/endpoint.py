"""Rules for Azure ML online endpoints (workspaces/onlineEndpoints).

azure-native keeps the endpoint's ARM ``properties`` nested: ``properties.authMode``,
``properties.publicNetworkAccess``, ``properties.compute`` (set for a Kubernetes online endpoint,
absent for a managed one). No Azure Policy, PSRule or Checkov rule judges online endpoints (their
only built-in policies deploy diagnostic settings), so the security rules here are the project's.

Learn facts they rest on: ``how-to-authenticate-online-endpoint.md`` (key auth uses static keys that
never expire; Microsoft Entra token auth, ``AADToken``, is for managed online endpoints only,
Kubernetes endpoints use key or ``AMLToken``) and ``concept-secure-online-endpoint.md`` (a managed
endpoint with public network access disabled is scored through the workspace's private endpoint).
Whether ``publicNetworkAccess`` applies to Kubernetes online endpoints is unconfirmed: their inbound
path is the cluster's own ingress, so the network rule judges managed endpoints only.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import ADVISORY_ALL, MANDATORY_ALL, PROD_ONLY, Resource, Rule, get, learn
from .types import ONLINE_ENDPOINT


def _kubernetes(r: Resource) -> bool:
    return bool(get(r.inputs, "properties.compute"))


def _public_access(r: Resource, _: Sequence[Resource]) -> str | None:
    if _kubernetes(r):
        return None
    access = get(r.inputs, "properties.publicNetworkAccess")
    if access != "Disabled":
        return f"properties.publicNetworkAccess is {access!r}: the endpoint is scored from the internet"
    return None


def _identity_auth(r: Resource, _: Sequence[Resource]) -> str | None:
    mode = get(r.inputs, "properties.authMode")
    if mode == "Key":
        return "properties.authMode is 'Key': static keys that never expire (rotate them by hand)"
    if mode == "AMLToken" and not _kubernetes(r):
        return "properties.authMode is 'AMLToken': prefer AADToken (Entra ID, role-scoped) on a managed endpoint"
    return None


def _managed_identity(r: Resource, _: Sequence[Resource]) -> str | None:
    kind = get(r.inputs, "identity.type")
    if kind in (None, "None"):
        return f"identity.type is {kind!r}: the deployments have no managed identity to pull images and read models"
    return None


def _kubernetes_entra(r: Resource, _: Sequence[Resource]) -> str | None:
    if _kubernetes(r) and get(r.inputs, "properties.authMode") == "AADToken":
        return (
            "properties.authMode is 'AADToken' on a Kubernetes online endpoint: Microsoft Entra token auth "
            "is for managed online endpoints only (use Key or AMLToken)"
        )
    return None


RULES = (
    Rule(
        id="MLE-001",
        title="Managed online endpoints have public network access disabled in prod",
        types=(ONLINE_ENDPOINT,),
        sources=(),
        fix="onlineEndpoints[].publicNetworkAccess: Disabled (the prod default; scoring goes through the workspace's "
        "private endpoint)",
        check=_public_access,
        levels=PROD_ONLY,
    ),
    Rule(
        id="MLE-002",
        title="Online endpoints authenticate with Entra ID tokens, not keys",
        types=(ONLINE_ENDPOINT,),
        sources=(),
        fix="onlineEndpoints[].authMode: AADToken (managed endpoints, the default), AMLToken (Kubernetes endpoints)",
        check=_identity_auth,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="MLE-003",
        title="Online endpoints have a managed identity",
        types=(ONLINE_ENDPOINT,),
        sources=(),
        fix="onlineEndpoints[].identity: SystemAssigned (the default), or UserAssigned with userAssignedIdentityId",
        check=_managed_identity,
    ),
)

WORKS_RULES = (
    Rule(
        id="RUN-011",
        title="A Kubernetes online endpoint does not use Entra ID token auth",
        types=(ONLINE_ENDPOINT,),
        sources=(learn("how-to-authenticate-online-endpoint.md (Choose an authentication mode)"),),
        fix="onlineEndpoints[].authMode: AMLToken or Key on an endpoint with compute (the loader refuses "
        "AADToken there)",
        check=_kubernetes_entra,
        levels=dict(MANDATORY_ALL),
        family="works",
    ),
)
