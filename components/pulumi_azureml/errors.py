"""Errors that end a program cleanly, with one line and no traceback."""

from __future__ import annotations

import pulumi


class ConfigError(pulumi.RunError):
    """Bad input: names the key, the value and the rule it breaks.

    Subclasses ``pulumi.RunError`` so that under a real ``pulumi up`` the engine prints the
    message without a stack trace; the offline plan exits with status 2.
    """

    def __init__(self, key: str, value: object, rule: str) -> None:
        self.key = key
        self.value = value
        self.rule = rule
        super().__init__(f"config error: {key}={value!r}: {rule}")


def check_whole_number(key: str, value: object, low: int, high: int | None = None, *, unit: str = "") -> int:
    """``value`` as an int within ``low``..``high`` (bools are not numbers here), else a ConfigError."""
    if not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high):
        noun = f"a whole number of {unit}" if unit else "a whole number"
        bound = f"from {low} to {high}" if high is not None else f"of at least {low}"
        raise ConfigError(key, value, f"must be {noun} {bound}")
    return value
