"""The resource hooks the components attach, and what each one asks of Azure.

- :func:`wait_for_roles` (``before_create``): role assignments take minutes to take effect ("up to
  10 minutes", Azure RBAC troubleshooting); a workspace created right after its user-assigned
  identity's grants can fail to create its datastores. The hook sleeps before the create, under
  `pulumi up` only (not on preview, not in the offline plan).
- :func:`delete_compute` (``before_delete``): azure-native deletes a compute with only
  ``api-version`` (its generic DELETE, provider/pkg/azure/client_azcore.go), while the API's
  ``underlyingResourceAction`` decides whether the VMs go (``Delete``) or stay attached
  (``Detach``); a compute re-created under the same name has come back with its old VM size
  (Azure/azure-rest-api-specs#18889, fixed in azurerm by deleting with ``Delete``,
  hashicorp/terraform-provider-azurerm#16640). The hook deletes with ``Delete`` and waits until the
  compute is gone; the provider's DELETE then finds nothing (404 counts as deleted). Attached
  computes bind it with ``Detach`` instead (their ``on_destroy``), which removes the compute from
  the workspace and keeps the VM, pool or cluster it points at (azurerm detaches its attached
  Synapse and AKS computes the same way).
- :func:`purge_workspace` (``before_delete``): a deleted workspace stays soft-deleted for 14 days
  and blocks its name (``concept-soft-delete.md``); deleting with ``forceToPurge=true`` frees it.
- :func:`purge_key_vault` (``after_delete``): a deleted vault keeps its name while soft-deleted
  (always on); purging it (``deletedVaults/{name}/purge``) frees the name. Refused by Azure for a
  vault with purge protection, which is why only dev turns this on.

Delete hooks run under ``pulumi destroy --run-program`` (plain ``pulumi destroy`` does not load
the program) and under ``pulumi up`` when it deletes or replaces the resource.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any, Literal, cast, get_args

import pulumi

from .arm import ArmClient

ML_API_VERSION = "2025-12-01"
"""The Machine Learning API version azure-native 3.29 uses for workspaces and computes."""
KEY_VAULT_API_VERSION = "2024-11-01"
"""The Key Vault API version azure-native 3.29 uses for vaults."""

UnderlyingResourceAction = Literal["Delete", "Detach"]
"""The compute DELETE's ``underlyingResourceAction``: delete the underlying compute, or detach it
from the workspace (Compute_Delete, Machine Learning REST API)."""

client_factory: Callable[[], ArmClient] = ArmClient
"""Makes the client the hooks call Azure with (tests replace it)."""


def _hook(name: str, func: Callable[[pulumi.ResourceHookArgs], Any]) -> pulumi.ResourceHook:
    return pulumi.ResourceHook(name, func, pulumi.ResourceHookOptions(on_dry_run=False))


def wait_for_roles(name: str, seconds: int) -> pulumi.ResourceHook:
    """A ``before_create`` hook that waits ``seconds`` for role assignments to take effect."""

    async def wait(args: pulumi.ResourceHookArgs) -> None:
        pulumi.log.info(f"waiting {seconds} s for role assignments to take effect before creating {args.name}")
        await asyncio.sleep(seconds)

    return _hook(name, wait)


def _resource_id(args: pulumi.ResourceHookArgs) -> str:
    outputs: Mapping[str, Any] = args.old_outputs or {}
    rid = args.id or str(outputs.get("id", ""))
    if not rid.startswith("/subscriptions/"):
        raise ValueError(f"{args.name}: no ARM id to act on (got {rid!r})")
    return rid


def _action(action: str) -> UnderlyingResourceAction:
    if action not in get_args(UnderlyingResourceAction):
        raise ValueError(f"underlyingResourceAction must be Delete or Detach, not {action!r}")
    return cast(UnderlyingResourceAction, action)


def delete_compute_now(
    args: pulumi.ResourceHookArgs, client: ArmClient, action: UnderlyingResourceAction = "Delete"
) -> None:
    """Delete the compute with ``underlyingResourceAction=<action>`` and wait until it is gone:
    ``Delete`` takes its VMs (or the resource it was attached to) with it, ``Detach`` keeps them."""
    rid = _resource_id(args)
    client.call("DELETE", rid, {"api-version": ML_API_VERSION, "underlyingResourceAction": _action(action)})
    client.wait_until_gone(rid, ML_API_VERSION)


def purge_workspace_now(args: pulumi.ResourceHookArgs, client: ArmClient) -> None:
    """Delete the workspace permanently (``forceToPurge=true``), and wait until it is gone."""
    rid = _resource_id(args)
    client.call("DELETE", rid, {"api-version": ML_API_VERSION, "forceToPurge": "true"})
    client.wait_until_gone(rid, ML_API_VERSION)


def purge_key_vault_now(args: pulumi.ResourceHookArgs, client: ArmClient) -> None:
    """Purge the soft-deleted vault, so its name can be used again."""
    rid = _resource_id(args)
    parts = rid.split("/")
    subscription, vault = parts[2], parts[-1]
    location = str((args.old_outputs or {}).get("location") or (args.old_inputs or {}).get("location") or "")
    if not location:
        raise ValueError(f"{args.name}: the vault's location is not in its state; purge {vault} by hand")
    path = (
        f"/subscriptions/{subscription}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{vault}/purge"
    )
    client.call("POST", path, {"api-version": KEY_VAULT_API_VERSION})


def _blocking(name: str, action: Callable[[pulumi.ResourceHookArgs, ArmClient], None]) -> pulumi.ResourceHook:
    async def run(args: pulumi.ResourceHookArgs) -> None:
        # The client blocks (urllib, sleeps between polls): keep it off the program's event loop.
        await asyncio.get_running_loop().run_in_executor(None, action, args, client_factory())

    return _hook(name, run)


def delete_compute(name: str, action: UnderlyingResourceAction = "Delete") -> pulumi.ResourceHook:
    """The ``before_delete`` hook of a compute; ``action`` is what happens to the underlying resource."""
    checked = _action(action)

    def delete(args: pulumi.ResourceHookArgs, client: ArmClient) -> None:
        delete_compute_now(args, client, checked)

    return _blocking(name, delete)


def purge_workspace(name: str) -> pulumi.ResourceHook:
    return _blocking(name, purge_workspace_now)


def purge_key_vault(name: str) -> pulumi.ResourceHook:
    return _blocking(name, purge_key_vault_now)
