"""Provider inputs as plans and policy rules read them: the markers for values nobody may or can
see yet, and lookups in nested inputs. Shared by the plan engine and the policy rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SECRET = "[secret]"
"""A Pulumi secret's value."""
UNKNOWN = "[unknown]"
"""A value only Azure computes (known after apply)."""


def get_path(data: Mapping[str, Any], path: str) -> Any:
    """``a.b.c`` from nested mappings, or None."""
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value
