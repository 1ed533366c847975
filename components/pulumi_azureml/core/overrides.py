"""The escape hatch: raw provider arguments merged over what a component computes.

Every option model has an ``overrides`` mapping of keyword arguments for the SDK's typed
``...Args`` class. Names are checked against that class's signature, so a misspelt key is an
error naming the key instead of a silently ignored input.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


@cache
def sdk_parameters(args_cls: type) -> frozenset[str]:
    return frozenset(inspect.signature(args_cls).parameters)


def override_problem(args_cls: type, name: str) -> str | None:
    """Why ``name`` is not an override ``args_cls`` takes, or None when it is one."""
    allowed = sdk_parameters(args_cls)
    if name in allowed:
        return None
    close = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.75)
    hint = f" (did you mean {close[0]}?)" if close else ""
    module = args_cls.__module__.split(".")[1]
    return f"is not an argument of {module}.{args_cls.__name__}{hint}; overrides take its snake_case argument names"


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
