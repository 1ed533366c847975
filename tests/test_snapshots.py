"""Snapshot guard: shipped stacks keep their URNs and replacement-forcing inputs until refreshed."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pulumi_azure_native.storage as storage
import pytest

from pulumi_azureml.plan import run_plan, run_program
from pulumi_azureml.plan.snapshot import compare, take

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("stack", ["shared", "dev", "staging", "prod"])
def test_shipped_stack_matches_its_snapshot(stack: str) -> None:
    saved = json.loads((ROOT / "tests" / "snapshots" / f"{stack}.json").read_text())
    problems = compare(saved, run_plan(ROOT, stack))
    assert not problems, (
        f"stack {stack} would replace or delete resources:\n  "
        + "\n  ".join(problems)
        + "\nIf this is deliberate, run `make snapshots` and review the diff."
    )


class Store(pulumi.ComponentResource):
    """A component whose child name, alias and namespace setting the tests vary."""

    def __init__(self, name: str, child: str, hns: bool = False, alias: str | None = None) -> None:
        super().__init__("test:index:Store", name, None, None)
        storage.StorageAccount(
            f"{name}-{child}",
            storage.StorageAccountArgs(
                # Storage account names are global: each store gets its own.
                account_name=f"stguard{name}",
                resource_group_name="rg-guard",
                kind="StorageV2",
                sku=storage.SkuArgs(name="Standard_LRS"),
                is_hns_enabled=hns,
            ),
            opts=pulumi.ResourceOptions(parent=self, aliases=[pulumi.Alias(name=f"{name}-{alias}")] if alias else None),
        )
        self.register_outputs({})


def baseline() -> dict[str, object]:
    return take(run_program(lambda: Store("data", "storage")))


def test_renaming_a_child_fails_with_a_clear_message() -> None:
    problems = compare(baseline(), run_program(lambda: Store("data", "account")))
    assert len(problems) == 1
    assert "'data-storage' is gone" in problems[0]
    assert "DELETE" in problems[0] and "aliases" in problems[0]


def test_an_alias_keeps_the_old_urn() -> None:
    assert compare(baseline(), run_program(lambda: Store("data", "account", alias="storage"))) == []


def test_a_replacing_property_is_flagged_as_data_loss() -> None:
    problems = compare(baseline(), run_program(lambda: Store("data", "storage", hns=True)))
    assert problems == [
        "azure-native:storage:StorageAccount 'data-storage' would be REPLACED (stateful: data loss): "
        "isHnsEnabled changes from False to True"
    ]


def test_added_resources_pass() -> None:
    def program() -> None:
        Store("data", "storage")
        Store("more", "storage")

    assert compare(baseline(), run_program(program)) == []


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_no_chain_is_longer_than_the_resources_need(stack: str) -> None:
    from pulumi_azureml.plan.graph import critical_path, levels

    full = run_plan(ROOT, stack)
    # The inference cluster's chain is checked on its own below: the platform's must stay short.
    inference = ("KubernetesCompute$", "OnlineEndpoint$")
    platform = [r for r in full.resources if not any(token in r.urn for token in inference)]
    plan = type(full)(**{**vars(full), "resources": platform}) if platform != full.resources else full
    step = levels(plan.resources)
    (workspace,) = plan.by_type("azure-native:machinelearningservices:Workspace")
    # rg -> storage -> blob/file service (CORS first) -> workspace -> what hangs off the workspace
    assert step[workspace.urn] == 4
    # Past the workspace's direct dependents, only what waits on purpose: an instance for its
    # user's grants, a datastore for the workspace identity's, a compute identity's grants for the
    # compute, a private endpoint's DNS zone group and Reader grant for the endpoint, and an outbound
    # rule for the one before it (the service applies them one at a time).
    assert plan.summary()["depth"] <= 7
    by_urn = {r.urn: r for r in plan.resources}
    waits_on = {
        "azure-native:authorization:RoleAssignment",
        "azure-native:machinelearningservices:Compute",
        "azure-native:network:PrivateEndpoint",
        "azure-native:machinelearningservices:ManagedNetworkSettingsRule",
    }
    for r in plan.resources:
        if r.custom and step.get(r.urn, 0) >= 6:
            waited = [by_urn[d] for d in r.dependencies if step.get(d) == step[r.urn] - 1]
            assert waited and all(w.type in waits_on for w in waited), r.name
    path = [u.rsplit("::", 1)[-1] for u in critical_path(plan.resources)]
    assert path[0] == "platform-rg"
    if path[1] == "platform-vnet":
        # Prod: the network's subnets, one after another, then the private endpoints that wait for them.
        assert path[2:4] == ["platform-snet-pep", "platform-snet-aks"], path
    else:
        assert (path[1], path[3]) == ("platform-storage", "platform-workspace")
        assert path[2] in ("platform-storage-blob", "platform-storage-file")
    chain = [u.rsplit("::", 1)[-1] for u in critical_path(full.resources)]
    if "kubernetes-aks-inference-aks" in chain:
        # Each link waits on purpose: the subnet, the subnet role the cluster's identity needs, the
        # cluster, the extension and namespace before the attach, the compute before its endpoint.
        tail = chain[chain.index("kubernetes-aks-inference-aks") - 1 :]
        assert tail[1:4] == [
            "kubernetes-aks-inference-aks",
            "kubernetes-aks-inference-extension",
            "kubernetes-aks-inference-compute",
        ], chain
        # ...and the endpoint's Reader on the shared registry, granted to its identity once it exists.
        assert len(chain) <= 10
