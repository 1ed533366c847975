"""The escape hatch: raw provider arguments merged over what a component computes.

Every option TypedDict has an ``overrides`` mapping of keyword arguments for the SDK's typed
``...Args`` class. Names are checked against that class's signature up front, so a misspelt key
is an error naming the key instead of a silently ignored input.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

from .errors import ConfigError

T = TypeVar("T")


@cache
def _parameters(args_cls: type) -> frozenset[str]:
    return frozenset(inspect.signature(args_cls).parameters)


def check_overrides(key: str, args_cls: type, overrides: Mapping[str, Any] | None) -> None:
    """Raise ConfigError for an override that ``args_cls`` does not take."""
    allowed = _parameters(args_cls)
    for name in overrides or {}:
        if name not in allowed:
            raise ConfigError(
                f"{key}.{name}",
                overrides[name] if overrides else None,
                f"not an argument of {args_cls.__module__.split('.')[1]}.{args_cls.__name__} "
                f"(overrides take its snake_case argument names)",
            )


def build_args(args_cls: type[T], computed: Mapping[str, Any], overrides: Mapping[str, Any] | None) -> T:
    """Construct ``args_cls`` from the computed kwargs with ``overrides`` winning."""
    return args_cls(**{**computed, **(overrides or {})})


def as_resource_kwargs(args: object) -> dict[str, Any]:
    """Keyword arguments for a resource constructor from its typed ``...Args`` object.

    Resources whose Azure name argument is called ``resource_name`` (Application Insights,
    user-assigned identities) clash with the Pulumi resource name when given an Args object
    (``got multiple values for argument 'resource_name'``); their keyword form calls it
    ``resource_name_``. Building the typed Args first keeps the argument check.
    """
    kwargs = dict(vars(args))
    if "resource_name" in kwargs:
        kwargs["resource_name_"] = kwargs.pop("resource_name")
    return kwargs
