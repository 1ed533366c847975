"""Plan diffs, the markdown PR comment and the mermaid graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pulumi_azureml.plan import Plan, run_plan, run_program
from pulumi_azureml.plan.diff import diff, render_diff_markdown, render_diff_text
from pulumi_azureml.plan.render import render_markdown, render_mermaid
from test_snapshots import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def stacks() -> dict[str, Plan]:
    return {stack: run_plan(ROOT, stack) for stack in ("dev", "prod")}


def test_same_plan_has_no_changes(stacks: dict[str, Plan]) -> None:
    assert diff(stacks["dev"], json.loads(json.dumps(stacks["dev"].to_json()))) == []


def test_dev_against_prod_is_readable_markdown(stacks: dict[str, Plan]) -> None:
    changes = diff(stacks["dev"], stacks["prod"])
    text = render_diff_markdown(changes, "prod against dev")
    assert text.startswith("### prod against dev")
    assert "| ≠ | `storage:StorageAccount` | `platform-storage` |" in text
    assert "`sku.name`: `Standard_LRS` → `Standard_GZRS`" in text
    # between stacks nothing is deleted or replaced: resources only exist on one side
    assert "only in dev" in text
    assert ":warning: **data loss**" not in text
    assert all(not c.replaces and not c.data_loss for c in changes)


def test_rename_and_replacement_within_a_stack() -> None:
    before = run_program(lambda: Store("data", "storage"))
    renamed = diff(before, run_program(lambda: Store("data", "account")))
    kinds = sorted((c.kind, c.name, c.data_loss) for c in renamed)
    assert kinds == [("added", "data-account", False), ("removed", "data-storage", True)]
    assert diff(before, run_program(lambda: Store("data", "account", alias="storage"))) == []
    replaced = diff(before, run_program(lambda: Store("data", "storage", hns=True)))
    assert [(c.kind, c.replaces, c.data_loss, c.reasons) for c in replaced] == [
        ("changed", True, True, ["isHnsEnabled forces replacement"])
    ]
    assert "[REPLACE] [DATA LOSS]" in render_diff_text(replaced)


def test_markdown_and_mermaid_render_the_plan(stacks: dict[str, Plan]) -> None:
    md = render_markdown(stacks["prod"])
    assert "### Offline plan: `azureml-platform` / `prod`" in md
    assert "| :lock: | `machinelearningservices:Workspace` | `platform-workspace` |" in md
    assert "<details><summary>Outputs</summary>" in md and "```mermaid" in md
    graph = render_mermaid(stacks["prod"])
    assert graph.startswith("graph TD\n")
    assert "subgraph " in graph and '["platform"]' in graph
    assert graph.count(" --> ") >= 10
    assert render_mermaid(stacks["prod"]) == graph  # stable ids


def test_cli_diff_against_a_saved_plan(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "components")}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pulumi_azureml.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT
        )

    saved = tmp_path / "dev.json"
    saved.write_text(cli("plan", "--stack", "dev", "--format", "json").stdout)
    same = cli("diff", "--stack", "dev", "--against", str(saved))
    assert (same.returncode, same.stdout) == (0, "no changes\n")
    missing = cli("diff", "--stack", "dev", "--against", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "nope.json: cannot read: No such file" in missing.stderr


def test_a_container_rename_is_a_data_loss_risk() -> None:
    from pulumi_azureml import AzureBlobDatastore

    def program(container: str) -> None:
        ws_place = {
            "workspace_name": "mlw-x",
            "resource_group_name": "rg-x",
            "location": "westeurope",
            "subscription_id": "00000000-0000-0000-0000-000000000001",
            "workspace_principal_id": "6f1d0c9e-1c2b-4e3a-9d8f-0a1b2c3d4e5f",
        }
        AzureBlobDatastore(
            "raw",
            {**ws_place, "datastore_name": "raw", "container": container, "storage_account_name": "straw01"},
        )

    changes = diff(run_program(lambda: program("raw")), run_program(lambda: program("landing")))
    container = next(c for c in changes if c.name == "raw-container")
    assert (container.replaces, container.data_loss) == (True, True)
    assert "containerName forces replacement" in container.reasons


def test_long_values_that_differ_never_print_alike() -> None:
    base = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-with-a-long-name/providers/"
    first = base + "Microsoft.Storage/storageAccounts/" + "a" * 300 + "one"
    second = base + "Microsoft.Storage/storageAccounts/" + "a" * 300 + "two"
    from pulumi_azureml.plan.diff import Change

    text = render_diff_text([Change("changed", "t", "n", "k", properties=[("id", first, second)])])
    line = text.splitlines()[1]
    old, new = line.split(": ", 1)[1].split(" -> ")
    assert old != new and old.endswith(")") and "sha256" in old
    short = render_diff_text([Change("changed", "t", "n", "k", properties=[("id", base + "x", base + "y")])])
    assert f"{base}x -> {base}y" in short  # an ARM id of ordinary length is shown whole


def test_changes_azure_refuses_for_good_are_flagged() -> None:
    prod = run_plan(ROOT, "prod")
    shorter = run_plan(ROOT, "prod", config_overrides={"keyVault": '{"softDeleteRetentionDays": 30}'})
    loosened = run_plan(ROOT, "prod", config_overrides={"workspace": '{"isolationMode": "AllowInternetOutbound"}'})
    (vault,) = [c for c in diff(prod, shorter) if c.name == "platform-kv"]
    assert vault.refused and "fixed when the vault is created" in vault.reasons[0]
    (workspace,) = [c for c in diff(prod, loosened) if c.name == "platform-workspace"]
    assert workspace.refused and "never loosened" in workspace.reasons[0]
    assert "[AZURE REFUSES]" in render_diff_text([vault])
    assert ":no_entry: **Azure refuses**" in render_diff_markdown([vault], "t")
    # Tightening is allowed; between two stacks nothing is refused (they are different resources).
    assert not any(c.refused for c in diff(loosened, prod))
    assert not any(c.refused for c in diff(run_plan(ROOT, "dev"), prod))
