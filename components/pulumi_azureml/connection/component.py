"""Typed Azure ML workspace connections: one ``ml.WorkspaceConnection`` per component.

``WorkspaceConnection("openai", AzureOpenAIConnectionSettings(name="aoai", target=..., resource_id=...),
workspace=ws)`` adds a connection to the workspace; the kind picks the category, the auth type and
the metadata Azure ML expects (see :mod:`pulumi_azureml.connection.args` for the sources). Secrets
reach the provider only as Pulumi secrets, and the connection stores them in the workspace key
vault; :meth:`WorkspaceConnection.bundle_entry` hands on the name, category and target, never a
credential.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_azure_native.machinelearningservices as ml

from ..core.arm import id_name
from ..core.errors import ConfigError
from ..core.naming import short_hash
from ..core.overrides import build_args
from ..core.roles import BuiltInRole, input_key
from ..core.schema import Spelling, python
from ..core.tokens import component_type
from ..workspace.access import ComputeConsumer
from ..workspace.component import MachineLearningWorkspace
from ..workspace.placement import EndpointRule, WorkspacePlacement
from .args import (
    AnyConnectionSettings,
    ContainerRegistryConnectionSettings,
    CustomKeysConnectionSettings,
    _CognitiveConnection,
    _FeedConnection,
    _StorageConnection,
    connection_settings,
)

COMPONENT_TYPE = component_type("WorkspaceConnection")

# The SDK's properties class of each auth type (the union WorkspaceConnectionArgs.properties takes).
_PROPERTIES: dict[str, type] = {
    "AAD": ml.AADAuthTypeWorkspaceConnectionPropertiesArgs,
    "ApiKey": ml.ApiKeyAuthWorkspaceConnectionPropertiesArgs,
    "ManagedIdentity": ml.ManagedIdentityAuthTypeWorkspaceConnectionPropertiesArgs,
    "UsernamePassword": ml.UsernamePasswordAuthTypeWorkspaceConnectionPropertiesArgs,
    "PAT": ml.PATAuthTypeWorkspaceConnectionPropertiesArgs,
    "None": ml.NoneAuthTypeWorkspaceConnectionPropertiesArgs,
    "CustomKeys": ml.CustomKeysWorkspaceConnectionPropertiesArgs,
}
_STORAGE_SERVICE = {"AzureBlob": "blob", "AzureDataLakeGen2": "dfs"}


class WorkspaceConnection(pulumi.ComponentResource):
    """A workspace connection of any kind (Azure OpenAI, AI Services, Blob, Data Lake Gen2,
    container registry, Git, Python feed, custom keys). Child name: ``<name>-connection``.

    Outputs: ``connection_name`` (the Azure name) and ``connection_id`` (its ARM id).
    """

    connection: ml.WorkspaceConnection
    connection_name: str
    connection_id: pulumi.Output[str]
    category: str
    target: pulumi.Input[str]
    settings: AnyConnectionSettings
    placement: WorkspacePlacement

    def __init__(
        self,
        name: str,
        args: AnyConnectionSettings | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        *,
        workspace: MachineLearningWorkspace | WorkspacePlacement | None = None,
    ) -> None:
        spelling = python(f"WorkspaceConnection({name!r})")
        a = connection_settings(args, spelling)
        self.placement = _placement(workspace, spelling)
        if getattr(a, "private_endpoint", None) and not self.placement.managed_network:
            raise ConfigError(
                spelling.key("private_endpoint"),
                True,
                "needs the workspace's managed network (isolation_mode not Disabled): without one there are no "
                "outbound rules; reach the target from the computes' own network",
            )
        super().__init__(COMPONENT_TYPE, name, None, opts)
        self._name = name
        self.settings = a
        self.connection_name = a.connection_name
        self.category = a.category
        self.target = _target(a)
        self.connection = ml.WorkspaceConnection(
            f"{name}-connection",
            ml.WorkspaceConnectionArgs(
                connection_name=a.connection_name,
                workspace_name=self.placement.workspace_name,
                resource_group_name=self.placement.resource_group_name,
                properties=_properties(a, self.target),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.connection_id = self.connection.id
        self._outbound_rules(a)
        self._data_roles = _data_roles(a)
        if self._data_roles is not None:
            self._grant_people()
            # Every compute identity of the workspace, declared before this connection or after it.
            self.placement.access.add_target(self)
        self.register_outputs({"connection_name": self.connection_name, "connection_id": self.connection_id})

    def _outbound_rules(self, a: AnyConnectionSettings) -> None:
        """The managed network's private endpoints to an Azure target (see
        :meth:`WorkspacePlacement.private_endpoint_rules`)."""
        target = _endpoint_target(a)
        p = self.placement
        wanted = getattr(a, "private_endpoint", None)
        if target is None or not p.managed_network or not (p.approved_outbound_only if wanted is None else wanted):
            return
        resource_id, groups = target
        rules = [
            EndpointRule(f"{self._name}-outbound-{g}", connection_rule_name(a.connection_name, g), g) for g in groups
        ]
        try:
            p.private_endpoint_rules(
                f"{self._name}-ra-network-approver",
                a.connection_name,
                resource_id,
                input_key(resource_id),
                rules,
                parent=self,
            )
        except ValueError as err:
            raise ConfigError(
                python(f"WorkspaceConnection({self._name!r})").key("name"), a.connection_name, str(err)
            ) from None

    def _grant(self, who: str, key: str, principal: pulumi.Input[str], kind: str, role: BuiltInRole) -> None:
        assert self._data_roles is not None
        scope = self._data_roles.scope
        p = self.placement
        p.access.grants.assign(
            f"{self._name}-ra-{who}-{role.slug}",
            scope_key=self._data_roles.scope_key,
            principal_key=key,
            role=role,
            scope=scope,
            principal_id=principal,
            principal_type=kind,
            subscription_id=p.subscription_id or "",
            description=f"connection {self.connection_name}: {role.slug} for {who}",
            parent=self,
        )

    def _grant_people(self) -> None:
        """The workspace's people who call the target through this connection (Entra ID: as themselves)."""
        assert self._data_roles is not None
        for team, who in self.placement.access.people.members():
            role = self._data_roles.by_team.get(team)
            if role is not None:
                self._grant(f"user-{who.label}", who.principal_id, who.principal_id, who.principal_type, role)

    def grant_consumer(self, consumer: ComputeConsumer) -> None:
        """A compute identity of the workspace: jobs reach the target as that identity."""
        assert self._data_roles is not None
        self._grant(
            f"compute-{consumer.label}",
            f"compute:{consumer.label}",
            consumer.principal_id,
            "ServicePrincipal",
            self._data_roles.compute,
        )

    def bundle_entry(self) -> dict[str, pulumi.Input[str]]:
        """What a consumer needs to find the connection: its name, category and target (never a secret)."""
        return {"name": self.connection_name, "category": self.category, "target": self.target}


@dataclass(frozen=True)
class DataRoles:
    """Who gets which data role on an identity connection's target (the caller's Entra ID is what
    reaches it: people as themselves, jobs as their compute's identity)."""

    scope: pulumi.Input[str]
    scope_key: str
    """The grants' key of the scope (shared with a datastore on the same container)."""
    by_team: Mapping[str, BuiltInRole]
    compute: BuiltInRole


def connection_rule_name(connection_name: str, group: str) -> str:
    """``cn-<connection>-<group>``, cut with a hash to Azure's 33 characters (a clash with another rule
    of the workspace, a datastore ``cn_<x>``'s say, is refused naming the connection)."""
    name = f"cn-{connection_name.replace('_', '-')}-{group}"
    if len(name) > 33:
        name = f"{name[: 33 - len(group) - 8].rstrip('-')}-{short_hash(connection_name)}-{group}"
    return name


def _endpoint_target(a: AnyConnectionSettings) -> tuple[pulumi.Input[str], list[str]] | None:
    """(resource id, private endpoint groups) of a connection to an Azure resource; None for others
    (Git, feeds and custom hosts are FQDN rules of yours: ``workspace.outboundRules``)."""
    if isinstance(a, _CognitiveConnection):
        return a.resource_id, ["account"]
    if isinstance(a, _StorageConnection):
        # Gen2 also gets blob: some operations go to the blob endpoint (storage-private-endpoints.md).
        return a.storage_account_id, ["dfs", "blob"] if a.KIND == "AzureDataLakeGen2" else ["blob"]
    return None


def _data_roles(a: AnyConnectionSettings) -> DataRoles | None:
    """The roles an identity connection's callers need. Learn (Foundry hub RBAC): "When you create a
    connection that uses Microsoft Entra ID authentication, you must assign roles to your developers",
    Cognitive Services OpenAI User for Azure OpenAI, Cognitive Services User for AI Services, a
    Storage Blob Data role for storage; jobs use the compute's identity
    (``how-to-identity-based-service-authentication.md``)."""
    if not getattr(a, "identity_access", False) or a.auth_type != "AAD":
        return None
    if isinstance(a, _CognitiveConnection):
        role = (
            BuiltInRole.COGNITIVE_SERVICES_OPENAI_USER
            if a.KIND == "AzureOpenAI"
            else BuiltInRole.COGNITIVE_SERVICES_USER
        )
        return DataRoles(a.resource_id, input_key(a.resource_id), {"data_scientists": role}, role)
    if isinstance(a, _StorageConnection):
        account = a.storage_account_id
        path = f"/blobServices/default/containers/{a.container}"
        scope: pulumi.Input[str] = (
            f"{account}{path}" if isinstance(account, str) else pulumi.Output.concat(account, path)
        )
        reader, writer = BuiltInRole.STORAGE_BLOB_DATA_READER, BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR
        write = reader if a.read_only else writer
        return DataRoles(scope, input_key(account, path), {"data_scientists": write, "readers": reader}, write)
    return None


def _placement(
    workspace: MachineLearningWorkspace | WorkspacePlacement | None, spelling: Spelling
) -> WorkspacePlacement:
    if workspace is None:
        raise ConfigError(
            spelling.key("workspace"),
            None,
            "is required: the MachineLearningWorkspace (or a WorkspacePlacement for one made elsewhere) to add it to",
        )
    return workspace if isinstance(workspace, WorkspacePlacement) else workspace.placement


def _target(a: AnyConnectionSettings) -> pulumi.Input[str]:
    """The target as given; for storage, the account endpoint unless given."""
    if isinstance(a, _StorageConnection) and a.target is None:
        service = _STORAGE_SERVICE[a.KIND]
        account = id_name(a.storage_account_id)
        if isinstance(account, str):
            return f"https://{account}.{service}.core.windows.net/"
        return account.apply(lambda n: f"https://{n}.{service}.core.windows.net/")
    assert a.target is not None  # only storage kinds may leave it out
    return a.target


def _metadata(a: AnyConnectionSettings) -> dict[str, pulumi.Input[str]]:
    """The kind's own metadata (azure-ai-ml's keys, see args), then the caller's."""
    own: dict[str, pulumi.Input[str]] = {}
    if isinstance(a, _CognitiveConnection):
        own = {"ApiType": "Azure", "ResourceId": a.resource_id}
        api_version = getattr(a, "api_version", None)
        if api_version is not None:
            own["ApiVersion"] = api_version
    elif isinstance(a, _StorageConnection):
        own = {
            "AccountName": id_name(a.storage_account_id),
            "ContainerName": a.container,
            "ResourceId": a.storage_account_id,
        }
    return {**own, **a.metadata}


def _credentials(a: AnyConnectionSettings) -> Any:
    """The SDK credentials object of the auth type, or None when it has none (AAD, None)."""
    auth = a.auth_type
    if auth == "ApiKey" and isinstance(a, _CognitiveConnection):
        return ml.WorkspaceConnectionApiKeyArgs(key=a.api_key)
    if auth == "PAT" and isinstance(a, _FeedConnection):
        return ml.WorkspaceConnectionPersonalAccessTokenArgs(pat=a.pat)
    if auth == "UsernamePassword" and isinstance(a, _FeedConnection | ContainerRegistryConnectionSettings):
        return ml.WorkspaceConnectionUsernamePasswordArgs(username=a.username, password=a.password)
    if auth == "ManagedIdentity" and isinstance(a, ContainerRegistryConnectionSettings):
        return ml.WorkspaceConnectionManagedIdentityArgs(
            resource_id=a.identity_resource_id, client_id=a.identity_client_id
        )
    if auth == "CustomKeys" and isinstance(a, CustomKeysConnectionSettings):
        return ml.CustomKeysArgs(keys=dict(a.keys or {}))
    return None


def _properties(a: AnyConnectionSettings, target: pulumi.Input[str]) -> Any:
    metadata = _metadata(a)
    computed: dict[str, Any] = {
        "auth_type": a.auth_type,
        "category": a.category,
        "target": target,
        "is_shared_to_all": a.is_shared_to_all,
        "metadata": metadata or None,
    }
    credentials = _credentials(a)
    if credentials is not None:
        computed["credentials"] = credentials
    return build_args(_PROPERTIES[a.auth_type], computed, a.overrides)
