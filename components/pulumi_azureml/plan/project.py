"""Read a Pulumi project the way the Pulumi CLI does: ``Pulumi.yaml`` and ``Pulumi.<stack>.yaml``
(the YAML itself is read by :mod:`pulumi_azureml.core.stackfile`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.input_error import InputError
from ..core.stackfile import SecurePath, StackFileError, program_text, read_project_file, read_stack_config


class PlanError(InputError):
    """The project or stack files cannot be read, or an argument is bad: one line, exit status 2."""


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


def load_project(project_dir: Path) -> Project:
    """Read ``Pulumi.yaml`` in ``project_dir``: project ``name``, ``main`` and ``stackConfigDir``."""
    if not project_dir.is_dir():
        raise PlanError(f"{project_dir}: not a directory (use --cwd to point at a Pulumi project)")
    path = project_dir / "Pulumi.yaml"
    if not path.is_file():
        raise PlanError(f"{path}: no Pulumi.yaml here (use --cwd to point at a Pulumi project)")
    try:
        data = read_project_file(path)
    except StackFileError as err:
        raise PlanError(str(err)) from None
    main_setting = data.main or "."
    main = project_dir / main_setting
    working_directory = project_dir
    if main.is_dir():
        # Like the CLI: a directory `main` is also where the program runs.
        working_directory = main
        main = main / "__main__.py"
    if not main.is_file():
        raise PlanError(f"{path}: main {main_setting!r} has no program ({main} does not exist)")
    config_dir = project_dir / (data.stack_config_dir or ".")
    return Project(data.name, project_dir, main, working_directory, config_dir)


# Pulumi stack names: letters, digits, '-', '_', '.' (a name goes into the stack file's name).
STACK_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")


def check_stack_name(stack: str) -> str:
    if not STACK_NAME.fullmatch(stack) or stack in (".", ".."):
        raise PlanError(
            f"--stack {stack[:100]!r}: stack names are 1-100 letters, digits, '-', '_' and '.' (the config file is "
            "Pulumi.<stack>.yaml)"
        )
    return stack


def namespaced(project: str, key: str) -> str:
    """``key`` with its namespace: keys without one belong to the project."""
    return key if ":" in key else f"{project}:{key}"


def stack_config_path(project: Project, stack: str) -> Path:
    return project.stack_config_dir / f"Pulumi.{check_stack_name(stack)}.yaml"


@dataclass
class StackInputs:
    """A stack's config as the CLI hands it to the program, and where its secrets are."""

    config: dict[str, str] = field(default_factory=dict)
    """``namespace:name`` to the text the program receives (secure values as ``"[secret]"``)."""
    secret_keys: list[str] = field(default_factory=list)
    """Keys whose value is, or holds, a secret (``PULUMI_CONFIG_SECRET_KEYS``)."""
    secure_paths: dict[str, set[SecurePath]] = field(default_factory=dict)
    """Per key, where in its value the secure values are."""


def read_stack(project: Project, stack: str) -> StackInputs:
    """``Pulumi.<stack>.yaml`` as the CLI passes it to the program (see :mod:`pulumi_azureml.core.stackfile`)."""
    path = stack_config_path(project, stack)
    if not path.is_file():
        raise PlanError(f"{path}: no config file for stack {stack!r}")
    try:
        file = read_stack_config(path, project.name)
    except StackFileError as err:
        raise PlanError(str(err)) from None
    return StackInputs(
        config={key: program_text(value) for key, value in file.values.items()},
        secret_keys=sorted(file.secure),
        secure_paths=dict(file.secure),
    )


def load_stack_config(project: Project, stack: str) -> tuple[dict[str, str], list[str]]:
    """Config and secret keys of ``Pulumi.<stack>.yaml``, fully namespaced, as the CLI passes them.

    ``secure:`` values become the placeholder ``"[secret]"`` and their keys are secret keys.
    """
    inputs = read_stack(project, stack)
    return inputs.config, inputs.secret_keys
