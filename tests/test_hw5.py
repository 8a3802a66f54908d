"""hw5 graded end to end: both fits, hidden variants, the autodiff rules, the script."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.mutants import describe
from tests.conftest import REFERENCE, SUBMISSIONS, as_student, failing, feedback

HW5 = SUBMISSIONS / "hw5"
MUTANTS = REFERENCE / "mutants" / "hw5"
PINNED_SEED = 12345
SCRIPT_CHECKS = {"script_w", "script_b"}
NUMPY_VALUES = {"numpy_w_tutorial", "numpy_b_tutorial", "numpy_hidden_w", "numpy_hidden_b"}
AUTOGRAD_VALUES = {
    "autograd_w_tutorial",
    "autograd_b_tutorial",
    "autograd_hidden_w",
    "autograd_hidden_b",
}
NUMPY_CHECKS = NUMPY_VALUES | {"numpy_descends", "numpy_float_args", "numpy_no_autodiff"}
AUTOGRAD_CHECKS = AUTOGRAD_VALUES | {"autograd_descends", "autograd_used"}


def as_hw5(tmp_path: Path, source: Path | str) -> Path:
    return as_student(tmp_path, source, "hw5.py")


def check_result(report, check_id: str):
    return next(c for c in report.checks if c.id == check_id)


def test_reference_as_student_scores_full_marks(grade, tmp_path):
    report = grade(as_hw5(tmp_path, REFERENCE / "hw5.py"))
    assert report.score == report.max_score == 19
    assert failing(report) == set()
    assert (
        feedback(report, "numpy_float_args") == "`float_vs_array` equals [0.0, 0.0] (within 1e-09)"
    )


def test_correct_submission_in_another_style_scores_full_marks(grade, tmp_path):
    report = grade(as_hw5(tmp_path, HW5 / "correct_alt.py"))
    assert failing(report) == set()


def test_tutorial_script_with_plots_earns_script_checks(grade, tmp_path):
    report = grade(as_hw5(tmp_path, HW5 / "tutorial.py"))
    assert {c.id for c in report.checks if c.status == "passed"} == SCRIPT_CHECKS
    assert report.score == 2
    assert report.execution.script_status == "completed"
    assert "fit_numpy(x, y, w, b, lr=0.001, iters=800) -> (w, b)" in report.notes[0]


def test_tutorial_constants_earn_at_most_a_fifth_under_any_seed(grade, tmp_path):
    for seed in (None, PINNED_SEED):
        report = grade(as_hw5(tmp_path, HW5 / "tutorial_constants.py"), seed=seed)
        assert report.score <= 0.2 * report.max_score, seed
        assert failing(report) == NUMPY_CHECKS | AUTOGRAD_CHECKS, seed
        assert feedback(report, "numpy_w_tutorial") == (
            "not counted: requires numpy_hidden_w to pass (`w` = 2.9987, within 0.1 of 3)"
        )
        assert feedback(report, "numpy_descends").startswith("`loss_ratio` = ")
        assert feedback(report, "numpy_no_autodiff") == (
            "not counted: requires numpy_descends to pass (fit_numpy computes its gradients "
            "by hand)"
        )


def test_ignoring_lr_and_iters_fails_only_the_values(grade, tmp_path):
    report = grade(as_hw5(tmp_path, HW5 / "ignores_lr.py"))
    # the tutorial checks count only with their hidden twins; the rules still count
    assert failing(report) == NUMPY_VALUES | AUTOGRAD_VALUES | SCRIPT_CHECKS
    assert feedback(report, "numpy_no_autodiff") == "fit_numpy computes its gradients by hand"
    assert feedback(report, "autograd_used").startswith("fit_autograd uses autograd (")
    assert "expected" in feedback(report, "numpy_hidden_w")
    assert "(relative error" in feedback(report, "numpy_hidden_w")


def test_a_students_mean_gradient_is_named_with_its_own_hint(grade, tmp_path):
    # Written unlike the mutant: floats, ravel and `.mean()`; fit_autograd is right.
    report = grade(as_hw5(tmp_path, HW5 / "numpy_mean_gradient.py"))
    assert failing(report) == NUMPY_VALUES | {"script_w"}
    description, hint = describe(MUTANTS / "numpy_mean_gradient.py")
    for check_id in ("numpy_hidden_w", "numpy_hidden_b"):
        result = check_result(report, check_id)
        assert result.feedback.endswith(f"; this matches a known mistake: {description}")
        assert result.mistakes == [description]
        assert result.hint == hint
    # one wrong number does not cost the rules: the fit still descends
    assert feedback(report, "numpy_no_autodiff") == "fit_numpy computes its gradients by hand"


def test_in_place_update_of_a_leaf_reports_the_student_line(grade, tmp_path):
    report = grade(as_hw5(tmp_path, HW5 / "inplace_in_graph.py"))
    message = feedback(report, "autograd_hidden_w")
    assert message == (
        "RuntimeError: a leaf Variable that requires grad is being used in an in-place "
        "operation.\n  hw5.py, line 19, in fit_autograd: w -= lr * w.grad"
    )
    assert failing(report) == AUTOGRAD_CHECKS | NUMPY_VALUES | SCRIPT_CHECKS
    assert feedback(report, "numpy_w_tutorial").startswith("`w` = ")
    # its fit_numpy averages its gradients: wrong numbers, but it descends by hand
    assert feedback(report, "numpy_no_autodiff") == "fit_numpy computes its gradients by hand"
    assert report.score == 3


def test_autograd_inside_fit_numpy_is_caught(grade, tmp_path):
    report = grade(as_hw5(tmp_path, HW5 / "numpy_uses_autograd.py"))
    # No script, but both fits reach the answers: the function checks earn the script's.
    assert failing(report) == {"numpy_no_autodiff"}
    assert feedback(report, "script_w").startswith("earned through numpy_w_tutorial")
    description, hint = describe(MUTANTS / "numpy_uses_autograd.py")
    rule = check_result(report, "numpy_no_autodiff")
    assert rule.feedback == (
        "fit_numpy (or what it calls) uses torch (line 7), torch (line 8), torch (line 9), "
        ".backward (line 12); it must compute its gradients by hand with NumPy; "
        f"this matches a known mistake: {description}"
    )
    assert rule.mistakes == [description]
    assert rule.hint == hint


def test_forward_mode_autodiff_inside_fit_numpy_is_caught(grade, tmp_path):
    report = grade(as_hw5(tmp_path, HW5 / "numpy_uses_forward_mode.py"))
    assert failing(report) == {"numpy_no_autodiff"}
    assert feedback(report, "numpy_no_autodiff").startswith(
        "fit_numpy (or what it calls) uses torch (line 8), torch (line 9), jacfwd (line 15); "
        "it must compute its gradients by hand with NumPy"
    )


def test_a_script_that_turns_autograd_off_does_not_break_the_functions(grade, tmp_path):
    # A plotting epilogue: fine under `python hw5.py`, and must stay fine here.
    source = (REFERENCE / "hw5.py").read_text() + "\ntorch.set_grad_enabled(False)\n"
    report = grade(as_hw5(tmp_path, source))
    assert failing(report) == set()


def test_an_interactive_matplotlib_backend_is_kept_headless(grade, tmp_path):
    source = (
        "import matplotlib\nmatplotlib.use('TkAgg')\nimport matplotlib.pyplot as plt\n"
        "plt.plot([1, 2], [3, 4])\nplt.show()\n" + (REFERENCE / "hw5.py").read_text()
    )
    report = grade(as_hw5(tmp_path, source))
    assert report.execution.script_status == "completed"
    assert failing(report) == set()


def test_a_fit_numpy_that_needs_arrays_loses_only_the_float_check(grade, tmp_path):
    # The contract takes floats or (1, 1) arrays; one hidden run passes floats.
    report = grade(as_hw5(tmp_path, HW5 / "numpy_needs_arrays.py"))
    assert failing(report) == {"numpy_float_args"}
    assert feedback(report, "numpy_float_args").startswith(
        "TypeError: 'float' object is not subscriptable\n  hw5.py, line 8, in fit_numpy"
    )


@pytest.mark.parametrize(
    ("mutant", "expected_failures", "named_on"),
    [
        ("numpy_ignores_lr.py", NUMPY_VALUES | SCRIPT_CHECKS, "numpy_hidden_w"),
        ("numpy_ignores_iters.py", NUMPY_VALUES | SCRIPT_CHECKS, "numpy_hidden_b"),
        ("numpy_forgets_half.py", NUMPY_VALUES | SCRIPT_CHECKS, "numpy_hidden_w"),
        ("autograd_ignores_lr.py", AUTOGRAD_VALUES | SCRIPT_CHECKS, "autograd_hidden_w"),
        ("autograd_ignores_iters.py", AUTOGRAD_VALUES | SCRIPT_CHECKS, "autograd_hidden_b"),
        ("autograd_forgets_half.py", AUTOGRAD_VALUES | SCRIPT_CHECKS, "autograd_hidden_w"),
        ("autograd_by_hand.py", {"autograd_used"}, "autograd_used"),
    ],
)
def test_known_mistake_fails_its_checks_and_is_named(
    grade, tmp_path, mutant, expected_failures, named_on
):
    # The mutants have no script: their script checks are earned only when every
    # function check of w (or b) passes.
    report = grade(as_hw5(tmp_path, MUTANTS / mutant))
    assert failing(report) == expected_failures
    description, hint = describe(MUTANTS / mutant)
    named = check_result(report, named_on)
    assert description in named.mistakes
    assert description in named.feedback
    if named.mistakes == [description]:
        assert named.hint == hint
