"""Field types shared by the settings models: each carries its rule, its JSON Schema and, for ids
that may arrive as ``pulumi.Output`` values, the check that runs once the value is known.

Every alias is a plain ``Annotated[...]`` (so mypy reads it as a type); the metadata objects do
the checking.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import pulumi
from pydantic import AfterValidator, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import core_schema

from . import naming, vmsizes
from .arm import GUID, id_rule, parse_resource_id
from .overrides import override_problem, sdk_parameters, sdk_types, value_problem
from .schema import StrCheck, fail

PublicNetworkAccess = Literal["Enabled", "Disabled"]

InputStr = str | pulumi.Output[str]
"""What Pulumi programs pass for a value another resource or stack may compute."""


def _guid_check(value: str) -> None:
    if not GUID.fullmatch(value):
        raise ValueError("must be a GUID like 5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d")


_GUID_SCHEMA = {"type": "string", "pattern": f"^{GUID.pattern}$"}
GUID_CHECK = StrCheck(_guid_check, _GUID_SCHEMA, label="GUID")
PLAIN_GUID_CHECK = StrCheck(_guid_check, _GUID_SCHEMA, outputs=False, label="GUID")

Guid = Annotated[InputStr, GUID_CHECK]
"""A principal, object, tenant or client id: a GUID (an Output is checked once known)."""
PlainGuid = Annotated[str, PLAIN_GUID_CHECK]
"""A GUID that must be known when the program runs (a name is derived from it)."""


def arm_id(expected_type: str) -> StrCheck:
    """Metadata for the ARM id of an ``expected_type`` resource (an Output is checked once known)."""

    def check(value: str) -> None:
        parse_resource_id(value, expected_type)

    parts = expected_type.split("/")
    pattern = "^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]+/providers/" + re.escape(parts[0])
    pattern += "".join(f"/{re.escape(p)}/[^/]+" for p in parts[1:]) + "$"
    schema = {"type": "string", "pattern": pattern, "description": id_rule(expected_type)}
    return StrCheck(check, schema, label=f"ARM id ({expected_type})")


SubnetId = Annotated[InputStr, arm_id("Microsoft.Network/virtualNetworks/subnets")]
"""A subnet's ARM id (``.../virtualNetworks/<vnet>/subnets/<subnet>``)."""
StorageAccountId = Annotated[InputStr, arm_id("Microsoft.Storage/storageAccounts")]
KeyVaultId = Annotated[InputStr, arm_id("Microsoft.KeyVault/vaults")]
ApplicationInsightsId = Annotated[InputStr, arm_id("Microsoft.Insights/components")]
LogAnalyticsWorkspaceId = Annotated[InputStr, arm_id("Microsoft.OperationalInsights/workspaces")]
ContainerRegistryId = Annotated[InputStr, arm_id("Microsoft.ContainerRegistry/registries")]
UserAssignedIdentityId = Annotated[InputStr, arm_id("Microsoft.ManagedIdentity/userAssignedIdentities")]
VirtualNetworkId = Annotated[InputStr, arm_id("Microsoft.Network/virtualNetworks")]
PrivateDnsZoneId = Annotated[InputStr, arm_id("Microsoft.Network/privateDnsZones")]


def _cidr_check(value: str) -> None:
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError:
        raise ValueError("must be an IPv4 CIDR block with no host bits set, like 10.20.0.0/16") from None
    if network.version != 4 or "/" not in value:
        raise ValueError("must be an IPv4 CIDR block with no host bits set, like 10.20.0.0/16")


Cidr = Annotated[
    str,
    StrCheck(
        _cidr_check, {"type": "string", "pattern": r"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$"}, outputs=False, label="CIDR"
    ),
]
"""An IPv4 address block (``10.20.0.0/16``)."""


def name_rule(rule: naming.NameRule, *, outputs: bool = False) -> StrCheck:
    """Metadata for a name that must satisfy a service's :class:`~pulumi_azureml.core.naming.NameRule`."""

    def check(value: str) -> None:
        try:
            naming.validate_name(rule, value)
        except naming.NamingError as err:
            raise ValueError(err.rule) from None

    # JSON Schema patterns are ECMA-262: Python's \Z is $ there.
    pattern = rule.pattern.pattern.replace(r"\Z", "$")
    schema = {"type": "string", "minLength": rule.min_len, "maxLength": rule.max_len, "pattern": f"^(?:{pattern})$"}
    return StrCheck(check, schema, outputs=outputs, label=f"{rule.service} name")


def token(pattern: re.Pattern[str], rule: str, label: str) -> StrCheck:
    """Metadata for a name token that must match ``pattern`` whole (``rule``: "<what> must be ...")."""

    def check(value: str) -> None:
        if not pattern.fullmatch(value):
            raise ValueError(rule.split(" ", 1)[1])

    return StrCheck(check, {"type": "string", "pattern": f"^(?:{pattern.pattern})$"}, outputs=False, label=label)


Workload = Annotated[str, token(naming.WORKLOAD_PATTERN, naming.WORKLOAD_RULE, "`^[a-z][a-z0-9]{1,9}$`")]
"""2-10 lowercase letters and digits, starting with a letter."""
EnvironmentToken = Annotated[
    str, token(naming.ENVIRONMENT_PATTERN, naming.ENVIRONMENT_RULE, "`dev`, `staging`, `prod`")
]
"""2-8 lowercase letters and digits, starting with a letter."""
InstanceToken = Annotated[str, token(naming.INSTANCE_PATTERN, naming.INSTANCE_RULE, "`^[0-9]{2,3}$`")]
"""2-3 digits."""


def _region_check(value: str) -> None:
    if value not in naming.REGION_ABBREVIATIONS:
        guess = re.sub(r"[\s_-]", "", value).lower()
        hint = f" (did you mean {guess!r}?)" if guess in naming.REGION_ABBREVIATIONS else ""
        raise ValueError(naming.LOCATION_RULE + hint)


Region = Annotated[
    str,
    StrCheck(
        _region_check,
        {"type": "string", "enum": sorted(naming.REGION_ABBREVIATIONS)},
        outputs=False,
        label="Azure region",
    ),
]
"""An Azure region as ARM spells it (``westeurope``)."""


def _seed_check(value: str) -> None:
    if not value or value != value.strip() or any(c in value for c in "\n\r\t"):
        raise ValueError("must be a non-empty string without surrounding spaces or line breaks")


SuffixSeed = Annotated[str, StrCheck(_seed_check, {"type": "string", "minLength": 1}, outputs=False)]

VM_SIZE = re.compile(r"Standard_[A-Za-z0-9]+(_[A-Za-z0-9]+)*")


def _vm_size_check(value: str) -> None:
    if not VM_SIZE.fullmatch(value):
        raise ValueError("must be an Azure VM size like Standard_D4s_v5 or Standard_NC4as_T4_v3")
    news = vmsizes.notice(value)
    if news is not None and news.status == "retired":
        # Azure deallocates retired sizes: a compute of one never gets a node.
        raise ValueError(news.message())


VmSize = Annotated[
    str, StrCheck(_vm_size_check, {"type": "string", "pattern": f"^{VM_SIZE.pattern}$"}, outputs=False, label="VM size")
]


def _check_datastore_name(value: str) -> None:
    if not re.fullmatch(r"[a-z][a-z0-9_]{2,254}", value):
        raise ValueError("datastore names are 3-255 lowercase letters, digits and '_', starting with a letter")


DatastoreName = Annotated[
    str,
    StrCheck(
        _check_datastore_name,
        {"type": "string", "pattern": "^[a-z][a-z0-9_]{2,254}$"},
        outputs=False,
        label="`^[a-z][a-z0-9_]{2,254}$`",
    ),
]
"""An Azure ML datastore name."""

SoftDeleteDays = Annotated[int, Field(ge=1, le=365)]
"""1-365 days."""

_TAG_NAME_FORBIDDEN = re.compile(r"[<>%&\\?/\x00-\x1f]")


def _check_tags(tags: dict[str, str]) -> dict[str, str]:
    if len(tags) > 47:  # Azure allows 50; three are ours.
        fail((), f"{len(tags)} tags", "at most 47 tags (Azure allows 50 and three are added)")
    for name, value in tags.items():
        if not 1 <= len(name) <= 512 or _TAG_NAME_FORBIDDEN.search(name):
            fail((name,), name, "tag names are 1-512 characters without < > % & \\ ? / or control characters")
        if len(value) > 256:
            fail((name,), value, "tag values are at most 256 characters")
    return tags


Tags = Annotated[dict[str, str], AfterValidator(_check_tags)]
"""Azure tags: at most 47 (three are added), names 1-512 characters, values up to 256."""


# In a stack file a secret is `{secure: <ciphertext>}`, written by `pulumi config set --secret`.
_SECURE_SCHEMA = {
    "type": "object",
    "properties": {"secure": {"type": "string", "minLength": 1}},
    "required": ["secure"],
    "additionalProperties": False,
    "description": "a secret: set it with `pulumi config set --secret --path ...`",
}


@dataclass(frozen=True)
class SecretInput:
    """Field metadata: a Pulumi secret (``pulumi.Output.secret``, ``config.require_secret``, a
    secure stack value); plain text is refused and never echoed back."""

    def _validate(self, value: Any) -> Any:
        if not isinstance(value, pulumi.Output):
            fail(
                (),
                "[plain text]",
                "must be a Pulumi secret (pulumi config set --secret, or pulumi.Output.secret), never plain text",
            )
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self._validate)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return dict(_SECURE_SCHEMA)


Secret = Annotated[pulumi.Output[str], SecretInput()]
"""A credential: only as a Pulumi secret."""


@dataclass(frozen=True)
class OverridesOf:
    """Field metadata: the escape hatch, keyword arguments of the SDK's ``args_cls`` by name."""

    args_cls: type

    def _validate(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
            raise ValueError("must be a mapping of argument names to values")
        hints = sdk_types(self.args_cls)
        for name, item in value.items():
            problem = override_problem(self.args_cls, name)
            if problem is not None:
                fail((name,), item, problem)
            wrong = value_problem(hints.get(name, Any), item)
            if wrong is not None:
                path, bad, rule = wrong
                fail((name, *path), bad, f"{rule} (the SDK's type of {self.args_cls.__name__}.{name})")
        return dict(value)

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self._validate)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        module = self.args_cls.__module__.split(".")[1]
        return {
            "type": "object",
            "description": f"keyword arguments of {module}.{self.args_cls.__name__} (snake_case)",
            "propertyNames": {"enum": sorted(sdk_parameters(self.args_cls))},
        }
