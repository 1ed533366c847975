"""Who uses a workspace, and the roles that let people and computes use it.

Azure ML's identity mode keeps account keys out of the platform, so every user, group and compute
identity needs a data role on the storage it reads (``how-to-disable-local-auth-storage.md``):
Storage Blob Data Contributor for data, datastores and studio data browsing; Storage File Data
Privileged Contributor for compute instances and studio notebooks; and a workspace role
(``how-to-assign-roles.md``): AzureML Data Scientist, AzureML Compute Operator or Reader.

The workspace grants people their workspace and default-storage roles; each identity datastore
grants people and compute identities their data role on its container; each compute grants its
identity the default storage (and, for user-assigned identities, the registry). A
:class:`PlatformAccess` per workspace pairs computes with datastores whichever is declared first,
and keeps one assignment per principal, role and scope (Azure refuses a second).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Literal, Protocol

import pulumi
from pydantic import model_validator

from ..core.naming import short_hash
from ..core.roles import BuiltInRole, Grants
from ..core.schema import Args, StrCheck, fail
from ..core.types import PlainGuid

PrincipalType = Literal["Group", "User", "ServicePrincipal"]
Team = Literal["data_scientists", "operators", "readers"]

_LABEL = re.compile(r"[a-z0-9][a-z0-9-]{0,23}")


def _label_check(value: str) -> None:
    if not _LABEL.fullmatch(value):
        raise ValueError("must be 1-24 lowercase letters, digits and '-', starting with a letter or digit")


Label = Annotated[
    str,
    StrCheck(_label_check, {"type": "string", "pattern": f"^{_LABEL.pattern}$"}, outputs=False, label="label"),
]


class AccessPrincipal(Args):
    """A group, user or service principal who uses the workspace."""

    principal_id: PlainGuid
    """The Entra object id."""
    principal_type: PrincipalType = "Group"
    """``Group`` (recommended: membership changes need no deployment), ``User`` or ``ServicePrincipal``."""
    name: Label | None = None
    """Short name used in the role assignments' Pulumi names. Default: a hash of the id. Changing
    it later renames (re-creates) the assignments."""

    @property
    def label(self) -> str:
        return self.name or short_hash(self.principal_id.lower(), length=8)


WORKSPACE_ROLES: dict[Team, tuple[BuiltInRole, ...]] = {
    "data_scientists": (BuiltInRole.AZUREML_DATA_SCIENTIST,),
    "operators": (BuiltInRole.AZUREML_COMPUTE_OPERATOR,),
    "readers": (BuiltInRole.READER,),
}
"""Roles on the workspace (``how-to-assign-roles.md``)."""

STORAGE_ROLES: dict[Team, tuple[BuiltInRole, ...]] = {
    "data_scientists": (
        BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR,
        BuiltInRole.STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR,
    ),
    "operators": (),
    "readers": (BuiltInRole.STORAGE_BLOB_DATA_READER, BuiltInRole.STORAGE_FILE_DATA_PRIVILEGED_READER),
}
"""Roles on the default storage in identity mode (``how-to-disable-local-auth-storage.md``)."""


class AccessOptions(Args):
    """Who uses the workspace. Each gets the Azure ML role of what they do, and the data roles
    identity mode needs on the default storage and on every identity datastore."""

    data_scientists: list[AccessPrincipal] = []
    """AzureML Data Scientist on the workspace (jobs, notebooks, assets; not computes or the
    workspace itself), Storage Blob Data Contributor and Storage File Data Privileged Contributor
    on the default storage, and each identity datastore's data role (read-only ones: Reader)."""
    operators: list[AccessPrincipal] = []
    """AzureML Compute Operator on the workspace: create, start, stop and delete computes. Give
    data scientists who manage their own computes both."""
    readers: list[AccessPrincipal] = []
    """Reader on the workspace, Storage Blob Data Reader and Storage File Data Privileged Reader
    on the default storage, and Storage Blob Data Reader on each identity datastore."""

    def members(self) -> Iterator[tuple[Team, AccessPrincipal]]:
        for team in ("data_scientists", "operators", "readers"):
            for principal in getattr(self, team):
                yield team, principal

    @model_validator(mode="after")
    def _distinct(self) -> AccessOptions:
        labels: dict[str, str] = {}
        for team in ("data_scientists", "operators", "readers"):
            seen: set[str] = set()
            for i, principal in enumerate(getattr(self, team)):
                pid = principal.principal_id.lower()
                if pid in seen:
                    fail((team, i, "principal_id"), principal.principal_id, f"is listed twice in {team}")
                seen.add(pid)
                if labels.setdefault(principal.label, pid) != pid:
                    fail((team, i, "name"), principal.label, "names another principal already: names must be unique")
        return self


@dataclass(frozen=True)
class ComputeConsumer:
    """A compute identity that reads and writes the workspace's identity datastores."""

    label: str
    """Stable token for Pulumi names: the compute name (and identity name, for user-assigned ones)."""
    principal_id: pulumi.Input[str]
    datastores: frozenset[str] | None
    """Datastore names this identity may use; None: all of the workspace's."""

    def wants(self, datastore_name: str) -> bool:
        return self.datastores is None or datastore_name in self.datastores


class DatastoreTarget(Protocol):
    """A datastore that grants data access to compute identities (see :class:`PlatformAccess`)."""

    @property
    def datastore_name(self) -> str: ...

    def grant_consumer(self, consumer: ComputeConsumer) -> None: ...


class ConsumerTarget(Protocol):
    """Something every compute identity of the workspace gets a role on: a registry the workspace
    uses (:meth:`MachineLearningWorkspace.use_registry`), a connection by identity."""

    def grant_consumer(self, consumer: ComputeConsumer) -> None: ...


@dataclass
class PlatformAccess:
    """What one workspace shares with the computes and datastores placed on it."""

    people: AccessOptions = field(default_factory=AccessOptions)
    grants: Grants = field(default_factory=Grants)
    consumers: list[ComputeConsumer] = field(default_factory=list)
    datastores: list[DatastoreTarget] = field(default_factory=list)
    targets: list[ConsumerTarget] = field(default_factory=list)

    def add_consumer(self, consumer: ComputeConsumer) -> None:
        """A compute identity: data access to every identity datastore it wants, now and later."""
        self.consumers.append(consumer)
        for store in self.datastores:
            if consumer.wants(store.datastore_name):
                store.grant_consumer(consumer)
        for target in self.targets:
            target.grant_consumer(consumer)

    def add_datastore(self, store: DatastoreTarget) -> None:
        """An identity datastore: data access for every compute identity that wants it, now and later."""
        self.datastores.append(store)
        for consumer in self.consumers:
            if consumer.wants(store.datastore_name):
                store.grant_consumer(consumer)

    def add_target(self, target: ConsumerTarget) -> None:
        """A role for every compute identity on ``target``, now and later."""
        self.targets.append(target)
        for consumer in self.consumers:
            target.grant_consumer(consumer)

    def people_on_datastore(self, read_only: bool) -> Sequence[tuple[AccessPrincipal, bool]]:
        """(principal, write) for every person with data access to an identity datastore."""
        out: list[tuple[AccessPrincipal, bool]] = []
        for team, principal in self.people.members():
            if team == "data_scientists":
                out.append((principal, not read_only))
            elif team == "readers":
                out.append((principal, False))
        return out
