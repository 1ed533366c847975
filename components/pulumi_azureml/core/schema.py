"""One declaration per setting: the base of every argument model, and how bad input is reported.

Every setting is declared once, as a field of an :class:`Args` model: its type (with the rule a
value must satisfy), its default, and, in the docstring under it, its description. That one
declaration

- validates Python callers: ``ComputeClusterArgs(vm_priority="LowPriority")`` or a plain dict
  (strict mypy checks the constructor's keywords; the runtime checks both forms);
- validates stack config, whose schema is composed from the same models (camelCase keys:
  ``computeClusters[0].vmPriority``);
- generates the README's config reference and the JSON Schema of the stack files.

An unknown key, a wrong type or a value that breaks a rule raises one
:class:`~pulumi_azureml.core.errors.ConfigError` naming the key in the caller's own spelling
(``ComputeCluster('train').vm_prority`` from Python, ``azureml-platform:computeClusters[0].vmPrority``
from a stack file), the value and the rule, before any resource is registered. Ids that are
``pulumi.Output`` values are checked when Azure (or another stack) knows them, with the same line.
"""

from __future__ import annotations

import difflib
import types
import typing
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NoReturn, TypeVar, get_args, get_origin

import pulumi
from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler, ValidationError
from pydantic._internal._model_construction import (  # type: ignore[attr-defined]  # BaseModel's metaclass
    ModelMetaclass,
    NoInitField,
    PydanticModelField,
    PydanticModelPrivateAttr,
)
from pydantic.alias_generators import to_camel
from pydantic.fields import FieldInfo
from pydantic_core import core_schema
from typing_extensions import dataclass_transform

from .errors import ConfigError

M = TypeVar("M", bound="Args")
T = TypeVar("T")
Style = Literal["python", "config"]


class SettingError(ValueError):
    """A value at ``path`` (below the model being validated) breaks ``rule``.

    Raised by the models' cross-field checks; :func:`to_config_error` turns it into a
    ConfigError spelled for the caller.
    """

    def __init__(self, path: Sequence[str | int], value: object, rule: str) -> None:
        super().__init__(rule)
        self.path = tuple(path)
        self.value = value
        self.rule = rule


def fail(path: Sequence[str | int] | str, value: object, rule: str) -> NoReturn:
    """Raise a :class:`SettingError`; ``path`` is a tuple or a dotted field path (``storage.sku``)."""
    raise SettingError(tuple(path.split(".")) if isinstance(path, str) else path, value, rule)


@dataclass(frozen=True)
class Spelling:
    """How to name a key for the one who wrote it."""

    style: Style
    prefix: str
    """``ComputeCluster('train')`` (Python) or ``azureml-platform:computeClusters[0]`` (config)."""
    secret: Callable[[str], bool] | None = None
    """Keys whose values must not be shown (config values set with ``--secret``)."""

    def key(self, path: str) -> str:
        if not path:
            return self.prefix
        if not self.prefix or self.prefix.endswith(":") or path.startswith("["):
            return self.prefix + path
        return f"{self.prefix}.{path}"

    def at(self, path: str) -> Spelling:
        """This spelling for a model found at ``path`` below the current one."""
        return Spelling(self.style, self.key(path), self.secret)


def python(prefix: str) -> Spelling:
    return Spelling("python", prefix)


@dataclass(frozen=True, eq=False)  # hashed by identity: Annotated metadata must be hashable
class StrCheck:
    """Field metadata for a string with a rule: ``Annotated[str | Output[str], StrCheck(...)]``.

    ``check`` raises ValueError(rule) for a bad value. With ``outputs`` a ``pulumi.Output`` is
    accepted and checked once its value is known (see :func:`attach_output_checks`); without, the
    value must be a plain string now (a resource name is derived from it).
    """

    check: Callable[[str], None]
    json_schema: Mapping[str, Any]
    outputs: bool = True
    label: str = "string"
    """What the value is, for the config reference (``GUID``, ``VM size``)."""

    def validate(self, value: Any) -> Any:
        if isinstance(value, pulumi.Output):
            if self.outputs:
                return value
            raise ValueError("must be a plain string, not a pulumi.Output: a resource name is derived from it")
        if not isinstance(value, str):
            raise ValueError("must be a string")
        self.check(value)
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self.validate)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return dict(self.json_schema)


@dataclass(frozen=True)
class ProviderArg:
    """Field metadata: the setting is passed unchanged as this keyword of the SDK's ``...Args``."""

    name: str


@dataclass_transform(kw_only_default=True, field_specifiers=(PydanticModelField, PydanticModelPrivateAttr, NoInitField))
class _ArgsMeta(ModelMetaclass):
    """Building a model directly (``ComputeClusterArgs(...)``) reports bad input as a ConfigError.

    A metaclass, not ``__init__``: pydantic calls a custom ``__init__`` for nested models too,
    which would read stack config by field name. ``__call__`` is hidden from type checkers so that
    they keep checking the keywords against the fields (the decorator repeats pydantic's own).
    """

    if not TYPE_CHECKING:

        def __call__(cls, *args, **kwargs):
            try:
                model = super().__call__(*args, **kwargs)
            except ValidationError as err:
                raise to_config_error(err, cls, python(cls.__name__)) from None
            attach_output_checks(model, python(cls.__name__))
            return model


class Args(BaseModel, metaclass=_ArgsMeta):
    """Base of every settings model: strict types, unknown keys refused, frozen once valid.

    Python callers use the field names (snake_case); stack config uses the camelCase aliases
    (``validation_alias`` where the config key differs, such as ``name`` for ``compute_name``).
    """

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=False,
        loc_by_alias=False,
        arbitrary_types_allowed=True,
        use_attribute_docstrings=True,
        revalidate_instances="never",
    )

    def provider_args(self) -> dict[str, Any]:
        """The fields declared with :class:`ProviderArg`, keyed by their SDK keyword (None left out)."""
        out: dict[str, Any] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            for meta in metadata_of(field.annotation, ProviderArg, field):
                if value is not None:
                    out[meta.name] = value
        return out


def validate(model: type[M], data: object, spelling: Spelling, *, by_name: bool = False) -> M:
    """``data`` (a model instance, or a mapping in the spelling's style) as a valid ``model``.

    Raises ConfigError spelled for the caller. An instance of ``model`` is taken as it is (it was
    validated when built); an instance of another model is re-read through its fields. ``by_name``
    reads a mapping by field names whatever the spelling (config merged with a profile).
    """
    if isinstance(data, model):
        attach_output_checks(data, spelling)
        return data
    if isinstance(data, Args):
        data = {name: getattr(data, name) for name in data.model_fields_set}
    if not isinstance(data, Mapping):
        raise ConfigError(spelling.key(""), data, f"must be a {model.__name__} or a mapping of its arguments")
    try:
        by_alias = spelling.style == "config" and not by_name
        result = model.model_validate(data, by_alias=by_alias, by_name=not by_alias)
    except ValidationError as err:
        raise to_config_error(err, model, spelling) from None
    attach_output_checks(result, spelling)
    return result


@contextmanager
def spelled(model: type[BaseModel], spelling: Spelling) -> Iterator[None]:
    """Turn a :class:`SettingError` raised inside (a path of ``model``) into the caller's ConfigError."""
    try:
        yield
    except SettingError as err:
        key = spelling.key(key_path(model, err.path, spelling.style))
        value = "[secret]" if spelling.secret is not None and spelling.secret(key) else err.value
        raise ConfigError(key, value, err.rule) from None


def given_fields(model: BaseModel) -> dict[str, Any]:
    """The fields a model was given (not its defaults), nested models and lists of them as mappings."""

    def plain(value: Any) -> Any:
        if isinstance(value, BaseModel):
            return given_fields(value)
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return {name: plain(getattr(model, name)) for name in model.model_fields_set}


# -- spelling keys -----------------------------------------------------------------------------


def strip_optional(annotation: Any) -> Any:
    """``X`` from ``Annotated[X, ...]`` and ``X | None``."""
    while True:
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation


def _model_of(annotation: Any) -> type[BaseModel] | None:
    bare = strip_optional(annotation)
    return bare if isinstance(bare, type) and issubclass(bare, BaseModel) else None


def nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a field typed ``Model``, ``Model | None``, ``list[Model]`` or ``dict[str, Model]``."""
    return _model_of(annotation) or _model_of(_item_of(annotation))


def metadata_of(annotation: Any, kind: type[T], field: FieldInfo | None = None) -> list[T]:
    """The metadata of ``kind`` on ``field`` and in ``annotation`` (through Optional and Annotated)."""
    found = [m for m in (field.metadata if field is not None else []) if isinstance(m, kind)]
    bare = annotation
    while True:
        origin = get_origin(bare)
        if origin is typing.Annotated:
            found += [m for m in get_args(bare)[1:] if isinstance(m, kind)]
            bare = get_args(bare)[0]
        elif origin in (typing.Union, types.UnionType):
            for member in get_args(bare):
                if member is not type(None):
                    found += metadata_of(member, kind)
            return found
        else:
            return found


def has_metadata(annotation: Any, kind: type, field: FieldInfo | None = None) -> bool:
    """Whether ``annotation`` (or ``field``) carries metadata of ``kind``."""
    return bool(metadata_of(annotation, kind, field))


def _tagged_member(annotation: Any, tag: str) -> type[BaseModel] | None:
    """The member of a discriminated union of models whose tag (a Literal field) is ``tag``:
    pydantic puts the tag into an error's location, which no caller ever wrote."""
    bare = strip_optional(annotation)
    if get_origin(bare) not in (typing.Union, types.UnionType):
        return None
    for member in get_args(bare):
        if isinstance(member, type) and issubclass(member, BaseModel):
            for field in member.model_fields.values():
                if get_origin(field.annotation) is typing.Literal and tag in get_args(field.annotation):
                    return member
    return None


def _item_of(annotation: Any) -> Any:
    """The value type of a list or mapping annotation (``Any`` when not one)."""
    bare = strip_optional(annotation)
    args = get_args(bare)
    if get_origin(bare) in (list, tuple, Sequence) and args:
        return args[0]
    if get_origin(bare) in (dict, Mapping) and len(args) == 2:
        return args[1]
    return Any


def config_alias(field: FieldInfo, name: str) -> str:
    alias = field.validation_alias if isinstance(field.validation_alias, str) else field.alias
    return alias or to_camel(name)


def key_path(model: type[BaseModel], loc: Sequence[str | int], style: Style, *, as_given: bool = False) -> str:
    """``loc`` (field names, list indexes, mapping keys) in the caller's spelling: ``a.b[0].c``.

    ``as_given``: the last part is a key as the caller wrote it (an unknown key), not a field name.
    """
    out = ""
    current: Any = model
    for index, part in enumerate(loc):
        if as_given and index == len(loc) - 1 and isinstance(part, str):
            out += f".{part}" if out else part
            break
        if isinstance(part, int):
            out += f"[{part}]"
            current = _item_of(current)
            continue
        member = _tagged_member(current, part)
        if member is not None:
            current = member
            continue
        cls = _model_of(current)
        if cls is not None and part in cls.model_fields:
            field = cls.model_fields[part]
            name = config_alias(field, part) if style == "config" else part
            current = field.annotation
        elif cls is not None:
            # A key that is no field (extra_forbidden): as the caller wrote it.
            name, current = part, Any
        else:
            # A key inside a mapping (tags, overrides): the caller's own name.
            name, current = part, _item_of(current)
        out += f".{name}" if out else name
    return out


def _did_you_mean(model: type[BaseModel], loc: Sequence[str | int], style: Style) -> str:
    """`` (did you mean vm_priority?)`` for a misspelt key, when one field is close."""
    current: Any = model
    for part in loc[:-1]:
        cls = _model_of(current)
        if isinstance(part, int):
            current = _item_of(current)
        elif isinstance(part, str) and (member := _tagged_member(current, part)) is not None:
            current = member
        elif cls is not None and part in cls.model_fields:
            current = cls.model_fields[part].annotation
        else:
            return ""
    cls = _model_of(current)
    if cls is None or not loc or not isinstance(loc[-1], str):
        return ""
    names = [config_alias(f, n) if style == "config" else n for n, f in cls.model_fields.items()]
    close = difflib.get_close_matches(loc[-1], names, n=1, cutoff=0.75)
    return f" (did you mean {close[0]}?)" if close else ""


_PREFIXES = ("Value error, ", "Assertion failed, ")


def _field_at(model: type[BaseModel], loc: Sequence[str | int]) -> FieldInfo | None:
    """The field ``loc`` ends at, if it ends at a field."""
    current: Any = model
    found: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):
            current, found = _item_of(current), None
            continue
        cls = _model_of(current)
        if cls is None:
            # A key of a mapping: its values' type.
            current, found = _item_of(current), None
            continue
        if part not in cls.model_fields:
            return None
        found = cls.model_fields[part]
        current = found.annotation
    return found


def _bounds(field: FieldInfo | None) -> tuple[Any, Any]:
    low = high = None
    for meta in field.metadata if field is not None else []:
        low = getattr(meta, "ge", low)
        high = getattr(meta, "le", high)
    return low, high


def _rule(error: Any, model: type[BaseModel], loc: Sequence[str | int], style: Style) -> str:
    """pydantic's message for ``error`` in the voice of the other rules (``must be ...``)."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "extra_forbidden":
        return ("is not an argument" if style == "python" else "is not a known key") + _did_you_mean(model, loc, style)
    if kind == "missing":
        field = _field_at(model, loc)
        hint = (field.description or "").split("\n\n")[0].split(". ")[0].rstrip(".") if field is not None else ""
        return f"is required: {hint[:1].lower()}{hint[1:]}" if hint else "is required"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "must be a mapping of keys to values"
    if kind == "literal_error":
        choices = [c.strip().strip("'") for c in str(ctx.get("expected", "")).replace(" or ", ", ").split(", ")]
        return (
            f"must be {choices[0]}"
            if len(choices) == 1
            else (f"must be {' or '.join(choices)}" if len(choices) == 2 else f"must be one of {', '.join(choices)}")
        )
    if kind in ("int_type", "int_parsing", "int_from_float", "greater_than_equal", "less_than_equal"):
        low, high = _bounds(_field_at(model, loc))
        if low is not None and high is not None:
            return f"must be a whole number from {low} to {high}"
        if low is not None:
            return f"must be a whole number of at least {low}"
        return "must be a whole number"
    if kind == "union_tag_invalid":
        tags = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",") if t.strip()]
        tag = str(ctx.get("discriminator", "kind")).strip("'")
        return f"{tag} must be one of {', '.join(tags)}"
    if kind == "union_tag_not_found":
        return f"needs {ctx.get('discriminator', 'kind')}".replace("'", "")
    if kind == "bool_type":
        return "must be true or false"
    if kind == "string_type":
        return "must be a string"
    if kind == "list_type":
        return "must be a list"
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} items"
    rule = str(error["msg"])
    for prefix in _PREFIXES:
        rule = rule.removeprefix(prefix)
    return rule.replace("Input should be", "must be")


def _first(err: ValidationError, model: type[BaseModel], style: Style) -> tuple[list[str | int], object, str]:
    """The first error of ``err``: its path (field names), value and rule."""
    first = err.errors(include_url=False)[0]
    # "[key]" marks an error in a mapping's key (a rule id, say): the key itself is named.
    loc: list[str | int] = [p for p in first["loc"] if isinstance(p, str | int) and p != "[key]"]
    value: object = None if first["type"] == "missing" else first.get("input")
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, SettingError):
        return loc + list(cause.path), cause.value, cause.rule
    return loc, value, _rule(first, model, loc, style)


def as_setting_error(err: ValidationError, model: type[BaseModel]) -> SettingError:
    """The first error of ``err`` as a SettingError (a path of ``model``), to be spelled later."""
    loc, value, rule = _first(err, model, "config")
    return SettingError(loc, value, rule)


def to_config_error(err: ValidationError, model: type[BaseModel], spelling: Spelling) -> ConfigError:
    """The first error of ``err`` as one ConfigError (``(and N more)`` when there are more)."""
    loc, value, rule = _first(err, model, spelling.style)
    unknown = err.errors(include_url=False)[0]["type"] == "extra_forbidden"
    key = spelling.key(key_path(model, loc, spelling.style, as_given=unknown))
    if spelling.secret is not None and spelling.secret(key):
        value = "[secret]"
    if err.error_count() > 1:
        rule += f" (and {err.error_count() - 1} more)"
    return ConfigError(key, value, rule)


# -- Outputs: checked when their value is known --------------------------------------------------


def _checks(annotation: Any, field: FieldInfo | None = None) -> list[StrCheck]:
    return [m for m in metadata_of(annotation, StrCheck, field) if m.outputs]


_CHECKED: weakref.WeakSet[pulumi.Output[Any]] = weakref.WeakSet()
"""Outputs that already carry their check (a value passed on to a second model keeps the first key)."""


def _checked_output(value: pulumi.Output[Any], checks: list[StrCheck], key: str) -> pulumi.Output[Any]:
    if value in _CHECKED:
        return value

    def run(plain: Any) -> Any:
        for check in checks:
            if not isinstance(plain, str):
                raise ConfigError(key, plain, "must be a string")
            try:
                check.check(plain)
            except ValueError as err:
                raise ConfigError(key, plain, str(err)) from None
        return plain

    checked = value.apply(run)
    _CHECKED.add(checked)
    return checked


def _attach(value: Any, annotation: Any, field: FieldInfo | None, key: str) -> Any:
    if isinstance(value, pulumi.Output):
        checks = _checks(annotation, field)
        return _checked_output(value, checks, key) if checks else value
    if isinstance(value, Args):
        attach_output_checks(value, Spelling("python", key))
        return value
    if isinstance(value, list):
        item = _item_of(annotation)
        return [_attach(v, item, None, f"{key}[{i}]") for i, v in enumerate(value)]
    return value


def attach_output_checks(model: Args, spelling: Spelling) -> None:
    """Wrap every Output in ``model`` whose field declares a :class:`StrCheck` so that its
    value is checked once known, raising the same one-line ConfigError a string would."""
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None or isinstance(value, str | int | bool):
            continue
        label = config_alias(field, name) if spelling.style == "config" else name
        key = spelling.key(label)
        if isinstance(value, Args):
            attach_output_checks(value, spelling.at(label))
            continue
        attached = _attach(value, field.annotation, field, key)
        if attached is not value:
            # Frozen models: the checked Output replaces the raw one before anyone reads it.
            object.__setattr__(model, name, attached)
