"""MachineLearningWorkspace: an Azure ML workspace and everything it depends on, as one component."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal, NotRequired, Required, TypedDict

import pulumi
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.machinelearningservices as ml
import pulumi_azure_native.managedidentity as managedidentity
import pulumi_azure_native.resources as resources

from .arm import check_subnet_id, parse_resource_id
from .diagnostics import DiagnosticsOptions, send_resource_logs, validate_diagnostics_options
from .errors import ConfigError
from .identity import (
    IdentityOptions,
    uses_system_assigned,
    uses_user_assigned,
    validate_identity_options,
)
from .keyvault import KeyVaultOptions, create_key_vault, validate_key_vault_options
from .monitoring import MonitoringOptions, create_monitoring, validate_monitoring_options
from .naming import (
    APPLICATION_INSIGHTS_RULE,
    CONTAINER_REGISTRY_RULE,
    KEY_VAULT_RULE,
    LOG_ANALYTICS_RULE,
    RESOURCE_GROUP_RULE,
    STORAGE_ACCOUNT_RULE,
    USER_ASSIGNED_IDENTITY_RULE,
    WORKSPACE_RULE,
    NamingError,
    ResourceNames,
    build_names,
    validate_name,
)
from .overrides import as_resource_kwargs, build_args, check_overrides
from .registry import REGISTRY_DEFAULTS, ContainerRegistryOptions, create_registry, validate_registry_options
from .roles import BuiltInRole, assign_role
from .storage import STORAGE_DEFAULTS, StorageAccountOptions, create_storage_account, validate_storage_options

PublicNetworkAccess = Literal["Enabled", "Disabled"]
IsolationMode = Literal["Disabled", "AllowInternetOutbound", "AllowOnlyApprovedOutbound"]
SystemDatastoresAuthMode = Literal["AccessKey", "Identity", "UserDelegationSAS"]

ISOLATION_MODES: tuple[IsolationMode, ...] = (
    "Disabled",
    "AllowInternetOutbound",
    "AllowOnlyApprovedOutbound",
)
AUTH_MODES: tuple[SystemDatastoresAuthMode, ...] = ("AccessKey", "Identity", "UserDelegationSAS")

COMPONENT_TYPE = "pulumi-azureml:index:MachineLearningWorkspace"


class ServerlessComputeOptions(TypedDict, total=False):
    """Where serverless compute runs. Azure ML documents these for a customer VNet only."""

    subnet_id: str
    """ARM id of a subnet in your VNet. Not with managed network isolation, whose serverless jobs
    already run in the managed network."""
    no_public_ip: bool
    """Serverless nodes without public IPs. Needs a subnet and a private workspace (public network
    access Disabled), or managed network isolation. Default ``False``."""


class MachineLearningWorkspaceArgs(TypedDict, total=False):
    """Arguments of :class:`MachineLearningWorkspace`.

    Only ``workload``, ``environment`` and ``location`` are required; every other key has the
    secure default documented next to it. Environment profiles (:mod:`pulumi_azureml.profiles`)
    relax some of them for dev.
    """

    workload: Required[str]
    """Short workload token used in every name (``^[a-z][a-z0-9]{1,9}$``)."""
    environment: Required[str]
    """Environment token used in names and tags (e.g. ``dev``)."""
    location: Required[str]
    """Azure region, e.g. ``westeurope``."""
    instance: NotRequired[str | None]
    """Optional instance number (``01``) appended to names. Default none."""
    suffix_seed: NotRequired[str | None]
    """Extra input to the deterministic suffix of globally unique names. Default none."""
    resource_group_name: str
    """Use this existing resource group instead of creating ``rg-<workload>-<env>-<region>``."""
    workspace_name: str
    """Default ``mlw-<workload>-<env>-<region>``."""
    friendly_name: str
    """Display name in the studio. Default ``<workload> (<environment>)``."""
    description: str
    """Default ``Azure ML workspace for <workload> (<environment>), managed by Pulumi``."""
    hbi_workspace: bool
    """High business impact: less diagnostic data collected, encrypted local scratch disks.
    Fixed at creation. Default ``False``."""
    public_network_access: PublicNetworkAccess
    """Workspace endpoint reachable from the internet. Default ``Disabled`` (reach it through a
    private endpoint)."""
    isolation_mode: IsolationMode
    """Managed network isolation. Default ``AllowOnlyApprovedOutbound``. Isolation can be
    tightened later but never loosened or turned off."""
    provision_network_now: bool
    """Provision the managed network with the workspace instead of on the first compute.
    Default ``True`` when isolation is on."""
    system_datastores_auth_mode: SystemDatastoresAuthMode
    """How the workspace reaches its own datastores. Default ``Identity`` (no account keys
    stored), which is what lets the storage account turn shared-key access off."""
    serverless_compute: ServerlessComputeOptions
    """Network settings of serverless compute. Default: none (serverless jobs run in the managed
    network when isolation is on, else on Azure-managed public nodes)."""
    identity: IdentityOptions
    """Default: system-assigned identity. See :class:`IdentityOptions`."""
    storage: StorageAccountOptions
    """Default storage account. See :class:`StorageAccountOptions`."""
    key_vault: KeyVaultOptions
    """See :class:`KeyVaultOptions`."""
    monitoring: MonitoringOptions
    """See :class:`MonitoringOptions`."""
    diagnostics: DiagnosticsOptions
    """Resource logs of the workspace and key vault to Log Analytics. Default: on when a Log
    Analytics workspace exists. See :class:`DiagnosticsOptions`."""
    container_registry: ContainerRegistryOptions
    """See :class:`ContainerRegistryOptions`."""
    tags: Mapping[str, str]
    """Added to every resource, after ``workload``, ``environment`` and ``managed-by``."""
    protect: bool
    """Set Pulumi's ``protect`` on the stateful resources (resource group, storage, key vault,
    Log Analytics, Application Insights, registry, identity, workspace). Default ``False``."""
    workspace_overrides: Mapping[str, Any]
    """Escape hatch: keyword arguments for ``machinelearningservices.WorkspaceArgs``."""


_TAG_NAME_FORBIDDEN = re.compile(r"[<>%&\\?/]")


def _validate_tags(tags: Mapping[str, str]) -> None:
    if len(tags) > 47:  # Azure allows 50; three are ours.
        raise ConfigError("tags", f"{len(tags)} tags", "at most 47 tags (Azure allows 50, three are added)")
    for name, value in tags.items():
        if not isinstance(value, str):
            raise ConfigError(f"tags.{name}", value, "tag values must be strings")
        if not 1 <= len(name) <= 512 or _TAG_NAME_FORBIDDEN.search(name):
            raise ConfigError(f"tags.{name}", name, "tag names are 1-512 characters without < > % & \\ ? /")
        if len(value) > 256:
            raise ConfigError(f"tags.{name}", value, "tag values are at most 256 characters")


def _validate_serverless(options: ServerlessComputeOptions, *, isolation: str, public_network_access: str) -> None:
    """Azure ML's documented compatibility between serverless settings, the managed network and a subnet."""
    subnet = options.get("subnet_id")
    no_public_ip = options.get("no_public_ip", False)
    check_subnet_id("serverless_compute.subnet_id", subnet)
    if subnet and isolation != "Disabled":
        raise ConfigError(
            "serverless_compute.subnet_id",
            subnet,
            f"a workspace with managed network isolation ({isolation}) runs serverless compute in its managed "
            "network; a custom subnet needs isolation_mode Disabled",
        )
    if no_public_ip and isolation == "Disabled":
        if not subnet:
            raise ConfigError(
                "serverless_compute.no_public_ip",
                True,
                "serverless compute without public IPs needs a subnet (serverless_compute.subnet_id) or managed "
                "network isolation",
            )
        if public_network_access != "Disabled":
            raise ConfigError(
                "serverless_compute.no_public_ip",
                True,
                "serverless compute without public IPs in a customer VNet needs a private workspace "
                "(public_network_access Disabled, reached through a private endpoint)",
            )


def resolve_names(args: MachineLearningWorkspaceArgs) -> ResourceNames:
    """The CAF names for ``args``; a bad workload, environment, region or instance is a ConfigError."""
    try:
        return build_names(
            args["workload"],
            args["environment"],
            args["location"],
            instance=args.get("instance"),
            suffix_seed=args.get("suffix_seed"),
        )
    except NamingError as err:
        raise ConfigError(err.field, err.value, err.rule) from None


def validate_workspace_args(args: MachineLearningWorkspaceArgs) -> ResourceNames:
    """Check every argument and combination; raise ConfigError before anything is registered.

    Keys in errors are the argument paths (``storage.sku``); the stack config layer maps them to
    its own key names.
    """
    for required in ("workload", "environment", "location"):
        if not args.get(required):
            raise ConfigError(required, args.get(required), "is required")
    names = resolve_names(args)
    pna = args.get("public_network_access", "Disabled")
    if pna not in ("Enabled", "Disabled"):
        raise ConfigError("public_network_access", pna, "must be Enabled or Disabled")
    isolation = args.get("isolation_mode", "AllowOnlyApprovedOutbound")
    if isolation not in ISOLATION_MODES:
        raise ConfigError("isolation_mode", isolation, f"must be one of {', '.join(ISOLATION_MODES)}")
    auth_mode = args.get("system_datastores_auth_mode", "Identity")
    if auth_mode not in AUTH_MODES:
        raise ConfigError("system_datastores_auth_mode", auth_mode, f"must be one of {', '.join(AUTH_MODES)}")

    _validate_serverless(args.get("serverless_compute", {}), isolation=isolation, public_network_access=pna)
    identity = args.get("identity", {})
    validate_identity_options("identity", identity)

    storage_opts = args.get("storage", {})
    if storage_opts.get("existing_id"):
        parse_resource_id("storage.existing_id", storage_opts["existing_id"], "Microsoft.Storage/storageAccounts")
    validate_storage_options("storage", storage_opts, workspace_default=True)
    shared_key = storage_opts.get("allow_shared_key_access", STORAGE_DEFAULTS["allow_shared_key_access"])
    if not storage_opts.get("existing_id") and not shared_key and auth_mode != "Identity":
        raise ConfigError(
            "system_datastores_auth_mode",
            auth_mode,
            "must be Identity when the workspace storage has shared-key access off "
            "(storage.allow_shared_key_access false): the system datastores could not authenticate",
        )

    kv_opts = args.get("key_vault", {})
    if kv_opts.get("existing_id"):
        parse_resource_id("key_vault.existing_id", kv_opts["existing_id"], "Microsoft.KeyVault/vaults")
    validate_key_vault_options("key_vault", kv_opts)

    mon_opts = args.get("monitoring", {})
    if mon_opts.get("existing_application_insights_id"):
        parse_resource_id(
            "monitoring.existing_application_insights_id",
            mon_opts["existing_application_insights_id"],
            "Microsoft.Insights/components",
        )
    validate_monitoring_options("monitoring", mon_opts)
    validate_diagnostics_options(
        "diagnostics",
        args.get("diagnostics", {}),
        has_log_analytics=not mon_opts.get("existing_application_insights_id"),
    )

    cr_opts = args.get("container_registry", {})
    validate_registry_options("container_registry", cr_opts)
    if cr_opts.get("existing_id"):
        parse_resource_id(
            "container_registry.existing_id", cr_opts["existing_id"], "Microsoft.ContainerRegistry/registries"
        )
    cr_mode = cr_opts.get("mode", REGISTRY_DEFAULTS["mode"])
    cr_sku = cr_opts.get("sku", REGISTRY_DEFAULTS["sku"])
    if isolation == "AllowOnlyApprovedOutbound" and cr_mode == "create" and cr_sku != "Premium":
        raise ConfigError(
            "container_registry.sku",
            cr_sku,
            "isolation_mode AllowOnlyApprovedOutbound always adds a private endpoint to the registry, "
            "which needs the Premium SKU",
        )

    explicit_names = [
        ("workspace_name", args.get("workspace_name"), WORKSPACE_RULE),
        ("storage.name", args.get("storage", {}).get("name"), STORAGE_ACCOUNT_RULE),
        ("key_vault.name", args.get("key_vault", {}).get("name"), KEY_VAULT_RULE),
        ("container_registry.name", args.get("container_registry", {}).get("name"), CONTAINER_REGISTRY_RULE),
        ("identity.name", args.get("identity", {}).get("name"), USER_ASSIGNED_IDENTITY_RULE),
        ("monitoring.log_analytics_name", args.get("monitoring", {}).get("log_analytics_name"), LOG_ANALYTICS_RULE),
        (
            "monitoring.application_insights_name",
            args.get("monitoring", {}).get("application_insights_name"),
            APPLICATION_INSIGHTS_RULE,
        ),
        ("resource_group_name", args.get("resource_group_name"), RESOURCE_GROUP_RULE),
    ]
    for key, value, rule in explicit_names:
        if value is None:
            continue
        try:
            validate_name(rule, value)
        except NamingError as err:
            raise ConfigError(key, value, err.rule) from None
    _validate_tags(args.get("tags", {}))
    check_overrides("workspace_overrides", ml.WorkspaceArgs, args.get("workspace_overrides"))
    return names


def _serverless_settings(options: ServerlessComputeOptions | None) -> ml.ServerlessComputeSettingsArgs | None:
    if not options:
        return None
    return ml.ServerlessComputeSettingsArgs(
        serverless_compute_custom_subnet=options.get("subnet_id"),
        serverless_compute_no_public_ip=options.get("no_public_ip"),
    )


def _name_from_id(resource_id: str) -> str:
    return resource_id.rstrip("/").rsplit("/", 1)[-1]


class MachineLearningWorkspace(pulumi.ComponentResource):
    """An Azure ML workspace with its resource group, storage account, key vault, Log Analytics +
    Application Insights, container registry and identity, each created or brought by id.

    Children are named ``<name>-<suffix>`` with stable suffixes (``rg``, ``storage``, ``kv``,
    ``monitoring-log``, ``monitoring-appi``, ``acr``, ``identity``, ``workspace`` and
    ``ra-<principal>-<target>-<role>`` for role assignments): renaming the component or a child
    without an alias replaces real infrastructure.
    """

    workspace: ml.Workspace
    resource_group_name: pulumi.Output[str]
    location: pulumi.Output[str]
    subscription_id: pulumi.Output[str]
    workspace_name: pulumi.Output[str]
    workspace_arm_id: pulumi.Output[str]
    workspace_guid: pulumi.Output[str]
    discovery_url: pulumi.Output[str]
    mlflow_tracking_uri: pulumi.Output[str]
    storage_account_id: pulumi.Output[str]
    storage_account_name: pulumi.Output[str]
    storage_blob_endpoint: pulumi.Output[str]
    key_vault_id: pulumi.Output[str]
    key_vault_uri: pulumi.Output[str]
    container_registry_id: pulumi.Output[str] | None
    container_registry_login_server: pulumi.Output[str] | None
    application_insights_id: pulumi.Output[str]
    log_analytics_workspace_id: pulumi.Output[str] | None
    principal_id: pulumi.Output[str]
    """Principal id of the workspace's primary identity (the user-assigned one when there is one)."""
    system_principal_id: pulumi.Output[str] | None
    names: ResourceNames
    managed_network: bool
    """Whether managed network isolation is on (computes then run in the managed network)."""

    def __init__(
        self,
        name: str,
        args: MachineLearningWorkspaceArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        # Validate first: a bad argument must stop the program before anything is registered.
        names = validate_workspace_args(args)
        super().__init__(COMPONENT_TYPE, name, None, opts)
        self.names = names
        self.managed_network = args.get("isolation_mode", "AllowOnlyApprovedOutbound") != "Disabled"
        environment = args["environment"]
        location = args["location"]
        protect = bool(args.get("protect", False))
        isolation = args.get("isolation_mode", "AllowOnlyApprovedOutbound")
        auth_mode = args.get("system_datastores_auth_mode", "Identity")
        identity_opts = args.get("identity", {})
        assign_roles = identity_opts.get("assign_roles", True)
        tags = {
            "workload": args["workload"],
            "environment": environment,
            "managed-by": "pulumi",
            **dict(args.get("tags", {})),
        }

        client = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self))
        self.subscription_id = client.subscription_id
        self.location = pulumi.Output.from_input(location)

        # Resource group: created, or an existing one by name.
        rg: resources.ResourceGroup | None = None
        if args.get("resource_group_name"):
            rg_name: pulumi.Output[str] = pulumi.Output.from_input(args["resource_group_name"])
        else:
            rg = resources.ResourceGroup(
                f"{name}-rg",
                resources.ResourceGroupArgs(resource_group_name=names.resource_group, location=location, tags=tags),
                opts=pulumi.ResourceOptions(parent=self, protect=protect),
            )
            rg_name = rg.name
        self.resource_group_name = rg_name
        rg_id: pulumi.Output[str] = (
            rg.id
            if rg is not None
            else pulumi.Output.concat("/subscriptions/", client.subscription_id, "/resourceGroups/", rg_name)
        )
        common = {
            "resource_group_name": rg_name,
            "location": location,
            "tags": tags,
            "parent": self,
            "protect": protect,
        }

        # Storage account.
        storage_opts = args.get("storage", {})
        workspace_deps: list[pulumi.Resource] = []
        if storage_opts.get("existing_id"):
            self.storage_account_id = pulumi.Output.from_input(storage_opts["existing_id"])
            self.storage_account_name = pulumi.Output.from_input(_name_from_id(storage_opts["existing_id"]))
            # Public-cloud endpoint; the existing account is not read, so nothing here needs its keys.
            self.storage_blob_endpoint = self.storage_account_name.apply(
                lambda n: f"https://{n}.blob.core.windows.net/"
            )
        else:
            st = create_storage_account(
                f"{name}-storage",
                account_name=storage_opts.get("name", names.storage_account),
                options=storage_opts,
                studio_cors=True,
                **common,  # type: ignore[arg-type]
            )
            self.storage_account_id = st.account.id
            self.storage_account_name = st.account.name
            self.storage_blob_endpoint = st.account.primary_endpoints.blob
            # The service edits CORS on its storage; create ours first so it is not overwritten later.
            workspace_deps += [st.blob_service, st.file_service]

        # Key vault.
        kv_opts = args.get("key_vault", {})
        created_vault_id: pulumi.Output[str] | None = None
        if kv_opts.get("existing_id"):
            self.key_vault_id = pulumi.Output.from_input(kv_opts["existing_id"])
            self.key_vault_uri = pulumi.Output.from_input(
                f"https://{_name_from_id(kv_opts['existing_id'])}.vault.azure.net/"
            )
        else:
            kv = create_key_vault(
                f"{name}-kv",
                vault_name=kv_opts.get("name", names.key_vault),
                tenant_id=client.tenant_id,
                options=kv_opts,
                **common,  # type: ignore[arg-type]
            )
            self.key_vault_id = kv.id
            created_vault_id = kv.id
            self.key_vault_uri = kv.properties.apply(lambda p: p.vault_uri or "")

        # Log Analytics + Application Insights.
        mon_opts = args.get("monitoring", {})
        self.log_analytics_workspace_id = None
        if mon_opts.get("existing_application_insights_id"):
            self.application_insights_id = pulumi.Output.from_input(mon_opts["existing_application_insights_id"])
        else:
            mon = create_monitoring(
                f"{name}-monitoring",
                log_analytics_name=mon_opts.get("log_analytics_name", names.log_analytics),
                application_insights_name=mon_opts.get("application_insights_name", names.application_insights),
                options=mon_opts,
                **common,  # type: ignore[arg-type]
            )
            self.application_insights_id = mon.application_insights.id
            self.log_analytics_workspace_id = mon.log_analytics.id

        # Container registry.
        cr_opts = args.get("container_registry", {})
        cr_mode = cr_opts.get("mode", "create")
        self.container_registry_id = None
        created_registry_id: pulumi.Output[str] | None = None
        self.container_registry_login_server = None
        if cr_mode == "existing":
            cr_id = cr_opts["existing_id"]
            self.container_registry_id = pulumi.Output.from_input(cr_id)
            self.container_registry_login_server = pulumi.Output.from_input(
                f"{_name_from_id(cr_id).lower()}.azurecr.io"
            )
        elif cr_mode == "create":
            acr = create_registry(
                f"{name}-acr",
                registry_name=cr_opts.get("name", names.container_registry),
                options=cr_opts,
                **common,  # type: ignore[arg-type]
            )
            self.container_registry_id = acr.id
            created_registry_id = acr.id
            self.container_registry_login_server = acr.login_server

        # User-assigned identity and the roles it needs before the workspace can be created.
        uai_id: pulumi.Output[str] | None = None
        uai_principal: pulumi.Output[str] | None = None
        if uses_user_assigned(identity_opts):
            if identity_opts.get("user_assigned_identity_id"):
                uai_id = pulumi.Output.from_input(identity_opts["user_assigned_identity_id"])
                uai_principal = pulumi.Output.from_input(identity_opts["principal_id"])
            else:
                uai = managedidentity.UserAssignedIdentity(
                    f"{name}-identity",
                    opts=pulumi.ResourceOptions(parent=self, protect=protect),
                    **as_resource_kwargs(
                        managedidentity.UserAssignedIdentityArgs(
                            resource_name=identity_opts.get("name", names.user_assigned_identity),
                            resource_group_name=rg_name,
                            location=location,
                            tags=tags,
                        )
                    ),
                )
                uai_id = uai.id
                uai_principal = uai.principal_id
            if assign_roles:
                grants: list[tuple[str, pulumi.Output[str], BuiltInRole]] = [
                    ("storage", self.storage_account_id, BuiltInRole.CONTRIBUTOR),
                    ("storage", self.storage_account_id, BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR),
                    (
                        "storage",
                        self.storage_account_id,
                        BuiltInRole.STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR,
                    ),
                    ("kv", self.key_vault_id, BuiltInRole.CONTRIBUTOR),
                    ("kv", self.key_vault_id, BuiltInRole.KEY_VAULT_ADMINISTRATOR),
                    ("appi", self.application_insights_id, BuiltInRole.CONTRIBUTOR),
                ]
                if self.container_registry_id is not None:
                    grants.append(("acr", self.container_registry_id, BuiltInRole.CONTRIBUTOR))
                if isolation != "Disabled":
                    # Since 2025-04-30 private endpoints to non-default targets are not auto-approved.
                    grants.append(("rg", rg_id, BuiltInRole.AZURE_AI_ENTERPRISE_NETWORK_CONNECTION_APPROVER))
                for target, scope, role in grants:
                    workspace_deps.append(
                        assign_role(
                            f"{name}-ra-uai-{target}-{role.slug}",
                            scope=scope,
                            principal_id=uai_principal,
                            role=role,
                            subscription_id=client.subscription_id,
                            description=f"Azure ML workspace identity ({environment}): {role.slug} on {target}",
                            parent=self,
                        )
                    )

        identity_type = identity_opts.get("type", "SystemAssigned")
        workspace_args = build_args(
            ml.WorkspaceArgs,
            {
                "workspace_name": args.get("workspace_name", names.workspace),
                "resource_group_name": rg_name,
                "location": location,
                "kind": "Default",
                "sku": ml.SkuArgs(name="Basic", tier=ml.SkuTier.BASIC),
                "friendly_name": args.get("friendly_name", f"{args['workload']} ({environment})"),
                "description": args.get(
                    "description",
                    f"Azure ML workspace for {args['workload']} ({environment}), managed by Pulumi",
                ),
                "identity": ml.ManagedServiceIdentityArgs(
                    type=identity_type,
                    # azure-native v3 takes the ids as a list and sends them as the ARM map.
                    user_assigned_identities=[uai_id] if uai_id is not None else None,
                ),
                "primary_user_assigned_identity": uai_id,
                "storage_account": self.storage_account_id,
                "key_vault": self.key_vault_id,
                "application_insights": self.application_insights_id,
                "container_registry": self.container_registry_id,
                "hbi_workspace": bool(args.get("hbi_workspace", False)),
                "public_network_access": args.get("public_network_access", "Disabled"),
                "managed_network": ml.ManagedNetworkSettingsArgs(isolation_mode=isolation),
                "provision_network_now": args.get("provision_network_now", isolation != "Disabled"),
                "system_datastores_auth_mode": auth_mode,
                "serverless_compute_settings": _serverless_settings(args.get("serverless_compute")),
                "v1_legacy_mode": False,
                "tags": tags,
            },
            args.get("workspace_overrides"),
        )
        self.workspace = ml.Workspace(
            f"{name}-workspace",
            workspace_args,
            opts=pulumi.ResourceOptions(parent=self, protect=protect, depends_on=workspace_deps),
        )
        ws = self.workspace
        self.workspace_name = ws.name
        self.workspace_arm_id = ws.id
        self.workspace_guid = ws.workspace_id
        self.discovery_url = ws.discovery_url.apply(lambda v: v or "")
        self.mlflow_tracking_uri = ws.ml_flow_tracking_uri
        self.system_principal_id = (
            ws.identity.apply(lambda i: i.principal_id if i else "") if uses_system_assigned(identity_opts) else None
        )
        self.principal_id = (
            uai_principal if uai_principal is not None else ws.identity.apply(lambda i: i.principal_id if i else "")
        )

        if assign_roles and uai_principal is not None:
            assign_role(
                f"{name}-ra-uai-workspace-{BuiltInRole.CONTRIBUTOR.slug}",
                scope=ws.id,
                principal_id=uai_principal,
                role=BuiltInRole.CONTRIBUTOR,
                subscription_id=client.subscription_id,
                description=f"Azure ML workspace identity ({environment}): contributor on workspace",
                parent=self,
            )
        if assign_roles and self.system_principal_id is not None and auth_mode == "Identity":
            # With identity auth the workspace's own identity reads and writes its system datastores.
            for role in (
                BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR,
                BuiltInRole.STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR,
            ):
                assign_role(
                    f"{name}-ra-sai-storage-{role.slug}",
                    scope=self.storage_account_id,
                    principal_id=self.system_principal_id,
                    role=role,
                    subscription_id=client.subscription_id,
                    description=f"Azure ML workspace identity ({environment}): {role.slug} on storage",
                    parent=self,
                )

        self._send_resource_logs(name, args.get("diagnostics", {}), created_vault_id, created_registry_id)
        self.register_outputs(self.connection_bundle())

    def _send_resource_logs(
        self,
        name: str,
        options: DiagnosticsOptions,
        created_vault_id: pulumi.Output[str] | None,
        created_registry_id: pulumi.Output[str] | None,
    ) -> None:
        target = options.get("log_analytics_workspace_id") or self.log_analytics_workspace_id
        self.diagnostic_settings: list[pulumi.Resource] = []
        if target is None or not options.get("enabled", True):
            return
        targets: list[tuple[str, pulumi.Output[str]]] = [("workspace", self.workspace.id)]
        # Dependents brought by id are someone else's to configure.
        if created_vault_id is not None:
            targets.append(("kv", created_vault_id))
        if created_registry_id is not None:
            targets.append(("acr", created_registry_id))
        for suffix, resource_id in targets:
            self.diagnostic_settings.append(
                send_resource_logs(
                    f"{name}-{suffix}-diag",
                    target_resource_id=resource_id,
                    log_analytics_workspace_id=target,
                    parent=self,
                )
            )

    def connection_bundle(self) -> dict[str, pulumi.Input[str] | None]:
        """What downstream azure-ai-ml code needs to reach this workspace, keyed like MLClient's args.

        ``container_registry_login_server`` is ``None`` when the workspace has no registry of ours.
        """
        return {
            "subscription_id": self.subscription_id,
            "resource_group_name": self.resource_group_name,
            "location": self.location,
            "workspace_name": self.workspace_name,
            "workspace_arm_id": self.workspace_arm_id,
            "workspace_id": self.workspace_guid,
            "discovery_url": self.discovery_url,
            "mlflow_tracking_uri": self.mlflow_tracking_uri,
            "storage_account_name": self.storage_account_name,
            "storage_blob_endpoint": self.storage_blob_endpoint,
            "key_vault_uri": self.key_vault_uri,
            "container_registry_login_server": self.container_registry_login_server,
            "application_insights_id": self.application_insights_id,
            "workspace_principal_id": self.principal_id,
        }
