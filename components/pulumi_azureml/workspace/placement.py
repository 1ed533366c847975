"""Where computes, datastores and whatever else hangs off a workspace go, and what they inherit.

Pass ``workspace=<MachineLearningWorkspace>`` and a compute or datastore takes the workspace's
name, resource group, location, subscription, managed network, tags, preview identity and its
environment's posture from it, so they cannot drift apart. For a workspace made elsewhere, give
the explicit placement arguments (:class:`PlacementArgs`) instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Literal, Protocol

import pulumi
import pulumi_azure_native.machinelearningservices as ml

from ..core.errors import ConfigError
from ..core.naming import RESOURCE_GROUP_RULE, WORKSPACE_RULE
from ..core.roles import BuiltInRole, input_key
from ..core.schema import Args, Spelling
from ..core.types import InputStr, name_rule
from ..dependents.storage import StorageAccountSettings
from .access import PlatformAccess

if TYPE_CHECKING:
    from ..network.build import PlatformNetwork

MANAGED_BY = {"managed-by": "pulumi"}

PreviewIdentity = Literal["WorkspaceSystemAssignedIdentity", "WorkspaceUserAssignedIdentity"]


@dataclass
class RuleChain:
    """The managed network's outbound rules of one workspace, applied one after another.

    The service applies outbound rule changes one at a time; rules created concurrently have been
    lost or conflicted (Azure/terraform-provider-azapi#453: of 8 rules created in one plan, 2
    remained). Each rule therefore depends on the one declared before it. The rules are separate
    ``ManagedNetworkSettingsRule`` resources and the workspace never sets
    ``managedNetwork.outboundRules``: one owner, and a workspace update cannot send the service's
    own required rules back, which Azure refuses (Azure/azure-sdk-for-python#32643).
    """

    last: pulumi.Resource | None = None
    names: set[str] = field(default_factory=set)
    endpoints: dict[str, str] = field(default_factory=dict)
    """Rule name by private-endpoint target (``input_key`` of the resource id, then ``/<group>``,
    lowercased): endpoints to one resource share its private DNS record, so a second is left out."""

    def after(self) -> list[pulumi.Resource]:
        """What the next rule waits for."""
        return [self.last] if self.last is not None else []

    def add(self, rule_name: str, rule: pulumi.Resource) -> None:
        if rule_name in self.names:
            raise ValueError(f"outbound rule {rule_name!r} is declared twice on this workspace")
        self.names.add(rule_name)
        self.last = rule


@dataclass(frozen=True)
class EndpointRule:
    """One private-endpoint outbound rule to make: its Pulumi name, Azure rule name and group."""

    resource_name: str
    rule_name: str
    group: str


@dataclass(frozen=True)
class WorkspacePlacement:
    """What a workspace passes on to the resources placed on it."""

    workspace_name: pulumi.Input[str]
    resource_group_name: pulumi.Input[str]
    location: pulumi.Input[str]
    subscription_id: pulumi.Input[str] | None = None
    managed_network: bool = False
    """Whether the workspace has managed network isolation (computes then run in it)."""
    approved_outbound_only: bool = False
    """Whether the managed network allows only approved outbound traffic."""
    tags: Mapping[str, str] = field(default_factory=lambda: dict(MANAGED_BY))
    """Every resource's tags: ``workload``, ``environment``, ``managed-by`` and the stack's."""
    workload: str | None = None
    environment: str | None = None
    storage_posture: StorageAccountSettings | None = None
    """The environment's storage posture for accounts created for data (redundancy, network, soft delete)."""
    preview_principal_id: pulumi.Input[str] | None = None
    """The workspace identity that previews data and approves private endpoints."""
    preview_identity: PreviewIdentity = "WorkspaceSystemAssignedIdentity"
    protect: bool = False
    """The workspace's ``protect``: where data lives (datastore accounts, containers), it applies too."""
    workspace_id: pulumi.Input[str] | None = None
    """ARM id of the workspace (scope of the Azure ML roles)."""
    tenant_id: pulumi.Input[str] | None = None
    planned_workspace_id: pulumi.Input[str] | None = None
    """The workspace's ARM id built from its names: known before the workspace exists (storage
    firewalls name it as a trusted resource instance without waiting for it)."""
    storage_account_id: pulumi.Input[str] | None = None
    """ARM id of the default storage, which compute identities and instance users need in identity mode."""
    identity_storage: bool = False
    """Whether the system datastores use identity access (then jobs reach the default storage as
    their compute's identity and need a data role on it)."""
    container_registry_id: pulumi.Input[str] | None = None
    key_vault_id: pulumi.Input[str] | None = None
    access: PlatformAccess = field(default_factory=PlatformAccess)
    """People, grants and the compute/datastore pairing this workspace shares with what is placed on it."""
    role_propagation_seconds: int = 0
    """How long a resource that needs fresh role assignments waits before it is created."""
    scope_keys: Mapping[str, str] = field(default_factory=dict)
    """Registry keys of the workspace's own resources (``workspace``, ``storage``, ``kv``, ``acr``), so
    grants of different components on one of them are recognised as the same (see ``Grants``)."""
    preview_principal_key: str | None = None
    """Registry key of the preview identity's principal."""
    outbound_rules: RuleChain = field(default_factory=RuleChain)
    """Where outbound rules of resources placed here queue up (see :class:`RuleChain`)."""
    network: PlatformNetwork | None = None
    """The platform's network, where datastore accounts created here get their private endpoints."""
    log_analytics_workspace_id: pulumi.Input[str] | None = None
    """The platform's Log Analytics workspace (Defender for an AKS cluster reports there)."""
    hbi_workspace: bool = False
    """Whether the workspace is high business impact (an attached AKS cluster's identity then needs
    more on the storage)."""

    def tags_with(self, extra: Mapping[str, str]) -> dict[str, str]:
        return {**self.tags, **extra}

    def private_endpoint_rules(
        self,
        approver_name: str,
        what: str,
        resource_id: pulumi.Input[str],
        scope_key: str | None,
        rules: Sequence[EndpointRule],
        parent: pulumi.Resource,
        depends_on: Sequence[pulumi.Resource] = (),
        reuse: bool = True,
    ) -> None:
        """Private-endpoint outbound rules from the managed network to ``resource_id``, queued behind
        the workspace's other rules, after Azure AI Enterprise Network Connection Approver on it for the
        workspace identity (endpoints to targets other than the workspace's own are no longer approved
        automatically, how-to-managed-network.md). A group that already has an endpoint to the same
        resource is left out (``reuse``): endpoints to one resource share its private DNS record.
        ``scope_key``: the grants' key of ``resource_id`` (see ``input_key``). Raises ValueError for a
        taken rule name."""
        key = input_key(scope_key or resource_id)
        made = self.outbound_rules.endpoints
        wanted = [r for r in rules if not reuse or f"{key}/{r.group}".lower() not in made]
        if not wanted:
            return
        approver: list[pulumi.Resource] = []
        if self.preview_principal_id is not None:
            approver.append(
                self.access.grants.assign(
                    approver_name,
                    scope_key=scope_key,
                    principal_key=self.preview_principal_key,
                    scope=resource_id,
                    principal_id=self.preview_principal_id,
                    role=BuiltInRole.AZURE_AI_ENTERPRISE_NETWORK_CONNECTION_APPROVER,
                    subscription_id=self.subscription_id or "",
                    description=f"Azure ML workspace identity: approve the private endpoint of {what}",
                    parent=parent,
                )
            )
        for r in wanted:
            rule = ml.ManagedNetworkSettingsRule(
                r.resource_name,
                ml.ManagedNetworkSettingsRuleArgs(
                    rule_name=r.rule_name,
                    workspace_name=self.workspace_name,
                    resource_group_name=self.resource_group_name,
                    properties=ml.PrivateEndpointOutboundRuleArgs(
                        type="PrivateEndpoint",
                        category="UserDefined",
                        destination=ml.PrivateEndpointDestinationArgs(
                            service_resource_id=resource_id, subresource_target=r.group
                        ),
                    ),
                ),
                opts=pulumi.ResourceOptions(
                    parent=parent, depends_on=[*depends_on, *approver, *self.outbound_rules.after()]
                ),
            )
            self.outbound_rules.add(r.rule_name, rule)
            made.setdefault(f"{key}/{r.group}".lower(), r.rule_name)

    def scope_key(self, target: str) -> str | None:
        return self.scope_keys.get(target)


class Placeable(Protocol):
    """What ``workspace=`` takes: a MachineLearningWorkspace (or anything that says where to place)."""

    @property
    def placement(self) -> WorkspacePlacement: ...


class PlacementArgs(Args):
    """Explicit placement, for a workspace made elsewhere (instead of ``workspace=``)."""

    workspace_name: Annotated[InputStr, name_rule(WORKSPACE_RULE, outputs=True)] | None = None
    """Name of the workspace."""
    resource_group_name: Annotated[InputStr, name_rule(RESOURCE_GROUP_RULE, outputs=True)] | None = None
    """Resource group of the workspace."""
    location: InputStr | None = None
    """Region of the workspace."""
    subscription_id: InputStr | None = None
    """Subscription of the workspace (datastores and role assignments need it)."""
    managed_network: bool = False
    """Whether the workspace has managed network isolation."""


def resolve_placement(
    workspace: Placeable | WorkspacePlacement | None,
    args: Args,
    spelling: Spelling,
    *,
    needs_subscription: bool = False,
) -> WorkspacePlacement:
    """The placement from ``workspace=``, or from the explicit arguments in ``args``; never both."""
    explicit = {
        name: getattr(args, name)
        for name in PlacementArgs.model_fields
        if name in args.model_fields_set and getattr(args, name) is not None
    }
    if workspace is not None:
        if explicit:
            name = next(iter(explicit))
            raise ConfigError(
                spelling.key(name),
                explicit[name],
                "comes from workspace=: give the workspace or the explicit placement arguments, not both",
            )
        return workspace if isinstance(workspace, WorkspacePlacement) else workspace.placement
    required = ["workspace_name", "resource_group_name", "location"] + (
        ["subscription_id"] if needs_subscription else []
    )
    for name in required:
        if name not in explicit:
            raise ConfigError(spelling.key(name), None, "is required without workspace= (the workspace to place it on)")
    return WorkspacePlacement(
        workspace_name=explicit["workspace_name"],
        resource_group_name=explicit["resource_group_name"],
        location=explicit["location"],
        subscription_id=explicit.get("subscription_id"),
        managed_network=bool(getattr(args, "managed_network", False)),
    )
