"""The workspace identity: system-assigned, user-assigned, or both, and the roles each needs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..core.naming import USER_ASSIGNED_IDENTITY_RULE
from ..core.schema import Args, fail
from ..core.types import Guid, UserAssignedIdentityId, name_rule

IdentityType = Literal["SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"]


class IdentityOptions(Args):
    """The workspace's managed identity."""

    type: IdentityType = "SystemAssigned"
    """With ``UserAssigned`` the user-assigned identity is the workspace's primary identity. Azure
    allows going from system to system+user, not back."""
    user_assigned_identity_id: UserAssignedIdentityId | None = None
    """ARM id of an existing user-assigned identity. Default: create ``id-<workload>-<env>-<region>``
    when the type includes UserAssigned."""
    principal_id: Guid | None = None
    """Principal (object) id of ``user_assigned_identity_id``; required with it, since the role
    assignments need it before the workspace exists."""
    name: Annotated[str, name_rule(USER_ASSIGNED_IDENTITY_RULE)] | None = None
    """Name of the created user-assigned identity. Default ``id-<workload>-<env>-<region>``."""
    assign_roles: bool = True
    """Create the role assignments a user-assigned identity needs (Azure ML documents them as
    managed by you): Contributor on the storage account, key vault, registry and Application
    Insights, Storage Blob Data Contributor and Storage File Data Privileged Contributor on
    storage, Key Vault Administrator on the vault and AcrPull on the registry (the set Azure
    Verified Modules grant, after the documented subset proved short), all before the workspace
    is created, then Contributor on the workspace. Contributor covers approving the private
    endpoints of a managed network to these resources, in whatever resource group they are. A
    system-assigned identity gets nothing here: Azure ML grants it its roles itself, and a second
    assignment would fail with RoleAssignmentExists."""
    role_propagation_seconds: Annotated[int, Field(ge=0, le=1800)] = 120
    """How long the workspace (and a compute with a user-assigned identity) waits after its role
    assignments are created before it is created: assignments take minutes to take effect.
    Runs only when the resource is created, under ``pulumi up``."""

    @property
    def user_assigned(self) -> bool:
        return "UserAssigned" in self.type

    @property
    def system_assigned(self) -> bool:
        return "SystemAssigned" in self.type

    @model_validator(mode="after")
    def _combinations(self) -> IdentityOptions:
        if not self.user_assigned and (self.user_assigned_identity_id is not None or self.principal_id is not None):
            field = "user_assigned_identity_id" if self.user_assigned_identity_id is not None else "principal_id"
            fail(field, getattr(self, field), "needs type UserAssigned or SystemAssigned,UserAssigned")
        if self.user_assigned_identity_id is not None and self.principal_id is None:
            fail("principal_id", None, "is required with user_assigned_identity_id")
        if self.principal_id is not None and self.user_assigned_identity_id is None:
            fail("principal_id", self.principal_id, "is only used with user_assigned_identity_id")
        return self
