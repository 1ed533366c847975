"""OnlineEndpoint: an Azure ML online endpoint as infrastructure (its deployments stay downstream).

Children are named ``<name>-endpoint`` and ``<name>-ra-<target>-<role>``. The endpoint's name is
part of its scoring URI and unique per region, so a change replaces it (its deployments go with it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_azure_native.machinelearningservices as ml

from ..core.arm import id_name
from ..core.overrides import build_args
from ..core.roles import BuiltInRole
from ..core.schema import python, validate
from ..core.tokens import component_type
from ..workspace.component import MachineLearningWorkspace
from ..workspace.placement import WorkspacePlacement, resolve_placement
from .args import OnlineEndpointArgs, OnlineEndpointSettings
from .kubernetes import KubernetesCompute

Workspace = MachineLearningWorkspace | WorkspacePlacement

# Fixed at creation (the compute an endpoint runs on, and its identity, cannot change in place).
ENDPOINT_REPLACE_ON_CHANGES = ["endpointName", "properties.compute", "identity"]


def _properties(a: OnlineEndpointSettings) -> ml.OnlineEndpointPropertiesArgs:
    return build_args(
        ml.OnlineEndpointPropertiesArgs,
        {
            "auth_mode": a.effective_auth_mode,
            "compute": a.compute,
            "description": a.description,
            # Kubernetes endpoints are reached through the cluster's router; the SDK still sends its
            # default (Enabled), which the service does not apply to them.
            "public_network_access": a.public_network_access if a.compute is None else None,
        },
        a.overrides,
    )


class OnlineEndpoint(pulumi.ComponentResource):
    """A managed online endpoint (or, with ``compute``, a Kubernetes online endpoint): Entra ID
    authentication and no public network access by default, an identity with what its deployments
    need, and its scoring URI for the connection bundle.

    ``OnlineEndpoint("score", OnlineEndpointArgs(endpoint_name="churn-score"), workspace=ws)``

    Traffic between deployments is downstream's: the endpoint never sends ``traffic``, so a
    ``pulumi up`` that changes only the endpoint's own settings sends no traffic either. Whether the
    service keeps the deployments' traffic on such a PUT is not documented (unconfirmed).
    """

    TYPE = component_type("OnlineEndpoint")

    endpoint: ml.OnlineEndpoint
    endpoint_name: pulumi.Output[str]
    scoring_uri: pulumi.Output[str]
    principal_id: pulumi.Output[str]
    """The endpoint identity's principal id (system- or user-assigned)."""

    def __init__(
        self,
        name: str,
        args: OnlineEndpointSettings | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        *,
        workspace: Workspace | None = None,
        compute: KubernetesCompute | None = None,
    ) -> None:
        spelling = python(f"OnlineEndpoint({name!r})")
        a = validate(
            OnlineEndpointSettings if isinstance(args, OnlineEndpointSettings) else OnlineEndpointArgs, args, spelling
        )
        p = resolve_placement(workspace, a, spelling, needs_subscription=True)
        super().__init__(self.TYPE, name, None, opts)
        self._name, self.settings, self.placement = name, a, p
        uai = a.identity == "UserAssigned"
        grants = self._user_assigned_grants(a, p) if uai else []
        properties = _properties(a)
        needs: list[pulumi.Resource] = [*grants, *([compute.compute] if compute is not None else [])]
        self.endpoint = ml.OnlineEndpoint(
            f"{name}-endpoint",
            ml.OnlineEndpointArgs(
                endpoint_name=a.endpoint_name,
                workspace_name=p.workspace_name,
                resource_group_name=p.resource_group_name,
                location=p.location,
                identity=ml.ManagedServiceIdentityArgs(
                    type=a.identity,
                    user_assigned_identities=[a.user_assigned_identity_id] if a.user_assigned_identity_id else None,
                ),
                properties=properties,
                tags=p.tags_with(a.tags),
            ),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=a.protect,
                depends_on=needs,
                replace_on_changes=ENDPOINT_REPLACE_ON_CHANGES,
                delete_before_replace=True,
            ),
        )
        self.endpoint_name = self.endpoint.name
        self.scoring_uri = self.endpoint.properties.apply(lambda props: props.scoring_uri or "")
        self.principal_id = (
            pulumi.Output.from_input(a.user_assigned_principal_id or "")
            if uai
            else self.endpoint.identity.apply(lambda i: (i.principal_id or "") if i else "")
        )
        self._registry_grants(a, p)
        self.register_outputs(
            {"endpoint_name": self.endpoint_name, "scoring_uri": self.scoring_uri, "principal_id": self.principal_id}
        )

    def _grant(
        self,
        a: OnlineEndpointSettings,
        p: WorkspacePlacement,
        target: str,
        scope: pulumi.Input[str],
        role: BuiltInRole,
        scope_key: str | None,
        principal: pulumi.Input[str],
    ) -> pulumi.Resource:
        principal_key = a.user_assigned_principal_id if isinstance(a.user_assigned_principal_id, str) else None
        return p.access.grants.assign(
            f"{self._name}-ra-{target}-{role.slug}",
            scope_key=scope_key,
            principal_key=principal_key or f"endpoint:{a.endpoint_name.lower()}",
            role=role,
            scope=scope,
            principal_id=principal,
            subscription_id=p.subscription_id or "",
            description=f"online endpoint {a.endpoint_name}: {role.slug} on {target}",
            parent=self,
        )

    def _user_assigned_grants(self, a: OnlineEndpointSettings, p: WorkspacePlacement) -> list[pulumi.Resource]:
        """A user-assigned endpoint identity needs AcrPull on the workspace registry and Storage Blob
        Data Reader on its storage before the endpoint is created; Azure ML grants a system-assigned
        one both itself (how-to-access-resources-from-endpoints-managed-identities.md)."""
        principal = a.user_assigned_principal_id or ""
        out: list[pulumi.Resource] = []
        if p.container_registry_id is not None:
            out.append(
                self._grant(a, p, "acr", p.container_registry_id, BuiltInRole.ACR_PULL, p.scope_key("acr"), principal)
            )
        if p.storage_account_id is not None:
            out.append(
                self._grant(
                    a,
                    p,
                    "storage",
                    p.storage_account_id,
                    BuiltInRole.STORAGE_BLOB_DATA_READER,
                    p.scope_key("storage"),
                    principal,
                )
            )
        return out

    def _registry_grants(self, a: OnlineEndpointSettings, p: WorkspacePlacement) -> None:
        """Reader on each registry the endpoint deploys models from: the endpoint identity reads the
        model there, and Reader is what Learn gives to use a registry's assets without changing them
        (how-to-manage-registries.md; AzureML Registry User would also let it write and delete)."""
        for rid in a.registry_ids:
            label = id_name(rid).lower() if isinstance(rid, str) else "registry"
            self._grant(
                a,
                p,
                f"registry-{label}",
                rid,
                BuiltInRole.READER,
                rid if isinstance(rid, str) else None,
                self.principal_id,
            )

    def bundle_entry(self) -> pulumi.Output[dict[str, Any]]:
        """The endpoint for the connection bundle's ``online_endpoints``."""
        a = self.settings
        return pulumi.Output.all(name=self.endpoint_name, uri=self.scoring_uri).apply(
            lambda v: {
                "name": v["name"],
                "scoring_uri": v["uri"],
                "auth_mode": a.effective_auth_mode,
                "public_network_access": a.public_network_access if a.compute is None else None,
                "compute": a.compute,
            }
        )
