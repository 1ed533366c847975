"""Promote a dev model: copy it into the stacks' registry, then deploy it from there to prod's endpoint.

Prerequisites: both stacks connected, each into its own directory, e.g.::

    uv run pulumi-azureml connect --stack dev                          # .azureml/
    uv run pulumi-azureml connect --stack prod --out-dir .azureml/prod

and, signed in (``az login``), rights to read the dev model, write to the registry and create
deployments in the prod workspace. Then::

    uv run python examples/promote_model.py --name churn --version 3 --prod-config-dir .azureml/prod

The copy is skipped when the registry already has ``name:version``. The deployment gets no
traffic: shift traffic to it once it answers (the endpoint's traffic is the stack's if the
Pulumi program sets it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from azure.ai.ml import MLClient
from azure.core.credentials import TokenCredential
from azure.core.exceptions import ResourceNotFoundError
from azure.identity import DefaultAzureCredential

import handoff
from register_assets import check_same_workspace, client_from_config, load_bundle


def registry_client(bundles: Sequence[Mapping[str, Any]], registry: str, credential: TokenCredential) -> MLClient:
    """An ``MLClient`` for ``registry``; construction calls Azure (registry discovery finds its region)."""
    # azure-ai-ml replaces the subscription and group with what discovery returns (MLClient.__init__);
    # they are passed as the bundle has them.
    scope = next((bundle for bundle in bundles if bundle.get("registry_name") == registry), {})
    return MLClient(
        credential=credential,
        subscription_id=scope.get("registry_subscription_id"),
        resource_group_name=scope.get("registry_resource_group_name"),
        registry_name=registry,
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else None)
    parser.add_argument(
        "--dev-config-dir", type=Path, default=Path(".azureml"), help="connect's files for dev (default: .azureml)"
    )
    parser.add_argument("--prod-config-dir", type=Path, required=True, help="connect's files for prod")
    parser.add_argument("--name", required=True, help="the dev model's name")
    parser.add_argument("--version", required=True, help="the dev model's version")
    parser.add_argument("--registry-version", help="version in the registry (default: the dev version)")
    parser.add_argument("--endpoint", help="prod online endpoint (default: the prod stack's only one)")
    parser.add_argument("--deployment", help="deployment name (default: <name>-<version>)")
    parser.add_argument("--instance-type", default=handoff.DEFAULT_INSTANCE_TYPE, help="VM size of the deployment")
    parser.add_argument("--instance-count", type=int, default=1, help="instances of the deployment (default: 1)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Build both steps (offline checks first), then copy into the registry and deploy to prod."""
    args = _parser().parse_args(argv)
    dev_bundle = load_bundle(args.dev_config_dir)
    prod_bundle = load_bundle(args.prod_config_dir)
    try:
        promotion = handoff.promote_model(
            dev_bundle,
            prod_bundle,
            name=args.name,
            version=args.version,
            registry_version=args.registry_version,
            endpoint=args.endpoint,
            deployment_name=args.deployment,
            instance_type=args.instance_type,
            instance_count=args.instance_count,
        )
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    credential = DefaultAzureCredential()
    prod_client = client_from_config(args.prod_config_dir, credential)
    check_same_workspace(prod_client, prod_bundle)
    # The first calls that reach Azure.
    registry = registry_client((prod_bundle, dev_bundle), promotion.registry, credential)
    copy = promotion.copy
    try:
        registry.models.get(name=str(copy.name), version=str(copy.version))
        print(f"registry    {promotion.model_id} exists: not copied again")
    except ResourceNotFoundError:
        registry.models.create_or_update(copy)
        print(f"registry    {copy.asset_id} -> {promotion.model_id}")
    deployment = prod_client.online_deployments.begin_create_or_update(promotion.deployment).result()
    endpoint = promotion.endpoint
    print(f"deployment  {deployment.name} on {endpoint['name']} ({endpoint['scoring_uri']}, {endpoint['auth_mode']})")
    print(
        f"no traffic yet: az ml online-endpoint update --name {endpoint['name']} --traffic '{deployment.name}=100' "
        f"-g {prod_bundle['resource_group_name']} -w {prod_bundle['workspace_name']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
