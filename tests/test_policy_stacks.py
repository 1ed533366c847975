"""`pulumi-azureml check` on the shipped stacks and on a deliberately insecure one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pulumi_azureml.plan import run_plan
from pulumi_azureml.policy import BY_ID, Level
from pulumi_azureml.policy.check import Report, evaluate, resources_of, stack_policy
from test_policy_rules_inference import INFERENCE_TYPES

ROOT = Path(__file__).resolve().parents[1]
INSECURE = ROOT / "tests" / "fixtures" / "insecure_project"
BROKEN = ROOT / "tests" / "fixtures" / "broken_project"

# What the insecure stack (environment prod) breaks, rule by rule.
INSECURE_MANDATORY = {
    "MLW-001", "MLW-002", "MLW-008", "MLW-009", "MLW-010",
    "MLC-001", "MLC-002", "MLC-005", "MLC-006",
    "DS-001",
    "ST-001", "ST-002", "ST-003", "ST-004", "ST-005", "ST-006", "ST-007", "ST-008", "ST-009",
    "ST-011", "ST-012", "ST-013", "ST-014",
    "KV-001", "KV-002", "KV-003", "KV-004", "KV-005", "KV-006",
    "CR-001", "CR-002", "CR-003", "CR-004", "CR-005",
    "GEN-002", "MLW-005", "KV-007", "MON-003",
    "MLC-003", "MLC-007", "GEN-001", "GEN-003", "MON-001", "ST-015",
    "ST-016", "ST-018", "KV-008", "CR-009", "CR-010", "MLW-006",
    "AKS-003", "AKS-006", "AKS-007", "AKS-012", "AKS-016", "MLE-001",
}  # fmt: skip
INSECURE_ADVISORY = {
    "MLW-003", "MLW-004", "MLW-007", "MLC-004", "ST-010", "CR-006", "CR-007", "CR-008",
    "MON-002", "MON-004", "ST-017", "CR-011", "CR-012", "CR-013", "CR-014", "CR-015",
    "AKS-002", "AKS-005", "AKS-009", "AKS-011", "AKS-013", "AKS-014", "MLE-002", "CON-001", "CON-002",
}  # fmt: skip
# What the inference components always set, whatever the config (only an `overrides` escape hatch
# could loosen them): Entra ID with RBAC, network policy, autoscaling, workload identity, no node
# public IPs, an endpoint identity; and the registry rule, which judges the shared stack (see
# test_shared_stack_passes_with_its_public_registry_lowered_for_a_reason).
ALWAYS_SET = {"AKS-001", "AKS-004", "AKS-008", "AKS-010", "AKS-015", "MLE-003", "MLR-001"}
# The one rule stack config cannot break (config-declared instances need assignedUser), covered by
# its unit case in test_policy_rules.py.
NOT_BREAKABLE_BY_CONFIG = {"MLC-008"}
# Will-it-work rules on the inference types that the stack loader refuses first (RUN-009, RUN-011) or
# that need a node size no shipped fixture uses (RUN-010): covered case by case in
# test_policy_rules_inference.py.
NOT_BUILT_BY_CONFIG = {rule_id for rule_id, rule in BY_ID.items() if set(rule.types) <= INFERENCE_TYPES}
# Prod advisories the README explains one by one (section "Policy rules").
PROD_ADVISORIES = {
    "MLW-003", "MLW-004", "ST-010", "ST-017", "MON-002", "MON-004",
    "CR-006", "CR-007", "CR-008", "CR-011", "CR-012", "CR-013", "CR-014", "CR-015",
    "AKS-002", "AKS-009", "AKS-011", "AKS-013", "AKS-014",
}  # fmt: skip


def check_stack(project: Path, stack: str) -> Report:
    environment, overrides = stack_policy(project, stack)
    return evaluate(resources_of(run_plan(project, stack)), environment, overrides, stack=stack)


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_shipped_stacks_have_no_mandatory_violation(stack: str) -> None:
    report = check_stack(ROOT, stack)
    assert report.mandatory == [], [f.rule.id for f in report.mandatory]
    assert report.exit_code == 0


def test_prod_advisories_are_the_ones_the_readme_explains() -> None:
    report = check_stack(ROOT, "prod")
    assert {f.rule.id for f in report.advisory} == PROD_ADVISORIES
    readme = (ROOT / "README.md").read_text()
    explained = readme.split("<!-- prod-advisories:start -->")[1].split("<!-- prod-advisories:end -->")[0]
    for rule_id in PROD_ADVISORIES:
        assert f"**{rule_id}**" in explained, f"README does not explain prod advisory {rule_id}"


def test_staging_lowers_public_workspace_and_studio_storage_with_a_reason() -> None:
    report = check_stack(ROOT, "staging")
    lowered = (
        ("MLW-001", "reviewers"),
        ("ST-004", "studio"),
        ("ST-005", "studio"),
        ("CR-003", "AKS"),
        ("CR-004", "AKS"),
    )
    for rule_id, why in lowered:
        (finding,) = [f for f in report.findings if f.rule.id == rule_id]
        assert finding.level is Level.ADVISORY
        assert finding.reason and why in finding.reason
    # Without the override the same stack fails: the override is what makes it pass.
    environment, _ = stack_policy(ROOT, "staging")
    plain = evaluate(resources_of(run_plan(ROOT, "staging")), environment, {})
    assert [f.rule.id for f in plain.mandatory] == ["MLW-001", "ST-004", "ST-005", "CR-003", "CR-004"]


def test_insecure_stack_is_caught_rule_by_rule() -> None:
    report = check_stack(INSECURE, "insecure")
    assert report.environment == "prod"
    assert {f.rule.id for f in report.mandatory} == INSECURE_MANDATORY
    assert {f.rule.id for f in report.advisory} == INSECURE_ADVISORY
    security = {rule_id for rule_id, rule in BY_ID.items() if rule.family == "security"}
    assert security - INSECURE_MANDATORY - INSECURE_ADVISORY - ALWAYS_SET == NOT_BREAKABLE_BY_CONFIG


def test_broken_stack_fails_every_will_it_work_rule_a_plan_can_show() -> None:
    report = check_stack(BROKEN, "broken")
    works = {rule_id for rule_id, rule in BY_ID.items() if rule.family == "works"}
    found = {f.rule.id for f in report.mandatory if f.rule.family == "works"}
    # RUN-001 (a retired size) never reaches a rule offline: the engine refuses the plan first.
    assert found == works - {"RUN-001"} - NOT_BUILT_BY_CONFIG
    assert all(f.level is Level.MANDATORY for f in report.findings if f.rule.family == "works")


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_shipped_stacks_pass_every_will_it_work_rule(stack: str) -> None:
    report = check_stack(ROOT, stack)
    assert [f"{f.rule.id} {f.resource.name}: {f.message}" for f in report.findings if f.rule.family == "works"] == []


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "components")}
    return subprocess.run(
        [sys.executable, "-m", "pulumi_azureml.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )


def test_cli_check_fails_on_insecure_with_one_line_per_broken_rule(tmp_path: Path) -> None:
    pack_config = tmp_path / "levels.json"
    result = cli("check", "--cwd", str(INSECURE), "--stack", "insecure", "--pack-config", str(pack_config))
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.split(" ", 1)[0] in BY_ID]
    ids = [line.split()[0] for line in lines]
    assert len(ids) == len(set(ids)) == len(INSECURE_MANDATORY | INSECURE_ADVISORY)
    kv = next(line for line in lines if line.startswith("KV-002 "))
    assert "mandatory" in kv and "platform-kv" in kv and "fix: keyVault.purgeProtection" in kv
    assert result.stdout.strip().splitlines()[-1].startswith("FAIL: ")
    levels = json.loads(pack_config.read_text())
    assert levels["KV-002"] == {"enforcementLevel": "mandatory"}


def test_cli_check_prod_json_passes_and_bad_policy_config_exits_2() -> None:
    result = cli("check", "--stack", "prod", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["passed"] is True and doc["mandatory"] == 0 and doc["environment"] == "prod"
    bad = cli("check", "--stack", "prod", "--config", 'policy={"MLW-001": {"level": "advisory"}}')
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "config error: azureml-platform:policy.MLW-001.reason=None: is required: say why this stack changes "
        "the rule's level"
    ]


def test_shared_stack_passes_with_its_public_registry_lowered_for_a_reason() -> None:
    report = check_stack(ROOT, "shared")
    assert report.mandatory == []
    (finding,) = [f for f in report.findings if f.rule.id == "MLR-001"]
    assert finding.level is Level.ADVISORY and finding.reason and "private endpoint" in finding.reason
