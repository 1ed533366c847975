"""Azure resource names: Cloud Adoption Framework abbreviations and each service's rules.

Hyphenated names read ``<abbr>-<workload>-<environment>-<region>[-<instance>]``
(``mlw-churn-dev-we``). Storage accounts, key vaults and registries need globally unique names:
they get a deterministic base-36 suffix (6 characters; 5 for key vaults, whose 24-character limit
leaves no more room), a hash of workload, environment, region, instance and an optional seed, so
the same config always gives the same names.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass


class NamingError(ValueError):
    """An input that cannot give valid names: names the field, the value and the rule."""

    def __init__(self, field: str, value: object, rule: str) -> None:
        self.field = field
        self.value = value
        self.rule = rule
        super().__init__(f"{field}={value!r}: {rule}")


# CAF-style short codes (as used by Azure Verified Modules and the CAF naming tool). Unique values.
REGION_ABBREVIATIONS: dict[str, str] = {
    "australiacentral": "acl",
    "australiacentral2": "acl2",
    "australiaeast": "ae",
    "australiasoutheast": "ase",
    "austriaeast": "ate",
    "belgiumcentral": "bec",
    "brazilsouth": "brs",
    "brazilsoutheast": "bse",
    "canadacentral": "cnc",
    "canadaeast": "cne",
    "centralindia": "inc",
    "centralus": "cus",
    "chilecentral": "clc",
    "denmarkeast": "dke",
    "eastasia": "ea",
    "eastus": "eus",
    "eastus2": "eus2",
    "francecentral": "frc",
    "francesouth": "frs",
    "germanynorth": "gn",
    "germanywestcentral": "gwc",
    "indonesiacentral": "idc",
    "israelcentral": "ilc",
    "italynorth": "itn",
    "japaneast": "jpe",
    "japanwest": "jpw",
    "jioindiacentral": "jic",
    "jioindiawest": "jiw",
    "koreacentral": "krc",
    "koreasouth": "krs",
    "malaysiawest": "myw",
    "mexicocentral": "mxc",
    "newzealandnorth": "nzn",
    "northcentralus": "ncus",
    "northeurope": "ne",
    "norwayeast": "nwe",
    "norwaywest": "nww",
    "polandcentral": "plc",
    "qatarcentral": "qac",
    "southafricanorth": "san",
    "southafricawest": "saw",
    "southcentralus": "scus",
    "southeastasia": "sea",
    "southindia": "ins",
    "spaincentral": "spc",
    "swedencentral": "sdc",
    "swedensouth": "sds",
    "switzerlandnorth": "szn",
    "switzerlandwest": "szw",
    "taiwannorth": "twn",
    "uaecentral": "uac",
    "uaenorth": "uan",
    "uksouth": "uks",
    "ukwest": "ukw",
    "westcentralus": "wcus",
    "westeurope": "we",
    "westindia": "inw",
    "westus": "wus",
    "westus2": "wus2",
    "westus3": "wus3",
}

# Short environment tokens for the tight global names; other environments use their first 4 chars.
ENVIRONMENT_ABBREVIATIONS: dict[str, str] = {"dev": "dev", "test": "tst", "staging": "stg", "prod": "prd"}

WORKLOAD_PATTERN = re.compile(r"^[a-z][a-z0-9]{1,9}$")
ENVIRONMENT_PATTERN = re.compile(r"^[a-z][a-z0-9]{1,7}$")
INSTANCE_PATTERN = re.compile(r"^[0-9]{2,3}$")
SUFFIX_LENGTH = 6


@dataclass(frozen=True)
class NameRule:
    """One service's naming rule; ``pattern`` covers characters and length together."""

    service: str
    min_len: int
    max_len: int
    pattern: re.Pattern[str]
    description: str


RESOURCE_GROUP_RULE = NameRule(
    "resource group",
    1,
    90,
    re.compile(r"^[-\w.()]{0,89}[-\w()]$"),
    "resource group names are 1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'",
)
WORKSPACE_RULE = NameRule(
    "machine learning workspace",
    3,
    33,
    re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$"),
    "workspace names are 3-33 letters, digits, '-' or '_', starting with a letter or digit",
)
STORAGE_ACCOUNT_RULE = NameRule(
    "storage account",
    3,
    24,
    re.compile(r"^[a-z0-9]{3,24}$"),
    "storage account names are 3-24 lowercase letters and digits, globally unique",
)
KEY_VAULT_RULE = NameRule(
    "key vault",
    3,
    24,
    re.compile(r"^(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$"),
    "key vault names are 3-24 letters, digits and '-', start with a letter, end with a letter or digit, "
    "no '--', globally unique",
)
CONTAINER_REGISTRY_RULE = NameRule(
    "container registry",
    5,
    50,
    re.compile(r"^[a-zA-Z0-9]{5,50}$"),
    "registry names are 5-50 letters and digits, globally unique",
)
LOG_ANALYTICS_RULE = NameRule(
    "log analytics workspace",
    4,
    63,
    re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$"),
    "Log Analytics workspace names are 4-63 letters, digits and '-', starting and ending with a letter or digit",
)
APPLICATION_INSIGHTS_RULE = NameRule(
    "application insights",
    1,
    260,
    re.compile(r"^[-\w.()]{0,259}[-\w()]$"),
    "Application Insights names are 1-260 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'",
)
USER_ASSIGNED_IDENTITY_RULE = NameRule(
    "user-assigned identity",
    3,
    128,
    re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$"),
    "identity names are 3-128 letters, digits, '-' or '_', starting with a letter or digit",
)
# Azure ML compute names (instances and clusters): 3-24 characters, letters, digits and '-',
# starting with a letter; every '-' must be followed later by a letter, and the name must not end
# in '-' plus digits. 3-16 characters also satisfies the older cluster limit.
COMPUTE_NAME_RULE = NameRule(
    "compute",
    3,
    24,
    re.compile(r"^(?!.*-[0-9]*$)[a-zA-Z][a-zA-Z0-9-]{2,23}$"),
    "compute names are 3-24 letters, digits and '-', start with a letter, and every '-' is followed "
    "later by a letter (so no trailing '-' or '-<digits>'); unique per region",
)


def validate_name(rule: NameRule, name: str) -> str:
    """Return ``name`` if it satisfies ``rule``; raise NamingError otherwise."""
    if not (rule.min_len <= len(name) <= rule.max_len and rule.pattern.match(name)):
        raise NamingError(rule.service + " name", name, rule.description)
    return name


def short_hash(*parts: str, length: int = SUFFIX_LENGTH) -> str:
    """A lowercase base-36 hash of ``parts``: deterministic, letters and digits only."""
    number = int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest(), "big")
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = []
    for _ in range(length):
        number, digit = divmod(number, 36)
        out.append(alphabet[digit])
    return "".join(out)


def role_assignment_name(scope: str, principal_id: str, role_definition_id: str) -> str:
    """A deterministic GUID for a role assignment (Azure requires GUID names)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{scope.lower()}|{principal_id.lower()}|{role_definition_id.lower()}"))


@dataclass(frozen=True)
class ResourceNames:
    resource_group: str
    workspace: str
    storage_account: str
    key_vault: str
    container_registry: str
    log_analytics: str
    application_insights: str
    user_assigned_identity: str


def _check(field: str, value: str | None, pattern: re.Pattern[str], rule: str) -> None:
    if not isinstance(value, str) or not pattern.match(value):
        raise NamingError(field, value, rule)


def environment_abbreviation(environment: str) -> str:
    return ENVIRONMENT_ABBREVIATIONS.get(environment, environment[:4])


def build_names(
    workload: str,
    environment: str,
    location: str,
    *,
    instance: str | None = None,
    suffix_seed: str | None = None,
) -> ResourceNames:
    """CAF names for every resource of a workspace platform; raises NamingError on bad input."""
    _check(
        "workload",
        workload,
        WORKLOAD_PATTERN,
        "workload must be 2-10 lowercase letters and digits, starting with a letter",
    )
    _check(
        "environment",
        environment,
        ENVIRONMENT_PATTERN,
        "environment must be 2-8 lowercase letters and digits, starting with a letter",
    )
    if location not in REGION_ABBREVIATIONS:
        raise NamingError(
            "location",
            location,
            "must be an Azure region name known to pulumi_azureml.naming (e.g. westeurope); see REGION_ABBREVIATIONS",
        )
    if instance is not None:
        _check("instance", instance, INSTANCE_PATTERN, "instance must be 2-3 digits, e.g. 01")
    if suffix_seed is not None and (not isinstance(suffix_seed, str) or not suffix_seed):
        raise NamingError("suffix_seed", suffix_seed, "suffix seed must be a non-empty string")

    region = REGION_ABBREVIATIONS[location]
    tail = f"-{instance}" if instance else ""
    base = f"{workload}-{environment}-{region}{tail}"
    env = environment_abbreviation(environment)
    suffix = short_hash(workload, environment, location, instance or "", suffix_seed or "")
    names = ResourceNames(
        resource_group=validate_name(RESOURCE_GROUP_RULE, f"rg-{base}"),
        workspace=validate_name(WORKSPACE_RULE, f"mlw-{base}"),
        storage_account=validate_name(STORAGE_ACCOUNT_RULE, f"st{workload}{env}{suffix}"),
        # 24 characters leave room for 5 suffix characters after the hyphens (36^5 values).
        key_vault=validate_name(KEY_VAULT_RULE, f"kv-{workload}-{env}-{suffix[:5]}"),
        container_registry=validate_name(CONTAINER_REGISTRY_RULE, f"cr{workload}{env}{suffix}"),
        log_analytics=validate_name(LOG_ANALYTICS_RULE, f"log-{base}"),
        application_insights=validate_name(APPLICATION_INSIGHTS_RULE, f"appi-{base}"),
        user_assigned_identity=validate_name(USER_ASSIGNED_IDENTITY_RULE, f"id-{base}"),
    )
    return names
