"""The arguments of workspace connections, declared once: one settings model per kind.

A connection stores how Azure ML reaches something outside the workspace (an Azure OpenAI or AI
Services account, storage, a registry, a Git repository, a package feed, any keyed API). The kinds
form a discriminated union on ``kind`` (:data:`ConnectionSettings`), which is what a stack file's
``connections[]`` entry holds.

Azure facts, with where they come from:

- connection names match ``^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`` (REST spec 2025-12-01,
  ``workspaceRP.json``, parameter ``ConnectionName``);
- the auth types each category accepts are those of azure-ai-ml 1.35
  (``CONNECTION_CATEGORY_TO_CREDENTIAL_MAP``): AzureBlob AAD (or keys/SAS), ADLSGen2 AAD (or a
  service principal or managed identity), Git PAT / UsernamePassword / None, PythonFeed the same,
  ContainerRegistry ManagedIdentity or UsernamePassword; AzureOpenAI and AIServices take an API key
  or, without one, Entra ID (``ApiOrAadConnection``; Learn ``reference-yaml-connection-azure-openai``:
  "If not provided, the connection is authenticated via Microsoft Entra ID");
- metadata keys ``ApiType``, ``ApiVersion``, ``ResourceId``, ``AccountName`` and ``ContainerName``
  are azure-ai-ml's constants (``constants/_common.py``); AzureOpenAI requires ApiType (``Azure``),
  ResourceId and ApiVersion, AIServices ResourceId, AzureBlob AccountName and ContainerName
  (``_get_required_metadata_fields``). Which keys ADLSGen2 needs is unconfirmed: it gets the same
  as AzureBlob.

Credentials are :data:`~pulumi_azureml.core.types.Secret` fields: only Pulumi secrets are accepted
(``pulumi.Output.secret(...)``, ``config.require_secret(...)``, ``{secure: ...}`` in a stack file);
plain text is refused, never echoed back. Identity auth (Entra ID, managed identity) is the default
wherever the category supports it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

import pulumi_azure_native.machinelearningservices as ml
from pydantic import AfterValidator, Field, field_validator, model_validator

from ..core.errors import ConfigError
from ..core.schema import Args, Spelling, StrCheck, fail, validate
from ..core.types import (
    Guid,
    InputStr,
    OverridesOf,
    Secret,
    StorageAccountId,
    UserAssignedIdentityId,
    arm_id,
)

ConnectionKind = Literal[
    "AzureOpenAI",
    "AIServices",
    "AzureBlob",
    "AzureDataLakeGen2",
    "ContainerRegistry",
    "Git",
    "PythonFeed",
    "CustomKeys",
]
AuthType = Literal["AAD", "ApiKey", "ManagedIdentity", "UsernamePassword", "PAT", "None", "CustomKeys"]

CATEGORIES: dict[ConnectionKind, str] = {
    "AzureOpenAI": "AzureOpenAI",
    "AIServices": "AIServices",
    "AzureBlob": "AzureBlob",
    # The REST enum spells Data Lake Gen2 "ADLSGen2" (ConnectionCategory, 2025-12-01).
    "AzureDataLakeGen2": "ADLSGen2",
    "ContainerRegistry": "ContainerRegistry",
    "Git": "Git",
    "PythonFeed": "PythonFeed",
    "CustomKeys": "CustomKeys",
}
"""The ``category`` Azure stores for each kind."""

SECRET_FIELDS = frozenset({"api_key", "pat", "password", "keys"})
"""Fields that hold credentials (never shown in errors, plans or bundles)."""

# -- field types --------------------------------------------------------------------------------

_CONNECTION_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}")


def _check_connection_name(value: str) -> None:
    if not _CONNECTION_NAME.fullmatch(value):
        raise ValueError("connection names are 3-33 letters, digits, '_' and '-', starting with a letter or digit")


ConnectionName = Annotated[
    str,
    StrCheck(
        _check_connection_name,
        {"type": "string", "pattern": f"^{_CONNECTION_NAME.pattern}$"},
        outputs=False,
        label="`^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$`",
    ),
]
"""An Azure ML workspace connection name."""


def _check_https_url(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or re.search(r"\s", value):
        raise ValueError("must be an https:// URL such as https://contoso.openai.azure.com/")
    if parts.username is not None or parts.password is not None:
        # A token in the URL would be stored (and shown) as plain text in the connection's target.
        raise ValueError("must not carry credentials (user:token@): give them as the connection's secret fields")


HttpsUrl = Annotated[
    InputStr,
    StrCheck(_check_https_url, {"type": "string", "pattern": "^https://[^\\s@/]+(/\\S*)?$"}, label="https URL"),
]
"""An https URL without credentials in it (an Output is checked once known)."""

_LOGIN_SERVER = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::[0-9]{1,5})?")


def _check_login_server(value: str) -> None:
    if not _LOGIN_SERVER.fullmatch(value):
        raise ValueError("must be a registry login server host name such as myregistry.azurecr.io (no https://)")


LoginServer = Annotated[
    InputStr,
    StrCheck(_check_login_server, {"type": "string", "pattern": f"^{_LOGIN_SERVER.pattern}$"}, label="login server"),
]
"""A container registry's login server (``myregistry.azurecr.io``)."""


def _check_any_target(value: str) -> None:
    if not value.strip() or re.search(r"[\x00-\x1f]", value):
        raise ValueError("must be a non-empty string without control characters")


AnyTarget = Annotated[
    InputStr, StrCheck(_check_any_target, {"type": "string", "minLength": 1, "pattern": "^[^\\x00-\\x1f]+$"})
]

_API_VERSION = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?")


def _check_api_version(value: str) -> None:
    if not _API_VERSION.fullmatch(value):
        raise ValueError("must be an API version such as 2024-10-21 or 2025-04-01-preview")


ApiVersion = Annotated[
    str,
    StrCheck(_check_api_version, {"type": "string", "pattern": f"^{_API_VERSION.pattern}$"}, label="API version"),
]

_CONTAINER = re.compile(r"(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")


def _check_container(value: str) -> None:
    if not _CONTAINER.fullmatch(value):
        raise ValueError("container and filesystem names are 3-63 lowercase letters, digits and single '-'")


ContainerName = Annotated[
    str,
    StrCheck(
        _check_container, {"type": "string", "pattern": f"^{_CONTAINER.pattern}$"}, outputs=False, label="container"
    ),
]

CognitiveServicesAccountId = Annotated[InputStr, arm_id("Microsoft.CognitiveServices/accounts")]
"""An Azure OpenAI or AI Services account's ARM id."""


def _check_metadata(metadata: dict[str, str]) -> dict[str, str]:
    for key in metadata:
        if not 1 <= len(key) <= 256 or re.search(r"[\x00-\x1f]", key):
            fail((key,), key, "metadata keys are 1-256 characters without control characters")
    return metadata


Metadata = Annotated[dict[str, str], AfterValidator(_check_metadata)]
"""Free-form connection metadata (plain text: never put a credential here)."""

UserName = Annotated[str, Field(min_length=1, max_length=256)]


# -- the kinds ----------------------------------------------------------------------------------


class _ConnectionCommon(Args):
    """What every connection has."""

    KIND: ClassVar[ConnectionKind]
    CREDENTIALS: ClassVar[dict[str, tuple[str, ...]]] = {}
    """Credential field -> the auth types that use (and require) it."""
    COMPUTED_METADATA: ClassVar[tuple[str, ...]] = ()
    """Metadata keys set from typed fields (``metadata`` must not give them)."""

    auth_type: AuthType
    """How Azure ML authenticates to the target (each kind lists its own, the first is the default)."""
    connection_name: ConnectionName = Field(validation_alias="name")
    """3-33 letters, digits, ``_`` and ``-``, starting with a letter or digit; unique in the workspace."""
    is_shared_to_all: bool = False
    """``isSharedToAll``: share the connection with every project of a hub. azure-ai-ml documents it
    as "only applicable for connections created within a project" (the CLI defaults it to true); off
    here so that nothing is shared unless asked. Its effect on a plain workspace is undocumented."""
    metadata: Metadata = {}
    """More metadata (plain text, never a credential); keys the kind sets itself are refused."""
    overrides: Annotated[dict[str, Any], OverridesOf(ml.NoneAuthTypeWorkspaceConnectionPropertiesArgs)] = {}
    """Escape hatch: keyword arguments of the connection properties every auth type shares
    (``expiry_time``, ``pe_requirement``, ``shared_user_list``, ``use_workspace_managed_identity``...).
    Credentials are never overrides: they are the typed secret fields."""

    @field_validator("overrides", mode="before")
    @classmethod
    def _no_credential_overrides(cls, value: Any) -> Any:
        # Before the overrides' own check, which would show the value: credentials hold secrets.
        if isinstance(value, Mapping) and "credentials" in value:
            fail(
                ("credentials",),
                "[secret]",
                "credentials are never overrides: give them as the kind's secret fields (api_key, pat, password, keys)",
            )
        return value

    @property
    def category(self) -> str:
        return CATEGORIES[self.KIND]

    @model_validator(mode="after")
    def _common_rules(self) -> _ConnectionCommon:
        auth = self.auth_type
        for field, auth_types in self.CREDENTIALS.items():
            value = getattr(self, field)
            shown = "[secret]" if field in SECRET_FIELDS else value
            if value is not None and auth not in auth_types:
                fail(field, shown, f"is only used with auth_type {' or '.join(auth_types)} (auth_type is {auth})")
            if value is None and auth in auth_types:
                fail(field, None, f"is required with auth_type {auth}")
        for key in self.metadata:
            if key in self.COMPUTED_METADATA:
                fail(("metadata", key), self.metadata[key], f"is set by the connection itself ({self.KIND})")
        if "auth_type" in self.overrides:
            # The SDK's properties classes fix authType to their own value and ignore the argument.
            fail(("overrides", "auth_type"), self.overrides["auth_type"], "is set by the auth_type setting")
        return self


class _CognitiveConnection(_ConnectionCommon):
    """An Azure OpenAI or AI Services account: Entra ID by default, an API key only as a secret."""

    CREDENTIALS: ClassVar[dict[str, tuple[str, ...]]] = {"api_key": ("ApiKey",)}
    COMPUTED_METADATA: ClassVar[tuple[str, ...]] = ("ApiType", "ResourceId", "ApiVersion")

    target: HttpsUrl
    """The account's endpoint (``https://contoso.openai.azure.com/``)."""
    resource_id: CognitiveServicesAccountId
    """ARM id of the account (``Microsoft.CognitiveServices/accounts``), stored as metadata ``ResourceId``."""
    auth_type: Literal["AAD", "ApiKey"] = "AAD"
    """``AAD`` (identity: the caller's Entra ID, who needs a data role such as Cognitive Services
    OpenAI User on the account) or ``ApiKey``."""
    api_key: Secret | None = None
    """Secret. The account key, with ``auth_type: ApiKey``."""
    private_endpoint: bool | None = None
    """A private-endpoint outbound rule (``account``) from the workspace's managed network to the
    account, which the workspace identity may approve: what jobs and endpoints in that network need
    to reach it. Default: when the managed network allows only approved outbound traffic."""
    identity_access: bool = True
    """With ``auth_type: AAD``: the data role on the account for the workspace's
    ``access.dataScientists`` and every compute identity placed on the workspace (Azure OpenAI:
    Cognitive Services OpenAI User; AI Services: Cognitive Services User, which can also list the
    account's keys, so turn local auth off on it). Off: grant it yourself."""


class AzureOpenAIConnectionSettings(_CognitiveConnection):
    """An Azure OpenAI account (category ``AzureOpenAI``; metadata ApiType ``Azure``, ResourceId, ApiVersion)."""

    KIND: ClassVar[ConnectionKind] = "AzureOpenAI"
    kind: Literal["AzureOpenAI"] = "AzureOpenAI"
    """``AzureOpenAI``."""
    api_version: ApiVersion | None = None
    """The Azure OpenAI API version clients of this connection use (metadata ``ApiVersion``)."""


class AIServicesConnectionSettings(_CognitiveConnection):
    """An Azure AI Services account, one connection for all its services but Search (category
    ``AIServices``; metadata ApiType ``Azure`` and ResourceId)."""

    KIND: ClassVar[ConnectionKind] = "AIServices"
    kind: Literal["AIServices"] = "AIServices"
    """``AIServices``."""


class _StorageConnection(_ConnectionCommon):
    """A storage container reached by identity (Entra ID): no key or SAS is stored."""

    COMPUTED_METADATA: ClassVar[tuple[str, ...]] = ("AccountName", "ContainerName", "ResourceId")

    storage_account_id: StorageAccountId
    """ARM id of the account (metadata ``ResourceId``; ``AccountName`` is its last segment)."""
    container: ContainerName
    """The blob container or Data Lake filesystem (metadata ``ContainerName``)."""
    target: HttpsUrl | None = None
    """The account endpoint. Default ``https://<account>.blob.core.windows.net/`` (Gen2: ``dfs``);
    give it for other clouds."""
    auth_type: Literal["AAD"] = "AAD"
    """``AAD`` only (identity: the caller's Entra ID, who needs a Storage Blob Data role on the
    container). Keys and SAS tokens are not offered."""
    identity_access: bool = True
    """Storage Blob Data Contributor on the container for the workspace's ``access.dataScientists``
    and every compute identity placed on the workspace, Storage Blob Data Reader for
    ``access.readers`` (all Reader with ``read_only``). Off: grant it yourself."""
    read_only: bool = False
    """Everyone gets Storage Blob Data Reader only (with ``identity_access``)."""
    private_endpoint: bool | None = None
    """A private-endpoint outbound rule from the workspace's managed network to the account (``blob``;
    Data Lake Gen2 ``dfs`` and ``blob``), which the workspace identity may approve. Default: when the
    managed network allows only approved outbound traffic (an FQDN rule cannot reach Azure Storage)."""


class AzureBlobConnectionSettings(_StorageConnection):
    """A blob container by identity (category ``AzureBlob``)."""

    KIND: ClassVar[ConnectionKind] = "AzureBlob"
    kind: Literal["AzureBlob"] = "AzureBlob"
    """``AzureBlob``."""


class AzureDataLakeGen2ConnectionSettings(_StorageConnection):
    """A Data Lake Gen2 filesystem by identity (category ``ADLSGen2``)."""

    KIND: ClassVar[ConnectionKind] = "AzureDataLakeGen2"
    kind: Literal["AzureDataLakeGen2"] = "AzureDataLakeGen2"
    """``AzureDataLakeGen2``."""


class ContainerRegistryConnectionSettings(_ConnectionCommon):
    """A container registry (category ``ContainerRegistry``): a managed identity by default, or a
    username and a password secret."""

    KIND: ClassVar[ConnectionKind] = "ContainerRegistry"
    CREDENTIALS: ClassVar[dict[str, tuple[str, ...]]] = {
        "identity_resource_id": ("ManagedIdentity",),
        "identity_client_id": ("ManagedIdentity",),
        "username": ("UsernamePassword",),
        "password": ("UsernamePassword",),
    }

    kind: Literal["ContainerRegistry"] = "ContainerRegistry"
    """``ContainerRegistry``."""
    target: LoginServer
    """The registry's login server (``myregistry.azurecr.io``)."""
    auth_type: Literal["ManagedIdentity", "UsernamePassword"] = "ManagedIdentity"
    """``ManagedIdentity`` (identity: a user-assigned identity that holds AcrPull on the registry) or
    ``UsernamePassword``."""
    identity_resource_id: UserAssignedIdentityId | None = None
    """With ``ManagedIdentity``: ARM id of the user-assigned identity."""
    identity_client_id: Guid | None = None
    """With ``ManagedIdentity``: client id of that identity."""
    username: UserName | None = None
    """With ``UsernamePassword``: the registry user (a token or admin user name)."""
    password: Secret | None = None
    """Secret. With ``UsernamePassword``."""


class _FeedConnection(_ConnectionCommon):
    """A repository or package feed: a personal access token by default, a username and password,
    or nothing for a public one."""

    CREDENTIALS: ClassVar[dict[str, tuple[str, ...]]] = {
        "pat": ("PAT",),
        "username": ("UsernamePassword",),
        "password": ("UsernamePassword",),
    }

    target: HttpsUrl
    """The repository or feed URL (https, no credentials in it)."""
    auth_type: Literal["PAT", "UsernamePassword", "None"] = "PAT"
    """``PAT``, ``UsernamePassword`` or ``None`` (public). No identity auth exists for these."""
    pat: Secret | None = None
    """Secret. The personal access token, with ``auth_type: PAT``."""
    username: UserName | None = None
    """With ``UsernamePassword``."""
    password: Secret | None = None
    """Secret. With ``UsernamePassword``."""


class GitConnectionSettings(_FeedConnection):
    """A Git repository (category ``Git``)."""

    KIND: ClassVar[ConnectionKind] = "Git"
    kind: Literal["Git"] = "Git"
    """``Git``."""


class PythonFeedConnectionSettings(_FeedConnection):
    """A Python package feed (category ``PythonFeed``), e.g. an Azure Artifacts feed."""

    KIND: ClassVar[ConnectionKind] = "PythonFeed"
    kind: Literal["PythonFeed"] = "PythonFeed"
    """``PythonFeed``."""


class CustomKeysConnectionSettings(_ConnectionCommon):
    """Any keyed service (category ``CustomKeys``): named keys, every one a secret."""

    KIND: ClassVar[ConnectionKind] = "CustomKeys"
    CREDENTIALS: ClassVar[dict[str, tuple[str, ...]]] = {"keys": ("CustomKeys",)}

    kind: Literal["CustomKeys"] = "CustomKeys"
    """``CustomKeys``."""
    target: AnyTarget
    """What the keys are for (any value, usually the service's URL)."""
    auth_type: Literal["CustomKeys"] = "CustomKeys"
    """``CustomKeys``."""
    keys: Annotated[dict[str, Secret], Field(min_length=1)] | None = None
    """Secrets. The keys by name (at least one)."""

    @model_validator(mode="after")
    def _key_names(self) -> CustomKeysConnectionSettings:
        for name in self.keys or {}:
            if not re.fullmatch(r"[A-Za-z0-9_.-]{1,128}", name):
                fail(("keys", name), name, "key names are 1-128 letters, digits, '_', '.' and '-'")
        return self


AnyConnectionSettings = (
    AzureOpenAIConnectionSettings
    | AIServicesConnectionSettings
    | AzureBlobConnectionSettings
    | AzureDataLakeGen2ConnectionSettings
    | ContainerRegistryConnectionSettings
    | GitConnectionSettings
    | PythonFeedConnectionSettings
    | CustomKeysConnectionSettings
)
ConnectionSettings = Annotated[AnyConnectionSettings, Field(discriminator="kind")]
"""One connection of any kind, told apart by ``kind`` (a stack file's ``connections[]`` entry)."""

CONNECTION_CLASSES: dict[ConnectionKind, type[_ConnectionCommon]] = {
    cls.KIND: cls
    for cls in (
        AzureOpenAIConnectionSettings,
        AIServicesConnectionSettings,
        AzureBlobConnectionSettings,
        AzureDataLakeGen2ConnectionSettings,
        ContainerRegistryConnectionSettings,
        GitConnectionSettings,
        PythonFeedConnectionSettings,
        CustomKeysConnectionSettings,
    )
}
KINDS: tuple[ConnectionKind, ...] = tuple(CONNECTION_CLASSES)


def connection_settings(data: object, spelling: Spelling) -> AnyConnectionSettings:
    """``data`` (a settings model, or a mapping with a ``kind``) as the settings of its kind."""
    if isinstance(data, _ConnectionCommon):
        return validate(type(data), data, spelling)  # type: ignore[return-value]  # every subclass is a kind
    if not isinstance(data, Mapping):
        raise ConfigError(spelling.key(""), data, "must be a connection settings model or a mapping with a kind")
    kind = data.get("kind")
    if kind is None:
        raise ConfigError(spelling.key("kind"), None, f"is required: one of {', '.join(KINDS)}")
    if kind not in CONNECTION_CLASSES:
        raise ConfigError(spelling.key("kind"), kind, f"must be one of {', '.join(KINDS)}")
    return validate(CONNECTION_CLASSES[kind], data, spelling)  # type: ignore[return-value]
