"""examples/handoff.py and its scripts: every asset kind built from a connected bundle, offline.

Each entity is serialised to the REST request body azure-ai-ml would send (``_to_rest_object``),
with sockets blocked: the tests check what reaches Azure (compute, datastore URIs, image, registry
model id, endpoint) without reaching it. The scripts run against fake clients.
"""

from __future__ import annotations

import ast
import contextlib
import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.constants._common import ASSET_ID_FORMAT, REGISTRY_VERSION_PATTERN
from azure.ai.ml.entities import CommandComponent, Environment, ManagedOnlineDeployment, WorkspaceModelReference
from azure.core.credentials import AccessToken
from azure.core.exceptions import ResourceNotFoundError

import handoff
import promote_model
import submit_pipeline
from pulumi_azureml.connect import read_outputs, write_connection_files
from register_assets import load_bundle

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "outputs"
DEV_FIXTURE = FIXTURES / "dev-handoff.json"
PROD_FIXTURE = FIXTURES / "prod-handoff.json"
REGISTRY_MODEL = "azureml://registries/mlr-churn-we/models/churn/versions/3"


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[object, ...]]]:
    """Every test here runs with sockets blocked; attempts are recorded (an SDK could swallow the error)."""
    attempts: list[tuple[object, ...]] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.delenv("ARM_CLOUD_METADATA_URL", raising=False)
    # MLClient writes AZUREML_CURRENT_CLOUD into os.environ: make monkeypatch restore it afterwards.
    monkeypatch.setenv("AZUREML_CURRENT_CLOUD", "placeholder")
    monkeypatch.delenv("AZUREML_CURRENT_CLOUD")
    yield attempts
    assert attempts == []


def connected(fixture: Path, out: Path) -> Path:
    """``pulumi-azureml connect --outputs <fixture> --out-dir <out>``, in-process."""
    write_connection_files(read_outputs("stack", outputs_file=fixture), out)
    return out


@pytest.fixture
def dev_dir(tmp_path: Path) -> Path:
    return connected(DEV_FIXTURE, tmp_path / ".azureml")


@pytest.fixture
def prod_dir(tmp_path: Path) -> Path:
    return connected(PROD_FIXTURE, tmp_path / ".azureml" / "prod")


@pytest.fixture
def dev(dev_dir: Path) -> dict[str, Any]:
    return load_bundle(dev_dir)


@pytest.fixture
def prod(prod_dir: Path) -> dict[str, Any]:
    return load_bundle(prod_dir)


class RefusingCredential:
    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        raise AssertionError(f"a token was requested for {scopes}")


def body(entity: Any, **kwargs: Any) -> dict[str, Any]:
    """The REST request body of ``entity``, as JSON would carry it."""
    rest = entity._to_rest_object(**kwargs)
    document = rest if isinstance(rest, dict) else rest.as_dict()
    result: dict[str, Any] = json.loads(json.dumps(document, default=str))
    return result


# --- data and model ----------------------------------------------------------------------------


def test_data_asset_body_names_the_datastore_uri(dev: dict[str, Any]) -> None:
    data = handoff.build_data_asset(dev, "curated", "churn/2024-06/")
    properties = body(data)["properties"]
    assert properties["dataUri"] == "azureml://datastores/curated/paths/churn/2024-06/"
    assert properties["dataType"] == AssetTypes.URI_FOLDER


def test_model_body_points_at_the_datastore_folder(dev: dict[str, Any]) -> None:
    model = handoff.build_model(dev, "churn", datastore="raw_data", path="models/churn/20240601T000000Z/", version="3")
    properties = body(model)["properties"]
    assert properties["modelUri"] == "azureml://datastores/raw_data/paths/models/churn/20240601T000000Z/"
    assert properties["modelType"] == AssetTypes.MLFLOW_MODEL
    assert properties["tags"] == {"environment": "dev", "datastore": "raw_data"}
    with pytest.raises(ValueError, match=r"'lake' is not in the stack's bundle"):
        handoff.build_model(dev, "churn", datastore="lake", path="x")


# --- environment and component -------------------------------------------------------------------


def test_environment_body_has_the_image_and_the_conda_file(dev: dict[str, Any], tmp_path: Path) -> None:
    environment = handoff.build_environment(dev)
    properties = body(environment)["properties"]
    assert properties["image"] == "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"
    assert yaml.safe_load(properties["condaFile"]) == yaml.safe_load(handoff.CONDA_FILE.read_text())
    assert properties["tags"] == {"environment": "dev"}
    with pytest.raises(FileNotFoundError, match="no such conda file"):
        handoff.build_environment(dev, conda_file=tmp_path / "absent.yaml")


def test_component_body_runs_train_py_in_the_environment(dev: dict[str, Any], tmp_path: Path) -> None:
    component = handoff.build_command_component(dev, handoff.build_environment(dev))
    assert isinstance(component, CommandComponent)
    spec = body(component)["properties"]["componentSpec"]
    assert spec["command"] == handoff.TRAIN_COMMAND
    assert Path(spec["code"]).resolve() == handoff.CODE_DIR
    assert spec["environment"]["image"] == handoff.BASE_IMAGE
    assert spec["inputs"] == {"data": {"type": "uri_folder", "description": "folder of CSV files"}}
    assert spec["outputs"] == {"model": {"type": "mlflow_model", "description": "the trained model"}}
    # A registered environment is referenced by id instead of being inlined.
    registered = handoff.build_command_component(dev, "azureml:churn-train:4")
    assert body(registered)["properties"]["componentSpec"]["environment"] == "azureml:churn-train:4"
    with pytest.raises(FileNotFoundError, match=r"no train\.py"):
        handoff.build_command_component(dev, "azureml:churn-train:4", code=tmp_path)


def test_the_command_passes_exactly_the_arguments_train_py_requires() -> None:
    tree = ast.parse((handoff.CODE_DIR / "train.py").read_text())
    required = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "add_argument":
            flag = node.args[0]
            assert isinstance(flag, ast.Constant)
            if any(k.arg == "required" and getattr(k.value, "value", None) is True for k in node.keywords):
                required.add(str(flag.value))
    assert required == {"--data", "--model"}
    assert set(re.findall(r"(--\w+) \$\{\{", handoff.TRAIN_COMMAND)) == required


# --- pipeline -------------------------------------------------------------------------------------


def test_pipeline_body_names_compute_datastore_and_image(dev: dict[str, Any], dev_dir: Path) -> None:
    component = handoff.build_command_component(dev, handoff.build_environment(dev))
    job = handoff.build_pipeline_job(dev, component, data_path="churn/2024-06/", model_path="models/churn/1/")
    properties = body(job)["properties"]

    assert properties["jobType"] == "Pipeline"
    assert properties["experimentName"] == "churn-train"
    assert properties["settings"]["default_compute"] == "cpu-cluster"  # the dev stack's only cluster
    assert properties["inputs"]["training_data"] == {
        "uri": "azureml://datastores/raw_data/paths/churn/2024-06/",  # the bundle's default datastore
        "jobInputType": "uri_folder",
    }
    assert properties["outputs"]["model"] == {
        "uri": "azureml://datastores/raw_data/paths/models/churn/1/",
        "jobOutputType": "mlflow_model",
    }
    (step,) = properties["jobs"].values()
    assert step["inputs"]["data"]["value"] == "${{parent.inputs.training_data}}"
    assert step["outputs"]["model"]["value"] == "${{parent.outputs.model}}"
    assert yaml.safe_load(step["componentId"])["environment"]["image"] == handoff.BASE_IMAGE
    # On submission azure-ai-ml turns the name into the compute's id in this workspace (no call needed).
    client = MLClient.from_config(credential=RefusingCredential(), path=dev_dir / "config.json")
    resolved = client.jobs._orchestrators.get_asset_arm_id("cpu-cluster", azureml_type="computes")
    assert resolved == f"{dev['workspace_arm_id']}/computes/cpu-cluster"


def test_pipeline_on_another_datastore_and_compute(prod: dict[str, Any]) -> None:
    component = handoff.build_command_component(prod, "azureml:churn-train:4")
    job = handoff.build_pipeline_job(
        prod, component, data_path="/in", model_path="out/", datastore="workspaceblobstore", compute="aks-churn-prd"
    )
    properties = body(job)["properties"]
    assert properties["settings"]["default_compute"] == "aks-churn-prd"
    assert properties["inputs"]["training_data"]["uri"] == "azureml://datastores/workspaceblobstore/paths/in"
    assert properties["tags"] == {"environment": "prod", "datastore": "workspaceblobstore", "compute": "aks-churn-prd"}


def test_pick_compute_refuses_what_the_stack_does_not_have(dev: dict[str, Any], prod: dict[str, Any]) -> None:
    assert handoff.pick_compute(dev) == "cpu-cluster"
    assert handoff.pick_compute(prod, "gpu-cluster") == "gpu-cluster"
    assert handoff.pick_compute(dev, "vm-churn-gpu") == "vm-churn-gpu"  # attached computes may be named
    with pytest.raises(ValueError, match=r"2 compute clusters \(cpu-cluster, gpu-cluster\): choose one"):
        handoff.pick_compute(prod)
    with pytest.raises(ValueError, match=r"'big' is not in .* \(known: cpu-cluster, aks-churn-dev, vm-churn-gpu\)"):
        handoff.pick_compute(dev, "big")
    with pytest.raises(ValueError, match=r"0 compute clusters \(none\)"):
        handoff.pick_compute({})


# --- promotion -------------------------------------------------------------------------------------


def test_promotion_copies_dev_model_and_deploys_the_registry_copy(dev: dict[str, Any], prod: dict[str, Any]) -> None:
    promotion = handoff.promote_model(dev, prod, name="churn", version="3", endpoint="churn-prd-we")

    assert promotion.registry == "mlr-churn-we"
    assert isinstance(promotion.copy, WorkspaceModelReference)
    source = ASSET_ID_FORMAT.format(dev["location"], dev["workspace_id"], "models", "churn", "3")
    assert body(promotion.copy) == {
        "properties": {
            "referenceType": "Id",
            "destinationName": "churn",
            "destinationVersion": "3",
            "sourceAssetId": source,
        }
    }
    assert (
        source
        == "azureml://locations/westeurope/workspaces/9c1f4e2a-7b3d-4c5e-8f6a-0b1c2d3e4f5a/models/churn/versions/3"
    )

    assert isinstance(promotion.deployment, ManagedOnlineDeployment)
    assert promotion.deployment.endpoint_name == "churn-prd-we"
    assert promotion.deployment.name == "churn-3"
    rest = body(promotion.deployment, location=prod["location"])
    assert rest["location"] == "westeurope"
    assert rest["properties"]["model"] == REGISTRY_MODEL == promotion.model_id
    assert rest["properties"]["endpointComputeType"] == "Managed"
    assert rest["properties"]["instanceType"] == "Standard_DS3_v2"
    assert rest["sku"]["capacity"] == 1
    assert rest["tags"] == {"environment": "prod", "promoted_from": "mlw-churn-dev-we"}
    # The form azure-ai-ml recognises as a registry asset (it skips workspace resolution for it).
    match = re.match(REGISTRY_VERSION_PATTERN, promotion.model_id)
    assert match is not None
    assert match.groups() == ("mlr-churn-we", "models", "churn", "3")


def test_the_copy_is_what_models_share_submits(
    dev: dict[str, Any], dev_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ModelOperations.share GETs the workspace for its location and GUID, then submits a reference
    # in the registry's scope; with those stubbed, compare what it submits with ours.
    client = MLClient.from_config(credential=RefusingCredential(), path=dev_dir / "config.json")
    models = client.models
    workspace = SimpleNamespace(workspace_id=dev["workspace_id"], location=dev["location"])
    monkeypatch.setattr(
        models, "_service_client", SimpleNamespace(workspaces=SimpleNamespace(get=lambda **_: workspace))
    )
    submitted: list[Any] = []
    registries: list[str] = []

    @contextlib.contextmanager
    def in_registry(name: str) -> Iterator[None]:
        registries.append(name)
        yield

    monkeypatch.setattr(models, "_set_registry_client", in_registry)
    monkeypatch.setattr(models, "create_or_update", submitted.append)

    models.share("churn", "3", share_with_name="churn", share_with_version="3", registry_name="mlr-churn-we")

    ours = handoff.promote_model(dev, dev, name="churn", version="3")  # dev has one managed endpoint
    assert registries == [ours.registry]
    assert [body(entity) for entity in submitted] == [body(ours.copy)]


def test_promotion_options(dev: dict[str, Any], prod: dict[str, Any]) -> None:
    promotion = handoff.promote_model(
        dev,
        prod,
        name="Churn_Model",
        version="3",
        registry_version="2024.06",
        endpoint="churn-prd-we",
        instance_type="Standard_F4s_v2",
        instance_count=2,
    )
    assert promotion.copy.version == "2024.06"
    assert promotion.model_id == "azureml://registries/mlr-churn-we/models/Churn_Model/versions/2024.06"
    assert promotion.deployment.name == "churn-model-2024-06"
    rest = body(promotion.deployment, location="westeurope")
    assert (rest["properties"]["instanceType"], rest["sku"]["capacity"]) == ("Standard_F4s_v2", 2)
    assert handoff.default_deployment_name("7up", "1") == "m-7up-1"
    assert len(handoff.default_deployment_name("a" * 40, "1")) == 32


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({}, r"2 online endpoints \(churn-prd-we, churn-prd-aks\): choose one"),
        ({"endpoint": "churn-stg"}, r"'churn-stg' is not in the bundle \(known: churn-prd-we, churn-prd-aks\)"),
        ({"endpoint": "churn-prd-aks"}, r"runs on compute 'aks-churn-prd' \(Kubernetes\)"),
    ],
)
def test_promotion_needs_one_managed_endpoint(
    change: dict[str, Any], problem: str, dev: dict[str, Any], prod: dict[str, Any]
) -> None:
    with pytest.raises(ValueError, match=problem):
        handoff.promote_model(dev, prod, name="churn", version="3", **change)


def test_promotion_needs_one_registry_and_dev_ids(dev: dict[str, Any], prod: dict[str, Any]) -> None:
    args: dict[str, Any] = {"name": "churn", "version": "3", "endpoint": "churn-prd-we"}
    with pytest.raises(ValueError, match=r"different registries \(mlr-other, mlr-churn-we\)"):
        handoff.promote_model({**dev, "registry_name": "mlr-other"}, prod, **args)
    no_registry = {key: value for key, value in prod.items() if key != "registry_name"}
    with pytest.raises(ValueError, match="neither bundle names a registry"):
        handoff.promote_model(no_registry, no_registry, **args)
    # Only one bundle naming it is enough; an explicit registry wins.
    assert handoff.promote_model(no_registry | dev, no_registry, **args).registry == "mlr-churn-we"
    assert handoff.promote_model(dev, prod, registry_name="mlr-x", **args).model_id.startswith(
        "azureml://registries/mlr-x/"
    )
    with pytest.raises(ValueError, match="the dev bundle has no workspace_id"):
        handoff.promote_model({**dev, "workspace_id": None}, prod, **args)


# --- the scripts, against fake clients --------------------------------------------------------------


class Recorder:
    """A fake MLClient: records each call in order; operations answer what a service would."""

    def __init__(self, bundle: dict[str, Any]) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.subscription_id = bundle["subscription_id"]
        self.resource_group_name = bundle["resource_group_name"]
        self.workspace_name = bundle["workspace_name"]
        self.environments = SimpleNamespace(create_or_update=self._versioned("environments", "4"))
        self.components = SimpleNamespace(create_or_update=self._versioned("components", "7"))
        self.jobs = SimpleNamespace(
            create_or_update=self._submit, stream=lambda name: self.calls.append(("stream", name))
        )
        self.models = SimpleNamespace(create_or_update=self._versioned("models", "3"), get=self._get_model)
        self.online_deployments = SimpleNamespace(begin_create_or_update=self._deploy)
        self.registry_models: set[tuple[str, str]] = set()

    def _versioned(self, kind: str, version: str) -> Any:
        def create_or_update(entity: Any) -> Any:
            self.calls.append((kind, entity))
            if isinstance(entity, WorkspaceModelReference):
                return entity
            entity.version = entity.version or version
            return entity

        return create_or_update

    def _submit(self, job: Any, experiment_name: str) -> Any:
        self.calls.append(("jobs", job))
        return SimpleNamespace(name="sad_plum_1234", studio_url="https://ml.azure.com/runs/sad_plum_1234")

    def _get_model(self, name: str, version: str) -> Any:
        self.calls.append(("get", (name, version)))
        if (name, version) not in self.registry_models:
            raise ResourceNotFoundError("not found")
        return SimpleNamespace(name=name, version=version)

    def _deploy(self, deployment: Any) -> Any:
        self.calls.append(("deploy", deployment))
        return SimpleNamespace(result=lambda: deployment)


def test_submit_pipeline_registers_submits_waits_and_registers_the_model(
    dev: dict[str, Any], dev_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    client = Recorder(dev)
    monkeypatch.setattr(submit_pipeline, "client_from_config", lambda config_dir, credential=None: client)

    status = submit_pipeline.main(
        ["--config-dir", str(dev_dir), "--data-path", "churn/2024-06/", "--model-path", "models/churn/1/"]
    )

    assert status == 0
    assert [kind for kind, _ in client.calls] == ["environments", "components", "jobs", "stream", "models"]
    environment, component, job, _, model = (entity for _, entity in client.calls)
    assert isinstance(environment, Environment)
    assert body(environment)["properties"]["image"] == handoff.BASE_IMAGE
    # The component references the environment as registered, the pipeline the registered component.
    assert component.environment == "azureml:churn-train:4"
    properties = body(job)["properties"]
    assert properties["settings"]["default_compute"] == "cpu-cluster"
    model_uri = "azureml://datastores/raw_data/paths/models/churn/1/"
    assert properties["outputs"]["model"]["uri"] == model_uri
    assert client.calls[3] == ("stream", "sad_plum_1234")
    assert body(model)["properties"]["modelUri"] == model_uri  # registered from where the pipeline wrote it
    assert capsys.readouterr().out.splitlines()[-1] == f"model       churn:3 -> {model_uri}"


def test_submit_pipeline_stops_before_azure_on_bad_arguments(
    dev_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_client(*args: object, **kwargs: object) -> None:
        raise AssertionError("no client should be built for bad arguments")

    monkeypatch.setattr(submit_pipeline, "client_from_config", no_client)
    common = ["--config-dir", str(dev_dir), "--data-path", "x/"]
    assert submit_pipeline.main([*common, "--compute", "big"]) == 2
    assert submit_pipeline.main([*common, "--datastore", "lake"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "compute 'big' is not in the stack's bundle (known: cpu-cluster, aks-churn-dev, vm-churn-gpu)",
        "datastore 'lake' is not in the stack's bundle (known: raw_data, curated, workspaceblobstore)",
    ]


def test_submit_pipeline_no_wait_registers_no_model(
    dev: dict[str, Any], dev_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = Recorder(dev)
    monkeypatch.setattr(submit_pipeline, "client_from_config", lambda config_dir, credential=None: client)
    assert submit_pipeline.main(["--config-dir", str(dev_dir), "--data-path", "x/", "--no-wait"]) == 0
    assert [kind for kind, _ in client.calls] == ["environments", "components", "jobs"]
    # Without --model-path, a new folder per run: models/<name>/<UTC time>/.
    uri = body(client.calls[2][1])["properties"]["outputs"]["model"]["uri"]
    assert re.fullmatch(r"azureml://datastores/raw_data/paths/models/churn/\d{8}T\d{6}Z/", uri)


def test_promote_model_copies_once_and_deploys(
    dev: dict[str, Any],
    prod: dict[str, Any],
    dev_dir: Path,
    prod_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    prod_client, registry = Recorder(prod), Recorder(prod)
    registries: list[str] = []

    def registry_client(bundles: Any, name: str, credential: Any) -> Recorder:
        registries.append(name)
        return registry

    monkeypatch.setattr(promote_model, "DefaultAzureCredential", RefusingCredential)
    monkeypatch.setattr(promote_model, "client_from_config", lambda config_dir, credential=None: prod_client)
    monkeypatch.setattr(promote_model, "registry_client", registry_client)
    argv = ["--dev-config-dir", str(dev_dir), "--prod-config-dir", str(prod_dir), "--name", "churn", "--version", "3"]

    assert promote_model.main([*argv, "--endpoint", "churn-prd-we"]) == 0

    assert registries == ["mlr-churn-we"]
    assert [kind for kind, _ in registry.calls] == ["get", "models"]
    copy = registry.calls[1][1]
    assert body(copy)["properties"]["sourceAssetId"] == handoff.workspace_model_asset_id(dev, "churn", "3")
    ((kind, deployment),) = prod_client.calls
    assert kind == "deploy"
    assert (deployment.endpoint_name, deployment.model) == ("churn-prd-we", REGISTRY_MODEL)
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (
        "deployment  churn-3 on churn-prd-we (https://churn-prd-we.westeurope.inference.ml.azure.com/score, AADToken)"
    )

    # Run again: the registry has it now, so only the deployment is submitted.
    registry.registry_models.add(("churn", "3"))
    registry.calls.clear()
    assert promote_model.main([*argv, "--endpoint", "churn-prd-we", "--deployment", "green"]) == 0
    assert [kind for kind, _ in registry.calls] == ["get"]
    assert prod_client.calls[-1][1].name == "green"
    assert capsys.readouterr().out.startswith(f"registry    {REGISTRY_MODEL} exists: not copied again\n")


def test_promote_model_stops_before_azure_on_an_ambiguous_endpoint(
    dev_dir: Path, prod_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_client(*args: object, **kwargs: object) -> None:
        raise AssertionError("no client should be built for bad arguments")

    monkeypatch.setattr(promote_model, "client_from_config", no_client)
    monkeypatch.setattr(promote_model, "registry_client", no_client)
    argv = ["--dev-config-dir", str(dev_dir), "--prod-config-dir", str(prod_dir), "--name", "churn", "--version", "3"]
    assert promote_model.main(argv) == 2
    assert "2 online endpoints (churn-prd-we, churn-prd-aks): choose one" in capsys.readouterr().err
