"""Names: every accepted input gives names that satisfy each service's rules (restated here, not
taken from naming.py), names are deterministic, and every refused input names field and value."""

from __future__ import annotations

import hashlib
import re
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulumi_azureml.core.naming import (
    APPLICATION_INSIGHTS_RULE,
    COMPUTE_NAME_RULE,
    CONTAINER_REGISTRY_RULE,
    KEY_VAULT_RULE,
    LOG_ANALYTICS_RULE,
    REGION_ABBREVIATIONS,
    RESOURCE_GROUP_RULE,
    STORAGE_ACCOUNT_RULE,
    USER_ASSIGNED_IDENTITY_RULE,
    WORKSPACE_RULE,
    NameRule,
    NamingError,
    ResourceNames,
    build_names,
    role_assignment_name,
    short_hash,
    validate_name,
)

# Strategies built from the documented input rules.
workloads = st.from_regex(r"[a-z][a-z0-9]{1,9}", fullmatch=True)
environments = st.sampled_from(["dev", "test", "staging", "prod"]) | st.from_regex(
    r"[a-z][a-z0-9]{1,7}", fullmatch=True
)
regions = st.sampled_from(sorted(REGION_ABBREVIATIONS))
instances = st.none() | st.from_regex(r"[0-9]{2,3}", fullmatch=True)
seeds = st.none() | st.text(min_size=1, max_size=40)

FAST = settings(max_examples=200, deadline=None)


def assert_service_rules(n: ResourceNames) -> None:
    """Each service's documented rule, restated independently of naming.py's NameRule objects."""
    # Resource group: 1-90 of letters, digits, - _ . ( ), not ending in '.'.
    assert 1 <= len(n.resource_group) <= 90
    assert re.fullmatch(r"[A-Za-z0-9_.()-]+", n.resource_group) and not n.resource_group.endswith(".")
    # ML workspace: 3-33, starts alnum, then letters, digits, - _.
    assert 3 <= len(n.workspace) <= 33
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", n.workspace)
    # Storage account: 3-24 lowercase letters and digits.
    assert 3 <= len(n.storage_account) <= 24
    assert re.fullmatch(r"[a-z0-9]+", n.storage_account)
    # Key vault: 3-24, letters digits '-', starts with a letter, ends alnum, no '--'.
    kv = n.key_vault
    assert 3 <= len(kv) <= 24
    assert re.fullmatch(r"[A-Za-z0-9-]+", kv) and kv[0].isalpha() and kv[-1].isalnum() and "--" not in kv
    # Container registry: 5-50 alphanumerics.
    assert 5 <= len(n.container_registry) <= 50
    assert re.fullmatch(r"[A-Za-z0-9]+", n.container_registry)
    # Log Analytics: 4-63, letters digits '-', starts and ends alnum.
    log = n.log_analytics
    assert 4 <= len(log) <= 63
    assert re.fullmatch(r"[A-Za-z0-9-]+", log) and log[0].isalnum() and log[-1].isalnum()
    # Application Insights: 1-260, letters digits - _ . ( ), not ending in space or '.'.
    appi = n.application_insights
    assert 1 <= len(appi) <= 260
    assert re.fullmatch(r"[A-Za-z0-9_.()-]+", appi) and not appi.endswith((".", " "))
    # User-assigned identity: 3-128, starts alnum, then letters, digits, - _.
    assert 3 <= len(n.user_assigned_identity) <= 128
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", n.user_assigned_identity)


def expected_suffix(workload: str, environment: str, location: str, instance: str | None, seed: str | None) -> str:
    """The documented suffix: low-order base-36 digits of sha256("w|e|l|instance|seed"), 6 of them."""
    number = int.from_bytes(
        hashlib.sha256(f"{workload}|{environment}|{location}|{instance or ''}|{seed or ''}".encode()).digest(), "big"
    )
    out = ""
    for _ in range(6):
        number, digit = divmod(number, 36)
        out += "0123456789abcdefghijklmnopqrstuvwxyz"[digit]
    return out


# --- accepted inputs ---------------------------------------------------------------------------


@FAST
@given(workloads, environments, regions, instances, seeds)
def test_any_accepted_input_gives_valid_deterministic_names(
    workload: str, environment: str, region: str, instance: str | None, seed: str | None
) -> None:
    names = build_names(workload, environment, region, instance=instance, suffix_seed=seed)
    assert_service_rules(names)
    assert names == build_names(workload, environment, region, instance=instance, suffix_seed=seed)


@FAST
@given(workloads, environments, regions, instances, seeds)
def test_names_follow_the_documented_layout(
    workload: str, environment: str, region: str, instance: str | None, seed: str | None
) -> None:
    names = build_names(workload, environment, region, instance=instance, suffix_seed=seed)
    tail = f"{workload}-{environment}-{REGION_ABBREVIATIONS[region]}" + (f"-{instance}" if instance else "")
    assert names.resource_group == f"rg-{tail}"
    assert names.workspace == f"mlw-{tail}"
    assert names.log_analytics == f"log-{tail}"
    assert names.application_insights == f"appi-{tail}"
    assert names.user_assigned_identity == f"id-{tail}"
    env = {"dev": "dev", "test": "tst", "staging": "stg", "prod": "prd"}.get(environment, environment[:4])
    suffix = expected_suffix(workload, environment, region, instance, seed)
    assert names.storage_account == f"st{workload}{env}{suffix}"
    assert names.container_registry == f"cr{workload}{env}{suffix}"
    assert names.key_vault == f"kv-{workload}-{env}-{suffix[:5]}"


def test_golden_names() -> None:
    # Regression pins: changing any of these renames (replaces) deployed resources.
    assert build_names("churn", "dev", "westeurope") == ResourceNames(
        resource_group="rg-churn-dev-we",
        workspace="mlw-churn-dev-we",
        storage_account="stchurndev4q4dd3",
        key_vault="kv-churn-dev-4q4dd",
        container_registry="crchurndev4q4dd3",
        log_analytics="log-churn-dev-we",
        application_insights="appi-churn-dev-we",
        user_assigned_identity="id-churn-dev-we",
        virtual_network="vnet-churn-dev-we",
        base="churn-dev-we",
    )
    staging = build_names("churn", "staging", "swedencentral", instance="01")
    assert staging.workspace == "mlw-churn-staging-sdc-01"
    assert staging.storage_account == "stchurnstgh5erug"
    assert staging.key_vault == "kv-churn-stg-h5eru"
    prod = build_names("churn", "prod", "eastus2", suffix_seed="00000000-0000-0000-0000-000000000000")
    assert prod.resource_group == "rg-churn-prod-eus2"
    assert prod.container_registry == "crchurnprdsujygx"


def test_longest_inputs_fit_every_limit() -> None:
    longest_region = max(REGION_ABBREVIATIONS, key=lambda r: len(REGION_ABBREVIATIONS[r]))
    names = build_names("abcdefghij", "abcdefgh", longest_region, instance="123", suffix_seed="x" * 100)
    assert_service_rules(names)
    assert len(names.key_vault) == 24
    assert len(names.workspace) == 32
    assert len(names.storage_account) == 22


# --- suffix ------------------------------------------------------------------------------------


def test_suffix_differs_across_seeds() -> None:
    # A fixed sample, so the test is deterministic; a collision among 200 six-character base-36
    # suffixes has a probability of about 1e-5 and would show up on the first run, not randomly.
    suffixes = {
        build_names("churn", "dev", "westeurope", suffix_seed=f"sub-{i}").storage_account[-6:] for i in range(200)
    }
    assert len(suffixes) == 200
    assert build_names("churn", "dev", "westeurope").storage_account[-6:] not in suffixes


def test_suffix_changes_with_every_input() -> None:
    base = build_names("churn", "dev", "westeurope")
    variants = [
        build_names("churn", "dev", "westeurope", suffix_seed="sub-a"),
        build_names("churn", "dev", "northeurope"),
        build_names("churn", "dev", "westeurope", instance="02"),
        build_names("churm", "dev", "westeurope"),
        build_names("churn", "dev2", "westeurope"),
    ]
    assert all(v.storage_account[-6:] != base.storage_account[-6:] for v in variants)
    assert all(v.key_vault[-5:] != base.key_vault[-5:] for v in variants)
    # Environments sharing a 4-character abbreviation still get different global names.
    assert (
        build_names("churn", "prod1", "westeurope").key_vault != build_names("churn", "prod2", "westeurope").key_vault
    )


def test_instance_none_differs_from_any_instance() -> None:
    plain = build_names("churn", "dev", "westeurope")
    with_instance = build_names("churn", "dev", "westeurope", instance="01")
    assert plain.workspace == "mlw-churn-dev-we" and with_instance.workspace == "mlw-churn-dev-we-01"
    assert plain.storage_account != with_instance.storage_account


@FAST
@given(st.lists(st.text(max_size=20), max_size=5), st.integers(min_value=1, max_value=49))
def test_short_hash_is_base36_and_deterministic(parts: list[str], length: int) -> None:
    value = short_hash(*parts, length=length)
    assert re.fullmatch(rf"[a-z0-9]{{{length}}}", value)
    assert value == short_hash(*parts, length=length)
    # Shorter hashes are prefixes of longer ones: the key vault's 5 characters start the 6 of the others.
    assert short_hash(*parts, length=49).startswith(value)


def test_short_hash_golden_and_lengths() -> None:
    assert short_hash("churn", "dev", "westeurope", "", "") == "4q4dd3"
    assert short_hash("\ud800") == short_hash("\ud800")  # lone surrogates hash too
    for bad in (0, -1, 50):
        with pytest.raises(ValueError, match="length"):
            short_hash("x", length=bad)


# --- refused inputs ----------------------------------------------------------------------------

BAD_INPUTS: list[tuple[str, tuple[object, object, object], dict[str, object]]] = [
    ("workload", ("Churn", "dev", "westeurope"), {}),
    ("workload", ("1abc", "dev", "westeurope"), {}),
    ("workload", ("a", "dev", "westeurope"), {}),
    ("workload", ("toolongworkload", "dev", "westeurope"), {}),
    ("workload", ("churn-model", "dev", "westeurope"), {}),
    ("workload", ("churn\n", "dev", "westeurope"), {}),
    ("workload", (None, "dev", "westeurope"), {}),
    ("workload", ("", "dev", "westeurope"), {}),
    ("environment", ("churn", "Dev", "westeurope"), {}),
    ("environment", ("churn", "d", "westeurope"), {}),
    ("environment", ("churn", "production", "westeurope"), {}),
    ("environment", ("churn", "2dev", "westeurope"), {}),
    ("environment", ("churn", 3, "westeurope"), {}),
    ("location", ("churn", "dev", "West Europe"), {}),
    ("location", ("churn", "dev", "westeurop"), {}),
    ("location", ("churn", "dev", "mars"), {}),
    ("location", ("churn", "dev", ""), {}),
    ("location", ("churn", "dev", ["westeurope"]), {}),
    ("instance", ("churn", "dev", "westeurope"), {"instance": "1"}),
    ("instance", ("churn", "dev", "westeurope"), {"instance": "0001"}),
    ("instance", ("churn", "dev", "westeurope"), {"instance": "a1"}),
    ("instance", ("churn", "dev", "westeurope"), {"instance": ""}),
    ("instance", ("churn", "dev", "westeurope"), {"instance": "01\n"}),
    ("instance", ("churn", "dev", "westeurope"), {"instance": 1}),
    ("suffix_seed", ("churn", "dev", "westeurope"), {"suffix_seed": ""}),
    ("suffix_seed", ("churn", "dev", "westeurope"), {"suffix_seed": 42}),
]


@pytest.mark.parametrize(("field", "args", "kwargs"), BAD_INPUTS)
def test_bad_inputs_name_field_and_value(
    field: str, args: tuple[object, object, object], kwargs: dict[str, object]
) -> None:
    value = kwargs[field] if field in kwargs else args[["workload", "environment", "location"].index(field)]
    with pytest.raises(NamingError) as caught:
        build_names(*args, **kwargs)  # type: ignore[arg-type]
    err = caught.value
    assert err.field == field
    assert err.value == value
    assert str(err) == f"{field}={value!r}: {err.rule}"
    assert err.rule


def test_unknown_region_points_at_the_table_and_suggests_the_arm_name() -> None:
    with pytest.raises(NamingError, match="REGION_ABBREVIATIONS") as caught:
        build_names("churn", "dev", "West Europe")
    assert "did you mean 'westeurope'" in str(caught.value)
    with pytest.raises(NamingError) as caught:
        build_names("churn", "dev", "mars")
    assert "did you mean" not in str(caught.value)


@FAST
@given(
    st.one_of(st.text(max_size=15), st.none(), st.integers()).filter(
        lambda w: not (isinstance(w, str) and re.fullmatch(r"[a-z][a-z0-9]{1,9}", w))
    )
)
def test_any_refused_workload_is_a_naming_error(workload: object) -> None:
    with pytest.raises(NamingError) as caught:
        build_names(workload, "dev", "westeurope")  # type: ignore[arg-type]
    assert caught.value.field == "workload"
    assert repr(workload) in str(caught.value)


@FAST
@given(st.text(max_size=12).filter(lambda e: not re.fullmatch(r"[a-z][a-z0-9]{1,7}", e)))
def test_any_refused_environment_is_a_naming_error(environment: str) -> None:
    with pytest.raises(NamingError) as caught:
        build_names("churn", environment, "westeurope")
    assert caught.value.field == "environment"
    assert repr(environment) in str(caught.value)


# --- region table ------------------------------------------------------------------------------


def test_region_abbreviations_are_unique_and_short() -> None:
    values = list(REGION_ABBREVIATIONS.values())
    assert len(values) >= 60
    assert len(values) == len(set(values))
    assert all(re.fullmatch(r"[a-z0-9]{2,4}", v) for v in values)
    assert all(re.fullmatch(r"[a-z][a-z0-9]+", k) for k in REGION_ABBREVIATIONS)


@pytest.mark.parametrize(
    ("region", "code"),
    [
        ("eastus", "eus"),
        ("eastus2", "eus2"),
        ("westus", "wus"),
        ("westus2", "wus2"),
        ("westus3", "wus3"),
        ("centralus", "cus"),
        ("northcentralus", "ncus"),
        ("southcentralus", "scus"),
        ("westcentralus", "wcus"),
        ("canadacentral", "cac"),
        ("canadaeast", "cae"),
        ("brazilsouth", "brs"),
        ("northeurope", "ne"),
        ("westeurope", "we"),
        ("uksouth", "uks"),
        ("ukwest", "ukw"),
        ("francecentral", "frc"),
        ("germanywestcentral", "gwc"),
        ("swedencentral", "sdc"),
        ("switzerlandnorth", "szn"),
        ("norwayeast", "nwe"),
        ("polandcentral", "plc"),
        ("italynorth", "itn"),
        ("spaincentral", "spc"),
        ("australiaeast", "ae"),
        ("japaneast", "jpe"),
        ("koreacentral", "krc"),
        ("southeastasia", "sea"),
        ("eastasia", "ea"),
        ("centralindia", "inc"),
        ("uaenorth", "uan"),
        ("southafricanorth", "san"),
        ("qatarcentral", "qac"),
        ("israelcentral", "ilc"),
        ("mexicocentral", "mxc"),
        ("newzealandnorth", "nzn"),
    ],
)
def test_region_codes(region: str, code: str) -> None:
    assert REGION_ABBREVIATIONS[region] == code


# --- service rules -----------------------------------------------------------------------------

RULE_CASES: list[tuple[NameRule, list[str], list[str]]] = [
    (RESOURCE_GROUP_RULE, ["r", "rg-a_b.c(d)", "x" * 90], ["", "rg.", "rg a", "rg/x", "x" * 91, "rg\n"]),
    (WORKSPACE_RULE, ["abc", "mlw-a_b", "a" * 33], ["ab", "-abc", "_abc", "a.b", "a" * 34, "abc\n"]),
    (STORAGE_ACCOUNT_RULE, ["abc", "st0123", "a" * 24], ["ab", "Stabc", "st-abc", "a" * 25, "abc\n"]),
    (
        KEY_VAULT_RULE,
        ["abc", "kv-a-b", "Kv1", "a" * 24],
        ["ab", "1kv", "kv-", "kv--a", "kv_a", "a" * 25, "-kv", "kva\n"],
    ),
    (CONTAINER_REGISTRY_RULE, ["abcde", "Cr123", "a" * 50], ["abcd", "cr-abc", "a" * 51, "abcde\n"]),
    (LOG_ANALYTICS_RULE, ["abcd", "log-a-b", "a" * 63], ["abc", "-log", "log-", "log_a", "a" * 64]),
    (APPLICATION_INSIGHTS_RULE, ["a", "appi-a_b.c(d)", "a" * 260], ["", "appi.", "appi ", "a b", "a" * 261]),
    (USER_ASSIGNED_IDENTITY_RULE, ["abc", "id-a_b", "a" * 128], ["ab", "-id", "id.a", "a" * 129]),
    (
        COMPUTE_NAME_RULE,
        ["cpu", "cpu-cluster", "ci-jdoe-dev", "a1b2c3", "gpu-a100", "a" * 24],
        ["ab", "1cpu", "cpu-", "cpu-01", "cpu_cluster", "cpu-1-2", "a" * 25, "cpu\n", "-cpu"],
    ),
]


@pytest.mark.parametrize(("rule", "good", "bad"), RULE_CASES, ids=[c[0].service for c in RULE_CASES])
def test_validate_name(rule: NameRule, good: list[str], bad: list[str]) -> None:
    assert 1 <= rule.min_len <= rule.max_len
    for name in good:
        assert validate_name(rule, name) == name
    for name in bad:
        with pytest.raises(NamingError) as caught:
            validate_name(rule, name)
        assert caught.value.field == f"{rule.service} name"
        assert caught.value.rule == rule.description
        assert repr(name) in str(caught.value)


def test_compute_rule_limits() -> None:
    assert (COMPUTE_NAME_RULE.min_len, COMPUTE_NAME_RULE.max_len) == (3, 24)
    with pytest.raises(NamingError, match="compute names"):
        validate_name(COMPUTE_NAME_RULE, "cpu-01")


# --- role assignment names ---------------------------------------------------------------------

SCOPE = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-churn-dev-we"
PRINCIPAL = "11111111-1111-1111-1111-111111111111"
ROLE = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"


def test_role_assignment_name_is_a_stable_guid() -> None:
    name = role_assignment_name(SCOPE, PRINCIPAL, ROLE)
    parsed = uuid.UUID(name)
    assert str(parsed) == name and parsed.version == 5
    assert name == role_assignment_name(SCOPE, PRINCIPAL, ROLE)
    assert role_assignment_name("/scope", "principal", "role") == "ee37e079-09dd-55c9-ac95-e2171c273d82"


def test_role_assignment_name_ignores_case_and_changes_with_every_argument() -> None:
    name = role_assignment_name(SCOPE, PRINCIPAL, ROLE)
    assert role_assignment_name(SCOPE.upper(), PRINCIPAL.upper(), ROLE.upper()) == name
    variants = {
        role_assignment_name(SCOPE + "2", PRINCIPAL, ROLE),
        role_assignment_name(SCOPE, PRINCIPAL[:-1] + "2", ROLE),
        role_assignment_name(SCOPE, PRINCIPAL, ROLE[:-1] + "0"),
    }
    assert len(variants) == 3 and name not in variants
