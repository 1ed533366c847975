"""`make bench`: how long the offline plan takes (not a test; prints tables).

1. Per shipped stack, a plan in a fresh process (which includes importing pulumi-azure-native):
   with the virtual environment as installed (without ``.pyc`` files when it was synced without
   ``--compile-bytecode`` and ``PYTHONDONTWRITEBYTECODE`` is set, as on the CI machines), and with a
   bytecode cache primed by an earlier run (``PYTHONPYCACHEPREFIX``), as on a machine that keeps
   ``.pyc`` files; then the median of further plans in one process (warm).
2. Side by side, the same programs (each shipped stack, and a generated 300-resource program)
   under our plan engine and under plain ``pulumi.runtime.set_mocks`` (Pulumi's own mock monitor,
   the same Azure-like mocks, none of the engine's shortcuts): medians, milliseconds per resource,
   and the speed-up (plain time / engine time; above 1 means the engine is faster). Resources are
   counted as registrations: custom resources, components and the stack.
3. Hostile stack files: how long the plan takes to refuse each, and the peak memory it allocates
   while doing so (tracemalloc), so a 10 MB file or a "billion laughs" cannot stall a reviewer's CI.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import io
import os
import runpy
import statistics
import subprocess
import sys
import tempfile
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
from pulumi_azureml.plan.engine import recorded_outputs

ROOT = Path(__file__).resolve().parents[1]
STACKS = ("dev", "staging", "prod")
RUNS = 5
COLD_RUNS = 3
GENERATED = 300


def cold(stack: str, pycache: Path | None = None) -> float:
    """Seconds from a new interpreter's first import to the plan of ``stack``; with ``pycache``,
    compiled modules are read from (and written to) that directory."""
    code = (
        "import time, sys; t = time.perf_counter(); "
        "from pathlib import Path; from pulumi_azureml.plan import run_plan; "
        f"run_plan(Path({str(ROOT)!r}), {stack!r}); print(time.perf_counter() - t)"
    )
    env = dict(os.environ)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    return float(out.stdout.strip().splitlines()[-1])


def generated_program(count: int = GENERATED) -> None:
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
        # The stacks read the shared registry: answer the StackReference as a unit test would.
        mocks = AzureMocks(stack_outputs=recorded_outputs(ROOT / "stacks"))
        pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False)
        program()
        loop.run_until_complete(wait_for_rpcs())
        loop.close()

    # Without an engine, pulumi.log prints each warning (the AKS cost notes): keep them off the table.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        contextvars.copy_context().run(run)


def median_time(fn: Callable[[], object], runs: int = RUNS) -> float:
    fn()  # warm caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    print(f"Fresh process and warm plans (medians of {COLD_RUNS} and {RUNS} runs)")
    print(
        f"{'stack':<8} {'registered':>10} {'cold, as installed (s)':>23} {'cold, bytecode cached (s)':>26} "
        f"{'warm (s)':>9}"
    )
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as pycache:
        for stack in STACKS:
            plan = run_plan(ROOT, stack)
            counts[stack] = len(plan.resources)
            installed = statistics.median(cold(stack) for _ in range(COLD_RUNS))
            cold(stack, Path(pycache))  # prime the cache
            cached = statistics.median(cold(stack, Path(pycache)) for _ in range(COLD_RUNS))
            warm = median_time(partial(run_plan, ROOT, stack))
            print(f"{stack:<8} {counts[stack]:>10} {installed:>23.2f} {cached:>26.2f} {warm:>9.3f}")

    print()
    print(f"Engine vs plain pulumi.runtime.set_mocks, same program and mocks (medians of {RUNS} runs)")
    print(
        f"{'program':<14} {'registered':>10} {'engine (s)':>11} {'plain (s)':>10} "
        f"{'engine ms/res':>14} {'plain ms/res':>13} {'speed-up (plain/engine)':>24}"
    )
    project = load_project(ROOT)
    sys.path.insert(0, str(project.main.parent))

    def row(name: str, count: int, engine: float, bare: float) -> None:
        print(
            f"{name:<14} {count:>10} {engine:>11.3f} {bare:>10.3f} {engine / count * 1000:>14.1f} "
            f"{bare / count * 1000:>13.1f} {bare / engine:>23.1f}x"
        )

    for stack in STACKS:
        config, secret_keys = load_stack_config(project, stack)

        def infra() -> None:
            runpy.run_path(str(project.main), run_name="__main__")

        engine = median_time(partial(run_plan, ROOT, stack))
        bare = median_time(partial(plain, infra, config, secret_keys, project.name, stack))
        row(stack, counts[stack], engine, bare)
    engine = median_time(partial(run_program, generated_program))
    bare = median_time(partial(plain, generated_program, {}, [], "bench", "bench"))
    row(f"generated-{GENERATED}", len(run_program(generated_program).resources), engine, bare)


HOSTILE = {
    "10 MB file": "config:\n  azureml-platform:workload: churn\n  azureml-platform:x: '" + "x" * 10_000_000 + "'\n",
    "250 KB value (under the limit)": "config:\n  azure-native:location: westeurope\n"
    "  azureml-platform:workload: churn\n  azureml-platform:suffixSeed: ' " + "y" * 250_000 + "'\n",
    "billion laughs (10^9 values)": "a0: &a0 [1,1,1,1,1,1,1,1,1,1]\n"
    + "".join(f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9))
    + "config:\n  azureml-platform:workload: churn\n  azureml-platform:junk: *a8\n",
    "10,000 nested lists": "config:\n  azureml-platform:tags: " + "[" * 10_000 + "]" * 10_000 + "\n",
}


def hostile() -> None:
    """Time and peak memory of refusing each of :data:`HOSTILE`, in-process (median of runs)."""
    import contextlib
    import io
    import tracemalloc

    from pulumi_azureml import cli

    print()
    print(f"Refusing hostile stack files (median of {COLD_RUNS} runs; peak memory allocated while refusing)")
    print(f"{'stack file':<30} {'bytes':>11} {'exit':>5} {'seconds':>8} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as directory:
        project = Path(directory)
        (project / "Pulumi.yaml").write_text(f"name: azureml-platform\nruntime: python\nmain: {ROOT / 'infra'}\n")
        for name, text in HOSTILE.items():
            (project / "Pulumi.dev.yaml").write_text(text)
            times, peaks, code = [], [], 0
            argv = ["plan", "--stack", "dev", "--cwd", str(project)]
            for _ in range(COLD_RUNS):
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                    start = time.perf_counter()
                    code = cli.main(argv)
                    times.append(time.perf_counter() - start)
                    # Memory in a second run: tracing slows Python down several times.
                    tracemalloc.start()
                    cli.main(argv)
                    peaks.append(tracemalloc.get_traced_memory()[1] / 1e6)
                    tracemalloc.stop()
            seconds, peak = statistics.median(times), statistics.median(peaks)
            print(f"{name:<30} {len(text):>11} {code:>5} {seconds:>8.3f} {peak:>8.1f}")


if __name__ == "__main__":
    main()
    hostile()
