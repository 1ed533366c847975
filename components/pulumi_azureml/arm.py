"""ARM resource ids: parsing and checking ids that callers bring."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ConfigError

_ID = re.compile(
    r"^/subscriptions/(?P<sub>[0-9a-fA-F-]{36})/resourceGroups/(?P<rg>[-\w._()]{1,90})"
    r"/providers/(?P<ns>[A-Za-z.]+)/(?P<type>[A-Za-z]+)/(?P<name>[^/]+)$"
)


@dataclass(frozen=True)
class ResourceId:
    subscription_id: str
    resource_group: str
    namespace: str
    type: str
    name: str

    @property
    def resource_type(self) -> str:
        return f"{self.namespace}/{self.type}"


def parse_resource_id(key: str, value: str, expected_type: str) -> ResourceId:
    """Parse a top-level ARM id and check its type (e.g. ``Microsoft.Storage/storageAccounts``).

    ``key`` names the argument or config key in the error.
    """
    match = _ID.match(value)
    if not match:
        raise ConfigError(
            key,
            value,
            f"must be an ARM resource id like /subscriptions/<guid>/resourceGroups/<rg>/providers/"
            f"{expected_type}/<name>",
        )
    rid = ResourceId(match["sub"], match["rg"], match["ns"], match["type"], match["name"])
    if rid.resource_type.lower() != expected_type.lower():
        raise ConfigError(key, value, f"must be the id of a {expected_type}, not {rid.resource_type}")
    return rid


GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
SUBNET_ID = re.compile(
    r"^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/Microsoft\.Network/virtualNetworks/[^/]+"
    r"/subnets/[^/]+$",
    re.IGNORECASE,
)


def is_guid(value: object) -> bool:
    return isinstance(value, str) and GUID.match(value) is not None


def check_subnet_id(key: str, value: str | None) -> None:
    """A subnet ARM id, or None."""
    if value is not None and not SUBNET_ID.match(value):
        raise ConfigError(key, value, "must be a subnet ARM id (.../virtualNetworks/<vnet>/subnets/<subnet>)")
