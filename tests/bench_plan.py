"""`make bench`: how long the offline plan takes (not a test; prints tables).

1. Per shipped stack: the first plan in a fresh process (includes importing pulumi-azure-native)
   and the median of further in-process plans.
2. Side by side, the same programs (each shipped stack, and a generated 300-resource program)
   under our plan engine and under plain ``pulumi.runtime.set_mocks`` (Pulumi's own mock monitor,
   the same Azure-like mocks): medians and the ratio (engine / plain; below 1 means faster).
"""

from __future__ import annotations

import asyncio
import contextvars
import runpy
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pulumi
import pulumi.runtime.settings as runtime_settings
import pulumi_azure_native.resources as resources
import pulumi_azure_native.storage as storage
from pulumi.runtime.stack import wait_for_rpcs

from pulumi_azureml.plan import AzureMocks, load_project, load_stack_config, run_plan, run_program

ROOT = Path(__file__).resolve().parents[1]
STACKS = ("dev", "staging", "prod")
RUNS = 5


def cold(stack: str) -> float:
    code = (
        "import time, sys; t = time.perf_counter(); "
        "from pathlib import Path; from pulumi_azureml.plan import run_plan; "
        f"run_plan(Path({str(ROOT)!r}), {stack!r}); print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def generated_program(count: int = 300) -> None:
    """``count`` azure-native resources: groups, accounts and containers, a third each."""
    for i in range(count // 3):
        group = resources.ResourceGroup(f"rg{i}", resources.ResourceGroupArgs(location="westeurope"))
        account = storage.StorageAccount(
            f"st{i}",
            storage.StorageAccountArgs(
                resource_group_name=group.name, kind="StorageV2", sku=storage.SkuArgs(name="Standard_LRS")
            ),
        )
        storage.BlobContainer(
            f"c{i}", storage.BlobContainerArgs(account_name=account.name, resource_group_name=group.name)
        )


def plain(
    program: Callable[[], object], config: dict[str, str], secret_keys: list[str], project: str, stack: str
) -> None:
    """The program under plain set_mocks, in a fresh context, like any Pulumi unit test would."""

    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        runtime_settings.reset_options(project=project, stack=stack)
        pulumi.runtime.set_all_config(config, secret_keys)
        # The same Azure-like answers (a program reads computed outputs), with Pulumi's own monitor.
        pulumi.runtime.set_mocks(AzureMocks(), project=project, stack=stack, preview=False)
        program()
        loop.run_until_complete(wait_for_rpcs())
        loop.close()

    contextvars.copy_context().run(run)


def median_time(fn: Callable[[], object]) -> float:
    fn()  # warm caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    print(f"{'stack':<8} {'resources':>9} {'cold (s)':>9} {'warm median (s)':>16}")
    for stack in STACKS:
        plan = run_plan(ROOT, stack)
        count = plan.summary()["resources"] + plan.summary()["components"]
        warm = median_time(partial(run_plan, ROOT, stack))
        print(f"{stack:<8} {count:>9} {cold(stack):>9.2f} {warm:>16.3f}")

    print()
    print(f"{'program':<14} {'engine (s)':>11} {'plain mocks (s)':>16} {'ratio':>6}")
    project = load_project(ROOT)
    sys.path.insert(0, str(project.main.parent))
    for stack in STACKS:
        config, secret_keys = load_stack_config(project, stack)

        def infra() -> None:
            runpy.run_path(str(project.main), run_name="__main__")

        engine = median_time(partial(run_plan, ROOT, stack))
        bare = median_time(partial(plain, infra, config, secret_keys, project.name, stack))
        print(f"{stack:<14} {engine:>11.3f} {bare:>16.3f} {engine / bare:>6.2f}")
    engine = median_time(partial(run_program, generated_program))
    bare = median_time(partial(plain, generated_program, {}, [], "bench", "bench"))
    print(f"{'generated-300':<14} {engine:>11.3f} {bare:>16.3f} {engine / bare:>6.2f}")


if __name__ == "__main__":
    main()
