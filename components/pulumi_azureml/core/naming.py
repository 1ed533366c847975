"""Azure resource names: Cloud Adoption Framework abbreviations and each service's rules.

Conventions
-----------
Inputs (checked first; a bad one is a :class:`NamingError` naming the field, value and rule):

* ``workload``: 2-10 lowercase letters and digits, starting with a letter (``churn``).
* ``environment``: 2-8 lowercase letters and digits, starting with a letter (``dev``, ``prod``,
  ``dev2``). Profiles are dev/staging/prod, but this layer stays generic.
* ``location``: an Azure region name as ARM spells it (``westeurope``), a key of
  :data:`REGION_ABBREVIATIONS`.
* ``instance``: optional 2-3 digits (``01``). ``None`` (the default) means no instance segment.
* ``suffix_seed``: optional non-empty string (a subscription id is a good value); it only feeds
  the suffix, so two organisations with the same workload, environment and region can move apart.

Names:

* Hyphenated names read ``<abbr>-<workload>-<environment>-<region>[-<instance>]``, with the CAF
  abbreviations ``rg``, ``mlw``, ``log``, ``appi`` and ``id`` (``mlw-churn-dev-we``).
* Storage accounts, key vaults and container registries need globally unique names, so they carry
  a deterministic suffix: :func:`short_hash` of workload, environment, region, instance and seed
  (6 base-36 characters; the key vault keeps 5, all its 24 characters allow). The environment is
  shortened there (:func:`environment_abbreviation`): ``st<workload><env><suffix6>``,
  ``kv-<workload>-<env>-<suffix5>`` and ``cr<workload><env><suffix6>``. The instance appears in
  these names only through the suffix.

The same inputs always give the same names (offline, without credentials), and every name is
checked against its service's :class:`NameRule` before it is returned.
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


# Short codes for the public Azure regions (restricted-access ones included). They follow
# Microsoft's published geo-code list (used e.g. in Azure Backup private DNS zones) wherever it has
# the region; Canada uses cac/cae, the form most CAF/AVM naming modules use, and newer regions
# follow the same <country><direction> pattern. Values are unique, so a name always maps back to one region.
REGION_ABBREVIATIONS: dict[str, str] = {
    "australiacentral": "acl",
    "australiacentral2": "acl2",
    "australiaeast": "ae",
    "australiasoutheast": "ase",
    "austriaeast": "ate",
    "belgiumcentral": "bec",
    "brazilsouth": "brs",
    "brazilsoutheast": "bse",
    "canadacentral": "cac",
    "canadaeast": "cae",
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
    "taiwannorthwest": "twnw",
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

# Short environment tokens for the tight global names; other environments use their first 4
# characters (the full environment still feeds the suffix, so prod1 and prod2 stay distinct).
ENVIRONMENT_ABBREVIATIONS: dict[str, str] = {"dev": "dev", "test": "tst", "staging": "stg", "prod": "prd"}

# Input patterns are used with fullmatch: ``$`` would also accept a trailing newline.
WORKLOAD_PATTERN = re.compile(r"[a-z][a-z0-9]{1,9}")
ENVIRONMENT_PATTERN = re.compile(r"[a-z][a-z0-9]{1,7}")
INSTANCE_PATTERN = re.compile(r"[0-9]{2,3}")
SUFFIX_LENGTH = 6
# kv-<10>-<4>- leaves 5 of the vault's 24 characters for the suffix (36^5, about 60 million values).
KEY_VAULT_SUFFIX_LENGTH = 5

WORKLOAD_RULE = "workload must be 2-10 lowercase letters and digits, starting with a letter"
ENVIRONMENT_RULE = "environment must be 2-8 lowercase letters and digits, starting with a letter"
LOCATION_RULE = "must be one of the Azure regions known to pulumi_azureml.naming; see REGION_ABBREVIATIONS"
INSTANCE_RULE = 'instance must be 2-3 digits, e.g. "01" (quoted in YAML: an unquoted 01 is the number 1), or left unset'
SUFFIX_SEED_RULE = "suffix seed must be a non-empty string (e.g. the subscription id) or left unset"


@dataclass(frozen=True)
class NameRule:
    """One service's naming rule.

    ``pattern`` is matched against the whole name (``fullmatch``) and ``min_len``/``max_len`` are
    checked as well, so a pattern may state only the character rules.
    """

    service: str
    min_len: int
    max_len: int
    pattern: re.Pattern[str]
    description: str


# Resource group and Application Insights names accept Unicode letters and digits (Azure checks
# Char.IsLetterOrDigit); ``\w`` on str patterns matches those plus '_'.
RESOURCE_GROUP_RULE = NameRule(
    "resource group",
    1,
    90,
    re.compile(r"[-\w.()]*[-\w()]"),
    "resource group names are 1-90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'",
)
WORKSPACE_RULE = NameRule(
    "machine learning workspace",
    3,
    33,
    re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}"),
    "workspace names are 3-33 letters, digits, '-' or '_', starting with a letter or digit",
)
STORAGE_ACCOUNT_RULE = NameRule(
    "storage account",
    3,
    24,
    re.compile(r"[a-z0-9]{3,24}"),
    "storage account names are 3-24 lowercase letters and digits, globally unique",
)
KEY_VAULT_RULE = NameRule(
    "key vault",
    3,
    24,
    re.compile(r"(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]"),
    "key vault names are 3-24 letters, digits and '-', start with a letter, end with a letter or digit, "
    "no '--', globally unique",
)
CONTAINER_REGISTRY_RULE = NameRule(
    "container registry",
    5,
    50,
    re.compile(r"[a-zA-Z0-9]{5,50}"),
    "registry names are 5-50 letters and digits, globally unique",
)
LOG_ANALYTICS_RULE = NameRule(
    "log analytics workspace",
    4,
    63,
    re.compile(r"[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]"),
    "Log Analytics workspace names are 4-63 letters, digits and '-', starting and ending with a letter or digit",
)
APPLICATION_INSIGHTS_RULE = NameRule(
    "application insights",
    1,
    260,
    re.compile(r"[-\w.()]*[-\w()]"),
    "Application Insights names are 1-260 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'",
)
USER_ASSIGNED_IDENTITY_RULE = NameRule(
    "user-assigned identity",
    3,
    128,
    re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}"),
    "identity names are 3-128 letters, digits, '-' or '_', starting with a letter or digit",
)
VIRTUAL_NETWORK_RULE = NameRule(
    "virtual network",
    2,
    64,
    re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}[a-zA-Z0-9_]"),
    "virtual network names are 2-64 letters, digits, '_', '.' or '-', starting with a letter or digit and "
    "ending with a letter, digit or '_'",
)
SUBNET_RULE = NameRule(
    "subnet",
    1,
    80,
    re.compile(r"[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,78}[a-zA-Z0-9_])?"),
    "subnet names are 1-80 letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a "
    "letter, digit or '_'",
)
# Network security groups and private endpoints share the virtual network's character rules.
NETWORK_RESOURCE_RULE = NameRule(
    "network resource",
    1,
    80,
    re.compile(r"[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,78}[a-zA-Z0-9_])?"),
    "network security group and private endpoint names are 1-80 letters, digits, '_', '.' or '-', starting "
    "with a letter or digit and ending with a letter, digit or '_'",
)
# Azure ML compute names (instances and clusters): 3-24 characters, letters, digits and '-',
# starting with a letter; every '-' must be followed later by a letter, which is the same as:
# the name does not end in '-' or '-<digits>'. Compute names are unique per region.
COMPUTE_NAME_RULE = NameRule(
    "compute",
    3,
    24,
    re.compile(r"(?!.*-[0-9]*\Z)[a-zA-Z][a-zA-Z0-9-]{2,23}"),
    "compute names are 3-24 letters, digits and '-', start with a letter, and every '-' is followed "
    "later by a letter (so no trailing '-' or '-<digits>'); unique per region",
)
# Older API versions and tools cap cluster names at 16 characters; names of 3-16 characters that
# satisfy COMPUTE_NAME_RULE are accepted everywhere, so generated compute names stay within it.
COMPUTE_NAME_PORTABLE_MAX_LEN = 16

_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
# 36^50 > 2^256: more digits than this would only be leading zeros.
_MAX_HASH_LENGTH = 49


def validate_name(rule: NameRule, name: str) -> str:
    """Return ``name`` if it satisfies ``rule``; raise NamingError (field ``<service> name``) otherwise."""
    if not (isinstance(name, str) and rule.min_len <= len(name) <= rule.max_len and rule.pattern.fullmatch(name)):
        raise NamingError(rule.service + " name", name, rule.description)
    return name


def short_hash(*parts: str, length: int = SUFFIX_LENGTH) -> str:
    """A deterministic lowercase base-36 hash of ``parts`` (letters and digits only).

    The parts are joined with ``|`` and hashed with SHA-256; the result is the ``length`` least
    significant base-36 digits of the digest, least significant first. Low-order digits are
    uniformly distributed, unlike the leading digits of a 256-bit number. Parts are not escaped,
    so only the last part should be free text that may contain ``|``.
    """
    if not 1 <= length <= _MAX_HASH_LENGTH:
        raise ValueError(f"length must be from 1 to {_MAX_HASH_LENGTH}, got {length}")
    # surrogatepass: any Python str hashes (a lone surrogate would otherwise raise).
    number = int.from_bytes(hashlib.sha256("|".join(parts).encode("utf-8", "surrogatepass")).digest(), "big")
    digits = []
    for _ in range(length):
        number, digit = divmod(number, 36)
        digits.append(_BASE36[digit])
    return "".join(digits)


def role_assignment_name(scope: str, principal_id: str, role_definition_id: str) -> str:
    """A deterministic GUID (UUID version 5) for a role assignment; Azure requires GUID names.

    Takes plain strings: callers holding Pulumi Outputs call it inside ``.apply``. ARM ids and
    principal ids are case-insensitive and come back from Azure in varying case, so the inputs are
    lowercased; otherwise a re-read id would rename (and replace) the assignment.
    """
    key = f"{scope.lower()}|{principal_id.lower()}|{role_definition_id.lower()}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, key))


@dataclass(frozen=True)
class ResourceNames:
    """The default names of a workspace platform's resources (see the module docstring)."""

    resource_group: str
    workspace: str
    storage_account: str
    key_vault: str
    container_registry: str
    log_analytics: str
    application_insights: str
    user_assigned_identity: str
    virtual_network: str = ""
    """``vnet-<workload>-<env>-<region>[-<instance>]``: the network created for private endpoints."""
    base: str = ""
    """``<workload>-<env>-<region>[-<instance>]``: the tail of derived names (``pep-<base>-<target>``)."""

    def derived(self, prefix: str, *parts: str) -> str:
        """A network resource's CAF name: ``<prefix>-<base>[-<part>...]`` (``pep-churn-prod-we-blob``)."""
        return validate_name(NETWORK_RESOURCE_RULE, "-".join([prefix, self.base, *parts]))


def _check(field: str, value: object, pattern: re.Pattern[str], rule: str) -> None:
    # isinstance: values arrive from config files and may be of any type.
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise NamingError(field, value, rule)


def _check_location(location: object) -> str:
    if isinstance(location, str) and location in REGION_ABBREVIATIONS:
        return location
    rule = LOCATION_RULE
    if isinstance(location, str):
        # Display names ("West Europe") are a common slip: point at the ARM spelling.
        guess = re.sub(r"[\s_-]", "", location).lower()
        if guess in REGION_ABBREVIATIONS:
            rule += f" (did you mean {guess!r}?)"
    raise NamingError("location", location, rule)


def environment_abbreviation(environment: str) -> str:
    """The short environment token of the global names: dev, tst, stg, prd, else the first 4 characters."""
    return ENVIRONMENT_ABBREVIATIONS.get(environment, environment[:4])


def build_names(
    workload: str,
    environment: str,
    location: str,
    *,
    instance: str | None = None,
    suffix_seed: str | None = None,
) -> ResourceNames:
    """CAF names for every resource of a workspace platform; raises NamingError on bad input.

    ``build_names("churn", "dev", "westeurope")`` gives ``rg-churn-dev-we``, ``mlw-churn-dev-we``,
    ``stchurndev4q4dd3``, ``kv-churn-dev-4q4dd``, ``crchurndev4q4dd3``, ``log-churn-dev-we``,
    ``appi-churn-dev-we`` and ``id-churn-dev-we``. The suffix is
    ``short_hash(workload, environment, location, instance or "", suffix_seed or "")``.
    """
    _check("workload", workload, WORKLOAD_PATTERN, WORKLOAD_RULE)
    _check("environment", environment, ENVIRONMENT_PATTERN, ENVIRONMENT_RULE)
    region = REGION_ABBREVIATIONS[_check_location(location)]
    if instance is not None:
        _check("instance", instance, INSTANCE_PATTERN, INSTANCE_RULE)
    if suffix_seed is not None and (not isinstance(suffix_seed, str) or not suffix_seed):
        raise NamingError("suffix_seed", suffix_seed, SUFFIX_SEED_RULE)

    base = f"{workload}-{environment}-{region}" + (f"-{instance}" if instance is not None else "")
    env = environment_abbreviation(environment)
    suffix = short_hash(workload, environment, location, instance or "", suffix_seed or "")
    # Longest inputs: mlw-<10>-<8>-<4>-<3> is 32 of 33; st/cr<10><4><6> is 22 of 24;
    # kv-<10>-<4>-<5> is 24 of 24. The checks below guard against a future edit breaking that.
    return ResourceNames(
        resource_group=validate_name(RESOURCE_GROUP_RULE, f"rg-{base}"),
        workspace=validate_name(WORKSPACE_RULE, f"mlw-{base}"),
        storage_account=validate_name(STORAGE_ACCOUNT_RULE, f"st{workload}{env}{suffix}"),
        key_vault=validate_name(KEY_VAULT_RULE, f"kv-{workload}-{env}-{suffix[:KEY_VAULT_SUFFIX_LENGTH]}"),
        container_registry=validate_name(CONTAINER_REGISTRY_RULE, f"cr{workload}{env}{suffix}"),
        log_analytics=validate_name(LOG_ANALYTICS_RULE, f"log-{base}"),
        application_insights=validate_name(APPLICATION_INSIGHTS_RULE, f"appi-{base}"),
        user_assigned_identity=validate_name(USER_ASSIGNED_IDENTITY_RULE, f"id-{base}"),
        virtual_network=validate_name(VIRTUAL_NETWORK_RULE, f"vnet-{base}"),
        base=base,
    )


def datastore_account_name(workload: str, environment: str, location: str, datastore: str) -> str:
    """Name of a storage account created for a datastore: ``st<workload><env><6-char hash>``."""
    env = environment_abbreviation(environment)
    return validate_name(
        STORAGE_ACCOUNT_RULE, f"st{workload}{env}{short_hash(workload, environment, location, 'datastore', datastore)}"
    )
