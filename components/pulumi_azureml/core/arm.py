"""ARM resource ids and GUIDs: parsing and checking what callers bring, as strings or Outputs.

Imports no Pulumi SDK at run time (``connect`` uses the checks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    import pulumi

GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# Resource group names: 1-90 letters, digits, '-', '_', '.', '(' and ')', not ending in '.'.
_GROUP = re.compile(r"[-\w.()]{0,89}[-\w()]")
# A name segment: no '/', no whitespace or control characters, and not '.' or '..'.
_SEGMENT = re.compile(r"(?!\.{1,2}$)[^/\s\x00-\x1f\x7f]{1,260}")
_NAMESPACE = re.compile(r"[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+")


@dataclass(frozen=True)
class ResourceId:
    subscription_id: str
    resource_group: str
    namespace: str
    types: tuple[str, ...]
    names: tuple[str, ...]

    @property
    def resource_type(self) -> str:
        return "/".join((self.namespace, *self.types))

    @property
    def name(self) -> str:
        return self.names[-1]


def id_rule(expected_type: str) -> str:
    parts = expected_type.split("/")
    tail = "".join(f"/{t}/<name>" for t in parts[1:])
    return f"must be an ARM resource id like /subscriptions/<guid>/resourceGroups/<group>/providers/{parts[0]}{tail}"


def parse_resource_id(value: str, expected_type: str) -> ResourceId:
    """Parse an ARM id of ``expected_type`` (``Microsoft.Storage/storageAccounts``, or a child type
    such as ``Microsoft.Network/virtualNetworks/subnets``); ValueError(rule) when it is not one."""
    rule = id_rule(expected_type)
    segments = value.split("/") if isinstance(value, str) else []
    # "", "subscriptions", sub, "resourceGroups", rg, "providers", ns, (type, name)+
    if len(segments) < 9 or len(segments) % 2 == 0 or segments[0] != "":
        raise ValueError(rule)
    _, subs, sub, groups, group, providers, namespace, *rest = segments
    if subs.lower() != "subscriptions" or groups.lower() != "resourcegroups" or providers.lower() != "providers":
        raise ValueError(rule)
    if not GUID.fullmatch(sub) or not _GROUP.fullmatch(group) or not _NAMESPACE.fullmatch(namespace):
        raise ValueError(rule)
    kinds, names = tuple(rest[0::2]), tuple(rest[1::2])
    if not all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", k) for k in kinds) or not all(
        _SEGMENT.fullmatch(n) for n in names
    ):
        raise ValueError(rule)
    rid = ResourceId(sub, group, namespace, kinds, names)
    if rid.resource_type.lower() != expected_type.lower():
        raise ValueError(f"must be the id of a {expected_type}, not of a {rid.resource_type}")
    return rid


def is_guid(value: object) -> bool:
    return isinstance(value, str) and GUID.fullmatch(value) is not None


@overload
def id_name(resource_id: str) -> str: ...
@overload
def id_name(resource_id: pulumi.Output[str]) -> pulumi.Output[str]: ...
def id_name(resource_id: str | pulumi.Output[str]) -> str | pulumi.Output[str]:
    """The last segment of an ARM id: the resource's name, now or once the id is known."""
    if not isinstance(resource_id, str):
        return resource_id.apply(lambda rid: rid.rstrip("/").rsplit("/", 1)[-1])
    return resource_id.rstrip("/").rsplit("/", 1)[-1]


def id_scope(resource_id: str | pulumi.Output[str], part: str) -> str | pulumi.Output[str]:
    """``subscription`` or ``resource_group`` of an ARM id, now or once the id is known."""
    index = {"subscription": 2, "resource_group": 4}[part]
    if not isinstance(resource_id, str):
        return resource_id.apply(lambda rid: rid.split("/")[index])
    return resource_id.split("/")[index]
