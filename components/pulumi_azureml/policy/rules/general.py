"""Rules that hold for every resource: secrets, protection and tags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model import SECRET, UNKNOWN, Level, Resource, Rule
from .types import (
    APP_INSIGHTS,
    BLOB_CONTAINER,
    COMPUTE,
    FILE_SHARE,
    KEY_VAULT,
    LOG_ANALYTICS,
    REGISTRY,
    RESOURCE_GROUP,
    STORAGE_ACCOUNT,
    WORKSPACE,
)

# Input names whose values are credentials (compared case-insensitively). Names like keyVault,
# keySource or adminPublicKey are not secrets and are not listed.
SECRET_NAMES = frozenset(
    name.lower()
    for name in (
        "password",
        "adminPassword",
        "adminUserPassword",
        "clientSecret",
        "accountKey",
        "sasToken",
        "connectionString",
        "certificate",
        "privateKey",
        "sharedAccessKey",
        "primaryKey",
        "secondaryKey",
        "secret",
        "key",
    )
)
NOT_SECRET_IN_SECRETS = frozenset({"secretstype"})
STATEFUL = (
    RESOURCE_GROUP,
    STORAGE_ACCOUNT,
    BLOB_CONTAINER,
    FILE_SHARE,
    KEY_VAULT,
    REGISTRY,
    LOG_ANALYTICS,
    APP_INSIGHTS,
    WORKSPACE,
)
TAGGED = (RESOURCE_GROUP, STORAGE_ACCOUNT, KEY_VAULT, REGISTRY, LOG_ANALYTICS, APP_INSIGHTS, WORKSPACE, COMPUTE)
REQUIRED_TAGS = ("environment", "workload")


def _plain_secrets(value: Any, path: str, in_secrets: bool) -> list[str]:
    found: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            secretish = str(key).lower() in SECRET_NAMES or (
                in_secrets and str(key).lower() not in NOT_SECRET_IN_SECRETS
            )
            if secretish and isinstance(item, str) and item and item not in (SECRET, UNKNOWN):
                found.append(child)
            else:
                found.extend(_plain_secrets(item, child, in_secrets or str(key) == "secrets"))
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for i, item in enumerate(value):
            found.extend(_plain_secrets(item, f"{path}[{i}]", in_secrets))
    return found


def _no_plain_secrets(r: Resource, _: Sequence[Resource]) -> str | None:
    found = _plain_secrets(r.inputs, "", False)
    if found:
        return f"{', '.join(found)} in plain text: pass it as a Pulumi secret (config --secret)"
    return None


def _protected(r: Resource, _: Sequence[Resource]) -> str | None:
    if not r.protect:
        return "not protected: `pulumi destroy` or a replacement would delete it without a second step"
    return None


def _tags(r: Resource, _: Sequence[Resource]) -> str | None:
    tags = r.inputs.get("tags")
    missing = [t for t in REQUIRED_TAGS if not (isinstance(tags, Mapping) and tags.get(t))]
    if missing:
        return f"missing tag(s) {', '.join(missing)}"
    return None


RULES = (
    Rule(
        id="GEN-001",
        title="No secret in plain text in any input",
        types=("*",),
        sources=(),
        fix="datastores[].credentials: set with `pulumi config set --secret` (plain strings are refused); keep "
        "credentials out of overrides",
        check=_no_plain_secrets,
        needs_secret_markers=True,
    ),
    Rule(
        id="GEN-002",
        title="Stateful resources are protected in prod",
        types=STATEFUL,
        sources=(),
        fix="protect: true (the prod profile's; also protects datastore accounts and containers created here)",
        check=_protected,
        levels={"dev": Level.DISABLED, "staging": Level.ADVISORY, "prod": Level.MANDATORY},
    ),
    Rule(
        id="GEN-003",
        title="Resources carry environment and workload tags",
        types=TAGGED,
        sources=(),
        fix="the components tag everything; keep environment and workload in tags / overrides.tags",
        check=_tags,
    ),
)
