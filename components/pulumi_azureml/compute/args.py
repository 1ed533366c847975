"""The arguments of the compute components, declared once.

``*Settings`` are what a stack file's ``computeClusters[]``, ``computeInstances[]`` and
``personalInstances`` hold; ``*Args`` add the explicit placement for a workspace made elsewhere
(``workspace=ws`` makes them unnecessary).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import pulumi_azure_native.machinelearningservices as ml
from pydantic import Field, model_validator

from ..core.naming import COMPUTE_NAME_RULE
from ..core.schema import Args, StrCheck, fail
from ..core.types import (
    DatastoreName,
    Guid,
    OverridesOf,
    PlainGuid,
    SubnetId,
    Tags,
    UserAssignedIdentityId,
    VmSize,
    name_rule,
)
from ..workspace.placement import PlacementArgs

VmPriority = Literal["Dedicated", "LowPriority"]
ComputeIdentityType = Literal["SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"]
ComputeName = Annotated[str, name_rule(COMPUTE_NAME_RULE)]

# NCronTab with five fields: minute hour day-of-month month day-of-week.
_CRON_FIELD = re.compile(r"(\*|\d{1,2}(-\d{1,2})?)(/\d{1,2})?(,(\*|\d{1,2}(-\d{1,2})?)(/\d{1,2})?)*")
_CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 6))


def _cron_check(expression: str) -> None:
    fields = expression.split(" ")
    if len(fields) != 5:
        raise ValueError(
            "must be a cron expression of 5 fields separated by single spaces: minute hour day month weekday"
        )
    for field, (low, high) in zip(fields, _CRON_RANGES, strict=True):
        if not _CRON_FIELD.fullmatch(field):
            raise ValueError(f"cron field {field!r} is not a number, range, list or step")
        for part in field.split(","):
            base, _, step = part.partition("/")
            if step and int(step) < 1:
                raise ValueError(f"cron field {field!r} has a step below 1")
            for number in re.findall(r"\d+", base):
                if not low <= int(number) <= high:
                    raise ValueError(f"cron field {field!r} is outside {low}-{high}")


_WINDOWS_TIME_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9 .()+-]{0,63}")


def _time_zone_check(zone: str) -> None:
    if not _WINDOWS_TIME_ZONE.fullmatch(zone) or zone != zone.strip():
        raise ValueError(
            "must be a Windows time-zone id such as 'W. Europe Standard Time' or 'UTC' (not an IANA name like "
            "Europe/Berlin)"
        )


# A path in the workspace's notebooks file share: relative, no '..', no line breaks.
_SHARE_PATH = re.compile(r"(?!/)(?!.*(^|/)\.\.(/|$))[^\x00-\x1f\\]{1,1024}")


def _share_path_check(path: str) -> None:
    if not _SHARE_PATH.fullmatch(path) or path != path.strip():
        raise ValueError("must be a relative path in the notebooks share (e.g. Users/admin/setup.sh), without '..'")


def _ssh_key_check(key: str) -> None:
    if not re.fullmatch(r"(ssh-(rsa|ed25519)|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]{16,}( [^\n\r]*)?", key):
        raise ValueError("must be one OpenSSH public key line (ssh-rsa, ssh-ed25519 or ecdsa-sha2-...)")


def _alias_check(alias: str) -> None:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9._-]{0,63}", alias):
        raise ValueError("must be 1-64 letters, digits, '.', '_' or '-', starting with a letter")


def _admin_check(user: str) -> None:
    if not re.fullmatch(r"[a-z_][a-z0-9_-]{0,31}", user):
        raise ValueError("must be a Linux user name: 1-32 lowercase letters, digits, '_' or '-'")


Cron = Annotated[str, StrCheck(_cron_check, {"type": "string"}, outputs=False, label="5-field cron")]
Alias = Annotated[
    str,
    StrCheck(
        _alias_check, {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9._-]{0,63}$"}, outputs=False, label="alias"
    ),
]
AdminUser = Annotated[
    str,
    StrCheck(
        _admin_check, {"type": "string", "pattern": "^[a-z_][a-z0-9_-]{0,31}$"}, outputs=False, label="Linux user name"
    ),
]
WindowsTimeZone = Annotated[
    str, StrCheck(_time_zone_check, {"type": "string"}, outputs=False, label="Windows time-zone id")
]
SharePath = Annotated[
    str, StrCheck(_share_path_check, {"type": "string"}, outputs=False, label="path in the notebooks share")
]
SshPublicKey = Annotated[str, StrCheck(_ssh_key_check, {"type": "string"}, outputs=False, label="OpenSSH public key")]


class ComputeIdentity(Args):
    """A compute's managed identity."""

    type: ComputeIdentityType = "SystemAssigned"
    """Jobs reach data as the compute, without stored credentials."""
    user_assigned_identity_ids: list[UserAssignedIdentityId] = []
    """ARM ids of user-assigned identities, with a UserAssigned type."""

    @model_validator(mode="after")
    def _ids_with_type(self) -> ComputeIdentity:
        if ("UserAssigned" in self.type) != bool(self.user_assigned_identity_ids):
            fail(
                "user_assigned_identity_ids",
                self.user_assigned_identity_ids,
                "are required with, and only with, a UserAssigned type",
            )
        return self


class _ComputeCommon(Args):
    """What clusters and instances share."""

    vm_size: VmSize

    subnet_id: SubnetId | None = None
    """Subnet ARM id for a customer VNet. Not with a managed network."""
    node_public_ip: bool | None = None
    """Public IPs on nodes. Default: off when a subnet or the workspace's managed network makes it
    possible, else on."""
    ssh_access: bool = False
    """Open SSH on the nodes; needs ``ssh_public_key`` and public IPs."""
    ssh_public_key: SshPublicKey | None = None
    """The OpenSSH public key for ``ssh_access``."""
    local_auth: bool = False
    """Key-based local auth to the compute; off means Entra ID only."""
    description: str | None = None
    """Description shown in the studio."""
    tags: Tags = {}
    """Added to the workspace's tags on this compute."""
    protect: bool = False
    """Pulumi ``protect``: computes are cattle."""
    datastore_access: list[DatastoreName] | None = None
    """The identity datastores this compute's identity gets data access to, each read or write as
    the datastore declares. Default: all of the workspace's; ``[]`` for none."""
    key_vault_secrets: bool = False
    """Key Vault Secrets User on the workspace key vault for this compute's identity, for jobs
    that read secrets from it."""

    def public_ip(self, managed_network: bool) -> bool:
        if self.node_public_ip is not None:
            return self.node_public_ip
        return not (self.subnet_id is not None or managed_network)

    def check_placement(self, managed_network: bool) -> None:
        """The rules that depend on the workspace: SettingError (a path of these args) when broken."""
        if self.subnet_id is not None and managed_network:
            fail(
                "subnet_id",
                self.subnet_id,
                "computes of a workspace with a managed network run in that network and cannot use a customer subnet",
            )
        if self.node_public_ip is False and self.subnet_id is None and not managed_network:
            fail(
                "node_public_ip",
                False,
                "no public IP needs a subnet (subnet_id) or a workspace with managed network isolation",
            )
        if self.ssh_access and not self.public_ip(managed_network):
            fail("ssh_access", True, "public SSH needs node_public_ip true (nodes without public IPs are unreachable)")

    @model_validator(mode="after")
    def _ssh_needs_key(self) -> _ComputeCommon:
        if self.ssh_access and self.ssh_public_key is None:
            fail("ssh_public_key", None, "is required when ssh_access is true")
        return self


class ComputeClusterSettings(_ComputeCommon):
    """An AmlCompute cluster: scales to zero, no SSH, no local auth, system identity."""

    compute_name: ComputeName = Field(validation_alias="name")
    """3-24 letters, digits and '-', starting with a letter, every '-' followed later by a letter;
    unique in the region."""
    vm_size: VmSize = "Standard_D4s_v5"
    """VM size of the nodes (4 vCPUs, 16 GiB; the size Microsoft's MLOps template uses for
    clusters). Retired sizes are refused; check what a region offers with ``az ml compute
    list-sizes``."""
    vm_priority: VmPriority = "Dedicated"
    """Low priority nodes are cheaper and can be preempted."""
    min_nodes: Annotated[int, Field(ge=0)] = 0
    """Nodes kept running while idle (and billed)."""
    max_nodes: Annotated[int, Field(ge=1)] = 4
    """Most nodes the cluster scales to."""
    idle_seconds_before_scale_down: Annotated[int, Field(ge=60)] = 120
    """Idle time before nodes are released, at least 60 seconds."""
    admin_user_name: AdminUser = "azureuser"
    """Admin user for SSH."""
    identity: ComputeIdentity = ComputeIdentity()
    """The cluster's managed identity."""
    os_type: Literal["Linux", "Windows"] = "Linux"
    """Operating system of the nodes."""
    overrides: Annotated[dict[str, Any], OverridesOf(ml.AmlComputePropertiesArgs)] = {}
    """Escape hatch: keyword arguments for ``machinelearningservices.AmlComputePropertiesArgs``."""

    @model_validator(mode="after")
    def _scale_range(self) -> ComputeClusterSettings:
        if self.min_nodes > self.max_nodes:
            fail("min_nodes", self.min_nodes, f"must not exceed max_nodes ({self.max_nodes})")
        return self


class Schedule(Args):
    """A start or stop schedule of a compute instance."""

    action: Literal["Start", "Stop"]
    """What the schedule does."""
    cron: Cron
    """NCronTab expression with five fields, e.g. ``0 20 * * 1-5`` (20:00 on weekdays; weekday 0-6)."""
    time_zone: WindowsTimeZone = "UTC"
    """Windows time-zone id, e.g. ``W. Europe Standard Time`` (IANA names are refused)."""
    enabled: bool = True
    """Whether the schedule is active."""


class SetupScript(Args):
    """A creation or startup script: exactly one of ``inline`` or ``path``."""

    inline: str | None = None
    """Shell commands, sent base64-encoded."""
    path: SharePath | None = None
    """A relative path in the workspace's notebooks file share, e.g. ``Users/admin/setup.sh``."""
    arguments: str | None = None
    """Arguments passed to the script."""
    timeout_minutes: Annotated[int, Field(ge=1, le=120)] = 15
    """1-120 minutes."""

    @model_validator(mode="after")
    def _one_source(self) -> SetupScript:
        if (self.inline is None) == (self.path is None):
            fail((), self.model_dump(exclude_defaults=True), "needs exactly one of inline or path")
        return self


class AssignedUser(Args):
    """The one user a compute instance belongs to."""

    object_id: Guid
    """The user's Entra object id."""
    tenant_id: Guid | None = None
    """The user's tenant. Default: the deploying tenant."""


class _InstanceSettings(_ComputeCommon):
    """What a compute instance has besides its name and user (the personal-instance template)."""

    vm_size: VmSize = "Standard_D4s_v5"
    """VM size of the instance (4 vCPUs, 16 GiB). Retired sizes are refused."""
    idle_shutdown_minutes: Annotated[int, Field(ge=0, le=4320)] = 60
    """Shut down after this many idle minutes (15-4320); 0 keeps it running."""
    schedules: Annotated[list[Schedule], Field(max_length=4)] = []
    """Start/stop schedules, at most 4."""
    creation_script: SetupScript | None = None
    """Runs once, as root, when the instance is created."""
    startup_script: SetupScript | None = None
    """Runs as root on every start."""
    identity: ComputeIdentity | None = None
    """The instance's managed identity. Default: none, because Azure ML documents that idle
    shutdown with a managed identity needs that identity to be Contributor on the workspace."""
    overrides: Annotated[dict[str, Any], OverridesOf(ml.ComputeInstancePropertiesArgs)] = {}
    """Escape hatch: keyword arguments for ``machinelearningservices.ComputeInstancePropertiesArgs``."""

    @model_validator(mode="after")
    def _idle_range(self) -> _InstanceSettings:
        if 0 < self.idle_shutdown_minutes < 15:
            fail("idle_shutdown_minutes", self.idle_shutdown_minutes, "must be 0 (never) or from 15 to 4320 minutes")
        return self


class ComputeInstanceSettings(_InstanceSettings):
    """A compute instance: idle shutdown, no SSH, no local auth."""

    compute_name: ComputeName = Field(validation_alias="name")
    """As for clusters: 3-24 characters, unique in the region."""
    assigned_user: AssignedUser | None = None
    """The one user who may use the instance. Stack config requires it: without one the instance
    belongs to whoever runs ``pulumi up``."""
    user_access: bool = True
    """Give the assigned user what the instance needs: AzureML Data Scientist on the workspace
    (start, stop, open the instance) and, in identity mode, Storage File Data Privileged
    Contributor (its notebooks and files) and Storage Blob Data Contributor (data in the studio)
    on the default storage."""


class PersonalUser(Args):
    """A user who gets a personal compute instance."""

    alias: Alias
    """Short name used in the instance name (its letters and digits are kept)."""
    object_id: PlainGuid
    """The user's Entra object id (the instance name is derived from it)."""
    tenant_id: Guid | None = None
    """The user's tenant. Default: the deploying tenant."""


class PersonalInstancesSettings(_InstanceSettings):
    """One compute instance per user, from one template (every instance setting but the name and user)."""

    users: list[PersonalUser]
    """The users, each with ``alias`` and ``objectId``; instances are named ``ci-<alias>-<4 letters>``."""


class ComputeClusterArgs(ComputeClusterSettings, PlacementArgs):
    """Arguments of :class:`~pulumi_azureml.compute.ComputeCluster`: the settings, plus the explicit
    placement when no ``workspace=`` is given."""


class ComputeInstanceArgs(ComputeInstanceSettings, PlacementArgs):
    """Arguments of :class:`~pulumi_azureml.compute.ComputeInstance`: the settings, plus the explicit
    placement when no ``workspace=`` is given."""


class InstanceTemplate(_InstanceSettings, PlacementArgs):
    """The shared settings of :func:`~pulumi_azureml.compute.create_personal_instances`."""
