# ruff: noqa: E501  (a corpus of inputs: one case per line reads best)
"""Hostile input: a corpus of bad stack files, Pulumi.yaml files, arguments, outputs files, saved
plans and written paths. Each one must end in exit status 2 with one line that names what is wrong,
no traceback, no resource registered, and no file written (not even half of one).

The commands run in-process (``cli.main``), as the console script runs them, so the corpus runs in
seconds; ``test_cli_stacks.py`` runs the real console script.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pulumi_azureml import cli
from pulumi_azureml.plan import monitor

ROOT = Path(__file__).resolve().parents[1]
INFRA = ROOT / "infra"
SUB = "5f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a190"
GUID = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
ACCOUNT = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stpartner"
SUBNET = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
P = "azureml-platform"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    registered: int


@contextlib.contextmanager
def counting_registrations() -> Iterator[list[str]]:
    seen: list[str] = []
    original = monitor.RecordingMonitor.RegisterResource

    def register(self: monitor.RecordingMonitor, request: Any) -> Any:
        seen.append(request.type)
        return original(self, request)

    monitor.RecordingMonitor.RegisterResource = register  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        monitor.RecordingMonitor.RegisterResource = original  # type: ignore[method-assign]


def run(*argv: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with counting_registrations() as seen, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    # The stack resource is the engine's own, registered before the program runs.
    return Result(code, out.getvalue(), err.getvalue(), len([t for t in seen if t != "pulumi:pulumi:Stack"]))


def refused(result: Result, expect: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.code == 2, result
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert expect in lines[0], lines[0]
    assert result.registered == 0
    assert len(lines[0]) < 400, "long values are cut"


# -- stack files --------------------------------------------------------------------------------

HEAD = f"config:\n  azure-native:location: westeurope\n  {P}:workload: churn\n"


@dataclass
class Case:
    name: str
    content: str | bytes
    expect: str
    pulumi_yaml: str | bytes | None = None
    extra: dict[str, str] = field(default_factory=dict)


def cfg(body: str) -> str:
    return HEAD + body


STACK_FILES: list[Case] = [
    # YAML syntax and encoding
    Case("duplicate top-level key", cfg(f"  {P}:workload: other\n"), 'mapping key "azureml-platform:workload"'),
    Case("duplicate nested key", cfg(f"  {P}:storage:\n    sku: Standard_LRS\n    sku: Standard_ZRS\n"), "line 6"),
    Case("duplicate config section", HEAD + "config:\n  a:b: 1\n", 'mapping key "config"'),
    Case("tab indentation", HEAD + f"\t{P}:protect: true\n", "cannot start any token"),
    Case("control character", cfg(f"  {P}:suffixSeed: a\x01b\n"), "control characters"),
    Case("latin-1 file", cfg(f"  {P}:suffixSeed: café\n").encode("latin-1"), "not UTF-8"),
    Case("utf-16 without BOM", cfg("").encode("utf-16-le"), "not"),
    Case("unterminated flow list", cfg(f"  {P}:tags: [a, b\n"), "line"),
    Case("unterminated quote", cfg(f'  {P}:suffixSeed: "abc\n'), "line"),
    Case("bad indentation", cfg(f"  {P}:storage:\n    sku: Standard_LRS\n   name: x\n"), "line"),
    Case("undefined alias", cfg(f"  {P}:tags: *nowhere\n"), "alias"),
    Case("self-referencing anchor", cfg(f"  {P}:tags: &a [*a]\n"), "contains itself"),
    Case(
        "billion laughs under an unknown key",
        "x0: &a0 [1,1,1,1,1,1,1,1,1,1]\n"
        + "".join(f"x{i}: &a{i} [{','.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 7))
        + HEAD
        + f"  {P}:junk: *a6\n",
        "excessive aliasing",
    ),
    Case("deep list nesting", cfg(f"  {P}:tags: " + "[" * 300 + "]" * 300 + "\n"), "nested deeper than"),
    Case("deep map nesting", cfg(f"  {P}:tags: " + "{a: " * 300 + "1" + "}" * 300 + "\n"), "nested deeper than"),
    Case("file over 256 KiB", cfg(f"  {P}:suffixSeed: {'x' * (256 * 1024 + 10)}\n"), "bytes; files over"),
    Case("10 MB file", cfg(f"  {P}:suffixSeed: {'x' * 10_000_000}\n"), "bytes; files over"),
    Case("invalid base64", cfg(f"  {P}:suffixSeed: !!binary '%%%'\n"), "invalid base64"),
    Case("inf", cfg(f"  {P}:computeNodeCap: .inf\n"), "inf or nan"),
    Case("nan nested", cfg(f"  {P}:tags: {{a: .nan}}\n"), "inf or nan"),
    Case("bad explicit int", cfg(f"  {P}:computeNodeCap: !!int abc\n"), "line"),
    Case("top-level list", "- a\n- b\n", "expected a mapping"),
    Case("top-level scalar", "hello\n", "expected a mapping"),
    Case("config a list", "config: [a, b]\n", "'config' must be a mapping"),
    Case("config a scalar", "config: hello\n", "'config' must be a mapping"),
    # keys
    Case("key and namespaced key collide", cfg("  workload: other\n"), "are the same config key"),
    Case("empty namespace", cfg("  ':workload': churn\n"), "empty namespace"),
    Case("empty name", cfg(f"  '{P}:': x\n"), "empty namespace or name"),
    Case("three-part key", cfg(f"  {P}:storage:sku: x\n"), "could not parse"),
    Case("integer key", cfg("  1: x\n"), "must be a string"),
    Case("boolean key", cfg("  true: x\n"), "must be a string"),
    # types as Pulumi hands them over
    Case("unquoted 01 is the number 1", cfg(f"  {P}:instance: 01\n"), "quoted in YAML"),
    Case("leading-zero octal", cfg(f"  {P}:instance: 012345\n"), "instance='5349'"),
    Case("a date where digits go", cfg(f"  {P}:instance: 2024-01-01\n"), "2024-01-01 00:00:00 +0000 UTC"),
    Case("yes is not a boolean", cfg(f"  {P}:protect: yes\n"), "protect='yes': must be true or false"),
    Case("1 is not a boolean", cfg(f"  {P}:protect: 1\n"), "must be true or false"),
    Case("true is not a number of days", cfg(f"  {P}:storage: {{blobSoftDeleteDays: true}}\n"), "whole number"),
    Case("float days", cfg(f"  {P}:storage: {{blobSoftDeleteDays: 7.5}}\n"), "whole number"),
    Case("null where a string goes", cfg(f"  {P}:suffixSeed: ~\n"), "suffixSeed=''"),
    Case("empty workload", f"config:\n  azure-native:location: westeurope\n  {P}:workload: ''\n", "workload=''"),
    Case("no workload", "config:\n  azure-native:location: westeurope\n", "workload=None: is required"),
    Case("no location", f"config:\n  {P}:workload: churn\n", "location=None: is required"),
    Case("display-name region", cfg(f"  {P}:location: West Europe\n"), "did you mean 'westeurope'"),
    Case("unknown key", cfg(f"  {P}:workspaceName: x\n"), "workspaceName='x': is not a known key"),
    Case("misspelt nested key", cfg(f"  {P}:workspace: {{isolatonMode: Disabled}}\n"), "did you mean isolationMode"),
    Case("snake_case key", cfg(f"  {P}:keyVault: {{purge_protection: false}}\n"), "keyVault.purge_protection"),
    Case("bad enum", cfg(f"  {P}:workspace: {{publicNetworkAccess: Off}}\n"), "must be Enabled or Disabled"),
    Case("section not a mapping", cfg(f"  {P}:storage: Standard_LRS\n"), "must be a mapping"),
    Case("list not a list", cfg(f"  {P}:computeClusters: {{name: cpu}}\n"), "must be a list"),
    Case("tags a list", cfg(f"  {P}:tags: [a, b]\n"), "tags"),
    Case("tag value a number", cfg(f"  {P}:tags: {{owner: 5}}\n"), "tags.owner=5: must be a string"),
    Case("tag name with a slash", cfg(f"  {P}:tags: {{a/b: x}}\n"), "tags.a/b"),
    Case("48 tags", cfg(f"  {P}:tags: {{{', '.join(f't{i}: x' for i in range(48))}}}\n"), "at most 47 tags"),
    Case("200 KB value is cut", cfg(f"  {P}:suffixSeed: ' {'y' * 200_000}'\n"), "characters)"),
    Case("environment not a profile", cfg(f"  {P}:environment: qa\n"), "must be one of dev, staging, prod"),
    Case("negative node cap", cfg(f"  {P}:computeNodeCap: -1\n"), "computeNodeCap=-1"),
    Case("node cap exceeded", cfg(f"  {P}:computeClusters: [{{name: big, maxNodes: 9}}]\n"), "cap of 8"),
    # inference, attached compute, connections and the registry reference
    Case(
        "kubernetes compute without extension", cfg(f"  {P}:kubernetesComputes: [{{name: aks-x}}]\n"), "extension=None"
    ),
    Case(
        "kubernetes pool size a word",
        cfg(
            f"  {P}:kubernetesComputes: [{{name: aks-x, extension: {{allowInsecureConnections: true}}, "
            "cluster: {systemPool: {minNodes: three}}}]\n"
        ),
        "cluster.systemPool.minNodes='three'",
    ),
    Case("endpoint name too short", cfg(f"  {P}:onlineEndpoints: [{{name: x}}]\n"), "onlineEndpoints[0].name='x'"),
    Case(
        "endpoint on no compute",
        cfg(f"  {P}:onlineEndpoints: [{{name: score, compute: aks-x}}]\n"),
        "is not a Kubernetes compute",
    ),
    Case("registry stack not qualified", cfg(f"  {P}:registry: {{stack: shared}}\n"), "fully qualified stack name"),
    Case(
        "registry region not a region",
        cfg(f"  {P}:registry: {{stack: o/p/shared, outboundRegions: [west-europe]}}\n"),
        "registry.outboundRegions[0]='west-europe'",
    ),
    Case(
        "registry regions in an open network",
        cfg(f"  {P}:registry: {{stack: o/p/shared, outboundRegions: [westeurope]}}\n"),
        "needs workspace.isolationMode AllowOnlyApprovedOutbound",
    ),
    Case(
        "connection read-only a word",
        cfg(
            f"  {P}:connections: [{{kind: AzureBlob, name: raw, container: raw, readOnly: maybe, storageAccountId: "
            "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/"
            "Microsoft.Storage/storageAccounts/stx}]\n"
        ),
        "connections[0].readOnly='maybe'",
    ),
    Case("attached compute of no kind", cfg(f"  {P}:attachedComputes: [{{}}]\n"), "needs exactly one of"),
    Case(
        "connection of an unknown kind", cfg(f"  {P}:connections: [{{kind: Ftp, name: abc}}]\n"), "kind must be one of"
    ),
    Case(
        "connection with a plain-text PAT",
        cfg(f"  {P}:connections: [{{kind: Git, name: repo, target: 'https://x.example.com/r.git', pat: ghp_x}}]\n"),
        "connections[0].pat='[plain text]'",
    ),
    # values that must not slip through with a newline, '..' or a lookalike
    Case(
        "datastore name with newline",
        cfg(f'  {P}:datastores: [{{name: "raw_data\\n", kind: AzureBlob, container: raw}}]\n'),
        "datastores[0].name",
    ),
    Case(
        "container with newline",
        cfg(f'  {P}:datastores: [{{name: raw, kind: AzureBlob, container: "raw\\n"}}]\n'),
        "datastores[0].container",
    ),
    Case(
        "vm size with newline", cfg(f'  {P}:computeClusters: [{{name: cpu, vmSize: "Standard_D4s_v5\\n"}}]\n'), "vmSize"
    ),
    Case(
        "object id with newline",
        cfg(f'  {P}:personalInstances: {{users: [{{alias: a, objectId: "{GUID}\\n"}}]}}\n'),
        "objectId",
    ),
    Case("storage id with newline", cfg(f'  {P}:storage: {{existingId: "{ACCOUNT}\\n"}}\n'), "storage.existingId"),
    Case(
        "subnet id with newline",
        cfg(f'  {P}:workspace: {{isolationMode: Disabled}}\n  {P}:serverlessCompute: {{subnetId: "{SUBNET}\\n"}}\n'),
        "serverlessCompute.subnetId",
    ),
    Case(
        "dot-dot in an ARM id",
        cfg(
            f"  {P}:storage: {{existingId: /subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/..}}\n"
        ),
        "storage.existingId",
    ),
    Case("id of the wrong type", cfg(f"  {P}:keyVault: {{existingId: {ACCOUNT}}}\n"), "Microsoft.KeyVault/vaults"),
    Case(
        "script path absolute",
        cfg(
            f"  {P}:personalInstances: {{users: [{{alias: a, objectId: {GUID}}}], startupScript: {{path: /etc/passwd}}}}\n"
        ),
        "startupScript.path",
    ),
    Case(
        "script path with dot-dot",
        cfg(
            f"  {P}:personalInstances: {{users: [{{alias: a, objectId: {GUID}}}], startupScript: {{path: Users/../../x.sh}}}}\n"
        ),
        "startupScript.path",
    ),
    Case(
        "script path with newline",
        cfg(
            f'  {P}:personalInstances: {{users: [{{alias: a, objectId: {GUID}}}], startupScript: {{path: "Users/a\\nb.sh"}}}}\n'
        ),
        "startupScript.path",
    ),
    Case(
        "script with both sources",
        cfg(
            f"  {P}:personalInstances: {{users: [{{alias: a, objectId: {GUID}}}], startupScript: {{path: a.sh, inline: x}}}}\n"
        ),
        "exactly one",
    ),
    Case(
        "grant label with ::",
        cfg(
            f"  {P}:datastores: [{{name: raw, kind: AzureBlob, container: raw, grants: [{{principalId: {GUID}, label: 'a::b'}}]}}]\n"
        ),
        "grants[0].label",
    ),
    Case(
        "grant label with a slash",
        cfg(
            f"  {P}:datastores: [{{name: raw, kind: AzureBlob, container: raw, grants: [{{principalId: {GUID}, label: a/b}}]}}]\n"
        ),
        "grants[0].label",
    ),
    Case(
        "same grant twice",
        cfg(
            f"  {P}:datastores: [{{name: raw, kind: AzureBlob, container: raw, grants: [{{principalId: {GUID}}}, {{principalId: {GUID}}}]}}]\n"
        ),
        "grants[1]",
    ),
    Case(
        "grant principal not a GUID",
        cfg(f"  {P}:datastores: [{{name: raw, kind: AzureBlob, container: raw, grants: [{{principalId: team}}]}}]\n"),
        "principalId",
    ),
    Case(
        "datastore without kind", cfg(f"  {P}:datastores: [{{name: raw, container: raw}}]\n"), "datastores[0].kind=None"
    ),
    Case(
        "two default datastores",
        cfg(
            f"  {P}:datastores: [{{name: aa_a, kind: AzureBlob, container: aaa, default: true}}, {{name: bb_b, kind: AzureBlob, container: bbb, default: true}}]\n"
        ),
        "datastores[1].default",
    ),
    Case(
        "duplicate datastore names",
        cfg(
            f"  {P}:datastores: [{{name: aa_a, kind: AzureBlob, container: aaa}}, {{name: aa_a, kind: AzureBlob, container: bbb}}]\n"
        ),
        "datastores[1].name",
    ),
    Case(
        "duplicate compute names",
        cfg(f"  {P}:computeClusters: [{{name: cpu-a}}, {{name: CPU-A}}]\n"),
        "computeClusters[1].name",
    ),
    Case(
        "compute name ending in digits", cfg(f"  {P}:computeClusters: [{{name: cpu-01}}]\n"), "computeClusters[0].name"
    ),
    Case("min above max", cfg(f"  {P}:computeClusters: [{{name: cpu, minNodes: 3, maxNodes: 2}}]\n"), "minNodes=3"),
    Case(
        "IANA time zone",
        cfg(
            f"  {P}:computeInstances: [{{name: ci-a, assignedUser: {{objectId: {GUID}}}, schedules: [{{action: Stop, cron: '0 20 * * *', timeZone: Europe/Berlin}}]}}]\n"
        ),
        "timeZone",
    ),
    Case(
        "cron with six fields",
        cfg(
            f"  {P}:computeInstances: [{{name: ci-a, assignedUser: {{objectId: {GUID}}}, schedules: [{{action: Stop, cron: '0 0 20 * * *'}}]}}]\n"
        ),
        "cron",
    ),
    Case(
        "five schedules",
        cfg(
            f"  {P}:computeInstances: [{{name: ci-a, assignedUser: {{objectId: {GUID}}}, schedules: ["
            + ", ".join(["{action: Stop, cron: '0 20 * * *'}"] * 5)
            + "]}]\n"
        ),
        "at most 4",
    ),
    Case("instance without user", cfg(f"  {P}:computeInstances: [{{name: ci-a}}]\n"), "assignedUser=None"),
    Case(
        "personal alias of digits",
        cfg(f"  {P}:personalInstances: {{users: [{{alias: '42', objectId: {GUID}}}]}}\n"),
        "personalInstances.users[0].alias",
    ),
    Case(
        "personal template misspelt",
        cfg(f"  {P}:personalInstances: {{users: [{{alias: a, objectId: {GUID}}}], vmSise: x}}\n"),
        "personalInstances.vmSise",
    ),
    Case(
        "ssh key garbage",
        cfg(
            f"  {P}:computeClusters: [{{name: cpu, sshAccess: true, nodePublicIp: true, sshPublicKey: 'not a key'}}]\n"
        ),
        "sshPublicKey",
    ),
    Case("override misspelt", cfg(f"  {P}:storage: {{overrides: {{access_tire: Hot}}}}\n"), "did you mean access_tier"),
    Case("override tags a list", cfg(f"  {P}:workspace: {{overrides: {{tags: [a]}}}}\n"), "workspace.overrides.tags"),
    Case(
        "override enum wrong", cfg(f"  {P}:storage: {{overrides: {{access_tier: Lukewarm}}}}\n"), "must be one of Hot"
    ),
    Case(
        "override bool a string",
        cfg(f"  {P}:keyVault: {{overrides: {{enable_rbac_authorization: 'yes'}}}}\n"),
        "must be true or false",
    ),
    Case(
        "override nested misspelt",
        cfg(f"  {P}:storage: {{overrides: {{network_rule_set: {{defualt_action: Deny}}}}}}\n"),
        "network_rule_set.defualt_action",
    ),
    Case(
        "policy rule id unknown", cfg(f"  {P}:policy: {{MLW-999: {{level: advisory, reason: r}}}}\n"), "policy.MLW-999"
    ),
    Case("policy without reason", cfg(f"  {P}:policy: {{MLW-001: {{level: advisory}}}}\n"), "policy.MLW-001.reason"),
    Case(
        "policy level unknown", cfg(f"  {P}:policy: {{MLW-001: {{level: off, reason: r}}}}\n"), "policy.MLW-001.level"
    ),
    # secrets
    Case(
        "plain sasToken beside a secure one",
        cfg(
            f"  {P}:datastores:\n"
            f"    - {{name: a_a, kind: AzureBlob, container: aaa, storageAccountId: {ACCOUNT}, credentials: {{mode: sas, sasToken: {{secure: v1:abc}}}}}}\n"
            f"    - {{name: b_b, kind: AzureBlob, container: bbb, storageAccountId: {ACCOUNT}, credentials: {{mode: sas, sasToken: sv=plain}}}}\n"
        ),
        "datastores[1].credentials.sasToken='[plain text]'",
    ),
    Case(
        "secure 12345 is not a secret",
        cfg(
            f"  {P}:datastores: [{{name: a_a, kind: AzureBlob, container: aaa, storageAccountId: {ACCOUNT}, credentials: {{mode: sas, sasToken: {{secure: 12345}}}}}}]\n"
        ),
        "sasToken",
    ),
    Case(
        "secure null is not a secret",
        cfg(
            f"  {P}:datastores: [{{name: a_a, kind: AzureBlob, container: aaa, storageAccountId: {ACCOUNT}, credentials: {{mode: sas, sasToken: {{secure: null}}}}}}]\n"
        ),
        "sasToken",
    ),
    Case(
        "secure list is not a secret",
        cfg(
            f"  {P}:datastores: [{{name: a_a, kind: AzureBlob, container: aaa, storageAccountId: {ACCOUNT}, credentials: {{mode: sas, sasToken: {{secure: [a]}}}}}}]\n"
        ),
        "sasToken",
    ),
    Case(
        "secure with another key",
        cfg(
            f"  {P}:datastores: [{{name: a_a, kind: AzureBlob, container: aaa, storageAccountId: {ACCOUNT}, credentials: {{mode: sas, sasToken: {{secure: abc, x: 1}}}}}}]\n"
        ),
        "sasToken",
    ),
    Case(
        "empty ciphertext",
        cfg(
            f"  {P}:datastores: [{{name: a_a, kind: AzureBlob, container: aaa, storageAccountId: {ACCOUNT}, credentials: {{mode: sas, sasToken: {{secure: ''}}}}}}]\n"
        ),
        "empty ciphertext",
    ),
    Case(
        "secret in a non-secret field", cfg(f"  {P}:suffixSeed: {{secure: v1:abc}}\n"), "only credentials are secrets"
    ),
    Case("whole list as one secret", cfg(f"  {P}:datastores: {{secure: v1:abc}}\n"), "one secret value"),
    Case(
        "plain secret, nothing secure",
        cfg(
            f"  {P}:datastores: [{{name: a_a, kind: AzureBlob, container: aaa, storageAccountId: {ACCOUNT}, credentials: {{mode: sas, sasToken: sv=plain}}}}]\n"
        ),
        "[plain text]",
    ),
    Case(
        "secret for the wrong mode",
        cfg(
            f"  {P}:datastores: [{{name: a_a, kind: AzureBlob, container: aaa, storageAccountId: {ACCOUNT}, credentials: {{mode: identity, sasToken: {{secure: v1:abc}}}}}}]\n"
        ),
        "only used with mode sas",
    ),
]
PROJECT_FILES: list[Case] = [
    Case("Pulumi.yaml without name", "", "needs a project name", pulumi_yaml="runtime: python\n"),
    Case("Pulumi.yaml name not a string", "", "needs a project name", pulumi_yaml="name: [a]\n"),
    Case("Pulumi.yaml name with a space", "", "project names may only contain", pulumi_yaml="name: my project\n"),
    Case("Pulumi.yaml not UTF-8", "", "not UTF-8", pulumi_yaml="name: caf\xe9\n".encode("latin-1")),
    Case("Pulumi.yaml duplicate keys", "", 'mapping key "name"', pulumi_yaml="name: a\nname: b\n"),
    Case("Pulumi.yaml a list", "", "expected a mapping", pulumi_yaml="- name\n"),
    Case("Pulumi.yaml main missing", "", "has no program", pulumi_yaml="name: azureml-platform\nmain: nowhere/\n"),
    Case("Pulumi.yaml main not a string", "", "main must be a path", pulumi_yaml="name: azureml-platform\nmain: 3\n"),
    Case("Pulumi.yaml bad YAML", "", "not valid YAML", pulumi_yaml="name: [a\n"),
    Case("Pulumi.yaml empty", "", "expected a mapping", pulumi_yaml=""),
    Case("Pulumi.yaml too big", "", "bytes; files over", pulumi_yaml="name: a\n#" + "x" * (300 * 1024) + "\n"),
]


def project(tmp_path: Path, case: Case) -> Path:
    directory = tmp_path / "project"
    directory.mkdir()
    pulumi_yaml = case.pulumi_yaml
    if pulumi_yaml is None:
        pulumi_yaml = f"name: {P}\nruntime: python\nmain: {INFRA}\n"
    (directory / "Pulumi.yaml").write_bytes(pulumi_yaml.encode() if isinstance(pulumi_yaml, str) else pulumi_yaml)
    content = case.content
    (directory / "Pulumi.dev.yaml").write_bytes(content.encode() if isinstance(content, str) else content)
    return directory


@pytest.mark.parametrize("case", STACK_FILES + PROJECT_FILES, ids=lambda c: c.name)
def test_bad_files_are_refused_cleanly(case: Case, tmp_path: Path) -> None:
    refused(run("plan", "--stack", "dev", "--cwd", str(project(tmp_path, case))), case.expect)


# -- arguments ----------------------------------------------------------------------------------

ARGUMENTS: list[tuple[str, list[str], str]] = [
    ("no command", [], "required: command"),
    ("unknown command", ["deploy"], "invalid choice: 'deploy'"),
    ("unknown flag", ["plan", "--stack", "dev", "--frmat", "json"], "unrecognized arguments: --frmat"),
    ("plan without --stack", ["plan"], "required: --stack"),
    ("stack with a slash", ["plan", "--stack", "../etc/passwd"], "stack names are"),
    ("stack with a space", ["plan", "--stack", "de v"], "stack names are"),
    ("stack dot-dot", ["plan", "--stack", ".."], "stack names are"),
    ("stack empty", ["plan", "--stack", ""], "stack names are"),
    ("stack of no file", ["plan", "--stack", "qa"], "no config file for stack 'qa'"),
    ("format unknown", ["plan", "--stack", "dev", "--format", "yaml"], "invalid choice: 'yaml'"),
    ("cwd missing", ["plan", "--stack", "dev", "--cwd", "/nonexistent/x"], "not a directory"),
    ("cwd a file", ["plan", "--stack", "dev", "--cwd", str(ROOT / "README.md")], "not a directory"),
    ("cwd without Pulumi.yaml", ["plan", "--stack", "dev", "--cwd", str(ROOT / "tests")], "no Pulumi.yaml here"),
    ("subscription not a GUID", ["plan", "--stack", "dev", "--subscription-id", "../../etc"], "not a GUID"),
    ("tenant not a GUID", ["plan", "--stack", "dev", "--tenant-id", "contoso"], "not a GUID"),
    ("subscription with a newline", ["plan", "--stack", "dev", "--subscription-id", GUID + "\n"], "not a GUID"),
    ("config without =", ["plan", "--stack", "dev", "--config", "workload"], "expected KEY=VALUE"),
    ("config empty key", ["plan", "--stack", "dev", "--config", "=x"], "expected KEY=VALUE"),
    ("config empty namespace", ["plan", "--stack", "dev", "--config", ":workload=x"], "empty namespace"),
    ("config three colons", ["plan", "--stack", "dev", "--config", "a:b:c=x"], "could not parse"),
    ("config empty value", ["plan", "--stack", "dev", "--config", "workload="], "workload=''"),
    ("config bad JSON object", ["plan", "--stack", "dev", "--config", "storage={sku:"], "storage"),
    ("config JSON of the wrong shape", ["plan", "--stack", "dev", "--config", "storage=[1]"], "must be a mapping"),
    ("stack-outputs without =", ["plan", "--stack", "dev", "--stack-outputs", "x"], "expected STACK=FILE"),
    ("stack-outputs bad name", ["plan", "--stack", "dev", "--stack-outputs", "a b=x.json"], "expected STACK=FILE"),
    (
        "stack-outputs missing file",
        ["plan", "--stack", "dev", "--stack-outputs", "a/b/c=/nonexistent.json"],
        "cannot read",
    ),
    ("diff without --against", ["diff", "--stack", "dev"], "required: --against"),
    ("diff against a bad stack name", ["diff", "--stack", "dev", "--against", "../x"], "stack names are"),
    ("diff against a missing plan", ["diff", "--stack", "dev", "--against", "/nonexistent/plan.json"], "cannot read"),
    (
        "diff against a directory",
        ["diff", "--stack", "dev", "--against", str(ROOT / "stacks") + "/.json"],
        "cannot read",
    ),
    ("diff format unknown", ["diff", "--stack", "dev", "--against", "prod", "--format", "html"], "invalid choice"),
    ("check format unknown", ["check", "--stack", "dev", "--format", "xml"], "invalid choice"),
    ("check bad config", ["check", "--stack", "dev", "--config", "policy=[]"], "policy"),
    ("check stack of no file", ["check", "--stack", "qa"], "no config file"),
    ("connect bad stack", ["connect", "--stack", "a;rm -rf ~"], "stack names are"),
    ("connect outputs missing", ["connect", "--stack", "dev", "--outputs", "/nonexistent.json"], "cannot read"),
    ("connect outputs a directory", ["connect", "--stack", "dev", "--outputs", str(ROOT)], "cannot read"),
]


@pytest.mark.parametrize(("argv", "expect"), [a[1:] for a in ARGUMENTS], ids=[a[0] for a in ARGUMENTS])
def test_bad_arguments_are_one_line(argv: list[str], expect: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    refused(run(*argv), expect)


# -- outputs files (connect) ----------------------------------------------------------------------

GOOD_OUTPUTS = {"subscription_id": SUB, "resource_group_name": "rg-churn-dev-we", "workspace_name": "mlw-churn-dev-we"}
OUTPUTS: list[tuple[str, str | bytes, str]] = [
    ("outputs: not JSON", "{", "not JSON"),
    ("outputs: a list", "[]", "expected a JSON object"),
    ("outputs: empty", "", "not JSON"),
    ("outputs: not UTF-8", b'{"a": "\xff"}', "not UTF-8"),
    ("outputs: huge number", '{"x": ' + "9" * 5000 + "}", "not a stack's outputs"),
    ("outputs: deep nesting", "[" * 100_000 + "]" * 100_000, "not a stack's outputs"),
    (
        "outputs: lone surrogate",
        json.dumps({**GOOD_OUTPUTS, "mlflow_tracking_uri": "azureml://x\ud800"}),
        "mlflow_tracking_uri: holds a lone surrogate",
    ),
    (
        "outputs: lone surrogate in a datastore",
        json.dumps({**GOOD_OUTPUTS, "extra": [{"name": "\udfff"}]}),
        "extra[0]['name']: holds a lone surrogate",
    ),
    ("outputs: no subscription", json.dumps({**GOOD_OUTPUTS, "subscription_id": None}), "subscription_id"),
    (
        "outputs: subscription a path",
        json.dumps({**GOOD_OUTPUTS, "subscription_id": "../../etc"}),
        "not a subscription id",
    ),
    (
        "outputs: workspace a shell command",
        json.dumps({**GOOD_OUTPUTS, "workspace_name": "$(rm -rf ~)"}),
        "workspace name",
    ),
    (
        "outputs: resource group with a slash",
        json.dumps({**GOOD_OUTPUTS, "resource_group_name": "rg/../x"}),
        "resource group",
    ),
    (
        "outputs: secret placeholder",
        json.dumps({**GOOD_OUTPUTS, "subscription_id": "[secret]"}),
        "without --show-secrets",
    ),
    (
        "outputs: missing workspace",
        json.dumps({k: v for k, v in GOOD_OUTPUTS.items() if k != "workspace_name"}),
        "missing",
    ),
    ("outputs: compute list wrong", json.dumps({**GOOD_OUTPUTS, "compute_clusters": "cpu"}), "list of strings"),
    ("outputs: datastores not a list", json.dumps({**GOOD_OUTPUTS, "datastores": {}}), "datastores"),
    ("outputs: datastore missing keys", json.dumps({**GOOD_OUTPUTS, "datastores": [{"name": "x"}]}), "datastores[0]"),
    ("outputs: location not a string", json.dumps({**GOOD_OUTPUTS, "location": 5}), "location"),
    ("outputs: registry name a path", json.dumps({**GOOD_OUTPUTS, "registry_name": "../x"}), "not a registry name"),
    (
        "outputs: registry id a URL",
        json.dumps({**GOOD_OUTPUTS, "registry_arm_id": "https://evil.example/registries/r"}),
        "registry_arm_id",
    ),
    ("outputs: endpoints an object", json.dumps({**GOOD_OUTPUTS, "online_endpoints": {}}), "online_endpoints"),
    (
        "outputs: endpoint auth mode wrong",
        json.dumps(
            {
                **GOOD_OUTPUTS,
                "online_endpoints": [
                    {
                        "name": "e",
                        "scoring_uri": "https://e",
                        "auth_mode": "None",
                        "public_network_access": "Enabled",
                        "compute": None,
                    }
                ],
            }
        ),
        "online_endpoints[0].auth_mode",
    ),
    (
        "outputs: connection missing keys",
        json.dumps({**GOOD_OUTPUTS, "connections": [{"name": "c"}]}),
        "connections[0]",
    ),
]


@pytest.mark.parametrize(("content", "expect"), [o[1:] for o in OUTPUTS], ids=[o[0] for o in OUTPUTS])
def test_bad_outputs_files_write_nothing(content: str | bytes, expect: str, tmp_path: Path) -> None:
    outputs = tmp_path / "outputs.json"
    outputs.write_bytes(content.encode() if isinstance(content, str) else content)
    out_dir = tmp_path / "out"
    refused(run("connect", "--stack", "dev", "--outputs", str(outputs), "--out-dir", str(out_dir)), expect)
    assert not out_dir.exists()


# -- saved plans (diff --against) -----------------------------------------------------------------

RESOURCE = {"urn": "urn:pulumi:dev::p::t::n", "type": "t", "name": "n", "custom": True, "protect": False, "inputs": {}}
SAVED_PLANS: list[tuple[str, str | bytes, str]] = [
    ("saved plan: a list", "[]", "not a saved plan"),
    ("saved plan: an empty object", "{}", "project"),
    ("saved plan: no resources", json.dumps({"project": "p", "stack": "s"}), "resources"),
    ("saved plan: resources not a list", json.dumps({"project": "p", "stack": "s", "resources": {}}), "resources"),
    (
        "saved plan: resource not an object",
        json.dumps({"project": "p", "stack": "s", "resources": [1]}),
        "resources[0]",
    ),
    (
        "resource without urn",
        json.dumps({"project": "p", "stack": "s", "resources": [{**RESOURCE, "urn": None}]}),
        "urn",
    ),
    (
        "saved plan: urn not a URN",
        json.dumps({"project": "p", "stack": "s", "resources": [{**RESOURCE, "urn": "x"}]}),
        "urn",
    ),
    (
        "custom a string",
        json.dumps({"project": "p", "stack": "s", "resources": [{**RESOURCE, "custom": "yes"}]}),
        "custom",
    ),
    (
        "saved plan: inputs a list",
        json.dumps({"project": "p", "stack": "s", "resources": [{**RESOURCE, "inputs": []}]}),
        "inputs",
    ),
    ("saved plan: project a number", json.dumps({"project": 1, "stack": "s", "resources": []}), "project"),
    ("saved plan: not UTF-8", b"\xff\xfe{}", "not UTF-8"),
    ("saved plan: deep nesting", "[" * 100_000 + "]" * 100_000, "not a saved plan"),
    ("saved plan: huge number", '{"project": ' + "9" * 5000 + "}", "not a saved plan"),
    ("saved plan: not JSON", "plan", "not JSON"),
    ("saved plan: empty", "", "not JSON"),
    ("saved plan: NaN", '{"project": NaN}', "NaN is not a JSON number"),
]


@pytest.mark.parametrize(("content", "expect"), [p[1:] for p in SAVED_PLANS], ids=[p[0] for p in SAVED_PLANS])
def test_bad_saved_plans_are_one_line(
    content: str | bytes, expect: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    saved = tmp_path / "plan.json"
    saved.write_bytes(content.encode() if isinstance(content, str) else content)
    refused(run("diff", "--stack", "dev", "--against", str(saved)), expect)


# -- written paths ----------------------------------------------------------------------------------


def written_paths(tmp_path: Path) -> list[tuple[str, list[str], str, Path]]:
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps(GOOD_OUTPUTS))
    return [
        (
            "pack config to a directory",
            ["check", "--stack", "dev", "--pack-config", str(tmp_path)],
            "is a directory",
            tmp_path,
        ),
        (
            "pack config under a file",
            ["check", "--stack", "dev", "--pack-config", str(a_file / "p.json")],
            "not a directory",
            a_file,
        ),
        (
            "pack config into /proc",
            ["check", "--stack", "dev", "--pack-config", "/proc/pulumi-azureml.json"],
            "cannot write",
            Path("/proc/pulumi-azureml.json"),
        ),
        (
            "pack config over a device",
            ["check", "--stack", "dev", "--pack-config", "/dev/null"],
            "not a regular file",
            Path("/dev/null"),
        ),
        (
            "connect out-dir a file",
            ["connect", "--stack", "dev", "--outputs", str(outputs), "--out-dir", str(a_file)],
            "not a directory",
            a_file,
        ),
        (
            "connect out-dir under a file",
            ["connect", "--stack", "dev", "--outputs", str(outputs), "--out-dir", str(a_file / "d")],
            "cannot create",
            a_file,
        ),
        (
            "connect out-dir in /proc",
            ["connect", "--stack", "dev", "--outputs", str(outputs), "--out-dir", "/proc/azureml"],
            "cannot create",
            Path("/proc/azureml"),
        ),
    ]


def test_bad_written_paths_write_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    before = sorted(p.name for p in tmp_path.iterdir())
    for name, argv, expect, target in written_paths(tmp_path):
        result = run(*argv)
        lines = result.stderr.strip().splitlines()
        assert (result.code, len(lines)) == (2, 1), (name, result)
        assert expect in lines[0], (name, lines[0])
        assert result.registered == 0 or argv[0] == "check", name
        if target.is_file():
            assert target.read_text() == "x", name  # untouched
    after = sorted(p.name for p in tmp_path.iterdir())
    assert [p for p in after if p not in before] == ["a-file", "outputs.json"]
    assert Path("/dev/null").is_char_device()
    assert not [p for p in tmp_path.rglob(".*.tmp")]


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_json_inputs_that_are_not_regular_files_are_refused_without_reading(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A FIFO blocks a read forever and /dev/zero never ends: both must be refused by what they are.
    import os

    monkeypatch.chdir(ROOT)
    target = tmp_path / "input.json"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    expect = "not a regular file"
    refused(run("diff", "--stack", "dev", "--against", str(target)), expect)
    refused(run("plan", "--stack", "dev", "--stack-outputs", f"o/p/s={target}"), expect)
    refused(run("connect", "--stack", "dev", "--outputs", str(target), "--out-dir", str(tmp_path / "out")), expect)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_the_corpus_is_at_least_150_distinct_inputs(tmp_path: Path) -> None:
    names = (
        [c.name for c in STACK_FILES + PROJECT_FILES]
        + [a[0] for a in ARGUMENTS]
        + [o[0] for o in OUTPUTS]
        + [p[0] for p in SAVED_PLANS]
        + [w[0] for w in written_paths(tmp_path)]
    )
    assert len(names) == len(set(names)) >= 150, len(names)


def test_text_that_cannot_be_utf8_leaves_no_temporary_file(tmp_path: Path) -> None:
    from pulumi_azureml.core.files import WriteError, write_together

    with pytest.raises(WriteError, match="lone surrogate"):
        write_together({tmp_path / "a.json": "{}", tmp_path / "b.json": "\ud800"})
    assert list(tmp_path.iterdir()) == []


def test_a_failed_second_write_leaves_neither_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from pulumi_azureml import connect

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "config.json").write_text("old config")
    real_replace = os.replace
    calls: list[str] = []

    def failing_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls.append(str(dst))
        if str(dst).endswith("bundle.json"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(connect.ConnectError, match=r"bundle\.json: cannot write: No space left on device"):
        connect.write_connection_files(GOOD_OUTPUTS, out_dir)
    monkeypatch.setattr(os, "replace", real_replace)
    assert (out_dir / "config.json").read_text() == "old config"  # put back
    assert sorted(p.name for p in out_dir.iterdir()) == ["config.json"]  # no bundle, no temporaries


def test_refusing_a_large_or_deep_file_is_quick_and_small(tmp_path: Path) -> None:
    # Not a benchmark (`make bench` has the figures): only that refusing cannot hang CI or fill memory.
    import time
    import tracemalloc

    names = {"10 MB file", "billion laughs under an unknown key", "deep map nesting", "deep list nesting"}
    for case in (c for c in STACK_FILES if c.name in names):
        directory = tmp_path / case.name.replace(" ", "-")
        directory.mkdir()
        where = project(directory, case)
        start = time.monotonic()
        tracemalloc.start()
        try:
            refused(run("plan", "--stack", "dev", "--cwd", str(where)), case.expect)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert time.monotonic() - start < 20, case.name
        assert peak < 100 * 1024 * 1024, (case.name, peak)
    shutil.rmtree(tmp_path, ignore_errors=True)
