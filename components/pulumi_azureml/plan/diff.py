"""Compare two plans: what is added, removed or changed, and which changes replace a resource.

Resources are matched by URN without its stack and project (so two stacks of one program compare),
and through aliases (a renamed resource with an alias to its old name is the same resource).
A change to a replacement-forcing input (see :mod:`pulumi_azureml.plan.snapshot`) or a vanished URN
is flagged as a replacement; for a stateful resource, as a data-loss risk. Secrets are already
masked in plans, so they stay masked here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..core.jsonfile import read_json
from .model import Plan, PlannedResource
from .project import PlanError
from .snapshot import STATEFUL, alias_urns, replacing_paths


@dataclass
class Change:
    kind: str
    """``added``, ``removed`` or ``changed``."""
    type: str
    name: str
    key: str
    properties: list[tuple[str, Any, Any]] = field(default_factory=list)
    replaces: bool = False
    data_loss: bool = False
    reasons: list[str] = field(default_factory=list)
    refused: bool = False
    """Azure refuses the change in place, and replacing the resource would not help either."""


# Inputs Azure fixes for good: an update fails, and a replacement cannot reuse the name while the
# old resource is soft-deleted. Key vault retention "can only be configured during key vault
# creation" and purge protection cannot be turned off (soft-delete-overview.md); managed network
# isolation can be tightened but never loosened (how-to-managed-network.md).
_ISOLATION = ["Disabled", "AllowInternetOutbound", "AllowOnlyApprovedOutbound"]


def _refusal(resource_type: str, path: str, before: Any, after: Any) -> str | None:
    if resource_type == "azure-native:keyvault:Vault":
        if path == "properties.softDeleteRetentionInDays":
            return (
                f"{path} is fixed when the vault is created: Azure refuses {before} -> {after}, and a new vault "
                "needs a new name while this one is soft-deleted"
            )
        if path == "properties.enablePurgeProtection" and before is True:
            return f"{path} cannot be turned off once on: Azure refuses true -> {after}"
    isolation = (
        resource_type == "azure-native:machinelearningservices:Workspace" and path == "managedNetwork.isolationMode"
    )
    known = before in _ISOLATION and after in [*_ISOLATION, None]
    if isolation and known and _ISOLATION.index(after or "Disabled") < _ISOLATION.index(before):
        return f"{path} can be tightened but never loosened: Azure refuses {before} -> {after}"
    return None


def _key(urn: str) -> str:
    # urn:pulumi:<stack>::<project>::<type chain>::<name> -> <type chain>::<name>
    parts = urn.split("::")
    return "::".join(parts[2:])


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping) and value:
        flat: dict[str, Any] = {}
        for k, v in value.items():
            flat.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return flat
    return {prefix: value}


def _resources(document: Mapping[str, Any]) -> list[PlannedResource]:
    return [
        PlannedResource(
            urn=r["urn"],
            type=r["type"],
            name=r["name"],
            parent=r.get("parent"),
            custom=r["custom"],
            protect=r["protect"],
            inputs=r["inputs"],
            dependencies=r.get("dependencies", []),
            options=r.get("options", {}),
        )
        for r in document["resources"]
    ]


class _SavedResource(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    # pydantic's (Rust) regex: $ is the end of the text, never before a trailing newline.
    urn: Annotated[str, Field(pattern=r"^urn:pulumi:[^:]*::[^:]*::[^\n]+::[^\n]*$")]
    type: str
    name: str
    parent: str | None = None
    custom: bool
    protect: bool
    inputs: dict[str, Any]
    dependencies: list[str] = []
    options: dict[str, Any] = {}


class _SavedPlan(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")
    project: str
    stack: str
    resources: list[_SavedResource]
    outputs: dict[str, Any] = {}


def read_saved_plan(path: Path) -> dict[str, Any]:
    """A plan saved with ``plan --format json``, checked; PlanError (one line) for anything else."""
    label = f"--against {path}"
    data = read_json(path, label, "a saved plan")
    try:
        return _SavedPlan.model_validate(data).model_dump()
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"]).lstrip(".")
        raise PlanError(
            f"{label}: not a saved plan (`pulumi-azureml plan --format json`): {where or 'the document'}: "
            f"{first['msg'][:120]}"
        ) from None


def document_of(source: Plan | Mapping[str, Any]) -> dict[str, Any]:
    return source.to_json() if isinstance(source, Plan) else dict(source)


def _changed(key: str, previous: PlannedResource, current: PlannedResource, same_stack: bool) -> Change | None:
    """How ``current`` differs from ``previous``, property by property (None when it does not)."""
    old_flat, new_flat = _flatten(previous.inputs), _flatten(current.inputs)
    props: list[tuple[str, Any, Any]] = [
        (path, old_flat.get(path), new_flat.get(path))
        for path in sorted(set(old_flat) | set(new_flat))
        if old_flat.get(path) != new_flat.get(path)
    ]
    if not props:
        return None
    forcing = replacing_paths(current)
    verb = "forces replacement" if same_stack else "differs (would force replacement)"
    reasons = [
        f"{path} {verb}"
        for path, _before, _after in props
        if any(path == f or path.startswith(f + ".") for f in forcing)
    ]
    refusals = [r for path, old, new in props if (r := _refusal(current.type, path, old, new))] if same_stack else []
    return Change(
        "changed",
        current.type,
        current.name,
        key,
        properties=props,
        replaces=same_stack and bool(reasons),
        data_loss=same_stack and bool(reasons) and (current.type in STATEFUL or previous.protect),
        reasons=refusals + reasons,
        refused=bool(refusals),
    )


def diff(before_source: Plan | Mapping[str, Any], after_source: Plan | Mapping[str, Any]) -> list[Change]:
    """Changes from ``before`` to ``after`` (plans, or their JSON documents), custom resources only."""
    before_doc, after_doc = document_of(before_source), document_of(after_source)
    before = {_key(r.urn): r for r in _resources(before_doc) if r.custom}
    after_list = [r for r in _resources(after_doc) if r.custom]
    after = {_key(r.urn): r for r in after_list}
    for resource in after_list:
        for old in alias_urns(resource, after_doc["stack"], after_doc["project"]):
            after.setdefault(_key(old), resource)
    # Two plans of one stack predict what `pulumi up` does; two stacks only differ.
    same_stack = before_doc["stack"] == after_doc["stack"]
    changes: list[Change] = []
    matched: set[str] = set()
    for key, previous in before.items():
        current = after.get(key)
        if current is None:
            reason = "not in the new plan: `pulumi up` deletes it (renamed without an alias?)"
            changes.append(
                Change(
                    "removed",
                    previous.type,
                    previous.name,
                    key,
                    data_loss=same_stack and (previous.type in STATEFUL or previous.protect),
                    reasons=[reason if same_stack else f"only in {before_doc['stack']}"],
                )
            )
            continue
        matched.add(_key(current.urn))
        change = _changed(key, previous, current, same_stack)
        if change is not None:
            changes.append(change)
    for resource in after_list:
        key = _key(resource.urn)
        if key not in matched and key not in before:
            reasons = [] if same_stack else [f"only in {after_doc['stack']}"]
            changes.append(Change("added", resource.type, resource.name, key, reasons=reasons))
    return changes


def _short(value: Any, limit: int = 300) -> str:
    """A value on one line. Long ones keep their head and tail and a digest of the whole, so two
    different values never print alike (ARM ids differ at the end)."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    if len(text) <= limit:
        return text
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{text[:120]}…{text[-120:]} ({len(text)} characters, sha256 {digest})"


def render_diff_markdown(changes: list[Change], title: str) -> str:
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in ("added", "removed", "changed")}
    replaced = [c for c in changes if c.replaces]
    risky = [c for c in changes if c.data_loss]
    lines = [
        f"### {title}",
        "",
        f"**{counts['added']}** added · **{counts['removed']}** removed · **{counts['changed']}** changed · "
        f"**{len(replaced)}** replaced · **{len(risky)}** data-loss risks",
        "",
    ]
    for change in risky:
        lines.append(f"> :warning: **data loss**: `{change.type}` `{change.name}`: {'; '.join(change.reasons)}")
    for change in (c for c in changes if c.refused):
        lines.append(f"> :no_entry: **Azure refuses**: `{change.type}` `{change.name}`: {'; '.join(change.reasons)}")
    if changes:
        lines += ["", "| | type | name | what |", "|---|---|---|---|"]
        sign = {"added": "+", "removed": "-", "changed": "~"}
        for change in changes:
            differs = any("differs" in r for r in change.reasons)
            mark = ":boom: replace" if change.replaces else ("≠" if differs else sign[change.kind])
            what = "; ".join(change.reasons) if change.reasons else f"{len(change.properties)} properties"
            if change.kind == "added" and not change.reasons:
                what = "new"
            lines.append(f"| {mark} | `{change.type.replace('azure-native:', '')}` | `{change.name}` | {what} |")
        detailed = [c for c in changes if c.properties]
        if detailed:
            lines += ["", "<details><summary>Property changes</summary>", ""]
            for change in detailed:
                lines.append(f"**`{change.name}`**")
                lines.append("")
                for path, old, new in change.properties:
                    lines.append(f"- `{path}`: `{_short(old)}` → `{_short(new)}`")
                lines.append("")
            lines.append("</details>")
    else:
        lines.append("No changes.")
    return "\n".join(lines) + "\n"


def render_diff_text(changes: list[Change]) -> str:
    lines = []
    for change in changes:
        sign = {"added": "+", "removed": "-", "changed": "~"}[change.kind]
        flag = " [REPLACE]" if change.replaces else ""
        flag += " [DATA LOSS]" if change.data_loss else ""
        flag += " [AZURE REFUSES]" if change.refused else ""
        lines.append(f"{sign} {change.type} {change.name}{flag}")
        lines.extend(f"    {reason}" for reason in change.reasons)
        lines.extend(f"    {path}: {_short(old)} -> {_short(new)}" for path, old, new in change.properties)
    return "\n".join(lines) + ("\n" if lines else "no changes\n")


def render_diff_json(changes: list[Change]) -> str:
    return (
        json.dumps(
            [
                {
                    "kind": c.kind,
                    "type": c.type,
                    "name": c.name,
                    "key": c.key,
                    "replaces": c.replaces,
                    "dataLoss": c.data_loss,
                    "refused": c.refused,
                    "reasons": c.reasons,
                    "properties": [{"path": p, "before": o, "after": n} for p, o, n in c.properties],
                }
                for c in changes
            ],
            indent=2,
            sort_keys=True,
        )
        + "\n"
    )
