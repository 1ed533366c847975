"""The config reference, the environments table and the stack JSON Schema are generated from the
one declaration of each setting: they cannot drift, and editors see what the program checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.stack.config import parse_stack_config
from pulumi_azureml.stack.docs import ENVIRONMENTS, REFERENCE, json_schema, readme_text, schema_text, with_section
from pulumi_azureml.stack.profiles import PROFILES, deep_merge
from pulumi_azureml.stack.schema import StackConfig

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "stacks" / "pulumi-azureml.schema.json"
BAD = ROOT / "tests" / "fixtures" / "schema"
GOOD = [
    *sorted((ROOT / "stacks").glob("Pulumi.*.yaml")),
    *sorted((ROOT / "tests" / "fixtures" / "datastores_project" / "stacks").glob("Pulumi.*.yaml")),
    *sorted((ROOT / "tests" / "fixtures" / "insecure_project" / "stacks").glob("Pulumi.*.yaml")),
]


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_readme_reference_and_environments_are_current() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_text(text) == text, "run: make docs"


def test_schema_file_is_current() -> None:
    assert SCHEMA_FILE.read_text() == schema_text(), "run: make docs"


def test_reference_has_a_row_for_every_setting_and_its_default() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(REFERENCE[0], 1)[1].split(REFERENCE[1], 1)[0]
    for key, default in [
        ("`storage.allowSharedKeyAccess`", "`false`"),
        ("`keyVault.softDeleteRetentionDays`", "`90`"),
        ("`computeClusters[].vmPriority`", "`Dedicated`"),
        ("`datastores[].credentials.sasToken`", "—"),
        ("`workspace.isolationMode`", "`AllowOnlyApprovedOutbound`"),
    ]:
        row = next(line for line in section.splitlines() if line.startswith(f"| {key} |"))
        assert f"| {default} |" in row, row
    assert "| **secret** |" in next(r for r in section.splitlines() if "credentials.sasToken" in r)


def test_environments_table_shows_each_profile_value() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split(ENVIRONMENTS[0], 1)[1].split(ENVIRONMENTS[1], 1)[0]
    row = next(line for line in table.splitlines() if line.startswith("| `storage.sku` |"))
    assert row.startswith("| `storage.sku` | Standard_LRS | Standard_ZRS | Standard_GZRS | Standard_GRS |")


def test_markers_are_required() -> None:
    with pytest.raises(ValueError, match="markers"):
        with_section("no markers here", REFERENCE, "x")


@pytest.mark.parametrize("path", GOOD, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_shipped_and_fixture_stacks_validate(path: Path) -> None:
    errors = [e.message for e in validator().iter_errors(yaml.safe_load(path.read_text()))]
    assert errors == []


@pytest.mark.parametrize("path", sorted((ROOT / "stacks").glob("Pulumi.*.yaml")), ids=lambda p: p.name)
def test_shipped_stacks_point_editors_at_the_schema(path: Path) -> None:
    assert path.read_text().splitlines()[0] == "# yaml-language-server: $schema=pulumi-azureml.schema.json"


def _bad_files() -> list[Path]:
    return sorted(BAD.glob("Pulumi.*.yaml"))


@pytest.mark.parametrize("path", _bad_files(), ids=lambda p: p.name)
def test_bad_stacks_fail_the_schema_and_the_program(path: Path) -> None:
    document: dict[str, Any] = yaml.safe_load(path.read_text())
    assert list(validator().iter_errors(document)), "the JSON Schema accepts it"
    raw = {k.split(":", 1)[1]: v for k, v in document["config"].items() if k.startswith("azureml-platform:")}
    with pytest.raises(ConfigError):
        parse_stack_config("azureml-platform", "dev", raw, "westeurope", frozenset())


def test_at_least_eight_bad_schema_fixtures() -> None:
    assert len(_bad_files()) >= 8


def test_schema_for_another_project_uses_its_namespace() -> None:
    schema = json_schema("ml-research")
    assert "ml-research:workload" in schema["properties"]["config"]["properties"]
    assert schema["properties"]["config"]["required"] == ["ml-research:workload"]


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_profiles_are_values_of_the_schema(name: str) -> None:
    profile = PROFILES[name]
    config = StackConfig.model_validate(
        {"workload": "churn", "location": "westeurope", "environment": name, **profile.settings}, by_name=True
    )
    assert config.environment == name
    from pulumi_azureml.compute import ComputeClusterSettings, ComputeInstanceSettings

    ComputeClusterSettings.model_validate({"compute_name": "cpu-cluster", **profile.cluster}, by_name=True)
    ComputeInstanceSettings.model_validate({"compute_name": "ci-x", **profile.instance}, by_name=True)
    from pulumi_azureml.inference import KubernetesComputeSettings, OnlineEndpointSettings

    tls = {"extension": {"tls": {"cname": "score.example.com", "secret_name": "tls"}}}
    KubernetesComputeSettings.model_validate(
        {"compute_name": "aks-x", **deep_merge(tls, profile.kubernetes)}, by_name=True
    )
    OnlineEndpointSettings.model_validate({"endpoint_name": "score", **profile.endpoint}, by_name=True)
    for path in profile.notes:
        head = path.split(".")[0]
        assert head in StackConfig.model_fields or head in ("cluster", "kubernetes", "endpoint"), path
