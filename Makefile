# The two commands a new machine needs: `make plan` and `make test`. Both install what they need:
# uv from PyPI when it is missing, then the locked environment with `uv sync`.
# Recipes are silent (@) and tools write progress to stderr, so `make plan > plan.json` is the plan.
SHELL := /bin/bash
STACK ?= dev
FORMAT ?= tree
PYTHON ?= python3
# Use the machine's Python; never let uv try to download one.
export UV_PYTHON_DOWNLOADS := never
# Write bytecode as modules are first imported (some machines set PYTHONDONTWRITEBYTECODE): the first
# plan compiles only the pulumi-azure-native modules a plan imports, and later runs reuse them.
# Compiling the whole package at install (`uv sync --compile-bytecode`) took most of three minutes.
export PYTHONDONTWRITEBYTECODE :=

UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(UV) run --locked --no-sync

.PHONY: plan test lint lint-workflows typecheck unit bench snapshots docs scan sync sync-runtime clean

.tools/bin/uv:
	@$(PYTHON) -m venv .tools >&2
	@.tools/bin/python -m pip install --quiet --disable-pip-version-check uv >&2

# What the plan needs: the runtime dependencies only (no linters, no azure-ai-ml). --inexact keeps
# the dev group when `make test` installed it.
.venv/.runtime: pyproject.toml uv.lock | $(UV)
	@$(UV) sync --locked --no-dev --inexact
	@touch $@

# Everything: runtime, dev group (tests, linters, azure-ai-ml for the hand-off tests).
.venv/.synced: pyproject.toml uv.lock | $(UV)
	@$(UV) sync --locked
	@touch $@ .venv/.runtime

sync-runtime: .venv/.runtime
sync: .venv/.synced

## Show what `pulumi up` would create for STACK (dev, staging, prod), offline. FORMAT=tree|json|markdown|mermaid
plan: sync-runtime
	@$(RUN) pulumi-azureml plan --stack $(STACK) --format $(FORMAT)

## ruff, mypy and pytest: what CI runs.
test: lint typecheck unit

# ruff, and the policy pack's lock (it installs this project by path, so it must follow its dependencies).
lint: sync lint-workflows
	$(RUN) ruff check components infra tests examples policies
	$(RUN) ruff format --check components infra tests examples policies
	$(UV) lock --check --directory policies

## actionlint (with ShellCheck on run: scripts) over .github/workflows; ruff over the comment renderer.
lint-workflows: sync
	$(RUN) actionlint
	$(RUN) ruff check .github/scripts
	$(RUN) ruff format --check .github/scripts

typecheck: sync
	$(RUN) mypy

unit: sync
	$(RUN) pytest

## Refresh tests/snapshots/<stack>.json after a deliberate change of URNs or replacing inputs.
snapshots: sync
	$(RUN) python -m pulumi_azureml.plan.snapshot write tests/snapshots shared dev staging prod

## Regenerate the README's config reference and environments table, and the stack files' JSON Schema.
docs: sync
	$(RUN) python -m pulumi_azureml.stack.docs README.md stacks/pulumi-azureml.schema.json
	$(RUN) python -m pulumi_azureml.policy.docs README.md

# Checkov, exactly pinned (an upgrade brings new checks: a reviewed change), in an environment of its
# own (uv tool run), never mixed with this project's dependencies.
CHECKOV_VERSION := 3.3.30
SCAN_STACKS ?= dev staging prod
# Findings are reported, not fatal; SCAN_STRICT=1 makes `make scan` fail on any.
SCAN_FAIL := $(if $(filter 1,$(SCAN_STRICT)),,--soft-fail)

## Export each stack as an ARM template (build/arm/) and run Checkov's ARM checks on them (build/scan/, and
## the console). Not part of `make test`. SCAN_STRICT=1 fails on a finding.
scan: sync-runtime
	@mkdir -p build/arm build/scan
	@for stack in $(SCAN_STACKS); do \
		$(RUN) pulumi-azureml plan --stack $$stack --format arm > build/arm/$$stack.json.tmp || exit 2; \
		mv build/arm/$$stack.json.tmp build/arm/$$stack.json; \
	done
	@BC_SKIP_MAPPING=TRUE $(UV) tool run --python .venv/bin/python --from 'checkov==$(CHECKOV_VERSION)' \
		checkov -d build/arm --framework arm --skip-download --compact \
		-o cli -o json -o sarif --output-file-path console,build/scan/checkov.json,build/scan/checkov.sarif \
		$(SCAN_FAIL)

## Time the offline plan of each shipped stack.
bench: sync
	$(RUN) python tests/bench_plan.py

clean:
	rm -rf .venv .tools .mypy_cache .ruff_cache .pytest_cache .hypothesis
