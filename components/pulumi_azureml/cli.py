"""The ``pulumi-azureml`` command.

Exit status: 0 with the plan on stdout; 2 with one line on stderr for bad input (a missing
``Pulumi.yaml`` or stack file, or a config error the program raises); 1 with a traceback for
anything else, which is a bug.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from .plan import PlanError, find_run_error, render_json, render_tree, run_plan


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pulumi-azureml", description="Azure ML platforms with Pulumi: offline tools."
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
    plan.add_argument("--subscription-id", help="subscription id getClientConfig reports (default: a placeholder)")
    plan.add_argument("--tenant-id", help="tenant id getClientConfig reports (default: a placeholder)")
    plan.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a stack config value (KEY may omit the project namespace; JSON for objects); repeatable",
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


def _one_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (the console script exits with it)."""
    args = _parser().parse_args(argv)
    try:
        plan = run_plan(
            args.cwd,
            args.stack,
            subscription_id=args.subscription_id,
            tenant_id=args.tenant_id,
            config_overrides=_overrides(args.config),
        )
    except PlanError as error:
        print(_one_line(error), file=sys.stderr)
        return 2
    except Exception as error:
        # A config error (pulumi.RunError), however the runtime wrapped it, is bad input, not a bug:
        # one line, no traceback. Anything else is a bug: let Python print the traceback (exit 1).
        run_error = find_run_error(error)
        if run_error is None:
            raise
        print(_one_line(run_error), file=sys.stderr)
        return 2
    if isinstance(sys.stdout, io.TextIOWrapper):
        # The tree's box-drawing glyphs must not crash a terminal that cannot show them.
        sys.stdout.reconfigure(errors="replace")
    sys.stdout.write(render_json(plan) if args.format == "json" else render_tree(plan))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
