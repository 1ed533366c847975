"""Azure built-in role definitions the components assign, and deterministic assignments.

Role definition GUIDs are the same in every public-cloud tenant; see
https://learn.microsoft.com/azure/role-based-access-control/built-in-roles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pulumi
import pulumi_azure_native.authorization as authorization

from .naming import role_assignment_name
from .rolenames import BuiltInRole

__all__ = ["BuiltInRole", "Grants", "assign_role", "role_definition_id", "scope_subscription"]


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


def input_key(value: pulumi.Input[str], suffix: str = "") -> str:
    """The :class:`Grants` key of a scope or principal: a plain id's text, or, while it is an Output,
    that Output object, with ``suffix`` after it. Settings validation wraps each Output it is given,
    so two components handed one Output get different keys: their duplicate grants are left to the
    offline plan, which refuses them as Azure would (RoleAssignmentExists)."""
    return f"{value}{suffix}" if isinstance(value, str) else f"output:{id(value)}{suffix}"


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
