"""A mock resource monitor that records each whole registration request, not just its inputs."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import pulumi
from google.protobuf import json_format
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.settings import get_project, get_stack

from .mocks import SECRET_SIG, SIG_KEY, AzureMocks
from .model import SECRET, UNKNOWN, PlannedResource

# Signatures of the other special values inside a protobuf Struct (pulumi/runtime/rpc.py).
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
STACK_TYPE = "pulumi:pulumi:Stack"


class RecordingMonitor(MockMonitor):
    """The SDK's mock monitor, plus a record of every RegisterResource request in arrival order."""

    def __init__(self, mocks: AzureMocks) -> None:
        super().__init__(mocks)
        self.azure = mocks
        self.records: list[PlannedResource] = []
        self._urns: set[str] = set()
        self._lock = threading.Lock()

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The URN the Pulumi engine gives: the parent's whole type chain, without the root stack.

        (The SDK's mock keeps only the parent's own type, and keeps the stack's.)
        """
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != STACK_TYPE:
                type_ = f"{parent_type}${type_}"
        return f"urn:pulumi:{get_stack()}::{get_project()}::{type_}::{name}"

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        record = PlannedResource(
            urn=urn,
            type=request.type,
            name=request.name,
            parent=request.parent or None,
            custom=bool(request.custom),
            protect=bool(request.protect),
            inputs=clean(json_format.MessageToDict(request.object)),
            dependencies=sorted(set(request.dependencies)),
            options=_options(request),
        )
        with self._lock:
            if urn in self._urns:
                # The Pulumi engine's own refusal (step_generator.go), for components as for resources.
                raise pulumi.RunError(f"Duplicate resource URN '{urn}'; try giving it a unique name")
            self._urns.add(urn)
            self.records.append(record)
        # The mocks derive auto-names from the URN, which MockResourceArgs does not carry.
        with self.azure.registering(urn):
            return super().RegisterResource(request)  # type: ignore[no-untyped-call]


def _options(request: Any) -> dict[str, Any]:
    """The lifecycle options that were set (only those: absent means the default)."""
    options: dict[str, Any] = {}
    if request.deleteBeforeReplace:
        options["deleteBeforeReplace"] = True
    for key in ("replaceOnChanges", "ignoreChanges", "additionalSecretOutputs"):
        values = list(getattr(request, key))
        if values:
            options[key] = values
    aliases = [a for a in (json_format.MessageToDict(a) for a in request.aliases) if not _is_sdk_alias(a)]
    if aliases:
        options["aliases"] = aliases
    if request.retainOnDelete:
        options["retainOnDelete"] = True
    if request.deletedWith:
        options["deletedWith"] = request.deletedWith
    hooks = {
        _camel(kind): list(getattr(request.hooks, kind))
        for kind in ("before_create", "after_create", "before_update", "after_update", "before_delete", "after_delete")
        if getattr(request.hooks, kind)
    }
    if hooks:
        # What `pulumi up` runs around the resource (the plan never runs hooks).
        options["hooks"] = hooks
    return options


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


def _is_sdk_alias(alias: Mapping[str, Any]) -> bool:
    """azure-native aliases every type to its older API-version tokens: noise in a plan."""
    spec = alias.get("spec", {})
    return set(spec) <= {"type", "parentUrn"} and not spec.get("parentUrn") and "/v" in str(spec.get("type", ""))


def clean(value: Any) -> Any:
    """A protobuf Struct as plain JSON: secrets masked, resource references as their URN, unknowns
    marked, whole numbers as ints (a Struct stores every number as a double)."""
    if isinstance(value, dict):
        sig = value.get(SIG_KEY)
        if sig == SECRET_SIG:
            return SECRET
        if sig == RESOURCE_SIG:
            return value.get("urn")
        if sig == OUTPUT_SIG:
            if value.get("secret"):
                return SECRET
            return clean(value["value"]) if "value" in value else UNKNOWN
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == UNKNOWN_VALUE:
        return UNKNOWN
    return value
