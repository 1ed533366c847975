"""Inference: Kubernetes compute (an AKS or Arc cluster with the Azure ML extension) and online endpoints."""

from .args import (
    AksClusterOptions,
    ExtensionOptions,
    InferenceTls,
    InstanceType,
    KubernetesComputeArgs,
    KubernetesComputeSettings,
    NodePool,
    OnlineEndpointArgs,
    OnlineEndpointSettings,
    SystemPool,
    UserPool,
)
from .endpoint import ENDPOINT_REPLACE_ON_CHANGES, OnlineEndpoint
from .kubernetes import KUBERNETES_REPLACE_ON_CHANGES, KubernetesCompute, extension_settings

__all__ = [
    "ENDPOINT_REPLACE_ON_CHANGES",
    "KUBERNETES_REPLACE_ON_CHANGES",
    "AksClusterOptions",
    "ExtensionOptions",
    "InferenceTls",
    "InstanceType",
    "KubernetesCompute",
    "KubernetesComputeArgs",
    "KubernetesComputeSettings",
    "NodePool",
    "OnlineEndpoint",
    "OnlineEndpointArgs",
    "OnlineEndpointSettings",
    "SystemPool",
    "UserPool",
    "extension_settings",
]
