"""The CrossGuard pack in policies/ runs the same rule functions as `check`, at the same levels.

The pack is started as Pulumi starts it (``python policies/__main__.py`` prints its port) and
driven over Pulumi's analyzer gRPC protocol, the way `pulumi preview --policy-pack` drives it.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]
import pulumi_policy
import pytest
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from pulumi_azureml.plan import run_plan
from pulumi_azureml.policy import BY_ID, RULES
from pulumi_azureml.policy.check import evaluate, pack_config, resources_of, stack_policy
from pulumi_azureml.policy.crossguard import PACK_NAME, build_policies, pack_rules
from pulumi_azureml.policy.model import Resource

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "fixtures" / "broken_project"
INSECURE = ROOT / "tests" / "fixtures" / "insecure_project"
LEVEL_NAMES = {0: "advisory", 1: "mandatory", 2: "disabled"}
LEVEL_NUMBERS = {
    "advisory": analyzer_pb2.ADVISORY,
    "mandatory": analyzer_pb2.MANDATORY,
    "disabled": analyzer_pb2.DISABLED,
}


def test_pack_has_one_policy_per_rule_but_the_plan_only_ones() -> None:
    names = [policy.name for policy in build_policies()]
    assert names == [rule.id for rule in pack_rules()]
    assert {rule.id for rule in RULES} - set(names) == {"GEN-001"}
    stack_policies = {p.name for p in build_policies() if isinstance(p, pulumi_policy.StackValidationPolicy)}
    assert stack_policies == {rule.id for rule in RULES if rule.needs_stack}


def test_pack_main_builds_the_pack_from_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    made: dict[str, Any] = {}

    def fake_pack(**kwargs: Any) -> None:
        made.update(kwargs)

    monkeypatch.setattr(pulumi_policy, "PolicyPack", fake_pack)
    runpy.run_path(str(ROOT / "policies" / "__main__.py"), run_name="__main__")
    assert made["name"] == PACK_NAME
    assert [p.name for p in made["policies"]] == [rule.id for rule in pack_rules()]


@pytest.fixture(scope="module")
def analyzer() -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "components")}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "policies" / "__main__.py")], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield analyzer_pb2_grpc.AnalyzerStub(channel)
    finally:
        proc.kill()
        proc.wait()


def _struct(inputs: Any) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    json_format.ParseDict(inputs, message)
    return message


SECRET_SIG = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def _as_outputs(r: Resource) -> dict[str, Any]:
    """What the engine hands a stack policy: azure-native's outputs (``name``, ``id``, no input
    names) with the inputs kept under a secret ``__inputs``."""
    return {"name": r.name, "id": f"/id/{r.name}", "__inputs": {**SECRET_SIG, "value": dict(r.inputs)}}


def _analyzer_resource(r: Resource, properties: dict[str, Any] | None = None) -> analyzer_pb2.AnalyzerResource:
    return analyzer_pb2.AnalyzerResource(
        type=r.type,
        properties=_struct(_as_outputs(r) if properties is None else properties),
        urn=r.urn,
        name=r.name,
        options=analyzer_pb2.AnalyzerResourceOptions(protect=r.protect),
        dependencies=list(r.dependencies),
    )


def test_analyzer_info_lists_the_rules(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == PACK_NAME
    by_name = {p.name: p for p in info.policies}
    assert set(by_name) == {rule.id for rule in pack_rules()}
    assert LEVEL_NAMES[by_name["ST-004"].enforcementLevel] == "mandatory"
    assert LEVEL_NAMES[by_name["MLW-004"].enforcementLevel] == "advisory"


@pytest.mark.parametrize(("project", "stack"), [(INSECURE, "insecure"), (BROKEN, "broken")], ids=["insecure", "broken"])
def test_pack_reports_what_check_reports(analyzer: analyzer_pb2_grpc.AnalyzerStub, project: Path, stack: str) -> None:
    environment, overrides = stack_policy(project, stack)
    resources = resources_of(run_plan(project, stack))
    # The levels `check --pack-config` writes, handed over as `--policy-pack-config` would.
    levels = pack_config(environment, overrides)
    analyzer.Configure(
        analyzer_pb2.ConfigureAnalyzerRequest(
            policyConfig={
                name: analyzer_pb2.PolicyConfig(enforcementLevel=LEVEL_NUMBERS[value["enforcementLevel"]])
                for name, value in levels.items()
                if name in {rule.id for rule in pack_rules()}
            }
        )
    )
    seen: set[tuple[str, str, str]] = set()
    for resource in resources:
        response = analyzer.Analyze(
            analyzer_pb2.AnalyzeRequest(
                type=resource.type,
                properties=_struct(resource.inputs),
                urn=resource.urn,
                name=resource.name,
                options=analyzer_pb2.AnalyzerResourceOptions(protect=resource.protect),
            )
        )
        seen |= {(d.policyName, d.urn, LEVEL_NAMES[d.enforcementLevel]) for d in response.diagnostics}
    stack_response = analyzer.AnalyzeStack(
        analyzer_pb2.AnalyzeStackRequest(resources=[_analyzer_resource(r) for r in resources])
    )
    seen |= {(d.policyName, d.urn, LEVEL_NAMES[d.enforcementLevel]) for d in stack_response.diagnostics}

    report = evaluate(resources, environment, overrides, rules=pack_rules())
    expected = {(f.rule.id, f.resource.urn, f.level.value) for f in report.findings}
    assert seen == expected
    mandatory = {rule_id for rule_id, _, level in seen if level == "mandatory"}
    if stack == "insecure":
        assert mandatory >= {"KV-002", "MLW-008", "MLC-005"}
    else:  # the "will it work" rules see dependencies through the engine's stack resources too
        assert mandatory >= {"RUN-002", "RUN-003", "RUN-006", "RUN-007"}
    assert BY_ID["GEN-001"] not in pack_rules()


def test_stack_policies_judge_inputs_and_survive_unknown_values(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    analyzer.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig={}))
    workspace = Resource(
        type="azure-native:machinelearningservices:Workspace",
        name="w",
        inputs={"workspaceName": "mlw-a", "hbiWorkspace": True, "storageAccount": "/x/storageAccounts/stpub"},
        urn="urn:pulumi:s::p::azure-native:machinelearningservices:Workspace::w",
    )
    storage = Resource(
        type="azure-native:storage:StorageAccount",
        name="st",
        inputs={"accountName": "stpub", "publicNetworkAccess": "Enabled"},
        urn="urn:pulumi:s::p::azure-native:storage:StorageAccount::st",
    )
    # A resource whose outputs are not known yet (a preview) must not switch the rules off.
    pending = _analyzer_resource(storage, {"name": UNKNOWN, "id": UNKNOWN, "__inputs": UNKNOWN})
    pending.urn = "urn:pulumi:s::p::azure-native:storage:StorageAccount::pending"
    response = analyzer.AnalyzeStack(
        analyzer_pb2.AnalyzeStackRequest(
            resources=[_analyzer_resource(workspace), _analyzer_resource(storage), pending]
        )
    )
    found = {(d.policyName, d.urn) for d in response.diagnostics}
    assert ("MLW-008", workspace.urn) in found  # HBI workspace, public storage: seen through __inputs
    assert ("MLW-005", workspace.urn) in found
    assert not [d for d in response.diagnostics if "can't run policy" in d.message]
