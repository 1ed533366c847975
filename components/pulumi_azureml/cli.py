"""The ``pulumi-azureml`` command: ``plan``, ``diff``, ``check`` and ``connect``.

Exit status: 0 with the result on stdout; 2 with one line on stderr for bad input (a missing
``Pulumi.yaml`` or stack file, or a config error the program raises; a missing or malformed
outputs file, or no Pulumi CLI for ``connect``); ``check`` exits 1 when a mandatory policy rule is
broken; any other failure prints a traceback (exit 1), which is a bug.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import connect


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pulumi-azureml",
        description="Azure ML platforms with Pulumi: the offline plan and the hand-off to azure-ai-ml.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    _plan_parser(commands)
    _diff_parser(commands)
    _check_parser(commands)
    _connect_parser(commands)
    return parser


Commands = Any  # argparse's _SubParsersAction, which typeshed keeps private


def _plan_parser(commands: Commands) -> None:
    plan = commands.add_parser(
        "plan",
        help="show what `pulumi up` would create, without credentials or the Pulumi CLI",
        description="Run the project's Pulumi program under mocks and show every resource it would register.",
    )
    plan.add_argument(
        "--stack", required=True, help="stack name; config comes from <stackConfigDir>/Pulumi.<stack>.yaml"
    )
    plan.add_argument(
        "--format",
        choices=("tree", "json", "markdown", "mermaid"),
        default="tree",
        help="tree (like pulumi preview), json (stable document), markdown (a PR comment), mermaid (the "
        "dependency graph); default: tree",
    )
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
    _stack_outputs_argument(plan)


def _diff_parser(commands: Commands) -> None:
    diff_cmd = commands.add_parser(
        "diff",
        help="compare a stack's plan with another stack's or with a saved plan.json",
        description="Resources added, removed and changed, property by property; changes that make Azure or "
        "the provider replace a resource are flagged, stateful ones as data-loss risks. Secrets stay masked.",
    )
    diff_cmd.add_argument("--stack", required=True, help="the stack to plan (the new side)")
    diff_cmd.add_argument(
        "--against", required=True, help="another stack name, or a plan.json saved with `plan --format json`"
    )
    diff_cmd.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    diff_cmd.add_argument("--cwd", type=Path, default=Path("."), help="the Pulumi project directory (default: .)")
    _stack_outputs_argument(diff_cmd)


def _check_parser(commands: Commands) -> None:
    check_cmd = commands.add_parser(
        "check",
        help="run the policy rules over a stack's offline plan; exit 1 on a mandatory violation",
        description="The rules of the CrossGuard pack in policies/ (the same functions), over the offline plan: "
        "one line per broken rule with its level in the stack's environment (advisory in dev, mandatory in "
        "staging and prod unless the rule says otherwise; <project>:policy in stack config changes a rule's "
        "level with a reason).",
    )
    check_cmd.add_argument(
        "--stack", required=True, help="stack name; config from <stackConfigDir>/Pulumi.<stack>.yaml"
    )
    check_cmd.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    check_cmd.add_argument("--cwd", type=Path, default=Path("."), help="the Pulumi project directory (default: .)")
    check_cmd.add_argument(
        "--config", action="append", default=[], metavar="KEY=VALUE", help="override a stack config value; repeatable"
    )
    _stack_outputs_argument(check_cmd)
    check_cmd.add_argument(
        "--pack-config",
        type=Path,
        metavar="FILE",
        help="also write the stack's rule levels as a --policy-pack-config file for `pulumi preview --policy-pack "
        "policies`, so the CrossGuard pack enforces what check enforces",
    )


def _connect_parser(commands: Commands) -> None:
    connect_cmd = commands.add_parser(
        "connect",
        help="write the stack outputs where azure-ai-ml's MLClient.from_config() finds them",
        description=(
            "Read the stack outputs (`pulumi stack output --json --show-secrets`, or --outputs FILE) and write "
            f"DIR/{connect.CONFIG_FILE} (subscription_id, resource_group, workspace_name: what "
            f"MLClient.from_config() reads) and DIR/{connect.BUNDLE_FILE} (every output, sorted keys). "
            "The outputs include secret values in clear text, so both files are written with mode 0600; "
            f"keep {connect.DEFAULT_OUT_DIR}/ out of version control."
        ),
    )
    connect_cmd.add_argument("--stack", required=True, help="stack name (passed to `pulumi stack output --stack`)")
    connect_cmd.add_argument(
        "--out-dir",
        type=Path,
        default=connect.DEFAULT_OUT_DIR,
        metavar="DIR",
        help=f"where to write the files, created if needed (default: {connect.DEFAULT_OUT_DIR}, which "
        "MLClient.from_config() finds from this directory and those below it; elsewhere, pass it "
        "path=DIR/config.json)",
    )
    connect_cmd.add_argument(
        "--outputs",
        type=Path,
        metavar="FILE",
        help="read the outputs from FILE (what `pulumi stack output --json --show-secrets --stack NAME` printed) "
        "instead of running the Pulumi CLI",
    )
    connect_cmd.add_argument(
        "--cwd",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the Pulumi project directory the Pulumi CLI runs in (default: .)",
    )


def _stack_outputs_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--stack-outputs",
        action="append",
        default=[],
        metavar="STACK=FILE",
        help="answer the program's StackReference to STACK (org/project/stack, as the program names it) with the "
        "outputs in FILE (what `pulumi stack output --json --stack STACK` prints); repeatable",
    )


def _stack_outputs(pairs: Sequence[str]) -> dict[str, dict[str, Any]]:
    from .plan import PlanError

    outputs: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        name, sep, file = pair.partition("=")
        if not sep or not name or not file:
            raise PlanError(f"--stack-outputs {pair!r}: expected STACK=FILE")
        try:
            data = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
            raise PlanError(f"--stack-outputs {name}={file}: cannot read the outputs: {_one_line(error)}") from None
        if not isinstance(data, dict):
            raise PlanError(
                f"--stack-outputs {name}={file}: expected a JSON object of outputs (`pulumi stack output --json`)"
            )
        outputs[name] = data
    return outputs


def _overrides(pairs: Sequence[str]) -> dict[str, str]:
    from .plan import PlanError

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
    if args.command == "connect":
        return _connect(args)
    if args.command == "diff":
        return _diff(args)
    if args.command == "check":
        return _check(args)
    return _plan(args)


def _run_plan(args: argparse.Namespace, stack: str) -> Any:
    from .plan import run_plan

    return run_plan(
        args.cwd,
        stack,
        subscription_id=getattr(args, "subscription_id", None),
        tenant_id=getattr(args, "tenant_id", None),
        config_overrides=_overrides(getattr(args, "config", [])),
        stack_outputs=_stack_outputs(getattr(args, "stack_outputs", [])),
    )


def _bad_input(error: Exception) -> int:
    """Print bad input as one line (exit 2); re-raise anything else, a bug, with its traceback."""
    from .plan import PlanError, find_run_error

    if isinstance(error, PlanError):
        print(_one_line(error), file=sys.stderr)
        return 2
    run_error = find_run_error(error)
    if run_error is None:
        raise error
    print(_one_line(run_error), file=sys.stderr)
    return 2


def _diff(args: argparse.Namespace) -> int:
    from .plan.diff import diff, render_diff_json, render_diff_markdown, render_diff_text

    against = Path(args.against)
    try:
        after = _run_plan(args, args.stack)
        if against.suffix == ".json":
            try:
                before: Any = json.loads(against.read_text())
            except (OSError, json.JSONDecodeError) as error:
                print(f"{against}: cannot read a saved plan: {_one_line(error)}", file=sys.stderr)
                return 2
        else:
            before = _run_plan(args, args.against)
    except Exception as error:
        return _bad_input(error)
    changes = diff(before, after)
    if args.format == "markdown":
        sys.stdout.write(render_diff_markdown(changes, f"Plan diff: `{args.stack}` against `{args.against}`"))
    elif args.format == "json":
        sys.stdout.write(render_diff_json(changes))
    else:
        sys.stdout.write(render_diff_text(changes))
    return 0


def _check(args: argparse.Namespace) -> int:
    from .policy.check import (
        evaluate,
        pack_config,
        render_json,
        render_markdown,
        render_text,
        resources_of,
        stack_policy,
    )

    try:
        overrides = _overrides(args.config)
        environment, levels = stack_policy(args.cwd, args.stack, overrides)
        plan = _run_plan(args, args.stack)
    except Exception as error:
        return _bad_input(error)
    report = evaluate(resources_of(plan), environment, levels, stack=args.stack)
    if args.pack_config is not None:
        args.pack_config.write_text(json.dumps(pack_config(environment, levels), indent=2, sort_keys=True) + "\n")
    renderers = {"text": render_text, "markdown": render_markdown, "json": render_json}
    sys.stdout.write(renderers[args.format](report))
    return report.exit_code


def _connect(args: argparse.Namespace) -> int:
    try:
        outputs = connect.read_outputs(args.stack, outputs_file=args.outputs, cwd=args.cwd)
        written = connect.write_connection_files(outputs, args.out_dir)
    except connect.ConnectError as error:
        print(_one_line(error), file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


def _plan(args: argparse.Namespace) -> int:
    # Imported here: the plan engine loads Pulumi's SDK (about a second), which connect does not need.
    from .plan import PlanError, find_run_error, render_json, render_tree

    try:
        plan = _run_plan(args, args.stack)
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
    from .plan.render import render_markdown, render_mermaid

    renderers = {"json": render_json, "tree": render_tree, "markdown": render_markdown, "mermaid": render_mermaid}
    sys.stdout.write(renderers[args.format](plan))
    sys.stdout.flush()
    return 0


def run() -> None:
    """The console script: ``main`` and exit with its status."""
    code = main()
    # The process ends here: moving the plan's objects (about 100k, kept for the whole plan) out of
    # the collector's reach spares the interpreter's exit a last full collection, about 0.4 s.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
