"""Reading JSON files the user points the commands at, with limits and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .input_error import InputError

MAX_BYTES = 64 * 1024 * 1024
"""JSON inputs over this size are refused (a saved plan of 300 resources is about 1 MB)."""


class JsonFileError(InputError):
    """A JSON input that cannot be read: one line naming it."""


def read_json(path: Path, label: str, expected: str) -> Any:
    """The JSON value in ``path``; ``label`` names it in errors, ``expected`` says what it should be."""
    try:
        if path.is_dir():
            raise JsonFileError(f"{label}: is a directory, not {expected}")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise JsonFileError(f"{label}: {size} bytes; JSON inputs over {MAX_BYTES} bytes are refused")
        data = path.read_bytes()
    except OSError as error:
        raise JsonFileError(f"{label}: cannot read: {error.strerror or type(error).__name__}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise JsonFileError(f"{label}: not UTF-8 (byte {error.start}), not {expected}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise JsonFileError(f"{label}: not JSON ({error.msg} at line {error.lineno} column {error.colno})") from None
    except (ValueError, RecursionError) as error:
        # A number of thousands of digits, or nesting deeper than the parser goes.
        problem = str(error).splitlines()[0][:100] if str(error) else "nested too deeply"
        raise JsonFileError(f"{label}: not {expected}: {problem}") from None
