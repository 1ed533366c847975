"""What a workspace needs to use another stack's Azure ML registry: roles for the workspace identity,
its people and its compute identities, and the managed network's way out to it.

Roles (scope: the registry). Learn: "To let a user only read assets, you can grant the user the
built-in Reader role", and ``registries/assets/read`` "allows the user to browse assets and use the
assets in a workspace" (``how-to-manage-registries.md``): the data scientists and readers who submit
jobs with registry environments and components, or browse its models, get Reader. Learn names no
role for the workspace or compute identities; Reader (read, never write) is derived from the same
permissions and is unconfirmed.

Network. Learn, for a secured workspace and a public registry: "Using assets from registry to a
secure workspace requires configuring outbound access to the registry", listing the service tags
``AzureMachineLearning``, ``Storage.<region>``, ``MicrosoftContainerRegistry.<region>`` and
``AzureContainerRegistry.<region>`` (``how-to-registry-network-isolation.md``). A managed network in
``AllowOnlyApprovedOutbound`` adds ``AzureMachineLearning`` and ``MicrosoftContainerRegistry`` as
required rules itself (``how-to-managed-network.md``, "List of required rules"), so the registry's
storage and container registry are what is missing: one ``Storage.<region>`` and one
``AzureContainerRegistry.<region>`` rule per region the workspace reads the registry in. In
``AllowInternetOutbound`` the internet is open and nothing is added. A private registry needs
private endpoints to it, its storage and its container registry instead (not built here).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_azure_native.machinelearningservices as ml

from ..core.roles import BuiltInRole, Grants
from .access import ComputeConsumer

REGISTRY_READ = BuiltInRole.READER
"""The role people and identities get on a registry they use (see the module docstring)."""

REGISTRY_SERVICE_TAGS = (("st", "Storage"), ("acr", "AzureContainerRegistry"))
"""(rule token, service tag) of what a managed network lacks to reach a public registry."""


def registry_outbound_rule_name(token: str, region: str) -> str:
    """``registry-st-westeurope``: one rule per tag and region, whichever registry asks for it."""
    return f"registry-{token}-{region.lower()}"


def registry_service_tag_rule(tag: str, region: str) -> ml.ServiceTagOutboundRuleArgs:
    """HTTPS to one service tag in one region (``Storage.westeurope``, as Learn writes ``Storage.westus``)."""
    return ml.ServiceTagOutboundRuleArgs(
        type="ServiceTag",
        category="UserDefined",
        destination=ml.ServiceTagDestinationArgs(
            service_tag=f"{tag}.{region.lower()}", protocol="TCP", port_ranges="443", action="Allow"
        ),
    )


@dataclass
class RegistryUse:
    """One registry a workspace uses; grants Reader on it (see
    :meth:`MachineLearningWorkspace.use_registry`)."""

    prefix: str
    """``<workspace>-ra-registry`` or ``<workspace>-ra-registry-<label>``: its grants' Pulumi names."""
    registry_id: pulumi.Input[str]
    scope_key: str
    """The grants registry's key for the registry: its id, or a label while it is an Output."""
    grants: Grants
    subscription_id: pulumi.Input[str]
    environment: str
    parent: pulumi.Resource
    computes: bool

    def grant(
        self, who: str, principal_key: str | None, principal_id: pulumi.Input[str], principal_type: str, what: str
    ) -> pulumi.Resource:
        return self.grants.assign(
            f"{self.prefix}-{who}-{REGISTRY_READ.slug}",
            scope_key=self.scope_key,
            principal_key=principal_key,
            role=REGISTRY_READ,
            scope=self.registry_id,
            principal_id=principal_id,
            principal_type=principal_type,
            subscription_id=self.subscription_id,
            description=f"{what}: Reader on the shared registry",
            parent=self.parent,
        )

    def grant_consumer(self, consumer: ComputeConsumer) -> None:
        if self.computes:
            self.grant(
                f"compute-{consumer.label}",
                f"compute:{consumer.label}",
                consumer.principal_id,
                "ServicePrincipal",
                f"compute {consumer.label} ({self.environment})",
            )
