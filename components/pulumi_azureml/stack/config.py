"""Stack config: read ``<project>:*`` keys, lay them over the environment's profile, check everything.

Keys live in the project's namespace (``azureml-platform:workload``) and follow the schema in
:mod:`pulumi_azureml.stack.schema` (the components' arguments in camelCase). Loading checks
everything (unknown keys, types, ranges, combinations, the rules that depend on the workspace)
and raises one :class:`~pulumi_azureml.core.errors.ConfigError` naming the key, the value and
the rule, before the program registers any resource. Components never read config; only the
program calls this.
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pulumi
import pulumi.runtime.config as runtime_config
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from ..compute.args import ComputeClusterSettings, ComputeInstanceSettings, PersonalInstancesSettings
from ..compute.component import personal_instance_settings
from ..core.errors import ConfigError
from ..core.naming import ResourceNames
from ..core.schema import (
    Args,
    SettingError,
    Spelling,
    _item_of,
    as_setting_error,
    config_alias,
    given_fields,
    has_metadata,
    nested_model,
    spelled,
    strip_optional,
    validate,
)
from ..core.stackfile import SECRET_PLACEHOLDER, SECURE_PATHS, SecurePath, stack_file_secure_paths
from ..core.types import SecretInput
from ..datastore.args import KINDS
from ..inference.args import KubernetesComputeSettings, OnlineEndpointSettings
from ..policy.levels import LevelOverride
from .profiles import PROFILES, EnvironmentProfile, deep_merge
from .schema import SharedStackConfig, StackConfig, StackDatastore

M = TypeVar("M", bound=Args)


@dataclass(frozen=True)
class StackSettings:
    """A checked stack: its environment, profile, the workspace's arguments and what hangs off it."""

    project: str
    stack: str
    environment: str
    profile: EnvironmentProfile
    config: StackConfig
    """The stack file over the profile, checked (it is the workspace's arguments too)."""
    clusters: list[ComputeClusterSettings] = field(default_factory=list)
    """Each cluster over the environment's cluster defaults."""
    instances: list[ComputeInstanceSettings] = field(default_factory=list)
    """Each instance over the environment's instance defaults, personal instances included."""
    datastores: list[StackDatastore] = field(default_factory=list)
    kubernetes_computes: list[KubernetesComputeSettings] = field(default_factory=list)
    """Each Kubernetes compute over the environment's Kubernetes defaults."""
    online_endpoints: list[OnlineEndpointSettings] = field(default_factory=list)
    """Each online endpoint over the environment's endpoint defaults."""
    attached_computes: list[Any] = field(default_factory=list)
    """Each attached compute's settings (a ``*AttachSettings`` or ``AksInferenceClusterSettings``)."""
    connections: list[Any] = field(default_factory=list)
    """Each workspace connection's settings."""
    policy_overrides: dict[str, LevelOverride] = field(default_factory=dict)
    """Policy rule levels this stack changes (``<project>:policy``), each with its reason."""

    @property
    def workspace_args(self) -> StackConfig:
        return self.config

    @property
    def names(self) -> ResourceNames:
        return self.config.names

    @property
    def default_datastore(self) -> str:
        """The datastore marked ``default``, else the workspace's own ``workspaceblobstore``."""
        return next((d.datastore_name for d in self.datastores if d.default), "workspaceblobstore")


def read_project_config(project: str) -> dict[str, Any]:
    """All config values in ``project``'s namespace, keyed without the namespace.

    Reads what ``pulumi up`` passes (PULUMI_CONFIG) and what mocks set (set_all_config).
    """
    merged = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    prefix = f"{project}:"
    return {key[len(prefix) :]: value for key, value in merged.items() if key.startswith(prefix)}


def _fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    return {config_alias(info, name): info for name, info in model.model_fields.items()}


def _decode(info: FieldInfo | None, value: Any) -> Any:
    """A top-level value as the program gets it from Pulumi (text: JSON for objects and lists,
    ``true`` for a bool, ``8`` for a number) turned back into what the field expects."""
    if not isinstance(value, str) or info is None:
        return value
    bare = strip_optional(info.annotation)
    if bare is bool and value in ("true", "false"):
        return value == "true"
    if bare is int and re.fullmatch(r"-?[0-9]+", value):
        return int(value)
    if bare is not str and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _is_secret_field(info: FieldInfo | None) -> bool:
    """A Secret field, or a mapping of Secrets (``keys`` of a custom-keys connection)."""
    if info is None:
        return False
    return has_metadata(info.annotation, SecretInput, info) or has_metadata(_item_of(info.annotation), SecretInput)


def _models_of(info: FieldInfo | None, value: Any = None) -> list[type[BaseModel]]:
    """The models a field's value is read as: one, or for a union tagged by ``kind`` (connections)
    the member ``value`` names, else every member."""
    if info is None:
        return []
    inner = nested_model(info.annotation)
    if inner is not None:
        return [inner]
    members = [
        m
        for m in typing.get_args(strip_optional(_item_of(info.annotation)))
        if isinstance(m, type) and issubclass(m, BaseModel)
    ]
    kind = value.get("kind") if isinstance(value, Mapping) else None
    tagged = [m for m in members if "kind" in m.model_fields and m.model_fields["kind"].default == kind]
    return tagged or members


def _wrap_secrets(model: type[BaseModel], value: Any) -> Any:
    """Every :data:`~pulumi_azureml.core.types.Secret` field's text in ``value``, as a Pulumi secret
    (when nothing says which values of a secret config key were secure)."""
    if isinstance(value, list):
        return [_wrap_secrets(model, v) for v in value]
    if not isinstance(value, Mapping):
        return value
    fields = _fields(model)
    out: dict[str, Any] = {}
    for key, item in value.items():
        info = fields.get(key)
        sample = item[0] if isinstance(item, list) and item else item
        inner = _models_of(info, sample)
        if _is_secret_field(info) and isinstance(item, str):
            out[key] = pulumi.Output.secret(item)
        elif _is_secret_field(info) and isinstance(item, Mapping):
            out[key] = {k: pulumi.Output.secret(v) if isinstance(v, str) else v for k, v in item.items()}
        elif len(inner) == 1:
            out[key] = _wrap_secrets(inner[0], item)
        elif inner and isinstance(item, list):
            out[key] = [_wrap_secrets(_models_of(info, v)[0], v) for v in item]
        else:
            out[key] = item
    return out


def _field_at_path(path: SecurePath) -> FieldInfo | None:
    """The StackConfig field a config path (aliases and list indexes) ends at; in a union of models
    the first member that has the key, and in a mapping of Secrets the mapping's field."""
    models: list[type[BaseModel]] = [StackConfig]
    info: FieldInfo | None = None
    for part in path:
        if isinstance(part, int):
            continue
        if not models:
            return (
                info if _is_secret_field(info) and info is not None and nested_model(info.annotation) is None else None
            )
        info = next((f for m in models if (f := _fields(m).get(part)) is not None), None)
        if info is None:
            return None
        models = _models_of(info)
    return info


def _secure_at(value: Any, path: SecurePath, key: str) -> Any:
    """``value`` with the secure value at ``path`` (within it) as a Pulumi secret."""
    if not path:
        return pulumi.Output.secret(value) if isinstance(value, str) else value
    head, rest = path[0], path[1:]
    if isinstance(value, dict) and isinstance(head, str) and head in value:
        return {**value, head: _secure_at(value[head], rest, key)}
    if isinstance(value, list) and isinstance(head, int) and head < len(value):
        return [_secure_at(v, rest, key) if i == head else v for i, v in enumerate(value)]
    return value


def _spell(key: str, path: SecurePath) -> str:
    return key + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


def _apply_secure_paths(project: str, key: str, value: Any, paths: set[SecurePath]) -> Any:
    """Exactly the values the stack file holds as ``{secure: ...}`` become Pulumi secrets; one
    where no credential is declared is an error (secrets elsewhere would end up in names and tags)."""
    for path in sorted(paths, key=str):
        full = (key, *path)
        spelled_key = f"{project}:{_spell(key, path)}"
        info = _field_at_path(full)
        structured = info is not None and nested_model(info.annotation) is not None
        if not path and structured and not _is_secret_field(info):
            if value == SECRET_PLACEHOLDER:
                raise ConfigError(
                    f"{project}:{key}",
                    "[secret]",
                    "is one secret value, which the offline plan cannot read: set only its credentials as secrets "
                    f"(pulumi config set --secret --path '{key}[0].credentials.sasToken' ...)",
                )
            return _wrap_secrets(StackConfig, {key: value})[key]
        if not _is_secret_field(info):
            raise ConfigError(
                spelled_key,
                "[secret]",
                "is set as a secret, but only credentials are secrets here (it would end up in names, tags or "
                "plan output): set it with `pulumi config set` without --secret",
            )
        value = _secure_at(value, path, key)
    return value


@contextmanager
def _under(*prefix: str | int) -> Iterator[None]:
    """SettingErrors raised inside get ``prefix`` in front of their path."""
    try:
        yield
    except SettingError as err:
        raise SettingError((*prefix, *err.path), err.value, err.rule) from None


def parse_stack_config(
    project: str,
    stack: str,
    raw: Mapping[str, Any],
    default_location: str | None,
    secret_keys: frozenset[str] = frozenset(),
    secure_paths: Mapping[str, set[SecurePath]] | None = None,
) -> StackSettings:
    """Check ``raw`` (config keys without namespace) for ``stack``; raise ConfigError on bad input.

    ``secure_paths`` (by key without namespace) says which values the stack file holds as
    ``{secure: ...}``: exactly those are secrets, and a credential given in plain text is an error.
    Without it, every credential in a secret key counts as a secret (Pulumi marks only the key).
    """

    def secret(key: str) -> bool:
        """Whether a key's value must not be shown: it is (or is inside) a secure value."""
        path = key.removeprefix(f"{project}:")
        top = re.split(r"[.\[]", path, maxsplit=1)[0]
        if secure_paths is None:
            return top in secret_keys
        spelled = [_spell(top, p) for p in secure_paths.get(top, ())]
        return any(path == s or path.startswith((f"{s}.", f"{s}[")) for s in spelled)

    spelling = Spelling("config", f"{project}:", secret)
    values = _values(project, raw, secret_keys, secure_paths)
    environment, profile = _profile(project, stack, raw, values)
    if "location" not in values:
        if not default_location:
            raise ConfigError(f"{project}:location", None, "is required (or set azure-native:location)")
        values["location"] = default_location
    given = validate(StackConfig, values, spelling)
    # The profile under the stack file, checked again: some rules only break in combination.
    config = validate(StackConfig, deep_merge(profile.settings, given_fields(given)), spelling, by_name=True)
    with spelled(StackConfig, spelling):
        clusters, instances = _computes(config, profile)
        kubernetes, endpoints = _inference(config, profile, clusters, instances)
        attached = _attached(config, [*clusters, *instances, *kubernetes])
        connections = _connections(config)
        _check_datastores(config)
        _check_datastore_access(config)
        _check_network(config, profile)
        _check_registry(config)
        _check_image_pulls(config, kubernetes)
    return StackSettings(
        project,
        stack,
        environment,
        profile,
        config,
        clusters=clusters,
        instances=instances,
        datastores=list(config.datastores),
        kubernetes_computes=kubernetes,
        online_endpoints=endpoints,
        attached_computes=attached,
        connections=connections,
        policy_overrides={rule_id: setting.override for rule_id, setting in config.policy.items()},
    )


def _profile(
    project: str, stack: str, raw: Mapping[str, Any], values: dict[str, Any]
) -> tuple[str, EnvironmentProfile]:
    """The stack's environment (config, else the stack name) and its profile."""
    environment = values.setdefault("environment", stack)
    profile = PROFILES.get(environment) if isinstance(environment, str) else None
    if profile is None:
        source = "config" if "environment" in raw else f"the stack name {stack!r}"
        raise ConfigError(
            f"{project}:environment",
            environment,
            f"must be one of {', '.join(PROFILES)} (taken from {source}; set {project}:environment "
            "to pick a profile for this stack)",
        )
    return environment, profile


def _values(
    project: str,
    raw: Mapping[str, Any],
    secret_keys: frozenset[str],
    secure_paths: Mapping[str, set[SecurePath]] | None,
) -> dict[str, Any]:
    """The config values as the schema reads them: decoded from Pulumi's text, secrets wrapped."""
    fields = _fields(StackConfig)
    values = {key: _decode(fields.get(key), value) for key, value in raw.items()}
    for key in set(values):
        if secure_paths is not None:
            if secure_paths.get(key):
                values[key] = _apply_secure_paths(project, key, values[key], secure_paths[key])
        elif key in secret_keys:
            values[key] = _wrap_secrets(StackConfig, {key: values[key]})[key]
    return values


def _over(defaults: Mapping[str, Any], model: type[M], item: Args) -> M:
    """``item`` over the profile's ``defaults``, checked; a pydantic error becomes a SettingError."""
    try:
        return model.model_validate(deep_merge(defaults, given_fields(item)), by_name=True, by_alias=False)
    except ValidationError as err:
        raise as_setting_error(err, model) from None


def _computes(
    config: StackConfig, profile: EnvironmentProfile
) -> tuple[list[ComputeClusterSettings], list[ComputeInstanceSettings]]:
    """Clusters and instances over the profile's defaults, checked against the workspace.
    Raises SettingError with paths of :class:`StackConfig`."""
    managed = config.workspace.managed_network
    clusters: list[ComputeClusterSettings] = []
    for i, cluster in enumerate(config.compute_clusters):
        with _under("compute_clusters", i):
            spec = _over(profile.cluster, ComputeClusterSettings, cluster)
            spec.check_placement(managed)
        clusters.append(spec)
    instances: list[ComputeInstanceSettings] = []
    for i, instance in enumerate(config.compute_instances):
        with _under("compute_instances", i):
            one = _over(profile.instance, ComputeInstanceSettings, instance)
            if one.assigned_user is None:
                # Unassigned, an instance belongs to whoever runs `pulumi up` (often a CI principal).
                raise SettingError(
                    ("assigned_user",),
                    None,
                    "is required: an instance belongs to one user, and without one it belongs to the deploying "
                    "principal (use personalInstances for one per user)",
                )
            one.check_placement(managed)
        instances.append(one)
    personal = config.personal_instances
    if personal is not None:
        with _under("personal_instances"):
            template = _over(profile.instance, PersonalInstancesSettings, personal)
            template.check_placement(managed)
            instances += personal_instance_settings(
                template.users,
                template,
                workload=config.workload,
                environment=config.environment,
                location=config.location,
            )
    _check_names(config, clusters, instances)
    return clusters, instances


def _inference(
    config: StackConfig,
    profile: EnvironmentProfile,
    clusters: list[ComputeClusterSettings],
    instances: list[ComputeInstanceSettings],
) -> tuple[list[KubernetesComputeSettings], list[OnlineEndpointSettings]]:
    """Kubernetes computes and online endpoints over the profile's defaults, checked against each
    other and the node cap. Raises SettingError with paths of :class:`StackConfig`."""
    kubernetes: list[KubernetesComputeSettings] = []
    taken = {c.compute_name.lower() for c in clusters} | {i.compute_name.lower() for i in instances}
    for i, item in enumerate(config.kubernetes_computes):
        with _under("kubernetes_computes", i):
            # An attached cluster is not described here: the profile's cluster defaults do not apply.
            defaults = {k: v for k, v in profile.kubernetes.items() if not (k == "cluster" and item.cluster_id)}
            spec = _over(defaults, KubernetesComputeSettings, item)
        if spec.compute_name.lower() in taken:
            raise SettingError(
                ("kubernetes_computes", i, "compute_name"),
                spec.compute_name,
                "compute names must be unique in a workspace",
            )
        taken.add(spec.compute_name.lower())
        kubernetes.append(spec)
    names = {k.compute_name for k in kubernetes}
    endpoints: list[OnlineEndpointSettings] = []
    seen: set[str] = set()
    for i, endpoint_item in enumerate(config.online_endpoints):
        with _under("online_endpoints", i):
            # A Kubernetes endpoint has no public network access of its own (see OnlineEndpointSettings).
            defaults = {
                k: v
                for k, v in profile.endpoint.items()
                if not (k == "public_network_access" and endpoint_item.compute)
            }
            endpoint = _over(defaults, OnlineEndpointSettings, endpoint_item)
        if endpoint.compute is not None and endpoint.compute not in names:
            known = ", ".join(sorted(names)) or "none"
            raise SettingError(
                ("online_endpoints", i, "compute"),
                endpoint.compute,
                f"is not a Kubernetes compute of this stack (kubernetesComputes: {known})",
            )
        if endpoint.endpoint_name.lower() in seen:
            raise SettingError(
                ("online_endpoints", i, "endpoint_name"),
                endpoint.endpoint_name,
                "endpoint names must be unique per region",
            )
        seen.add(endpoint.endpoint_name.lower())
        endpoints.append(endpoint)
    _check_node_cap(config, profile, clusters, kubernetes)
    return kubernetes, endpoints


def _attached(config: StackConfig, others: list[Any]) -> list[Any]:
    """The attached computes' settings; their names are compute names too."""
    taken = {c.compute_name.lower() for c in others}
    out: list[Any] = []
    for i, item in enumerate(config.attached_computes):
        spec = item.settings
        if spec.compute_name.lower() in taken:
            kind = next(
                k
                for k in ("virtual_machine", "synapse_spark", "databricks", "hd_insight", "aks_inference_cluster")
                if getattr(item, k) is not None
            )
            raise SettingError(
                ("attached_computes", i, kind, "compute_name"),
                spec.compute_name,
                "compute names must be unique in a workspace",
            )
        taken.add(spec.compute_name.lower())
        out.append(spec)
    return out


def _connections(config: StackConfig) -> list[Any]:
    """The workspace connections; names are unique in a workspace."""
    seen: set[str] = set()
    for i, connection in enumerate(config.connections):
        if connection.connection_name.lower() in seen:
            raise SettingError(
                ("connections", i, connection.kind, "connection_name"),
                connection.connection_name,
                "connection names must be unique in a workspace",
            )
        seen.add(connection.connection_name.lower())
    return list(config.connections)


def _check_node_cap(
    config: StackConfig,
    profile: EnvironmentProfile,
    clusters: list[ComputeClusterSettings],
    kubernetes: list[KubernetesComputeSettings],
) -> None:
    """The cost guardrail: cluster nodes and the node pools of Kubernetes clusters created here."""
    cap = config.compute_node_cap if config.compute_node_cap is not None else 0
    total = sum(c.max_nodes for c in clusters)
    total += sum(
        k.cluster.system_pool.max_nodes + (k.cluster.user_pool.max_nodes if k.cluster.user_pool else 0)
        for k in kubernetes
        if k.creates_cluster
    )
    if total > cap:
        raise SettingError(
            ("kubernetes_computes",)
            if kubernetes and sum(c.max_nodes for c in clusters) <= cap
            else ("compute_clusters",),
            f"{total} nodes",
            f"the sum of maxNodes over all clusters and Kubernetes node pools must not exceed the {profile.name} "
            f"cap of {cap} (computeNodeCap raises it deliberately)",
        )


def _check_names(
    config: StackConfig, clusters: list[ComputeClusterSettings], instances: list[ComputeInstanceSettings]
) -> None:
    """Compute names are unique per region (case-insensitive): each duplicate at its own key."""
    personal_start = len(config.compute_instances)
    keys: list[tuple[tuple[str | int, ...], str]] = [
        (("compute_clusters", i, "compute_name"), c.compute_name) for i, c in enumerate(clusters)
    ]
    for i, spec in enumerate(instances):
        if i < personal_start:
            keys.append((("compute_instances", i, "compute_name"), spec.compute_name))
        else:
            keys.append((("personal_instances", "users", i - personal_start, "alias"), spec.compute_name))
    seen: set[str] = set()
    for path, name in keys:
        if name.lower() in seen:
            raise SettingError(path, name, "compute names must be unique in a workspace")
        seen.add(name.lower())


def _check_datastores(config: StackConfig) -> None:
    for i, store in enumerate(config.datastores):
        if store.kind is None:
            raise SettingError(("datastores", i, "kind"), None, f"is required: one of {', '.join(KINDS)}")
    names = [d.datastore_name for d in config.datastores]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise SettingError(
                ("datastores", i, "datastore_name"), name, "datastore names must be unique in a workspace"
            )
    defaults = [i for i, d in enumerate(config.datastores) if d.default]
    if len(defaults) > 1:
        raise SettingError(("datastores", defaults[1], "default"), True, "at most one datastore can be the default")


def _check_network(config: StackConfig, profile: EnvironmentProfile) -> None:
    """A private environment has somewhere for its endpoints, and existing DNS covers every zone."""
    net = config.network
    if profile.requires_network and net.effective_mode == "none" and net.reason is None:
        raise SettingError(
            ("network",),
            None,
            f"the {profile.name} profile is private, so its users reach it through private endpoints: give "
            "network.addressSpace and network.privateEndpointSubnet (a network created here) or "
            "network.privateEndpointSubnetId (an existing one), or network.mode: none with a reason",
        )
    if net.dns.mode != "existing" or not net.private_endpoints:
        return
    groups = {"AzureBlob": ["blob"], "AzureDataLakeGen2": ["dfs", "blob"], "AzureFile": ["file"]}
    for i, store in enumerate(config.datastores):
        if not store.creates_account:
            continue
        missing = [z for z in net.needed_zones(groups.get(store.kind or "", [])) if z not in net.dns.zone_ids]
        if missing:
            raise SettingError(
                ("network", "dns", "zone_ids"),
                sorted(net.dns.zone_ids),
                f"misses {missing}, which the private endpoints of datastores[{i}] ({store.datastore_name}) need",
            )


def _check_image_pulls(config: StackConfig, kubernetes: list[KubernetesComputeSettings]) -> None:
    """An AKS cluster created outside the platform's network cannot pull from a private registry: its
    nodes reach the registry over the internet, which ``publicNetworkAccess: Disabled`` closes
    (container-registry-private-link.md), and Kubernetes computes are not in the managed network
    (how-to-managed-network.md, Limitations)."""
    acr = config.container_registry
    if acr.effective_mode != "create" or acr.public_network_access != "Disabled":
        return
    in_network = config.network.kubernetes_subnet is not None and config.network.private_endpoints
    for i, spec in enumerate(kubernetes):
        if spec.cluster_id is None and spec.cluster.subnet_id is None and not in_network:
            raise SettingError(
                ("kubernetes_computes", i),
                spec.compute_name,
                "creates an AKS cluster outside any network with a private endpoint to the workspace registry, "
                "which is private (containerRegistry.publicNetworkAccess Disabled): its nodes could not pull model "
                "images; give the stack network.kubernetesSubnet (prod does), or set "
                "containerRegistry.publicNetworkAccess: Enabled",
            )


def _check_registry(config: StackConfig) -> None:
    """Outbound rules to the registry exist only where the managed network allows only approved outbound."""
    ref = config.registry
    mode = config.workspace.isolation_mode
    if ref is not None and ref.outbound_regions is not None and mode != "AllowOnlyApprovedOutbound":
        raise SettingError(
            ("registry", "outbound_regions"),
            ref.outbound_regions,
            f"needs workspace.isolationMode AllowOnlyApprovedOutbound (it is {mode}): "
            + (
                "with AllowInternetOutbound the internet, the registry included, is open already"
                if mode == "AllowInternetOutbound"
                else "without a managed network there are no outbound rules"
            ),
        )


def _check_datastore_access(config: StackConfig) -> None:
    """A compute's ``datastoreAccess`` names identity datastores of this stack (a misspelt name
    would silently grant nothing)."""
    identity = {d.datastore_name for d in config.datastores if d.mode == "identity" and d.kind != "AzureFile"}
    computes: list[tuple[str, int, Any]] = [("compute_clusters", i, c) for i, c in enumerate(config.compute_clusters)]
    computes += [("compute_instances", i, c) for i, c in enumerate(config.compute_instances)]
    if config.personal_instances is not None:
        computes.append(("personal_instances", -1, config.personal_instances))
    for key, i, compute in computes:
        for j, name in enumerate(compute.datastore_access or []):
            if name not in identity:
                path: tuple[str | int, ...] = (key, "datastore_access", j) if i < 0 else (key, i, "datastore_access", j)
                known = ", ".join(sorted(identity)) or "none"
                raise SettingError(
                    path, name, f"is not an identity datastore of this stack (identity datastores: {known})"
                )


def load_stack_config() -> StackSettings:
    """Read and check the current stack's config (call it before creating any resource).

    Pulumi tells a program only which top-level keys hold a secret; which values inside them were
    ``{secure: ...}`` in the stack file comes from the offline plan, or, under ``pulumi up``, from
    reading the stack file (``Pulumi.<stack>.yaml`` under the project's ``stackConfigDir``). Where
    there is no such file (config kept in Pulumi ESC, say) every credential in a secret key counts
    as a secret.
    """
    project = pulumi.get_project()
    stack = pulumi.get_stack()
    default_location = runtime_config.get_config("azure-native:location")
    raw = read_project_config(project)
    secret = frozenset(k for k in raw if runtime_config.is_config_secret(f"{project}:{k}"))
    secure = SECURE_PATHS.get()
    if secure is None:
        # Plain `pulumi.runtime.set_mocks` (a user's unit test) sets no root directory: the project is
        # where the test runs, as under the Pulumi CLI without `--cwd`.
        root = pulumi.get_root_directory()
        secure = stack_file_secure_paths(Path(root) if root else Path.cwd(), stack, project)
    prefix = f"{project}:"
    paths = None if secure is None else {k[len(prefix) :]: v for k, v in secure.items() if k.startswith(prefix)}
    return parse_stack_config(project, stack, raw, default_location, secret, paths)


SHARED = "shared"
"""The environment of a shared-assets stack (the registry)."""


def is_shared_stack() -> bool:
    """Whether the current stack is the shared-assets stack: ``environment: shared``, or a stack named
    ``shared`` without an environment."""
    project = pulumi.get_project()
    environment = read_project_config(project).get("environment", pulumi.get_stack())
    return bool(environment == SHARED)


def parse_shared_config(
    project: str, raw: Mapping[str, Any], default_location: str | None, secret_keys: frozenset[str] = frozenset()
) -> SharedStackConfig:
    """Check a shared stack's config; raise ConfigError on bad input (no secrets are expected here)."""
    spelling = Spelling(
        "config", f"{project}:", lambda key: key.removeprefix(f"{project}:").split(".")[0] in secret_keys
    )
    fields = _fields(SharedStackConfig)
    values = {key: _decode(fields.get(key), value) for key, value in raw.items()}
    values.setdefault("environment", SHARED)
    if "location" not in values:
        if not default_location:
            raise ConfigError(f"{project}:location", None, "is required (or set azure-native:location)")
        values["location"] = default_location
    registry = values.get("registry")
    if isinstance(registry, Mapping) and "location" not in registry:
        # The registry's primary region is the stack's unless it says otherwise.
        values["registry"] = {**registry, "location": values["location"]}
    return validate(SharedStackConfig, values, spelling)


def load_shared_config() -> SharedStackConfig:
    """Read and check the shared stack's config (before any resource is registered)."""
    project = pulumi.get_project()
    raw = read_project_config(project)
    secret = frozenset(k for k in raw if runtime_config.is_config_secret(f"{project}:{k}"))
    return parse_shared_config(project, raw, runtime_config.get_config("azure-native:location"), secret)
