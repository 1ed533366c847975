"""Rules for Azure ML datastores (no tool found has any)."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Resource, Rule, get
from .types import DATASTORE

SHARED_SECRETS = ("AccountKey", "Sas")


def _identity_access(r: Resource, _: Sequence[Resource]) -> str | None:
    kind = get(r.inputs, "properties.credentials.credentialsType")
    if kind in SHARED_SECRETS:
        return f"credentials {kind}: a copy of an account key or SAS token lives in the workspace key vault"
    return None


RULES = (
    Rule(
        id="DS-001",
        title="Datastores use identities, not account keys or SAS",
        types=(DATASTORE,),
        sources=(),
        fix="datastores[].credentials.mode: identity (Blob, Gen2) or service_principal; Files needs a key: keep "
        "it out of staging and prod or lower this rule with a reason in policy",
        check=_identity_access,
    ),
)
