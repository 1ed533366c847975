"""Register the training environment and component, run the training pipeline, register its model.

Prerequisites as for register_assets.py (``pulumi-azureml connect --stack dev``, ``az login``,
azure-ai-ml installed); the training data is a folder of CSV files on one of the stack's datastores.
Then::

    uv run python examples/submit_pipeline.py --data-path churn/2024-06/ --model-name churn

It registers the environment (examples/assets/conda.yaml on an Azure ML base image) and the
command component (examples/assets/src/train.py), submits a pipeline of that component on the
stack's compute cluster, waits for it, and registers the MLflow model it wrote to the datastore
(``--no-wait``: submit only). Every entity is built before the first Azure call, so bad
arguments stop here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from azure.ai.ml.entities import Component, PipelineJob

import handoff
from register_assets import SERVICE_DEFAULT_DATASTORE, check_same_workspace, client_from_config, load_bundle


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument(
        "--config-dir", type=Path, default=Path(".azureml"), help="where connect wrote its files (default: .azureml)"
    )
    parser.add_argument("--datastore", help="datastore of the data and the model (default: the bundle's default)")
    parser.add_argument("--data-path", required=True, help="folder of CSV files within the datastore")
    parser.add_argument("--model-path", help="folder the model is written to (default: models/<name>/<UTC time>/)")
    parser.add_argument("--compute", help="compute to run on (default: the stack's only cluster)")
    parser.add_argument("--model-name", default="churn", help="name to register the model under (default: churn)")
    parser.add_argument("--experiment", default="churn-train", help="experiment name (default: churn-train)")
    parser.add_argument("--no-wait", action="store_true", help="submit the pipeline and return")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Build every entity (offline checks first), then register, submit, wait and register the model."""
    args = _parser().parse_args(argv)
    bundle = load_bundle(args.config_dir)
    datastore = args.datastore or str(bundle.get("default_datastore") or SERVICE_DEFAULT_DATASTORE)
    model_path = args.model_path or f"models/{args.model_name}/{datetime.now(UTC):%Y%m%dT%H%M%SZ}/"

    def pipeline(component: Component) -> PipelineJob:
        return handoff.build_pipeline_job(
            bundle,
            component,
            data_path=args.data_path,
            model_path=model_path,
            datastore=datastore,
            compute=args.compute,
            experiment_name=args.experiment,
        )

    try:
        environment = handoff.build_environment(bundle)
        pipeline(handoff.build_command_component(bundle, environment))  # checked now, submitted below
        model = handoff.build_model(bundle, args.model_name, datastore=datastore, path=model_path)
    except (ValueError, FileNotFoundError) as error:
        print(error, file=sys.stderr)
        return 2
    ml_client = client_from_config(args.config_dir)
    check_same_workspace(ml_client, bundle)
    # The first calls that reach Azure.
    registered_env = ml_client.environments.create_or_update(environment)
    print(f"environment {registered_env.name}:{registered_env.version}")
    component = handoff.build_command_component(bundle, f"azureml:{registered_env.name}:{registered_env.version}")
    registered_component = ml_client.components.create_or_update(component)
    print(f"component   {registered_component.name}:{registered_component.version}")
    submitted = ml_client.jobs.create_or_update(pipeline(registered_component), experiment_name=args.experiment)
    print(f"pipeline    {submitted.name} -> {submitted.studio_url}")
    if args.no_wait:
        print(f"the model will be at {model.path}; register it when the job is done")
        return 0
    ml_client.jobs.stream(str(submitted.name))  # raises if the job fails
    registered_model = ml_client.models.create_or_update(model)
    print(f"model       {registered_model.name}:{registered_model.version} -> {registered_model.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
