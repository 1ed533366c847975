"""Work the Pulumi SDK does for a deployment that a plan never shows, and that the engine skips.

Only the plan engine uses this module; a real `pulumi up` runs the program without it. Neither
shortcut changes a plan: tests/test_plan_engine.py plans the same programs with :data:`ENABLED`
on and off and compares the JSON documents, and `make bench` measures the gain.

1. **Provider version aliases.** Every azure-native resource declares an alias for each older API
   version of its type (``Alias(type_="azure-native:storage/v20190401:StorageAccount")``: 30 for
   a storage account, 50 for a workspace or a compute), so that the Pulumi engine can match state
   written by older providers. The Python SDK turns each alias into an ``Output`` URN when the
   resource is constructed and into an alias spec when it is registered: dozens of asyncio
   callbacks per alias, four fifths of a plan's time. A plan has no state to match and
   :mod:`.monitor` drops these aliases from what it records, so a stack transformation removes
   them before the SDK sees them. It removes only aliases of exactly that shape (a type with
   ``/v`` in it, every other field unset), which the monitor would drop anyway, and keeps every
   other alias (a program's own ``aliases`` are shown in the plan and the snapshot guard resolves
   them). It runs only when it is the last transformation a resource goes through, so a
   transformation of the program's own never sees a resource without them.
2. **Cyclic garbage collection** is paused while the program runs. The SDK builds thousands of
   futures, tasks and outputs that refer to each other and that stay alive until the plan ends;
   the collector scanned them again and again (nearly half of what remained). What the plan
   allocated is collected once, at its end.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import pulumi

ENABLED = True
"""Whether the engine takes the shortcuts (the tests turn them off to compare plans)."""


def is_version_alias(alias: object) -> bool:
    """Whether ``alias`` is one of a provider's older-API-version aliases: only ``type_`` given, a
    type token with ``/v`` in it (``azure-native:storage/v20190401:StorageAccount``).

    The SDK sends such an alias as ``{"spec": {"type": ..., "parentUrn": ""}}``, exactly what the
    monitor leaves out of the plan (``monitor._is_sdk_alias``); anything else is kept.
    """
    if not isinstance(alias, pulumi.Alias) or not isinstance(alias.type_, str) or "/v" not in alias.type_:
        return False
    # Unset fields hold the Ellipsis (``None`` means something else for some of them).
    others: tuple[object, ...] = (alias.name, alias.parent, alias.stack, alias.project)
    return all(field is ... for field in others)


def drop_version_aliases(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
    """A stack transformation: the resource's options without the provider's version aliases."""
    aliases = args.opts.aliases
    if not aliases:
        return None
    transformations = args.resource._transformations
    if not transformations or transformations[-1] is not drop_version_aliases:
        # A transformation of the program's own runs after this one: it sees the resource unchanged.
        return None
    kept = [alias for alias in aliases if not is_version_alias(alias)]
    if len(kept) == len(aliases):
        return None
    opts = args.opts._copy()
    opts.aliases = kept
    return pulumi.ResourceTransformationResult(args.props, opts)


def install() -> None:
    """Register the shortcuts for the program about to run (after ``set_mocks`` made the root stack)."""
    if ENABLED:
        pulumi.runtime.register_stack_transformation(drop_version_aliases)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic cyclic garbage collection inside; one collection of what was made inside, after.

    Does nothing when the shortcuts are off or the caller already turned the collector off.
    """
    if not ENABLED or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        # Everything allocated while paused is still in the youngest generation: collecting it alone
        # frees the plan's cycles without scanning the rest of the process.
        gc.collect(0)
