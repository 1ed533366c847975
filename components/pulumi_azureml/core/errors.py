"""Errors that end a program cleanly, with one line and no traceback."""

from __future__ import annotations

import pulumi

from .input_error import InputError

__all__ = ["MAX_VALUE_CHARS", "ConfigError", "InputError", "shown"]

MAX_VALUE_CHARS = 120
"""Values longer than this are cut in messages: an error line stays one readable line."""


def shown(value: object) -> str:
    """``repr(value)`` on one line, cut to :data:`MAX_VALUE_CHARS` characters."""
    if isinstance(value, pulumi.Output):
        return "<pulumi.Output>"
    text = repr(value)
    if len(text) > MAX_VALUE_CHARS:
        text = f"{text[: MAX_VALUE_CHARS - 1]}… ({len(text)} characters)"
    return text


class ConfigError(pulumi.RunError):
    """Bad input: names the key (in the caller's spelling), the value and the rule it breaks.

    Subclasses ``pulumi.RunError`` so that under a real ``pulumi up`` the engine prints the
    message without a stack trace; the offline plan exits with status 2.
    """

    def __init__(self, key: str, value: object, rule: str) -> None:
        self.key = key
        self.value = value
        self.rule = " ".join(rule.split())
        super().__init__(f"config error: {key}={shown(value)}: {self.rule}")
