"""Azure built-in role definitions the components assign, and deterministic assignments.

Role definition GUIDs are the same in every public-cloud tenant; see
https://learn.microsoft.com/azure/role-based-access-control/built-in-roles.
"""

from __future__ import annotations

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
    ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
    AZURE_AI_ENTERPRISE_NETWORK_CONNECTION_APPROVER = "b556d68e-0be0-4f35-a333-ad7ee1ce17ea"

    @property
    def slug(self) -> str:
        """Stable kebab-case token used in Pulumi resource names (never change it: URNs depend on it)."""
        return self.name.lower().replace("_", "-")


def role_definition_id(subscription_id: str, role: BuiltInRole) -> str:
    return f"/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{role.value}"


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
    assignment under a new name instead of a RoleAssignmentExists conflict.
    """
    role_def = pulumi.Output.from_input(subscription_id).apply(lambda sub: role_definition_id(sub, role))
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
