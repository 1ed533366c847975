"""`make bench`: how long the offline plan takes per shipped stack (not a test; prints a table).

Times, per stack: the first plan in a fresh process (includes importing pulumi-azure-native) and
the median of further in-process plans. Issue-level comparisons (plain mocks, large stacks) build
on this.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

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


def main() -> None:
    from pulumi_azureml.plan import run_plan

    print(f"{'stack':<8} {'resources':>9} {'cold (s)':>9} {'warm median (s)':>16} {'warm min (s)':>13}")
    for stack in STACKS:
        plan = run_plan(ROOT, stack)  # warm the imports in this process
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            run_plan(ROOT, stack)
            times.append(time.perf_counter() - start)
        count = plan.summary()["resources"] + plan.summary()["components"]
        print(f"{stack:<8} {count:>9} {cold(stack):>9.2f} {statistics.median(times):>16.3f} {min(times):>13.3f}")


if __name__ == "__main__":
    main()
