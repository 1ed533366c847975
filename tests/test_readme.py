"""The README's library examples run as written (under mocks), so the manual cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

from pulumi_azureml.plan import run_program

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def library_examples() -> str:
    section = README.split("## Using the components from another repo", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) >= 3
    return "\n".join(blocks)


def test_library_examples_plan_cleanly() -> None:
    code = library_examples()
    plan = run_program(lambda: exec(compile(code, "README.md", "exec"), {"__name__": "__main__"}))
    types = {r.type for r in plan.resources}
    assert "pulumi-azureml:index:MachineLearningWorkspace" in types
    assert "pulumi-azureml:index:ComputeCluster" in types
    assert "pulumi-azureml:index:ComputeInstance" in types
    workspaces = plan.by_type("azure-native:machinelearningservices:Workspace")
    assert {w.inputs["workspaceName"] for w in workspaces} == {"mlw-research-dev-sdc", "mlw-research-staging-sdc"}
    assert "workspace_name" in plan.outputs
