"""Rules for workspace connections (workspaces/connections): how the workspace reaches outside
services (storage, registries, Git, AI services, ...).

azure-native keeps the connection's ARM ``properties`` nested: ``properties.authType`` (the
discriminator of the SDK's ``...AuthType...PropertiesArgs`` classes) and ``properties.isSharedToAll``.
No Azure Policy, PSRule or Checkov rule judges connections: these are the project's.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import ADVISORY_ALL, Resource, Rule, get
from .types import WORKSPACE_CONNECTION

# Auth types that store a credential in the workspace (azure-native ConnectionAuthType); AAD and
# ManagedIdentity use identities, None has nothing to store.
CREDENTIAL_AUTH = (
    "AccessKey",
    "AccountKey",
    "ApiKey",
    "CustomKeys",
    "OAuth2",
    "PAT",
    "SAS",
    "ServicePrincipal",
    "UsernamePassword",
)
NO_KEY = "no config key yet (the connection component is to come): "


def _identity_auth(r: Resource, _: Sequence[Resource]) -> str | None:
    kind = get(r.inputs, "properties.authType")
    if kind in CREDENTIAL_AUTH:
        return f"properties.authType is {kind!r}: a stored credential; prefer AAD or ManagedIdentity"
    return None


def _not_shared_to_all(r: Resource, _: Sequence[Resource]) -> str | None:
    if get(r.inputs, "properties.isSharedToAll") is True:
        return "properties.isSharedToAll is true: every user of the workspace can use the connection"
    return None


RULES = (
    Rule(
        id="CON-001",
        title="Workspace connections use identities, not stored credentials",
        types=(WORKSPACE_CONNECTION,),
        sources=(),
        fix=NO_KEY + "properties.authType: AAD or ManagedIdentity where the target accepts them",
        check=_identity_auth,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="CON-002",
        title="Workspace connections are not shared with every user",
        types=(WORKSPACE_CONNECTION,),
        sources=(),
        fix=NO_KEY + "properties.isSharedToAll: false, with properties.sharedUserList for the users who need it",
        check=_not_shared_to_all,
        levels=ADVISORY_ALL,
    ),
)
