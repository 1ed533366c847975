"""The pulumi-azureml command on the shipped stacks (infra/ + stacks/), as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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


def test_make_plan_json_is_the_plan_alone() -> None:
    # The README's `STACK=prod FORMAT=json make plan > plan.json`: recipes are silent, progress goes to stderr.
    result = subprocess.run(
        ["make", "--no-print-directory", "plan"],
        cwd=ROOT,
        env={**os.environ, "STACK": "prod", "FORMAT": "json"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["stack"] == "prod" and document["resources"]
