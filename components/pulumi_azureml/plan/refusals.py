"""What Azure (or azure-native) refuses that a plan can already know, with Azure's error code.

The offline engine answers every registration, so without these a plan would happily show two
role assignments Azure rejects as one, or two storage accounts with one global name. Each check
sees a registration's type and inputs, and what was registered before it in the same plan:

- ``RoleAssignmentExists``: a second assignment of one role to one principal at one scope, under
  any name ("The role assignment already exists."; hashicorp/terraform-provider-azurerm#17421,
  Azure/bicep discussion #19690: a different name does not help).
- ``StorageAccountAlreadyTaken``, ``VaultAlreadyExists``, ``AlreadyInUse``: a globally unique
  name (storage account, key vault, container registry) claimed twice.
- ``InvalidPropertyValue``: a compute of a retired VM size ("The specified value ... for property
  Cluster.Properties.VMSize is not a supported VM size"; Azure/MachineLearningNotebooks#1169).
- azure-native's own "cannot create already existing resource": two resources with one ARM id
  (the provider reads the id before it creates, ``CanCreate`` in provider/pkg/azure/client_azcore.go).

What only Azure knows (names taken by other tenants, quotas, SKUs offered in a region) is for a
preflight against Azure (``plan --format arm`` and ``az deployment group validate``).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import pulumi

from ..core import vmsizes

# Type (module:Resource) -> (input with the global name, Azure's error code, message template).
GLOBAL_NAMES: dict[str, tuple[str, str, str]] = {
    "storage:StorageAccount": (
        "accountName",
        "StorageAccountAlreadyTaken",
        "The storage account named {name} is already taken.",
    ),
    "keyvault:Vault": ("vaultName", "VaultAlreadyExists", "The vault name '{name}' is already in use."),
    "containerregistry:Registry": (
        "registryName",
        "AlreadyInUse",
        "The registry DNS name {name}.azurecr.io is already in use.",
    ),
}


class AzureRefusal(pulumi.RunError):
    """A registration Azure would refuse: one line naming the resource, the code and the reason."""

    def __init__(self, urn: str, code: str, message: str) -> None:
        self.urn = urn
        self.code = code
        super().__init__(f"Azure would refuse {urn.rsplit('::', 1)[-1]} ({_type_of(urn)}): {code}: {message}")


def _type_of(urn: str) -> str:
    parts = urn.split("::")
    return parts[2].rsplit("$", 1)[-1] if len(parts) > 2 else urn


def _text(value: Any) -> str:
    return value.strip().lower() if isinstance(value, str) else ""


def _role_guid(role_definition_id: Any) -> str:
    return _text(role_definition_id).rstrip("/").rsplit("/", 1)[-1]


class Refusals:
    """Claims of one plan (role assignments, global names, ARM ids), checked as each resource registers."""

    def __init__(self) -> None:
        self._claims: dict[tuple[str, ...], str] = {}
        self._lock = threading.Lock()

    def _claim(self, key: tuple[str, ...], urn: str, code: str, message: str) -> None:
        with self._lock:
            first = self._claims.setdefault(key, urn)
        if first != urn:
            raise AzureRefusal(urn, code, f"{message} (already claimed by {first.rsplit('::', 1)[-1]})")

    def check(self, urn: str, module_type: str, inputs: Mapping[str, Any], arm_id: str) -> None:
        """Raise :class:`AzureRefusal` when Azure would refuse this registration."""
        if module_type == "authorization:RoleAssignment":
            key = (
                _text(inputs.get("scope")),
                _text(inputs.get("principalId")),
                _role_guid(inputs.get("roleDefinitionId")),
            )
            if all(key):
                self._claim(("role", *key), urn, "RoleAssignmentExists", "The role assignment already exists.")
        if module_type in GLOBAL_NAMES:
            name_key, code, template = GLOBAL_NAMES[module_type]
            name = _text(inputs.get(name_key))
            if name:
                self._claim(("name", module_type, name), urn, code, template.format(name=inputs.get(name_key)))
        if module_type == "machinelearningservices:Compute":
            self._vm_size(urn, inputs)
        if arm_id:
            # Not an ARM code: azure-native itself stops, before Azure sees a second PUT.
            self._claim(
                ("id", arm_id.lower()), urn, "azure-native", f"cannot create already existing resource '{arm_id}'"
            )

    @staticmethod
    def _vm_size(urn: str, inputs: Mapping[str, Any]) -> None:
        properties = inputs.get("properties")
        inner = properties.get("properties") if isinstance(properties, Mapping) else None
        size = inner.get("vmSize") if isinstance(inner, Mapping) else None
        news = vmsizes.notice(size) if isinstance(size, str) else None
        if news is not None and news.status == "retired":
            raise AzureRefusal(
                urn,
                "InvalidPropertyValue",
                f"The specified value {size} for property Cluster.Properties.VMSize is not a supported VM size "
                f"({news.message()})",
            )
