"""Each policy rule on a resource that passes and one that fails; levels and their config."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.policy import BY_ID, RULES, Level, Resource, Rule
from pulumi_azureml.policy.check import evaluate, pack_config
from pulumi_azureml.policy.levels import LevelOverride, parse_overrides
from pulumi_azureml.policy.rules import types as t
from test_policy_rules_inference import CASES as INFERENCE_CASES

WS_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/mlw-a"
ST_PREFIX = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/"
KV_PREFIX = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/"
CR_PREFIX = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/"


def res(type_: str, inputs: Mapping[str, Any], *, protect: bool = False, name: str = "r") -> Resource:
    return Resource(type=type_, name=name, inputs=inputs, urn=f"urn:pulumi:s::p::{type_}::{name}", protect=protect)


def ws(**inputs: Any) -> Resource:
    return res(t.WORKSPACE, {"workspaceName": "mlw-a", **inputs})


def cluster(**props: Any) -> Resource:
    top = {k: props.pop(k) for k in list(props) if k == "disableLocalAuth"}
    return res(t.COMPUTE, {"properties": {"computeType": "AmlCompute", **top, "properties": props}})


def instance(**props: Any) -> Resource:
    top = {k: props.pop(k) for k in list(props) if k == "disableLocalAuth"}
    return res(t.COMPUTE, {"properties": {"computeType": "ComputeInstance", **top, "properties": props}})


def vault(**props: Any) -> Resource:
    return res(t.KEY_VAULT, {"properties": props})


Case = tuple[Resource, Resource, list[Resource]]
"""(passing resource, failing resource, the rest of the stack for stack rules)."""

CASES: dict[str, Case] = {
    "MLW-001": (
        ws(publicNetworkAccess="Disabled"),
        ws(publicNetworkAccess="Disabled", allowPublicAccessWhenBehindVnet=True),
        [],
    ),
    "MLW-002": (
        ws(managedNetwork={"isolationMode": "AllowOnlyApprovedOutbound"}),
        ws(managedNetwork={"isolationMode": "AllowInternetOutbound"}),
        [],
    ),
    "MLW-003": (
        ws(identity={"type": "UserAssigned"}, primaryUserAssignedIdentity="/id"),
        ws(identity={"type": "SystemAssigned"}),
        [],
    ),
    "MLW-004": (ws(encryption={"status": "Enabled"}), ws(encryption={"status": "Disabled"}), []),
    "MLW-005": (
        ws(),
        ws(workspaceName="mlw-b"),
        [res(t.DIAGNOSTIC_SETTING, {"resourceUri": WS_ID, "logs": [{"categoryGroup": "allLogs", "enabled": True}]})],
    ),
    "MLW-006": (
        ws(),
        ws(workspaceName="mlw-b"),
        [res(t.PRIVATE_ENDPOINT, {"privateLinkServiceConnections": [{"privateLinkServiceId": WS_ID}]})],
    ),
    "MLW-007": (
        ws(managedNetwork={"isolationMode": "AllowInternetOutbound"}),
        ws(workspaceName="mlw-b", managedNetwork={"isolationMode": "AllowInternetOutbound"}),
        [res(t.OUTBOUND_RULE, {"workspaceName": "mlw-a", "properties": {"type": "PrivateEndpoint"}})],
    ),
    "MLW-008": (
        ws(hbiWorkspace=True, storageAccount="/subscriptions/s/resourceGroups/rg/providers/x/storageAccounts/stok"),
        ws(hbiWorkspace=True, storageAccount="/subscriptions/s/resourceGroups/rg/providers/x/storageAccounts/stpub"),
        [
            res(t.STORAGE_ACCOUNT, {"accountName": "stok", "publicNetworkAccess": "Disabled"}),
            res(t.STORAGE_ACCOUNT, {"accountName": "stpub", "publicNetworkAccess": "Enabled"}),
        ],
    ),
    "MLW-009": (ws(systemDatastoresAuthMode="Identity"), ws(systemDatastoresAuthMode="AccessKey"), []),
    "MLW-010": (
        ws(serverlessComputeSettings={"serverlessComputeNoPublicIP": True}),
        ws(managedNetwork={"isolationMode": "Disabled"}),
        [],
    ),
    "MLC-001": (cluster(disableLocalAuth=True), instance(disableLocalAuth=False), []),
    "MLC-002": (cluster(subnet={"id": "/subnet"}), cluster(enableNodePublicIp=True), []),
    "MLC-003": (instance(idleTimeBeforeShutdown="PT60M"), instance(), []),
    "MLC-004": (cluster(scaleSettings={"minNodeCount": 0}), cluster(scaleSettings={"minNodeCount": 2}), []),
    "MLC-005": (instance(enableNodePublicIp=False), cluster(), []),
    "MLC-006": (
        cluster(remoteLoginPortPublicAccess="Disabled"),
        cluster(remoteLoginPortPublicAccess="NotSpecified"),
        [],
    ),
    "MLC-007": (
        cluster(userAccountCredentials={"adminUserName": "azureuser", "adminUserSshPublicKey": "ssh-ed25519 AAAA"}),
        cluster(userAccountCredentials={"adminUserName": "azureuser", "adminUserPassword": "[secret]"}),
        [],
    ),
    "MLC-008": (
        instance(personalComputeInstanceSettings={"assignedUser": {"objectId": "o", "tenantId": "t"}}),
        instance(),
        [],
    ),
    "DS-001": (
        res(t.DATASTORE, {"properties": {"credentials": {"credentialsType": "None"}}}),
        res(
            t.DATASTORE,
            {"properties": {"credentials": {"credentialsType": "Sas", "secrets": {"sasToken": "[secret]"}}}},
        ),
        [],
    ),
    "ST-001": (res(t.STORAGE_ACCOUNT, {}), res(t.STORAGE_ACCOUNT, {"enableHttpsTrafficOnly": False}), []),
    "ST-002": (
        res(t.STORAGE_ACCOUNT, {"minimumTlsVersion": "TLS1_2"}),
        res(t.STORAGE_ACCOUNT, {"minimumTlsVersion": "TLS1_1"}),
        [],
    ),
    "ST-003": (
        res(t.STORAGE_ACCOUNT, {"allowBlobPublicAccess": False}),
        res(t.STORAGE_ACCOUNT, {"allowBlobPublicAccess": True}),
        [],
    ),
    "ST-004": (
        res(t.STORAGE_ACCOUNT, {"publicNetworkAccess": "Disabled"}),
        res(t.STORAGE_ACCOUNT, {"publicNetworkAccess": "Enabled"}),
        [],
    ),
    "ST-005": (
        res(t.STORAGE_ACCOUNT, {"networkRuleSet": {"defaultAction": "Deny"}}),
        res(t.STORAGE_ACCOUNT, {"networkRuleSet": {"defaultAction": "Allow"}}),
        [],
    ),
    "ST-006": (
        res(t.STORAGE_ACCOUNT, {"allowSharedKeyAccess": False}),
        res(t.STORAGE_ACCOUNT, {}),
        [],
    ),
    "ST-007": (
        res(t.STORAGE_ACCOUNT, {"encryption": {"requireInfrastructureEncryption": True}}),
        res(t.STORAGE_ACCOUNT, {"encryption": {"requireInfrastructureEncryption": False}}),
        [],
    ),
    "ST-008": (
        res(t.STORAGE_ACCOUNT, {"allowCrossTenantReplication": False}),
        res(t.STORAGE_ACCOUNT, {"allowCrossTenantReplication": True}),
        [],
    ),
    "ST-009": (
        res(t.STORAGE_ACCOUNT, {"sku": {"name": "Standard_RAGZRS"}}),
        res(t.STORAGE_ACCOUNT, {"sku": {"name": "Standard_ZRS"}}),
        [],
    ),
    "ST-010": (
        res(t.STORAGE_ACCOUNT, {"encryption": {"keySource": "Microsoft.Keyvault"}}),
        res(t.STORAGE_ACCOUNT, {"encryption": {"keySource": "Microsoft.Storage"}}),
        [],
    ),
    "ST-011": (
        res(t.BLOB_SERVICE, {"deleteRetentionPolicy": {"enabled": True, "days": 7}}),
        res(t.BLOB_SERVICE, {"deleteRetentionPolicy": {"enabled": True, "days": 6}}),
        [],
    ),
    "ST-012": (
        res(t.BLOB_SERVICE, {"containerDeleteRetentionPolicy": {"enabled": True, "days": 30}}),
        res(t.BLOB_SERVICE, {"containerDeleteRetentionPolicy": {"enabled": False}}),
        [],
    ),
    "ST-013": (
        res(t.FILE_SERVICE, {"shareDeleteRetentionPolicy": {"enabled": True, "days": 14}}),
        res(t.FILE_SERVICE, {}),
        [],
    ),
    "ST-014": (
        res(t.STORAGE_ACCOUNT, {"defaultToOAuthAuthentication": True}),
        res(t.STORAGE_ACCOUNT, {"defaultToOAuthAuthentication": False}),
        [],
    ),
    "ST-015": (
        res(t.STORAGE_ACCOUNT, {"networkRuleSet": {"defaultAction": "Deny", "bypass": "AzureServices, Logging"}}),
        res(t.STORAGE_ACCOUNT, {"networkRuleSet": {"defaultAction": "Deny", "bypass": "None"}}),
        [],
    ),
    "ST-016": (
        res(t.STORAGE_ACCOUNT, {"isLocalUserEnabled": False}),
        res(t.STORAGE_ACCOUNT, {}),
        [],
    ),
    "ST-017": (
        res(t.STORAGE_ACCOUNT, {"sasPolicy": {"sasExpirationPeriod": "1.00:00:00", "expirationAction": "Log"}}),
        res(t.STORAGE_ACCOUNT, {}),
        [],
    ),
    "ST-018": (
        res(t.STORAGE_ACCOUNT, {"accountName": "stws"}),
        res(t.STORAGE_ACCOUNT, {"accountName": "stdata", "publicNetworkAccess": "Disabled"}),
        [
            ws(
                storageAccount=f"{ST_PREFIX}stws",
                managedNetwork={"isolationMode": "AllowOnlyApprovedOutbound"},
            ),
            ws(storageAccount=f"{ST_PREFIX}stdata", managedNetwork={"isolationMode": "Disabled"}),
        ],
    ),
    "KV-001": (vault(), vault(enableSoftDelete=False), []),
    "KV-002": (vault(enablePurgeProtection=True), vault(), []),
    "KV-003": (vault(enableRbacAuthorization=True), vault(enableRbacAuthorization=False), []),
    "KV-004": (vault(accessPolicies=[]), vault(accessPolicies=[{"objectId": "o"}]), []),
    "KV-005": (vault(publicNetworkAccess="Disabled"), vault(publicNetworkAccess="Enabled"), []),
    "KV-006": (vault(networkAcls={"defaultAction": "Deny"}), vault(networkAcls={"defaultAction": "Allow"}), []),
    "KV-007": (
        res(t.KEY_VAULT, {"vaultName": "kv-a"}),
        res(t.KEY_VAULT, {"vaultName": "kv-b"}),
        [
            res(
                t.DIAGNOSTIC_SETTING,
                {
                    "resourceUri": "/subscriptions/s/providers/Microsoft.KeyVault/vaults/kv-a",
                    "logs": [{"categoryGroup": "audit", "enabled": True}],
                },
            )
        ],
    ),
    "KV-008": (
        res(t.KEY_VAULT, {"vaultName": "kv-a", "properties": {"publicNetworkAccess": "Disabled"}}),
        res(t.KEY_VAULT, {"vaultName": "kv-b", "properties": {"publicNetworkAccess": "Enabled"}}),
        [
            ws(keyVault=f"{KV_PREFIX}kv-a", managedNetwork={"isolationMode": "AllowInternetOutbound"}),
            ws(keyVault=f"{KV_PREFIX}kv-b", managedNetwork={"isolationMode": "AllowInternetOutbound"}),
        ],
    ),
    "CR-001": (res(t.REGISTRY, {"adminUserEnabled": False}), res(t.REGISTRY, {"adminUserEnabled": True}), []),
    "CR-002": (
        res(t.REGISTRY, {"sku": {"name": "Premium"}}),
        res(t.REGISTRY, {"sku": {"name": "Standard"}, "anonymousPullEnabled": True}),
        [],
    ),
    "CR-003": (
        res(t.REGISTRY, {"publicNetworkAccess": "Disabled"}),
        res(t.REGISTRY, {"publicNetworkAccess": "Enabled"}),
        [],
    ),
    "CR-004": (
        res(t.REGISTRY, {"publicNetworkAccess": "Enabled", "networkRuleSet": {"defaultAction": "Deny"}}),
        res(t.REGISTRY, {"publicNetworkAccess": "Enabled"}),
        [],
    ),
    "CR-005": (res(t.REGISTRY, {"sku": {"name": "Premium"}}), res(t.REGISTRY, {"sku": {"name": "Standard"}}), []),
    "CR-006": (
        res(t.REGISTRY, {"policies": {"exportPolicy": {"status": "disabled"}}}),
        res(t.REGISTRY, {"policies": {"exportPolicy": {"status": "enabled"}}}),
        [],
    ),
    "CR-007": (res(t.REGISTRY, {"zoneRedundancy": "Enabled"}), res(t.REGISTRY, {"zoneRedundancy": "Disabled"}), []),
    "CR-008": (
        res(t.REGISTRY, {"policies": {"retentionPolicy": {"status": "enabled", "days": 7}}}),
        res(t.REGISTRY, {}),
        [],
    ),
    "CR-009": (
        res(t.REGISTRY, {"registryName": "cra"}),
        res(t.REGISTRY, {"registryName": "crb"}),
        [
            res(
                t.PRIVATE_ENDPOINT,
                {"privateLinkServiceConnections": [{"privateLinkServiceId": f"{CR_PREFIX}cra"}]},
            )
        ],
    ),
    "CR-010": (
        res(t.REGISTRY, {"registryName": "cra"}),
        res(t.REGISTRY, {"registryName": "crb"}),
        [
            res(
                t.DIAGNOSTIC_SETTING,
                {"resourceUri": f"{CR_PREFIX}cra", "logs": [{"categoryGroup": "allLogs", "enabled": True}]},
            )
        ],
    ),
    "CR-011": (res(t.REGISTRY, {"encryption": {"status": "enabled"}}), res(t.REGISTRY, {}), []),
    "CR-012": (res(t.REGISTRY, {"dataEndpointEnabled": True}), res(t.REGISTRY, {"dataEndpointEnabled": False}), []),
    "CR-013": (
        res(t.REGISTRY, {"registryName": "cra"}),
        res(t.REGISTRY, {"registryName": "crb"}),
        [res(t.REPLICATION, {"registryName": "cra", "location": "northeurope"})],
    ),
    "CR-014": (
        res(t.REGISTRY, {"policies": {"trustPolicy": {"status": "enabled"}}}),
        res(t.REGISTRY, {"policies": {"trustPolicy": {"status": "disabled"}}}),
        [],
    ),
    "CR-015": (
        res(t.REGISTRY, {"policies": {"quarantinePolicy": {"status": "enabled"}}}),
        res(t.REGISTRY, {}),
        [],
    ),
    "MON-001": (
        res(t.APP_INSIGHTS, {"workspaceResourceId": "/log"}),
        res(t.APP_INSIGHTS, {"ingestionMode": "ApplicationInsights"}),
        [],
    ),
    "MON-002": (res(t.APP_INSIGHTS, {"disableLocalAuth": True}), res(t.APP_INSIGHTS, {"disableLocalAuth": False}), []),
    "MON-003": (
        res(t.LOG_ANALYTICS, {"features": {"disableLocalAuth": True}}),
        res(t.LOG_ANALYTICS, {"features": {}}),
        [],
    ),
    "MON-004": (
        res(
            t.LOG_ANALYTICS, {"publicNetworkAccessForIngestion": "Disabled", "publicNetworkAccessForQuery": "Disabled"}
        ),
        res(t.APP_INSIGHTS, {"publicNetworkAccessForIngestion": "Disabled", "publicNetworkAccessForQuery": "Enabled"}),
        [],
    ),
    "GEN-001": (
        res(
            t.DATASTORE,
            {"properties": {"credentials": {"secrets": {"secretsType": "AccountKey", "key": "[secret]"}}}},
        ),
        res(
            t.DATASTORE,
            {"properties": {"credentials": {"secrets": {"secretsType": "Sas", "sasToken": "sv=2024&sig=x"}}}},
        ),
        [],
    ),
    "GEN-002": (res(t.KEY_VAULT, {}, protect=True), res(t.WORKSPACE, {}, protect=False), []),
    "GEN-003": (
        res(t.STORAGE_ACCOUNT, {"tags": {"environment": "prod", "workload": "churn"}}),
        res(t.COMPUTE, {"tags": {"environment": "prod"}}),
        [],
    ),
}

# -- "will it work" rules: the stacks they judge -------------------------------------------------------

SUB0 = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
ST_ID = f"{SUB0}/providers/Microsoft.Storage/storageAccounts/stdefault"
WS_ID = f"{SUB0}/providers/Microsoft.MachineLearningServices/workspaces/mlw-a"
ROLE = "/subscriptions/0/providers/Microsoft.Authorization/roleDefinitions/"
RA_T = "azure-native:authorization:RoleAssignment"
BLOB_C, FILE_C = "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "69566ab7-960f-475b-8e7c-b3118f30c6bd"
DS_ROLE = "f6c7c914-8db3-469d-8ca1-694a8f32e121"


def node(type_: str, name: str, inputs: Mapping[str, Any], *deps: Resource) -> Resource:
    return Resource(
        type=type_, name=name, inputs=inputs, urn=f"urn:pulumi:s::p::{type_}::{name}",
        dependencies=tuple(d.urn for d in deps),
    )  # fmt: skip


def grant(
    name: str, scope: str, role: str, principal: str = "p", kind: str = "ServicePrincipal", *deps: Resource
) -> Resource:
    inputs = {"scope": scope, "roleDefinitionId": ROLE + role, "principalId": principal, "principalType": kind}
    return node(RA_T, name, inputs, *deps)


PLACED = {"workspaceName": "mlw-a", "resourceGroupName": "rg"}
WORKSPACE_A = node(
    t.WORKSPACE, "ws", {**PLACED, "storageAccount": ST_ID, "systemDatastoresAuthMode": "Identity",
                        "identity": {"type": "SystemAssigned"}},
)  # fmt: skip
TRAIN = node(
    t.COMPUTE, "train", {**PLACED, "identity": {"type": "SystemAssigned"}, "properties": {"computeType": "AmlCompute"}}
)


def blob_store(name: str, container: str) -> Resource:
    props = {"datastoreType": "AzureBlob", "accountName": "stdata", "containerName": container,
             "credentials": {"credentialsType": "None"}}  # fmt: skip
    return node(t.DATASTORE, name, {**PLACED, "name": name, "properties": props})


def pe_rule(name: str, target: str, *deps: Resource, account: str = "stlake", workspace: str = "mlw-a") -> Resource:
    destination = {"serviceResourceId": ST_ID.replace("stdefault", account), "subresourceTarget": target}
    placed = {**PLACED, "workspaceName": workspace}
    return node(t.OUTBOUND_RULE, name, {**placed, "ruleName": name, "properties": {"destination": destination}}, *deps)


def registry(public: str) -> Resource:
    return node(t.REGISTRY, "acr", {"registryName": "cra", "publicNetworkAccess": public})


def tag_rule(name: str, tag: str, workspace: str = "mlw-a") -> Resource:
    destination = {"serviceTag": tag, "protocol": "TCP", "portRanges": "443", "action": "Allow"}
    placed = {**PLACED, "workspaceName": workspace}
    return node(t.OUTBOUND_RULE, name, {**placed, "ruleName": name, "properties": {"destination": destination}})


READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
ML_REGISTRY_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shared"
    "/providers/Microsoft.MachineLearningServices/registries/mlr-shared"
)
LOCKED = {"managedNetwork": {"isolationMode": "AllowOnlyApprovedOutbound"}}
LOCKED_A = node(t.WORKSPACE, "locked-a", {**PLACED, **LOCKED})
LOCKED_B = node(t.WORKSPACE, "locked-b", {**PLACED, "workspaceName": "mlw-b", **LOCKED})
FIRST_RULE = pe_rule("lake-dfs", "dfs")
WORKS_CASES: dict[str, Case] = {
    "RUN-001": (
        cluster(vmSize="Standard_NC24ads_A100_v4"),
        cluster(vmSize="Standard_NC6s_v3"),
        [],
    ),
    "RUN-002": (
        blob_store("raw", "raw"),
        blob_store("curated", "curated"),
        [
            WORKSPACE_A,
            TRAIN,
            grant(
                "g",
                ST_ID.replace("stdefault", "stdata") + "/blobServices/default/containers/raw",
                "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
                "p",
                "ServicePrincipal",
                TRAIN,
            ),
        ],
    ),
    "RUN-003": (
        grant("ok", WS_ID, DS_ROLE, "ok-group", "Group"),
        grant("bare", WS_ID, DS_ROLE, "bare-group", "Group"),
        [WORKSPACE_A, grant("b", ST_ID, BLOB_C, "ok-group", "Group"), grant("f", ST_ID, FILE_C, "ok-group", "Group")],
    ),
    "RUN-004": (
        node(
            t.WORKSPACE, "built", {"containerRegistry": f"{SUB0}/providers/x/registries/cra", "imageBuildCompute": "b"}
        ),
        node(t.WORKSPACE, "unbuilt", {"containerRegistry": f"{SUB0}/providers/x/registries/cra"}),
        [registry("Disabled")],
    ),
    "RUN-005": (
        FIRST_RULE,
        pe_rule("other-dfs", "dfs", account="stother"),
        [WORKSPACE_A, pe_rule("lake-blob", "blob")],
    ),
    "RUN-006": (
        pe_rule("second", "blob", FIRST_RULE),
        pe_rule("loose", "file", workspace="mlw-b"),
        [
            WORKSPACE_A,
            FIRST_RULE,
            node(t.WORKSPACE, "b", {**PLACED, "workspaceName": "mlw-b"}),
            pe_rule("loose-too", "blob", workspace="mlw-b"),
        ],
    ),
    "RUN-007": (
        grant("compute-blob", ST_ID, BLOB_C, "p", "ServicePrincipal", TRAIN),
        grant("workspace-blob", ST_ID, BLOB_C, "sai", "ServicePrincipal", WORKSPACE_A),
        [WORKSPACE_A, TRAIN],
    ),
    "RUN-008": (
        node(t.WORKSPACE, "private", {"publicNetworkAccess": "Disabled", "storageAccount": ST_ID}),
        node(t.WORKSPACE, "public", {"publicNetworkAccess": "Enabled", "storageAccount": ST_ID}),
        [node(t.STORAGE_ACCOUNT, "st", {"accountName": "stdefault", "publicNetworkAccess": "Disabled"})],
    ),
    "RUN-012": (
        LOCKED_A,
        LOCKED_B,
        [
            grant("a-reader", ML_REGISTRY_ID, READER, "ws-a", "ServicePrincipal", LOCKED_A),
            grant("b-reader", ML_REGISTRY_ID, READER, "ws-b", "ServicePrincipal", LOCKED_B),
            tag_rule("registry-st-westeurope", "Storage.westeurope"),
            tag_rule("registry-acr-westeurope", "AzureContainerRegistry.westeurope"),
            tag_rule("storage-only", "Storage.westeurope", workspace="mlw-b"),
        ],
    ),
}
CASES.update(WORKS_CASES)
# The inference resources' rules keep their cases (with failure texts) in test_policy_rules_inference.py.
CASES.update({rule_id: case[:3] for rule_id, case in INFERENCE_CASES.items()})


def test_there_are_at_least_30_rules_with_unique_ids_and_a_case_each() -> None:
    assert len(RULES) >= 30
    assert len(BY_ID) == len(RULES)
    assert set(CASES) == set(BY_ID), "every rule needs a passing and a failing case here"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_passes_and_fails(rule: Rule) -> None:
    passing, failing, others = CASES[rule.id]
    assert rule.applies_to(passing) and rule.applies_to(failing)
    stack = [passing, failing, *others]
    assert rule.check(passing, stack) is None
    message = rule.check(failing, stack)
    assert isinstance(message, str) and message


def test_rules_an_independent_scanner_disagreed_with_judge_as_it_does() -> None:
    # Checkov CKV_AZURE_36: the bypass matters only behind a denying firewall.
    allow = res(t.STORAGE_ACCOUNT, {"networkRuleSet": {"defaultAction": "Allow", "bypass": "None"}})
    assert BY_ID["ST-015"].check(allow, [allow]) is None
    # Checkov CKV_AZURE_138: a Basic registry has no anonymous pull to turn off.
    basic = res(t.REGISTRY, {"sku": {"name": "Basic"}, "anonymousPullEnabled": True})
    assert BY_ID["CR-002"].check(basic, [basic]) is None


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_metadata_is_complete(rule: Rule) -> None:
    assert rule.title and rule.fix and rule.types
    assert set(rule.levels) == {"dev", "staging", "prod"}
    for source in rule.sources:
        allowed = {"Azure Policy", "PSRule", "Checkov"} if rule.family == "security" else {"Microsoft Learn", "GitHub"}
        assert source.tool in allowed
    if rule.family == "works":
        assert rule.sources and all(rule.level_for(env) is Level.MANDATORY for env in ("dev", "staging", "prod"))


def test_sources_cover_the_reference_tables_ids() -> None:
    refs = {source.ref for rule in RULES for source in rule.sources}
    for expected in (
        "438c38d2",
        "45e05259",
        "ba769a63",
        "5f0c7d88",
        "6ddb1705",
        "afe0c3be",
        "Azure.ML.PublicAccess",
        "Azure.ML.UserManagedIdentity",
        "CKV2_AZURE_49",
        "CKV_AZURE_243",
        "CKV2_AZURE_50",
        "e96a9a5f",
        "7804b5c7",
        "679ddf89",
        "CKV_AZURE_142",
        "CKV_AZURE_150",
    ):
        assert expected in refs


def test_secret_rule_ignores_names_that_are_not_secrets() -> None:
    rule = BY_ID["GEN-001"]
    harmless = res(
        t.WORKSPACE,
        {"keyVault": "/vaults/kv", "encryption": {"keySource": "Microsoft.Storage"}, "adminPublicKey": "ssh-rsa AAAA"},
    )
    assert rule.check(harmless, []) is None
    nested = res(
        t.COMPUTE, {"properties": {"properties": {"userAccountCredentials": {"adminUserPassword": "hunter2"}}}}
    )
    assert "adminUserPassword" in (rule.check(nested, []) or "")


def test_compute_rules_skip_other_compute_types() -> None:
    aks = res(t.COMPUTE, {"properties": {"computeType": "AKS", "properties": {}}})
    for rule_id in ("MLC-001", "MLC-002", "MLC-003", "MLC-004", "MLC-005", "MLC-006", "MLC-008"):
        assert BY_ID[rule_id].check(aks, [aks]) is None


def test_hbi_rule_cannot_judge_storage_brought_by_id() -> None:
    workspace = ws(hbiWorkspace=True, storageAccount="/subscriptions/s/.../storageAccounts/elsewhere")
    assert BY_ID["MLW-008"].check(workspace, [workspace]) is None


def test_default_levels_are_advisory_in_dev_and_mandatory_in_staging_and_prod() -> None:
    assert BY_ID["ST-004"].levels == {"dev": Level.ADVISORY, "staging": Level.MANDATORY, "prod": Level.MANDATORY}
    assert BY_ID["GEN-002"].level_for("dev") is Level.DISABLED
    assert BY_ID["ST-004"].level_for("qa") is Level.MANDATORY  # unknown environments take prod's
    # Dev security is advisory but for one cost rule (dev clusters scale to zero); whether the
    # platform works at all is mandatory everywhere.
    mandatory_in_dev = [rule.id for rule in RULES if rule.level_for("dev") is Level.MANDATORY]
    assert mandatory_in_dev == ["MLC-004"] + [rule.id for rule in RULES if rule.family == "works"]


def test_evaluate_applies_levels_and_overrides() -> None:
    public = ws(publicNetworkAccess="Enabled", managedNetwork={"isolationMode": "AllowOnlyApprovedOutbound"})
    rules = [BY_ID["MLW-001"], BY_ID["MLW-002"]]
    assert [f.level for f in evaluate([public], "prod", rules=rules).findings] == [Level.MANDATORY]
    assert evaluate([public], "prod", rules=rules).exit_code == 1
    assert [f.level for f in evaluate([public], "dev", rules=rules).findings] == [Level.ADVISORY]
    lowered = {"MLW-001": LevelOverride(Level.ADVISORY, "reviewers need the studio")}
    report = evaluate([public], "prod", lowered, rules=rules)
    assert report.exit_code == 0 and report.findings[0].reason == "reviewers need the studio"
    off = {"MLW-001": LevelOverride(Level.DISABLED, "n/a")}
    assert evaluate([public], "prod", off, rules=rules).findings == []


def test_pack_config_carries_every_rule_level() -> None:
    config = pack_config("staging", {"MLW-001": LevelOverride(Level.ADVISORY, "x")})
    assert set(config) == set(BY_ID)
    assert config["MLW-001"] == {"enforcementLevel": "advisory"}
    assert config["ST-004"] == {"enforcementLevel": "mandatory"}
    assert config["MLC-004"] == {"enforcementLevel": "mandatory"}
    assert pack_config("prod", {})["MLC-004"] == {"enforcementLevel": "advisory"}


@pytest.mark.parametrize(
    ("raw", "key", "rule"),
    [
        ("advisory", "p:policy", "must be a mapping"),
        ({"XX-001": {"level": "advisory", "reason": "r"}}, "p:policy.XX-001", "is not a rule id"),
        ({"MLW-001": "advisory"}, "p:policy.MLW-001", "must be a mapping"),
        ({"MLW-001": {"level": "off", "reason": "r"}}, "p:policy.MLW-001.level", "mandatory, advisory, disabled"),
        ({"MLW-001": {"level": "advisory"}}, "p:policy.MLW-001.reason", "is required"),
        ({"MLW-001": {"level": "advisory", "reason": "  "}}, "p:policy.MLW-001.reason", "is required"),
        ({"MLW-001": {"level": "advisory", "reason": "r", "until": "2027"}}, "p:policy.MLW-001.until", "not a known"),
    ],
)
def test_bad_policy_config_names_the_key(raw: Any, key: str, rule: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_overrides("p", raw)
    assert caught.value.key == key
    assert rule in caught.value.rule


def test_policy_config_parses() -> None:
    parsed = parse_overrides("p", {"ST-009": {"level": "mandatory", "reason": " staging is prod-like "}})
    assert parsed == {"ST-009": LevelOverride(Level.MANDATORY, "staging is prod-like")}


def test_log_rules_want_enabled_logs_on_the_right_resource() -> None:
    workspace = ws()
    law_same_name = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/mlw-a"
    longer_name = WS_ID + "b"
    enabled = [{"categoryGroup": "allLogs", "enabled": True}]
    for uri, logs in ((law_same_name, enabled), (longer_name, enabled), (WS_ID, [{"category": "x", "enabled": False}])):
        setting = res(t.DIAGNOSTIC_SETTING, {"resourceUri": uri, "logs": logs})
        assert BY_ID["MLW-005"].check(workspace, [workspace, setting]), uri
    right = res(t.DIAGNOSTIC_SETTING, {"resourceUri": WS_ID.upper(), "logs": enabled})
    assert BY_ID["MLW-005"].check(workspace, [workspace, right]) is None


def test_compute_network_rule_judges_the_workspace_managed_network() -> None:
    compute = res(t.COMPUTE, {"workspaceName": "mlw-a", "properties": {"computeType": "AmlCompute", "properties": {}}})
    managed = ws(managedNetwork={"isolationMode": "AllowInternetOutbound"})
    unmanaged = ws(managedNetwork={"isolationMode": "Disabled"})
    assert BY_ID["MLC-002"].check(compute, [managed, compute]) is None
    assert "isolationMode 'Disabled'" in (BY_ID["MLC-002"].check(compute, [unmanaged, compute]) or "")
    assert BY_ID["MLC-002"].check(compute, [compute])  # workspace elsewhere and public IPs on


def _resolves(path: str) -> bool:
    """``a.b[].c`` is a key of the stack config schema (anything under an ``overrides``-like map
    is the SDK's business and accepted)."""
    from pydantic import BaseModel

    from pulumi_azureml.stack.schema import StackConfig

    model: type[BaseModel] = StackConfig
    for part in path.replace("[]", "").split("."):
        fields = {(info.alias or name): info for name, info in model.model_fields.items()}
        if part not in fields:
            return False
        annotation: Any = fields[part].annotation
        inner: list[Any] = [a for a in getattr(annotation, "__args__", (annotation,)) if a is not type(None)]
        inner = [getattr(a, "__args__", (a,))[0] if getattr(a, "__origin__", None) is list else a for a in inner]
        nested = [a for a in inner if isinstance(a, type) and issubclass(a, BaseModel)]
        if not nested:
            return True  # a leaf or a free-form map (overrides, tags, policy)
        model = nested[0]
    return True


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_fix_names_real_config_keys(rule: Rule) -> None:
    import re

    from pulumi_azureml.stack.schema import StackConfig

    tops = {(info.alias or name) for name, info in StackConfig.model_fields.items()}
    keys = [
        key
        for key in re.findall(r"\b([a-z][A-Za-z]*(?:\[\])?(?:\.[A-Za-z_]+(?:\[\])?)*)(?=[:;\s,)/]|$)", rule.fix)
        if key.split(".")[0].replace("[]", "") in tops
    ]
    if not rule.fix.startswith("no config key"):
        assert keys, f"{rule.id}: the fix names no config key: {rule.fix}"
    for key in keys:
        assert _resolves(key), f"{rule.id}: {key} is not a config key"


def test_registry_outbound_rule_names_what_is_missing_and_takes_a_private_endpoint() -> None:
    rule = BY_ID["RUN-012"]
    compute = node(t.COMPUTE, "train", {**PLACED, "workspaceName": "mlw-b"})
    through_compute = grant("train-reader", ML_REGISTRY_ID, READER, "mi", "ServicePrincipal", compute)
    stack = [LOCKED_B, compute, through_compute, tag_rule("storage-only", "Storage.westeurope", workspace="mlw-b")]
    message = rule.check(LOCKED_B, stack)
    assert message is not None
    assert "mlr-shared" in message and "AzureContainerRegistry.<region>" in message and "Storage.<" not in message
    # A private endpoint rule to the registry is the other way out.
    destination = {"serviceResourceId": ML_REGISTRY_ID, "subresourceTarget": "amlregistry"}
    pep = node(t.OUTBOUND_RULE, "mlr", {**PLACED, "workspaceName": "mlw-b", "properties": {"destination": destination}})
    assert rule.check(LOCKED_B, [*stack, pep]) is None
    # No registry grant, or an open managed network: nothing to judge.
    assert rule.check(LOCKED_B, [LOCKED_B]) is None
    open_ws = node(t.WORKSPACE, "open", {**PLACED, "managedNetwork": {"isolationMode": "AllowInternetOutbound"}})
    assert rule.check(open_ws, [open_ws, grant("o", ML_REGISTRY_ID, READER, "o", "ServicePrincipal", open_ws)]) is None
