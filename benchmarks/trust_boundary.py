"""Single-submission grading time before and after the trust-boundary refactor.

    .venv/bin/python benchmarks/trust_boundary.py [--runs 5] [--sandbox bwrap]

"Before" is commit 7955e70, checked out into a temporary `git worktree`
(removed at the end); "after" is the working tree. Both run with this
interpreter, each importing its own `autograder` package (put first on
sys.path by a small wrapper, which records which package it imported and,
at exit, whether the grader process had imported torch). For hw1 and hw5 the
reference solution is copied to a temporary directory as the student's file
and graded with `autograde submit FILE --report r.json --format json` in a
fresh process each time (whole-process wall time). Each side has its own
reference cache, warmed by one untimed run per homework; the timed runs are
interleaved, alternating which side goes first. Every run must exit 0 with
full marks. Prints medians, min/max and the ratio after / before.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE_COMMIT = "7955e70"
HOMEWORKS = ("hw1", "hw5")
SIDES = ("before", "after")

# argv: ROOT PROBE_FILE autograde-args...; ROOT goes first on sys.path, ahead of
# the editable install, and PROBE_FILE gets the imported package and torch flag.
WRAPPER = """\
import atexit, json, sys
root, probe, *args = sys.argv[1:]
sys.path.insert(0, root)
import autograder
def record() -> None:
    with open(probe, "w") as f:
        json.dump({"file": autograder.__file__, "torch": "torch" in sys.modules}, f)
atexit.register(record)
from autograder.cli import main
sys.argv = ["autograde", *args]
main()
"""


def die(message: str) -> None:
    print(f"\n!!!!! ERROR !!!!!\n{message}", file=sys.stderr)
    sys.exit(1)


def one_run(
    side: str, root: Path, workdir: Path, homework: str, sandbox: str
) -> tuple[float, dict]:
    report, probe = workdir / "r.json", workdir / "probe.json"
    report.unlink(missing_ok=True)
    probe.unlink(missing_ok=True)
    argv = ["submit", f"{homework}.py", "--report", str(report), "--format", "json"]
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(root), str(probe), *argv, "--sandbox", sandbox],
        cwd=workdir,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "AUTOGRADE_CACHE": str(workdir.parent / f"cache-{side}"),
            "HOME": str(workdir),
            "PYTHONPATH": str(root),
        },
        check=False,
    )
    seconds = time.perf_counter() - started
    what = f"{side} ({root}) grading {homework} with --sandbox {sandbox}"
    if result.returncode != 0:
        die(
            f"{what} exited {result.returncode}\n--- stderr ---\n{result.stderr[-4000:]}"
            f"\n--- stdout (tail) ---\n{result.stdout[-2000:]}"
        )
    data = json.loads(report.read_text(encoding="utf-8"))
    if not math.isclose(data["score"], data["max_score"]):
        failing = [
            f"  {c.get('id')}: {c.get('status')} {c.get('feedback', '')}"
            for c in data.get("checks", [])
            if c.get("score") != c.get("max_score")
        ]
        die(
            f"{what}: score {data['score']} != max_score {data['max_score']}\n" + "\n".join(failing)
        )
    seen = json.loads(probe.read_text(encoding="utf-8"))
    if not Path(seen["file"]).resolve().is_relative_to(root.resolve()):
        die(f"{what} imported the wrong package: {seen['file']}")
    return seconds, seen


def measure(
    roots: dict[str, Path], tmp: Path, runs: int, sandbox: str
) -> tuple[dict[str, dict[str, list[float]]], dict[str, dict[str, list[bool]]]]:
    """Times per homework and side; torch flags per homework and side, warm-up first."""
    times: dict[str, dict[str, list[float]]] = {hw: {s: [] for s in SIDES} for hw in HOMEWORKS}
    torch: dict[str, dict[str, list[bool]]] = {hw: {side: [] for side in SIDES} for hw in HOMEWORKS}
    for hw in HOMEWORKS:
        workdirs = {side: tmp / f"{hw}-{side}" for side in SIDES}
        for side, workdir in workdirs.items():  # untimed: fills the reference cache
            workdir.mkdir()
            shutil.copy(ROOT / "reference" / f"{hw}.py", workdir / f"{hw}.py")
            _, seen = one_run(side, roots[side], workdir, hw, sandbox)
            torch[hw][side].append(seen["torch"])
            if hw == HOMEWORKS[0]:
                print(f"{side:<6} imports {seen['file']}", flush=True)
        for i in range(runs):
            for side in SIDES if i % 2 == 0 else SIDES[::-1]:
                seconds, seen = one_run(side, roots[side], workdirs[side], hw, sandbox)
                times[hw][side].append(seconds)
                torch[hw][side].append(seen["torch"])
    return times, torch


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--sandbox", choices=["auto", "bwrap", "docker", "podman", "none"], default="bwrap"
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="autograde-trust-"))
    worktree = tmp / "before-tree"
    try:
        added = subprocess.run(
            ["git", "worktree", "add", "--detach", str(worktree), BEFORE_COMMIT],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if added.returncode != 0:
            die(f"git worktree add failed: {added.stderr}")
        print(f"before = {BEFORE_COMMIT} (worktree {worktree}), after = working tree {ROOT}")
        roots = {"before": worktree, "after": ROOT}
        times, torch = measure(roots, tmp, args.runs, args.sandbox)
    finally:
        if worktree.exists():
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=False
            )
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nsandbox {args.sandbox}, {args.runs} timed runs per side and homework")
    print(
        f"{'homework':<8} {'before (s)':>10} {'after (s)':>10} {'ratio':>6}"
        f"  {'before min/max':>14}  {'after min/max':>14}"
    )
    for hw in HOMEWORKS:
        before, after = times[hw]["before"], times[hw]["after"]
        b, a = statistics.median(before), statistics.median(after)
        print(
            f"{hw:<8} {b:>10.2f} {a:>10.2f} {a / b:>6.3f}"
            f"  {f'{min(before):.2f}/{max(before):.2f}':>14}"
            f"  {f'{min(after):.2f}/{max(after):.2f}':>14}"
        )
    print()
    print("torch in the grader's sys.modules at exit, hw1 (warm-up run; timed runs):")
    for side in SIDES:
        flags = torch["hw1"][side]
        print(f"  {side:<6} {flags[0]}; {sorted(set(flags[1:]))}")


if __name__ == "__main__":
    main()
