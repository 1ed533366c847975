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
from typing import Any

import pulumi
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.machinelearningservices as ml

from ..core import vmsizes
from ..core.arm import id_name
from ..core.errors import ConfigError
from ..core.naming import COMPUTE_NAME_RULE, NamingError, short_hash, validate_name
from ..core.overrides import build_args
from ..core.roles import BuiltInRole
from ..core.schema import Spelling, python, spelled, validate
from ..core.tokens import component_type
from ..lifecycle import hooks
from ..workspace.access import ComputeConsumer
from ..workspace.component import MachineLearningWorkspace
from ..workspace.placement import WorkspacePlacement, resolve_placement
from .args import (
    ComputeClusterArgs,
    ComputeClusterSettings,
    ComputeIdentity,
    ComputeInstanceArgs,
    ComputeInstanceSettings,
    InstanceTemplate,
    PersonalUser,
    SetupScript,
    _ComputeCommon,
)

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
    # Nothing else of an instance is documented as updatable by PUT either; azurerm forces a new
    # instance for tags (hashicorp/terraform-provider-azurerm#31747).
    "properties.description",
    "tags",
    "identity",
]

Workspace = MachineLearningWorkspace | WorkspacePlacement


def _identity_args(identity: ComputeIdentity | None) -> ml.ManagedServiceIdentityArgs | None:
    if identity is None:
        return None
    return ml.ManagedServiceIdentityArgs(
        type=identity.type,
        user_assigned_identities=list(identity.user_assigned_identity_ids) or None,
    )


def _duration(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    return f"PT{minutes}M{secs}S" if secs else f"PT{minutes}M"


def _script(script: SetupScript | None) -> ml.ScriptReferenceArgs | None:
    if script is None:
        return None
    inline = script.inline is not None
    return ml.ScriptReferenceArgs(
        script_source="inline" if inline else "workspaceStorage",
        script_data=base64.b64encode(script.inline.encode()).decode() if script.inline is not None else script.path,
        script_arguments=script.arguments,
        timeout=f"{script.timeout_minutes}m",
    )


class _Compute(pulumi.ComponentResource):
    """What clusters and instances share: the one ``ml.Compute`` child and the outputs."""

    compute: ml.Compute
    compute_name: pulumi.Output[str]
    principal_id: pulumi.Output[str] | None
    """Principal id of the compute's system-assigned identity (for data grants); None without one."""
    placement: WorkspacePlacement

    def _settle(
        self, name: str, settings: _ComputeCommon, workspace: Workspace | None, spelling: Spelling
    ) -> WorkspacePlacement:
        placement = resolve_placement(workspace, settings, spelling)
        with spelled(type(settings), spelling):
            settings.check_placement(placement.managed_network)
        return placement

    @staticmethod
    def _in_network(settings: _ComputeCommon, placement: WorkspacePlacement) -> Any:
        """The settings with the platform's compute subnet when the compute names none."""
        network = placement.network
        subnet = network.subnet_ids.get("compute") if network is not None else None
        if subnet is None or settings.subnet_id is not None or placement.managed_network:
            return settings
        return settings.model_copy(update={"subnet_id": subnet})

    def _create(
        self,
        name: str,
        compute_name: str,
        settings: _ComputeCommon,
        identity: ComputeIdentity | None,
        properties: Any,
        replace_on_changes: list[str],
        needs: Sequence[pulumi.Resource] = (),
    ) -> None:
        p = self.placement
        self._name = name
        news = vmsizes.notice(settings.vm_size)
        if news is not None:
            # Retired sizes were refused with the arguments; announced ones still deploy.
            pulumi.log.warn(news.message(), resource=self)
        self.compute = ml.Compute(
            f"{name}-compute",
            ml.ComputeArgs(
                compute_name=compute_name,
                workspace_name=p.workspace_name,
                resource_group_name=p.resource_group_name,
                location=p.location,
                identity=_identity_args(identity),
                properties=properties,
                tags=p.tags_with(settings.tags),
            ),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=settings.protect,
                replace_on_changes=replace_on_changes,
                delete_before_replace=True,
                depends_on=list(needs),
                hooks=self._hooks(name, bool(needs)),
            ),
        )
        self.compute_name = self.compute.name
        # Only a system-assigned identity has one principal id to grant to; a compute with only
        # user-assigned identities has none (grant to those identities' principal ids instead).
        self.principal_id = (
            self.compute.identity.apply(lambda i: (i.principal_id or "") if i else "")
            if identity is not None and "SystemAssigned" in identity.type
            else None
        )
        self._identity_access(compute_name, settings, identity)
        self.register_outputs({"compute_name": self.compute_name, "principal_id": self.principal_id})

    def _hooks(self, name: str, waits: bool) -> pulumi.ResourceHookBinding:
        """Delete with the VMs (and wait until gone); wait for fresh grants before the create."""
        seconds = self.placement.role_propagation_seconds
        return pulumi.ResourceHookBinding(
            before_create=[hooks.wait_for_roles(f"{name}-compute-wait", seconds)] if waits and seconds else None,
            before_delete=[hooks.delete_compute(f"{name}-compute-delete")],
        )

    def _identity_principals(self, identity: ComputeIdentity | None) -> list[tuple[str, pulumi.Output[str], bool]]:
        """(label suffix, principal id, user-assigned) of each identity the compute has."""
        if identity is None:
            return []
        out: list[tuple[str, pulumi.Output[str], bool]] = []
        if "SystemAssigned" in identity.type and self.principal_id is not None:
            out.append(("", self.principal_id, False))
        for i, uai in enumerate(identity.user_assigned_identity_ids):
            principal = pulumi.Output.all(self.compute.identity, uai).apply(
                lambda parts: _assigned_principal(parts[0], str(parts[1]))
            )
            label = f"-{id_name(uai).lower()}" if isinstance(uai, str) else f"-identity{i}"
            out.append((label, principal, True))
        return out

    def _identity_access(self, compute_name: str, settings: _ComputeCommon, identity: ComputeIdentity | None) -> None:
        """Data access for each compute identity: the default storage (jobs' outputs, models,
        MLflow in identity mode), the workspace's identity datastores it wants, the registry for a
        user-assigned identity, and the key vault when asked.

        Azure grants a compute's system identity AcrPull on the workspace registry itself
        (``how-to-identity-based-service-authentication.md``); a second would be refused, so only
        user-assigned identities get it here. Whether the service also grants those is not
        documented; granting keeps images pullable.
        """
        p = self.placement
        wanted = frozenset(settings.datastore_access) if settings.datastore_access is not None else None
        for suffix, principal, user_assigned in self._identity_principals(identity):
            label = f"{compute_name.lower()}{suffix}"[:40].rstrip("-")
            targets: list[tuple[str, pulumi.Input[str] | None, BuiltInRole]] = []
            if p.identity_storage:
                targets.append(("storage", p.storage_account_id, BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR))
            if user_assigned:
                targets.append(("acr", p.container_registry_id, BuiltInRole.ACR_PULL))
            if settings.key_vault_secrets:
                targets.append(("kv", p.key_vault_id, BuiltInRole.KEY_VAULT_SECRETS_USER))
            for target, scope, role in targets:
                if scope is None:
                    continue
                self._grant(
                    f"{self._name}-ra{suffix}-{target}-{role.slug}", target, scope, principal, f"compute:{label}", role
                )
            p.access.add_consumer(ComputeConsumer(label=label, principal_id=principal, datastores=wanted))

    def _grant(
        self,
        resource_name: str,
        target: str,
        scope: pulumi.Input[str],
        principal: pulumi.Input[str],
        principal_key: str | None,
        role: BuiltInRole,
        principal_type: str = "ServicePrincipal",
    ) -> pulumi.Resource:
        p = self.placement
        return p.access.grants.assign(
            resource_name,
            scope_key=p.scope_key(target),
            principal_key=principal_key,
            role=role,
            scope=scope,
            principal_id=principal,
            principal_type=principal_type,
            subscription_id=p.subscription_id or "",
            description=f"compute {resource_name}: {role.slug} on {target}",
            parent=self,
        )


def _assigned_principal(identity: Any, identity_id: str) -> str:
    """The principal id Azure reports for one user-assigned identity of a compute."""
    # Output.all hands typed outputs over as plain dicts; .apply as objects.
    assigned = getattr(identity, "user_assigned_identities", None)
    if assigned is None and isinstance(identity, Mapping):
        assigned = identity.get("user_assigned_identities") or identity.get("userAssignedIdentities")
    for key, value in (assigned or {}).items():
        if key.lower() == identity_id.lower():
            found = value.get("principal_id") if isinstance(value, Mapping) else getattr(value, "principal_id", None)
            return str(found or "")
    return ""


class ComputeCluster(_Compute):
    """An AmlCompute cluster: scales to zero by default, no SSH, no local auth, system identity.

    ``ComputeCluster("train", ComputeClusterArgs(compute_name="cpu-cluster"), workspace=ws)``
    """

    TYPE = component_type("ComputeCluster")

    def __init__(
        self,
        name: str,
        args: ComputeClusterSettings | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        spelling = python(f"ComputeCluster({name!r})")
        a = validate(
            ComputeClusterSettings if isinstance(args, ComputeClusterSettings) else ComputeClusterArgs, args, spelling
        )
        self.placement = self._settle(name, a, workspace, spelling)
        a = self._in_network(a, self.placement)
        super().__init__(self.TYPE, name, None, opts)
        ssh = a.ssh_access
        properties = build_args(
            ml.AmlComputePropertiesArgs,
            {
                "vm_size": a.vm_size,
                "vm_priority": a.vm_priority,
                "os_type": a.os_type,
                "scale_settings": ml.ScaleSettingsArgs(
                    min_node_count=a.min_nodes,
                    max_node_count=a.max_nodes,
                    node_idle_time_before_scale_down=_duration(a.idle_seconds_before_scale_down),
                ),
                "subnet": ml.ResourceIdArgs(id=a.subnet_id) if a.subnet_id is not None else None,
                "enable_node_public_ip": a.public_ip(self.placement.managed_network),
                "remote_login_port_public_access": "Enabled" if ssh else "Disabled",
                "user_account_credentials": (
                    ml.UserAccountCredentialsArgs(
                        admin_user_name=a.admin_user_name, admin_user_ssh_public_key=a.ssh_public_key
                    )
                    if ssh
                    else None
                ),
            },
            a.overrides,
        )
        self._create(
            name,
            a.compute_name,
            a,
            a.identity,
            ml.AmlComputeArgs(
                compute_type="AmlCompute",
                description=a.description,
                disable_local_auth=not a.local_auth,
                properties=properties,
            ),
            CLUSTER_REPLACE_ON_CHANGES,
        )


class ComputeInstance(_Compute):
    """A compute instance: idle shutdown after 60 minutes by default, no SSH, no local auth.

    ``ComputeInstance("alice", ComputeInstanceArgs(compute_name="ci-alice", assigned_user=...), workspace=ws)``
    """

    TYPE = component_type("ComputeInstance")

    def __init__(
        self,
        name: str,
        args: ComputeInstanceSettings | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        spelling = python(f"ComputeInstance({name!r})")
        a = validate(
            ComputeInstanceSettings if isinstance(args, ComputeInstanceSettings) else ComputeInstanceArgs,
            args,
            spelling,
        )
        self.placement = self._settle(name, a, workspace, spelling)
        a = self._in_network(a, self.placement)
        super().__init__(self.TYPE, name, None, opts)
        self._name = name
        self._create(
            name,
            a.compute_name,
            a,
            a.identity,
            ml.ComputeInstanceArgs(
                compute_type="ComputeInstance",
                description=a.description,
                disable_local_auth=not a.local_auth,
                properties=self._properties(a),
            ),
            INSTANCE_REPLACE_ON_CHANGES,
            needs=self._user_access(a),
        )

    def _user_access(self, a: ComputeInstanceSettings) -> list[pulumi.Resource]:
        """What the assigned user needs before the instance is theirs: AzureML Data Scientist on
        the workspace and, in identity mode, File Data Privileged Contributor (compute instance,
        notebooks) and Blob Data Contributor (data in the studio) on the default storage
        (``how-to-disable-local-auth-storage.md``)."""
        user, p = a.assigned_user, self.placement
        if user is None or not a.user_access:
            return []
        targets: list[tuple[str, pulumi.Input[str] | None, BuiltInRole]] = [
            ("workspace", p.workspace_id, BuiltInRole.AZUREML_DATA_SCIENTIST)
        ]
        if p.identity_storage:
            # A data scientist's storage roles: the instance's files and notebooks, and data in the studio.
            targets.append(("storage", p.storage_account_id, BuiltInRole.STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR))
            targets.append(("storage", p.storage_account_id, BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR))
        return [
            self._grant(
                f"{self._name}-ra-user-{target}-{role.slug}",
                target,
                scope,
                user.object_id,
                user.object_id if isinstance(user.object_id, str) else None,
                role,
                "User",
            )
            for target, scope, role in targets
            if scope is not None
        ]

    def _properties(self, a: ComputeInstanceSettings) -> ml.ComputeInstancePropertiesArgs:
        ssh = a.ssh_access
        user = a.assigned_user
        schedules = [
            ml.ComputeStartStopScheduleArgs(
                action=s.action,
                status="Enabled" if s.enabled else "Disabled",
                trigger_type="Cron",
                cron=ml.CronArgs(expression=s.cron, time_zone=s.time_zone),
            )
            for s in a.schedules
        ]
        creation, startup = _script(a.creation_script), _script(a.startup_script)
        idle = a.idle_shutdown_minutes
        tenant: pulumi.Input[str] | None = None
        if user is not None:
            # Without a tenant the user is taken to be in the deploying tenant.
            tenant = (
                user.tenant_id
                or authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self)).tenant_id
            )
        return build_args(
            ml.ComputeInstancePropertiesArgs,
            {
                "vm_size": a.vm_size,
                "idle_time_before_shutdown": f"PT{idle}M" if idle else None,
                "personal_compute_instance_settings": (
                    ml.PersonalComputeInstanceSettingsArgs(
                        assigned_user=ml.AssignedUserArgs(object_id=user.object_id, tenant_id=tenant)
                    )
                    if user is not None and tenant is not None
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
                "subnet": ml.ResourceIdArgs(id=a.subnet_id) if a.subnet_id is not None else None,
                "enable_node_public_ip": a.public_ip(self.placement.managed_network),
                "ssh_settings": ml.ComputeInstanceSshSettingsArgs(
                    ssh_public_access="Enabled" if ssh else "Disabled",
                    admin_public_key=a.ssh_public_key if ssh else None,
                ),
                "compute_instance_authorization_type": "personal" if user else None,
            },
            a.overrides,
        )


def personal_instance_name(alias: str, *, workload: str, environment: str, location: str, object_id: str) -> str:
    """A stable per-user compute instance name: ``ci-<alias>-<4 letters>`` (at most 16 characters).

    The letters hash the user's object id with workload, environment and region, so the name is
    the same on every run, different per workspace (compute names are unique per region) and
    satisfies the rule that every '-' is followed by a letter. ValueError(rule) for a bad alias.
    """
    clean = re.sub(r"[^a-z0-9]", "", alias.lower())
    if not clean or not clean[0].isalpha():
        raise ValueError("must start with a letter and contain letters or digits")
    tag = "".join(
        chr(ord("a") + int(c, 36) % 26)
        for c in short_hash(object_id.lower(), workload, environment, location, length=4)
    )
    name = f"ci-{clean[:7]}-{tag}"
    try:
        return validate_name(COMPUTE_NAME_RULE, name)
    except NamingError as err:
        raise ValueError(err.rule) from None


def personal_instance_settings(
    users: Sequence[PersonalUser],
    template: InstanceTemplate | ComputeInstanceSettings | Any,
    *,
    workload: str,
    environment: str,
    location: str,
    users_key: str = "users",
) -> list[ComputeInstanceSettings]:
    """One :class:`ComputeInstanceSettings` per user from the shared ``template`` settings.

    SettingError (at ``users_key[i].alias``) for an alias that gives no valid name.
    """
    from ..core.schema import fail

    shared = {k: getattr(template, k) for k in template.model_fields_set if k in ComputeInstanceSettings.model_fields}
    out: list[ComputeInstanceSettings] = []
    for i, user in enumerate(users):
        try:
            name = personal_instance_name(
                user.alias, workload=workload, environment=environment, location=location, object_id=user.object_id
            )
        except ValueError as err:
            fail((users_key, i, "alias"), user.alias, str(err))
        out.append(
            ComputeInstanceSettings.model_validate(
                {
                    "description": f"Personal compute instance of {user.alias}",
                    **shared,
                    "compute_name": name,
                    "assigned_user": {"object_id": user.object_id, "tenant_id": user.tenant_id},
                },
                by_name=True,
                by_alias=False,
            )
        )
    return out


def create_personal_instances(
    users: Sequence[PersonalUser | Mapping[str, Any]],
    template: InstanceTemplate | Mapping[str, Any],
    *,
    workspace: Workspace | None = None,
    workload: str | None = None,
    environment: str | None = None,
    opts: pulumi.ResourceOptions | None = None,
) -> list[ComputeInstance]:
    """One :class:`ComputeInstance` per user, assigned to that user, named by
    :func:`personal_instance_name` (stable per user and workspace).

    ``template`` holds the shared settings (VM size, schedules, scripts, ...) and, without
    ``workspace=``, the explicit placement; workload and environment default to the workspace's.
    Every instance is checked before any is registered.
    """
    spelling = python("create_personal_instances")
    shared = validate(InstanceTemplate, template, spelling.at("template"))
    people = [validate(PersonalUser, u, spelling.at(f"users[{i}]")) for i, u in enumerate(users)]
    placement = resolve_placement(workspace, shared, spelling.at("template"))
    workload = workload or placement.workload
    environment = environment or placement.environment
    if workload is None or environment is None or not isinstance(placement.location, str):
        raise ConfigError(
            spelling.key("workload"),
            workload,
            "personal instance names need the workload, environment and location as plain strings: pass workspace= "
            "or workload=, environment= and a template location",
        )
    with spelled(InstanceTemplate, spelling):
        specs = personal_instance_settings(
            people, shared, workload=workload, environment=environment, location=placement.location
        )
    return [ComputeInstance(f"instance-{spec.compute_name}", spec, opts, workspace=placement) for spec in specs]
