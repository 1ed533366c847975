"""The settings base: strict types, caller-spelled errors, Outputs checked once known, provider pass-through."""

from __future__ import annotations

from typing import Annotated

import pulumi
import pytest

from pulumi_azureml.core.errors import ConfigError
from pulumi_azureml.core.schema import Args, ProviderArg, Spelling, key_path, validate
from pulumi_azureml.core.types import Guid, Tags
from pulumi_azureml.plan import run_program


class Inner(Args):
    principal_id: Guid | None = None
    """A principal."""
    count: int = 1
    """How many."""


class Outer(Args):
    image: Annotated[str, ProviderArg("image_build_compute")] | None = None
    """Passed through."""
    flag: Annotated[bool, ProviderArg("hbi_workspace")] = False
    """Passed through, default included."""
    inner: Inner = Inner()
    """Nested."""
    items: list[Inner] = []
    """A list."""
    tags: Tags = {}
    """Tags."""


def test_provider_args_pass_set_values_also_inside_optional() -> None:
    assert Outer().provider_args() == {"hbi_workspace": False}
    assert Outer(image="builder").provider_args() == {"image_build_compute": "builder", "hbi_workspace": False}


@pytest.mark.parametrize(
    ("data", "style", "key", "rule"),
    [
        ({"inner": {"count": True}}, "python", "X.inner.count", "must be a whole number"),
        ({"inner": {"count": "2"}}, "config", "p:inner.count", "must be a whole number"),
        ({"items": [{"cuont": 2}]}, "config", "p:items[0].cuont", "is not a known key (did you mean count?)"),
        ({"items": [{"cuont": 2}]}, "python", "X.items[0].cuont", "is not an argument (did you mean count?)"),
        ({"inner": {"principal_id": "me"}}, "python", "X.inner.principal_id", "must be a GUID"),
        ({"tags": {"a?b": "x"}}, "python", "X.tags.a?b", "tag names"),
        ({"items": "x"}, "python", "X.items", "must be a list"),
    ],
)
def test_errors_are_spelled_for_the_caller(data: dict[str, object], style: str, key: str, rule: str) -> None:
    spelling = Spelling("python", "X") if style == "python" else Spelling("config", "p:")
    with pytest.raises(ConfigError) as caught:
        validate(Outer, data, spelling)
    assert caught.value.key == key
    assert rule in caught.value.rule


def test_long_values_are_cut_in_messages() -> None:
    with pytest.raises(ConfigError) as caught:
        validate(Outer, {"inner": {"principal_id": "x" * 10_000}}, Spelling("python", "X"))
    message = str(caught.value)
    assert len(message) < 300 and "(10002 characters)" in message


def test_an_output_is_checked_once_known_with_the_same_line() -> None:
    def program() -> None:
        model = validate(Outer, {"inner": {"principal_id": pulumi.Output.from_input("me")}}, Spelling("python", "X"))
        pulumi.export("p", model.inner.principal_id)

    with pytest.raises(ConfigError, match=r"^config error: X\.inner\.principal_id='me': must be a GUID"):
        run_program(program)


def test_key_path_keeps_unknown_and_mapping_keys_as_written() -> None:
    assert key_path(Outer, ("items", 2, "count"), "config") == "items[2].count"
    assert key_path(Outer, ("tags", "cost_center"), "config") == "tags.cost_center"
    assert key_path(Outer, ("inner", "principal_id"), "config", as_given=True) == "inner.principal_id"
    assert key_path(Outer, ("inner", "principal_id"), "config") == "inner.principalId"
