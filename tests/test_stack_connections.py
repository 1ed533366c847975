"""Workspace connections and attached computes planned from stack config, credentials masked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.plan import Plan, find_run_error, run_plan

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "connections_project"
CONNECTION = "azure-native:machinelearningservices:WorkspaceConnection"
COMPUTE = "azure-native:machinelearningservices:Compute"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return run_plan(FIXTURE, "staging")


def test_connections_plan_from_config_with_their_secrets_masked(plan: Plan) -> None:
    by_name = {r.name: r.inputs["properties"] for r in plan.by_type(CONNECTION)}
    assert by_name["connection-openai-connection"]["authType"] == "AAD"
    assert by_name["connection-lake-connection"]["category"] == "ADLSGen2"
    assert by_name["connection-repo-connection"]["credentials"] == {"pat": "[secret]"}
    assert by_name["connection-vendor-api-connection"]["credentials"] == {"keys": {"apiKey": "[secret]"}}
    rendered = json.dumps([r.to_json() for r in plan.resources]) + json.dumps(
        {k: v.to_json() for k, v in plan.outputs.items()}
    )
    # The fixture's ciphertexts all end in base64 of "...must-never-appear".
    assert "bXVzdC1uZXZlci1hcHBlYXI" not in rendered and "must-never-appear" not in rendered
    assert [c["name"] for c in plan.outputs["connections"].value] == ["openai", "lake", "repo", "vendor-api"]


def test_attached_computes_plan_from_config_detached_on_destroy(plan: Plan) -> None:
    computes = {r.name: r for r in plan.by_type(COMPUTE) if r.name.startswith("attached-")}
    dbx = computes["attached-dbx-etl-compute"].inputs["properties"]
    assert dbx["computeType"] == "Databricks" and dbx["properties"] == {"databricksAccessToken": "[secret]"}
    vm = computes["attached-dsvm-compute"].inputs["properties"]["properties"]
    assert vm["administratorAccount"] == {"privateKeyData": "[secret]", "username": "azureuser"}
    assert plan.outputs["attached_computes"].value == ["dbx-etl", "dsvm"]


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    (project / "Pulumi.yaml").write_text(
        (FIXTURE / "Pulumi.yaml").read_text().replace("../../../infra/", str(ROOT / "infra"))
    )
    stack = project / "stacks" / "Pulumi.staging.yaml"
    text = stack.read_text()
    assert old in text
    stack.write_text(text.replace(old, new))
    return project


def _config_error(project: Path) -> str:
    with pytest.raises(Exception) as err:
        run_plan(project, "staging")
    found = find_run_error(err.value)
    assert isinstance(found, ConfigError) or "config error" in str(err.value)
    return str(found or err.value)


def test_a_plain_text_credential_is_refused_without_showing_it(tmp_path: Path) -> None:
    project = _variant(
        tmp_path, "      pat:\n        secure: v1:cGF0LXRoYXQtbXVzdC1uZXZlci1hcHBlYXI=", "      pat: ghp_plaintext"
    )
    message = _config_error(project)
    assert "azureml-platform:connections[2].pat" in message and "secret" in message
    assert "ghp_plaintext" not in message


def test_two_connections_of_one_name_are_refused(tmp_path: Path) -> None:
    message = _config_error(_variant(tmp_path, "name: lake", "name: openai"))
    assert "connections[1].name='openai': connection names must be unique" in message


def test_two_kinds_in_one_attached_compute_are_refused(tmp_path: Path) -> None:
    message = _config_error(_variant(tmp_path, "    - virtualMachine:\n", "      virtualMachine:\n"))
    assert "azureml-platform:attachedComputes[0]" in message and "exactly one of" in message
