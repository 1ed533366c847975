"""The README's library examples run as written (under mocks), so the manual cannot drift from the code."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

from pulumi_azureml.plan import run_program

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def library_examples() -> str:
    section = README.split("## Using the components from another repo", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) >= 2
    # Blocks inside a list item are indented.
    return "\n".join(textwrap.dedent(block) for block in blocks)


def test_library_examples_plan_cleanly() -> None:
    code = library_examples()
    shared = json.loads((ROOT / "examples" / "consumer" / "shared-data.dev.json").read_text())
    plan = run_program(
        lambda: exec(compile(code, "README.md", "exec"), {"__name__": "__main__"}),
        stack_outputs={"acme/shared-data/dev": shared},
    )
    types = {r.type for r in plan.resources}
    assert "pulumi-azureml:index:MachineLearningWorkspace" in types
    assert "pulumi-azureml:index:ComputeCluster" in types
    assert "pulumi-azureml:index:AzureDataLakeGen2Datastore" in types
    workspaces = plan.by_type("azure-native:machinelearningservices:Workspace")
    assert {w.inputs["workspaceName"] for w in workspaces} == {"mlw-research-dev-sdc", "mlw-research-staging-sdc"}
    # The key vault id came from the StackReference.
    assert {w.inputs["keyVault"] for w in workspaces} >= {shared["key_vault_id"]}
