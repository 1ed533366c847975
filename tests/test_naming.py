"""Names: every accepted input gives names that satisfy each service's rules (restated here)."""

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulumi_azureml.naming import (
    COMPUTE_NAME_RULE,
    REGION_ABBREVIATIONS,
    NamingError,
    build_names,
    role_assignment_name,
    short_hash,
    validate_name,
)

workloads = st.from_regex(r"\A[a-z][a-z0-9]{1,9}\Z")
environments = st.sampled_from(["dev", "staging", "prod", "test"]) | st.from_regex(r"\A[a-z][a-z0-9]{1,7}\Z")
regions = st.sampled_from(sorted(REGION_ABBREVIATIONS))
instances = st.none() | st.from_regex(r"\A[0-9]{2,3}\Z")
seeds = st.none() | st.text(min_size=1, max_size=40)


def assert_rules(names: object) -> None:
    # Each service's rule, restated independently of naming.py.
    n = names
    assert 1 <= len(n.resource_group) <= 90 and re.fullmatch(r"[-\w.()]*[^.]", n.resource_group)  # type: ignore[attr-defined]
    assert re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}", n.workspace)  # type: ignore[attr-defined]
    assert re.fullmatch(r"[a-z0-9]{3,24}", n.storage_account)  # type: ignore[attr-defined]
    kv: str = n.key_vault  # type: ignore[attr-defined]
    assert 3 <= len(kv) <= 24 and kv[0].isalpha() and kv[-1].isalnum() and "--" not in kv
    assert re.fullmatch(r"[a-zA-Z0-9-]+", kv)
    assert re.fullmatch(r"[a-zA-Z0-9]{5,50}", n.container_registry)  # type: ignore[attr-defined]
    log: str = n.log_analytics  # type: ignore[attr-defined]
    assert 4 <= len(log) <= 63 and log[0].isalnum() and log[-1].isalnum() and re.fullmatch(r"[a-zA-Z0-9-]+", log)
    appi: str = n.application_insights  # type: ignore[attr-defined]
    assert 1 <= len(appi) <= 260 and not appi.endswith((".", " "))
    assert re.fullmatch(r"[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}", n.user_assigned_identity)  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(workloads, environments, regions, instances, seeds)
def test_any_accepted_input_gives_valid_names(
    workload: str, environment: str, region: str, instance: str | None, seed: str | None
) -> None:
    names = build_names(workload, environment, region, instance=instance, suffix_seed=seed)
    assert_rules(names)
    assert names == build_names(workload, environment, region, instance=instance, suffix_seed=seed)


@settings(max_examples=100, deadline=None)
@given(workloads, regions)
def test_caf_prefixes(workload: str, region: str) -> None:
    names = build_names(workload, "dev", region)
    assert names.resource_group.startswith("rg-")
    assert names.workspace.startswith("mlw-")
    assert names.storage_account.startswith("st")
    assert names.key_vault.startswith("kv-")
    assert names.container_registry.startswith("cr")
    assert names.log_analytics.startswith("log-")
    assert names.application_insights.startswith("appi-")
    assert names.user_assigned_identity.startswith("id-")


def test_golden_names() -> None:
    names = build_names("churn", "dev", "westeurope")
    assert names.resource_group == "rg-churn-dev-we"
    assert names.workspace == "mlw-churn-dev-we"
    assert names.storage_account == "stchurndev4q4dd3"
    assert names.key_vault == "kv-churn-dev-4q4dd"
    assert names.container_registry == "crchurndev4q4dd3"
    assert build_names("churn", "prod", "westeurope", instance="01").workspace == "mlw-churn-prod-we-01"


def test_suffix_changes_with_every_input() -> None:
    base = build_names("churn", "dev", "westeurope").storage_account
    variants = [
        build_names("churn", "dev", "westeurope", suffix_seed="sub-a").storage_account,
        build_names("churn", "dev", "northeurope").storage_account,
        build_names("churn", "dev", "westeurope", instance="02").storage_account,
        build_names("churm", "dev", "westeurope").storage_account[-6:],
    ]
    assert all(v[-6:] != base[-6:] for v in variants)


def test_region_abbreviations_are_unique_and_short() -> None:
    values = list(REGION_ABBREVIATIONS.values())
    assert len(values) == len(set(values))
    assert len(values) >= 60
    assert all(re.fullmatch(r"[a-z0-9]{2,4}", v) for v in values)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("Churn", "dev", "westeurope"), "workload"),
        (("1abc", "dev", "westeurope"), "workload"),
        (("a", "dev", "westeurope"), "workload"),
        (("toolongworkload", "dev", "westeurope"), "workload"),
        (("churn", "Dev", "westeurope"), "environment"),
        (("churn", "production1", "westeurope"), "environment"),
        (("churn", "dev", "West Europe"), "location"),
        (("churn", "dev", "mars"), "location"),
    ],
)
def test_bad_inputs_name_field_and_value(args: tuple[str, str, str], field: str) -> None:
    with pytest.raises(NamingError) as caught:
        build_names(*args)
    assert caught.value.field == field
    assert repr(args[["workload", "environment", "location"].index(field)]) in str(caught.value)


@pytest.mark.parametrize("instance", ["1", "0001", "a1"])
def test_bad_instance(instance: str) -> None:
    with pytest.raises(NamingError, match="instance"):
        build_names("churn", "dev", "westeurope", instance=instance)


@pytest.mark.parametrize("name", ["cpu-cluster", "gpu", "ci-jdoe-dev", "a1b2c3"])
def test_compute_names_accepted(name: str) -> None:
    assert validate_name(COMPUTE_NAME_RULE, name) == name


@pytest.mark.parametrize("name", ["ab", "1cpu", "cpu-", "cpu-01", "cpu_cluster", "a" * 25, "cpu-1-2"])
def test_compute_names_refused(name: str) -> None:
    with pytest.raises(NamingError, match="compute names"):
        validate_name(COMPUTE_NAME_RULE, name)


def test_short_hash_is_base36_and_deterministic() -> None:
    assert short_hash("a", "b") == short_hash("a", "b")
    assert re.fullmatch(r"[a-z0-9]{8}", short_hash("x", length=8))


def test_role_assignment_name_is_a_stable_guid() -> None:
    name = role_assignment_name("/scope", "principal", "role")
    assert uuid.UUID(name)
    assert name == role_assignment_name("/scope", "principal", "role")
    assert (
        len(
            {
                name,
                role_assignment_name("/scope2", "principal", "role"),
                role_assignment_name("/scope", "principal2", "role"),
                role_assignment_name("/scope", "principal", "role2"),
            }
        )
        == 4
    )
