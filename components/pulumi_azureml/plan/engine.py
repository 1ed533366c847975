"""Run a Pulumi program under mocks and record every resource it would register.

The program runs unchanged, in-process, the way the Pulumi language host runs it: its directory
first on ``sys.path``, config from the stack file, ``__main__`` as the module name. Pulumi keeps
its runtime state (root stack, settings, config) in context variables, so each plan runs in a
copy of the import-time context: several plans can run in one process without leaking state.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import runpy
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pulumi.runtime.settings as runtime_settings
import yaml
from google.protobuf import json_format
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.stack import wait_for_rpcs

from .mocks import AzureMocks
from .model import SECRET, UNKNOWN, Plan, PlannedOutput, PlannedResource

_SIG = "4dabf18193072939515e22adb298388d"
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
_RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
_OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
_UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
STACK_TYPE = "pulumi:pulumi:Stack"


class PlanError(Exception):
    """The project or stack files cannot be read: one line for the user, exit status 2."""


@dataclass(frozen=True)
class Project:
    name: str
    directory: Path
    main: Path
    """The program file (``__main__.py``)."""
    stack_config_dir: Path


def load_project(project_dir: Path) -> Project:
    """Read ``Pulumi.yaml``: project name, ``main`` and ``stackConfigDir``."""
    path = project_dir / "Pulumi.yaml"
    if not path.is_file():
        raise PlanError(f"{path}: no Pulumi.yaml here (use --cwd to point at a Pulumi project)")
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as err:
        raise PlanError(f"{path}: not valid YAML: {str(err).splitlines()[0]}") from None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise PlanError(f"{path}: needs a project name (name: ...)")
    main = project_dir / str(data.get("main") or ".")
    if main.is_dir():
        main = main / "__main__.py"
    if not main.is_file():
        raise PlanError(f"{path}: main {data.get('main')!r} has no program ({main} does not exist)")
    config_dir = project_dir / str(data.get("stackConfigDir") or ".")
    return Project(data["name"], project_dir, main, config_dir)


def _config_text(value: Any) -> str:
    # What the Pulumi CLI hands a program: strings as is, everything else as JSON text.
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _mask_secure(value: Any) -> tuple[Any, bool]:
    """Replace ``{secure: ...}`` values (which need the stack's key to decrypt) with a placeholder."""
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET, True
        pairs = {k: _mask_secure(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(s for _, s in pairs.values())
    if isinstance(value, list):
        items = [_mask_secure(v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False


def load_stack_config(project: Project, stack: str) -> tuple[dict[str, str], list[str]]:
    """Config and secret keys of ``Pulumi.<stack>.yaml``, fully namespaced, as the CLI passes them."""
    path = project.stack_config_dir / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        raise PlanError(f"{path}: no config file for stack {stack!r}")
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as err:
        raise PlanError(f"{path}: not valid YAML: {str(err).splitlines()[0]}") from None
    raw = data.get("config") or {}
    if not isinstance(raw, dict):
        raise PlanError(f"{path}: 'config' must be a mapping of keys to values")
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in raw.items():
        full = key if ":" in str(key) else f"{project.name}:{key}"
        masked, secret = _mask_secure(value)
        config[full] = _config_text(masked)
        if secret:
            secret_keys.append(full)
    return config, secret_keys


class _RecordingMonitor(MockMonitor):
    """The mock monitor, plus a record of each whole register request (parent, protect, deps, ...)."""

    def __init__(self, mocks: AzureMocks) -> None:
        super().__init__(mocks)
        self.records: list[PlannedResource] = []
        self._lock = threading.Lock()

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        options: dict[str, Any] = {}
        if request.deleteBeforeReplace:
            options["deleteBeforeReplace"] = True
        for key in ("replaceOnChanges", "ignoreChanges", "additionalSecretOutputs"):
            values = list(getattr(request, key))
            if values:
                options[key] = values
        aliases = [a for a in (json_format.MessageToDict(a) for a in request.aliases) if not _is_sdk_alias(a)]
        if aliases:
            options["aliases"] = aliases
        record = PlannedResource(
            urn=urn,
            type=request.type,
            name=request.name,
            parent=request.parent or None,
            custom=bool(request.custom),
            protect=bool(request.protect),
            inputs=_clean(json_format.MessageToDict(request.object)),
            dependencies=sorted(set(request.dependencies)),
            options=options,
        )
        with self._lock:
            self.records.append(record)
        return super().RegisterResource(request)  # type: ignore[no-untyped-call]


def _is_sdk_alias(alias: Mapping[str, Any]) -> bool:
    """The SDK aliases every azure-native type to its older API-version tokens: noise in a plan."""
    spec = alias.get("spec", {})
    return set(spec) <= {"type", "parentUrn"} and not spec.get("parentUrn") and "/v" in str(spec.get("type", ""))


def _clean(value: Any) -> Any:
    """Protobuf struct values -> plain JSON: secrets masked, unknowns marked, whole floats as ints."""
    if isinstance(value, dict):
        sig = value.get(_SIG)
        if sig == _SECRET_SIG:
            return SECRET
        if sig == _RESOURCE_SIG:
            return value.get("urn")
        if sig == _OUTPUT_SIG:
            if value.get("secret"):
                return SECRET
            return _clean(value["value"]) if "value" in value else UNKNOWN
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == _UNKNOWN_VALUE:
        return UNKNOWN
    return value


def _plain(value: Any) -> Any:
    """Resolved output values -> JSON-able values (resources become their URN)."""
    if isinstance(value, pulumi.Resource):
        return "<resource>"
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _contains_invented(value: Any, invented: set[str]) -> bool:
    if isinstance(value, str):
        return any(token in value for token in invented)
    if isinstance(value, Mapping):
        return any(_contains_invented(v, invented) for v in value.values())
    if isinstance(value, list):
        return any(_contains_invented(v, invented) for v in value)
    return False


class _WarningLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _program_path(directory: Path | None) -> Iterator[None]:
    saved = list(sys.path)
    if directory is not None:
        sys.path.insert(0, str(directory))
    try:
        yield
    finally:
        sys.path[:] = saved


def _run(
    program: Callable[[], object],
    *,
    project: str,
    stack: str,
    config: Mapping[str, str],
    secret_keys: list[str],
    subscription_id: str | None,
    tenant_id: str | None,
) -> Plan:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        # Fresh per-run runtime state (this runs inside a copied context).
        runtime_settings.ROOT.set(None)
        runtime_settings.SETTINGS.outputs = set()
        runtime_settings.SETTINGS.lock = threading.Lock()
        mocks = AzureMocks(subscription_id, tenant_id)
        monitor = _RecordingMonitor(mocks)
        warnings = _WarningLog()
        logger = logging.getLogger(f"pulumi_azureml.plan.{id(monitor)}")
        logger.propagate = False
        logger.addHandler(warnings)
        pulumi.runtime.set_all_config(dict(config), secret_keys)
        pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor, logger=logger)
        try:
            program()
        except BaseException:
            _drain(loop)
            raise
        loop.run_until_complete(wait_for_rpcs())
        root = runtime_settings.get_root_resource()
        exported: dict[str, Any] = dict(getattr(root, "outputs", {}) or {})
        outputs = loop.run_until_complete(_resolve_outputs(exported, mocks.invented))
        loop.run_until_complete(wait_for_rpcs())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    return Plan(
        project=project,
        stack=stack,
        resources=_ordered(monitor.records),
        outputs=outputs,
        subscription_id=mocks.subscription_id,
        tenant_id=mocks.tenant_id,
        warnings=warnings.messages,
    )


def _drain(loop: asyncio.AbstractEventLoop) -> None:
    """Finish or cancel what the program queued before it failed, so nothing is printed at exit."""
    with suppress(Exception):
        loop.run_until_complete(wait_for_rpcs())
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


async def _resolve_outputs(exported: Mapping[str, Any], invented: set[str]) -> dict[str, PlannedOutput]:
    resolved: dict[str, PlannedOutput] = {}
    for name, value in exported.items():
        output = pulumi.Output.from_input(value)
        plain = _plain(await output.future(with_unknowns=True))
        secret = await output.is_secret()
        known = await output.is_known()
        resolved[name] = PlannedOutput(
            value=plain if known else UNKNOWN,
            known_after_apply=(not known) or _contains_invented(plain, invented),
            secret=secret,
        )
    return resolved


def _ordered(records: list[PlannedResource]) -> list[PlannedResource]:
    """Parents before children, siblings by name: the same order on every run, whatever the threads did."""
    by_parent: dict[str | None, list[PlannedResource]] = {}
    urns = {r.urn for r in records}
    for record in records:
        parent = record.parent if record.parent in urns else None
        by_parent.setdefault(parent, []).append(record)
    ordered: list[PlannedResource] = []

    def visit(parent: str | None) -> None:
        for child in sorted(by_parent.get(parent, []), key=lambda r: (r.type != STACK_TYPE, r.name, r.type)):
            ordered.append(child)
            visit(child.urn)

    visit(None)
    return ordered


def run_program(
    program: Callable[[], object],
    *,
    project: str = "test",
    stack: str = "dev",
    config: Mapping[str, str] | None = None,
    secret_keys: list[str] | None = None,
    subscription_id: str | None = None,
    tenant_id: str | None = None,
) -> Plan:
    """Plan a program given as a Python callable (tests and library users).

    ``config`` keys are fully namespaced (``project:key``) strings, as the Pulumi CLI passes them.
    A ConfigError (or any ``pulumi.RunError``) the program raises propagates unchanged.
    """
    context = contextvars.copy_context()
    return context.run(
        _run,
        program,
        project=project,
        stack=stack,
        config=config or {},
        secret_keys=secret_keys or [],
        subscription_id=subscription_id,
        tenant_id=tenant_id,
    )


def run_plan(
    project_dir: Path,
    stack: str,
    *,
    subscription_id: str | None = None,
    tenant_id: str | None = None,
    config_overrides: Mapping[str, str] | None = None,
) -> Plan:
    """Plan the Pulumi project in ``project_dir`` for ``stack``, the way `pulumi up` would run it."""
    project = load_project(project_dir.resolve())
    config, secret_keys = load_stack_config(project, stack)
    for key, value in (config_overrides or {}).items():
        config[key if ":" in key else f"{project.name}:{key}"] = value

    def program() -> None:
        with _program_path(project.main.parent):
            runpy.run_path(str(project.main), run_name="__main__")

    return run_program(
        program,
        project=project.name,
        stack=stack,
        config=config,
        secret_keys=secret_keys,
        subscription_id=subscription_id,
        tenant_id=tenant_id,
    )
