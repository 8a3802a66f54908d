"""hw2 graded end to end: SGD with autograd, gradients, VJPs, no_grad, the script."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.mutants import describe
from tests.conftest import ASSIGNMENTS, REFERENCE, SUBMISSIONS, as_student, failing, feedback

HW2 = SUBMISSIONS / "hw2"
MUTANTS = REFERENCE / "mutants" / "hw2"
TRAIN_CHECKS = {"train_tutorial_w", "train_hidden_w", "train_hidden_losses"}


def as_hw2(tmp_path: Path, source: Path | str) -> Path:
    return as_student(tmp_path, source, "hw2.py")


def hint(report, check_id: str) -> str | None:
    return next(c.hint for c in report.checks if c.id == check_id)


def check(report, check_id: str):
    return next(c for c in report.checks if c.id == check_id)


MEAN_SQUARE_GRAD = {
    "mean_square_grad_tutorial",
    "mean_square_grad_hidden",
    "mean_square_grad_direction",
    "mean_square_grad_autograd",
}


def test_reference_as_student_scores_full_marks(grade, tmp_path):
    report = grade(as_hw2(tmp_path, REFERENCE / "hw2.py"))
    assert report.score == report.max_score == 17
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
    assert report.score == report.max_score - 6
    description, mutant_hint = describe(MUTANTS / "no_zero_grad.py")
    assert feedback(report, "train_tutorial_w") == (
        "`w` = 1.91085, should be within 0.001 of 2 (off by 0.0891514); "
        f"this matches a known mistake: {description}"
    )
    assert "departs from the reference at step 0" in feedback(report, "train_hidden_losses")
    for check_id in TRAIN_CHECKS:
        assert check(report, check_id).mistakes == [description]
        assert hint(report, check_id) == mutant_hint


def test_updating_w_inside_the_graph_points_at_the_student_line(grade, tmp_path):
    report = grade(as_hw2(tmp_path, HW2 / "update_in_graph.py"))
    assert failing(report) == TRAIN_CHECKS | {"script_w"}
    message = feedback(report, "train_hidden_w")
    assert message.startswith(
        "TypeError: unsupported operand type(s) for *: 'float' and 'NoneType'\n"
    )
    assert "hw2.py, line 19, in train_linear: w = w - lr * w.grad" in message
    assert report.notes[0].startswith("Running hw2.py as a script did not finish: TypeError")


@pytest.mark.parametrize(
    ("mutant", "expected_failures", "check_id", "message"),
    [
        (
            "update_per_epoch.py",
            TRAIN_CHECKS,
            "train_hidden_losses",
            "`losses` departs from the reference at step 0",
        ),
        (
            "ignores_lr.py",
            TRAIN_CHECKS,
            "train_tutorial_w",
            "not counted: requires train_hidden_w to pass (`w` = 2",
        ),
        (
            "mean_square_grad_sum.py",
            {"mean_square_grad_tutorial", "mean_square_grad_hidden"},
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
    lost = sum(c.max_score for c in report.checks if c.id in expected_failures)
    assert report.score == report.max_score - lost
    assert feedback(report, check_id).startswith(message)


def test_a_sum_for_the_mean_costs_only_the_values_and_keeps_the_autograd_point(grade, tmp_path):
    # A student's file in their own style (torch.autograd.grad of torch.sum(z)).
    report = grade(as_hw2(tmp_path, HW2 / "sum_not_mean.py"))
    assert failing(report) == {"mean_square_grad_tutorial", "mean_square_grad_hidden"}
    assert report.score == report.max_score - 3
    assert feedback(report, "mean_square_grad_direction").startswith("`direction` matches")
    assert feedback(report, "mean_square_grad_autograd").startswith(
        "mean_square_grad uses autograd"
    )
    description, mutant_hint = describe(MUTANTS / "mean_square_grad_sum.py")
    for check_id in ("mean_square_grad_tutorial", "mean_square_grad_hidden"):
        result = check(report, check_id)
        assert result.feedback.endswith(f"; this matches a known mistake: {description}")
        assert result.mistakes == [description]
        assert result.hint == mutant_hint
    assert "every element is " in feedback(report, "mean_square_grad_hidden")


@pytest.mark.parametrize("seed", [None, 12345], ids=["public seed", "another seed"])
def test_hard_coded_answers_earn_at_most_a_fifth(grade, tmp_path, seed):
    # w = 2, 4.5 everywhere and constants: the lesson's answers, nothing computed.
    report = grade(as_hw2(tmp_path, HW2 / "hardcoded.py"), seed=seed)
    assert report.seed_source == ("public" if seed is None else "pinned")
    assert report.score <= 0.2 * report.max_score
    assert {c.id for c in report.checks if c.status == "passed"} == {"script_w"}
    # The public targets are met and say so, but count only with the hidden runs.
    for check_id, hidden in (
        ("train_tutorial_w", "train_hidden_w"),
        ("mean_square_grad_tutorial", "mean_square_grad_hidden"),
    ):
        assert feedback(report, check_id).startswith(f"not counted: requires {hidden} to pass")
