"""Datastores: Azure Blob, Azure Files, ADLS Gen2 and (retired) ADLS Gen1, identity-first.

An identity-based datastore stores no credential: jobs reach the data as the compute's or the
user's identity, and studio preview as the workspace identity. That only works when those
identities hold a data role on the storage, so an identity datastore grants the workspace identity
Storage Blob Data Reader (``read_only``) or Contributor on the narrowest scope that works (the
container or filesystem), and ``grant_read`` / ``grant_write`` extend it to other principals.

Keys, SAS tokens, client secrets and certificates are accepted only as Pulumi secrets
(``pulumi.Output.secret(...)`` or ``config.require_secret(...)``): a plain string is an error.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any, ClassVar, Protocol

import pulumi
import pulumi_azure_native.machinelearningservices as ml
import pulumi_azure_native.storage as storage

from ..core.arm import GUID, id_name, id_scope
from ..core.errors import ConfigError
from ..core.naming import short_hash
from ..core.roles import BuiltInRole, input_key
from ..core.schema import Spelling, given_fields, python, validate
from ..core.tokens import component_type
from ..dependents.storage import SecureStorageAccount, StorageAccountSettings, create_storage_account
from ..workspace.access import ComputeConsumer
from ..workspace.component import MachineLearningWorkspace
from ..workspace.placement import EndpointRule, WorkspacePlacement, resolve_placement
from .args import KINDS, CredentialMode, DatastoreArgs, DatastoreCredentials, DatastoreKind, DatastoreSettings

GEN1_RETIRED = (
    "Azure Data Lake Storage Gen1 was retired by Microsoft on 2024-02-29; datastore {name!r} still registers "
    "against the existing store, but migrate the data to ADLS Gen2"
)
# The private endpoint groups of each kind's account in the platform's network.
ENDPOINT_GROUPS: dict[DatastoreKind, list[str]] = {
    "AzureBlob": ["blob"],
    "AzureDataLakeGen2": ["dfs", "blob"],
    "AzureFile": ["file"],
}
# The storage service each kind's private endpoint targets.
_ENDPOINT_TARGET: dict[DatastoreKind, str] = {"AzureBlob": "blob", "AzureDataLakeGen2": "dfs", "AzureFile": "file"}


class Principal(Protocol):
    """Anything with a managed identity: a compute, a workspace."""

    @property
    def principal_id(self) -> pulumi.Output[str] | None: ...


class Datastore(pulumi.ComponentResource):
    """A workspace datastore, with the storage it needs and the grants that make identity access
    work. Use the class of the kind (:class:`AzureBlobDatastore`, :class:`AzureFileDatastore`,
    :class:`AzureDataLakeGen2Datastore`, :class:`AzureDataLakeGen1Datastore`), or this one with a
    ``kind`` argument. Child names: ``<name>-storage``, ``<name>-container``, ``<name>-datastore``,
    ``<name>-ra-workspace``, ``<name>-grant-<label>-<read|write>``, ``<name>-outbound``."""

    KIND: ClassVar[DatastoreKind | None] = None

    datastore: ml.Datastore
    datastore_name: str
    kind: DatastoreKind
    account_name: pulumi.Output[str] | None
    account_id: pulumi.Output[str] | None
    container: str
    scope: pulumi.Output[str] | None
    """ARM scope of the data (container/filesystem) that grants apply to; None for Gen1 and Files."""
    placement: WorkspacePlacement
    settings: DatastoreSettings

    def __init__(
        self,
        name: str,
        args: DatastoreSettings | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        *,
        workspace: MachineLearningWorkspace | WorkspacePlacement | None = None,
    ) -> None:
        spelling = python(f"{type(self).__name__}({name!r})")
        a = self._settings(args, spelling)
        self.placement = self._place(a, workspace, spelling)
        super().__init__(component_type(type(self).__name__), name, None, opts)
        self.settings = a
        self.kind = a.kind or "AzureBlob"
        self.datastore_name = a.datastore_name
        self.container = a.container
        self._spelling = spelling
        self._name = name
        # One grant per principal and access (Azure refuses a second); labels name them in Pulumi.
        self._granted: dict[tuple[object, str], pulumi.Resource] = {}
        self._labels: set[tuple[str, str]] = set()
        self._subscription_id = pulumi.Output.from_input(self.placement.subscription_id or "")
        self._tags = self.placement.tags_with(a.tags)
        self._protect: bool = self.placement.protect if a.protect is None else a.protect

        depends = self._storage(name, a)
        self._scope_key: str | None = (
            input_key(a.storage_account_id, f"/blobServices/default/containers/{self.container}")
            if a.storage_account_id is not None
            else None
        )
        # Blob and Gen2 data live in blob containers; identity grants are scoped to that container.
        self.scope = (
            self.account_id.apply(lambda i: f"{i}/blobServices/default/containers/{self.container}")
            if self.account_id is not None and self.kind in ("AzureBlob", "AzureDataLakeGen2")
            else None
        )
        needs = [*depends, *self._workspace_grant(name, a, depends)]
        self._outbound_rules(name, a, depends)
        self._private_endpoints(name, a, depends)
        self.datastore = ml.Datastore(
            f"{name}-datastore",
            ml.DatastoreArgs(
                name=self.datastore_name,
                workspace_name=self.placement.workspace_name,
                resource_group_name=self.placement.resource_group_name,
                properties=self._properties(a),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=needs),
        )
        self._identity_access(a)
        for grant in a.grants:
            give = self.grant_write if grant.access == "write" else self.grant_read
            give(grant.principal_id, label=grant.label, principal_type=grant.principal_type)
        self.register_outputs({"datastore_name": self.datastore_name})

    # -- steps ---------------------------------------------------------------------------------

    def _workspace_grant(
        self, name: str, a: DatastoreSettings, depends: list[pulumi.Resource]
    ) -> list[pulumi.Resource]:
        """The workspace identity's data role on the container: studio preview reads as it, so the
        datastore waits for it."""
        if a.mode != "identity" or self.scope is None:
            return []
        role = BuiltInRole.STORAGE_BLOB_DATA_READER if a.read_only else BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR
        return [
            self.placement.access.grants.assign(
                f"{name}-ra-workspace",
                scope_key=self._scope_key,
                principal_key=self.placement.preview_principal_key,
                scope=self.scope,
                principal_id=self.placement.preview_principal_id or "",
                role=role,
                subscription_id=self._subscription_id,
                description=f"Azure ML workspace identity: {role.slug} on datastore {self.datastore_name}",
                parent=self,
                depends_on=depends,
            )
        ]

    def _identity_access(self, a: DatastoreSettings) -> None:
        """The data role of every person and compute identity of the workspace (identity mode)."""
        if a.mode != "identity" or self.scope is None:
            return
        for who, write in self.placement.access.people_on_datastore(a.read_only):
            give = self.grant_write if write else self.grant_read
            give(who.principal_id, label=who.label, principal_type=who.principal_type)
        # Compute identities placed on this workspace, before or after this datastore.
        self.placement.access.add_datastore(self)

    def _settings(self, args: DatastoreSettings | Mapping[str, Any], spelling: Spelling) -> DatastoreSettings:
        model = DatastoreSettings if isinstance(args, DatastoreSettings) else DatastoreArgs
        a = validate(model, args, spelling)
        if a.kind is None and self.KIND is not None:
            # The kind's combinations are checked again with the kind set.
            a = validate(type(a), {**given_fields(a), "kind": self.KIND}, spelling)
        if a.kind is None:
            raise ConfigError(spelling.key("kind"), None, f"is required: one of {', '.join(KINDS)}")
        if self.KIND is not None and a.kind != self.KIND:
            raise ConfigError(spelling.key("kind"), a.kind, f"is {self.KIND} for {type(self).__name__}")
        return a

    def _place(
        self,
        a: DatastoreSettings,
        workspace: MachineLearningWorkspace | WorkspacePlacement | None,
        spelling: Spelling,
    ) -> WorkspacePlacement:
        placement = resolve_placement(workspace, a, spelling, needs_subscription=True)
        if isinstance(a, DatastoreArgs) and workspace is None:
            placement = dataclasses.replace(
                placement, preview_principal_id=a.workspace_principal_id, preview_identity=a.workspace_identity
            )
        network = placement.network
        if network is not None and network.options.dns.mode == "existing" and a.creates_account:
            needed = network.options.needed_zones(ENDPOINT_GROUPS.get(a.kind or "AzureBlob", []))
            missing = [zone for zone in needed if zone not in network.options.dns.zone_ids]
            if missing:
                raise ConfigError(
                    "network.dns.zone_ids",
                    sorted(network.options.dns.zone_ids),
                    f"misses {missing}, which the private endpoints of datastore {a.datastore_name!r} need",
                )
        if a.mode == "identity" and placement.preview_principal_id is None:
            raise ConfigError(
                spelling.key("credentials.mode"),
                a.mode,
                "an identity datastore needs the workspace identity's principal id, to grant it data access "
                "(workspace= or workspace_principal_id)",
            )
        if (
            a.creates_account
            and a.storage_account_name is None
            and (placement.workload is None or placement.environment is None or not isinstance(placement.location, str))
        ):
            raise ConfigError(
                spelling.key("storage_account_name"),
                None,
                "is required when no storage_account_id is given and the workspace is not known (workspace=)",
            )
        return placement

    def _account_settings(self, a: DatastoreSettings) -> StorageAccountSettings:
        """The created account's options: the workspace's posture, then this datastore's own."""
        posture = self.placement.storage_posture
        inherited = {k: getattr(posture, k) for k in posture.model_fields_set} if posture is not None else {}
        own = {k: getattr(a.storage, k) for k in a.storage.model_fields_set}
        if a.mode == "account_key":
            # Key credentials need keys: the one secure setting this datastore kind must give up.
            own["allow_shared_key_access"] = True
        return StorageAccountSettings.model_validate({**inherited, **own}, by_name=True, by_alias=False)

    def _storage(self, name: str, a: DatastoreSettings) -> list[pulumi.Resource]:
        """The account (existing or created here) and, in a created one, the container or share."""
        self.account_name = None
        self.account_id = None
        self._account_group: pulumi.Input[str] = self.placement.resource_group_name
        self._account_subscription: pulumi.Input[str] = self._subscription_id
        self._credentials = a.credentials
        if self.kind == "AzureDataLakeGen1":
            pulumi.log.warn(GEN1_RETIRED.format(name=self.datastore_name), resource=self)
            return []
        if a.storage_account_id is not None:
            self.account_id = pulumi.Output.from_input(a.storage_account_id)
            self.account_name = pulumi.Output.from_input(id_name(a.storage_account_id))
            self._account_group = id_scope(a.storage_account_id, "resource_group")
            self._account_subscription = id_scope(a.storage_account_id, "subscription")
            return []
        account_name = a.storage_account_name or _default_account_name(self.placement, self.datastore_name)
        created = create_storage_account(
            f"{name}-storage",
            account_name=account_name,
            resource_group_name=self.placement.resource_group_name,
            location=self.placement.location,
            options=self._account_settings(a),
            tags=self._tags,
            parent=self,
            protect=self._protect,
            hierarchical_namespace=self.kind == "AzureDataLakeGen2",
            trusted_workspace=(
                (self.placement.tenant_id, self.placement.planned_workspace_id)
                if self.placement.tenant_id is not None and self.placement.planned_workspace_id is not None
                else None
            ),
        )
        self.account_id = created.account.id
        self.account_name = created.account.name
        if a.mode == "account_key":
            keys = storage.list_storage_account_keys_output(
                account_name=created.account.name,
                resource_group_name=self.placement.resource_group_name,
                opts=pulumi.InvokeOutputOptions(parent=self),
            )
            key = pulumi.Output.secret(keys.keys[0].value)
            self._credentials = a.credentials.model_copy(update={"account_key": key})
        return [self._container(name, created)]

    def _container(self, name: str, created: SecureStorageAccount) -> pulumi.Resource:
        """The file share or blob container the datastore points at, in the account created here."""
        container_opts = pulumi.ResourceOptions(parent=self, protect=self._protect)
        if self.kind == "AzureFile":
            return storage.FileShare(
                f"{name}-container",
                storage.FileShareArgs(
                    account_name=created.account.name,
                    resource_group_name=self.placement.resource_group_name,
                    share_name=self.container,
                ),
                opts=container_opts.merge(pulumi.ResourceOptions(depends_on=[created.file_service])),
            )
        return storage.BlobContainer(
            f"{name}-container",
            storage.BlobContainerArgs(
                account_name=created.account.name,
                resource_group_name=self.placement.resource_group_name,
                container_name=self.container,
                public_access=storage.PublicAccess.NONE,
            ),
            opts=container_opts.merge(pulumi.ResourceOptions(depends_on=[created.blob_service])),
        )

    def _private_endpoint(self, a: DatastoreSettings) -> bool:
        if a.private_endpoint is not None:
            return a.private_endpoint
        p = self.placement
        private = self._account_settings(a).public_network_access == "Disabled"
        # Computes in a managed network reach a private account, or any account when only approved
        # outbound traffic is allowed, through a private endpoint of that network.
        return p.approved_outbound_only or (p.managed_network and private and a.creates_account)

    def _private_endpoints(self, name: str, a: DatastoreSettings, depends: list[pulumi.Resource]) -> None:
        """Endpoints in the platform's network to an account created here, so users reach its data
        (Gen2: ``dfs`` and ``blob``, as for the managed network's rules)."""
        network = self.placement.network
        if network is None or not network.options.private_endpoints or not a.creates_account or self.account_id is None:
            return
        groups = ENDPOINT_GROUPS.get(self.kind, [])
        token = self.datastore_name.replace("_", "-")
        for group in groups:
            network.endpoint(
                name, f"ds-{token}-{group}", self.account_id, group, parent=self, depends_on=depends, key=group
            )

    def _outbound_rules(self, name: str, a: DatastoreSettings, depends: list[pulumi.Resource]) -> None:
        """The managed network's private endpoint to the account, queued behind the workspace's
        other outbound rules. Data Lake Gen2 gets ``blob`` next to ``dfs``: with a ``dfs`` endpoint
        "also create one for blob", since some operations go to the blob endpoint (Azure Storage,
        ``storage-private-endpoints.md``)."""
        if self.account_id is None or not self._private_endpoint(a):
            return
        targets = [_ENDPOINT_TARGET[self.kind]] + (["blob"] if self.kind == "AzureDataLakeGen2" else [])
        rules = [
            EndpointRule(
                f"{name}-outbound" if i == 0 else f"{name}-outbound-{target}",
                outbound_rule_name(self.datastore_name, target),
                target,
            )
            for i, target in enumerate(targets)
        ]
        try:
            self.placement.private_endpoint_rules(
                f"{name}-ra-network-approver",
                self.datastore_name,
                self.account_id,
                # The given id's text, so a connection to the same account shares the approver and endpoints.
                input_key(a.storage_account_id) if a.storage_account_id is not None else None,
                rules,
                parent=self,
                depends_on=depends,
                # Each datastore keeps its own rules, as deployed stacks have them (dropping one would
                # delete it); connections reuse these.
                reuse=False,
            )
        except ValueError as err:
            raise ConfigError(self._spelling.key("name"), self.datastore_name, str(err)) from None

    def _properties(self, a: DatastoreSettings) -> Any:
        mode = a.mode
        common: dict[str, Any] = {
            "datastore_type": self.kind,
            "credentials": _credentials(mode, self._credentials),
            "description": a.description,
            "tags": self._tags,
            "resource_group": self._account_group,
            "subscription_id": self._account_subscription,
            "service_data_access_auth_identity": self.placement.preview_identity if mode == "identity" else "None",
        }
        account = self.account_name
        if self.kind == "AzureBlob":
            return ml.AzureBlobDatastoreArgs(
                account_name=account,
                container_name=self.container,
                endpoint="core.windows.net",
                protocol="https",
                **common,
            )
        if self.kind == "AzureFile":
            return ml.AzureFileDatastoreArgs(
                account_name=account or "",
                file_share_name=self.container,
                endpoint="core.windows.net",
                protocol="https",
                **common,
            )
        if self.kind == "AzureDataLakeGen2":
            return ml.AzureDataLakeGen2DatastoreArgs(
                account_name=account or "",
                filesystem=self.container,
                endpoint="core.windows.net",
                protocol="https",
                **common,
            )
        return ml.AzureDataLakeGen1DatastoreArgs(store_name=self.container, **common)

    # -- grants --------------------------------------------------------------------------------

    def _grant(
        self,
        principal: pulumi.Input[str] | Principal,
        role: BuiltInRole,
        label: str | None,
        principal_type: str,
        principal_key: str | None = None,
    ) -> pulumi.Resource:
        key = self._spelling.key("grant")
        if self.scope is None:
            raise ConfigError(
                key, self.kind, "grants need a Blob or Data Lake Gen2 datastore on an account of this stack"
            )
        principal_id, label = _principal(principal, label, key)
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,39}", label):
            raise ConfigError(
                f"{key}.label", label, "must be 1-40 lowercase letters, digits and '-' (it goes into a resource name)"
            )
        access = "read" if role == BuiltInRole.STORAGE_BLOB_DATA_READER else "write"
        who = _identity_key(principal)
        same = self._granted.get((who, access))
        if same is not None:
            return same  # asked twice (by default for a compute, and by hand): Azure allows one
        if (label, access) in self._labels:
            raise ConfigError(f"{key}.label", label, f"{access} access was already granted under this label")
        made = self.placement.access.grants.assign(
            f"{self._name}-grant-{label}-{access}",
            scope_key=self._scope_key,
            principal_key=principal_key or (principal if isinstance(principal, str) else None),
            role=role,
            scope=self.scope,
            principal_id=principal_id,
            subscription_id=self._subscription_id,
            principal_type=principal_type,
            description=f"{access} access to datastore {self.datastore_name}",
            parent=self,
        )
        self._labels.add((label, access))
        self._granted[(who, access)] = made
        return made

    def grant_consumer(self, consumer: ComputeConsumer) -> None:
        """Data access for a compute identity placed on the same workspace (see ``PlatformAccess``)."""
        role = (
            BuiltInRole.STORAGE_BLOB_DATA_READER
            if self.settings.read_only
            else BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR
        )
        # Keyed as the compute's other grants are, so a connection to the same container shares it.
        self._grant(consumer.principal_id, role, consumer.label, "ServicePrincipal", f"compute:{consumer.label}")

    def grant_read(
        self,
        principal: pulumi.Input[str] | Principal,
        *,
        label: str | None = None,
        principal_type: str = "ServicePrincipal",
    ) -> pulumi.Resource:
        """Storage Blob Data Reader on this datastore's container for a principal: a principal id (a
        user's, a group's: ``principal_type`` ``User`` or ``Group``), or anything with a managed
        identity (a compute, a workspace). ``label`` names the grant in Pulumi; default: a hash of a
        plain principal id, or the resource's name."""
        return self._grant(principal, BuiltInRole.STORAGE_BLOB_DATA_READER, label, principal_type)

    def grant_write(
        self,
        principal: pulumi.Input[str] | Principal,
        *,
        label: str | None = None,
        principal_type: str = "ServicePrincipal",
    ) -> pulumi.Resource:
        """Storage Blob Data Contributor on this datastore's container (see :meth:`grant_read`)."""
        return self._grant(principal, BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR, label, principal_type)

    def uris(
        self,
        subscription_id: pulumi.Input[str] | None = None,
        resource_group: pulumi.Input[str] | None = None,
        workspace: pulumi.Input[str] | None = None,
    ) -> tuple[str, pulumi.Output[str]]:
        """The ``azureml://`` URIs data assets use: the short form and the workspace-qualified one
        (of the workspace this datastore is placed on, unless given)."""
        p = self.placement
        short = f"azureml://datastores/{self.datastore_name}/paths/"
        long = pulumi.Output.concat(
            "azureml://subscriptions/",
            subscription_id or p.subscription_id or "",
            "/resourcegroups/",
            resource_group or p.resource_group_name,
            "/workspaces/",
            workspace or p.workspace_name,
            f"/datastores/{self.datastore_name}/paths/",
        )
        return short, long


def _identity_key(principal: pulumi.Input[str] | Principal) -> object:
    """What identifies a principal before its id is known: the id text, or the Output object
    (a compute's ``principal_id`` is one Output however often it is passed)."""
    if isinstance(principal, str):
        return principal.lower()
    if isinstance(principal, pulumi.Output):
        return id(principal)
    inner = getattr(principal, "principal_id", None)
    return inner.lower() if isinstance(inner, str) else id(inner) if inner is not None else id(principal)


def _principal(principal: pulumi.Input[str] | Principal, label: str | None, key: str) -> tuple[pulumi.Input[str], str]:
    """The principal id to grant, checked, and the grant's label."""
    if isinstance(principal, str):
        if not GUID.fullmatch(principal):
            raise ConfigError(f"{key}.principal_id", principal, "must be a GUID (the principal's object id)")
        return principal, label or short_hash(principal, length=8)
    if isinstance(principal, pulumi.Output):
        if label is None:
            raise ConfigError(f"{key}.label", None, "is required when the principal id is an Output")
        return principal.apply(lambda v: _known_guid(v, f"{key}.principal_id")), label
    principal_id = getattr(principal, "principal_id", None)
    resource_name = principal._name if isinstance(principal, pulumi.Resource) else None
    if principal_id is None:
        raise ConfigError(
            f"{key}.principal_id",
            resource_name or type(principal).__name__,
            "has no managed identity: give the compute an identity (identity: {type: SystemAssigned}) first",
        )
    if label is None:
        if resource_name is None:
            raise ConfigError(f"{key}.label", None, "is required for a principal that is not a Pulumi resource")
        label = re.sub(r"[^a-z0-9-]", "-", resource_name.lower()).strip("-")[:40] or short_hash(resource_name, length=8)
    return pulumi.Output.from_input(principal_id).apply(lambda v: _known_guid(v, f"{key}.principal_id")), label


def _known_guid(value: str, key: str) -> str:
    if not isinstance(value, str) or not GUID.fullmatch(value):
        raise ConfigError(key, value, "must be a GUID (the principal's object id)")
    return value


def _default_account_name(placement: WorkspacePlacement, datastore: str) -> str:
    from ..core.naming import datastore_account_name

    assert placement.workload is not None and placement.environment is not None  # checked in _place
    return datastore_account_name(placement.workload, placement.environment, str(placement.location), datastore)


def outbound_rule_name(datastore_name: str, target: str) -> str:
    """``<datastore>-<target>``, shortened with a hash to Azure's 3-33 characters for rule names."""
    base = datastore_name.replace("_", "-")
    name = f"{base}-{target}"
    if len(name) > 33:
        name = f"{base[: 33 - len(target) - 8].rstrip('-')}-{short_hash(datastore_name)}-{target}"
    return name


def _credentials(mode: CredentialMode, creds: DatastoreCredentials) -> Any:
    if mode == "identity":
        return ml.NoneDatastoreCredentialsArgs(credentials_type="None")
    if mode == "account_key":
        return ml.AccountKeyDatastoreCredentialsArgs(
            credentials_type="AccountKey",
            secrets=ml.AccountKeyDatastoreSecretsArgs(secrets_type="AccountKey", key=creds.account_key),
        )
    if mode == "sas":
        return ml.SasDatastoreCredentialsArgs(
            credentials_type="Sas", secrets=ml.SasDatastoreSecretsArgs(secrets_type="Sas", sas_token=creds.sas_token)
        )
    if mode == "service_principal":
        return ml.ServicePrincipalDatastoreCredentialsArgs(
            credentials_type="ServicePrincipal",
            tenant_id=creds.tenant_id or "",
            client_id=creds.client_id or "",
            secrets=ml.ServicePrincipalDatastoreSecretsArgs(
                secrets_type="ServicePrincipal", client_secret=creds.client_secret
            ),
        )
    return ml.CertificateDatastoreCredentialsArgs(
        credentials_type="Certificate",
        tenant_id=creds.tenant_id or "",
        client_id=creds.client_id or "",
        thumbprint=creds.thumbprint or "",
        secrets=ml.CertificateDatastoreSecretsArgs(secrets_type="Certificate", certificate=creds.certificate),
    )


class AzureBlobDatastore(Datastore):
    """A blob container datastore; identity by default."""

    KIND = "AzureBlob"


class AzureFileDatastore(Datastore):
    """A file share datastore; account key by default (Azure ML documents no identity access)."""

    KIND = "AzureFile"


class AzureDataLakeGen2Datastore(Datastore):
    """A Data Lake Gen2 filesystem datastore (hierarchical namespace); identity by default."""

    KIND = "AzureDataLakeGen2"


class AzureDataLakeGen1Datastore(Datastore):
    """A Data Lake Gen1 store datastore, service principal or certificate; Gen1 is retired."""

    KIND = "AzureDataLakeGen1"


DATASTORE_CLASSES: dict[DatastoreKind, type[Datastore]] = {
    cls.KIND: cls
    for cls in (AzureBlobDatastore, AzureFileDatastore, AzureDataLakeGen2Datastore, AzureDataLakeGen1Datastore)
    if cls.KIND is not None
}
