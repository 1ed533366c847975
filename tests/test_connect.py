"""`pulumi-azureml connect` and examples/register_assets.py: the hand-off to azure-ai-ml, all offline.

The CLI runs as a real process (it is quick: it imports neither Pulumi nor azure-ai-ml). The
azure-ai-ml checks build real MLClient, Data and Model objects with sockets blocked, so a network
call would fail the test instead of reaching Azure.
"""

from __future__ import annotations

import copy
import json
import os
import socket
import stat
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from azure.ai.ml import MLClient
from azure.ai.ml._utils._storage_utils import AzureMLDatastorePathUri
from azure.ai.ml._utils.utils import is_url
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.constants._common import LONG_URI_FORMAT
from azure.ai.ml.entities import Data, Model
from azure.core.credentials import AccessToken

import handoff
import register_assets
from pulumi_azureml.connect import ENDPOINT_KEYS, ConnectError, read_outputs, write_connection_files

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "outputs"
DEV = FIXTURES / "dev.json"
BUNDLE: dict[str, Any] = json.loads(DEV.read_text())
# Bundles with every optional key: the registry, Kubernetes and attached computes, online endpoints, connections.
PROD_HANDOFF = FIXTURES / "prod-handoff.json"
HANDOFF: dict[str, Any] = json.loads(PROD_HANDOFF.read_text())
DEV_CONFIG = {
    "subscription_id": "3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b",
    "resource_group": "rg-churn-dev-we",
    "workspace_name": "mlw-churn-dev-we",
}
PROD_SUB = "7c6b5a49-3827-4160-9f8e-7d6c5b4a3928"


def connect(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulumi_azureml.cli", "connect", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def write_json(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document))
    return path


# --- connect: the files it writes ---------------------------------------------------------------


def test_connect_writes_config_and_bundle(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "conn"
    done = connect("--stack", "dev", "--outputs", DEV, "--out-dir", out)

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [f"wrote {out / 'config.json'}", f"wrote {out / 'bundle.json'}"]
    # The three keys MLClient._get_workspace_info reads; note resource_group, not resource_group_name.
    assert json.loads((out / "config.json").read_text()) == DEV_CONFIG
    bundle_text = (out / "bundle.json").read_text()
    assert json.loads(bundle_text) == BUNDLE
    assert bundle_text == json.dumps(BUNDLE, indent=2, sort_keys=True) + "\n"
    # Secrets are in clear text (--show-secrets): owner-only files in an owner-only directory.
    assert mode(out / "config.json") == mode(out / "bundle.json") == 0o600
    assert mode(out) == 0o700
    assert sorted(p.name for p in out.iterdir()) == ["bundle.json", "config.json"]


def test_connect_defaults_to_dot_azureml_and_replaces_files(tmp_path: Path) -> None:
    azureml = tmp_path / ".azureml"
    azureml.mkdir()
    stale = azureml / "config.json"
    stale.write_text('{"workspace_name": "old"}')
    stale.chmod(0o644)

    done = connect("--stack", "dev", "--outputs", DEV, cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["wrote .azureml/config.json", "wrote .azureml/bundle.json"]
    assert json.loads(stale.read_text()) == DEV_CONFIG
    assert mode(stale) == 0o600  # replaced, not rewritten in place: the old mode does not survive
    assert sorted(p.name for p in azureml.iterdir()) == ["bundle.json", "config.json"]  # no temporaries left


def test_connect_runs_the_pulumi_cli_when_on_path(tmp_path: Path) -> None:
    bin_dir, project, out = tmp_path / "bin", tmp_path / "project", tmp_path / "out"
    bin_dir.mkdir()
    project.mkdir()
    record = tmp_path / "record"
    fake = bin_dir / "pulumi"
    fake.write_text(f'#!/bin/sh\necho "$PWD $*" > "{record}"\ncat "{DEV}"\n')
    fake.chmod(0o755)

    done = connect(
        "--stack",
        "dev",
        "--cwd",
        project,
        "--out-dir",
        out,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"},
    )

    assert done.returncode == 0, done.stderr
    assert record.read_text().strip() == f"{project} stack output --json --show-secrets --stack dev"
    assert json.loads((out / "bundle.json").read_text()) == BUNDLE


def test_connect_reports_the_first_line_of_a_failing_pulumi_cli(tmp_path: Path) -> None:
    fake = tmp_path / "pulumi"
    fake.write_text("#!/bin/sh\necho >&2\necho \"error: no stack named 'qa' found\" >&2\necho detail >&2\nexit 255\n")
    fake.chmod(0o755)

    done = connect("--stack", "qa", "--out-dir", tmp_path / "out", env={**os.environ, "PATH": str(tmp_path)})

    assert done.returncode == 2
    assert done.stderr == "`pulumi stack output --stack qa` failed (exit 255): error: no stack named 'qa' found\n"
    assert not (tmp_path / "out").exists()


def test_connect_without_pulumi_cli_or_outputs_says_what_to_do(tmp_path: Path) -> None:
    done = connect("--stack", "dev", "--out-dir", tmp_path / "out", env={**os.environ, "PATH": str(tmp_path)})

    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("the Pulumi CLI is not on PATH: install it")
    assert "--outputs FILE" in done.stderr
    assert not (tmp_path / "out").exists()


# --- connect: bad input is one line and exit 2 ----------------------------------------------------


def _bad_outputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name -> (outputs file, the exact error line after '<file>: ')."""
    wrong_workspace = json.loads(DEV.read_text())
    wrong_workspace["datastores"][1]["long_uri"] = wrong_workspace["datastores"][1]["long_uri"].replace(
        "mlw-churn-dev-we", "mlw-churn-prd-we"
    )
    bad_kind = json.loads(DEV.read_text())
    bad_kind["datastores"][0]["kind"] = "S3"
    not_json = tmp_path / "not-json.json"
    # What a shell redirect captures when pulumi prints an error instead of the outputs.
    not_json.write_text("error: no stack named 'dev' found\n")
    return {
        "missing file": (tmp_path / "absent.json", "cannot read: No such file or directory"),
        "not JSON": (
            not_json,
            "not JSON (Expecting value at line 1 column 1); expected what "
            "`pulumi stack output --json --show-secrets` prints",
        ),
        "not an object": (
            write_json(tmp_path / "list.json", [BUNDLE]),
            "expected a JSON object of output name -> value, got a list",
        ),
        "no workspace_name": (
            FIXTURES / "no-workspace-name.json",
            "workspace_name: missing (azure-ai-ml needs subscription_id, resource_group_name and workspace_name)",
        ),
        "workspace_name not a string": (
            write_json(tmp_path / "number.json", {**BUNDLE, "workspace_name": 42}),
            "workspace_name: expected a non-empty string, got a number (42)",
        ),
        "printed without --show-secrets": (
            write_json(tmp_path / "secret.json", {**BUNDLE, "subscription_id": "[secret]"}),
            "subscription_id: is '[secret]': the outputs were printed without --show-secrets",
        ),
        "compute list wrong": (
            write_json(tmp_path / "compute.json", {**BUNDLE, "compute_clusters": "cpu-cluster"}),
            'compute_clusters: expected a list of strings, got a string ("cpu-cluster")',
        ),
        "datastore missing keys": (
            FIXTURES / "malformed-datastore.json",
            "datastores[0]: missing long_uri (each datastore has name, kind, account_name, container, uri, "
            "long_uri, default)",
        ),
        "datastore kind": (
            write_json(tmp_path / "kind.json", bad_kind),
            "datastores[0].kind: expected one of AzureBlob, AzureFile, AzureDataLakeGen2, AzureDataLakeGen1, "
            'got a string ("S3")',
        ),
        "datastore of another workspace": (
            write_json(tmp_path / "stitched.json", wrong_workspace),
            "datastores[1].long_uri: 'azureml://subscriptions/3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b/resourcegroups/"
            "rg-churn-dev-we/workspaces/mlw-churn-prd-we/datastores/curated/paths/' does not name this workspace "
            "and datastore (subscription 3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b, resource group rg-churn-dev-we, "
            "workspace mlw-churn-dev-we, datastore curated)",
        ),
        "default_datastore unknown": (
            write_json(tmp_path / "default.json", {**BUNDLE, "default_datastore": "raw"}),
            "default_datastore: 'raw' is not one of the datastores (raw_data, curated)",
        ),
        **_bad_handoff_outputs(tmp_path),
    }


def _handoff(tmp_path: Path, name: str, change: Callable[[dict[str, Any]], object]) -> Path:
    """The prod hand-off fixture with ``change`` applied to a copy, written to ``tmp_path``."""
    outputs = copy.deepcopy(HANDOFF)
    change(outputs)
    return write_json(tmp_path / f"{name}.json", outputs)


def _bad_handoff_outputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    registry_id = HANDOFF["registry_arm_id"]
    other_registry = registry_id.replace("/registries/mlr-churn-we", "/registries/mlr-other-we")
    endpoint_keys = "name, scoring_uri, auth_mode, public_network_access, compute"

    def without(entries: str, index: int, key: str) -> Callable[[dict[str, Any]], object]:
        return lambda outputs: outputs[entries][index].pop(key)

    def setting(entries: str, index: int, key: str, value: object) -> Callable[[dict[str, Any]], object]:
        return lambda outputs: outputs[entries][index].__setitem__(key, value)

    cases: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
        "registry_name not a registry name": (
            lambda o: o.update(registry_name="mlr churn"),
            "registry_name: 'mlr churn' is not a registry name: 3-33 letters, digits, '-' or '_', starting with a "
            "letter or digit",
        ),
        "registry_name printed without --show-secrets": (
            lambda o: o.update(registry_name="[secret]"),
            "registry_name: is '[secret]': the outputs were printed without --show-secrets",
        ),
        "registry_subscription_id not a GUID": (
            lambda o: o.update(registry_subscription_id="prod"),
            "registry_subscription_id: 'prod' is not a subscription id (a GUID)",
        ),
        "registry_resource_group_name with a slash": (
            lambda o: o.update(registry_resource_group_name="rg/../x"),
            "registry_resource_group_name: 'rg/../x' is not a resource group name: resource group names are 1-90 "
            "letters, digits, '-', '_', '.', '(' or ')', not ending in '.'",
        ),
        "registry_location not a string": (
            lambda o: o.update(registry_location=["westeurope"]),
            "registry_location: expected a string, got a list",
        ),
        "registry_arm_id of a workspace": (
            lambda o: o.update(registry_arm_id=HANDOFF["workspace_arm_id"]),
            f"registry_arm_id: {HANDOFF['workspace_arm_id']!r} must be the id of a "
            "Microsoft.MachineLearningServices/registries, not of a Microsoft.MachineLearningServices/workspaces",
        ),
        "registry_arm_id of another registry": (
            lambda o: o.update(registry_arm_id=other_registry),
            f"registry_arm_id: {other_registry!r} does not name registry_name 'mlr-churn-we'",
        ),
        "kubernetes_computes not a list": (
            lambda o: o.update(kubernetes_computes="aks-churn-prd"),
            'kubernetes_computes: expected a list of strings, got a string ("aks-churn-prd")',
        ),
        "attached_computes holds a number": (
            lambda o: o.update(attached_computes=[1]),
            "attached_computes: expected a list of strings, got a list",
        ),
        "online_endpoints not a list": (
            lambda o: o.update(online_endpoints={"name": "churn-prd-we"}),
            "online_endpoints: expected a list of objects, got an object",
        ),
        "online endpoint not an object": (
            lambda o: o["online_endpoints"].append("churn-prd-we"),
            'online_endpoints[2]: expected an object, got a string ("churn-prd-we")',
        ),
        "online endpoint without compute": (
            without("online_endpoints", 0, "compute"),
            f"online_endpoints[0]: missing compute (each endpoint has {endpoint_keys})",
        ),
        "online endpoint twice": (
            setting("online_endpoints", 1, "name", "churn-prd-we"),
            "online_endpoints[1].name: 'churn-prd-we' appears twice",
        ),
        "online endpoint without scoring_uri": (
            setting("online_endpoints", 0, "scoring_uri", None),
            "online_endpoints[0].scoring_uri: expected a non-empty string, got null",
        ),
        "online endpoint auth_mode": (
            setting("online_endpoints", 1, "auth_mode", "Token"),
            'online_endpoints[1].auth_mode: expected one of Key, AMLToken, AADToken, got a string ("Token")',
        ),
        "online endpoint public_network_access": (
            setting("online_endpoints", 0, "public_network_access", False),
            "online_endpoints[0].public_network_access: expected one of Enabled, Disabled, got a boolean (false)",
        ),
        "managed endpoint without public_network_access": (
            setting("online_endpoints", 0, "public_network_access", None),
            "online_endpoints[0].public_network_access: expected one of Enabled, Disabled, got null",
        ),
        "Kubernetes endpoint public_network_access": (
            setting("online_endpoints", 1, "public_network_access", "Open"),
            "online_endpoints[1].public_network_access: expected one of Enabled, Disabled or null (Kubernetes "
            'compute), got a string ("Open")',
        ),
        "online endpoint compute empty": (
            setting("online_endpoints", 1, "compute", ""),
            'online_endpoints[1].compute: expected a non-empty string or null, got a string ("")',
        ),
        "connections not a list": (
            lambda o: o.update(connections="pypi-mirror"),
            'connections: expected a list of objects, got a string ("pypi-mirror")',
        ),
        "connection without category": (
            without("connections", 0, "category"),
            "connections[0]: missing category (each connection has name, category, target)",
        ),
        "connection name empty": (
            setting("connections", 0, "name", ""),
            'connections[0].name: expected a non-empty string, got a string ("")',
        ),
        "connection target a number": (
            setting("connections", 0, "target", 443),
            "connections[0].target: expected a string, got a number (443)",
        ),
    }
    return {
        name: (_handoff(tmp_path, f"handoff-{i}", change), line)
        for i, (name, (change, line)) in enumerate(cases.items())
    }


BAD_CASES = [
    "missing file",
    "not JSON",
    "not an object",
    "no workspace_name",
    "workspace_name not a string",
    "printed without --show-secrets",
    "compute list wrong",
    "datastore missing keys",
    "datastore kind",
    "datastore of another workspace",
    "default_datastore unknown",
    "registry_name not a registry name",
    "registry_name printed without --show-secrets",
    "registry_subscription_id not a GUID",
    "registry_resource_group_name with a slash",
    "registry_location not a string",
    "registry_arm_id of a workspace",
    "registry_arm_id of another registry",
    "kubernetes_computes not a list",
    "attached_computes holds a number",
    "online_endpoints not a list",
    "online endpoint not an object",
    "online endpoint without compute",
    "online endpoint twice",
    "online endpoint without scoring_uri",
    "online endpoint auth_mode",
    "online endpoint public_network_access",
    "managed endpoint without public_network_access",
    "Kubernetes endpoint public_network_access",
    "online endpoint compute empty",
    "connections not a list",
    "connection without category",
    "connection name empty",
    "connection target a number",
]


@pytest.mark.parametrize("case", BAD_CASES)
def test_connect_bad_outputs_is_one_line_and_exit_2(case: str, tmp_path: Path) -> None:
    path, problem = _bad_outputs(tmp_path)[case]
    out = tmp_path / "out"

    done = connect("--stack", "dev", "--outputs", path, "--out-dir", out)

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"{path}: {problem}\n"  # one line naming the file, the key and the problem
    assert not out.exists()  # nothing written from bad input


def test_bad_cases_cover_every_fixture(tmp_path: Path) -> None:
    assert set(_bad_outputs(tmp_path)) == set(BAD_CASES)


@pytest.mark.parametrize("name", ["dev-handoff.json", "prod-handoff.json"])
def test_connect_keeps_the_hand_off_keys(name: str, tmp_path: Path) -> None:
    fixture = FIXTURES / name
    out = tmp_path / "out"

    done = connect("--stack", "prod", "--outputs", fixture, "--out-dir", out)

    assert (done.returncode, done.stderr) == (0, "")
    bundle = json.loads((out / "bundle.json").read_text())
    assert bundle == json.loads(fixture.read_text())
    # The keys the examples read pass the checks and reach the bundle unchanged.
    for key in (
        *("registry_name", "registry_arm_id", "registry_subscription_id", "registry_resource_group_name"),
        *("kubernetes_computes", "attached_computes", "online_endpoints", "connections"),
    ):
        assert key in bundle, key
    assert {key for endpoint in bundle["online_endpoints"] for key in endpoint} == set(ENDPOINT_KEYS)


def test_what_the_stacks_export_passes_connect_and_feeds_the_hand_off(tmp_path: Path) -> None:
    # The planned outputs (mock values where Azure assigns them) have the shapes the program exports:
    # staging and prod have a Kubernetes endpoint, whose public_network_access is null.
    from pulumi_azureml.plan import run_plan

    bundles: dict[str, dict[str, Any]] = {}
    for stack in ("dev", "staging", "prod"):
        outputs = {key: output.value for key, output in run_plan(ROOT, stack).outputs.items()}
        write_connection_files(outputs, tmp_path / stack)
        bundles[stack] = register_assets.load_bundle(tmp_path / stack)
    assert [e["compute"] for e in bundles["staging"]["online_endpoints"]] == ["aks-inference"]
    # Both read the shared stack's registry (its recorded outputs offline).
    assert bundles["dev"]["registry_name"] == bundles["prod"]["registry_name"] == "mlr-churn-shared-we"
    promotion = handoff.promote_model(
        bundles["dev"],
        bundles["prod"],
        name="churn",
        version="1",
        endpoint="churn-score-prd",
    )
    assert promotion.deployment.endpoint_name == "churn-score-prd"
    assert promotion.copy.asset_id == handoff.workspace_model_asset_id(bundles["dev"], "churn", "1")
    assert str(bundles["dev"]["workspace_id"]) in str(promotion.copy.asset_id)
    with pytest.raises(ValueError, match="runs on compute 'aks-inference'"):
        handoff.promote_model(bundles["dev"], bundles["staging"], name="c", version="1")


def test_registry_id_is_compared_without_case(tmp_path: Path) -> None:
    # ARM may return an id in another case than the names it was created with.
    upper = _handoff(tmp_path, "upper", lambda o: o.update(registry_arm_id=HANDOFF["registry_arm_id"].upper()))
    assert read_outputs("prod", outputs_file=upper)["registry_arm_id"] == HANDOFF["registry_arm_id"].upper()
    # Null optional keys are fine (an output exported as None), as for the existing string keys.
    nulls = _handoff(tmp_path, "nulls", lambda o: o.update(registry_name=None, registry_subscription_id=None))
    assert read_outputs("prod", outputs_file=nulls)["registry_name"] is None


def test_read_outputs_and_write_files_from_python(tmp_path: Path) -> None:
    outputs = read_outputs("dev", outputs_file=DEV)
    assert outputs == BUNDLE
    assert write_connection_files(outputs, tmp_path) == [tmp_path / "config.json", tmp_path / "bundle.json"]
    # Outputs of a stack without datastores (older stacks, or none configured) are fine too.
    minimal = {"subscription_id": PROD_SUB, "resource_group_name": "rg", "workspace_name": "mlw"}
    write_connection_files(minimal, tmp_path / "minimal")
    assert json.loads((tmp_path / "minimal" / "config.json").read_text()) == {
        "subscription_id": PROD_SUB,
        "resource_group": "rg",
        "workspace_name": "mlw",
    }
    with pytest.raises(ConnectError, match=r"^outputs: workspace_name: expected a non-empty string, got a string"):
        write_connection_files({**minimal, "workspace_name": " "}, tmp_path / "never")
    assert not (tmp_path / "never").exists()


def test_connect_imports_neither_pulumi_nor_azure_ai_ml() -> None:
    # connect runs where only the outputs are: it must not need the plan engine or the optional extra.
    code = (
        "import sys, pulumi_azureml.cli, pulumi_azureml.connect\n"
        "print(sorted(m for m in ('pulumi', 'pulumi_azure_native', 'azure.ai.ml') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == "[]"


def test_azure_ai_ml_is_an_extra_not_a_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert not any(dep.startswith("azure-ai-ml") for dep in project["project"]["dependencies"])
    assert project["project"]["optional-dependencies"]["azureml"] == ["azure-ai-ml>=1.20,<2"]
    assert "azure-ai-ml>=1.20,<2" in project["dependency-groups"]["dev"]


# --- azure-ai-ml reads what connect wrote, offline ----------------------------------------------


class RefusingCredential:
    """A TokenCredential that fails the test if anything asks it for a token."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, ...]] = []

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        self.requests.append(scopes)
        raise AssertionError(f"a token was requested for {scopes}: building MLClient must stay offline")


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No sockets, and the default cloud (ARM_CLOUD_METADATA_URL would make MLClient fetch cloud metadata)."""

    attempts: list[tuple[object, ...]] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)  # recorded too: a broad `except Exception` in the SDK could swallow the error
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.delenv("ARM_CLOUD_METADATA_URL", raising=False)
    # MLClient writes AZUREML_CURRENT_CLOUD into os.environ: set-then-delete makes monkeypatch
    # restore the original (usually absent) value after the test, while the test sees it unset.
    monkeypatch.setenv("AZUREML_CURRENT_CLOUD", "placeholder")
    monkeypatch.delenv("AZUREML_CURRENT_CLOUD")
    yield
    assert attempts == []


@pytest.fixture
def connected(tmp_path: Path) -> Path:
    """A project directory after `pulumi-azureml connect --stack dev` with the defaults."""
    write_connection_files(read_outputs("dev", outputs_file=DEV), tmp_path / ".azureml")
    return tmp_path


def assert_dev_workspace(client: MLClient) -> None:
    assert (client.subscription_id, client.resource_group_name, client.workspace_name) == (
        BUNDLE["subscription_id"],
        BUNDLE["resource_group_name"],
        BUNDLE["workspace_name"],
    )


@pytest.mark.usefixtures("offline")
def test_from_config_builds_the_client_offline(connected: Path) -> None:
    credential = RefusingCredential()
    # From the written directory, the project root, and a subdirectory (from_config walks up).
    for start in (connected / ".azureml", connected, connected / "notebooks" / "eda"):
        start.mkdir(parents=True, exist_ok=True)
        assert_dev_workspace(MLClient.from_config(credential=credential, path=start))
    assert credential.requests == []


@pytest.mark.usefixtures("offline")
def test_from_config_prefers_dot_azureml_so_the_example_passes_the_file(connected: Path) -> None:
    # Another stack connected into its own directory under the same project.
    other = connected / "prod-conn"
    write_connection_files(
        {"subscription_id": PROD_SUB, "resource_group_name": "rg-prod", "workspace_name": "mlw-prod"}, other
    )
    credential = RefusingCredential()
    # Given a directory, from_config searches .azureml/ up the tree before the directory's own
    # config.json: it finds the dev workspace, not prod.
    assert_dev_workspace(MLClient.from_config(credential=credential, path=other))
    # Given the file, it reads that file: what register_assets.client_from_config does.
    client = register_assets.client_from_config(other, credential=credential)
    assert (client.subscription_id, client.resource_group_name, client.workspace_name) == (
        PROD_SUB,
        "rg-prod",
        "mlw-prod",
    )
    assert_dev_workspace(register_assets.client_from_config(connected / ".azureml", credential=credential))
    assert credential.requests == []


# --- azure-ai-ml accepts the datastore URIs -------------------------------------------------------


@pytest.mark.parametrize("store", BUNDLE["datastores"], ids=lambda store: str(store["kind"]))
def test_data_assets_accept_short_and_long_datastore_uris(store: dict[str, Any]) -> None:
    # The long form is azure-ai-ml's own LONG_URI_FORMAT for this workspace and datastore.
    assert store["long_uri"] == LONG_URI_FORMAT.format(
        BUNDLE["subscription_id"], BUNDLE["resource_group_name"], BUNDLE["workspace_name"], store["name"], ""
    )
    for uri in (store["uri"], store["long_uri"]):
        data = Data(name="churn", version="1", path=uri + "churn/2024-06", type=AssetTypes.URI_FOLDER)
        # Kept as a remote URI (a local path would be made absolute and uploaded on create_or_update).
        assert isinstance(data.path, str)
        assert data.path == uri + "churn/2024-06"
        assert is_url(data.path)  # DataOperations._validate skips remote uri_folder paths with this check
        rest = data._to_rest_object()
        assert rest is not None
        assert rest.properties.data_uri == uri + "churn/2024-06"
        parsed = AzureMLDatastorePathUri(data.path)  # the parser azure-ai-ml downloads with
        assert (parsed.datastore, parsed.path, parsed.uri_type) == (store["name"], "churn/2024-06", "Datastore")
    long = AzureMLDatastorePathUri(store["long_uri"] + "x")
    assert (long.subscription_id, long.resource_group, long.workspace_name) == (
        BUNDLE["subscription_id"],
        BUNDLE["resource_group_name"],
        BUNDLE["workspace_name"],
    )


# --- examples/register_assets.py builds the entities ----------------------------------------------


def test_example_builds_the_data_asset_from_the_bundle(connected: Path) -> None:
    bundle = register_assets.load_bundle(connected / ".azureml")
    assert bundle == BUNDLE

    data = register_assets.build_data_asset(bundle, "curated", "/churn/2024-06/")
    assert isinstance(data, Data)
    assert (data.name, data.version, data.type) == ("curated-churn-2024-06", None, AssetTypes.URI_FOLDER)
    assert data.path == "azureml://datastores/curated/paths/churn/2024-06/"
    assert data.tags == {"datastore": "curated", "environment": "dev"}

    named = register_assets.build_data_asset(bundle, "raw_data", "events", name="raw-events", version="3")
    assert (named.name, named.version, named.path) == ("raw-events", "3", "azureml://datastores/raw_data/paths/events")
    # Azure ML's own default datastore is always there, even though the bundle does not list it.
    assert register_assets.datastore_uri(bundle, "workspaceblobstore", "a") == (
        "azureml://datastores/workspaceblobstore/paths/a"
    )
    with pytest.raises(ValueError, match=r"'lake' is not in .* \(known: raw_data, curated, workspaceblobstore\)"):
        register_assets.build_data_asset(bundle, "lake", "x")


def test_example_builds_the_model_from_a_local_file(tmp_path: Path) -> None:
    weights = tmp_path / "model.pkl"
    weights.write_bytes(b"\x80\x04N.")

    model = register_assets.build_model(weights, "churn-model")

    assert isinstance(model, Model)
    assert (model.name, model.version, model.type) == ("churn-model", None, AssetTypes.CUSTOM_MODEL)
    assert Path(str(model.path)).resolve() == weights.resolve()
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        register_assets.build_model(tmp_path / "absent", "churn-model")


def test_example_main_registers_both_assets(
    connected: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    registered: list[Any] = []

    def create_or_update(entity: Any) -> Any:
        registered.append(entity)
        return SimpleNamespace(name=entity.name, version="1", path=entity.path)

    fake = SimpleNamespace(
        subscription_id=BUNDLE["subscription_id"],
        resource_group_name=BUNDLE["resource_group_name"],
        workspace_name=BUNDLE["workspace_name"],
        data=SimpleNamespace(create_or_update=create_or_update),
        models=SimpleNamespace(create_or_update=create_or_update),
    )
    monkeypatch.setattr(register_assets, "client_from_config", lambda config_dir, credential=None: fake)
    weights = tmp_path / "churn.pkl"
    weights.write_bytes(b"model")

    status = register_assets.main(
        ["--config-dir", str(connected / ".azureml"), "--path", "events/", "--model-path", str(weights)]
    )

    assert status == 0
    data, model = registered
    # No --datastore: the bundle's default_datastore.
    assert (data.name, data.path) == ("raw_data-events", "azureml://datastores/raw_data/paths/events/")
    assert (model.name, model.type) == ("churn", AssetTypes.CUSTOM_MODEL)
    assert capsys.readouterr().out.splitlines()[0] == (
        "data  raw_data-events:1 -> azureml://datastores/raw_data/paths/events/"
    )


def test_example_main_stops_before_azure_on_bad_arguments(
    connected: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_client(*args: object, **kwargs: object) -> None:
        raise AssertionError("no client should be built for bad arguments")

    monkeypatch.setattr(register_assets, "client_from_config", no_client)
    args = ["--config-dir", str(connected / ".azureml"), "--path", "x", "--model-path"]
    assert register_assets.main([*args, str(tmp_path / "absent"), "--datastore", "curated"]) == 2
    assert register_assets.main([*args, str(DEV), "--datastore", "lake"]) == 2
    with pytest.raises(SystemExit, match="run `pulumi-azureml connect --stack <stack>` first"):
        register_assets.main(["--config-dir", str(tmp_path / "nowhere"), "--path", "x", "--model-path", str(DEV)])
