"""Stack config: valid files parse into profile-based args; each bad config is one clear error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.core.schema import key_path
from pulumi_azureml.stack.config import parse_stack_config
from pulumi_azureml.stack.schema import StackConfig

PROJECT = "azureml-platform"
ROOT = Path(__file__).resolve().parents[1]
STORAGE_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-x/providers/"
    "Microsoft.Storage/storageAccounts/stx"
)
REGISTRY_ID = STORAGE_ID.replace("Microsoft.Storage/storageAccounts", "Microsoft.ContainerRegistry/registries")
UAI_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-x/providers/"
    "Microsoft.ManagedIdentity/userAssignedIdentities/id-x"
)


NO_NETWORK = {"mode": "none", "reason": "a unit test: nobody reaches it"}


def test_a_private_profile_needs_a_network_or_a_reason() -> None:
    with pytest.raises(ConfigError) as caught:
        parse({}, stack="prod")
    assert caught.value.key == "azureml-platform:network"
    assert "private endpoints" in caught.value.rule
    assert parse({"network": NO_NETWORK}, stack="prod").workspace_args.network.effective_mode == "none"
    with pytest.raises(ConfigError, match="reason"):
        created = {"addressSpace": ["10.0.0.0/16"], "privateEndpointSubnet": {"addressPrefix": "10.0.1.0/24"}}
        parse({"network": {"reason": "x", **created}}, stack="prod")


def parse(raw: dict[str, Any], stack: str = "dev", location: str | None = "westeurope") -> Any:
    return parse_stack_config(PROJECT, stack, {"workload": "churn", **raw}, location)


def stack_file_config(stack: str) -> tuple[dict[str, Any], str | None]:
    data = yaml.safe_load((ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text())["config"]
    raw = {k.split(":", 1)[1]: v for k, v in data.items() if k.startswith(f"{PROJECT}:")}
    return raw, data.get("azure-native:location")


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_shipped_stack_files_are_valid(stack: str) -> None:
    raw, location = stack_file_config(stack)
    settings = parse_stack_config(PROJECT, stack, raw, location)
    assert settings.environment == stack
    assert settings.profile.name == stack
    assert settings.workspace_args.location == "westeurope"


def test_profiles_feed_the_args_and_config_overrides_single_keys() -> None:
    settings = parse(
        {"storage": {"sku": "Standard_ZRS"}, "keyVault": {"purgeProtection": True}, "purgeOnDestroy": False}
    )
    storage = settings.workspace_args.storage
    assert storage.sku == "Standard_ZRS"
    # untouched profile keys survive the deep merge
    assert storage.allow_shared_key_access is True
    assert settings.workspace_args.key_vault.purge_protection is True
    assert settings.workspace_args.key_vault.soft_delete_retention_days == 7


def test_dev_purges_on_destroy_so_purge_protection_needs_it_off() -> None:
    assert parse({}).workspace_args.purge_on_destroy is True
    with pytest.raises(ConfigError) as caught:
        parse({"keyVault": {"purgeProtection": True}})
    assert caught.value.key == "azureml-platform:purgeOnDestroy"
    assert "purge protection" in caught.value.rule


def test_environment_from_config_overrides_stack_name() -> None:
    settings = parse({"environment": "prod", "network": NO_NETWORK}, stack="prod-westeurope")
    assert settings.environment == "prod"
    assert settings.workspace_args.protect is True


def test_location_falls_back_to_config_key() -> None:
    settings = parse({"location": "swedencentral"}, location=None)
    assert settings.workspace_args.location == "swedencentral"


def test_structured_values_arrive_as_json_text() -> None:
    # The Pulumi CLI passes objects as JSON strings; they are decoded before validation.
    settings = parse({"storage": '{"sku": "Standard_ZRS"}', "protect": "true"})
    assert settings.workspace_args.storage.sku == "Standard_ZRS"
    assert settings.workspace_args.protect is True


def test_existing_registry_id_implies_existing_mode() -> None:
    registry_id = STORAGE_ID.replace("Microsoft.Storage/storageAccounts", "Microsoft.ContainerRegistry/registries")
    settings = parse({"containerRegistry": {"existingId": registry_id}, "network": NO_NETWORK}, stack="prod")
    assert settings.workspace_args.container_registry.effective_mode == "existing"


BAD_CONFIGS: list[tuple[str, dict[str, Any], str, str, str]] = [
    # (case, raw config, stack, expected key, expected rule fragment)
    ("unknown top-level key", {"workspaceName": "x"}, "dev", "workspaceName", "not a known key"),
    ("unknown nested key", {"storage": {"skuName": "Standard_LRS"}}, "dev", "storage.skuName", "not a known key"),
    (
        "misspelt nested key",
        {"workspace": {"isolatonMode": "Disabled"}},
        "dev",
        "workspace.isolatonMode",
        "isolationMode?",
    ),
    (
        "snake_case key in a stack file",
        {"storage": {"allow_shared_key_access": True}},
        "dev",
        "storage.allow_shared_key_access",
        "not a known key",
    ),
    ("bool of wrong type", {"protect": "maybe"}, "dev", "protect", "true or false"),
    (
        "int of wrong type",
        {"keyVault": {"softDeleteRetentionDays": "ninety"}},
        "dev",
        "keyVault.softDeleteRetentionDays",
        "whole number from 7 to 90",
    ),
    ("tag value not a string", {"tags": {"owner": 5}}, "dev", "tags.owner", "must be a string"),
    ("bad workload", {"workload": "Churn-Model"}, "dev", "workload", "2-10 lowercase letters"),
    ("unknown region", {"location": "westeurop"}, "dev", "location", "region"),
    ("stack name is not a profile", {}, "qa", "environment", "must be one of dev, staging, prod"),
    ("environment not a profile", {"environment": "test"}, "dev", "environment", "must be one of dev, staging, prod"),
    ("bad instance", {"instance": "1"}, "dev", "instance", "2-3 digits"),
    (
        "key vault retention out of range",
        {"keyVault": {"softDeleteRetentionDays": 3}},
        "dev",
        "keyVault.softDeleteRetentionDays",
        "7 to 90",
    ),
    (
        "log retention out of range",
        {"monitoring": {"retentionDays": 10}},
        "dev",
        "monitoring.retentionDays",
        "30 to 730",
    ),
    (
        "soft delete out of range",
        {"storage": {"blobSoftDeleteDays": 0}},
        "dev",
        "storage.blobSoftDeleteDays",
        "1 to 365",
    ),
    ("premium workspace storage", {"storage": {"sku": "Premium_LRS"}}, "dev", "storage.sku", "Standard_LRS"),
    (
        "shared keys off with access-key datastores",
        {"workspace": {"systemDatastoresAuthMode": "AccessKey"}},
        "prod",
        "workspace.systemDatastoresAuthMode",
        "must be Identity",
    ),
    (
        "approved-outbound isolation with a Basic registry",
        {"containerRegistry": {"sku": "Basic"}},
        "staging",
        "containerRegistry.sku",
        "Premium",
    ),
    (
        "private registry that is not Premium",
        {"containerRegistry": {"sku": "Standard", "publicNetworkAccess": "Disabled"}},
        "dev",
        "containerRegistry.sku",
        "Premium",
    ),
    (
        "existing registry without an id",
        {"containerRegistry": {"mode": "existing"}},
        "dev",
        "containerRegistry.existingId",
        "required",
    ),
    (
        "registry id with mode none",
        {"containerRegistry": {"mode": "none", "existingId": REGISTRY_ID}},
        "dev",
        "containerRegistry.existingId",
        "only used with mode existing",
    ),
    ("malformed storage id", {"storage": {"existingId": "stx"}}, "dev", "storage.existingId", "ARM resource id"),
    ("key vault id of another type", {"keyVault": {"existingId": STORAGE_ID}}, "dev", "keyVault.existingId", "vaults"),
    (
        "user-assigned id with a system identity",
        {"identity": {"userAssignedIdentityId": UAI_ID, "principalId": "6f1d0c9e-1c2b-4e3a-9d8f-0a1b2c3d4e5f"}},
        "dev",
        "identity.userAssignedIdentityId",
        "UserAssigned",
    ),
    (
        "user-assigned id without principal",
        {"identity": {"type": "UserAssigned", "userAssignedIdentityId": UAI_ID}},
        "dev",
        "identity.principalId",
        "required",
    ),
    (
        "principal id not a GUID",
        {"identity": {"type": "UserAssigned", "userAssignedIdentityId": UAI_ID, "principalId": "me"}},
        "dev",
        "identity.principalId",
        "GUID",
    ),
    (
        "bad isolation mode",
        {"workspace": {"isolationMode": "Private"}},
        "dev",
        "workspace.isolationMode",
        "must be one of",
    ),
    (
        "bad public access value",
        {"workspace": {"publicNetworkAccess": "Off"}},
        "dev",
        "workspace.publicNetworkAccess",
        "Enabled or Disabled",
    ),
    (
        "misspelt SDK override",
        {"storage": {"overrides": {"is_hns_enable": True}}},
        "dev",
        "storage.overrides.is_hns_enable",
        "not an argument of storage.StorageAccountArgs",
    ),
    (
        "hierarchical namespace on workspace storage",
        {"storage": {"overrides": {"is_hns_enabled": True}}},
        "dev",
        "storage.overrides.is_hns_enabled",
        "hierarchical namespace",
    ),
    ("bad tag name", {"tags": {"a/b": "x"}}, "dev", "tags.a/b", "tag names"),
    ("explicit workspace name too short", {"workspace": {"name": "x"}}, "dev", "workspace.name", "3-33"),
    ("explicit storage name with capitals", {"storage": {"name": "My_Storage"}}, "dev", "storage.name", "lowercase"),
    ("explicit key vault name with --", {"keyVault": {"name": "kv--churn"}}, "dev", "keyVault.name", "'--'"),
    (
        "explicit registry name with hyphens",
        {"containerRegistry": {"name": "cr-churn"}},
        "dev",
        "containerRegistry.name",
        "letters and digits",
    ),
    ("explicit identity name with a space", {"identity": {"name": "bad name"}}, "dev", "identity.name", "identity"),
]


@pytest.mark.parametrize(
    ("raw", "stack", "key", "rule"), [case[1:] for case in BAD_CONFIGS], ids=[case[0] for case in BAD_CONFIGS]
)
def test_bad_config_is_one_clear_error(raw: dict[str, Any], stack: str, key: str, rule: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(raw, stack=stack)
    err = caught.value
    assert err.key == f"{PROJECT}:{key}"
    assert rule in err.rule
    message = str(err)
    assert message.startswith(f"config error: {PROJECT}:{key}=")
    assert "\n" not in message


def test_bad_config_message_shows_the_value() -> None:
    with pytest.raises(ConfigError) as caught:
        parse({"keyVault": {"softDeleteRetentionDays": 3}})
    assert "=3:" in str(caught.value)


def test_missing_workload_and_location() -> None:
    with pytest.raises(ConfigError, match=r"azureml-platform:workload=None: is required"):
        parse_stack_config(PROJECT, "dev", {}, "westeurope")
    with pytest.raises(ConfigError, match=r"azureml-platform:location=None: is required"):
        parse({}, location=None)


def test_at_least_fifteen_distinct_bad_configs() -> None:
    assert len({case[0] for case in BAD_CONFIGS}) >= 15


@pytest.mark.parametrize(
    ("loc", "config_key"),
    [
        (("storage", "allow_shared_key_access"), "storage.allowSharedKeyAccess"),
        (("workspace", "friendly_name"), "workspace.friendlyName"),
        (("workspace", "overrides", "kind"), "workspace.overrides.kind"),
        (
            ("monitoring", "log_analytics_overrides", "retention_in_days"),
            "monitoring.logAnalyticsOverrides.retention_in_days",
        ),
        (("key_vault", "existing_id"), "keyVault.existingId"),
        (("suffix_seed",), "suffixSeed"),
        (("compute_clusters", 0, "compute_name"), "computeClusters[0].name"),
        (("datastores", 1, "datastore_name"), "datastores[1].name"),
        (("tags", "cost_center"), "tags.cost_center"),
    ],
)
def test_argument_paths_map_to_config_keys(loc: tuple[str | int, ...], config_key: str) -> None:
    assert key_path(StackConfig, loc, "config") == config_key
    # From Python the same path keeps its field names.
    assert key_path(StackConfig, loc, "python") == ".".join(str(p) for p in loc).replace(".0", "[0]").replace(
        ".1", "[1]"
    )


def test_an_aks_cluster_outside_any_network_cannot_pull_from_a_private_registry() -> None:
    # The staging profile's registry is private; a Kubernetes compute created with no network would
    # never pull a model image (Kubernetes computes are not in the managed network).
    k8s = {"kubernetesComputes": [{"name": "aks-x", "extension": {"allowInsecureConnections": True}}]}
    with pytest.raises(ConfigError) as caught:
        parse({**k8s, "containerRegistry": {"publicNetworkAccess": "Disabled"}}, stack="staging")
    assert caught.value.key == "azureml-platform:kubernetesComputes[0]"
    assert "containerRegistry.publicNetworkAccess: Enabled" in caught.value.rule
    assert "network.kubernetesSubnet" in caught.value.rule
    # A public registry, a subnet of the cluster's own, or an attached cluster: nothing to refuse.
    parse({**k8s, "containerRegistry": {"publicNetworkAccess": "Enabled"}}, stack="staging")
    subnet = (
        "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net/providers/"
        "Microsoft.Network/virtualNetworks/vnet/subnets/aks"
    )
    own = [{"name": "aks-x", "extension": {"allowInsecureConnections": True}, "cluster": {"subnetId": subnet}}]
    parse({"kubernetesComputes": own, "containerRegistry": {"publicNetworkAccess": "Disabled"}}, stack="staging")
