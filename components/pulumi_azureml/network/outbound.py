"""Managed-network outbound rules, typed: FQDN, service tag and private endpoint rules, and named
bundles of the FQDN rules the docs list for common needs.

FQDN and service tag rules exist only in ``AllowOnlyApprovedOutbound`` mode, and the first FQDN
rule deploys an Azure Firewall in the managed network, billed per hour ("FQDN outbound rules are
implemented using Azure Firewall", ``how-to-managed-network.md``); FQDN rules allow ports 80 and 443
only, and cannot reach Azure Storage (a private endpoint rule must). Private endpoint rules work in
both managed modes.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field

from ..core.schema import Args, StrCheck
from ..core.types import InputStr

_RULE_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}")
_FQDN = re.compile(r"(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
_STORAGE = re.compile(r".*\.(blob|file|dfs|queue|table|web)\.core\.windows\.net")
_SERVICE_TAG = re.compile(r"[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*")
_PORTS = re.compile(r"(\*|\d{1,5}(-\d{1,5})?)(,(\d{1,5}(-\d{1,5})?))*")


def _rule_name_check(value: str) -> None:
    if not _RULE_NAME.fullmatch(value):
        raise ValueError("outbound rule names are 3-33 letters, digits, '_' or '-', starting with a letter or digit")


def _fqdn_check(value: str) -> None:
    if not _FQDN.fullmatch(value):
        raise ValueError("must be a lowercase host name, optionally starting with '*.' (pypi.org, *.anaconda.org)")
    if _STORAGE.fullmatch(value):
        raise ValueError("Azure Storage is reached through a private endpoint rule in this mode, not an FQDN rule")


def _tag_check(value: str) -> None:
    if not _SERVICE_TAG.fullmatch(value):
        raise ValueError("must be an Azure service tag such as AzureActiveDirectory or Storage.WestEurope")


def _ports_check(value: str) -> None:
    ranges = [] if value == "*" else [p for part in value.split(",") for p in part.split("-")]
    if not _PORTS.fullmatch(value) or any(not 1 <= int(p) <= 65535 for p in ranges):
        raise ValueError("must be ports or ranges 1-65535 separated by commas (443, 80,443, 8000-8080) or *")


RuleName = Annotated[
    str,
    StrCheck(
        _rule_name_check, {"type": "string", "pattern": f"^{_RULE_NAME.pattern}$"}, outputs=False, label="rule name"
    ),
]
Fqdn = Annotated[str, StrCheck(_fqdn_check, {"type": "string"}, outputs=False, label="host name")]
ServiceTag = Annotated[str, StrCheck(_tag_check, {"type": "string"}, outputs=False, label="service tag")]
PortRanges = Annotated[str, StrCheck(_ports_check, {"type": "string"}, outputs=False, label="port ranges")]


class FqdnRule(Args):
    """Traffic to one host name (ports 80 and 443), through the managed network's Azure Firewall."""

    type: Literal["FQDN"]
    name: RuleName
    """Rule name, unique in the workspace."""
    destination: Fqdn
    """The host name (``pypi.org``, ``*.anaconda.org``)."""


class ServiceTagRule(Args):
    """Traffic to an Azure service tag."""

    type: Literal["ServiceTag"]
    name: RuleName
    """Rule name, unique in the workspace."""
    service_tag: ServiceTag
    """The service tag (``AzureActiveDirectory``, ``Storage.WestEurope``)."""
    protocol: Literal["TCP", "UDP", "ICMP", "*"] = "TCP"
    """Protocol."""
    port_ranges: PortRanges = "443"
    """Ports (``443``, ``80,443``, ``8000-8080``)."""


class PrivateEndpointRule(Args):
    """A private endpoint from the managed network to an Azure resource."""

    type: Literal["PrivateEndpoint"]
    name: RuleName
    """Rule name, unique in the workspace."""
    service_resource_id: InputStr
    """ARM id of the resource (a storage account, an AI Services account, a SQL server...)."""
    subresource_target: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
    """The private endpoint group (``blob``, ``account``, ``sqlServer``...)."""
    spark_enabled: bool = False
    """Also reachable from serverless Spark."""


OutboundRule = Annotated[FqdnRule | ServiceTagRule | PrivateEndpointRule, Field(discriminator="type")]

Bundle = Literal["pypi", "conda", "pytorch", "tensorflow", "huggingface", "dockerhub", "vscode"]

BUNDLES: dict[str, tuple[str, ...]] = {
    # how-to-managed-network.md, "Scenario: Access public machine learning packages"
    # (includes/recommended-network-outbound.md): pypi.org, and *.pythonhosted.org where files come from.
    "pypi": ("pypi.org", "*.pythonhosted.org"),
    "conda": ("anaconda.com", "*.anaconda.com", "*.anaconda.org"),
    "pytorch": ("pytorch.org", "*.pytorch.org"),
    "tensorflow": ("*.tensorflow.org",),
    # "Scenario: Use HuggingFace models" lists these; huggingface.co itself serves the hub's API.
    "huggingface": (
        "huggingface.co",
        "cdn-lfs.huggingface.co",
        "docker.io",
        "*.docker.io",
        "*.docker.com",
        "production.cloudflare.docker.com",
        "cdn.auth0.com",
    ),
    "dockerhub": ("docker.io", "*.docker.io", "*.docker.com", "production.cloudflare.docker.com"),
    # "Scenario: Use Visual Studio Code desktop or web with compute instance"
    "vscode": (
        "*.vscode.dev",
        "vscode.blob.core.windows.net",
        "*.gallerycdn.vsassets.io",
        "raw.githubusercontent.com",
        "*.vscode-unpkg.net",
        "*.vscode-cdn.net",
        "*.vscodeexperiments.azureedge.net",
        "default.exp-tas.com",
        "code.visualstudio.com",
        "update.code.visualstudio.com",
        "*.vo.msecnd.net",
        "marketplace.visualstudio.com",
        "vscode.download.prss.microsoft.com",
    ),
}
"""Host names per bundle, from Azure ML's documented scenarios (``how-to-managed-network.md``)."""


def bundle_rules(bundles: list[str]) -> list[FqdnRule]:
    """One FQDN rule per host of the bundles, each host once: ``<bundle>-<n>`` names."""
    rules: list[FqdnRule] = []
    seen: set[str] = set()
    for bundle in bundles:
        for i, host in enumerate(BUNDLES[bundle], start=1):
            if host in seen:
                continue
            seen.add(host)
            # Documented hosts, taken as they are (VS Code's list names a blob host on purpose).
            rules.append(FqdnRule.model_construct(type="FQDN", name=f"{bundle}-{i:02d}", destination=host))
    return rules
