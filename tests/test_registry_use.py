"""A workspace using another stack's Azure ML registry: Reader for its identity, people and compute
identities, and the managed network's service-tag rules to a public registry (RUN-012 checks it)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from pulumi_azureml import ComputeCluster, ComputeInstance, MachineLearningWorkspace
from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.plan import Plan, run_plan, run_program
from pulumi_azureml.policy import BY_ID
from pulumi_azureml.policy.check import evaluate, resources_of
from pulumi_azureml.stack.config import parse_stack_config

ROOT = Path(__file__).resolve().parents[1]
RA = "azure-native:authorization:RoleAssignment"
RULE = "azure-native:machinelearningservices:ManagedNetworkSettingsRule"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
REGISTRY_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/rg-churn-shared-we"
    "/providers/Microsoft.MachineLearningServices/registries/mlr-churn-shared-we"
)
OTHER_ID = REGISTRY_ID.replace("mlr-churn-shared-we", "mlr-vision-shared-ne")
DS, OPS, RD = (
    "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9",
    "1c2d3e4f-5061-4728-93a4-b5c6d7e8f901",
    "2d3e4f50-6172-4839-a4b5-c6d7e8f90123",
)
UAI = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-x"
    "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-train"
)


def staging_workspace(**extra: Any) -> MachineLearningWorkspace:
    return MachineLearningWorkspace(
        "platform", {"workload": "churn", "environment": "staging", "location": "westeurope", **extra}
    )


def platform(isolation: str = "AllowOnlyApprovedOutbound", **use: Any) -> Plan:
    """A workspace with people, a cluster declared before use_registry and an instance after it."""
    args: dict[str, Any] = {
        "workload": "churn",
        "environment": "staging",
        "location": "westeurope",
        "workspace": {"isolation_mode": isolation},
        "access": {
            "data_scientists": [{"principal_id": DS, "name": "ds"}],
            "operators": [{"principal_id": OPS, "name": "ops"}],
            "readers": [{"principal_id": RD, "name": "rd", "principal_type": "User"}],
        },
    }

    def program() -> None:
        ws = MachineLearningWorkspace("platform", args)
        ComputeCluster("cluster-cpu", {"compute_name": "cpu-cluster"}, workspace=ws)
        ws.use_registry(REGISTRY_ID, **use)
        ComputeInstance(
            "instance-ci",
            {
                "compute_name": "ci-alice",
                "assigned_user": {"object_id": DS, "tenant_id": "0f0e0d0c-0b0a-4909-8807-060504030201"},
                "identity": {"type": "SystemAssigned,UserAssigned", "user_assigned_identity_ids": [UAI]},
            },
            workspace=ws,
        )

    return run_program(program)


def registry_grants(plan: Plan, registry_id: str = REGISTRY_ID) -> dict[str, dict[str, Any]]:
    return {r.name: r.inputs for r in plan.by_type(RA) if r.inputs["scope"] == registry_id}


def test_workspace_people_and_every_compute_identity_read_the_registry() -> None:
    grants = registry_grants(platform())
    assert set(grants) == {
        "platform-ra-registry-workspace-reader",
        "platform-ra-registry-user-ds-reader",
        "platform-ra-registry-user-rd-reader",
        # The cluster came before use_registry, the instance (two identities) after it.
        "platform-ra-registry-compute-cpu-cluster-reader",
        "platform-ra-registry-compute-ci-alice-reader",
        "platform-ra-registry-compute-ci-alice-id-train-reader",
    }, "operators manage computes and get nothing on the registry"
    assert all(g["roleDefinitionId"].endswith(READER) for g in grants.values())
    assert grants["platform-ra-registry-user-rd-reader"]["principalType"] == "User"
    assert grants["platform-ra-registry-user-ds-reader"]["principalId"] == DS
    assert grants["platform-ra-registry-compute-cpu-cluster-reader"]["principalType"] == "ServicePrincipal"


def test_each_grant_can_be_left_out() -> None:
    assert registry_grants(platform(workspace_identity=False, people=False, computes=False)) == {}
    only_people = registry_grants(platform(workspace_identity=False, computes=False))
    assert set(only_people) == {"platform-ra-registry-user-ds-reader", "platform-ra-registry-user-rd-reader"}


def test_approved_outbound_gets_storage_and_acr_tags_per_region_once() -> None:
    plan = platform(regions=["westeurope", "northeurope"])
    rules = {r.inputs["ruleName"]: r for r in plan.by_type(RULE)}
    assert set(rules) == {
        "registry-st-westeurope",
        "registry-acr-westeurope",
        "registry-st-northeurope",
        "registry-acr-northeurope",
    }
    destination = rules["registry-acr-northeurope"].inputs["properties"]["destination"]
    assert destination == {
        "serviceTag": "AzureContainerRegistry.northeurope",
        "protocol": "TCP",
        "portRanges": "443",
        "action": "Allow",
    }
    assert rules["registry-st-westeurope"].inputs["properties"]["type"] == "ServiceTag"
    # They queue one after another, in the order declared (the service applies one at a time).
    order = ["registry-st-westeurope", "registry-acr-westeurope", "registry-st-northeurope", "registry-acr-northeurope"]
    for before, after in itertools.pairwise(order):
        assert rules[before].urn in rules[after].dependencies


def test_default_region_is_the_workspace_location_and_an_open_network_gets_no_rules() -> None:
    names = {r.inputs["ruleName"] for r in platform().by_type(RULE)}
    assert names == {"registry-st-westeurope", "registry-acr-westeurope"}
    assert platform("AllowInternetOutbound").by_type(RULE) == []


def test_two_registries_share_the_region_rules_and_keep_their_grants_apart() -> None:
    def program() -> None:
        ws = staging_workspace()
        ws.use_registry(REGISTRY_ID)
        ws.use_registry(OTHER_ID, label="vision")
        ComputeCluster("cluster-cpu", {"compute_name": "cpu-cluster"}, workspace=ws)

    plan = run_program(program)
    assert len({r.inputs["ruleName"] for r in plan.by_type(RULE)}) == len(plan.by_type(RULE)) == 2
    assert set(registry_grants(plan, OTHER_ID)) == {
        "platform-ra-registry-vision-workspace-reader",
        "platform-ra-registry-vision-compute-cpu-cluster-reader",
    }
    assert set(registry_grants(plan)) == {
        "platform-ra-registry-workspace-reader",
        "platform-ra-registry-compute-cpu-cluster-reader",
    }


def test_run_012_fails_without_a_way_out_and_passes_with_use_registry() -> None:
    rule = BY_ID["RUN-012"]
    report = evaluate(resources_of(platform()), "staging", rules=[rule])
    assert report.findings == []
    closed = evaluate(resources_of(platform(regions=[])), "staging", rules=[rule])
    (finding,) = closed.findings
    assert "mlr-churn-shared-we" in finding.message and "Storage.<region> or AzureContainerRegistry.<region>" in (
        finding.message
    )


SHARED = "organization/azureml-platform/shared"


def test_outbound_regions_need_an_approved_outbound_network() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_stack_config(
            "azureml-platform",
            "dev",
            {"workload": "churn", "registry": {"stack": SHARED, "outboundRegions": ["westeurope"]}},
            "westeurope",
        )
    assert caught.value.key == "azureml-platform:registry.outboundRegions"
    assert "AllowOnlyApprovedOutbound" in caught.value.rule and "AllowInternetOutbound" in caught.value.rule


@pytest.mark.parametrize(("stack", "regions"), [("staging", ["westeurope"]), ("prod", ["westeurope", "northeurope"])])
def test_shipped_stacks_open_the_registry_regions_they_name(stack: str, regions: list[str]) -> None:
    reference = json.dumps({"stack": SHARED, "outboundRegions": regions})
    plan = run_plan(ROOT, stack, config_overrides={"registry": reference})
    names = {r.inputs["ruleName"] for r in plan.by_type(RULE)}
    assert {f"registry-{t}-{r}" for t in ("st", "acr") for r in regions} <= names
    # The shipped files name none: the stack's location.
    shipped = {r.inputs["ruleName"] for r in run_plan(ROOT, stack).by_type(RULE)}
    assert {"registry-st-westeurope", "registry-acr-westeurope"} <= shipped
    assert "registry-st-northeurope" not in shipped


def test_a_region_arm_does_not_know_is_refused_naming_the_argument() -> None:
    with pytest.raises(ConfigError) as caught:
        platform(regions=["West Europe"])
    assert caught.value.key == "MachineLearningWorkspace('platform').use_registry.regions[0]"
    assert caught.value.value == "West Europe"


def test_one_registry_used_twice_keeps_one_grant_per_identity() -> None:
    def program() -> None:
        ws = staging_workspace(identity={"type": "UserAssigned"})
        ws.use_registry(REGISTRY_ID)
        ws.use_registry(REGISTRY_ID, label="again")

    grants = registry_grants(run_program(program))
    assert list(grants) == ["platform-ra-registry-workspace-reader"], "Azure refuses a second (RoleAssignmentExists)"


def test_a_rule_of_yours_under_a_registry_rule_name_is_refused() -> None:
    def program() -> None:
        mine = {"type": "FQDN", "name": "registry-st-westeurope", "destination": "pypi.org"}
        ws = staging_workspace(workspace={"outbound_rules": [mine]})
        ws.use_registry(REGISTRY_ID)

    with pytest.raises(ConfigError) as caught:
        run_program(program)
    assert caught.value.key == "MachineLearningWorkspace('platform').use_registry.regions"
    assert caught.value.value == "registry-st-westeurope"


def test_run_012_sees_a_user_assigned_workspace_identity() -> None:
    def program(regions: list[str]) -> None:
        ws = staging_workspace(identity={"type": "UserAssigned"})
        ws.use_registry(REGISTRY_ID, people=False, computes=False, regions=regions)

    rule = BY_ID["RUN-012"]
    assert len(evaluate(resources_of(run_program(lambda: program([]))), "staging", rules=[rule]).findings) == 1
    assert evaluate(resources_of(run_program(lambda: program(["westeurope"]))), "staging", rules=[rule]).findings == []
