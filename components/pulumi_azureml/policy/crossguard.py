"""The rules as CrossGuard policies, for the pack in ``policies/`` (``pulumi preview --policy-pack``).

Each policy calls the rule's own check function, so the pack and ``pulumi-azureml check`` judge
alike. Building the list does not start anything; only ``PolicyPack(...)`` in the pack's
``__main__.py`` does (it serves the engine and blocks), so tests import this module freely.

Levels: a policy's default level is the rule's prod level (the strictest); the workflows pass
``--policy-pack-config`` written by ``pulumi-azureml check --stack <name> --pack-config FILE``,
which sets each rule's level for that stack's environment and overrides.

Not in the pack: rules that need to see which inputs are Pulumi secrets (GEN-001). CrossGuard's
Python SDK hands analyzers secret values already unwrapped, so a secret and a plain string look
the same there; ``check`` runs those rules over the offline plan, where secrets are masked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from .catalog import RULES
from .model import Level, Resource, Rule

PACK_NAME = "pulumi-azureml"

_LEVELS = {
    Level.MANDATORY: EnforcementLevel.MANDATORY,
    Level.ADVISORY: EnforcementLevel.ADVISORY,
    Level.DISABLED: EnforcementLevel.DISABLED,
}


def _resource(r: ResourceValidationArgs | PolicyResource) -> Resource:
    return Resource(type=r.resource_type, name=r.name, inputs=r.props, urn=r.urn, protect=bool(r.opts.protect))


def _known(values: Mapping[str, Any]) -> dict[str, Any]:
    """The top-level entries whose value is known (during a preview some are not yet)."""
    known: dict[str, Any] = {}
    for key in values:
        try:
            known[key] = values[key]
        except UnknownValueError:
            continue
    return known


def _stack_resource(r: PolicyResource) -> Resource:
    """A resource of a stack policy, with its inputs: the engine hands stack policies each
    resource's outputs, where azure-native keeps the inputs under ``__inputs`` (a secret, which the
    SDK has already unwrapped)."""
    props = _known(r.props)
    inputs = props.pop("__inputs", None)
    merged = {**props, **_known(inputs)} if isinstance(inputs, Mapping) else props
    dependencies = tuple(d.urn for d in (getattr(r, "dependencies", None) or []))
    return Resource(
        type=r.resource_type,
        name=r.name,
        inputs=merged,
        urn=r.urn,
        protect=bool(r.opts.protect),
        dependencies=dependencies,
    )


def _message(rule: Rule, message: str) -> str:
    return f"{message}. Fix: {rule.fix}"


def _resource_policy(rule: Rule) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        resource = _resource(args)
        if not rule.applies_to(resource):
            return
        message = rule.check(resource, ())
        if message:
            report_violation(_message(rule, message), args.urn)

    return ResourceValidationPolicy(
        name=rule.id,
        description=_description(rule),
        validate=validate,
        enforcement_level=_LEVELS[rule.level_for("prod")],
        remediation_steps=rule.fix,
    )


def _stack_policy(rule: Rule) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        stack: Sequence[Resource] = [_stack_resource(r) for r in args.resources]
        for resource in stack:
            if not rule.applies_to(resource):
                continue
            try:
                message = rule.check(resource, stack)
            except UnknownValueError:
                continue  # one unknown value must not switch the rule off for the whole stack
            if message:
                report_violation(_message(rule, message), resource.urn)

    return StackValidationPolicy(
        name=rule.id,
        description=_description(rule),
        validate=validate,
        enforcement_level=_LEVELS[rule.level_for("prod")],
        remediation_steps=rule.fix,
    )


def _description(rule: Rule) -> str:
    sources = "; ".join(str(s) for s in rule.sources)
    return f"{rule.title}" + (f" (mirrors {sources})" if sources else " (pulumi-azureml rule)")


def pack_rules() -> tuple[Rule, ...]:
    """The rules the pack runs: all but those that need Pulumi's secret markers."""
    return tuple(rule for rule in RULES if not rule.needs_secret_markers)


def build_policies() -> list[Policy]:
    """One CrossGuard policy per rule (a stack policy when the rule looks at other resources)."""
    return [_stack_policy(rule) if rule.needs_stack else _resource_policy(rule) for rule in pack_rules()]
