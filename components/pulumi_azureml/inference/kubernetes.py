"""KubernetesCompute: an AKS cluster (or an existing AKS or Arc cluster) with the Azure ML extension,
attached to a workspace as ``Kubernetes`` compute, the inference cluster Microsoft recommends over
the legacy AKS compute (``how-to-attach-kubernetes-anywhere.md``).

Children are named ``<name>-aks`` (the cluster), ``-aks-identity`` and ``-ra-aks-subnet-network-contributor``
(a cluster in the platform's subnet), ``-extension``, ``-namespace``, ``-trusted-access``,
``-compute`` and ``-ra-<principal>-<target>-<role>``: renaming any without an alias replaces it.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_azure_native.containerservice as containerservice
import pulumi_azure_native.kubernetesconfiguration as kubernetesconfiguration
import pulumi_azure_native.machinelearningservices as ml
import pulumi_azure_native.managedidentity as managedidentity

from ..core.arm import id_name, id_scope
from ..core.errors import ConfigError
from ..core.naming import REGION_ABBREVIATIONS, NamingError, validate_name
from ..core.overrides import as_resource_kwargs, build_args
from ..core.roles import BuiltInRole
from ..core.schema import python, validate
from ..core.tokens import component_type
from ..lifecycle import hooks
from ..workspace.access import ComputeConsumer
from ..workspace.component import MachineLearningWorkspace
from ..workspace.placement import WorkspacePlacement, resolve_placement
from .args import AKS_NAME_RULE, InstanceType, KubernetesComputeArgs, KubernetesComputeSettings, NodePool

Workspace = MachineLearningWorkspace | WorkspacePlacement

EXTENSION_TYPE = "Microsoft.AzureML.Kubernetes"
RELEASE_NAMESPACE = "azureml"
"""The extension always installs into this namespace (the CLI forces it)."""
TRUSTED_ACCESS_ROLE = "Microsoft.MachineLearningServices/workspaces/mlworkload"
"""AKS Trusted Access role of an Azure ML workspace (trusted-access-feature.md)."""

# What Azure fixes when a compute is attached: a change re-attaches it (delete, then create).
KUBERNETES_REPLACE_ON_CHANGES = [
    "properties.computeType",
    "properties.resourceId",
    "properties.properties.namespace",
    "identity",
]


def extension_settings(
    a: KubernetesComputeSettings, cluster_id: str, cluster_name: str, location: str
) -> dict[str, str]:
    """The configuration settings ``az k8s-extension create`` sends for the Azure ML extension.

    Read from the CLI's own ``azext_k8s_extension/partner_extensions/AzureMLKubernetes.py``: it fills
    ``clusterId`` and the Prometheus cluster label from the cluster id, location, domain and
    ``jobSchedulerLocation`` from its region, turns service bus and relay off (relay on Arc), nginx
    ingress on for AKS, and maps the router settings to ``scoringFe.*`` keys. ARM gets no CLI, so
    this component sends the same settings itself.
    """
    e = a.extension
    arc = a.on_arc
    out: dict[str, str] = {
        "enableTraining": str(e.enable_training),
        "enableInference": str(e.enable_inference),
        "allowInsecureConnections": str(e.allow_insecure_connections),
        "clusterPurpose": e.cluster_purpose,
        "installNvidiaDevicePlugin": str(e.install_nvidia_device_plugin),
        "clusterId": cluster_id,
        "prometheus.prometheusSpec.externalLabels.cluster_name": cluster_id,
        "cluster_name_friendly": cluster_name,
        "location": location,
        "jobSchedulerLocation": location,
        "domain": f"{location}.cloudapp.azure.com",
        "servicebus.enabled": "false",
        "relayserver.enabled": "true" if arc else "false",
        "nginxIngress.enabled": "false" if arc else "true",
    }
    if e.enable_inference:
        out["inferenceRouterServiceType"] = e.router_service_type
        out["inferenceRouterHA"] = str(e.router_high_availability)
        if e.router_service_type == "NodePort":
            out["scoringFe.serviceType.nodePort"] = "true"
        if e.internal_load_balancer:
            out["internalLoadBalancerProvider"] = "azure"
            out["scoringFe.serviceType.internalLoadBalancer"] = "true"
        if e.tls is not None and not e.allow_insecure_connections:
            out["sslCname"] = e.tls.cname
            if e.tls.secret_name is not None:
                out["sslSecret"] = e.tls.secret_name
                out["scoringFe.sslSecret"] = e.tls.secret_name
    return {**out, **e.settings}


def _pem(value: pulumi.Input[str]) -> pulumi.Output[str]:
    return pulumi.Output.secret(pulumi.Output.from_input(value).apply(lambda v: base64.b64encode(v.encode()).decode()))


def _instance_types(types: Mapping[str, InstanceType]) -> dict[str, ml.InstanceTypeSchemaArgs]:
    out: dict[str, ml.InstanceTypeSchemaArgs] = {}
    for name, t in types.items():
        limits = {"cpu": t.cpu_limit or t.cpu, "memory": t.memory_limit or t.memory}
        if t.gpu:
            limits["nvidia.com/gpu"] = str(t.gpu)
        out[name] = ml.InstanceTypeSchemaArgs(
            node_selector=dict(t.node_selector) or None,
            resources=ml.InstanceTypeSchemaResourcesArgs(requests={"cpu": t.cpu, "memory": t.memory}, limits=limits),
        )
    return out


def _pool(name: str, pool: NodePool, mode: str, subnet: pulumi.Input[str] | None, dedicated: bool = False) -> Any:
    return containerservice.ManagedClusterAgentPoolProfileArgs(
        name=name,
        mode=mode,
        vm_size=pool.vm_size,
        enable_auto_scaling=True,
        count=pool.min_nodes,
        min_count=pool.min_nodes,
        max_count=pool.max_nodes,
        availability_zones=list(pool.availability_zones) or None,
        os_type="Linux",
        os_sku="AzureLinux",
        os_disk_type=pool.os_disk_type,
        enable_encryption_at_host=pool.encryption_at_host or None,
        enable_node_public_ip=False,
        vnet_subnet_id=subnet,
        type="VirtualMachineScaleSets",
        node_taints=["CriticalAddonsOnly=true:NoSchedule"] if dedicated else None,
    )


def _security_profile(defender: bool, workspace_id: pulumi.Input[str] | None) -> Any:
    """Workload identity, the image cleaner and, with a Log Analytics workspace, Defender for Containers."""
    return containerservice.ManagedClusterSecurityProfileArgs(
        workload_identity=containerservice.ManagedClusterSecurityProfileWorkloadIdentityArgs(enabled=True),
        image_cleaner=containerservice.ManagedClusterSecurityProfileImageCleanerArgs(enabled=True, interval_hours=168),
        defender=(
            containerservice.ManagedClusterSecurityProfileDefenderArgs(
                log_analytics_workspace_resource_id=workspace_id,
                security_monitoring=containerservice.ManagedClusterSecurityProfileDefenderSecurityMonitoringArgs(
                    enabled=True
                ),
            )
            if defender and workspace_id is not None
            else None
        ),
    )


def _cluster_args(
    a: KubernetesComputeSettings, p: WorkspacePlacement, cluster_name: str, pools: list[Any], identity: Any
) -> containerservice.ManagedClusterArgs:
    """The cluster: Entra ID with Azure RBAC, the API server's access, Cilium network policy, workload
    identity, Defender, the Azure Policy add-on and automatic upgrades, with the escape hatch on top."""
    c = a.cluster
    defender_target = c.log_analytics_workspace_id or p.log_analytics_workspace_id
    return build_args(
        containerservice.ManagedClusterArgs,
        {
            "resource_name": cluster_name,
            "resource_group_name": p.resource_group_name,
            "location": p.location,
            "dns_prefix": cluster_name[:54].rstrip("-_"),
            "kubernetes_version": c.kubernetes_version,
            "sku": containerservice.ManagedClusterSKUArgs(name="Base", tier=c.sku_tier),
            "identity": identity,
            "enable_rbac": True,
            # Azure ML does not support local accounts disabled (how-to-deploy-kubernetes-extension).
            "disable_local_accounts": False,
            "aad_profile": containerservice.ManagedClusterAADProfileArgs(
                managed=True,
                enable_azure_rbac=True,
                admin_group_object_ids=list(c.admin_group_object_ids) or None,
                tenant_id=p.tenant_id,
            ),
            "agent_pool_profiles": pools,
            "api_server_access_profile": containerservice.ManagedClusterAPIServerAccessProfileArgs(
                enable_private_cluster=c.private_api_server,
                # AKS adds a public FQDN to a private cluster by default; Azure ML does not support a
                # private cluster reached by a public FQDN (how-to-secure-kubernetes-inferencing-environment.md).
                enable_private_cluster_public_fqdn=False if c.private_api_server else None,
                authorized_ip_ranges=list(c.authorized_ip_ranges) or None,
            ),
            "network_profile": containerservice.ContainerServiceNetworkProfileArgs(
                network_plugin="azure",
                network_plugin_mode="overlay",
                network_dataplane="cilium",
                network_policy="cilium",
                load_balancer_sku="standard",
            ),
            "oidc_issuer_profile": containerservice.ManagedClusterOIDCIssuerProfileArgs(enabled=True),
            "security_profile": _security_profile(c.defender, defender_target),
            "addon_profiles": {"azurepolicy": containerservice.ManagedClusterAddonProfileArgs(enabled=c.azure_policy)},
            "auto_upgrade_profile": containerservice.ManagedClusterAutoUpgradeProfileArgs(
                upgrade_channel=c.upgrade_channel, node_os_upgrade_channel=c.node_os_upgrade_channel
            ),
            "tags": p.tags_with(a.tags),
        },
        c.overrides,
    )


class KubernetesCompute(pulumi.ComponentResource):
    """A Kubernetes compute for inference (and, optionally, training): by default an AKS cluster with
    Entra ID and Azure RBAC, a private API server, autoscaling system and user pools, workload
    identity, Defender and the Azure Policy add-on, in the platform network's Kubernetes subnet; the
    Azure ML extension with HTTPS routing on an internal load balancer; the namespace; and the
    attach. ``cluster_id`` attaches an existing AKS or Arc cluster instead.

    ``KubernetesCompute("inference", KubernetesComputeArgs(compute_name="aks-inference", extension=...), workspace=ws)``
    """

    TYPE = component_type("KubernetesCompute")

    compute: ml.Compute
    compute_name: pulumi.Output[str]
    cluster_id: pulumi.Output[str]
    principal_id: pulumi.Output[str]
    """Principal id of the compute's system-assigned identity (what pulls images and reads models)."""
    cluster: containerservice.ManagedCluster | None
    extension: kubernetesconfiguration.Extension | None

    def __init__(
        self,
        name: str,
        args: KubernetesComputeSettings | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
        *,
        workspace: Workspace | None = None,
    ) -> None:
        spelling = python(f"KubernetesCompute({name!r})")
        a = validate(
            KubernetesComputeSettings if isinstance(args, KubernetesComputeSettings) else KubernetesComputeArgs,
            args,
            spelling,
        )
        p = resolve_placement(workspace, a, spelling, needs_subscription=True)
        cluster_name = self._cluster_name(a, p, spelling.key("cluster.name"))
        if p.managed_network and a.creates_cluster:
            # Unconfirmed whether the extension works from a managed network's computes' view; the
            # cluster lives in a network of yours either way, as Azure ML documents for Kubernetes.
            pulumi.log.debug(f"KubernetesCompute {name}: the cluster runs outside the workspace's managed network")
        super().__init__(self.TYPE, name, None, opts)
        self._name, self.placement, self.settings = name, p, a
        self.cluster = None
        self.extension = None
        needs: list[pulumi.Resource] = []
        if a.creates_cluster:
            self.cluster = self._aks(a, p, cluster_name)
            self.cluster_id = self.cluster.id
            cluster_group: pulumi.Input[str] = p.resource_group_name
            cluster_resource_name: pulumi.Input[str] = self.cluster.name
            self._warn_cost(a)
            self._warn_tls_secret(a)
        else:
            cid = pulumi.Output.from_input(a.cluster_id or "")
            self.cluster_id = cid
            cluster_group = id_scope(cid, "resource_group")
            cluster_resource_name = id_name(cid)
        if a.extension.install:
            self.extension = self._extension(a, p, cluster_group, cluster_resource_name, cluster_name)
            needs.append(self.extension)
        namespace = self._namespace(a, p, cluster_group, cluster_resource_name)
        if namespace is not None:
            needs.append(namespace)
        trusted = self._trusted_access(a, p, cluster_group, cluster_resource_name)
        if trusted is not None:
            needs.append(trusted)
        needs += self._workspace_roles(a, p)
        self.compute = self._attach(name, a, p, needs)
        self.compute_name = self.compute.name
        self.principal_id = self.compute.identity.apply(lambda i: (i.principal_id or "") if i else "")
        self._compute_access(a, p)
        self.register_outputs(
            {"compute_name": self.compute_name, "cluster_id": self.cluster_id, "principal_id": self.principal_id}
        )

    def _attach(
        self, name: str, a: KubernetesComputeSettings, p: WorkspacePlacement, needs: list[pulumi.Resource]
    ) -> ml.Compute:
        """The ``Kubernetes`` compute, after the extension, namespace, Trusted Access and roles it needs."""
        return ml.Compute(
            f"{name}-compute",
            ml.ComputeArgs(
                compute_name=a.compute_name,
                workspace_name=p.workspace_name,
                resource_group_name=p.resource_group_name,
                location=p.location,
                # One identity, system-assigned: Kubernetes computes take one system- or one user-assigned
                # identity, not both (how-to-identity-based-service-authentication.md, "Kubernetes Cluster Compute").
                identity=ml.ManagedServiceIdentityArgs(type="SystemAssigned"),
                properties=ml.KubernetesArgs(
                    compute_type="Kubernetes",
                    resource_id=self.cluster_id,
                    description=a.description,
                    disable_local_auth=True,
                    properties=build_args(
                        ml.KubernetesPropertiesArgs,
                        {
                            "namespace": a.namespace,
                            "default_instance_type": a.default_instance_type or next(iter(a.instance_types)),
                            "instance_types": _instance_types(a.instance_types),
                        },
                        a.overrides,
                    ),
                ),
                tags=p.tags_with(a.tags),
            ),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=a.protect,
                depends_on=needs,
                replace_on_changes=KUBERNETES_REPLACE_ON_CHANGES,
                delete_before_replace=True,
                hooks=pulumi.ResourceHookBinding(before_delete=[hooks.delete_compute(f"{name}-compute-delete")]),
            ),
        )

    # -- the cluster -------------------------------------------------------------------------------

    @staticmethod
    def _cluster_name(a: KubernetesComputeSettings, p: WorkspacePlacement, key: str) -> str:
        if a.cluster.name is not None or not a.creates_cluster:
            return a.cluster.name or ""
        if p.workload is None or p.environment is None or not isinstance(p.location, str):
            raise ConfigError(key, None, "is required without workspace= (the default name needs the workload)")
        region = REGION_ABBREVIATIONS.get(p.location, p.location)
        try:
            return validate_name(AKS_NAME_RULE, f"aks-{p.workload}-{p.environment}-{region}-{a.compute_name.lower()}")
        except NamingError as err:
            raise ConfigError(key, err.value, err.rule) from None

    def _aks_identity(
        self, a: KubernetesComputeSettings, p: WorkspacePlacement, cluster_name: str, subnet: pulumi.Input[str] | None
    ) -> tuple[Any, list[pulumi.Resource]]:
        """The cluster's identity: system-assigned, or in a subnet of yours a user-assigned one with
        Network Contributor on the subnet before the cluster exists."""
        identity = containerservice.ManagedClusterIdentityArgs(
            type=containerservice.ResourceIdentityType.SYSTEM_ASSIGNED
        )
        waits: list[pulumi.Resource] = []
        if subnet is not None:
            # A cluster in a subnet of yours manages its load balancers there: its control-plane identity
            # needs Network Contributor on the subnet before the cluster exists, which only a user-assigned
            # identity can have (aks/configure-azure-cni.md, "Prerequisites"; use-managed-identity.md).
            uai = managedidentity.UserAssignedIdentity(
                f"{self._name}-aks-identity",
                opts=pulumi.ResourceOptions(parent=self),
                **as_resource_kwargs(
                    managedidentity.UserAssignedIdentityArgs(
                        resource_name=f"id-{cluster_name}"[:128],
                        resource_group_name=p.resource_group_name,
                        location=p.location,
                        tags=p.tags_with(a.tags),
                    )
                ),
            )
            identity = containerservice.ManagedClusterIdentityArgs(
                type=containerservice.ResourceIdentityType.USER_ASSIGNED, user_assigned_identities=[uai.id]
            )
            waits.append(
                p.access.grants.assign(
                    f"{self._name}-ra-aks-subnet-{BuiltInRole.NETWORK_CONTRIBUTOR.slug}",
                    scope_key=None,
                    principal_key=None,
                    role=BuiltInRole.NETWORK_CONTRIBUTOR,
                    scope=subnet,
                    principal_id=uai.principal_id,
                    subscription_id=p.subscription_id or "",
                    description=f"AKS {cluster_name}: load balancers in its subnet",
                    parent=self,
                )
            )
        return identity, waits

    def _aks(self, a: KubernetesComputeSettings, p: WorkspacePlacement, cluster_name: str) -> Any:
        c = a.cluster
        network = p.network
        subnet = c.subnet_id or (network.subnet_ids.get("aks") if network is not None else None)
        identity, waits = self._aks_identity(a, p, cluster_name, subnet)
        # The system pool also runs the extension's router and agents (see dedicated_system_pool).
        dedicated = c.dedicated_system_pool and c.user_pool is not None
        pools = [_pool("system", c.system_pool, "System", subnet, dedicated=dedicated)]
        if c.user_pool is not None:
            pools.append(_pool("user", c.user_pool, "User", subnet))
        cluster_args = _cluster_args(a, p, cluster_name, pools, identity)
        return containerservice.ManagedCluster(
            f"{self._name}-aks",
            opts=pulumi.ResourceOptions(parent=self, protect=a.protect, depends_on=waits),
            **as_resource_kwargs(cluster_args),
        )

    def _warn_cost(self, a: KubernetesComputeSettings) -> None:
        c = a.cluster
        always = c.min_nodes()
        sizes = c.system_pool.vm_size + (f" / {c.user_pool.vm_size}" if c.user_pool else "")
        tier = "" if c.sku_tier == "Free" else f", plus the {c.sku_tier} tier's control-plane fee per cluster hour"
        pulumi.log.warn(
            f"Kubernetes compute {a.compute_name}: the AKS cluster keeps {always} node(s) running ({sizes}) and "
            f"bills them every hour it exists, deployments or not{tier}; lower the pools' minNodes to pay less",
            resource=self,
        )

    def _warn_tls_secret(self, a: KubernetesComputeSettings) -> None:
        """The router mounts its TLS secret from the ``azureml`` namespace, which Learn has you create
        before the extension ("After you save the secret in your cluster, you can use ... sslSecret",
        how-to-secure-kubernetes-online-endpoint.md); a cluster created in this stack cannot hold it yet."""
        tls = a.extension.tls
        if a.extension.install and tls is not None and tls.secret_name is not None:
            pulumi.log.warn(
                f"Kubernetes compute {a.compute_name}: the router's TLS secret {tls.secret_name} must exist in the "
                "azureml namespace before the extension installs, and this stack creates the cluster: deploy in two "
                "steps (README, Inference: first deployment), or give tls.certificatePem and tls.keyPem as secrets",
                resource=self,
            )

    # -- the extension, namespace and access ------------------------------------------------------

    def _extension(
        self,
        a: KubernetesComputeSettings,
        p: WorkspacePlacement,
        group: pulumi.Input[str],
        cluster_resource_name: pulumi.Input[str],
        cluster_name: str,
    ) -> kubernetesconfiguration.Extension:
        e = a.extension
        location = pulumi.Output.from_input(p.location)
        settings = pulumi.Output.all(self.cluster_id, pulumi.Output.from_input(cluster_resource_name), location).apply(
            lambda v: extension_settings(a, str(v[0]), cluster_name or str(v[1]), str(v[2]))
        )
        protected: dict[str, pulumi.Input[str]] | None = None
        if e.tls is not None and e.tls.certificate_pem is not None and e.tls.key_pem is not None:
            protected = {"scoringFe.sslCert": _pem(e.tls.certificate_pem), "scoringFe.sslKey": _pem(e.tls.key_pem)}
        return kubernetesconfiguration.Extension(
            f"{self._name}-extension",
            kubernetesconfiguration.ExtensionArgs(
                cluster_rp="Microsoft.Kubernetes" if a.on_arc else "Microsoft.ContainerService",
                cluster_resource_name="connectedClusters" if a.on_arc else "managedClusters",
                cluster_name=cluster_resource_name,
                resource_group_name=group,
                extension_name=e.name,
                extension_type=EXTENSION_TYPE,
                auto_upgrade_minor_version=e.auto_upgrade_minor_version,
                release_train=e.release_train,
                scope=kubernetesconfiguration.ScopeArgs(
                    cluster=kubernetesconfiguration.ScopeClusterArgs(release_namespace=RELEASE_NAMESPACE)
                ),
                configuration_settings=settings,
                configuration_protected_settings=protected,
                # Arc extensions get their own identity; on AKS the cluster assigns one.
                identity=kubernetesconfiguration.IdentityArgs(
                    type=kubernetesconfiguration.ResourceIdentityType.SYSTEM_ASSIGNED
                )
                if a.on_arc
                else None,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.cluster] if self.cluster else []),
        )

    def _namespace(
        self,
        a: KubernetesComputeSettings,
        p: WorkspacePlacement,
        group: pulumi.Input[str],
        cluster_resource_name: pulumi.Input[str],
    ) -> pulumi.Resource | None:
        """The compute's namespace, which Azure ML needs before the attach (how-to-attach-kubernetes-to-
        workspace.md: "should be previously created in your cluster"), as an AKS managed namespace
        (ARM, API 2025-09-01). ``default`` exists already; on Arc the namespace is yours to create."""
        if a.namespace == "default" or a.on_arc:
            return None
        return containerservice.ManagedNamespace(
            f"{self._name}-namespace",
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.cluster] if self.cluster else []),
            **as_resource_kwargs(
                containerservice.ManagedNamespaceArgs(
                    resource_group_name=group,
                    resource_name=cluster_resource_name,
                    managed_namespace_name=a.namespace,
                    location=p.location,
                    properties=containerservice.NamespacePropertiesArgs(
                        # Take over a namespace that exists with the same settings; keep it when the compute goes.
                        adoption_policy="IfIdentical",
                        delete_policy="Keep",
                        labels={"managed-by": "pulumi"},
                        # A managed namespace admits only its own namespace's traffic by default
                        # (concepts-managed-namespaces.md); the router (azureml-fe) serves from the
                        # extension's azureml namespace, so deployments here must take its calls.
                        default_network_policy=containerservice.NetworkPoliciesArgs(
                            ingress="AllowAll", egress="AllowAll"
                        ),
                    ),
                    tags=p.tags_with(a.tags),
                )
            ),
        )

    def _trusted_access(
        self,
        a: KubernetesComputeSettings,
        p: WorkspacePlacement,
        group: pulumi.Input[str],
        cluster_resource_name: pulumi.Input[str],
    ) -> pulumi.Resource | None:
        """Azure ML reaches a private (or IP-restricted) API server through AKS Trusted Access."""
        c = a.cluster
        if not a.creates_cluster or not (c.private_api_server or c.authorized_ip_ranges):
            return None
        if p.workspace_id is None:
            raise ConfigError(
                f"KubernetesCompute({self._name!r}).cluster.private_api_server",
                True,
                "needs the workspace's id for the Trusted Access role binding: place the compute with workspace=",
            )
        return containerservice.TrustedAccessRoleBinding(
            f"{self._name}-trusted-access",
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.cluster] if self.cluster else []),
            **as_resource_kwargs(
                containerservice.TrustedAccessRoleBindingArgs(
                    resource_group_name=group,
                    resource_name=cluster_resource_name,
                    trusted_access_role_binding_name=f"aml-{a.compute_name.lower()}"[:24].rstrip("-"),
                    roles=[TRUSTED_ACCESS_ROLE],
                    source_resource_id=p.workspace_id,
                )
            ),
        )

    def _workspace_roles(self, a: KubernetesComputeSettings, p: WorkspacePlacement) -> list[pulumi.Resource]:
        """A workspace with a user-assigned identity needs Reader, Kubernetes Extension Contributor and
        Azure Kubernetes Service Cluster Admin Role on the cluster before the attach; a system-assigned
        one is granted them by Azure ML (how-to-attach-kubernetes-to-workspace.md, "Attach to workspace
        with user-assigned managed identity")."""
        if p.preview_identity != "WorkspaceUserAssignedIdentity" or p.preview_principal_id is None or a.on_arc:
            return []
        roles = (BuiltInRole.READER, BuiltInRole.KUBERNETES_EXTENSION_CONTRIBUTOR, BuiltInRole.AKS_CLUSTER_ADMIN)
        return [
            p.access.grants.assign(
                f"{self._name}-ra-workspace-aks-{role.slug}",
                scope_key=a.cluster_id if isinstance(a.cluster_id, str) else f"{self._name}:aks",
                principal_key=p.preview_principal_key,
                role=role,
                scope=self.cluster_id,
                principal_id=p.preview_principal_id,
                subscription_id=p.subscription_id or "",
                description=f"Azure ML workspace identity: {role.slug} on the Kubernetes cluster of {a.compute_name}",
                parent=self,
                depends_on=[self.cluster] if self.cluster else [],
            )
            for role in roles
        ]

    def _compute_access(self, a: KubernetesComputeSettings, p: WorkspacePlacement) -> None:
        """The compute identity pulls inference images and reads model artifacts (Architecture Center,
        "Baseline Azure Machine Learning online inference", Identity and access: AcrPull on the
        registry, Storage Blob Data Reader on the workspace storage); training writes, so it gets
        Blob Data Contributor and the workspace's identity datastores instead."""
        label = f"k8s:{a.compute_name.lower()}"
        storage_role = (
            BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR
            if a.extension.enable_training
            else BuiltInRole.STORAGE_BLOB_DATA_READER
        )
        targets: list[tuple[str, pulumi.Input[str] | None, BuiltInRole]] = [
            ("acr", p.container_registry_id, BuiltInRole.ACR_PULL),
            ("storage", p.storage_account_id, storage_role),
        ]
        if p.hbi_workspace:
            # Learn (how-to-secure-kubernetes-inferencing-environment.md): "When attaching AKS cluster to
            # an HBI workspace, assign a system-assigned managed identity with both Storage Blob Data
            # Contributor and Storage Account Contributor roles."
            targets += [
                ("storage", p.storage_account_id, BuiltInRole.STORAGE_BLOB_DATA_CONTRIBUTOR),
                ("storage", p.storage_account_id, BuiltInRole.STORAGE_ACCOUNT_CONTRIBUTOR),
            ]
        for target, scope, role in targets:
            if scope is None:
                continue
            p.access.grants.assign(
                f"{self._name}-ra-compute-{target}-{role.slug}",
                scope_key=p.scope_key(target),
                principal_key=label,
                role=role,
                scope=scope,
                principal_id=self.principal_id,
                subscription_id=p.subscription_id or "",
                description=f"Kubernetes compute {a.compute_name}: {role.slug} on {target}",
                parent=self,
            )
        if a.extension.enable_training:
            p.access.add_consumer(
                ComputeConsumer(label=a.compute_name.lower(), principal_id=self.principal_id, datastores=None)
            )

    def bundle_entry(self) -> pulumi.Output[str]:
        """The compute's name, for the connection bundle's ``kubernetes_computes``."""
        return self.compute_name
