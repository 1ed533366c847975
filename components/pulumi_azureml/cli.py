"""The ``pulumi-azureml`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pulumi

from .plan import PlanError, render_json, render_tree, run_plan


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pulumi-azureml", description="Azure ML platforms with Pulumi, offline tools."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    plan = commands.add_parser(
        "plan",
        help="show what `pulumi up` would create, without credentials or the Pulumi CLI",
        description="Run the project's Pulumi program under mocks and show every resource it would register.",
    )
    plan.add_argument(
        "--stack", required=True, help="stack name; config comes from <stackConfigDir>/Pulumi.<stack>.yaml"
    )
    plan.add_argument("--format", choices=("tree", "json"), default="tree", help="output format (default: tree)")
    plan.add_argument("--cwd", type=Path, default=Path("."), help="the Pulumi project directory (default: .)")
    plan.add_argument("--subscription-id", help="subscription id the mocks report (default: a placeholder)")
    plan.add_argument("--tenant-id", help="tenant id the mocks report (default: a placeholder)")
    plan.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a config value (KEY may omit the project namespace); repeatable",
    )
    return parser


def _overrides(pairs: Sequence[str]) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise PlanError(f"--config {pair!r}: expected KEY=VALUE")
        overrides[key] = value
    return overrides


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        plan = run_plan(
            args.cwd,
            args.stack,
            subscription_id=args.subscription_id,
            tenant_id=args.tenant_id,
            config_overrides=_overrides(args.config),
        )
    except (PlanError, pulumi.RunError) as err:
        # Bad input, not a bug: one line, no traceback.
        print(str(err).splitlines()[0] if str(err) else type(err).__name__, file=sys.stderr)
        return 2
    sys.stdout.write(render_json(plan) if args.format == "json" else render_tree(plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
