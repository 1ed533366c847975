"""Register a data asset and a model in the workspace a stack deployed, with azure-ai-ml.

Prerequisites:

1. The stack is deployed: ``pulumi up`` (README, "Deploying for real").
2. Its outputs are on disk: ``uv run pulumi-azureml connect --stack dev`` writes
   ``.azureml/config.json`` (what ``MLClient.from_config`` reads) and ``.azureml/bundle.json``
   (every output: datastore URIs, MLflow URI, ...).
3. You are signed in: ``az login`` (``DefaultAzureCredential`` also takes environment variables,
   workload identity or a managed identity). Registering needs AzureML Data Scientist (or
   Contributor) on the workspace; uploading the model needs Storage Blob Data Contributor on the
   workspace's default storage when it has shared-key access off (staging, prod).
   The prod workspace is private: run this from a network that reaches its private endpoint.
4. azure-ai-ml is installed: ``uv sync --extra azureml`` (or ``pip install "pulumi-azureml[azureml]"``).

Then::

    uv run python examples/register_assets.py --datastore curated --path churn/2024-06/ \\
        --model-path ./outputs/model

The data asset points at ``azureml://datastores/<datastore>/paths/<path>`` (nothing is copied);
the model's files are uploaded to the workspace's default datastore. Without ``--version`` Azure ML
gives each a new version (1, 2, ...).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Data, Model
from azure.core.credentials import TokenCredential
from azure.identity import DefaultAzureCredential

CONFIG_FILE = "config.json"
BUNDLE_FILE = "bundle.json"
# Azure ML always has this datastore, even when the bundle lists none.
SERVICE_DEFAULT_DATASTORE = "workspaceblobstore"


def load_bundle(config_dir: Path) -> dict[str, Any]:
    """The stack outputs ``pulumi-azureml connect`` wrote next to ``config.json``."""
    path = config_dir / BUNDLE_FILE
    try:
        bundle = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SystemExit(f"{path}: not found; run `pulumi-azureml connect --stack <stack>` first") from None
    if not isinstance(bundle, dict):
        raise SystemExit(f"{path}: expected a JSON object; run `pulumi-azureml connect` again")
    return bundle


def datastore_uri(bundle: Mapping[str, Any], datastore: str, path: str) -> str:
    """``azureml://datastores/<datastore>/paths/<path>``, from the bundle's entry for ``datastore``."""
    stores = {store["name"]: store for store in bundle.get("datastores", [])}
    if datastore in stores:
        base = str(stores[datastore]["uri"])
    elif datastore == SERVICE_DEFAULT_DATASTORE:
        base = f"azureml://datastores/{SERVICE_DEFAULT_DATASTORE}/paths/"
    else:
        known = ", ".join([*stores, SERVICE_DEFAULT_DATASTORE])
        raise ValueError(f"datastore {datastore!r} is not in the stack's bundle (known: {known})")
    # `--path /churn` means churn/ in the datastore; kept, the slash would make `paths//churn`.
    return base + path.lstrip("/")


def default_asset_name(datastore: str, path: str) -> str:
    """``<datastore>-<path>``, each run of characters asset names refuse (``/``, spaces...) one ``-``."""
    return "-".join(part for part in re.split(r"[^A-Za-z0-9_.]+", f"{datastore}/{path}") if part)


def build_data_asset(
    bundle: Mapping[str, Any], datastore: str, path: str, *, name: str | None = None, version: str | None = None
) -> Data:
    """A ``uri_folder`` data asset for ``path`` on ``datastore``; builds the entity only, no Azure call."""
    environment = str(bundle.get("environment", "unknown"))
    return Data(
        name=name or default_asset_name(datastore, path),
        version=version,
        path=datastore_uri(bundle, datastore, path),
        type=AssetTypes.URI_FOLDER,
        description=f"{path} on datastore {datastore} ({environment} environment)",
        tags={"datastore": datastore, "environment": environment},
    )


def build_model(path: Path, name: str, *, version: str | None = None) -> Model:
    """A custom model from a local file or folder; builds the entity only, no Azure call."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    return Model(name=name, version=version, path=path, type=AssetTypes.CUSTOM_MODEL)


def client_from_config(config_dir: Path, credential: TokenCredential | None = None) -> MLClient:
    """An ``MLClient`` for the workspace in ``config_dir/config.json``; makes no Azure call itself.

    Passes the file, not the directory: given a directory, ``from_config`` first searches
    ``.azureml/config.json`` in it and every parent, so ``--config-dir other`` would silently
    pick up the ``.azureml/`` of the current directory instead.
    """
    return MLClient.from_config(credential=credential or DefaultAzureCredential(), path=config_dir / CONFIG_FILE)


def check_same_workspace(ml_client: MLClient, bundle: Mapping[str, Any]) -> None:
    """Refuse a ``config.json`` and a bundle written for different workspaces (edited by hand)."""
    expected = (bundle.get("subscription_id"), bundle.get("resource_group_name"), bundle.get("workspace_name"))
    actual = (ml_client.subscription_id, ml_client.resource_group_name, ml_client.workspace_name)
    if actual != expected:
        raise SystemExit(f"config.json names {actual}, bundle.json names {expected}: run `pulumi-azureml connect`")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument(
        "--config-dir", type=Path, default=Path(".azureml"), help="where connect wrote its files (default: .azureml)"
    )
    parser.add_argument("--datastore", help="datastore name (default: the bundle's default_datastore)")
    parser.add_argument("--path", required=True, help="folder within the datastore, e.g. churn/2024-06/")
    parser.add_argument("--model-path", type=Path, required=True, help="local model file or folder to upload")
    parser.add_argument("--data-name", help="data asset name (default: <datastore>-<path>)")
    parser.add_argument("--model-name", help="model name (default: the model path's stem)")
    parser.add_argument("--version", help="version for both assets (default: the next one)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, build both entities (offline checks first), then register them."""
    args = _parser().parse_args(argv)
    bundle = load_bundle(args.config_dir)
    datastore = args.datastore or str(bundle.get("default_datastore", SERVICE_DEFAULT_DATASTORE))
    try:
        data = build_data_asset(bundle, datastore, args.path, name=args.data_name, version=args.version)
        model = build_model(args.model_path, args.model_name or args.model_path.stem, version=args.version)
    except (ValueError, FileNotFoundError) as error:
        print(error, file=sys.stderr)
        return 2
    ml_client = client_from_config(args.config_dir)
    check_same_workspace(ml_client, bundle)
    # The first calls that reach Azure: credentials and network access are needed from here on.
    registered_data = ml_client.data.create_or_update(data)
    print(f"data  {registered_data.name}:{registered_data.version} -> {registered_data.path}")
    registered_model = ml_client.models.create_or_update(model)
    print(f"model {registered_model.name}:{registered_model.version} -> {registered_model.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
