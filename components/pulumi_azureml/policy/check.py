"""Run the rules over a stack's offline plan: what ``pulumi-azureml check`` prints.

The same rule functions run in the CrossGuard pack (``policies/``); here they see the plan's
inputs, where Pulumi secrets show as ``"[secret]"``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..plan.model import Plan
from .catalog import RULES
from .levels import LevelOverride, level_of
from .model import Finding, Level, Resource, Rule


def resources_of(plan: Plan) -> list[Resource]:
    """The plan's resources as rules see them (components carry no inputs of their own: skipped)."""
    return [
        Resource(
            type=r.type,
            name=r.name,
            inputs=r.inputs,
            urn=r.urn,
            protect=r.protect,
            dependencies=tuple(r.dependencies),
        )
        for r in plan.resources
        if r.custom
    ]


@dataclass
class Report:
    """The findings for one stack, and what was checked."""

    stack: str
    environment: str
    findings: list[Finding]
    overrides: Mapping[str, LevelOverride] = field(default_factory=dict)
    rules_run: int = 0
    resources_checked: int = 0

    @property
    def mandatory(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.MANDATORY]

    @property
    def advisory(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.ADVISORY]

    @property
    def exit_code(self) -> int:
        return 1 if self.mandatory else 0

    def by_rule(self) -> list[tuple[Rule, Level, list[Finding]]]:
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.rule.id, []).append(finding)
        order = {Level.MANDATORY: 0, Level.ADVISORY: 1}
        rows = [(found[0].rule, found[0].level, found) for found in grouped.values()]
        return sorted(rows, key=lambda row: (order.get(row[1], 2), row[0].id))


def evaluate(
    resources: Sequence[Resource],
    environment: str,
    overrides: Mapping[str, LevelOverride] | None = None,
    rules: Iterable[Rule] = RULES,
    *,
    stack: str = "",
) -> Report:
    """Every rule that is not disabled in ``environment``, over every resource it applies to."""
    overrides = overrides or {}
    findings: list[Finding] = []
    run = 0
    for rule in rules:
        level = level_of(rule, environment, overrides)
        if level is Level.DISABLED:
            continue
        run += 1
        for resource in resources:
            if not rule.applies_to(resource):
                continue
            message = rule.check(resource, resources)
            if message:
                reason = overrides[rule.id].reason if rule.id in overrides else None
                findings.append(Finding(rule, resource, message, level, reason))
    return Report(stack, environment, findings, overrides, run, len(resources))


def _resources_cell(found: list[Finding]) -> str:
    return ", ".join(f.resource.name for f in found)


def render_text(report: Report) -> str:
    """One line per broken rule: id, level, resources, the first finding and the fix."""
    lines = [f"Policy check: stack {report.stack} (environment {report.environment})"]
    for rule_id, override in sorted(report.overrides.items()):
        lines.append(f"  {rule_id} set to {override.level.value} by stack config: {override.reason}")
    rows = report.by_rule()
    if rows:
        lines.append("")
        for rule, level, found in rows:
            more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
            lines.append(
                f"{rule.id:<8} {level.value:<9} {rule.title} | {_resources_cell(found)} | "
                f"{found[0].message}{more} | fix: {rule.fix}"
            )
    lines.append("")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def _summary(report: Report) -> str:
    verdict = "FAIL" if report.mandatory else "PASS"
    return (
        f"{verdict}: {len(report.mandatory)} mandatory, {len(report.advisory)} advisory violation(s); "
        f"{report.rules_run} rules over {report.resources_checked} resources"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    """A PR comment section: the verdict, a table per broken rule, details per resource."""
    icon = ":x:" if report.mandatory else ":white_check_mark:"
    out = [f"### {icon} Policy check: `{report.stack}` ({report.environment})", "", _summary(report), ""]
    if report.overrides:
        out.append("Levels changed by stack config:")
        out.extend(f"- `{rid}` → {o.level.value}: {_cell(o.reason)}" for rid, o in sorted(report.overrides.items()))
        out.append("")
    rows = report.by_rule()
    if rows:
        out += ["| rule | level | title | resources | fix |", "|---|---|---|---|---|"]
        for rule, level, found in rows:
            out.append(
                f"| `{rule.id}` | {level.value} | {_cell(rule.title)} | {_cell(_resources_cell(found))} | "
                f"{_cell(rule.fix)} |"
            )
        out += ["", "<details><summary>Findings by resource</summary>", ""]
        for finding in report.findings:
            out.append(f"- `{finding.rule.id}` `{finding.resource.name}`: {_cell(finding.message)}")
        out += ["", "</details>"]
    return "\n".join(out) + "\n"


def render_json(report: Report) -> str:
    doc: dict[str, Any] = {
        "stack": report.stack,
        "environment": report.environment,
        "passed": not report.mandatory,
        "mandatory": len(report.mandatory),
        "advisory": len(report.advisory),
        "rulesRun": report.rules_run,
        "resourcesChecked": report.resources_checked,
        "overrides": {rid: {"level": o.level.value, "reason": o.reason} for rid, o in sorted(report.overrides.items())},
        "findings": [f.to_json() for f in report.findings],
    }
    return json.dumps(doc, indent=2, sort_keys=True) + "\n"


def pack_config(environment: str, overrides: Mapping[str, LevelOverride]) -> dict[str, Any]:
    """``--policy-pack-config`` for the CrossGuard pack: each rule's level in this stack, so
    ``pulumi preview --policy-pack policies`` enforces what ``check`` enforces."""
    return {rule.id: {"enforcementLevel": level_of(rule, environment, overrides).value} for rule in RULES}


def stack_policy(
    project_dir: Any, stack: str, config_overrides: Mapping[str, str] | None = None
) -> tuple[str, dict[str, LevelOverride]]:
    """The environment (``<project>:environment``, else the stack name) and the level overrides
    (``<project>:policy``) of a stack, read from its config file like the program reads them."""
    from pathlib import Path

    from ..plan.project import load_project, load_stack_config, namespaced
    from .levels import CONFIG_KEY, parse_overrides

    project = load_project(Path(project_dir))
    config, _ = load_stack_config(project, stack)
    for key, value in (config_overrides or {}).items():
        config[namespaced(project.name, key)] = value
    environment = config.get(f"{project.name}:environment") or stack
    key = f"{project.name}:{CONFIG_KEY}"
    raw: Any = config.get(key)
    if isinstance(raw, str):
        # Not JSON: parse_overrides reports the string as not a mapping.
        with contextlib.suppress(json.JSONDecodeError):
            raw = json.loads(raw)
    return environment, parse_overrides(project.name, raw)
