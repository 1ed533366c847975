"""Azure ML computes: clusters (AmlCompute) and compute instances, secure and cost-safe by default.

Computes have fixed names and most of their properties are fixed at creation (VM size, subnet,
local auth, SSH, OS, priority, assigned user, setup scripts). The provider would send such a
change as an in-place PUT that Azure rejects or ignores, so those property paths are listed in
``replace_on_changes`` with ``delete_before_replace``: `pulumi up` deletes the old compute and
creates the new one under the same name instead of colliding with it. For instances that includes
schedules and idle shutdown, which the PUT silently ignores. Cluster scale settings (min, max, idle
time) and descriptions change in place. Keep nothing on compute disks.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Required, TypedDict, cast

import pulumi
import pulumi_azure_native.machinelearningservices as ml

from .arm import check_subnet_id, is_guid
from .errors import ConfigError, check_whole_number
from .naming import COMPUTE_NAME_RULE, NamingError, short_hash, validate_name
from .overrides import build_args, check_overrides

VM_SIZE = re.compile(r"^Standard_[A-Za-z0-9]+(_[A-Za-z0-9]+)*$")
# NCronTab with five fields: minute hour day-of-month month day-of-week.
_CRON_FIELD = re.compile(r"^(\*|\d{1,2}(-\d{1,2})?)(/\d{1,2})?(,(\*|\d{1,2}(-\d{1,2})?)(/\d{1,2})?)*$")
_CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 6))

# Property paths Azure fixes at creation; a change replaces the compute (see module docstring).
CLUSTER_REPLACE_ON_CHANGES = [
    "properties.computeType",
    "properties.disableLocalAuth",
    "properties.computeLocation",
    "properties.properties.vmSize",
    "properties.properties.vmPriority",
    "properties.properties.subnet",
    "properties.properties.enableNodePublicIp",
    "properties.properties.remoteLoginPortPublicAccess",
    "properties.properties.osType",
    "properties.properties.userAccountCredentials",
]
INSTANCE_REPLACE_ON_CHANGES = [
    "properties.computeType",
    "properties.disableLocalAuth",
    "properties.properties.vmSize",
    "properties.properties.subnet",
    "properties.properties.enableNodePublicIp",
    "properties.properties.sshSettings",
    "properties.properties.personalComputeInstanceSettings",
    "properties.properties.setupScripts",
    # The compute PUT ignores these on an existing instance (Azure/bicep-types-az#2543; idle
    # shutdown changes only through POST updateIdleShutdownSetting): replace rather than drift.
    "properties.properties.schedules",
    "properties.properties.idleTimeBeforeShutdown",
]

VmPriority = Literal["Dedicated", "LowPriority"]
ComputeIdentityType = Literal["SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"]


class ComputeIdentity(TypedDict, total=False):
    type: ComputeIdentityType
    """Default ``SystemAssigned``: jobs can reach data as the compute without stored credentials."""
    user_assigned_identity_ids: Sequence[str]
    """ARM ids of user-assigned identities, with a UserAssigned type."""


class ComputeClusterArgs(TypedDict, total=False):
    """Arguments of :class:`ComputeCluster`. Defaults are listed per key."""

    workspace_name: Required[pulumi.Input[str]]
    resource_group_name: Required[pulumi.Input[str]]
    location: Required[pulumi.Input[str]]
    compute_name: Required[str]
    """3-24 characters, letters, digits and '-', starting with a letter; unique in the region."""
    vm_size: str
    """Default ``Standard_DS3_v2``."""
    vm_priority: VmPriority
    """Default ``Dedicated``. Low priority nodes are cheaper and can be preempted."""
    min_nodes: int
    """Default 0: nothing runs (or costs) while idle."""
    max_nodes: int
    """Default 4."""
    idle_seconds_before_scale_down: int
    """Default 120 (the CLI's default), at least 60."""
    subnet_id: str | None
    """Subnet ARM id for a customer VNet. Default none. Not with a managed network."""
    managed_network: bool
    """Whether the workspace has managed network isolation (lets nodes go without public IPs
    and forbids a customer subnet). Default ``False``."""
    node_public_ip: bool
    """Default: ``False`` when a subnet or the managed network makes it possible, else ``True``."""
    ssh_access: bool
    """Open SSH (remote login) on the nodes. Default ``False``. Needs ``ssh_public_key``."""
    ssh_public_key: str | None
    admin_user_name: str
    """Admin user for SSH. Default ``azureuser``."""
    local_auth: bool
    """Allow key-based local auth to the compute. Default ``False`` (Entra ID only)."""
    identity: ComputeIdentity
    os_type: Literal["Linux", "Windows"]
    """Default ``Linux``."""
    description: str
    tags: Mapping[str, str]
    protect: bool
    """Default ``False``: computes are cattle."""
    overrides: Mapping[str, Any]
    """Escape hatch: keyword arguments for ``machinelearningservices.AmlComputePropertiesArgs``."""


CLUSTER_DEFAULTS: dict[str, Any] = {
    "vm_size": "Standard_DS3_v2",
    "vm_priority": "Dedicated",
    "min_nodes": 0,
    "max_nodes": 4,
    "idle_seconds_before_scale_down": 120,
    "ssh_access": False,
    "admin_user_name": "azureuser",
    "local_auth": False,
    "os_type": "Linux",
}


class Schedule(TypedDict, total=False):
    """A start or stop schedule of a compute instance."""

    action: Required[Literal["Start", "Stop"]]
    cron: Required[str]
    """NCronTab expression with five fields, e.g. ``0 20 * * 1-5`` (20:00 on weekdays)."""
    time_zone: str
    """Windows time-zone id, e.g. ``W. Europe Standard Time``. Default ``UTC``."""
    enabled: bool
    """Default ``True``."""


class SetupScript(TypedDict, total=False):
    """A creation or startup script. Exactly one of ``inline`` or ``path``."""

    inline: str
    """Shell commands; sent base64-encoded (scriptSource ``inline``)."""
    path: str
    """A path in the workspace's notebooks file share, e.g. ``Users/admin/setup.sh``."""
    arguments: str
    timeout_minutes: int
    """Default 15 (Azure's default)."""


class AssignedUser(TypedDict):
    object_id: str
    """The user's Entra object id."""
    tenant_id: pulumi.Input[str]


class ComputeInstanceArgs(TypedDict, total=False):
    """Arguments of :class:`ComputeInstance`. Defaults are listed per key."""

    workspace_name: Required[pulumi.Input[str]]
    resource_group_name: Required[pulumi.Input[str]]
    location: Required[pulumi.Input[str]]
    compute_name: Required[str]
    vm_size: str
    """Default ``Standard_DS11_v2``."""
    assigned_user: AssignedUser | None
    """The one user who may use the instance (personal instance). Default none."""
    idle_shutdown_minutes: int | None
    """Shut down after this many idle minutes, 15-4320. Default 60; ``None`` keeps it running."""
    schedules: Sequence[Schedule]
    """Start/stop schedules, at most 4. Default none."""
    creation_script: SetupScript | None
    """Runs once, as root, when the instance is created."""
    startup_script: SetupScript | None
    """Runs as root on every start."""
    subnet_id: str | None
    managed_network: bool
    node_public_ip: bool
    """Default: ``False`` when a subnet or the managed network makes it possible, else ``True``."""
    ssh_access: bool
    """Default ``False``. Needs ``ssh_public_key``."""
    ssh_public_key: str | None
    local_auth: bool
    """Default ``False``."""
    identity: ComputeIdentity
    """Default: none. Azure ML documents that idle shutdown with a managed identity needs that
    identity to be Contributor on the workspace; grant it when you ask for one."""
    description: str
    tags: Mapping[str, str]
    protect: bool
    overrides: Mapping[str, Any]
    """Escape hatch: keyword arguments for ``machinelearningservices.ComputeInstancePropertiesArgs``."""


INSTANCE_DEFAULTS: dict[str, Any] = {
    "vm_size": "Standard_DS11_v2",
    "idle_shutdown_minutes": 60,
    "ssh_access": False,
    "local_auth": False,
}


def validate_compute_name(key: str, name: str) -> None:
    try:
        validate_name(COMPUTE_NAME_RULE, name)
    except NamingError as err:
        raise ConfigError(key, name, err.rule) from None


def validate_vm_size(key: str, size: str) -> None:
    if not isinstance(size, str) or not VM_SIZE.match(size):
        raise ConfigError(key, size, "must be an Azure VM size like Standard_DS3_v2 or Standard_NC6s_v3")


def validate_cron(key: str, expression: str) -> None:
    fields = expression.split() if isinstance(expression, str) else []
    if len(fields) != 5:
        raise ConfigError(key, expression, "must be a cron expression with 5 fields: minute hour day month weekday")
    for field, (low, high) in zip(fields, _CRON_RANGES, strict=True):
        if not _CRON_FIELD.match(field):
            raise ConfigError(key, expression, f"cron field {field!r} is not a number, range, list or step")
        for part in field.split(","):
            base, _, step = part.partition("/")
            if step and int(step) < 1:
                raise ConfigError(key, expression, f"cron field {field!r} has a step below 1")
            for number in re.findall(r"\d+", base):
                if not low <= int(number) <= high:
                    raise ConfigError(key, expression, f"cron field {field!r} is outside {low}-{high}")


def _validate_network(key: str, args: Mapping[str, Any]) -> None:
    subnet = args.get("subnet_id")
    check_subnet_id(f"{key}.subnet_id", subnet)
    if subnet and args.get("managed_network"):
        raise ConfigError(
            f"{key}.subnet_id",
            subnet,
            "computes of a workspace with a managed network run in that network and cannot use a customer subnet",
        )
    if args.get("node_public_ip") is False and not subnet and not args.get("managed_network"):
        raise ConfigError(
            f"{key}.node_public_ip",
            False,
            "no public IP needs a subnet (subnet_id) or a workspace with managed network isolation",
        )
    if args.get("ssh_access") and not args.get("ssh_public_key"):
        raise ConfigError(f"{key}.ssh_public_key", None, "is required when ssh_access is true")
    if args.get("ssh_access") and not _node_public_ip(args):
        raise ConfigError(
            f"{key}.ssh_access", True, "public SSH needs node_public_ip true (nodes without public IPs are unreachable)"
        )


def _validate_identity(key: str, identity: ComputeIdentity | None) -> None:
    if not identity:
        return
    kind = identity.get("type", "SystemAssigned")
    if kind not in ("SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"):
        raise ConfigError(
            f"{key}.identity.type", kind, "must be SystemAssigned, UserAssigned or SystemAssigned,UserAssigned"
        )
    ids = list(identity.get("user_assigned_identity_ids", []))
    if ("UserAssigned" in kind) != bool(ids):
        raise ConfigError(
            f"{key}.identity.user_assigned_identity_ids", ids, "are required with, and only with, a UserAssigned type"
        )


def validate_cluster_args(key: str, args: ComputeClusterArgs) -> None:
    """Raise ConfigError for a bad cluster argument; ``key`` prefixes the argument paths."""
    a = {**CLUSTER_DEFAULTS, **args}
    validate_compute_name(f"{key}.compute_name", a["compute_name"])
    validate_vm_size(f"{key}.vm_size", a["vm_size"])
    if a["vm_priority"] not in ("Dedicated", "LowPriority"):
        raise ConfigError(f"{key}.vm_priority", a["vm_priority"], "must be Dedicated or LowPriority")
    min_nodes = check_whole_number(f"{key}.min_nodes", a["min_nodes"], 0)
    max_nodes = check_whole_number(f"{key}.max_nodes", a["max_nodes"], 1)
    if min_nodes > max_nodes:
        raise ConfigError(f"{key}.min_nodes", min_nodes, f"must not exceed max_nodes ({max_nodes})")
    check_whole_number(f"{key}.idle_seconds_before_scale_down", a["idle_seconds_before_scale_down"], 60)
    if a["os_type"] not in ("Linux", "Windows"):
        raise ConfigError(f"{key}.os_type", a["os_type"], "must be Linux or Windows")
    _validate_network(key, a)
    _validate_identity(key, a.get("identity"))
    check_overrides(f"{key}.overrides", ml.AmlComputePropertiesArgs, a.get("overrides"))


def _validate_script(key: str, script: SetupScript | None) -> None:
    if script is None:
        return
    if ("inline" in script) == ("path" in script):
        raise ConfigError(key, dict(script), "needs exactly one of inline or path")
    check_whole_number(f"{key}.timeout_minutes", script.get("timeout_minutes", 15), 1, 120)


def validate_instance_args(key: str, args: ComputeInstanceArgs) -> None:
    """Raise ConfigError for a bad compute-instance argument."""
    a = {**INSTANCE_DEFAULTS, **args}
    validate_compute_name(f"{key}.compute_name", a["compute_name"])
    validate_vm_size(f"{key}.vm_size", a["vm_size"])
    if a["idle_shutdown_minutes"] is not None:
        check_whole_number(f"{key}.idle_shutdown_minutes", a["idle_shutdown_minutes"], 15, 4320)
    user = a.get("assigned_user")
    if user is not None:
        for field in ("object_id", "tenant_id"):
            value = user.get(field)
            # The tenant may be an Output (the deploying tenant); only plain strings can be checked.
            if (field == "object_id" or isinstance(value, str)) and not is_guid(value):
                raise ConfigError(f"{key}.assigned_user.{field}", value, "must be a GUID")
    schedules = list(a.get("schedules", []))
    if len(schedules) > 4:
        raise ConfigError(f"{key}.schedules", f"{len(schedules)} schedules", "a compute instance takes at most 4")
    for i, schedule in enumerate(schedules):
        if schedule.get("action") not in ("Start", "Stop"):
            raise ConfigError(f"{key}.schedules[{i}].action", schedule.get("action"), "must be Start or Stop")
        validate_cron(f"{key}.schedules[{i}].cron", schedule.get("cron", ""))
        zone = schedule.get("time_zone", "UTC")
        if not isinstance(zone, str) or not zone or "/" in zone:
            raise ConfigError(
                f"{key}.schedules[{i}].time_zone",
                zone,
                "must be a Windows time-zone id such as 'W. Europe Standard Time' or 'UTC' (not an IANA name)",
            )
    _validate_script(f"{key}.creation_script", a.get("creation_script"))
    _validate_script(f"{key}.startup_script", a.get("startup_script"))
    _validate_network(key, a)
    _validate_identity(key, a.get("identity"))
    check_overrides(f"{key}.overrides", ml.ComputeInstancePropertiesArgs, a.get("overrides"))


def _identity_args(identity: ComputeIdentity | None, *, default: bool = True) -> ml.ManagedServiceIdentityArgs | None:
    if not identity and not default:
        return None
    identity = identity or {}
    return ml.ManagedServiceIdentityArgs(
        type=identity.get("type", "SystemAssigned"),
        user_assigned_identities=list(identity.get("user_assigned_identity_ids", [])) or None,
    )


def _node_public_ip(args: Mapping[str, Any]) -> bool:
    if "node_public_ip" in args:
        return bool(args["node_public_ip"])
    return not (args.get("subnet_id") or args.get("managed_network"))


def _duration(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    return f"PT{minutes}M{secs}S" if secs else f"PT{minutes}M"


def _script(script: SetupScript | None) -> ml.ScriptReferenceArgs | None:
    if script is None:
        return None
    inline = "inline" in script
    return ml.ScriptReferenceArgs(
        script_source="inline" if inline else "workspaceStorage",
        script_data=base64.b64encode(script["inline"].encode()).decode() if inline else script["path"],
        script_arguments=script.get("arguments"),
        timeout=f"{script.get('timeout_minutes', 15)}m",
    )


def _compute_opts(parent: pulumi.Resource, protect: bool, replace_on_changes: list[str]) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions(
        parent=parent,
        protect=protect,
        replace_on_changes=replace_on_changes,
        delete_before_replace=True,
    )


class _Compute(pulumi.ComponentResource):
    """What clusters and instances share: the one ``ml.Compute`` child and the outputs."""

    compute: ml.Compute
    compute_name: pulumi.Output[str]
    principal_id: pulumi.Output[str]
    """Principal id of the compute's system-assigned identity (for data grants)."""

    def _create(
        self,
        name: str,
        a: Mapping[str, Any],
        properties: Any,
        replace_on_changes: list[str],
        default_identity: bool = True,
    ) -> None:
        self.compute = ml.Compute(
            f"{name}-compute",
            ml.ComputeArgs(
                compute_name=a["compute_name"],
                workspace_name=a["workspace_name"],
                resource_group_name=a["resource_group_name"],
                location=a["location"],
                identity=_identity_args(a.get("identity"), default=default_identity),
                properties=properties,
                tags=dict(a.get("tags", {})),
            ),
            opts=_compute_opts(self, bool(a.get("protect", False)), replace_on_changes),
        )
        self.compute_name = self.compute.name
        self.principal_id = self.compute.identity.apply(lambda i: (i.principal_id or "") if i else "")
        self.register_outputs({"compute_name": self.compute_name, "principal_id": self.principal_id})


class ComputeCluster(_Compute):
    """An AmlCompute cluster: scales to zero by default, no SSH, no local auth, system identity."""

    def __init__(self, name: str, args: ComputeClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_cluster_args(name, args)
        super().__init__("pulumi-azureml:index:ComputeCluster", name, None, opts)
        a = {**CLUSTER_DEFAULTS, **args}
        ssh = bool(a["ssh_access"])
        properties = build_args(
            ml.AmlComputePropertiesArgs,
            {
                "vm_size": a["vm_size"],
                "vm_priority": a["vm_priority"],
                "os_type": a["os_type"],
                "scale_settings": ml.ScaleSettingsArgs(
                    min_node_count=a["min_nodes"],
                    max_node_count=a["max_nodes"],
                    node_idle_time_before_scale_down=_duration(a["idle_seconds_before_scale_down"]),
                ),
                "subnet": ml.ResourceIdArgs(id=a["subnet_id"]) if a.get("subnet_id") else None,
                "enable_node_public_ip": _node_public_ip(a),
                "remote_login_port_public_access": "Enabled" if ssh else "Disabled",
                "user_account_credentials": (
                    ml.UserAccountCredentialsArgs(
                        admin_user_name=a["admin_user_name"], admin_user_ssh_public_key=a["ssh_public_key"]
                    )
                    if ssh
                    else None
                ),
            },
            a.get("overrides"),
        )
        self._create(
            name,
            a,
            ml.AmlComputeArgs(
                compute_type="AmlCompute",
                description=a.get("description"),
                disable_local_auth=not a["local_auth"],
                properties=properties,
            ),
            CLUSTER_REPLACE_ON_CHANGES,
        )


class ComputeInstance(_Compute):
    """A compute instance: idle shutdown after 60 minutes by default, no SSH, no local auth."""

    def __init__(self, name: str, args: ComputeInstanceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        validate_instance_args(name, args)
        super().__init__("pulumi-azureml:index:ComputeInstance", name, None, opts)
        a = {**INSTANCE_DEFAULTS, **args}
        ssh = bool(a["ssh_access"])
        user = a.get("assigned_user")
        schedules = [
            ml.ComputeStartStopScheduleArgs(
                action=s["action"],
                status="Enabled" if s.get("enabled", True) else "Disabled",
                trigger_type="Cron",
                cron=ml.CronArgs(expression=s["cron"], time_zone=s.get("time_zone", "UTC")),
            )
            for s in a.get("schedules", [])
        ]
        creation, startup = _script(a.get("creation_script")), _script(a.get("startup_script"))
        idle = a["idle_shutdown_minutes"]
        properties = build_args(
            ml.ComputeInstancePropertiesArgs,
            {
                "vm_size": a["vm_size"],
                "idle_time_before_shutdown": f"PT{idle}M" if idle is not None else None,
                "personal_compute_instance_settings": (
                    ml.PersonalComputeInstanceSettingsArgs(
                        assigned_user=ml.AssignedUserArgs(object_id=user["object_id"], tenant_id=user["tenant_id"])
                    )
                    if user
                    else None
                ),
                "schedules": ml.ComputeSchedulesArgs(compute_start_stop=schedules) if schedules else None,
                "setup_scripts": (
                    ml.SetupScriptsArgs(
                        scripts=ml.ScriptsToExecuteArgs(creation_script=creation, startup_script=startup)
                    )
                    if creation or startup
                    else None
                ),
                "subnet": ml.ResourceIdArgs(id=a["subnet_id"]) if a.get("subnet_id") else None,
                "enable_node_public_ip": _node_public_ip(a),
                "ssh_settings": ml.ComputeInstanceSshSettingsArgs(
                    ssh_public_access="Enabled" if ssh else "Disabled",
                    admin_public_key=a.get("ssh_public_key") if ssh else None,
                ),
                "compute_instance_authorization_type": "personal" if user else None,
            },
            a.get("overrides"),
        )
        self._create(
            name,
            a,
            ml.ComputeInstanceArgs(
                compute_type="ComputeInstance",
                description=a.get("description"),
                disable_local_auth=not a["local_auth"],
                properties=properties,
            ),
            INSTANCE_REPLACE_ON_CHANGES,
            # Azure ML documents that idle shutdown with a managed identity needs that identity to be
            # workspace Contributor: instances get an identity only when asked for one.
            default_identity=False,
        )


def personal_instance_name(alias: str, *, workload: str, environment: str, location: str, object_id: str) -> str:
    """A stable per-user compute instance name: ``ci-<alias>-<4 letters>`` (at most 16 characters).

    The letters hash the user's object id with workload, environment and region, so the name is
    the same on every run, different per workspace (compute names are unique per region) and
    satisfies the rule that every '-' is followed by a letter.
    """
    clean = re.sub(r"[^a-z0-9]", "", alias.lower())
    if not clean or not clean[0].isalpha():
        raise ConfigError("alias", alias, "must start with a letter and contain letters or digits")
    tag = "".join(
        chr(ord("a") + int(c, 36) % 26)
        for c in short_hash(object_id.lower(), workload, environment, location, length=4)
    )
    name = f"ci-{clean[:7]}-{tag}"
    validate_compute_name("alias", name)
    return name


class PersonalUser(TypedDict):
    alias: str
    """Short name used in the instance name (letters and digits are kept)."""
    object_id: str
    tenant_id: pulumi.Input[str]


def create_personal_instances(
    users: Sequence[PersonalUser],
    template: Mapping[str, Any],
    *,
    workload: str,
    environment: str,
    opts: pulumi.ResourceOptions | None = None,
) -> list[ComputeInstance]:
    """One :class:`ComputeInstance` per user, assigned to that user, named by
    :func:`personal_instance_name` (stable per user and workspace).

    ``template`` holds the shared :class:`ComputeInstanceArgs` (workspace placement, VM size,
    schedules, scripts, ...); every instance is validated before any is registered.
    """
    specs: list[ComputeInstanceArgs] = []
    for i, user in enumerate(users):
        name = personal_instance_name(
            user["alias"],
            workload=workload,
            environment=environment,
            location=str(template["location"]),
            object_id=user["object_id"],
        )
        spec = cast(
            ComputeInstanceArgs,
            {
                **template,
                "compute_name": name,
                "assigned_user": {"object_id": user["object_id"], "tenant_id": user["tenant_id"]},
                "description": template.get("description", f"Personal compute instance of {user['alias']}"),
            },
        )
        validate_instance_args(f"users[{i}]", spec)
        specs.append(spec)
    return [ComputeInstance(f"instance-{spec['compute_name']}", spec, opts) for spec in specs]
