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
        fix="connections[].authType: AAD or ManagedIdentity where the kind allows them (the default for Azure OpenAI, "
        "AI Services, storage and container registries)",
        check=_identity_auth,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="CON-002",
        title="Workspace connections are not shared with every user",
        types=(WORKSPACE_CONNECTION,),
        sources=(),
        fix="connections[].isSharedToAll: false (the default)",
        check=_not_shared_to_all,
        levels=ADVISORY_ALL,
    ),
)
