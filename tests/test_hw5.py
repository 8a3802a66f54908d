"""hw5 graded end to end: both fits, hidden variants, the autodiff rules, the script."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REFERENCE, SUBMISSIONS, as_student, failing, feedback

HW5 = SUBMISSIONS / "hw5"
SCRIPT_CHECKS = {"script_w", "script_b"}


def as_hw5(tmp_path: Path, source: Path | str) -> Path:
    return as_student(tmp_path, source, "hw5.py")


def test_reference_as_student_scores_full_marks(grade, tmp_path):
    report = grade(as_hw5(tmp_path, REFERENCE / "hw5.py"))
    assert report.score == report.max_score == 16
    assert failing(report) == set()


def test_correct_submission_in_another_style_scores_full_marks(grade, tmp_path):
    report = grade(as_hw5(tmp_path, HW5 / "correct_alt.py"))
    assert failing(report) == set()


def test_tutorial_script_with_plots_earns_script_checks(grade, tmp_path):
    report = grade(as_hw5(tmp_path, HW5 / "tutorial.py"))
    assert {c.id for c in report.checks if c.status == "passed"} == SCRIPT_CHECKS
    assert report.score == 2
    assert report.execution.script_status == "completed"
    assert "fit_numpy(x, y, w, b, lr=0.001, iters=800) -> (w, b)" in report.notes[0]


def test_ignoring_lr_and_iters_fails_only_on_hidden_data(grade, tmp_path):
    report = grade(as_hw5(tmp_path, HW5 / "ignores_lr.py"))
    assert (
        failing(report)
        == {
            "numpy_hidden_w",
            "numpy_hidden_b",
            "autograd_hidden_w",
            "autograd_hidden_b",
            # the autodiff rules count only once the hidden w is right
            "numpy_no_autodiff",
            "autograd_used",
        }
        | SCRIPT_CHECKS
    )
    assert feedback(report, "numpy_no_autodiff") == (
        "not counted: requires numpy_hidden_w to pass (fit_numpy computes its gradients by hand)"
    )
    assert feedback(report, "autograd_used").startswith(
        "not counted: requires autograd_hidden_w to pass (fit_autograd uses autograd ("
    )
    assert "expected" in feedback(report, "numpy_hidden_w")
    assert "(relative error" in feedback(report, "numpy_hidden_w")


def test_in_place_update_of_a_leaf_reports_the_student_line(grade, tmp_path):
    report = grade(as_hw5(tmp_path, HW5 / "inplace_in_graph.py"))
    message = feedback(report, "autograd_hidden_w")
    assert message == (
        "RuntimeError: a leaf Variable that requires grad is being used in an in-place "
        "operation.\n  hw5.py, line 19, in fit_autograd: w -= lr * w.grad"
    )
    assert feedback(report, "numpy_w_tutorial").startswith("`w` = ")
    # numpy_no_autodiff requires numpy_hidden_w, which the mean-gradient fit_numpy fails
    assert feedback(report, "numpy_no_autodiff") == (
        "not counted: requires numpy_hidden_w to pass (fit_numpy computes its gradients by hand)"
    )
    assert report.score == 0


def test_autograd_inside_fit_numpy_is_caught(grade, tmp_path):
    report = grade(as_hw5(tmp_path, HW5 / "numpy_uses_autograd.py"))
    # No script, but both fits reach the answers: the function checks earn the script's.
    assert failing(report) == {"numpy_no_autodiff"}
    assert feedback(report, "script_w").startswith("earned through numpy_w_tutorial")
    assert feedback(report, "numpy_no_autodiff") == (
        "fit_numpy (or what it calls) uses torch (line 7), torch (line 8), torch (line 9), "
        ".backward (line 12); it must compute its gradients by hand with NumPy"
    )


def test_forward_mode_autodiff_inside_fit_numpy_is_caught(grade, tmp_path):
    report = grade(as_hw5(tmp_path, HW5 / "numpy_uses_forward_mode.py"))
    assert failing(report) == {"numpy_no_autodiff"}
    assert feedback(report, "numpy_no_autodiff") == (
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


def test_a_fit_numpy_that_needs_arrays_loses_the_tutorial_checks(grade, tmp_path):
    # The contract takes floats or (1, 1) arrays; the tutorial probe passes floats.
    report = grade(as_hw5(tmp_path, HW5 / "numpy_needs_arrays.py"))
    assert failing(report) == {"numpy_w_tutorial", "numpy_b_tutorial"}
    assert feedback(report, "numpy_w_tutorial").startswith(
        "TypeError: 'float' object is not subscriptable\n  hw5.py, line 8, in fit_numpy"
    )
