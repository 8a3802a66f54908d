"""hw4 graded end to end: StatQuest's BasicNN_train, training only final_bias."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.mutants import describe
from tests.conftest import ASSIGNMENTS, REFERENCE, SUBMISSIONS, as_student, failing, feedback

HW4 = SUBMISSIONS / "hw4"
MUTANTS = REFERENCE / "mutants" / "hw4"
PINNED_SEED = 12345
FORWARD_CHECKS = {"forward_untrained", "forward_shifted", "only_final_bias_trainable"}
TUTORIAL_CHECKS = {
    "train_final_bias",
    "train_final_loss",
    "train_epochs",
    "train_tutorial_losses",
    "forward_trained",
    "only_final_bias_changed",
}
HIDDEN_CHECKS = {
    "hidden_final_bias",
    "hidden_first_loss",
    "hidden_losses",
    "hidden_epochs",
    "capped_final_bias",
    "capped_losses",
    "capped_epochs",
}
TYPE_CHECKS = {"train_losses_floats", "train_epochs_int"}
TRAIN_CHECKS = TUTORIAL_CHECKS | HIDDEN_CHECKS | TYPE_CHECKS


def as_hw4(tmp_path: Path, source: Path | str) -> Path:
    return as_student(tmp_path, source, "hw4.py")


def check_result(report, check_id: str):
    return next(c for c in report.checks if c.id == check_id)


def test_reference_as_student_scores_full_marks(grade, tmp_path):
    report = grade(as_hw4(tmp_path, REFERENCE / "hw4.py"))
    assert report.score == report.max_score == 20
    assert failing(report) == set()
    assert feedback(report, "train_epochs") == "`epochs_run` = 34, within 1 of the reference (34)"
    assert feedback(report, "train_tutorial_losses") == (
        "`losses` follows the reference at all 35 steps"
    )
    assert feedback(report, "train_final_bias").startswith("`final_bias` = -16.0019, within 0.05")
    assert feedback(report, "only_final_bias_changed") == (
        "`changed` is ['final_bias'], as expected"
    )
    assert feedback(report, "train_losses_floats") == (
        "train(...), in its list of losses, returned a Python float (the value)"
    )


@pytest.mark.parametrize(
    "fixture",
    [
        # buffers, torch.relu, SGD over [final_bias] only, a while loop
        "alt_correct.py",
        # frozen nn.Parameters built in a loop, clamp(min=0), one backward of the
        # summed loss per epoch, a hand-written update with grad = None, for/else;
        # trains at top level without a main guard
        "alt_correct_manual.py",
    ],
)
def test_correct_submission_in_another_style_scores_full_marks(grade, tmp_path, fixture):
    report = grade(as_hw4(tmp_path, HW4 / fixture))
    assert failing(report) == set()


def test_statquest_notebook_script_with_seaborn_plots_earns_its_checks(grade, tmp_path):
    # Imports matplotlib and seaborn and calls plt.show() twice: must not block.
    report = grade(as_hw4(tmp_path, HW4 / "tutorial.py"))
    assert report.execution.script_status == "completed"
    assert report.execution.wall_seconds < 60
    assert "Num steps: 34" in report.execution.stdout
    assert failing(report) == TRAIN_CHECKS
    assert report.score == 4  # the three forward checks and script_model
    signature = "train(model, inputs, labels, lr=0.1, max_epochs=100, tol=1e-4)"
    assert report.notes == [
        f"hw4.py does not define {signature} -> (epochs_run, losses); "
        "the checks that call it scored 0."
    ]
    assert feedback(report, "hidden_final_bias").startswith(f"hw4.py does not define {signature}")


def test_starter_runs_and_scores_low(grade, tmp_path):
    report = grade(as_hw4(tmp_path, ASSIGNMENTS / "hw4" / "starter.py"))
    assert report.execution.script_status == "completed"
    assert report.score <= 1
    assert feedback(report, "train_tutorial_losses").startswith(
        "`losses` has 0 entries, expected 35"
    )


def test_hard_coded_answers_earn_at_most_a_fifth_under_any_seed(grade, tmp_path):
    # Both files have a correct network and write the tutorial's final_bias
    # without training: one returns (34, [loss]), the other the tutorial's 35 losses.
    for fixture in ("hardcoded_final_bias.py", "tutorial_constants.py"):
        for seed in (None, PINNED_SEED):
            report = grade(as_hw4(tmp_path, HW4 / fixture), seed=seed)
            assert report.score <= 0.2 * report.max_score, (fixture, seed)
            assert failing(report) == TRAIN_CHECKS, (fixture, seed)
            assert feedback(report, "train_final_bias") == (
                "not counted: requires hidden_final_bias to pass "
                "(`final_bias` = -16.0019, within 0.05 of -16)"
            )


def test_a_students_mistakes_are_named_with_their_own_hints(grade, tmp_path):
    # Written unlike the mutants: the losses are tensors (summed with `+`), and
    # the optimizer is SGD([final_bias], lr=0.1) whatever `lr` says.
    report = grade(as_hw4(tmp_path, HW4 / "losses_tensors_ignores_lr.py"))
    assert failing(report) == (
        TUTORIAL_CHECKS | HIDDEN_CHECKS - {"hidden_first_loss", "capped_epochs"}
    ) | {"train_losses_floats"}

    tensors, tensors_hint = describe(MUTANTS / "losses_as_tensors.py")
    types = check_result(report, "train_losses_floats")
    assert types.feedback == (
        "train(...), in its list of losses, returned a Tensor; expected a Python float: "
        f"use .item(); this matches a known mistake: {tensors}"
    )
    assert types.mistakes == [tensors]
    assert types.hint == tensors_hint

    ignores_lr, ignores_lr_hint = describe(MUTANTS / "ignores_lr.py")
    hidden = check_result(report, "hidden_final_bias")
    assert hidden.feedback.endswith(f"; this matches a known mistake: {ignores_lr}")
    assert hidden.mistakes == [ignores_lr]
    assert hidden.hint == ignores_lr_hint
    # a public target counts once its hidden twin passes; no hint for a check that is right
    gated = check_result(report, "train_final_bias")
    assert gated.feedback.startswith("not counted: requires hidden_final_bias to pass")
    assert gated.mistakes == []


def test_hard_coded_final_bias_after_training_is_named(grade, tmp_path):
    report = grade(as_hw4(tmp_path, MUTANTS / "hardcoded_bias.py"))
    assert failing(report) == {
        "train_final_bias",
        "train_final_loss",
        "forward_trained",
        "only_final_bias_changed",
        "hidden_final_bias",
        "capped_final_bias",
    }
    assert feedback(report, "hidden_final_bias").startswith(
        "`converge.final_bias` = -16, expected -16.02"
    )


def test_stepping_before_the_tol_check_is_one_step_too_far(grade, tmp_path):
    # Within one epoch on the tutorial, as train_epochs allows, but the extra step
    # shows in the trained curve and the hidden final_bias and epochs.
    report = grade(as_hw4(tmp_path, MUTANTS / "step_before_check.py"))
    assert failing(report) == TUTORIAL_CHECKS - {"train_tutorial_losses"} | {
        "hidden_final_bias",
        "hidden_epochs",
    }
    assert feedback(report, "hidden_epochs").startswith("`converge.epochs_run` = ")
    assert "the allowed difference is 0 (off by 1)" in feedback(report, "hidden_epochs")
    assert feedback(report, "train_epochs") == (
        "not counted: requires hidden_epochs to pass "
        "(`epochs_run` = 35, within 1 of the reference (34))"
    )


def test_training_every_parameter_is_named(grade, tmp_path):
    report = grade(as_hw4(tmp_path, MUTANTS / "trains_all.py"))
    assert failing(report) == TUTORIAL_CHECKS | HIDDEN_CHECKS - {
        "hidden_first_loss",
        "capped_epochs",
    } | {"only_final_bias_trainable", "script_model"}
    named = (
        "; this matches a known mistake: every weight is left trainable, so SGD moves the "
        "fixed weights too"
    )
    assert feedback(report, "only_final_bias_changed") == (
        "`changed` is b10, final_bias, w10, w11, expected final_bias (not expected: b10, w10, w11)"
        + named
    )
    assert feedback(report, "only_final_bias_trainable").endswith(
        "(not expected: b00, b10, w00, w01, w10, w11)" + named
    )
    # a wrong final_bias does not cost the type checks: they need only computed values
    assert not TYPE_CHECKS & failing(report)


def test_forgetting_zero_grad_fails_training_but_not_forward(grade, tmp_path):
    report = grade(as_hw4(tmp_path, MUTANTS / "no_zero_grad.py"))
    assert failing(report) == TUTORIAL_CHECKS | HIDDEN_CHECKS - {
        "hidden_first_loss",
        "capped_epochs",
    } | {"script_model"}
    assert feedback(report, "only_final_bias_changed") == (
        "not counted: requires hidden_final_bias to pass (`changed` is ['final_bias'], as expected)"
    )
    assert feedback(report, "train_epochs").startswith(
        "`epochs_run` = 100, the reference gives 34; the allowed difference is 1 (off by 66)"
    )
    assert feedback(report, "hidden_losses").startswith("`converge.losses` has 100 entries")


@pytest.mark.parametrize(
    ("mutant", "expected_failures", "named_on"),
    [
        ("fixed_three_samples.py", {"capped_final_bias", "capped_losses"}, "capped_final_bias"),
        (
            "no_final_relu.py",
            TRAIN_CHECKS - {"hidden_first_loss", "capped_epochs"} - TYPE_CHECKS
            | {"forward_untrained", "forward_shifted", "script_model"},
            "forward_untrained",
        ),
        (
            "ignores_tol.py",
            TUTORIAL_CHECKS | {"hidden_final_bias", "hidden_losses", "hidden_epochs"},
            "hidden_epochs",
        ),
        (
            "ignores_lr.py",
            TUTORIAL_CHECKS | HIDDEN_CHECKS - {"hidden_first_loss", "capped_epochs"},
            "hidden_final_bias",
        ),
        (
            "ignores_max_epochs.py",
            {"capped_final_bias", "capped_losses", "capped_epochs", "train_epochs_int"},
            "capped_epochs",
        ),
        ("losses_as_tensors.py", {"train_losses_floats"}, "train_losses_floats"),
        (
            "losses_after_update.py",
            {
                "train_tutorial_losses",
                "hidden_first_loss",
                "hidden_losses",
                "capped_losses",
                "train_losses_floats",
            },
            "hidden_first_loss",
        ),
        ("counts_epochs_seen.py", {"train_epochs", "hidden_epochs"}, "hidden_epochs"),
    ],
)
def test_known_mistake_fails_its_checks_and_is_named(
    grade, tmp_path, mutant, expected_failures, named_on
):
    report = grade(as_hw4(tmp_path, MUTANTS / mutant))
    assert failing(report) == expected_failures
    description, hint = describe(MUTANTS / mutant)
    named = check_result(report, named_on)
    assert description in named.mistakes
    assert f"this matches a known mistake: {description}" in named.feedback or (
        "this matches known mistakes: " in named.feedback and description in named.feedback
    )
    if named.mistakes == [description]:
        assert named.hint == hint
