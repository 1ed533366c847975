"""Pulumi type tokens of this package's components: ``pulumi-azureml:index:<Type>``."""

from __future__ import annotations

PACKAGE = "pulumi-azureml"


def component_type(name: str) -> str:
    """The type token of the component class ``name`` (never change one: URNs depend on it)."""
    return f"{PACKAGE}:index:{name}"
