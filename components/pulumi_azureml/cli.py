"""The ``pulumi-azureml`` command: ``plan``, ``diff``, ``check`` and ``connect``.

Exit status: 0 with the result on stdout; 2 with one line on stderr for bad input (an argument, a
``Pulumi.yaml`` or stack file, a config error the program raises, an outputs file or saved plan,
a file that cannot be written; nothing is half-written); ``check`` exits 1 when a mandatory policy
rule is broken; any other failure prints a traceback (exit 1), which is a bug.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import connect
from .core.arm import is_guid
from .core.files import check_writable, write_together
from .core.input_error import InputError
from .core.jsonfile import read_json

STACK_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")


class ArgumentError(InputError):
    """A bad command-line argument: one line (argparse would print the usage too)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ArgumentError(f"{self.prog}: {message} (see {self.prog} --help)")


def _guid(flag: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not is_guid(value):
            raise argparse.ArgumentTypeError(f"{value[:100]!r} is not a GUID (the {flag} is one)")
        return value

    return check


def _stack_name(value: str) -> str:
    # The name becomes part of the config file's name: nothing that leaves the stacks directory.
    if not STACK_NAME.fullmatch(value) or value in (".", ".."):
        raise argparse.ArgumentTypeError(f"{value[:100]!r}: stack names are 1-100 letters, digits, '-', '_' and '.'")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
        "--stack",
        required=True,
        type=_stack_name,
        help="stack name; config comes from <stackConfigDir>/Pulumi.<stack>.yaml",
    )
    plan.add_argument(
        "--format",
        choices=("tree", "json", "markdown", "mermaid", "arm"),
        default="tree",
        help="tree (like pulumi preview), json (stable document), markdown (a PR comment), mermaid (the "
        "dependency graph), arm (an ARM deployment template of the resource group's resources, for Checkov, "
        "PSRule, Template Analyzer or az deployment group validate); default: tree",
    )
    plan.add_argument("--cwd", type=Path, default=Path("."), help="the Pulumi project directory (default: .)")
    plan.add_argument(
        "--subscription-id",
        type=_guid("subscription id"),
        help="subscription id getClientConfig reports (default: a placeholder)",
    )
    plan.add_argument(
        "--tenant-id", type=_guid("tenant id"), help="tenant id getClientConfig reports (default: a placeholder)"
    )
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
    diff_cmd.add_argument("--stack", required=True, type=_stack_name, help="the stack to plan (the new side)")
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
        "--stack", required=True, type=_stack_name, help="stack name; config from <stackConfigDir>/Pulumi.<stack>.yaml"
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
    connect_cmd.add_argument(
        "--stack", required=True, type=_stack_name, help="stack name (passed to `pulumi stack output --stack`)"
    )
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
    outputs: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        name, sep, file = pair.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+){0,2}", name) or not file:
            raise ArgumentError(f"--stack-outputs {pair[:100]!r}: expected STACK=FILE (STACK as org/project/stack)")
        data = read_json(Path(file), f"--stack-outputs {name}={file}", "`pulumi stack output --json`")
        if not isinstance(data, dict):
            raise ArgumentError(f"--stack-outputs {name}={file}: expected a JSON object of outputs")
        outputs[name] = data
    return outputs


def _overrides(pairs: Sequence[str]) -> dict[str, str]:
    overrides: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ArgumentError(f"--config {pair[:100]!r}: expected KEY=VALUE")
        overrides[key] = value
    return overrides


def _one_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (the console script exits with it).

    Bad input of any kind is one line on stderr and exit 2; anything else is a bug and keeps its
    traceback.
    """
    try:
        args = _parser().parse_args(argv)
        return {"connect": _connect, "diff": _diff, "check": _check}.get(args.command, _plan)(args)
    except InputError as error:
        print(_one_line(error), file=sys.stderr)
        return 2
    except Exception as error:
        # A config error (pulumi.RunError), however the runtime wrapped it, is bad input, not a bug.
        run_error = _run_error(error)
        if run_error is None:
            raise
        print(_one_line(run_error), file=sys.stderr)
        return 2


def _run_error(error: BaseException) -> BaseException | None:
    if "pulumi" not in sys.modules:
        return None  # connect never loads Pulumi: no RunError can have been raised
    from .plan import find_run_error

    return find_run_error(error)


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


def _diff(args: argparse.Namespace) -> int:
    from .plan.diff import diff, read_saved_plan, render_diff_json, render_diff_markdown, render_diff_text

    if args.against.endswith(".json"):
        before: Any = read_saved_plan(Path(args.against))
        after = _run_plan(args, args.stack)
    else:
        against = _stack_name_argument("--against", args.against)
        after = _run_plan(args, args.stack)
        before = _run_plan(args, against)
    changes = diff(before, after)
    if args.format == "markdown":
        sys.stdout.write(render_diff_markdown(changes, f"Plan diff: `{args.stack}` against `{args.against}`"))
    elif args.format == "json":
        sys.stdout.write(render_diff_json(changes))
    else:
        sys.stdout.write(render_diff_text(changes))
    return 0


def _stack_name_argument(flag: str, value: str) -> str:
    try:
        return _stack_name(value)
    except argparse.ArgumentTypeError as error:
        raise ArgumentError(f"{flag} {error} (or a plan saved as .json)") from None


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

    overrides = _overrides(args.config)
    if args.pack_config is not None:
        check_writable(args.pack_config)
    environment, levels = stack_policy(args.cwd, args.stack, overrides)
    plan = _run_plan(args, args.stack)
    report = evaluate(resources_of(plan), environment, levels, stack=args.stack)
    if args.pack_config is not None:
        text = json.dumps(pack_config(environment, levels), indent=2, sort_keys=True) + "\n"
        write_together({args.pack_config: text})
    renderers = {"text": render_text, "markdown": render_markdown, "json": render_json}
    sys.stdout.write(renderers[args.format](report))
    return report.exit_code


def _connect(args: argparse.Namespace) -> int:
    outputs = connect.read_outputs(args.stack, outputs_file=args.outputs, cwd=args.cwd)
    for path in connect.write_connection_files(outputs, args.out_dir):
        print(f"wrote {path}")
    return 0


def _plan(args: argparse.Namespace) -> int:
    # Imported here: the plan engine loads Pulumi's SDK (about a second), which connect does not need.
    from .plan import render_json, render_tree
    from .plan.arm import render_arm
    from .plan.render import render_markdown, render_mermaid

    plan = _run_plan(args, args.stack)
    if isinstance(sys.stdout, io.TextIOWrapper):
        # The tree's box-drawing glyphs must not crash a terminal that cannot show them.
        sys.stdout.reconfigure(errors="replace")
    renderers = {
        "json": render_json,
        "tree": render_tree,
        "markdown": render_markdown,
        "mermaid": render_mermaid,
        "arm": render_arm,
    }
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
