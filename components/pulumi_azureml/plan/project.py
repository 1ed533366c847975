"""Read a Pulumi project the way the Pulumi CLI does: ``Pulumi.yaml`` and ``Pulumi.<stack>.yaml``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .model import SECRET


class PlanError(Exception):
    """The project or stack files cannot be read: one line for the user, exit status 2."""


@dataclass(frozen=True)
class Project:
    """What ``Pulumi.yaml`` says about where things are."""

    name: str
    directory: Path
    """The project directory (where ``Pulumi.yaml`` is): ``pulumi.get_root_directory()``."""
    main: Path
    """The program file (``__main__.py`` of the ``main`` directory, or the ``main`` file itself)."""
    working_directory: Path
    """Where the program runs: the ``main`` directory when ``main`` is one, else the project directory."""
    stack_config_dir: Path


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        raise PlanError(f"{path}: not valid YAML: {str(err).splitlines()[0]}") from None


def load_project(project_dir: Path) -> Project:
    """Read ``Pulumi.yaml`` in ``project_dir``: project ``name``, ``main`` and ``stackConfigDir``."""
    path = project_dir / "Pulumi.yaml"
    if not path.is_file():
        raise PlanError(f"{path}: no Pulumi.yaml here (use --cwd to point at a Pulumi project)")
    data = _read_yaml(path) or {}
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"]:
        raise PlanError(f"{path}: needs a project name (name: ...)")
    main_setting = data.get("main") or "."
    main = project_dir / str(main_setting)
    working_directory = project_dir
    if main.is_dir():
        # Like the CLI: a directory `main` is also where the program runs.
        working_directory = main
        main = main / "__main__.py"
    if not main.is_file():
        raise PlanError(f"{path}: main {main_setting!r} has no program ({main} does not exist)")
    config_dir = project_dir / str(data.get("stackConfigDir") or ".")
    return Project(data["name"], project_dir, main, working_directory, config_dir)


def config_text(value: Any) -> str:
    """A config value as the Pulumi CLI hands it to a program: strings as is, anything else as JSON
    (so ``Config.get_object``/``get_bool``/``get_int`` parse it)."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def _mask_secure(value: Any) -> tuple[Any, bool]:
    """Replace ``{secure: ...}`` values (they need the stack's key to decrypt) with a placeholder."""
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET, True
        masked = False
        out: dict[str, Any] = {}
        for key, item in value.items():
            out[key], secret = _mask_secure(item)
            masked = masked or secret
        return out, masked
    if isinstance(value, list):
        items: list[Any] = []
        masked = False
        for item in value:
            plain, secret = _mask_secure(item)
            items.append(plain)
            masked = masked or secret
        return items, masked
    return value, False


def namespaced(project: str, key: str) -> str:
    """``key`` with its namespace: keys without one belong to the project."""
    return key if ":" in key else f"{project}:{key}"


def stack_config_path(project: Project, stack: str) -> Path:
    return project.stack_config_dir / f"Pulumi.{stack}.yaml"


def load_stack_config(project: Project, stack: str) -> tuple[dict[str, str], list[str]]:
    """Config and secret keys of ``Pulumi.<stack>.yaml``, fully namespaced, as the CLI passes them.

    ``secure:`` values become the placeholder ``"[secret]"`` and their keys are secret keys.
    """
    path = stack_config_path(project, stack)
    if not path.is_file():
        raise PlanError(f"{path}: no config file for stack {stack!r}")
    data = _read_yaml(path) or {}
    if not isinstance(data, dict):
        raise PlanError(f"{path}: expected a mapping with a 'config' key")
    raw = data.get("config") or {}
    if not isinstance(raw, dict):
        raise PlanError(f"{path}: 'config' must be a mapping of keys to values")
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in raw.items():
        full = namespaced(project.name, str(key))
        masked, secret = _mask_secure(value)
        config[full] = config_text(masked)
        if secret:
            secret_keys.append(full)
    return config, secret_keys
