"""Rules for storage accounts (the workspace's and those created for datastores) and their
blob and file services."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import ADVISORY_ALL, PROD_ONLY, Check, Resource, Rule, ap, ck, get, ps
from .links import STORAGE_PATH
from .private_link import private_link_check
from .types import BLOB_SERVICE, FILE_SERVICE, STORAGE_ACCOUNT

GEO_REDUNDANT = ("GRS", "RAGRS", "GZRS", "RAGZRS")
MIN_RETENTION_DAYS = 7


def _equals(path: str, wanted: object, *, absent_ok: bool = False, why: str = "") -> Check:
    def check(r: Resource, _: Sequence[Resource]) -> str | None:
        value = get(r.inputs, path)
        if value == wanted or (absent_ok and value is None):
            return None
        return f"{path} is {value!r}, not {wanted!r}" + (f": {why}" if why else "")

    return check


def _min_tls(r: Resource, _: Sequence[Resource]) -> str | None:
    tls = r.inputs.get("minimumTlsVersion")
    if tls not in ("TLS1_2", "TLS1_3"):
        return f"minimumTlsVersion is {tls!r}, not TLS1_2 or later"
    return None


def _replication(r: Resource, _: Sequence[Resource]) -> str | None:
    sku = str(get(r.inputs, "sku.name") or "")
    if sku.split("_")[-1] not in GEO_REDUNDANT:
        return f"sku {sku!r} keeps no copy outside the region (use GRS or GZRS)"
    return None


def _bypass(r: Resource, _: Sequence[Resource]) -> str | None:
    # The bypass matters only where the firewall denies: with defaultAction Allow nothing is
    # blocked, trusted services included (Checkov's CKV_AZURE_36 judges the same way).
    if get(r.inputs, "networkRuleSet.defaultAction") != "Deny":
        return None
    bypass = str(get(r.inputs, "networkRuleSet.bypass") or "")
    if "AzureServices" not in bypass:
        return f"networkRuleSet.bypass is {bypass or None!r}: trusted Azure services are blocked by the firewall"
    return None


def _sas_policy(r: Resource, _: Sequence[Resource]) -> str | None:
    if not get(r.inputs, "sasPolicy.sasExpirationPeriod"):
        return "no sasPolicy.sasExpirationPeriod: SAS tokens of any lifetime are accepted silently"
    return None


def _retention(path: str) -> Check:
    def check(r: Resource, _: Sequence[Resource]) -> str | None:
        policy = get(r.inputs, path) or {}
        days = policy.get("days") if isinstance(policy, Mapping) else None
        if not isinstance(policy, Mapping) or policy.get("enabled") is not True:
            return f"{path} is not enabled: deleted data cannot be recovered"
        # CrossGuard hands numbers over as floats (protobuf Struct), the plan as ints.
        if isinstance(days, int | float) and not isinstance(days, bool) and days < MIN_RETENTION_DAYS:
            return f"{path}.days is {days:g}, fewer than {MIN_RETENTION_DAYS}"
        return None

    return check


RULES = (
    Rule(
        id="ST-001",
        title="Storage accepts secure transfer (HTTPS) only",
        types=(STORAGE_ACCOUNT,),
        sources=(ap("404c3081"), ps("Azure.Storage.SecureTransfer"), ck("CKV_AZURE_3")),
        fix="storage.overrides.enable_https_traffic_only: true (the default)",
        check=_equals("enableHttpsTrafficOnly", True, absent_ok=True),
    ),
    Rule(
        id="ST-002",
        title="Storage requires TLS 1.2 or later",
        types=(STORAGE_ACCOUNT,),
        sources=(ap("fe83a0eb"), ps("Azure.Storage.MinTLS"), ck("CKV_AZURE_44")),
        fix="storage.overrides.minimum_tls_version: TLS1_2 (the default)",
        check=_min_tls,
    ),
    Rule(
        id="ST-003",
        title="Storage allows no anonymous blob access",
        types=(STORAGE_ACCOUNT,),
        sources=(ap("4fa4b6c0"), ps("Azure.Storage.BlobPublicAccess"), ck("CKV_AZURE_190"), ck("CKV2_AZURE_47")),
        fix="storage.overrides.allow_blob_public_access: false (the default)",
        check=_equals("allowBlobPublicAccess", False),
    ),
    Rule(
        id="ST-004",
        title="Storage public network access is disabled",
        types=(STORAGE_ACCOUNT,),
        sources=(ap("b2982f36"), ck("CKV_AZURE_59")),
        fix="storage.publicNetworkAccess: Disabled (datastores[].storage.publicNetworkAccess for theirs)",
        check=_equals("publicNetworkAccess", "Disabled"),
    ),
    Rule(
        id="ST-005",
        title="Storage firewall denies by default",
        types=(STORAGE_ACCOUNT,),
        sources=(ap("34c877ad"), ps("Azure.Storage.Firewall"), ck("CKV_AZURE_35")),
        fix="storage.publicNetworkAccess: Disabled (sets networkRuleSet.defaultAction: Deny)",
        check=_equals("networkRuleSet.defaultAction", "Deny"),
    ),
    Rule(
        id="ST-006",
        title="Storage shared-key access is disabled",
        types=(STORAGE_ACCOUNT,),
        sources=(ap("8c6a50c6"), ps("Azure.Storage.LocalAuth"), ck("CKV2_AZURE_40")),
        fix="storage.allowSharedKeyAccess: false (dev keeps it on for compute instances and notebooks)",
        check=_equals("allowSharedKeyAccess", False),
    ),
    Rule(
        id="ST-007",
        title="Storage uses infrastructure (double) encryption",
        types=(STORAGE_ACCOUNT,),
        sources=(ap("4733ea7b"),),
        fix="storage.infrastructureEncryption: true (the default; set at creation only)",
        check=_equals("encryption.requireInfrastructureEncryption", True),
    ),
    Rule(
        id="ST-008",
        title="Storage blocks cross-tenant object replication",
        types=(STORAGE_ACCOUNT,),
        sources=(ap("92a89a79"),),
        fix="storage.overrides.allow_cross_tenant_replication: false (the default)",
        check=_equals("allowCrossTenantReplication", False),
    ),
    Rule(
        id="ST-009",
        title="Storage is geo-redundant in prod",
        types=(STORAGE_ACCOUNT,),
        sources=(ps("Azure.Storage.UseReplication"), ck("CKV_AZURE_206")),
        fix="storage.sku: Standard_GZRS (the prod profile's)",
        check=_replication,
        levels=PROD_ONLY,
    ),
    Rule(
        id="ST-010",
        title="Storage is encrypted with a customer-managed key",
        types=(STORAGE_ACCOUNT,),
        sources=(ap("6fac406b"), ck("CKV2_AZURE_1")),
        fix="storage.overrides.encryption with keySource Microsoft.Keyvault (not built by this project)",
        check=_equals("encryption.keySource", "Microsoft.Keyvault"),
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="ST-011",
        title="Blob soft delete is on (7 days or more)",
        types=(BLOB_SERVICE,),
        sources=(ps("Azure.Storage.SoftDelete"), ck("CKV2_AZURE_38")),
        fix="storage.blobSoftDeleteDays (profile: 7 dev, 14 staging, 30 prod)",
        check=_retention("deleteRetentionPolicy"),
    ),
    Rule(
        id="ST-012",
        title="Container soft delete is on (7 days or more)",
        types=(BLOB_SERVICE,),
        sources=(ps("Azure.Storage.ContainerSoftDelete"),),
        fix="storage.containerSoftDeleteDays",
        check=_retention("containerDeleteRetentionPolicy"),
    ),
    Rule(
        id="ST-013",
        title="File share soft delete is on (7 days or more)",
        types=(FILE_SERVICE,),
        sources=(ps("Azure.Storage.FileShareSoftDelete"),),
        fix="storage.shareSoftDeleteDays",
        check=_retention("shareDeleteRetentionPolicy"),
    ),
    Rule(
        id="ST-014",
        title="Storage defaults to Entra ID authorization",
        types=(STORAGE_ACCOUNT,),
        sources=(),
        fix="storage.allowSharedKeyAccess: false (turns defaultToOAuthAuthentication on)",
        check=_equals("defaultToOAuthAuthentication", True),
    ),
    Rule(
        id="ST-015",
        title="Storage firewall lets trusted Azure services through",
        types=(STORAGE_ACCOUNT,),
        sources=(ck("CKV_AZURE_36"),),
        fix="storage.overrides: keep network_rule_set.bypass AzureServices (the default; Azure ML needs it)",
        check=_bypass,
    ),
    Rule(
        id="ST-016",
        title="Storage local users (SFTP, NFS) are off",
        types=(STORAGE_ACCOUNT,),
        sources=(ck("CKV_AZURE_244"),),
        fix="storage.overrides: do not set is_local_user_enabled true (false by default)",
        check=_equals("isLocalUserEnabled", False),
    ),
    Rule(
        id="ST-017",
        title="Storage has a SAS expiration policy",
        types=(STORAGE_ACCOUNT,),
        sources=(ck("CKV2_AZURE_41"),),
        fix="storage.overrides.sas_policy: {sas_expiration_period: '1.00:00:00', expiration_action: Log}",
        check=_sas_policy,
        levels=ADVISORY_ALL,
    ),
    Rule(
        id="ST-018",
        title="Storage is reached through a private endpoint",
        types=(STORAGE_ACCOUNT,),
        sources=(ap("6edd7eda"), ck("CKV2_AZURE_33")),
        fix="network.privateEndpointSubnet (endpoints in your network, datastore accounts too), or "
        "workspace.isolationMode: AllowOnlyApprovedOutbound and datastores[].privateEndpoint: true",
        check=private_link_check("storage", STORAGE_PATH, "accountName"),
        needs_stack=True,
    ),
)
