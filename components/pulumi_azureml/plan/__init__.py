"""The offline plan: what `pulumi up` would register, without credentials or the Pulumi CLI.

``run_plan(project_dir, stack)`` runs a Pulumi project's program under mocks that answer like
Azure; ``run_program(fn)`` does the same for a Python callable. Both return a :class:`Plan`.
"""

from .engine import PlanError, load_project, load_stack_config, run_plan, run_program
from .mocks import PLACEHOLDER_SUBSCRIPTION, PLACEHOLDER_TENANT, AzureMocks
from .model import SECRET, UNKNOWN, Plan, PlannedOutput, PlannedResource
from .render import render_json, render_tree

__all__ = [
    "PLACEHOLDER_SUBSCRIPTION",
    "PLACEHOLDER_TENANT",
    "SECRET",
    "UNKNOWN",
    "AzureMocks",
    "Plan",
    "PlanError",
    "PlannedOutput",
    "PlannedResource",
    "load_project",
    "load_stack_config",
    "render_json",
    "render_tree",
    "run_plan",
    "run_program",
]
