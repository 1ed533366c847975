"""Workspace connections, typed per kind: Azure OpenAI, AI Services, storage by identity, container
registries, Git, Python feeds and custom keys; credentials only as Pulumi secrets."""

from .args import (
    CATEGORIES,
    CONNECTION_CLASSES,
    KINDS,
    SECRET_FIELDS,
    AIServicesConnectionSettings,
    AnyConnectionSettings,
    AuthType,
    AzureBlobConnectionSettings,
    AzureDataLakeGen2ConnectionSettings,
    AzureOpenAIConnectionSettings,
    ConnectionKind,
    ConnectionSettings,
    ContainerRegistryConnectionSettings,
    CustomKeysConnectionSettings,
    GitConnectionSettings,
    PythonFeedConnectionSettings,
    connection_settings,
)
from .component import COMPONENT_TYPE, WorkspaceConnection

__all__ = [
    "CATEGORIES",
    "COMPONENT_TYPE",
    "CONNECTION_CLASSES",
    "KINDS",
    "SECRET_FIELDS",
    "AIServicesConnectionSettings",
    "AnyConnectionSettings",
    "AuthType",
    "AzureBlobConnectionSettings",
    "AzureDataLakeGen2ConnectionSettings",
    "AzureOpenAIConnectionSettings",
    "ConnectionKind",
    "ConnectionSettings",
    "ContainerRegistryConnectionSettings",
    "CustomKeysConnectionSettings",
    "GitConnectionSettings",
    "PythonFeedConnectionSettings",
    "WorkspaceConnection",
    "connection_settings",
]
