"""The escape hatch: raw provider arguments merged over what a component computes.

Every option model has an ``overrides`` mapping of keyword arguments for the SDK's typed
``...Args`` class. Names are checked against that class's signature and values against its own
annotations (nested ``...Args`` given as mappings included), so a misspelt key or a list where the
SDK wants a mapping is an error naming the key, before anything is registered, instead of a
silently ignored input or an assertion deep in the SDK.
"""

from __future__ import annotations

import collections.abc
import difflib
import enum
import inspect
import sys
import types
import typing
from collections.abc import Mapping, Sequence
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


Problem = tuple[tuple[str | int, ...], Any, str]
"""Where a value breaks the SDK's type (a path inside it), the offending value, and the rule."""


@cache
def sdk_types(args_cls: type) -> dict[str, Any]:
    """The SDK's own annotations of ``args_cls``'s keyword arguments, resolved."""
    import pulumi

    module = sys.modules[args_cls.__module__]
    namespace = {**vars(module), "Output": pulumi.Output, "T": TypeVar("T")}
    try:
        return typing.get_type_hints(vars(args_cls)["__init__"], globalns=namespace)
    except (NameError, TypeError, KeyError):
        return {}


def _is_args_class(annotation: Any) -> bool:
    return isinstance(annotation, type) and annotation.__name__.endswith("Args") and hasattr(annotation, "__init__")


def _describe(annotation: Any) -> str:
    if annotation is str:
        return "a string"
    if annotation is bool:
        return "true or false"
    if annotation in (int, float):
        return "a number"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "one of " + ", ".join(str(m.value) for m in annotation)
    origin = typing.get_origin(annotation)
    if origin in (Mapping, dict, collections.abc.Mapping):
        return "a mapping"
    if origin in (Sequence, list, collections.abc.Sequence):
        return "a list"
    if _is_args_class(annotation):
        return f"{annotation.__name__} (or a mapping of its arguments)"
    return "a value of the SDK's type"


def value_problem(annotation: Any, value: Any) -> Problem | None:
    """Where ``value`` breaks the SDK's ``annotation`` (a path inside it) and the rule, or None."""
    import pulumi

    if value is None or isinstance(value, pulumi.Output) or inspect.isawaitable(value):
        return None
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        members = [
            a
            for a in typing.get_args(annotation)
            if a is not type(None) and typing.get_origin(a) not in (pulumi.Output, collections.abc.Awaitable)
        ]
        problems = [value_problem(member, value) for member in members]
        if not members or any(p is None for p in problems):
            return None
        deepest = max((p for p in problems if p is not None), key=lambda p: len(p[0]))
        if deepest[0]:
            return deepest
        return (), value, "must be " + " or ".join(dict.fromkeys(_describe(m) for m in members))
    return _single_problem(annotation, value)


def _single_problem(annotation: Any, value: Any) -> Problem | None:
    origin = typing.get_origin(annotation)
    if annotation is bool:
        return None if isinstance(value, bool) else ((), value, "must be true or false")
    if annotation in (int, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else ((), value, "must be a number")
    if annotation is str:
        return None if isinstance(value, str) else ((), value, "must be a string")
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        allowed = {str(m.value).lower() for m in annotation}
        ok = isinstance(value, annotation) or (isinstance(value, str) and value.lower() in allowed)
        return None if ok else ((), value, f"must be {_describe(annotation)}")
    if origin in (Mapping, dict, collections.abc.Mapping):
        if not isinstance(value, Mapping):
            return (), value, "must be a mapping"
        item = typing.get_args(annotation)[1] if typing.get_args(annotation) else Any
        for key, inner in value.items():
            problem = value_problem(item, inner)
            if problem is not None:
                return (str(key), *problem[0]), problem[1], problem[2]
        return None
    if origin in (Sequence, list, collections.abc.Sequence):
        if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
            return (), value, "must be a list"
        item = typing.get_args(annotation)[0] if typing.get_args(annotation) else Any
        for index, inner in enumerate(value):
            problem = value_problem(item, inner)
            if problem is not None:
                return (index, *problem[0]), problem[1], problem[2]
        return None
    if _is_args_class(annotation):
        return _args_problem(annotation, value)
    return None


def _args_problem(args_cls: type, value: Any) -> Problem | None:
    if isinstance(value, args_cls):
        return None
    if not isinstance(value, Mapping):
        return (), value, f"must be {_describe(args_cls)}"
    hints = sdk_types(args_cls)
    for name, inner in value.items():
        wrong = override_problem(args_cls, str(name))
        if wrong is not None:
            return (str(name),), inner, wrong
        problem = value_problem(hints.get(str(name), Any), inner)
        if problem is not None:
            return (str(name), *problem[0]), problem[1], problem[2]
    return None


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
