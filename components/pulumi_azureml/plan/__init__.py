"""The offline plan: what `pulumi up` would register, without credentials or the Pulumi CLI.

``run_plan(project_dir, stack)`` runs a Pulumi project's program under mocks that answer like
Azure; ``run_program(fn)`` does the same for a Python callable. Both return a :class:`Plan`::

    from pathlib import Path
    from pulumi_azureml.plan import run_plan, render_json

    plan = run_plan(Path("."), "dev")
    plan.by_type("azure-native:storage:StorageAccount")   # -> [PlannedResource, ...]
    plan.get("platform-workspace").inputs["publicNetworkAccess"]
    plan.outputs["workspace_id"].known_after_apply          # True: only Azure knows it
    print(render_json(plan))

Modules: ``project`` reads Pulumi.yaml and stack files, ``mocks`` answers like Azure, ``monitor``
records registrations, ``engine`` runs programs, ``model`` holds the result, ``render`` prints it.
"""

from .engine import find_run_error, run_plan, run_program
from .mocks import PLACEHOLDER_CLIENT, PLACEHOLDER_OBJECT, PLACEHOLDER_SUBSCRIPTION, PLACEHOLDER_TENANT, AzureMocks
from .model import SECRET, UNKNOWN, Plan, PlannedOutput, PlannedResource
from .project import PlanError, Project, load_project, load_stack_config
from .render import render_json, render_tree

__all__ = [
    "PLACEHOLDER_CLIENT",
    "PLACEHOLDER_OBJECT",
    "PLACEHOLDER_SUBSCRIPTION",
    "PLACEHOLDER_TENANT",
    "SECRET",
    "UNKNOWN",
    "AzureMocks",
    "Plan",
    "PlanError",
    "PlannedOutput",
    "PlannedResource",
    "Project",
    "find_run_error",
    "load_project",
    "load_stack_config",
    "render_json",
    "render_tree",
    "run_plan",
    "run_program",
]
