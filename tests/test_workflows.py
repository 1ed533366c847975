"""The GitHub workflows keep their security properties, and the PR comment renderer its contract.

actionlint (``make lint-workflows``) checks syntax, expressions and action inputs; these tests pin
what a refactor must not lose: the fork pull-request job has no secrets and a read-only token, the
commenting workflow runs from the base repository without checking out or interpolating pull-request
data, the preview runs only for same-repository pull requests, and deployments go dev → staging →
prod through their GitHub environments, one at a time per stack.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
RENDERER = ROOT / ".github" / "scripts" / "plan_comment.py"
MARKER = "<!-- pulumi-azureml-plan -->"
STACKS = ["dev", "staging", "prod"]
# The shared registry stack is planned (and deployed) first; the renderer tests use the three environments.
SHIPPED = ["shared", *STACKS]


def load(name: str) -> dict[str, Any]:
    document = yaml.safe_load((WORKFLOWS / name).read_text())
    assert isinstance(document, dict)
    # YAML 1.1 reads the key `on` as the boolean true.
    if True in document:
        document["on"] = document.pop(True)
    return document


def jobs(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    result = workflow["jobs"]
    assert isinstance(result, dict)
    return result


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def uses(step: dict[str, Any]) -> str:
    return str(step.get("uses", ""))


def step_using(job: dict[str, Any], action: str, **with_: Any) -> dict[str, Any]:
    for step in steps(job):
        if uses(step).split("@")[0] == action and all(step.get("with", {}).get(k) == v for k, v in with_.items()):
            return step
    raise AssertionError(f"no step uses {action} with {with_}")


def index_of(job: dict[str, Any], step: dict[str, Any]) -> int:
    return next(i for i, s in enumerate(steps(job)) if s is step)


def test_every_workflow_is_yaml_with_triggers_and_jobs() -> None:
    names = sorted(p.name for p in WORKFLOWS.glob("*.yml"))
    assert names == ["deploy.yml", "pr-comment.yml", "pr-plan.yml", "preview.yml", "pulumi-up.yml"]
    for name in names:
        workflow = load(name)
        assert workflow["on"] and jobs(workflow), name
        assert "permissions" in workflow, f"{name}: set the token's permissions explicitly"


@pytest.mark.parametrize("name", ["deploy.yml", "pr-comment.yml", "pr-plan.yml", "preview.yml", "pulumi-up.yml"])
def test_actions_are_pinned_to_a_version_or_commit(name: str) -> None:
    for job in jobs(load(name)).values():
        for step in steps(job):
            ref = uses(step)
            if not ref or ref.startswith("./"):
                continue
            version = ref.partition("@")[2]
            assert re.fullmatch(r"v\d+(\.\d+){0,2}|[0-9a-f]{40}", version), f"{name}: {ref} is not pinned"


# --- the offline plan of fork pull requests ---------------------------------------------------


def test_fork_pr_plan_has_no_secrets_and_a_read_only_token() -> None:
    text = (WORKFLOWS / "pr-plan.yml").read_text()
    workflow = load("pr-plan.yml")
    assert set(workflow["on"]) == {"pull_request"}, "never pull_request_target: it would run fork code with secrets"
    assert not re.search(r"secrets\s*[.\[]", text), "the fork job must not reference secrets"
    assert "id-token" not in text
    assert workflow["permissions"] == {"contents": "read"}
    for job in jobs(workflow).values():
        assert set(job.get("permissions", {}).values()) <= {"read", "none"}
        checkout = step_using(job, "actions/checkout")
        assert checkout["with"]["persist-credentials"] is False


def test_fork_pr_plan_uploads_the_comment_before_it_fails() -> None:
    job = jobs(load("pr-plan.yml"))["plan"]
    upload = step_using(job, "actions/upload-artifact", name="pr-plan-comment")
    run_steps = [s for s in steps(job) if "run" in s]
    check = next(s for s in run_steps if "azml check" in s["run"])
    fail = steps(job)[-1]
    assert "failures.txt" in fail["env"]["FAILURES"] and "exit 1" in fail["run"]
    assert index_of(job, check) < index_of(job, upload) < index_of(job, fail)
    render = next(s for s in run_steps if "plan_comment.py" in s["run"])
    assert "pr-number" in render["run"] and "PR_NUMBER" in render["env"]


def test_fork_pr_plan_plans_base_and_head_and_diffs_them() -> None:
    job = jobs(load("pr-plan.yml"))["plan"]
    scripts = "\n".join(s["run"] for s in steps(job) if "run" in s)
    assert "git worktree add" in scripts and "HEAD^1" in scripts
    assert step_using(job, "actions/checkout")["with"]["fetch-depth"] == 2
    for command in ("plan --cwd", "diff --cwd", "--against base.json", "check --cwd", "--format json"):
        assert command in scripts


@pytest.mark.parametrize("name", ["pr-plan.yml", "pr-comment.yml"])
def test_no_expression_is_interpolated_into_a_script(name: str) -> None:
    # Untrusted values (PR titles, branch names, artifact content) reach scripts through env only.
    for job in jobs(load(name)).values():
        for step in steps(job):
            assert "${{" not in step.get("run", ""), f"{name}: {step.get('name')}: pass values through env"


# --- the comment, posted from the base repository ---------------------------------------------


def test_comment_workflow_runs_on_workflow_run_of_the_plan() -> None:
    workflow = load("pr-comment.yml")
    assert set(workflow["on"]) == {"workflow_run"}
    trigger = workflow["on"]["workflow_run"]
    assert trigger["workflows"] == [load("pr-plan.yml")["name"]]
    assert trigger["types"] == ["completed"]
    assert workflow["permissions"] == {}
    (job,) = jobs(workflow).values()
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert "github.event.workflow_run.event == 'pull_request'" in job["if"]


def test_comment_workflow_never_checks_out_or_runs_pr_code() -> None:
    workflow = load("pr-comment.yml")
    (job,) = jobs(workflow).values()
    actions = [uses(s).split("@")[0] for s in steps(job) if uses(s)]
    assert actions == ["actions/download-artifact"], "no checkout, no local actions"
    download = steps(job)[0]
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert download["with"]["path"].startswith("${{ runner.temp }}")
    script = steps(job)[1]["run"]
    assert MARKER in script
    # The PR number is validated as an integer and must name the pull request the run was for.
    assert "^[1-9][0-9]{0,9}$" in script
    assert '"$head_sha" != "$RUN_HEAD_SHA"' in script
    assert steps(job)[1]["env"]["RUN_HEAD_SHA"] == "${{ github.event.workflow_run.head_sha }}"
    # Only the bot's own marked comment is edited; otherwise one is created.
    assert "github-actions[bot]" in script and "startswith" in script
    assert "--method PATCH" in script and "--method POST" in script
    for forbidden in ("python", "bash ", "source ", "eval ", "chmod", "uv run"):
        assert forbidden not in script


# --- previews of same-repository pull requests ------------------------------------------------


def test_preview_runs_only_for_same_repository_prs_with_oidc() -> None:
    workflow = load("preview.yml")
    assert set(workflow["on"]) == {"pull_request"}
    assert workflow["permissions"] == {"contents": "read"}
    job = jobs(workflow)["preview"]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in job["if"]
    assert job["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write"}
    assert job["strategy"]["matrix"]["stack"] == SHIPPED
    assert job["env"]["ARM_USE_OIDC"] == "true"
    for key in ("ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_SUBSCRIPTION_ID", "PULUMI_ACCESS_TOKEN"):
        assert job["env"][key].startswith("${{")
    login = step_using(job, "azure/login")
    assert set(login["with"]) == {"client-id", "tenant-id", "subscription-id"}, "OIDC: no client secret"
    preview = step_using(job, "pulumi/actions", command="preview")
    assert preview["with"]["comment-on-pr"] is True
    assert preview["with"]["policyPacks"] == "policies"
    assert index_of(job, login) < index_of(job, preview)


# --- deployments ------------------------------------------------------------------------------


def test_deploy_goes_shared_dev_staging_prod_through_environments() -> None:
    workflow = load("deploy.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    deploy_jobs = jobs(workflow)
    order: list[str] = []
    remaining = dict(deploy_jobs)
    while remaining:
        ready = [n for n, j in remaining.items() if set(_needs(j)) <= set(order)]
        assert len(ready) == 1, f"one stage at a time, got {ready}"
        order.append(ready[0])
        del remaining[ready[0]]
    stages = [deploy_jobs[name]["with"]["stack"] for name in order]
    assert stages == SHIPPED
    for name in order:
        job = deploy_jobs[name]
        assert job["uses"] == "./.github/workflows/pulumi-up.yml"
        assert job["permissions"] == {"contents": "read", "id-token": "write"}
        assert "secrets: inherit" not in (WORKFLOWS / "deploy.yml").read_text()


def _needs(job: dict[str, Any]) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


def test_pulumi_up_runs_in_the_stack_environment_one_at_a_time() -> None:
    workflow = load("pulumi-up.yml")
    assert set(workflow["on"]) == {"workflow_call"}
    assert workflow["on"]["workflow_call"]["inputs"]["stack"]["required"] is True
    (job,) = jobs(workflow).values()
    assert job["environment"] == "${{ inputs.stack }}"
    assert "${{ inputs.stack }}" in job["concurrency"]["group"]
    assert job["concurrency"]["cancel-in-progress"] is False
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    check = next(s for s in steps(job) if "pulumi-azureml check" in s.get("run", ""))
    login = step_using(job, "azure/login")
    up = step_using(job, "pulumi/actions", command="up")
    assert index_of(job, check) < index_of(job, login) < index_of(job, up)
    assert up["with"]["policyPacks"] == "policies"
    assert "--pack-config" in check["run"] and "policy-config.json" in up["with"]["policyPackConfigs"]


def test_the_stack_lists_agree() -> None:
    files = sorted(
        p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in (ROOT / "stacks").glob("Pulumi.*.yaml")
    )
    assert sorted(SHIPPED) == files
    assert load("pr-plan.yml")["env"]["STACKS"].split() == SHIPPED
    assert "prod" in load("pr-plan.yml")["env"]["GUARDED_STACKS"].split()


# --- the comment renderer ---------------------------------------------------------------------


def _stack_dir(root: Path, stack: str, **files: tuple[str, int]) -> None:
    directory = root / stack
    directory.mkdir(parents=True)
    for name, (text, rc) in files.items():
        filename = name.replace("_", ".")
        (directory / filename).write_text(text)
        (directory / f"{filename}.rc").write_text(f"{rc}\n")
        (directory / f"{filename}.err").write_text("boom: `bad` value\n" if rc else "")


def _plan(resources: int = 3) -> str:
    return json.dumps({"project": "p", "stack": "s", "resources": [], "summary": {"resources": resources}})


def _change(name: str, *, data_loss: bool = False) -> dict[str, Any]:
    return {
        "kind": "changed",
        "type": "azure-native:storage:StorageAccount",
        "name": name,
        "key": name,
        "properties": [],
        "replaces": data_loss,
        "dataLoss": data_loss,
        "reasons": ["accountName forces replacement"],
    }


PLAN_MD = (
    "### Offline plan: `p` / `s`\n\n| | type |\n|---|---|\n\n<details><summary>Outputs</summary>\n\n</details>\n\n"
    "<details><summary>Dependency graph</summary>\n\n```mermaid\ngraph TD\n  a --> b\n```\n\n</details>\n"
)


def _render(tmp_path: Path, *extra: str) -> tuple[str, list[str], subprocess.CompletedProcess[str]]:
    body, failures = tmp_path / "out" / "body.md", tmp_path / "failures.txt"
    result = subprocess.run(
        [
            sys.executable,
            str(RENDERER),
            "--dir",
            str(tmp_path / "plan"),
            "--stacks",
            *STACKS,
            "--body",
            str(body),
            "--failures",
            str(failures),
            "--guard",
            "prod",
            *extra,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return body.read_text(), failures.read_text().splitlines(), result


def _healthy(root: Path, stack: str, *, changes: list[dict[str, Any]] | None = None, check_rc: int = 0) -> None:
    _stack_dir(
        root,
        stack,
        base_json=(_plan(), 0),
        plan_json=(_plan(), 0),
        plan_md=(PLAN_MD, 0),
        diff_md=("### Plan diff: `s` against `base.json`\n\nNo changes.\n", 0),
        diff_json=(json.dumps(changes or []), 0),
        check_md=("### Policy check\n\nFAIL: 1 mandatory\n" if check_rc else "### Policy check\n\nPASS\n", check_rc),
    )


def test_renderer_passes_a_clean_pull_request(tmp_path: Path) -> None:
    for stack in STACKS:
        _healthy(tmp_path / "plan", stack)
    body, failures, _ = _render(tmp_path)
    assert failures == []
    assert MARKER not in body, "the commenting workflow adds the marker"
    for stack in STACKS:
        assert f"### `{stack}`" in body and f"Full plan of <code>{stack}</code>" in body
    assert body.count("```mermaid") == 3
    assert "[!CAUTION]" not in body and "[!WARNING]" not in body


def test_renderer_fails_on_a_mandatory_violation_and_a_broken_plan(tmp_path: Path) -> None:
    _healthy(tmp_path / "plan", "dev")
    _healthy(tmp_path / "plan", "staging", check_rc=1)
    _stack_dir(tmp_path / "plan", "prod", base_json=(_plan(), 0), plan_json=("", 2), check_md=("", 2))
    body, failures, _ = _render(tmp_path)
    assert failures[0].startswith("staging: mandatory policy violation")
    assert failures[1].startswith("prod: pulumi-azureml plan failed (exit status 2)")
    assert "[!WARNING]" in body and "**Mandatory policy violations** in `staging`" in body
    assert "boom: 'bad' value" in body, "stderr shown, backticks defused"


def test_renderer_flags_data_loss_and_fails_on_prod_without_the_label(tmp_path: Path) -> None:
    _healthy(tmp_path / "plan", "dev", changes=[_change("dev-storage", data_loss=True)])
    _healthy(tmp_path / "plan", "staging")
    _healthy(tmp_path / "plan", "prod", changes=[_change("platform-storage", data_loss=True)])
    body, failures, _ = _render(tmp_path)
    assert body.index("[!CAUTION]") < body.index("| stack |"), "the data-loss alert comes first"
    assert "`platform-storage`" in body and "`dev-storage`" in body
    assert failures == ["prod: data-loss risk (platform-storage) without the allow-data-loss label"]
    _, failures, _ = _render(tmp_path, "--allow-data-loss", "true")
    assert failures == []


def test_renderer_handles_a_new_stack_and_a_broken_base(tmp_path: Path) -> None:
    _healthy(tmp_path / "plan", "dev")
    _stack_dir(
        tmp_path / "plan",
        "staging",
        base_json=("", 2),
        plan_json=(_plan(), 0),
        plan_md=(PLAN_MD, 0),
        check_md=("### Policy check\n\nPASS\n", 0),
    )
    _stack_dir(
        tmp_path / "plan",
        "prod",
        plan_json=(_plan(), 0),
        plan_md=(PLAN_MD, 0),
        check_md=("### Policy check\n\nPASS\n", 0),
    )
    body, failures, _ = _render(tmp_path)
    assert failures == [], "a base that cannot be planned is not this pull request's fault"
    assert "could not be planned" in body and "has no stack file on the base branch" in body


@pytest.mark.parametrize("limit", [4_000, 12_000, 60_000])
def test_renderer_fits_the_comment_limit_with_markdown_closed(tmp_path: Path, limit: int) -> None:
    big_table = "".join(f"| ~ | `storage:StorageAccount` | `resource-{i}` | {'x' * 80} |\n" for i in range(400))
    big_plan = PLAN_MD.replace("graph TD\n", "graph TD\n" + "".join(f"  n{i} --> m{i}\n" for i in range(600)))
    for stack in STACKS:
        _stack_dir(
            tmp_path / "plan",
            stack,
            base_json=(_plan(), 0),
            plan_json=(_plan(), 0),
            plan_md=(big_plan, 0),
            diff_md=("### Plan diff\n\n| | type | name | what |\n|---|---|---|---|\n" + big_table, 0),
            diff_json=("[]", 0),
            check_md=("### Policy check\n\nPASS\n", 0),
        )
    body, _, _ = _render(tmp_path, "--limit", str(limit))
    assert len(body) <= limit
    assert sum(1 for line in body.splitlines() if line.startswith("```")) % 2 == 0
    assert len(re.findall(r"<details[ >]", body)) == body.count("</details>")
    assert "| stack |" in body and "`prod`" in body, "the summary table always survives"
