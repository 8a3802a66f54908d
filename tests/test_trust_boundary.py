"""Hostile submissions against the trust boundary, written by a student who has
read the grader's source.

Everything the submission's process says is only its answer: rewriting the
harness from inside (gc, sys.modules, builtins, numpy), bypassing the import
guard, hunting for the instructor's files, consistent garbage, values that are
not numbers, millions of items, megabytes of feedback and a notebook of a
million cells must all score what an implementation-free file scores (0 on
hw2-hw5, at most the 2-point `no_autodiff` rule on hw1).

Each case runs the real CLI (`--sandbox bwrap`) in a subprocess that records,
at exit, the peak RSS of the grader process itself (RUSAGE_SELF: the sandboxed
student process is a child and is not counted) and its wall time; the grader
must stay under 1 GiB and 60 s. Submissions live in tests/submissions/trust/.
The one test marked xfail(strict) documents a limit that is still open.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from numpy import base_repr

from autograder.report import Report
from autograder.sandbox.bwrap import BwrapSandbox
from tests.conftest import ASSIGNMENTS, REFERENCE, SUBMISSIONS, as_student, failing

pytestmark = pytest.mark.skipif(
    not BwrapSandbox.available(), reason="bubblewrap is not usable on this machine"
)

TRUST = SUBMISSIONS / "trust"
GIB = 2**30
MAX_SECONDS = 60.0
IMPLEMENTATION_FREE = {"hw1": {"no_autodiff"}}
"""Checks an implementation-free file may pass: hw1's rule check reads the source only."""

MEASURED_CLI = """
import atexit, json, resource, sys, time
usage_file = sys.argv.pop(1)
started = time.monotonic()

def record():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    with open(usage_file, "w") as handle:
        json.dump({"rss": peak, "seconds": time.monotonic() - started}, handle)

atexit.register(record)
from autograder.cli import main
sys.argv[0] = "autograde"
main()
"""


@dataclass
class Graded:
    report: Report | None
    rss: int
    seconds: float
    stderr: str

    @property
    def stdout(self) -> str:
        """What the submission printed, as the report keeps it."""
        assert self.report is not None and self.report.execution is not None
        return self.report.execution.stdout

    def within_budget(self) -> None:
        assert self.rss < GIB, f"the grader peaked at {self.rss / 2**20:.0f} MiB"
        assert self.seconds < MAX_SECONDS, f"the grader took {self.seconds:.0f} s"


def grade_cli(tmp_path: Path, source: Path | str, name: str, timeout: float = 300) -> Graded:
    """`autograde submit NAME --sandbox bwrap`, measured; the report as written."""
    work = tmp_path / "student"
    work.mkdir()
    file = as_student(work, source, name)
    report_path, usage_path = tmp_path / "report.json", tmp_path / "usage.json"
    command = [sys.executable, "-c", MEASURED_CLI, str(usage_path), "submit", str(file)]
    command += ["--sandbox", "bwrap", "--report", str(report_path), "--format", "json"]
    try:
        done = subprocess.run(
            command, cwd=tmp_path, env=os.environ, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return Graded(None, rss=0, seconds=float("inf"), stderr=f"killed after {timeout:g} s")
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    usage = json.loads(usage_path.read_text())
    report = Report.model_validate_json(report_path.read_text()) if report_path.exists() else None
    return Graded(report, usage["rss"], usage["seconds"], done.stderr)


def assert_implementation_free(
    graded: Graded, assignment: str, allowed: set[str] | None = None
) -> Report:
    """Graded, scoring no more than a file that implements nothing, within budget."""
    report = graded.report
    assert report is not None and report.status == "graded", graded.stderr[-3000:]
    assert report.assignment.id == assignment
    allowed = IMPLEMENTATION_FREE.get(assignment, set()) if allowed is None else allowed
    passed = {c.id: c.feedback for c in report.checks if c.status == "passed"}
    assert set(passed) <= allowed, {k: v for k, v in passed.items() if k not in allowed}
    assert report.score == sum(c.max_score for c in report.checks if c.id in passed)
    graded.within_budget()
    return report


def trust_source(*names: str) -> str:
    return "\n".join((TRUST / f"{name}.py").read_text() for name in names)


# ----------------------------------------------- rewriting the harness in process


@pytest.mark.parametrize("assignment", ["hw1", "hw5"])
def test_rewriting_the_harness_from_inside_scores_nothing(tmp_path: Path, assignment: str):
    """gc-found Session.answer, protocol functions and caps, numpy comparisons,
    builtins, the guard's record and a forged hello all claim success."""
    source = trust_source("rewrite_grader", f"zero_answers_{assignment}")
    graded = grade_cli(tmp_path, source, f"{assignment}.py")
    report = assert_implementation_free(graded, assignment)
    assert "REWRITTEN True" in graded.stdout  # the patches were in place
    assert report.execution is not None and report.execution.script_status == "completed"


@pytest.mark.xfail(
    strict=True,
    reason="BUG: `autodiff expect=used` is won by a backward() in a branch never taken plus "
    "a process that reports passes it never ran (AutogradCalls.count rewritten): "
    "autograd_used passes for a fit_autograd done by hand",
)
def test_a_process_lying_about_autodiff_earns_no_rule_point(tmp_path: Path):
    graded = grade_cli(tmp_path, TRUST / "autodiff_lie_hw5.py", "hw5.py")
    assert graded.report is not None and graded.report.status == "graded"
    status = {c.id: c.status for c in graded.report.checks}
    assert status["autograd_hidden_w"] == "passed"  # the maths by hand is right
    assert status["autograd_used"] != "passed"  # ... but autograd never ran
    graded.within_budget()


# ------------------------------------------------------------ the import guard


def test_every_route_around_the_import_guard_finds_no_torch(tmp_path: Path):
    """__import__, import_module, _gcd_import, _find_and_load, exec of a string,
    the guard removed, loading the package's files, ctypes and a child process,
    with names the source never spells; the guard's record is erased after."""
    graded = grade_cli(tmp_path, TRUST / "torch_by_any_means.py", "hw1.py")
    assert_implementation_free(graded, "hw1")
    out = graded.stdout
    assert "ROUTES TRIED 9" in out
    assert out.count("NO TORCH via") == 9 and "GOT TORCH" not in out
    assert "LOADED" not in out


# ------------------------------------------------------------ instructor files


def instructor_lines() -> list[str]:
    """One distinctive line of each hw1 file a sandbox must never see."""
    files = [
        REFERENCE / "hw1.py",
        *sorted((REFERENCE / "mutants" / "hw1").glob("*.py")),
        ASSIGNMENTS / "hw1" / "probes.py",
    ]
    lines = [path.read_text().splitlines()[0].strip('"').strip() for path in files]
    return [line for line in lines if len(line) > 20]


def test_instructor_files_are_out_of_reach(tmp_path: Path):
    """/assignment, reference/, probes, mutants and the cache: by path, by a walk of
    the whole visible tree, by content, through open descriptors and in memory.
    A reference found would be exec'd to score; what is found is printed."""
    graded = grade_cli(tmp_path, TRUST / "instructor_files.py", "hw1.py")
    report = assert_implementation_free(graded, "hw1")
    assert "SEARCH DONE 0" in graded.stdout and "FOUND" not in graded.stdout
    text = report.model_dump_json()
    leaked = [line for line in instructor_lines() if line in text]
    assert len(instructor_lines()) >= 4 and leaked == []


# ------------------------------------------------------------ consistent garbage


@pytest.mark.parametrize(
    "case",
    [
        "zero_answers_hw1",
        "zero_script_hw1",  # all-zero x, y, w1, w2: loss 0 with nothing to fit
        "zero_weights_hw1",  # train returns zeros: below the start, not below sum(y**2)
        "complex_weights_hw1",  # complex weights: no real loss
        "consistent_gradients_hw1",  # forward = sum of the weights, its exact gradient
    ],
)
def test_consistent_garbage_scores_nothing(tmp_path: Path, case: str):
    """Zero loss and zero gradients, a forward of zeros, train reporting losses
    [1, 0]; then data, weights and losses chosen to satisfy the grader's own
    arithmetic rather than to solve the problem."""
    graded = grade_cli(tmp_path, TRUST / f"{case}.py", "hw1.py")
    assert_implementation_free(graded, "hw1")


def test_a_net_that_memorises_its_target_scores_only_its_layers(tmp_path: Path):
    graded = grade_cli(tmp_path, TRUST / "memorising_net_hw3.py", "hw3.py")
    # Declaring the layers earns these (and the script's parameter check, through them);
    # returning a Python float from train_step is the contract's type, whatever the value.
    layers = {
        "parameter_shapes",
        "parameter_count",
        "script_net_parameters",
        "train_step_returns_float",
    }
    assert_implementation_free(graded, "hw3", allowed=layers)


# ---------------------------------------------------- values that are not data


@pytest.mark.parametrize("assignment", ["hw1", "hw2"])
def test_right_answers_as_text_or_objects_score_nothing(tmp_path: Path, assignment: str):
    """The correct numbers as str/bytes/object/structured/datetime arrays and
    numeric strings: never parsed as numbers on the trusted side."""
    graded = grade_cli(tmp_path, TRUST / f"string_answers_{assignment}.py", f"{assignment}.py")
    report = assert_implementation_free(graded, assignment)
    assert all(c.status in ("error", "failed") for c in report.checks if c.id != "no_autodiff")


def test_millions_of_items_are_refused_within_budget(tmp_path: Path):
    """5M-item lists, a 3M-item nested list, a 10M-item global, and an 8 MiB
    header of millions of empty containers from a patched encoder."""
    graded = grade_cli(tmp_path, TRUST / "huge_lists_hw2.py", "hw2.py")
    report = assert_implementation_free(graded, "hw2")
    feedback = {c.id: c.feedback for c in report.checks}
    assert "5,000,000 items" in feedback["train_tutorial_w"]
    assert "10,000,000 items" in feedback["script_w"]
    assert "it sent a list of" in feedback["vjp_linear"]  # the flood, refused by count


def test_tiny_globals_cannot_make_the_grader_allocate_gigabytes(tmp_path: Path):
    graded = grade_cli(tmp_path, TRUST / "outer_product_hw1.py", "hw1.py")
    assert_implementation_free(graded, "hw1")


def test_fifty_megabytes_of_feedback_are_capped(tmp_path: Path):
    """50 MB exception messages, notes, causes, class names, control characters
    and lone surrogates; and the script itself dying with a 50 MB message."""
    graded = grade_cli(tmp_path, TRUST / "huge_feedback_hw5.py", "hw5.py")
    report = assert_implementation_free(graded, "hw5")
    raised = [c for c in report.checks if c.status == "error"]
    assert len(raised) >= 10 and all(len(c.feedback) <= 4000 for c in report.checks)
    assert any("Loud" in c.feedback for c in raised)  # the hostile __str__ did run
    assert len(report.model_dump_json()) < 256 * 1024
    assert report.execution is not None and report.execution.script_status == "error"
    assert all(len(note) <= 4000 for note in report.notes)


def test_a_long_exit_message_costs_only_the_script(tmp_path: Path):
    graded = grade_cli(tmp_path, TRUST / "correct_exits_loudly_hw1.py", "hw1.py")
    report = graded.report
    assert report is not None and report.status == "graded"
    assert failing(report) <= {"script_loss"}, {c.id: c.feedback for c in report.checks}
    graded.within_budget()


def chain_source(functions: int = 37_000) -> str:
    """fit_numpy and fit_autograd -> q0 -> q1 -> ... -> qN, and qN names itself about
    90,000 times: 1 MiB of Python, run fine, whose fits return plain (0.0, 0.0)."""
    names = ["q" + base_repr(i, 36) for i in range(functions + 1)]
    fits = "".join(
        f"def {fit}(x, y, w, b, lr=0.001, iters=800):\n    return (0.0, 0.0) if iters else q0\n"
        for fit in ("fit_numpy", "fit_autograd")
    )
    chain = "".join(f"def {a}():{b}\n" for a, b in itertools.pairwise(names))
    room = 2**20 - 64 - len(fits) - len(chain)
    return f"{fits}{chain}def {names[-1]}():{','.join([names[-1]] * (room // 5))}\n"


def test_a_megabyte_of_source_cannot_hold_the_grader_for_minutes(tmp_path: Path):
    source = chain_source()
    assert len(source.encode()) <= 2**20  # within the .py size cap
    graded = grade_cli(tmp_path, source, "hw5.py", timeout=MAX_SECONDS + 10)
    graded.within_budget()
    assert_implementation_free(graded, "hw5")


# ------------------------------------------------------------------- notebooks


def test_a_notebook_of_a_million_markdown_cells(tmp_path: Path):
    cell = {"cell_type": "markdown", "metadata": {}, "source": ""}
    code = {"cell_type": "code", "metadata": {}, "source": "import numpy as np\n"}
    code |= {"execution_count": None, "outputs": []}
    notebook = {"cells": [cell] * 1_000_000 + [code], "metadata": {}}
    notebook |= {"nbformat": 4, "nbformat_minor": 5}
    raw = json.dumps(notebook, separators=(",", ":"))
    assert len(raw) < 50 * 2**20  # under the notebook size cap
    graded = grade_cli(tmp_path, raw, "hw1.ipynb", timeout=MAX_SECONDS + 10)
    graded.within_budget()
    report = graded.report
    assert report is not None
    if report.status == "error":
        assert "hw1.ipynb" in report.message
    else:
        assert_implementation_free(graded, "hw1")
