"""hw2 graded end to end: SGD with autograd, gradients, VJPs, no_grad, the script."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ASSIGNMENTS, REFERENCE, SUBMISSIONS, as_student, failing, feedback

HW2 = SUBMISSIONS / "hw2"
MUTANTS = REFERENCE / "mutants" / "hw2"
TRAIN_CHECKS = {"train_tutorial_w", "train_hidden_w", "train_hidden_losses"}


def as_hw2(tmp_path: Path, source: Path | str) -> Path:
    return as_student(tmp_path, source, "hw2.py")


def hint(report, check_id: str) -> str | None:
    return next(c.hint for c in report.checks if c.id == check_id)


def test_reference_as_student_scores_full_marks(grade, tmp_path):
    report = grade(as_hw2(tmp_path, REFERENCE / "hw2.py"))
    assert report.score == report.max_score == 16
    assert failing(report) == set()
    assert report.notes == []


def test_correct_submission_in_another_style_scores_full_marks(grade, tmp_path):
    # w.data -= ..., w.grad = None, a 0-d w returned as a tensor, autograd.grad,
    # x.grad read off the caller's tensor, matplotlib with plt.show().
    report = grade(as_hw2(tmp_path, HW2 / "alt_correct.py"))
    assert failing(report) == set()
    assert report.execution.script_status == "completed"


def test_classic_tutorial_script_earns_script_check_and_learns_what_is_missing(grade, tmp_path):
    report = grade(as_hw2(tmp_path, HW2 / "tutorial.py"))
    assert {c.id for c in report.checks if c.status == "passed"} == {"script_w"}
    assert report.score == 1
    assert feedback(report, "script_w") == "`w` = 1.95122, within 0.1 of 2"
    assert report.execution.script_status == "completed"
    assert "tensor([[4.5000, 4.5000]," in report.execution.stdout
    (note,) = report.notes
    assert note.startswith(
        "hw2.py does not define train_linear(x_data, y_data, w_init=1.0, lr=0.01, epochs=100)"
    )
    for name in ("mean_square_grad(x)", "vector_jacobian_product(f, x, v)", "no_grad_square(x)"):
        assert name in note
    assert feedback(report, "vjp_linear") == (
        "hw2.py does not define vector_jacobian_product(f, x, v) -> tensor"
    )


def test_starter_runs_and_scores_zero(grade, tmp_path):
    report = grade(as_hw2(tmp_path, ASSIGNMENTS / "hw2" / "starter.py"))
    assert report.execution.script_status == "completed"
    assert report.score == 0
    assert all(c.status == "failed" for c in report.checks)
    # A placeholder that happens to have the right flag earns nothing on its own.
    assert feedback(report, "no_grad_requires_grad").startswith(
        "not counted: requires no_grad_values to pass"
    )


def test_forgetting_to_zero_the_gradient_fails_the_training_checks(grade, tmp_path):
    report = grade(as_hw2(tmp_path, MUTANTS / "no_zero_grad.py"))
    assert failing(report) == TRAIN_CHECKS
    assert report.score == 10
    assert feedback(report, "train_tutorial_w") == (
        "`w` = 1.91085, should be within 0.001 of 2 (off by 0.0891514)"
    )
    assert "departs from the reference at step 0" in feedback(report, "train_hidden_losses")
    assert "w.grad is not zeroed" in hint(report, "train_hidden_losses")


def test_updating_w_inside_the_graph_points_at_the_student_line(grade, tmp_path):
    report = grade(as_hw2(tmp_path, MUTANTS / "update_in_graph.py"))
    assert failing(report) == TRAIN_CHECKS | {"script_w"}
    message = feedback(report, "train_hidden_w")
    assert message.startswith(
        "TypeError: unsupported operand type(s) for *: 'float' and 'NoneType'\n"
    )
    assert "hw2.py, line 14, in train_linear: w = w - lr * w.grad" in message
    assert report.notes[0].startswith("Running hw2.py as a script did not finish: TypeError")


@pytest.mark.parametrize(
    ("mutant", "expected_failures", "check_id", "message"),
    [
        (
            "update_per_epoch.py",
            {"train_hidden_w", "train_hidden_losses"},
            "train_hidden_losses",
            "`losses` departs from the reference at step 0",
        ),
        (
            "mean_square_grad_sum.py",
            {"mean_square_grad_tutorial", "mean_square_grad_hidden", "mean_square_grad_autograd"},
            "mean_square_grad_tutorial",
            "`tutorial` should be 4.5 everywhere (within 1e-05); 4 of 4 elements are not, "
            "first at index (0, 0): expected 4.5, got 18",
        ),
        (
            "mean_square_grad_by_hand.py",
            {"mean_square_grad_autograd"},
            "mean_square_grad_autograd",
            "mean_square_grad (and what it calls) never calls backward() or "
            "torch.autograd.grad: the gradient must come from autograd",
        ),
        (
            "vjp_ignores_v.py",
            {"vjp_linear", "vjp_nonlinear"},
            "vjp_linear",
            "`linear`: 2 of 2 elements differ from the reference",
        ),
        (
            "no_grad_missing.py",
            {"no_grad_requires_grad"},
            "no_grad_requires_grad",
            "`requires_grad` is True, expected False",
        ),
    ],
)
def test_known_bug_fails_exactly_its_checks(
    grade, tmp_path, mutant, expected_failures, check_id, message
):
    report = grade(as_hw2(tmp_path, MUTANTS / mutant))
    assert failing(report) == expected_failures
    assert report.score == 16 - sum(c.max_score for c in report.checks if c.id in failing(report))
    assert feedback(report, check_id).startswith(message)
