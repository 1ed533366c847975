"""azure-ai-ml entities for every asset kind, built from the bundle ``pulumi-azureml connect`` wrote.

Nothing here calls Azure: each function builds an entity from a stack's outputs (``bundle.json``)
and the files under ``examples/assets/``; the scripts next to this module submit them
(``register_assets.py``, ``submit_pipeline.py``, ``promote_model.py``), and tests/test_handoff.py
checks each entity's REST request body with sockets blocked.

- data:        :func:`build_data_asset` (from register_assets.py), a ``uri_folder`` on a datastore
- model:       :func:`build_model`, an MLflow model the pipeline wrote to a datastore folder
               (register_assets.build_model uploads a local file instead)
- environment: :func:`build_environment`, a conda file on an Azure ML base image
- component:   :func:`build_command_component`, ``src/train.py`` in that environment
- pipeline:    :func:`build_pipeline_job`, the component on one of the stack's clusters
- promotion:   :func:`promote_model`, dev's model copied into the registry, then deployed from
               there to the prod stack's online endpoint
"""

# No `from __future__ import annotations`: dsl.pipeline reads the pipeline function's annotations
# as objects (a string "Input" is refused: "Unsupported annotation type").
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from azure.ai.ml import Input, Output, dsl
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import (
    CommandComponent,
    Component,
    Environment,
    ManagedOnlineDeployment,
    Model,
    PipelineJob,
    WorkspaceModelReference,
)

from register_assets import SERVICE_DEFAULT_DATASTORE, build_data_asset, datastore_uri

__all__ = [
    "BASE_IMAGE",
    "Promotion",
    "build_command_component",
    "build_data_asset",
    "build_environment",
    "build_model",
    "build_pipeline_job",
    "pick_compute",
    "pick_endpoint",
    "promote_model",
    "registry_model_id",
    "workspace_model_asset_id",
]

ASSETS = Path(__file__).resolve().parent / "assets"
CODE_DIR = ASSETS / "src"
CONDA_FILE = ASSETS / "conda.yaml"
# An Azure ML base image (Ubuntu 22.04, OpenMPI); Azure ML builds the conda environment on top of it.
BASE_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04"
# What src/train.py reads and writes; the names match its --data and --model arguments.
TRAIN_COMMAND = "python train.py --data ${{inputs.data}} --model ${{outputs.model}}"
DEFAULT_INSTANCE_TYPE = "Standard_DS3_v2"


def _environment_tag(bundle: Mapping[str, Any]) -> dict[str, str]:
    return {"environment": str(bundle.get("environment", "unknown"))}


def build_model(
    bundle: Mapping[str, Any],
    name: str,
    *,
    datastore: str,
    path: str,
    version: str | None = None,
    model_type: str = AssetTypes.MLFLOW_MODEL,
) -> Model:
    """A model whose files are already on ``datastore`` at ``path`` (what the pipeline writes); nothing is copied."""
    return Model(
        name=name,
        version=version,
        path=datastore_uri(bundle, datastore, path),
        type=model_type,
        description=f"{path} on datastore {datastore}",
        tags={**_environment_tag(bundle), "datastore": datastore},
    )


def build_environment(
    bundle: Mapping[str, Any],
    *,
    name: str = "churn-train",
    version: str | None = None,
    image: str = BASE_IMAGE,
    conda_file: Path = CONDA_FILE,
) -> Environment:
    """The training environment: ``conda_file`` on ``image``, built by Azure ML in the workspace's registry.

    Azure ML builds the image in the workspace's container registry (the bundle's
    ``container_registry_login_server``); a workspace whose registry is private builds on a compute
    cluster instead (the workspace's image build compute).
    """
    if not conda_file.is_file():
        raise FileNotFoundError(f"{conda_file}: no such conda file")
    return Environment(
        name=name,
        version=version,
        image=image,
        conda_file=conda_file,
        description=f"{conda_file.name} on {image}",
        tags=_environment_tag(bundle),
    )


def build_command_component(
    bundle: Mapping[str, Any],
    environment: Environment | str,
    *,
    name: str = "churn_train",
    version: str | None = None,
    code: Path = CODE_DIR,
) -> CommandComponent:
    """``train.py`` in ``code`` as a command component: one ``uri_folder`` input, one MLflow model output.

    ``environment`` is an :class:`Environment` (registered along with the component) or the id of
    a registered one, ``azureml:<name>:<version>``.
    """
    if not (code / "train.py").is_file():
        raise FileNotFoundError(f"{code}: no train.py")
    return CommandComponent(
        name=name,
        version=version,
        display_name="Train the churn model",
        description="Trains a classifier on the CSV files of a folder; writes an MLflow model.",
        tags=_environment_tag(bundle),
        code=str(code),
        command=TRAIN_COMMAND,
        environment=environment,
        inputs={"data": Input(type=AssetTypes.URI_FOLDER, description="folder of CSV files")},
        outputs={"model": Output(type=AssetTypes.MLFLOW_MODEL, description="the trained model")},
    )


def pick_compute(bundle: Mapping[str, Any], compute: str | None = None) -> str:
    """``compute`` if the stack has it, else the stack's only compute cluster."""
    targets = {
        key: [str(name) for name in bundle.get(key) or []]
        for key in ("compute_clusters", "kubernetes_computes", "attached_computes")
    }
    if compute is not None:
        if any(compute in names for names in targets.values()):
            return compute
        known = ", ".join(name for names in targets.values() for name in names) or "none"
        raise ValueError(f"compute {compute!r} is not in the stack's bundle (known: {known})")
    clusters = targets["compute_clusters"]
    if len(clusters) != 1:
        listed = ", ".join(clusters) if clusters else "none"
        raise ValueError(f"the stack has {len(clusters)} compute clusters ({listed}): choose one with --compute")
    return clusters[0]


def build_pipeline_job(
    bundle: Mapping[str, Any],
    component: Component,
    *,
    data_path: str,
    model_path: str,
    datastore: str | None = None,
    compute: str | None = None,
    experiment_name: str = "churn-train",
) -> PipelineJob:
    """A pipeline of one step, ``component``, reading ``data_path`` and writing the model to ``model_path``.

    ``component`` is :func:`build_command_component`'s, or what registering it returned.

    Both paths are on ``datastore`` (default: the bundle's ``default_datastore``); the pipeline
    runs on ``compute`` (default: the stack's only cluster), by name: azure-ai-ml turns it into the
    workspace's compute id when the job is submitted.
    """
    store = datastore or str(bundle.get("default_datastore") or SERVICE_DEFAULT_DATASTORE)
    target = pick_compute(bundle, compute)

    @dsl.pipeline(None, name="churn_training", description="Train the churn model", default_compute=target)
    def churn_training(training_data: Input) -> dict[str, Any]:
        train = component(data=training_data)
        return {"model": train.outputs.model}

    job: PipelineJob = churn_training(
        training_data=Input(type=AssetTypes.URI_FOLDER, path=datastore_uri(bundle, store, data_path))
    )
    # A fixed place on the datastore, so the model can be registered from it once the job is done.
    job.outputs["model"] = Output(type=AssetTypes.MLFLOW_MODEL, path=datastore_uri(bundle, store, model_path))
    job.experiment_name = experiment_name
    job.tags = {**_environment_tag(bundle), "datastore": store, "compute": target}
    return job


# --- promotion: dev's model -> the registry -> prod's online endpoint ------------------------------


def registry_model_id(registry: str, name: str, version: str) -> str:
    """How a deployment in any workspace names a model in a registry."""
    return f"azureml://registries/{registry}/models/{name}/versions/{version}"


@dataclass(frozen=True)
class Promotion:
    """The two steps of a promotion, as entities: submit ``copy`` to a registry client, then ``deployment`` to prod."""

    registry: str
    copy: WorkspaceModelReference
    deployment: ManagedOnlineDeployment
    endpoint: Mapping[str, Any]

    @property
    def model_id(self) -> str:
        return registry_model_id(self.registry, str(self.copy.name), str(self.copy.version))


def workspace_model_asset_id(bundle: Mapping[str, Any], name: str, version: str) -> str:
    """The id a registry imports a workspace's model by (azure-ai-ml's ``ASSET_ID_FORMAT``)."""
    return (
        f"azureml://locations/{bundle['location']}/workspaces/{bundle['workspace_id']}/models/{name}/versions/{version}"
    )


def _registry_of(dev_bundle: Mapping[str, Any], prod_bundle: Mapping[str, Any]) -> str:
    names = {key: bundle.get("registry_name") for key, bundle in (("dev", dev_bundle), ("prod", prod_bundle))}
    given = {value for value in names.values() if value}
    if not given:
        raise ValueError("neither bundle names a registry (registry_name): the stacks export none")
    if len(given) > 1:
        raise ValueError(f"the dev and prod bundles name different registries ({names['dev']}, {names['prod']})")
    return str(given.pop())


def pick_endpoint(bundle: Mapping[str, Any], endpoint: str | None = None) -> Mapping[str, Any]:
    """The bundle's online endpoint named ``endpoint``, or its only one."""
    endpoints: list[Mapping[str, Any]] = list(bundle.get("online_endpoints") or [])
    names = [str(entry["name"]) for entry in endpoints]
    if endpoint is not None:
        for entry in endpoints:
            if entry["name"] == endpoint:
                return entry
        raise ValueError(f"endpoint {endpoint!r} is not in the bundle (known: {', '.join(names) or 'none'})")
    if len(endpoints) != 1:
        raise ValueError(f"the bundle has {len(endpoints)} online endpoints ({', '.join(names) or 'none'}): choose one")
    return endpoints[0]


def default_deployment_name(name: str, version: str) -> str:
    """``<name>-<version>`` in lowercase letters, digits and hyphens, starting with a letter, at most 32."""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{name}-{version}".lower()).strip("-")
    if not slug[:1].isalpha():
        slug = f"m-{slug}"
    return slug[:32].rstrip("-")


def promote_model(
    dev_bundle: Mapping[str, Any],
    prod_bundle: Mapping[str, Any],
    *,
    name: str,
    version: str,
    registry_name: str | None = None,
    registry_version: str | None = None,
    endpoint: str | None = None,
    deployment_name: str | None = None,
    instance_type: str = DEFAULT_INSTANCE_TYPE,
    instance_count: int = 1,
) -> Promotion:
    """Dev's model ``name:version`` into the registry, then a deployment of the registry's copy to prod.

    The copy is what ``ml_client.models.share(...)`` submits (azure-ai-ml 1.35.2,
    ``ModelOperations.share``): a :class:`WorkspaceModelReference` to the dev model's asset id,
    ``azureml://locations/<location>/workspaces/<workspace GUID>/models/<name>/versions/<v>``. share
    reads the location and GUID with a workspace GET; here they come from the dev bundle
    (``location``, ``workspace_id``). The deployment names the copy by its registry id, which a
    workspace in any subscription can deploy from (Learn: "Machine Learning registries for MLOps").
    An MLflow model deploys without a scoring script or environment.
    """
    missing = [key for key in ("location", "workspace_id") if not dev_bundle.get(key)]
    if missing:
        raise ValueError(f"the dev bundle has no {' or '.join(missing)}: cannot name the dev model's asset id")
    registry = registry_name or _registry_of(dev_bundle, prod_bundle)
    target = pick_endpoint(prod_bundle, endpoint)
    if target["compute"] is not None:
        raise ValueError(
            f"endpoint {target['name']!r} runs on compute {target['compute']!r} (Kubernetes): "
            "this example deploys to managed online endpoints only"
        )
    destination_version = registry_version or version
    copy = WorkspaceModelReference(
        name=name,
        version=destination_version,
        asset_id=workspace_model_asset_id(dev_bundle, name, version),
    )
    deployment = ManagedOnlineDeployment(
        name=deployment_name or default_deployment_name(name, destination_version),
        endpoint_name=str(target["name"]),
        model=registry_model_id(registry, name, destination_version),
        instance_type=instance_type,
        instance_count=instance_count,
        tags={**_environment_tag(prod_bundle), "promoted_from": str(dev_bundle.get("workspace_name", "unknown"))},
    )
    return Promotion(registry=registry, copy=copy, deployment=deployment, endpoint=target)
