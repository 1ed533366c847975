"""Azure built-in role definitions the components assign, and deterministic assignments.

Role definition GUIDs are the same in every public-cloud tenant; see
https://learn.microsoft.com/azure/role-based-access-control/built-in-roles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

import pulumi
import pulumi_azure_native.authorization as authorization

from .naming import role_assignment_name


class BuiltInRole(StrEnum):
    """Built-in roles by name; the value is the role definition GUID."""

    CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
    READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
    STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
    STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
    STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR = "69566ab7-960f-475b-8e7c-b3118f30c6bd"
    STORAGE_FILE_DATA_PRIVILEGED_READER = "b8eda974-7b85-4f76-af95-65846b26df6d"
    KEY_VAULT_ADMINISTRATOR = "00482a5a-887f-4fb3-b363-3b7fe8e74483"
    KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"
    ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
    ACR_PUSH = "8311e382-0749-4cb8-b61a-304f252e45ec"
    AZURE_AI_ENTERPRISE_NETWORK_CONNECTION_APPROVER = "b556d68e-0be0-4f35-a333-ad7ee1ce17ea"
    AZUREML_DATA_SCIENTIST = "f6c7c914-8db3-469d-8ca1-694a8f32e121"
    AZUREML_COMPUTE_OPERATOR = "e503ece1-11d0-4e8e-8e2c-7a6c3bf38815"

    @property
    def slug(self) -> str:
        """Stable kebab-case token used in Pulumi resource names (never change it: URNs depend on it)."""
        return self.name.lower().replace("_", "-")


def role_definition_id(subscription_id: str, role: BuiltInRole) -> str:
    return f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{role.value}"


_SUBSCRIPTION = re.compile(r"/subscriptions/([^/]+)", re.IGNORECASE)


def scope_subscription(scope: str, default: str) -> str:
    """The subscription of an ARM scope, else ``default``. A role definition id names the scope's
    subscription: Azure reads one built from another subscription back rebuilt with the scope's,
    and the difference would show as drift (hashicorp/terraform-provider-azurerm#8558)."""
    found = _SUBSCRIPTION.match(scope)
    return found.group(1) if found else default


def assign_role(
    resource_name: str,
    *,
    scope: pulumi.Input[str],
    principal_id: pulumi.Input[str],
    role: BuiltInRole,
    subscription_id: pulumi.Input[str],
    principal_type: str = "ServicePrincipal",
    description: str | None = None,
    parent: pulumi.Resource,
    depends_on: Sequence[pulumi.Resource] = (),
) -> authorization.RoleAssignment:
    """Create one role assignment whose GUID name is derived from scope, principal and role.

    A deterministic name makes re-runs no-ops, and a changed principal or scope becomes a new
    assignment under a new name instead of a RoleAssignmentExists conflict. ``principal_type``
    ``ServicePrincipal`` for managed identities lets ARM accept a principal created moments
    before (no PrincipalNotFound while Entra replicates it).
    """
    role_def = pulumi.Output.all(pulumi.Output.from_input(scope), pulumi.Output.from_input(subscription_id)).apply(
        lambda parts: role_definition_id(scope_subscription(str(parts[0]), str(parts[1])), role)
    )
    name = pulumi.Output.all(pulumi.Output.from_input(scope), pulumi.Output.from_input(principal_id)).apply(
        lambda parts: role_assignment_name(str(parts[0]), str(parts[1]), role.value)
    )
    return authorization.RoleAssignment(
        resource_name,
        authorization.RoleAssignmentArgs(
            scope=scope,
            principal_id=principal_id,
            principal_type=principal_type,
            role_definition_id=role_def,
            role_assignment_name=name,
            description=description,
        ),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=list(depends_on)),
    )


class Grants:
    """The role assignments of one workspace platform: at most one per principal, role and scope.

    Azure refuses a second assignment of a role to a principal at a scope under any name
    (409 RoleAssignmentExists), so components that would grant the same thing (two datastores on
    one account, a user who is both a data scientist and an instance owner) share one registry,
    from the workspace's placement. Keys are plain strings: a literal ARM id or principal id, or a
    label standing for an Output (``<workspace>:storage``, ``compute:<name>``).
    """

    def __init__(self) -> None:
        self._made: dict[tuple[str, str, str], authorization.RoleAssignment] = {}

    def assign(
        self,
        resource_name: str,
        *,
        scope_key: str | None,
        principal_key: str | None,
        role: BuiltInRole,
        scope: pulumi.Input[str],
        principal_id: pulumi.Input[str],
        subscription_id: pulumi.Input[str],
        principal_type: str = "ServicePrincipal",
        description: str | None = None,
        parent: pulumi.Resource,
        depends_on: Sequence[pulumi.Resource] = (),
    ) -> authorization.RoleAssignment:
        """The assignment for this key, made once (the first caller's name and parent win)."""
        # Only plain strings identify a principal or scope now; an Output's value is known too late.
        plain = isinstance(scope_key, str) and isinstance(principal_key, str) and scope_key and principal_key
        key = (str(scope_key).lower(), str(principal_key).lower(), role.value) if plain else None
        if key is not None and key in self._made:
            return self._made[key]
        made = assign_role(
            resource_name,
            scope=scope,
            principal_id=principal_id,
            role=role,
            subscription_id=subscription_id,
            principal_type=principal_type,
            description=description,
            parent=parent,
            depends_on=depends_on,
        )
        if key is not None:
            self._made[key] = made
        return made

    def __len__(self) -> int:
        return len(self._made)
