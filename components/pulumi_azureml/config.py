"""Stack config: the schema of ``stacks/Pulumi.<env>.yaml`` and its validation.

Keys live in the project's namespace (``azureml-platform:workload``) and mirror the component
arguments in camelCase (``storage.allowSharedKeyAccess`` is ``storage["allow_shared_key_access"]``).
Loading validates everything (unknown keys, types, ranges, combinations) and raises one
:class:`~pulumi_azureml.errors.ConfigError` naming the key, the value and the rule, before the
program registers any resource. Components never read config; only the program calls this.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi.runtime.config as runtime_config
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from .arm import is_guid
from .compute import personal_instance_name, validate_cluster_args, validate_instance_args
from .datastore import validate_datastore_args
from .errors import ConfigError
from .naming import ResourceNames, datastore_account_name
from .policy.levels import CONFIG_KEY as POLICY_KEY
from .policy.levels import LevelOverride, parse_overrides
from .profiles import PROFILES, EnvironmentProfile, merge_workspace_args
from .workspace import MachineLearningWorkspaceArgs, validate_workspace_args


class _Section(BaseModel):
    # Unknown keys are errors: a misspelt key must not silently fall back to a default.
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, populate_by_name=False, frozen=True)


class WorkspaceConfig(_Section):
    name: str | None = None
    friendly_name: str | None = None
    description: str | None = None
    hbi_workspace: bool | None = None
    public_network_access: str | None = None
    isolation_mode: str | None = None
    provision_network_now: bool | None = None
    system_datastores_auth_mode: str | None = None
    overrides: dict[str, Any] | None = None


class IdentityConfig(_Section):
    type: str | None = None
    user_assigned_identity_id: str | None = None
    principal_id: str | None = None
    name: str | None = None
    assign_roles: bool | None = None


class StorageConfig(_Section):
    existing_id: str | None = None
    name: str | None = None
    sku: str | None = None
    allow_shared_key_access: bool | None = None
    public_network_access: str | None = None
    blob_soft_delete_days: int | None = None
    container_soft_delete_days: int | None = None
    share_soft_delete_days: int | None = None
    infrastructure_encryption: bool | None = None
    overrides: dict[str, Any] | None = None


class KeyVaultConfig(_Section):
    existing_id: str | None = None
    name: str | None = None
    sku: str | None = None
    purge_protection: bool | None = None
    soft_delete_retention_days: int | None = None
    public_network_access: str | None = None
    overrides: dict[str, Any] | None = None


class MonitoringConfig(_Section):
    existing_application_insights_id: str | None = None
    log_analytics_name: str | None = None
    application_insights_name: str | None = None
    retention_days: int | None = None
    disable_local_auth: bool | None = None
    log_analytics_overrides: dict[str, Any] | None = None
    application_insights_overrides: dict[str, Any] | None = None


class DiagnosticsConfig(_Section):
    enabled: bool | None = None
    log_analytics_workspace_id: str | None = None


class ContainerRegistryConfig(_Section):
    mode: str | None = None
    existing_id: str | None = None
    name: str | None = None
    sku: str | None = None
    public_network_access: str | None = None
    overrides: dict[str, Any] | None = None


class ServerlessComputeConfig(_Section):
    subnet_id: str | None = None
    no_public_ip: bool | None = None


class ComputeIdentityConfig(_Section):
    type: str | None = None
    user_assigned_identity_ids: list[str] | None = None


class ComputeClusterConfig(_Section):
    name: str
    vm_size: str | None = None
    vm_priority: str | None = None
    min_nodes: int | None = None
    max_nodes: int | None = None
    idle_seconds_before_scale_down: int | None = None
    subnet_id: str | None = None
    node_public_ip: bool | None = None
    ssh_access: bool | None = None
    ssh_public_key: str | None = None
    admin_user_name: str | None = None
    local_auth: bool | None = None
    identity: ComputeIdentityConfig | None = None
    os_type: str | None = None
    description: str | None = None
    overrides: dict[str, Any] | None = None


class ScheduleConfig(_Section):
    action: str
    cron: str
    time_zone: str | None = None
    enabled: bool | None = None


class SetupScriptConfig(_Section):
    inline: str | None = None
    path: str | None = None
    arguments: str | None = None
    timeout_minutes: int | None = None


class AssignedUserConfig(_Section):
    object_id: str
    tenant_id: str | None = None


class _InstanceSettings(_Section):
    vm_size: str | None = None
    idle_shutdown_minutes: int | None = None
    schedules: list[ScheduleConfig] | None = None
    creation_script: SetupScriptConfig | None = None
    startup_script: SetupScriptConfig | None = None
    subnet_id: str | None = None
    node_public_ip: bool | None = None
    ssh_access: bool | None = None
    ssh_public_key: str | None = None
    local_auth: bool | None = None
    identity: ComputeIdentityConfig | None = None
    description: str | None = None
    overrides: dict[str, Any] | None = None


class ComputeInstanceConfig(_InstanceSettings):
    name: str
    assigned_user: AssignedUserConfig | None = None


class PersonalUserConfig(_Section):
    alias: str
    object_id: str
    tenant_id: str | None = None


class PersonalInstancesConfig(_InstanceSettings):
    users: list[PersonalUserConfig]


class DatastoreCredentialsConfig(_Section):
    mode: str | None = None
    account_key: str | None = None
    sas_token: str | None = None
    tenant_id: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    certificate: str | None = None
    thumbprint: str | None = None


class DatastoreGrantConfig(_Section):
    principal_id: str
    access: str = "read"
    principal_type: str = "ServicePrincipal"
    label: str | None = None


class DatastoreConfig(_Section):
    name: str
    kind: str
    container: str
    storage_account_id: str | None = None
    storage_account_name: str | None = None
    storage: StorageConfig | None = None
    credentials: DatastoreCredentialsConfig | None = None
    read_only: bool | None = None
    default: bool | None = None
    description: str | None = None
    private_endpoint: bool | None = None
    grants: list[DatastoreGrantConfig] | None = None


class StackConfig(_Section):
    """Everything a stack file may set in the project namespace."""

    workload: str
    location: str | None = None
    environment: str | None = None
    instance: str | None = None
    suffix_seed: str | None = None
    resource_group_name: str | None = None
    tags: dict[str, str] | None = None
    protect: bool | None = None
    workspace: WorkspaceConfig | None = None
    identity: IdentityConfig | None = None
    storage: StorageConfig | None = None
    key_vault: KeyVaultConfig | None = None
    monitoring: MonitoringConfig | None = None
    diagnostics: DiagnosticsConfig | None = None
    container_registry: ContainerRegistryConfig | None = None
    serverless_compute: ServerlessComputeConfig | None = None
    compute_clusters: list[ComputeClusterConfig] | None = None
    compute_instances: list[ComputeInstanceConfig] | None = None
    personal_instances: PersonalInstancesConfig | None = None
    compute_node_cap: int | None = None
    datastores: list[DatastoreConfig] | None = None
    policy: dict[str, Any] | None = None
    """Per-rule policy levels for this stack, checked by :func:`pulumi_azureml.policy.levels.parse_overrides`."""


# Component argument -> config key, where the config groups workspace settings under `workspace`.
_WORKSPACE_KEYS = {
    "workspace_name": "workspace.name",
    "friendly_name": "workspace.friendlyName",
    "description": "workspace.description",
    "hbi_workspace": "workspace.hbiWorkspace",
    "public_network_access": "workspace.publicNetworkAccess",
    "isolation_mode": "workspace.isolationMode",
    "provision_network_now": "workspace.provisionNetworkNow",
    "system_datastores_auth_mode": "workspace.systemDatastoresAuthMode",
    "workspace_overrides": "workspace.overrides",
}


def config_key_for(arg_path: str) -> str:
    """The config key (without namespace) that sets the component argument at ``arg_path``."""
    head, _, rest = arg_path.partition(".")
    if head in _WORKSPACE_KEYS:
        return _WORKSPACE_KEYS[head] + (f".{rest}" if rest else "")
    parts = [("name" if part == "compute_name" else part) for part in arg_path.split(".")]
    out: list[str] = []
    for i, part in enumerate(parts):
        out.append(to_camel(part))
        if part.endswith("overrides") or part == "tags":
            # Keys inside these mappings are the user's own (SDK argument names, tag names): kept as is.
            out.extend(parts[i + 1 :])
            break
    return ".".join(out)


@dataclass(frozen=True)
class StackSettings:
    """A validated stack: the environment, its profile and the component arguments."""

    project: str
    stack: str
    environment: str
    profile: EnvironmentProfile
    workspace_args: MachineLearningWorkspaceArgs
    names: ResourceNames
    cluster_specs: list[dict[str, Any]] = field(default_factory=list)
    """:class:`~pulumi_azureml.compute.ComputeClusterArgs` without the workspace placement
    (workspace_name, resource_group_name, location), which the program adds."""
    datastore_specs: list[dict[str, Any]] = field(default_factory=list)
    """:class:`~pulumi_azureml.datastore.DatastoreArgs` without the workspace placement, plus
    ``grants`` (for ``grant_read``/``grant_write``) and ``default``."""
    instance_specs: list[dict[str, Any]] = field(default_factory=list)
    """:class:`~pulumi_azureml.compute.ComputeInstanceArgs` likewise, personal instances included;
    an ``assigned_user`` without ``tenant_id`` gets the deploying tenant."""
    policy_overrides: dict[str, LevelOverride] = field(default_factory=dict)
    """Policy rule levels this stack changes (``<project>:policy``), each with its reason."""


def _decode(value: Any) -> Any:
    # The Pulumi CLI hands structured config to programs as JSON text.
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def read_project_config(project: str) -> dict[str, Any]:
    """All config values in ``project``'s namespace, keyed without the namespace.

    Reads what ``pulumi up`` passes (PULUMI_CONFIG) and what mocks set (set_all_config).
    """
    merged = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    prefix = f"{project}:"
    return {key[len(prefix) :]: value for key, value in merged.items() if key.startswith(prefix)}


def _shown(project: str, key: str, value: Any) -> Any:
    top = key.split(".", 1)[0]
    return "[secret]" if runtime_config.is_config_secret(f"{project}:{top}") else value


def _section(model: BaseModel | None) -> dict[str, Any]:
    if model is None:
        return {}
    return model.model_dump(exclude_none=True)


def parse_stack_config(
    project: str,
    stack: str,
    raw: dict[str, Any],
    default_location: str | None,
    secret_keys: frozenset[str] = frozenset(),
) -> StackSettings:
    """Validate ``raw`` (config keys without namespace) for ``stack``; raise ConfigError on bad input."""
    try:
        model = StackConfig.model_validate({key: _decode(value) for key, value in raw.items()})
    except ValidationError as err:
        first = err.errors()[0]
        key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"]).lstrip(".")
        more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
        rule = first["msg"] if first["type"] != "extra_forbidden" else "is not a known config key"
        value = first.get("input") if first["type"] != "missing" else None
        raise ConfigError(f"{project}:{key}", _shown(project, key, value), rule + more) from None

    policy_overrides = parse_overrides(f"{project}:{POLICY_KEY}", model.policy)
    environment = model.environment or stack
    profile = PROFILES.get(environment)
    if profile is None:
        source = "config" if model.environment else f"the stack name {stack!r}"
        raise ConfigError(
            f"{project}:environment",
            environment,
            f"must be one of {', '.join(PROFILES)} (taken from {source}; set {project}:environment "
            "to pick a profile for this stack)",
        )
    location = model.location or default_location
    if not location:
        raise ConfigError(f"{project}:location", None, "is required (or set azure-native:location)")

    args = profile.workspace_args(
        workload=model.workload,
        location=location,
        environment=environment,
        instance=model.instance,
        suffix_seed=model.suffix_seed,
    )
    ws = _section(model.workspace)
    override: dict[str, Any] = {
        "workspace_name": ws.pop("name", None),
        "workspace_overrides": ws.pop("overrides", None),
        **ws,
        "resource_group_name": model.resource_group_name,
        "tags": model.tags,
        "protect": model.protect,
        "identity": _section(model.identity),
        "storage": _section(model.storage),
        "key_vault": _section(model.key_vault),
        "monitoring": _section(model.monitoring),
        "diagnostics": _section(model.diagnostics),
        "container_registry": _section(model.container_registry),
    }
    args = merge_workspace_args(args, {k: v for k, v in override.items() if v is not None})
    # Keys pointing at an existing resource make the profile's creation settings moot.
    registry = args["container_registry"]
    explicit_mode = model.container_registry is not None and model.container_registry.mode is not None
    if registry.get("existing_id") and not explicit_mode:
        registry["mode"] = "existing"
    if model.serverless_compute is not None:
        args["serverless_compute"] = _section(model.serverless_compute)  # type: ignore[typeddict-item]
    try:
        names = validate_workspace_args(args)
        clusters, instances = _compute_specs(model, profile, args)
    except ConfigError as err:
        key = config_key_for(err.key)
        raise ConfigError(f"{project}:{key}", _shown(project, key, err.value), err.rule) from None
    try:
        datastores = _datastore_specs(model, args, "datastores" in secret_keys)
    except ConfigError as err:
        key = config_key_for(err.key)
        raise ConfigError(f"{project}:{key}", err.value, err.rule) from None
    return StackSettings(
        project,
        stack,
        environment,
        profile,
        args,
        names,
        cluster_specs=clusters,
        datastore_specs=datastores,
        instance_specs=instances,
        policy_overrides=policy_overrides,
    )


_DATASTORE_SECRETS = ("account_key", "sas_token", "client_secret", "certificate")


def _datastore_specs(model: StackConfig, args: MachineLearningWorkspaceArgs, secret: bool) -> list[dict[str, Any]]:
    """Datastore arguments from config, validated; secret fields only from a secret config key."""
    specs: list[dict[str, Any]] = []
    identity_type = args.get("identity", {}).get("type", "SystemAssigned")
    defaults = 0
    for i, entry in enumerate(model.datastores or []):
        key = f"datastores[{i}]"
        fields = _section(entry)
        creds = dict(fields.pop("credentials", {}) or {})
        for field_name in _DATASTORE_SECRETS:
            if field_name in creds:
                if not secret:
                    raise ConfigError(
                        f"{key}.credentials.{field_name}",
                        "[plain text]",
                        "secrets must be set with `pulumi config set --secret --path "
                        f"'datastores[{i}].credentials.{to_camel(field_name)}' ...`, never as plain text",
                    )
                creds[field_name] = pulumi.Output.secret(creds[field_name])
        account_name = fields.pop("storage_account_name", None)
        if not fields.get("storage_account_id") and fields["kind"] != "AzureDataLakeGen1":
            account_name = account_name or datastore_account_name(
                args["workload"], args["environment"], args["location"], fields["name"]
            )
        # Accounts created for data take the environment's storage posture (redundancy, network,
        # soft delete); shared keys stay off unless the credentials need them.
        workspace_storage = args.get("storage", {})
        posture = {
            k: workspace_storage[k]
            for k in ("sku", "public_network_access", "blob_soft_delete_days", "container_soft_delete_days")
            if k in workspace_storage
        }
        fields["storage"] = {**posture, **(fields.get("storage") or {})}
        private = fields["storage"].get("public_network_access", "Disabled") == "Disabled"
        isolation = args.get("isolation_mode", "AllowOnlyApprovedOutbound")
        # Computes in a managed network reach a private account, or any account when only approved
        # outbound traffic is allowed, through a private endpoint of that network.
        needs_endpoint = isolation == "AllowOnlyApprovedOutbound" or (
            isolation == "AllowInternetOutbound" and private and not fields.get("storage_account_id")
        )
        explicit = fields.pop("private_endpoint", None)
        spec: dict[str, Any] = {
            **fields,
            "managed_network_private_endpoint": needs_endpoint if explicit is None else explicit,
            "datastore_name": fields.pop("name"),
            "storage_account_name": account_name,
            "credentials": creds,
            # Data accounts created here are as stateful as the workspace's own: same protection.
            "protect": bool(args.get("protect", False)),
            # Filled in by the program from the workspace; a stand-in lets validation run first.
            "workspace_principal_id": "<workspace identity>",
            "workspace_identity": (
                "WorkspaceSystemAssignedIdentity"
                if "SystemAssigned" in identity_type
                else "WorkspaceUserAssignedIdentity"
            ),
        }
        if spec["storage_account_name"] is None:
            del spec["storage_account_name"]
        for g, grant in enumerate(spec.get("grants") or []):
            if grant["access"] not in ("read", "write"):
                raise ConfigError(f"{key}.grants[{g}].access", grant["access"], "must be read or write")
            if grant["principal_type"] not in ("User", "Group", "ServicePrincipal"):
                raise ConfigError(
                    f"{key}.grants[{g}].principal_type",
                    grant["principal_type"],
                    "must be User, Group or ServicePrincipal",
                )
            if not is_guid(grant["principal_id"]):
                raise ConfigError(f"{key}.grants[{g}].principal_id", grant["principal_id"], "must be a GUID")
            if spec["kind"] not in ("AzureBlob", "AzureDataLakeGen2"):
                raise ConfigError(f"{key}.grants", spec["kind"], "grants apply to Blob and Data Lake Gen2 datastores")
        validate_datastore_args(key, spec)
        defaults += bool(spec.get("default"))
        specs.append(spec)
    if defaults > 1:
        raise ConfigError("datastores", f"{defaults} defaults", "at most one datastore can be the default")
    names = [s["datastore_name"] for s in specs]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError("datastores", name, "datastore names must be unique in a workspace")
    return specs


def _instance_fields(section: BaseModel) -> dict[str, Any]:
    fields = _section(section)
    if fields.get("idle_shutdown_minutes") == 0:
        # 0 in config means "never shut down when idle" (the component takes None).
        fields["idle_shutdown_minutes"] = None
    return fields


def _compute_specs(
    model: StackConfig, profile: EnvironmentProfile, args: MachineLearningWorkspaceArgs
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Cluster and instance arguments from config over the profile's defaults, validated."""
    managed_network = args.get("isolation_mode", "AllowOnlyApprovedOutbound") != "Disabled"
    clusters: list[dict[str, Any]] = []
    for i, cluster in enumerate(model.compute_clusters or []):
        spec = {**profile.compute.cluster_defaults(), "managed_network": managed_network, **_section(cluster)}
        spec["compute_name"] = spec.pop("name")
        validate_cluster_args(f"compute_clusters[{i}]", spec)  # type: ignore[arg-type]
        clusters.append(spec)
    instances: list[dict[str, Any]] = []
    for i, instance in enumerate(model.compute_instances or []):
        spec = {**profile.compute.instance_defaults(), "managed_network": managed_network, **_instance_fields(instance)}
        spec["compute_name"] = spec.pop("name")
        if not spec.get("assigned_user"):
            # Unassigned, an instance belongs to whoever runs `pulumi up` (often a CI principal).
            raise ConfigError(
                f"compute_instances[{i}].assigned_user",
                None,
                "is required: an instance belongs to one user, and without one it belongs to the deploying "
                "principal (use personalInstances for one per user)",
            )
        validate_instance_args(f"compute_instances[{i}]", spec)  # type: ignore[arg-type]
        instances.append(spec)
    personal = model.personal_instances
    if personal is not None:
        template = {
            **profile.compute.instance_defaults(),
            "managed_network": managed_network,
            **_instance_fields(personal),
        }
        users = template.pop("users")
        for i, user in enumerate(users):
            key = f"personal_instances.users[{i}]"
            try:
                name = personal_instance_name(
                    user["alias"],
                    workload=args["workload"],
                    environment=args["environment"],
                    location=args["location"],
                    object_id=user["object_id"],
                )
            except ConfigError as err:
                raise ConfigError(f"{key}.alias", err.value, err.rule) from None
            spec = {
                **template,
                "compute_name": name,
                "assigned_user": {"object_id": user["object_id"], "tenant_id": user.get("tenant_id")},
                "description": f"Personal compute instance of {user['alias']}",
            }
            try:
                validate_instance_args(key, spec)  # type: ignore[arg-type]
            except ConfigError as err:
                raise ConfigError(err.key.replace(".assigned_user.", "."), err.value, err.rule) from None
            instances.append(spec)

    seen: set[str] = set()
    personal_start = len(instances) - (len(personal.users) if personal is not None else 0)
    sources = [(f"compute_clusters[{i}].name", spec) for i, spec in enumerate(clusters)] + [
        (
            f"compute_instances[{i}].name"
            if i < personal_start
            else f"personal_instances.users[{i - personal_start}].alias",
            spec,
        )
        for i, spec in enumerate(instances)
    ]
    for key, spec in sources:
        name = spec["compute_name"].lower()
        if name in seen:
            raise ConfigError(key, spec["compute_name"], "compute names must be unique in a workspace")
        seen.add(name)
    cap = model.compute_node_cap if model.compute_node_cap is not None else profile.compute.node_cap
    total = sum(int(spec["max_nodes"]) for spec in clusters)
    if total > cap:
        raise ConfigError(
            "compute_clusters",
            f"{total} nodes",
            f"the sum of maxNodes over all clusters must not exceed the {profile.name} cap of {cap} "
            "(computeNodeCap raises it deliberately)",
        )
    return clusters, instances


def load_stack_config() -> StackSettings:
    """Read and validate the current stack's config (call it before creating any resource)."""
    project = pulumi.get_project()
    stack = pulumi.get_stack()
    default_location = runtime_config.get_config("azure-native:location")
    raw = read_project_config(project)
    secret = frozenset(k for k in raw if runtime_config.is_config_secret(f"{project}:{k}"))
    return parse_stack_config(project, stack, raw, default_location, secret)
