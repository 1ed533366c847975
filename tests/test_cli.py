"""The pulumi-azureml command, run as a real process: output formats, exit statuses, error lines.

Each run starts a Python process that imports Pulumi and azure-native (a few seconds), so the
module starts them all at once and each test checks the result of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pulumi_azureml.plan import PLACEHOLDER_TENANT, render_json, render_tree, run_plan

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "plan_project"
SUB = "12345678-aaaa-bbbb-cccc-1234567890ab"
TENANT = "87654321-dddd-eeee-ffff-ba0987654321"
CONSOLE_SCRIPT = Path(sys.executable).with_name("pulumi-azureml")


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


def _crashing_project(directory: Path) -> Path:
    (directory / "Pulumi.yaml").write_text("name: crash\nruntime: python\n")
    (directory / "Pulumi.dev.yaml").write_text("config: {}\n")
    (directory / "__main__.py").write_text("raise RuntimeError('boom: a bug in the program')\n")
    return directory


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    crash = _crashing_project(tmp_path_factory.mktemp("crash"))
    empty = tmp_path_factory.mktemp("empty")
    fixture = ["--cwd", str(FIXTURE)]
    commands: dict[str, list[str]] = {
        "json": ["plan", "--stack", "test", "--format", "json", *fixture],
        "tree": ["plan", "--stack", "test", *fixture, "--subscription-id", SUB, "--tenant-id", TENANT],
        "config-error": ["plan", "--stack", "broken", *fixture],
        "config-error-late": ["plan", "--stack", "broken-late", *fixture],
        "missing-stack": ["plan", "--stack", "qa", *fixture],
        "missing-project": ["plan", "--stack", "dev", "--cwd", str(empty)],
        "bad-override": ["plan", "--stack", "test", *fixture, "--config", "no-equals-sign"],
        "bug": ["plan", "--stack", "dev", "--cwd", str(crash)],
    }
    processes = {
        name: subprocess.Popen(
            [sys.executable, "-m", "pulumi_azureml.cli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for name, args in commands.items()
    }
    if CONSOLE_SCRIPT.exists():
        processes["console-script"] = subprocess.Popen(
            [str(CONSOLE_SCRIPT), "plan", "--stack", "test", "--cwd", "tests/fixtures/plan_project"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
    done: dict[str, Result] = {}
    for name, process in processes.items():
        stdout, stderr = process.communicate(timeout=300)
        done[name] = Result(process.returncode, stdout, stderr)
    return done


def test_json_output_parses_and_equals_the_in_process_plan(results: dict[str, Result]) -> None:
    result = results["json"]
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["project"], doc["stack"]) == ("plan-fixture", "test")
    assert doc["outputs"]["api_key"] == {"value": "[secret]", "knownAfterApply": False, "secret": True}
    assert "plaintext-token-9f2c" not in result.stdout
    # Another process, the same document: plans are deterministic.
    assert result.stdout == render_json(run_plan(FIXTURE, "test"))


def test_tree_output_with_a_real_subscription_and_tenant(results: dict[str, Result]) -> None:
    result = results["tree"]
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Subscription: {SUB}\n" in out and f"Tenant:       {TENANT}\n" in out
    assert "placeholder" not in out and PLACEHOLDER_TENANT not in out
    assert "pulumi:pulumi:Stack" in out and "[protect]" in out
    assert f"late_group_id        : /subscriptions/{SUB}/resourceGroups/rg-late  (known after apply)" in out
    assert f"tenant_id            : {TENANT}\n" in out


@pytest.mark.parametrize(
    ("run", "line"),
    [
        ("config-error", "config error: plan-fixture:settings.fail='early': asked to fail before any resource"),
        (
            "config-error-late",
            f"config error: plan-fixture:settings.fail='late': asked to fail in tenant {PLACEHOLDER_TENANT}",
        ),
        ("missing-stack", f"{FIXTURE / 'stacks' / 'Pulumi.qa.yaml'}: no config file for stack 'qa'"),
        ("bad-override", "--config 'no-equals-sign': expected KEY=VALUE"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(results: dict[str, Result], run: str, line: str) -> None:
    result = results[run]
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [line]
    assert "Traceback" not in result.stderr


def test_missing_pulumi_yaml_is_exit_2(results: dict[str, Result]) -> None:
    result = results["missing-project"]
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "Pulumi.yaml: no Pulumi.yaml here" in result.stderr


def test_a_bug_is_exit_1_with_the_traceback(results: dict[str, Result]) -> None:
    result = results["bug"]
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "RuntimeError: boom: a bug in the program" in result.stderr


@pytest.mark.skipif(not CONSOLE_SCRIPT.exists(), reason="the console script is not installed in this environment")
def test_console_script_prints_the_tree(results: dict[str, Result]) -> None:
    result = results["console-script"]
    assert result.returncode == 0, result.stderr
    assert result.stdout == render_tree(run_plan(FIXTURE, "test"))
