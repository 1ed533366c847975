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

import re
from collections.abc import Mapping
from typing import Any, Literal, Required, TypedDict

import pulumi
import pulumi_azure_native.machinelearningservices as ml
import pulumi_azure_native.storage as storage

from .arm import is_guid, parse_resource_id
from .errors import ConfigError
from .naming import short_hash
from .roles import BuiltInRole, assign_role
from .storage import StorageAccountOptions, create_storage_account, validate_storage_options

DatastoreKind = Literal["AzureBlob", "AzureFile", "AzureDataLakeGen2", "AzureDataLakeGen1"]
CredentialMode = Literal["identity", "account_key", "sas", "service_principal", "certificate"]
KINDS: tuple[DatastoreKind, ...] = ("AzureBlob", "AzureFile", "AzureDataLakeGen2", "AzureDataLakeGen1")

# What Azure ML (v2, API 2025-12-01) supports per kind. Files: identity is not documented (key or
# SAS only). Gen1: ACLs only, which no role assignment can grant, so identity access could not be
# made to work here; the store is retired anyway.
SUPPORTED_CREDENTIALS: dict[DatastoreKind, tuple[CredentialMode, ...]] = {
    "AzureBlob": ("identity", "account_key", "sas", "service_principal", "certificate"),
    "AzureFile": ("account_key", "sas"),
    "AzureDataLakeGen2": ("identity", "service_principal", "certificate"),
    "AzureDataLakeGen1": ("service_principal", "certificate"),
}
DEFAULT_CREDENTIALS: dict[DatastoreKind, CredentialMode] = {
    "AzureBlob": "identity",
    "AzureFile": "account_key",
    "AzureDataLakeGen2": "identity",
    "AzureDataLakeGen1": "service_principal",
}
_SECRET_FIELDS: dict[CredentialMode, str] = {
    "account_key": "account_key",
    "sas": "sas_token",
    "service_principal": "client_secret",
    "certificate": "certificate",
}
DATASTORE_NAME = re.compile(r"^[a-z][a-z0-9_]{2,254}$")
_CONTAINER = re.compile(r"^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
GEN1_RETIRED = (
    "Azure Data Lake Storage Gen1 was retired by Microsoft on 2024-02-29; datastore {name!r} still registers "
    "against the existing store, but migrate the data to ADLS Gen2"
)


class DatastoreCredentials(TypedDict, total=False):
    """How Azure ML authenticates to the storage. Defaults to identity where the kind supports it."""

    mode: CredentialMode
    account_key: pulumi.Input[str]
    """Secret. With ``account_key``."""
    sas_token: pulumi.Input[str]
    """Secret. With ``sas``."""
    tenant_id: str
    """With ``service_principal`` / ``certificate``."""
    client_id: str
    client_secret: pulumi.Input[str]
    """Secret. With ``service_principal``."""
    certificate: pulumi.Input[str]
    """Secret (base64 PFX/PEM). With ``certificate``."""
    thumbprint: str
    """With ``certificate``."""


class DatastoreArgs(TypedDict, total=False):
    """Arguments of :class:`Datastore`. Defaults are listed per key."""

    kind: DatastoreKind
    """Required with :class:`Datastore`; set by the per-kind classes."""
    workspace_name: Required[pulumi.Input[str]]
    resource_group_name: Required[pulumi.Input[str]]
    """Resource group of the workspace (and of a storage account this component creates)."""
    location: Required[pulumi.Input[str]]
    subscription_id: Required[pulumi.Input[str]]
    """Subscription of the storage (the workspace's, for an account created here)."""
    datastore_name: Required[str]
    """3-255 lowercase letters, digits and ``_``, starting with a letter."""
    container: Required[str]
    """Blob container, file share, Gen2 filesystem, or the Gen1 store name."""
    storage_account_id: str
    """Existing account (Blob, Files, Gen2) whose container/share/filesystem exists already.
    Default: create an account, with the workspace storage's secure defaults (Gen2: hierarchical
    namespace on), and the container/share/filesystem in it."""
    storage_account_name: str
    """Name of the account to create. Required when no ``storage_account_id`` is given."""
    storage: StorageAccountOptions
    """Options of the created account (see :class:`~pulumi_azureml.storage.StorageAccountOptions`)."""
    credentials: DatastoreCredentials
    read_only: bool
    """Identity datastores: grant the workspace identity read (True) or read/write. Default ``False``."""
    workspace_principal_id: pulumi.Input[str] | None
    """Principal id of the workspace identity: required for identity datastores (the grant)."""
    workspace_identity: Literal["WorkspaceSystemAssignedIdentity", "WorkspaceUserAssignedIdentity"]
    """Which workspace identity previews data. Default ``WorkspaceSystemAssignedIdentity``."""
    description: str
    tags: Mapping[str, str]
    protect: bool
    """``protect`` on a created storage account and its container or share (where the data
    lives). Default ``False``."""
    managed_network_private_endpoint: bool
    """Add a private-endpoint outbound rule to the workspace's managed network for the storage
    (blob, dfs or file), and let the workspace identity approve it (Azure AI Enterprise Network
    Connection Approver on the account). Needed when the workspace isolates outbound traffic and the
    account has public access disabled. Default ``False``."""


def _is_plain_secret(value: Any) -> bool:
    # Outputs (config.require_secret, Output.secret) are accepted; raw strings are not.
    return isinstance(value, str)


def validate_datastore_args(key: str, args: Mapping[str, Any]) -> None:
    """Raise ConfigError for a bad datastore argument or combination, before anything is registered."""
    kind = args.get("kind")
    if kind not in KINDS:
        raise ConfigError(f"{key}.kind", kind, f"must be one of {', '.join(KINDS)}")
    name = args.get("datastore_name", "")
    if not isinstance(name, str) or not DATASTORE_NAME.match(name):
        raise ConfigError(
            f"{key}.name", name, "datastore names are 3-255 lowercase letters, digits and '_', starting with a letter"
        )
    container = args.get("container", "")
    if kind != "AzureDataLakeGen1" and (not isinstance(container, str) or not _CONTAINER.match(container)):
        raise ConfigError(
            f"{key}.container",
            container,
            "container, share and filesystem names are 3-63 lowercase letters, digits and single '-'",
        )
    creds = args.get("credentials") or {}
    mode = creds.get("mode", DEFAULT_CREDENTIALS[kind])
    if mode not in SUPPORTED_CREDENTIALS[kind]:
        raise ConfigError(
            f"{key}.credentials.mode",
            mode,
            f"{kind} datastores support {', '.join(SUPPORTED_CREDENTIALS[kind])}",
        )
    for other_mode, field in _SECRET_FIELDS.items():
        if field in creds and other_mode != mode:
            raise ConfigError(f"{key}.credentials.{field}", "[secret]", f"is only used with mode {other_mode}")
    creates_account = kind != "AzureDataLakeGen1" and not args.get("storage_account_id")
    if creates_account and mode == "sas":
        raise ConfigError(
            f"{key}.credentials.mode",
            mode,
            "a SAS token can only be issued for an existing account (storage_account_id); use identity or account_key",
        )
    if creates_account and mode == "account_key":
        if "account_key" in creds:
            raise ConfigError(
                f"{key}.credentials.account_key",
                "[secret]",
                "is read from the account this datastore creates; give it only with storage_account_id",
            )
        if (args.get("storage") or {}).get("allow_shared_key_access") is False:
            raise ConfigError(
                f"{key}.storage.allow_shared_key_access", False, "account_key credentials need shared-key access on"
            )
    elif mode in _SECRET_FIELDS:
        field = _SECRET_FIELDS[mode]
        if field not in creds or creds[field] is None:
            raise ConfigError(f"{key}.credentials.{field}", None, f"is required with mode {mode}")
        if _is_plain_secret(creds[field]):
            raise ConfigError(
                f"{key}.credentials.{field}",
                "[plain text]",
                "must be a Pulumi secret (pulumi config set --secret, or pulumi.Output.secret), never plain text",
            )
    if mode in ("service_principal", "certificate"):
        for field in ("tenant_id", "client_id"):
            if not is_guid(creds.get(field)):
                raise ConfigError(f"{key}.credentials.{field}", creds.get(field), f"must be a GUID with mode {mode}")
        if mode == "certificate" and not re.fullmatch(r"[0-9A-Fa-f]{40}", str(creds.get("thumbprint", ""))):
            raise ConfigError(f"{key}.credentials.thumbprint", creds.get("thumbprint"), "must be a 40-hex-digit SHA-1")
    if mode == "identity" and args.get("workspace_principal_id") is None:
        raise ConfigError(
            f"{key}.credentials.mode",
            mode,
            "an identity datastore needs the workspace identity's principal id, to grant it data access",
        )
    if kind == "AzureDataLakeGen1":
        if args.get("storage_account_id") or args.get("storage_account_name"):
            raise ConfigError(
                f"{key}.storage_account_id",
                args.get("storage_account_id"),
                "Gen1 datastores name a store, not an account",
            )
        if not re.fullmatch(r"[a-z0-9]{3,24}", str(container)):
            raise ConfigError(f"{key}.container", container, "a Gen1 store name is 3-24 lowercase letters and digits")
        return
    if args.get("storage_account_id"):
        parse_resource_id(f"{key}.storage_account_id", args["storage_account_id"], "Microsoft.Storage/storageAccounts")
    elif not args.get("storage_account_name"):
        raise ConfigError(f"{key}.storage_account_name", None, "is required when no storage_account_id is given")
    else:
        if not re.fullmatch(r"[a-z0-9]{3,24}", args["storage_account_name"]):
            raise ConfigError(
                f"{key}.storage_account_name",
                args["storage_account_name"],
                "storage account names are 3-24 lowercase letters and digits",
            )
        validate_storage_options(f"{key}.storage", args.get("storage", {}), workspace_default=False)


class Datastore(pulumi.ComponentResource):
    """A workspace datastore, with the storage it needs and the grants that make identity access
    work. Use the class of the kind (:class:`AzureBlobDatastore`, :class:`AzureFileDatastore`,
    :class:`AzureDataLakeGen2Datastore`, :class:`AzureDataLakeGen1Datastore`), or this one with a
    ``kind`` argument. Child names: ``<name>-storage``, ``<name>-container``, ``<name>-datastore``,
    ``<name>-ra-workspace``, ``<name>-grant-<label>-<read|write>``, ``<name>-outbound``."""

    KIND: DatastoreKind | None = None

    datastore: ml.Datastore
    datastore_name: str
    kind: DatastoreKind
    account_name: pulumi.Output[str] | None
    container: str
    scope: pulumi.Output[str] | None
    """ARM scope of the data (container/filesystem) that grants apply to; None for Gen1 and Files."""

    def __init__(self, name: str, args: DatastoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if self.KIND is not None:
            args = {**args, "kind": self.KIND}
        validate_datastore_args(name, args)
        super().__init__(f"pulumi-azureml:index:{type(self).__name__}", name, None, opts)
        kind: DatastoreKind = args["kind"]
        self.kind = kind
        self.datastore_name = args["datastore_name"]
        self.container = args["container"]
        self._subscription_id = pulumi.Output.from_input(args["subscription_id"])
        creds = args.get("credentials") or {}
        mode: CredentialMode = creds.get("mode", DEFAULT_CREDENTIALS[kind])
        tags = dict(args.get("tags", {}))

        account_id: pulumi.Output[str] | None = None
        account_rg: pulumi.Input[str] = args["resource_group_name"]
        account_sub: pulumi.Input[str] = args["subscription_id"]
        self.account_name = None
        depends: list[pulumi.Resource] = []
        if kind == "AzureDataLakeGen1":
            pulumi.log.warn(GEN1_RETIRED.format(name=self.datastore_name), resource=self)
        elif args.get("storage_account_id"):
            rid = parse_resource_id(name, args["storage_account_id"], "Microsoft.Storage/storageAccounts")
            account_id = pulumi.Output.from_input(args["storage_account_id"])
            self.account_name = pulumi.Output.from_input(rid.name)
            account_rg, account_sub = rid.resource_group, rid.subscription_id
        else:
            storage_opts: StorageAccountOptions = dict(args.get("storage", {}))  # type: ignore[assignment]
            if mode == "account_key":
                # Key credentials need keys: the one secure setting this datastore kind must give up.
                storage_opts["allow_shared_key_access"] = True
            created = create_storage_account(
                f"{name}-storage",
                account_name=args["storage_account_name"],
                resource_group_name=args["resource_group_name"],
                location=args["location"],
                options=storage_opts,
                tags=tags,
                parent=self,
                protect=bool(args.get("protect", False)),
                hierarchical_namespace=kind == "AzureDataLakeGen2",
            )
            account_id = created.account.id
            self.account_name = created.account.name
            if mode == "account_key":
                keys = storage.list_storage_account_keys_output(
                    account_name=created.account.name,
                    resource_group_name=args["resource_group_name"],
                    opts=pulumi.InvokeOutputOptions(parent=self),
                )
                creds = {**creds, "account_key": pulumi.Output.secret(keys.keys[0].value)}
            if kind == "AzureFile":
                depends.append(
                    storage.FileShare(
                        f"{name}-container",
                        storage.FileShareArgs(
                            account_name=created.account.name,
                            resource_group_name=args["resource_group_name"],
                            share_name=self.container,
                        ),
                        opts=pulumi.ResourceOptions(
                            parent=self, depends_on=[created.file_service], protect=bool(args.get("protect", False))
                        ),
                    )
                )
            else:
                depends.append(
                    storage.BlobContainer(
                        f"{name}-container",
                        storage.BlobContainerArgs(
                            account_name=created.account.name,
                            resource_group_name=args["resource_group_name"],
                            container_name=self.container,
                            public_access=storage.PublicAccess.NONE,
                        ),
                        opts=pulumi.ResourceOptions(
                            parent=self, depends_on=[created.blob_service], protect=bool(args.get("protect", False))
                        ),
                    )
                )

        # Blob and Gen2 data live in blob containers; identity grants are scoped to that container.
        self.scope = (
            account_id.apply(lambda i: f"{i}/blobServices/default/containers/{self.container}")
            if account_id is not None and kind in ("AzureBlob", "AzureDataLakeGen2")
            else None
        )
        identity = args.get("workspace_identity", "WorkspaceSystemAssignedIdentity")
        common: dict[str, Any] = {
            "datastore_type": kind,
            "credentials": _credentials(mode, creds),
            "description": args.get("description"),
            "tags": tags or None,
            "resource_group": account_rg,
            "subscription_id": account_sub,
            "service_data_access_auth_identity": identity if mode == "identity" else "None",
        }
        account = self.account_name
        properties: Any
        if kind == "AzureBlob":
            properties = ml.AzureBlobDatastoreArgs(
                account_name=account,
                container_name=self.container,
                endpoint="core.windows.net",
                protocol="https",
                **common,
            )
        elif kind == "AzureFile":
            assert account is not None
            properties = ml.AzureFileDatastoreArgs(
                account_name=account,
                file_share_name=self.container,
                endpoint="core.windows.net",
                protocol="https",
                **common,
            )
        elif kind == "AzureDataLakeGen2":
            assert account is not None
            properties = ml.AzureDataLakeGen2DatastoreArgs(
                account_name=account, filesystem=self.container, endpoint="core.windows.net", protocol="https", **common
            )
        else:
            properties = ml.AzureDataLakeGen1DatastoreArgs(store_name=self.container, **common)

        grants: list[pulumi.Resource] = []
        if mode == "identity" and self.scope is not None:
            role = (
                BuiltInRole.STORAGE_BLOB_DATA_READER
                if args.get("read_only")
                else BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR
            )
            grants.append(
                assign_role(
                    f"{name}-ra-workspace",
                    scope=self.scope,
                    principal_id=args["workspace_principal_id"],  # type: ignore[arg-type]
                    role=role,
                    subscription_id=self._subscription_id,
                    description=f"Azure ML workspace identity: {role.slug} on datastore {self.datastore_name}",
                    parent=self,
                    depends_on=depends,
                )
            )
        if args.get("managed_network_private_endpoint") and account_id is not None:
            target = {"AzureBlob": "blob", "AzureDataLakeGen2": "dfs", "AzureFile": "file"}[kind]
            approver = None
            if args.get("workspace_principal_id") is not None:
                # Private endpoints to non-default targets are no longer approved automatically.
                approver = assign_role(
                    f"{name}-ra-network-approver",
                    scope=account_id,
                    principal_id=args["workspace_principal_id"],  # type: ignore[arg-type]
                    role=BuiltInRole.AZURE_AI_ENTERPRISE_NETWORK_CONNECTION_APPROVER,
                    subscription_id=self._subscription_id,
                    description=f"Azure ML workspace identity: approve the private endpoint of {self.datastore_name}",
                    parent=self,
                )
            ml.ManagedNetworkSettingsRule(
                f"{name}-outbound",
                ml.ManagedNetworkSettingsRuleArgs(
                    rule_name=outbound_rule_name(self.datastore_name, target),
                    workspace_name=args["workspace_name"],
                    resource_group_name=args["resource_group_name"],
                    properties=ml.PrivateEndpointOutboundRuleArgs(
                        type="PrivateEndpoint",
                        category="UserDefined",
                        destination=ml.PrivateEndpointDestinationArgs(
                            service_resource_id=account_id, subresource_target=target
                        ),
                    ),
                ),
                opts=pulumi.ResourceOptions(parent=self, depends_on=[*depends, *([approver] if approver else [])]),
            )
        self.datastore = ml.Datastore(
            f"{name}-datastore",
            ml.DatastoreArgs(
                name=self.datastore_name,
                workspace_name=args["workspace_name"],
                resource_group_name=args["resource_group_name"],
                properties=properties,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=depends),
        )
        self.register_outputs({"datastore_name": self.datastore_name})

    def _grant(
        self, principal_id: pulumi.Input[str], role: BuiltInRole, label: str | None, principal_type: str
    ) -> pulumi.Resource:
        if self.scope is None:
            raise ConfigError(
                f"{self._name}.grant",
                self.kind,
                "grants need a Blob or Data Lake Gen2 datastore on an account of this stack",
            )
        if label is None:
            if not isinstance(principal_id, str):
                raise ConfigError(f"{self._name}.grant", "label", "is required when the principal id is an Output")
            label = short_hash(principal_id, length=8)
        access = "read" if role == BuiltInRole.STORAGE_BLOB_DATA_READER else "write"
        return assign_role(
            f"{self._name}-grant-{label}-{access}",
            scope=self.scope,
            principal_id=principal_id,
            role=role,
            subscription_id=self._subscription_id,
            principal_type=principal_type,
            description=f"{access} access to datastore {self.datastore_name}",
            parent=self,
        )

    def grant_read(
        self, principal_id: pulumi.Input[str], *, label: str | None = None, principal_type: str = "ServicePrincipal"
    ) -> pulumi.Resource:
        """Storage Blob Data Reader on this datastore's container for a principal (a compute's
        identity, a user or a group: ``principal_type`` ``ServicePrincipal``, ``User`` or ``Group``).
        ``label`` names the grant in Pulumi (default: a hash of a plain principal id)."""
        return self._grant(principal_id, BuiltInRole.STORAGE_BLOB_DATA_READER, label, principal_type)

    def grant_write(
        self, principal_id: pulumi.Input[str], *, label: str | None = None, principal_type: str = "ServicePrincipal"
    ) -> pulumi.Resource:
        """Storage Blob Data Contributor on this datastore's container (see :meth:`grant_read`)."""
        return self._grant(principal_id, BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR, label, principal_type)

    def uris(
        self, subscription_id: pulumi.Input[str], resource_group: pulumi.Input[str], workspace: pulumi.Input[str]
    ) -> tuple[str, pulumi.Output[str]]:
        """The ``azureml://`` URIs data assets use: the short form and the workspace-qualified one."""
        short = f"azureml://datastores/{self.datastore_name}/paths/"
        long = pulumi.Output.concat(
            "azureml://subscriptions/",
            subscription_id,
            "/resourcegroups/",
            resource_group,
            "/workspaces/",
            workspace,
            f"/datastores/{self.datastore_name}/paths/",
        )
        return short, long


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
            secrets=ml.AccountKeyDatastoreSecretsArgs(secrets_type="AccountKey", key=creds["account_key"]),
        )
    if mode == "sas":
        return ml.SasDatastoreCredentialsArgs(
            credentials_type="Sas", secrets=ml.SasDatastoreSecretsArgs(secrets_type="Sas", sas_token=creds["sas_token"])
        )
    if mode == "service_principal":
        return ml.ServicePrincipalDatastoreCredentialsArgs(
            credentials_type="ServicePrincipal",
            tenant_id=creds["tenant_id"],
            client_id=creds["client_id"],
            secrets=ml.ServicePrincipalDatastoreSecretsArgs(
                secrets_type="ServicePrincipal", client_secret=creds["client_secret"]
            ),
        )
    return ml.CertificateDatastoreCredentialsArgs(
        credentials_type="Certificate",
        tenant_id=creds["tenant_id"],
        client_id=creds["client_id"],
        thumbprint=creds["thumbprint"],
        secrets=ml.CertificateDatastoreSecretsArgs(secrets_type="Certificate", certificate=creds["certificate"]),
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
}
