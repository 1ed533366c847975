"""Property: whatever stack file it is given, the tool plans it or refuses it cleanly (exit 2, one
line, no traceback), never anything else.

Stack files come from two sources: values generated from the stack JSON Schema (most of them valid
for the schema, many of them still refused by rules the schema cannot express, such as
combinations), with random mutations mixed in; and byte-level mutations of the shipped stack files.
Runs are derandomized so CI sees the same examples every time; set ``HYPOTHESIS_PROFILE=long`` for a
longer random search.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulumi_azureml import cli

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "stacks" / "pulumi-azureml.schema.json").read_text())
DEFS = SCHEMA["$defs"]
P = "azureml-platform:"

settings.register_profile(
    "ci", max_examples=40, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile("long", max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5000), st.text(max_size=12))


def strategy(schema: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """Values for a JSON Schema (the subset the stack schema uses)."""
    if "$ref" in schema:
        return st.deferred(lambda: strategy(DEFS[schema["$ref"].rsplit("/", 1)[-1]], depth))
    if "anyOf" in schema:
        return st.one_of([strategy(s, depth) for s in schema["anyOf"]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(lambda s: len(s) < 200)
        return st.text(min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 20), 20))
    if kind == "integer":
        return st.integers(schema.get("minimum", -10), schema.get("maximum", 1000))
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        return st.lists(strategy(schema.get("items", {}), depth + 1), max_size=min(schema.get("maxItems", 2), 2))
    if kind == "object":
        return _object(schema, depth)
    return JSON_SCALARS


def _object(schema: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    properties = schema.get("properties", {})
    if properties and depth < 6:
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: strategy(v, depth + 1) for k, v in properties.items() if k in required},
            optional={k: strategy(v, depth + 1) for k, v in properties.items() if k not in required},
        )
    names = schema.get("propertyNames", {}).get("enum")
    keys = st.sampled_from(names) if names else st.text(min_size=1, max_size=8)
    values = (
        strategy(schema["additionalProperties"], depth + 1)
        if isinstance(schema.get("additionalProperties"), dict)
        else JSON_SCALARS
    )
    return st.dictionaries(keys, values, max_size=2)


def _mutate(value: Any, draw: Any) -> Any:
    """One random change: a key removed or added, a value of another type, a newline in a string."""
    if isinstance(value, dict) and value:
        key = draw(st.sampled_from(sorted(value)))
        choice = draw(st.integers(0, 3))
        if choice == 0:
            return {k: v for k, v in value.items() if k != key}
        if choice == 1:
            return {**value, draw(st.text(min_size=1, max_size=6)): draw(JSON_SCALARS)}
        if choice == 2:
            return {**value, key: draw(JSON_SCALARS)}
        return {**value, key: _mutate(value[key], draw)}
    if isinstance(value, list) and value:
        index = draw(st.integers(0, len(value) - 1))
        return [_mutate(v, draw) if i == index else v for i, v in enumerate(value)]
    if isinstance(value, str):
        return value + draw(st.sampled_from(["\n", " ", "..", "/x", "\x00"]))
    return draw(JSON_SCALARS)


@st.composite
def stack_configs(draw: Any) -> dict[str, Any]:
    config = draw(strategy(SCHEMA["properties"]["config"]))
    config.setdefault("azure-native:location", "westeurope")
    if draw(st.booleans()):
        config = _mutate(config, draw)
    return {"config": config}


def run(project: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["plan", "--stack", "dev", "--cwd", str(project)])
    return code, out.getvalue(), err.getvalue()


def plans_or_refuses_cleanly(project: Path, stack_file: bytes) -> None:
    (project / "Pulumi.dev.yaml").write_bytes(stack_file)
    code, out, err = run(project)
    if code == 0:
        assert "resources to create" in out
    else:
        assert code == 2, (code, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, err
        assert len(lines[0]) < 600


def project_dir(tmp_path_factory: Any) -> Path:
    directory: Path = tmp_path_factory.mktemp("property")
    (directory / "Pulumi.yaml").write_text(f"name: azureml-platform\nruntime: python\nmain: {ROOT / 'infra'}\n")
    return directory


@given(document=stack_configs())
def test_generated_stack_files_plan_or_refuse_cleanly(document: dict[str, Any], tmp_path_factory: Any) -> None:
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    plans_or_refuses_cleanly(project_dir(tmp_path_factory), text.encode())


SHIPPED = [(ROOT / "stacks" / f"Pulumi.{name}.yaml").read_bytes() for name in ("dev", "staging", "prod")]


@st.composite
def mutated_files(draw: Any) -> bytes:
    data = bytearray(draw(st.sampled_from(SHIPPED)))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data) - 1))
        how = draw(st.integers(0, 2))
        if how == 0:
            data[position] = draw(st.integers(0, 255))
        elif how == 1:
            del data[position]
        else:
            data[position:position] = draw(
                st.sampled_from([b":", b"\t", b"- ", b"{", b"&a ", b"*a", b"\n  x: 1\n", b"\xff"])
            )
    return bytes(data)


@given(stack_file=mutated_files())
def test_mutated_shipped_stacks_plan_or_refuse_cleanly(stack_file: bytes, tmp_path_factory: Any) -> None:
    plans_or_refuses_cleanly(project_dir(tmp_path_factory), stack_file)


def test_the_generator_reaches_both_outcomes(tmp_path_factory: Any) -> None:
    # A generator that only ever produced refusals (or only plans) would test little.
    outcomes: set[int] = set()

    @settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
    @given(document=stack_configs())
    def sample(document: dict[str, Any]) -> None:
        project = project_dir(tmp_path_factory)
        (project / "Pulumi.dev.yaml").write_text(yaml.safe_dump(document, allow_unicode=True))
        outcomes.add(run(project)[0])

    sample()
    assert outcomes == {0, 2}
