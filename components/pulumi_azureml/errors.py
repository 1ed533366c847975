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
