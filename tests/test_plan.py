"""The offline plan engine and the pulumi-azureml command, on a small sample project and on infra/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pulumi_azureml.errors import ConfigError
from pulumi_azureml.plan import (
    PLACEHOLDER_SUBSCRIPTION,
    PLACEHOLDER_TENANT,
    SECRET,
    Plan,
    PlanError,
    render_json,
    render_tree,
    run_plan,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "fixtures" / "sample_project"
SECRET_TEXT = "secret-that-cannot-be-decrypted"


@pytest.fixture(scope="module")
def sample() -> Plan:
    return run_plan(SAMPLE, "test")


def test_records_every_registration_with_parent_protect_and_dependencies(sample: Plan) -> None:
    stack = sample.get("sample-test")
    assert stack.type == "pulumi:pulumi:Stack" and stack.parent is None
    bundle = sample.get("bundle")
    assert (bundle.type, bundle.custom, bundle.parent) == ("sample:index:Bundle", False, stack.urn)
    group = sample.get("bundle-rg")
    assert group.parent == bundle.urn and group.protect is True and group.custom is True
    account = sample.get("bundle-st")
    assert account.urn == "urn:pulumi:test::sample::sample:index:Bundle$azure-native:storage:StorageAccount::bundle-st"
    assert group.urn in account.dependencies
    later = sample.get("later")
    assert account.urn in later.dependencies
    assert later.options == {"deleteBeforeReplace": True}
    assert later.protect is False


def test_inputs_are_camel_case_and_config_reaches_the_program(sample: Plan) -> None:
    account = sample.get("bundle-st").inputs
    assert account["accountName"] == "stsample" + "x1"  # helper module imported from the program dir
    assert account["sku"] == {"name": "Standard_LRS"}
    assert account["resourceGroupName"].startswith("bundle-rg")
    assert sample.get("bundle-rg").inputs["tags"] == {"team": "data"}
    assert sample.outputs["sizes"].value == [1, 2]


def test_secrets_are_masked_everywhere(sample: Plan) -> None:
    assert sample.get("bundle-st").inputs["tags"] == {"password": SECRET}
    assert sample.outputs["password"].secret is True
    document = render_json(sample)
    assert SECRET_TEXT not in document and "c2VjcmV0" not in document
    assert json.loads(document)["outputs"]["password"] == {"value": SECRET, "knownAfterApply": False, "secret": True}
    assert SECRET_TEXT not in render_tree(sample)


def test_auto_names_ids_and_endpoints_are_marked_known_after_apply(sample: Plan) -> None:
    assert sample.outputs["group_name"].value == "rg-later"
    assert sample.outputs["group_name"].known_after_apply is False
    auto = sample.outputs["auto_named_group"]
    assert auto.value.startswith("bundle-rg") and auto.known_after_apply is True
    blob = sample.outputs["blob_endpoint"]
    assert blob.value == "https://stsamplex1.blob.core.windows.net/" and blob.known_after_apply is True


def test_client_config_placeholders_and_overrides(sample: Plan) -> None:
    assert sample.outputs["subscription_id"].value == PLACEHOLDER_SUBSCRIPTION
    assert sample.outputs["tenant_id"].value == PLACEHOLDER_TENANT
    sub, tenant = "11111111-2222-3333-4444-555555555555", "66666666-7777-8888-9999-000000000000"
    plan = run_plan(SAMPLE, "test", subscription_id=sub, tenant_id=tenant)
    assert (plan.outputs["subscription_id"].value, plan.outputs["tenant_id"].value) == (sub, tenant)


def test_plans_are_deterministic_and_isolated(sample: Plan) -> None:
    # Another program planned in between must not leak state into the next plan.
    run_plan(ROOT, "dev")
    again = run_plan(SAMPLE, "test")
    assert render_json(again) == render_json(sample)


def test_json_document_shape(sample: Plan) -> None:
    doc = json.loads(render_json(sample))
    assert set(doc) == {"project", "stack", "resources", "outputs", "summary"}
    assert doc["summary"] == {"resources": 3, "components": 2, "protected": 1, "alwaysOnNodes": 0}
    assert (doc["project"], doc["stack"]) == ("sample", "test")
    for resource in doc["resources"]:
        assert {"urn", "type", "name", "parent", "custom", "protect", "inputs", "dependencies"} <= set(resource)


def test_config_error_from_the_program_propagates() -> None:
    with pytest.raises(ConfigError, match="asked to fail"):
        run_plan(SAMPLE, "broken")


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "no Pulumi.yaml"),
        (lambda p: (p / "Pulumi.yaml").write_text("name: x\nmain: nowhere/\n"), "has no program"),
        (lambda p: (p / "Pulumi.yaml").write_text("name: [\n"), "not valid YAML"),
    ],
)
def test_project_file_errors(tmp_path: Path, setup: object, message: str) -> None:
    setup(tmp_path)  # type: ignore[operator]
    with pytest.raises(PlanError, match=message):
        run_plan(tmp_path, "dev")


def test_missing_stack_file() -> None:
    with pytest.raises(PlanError, match=r"Pulumi\.nope\.yaml: no config file for stack 'nope'"):
        run_plan(SAMPLE, "nope")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "components")}
    return subprocess.run(
        [sys.executable, "-m", "pulumi_azureml.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


def test_cli_tree_for_dev() -> None:
    result = cli("plan", "--stack", "dev")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "machinelearningservices:Workspace" in out and "platform-workspace" in out
    assert "isolationMode=AllowInternetOutbound" in out
    assert "Outputs:" in out and "(known after apply)" in out


def test_cli_json_for_prod_shows_protected_platform() -> None:
    result = cli("plan", "--stack", "prod", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    protected = {r["type"] for r in doc["resources"] if r["protect"]}
    assert "azure-native:machinelearningservices:Workspace" in protected
    assert "azure-native:storage:StorageAccount" in protected


def test_cli_config_error_is_one_line_exit_2() -> None:
    result = cli("plan", "--stack", "dev", "--config", 'keyVault={"softDeleteRetentionDays": 3}')
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "config error: azureml-platform:keyVault.softDeleteRetentionDays=3: must be a whole number from 7 to 90"
    ]
    assert "Traceback" not in result.stderr


def test_cli_missing_stack_is_exit_2() -> None:
    result = cli("plan", "--stack", "qa")
    assert result.returncode == 2
    assert "Pulumi.qa.yaml: no config file for stack 'qa'" in result.stderr
    assert "Traceback" not in result.stderr
