# The two commands a new machine needs: `make plan` and `make test`. Both install what they need:
# uv from PyPI when it is missing, then the locked environment with `uv sync`.
SHELL := /bin/bash
STACK ?= dev
FORMAT ?= tree
PYTHON ?= python3
# Use the machine's Python; never let uv try to download one.
export UV_PYTHON_DOWNLOADS := never

UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(UV) run --locked --no-sync

.PHONY: plan test lint lint-workflows typecheck unit bench snapshots sync clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check uv

# --compile-bytecode writes every module's .pyc at install (about 15 s, once): a new process then
# reads pulumi-azure-native's compiled modules instead of compiling them again, which it does
# each time where PYTHONDONTWRITEBYTECODE is set (a cold plan: ~5 s without, ~1.5 s with).
.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --compile-bytecode
	@touch $@

sync: .venv/.synced

## Show what `pulumi up` would create for STACK (dev, staging, prod), offline. FORMAT=tree|json
plan: sync
	$(RUN) pulumi-azureml plan --stack $(STACK) --format $(FORMAT)

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
	$(RUN) python -m pulumi_azureml.plan.snapshot write tests/snapshots dev staging prod

## Time the offline plan of each shipped stack.
bench: sync
	$(RUN) python tests/bench_plan.py

clean:
	rm -rf .venv .tools .mypy_cache .ruff_cache .pytest_cache .hypothesis
