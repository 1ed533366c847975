"""The workspace's container registry: created, brought by id, or none."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypedDict

import pulumi
import pulumi_azure_native.containerregistry as containerregistry

from .errors import ConfigError
from .overrides import build_args, check_overrides

RegistryMode = Literal["create", "existing", "none"]


class ContainerRegistryOptions(TypedDict, total=False):
    """Options for the container registry. Defaults are listed per key."""

    mode: RegistryMode
    """``create`` (default), ``existing`` (needs ``existing_id``) or ``none``: Azure ML then
    creates a registry itself on the first image build, outside this stack."""
    existing_id: str
    """ARM id of an existing registry, with ``mode: existing``."""
    name: str
    """Default ``cr<workload><env><suffix>`` from :mod:`pulumi_azureml.naming`."""
    sku: str
    """``Basic``, ``Standard`` or ``Premium``. Default ``Premium``: private endpoints (and so a
    managed network that allows only approved outbound) and disabled public access need it."""
    public_network_access: str
    """``Enabled`` or ``Disabled`` (Premium only). Default ``Disabled``."""
    overrides: Mapping[str, Any]
    """Escape hatch: keyword arguments for ``containerregistry.RegistryArgs``."""


REGISTRY_DEFAULTS: ContainerRegistryOptions = {
    "mode": "create",
    "sku": "Premium",
    "public_network_access": "Disabled",
}


def validate_registry_options(key: str, options: ContainerRegistryOptions) -> None:
    opts = {**REGISTRY_DEFAULTS, **options}
    mode = opts["mode"]
    if mode not in ("create", "existing", "none"):
        raise ConfigError(f"{key}.mode", mode, "must be create, existing or none")
    if mode == "existing" and not options.get("existing_id"):
        raise ConfigError(f"{key}.existing_id", None, "is required when mode is existing")
    if mode != "existing" and options.get("existing_id"):
        raise ConfigError(
            f"{key}.existing_id", options.get("existing_id"), f"is only used with mode existing, not {mode}"
        )
    if opts["sku"] not in ("Basic", "Standard", "Premium"):
        raise ConfigError(f"{key}.sku", opts["sku"], "must be Basic, Standard or Premium")
    if opts["public_network_access"] not in ("Enabled", "Disabled"):
        raise ConfigError(f"{key}.public_network_access", opts["public_network_access"], "must be Enabled or Disabled")
    if mode == "create" and opts["public_network_access"] == "Disabled" and opts["sku"] != "Premium":
        raise ConfigError(
            f"{key}.sku", opts["sku"], "disabling public network access on a registry needs the Premium SKU"
        )
    check_overrides(f"{key}.overrides", containerregistry.RegistryArgs, options.get("overrides"))


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
    opts: dict[str, Any] = {**REGISTRY_DEFAULTS, **options}
    return containerregistry.Registry(
        resource_name,
        build_args(
            containerregistry.RegistryArgs,
            {
                "registry_name": registry_name,
                "resource_group_name": resource_group_name,
                "location": location,
                "sku": containerregistry.SkuArgs(name=opts["sku"]),
                "admin_user_enabled": False,
                "anonymous_pull_enabled": False,
                "public_network_access": opts["public_network_access"],
                "network_rule_bypass_options": "AzureServices",
                "tags": dict(tags),
            },
            opts.get("overrides"),
        ),
        opts=pulumi.ResourceOptions(parent=parent, protect=protect),
    )
