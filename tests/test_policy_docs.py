"""The README's policy rules table is generated from the rules: docs and code cannot drift."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_azureml.policy import RULES
from pulumi_azureml.policy.docs import END, START, rules_table, with_table

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_rules_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert with_table(text) == text, "run: uv run python -m pulumi_azureml.policy.docs README.md"


def test_table_has_a_row_per_rule_with_levels_per_environment() -> None:
    rows = rules_table().splitlines()[2:]
    assert [row.split(" | ")[0].lstrip("| ") for row in rows] == [rule.id for rule in RULES]
    st009 = next(row for row in rows if row.startswith("| ST-009 "))
    assert "| advisory | advisory | mandatory |" in st009 and "PS Azure.Storage.UseReplication" in st009


def test_missing_markers_are_an_error() -> None:
    with pytest.raises(ValueError, match="markers"):
        with_table(f"# README\n{START}\n")
    assert END in with_table(f"{START}\n{END}\n")
