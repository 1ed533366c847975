"""MachineLearningWorkspace: an Azure ML workspace and everything it depends on, as one component."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pulumi
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.machinelearningservices as ml
import pulumi_azure_native.managedidentity as managedidentity
import pulumi_azure_native.resources as resources

from ..core.arm import id_name
from ..core.errors import ConfigError
from ..core.naming import REGION_ABBREVIATIONS, ResourceNames
from ..core.overrides import as_resource_kwargs, build_args
from ..core.roles import BuiltInRole
from ..core.schema import python, validate
from ..core.tokens import component_type
from ..dependents.diagnostics import send_resource_logs
from ..dependents.keyvault import create_key_vault
from ..dependents.monitoring import create_monitoring
from ..dependents.registry import create_registry
from ..dependents.storage import StorageAccountSettings, create_storage_account
from ..lifecycle import hooks
from ..network.build import PlatformNetwork
from ..network.rules import outbound_rule_args
from .access import STORAGE_ROLES, WORKSPACE_ROLES, PlatformAccess
from .args import MachineLearningWorkspaceArgs
from .placement import MANAGED_BY, RuleChain, WorkspacePlacement
from .registry_use import (
    REGISTRY_SERVICE_TAGS,
    RegistryUse,
    registry_outbound_rule_name,
    registry_service_tag_rule,
)

COMPONENT_TYPE = component_type("MachineLearningWorkspace")
IMAGE_BUILDER = "image-builder"
"""The compute name of the cluster created to build images for a private registry."""


class MachineLearningWorkspace(pulumi.ComponentResource):
    """An Azure ML workspace with its resource group, storage account, key vault, Log Analytics +
    Application Insights, container registry and identity, each created or brought by id.

    Children are named ``<name>-<suffix>`` with stable suffixes (``rg``, ``storage``, ``kv``,
    ``monitoring-log``, ``monitoring-appi``, ``acr``, ``identity``, ``workspace`` and
    ``ra-<principal>-<target>-<role>`` for role assignments): renaming the component or a child
    without an alias replaces real infrastructure.
    """

    args: MachineLearningWorkspaceArgs
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
    tags: dict[str, str]
    """The tags every resource of this workspace carries: ``workload``, ``environment``,
    ``managed-by`` and the stack's."""

    def __init__(
        self,
        name: str,
        args: MachineLearningWorkspaceArgs | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        # Validate first: a bad argument must stop the program before anything is registered.
        a = validate(MachineLearningWorkspaceArgs, args, python(f"MachineLearningWorkspace({name!r})"))
        super().__init__(COMPONENT_TYPE, name, None, opts)
        self.args = a
        self.names = a.names
        self.managed_network = a.workspace.managed_network
        self.tags = {"workload": a.workload, "environment": a.environment, **MANAGED_BY, **a.tags}
        self._name = name
        self._workspace_deps: list[pulumi.Resource] = []
        self._uai_grants: list[pulumi.Resource] = []
        self.access = PlatformAccess(people=a.access)
        self.grants = self.access.grants
        self._uai_principal_key = f"{name}:identity"
        self._registry_rules: set[str] = set()
        self.outbound_rules = RuleChain()
        """The managed network's outbound rules of everything placed here, applied one at a time."""
        self.network: PlatformNetwork | None = None
        """The platform's network (subnets, DNS zones, private endpoints); None without one."""
        self.private_endpoints: dict[str, pulumi.CustomResource] = {}
        """The private endpoints of the workspace and its dependents, by target (``workspace``,
        ``storage-blob``, ``kv``, ``acr``)."""

        client = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self))
        self.subscription_id = client.subscription_id
        self._tenant_id = client.tenant_id
        self.location = pulumi.Output.from_input(a.location)

        self._resource_group()
        # Known before the workspace exists (its name is), for the storage firewall's resource-instance rule.
        self._planned_workspace_id = pulumi.Output.concat(
            self._resource_group_id,
            "/providers/Microsoft.MachineLearningServices/workspaces/",
            a.workspace.name or self.names.workspace,
        )
        self._storage()
        self._key_vault()
        self._monitoring()
        self._registry()
        uai_id, uai_principal = self._user_assigned_identity()
        self._image_build_compute = self._image_build_compute_name()
        self._workspace(uai_id)
        self.principal_id = (
            uai_principal
            if uai_principal is not None
            else self.workspace.identity.apply(lambda i: i.principal_id if i else "")
        )
        self._workspace_roles(uai_principal)
        self._people()
        self._image_builder()
        self._network()
        self._send_resource_logs()
        self._outbound()
        self.register_outputs(self.connection_bundle())

    # -- steps, in the order they are registered ------------------------------------------------

    def _common(self) -> dict[str, Any]:
        return {
            "resource_group_name": self.resource_group_name,
            "location": self.args.location,
            "tags": self.tags,
            "parent": self,
            "protect": self.args.protect,
        }

    def _resource_group(self) -> None:
        """Created, or an existing one by name."""
        a = self.args
        if a.resource_group_name is not None:
            self.resource_group_name = pulumi.Output.from_input(a.resource_group_name)
            self._resource_group_id = pulumi.Output.concat(
                "/subscriptions/", self.subscription_id, "/resourceGroups/", self.resource_group_name
            )
            return
        rg = resources.ResourceGroup(
            f"{self._name}-rg",
            resources.ResourceGroupArgs(
                resource_group_name=self.names.resource_group, location=a.location, tags=self.tags
            ),
            opts=pulumi.ResourceOptions(parent=self, protect=a.protect),
        )
        self.resource_group_name = rg.name
        self._resource_group_id = rg.id

    def _storage(self) -> None:
        options = self.args.storage
        if options.existing_id is not None:
            self.storage_account_id = pulumi.Output.from_input(options.existing_id)
            self.storage_account_name = pulumi.Output.from_input(id_name(options.existing_id))
            # Public-cloud endpoint; the existing account is not read, so nothing here needs its keys.
            self.storage_blob_endpoint = self.storage_account_name.apply(
                lambda n: f"https://{n}.blob.core.windows.net/"
            )
            return
        st = create_storage_account(
            f"{self._name}-storage",
            account_name=options.name or self.names.storage_account,
            options=options,
            studio_cors=True,
            trusted_workspace=(self._tenant_id, self._planned_workspace_id),
            **self._common(),
        )
        self.storage_account_id = st.account.id
        self.storage_account_name = st.account.name
        self.storage_blob_endpoint = st.account.primary_endpoints.blob
        # The service edits CORS on its storage; create ours first so it is not overwritten later.
        self._workspace_deps += [st.blob_service, st.file_service]

    def _key_vault(self) -> None:
        options = self.args.key_vault
        self._created_vault_id: pulumi.Output[str] | None = None
        if options.existing_id is not None:
            self.key_vault_id = pulumi.Output.from_input(options.existing_id)
            self.key_vault_uri = pulumi.Output.from_input(id_name(options.existing_id)).apply(
                lambda n: f"https://{n}.vault.azure.net/"
            )
            return
        kv = create_key_vault(
            f"{self._name}-kv",
            vault_name=options.name or self.names.key_vault,
            tenant_id=self._tenant_id,
            options=options,
            hooks=(
                pulumi.ResourceHookBinding(after_delete=[hooks.purge_key_vault(f"{self._name}-kv-purge")])
                if self.args.purge_on_destroy
                else None
            ),
            **self._common(),
        )
        self.key_vault_id = kv.id
        self._created_vault_id = kv.id
        self.key_vault_uri = kv.properties.apply(lambda p: p.vault_uri or "")

    def _monitoring(self) -> None:
        options = self.args.monitoring
        self.log_analytics_workspace_id = None
        if options.existing_application_insights_id is not None:
            self.application_insights_id = pulumi.Output.from_input(options.existing_application_insights_id)
            return
        mon = create_monitoring(
            f"{self._name}-monitoring",
            log_analytics_name=options.log_analytics_name or self.names.log_analytics,
            application_insights_name=options.application_insights_name or self.names.application_insights,
            options=options,
            **self._common(),
        )
        self.application_insights_id = mon.application_insights.id
        self.log_analytics_workspace_id = mon.log_analytics.id

    def _registry(self) -> None:
        options = self.args.container_registry
        self.container_registry_id = None
        self.container_registry_login_server = None
        self._created_registry_id: pulumi.Output[str] | None = None
        mode = options.effective_mode
        if mode == "existing" and options.existing_id is not None:
            self.container_registry_id = pulumi.Output.from_input(options.existing_id)
            self.container_registry_login_server = pulumi.Output.from_input(id_name(options.existing_id)).apply(
                lambda n: f"{n.lower()}.azurecr.io"
            )
        elif mode == "create":
            acr = create_registry(
                f"{self._name}-acr",
                registry_name=options.name or self.names.container_registry,
                options=options,
                **self._common(),
            )
            self.container_registry_id = acr.id
            self._created_registry_id = acr.id
            self.container_registry_login_server = acr.login_server

    def _user_assigned_identity(self) -> tuple[pulumi.Output[str] | None, pulumi.Output[str] | None]:
        """The user-assigned identity (created or brought) and the roles it needs before the workspace."""
        identity, a = self.args.identity, self.args
        if not identity.user_assigned:
            return None, None
        if identity.user_assigned_identity_id is not None and identity.principal_id is not None:
            uai_id = pulumi.Output.from_input(identity.user_assigned_identity_id)
            principal = pulumi.Output.from_input(identity.principal_id)
        else:
            uai = managedidentity.UserAssignedIdentity(
                f"{self._name}-identity",
                opts=pulumi.ResourceOptions(parent=self, protect=a.protect),
                **as_resource_kwargs(
                    managedidentity.UserAssignedIdentityArgs(
                        resource_name=identity.name or self.names.user_assigned_identity,
                        resource_group_name=self.resource_group_name,
                        location=a.location,
                        tags=self.tags,
                    )
                ),
            )
            uai_id, principal = uai.id, uai.principal_id
        if identity.assign_roles:
            targets: list[tuple[str, pulumi.Output[str], BuiltInRole]] = [
                ("storage", self.storage_account_id, BuiltInRole.CONTRIBUTOR),
                ("storage", self.storage_account_id, BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR),
                ("storage", self.storage_account_id, BuiltInRole.STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR),
                ("kv", self.key_vault_id, BuiltInRole.CONTRIBUTOR),
                ("kv", self.key_vault_id, BuiltInRole.KEY_VAULT_ADMINISTRATOR),
                ("appi", self.application_insights_id, BuiltInRole.CONTRIBUTOR),
            ]
            if self.container_registry_id is not None:
                targets.append(("acr", self.container_registry_id, BuiltInRole.CONTRIBUTOR))
                targets.append(("acr", self.container_registry_id, BuiltInRole.ACR_PULL))
            if isinstance(identity.principal_id, str):
                self._uai_principal_key = identity.principal_id
            for target, scope, role in targets:
                self._uai_grants.append(self._grant(f"uai-{target}", scope, principal, role, target))
            self._workspace_deps += self._uai_grants
        return uai_id, principal

    def _scope_key(self, target: str) -> str:
        """The registry key of one of this workspace's resources: its id when brought, else a label."""
        existing = {
            "storage": self.args.storage.existing_id,
            "kv": self.args.key_vault.existing_id,
            "acr": self.args.container_registry.existing_id,
            "appi": self.args.monitoring.existing_application_insights_id,
        }.get(target)
        return existing if isinstance(existing, str) else f"{self._name}:{target}"

    def _grant(
        self, suffix: str, scope: pulumi.Input[str], principal: pulumi.Input[str], role: BuiltInRole, target: str
    ) -> authorization.RoleAssignment:
        return self.grants.assign(
            f"{self._name}-ra-{suffix}-{role.slug}",
            scope_key=self._scope_key(target),
            principal_key=self._uai_principal_key,
            scope=scope,
            principal_id=principal,
            role=role,
            subscription_id=self.subscription_id,
            description=f"Azure ML workspace identity ({self.args.environment}): {role.slug} on {target}",
            parent=self,
        )

    def _workspace(self, uai_id: pulumi.Output[str] | None) -> None:
        a, ws = self.args, self.args.workspace
        workspace_args = build_args(
            ml.WorkspaceArgs,
            {
                **ws.provider_args(),
                "workspace_name": ws.name or self.names.workspace,
                "resource_group_name": self.resource_group_name,
                "location": a.location,
                "kind": "Default",
                "sku": ml.SkuArgs(name="Basic", tier=ml.SkuTier.BASIC),
                "friendly_name": ws.friendly_name or f"{a.workload} ({a.environment})",
                "description": ws.description
                or f"Azure ML workspace for {a.workload} ({a.environment}), managed by Pulumi",
                "identity": ml.ManagedServiceIdentityArgs(
                    type=a.identity.type,
                    # azure-native v3 takes the ids as a list and sends them as the ARM map.
                    user_assigned_identities=[uai_id] if uai_id is not None else None,
                ),
                "primary_user_assigned_identity": uai_id,
                "storage_account": self.storage_account_id,
                "key_vault": self.key_vault_id,
                "application_insights": self.application_insights_id,
                "container_registry": self.container_registry_id,
                "managed_network": ml.ManagedNetworkSettingsArgs(
                    isolation_mode=ws.isolation_mode, firewall_sku=ws.firewall_sku if ws.has_fqdn_rules else None
                ),
                "provision_network_now": (
                    ws.provision_network_now if ws.provision_network_now is not None else self.managed_network
                ),
                "serverless_compute_settings": self._serverless_settings(),
                "image_build_compute": self._image_build_compute,
                "v1_legacy_mode": False,
                "tags": self.tags,
            },
            ws.overrides,
        )
        self.workspace = ml.Workspace(
            f"{self._name}-workspace",
            workspace_args,
            opts=pulumi.ResourceOptions(
                parent=self, protect=a.protect, depends_on=self._workspace_deps, hooks=self._workspace_hooks()
            ),
        )
        w = self.workspace
        self.workspace_name = w.name
        self.workspace_arm_id = w.id
        self.workspace_guid = w.workspace_id
        self.discovery_url = w.discovery_url.apply(lambda v: v or "")
        self.mlflow_tracking_uri = w.ml_flow_tracking_uri
        self.system_principal_id = (
            w.identity.apply(lambda i: i.principal_id if i else "") if a.identity.system_assigned else None
        )

    def _image_build_compute_name(self) -> str | None:
        a = self.args
        if a.workspace.image_build_compute is not None:
            return a.workspace.image_build_compute
        registry = a.container_registry
        private = registry.effective_mode == "create" and registry.public_network_access == "Disabled"
        return IMAGE_BUILDER if private else None

    def _serverless_settings(self) -> ml.ServerlessComputeSettingsArgs | None:
        options = self.args.serverless_compute
        if not options.model_fields_set:
            return None
        return ml.ServerlessComputeSettingsArgs(
            serverless_compute_custom_subnet=options.subnet_id,
            serverless_compute_no_public_ip=options.no_public_ip,
        )

    def _workspace_hooks(self) -> pulumi.ResourceHookBinding | None:
        """Wait for the identity's fresh grants before the create; purge instead of soft delete."""
        a = self.args
        seconds = a.identity.role_propagation_seconds
        before_create: list[pulumi.ResourceHook | Callable[[pulumi.ResourceHookArgs], Any]] = (
            [hooks.wait_for_roles(f"{self._name}-workspace-wait", seconds)] if self._uai_grants and seconds else []
        )
        before_delete = [hooks.purge_workspace(f"{self._name}-workspace-purge")] if a.purge_on_destroy else []
        if not before_create and not before_delete:
            return None
        return pulumi.ResourceHookBinding(before_create=before_create or None, before_delete=before_delete or None)

    def _workspace_roles(self, uai_principal: pulumi.Output[str] | None) -> None:
        """Contributor on the workspace for a user-assigned identity (documented as managed by you).

        Nothing for the system identity: Azure ML assigns its roles itself (the identity table of
        ``how-to-identity-based-service-authentication.md``; soft-delete recovery restores them), so
        a second Storage Blob Data Contributor would fail with RoleAssignmentExists
        (MicrosoftDocs/azure-docs#80040). Storage File Data Privileged Contributor for the system
        identity is not documented either way; declaring it could fail the same way, so it is left
        to the service too.
        """
        if uai_principal is not None and self.args.identity.assign_roles:
            self._grant("uai-workspace", self.workspace.id, uai_principal, BuiltInRole.CONTRIBUTOR, "workspace")

    def _people(self) -> None:
        """The Azure ML role of each person or group on the workspace, and the data roles identity
        mode needs on the default storage (``how-to-disable-local-auth-storage.md``)."""
        for team, who in self.args.access.members():
            targets = [("workspace", self.workspace.id, role) for role in WORKSPACE_ROLES[team]]
            targets += [("storage", self.storage_account_id, role) for role in STORAGE_ROLES[team]]
            for target, scope, role in targets:
                self.grants.assign(
                    f"{self._name}-access-{who.label}-{role.slug}",
                    scope_key=self._scope_key(target),
                    principal_key=who.principal_id,
                    role=role,
                    scope=scope,
                    principal_id=who.principal_id,
                    principal_type=who.principal_type,
                    subscription_id=self.subscription_id,
                    description=f"{team.replace('_', ' ')} ({self.args.environment}): {role.slug} on {target}",
                    parent=self,
                )

    def _network(self) -> None:
        """The virtual network (or existing subnet) and DNS, and a private endpoint to the workspace
        and each dependent, so users on the company network reach them (see Private networking)."""
        a = self.args
        if a.network.effective_mode == "none":
            return
        self.network = PlatformNetwork(
            a.network, self.names, self.resource_group_name, a.location, self.tags, self, self._name
        ).build()
        if not a.network.private_endpoints:
            return
        targets: list[tuple[str, pulumi.Input[str], str, bool]] = [
            ("workspace", self.workspace.id, "amlworkspace", False)
        ]
        manual = a.network.manual_approval
        for subresource in a.network.storage_subresources:
            targets.append(
                (
                    f"storage-{subresource}",
                    self.storage_account_id,
                    subresource,
                    manual and a.storage.existing_id is not None,
                )
            )
        targets.append(("kv", self.key_vault_id, "vault", manual and a.key_vault.existing_id is not None))
        if self.container_registry_id is not None:
            existing = a.container_registry.existing_id is not None
            targets.append(("acr", self.container_registry_id, "registry", manual and existing))
        for target, target_id, group, by_request in targets:
            self.private_endpoints[target] = self.network.endpoint(
                self._name, target, target_id, group, parent=self, manual=by_request, depends_on=[self.workspace]
            )
        self._studio_reader()

    def _studio_reader(self) -> None:
        """With the default storage's public access off, the workspace identity needs Reader on the
        storage endpoints in the users' network for the studio (``how-to-managed-network.md``,
        "Azure Machine Learning studio": both blob and file)."""
        if self.args.storage.public_network_access != "Disabled" or self.args.storage.existing_id is not None:
            return
        principal = self.system_principal_id if self.system_principal_id is not None else self.principal_id
        for group in ("blob", "file"):
            endpoint = self.private_endpoints.get(f"storage-{group}")
            if endpoint is None:
                continue
            self.grants.assign(
                f"{self._name}-ra-pep-storage-{group}-reader",
                scope_key=f"{self._name}:pep-storage-{group}",
                principal_key=f"{self._name}:studio-identity",
                role=BuiltInRole.READER,
                scope=endpoint.id,
                principal_id=principal,
                subscription_id=self.subscription_id,
                description=f"Azure ML workspace identity: Reader on the storage {group} endpoint (studio)",
                parent=self,
            )

    def _outbound(self) -> None:
        """The declared and bundled managed-network outbound rules, after everything else's."""
        ws = self.args.workspace
        for rule in ws.all_outbound_rules():
            self.add_outbound_rule(rule.name, outbound_rule_args(rule))
        if ws.has_fqdn_rules:
            pulumi.log.warn(
                f"FQDN outbound rules deploy an Azure Firewall ({ws.firewall_sku}) in the managed network of "
                f"{self.names.workspace}: it is billed per hour while the workspace exists",
                resource=self,
            )

    def _image_builder(self) -> None:
        """A CPU cluster that builds environment images when the created registry is private:
        Azure ML's default (serverless) build cannot reach a registry behind a network
        (``how-to-managed-network.md``, "Configure image builds"; ``how-to-secure-workspace-vnet.md``:
        "Only a CPU SKU is supported"). The workspace names it at creation, which Azure accepts
        before the compute exists (AVM's "max" test does the same)."""
        if self._image_build_compute is None or self.args.workspace.image_build_compute is not None:
            return
        a = self.args
        ml.Compute(
            f"{self._name}-image-builder",
            ml.ComputeArgs(
                compute_name=self._image_build_compute,
                workspace_name=self.workspace.name,
                resource_group_name=self.resource_group_name,
                location=a.location,
                identity=ml.ManagedServiceIdentityArgs(type="SystemAssigned"),
                properties=ml.AmlComputeArgs(
                    compute_type="AmlCompute",
                    description="Builds environment images: the registry is private",
                    disable_local_auth=True,
                    properties=ml.AmlComputePropertiesArgs(
                        vm_size=a.workspace.image_builder_vm_size,
                        vm_priority="Dedicated",
                        os_type="Linux",
                        scale_settings=ml.ScaleSettingsArgs(
                            min_node_count=0, max_node_count=1, node_idle_time_before_scale_down="PT2M"
                        ),
                        enable_node_public_ip=not self.managed_network,
                        remote_login_port_public_access="Disabled",
                    ),
                ),
                tags=self.tags,
            ),
            opts=pulumi.ResourceOptions(
                parent=self,
                delete_before_replace=True,
                hooks=pulumi.ResourceHookBinding(
                    before_delete=[hooks.delete_compute(f"{self._name}-image-builder-delete")]
                ),
            ),
        )

    def _send_resource_logs(self) -> None:
        options = self.args.diagnostics
        target = options.log_analytics_workspace_id or self.log_analytics_workspace_id
        self.diagnostic_settings: list[pulumi.Resource] = []
        if target is None or not self.args.diagnostics_enabled:
            return
        targets: list[tuple[str, pulumi.Output[str]]] = [("workspace", self.workspace.id)]
        # Dependents brought by id are someone else's to configure.
        if self._created_vault_id is not None:
            targets.append(("kv", self._created_vault_id))
        if self._created_registry_id is not None:
            targets.append(("acr", self._created_registry_id))
        for suffix, resource_id in targets:
            self.diagnostic_settings.append(
                send_resource_logs(
                    f"{self._name}-{suffix}-diag",
                    target_resource_id=resource_id,
                    log_analytics_workspace_id=target,
                    parent=self,
                    destination_type_reads_back=suffix != "kv",
                )
            )

    # -- what others take from the workspace ----------------------------------------------------

    def add_outbound_rule(
        self,
        rule_name: str,
        properties: ml.FqdnOutboundRuleArgs | ml.PrivateEndpointOutboundRuleArgs | ml.ServiceTagOutboundRuleArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> ml.ManagedNetworkSettingsRule:
        """A managed-network outbound rule (an FQDN, a private endpoint, a service tag), queued
        behind the workspace's other rules so the service applies them one at a time. Pulumi name
        ``<workspace>-outbound-<rule name>``."""
        if not self.managed_network:
            raise ConfigError(
                f"MachineLearningWorkspace({self._name!r}).add_outbound_rule",
                rule_name,
                "needs managed network isolation (workspace isolation_mode not Disabled)",
            )
        chain = self.outbound_rules
        rule = ml.ManagedNetworkSettingsRule(
            f"{self._name}-outbound-{rule_name}",
            ml.ManagedNetworkSettingsRuleArgs(
                rule_name=rule_name,
                workspace_name=self.workspace_name,
                resource_group_name=self.resource_group_name,
                properties=properties,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.workspace, *chain.after()]).merge(opts),
        )
        try:
            chain.add(rule_name, rule)
        except ValueError as err:
            raise ConfigError(
                f"MachineLearningWorkspace({self._name!r}).add_outbound_rule", rule_name, str(err)
            ) from None
        return rule

    def use_registry(
        self,
        registry_id: pulumi.Input[str],
        *,
        label: str | None = None,
        workspace_identity: bool = True,
        people: bool = True,
        computes: bool = True,
        regions: Sequence[str] | None = None,
    ) -> RegistryUse:
        """Let this workspace use an Azure ML registry (another stack's, by ARM id): Reader on it for
        the workspace identity, the data scientists and readers of ``access``, and every compute
        identity placed here (before or after this call); and, in ``AllowOnlyApprovedOutbound``,
        the managed network's ``Storage.<region>`` and ``AzureContainerRegistry.<region>`` rules
        (``registry-st-<region>``, ``registry-acr-<region>``) for each of ``regions`` (default: the
        workspace's location), which a public registry's storage and images need. ``label``
        tells two registries' role assignments apart (``<workspace>-ra-registry-<label>-...``).
        Sources and what is unconfirmed: :mod:`pulumi_azureml.workspace.registry_use`."""
        rid = registry_id
        infix = f"registry-{label}" if label else "registry"
        use = RegistryUse(
            prefix=f"{self._name}-ra-{infix}",
            registry_id=rid,
            scope_key=rid if isinstance(rid, str) else f"{self._name}:{infix}",
            grants=self.grants,
            subscription_id=self.subscription_id,
            environment=self.args.environment,
            parent=self,
            computes=computes,
        )
        if workspace_identity:
            identity = self._uai_principal_key if self.args.identity.user_assigned else f"{self._name}:system-identity"
            use.grant("workspace", identity, self.principal_id, "ServicePrincipal", "Azure ML workspace identity")
        for team, who in self.args.access.members() if people else ():
            # Operators manage computes; jobs, models and environments are the data scientists'.
            if team != "operators":
                what = f"{team.replace('_', ' ')} ({self.args.environment})"
                use.grant(f"user-{who.label}", who.principal_id, who.principal_id, who.principal_type, what)
        where = f"MachineLearningWorkspace({self._name!r}).use_registry"
        for i, region in enumerate(regions or []):
            if region not in REGION_ABBREVIATIONS:
                raise ConfigError(
                    f"{where}.regions[{i}]", region, "must be an Azure region as ARM spells it (westeurope)"
                )
        if self.args.workspace.isolation_mode == "AllowOnlyApprovedOutbound":
            for region in regions if regions is not None else [self.args.location]:
                for token, tag in REGISTRY_SERVICE_TAGS:
                    rule_name = registry_outbound_rule_name(token, region)
                    # One rule per tag and region, however many registries ask for it.
                    if rule_name in self._registry_rules:
                        continue
                    if rule_name in self.outbound_rules.names:
                        raise ConfigError(
                            f"{where}.regions", rule_name, "names an outbound rule of yours: rename yours"
                        )
                    self.add_outbound_rule(rule_name, registry_service_tag_rule(tag, region))
                    self._registry_rules.add(rule_name)
        self.access.add_target(use)
        return use

    @property
    def placement(self) -> WorkspacePlacement:
        """What computes and datastores placed on this workspace inherit (``workspace=ws``)."""
        a = self.args
        preview = self.system_principal_id if self.system_principal_id is not None else self.principal_id
        return WorkspacePlacement(
            workspace_name=self.workspace_name,
            resource_group_name=self.resource_group_name,
            location=a.location,
            subscription_id=self.subscription_id,
            managed_network=self.managed_network,
            approved_outbound_only=a.workspace.isolation_mode == "AllowOnlyApprovedOutbound",
            tags=self.tags,
            workload=a.workload,
            environment=a.environment,
            storage_posture=StorageAccountSettings(
                sku=a.storage.sku,
                public_network_access=a.storage.public_network_access,
                blob_soft_delete_days=a.storage.blob_soft_delete_days,
                container_soft_delete_days=a.storage.container_soft_delete_days,
                share_soft_delete_days=a.storage.share_soft_delete_days,
            ),
            preview_principal_id=preview,
            preview_identity=(
                "WorkspaceSystemAssignedIdentity" if a.identity.system_assigned else "WorkspaceUserAssignedIdentity"
            ),
            protect=a.protect,
            workspace_id=self.workspace_arm_id,
            tenant_id=self._tenant_id,
            planned_workspace_id=self._planned_workspace_id,
            storage_account_id=self.storage_account_id,
            identity_storage=a.workspace.system_datastores_auth_mode == "Identity",
            container_registry_id=self.container_registry_id,
            key_vault_id=self.key_vault_id,
            access=self.access,
            role_propagation_seconds=a.identity.role_propagation_seconds,
            outbound_rules=self.outbound_rules,
            network=self.network,
            log_analytics_workspace_id=(
                self.args.diagnostics.log_analytics_workspace_id or self.log_analytics_workspace_id
            ),
            scope_keys={target: self._scope_key(target) for target in ("workspace", "storage", "kv", "acr")},
            hbi_workspace=a.workspace.hbi_workspace,
            preview_principal_key=(
                f"{self._name}:system-identity" if a.identity.system_assigned else self._uai_principal_key
            ),
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
