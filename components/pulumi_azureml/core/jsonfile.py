"""Reading JSON files the user points the commands at, with limits and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .files import read_regular
from .input_error import InputError

MAX_BYTES = 64 * 1024 * 1024
"""JSON inputs over this size are refused (a saved plan of 300 resources is about 1 MB)."""


class JsonFileError(InputError):
    """A JSON input that cannot be read: one line naming it."""


def _no_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (RFC 8259); Python accepts them, Pulumi never writes them.
    raise ValueError(f"{name} is not a JSON number")


def read_json(path: Path, label: str, expected: str) -> Any:
    """The JSON value in ``path``; ``label`` names it in errors, ``expected`` says what it should be."""
    try:
        data = read_regular(path, MAX_BYTES)
    except ValueError as error:
        what = "is a directory" if str(error) == "is a directory" else str(error)
        raise JsonFileError(f"{label}: {what}, not {expected}") from None
    except OSError as error:
        raise JsonFileError(f"{label}: cannot read: {error.strerror or type(error).__name__}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JsonFileError(f"{label}: not UTF-8 (byte {error.start}), not {expected}") from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise JsonFileError(f"{label}: not JSON ({error.msg} at line {error.lineno} column {error.colno})") from None
    except (ValueError, RecursionError) as error:
        # A number of thousands of digits, or nesting deeper than the parser goes.
        problem = str(error).splitlines()[0][:100] if str(error) else "nested too deeply"
        raise JsonFileError(f"{label}: not {expected}: {problem}") from None
