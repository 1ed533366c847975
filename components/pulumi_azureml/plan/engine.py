"""Run a Pulumi program under mocks and record every resource it would register.

The program runs unchanged, in-process, the way the Pulumi language host runs it: its directory
first on ``sys.path`` (and the working directory), config from the stack file, ``__main__`` as the
module name.

Pulumi keeps its runtime state (root stack, settings, config, secret keys) in context variables
and module globals. Each plan therefore runs in a copy of the caller's context with that state reset
(``reset_options``, fresh config, a new event loop), and afterwards puts back what the program changed
in the process (``sys.path``, the working directory, modules imported from the program's directory),
so several plans, of one or of different programs, can run one after another in one process.
Plans are not thread-safe: ``sys.path``, ``sys.modules`` and the working directory are process-wide.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import logging
import os
import runpy
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import pulumi
import pulumi.runtime.settings as runtime_settings
from pulumi.runtime.stack import wait_for_rpcs

from ..core.stackfile import SECURE_PATHS, StackFileError, config_key
from . import fastpath
from .mocks import AzureMocks
from .model import UNKNOWN, Plan, PlannedOutput
from .monitor import RecordingMonitor
from .project import PlanError, load_project, load_stack_config, read_stack

STACK_TYPE = "pulumi:pulumi:Stack"

_P = ParamSpec("_P")
_T = TypeVar("_T")


class _SerialExecutor(concurrent.futures.ThreadPoolExecutor):
    """Runs each RPC to completion before the event loop goes on.

    The SDK sends every RPC through the loop's default executor; with a pool of threads, concurrent
    registrations reach the monitor in a different order on every run. One at a time, they arrive in
    the order the program made them ready, the same on every run, so the plan can keep that order.
    The call still runs on a worker thread: the mock monitor pumps an event loop of its own, which
    it cannot do on a thread whose loop is running.
    """

    def __init__(self) -> None:
        super().__init__(max_workers=1, thread_name_prefix="pulumi-azureml-plan")

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> concurrent.futures.Future[_T]:
        future = super().submit(fn, *args, **kwargs)
        concurrent.futures.wait([future])
        return future


class _WarningLog(logging.Handler):
    """Collects what the program logs at warning level and above (``pulumi.log.warn``)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _imported_from(module: object, directory: Path) -> bool:
    """Whether ``module`` was found through ``directory`` on ``sys.path``: its file lies there and
    its top-level package is a direct entry of it (not, say, ``.venv/.../site-packages`` below it)."""
    file = getattr(module, "__file__", None)
    name = getattr(module, "__name__", None)
    if not file or not isinstance(name, str):
        return False
    try:
        relative = Path(file).resolve().relative_to(directory)
    except (OSError, ValueError):
        return False
    return relative.parts[0].split(".")[0] == name.split(".")[0]


@contextmanager
def _program_environment(program_dir: Path | None, working_dir: Path | None) -> Iterator[None]:
    """The program's directory first on ``sys.path`` and as the working directory, as under the CLI;
    afterwards ``sys.path`` and the working directory are restored, and the modules imported from the
    program's directory are forgotten, so a later plan of another program imports its own."""
    saved_path = list(sys.path)
    saved_cwd = os.getcwd()
    before = set(sys.modules)
    if program_dir is not None:
        sys.path.insert(0, str(program_dir))
    if working_dir is not None:
        os.chdir(working_dir)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        if program_dir is not None:
            resolved = program_dir.resolve()
            for name in set(sys.modules) - before:
                if _imported_from(sys.modules.get(name), resolved):
                    del sys.modules[name]


def find_run_error(error: BaseException) -> pulumi.RunError | None:
    """The ``pulumi.RunError`` (a :class:`~pulumi_azureml.errors.ConfigError`, say) behind ``error``.

    The runtime re-raises errors from inside outputs and RPCs wrapped in other exceptions; the
    original is in the chain of causes.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, pulumi.RunError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _drain(loop: asyncio.AbstractEventLoop) -> None:
    """Finish or cancel what the program queued before it failed, so nothing is printed at exit."""
    with suppress(Exception):
        loop.run_until_complete(wait_for_rpcs())
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


async def _plain(value: Any) -> Any:
    """A resolved output value as JSON-able data: resources become their URN, outputs their value."""
    if isinstance(value, pulumi.Resource):
        return await value.urn.future()
    if isinstance(value, pulumi.Output):
        return await _plain(await value.future(with_unknowns=True))
    if isinstance(value, Mapping):
        return {str(k): await _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [await _plain(v) for v in value]
    return value


def _contains_invented(value: Any, invented: set[str]) -> bool:
    """Whether any string in ``value`` contains something the mocks made up."""
    if isinstance(value, str):
        return any(token in value for token in invented)
    if isinstance(value, Mapping):
        return any(_contains_invented(v, invented) for v in value.values())
    if isinstance(value, list):
        return any(_contains_invented(v, invented) for v in value)
    return False


async def _resolve_outputs(exported: Mapping[str, Any], invented: set[str]) -> dict[str, PlannedOutput]:
    resolved: dict[str, PlannedOutput] = {}
    for name, value in exported.items():
        output = pulumi.Output.from_input(value)
        plain = await _plain(await output.future(with_unknowns=True))
        known = await output.is_known()
        resolved[name] = PlannedOutput(
            value=plain if known else UNKNOWN,
            known_after_apply=(not known) or _contains_invented(plain, invented),
            secret=await output.is_secret(),
        )
    return resolved


# The plan's garbage (the whole loop's, once it is closed) is collected once, at the end.
@fastpath.collector_paused()
def _run(
    program: Callable[[], object],
    *,
    project: str,
    stack: str,
    root_directory: Path | None,
    program_dir: Path | None,
    working_dir: Path | None,
    config: Mapping[str, str],
    secret_keys: list[str],
    subscription_id: str | None,
    tenant_id: str | None,
    stack_outputs: Mapping[str, Mapping[str, Any]],
) -> Plan:
    """One plan, in a context of its own (the caller copies it)."""
    loop = asyncio.new_event_loop()
    executor = _SerialExecutor()
    loop.set_default_executor(executor)
    asyncio.set_event_loop(loop)
    mocks = AzureMocks(subscription_id, tenant_id, stack_outputs)
    monitor = RecordingMonitor(mocks)
    warnings = _WarningLog()
    # The program's log messages (pulumi.log.*) are collected for the plan, not printed.
    logger = logging.getLogger("pulumi_azureml.plan.program")
    logger.propagate = False
    logger.addHandler(warnings)
    try:
        # Fresh runtime state: no root stack, new settings (RPC manager, output set, lock, root
        # directory), this stack's config and secret keys. set_mocks then installs the mocks and
        # creates this plan's root Stack resource.
        runtime_settings.reset_options(
            project=project, stack=stack, root_directory=str(root_directory or "."), preview=False
        )
        pulumi.runtime.set_all_config(dict(config), list(secret_keys))
        pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, logger=logger, monitor=monitor)
        # Skip the SDK's work for provider version aliases, which no plan shows.
        fastpath.install()
        # Outputs' callbacks run after the program returns: they see its environment too.
        with _program_environment(program_dir, working_dir):
            outputs = _execute(program, loop, mocks)
    finally:
        logger.removeHandler(warnings)
        asyncio.set_event_loop(None)
        loop.close()
        executor.shutdown(wait=True)
    return Plan(
        project=project,
        stack=stack,
        resources=list(monitor.records),
        outputs=outputs,
        subscription_id=mocks.subscription_id,
        tenant_id=mocks.tenant_id,
        warnings=warnings.messages,
        invented=frozenset(mocks.invented),
        origins=dict(mocks.origins),
    )


def _execute(
    program: Callable[[], object], loop: asyncio.AbstractEventLoop, mocks: AzureMocks
) -> dict[str, PlannedOutput]:
    """Run the program, wait for everything it started, and resolve the stack outputs."""
    try:
        program()
        loop.run_until_complete(wait_for_rpcs())
        root = runtime_settings.get_root_resource()
        exported: dict[str, Any] = dict(getattr(root, "outputs", None) or {})
        outputs = loop.run_until_complete(_resolve_outputs(exported, mocks.invented))
        loop.run_until_complete(wait_for_rpcs())
    except BaseException as error:
        _drain(loop)
        run_error = find_run_error(error)
        if run_error is not None and run_error is not error:
            raise run_error from error
        raise
    return outputs


def run_program(
    program: Callable[[], object],
    *,
    project: str = "test",
    stack: str = "dev",
    config: Mapping[str, str] | None = None,
    secret_keys: list[str] | None = None,
    subscription_id: str | None = None,
    tenant_id: str | None = None,
    stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
) -> Plan:
    """Plan a program given as a Python callable (component tests, library users).

    ``config`` keys are fully namespaced (``project:key``) strings, as the Pulumi CLI passes them;
    ``secret_keys`` are the keys whose values are secrets. A ``pulumi.RunError`` (such as
    :class:`~pulumi_azureml.errors.ConfigError`) the program raises is re-raised as itself, even when
    the runtime wrapped it; other exceptions propagate unchanged. ``stack_outputs`` answers the
    program's ``StackReference`` calls: outputs by fully qualified stack name (``org/project/stack``).
    """
    context = contextvars.copy_context()
    return context.run(
        _run,
        program,
        project=project,
        stack=stack,
        root_directory=None,
        program_dir=None,
        working_dir=None,
        config=config or {},
        secret_keys=secret_keys or [],
        subscription_id=subscription_id,
        tenant_id=tenant_id,
        stack_outputs=stack_outputs or {},
    )


def run_plan(
    project_dir: Path | str,
    stack: str,
    *,
    subscription_id: str | None = None,
    tenant_id: str | None = None,
    config_overrides: Mapping[str, str] | None = None,
    stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
) -> Plan:
    """Plan the Pulumi project in ``project_dir`` for ``stack``, the way `pulumi up` would run it.

    Reads ``Pulumi.yaml`` and ``<stackConfigDir>/Pulumi.<stack>.yaml``, runs the program under
    :class:`~pulumi_azureml.plan.mocks.AzureMocks` and returns every registration and the stack
    outputs. ``config_overrides`` replace stack config values (keys without a namespace belong to
    the project; values are the strings the CLI would pass, JSON for objects).
    ``subscription_id`` / ``tenant_id`` replace the placeholders ``getClientConfig`` reports.
    ``stack_outputs`` answers ``StackReference`` calls (see :func:`run_program`).

    Raises :class:`PlanError` when the project or stack file is missing or unreadable, and the
    ``pulumi.RunError`` (a ConfigError, say) the program raises for bad config.
    """
    project = load_project(Path(project_dir).resolve())
    inputs = read_stack(project, stack)
    config, secret_keys, secure = inputs.config, set(inputs.secret_keys), inputs.secure_paths
    for key, value in (config_overrides or {}).items():
        try:
            full = config_key(project.name, key, "--config")
        except StackFileError as err:
            raise PlanError(str(err)) from None
        config[full] = value
        # An override is a plain value the caller gave, no longer the secure placeholder.
        secret_keys.discard(full)
        secure.pop(full, None)

    def program() -> None:
        runpy.run_path(str(project.main), run_name="__main__")

    context = contextvars.copy_context()
    # The program's config loader learns from here which values in the file were secrets.
    context.run(SECURE_PATHS.set, secure)
    return context.run(
        _run,
        program,
        project=project.name,
        stack=stack,
        root_directory=project.directory,
        program_dir=project.main.parent,
        working_dir=project.working_directory,
        config=config,
        secret_keys=sorted(secret_keys),
        subscription_id=subscription_id,
        tenant_id=tenant_id,
        stack_outputs={**recorded_outputs(project.stack_config_dir), **(stack_outputs or {})},
    )


RECORDED_OUTPUTS_DIR = "outputs"
"""Next to the stack files: ``outputs/<organization>.<project>.<stack>.json``, the recorded outputs of a
stack this project references (``pulumi stack output --json``), answered offline; ``--stack-outputs``
takes precedence."""


def recorded_outputs(stack_config_dir: Path) -> dict[str, Mapping[str, Any]]:
    """The recorded outputs of referenced stacks, by fully qualified name (``acme/azureml-platform/shared``)."""
    from ..core.jsonfile import read_json

    directory = stack_config_dir / RECORDED_OUTPUTS_DIR
    if not directory.is_dir():
        return {}
    found: dict[str, Mapping[str, Any]] = {}
    for path in sorted(directory.glob("*.*.*.json")):
        name = "/".join(path.name.removesuffix(".json").split(".", 2))
        data = read_json(path, str(path), "a stack's outputs (`pulumi stack output --json`)")
        if not isinstance(data, dict):
            raise PlanError(f"{path}: expected a JSON object of outputs")
        found[name] = data
    return found


__all__ = ["PlanError", "find_run_error", "load_project", "load_stack_config", "run_plan", "run_program"]
