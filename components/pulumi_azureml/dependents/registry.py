"""The workspace's container registry: created, brought by id, or none."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

import pulumi
import pulumi_azure_native.containerregistry as containerregistry
from pydantic import model_validator

from ..core.naming import CONTAINER_REGISTRY_RULE
from ..core.overrides import build_args
from ..core.schema import Args, fail
from ..core.types import ContainerRegistryId, OverridesOf, PublicNetworkAccess, name_rule

RegistryMode = Literal["create", "existing", "none"]


class ContainerRegistryOptions(Args):
    """The workspace's container registry: created, brought by id, or none."""

    mode: RegistryMode | None = None
    """``create``, ``existing`` (with ``existing_id``) or ``none``: Azure ML then creates a registry
    itself on the first image build, outside this stack. Default ``existing`` when ``existing_id``
    is given, else ``create``."""
    existing_id: ContainerRegistryId | None = None
    """ARM id of an existing registry."""
    name: Annotated[str, name_rule(CONTAINER_REGISTRY_RULE)] | None = None
    """Registry name. Default ``cr<workload><env><suffix>`` (see Naming)."""
    sku: Literal["Basic", "Standard", "Premium"] = "Premium"
    """Premium is needed for private endpoints (and so for a managed network that allows only
    approved outbound) and to disable public access."""
    public_network_access: PublicNetworkAccess = "Disabled"
    """Public endpoint; ``Disabled`` needs Premium."""
    overrides: Annotated[dict[str, Any], OverridesOf(containerregistry.RegistryArgs)] = {}
    """Escape hatch: keyword arguments for ``containerregistry.RegistryArgs``."""

    @property
    def effective_mode(self) -> RegistryMode:
        return self.mode or ("existing" if self.existing_id is not None else "create")

    @model_validator(mode="after")
    def _combinations(self) -> ContainerRegistryOptions:
        mode = self.effective_mode
        if mode == "existing" and self.existing_id is None:
            fail("existing_id", None, "is required when mode is existing")
        if mode != "existing" and self.existing_id is not None:
            fail("existing_id", self.existing_id, f"is only used with mode existing, not {mode}")
        if mode == "create" and self.public_network_access == "Disabled" and self.sku != "Premium":
            fail("sku", self.sku, "disabling public network access on a registry needs the Premium SKU")
        return self


def create_registry(
    resource_name: str,
    *,
    registry_name: str,
    resource_group_name: pulumi.Input[str],
    location: pulumi.Input[str],
    options: ContainerRegistryOptions,
    tags: Mapping[str, str],
    parent: pulumi.Resource,
    protect: bool,
) -> containerregistry.Registry:
    return containerregistry.Registry(
        resource_name,
        build_args(
            containerregistry.RegistryArgs,
            {
                "registry_name": registry_name,
                "resource_group_name": resource_group_name,
                "location": location,
                "sku": containerregistry.SkuArgs(name=options.sku),
                "admin_user_enabled": False,
                "anonymous_pull_enabled": False,
                "public_network_access": options.public_network_access,
                "network_rule_bypass_options": "AzureServices",
                "tags": dict(tags),
            },
            options.overrides,
        ),
        opts=pulumi.ResourceOptions(parent=parent, protect=protect),
    )
