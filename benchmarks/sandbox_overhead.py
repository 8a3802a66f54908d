"""How much time the bwrap sandbox adds to `autograde submit`, against `none`.

    .venv/bin/python benchmarks/sandbox_overhead.py [--runs 5] [--assignments hw1 hw5]

For each assignment, the reference solution is copied to a temporary
directory as the student's file and graded by the installed CLI, in a fresh
process each time (whole-process wall time: interpreter start, imports,
expected values from a warm cache, the sandboxed run, the report). Backends
are interleaved run by run so that drift in the machine's load hits both
alike; the first, cache-warming run of each is discarded. Prints the median
per backend and the ratio bwrap / none. Target: under 1.10 for a torch
homework.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("none", "bwrap")


def one_run(workdir: Path, entry: str, backend: str, cache: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder",
            "submit",
            entry,
            "--sandbox",
            backend,
            "--format",
            "json",
            "--report",
            str(workdir / f"report-{backend}.json"),
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "AUTOGRADE_CACHE": str(cache),
            "HOME": str(workdir),
        },
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{backend} run on {entry} failed ({result.returncode}): {result.stderr[-500:]}")
    return seconds


def measure(assignment: str, runs: int) -> dict[str, list[float]]:
    reference = ROOT / "reference" / f"{assignment}.py"
    with tempfile.TemporaryDirectory(prefix="autograde-bench-") as tmp:
        workdir = Path(tmp)
        shutil.copy(reference, workdir / f"{assignment}.py")
        times: dict[str, list[float]] = {backend: [] for backend in BACKENDS}
        for backend in BACKENDS:  # warm the reference cache and the page cache
            one_run(workdir, f"{assignment}.py", backend, workdir / "cache")
        for _ in range(runs):
            for backend in BACKENDS:
                times[backend].append(
                    one_run(workdir, f"{assignment}.py", backend, workdir / "cache")
                )
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--assignments", nargs="+", default=["hw1", "hw5"])
    args = parser.parse_args()
    print(f"{'assignment':<10} {'none (s)':>9} {'bwrap (s)':>10} {'ratio':>6}  runs")
    for assignment in args.assignments:
        if not (ROOT / "reference" / f"{assignment}.py").exists():
            print(f"{assignment:<10} skipped: no reference/{assignment}.py")
            continue
        times = measure(assignment, args.runs)
        none, bwrap = (statistics.median(times[b]) for b in BACKENDS)
        print(
            f"{assignment:<10} {none:>9.2f} {bwrap:>10.2f} {bwrap / none:>6.3f}  {args.runs}"
            f"  (none {[round(t, 2) for t in times['none']]},"
            f" bwrap {[round(t, 2) for t in times['bwrap']]})"
        )


if __name__ == "__main__":
    main()
