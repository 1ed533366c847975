"""Azure ML registries: assets shared across workspaces and regions, in a stack of their own."""

from .args import RegistryArgs, RegistryIdentity, RegistryPrincipal, RegistryRegion, RegistrySettings
from .component import PRIVATE_ENDPOINT_GROUP, PUBLISH_ROLE, READ_ROLE, MachineLearningRegistry
from .names import REGISTRY_RULE, registry_name

__all__ = [
    "PRIVATE_ENDPOINT_GROUP",
    "PUBLISH_ROLE",
    "READ_ROLE",
    "REGISTRY_RULE",
    "MachineLearningRegistry",
    "RegistryArgs",
    "RegistryIdentity",
    "RegistryPrincipal",
    "RegistryRegion",
    "RegistrySettings",
    "registry_name",
]
