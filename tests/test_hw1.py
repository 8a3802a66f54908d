"""hw1 graded end to end: real submissions, the checks they pass and fail, the score."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from autograder.mutants import describe
from tests.conftest import REFERENCE, SUBMISSIONS, as_student, failing, feedback

HW1 = SUBMISSIONS / "hw1"
MUTANTS = REFERENCE / "mutants" / "hw1"
FAST = {"probe_seconds": 3.0}
SPEC = tomllib.loads((REFERENCE.parent / "assignments" / "hw1" / "assignment.toml").read_text())
GENERAL_HINTS = {check["id"]: check.get("hint") for check in SPEC["checks"]}


def as_hw1(tmp_path: Path, source: Path | str) -> Path:
    return as_student(tmp_path, source, "hw1.py")


def check(report, check_id: str):
    return next(c for c in report.checks if c.id == check_id)


def test_reference_as_student_scores_full_marks(grade, tmp_path):
    report = grade(as_hw1(tmp_path, REFERENCE / "hw1.py"))
    assert report.status == "graded"
    assert report.score == report.max_score == 17
    assert failing(report) == set()
    assert report.notes == []


def test_correct_submission_in_another_style_scores_full_marks(grade, tmp_path):
    report = grade(as_hw1(tmp_path, HW1 / "correct_alt.py"))
    assert failing(report) == set()
    assert report.score == 17


def test_tutorial_script_earns_script_checks_and_is_told_what_is_missing(grade, tmp_path):
    report = grade(as_hw1(tmp_path, HW1 / "tutorial.py"))
    assert report.score == 3  # no_autodiff (2) + script_loss (1)
    assert {c.id for c in report.checks if c.status == "passed"} == {"no_autodiff", "script_loss"}
    assert feedback(report, "forward") == "hw1.py does not define forward(x, w1, w2) -> y_pred"
    assert report.notes == [
        "hw1.py does not define forward(x, w1, w2) -> y_pred, loss_fn(y_pred, y) -> float, "
        "backward(x, y, w1, w2) -> (grad_w1, grad_w2), train(x, y, w1, w2, "
        "learning_rate=1e-6, steps=500) -> (w1, w2, losses); the checks that call them scored 0."
    ]


def test_inverted_relu_mask_fails_gradient_and_training_checks(grade, tmp_path):
    report = grade(as_hw1(tmp_path, HW1 / "inverted_mask.py"))
    assert failing(report) == {
        "grad_w1",
        "gradcheck_w1",
        "train_w1",
        "train_w2",
        "train_losses",
        "train_converges",
        "script_loss",
    }
    assert report.score == 8
    grad = feedback(report, "grad_w1")
    assert "elements differ from the reference (relative error above 1e-06); worst at index" in grad
    assert "differ from central finite differences" in feedback(report, "gradcheck_w1")
    assert feedback(report, "train_losses").startswith(
        "`losses` departs from the reference at step"
    )
    # No known mistake inverts the mask: the check's general advice, and no name.
    grad_w1 = check(report, "grad_w1")
    assert grad_w1.mistakes == [] and "known mistake" not in grad_w1.feedback
    assert grad_w1.hint == GENERAL_HINTS["grad_w1"]


def test_hidden_torch_import_fails_rule_and_gradient_checks(grade, tmp_path):
    report = grade(as_hw1(tmp_path, HW1 / "sneaky_torch.py"))
    assert "torch (line 18)" in feedback(report, "no_autodiff")
    for check in ("grad_w1", "grad_w2", "gradcheck_w1", "train_losses"):
        assert feedback(report, check).startswith("not counted: requires no_autodiff to pass")
    assert report.score == 3  # forward and loss are still right


def test_a_hanging_function_times_out_only_its_checks(grade, tmp_path):
    report = grade(as_hw1(tmp_path, HW1 / "train_hangs.py"), limit_overrides=FAST)
    statuses = {c.id: c.status for c in report.checks}
    for check in ("train_w1", "train_w2", "train_losses", "train_converges"):
        assert statuses[check] == "timeout"
        assert feedback(report, check) == "took longer than 3 s and was stopped"
    assert statuses["forward"] == statuses["grad_w1"] == statuses["gradcheck_w2"] == "passed"
    assert report.score == 11


def test_wrong_shapes_are_reported_as_shapes(grade, tmp_path):
    report = grade(as_hw1(tmp_path, HW1 / "transposed_forward.py"))
    assert "`y_pred` has shape (" in feedback(report, "forward")
    assert feedback(report, "grad_w1").startswith("`grad_w1` has shape (")
    assert feedback(report, "grad_w2").startswith("`grad_w2` has shape (")
    assert feedback(report, "train_w1") == (
        "hw1.py does not define train(x, y, w1, w2, learning_rate=1e-6, steps=500) "
        "-> (w1, w2, losses)"
    )


def test_script_crash_keeps_the_functions_it_defined(grade, tmp_path):
    report = grade(as_hw1(tmp_path, HW1 / "script_raises.py"))
    # The script's own loss never came; its functions are right, so they earn it.
    assert failing(report) == set()
    assert feedback(report, "script_loss").startswith("earned through train_w1, train_w2")
    assert report.execution is not None
    assert report.execution.script_status == "error"
    assert report.notes[0].startswith(
        "Running hw1.py as a script did not finish: FileNotFoundError: my_local_data.csv"
    )
    assert (
        '(hw1.py, line 31, in <module>: data = np.loadtxt("my_local_data.csv"))' in report.notes[0]
    )


REFERENCE_SOURCE = (REFERENCE / "hw1.py").read_text()


@pytest.mark.parametrize(
    ("ending", "script_status", "message"),
    [
        ("import sys\nsys.exit(3)\n", "exited", "the script called sys.exit(3)"),
        ("import sys\nsys.exit(0)\n", "completed", "the script called sys.exit(0)"),
        ("import os\nos._exit(0)\n", "exited", "the script called os._exit(0)"),
        ("raise RuntimeError('boom')\n", "error", "RuntimeError: boom"),
    ],
)
def test_script_ending_early_still_yields_a_full_report(
    grade, tmp_path, ending, script_status, message
):
    source = REFERENCE_SOURCE.replace('if __name__ == "__main__":', "if False:") + ending
    report = grade(as_hw1(tmp_path, source))
    assert report.status == "graded"
    assert report.execution.script_status == script_status
    assert report.execution.script_message.startswith(message)
    # Every check earns its points: the script check through the function checks.
    assert failing(report) == set()
    assert report.score == 17
    assert "leaves no global `x`" in feedback(report, "script_loss")


def test_megabytes_of_output_are_capped_and_grading_goes_on(grade, tmp_path):
    source = REFERENCE_SOURCE + "\nprint('x' * 5_000_000)\nprint('the end')\n"
    report = grade(as_hw1(tmp_path, source))
    assert report.score == 17
    execution = report.execution
    assert execution.stdout_truncated is True
    assert len(execution.stdout) <= 64 * 1024
    assert execution.stdout.rstrip().endswith("the end")


def test_report_contents(grade, tmp_path):
    path = as_hw1(tmp_path, REFERENCE / "hw1.py")
    report = grade(path, seed=7)
    data = report.model_dump(mode="json")
    assert data["schema_version"] == "1.1"
    assert data["assignment"] == {
        "id": "hw1",
        "title": "Two-layer network, forward and backward by hand (NumPy only)",
    }
    assert data["submission"]["path"] == str(path)
    assert len(data["submission"]["sha256"]) == 64
    assert data["seed"] == 7
    assert [c["id"] for c in data["checks"]][:3] == ["no_autodiff", "forward", "loss"]
    first = data["checks"][1]
    assert set(first) == {
        "id",
        "description",
        "score",
        "max_score",
        "status",
        "feedback",
        "hint",
        "mistakes",
        "visibility",
    }
    assert data["execution"]["sandbox"] == "bwrap"
    assert data["execution"]["isolated"] is True
    assert data["execution"]["exit_status"] == "exit code 0"
    assert data["execution"]["limits"]["wall_seconds"] == 180
    assert data["grader"]["numpy"]
    assert data["graded_at"].endswith("Z") or "+00:00" in data["graded_at"]


def test_same_submission_and_seed_give_the_same_checks(grade, tmp_path):
    path = as_hw1(tmp_path, HW1 / "inverted_mask.py")
    first, second = grade(path), grade(path)
    assert [c.model_dump() for c in first.checks] == [c.model_dump() for c in second.checks]


def test_returning_an_object_fails_that_probe_only(grade, tmp_path):
    source = REFERENCE_SOURCE.replace(
        "def forward(x, w1, w2):",
        "class Sneaky:\n    def __reduce__(self):\n        return (print, ('pwned',))\n\n\n"
        "def forward(x, w1, w2):\n    return Sneaky()\n\n\ndef _forward(x, w1, w2):",
    )
    report = grade(as_hw1(tmp_path, source))
    assert feedback(report, "forward") == (
        "forward(x, w1, w2) should return numbers or arrays, got a Sneaky"
    )
    assert report.score < report.max_score
    assert {c.id for c in report.checks if c.status == "passed"} >= {"grad_w1", "loss"}


def test_missing_definition_says_the_script_stopped_before_it(grade, tmp_path):
    source = REFERENCE_SOURCE.replace("def train(", "raise RuntimeError('boom')\n\n\ndef train(", 1)
    report = grade(as_hw1(tmp_path, source))
    assert feedback(report, "train_w1").startswith(
        "hw1.py does not define train(x, y, w1, w2, learning_rate=1e-6, steps=500) -> "
        "(w1, w2, losses) (or never got to it: the script stopped early: RuntimeError: boom "
        "(hw1.py, line 29, in <module>: raise RuntimeError('boom')))"
    )
    assert {c.id for c in report.checks if c.status == "passed"} >= {"forward", "grad_w1"}


def test_a_hanging_function_leaves_time_for_the_checks_after_it(grade, tmp_path):
    # train hangs; the rest is right and the script leaves a small `loss`. Two
    # train probes at 4 s each would eat the 10 s run, so the second gets only
    # what leaves script_loss its reserve, and says so.
    source = REFERENCE_SOURCE.replace(
        "    w1 = w1.copy()\n", "    while True:\n        pass\n    w1 = w1.copy()\n", 1
    ).replace(
        'if __name__ == "__main__":',
        "x, w1 = np.random.randn(64, 1000), np.random.randn(1000, 100)\n"
        "w2 = np.random.randn(100, 10)\ny = np.maximum(x @ w1, 0) @ w2\nif False:",
    )
    report = grade(
        as_hw1(tmp_path, source),
        limit_overrides={"probe_seconds": 4.0, "wall_seconds": 10.0},
    )
    statuses = {c.id: c.status for c in report.checks}
    assert statuses["script_loss"] == "passed"
    assert statuses["forward"] == statuses["grad_w2"] == statuses["gradcheck_w1"] == "passed"
    assert {statuses[c] for c in ("train_w1", "train_losses", "train_converges")} == {"timeout"}
    shortened = (
        r"took longer than [0-9.]+ s and was stopped: that was all the time left for it within "
        r"the 10 s limit for the whole run, after earlier checks ran long"
    )
    # On a loaded machine the script may take long enough to shorten the first one too.
    full = "took longer than 4 s and was stopped"
    assert re.fullmatch(f"{full}|{shortened}", feedback(report, "train_w1"))
    assert re.fullmatch(shortened, feedback(report, "train_converges"))


def test_a_script_that_uses_up_the_run_leaves_no_time_for_probes(grade, tmp_path):
    source = REFERENCE_SOURCE.replace('if __name__ == "__main__":', "while True:\n    pass\nif 1:")
    report = grade(
        as_hw1(tmp_path, source),
        limit_overrides={"script_seconds": 5.0, "wall_seconds": 7.0},
    )
    assert report.status == "graded" and report.score == 2  # no_autodiff only
    assert report.execution.exit_status == "exit code 0"  # ended in time, on its own
    for check in report.checks:
        if check.id != "no_autodiff":
            assert check.status == "timeout"
            assert check.feedback == (
                "not run: the script and earlier checks used up the 7 s limit for the whole run"
            )


def test_a_pep263_latin1_file_is_read_as_python_reads_it(grade, tmp_path):
    source = "# -*- coding: latin-1 -*-\n# calcul du réseau à la main\n" + REFERENCE_SOURCE
    path = tmp_path / "hw1.py"
    path.write_bytes(source.encode("latin-1"))
    report = grade(path)
    assert report.score == 17


def test_without_a_sandbox_the_rule_says_it_was_not_enforced(grade, tmp_path):
    report = grade(as_hw1(tmp_path, REFERENCE_SOURCE), sandbox="none")
    assert report.score == 17 and report.execution is not None
    assert report.execution.isolated is False
    assert feedback(report, "no_autodiff") == (
        "no forbidden import (torch, jax, jaxlib, tensorflow, autograd) in the source; NOT "
        "enforced at run time: the submission ran without a sandbox (--sandbox none)"
    )


def test_a_transposed_grad_w2_costs_only_the_checks_of_grad_w2_and_is_named(grade, tmp_path):
    # A student's file: grad_w2 as dy.T @ act, transposed back in their train.
    report = grade(as_hw1(tmp_path, HW1 / "transposed_grad_w2.py"))
    assert failing(report) == {"grad_w2", "gradcheck_w2"}
    assert report.score == 17 - 2 - 1
    description, hint = describe(MUTANTS / "transposed_grad_w2.py")
    for check_id in ("grad_w2", "gradcheck_w2"):
        result = check(report, check_id)
        assert result.feedback.endswith(f"; this matches a known mistake: {description}")
        assert result.mistakes == [description]
        assert result.hint == hint
    assert "it is the transpose of the expected result" in feedback(report, "grad_w2")


@pytest.mark.parametrize("seed", [None, 12345], ids=["public seed", "another seed"])
def test_hard_coded_answers_earn_at_most_a_fifth(grade, tmp_path, seed):
    # Constants for every function, and script globals that fit targets made from them.
    report = grade(as_hw1(tmp_path, HW1 / "hardcoded.py"), seed=seed)
    assert report.seed_source == ("public" if seed is None else "pinned")
    assert report.score <= 0.2 * report.max_score
    passed = {c.id for c in report.checks if c.status == "passed"}
    assert passed == {"no_autodiff", "script_loss"}
