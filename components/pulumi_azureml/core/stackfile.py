"""Read ``Pulumi.yaml`` and ``Pulumi.<stack>.yaml`` the way the Pulumi CLI does, with limits.

The CLI (pulumi/pulumi ``sdk/go/common/workspace/loaders.go``) decodes stack files with yaml.v3:
YAML 1.2 core types plus some 1.1 leftovers, duplicate keys refused, aliases and ``<<`` merges
expanded, only the first document read. It then hands every top-level value to the program as
text (``instance: 01`` arrives as ``"1"``, ``true`` as ``"true"``, a date as
``"2024-01-01 00:00:00 +0000 UTC"``, objects and lists as JSON). A value is a secret only when it
is a mapping with exactly one key ``secure`` whose value is a string. This module reproduces that
(PyYAML's SafeLoader would read YAML 1.1: ``yes`` as true, ``2024-01-01`` as a date object) and
refuses what no stack file should hold: files over :data:`MAX_BYTES`, nesting deeper than
:data:`MAX_DEPTH`, alias expansion beyond :data:`MAX_NODES` nodes, invalid UTF-8, ``.inf`` and
``.nan``. Every problem is one :class:`StackFileError` line naming the file and, for YAML syntax,
the line and column.
"""

from __future__ import annotations

import base64
import binascii
import contextvars
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .files import read_regular
from .input_error import InputError

MAX_BYTES = 256 * 1024
"""Stack files and Pulumi.yaml over this size are refused (the shipped ones are about 2 KB; PyYAML
reads about half a megabyte a second, so this bounds a refusal at about half a second)."""
MAX_DEPTH = 64
"""Deeper nesting is refused before it is parsed (a stack file's deepest value is about 6 levels)."""
MAX_NODES = 100_000
"""The document with its aliases expanded may hold at most this many values ("billion laughs")."""


class StackFileError(InputError):
    """A stack file or Pulumi.yaml that Pulumi would refuse, or that is beyond the limits."""


# -- YAML as yaml.v3 reads it --------------------------------------------------------------------

_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_NULL = re.compile(r"~|null|Null|NULL|")
# strconv.ParseInt(s, 0, 64) after yaml.v3 removes '_': 0x / 0o / 0b prefixes, a leading 0 is octal.
_INT = re.compile(r"[-+]?(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = re.compile(r"[-+]?(\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN")
_TIMESTAMP = re.compile(
    r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:(?:[Tt]| )(?P<H>[0-9]{1,2}):(?P<M>[0-9]{1,2}):(?P<S>[0-9]{1,2})(?P<f>\.[0-9]+)?"
    r"(?P<z>Z|[-+][0-9]{2}:[0-9]{2})?)?"
)
_STR = "tag:yaml.org,2002:str"


class _Resolver(yaml.resolver.BaseResolver):
    """Plain scalars typed as yaml.v3 types them (YAML 1.2 core: ``yes`` is a string)."""


for tag, pattern, first in (
    ("tag:yaml.org,2002:bool", _BOOL, "tTfF"),
    ("tag:yaml.org,2002:null", _NULL, "~nN"),
    ("tag:yaml.org,2002:int", _INT, "-+0123456789"),
    ("tag:yaml.org,2002:float", _FLOAT, "-+.0123456789"),
    ("tag:yaml.org,2002:float", _SPECIAL_FLOAT, "-+."),
    ("tag:yaml.org,2002:timestamp", _TIMESTAMP, "0123456789"),
):
    _Resolver.add_implicit_resolver(tag, re.compile(f"^(?:{pattern.pattern})$"), list(first))
_Resolver.add_implicit_resolver("tag:yaml.org,2002:null", re.compile("^$"), [""])
_Resolver.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile("^<<$"), ["<"])


def _go_time(match: re.Match[str]) -> str:
    """A timestamp as the Go ``time.Time.String()`` Pulumi passes: ``2024-01-01 00:00:00 +0000 UTC``."""
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None and k not in ("f", "z")}
    try:
        when = datetime(parts["y"], parts["m"], parts["d"], parts.get("H", 0), parts.get("M", 0), parts.get("S", 0))
    except ValueError:
        return match.group(0)  # not a real date: yaml.v3 keeps the text
    fraction = (match.group("f") or "").rstrip("0").rstrip(".")
    zone = match.group("z")
    if zone in (None, "Z"):
        return f"{when:%Y-%m-%d %H:%M:%S}{fraction} +0000 UTC"
    sign = 1 if zone[0] == "+" else -1
    offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])) * sign
    label = when.replace(tzinfo=timezone(offset)).strftime("%z")
    return f"{when:%Y-%m-%d %H:%M:%S}{fraction} {label} {label}"


def _go_int(text: str) -> int | float:
    digits = text.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    body = digits.lstrip("+-")
    try:
        if body[:2] in ("0x", "0X"):
            return sign * int(body[2:], 16)
        if body[:2] in ("0o", "0O"):
            return sign * int(body[2:], 8)
        if body[:2] in ("0b", "0B"):
            return sign * int(body[2:], 2)
        if len(body) > 1 and body.startswith("0"):
            return sign * int(body[1:], 8)
        return sign * int(body)
    except ValueError:
        return float(digits)  # "08": not octal, a float as yaml.v3 falls back


class _Constructor(yaml.constructor.SafeConstructor):
    """yaml.v3's values, duplicate keys refused, unknown tags read as their plain value."""

    def construct_yaml_int(self, node: ScalarNode) -> int | float:  # type: ignore[override]
        text = str(self.construct_scalar(node))
        try:
            value = _go_int(text)
        except ValueError:
            raise ConstructorError(None, None, f"cannot decode {text!r} as a !!int", node.start_mark) from None
        if isinstance(value, int) and not -(2**63) <= value < 2**64:
            return float(value)  # beyond int64 and uint64, as a float
        return value

    def construct_yaml_float(self, node: ScalarNode) -> float:
        text = str(self.construct_scalar(node))
        if _SPECIAL_FLOAT.fullmatch(text):
            raise ConstructorError(
                None, None, f"{text} is not a value Pulumi accepts (JSON has no inf or nan)", node.start_mark
            )
        try:
            return float(text.replace("_", ""))
        except ValueError:
            raise ConstructorError(None, None, f"cannot decode {text!r} as a !!float", node.start_mark) from None

    def construct_yaml_timestamp(self, node: ScalarNode) -> str:  # type: ignore[override]
        text = str(self.construct_scalar(node))
        match = _TIMESTAMP.fullmatch(text)
        return _go_time(match) if match else text

    def construct_yaml_binary(self, node: ScalarNode) -> str:  # type: ignore[override]
        text = str(self.construct_scalar(node))
        try:
            return base64.b64decode("".join(text.split()), validate=True).decode("utf-8", "replace")
        except (binascii.Error, ValueError):
            raise ConstructorError(None, None, "!!binary value contains invalid base64 data", node.start_mark) from None

    def construct_yaml_set(self, node: MappingNode) -> Iterator[dict[Any, None]]:  # type: ignore[override]
        data: dict[Any, None] = {}
        yield data
        data.update(dict.fromkeys(self.construct_mapping(node)))

    def construct_undefined(self, node: Node) -> Any:
        # A tag yaml.v3 cannot resolve is ignored: the value is read as if it had none.
        if isinstance(node, ScalarNode):
            return str(self.construct_scalar(node))
        if isinstance(node, SequenceNode):
            return self.construct_sequence(node, deep=True)
        if isinstance(node, MappingNode):
            return self.construct_mapping(node, deep=True)
        return None

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        seen: dict[tuple[str, str], int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                raw = (key_node.tag if key_node.tag == _STR else "", str(key_node.value))
                if raw in seen:
                    raise ConstructorError(
                        None,
                        None,
                        f'mapping key "{key_node.value}" already defined at line {seen[raw]}',
                        key_node.start_mark,
                    )
                seen[raw] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _text_key(key: Any) -> str:
    # Non-string keys inside values become their text (yaml.v3 then Pulumi: fmt.Sprintf("%v")).
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "<nil>"
    return program_text(key)


_add: Any = _Constructor.add_constructor  # types-PyYAML types constructors for the stock loaders only
for _tag, _construct in (
    ("tag:yaml.org,2002:int", _Constructor.construct_yaml_int),
    ("tag:yaml.org,2002:float", _Constructor.construct_yaml_float),
    ("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_timestamp),
    ("tag:yaml.org,2002:binary", _Constructor.construct_yaml_binary),
    ("tag:yaml.org,2002:set", _Constructor.construct_yaml_set),
    (None, _Constructor.construct_undefined),
):
    _add(_tag, _construct)


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
              _Constructor, _Resolver):  # fmt: skip
    """A SafeLoader with yaml.v3's types and a depth limit while composing."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Constructor.__init__(self)
        _Resolver.__init__(self)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.MarkedYAMLError(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _expanded_size(node: Node, limit: int) -> int:
    """How many values ``node`` holds with every alias expanded; cycles and excess are errors."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(n: Node) -> int:
        key = id(n)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise yaml.MarkedYAMLError(None, None, "an anchor's value contains itself", n.start_mark)
        active.add(key)
        total = 1
        if isinstance(n, SequenceNode):
            total += sum(size(child) for child in n.value)
        elif isinstance(n, MappingNode):
            total += sum(size(k) + size(v) for k, v in n.value)
        active.discard(key)
        if total > limit:
            raise yaml.MarkedYAMLError(
                None, None, f"expands to more than {limit} values (excessive aliasing)", n.start_mark
            )
        sizes[key] = total
        return total

    return size(node)


def _flow_depth_problem(text: str) -> str | None:
    """Where ``[`` and ``{`` nest deeper than :data:`MAX_DEPTH`, found in one pass over the text.

    PyYAML's scanner looks ahead through nested flow collections before the composer can stop at
    the depth limit (quadratic in the depth), so deep brackets are refused before parsing. Quoted
    strings and comments are skipped; the count may be high for odd text, never low.
    """
    depth = 0
    quote = ""
    for line_number, line in enumerate(text.splitlines(), start=1):
        index = 0
        while index < len(line):
            char = line[index]
            if quote:
                if char == "\\" and quote == '"':
                    index += 1
                elif char == quote:
                    quote = ""
            elif char in "'\"":
                quote = char
            elif char == "#" and (index == 0 or line[index - 1] in " \t"):
                break
            elif char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return f"line {line_number}, column {index + 1}: nested deeper than {MAX_DEPTH} levels"
            elif char in "]}":
                depth = max(depth - 1, 0)
            index += 1
    return None


def _yaml_problem(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.reader.ReaderError):
        return (
            f"character {error.position + 1}: {error.reason} {error.character!r} (control characters are not allowed)"
        )
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        what = error.problem or error.context or "invalid YAML"
        return f"{where}{what}"
    return str(error).splitlines()[0]


def read_yaml(path: Path) -> Any:
    """The first YAML document of ``path`` as Pulumi reads it; StackFileError for anything else."""
    try:
        data = read_regular(path, MAX_BYTES)
    except ValueError as error:
        if str(error).startswith("over"):
            raise StackFileError(
                f"{path}: more than {MAX_BYTES} bytes; files over {MAX_BYTES} bytes are refused"
            ) from None
        raise StackFileError(f"{path}: cannot read: {error}") from None
    except OSError as error:
        raise StackFileError(f"{path}: cannot read: {error.strerror or error}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StackFileError(f"{path}: not UTF-8 (byte {error.start}: {data[error.start]:#04x})") from None
    problem = _flow_depth_problem(text)
    if problem is not None:
        raise StackFileError(f"{path}: not valid YAML: {problem}")
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        node = _first_node(loader)
        if node is None:
            return None
        _expanded_size(node, MAX_NODES)
        return loader.construct_document(node)
    except yaml.YAMLError as error:
        raise StackFileError(f"{path}: not valid YAML: {_yaml_problem(error)}") from None
    except RecursionError:
        raise StackFileError(f"{path}: nested deeper than {MAX_DEPTH} levels") from None
    finally:
        if loader is not None:
            loader.dispose()


def _first_node(loader: _Loader) -> Node | None:
    """The first document's node (Pulumi reads only the first)."""
    loader.get_event()  # type: ignore[no-untyped-call]  # the stream start
    if loader.check_event(yaml.StreamEndEvent):
        return None
    return loader.compose_document()


# -- config as the program receives it ------------------------------------------------------------


def is_secure(value: Any) -> bool:
    """Pulumi's rule (``object.go`` isSecureValue): a mapping with exactly one key ``secure`` whose
    value is a string. ``{secure: 123}``, ``{secure: null}`` and ``{secure: [..]}`` are plain objects."""
    return isinstance(value, dict) and len(value) == 1 and isinstance(value.get("secure"), str)


def _go_float(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}e{sign}{exponent.lstrip('+-').zfill(2)}"
    return text


def _plain(value: Any) -> Any:
    """A nested value as JSON will carry it (whole floats as ints, like Go's encoder after yaml.v3)."""
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e21 else value
    if isinstance(value, dict):
        return {k if isinstance(k, str) else _text_key(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def program_text(value: Any) -> str:
    """A top-level config value as the program receives it (``PULUMI_CONFIG``): scalars as text,
    objects and lists as compact JSON with sorted keys."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""  # Pulumi warns: "No value for configuration key ... treated as an empty string"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


SecurePath = tuple[str | int, ...]


@dataclass
class StackConfigFile:
    """A stack file's config, keyed ``namespace:name``, with where its secrets are."""

    values: dict[str, Any] = field(default_factory=dict)
    """Values as the file holds them (secure values replaced by their placeholder)."""
    secure: dict[str, set[SecurePath]] = field(default_factory=dict)
    """Per key, the paths (inside its value) of the ``{secure: ...}`` values; ``()`` is the value itself."""


def config_key(project: str, raw: Any, where: object) -> str:
    """``raw`` as a full config key (``namespace:name``), as Pulumi parses keys; ``where`` names the
    file or argument in the error."""
    path = where
    if not isinstance(raw, str):
        raise StackFileError(f"{path}: config key {raw!r} must be a string (quote it)")
    colons = raw.count(":")
    if colons == 0:
        return f"{project}:{raw}"
    namespace, _, name = raw.partition(":")
    if colons == 2 and name.startswith("config:"):
        name = name.removeprefix("config:")  # the legacy "ns:config:name" form
    elif colons != 1:
        raise StackFileError(
            f"{path}: could not parse {raw!r} as a configuration key (configuration keys should be of the form "
            "`<namespace>:<name>`)"
        )
    if not namespace or not name:
        raise StackFileError(f"{path}: config key {raw!r} has an empty namespace or name: no program reads it")
    return f"{namespace}:{name}"


def _secure_paths(value: Any, path: Path, key: str, at: SecurePath = ()) -> tuple[Any, set[SecurePath]]:
    """``value`` with each ``{secure: <ciphertext>}`` replaced by ``placeholder``, and their paths."""
    if is_secure(value):
        if not value["secure"]:
            raise StackFileError(f"{path}: {key} is a secure value with an empty ciphertext (it cannot be decrypted)")
        return SECRET_PLACEHOLDER, {at}
    found: set[SecurePath] = set()
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out[k], inner = _secure_paths(v, path, key, (*at, str(k)))
            found |= inner
        return out, found
    if isinstance(value, list):
        items = []
        for i, v in enumerate(value):
            item, inner = _secure_paths(v, path, key, (*at, i))
            items.append(item)
            found |= inner
        return items, found
    return value, found


SECRET_PLACEHOLDER = "[secret]"
"""What a secure value reads as offline: the plan has no key to decrypt it."""


def read_stack_config(path: Path, project: str) -> StackConfigFile:
    """The ``config`` of a stack file, keyed ``namespace:name``, as Pulumi reads it."""
    data = read_yaml(path)
    if data is None:
        return StackConfigFile()
    if not isinstance(data, dict):
        raise StackFileError(f"{path}: expected a mapping with a 'config' key, not {type(data).__name__}")
    raw = data.get("config")
    if raw is None:
        return StackConfigFile()
    if not isinstance(raw, dict):
        raise StackFileError(f"{path}: 'config' must be a mapping of keys to values")
    result = StackConfigFile()
    written: dict[str, str] = {}
    for raw_key, value in raw.items():
        key = config_key(project, raw_key, path)
        if key in written:
            # Pulumi merges `a` and `<project>:a` into one key, and which wins is random.
            raise StackFileError(f"{path}: {raw_key!r} and {written[key]!r} are the same config key {key!r}")
        written[key] = str(raw_key)
        result.values[key], paths = _secure_paths(value, path, key)
        if paths:
            result.secure[key] = paths
    return result


PROJECT_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")


@dataclass(frozen=True)
class ProjectFile:
    """What ``Pulumi.yaml`` says about the project."""

    name: str
    main: str | None
    stack_config_dir: str | None


def read_project_file(path: Path) -> ProjectFile:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise StackFileError(f"{path}: expected a mapping with a project name (name: ...)")
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise StackFileError(f"{path}: needs a project name (name: ...)")
    if not PROJECT_NAME.fullmatch(name):
        raise StackFileError(
            f"{path}: name {name!r}: project names may only contain alphanumerics, hyphens, underscores, and periods"
        )
    fields: dict[str, str | None] = {}
    for key in ("main", "stackConfigDir"):
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or not value or "\x00" in value):
            raise StackFileError(f"{path}: {key} must be a path")
        fields[key] = value
    return ProjectFile(name, fields["main"], fields["stackConfigDir"])


SECURE_PATHS: contextvars.ContextVar[Mapping[str, set[SecurePath]] | None] = contextvars.ContextVar(
    "pulumi_azureml_secure_paths", default=None
)
"""Where the stack file's secrets are, for the program's config loader: set by the offline plan
(which read the file); under ``pulumi up`` the loader reads the stack file itself."""


def stack_file_secure_paths(root: Path, stack: str, project: str) -> Mapping[str, set[SecurePath]] | None:
    """The secure paths of ``<root>/<stackConfigDir>/Pulumi.<stack>.yaml``, or None without a readable file."""
    try:
        project_file = read_project_file(root / "Pulumi.yaml")
        path = root / (project_file.stack_config_dir or ".") / f"Pulumi.{stack}.yaml"
        return read_stack_config(path, project).secure if path.is_file() else None
    except StackFileError:
        return None
