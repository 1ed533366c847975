"""MachineLearningRegistry: an Azure ML registry (models, environments, components shared across
workspaces and regions), its resource group, private endpoints and role assignments.

Who needs which role on the registry (scope: the registry):

- **Use assets** (a job that uses a registry component or environment, a deployment of a registry
  model): Reader. Learn: "To let a user only read assets, grant the user the built-in Reader role"
  (how-to-manage-registries.md, "Add users to the registry"); a custom role needs
  ``registries/read`` and ``registries/assets/read``. :meth:`MachineLearningRegistry.grant_read`.
- **Publish assets** (create, share into, delete): AzureML Registry User, ``registries/read`` and
  ``registries/assets/*`` (built-in roles, "AzureML Registry User": it cannot create, change or
  delete the registry). Learn names it, Owner or Contributor for creating assets from local files
  (how-to-registry-network-isolation.md); Contributor and Owner also manage the registry itself,
  which how-to-manage-registries.md warns about. :meth:`MachineLearningRegistry.grant_publish`.

So a CI principal that promotes models gets ``grant_publish``; a compute identity whose jobs use
registry assets gets ``grant_read`` (``grant_publish`` when its jobs register models into the
registry); a workspace identity gets ``grant_read``, or ``grant_publish`` when assets are shared
from the workspace into the registry. Learn names no role for workspace or compute identities
explicitly: those two are unconfirmed, derived from the permissions above.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi_azure_native.authorization as authorization
import pulumi_azure_native.machinelearningservices as ml
import pulumi_azure_native.resources as resources

from ..core.errors import ConfigError
from ..core.naming import REGION_ABBREVIATIONS, ResourceNames, build_names
from ..core.overrides import build_args
from ..core.roles import BuiltInRole, Grants
from ..core.schema import python, validate
from ..core.tokens import component_type
from ..network.args import NetworkOptions
from ..network.build import PlatformNetwork
from .args import PrincipalType, RegistryArgs, RegistryPrincipal
from .names import registry_name

COMPONENT_TYPE = component_type("MachineLearningRegistry")
PRIVATE_ENDPOINT_GROUP = "amlregistry"
"""The registry's private link group id (private-endpoint-dns.md: subresource ``amlregistry``,
zone ``privatelink.api.azureml.ms``)."""
ACR_SKU = "Premium"
"""The SKU of the system-created container registry: geo-replication to the other regions needs
Premium (Learn's REST example and azurerm send it; see :mod:`.args`)."""
READ_ROLE = BuiltInRole.READER
PUBLISH_ROLE = BuiltInRole.AZUREML_REGISTRY_USER
MANAGED_BY = {"managed-by": "pulumi"}
"""The tag every resource of this package carries (the same as the workspace's)."""


class MachineLearningRegistry(pulumi.ComponentResource):
    """An Azure ML registry with one system-created storage account per region and a Premium
    container registry replicated to every region, in a resource group created or brought by name.

    Children are named ``<name>-<suffix>`` with stable suffixes (``rg``, ``registry``,
    ``pep-mlr``, ``pep-st-<region>``, ``pep-acr``, ``dns-<zone>``, ``ra-<label>-<role>``):
    renaming the component or a child without an alias replaces real infrastructure, and a
    replaced registry loses its assets.
    """

    args: RegistryArgs
    registry: ml.Registry
    registry_name: pulumi.Output[str]
    registry_id: pulumi.Output[str]
    location: pulumi.Output[str]
    resource_group_name: pulumi.Output[str]
    subscription_id: pulumi.Output[str]
    discovery_url: pulumi.Output[str]
    mlflow_registry_uri: pulumi.Output[str]
    managed_resource_group_id: pulumi.Output[str]
    """The service's resource group ``azureml-rg-<registry>_<guid>`` holding the storage and ACR."""
    principal_id: pulumi.Output[str] | None
    """Principal id of the registry's system-assigned identity (None without one)."""
    names: ResourceNames
    tags: dict[str, str]

    def __init__(
        self,
        name: str,
        args: RegistryArgs | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        # Validate first: a bad argument must stop the program before anything is registered.
        a = validate(RegistryArgs, args, python(f"MachineLearningRegistry({name!r})"))
        super().__init__(COMPONENT_TYPE, name, None, opts)
        self.args = a
        self._name = name
        self.names = build_names(a.workload, a.environment, a.location, instance=a.instance)
        self.tags = {"workload": a.workload, "environment": a.environment, **MANAGED_BY, **a.tags}
        self.grants = Grants()
        """The registry's role assignments: one per principal and role."""
        self._grant_names: dict[str, str | None] = {}
        self.network: PlatformNetwork | None = None
        self.private_endpoints: dict[str, pulumi.CustomResource] = {}
        """The private endpoints, by target: ``mlr``, ``st-<region>`` (one per region), ``acr``."""

        client = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self))
        self.subscription_id = client.subscription_id
        self._resource_group()
        self._registry()
        self._private_endpoints()
        for who in a.readers:
            self.grant_read(who.name, who.principal_id, who.principal_type)
        for who in a.publishers:
            self.grant_publish(who.name, who.principal_id, who.principal_type)
        self.register_outputs(self.connection_bundle())

    # -- steps, in the order they are registered ------------------------------------------------

    def _resource_group(self) -> None:
        """Created (``rg-<workload>-<env>-<region>``), or an existing one by name."""
        a = self.args
        if a.resource_group_name is not None:
            self.resource_group_name = pulumi.Output.from_input(a.resource_group_name)
            return
        rg = resources.ResourceGroup(
            f"{self._name}-rg",
            resources.ResourceGroupArgs(
                resource_group_name=self.names.resource_group, location=a.location, tags=self.tags
            ),
            opts=pulumi.ResourceOptions(parent=self, protect=a.protect),
        )
        self.resource_group_name = rg.name

    def _region_details(self) -> list[ml.RegistryRegionArmDetailsArgs]:
        """Every region, primary first, each with a system-created storage account and the
        (replicated) system-created container registry: Azure creates both, never takes existing ones."""
        return [
            ml.RegistryRegionArmDetailsArgs(
                location=location,
                acr_details=[
                    ml.AcrDetailsArgs(
                        system_created_acr_account=ml.SystemCreatedAcrAccountArgs(acr_account_sku=ACR_SKU)
                    )
                ],
                storage_account_details=[
                    ml.StorageAccountDetailsArgs(
                        system_created_storage_account=ml.SystemCreatedStorageAccountArgs(
                            storage_account_type=kind,
                            storage_account_hns_enabled=hns,
                            # The schema's own switch: no anonymous blob reads from asset storage.
                            allow_blob_public_access=False,
                        )
                    )
                ],
            )
            for location, kind, hns in self.args.regions()
        ]

    def _registry(self) -> None:
        a = self.args
        identity_ids = list(a.identity.user_assigned_identity_ids)
        registry_args = build_args(
            ml.RegistryArgs,
            {
                "registry_name": a.name or registry_name(a.workload, a.environment, a.location, instance=a.instance),
                "resource_group_name": self.resource_group_name,
                "location": a.location,
                # azure-native v3 takes the ids as a list and sends them as the ARM map.
                "identity": ml.ManagedServiceIdentityArgs(
                    type=a.identity.type, user_assigned_identities=identity_ids or None
                ),
                "public_network_access": a.effective_public_network_access,
                "region_details": self._region_details(),
                "tags": self.tags,
            },
            a.overrides,
        )
        self.registry = ml.Registry(
            f"{self._name}-registry", registry_args, opts=pulumi.ResourceOptions(parent=self, protect=a.protect)
        )
        r = self.registry
        self.registry_name = r.name
        self.registry_id = r.id
        self.location = pulumi.Output.from_input(a.location)
        self.discovery_url = r.discovery_url.apply(lambda v: v or "")
        self.mlflow_registry_uri = r.ml_flow_registry_uri.apply(lambda v: v or "")
        self.managed_resource_group_id = r.managed_resource_group.apply(lambda g: (g.resource_id or "") if g else "")
        self.principal_id = (
            r.identity.apply(lambda i: (i.principal_id or "") if i else "")
            if "SystemAssigned" in a.identity.type
            else None
        )

    def _private_endpoints(self) -> None:
        """A private endpoint to the registry and, with ``private_endpoint_dependents``, to each
        region's storage (blob) and the container registry, in one subnet: Learn asks for all three
        in the subnet of the workspaces' endpoints (how-to-registry-network-isolation.md, "Use
        assets from registry in workspace")."""
        a = self.args
        if a.private_endpoint_subnet_id is None:
            return
        options = NetworkOptions(
            mode="existing",
            private_endpoint_subnet_id=a.private_endpoint_subnet_id,
            dns=a.dns,
            manual_approval=a.manual_approval,
        )
        self.network = PlatformNetwork(
            options,
            self.names,
            self.resource_group_name,
            a.private_endpoint_location or a.location,
            self.tags,
            self,
            self._name,
            key=f"MachineLearningRegistry({self._name!r})",
        ).build()
        targets: list[tuple[str, pulumi.Input[str], str]] = [("mlr", self.registry_id, PRIVATE_ENDPOINT_GROUP)]
        if a.private_endpoint_dependents:
            for location, _, _ in a.regions():
                targets.append(
                    (f"st-{REGION_ABBREVIATIONS[location]}", self._system_account(location, "storage"), "blob")
                )
            targets.append(("acr", self._system_account(a.location, "acr"), "registry"))
        for target, target_id, group in targets:
            self.private_endpoints[target] = self.network.endpoint(
                self._name, target, target_id, group, parent=self, manual=a.manual_approval, depends_on=[self.registry]
            )

    def _system_account(self, location: str, kind: str) -> pulumi.Output[str]:
        """The ARM id of the storage account (or container registry) the service created for a
        region, once the registry reports it (``regionDetails[].…Details[0].…armResourceId``)."""
        registry = self._name

        def find(regions: Sequence[Any] | None) -> str:
            for region in regions or []:
                if str(region.location or "").replace(" ", "").lower() != location:
                    continue
                details = (region.storage_account_details if kind == "storage" else region.acr_details) or []
                for detail in details:
                    made = (
                        detail.system_created_storage_account
                        if kind == "storage"
                        else detail.system_created_acr_account
                    )
                    if made is not None and made.arm_resource_id is not None and made.arm_resource_id.resource_id:
                        return str(made.arm_resource_id.resource_id)
            raise pulumi.RunError(f"registry {registry}: Azure reports no system-created {kind} account in {location}")

        return self.registry.region_details.apply(find)

    # -- what others take from the registry -----------------------------------------------------

    def grant_read(
        self, name: str, principal_id: pulumi.Input[str], principal_type: PrincipalType = "ServicePrincipal"
    ) -> authorization.RoleAssignment:
        """Reader on the registry for ``principal_id``: list the registry and use its assets in a
        workspace (jobs, pipelines, deployments). Pulumi name ``<registry>-ra-<name>-reader``."""
        return self._grant("grant_read", name, principal_id, principal_type, READ_ROLE)

    def grant_publish(
        self, name: str, principal_id: pulumi.Input[str], principal_type: PrincipalType = "ServicePrincipal"
    ) -> authorization.RoleAssignment:
        """AzureML Registry User on the registry for ``principal_id``: read, create and delete
        assets, never change or delete the registry. Pulumi name
        ``<registry>-ra-<name>-azureml-registry-user``."""
        return self._grant("grant_publish", name, principal_id, principal_type, PUBLISH_ROLE)

    def _grant(
        self, method: str, name: str, principal_id: pulumi.Input[str], principal_type: str, role: BuiltInRole
    ) -> authorization.RoleAssignment:
        where = f"MachineLearningRegistry({self._name!r}).{method}"
        who = validate(
            RegistryPrincipal,
            {"name": name, "principal_id": principal_id, "principal_type": principal_type},
            python(where),
        )
        resource_name = f"{self._name}-ra-{who.name}-{role.slug}"
        principal_key = who.principal_id.lower() if isinstance(who.principal_id, str) else None
        if resource_name in self._grant_names and (
            principal_key is None or self._grant_names[resource_name] != principal_key
        ):
            raise ConfigError(
                f"{where}.name",
                who.name,
                f"already names another principal's {role.slug} grant; give each its own name",
            )
        self._grant_names[resource_name] = principal_key
        return self.grants.assign(
            resource_name,
            scope_key=f"{self._name}:registry",
            principal_key=principal_key,
            role=role,
            scope=self.registry_id,
            principal_id=who.principal_id,
            principal_type=who.principal_type,
            subscription_id=self.subscription_id,
            description=f"Azure ML registry ({self.args.environment}): {role.slug} for {who.name}",
            parent=self,
        )

    def connection_bundle(self) -> dict[str, pulumi.Input[str] | None]:
        """What a workspace stack or azure-ai-ml code needs to reach the registry
        (``MLClient(registry_name=..., registry_location=...)``, ``azureml://registries/<name>/...``)."""
        return {
            "registry_name": self.registry_name,
            "registry_location": self.location,
            "registry_arm_id": self.registry_id,
            "registry_resource_group_name": self.resource_group_name,
            "registry_subscription_id": self.subscription_id,
            "registry_discovery_url": self.discovery_url,
            "registry_mlflow_uri": self.mlflow_registry_uri,
        }
