"""The arguments of the datastore components, declared once.

``DatastoreSettings`` is what a stack file's ``datastores[]`` entry holds; ``DatastoreArgs`` adds
the explicit placement for a workspace made elsewhere (``workspace=ws`` makes it unnecessary).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..core.naming import STORAGE_ACCOUNT_RULE
from ..core.schema import Args, StrCheck, fail
from ..core.types import DatastoreName, Guid, Secret, StorageAccountId, Tags, name_rule
from ..dependents.storage import StorageAccountSettings
from ..workspace.placement import PlacementArgs, PreviewIdentity

DatastoreKind = Literal["AzureBlob", "AzureFile", "AzureDataLakeGen2", "AzureDataLakeGen1"]
CredentialMode = Literal["identity", "account_key", "sas", "service_principal", "certificate"]
KINDS: tuple[DatastoreKind, ...] = ("AzureBlob", "AzureFile", "AzureDataLakeGen2", "AzureDataLakeGen1")

# What Azure ML (v2, API 2025-12-01) supports per kind; the first is the default. Files: identity
# is not documented (key or SAS only). Gen1: ACLs only, which no role assignment can grant, so
# identity access could not be made to work here; the store is retired anyway.
SUPPORTED_CREDENTIALS: dict[DatastoreKind, tuple[CredentialMode, ...]] = {
    "AzureBlob": ("identity", "account_key", "sas", "service_principal", "certificate"),
    "AzureFile": ("account_key", "sas"),
    "AzureDataLakeGen2": ("identity", "service_principal", "certificate"),
    "AzureDataLakeGen1": ("service_principal", "certificate"),
}
SECRET_FIELDS: dict[CredentialMode, str] = {
    "account_key": "account_key",
    "sas": "sas_token",
    "service_principal": "client_secret",
    "certificate": "certificate",
}


def _check_thumbprint(value: str) -> None:
    if not re.fullmatch(r"[0-9A-Fa-f]{40}", value):
        raise ValueError("must be a 40-hex-digit SHA-1 thumbprint")


def _check_label(value: str) -> None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", value):
        raise ValueError("must be 1-40 lowercase letters, digits and '-' (it goes into a resource name)")


Thumbprint = Annotated[
    str,
    StrCheck(_check_thumbprint, {"type": "string", "pattern": "^[0-9A-Fa-f]{40}$"}, outputs=False, label="SHA-1 hex"),
]
GrantLabel = Annotated[
    str,
    StrCheck(
        _check_label,
        {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,39}$"},
        outputs=False,
        label="`^[a-z0-9][a-z0-9-]{0,39}$`",
    ),
]


_CONTAINER = re.compile(r"(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")
_GEN1_STORE = re.compile(r"[a-z0-9]{3,24}")


class DatastoreCredentials(Args):
    """How Azure ML authenticates to the storage. Secrets only as Pulumi secrets."""

    mode: CredentialMode | None = None
    """Default: the kind's first mode (identity for Blob and Gen2, account_key for Files,
    service_principal for Gen1)."""
    account_key: Secret | None = None
    """Secret. With ``account_key`` on an existing account (an account created here is read from Azure)."""
    sas_token: Secret | None = None
    """Secret. With ``sas``."""
    tenant_id: Guid | None = None
    """With ``service_principal`` and ``certificate``."""
    client_id: Guid | None = None
    """With ``service_principal`` and ``certificate``."""
    client_secret: Secret | None = None
    """Secret. With ``service_principal``."""
    certificate: Secret | None = None
    """Secret (base64 PFX/PEM). With ``certificate``."""
    thumbprint: Thumbprint | None = None
    """SHA-1 thumbprint of the certificate. With ``certificate``."""


class DatastoreGrant(Args):
    """Data access for one more principal (a compute's identity, a user, a group)."""

    principal_id: Guid
    """Object id of the principal."""
    access: Literal["read", "write"] = "read"
    """Storage Blob Data Reader (read) or Contributor (write) on the container."""
    principal_type: Literal["User", "Group", "ServicePrincipal"] = "ServicePrincipal"
    """What the principal is (managed identities are service principals)."""
    label: GrantLabel | None = None
    """Names the grant in Pulumi (``<datastore>-grant-<label>-<access>``). Default: a hash of the principal id."""


class DatastoreSettings(Args):
    """A workspace datastore, with the storage it needs and the grants that make identity access work."""

    datastore_name: DatastoreName = Field(validation_alias="name")
    """3-255 lowercase letters, digits and ``_``, starting with a letter
    (``azureml://datastores/<name>/paths/...``)."""
    kind: DatastoreKind | None = None
    """``AzureBlob``, ``AzureFile``, ``AzureDataLakeGen2`` or ``AzureDataLakeGen1`` (required;
    the per-kind classes set it)."""
    container: str
    """Blob container, file share, Gen2 filesystem, or the Gen1 store name."""
    storage_account_id: StorageAccountId | None = None
    """Existing account (Blob, Files, Gen2) whose container, share or filesystem exists already.
    Default: create an account with the workspace storage's secure defaults and the environment's
    redundancy and network posture (Gen2: hierarchical namespace on), and the container in it."""
    storage_account_name: Annotated[str, name_rule(STORAGE_ACCOUNT_RULE)] | None = None
    """Name of the account to create. Default ``st<workload><env><hash>`` from the workspace."""
    storage: StorageAccountSettings = StorageAccountSettings()
    """Options of the created account; unset ones take the workspace's posture, shared keys stay off."""
    credentials: DatastoreCredentials = DatastoreCredentials()
    """How Azure ML authenticates."""
    read_only: bool = False
    """Identity datastores: Storage Blob Data Reader instead of Contributor for the workspace identity."""
    grants: list[DatastoreGrant] = []
    """More principals with data access (as ``grant_read`` / ``grant_write``)."""
    private_endpoint: bool | None = None
    """Add a private-endpoint outbound rule for the account to the workspace's managed network, and
    let the workspace identity approve it. Default: with approved-outbound isolation every
    account; with internet-outbound isolation private accounts created here."""
    protect: bool | None = None
    """Pulumi ``protect`` on a created account and its container or share. Default: the workspace's."""
    description: str | None = None
    """Description shown in the studio."""
    tags: Tags = {}
    """Added to the workspace's tags on this datastore and its account."""

    @property
    def mode(self) -> CredentialMode:
        """The credential mode in effect (the kind's default unless set)."""
        return self.credentials.mode or SUPPORTED_CREDENTIALS[self.kind or "AzureBlob"][0]

    @property
    def creates_account(self) -> bool:
        return self.kind != "AzureDataLakeGen1" and self.storage_account_id is None

    @model_validator(mode="after")
    def _combinations(self) -> DatastoreSettings:
        kind = self.kind
        if kind is None:
            # The per-kind components set it (and check again); stack config requires it.
            return self
        self._check_container(kind)
        self._check_credentials(kind)
        if self.grants and kind not in ("AzureBlob", "AzureDataLakeGen2"):
            fail("grants", kind, "grants apply to Blob and Data Lake Gen2 datastores")
        labels = [(g.label or g.principal_id, g.access) for g in self.grants]
        for i, label in enumerate(labels):
            if label in labels[:i]:
                fail(("grants", i), label[0], "grants this principal the same access twice")
        if kind == "AzureDataLakeGen1" and (
            self.storage_account_id is not None or self.storage_account_name is not None
        ):
            field = "storage_account_id" if self.storage_account_id is not None else "storage_account_name"
            fail(field, getattr(self, field), "Gen1 datastores name a store, not an account")
        return self

    def _check_container(self, kind: DatastoreKind) -> None:
        if kind == "AzureDataLakeGen1":
            if not _GEN1_STORE.fullmatch(self.container):
                fail("container", self.container, "a Gen1 store name is 3-24 lowercase letters and digits")
        elif not _CONTAINER.fullmatch(self.container):
            fail(
                "container",
                self.container,
                "container, share and filesystem names are 3-63 lowercase letters, digits and single '-'",
            )

    def _check_credentials(self, kind: DatastoreKind) -> None:
        creds, mode = self.credentials, self.mode
        if mode not in SUPPORTED_CREDENTIALS[kind]:
            fail("credentials.mode", mode, f"{kind} datastores support {', '.join(SUPPORTED_CREDENTIALS[kind])}")
        for other, field in SECRET_FIELDS.items():
            if getattr(creds, field) is not None and other != mode:
                fail(("credentials", field), "[secret]", f"is only used with mode {other}")
        if self.creates_account and mode == "sas":
            fail(
                "credentials.mode",
                mode,
                "a SAS token can only be issued for an existing account (storage_account_id); "
                "use identity or account_key",
            )
        if self.creates_account and mode == "account_key":
            if creds.account_key is not None:
                fail(
                    "credentials.account_key",
                    "[secret]",
                    "is read from the account this datastore creates; give it only with storage_account_id",
                )
            if "allow_shared_key_access" in self.storage.model_fields_set and not self.storage.allow_shared_key_access:
                fail("storage.allow_shared_key_access", False, "account_key credentials need shared-key access on")
        elif mode in SECRET_FIELDS and getattr(creds, SECRET_FIELDS[mode]) is None:
            fail(("credentials", SECRET_FIELDS[mode]), None, f"is required with mode {mode}")
        if mode in ("service_principal", "certificate"):
            for field in ("tenant_id", "client_id"):
                if getattr(creds, field) is None:
                    fail(("credentials", field), None, f"must be a GUID with mode {mode}")
        if mode == "certificate" and creds.thumbprint is None:
            fail("credentials.thumbprint", None, "is required with mode certificate")


class DatastoreArgs(DatastoreSettings, PlacementArgs):
    """Arguments of :class:`~pulumi_azureml.datastore.Datastore`: the settings, plus the explicit
    placement when no ``workspace=`` is given."""

    workspace_principal_id: Guid | None = None
    """With explicit placement: principal id of the workspace identity that previews data (identity
    datastores grant it data access) and approves private endpoints."""
    workspace_identity: PreviewIdentity = "WorkspaceSystemAssignedIdentity"
    """With explicit placement: which workspace identity previews data."""
