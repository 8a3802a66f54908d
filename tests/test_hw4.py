"""hw4 graded end to end: StatQuest's BasicNN_train, training only final_bias."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ASSIGNMENTS, REFERENCE, SUBMISSIONS, as_student, failing, feedback

HW4 = SUBMISSIONS / "hw4"
MUTANTS = REFERENCE / "mutants" / "hw4"
TRAIN_CHECKS = {
    "train_final_bias",
    "train_final_loss",
    "train_epochs",
    "train_tutorial_losses",
    "forward_trained",
    "train_returns_numbers",
    "only_final_bias_changed",
    "hidden_final_bias",
    "hidden_losses",
    "hidden_epochs",
    "capped_final_bias",
    "capped_losses",
    "capped_epochs",
}


def as_hw4(tmp_path: Path, source: Path | str) -> Path:
    return as_student(tmp_path, source, "hw4.py")


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
    passed = {c.id for c in report.checks if c.status == "passed"}
    assert passed == {
        "forward_untrained",
        "forward_shifted",
        "only_final_bias_trainable",
        "script_model",
    }
    assert report.score == 5
    assert failing(report) == TRAIN_CHECKS
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
    assert feedback(report, "train_tutorial_losses") == "`losses` has 0 entries, expected 35"


def test_hard_coded_final_bias_passes_the_tutorial_but_not_hidden_variants(grade, tmp_path):
    report = grade(as_hw4(tmp_path, MUTANTS / "hardcoded_bias.py"))
    assert report.checks[2].id == "train_final_bias" and report.checks[2].status == "passed"
    assert failing(report) == {
        "train_final_loss",
        "forward_trained",
        "hidden_final_bias",
        "capped_final_bias",
    }
    assert feedback(report, "hidden_final_bias").startswith(
        "`converge.final_bias` = -16, expected -15.9956"
    )


def test_stepping_before_the_tol_check_is_one_step_too_far(grade, tmp_path):
    # Within one epoch on the tutorial, as the rubric allows, but the extra
    # step shows in the trained curve and in the hidden final_bias.
    report = grade(as_hw4(tmp_path, MUTANTS / "step_before_check.py"))
    assert failing(report) == {"forward_trained", "hidden_final_bias", "hidden_epochs"}
    assert feedback(report, "hidden_epochs").endswith("the allowed difference is 0 (off by 1)")
    assert feedback(report, "train_epochs") == "`epochs_run` = 35, within 1 of the reference (34)"


def test_training_every_parameter_is_named(grade, tmp_path):
    report = grade(as_hw4(tmp_path, MUTANTS / "trains_all.py"))
    assert {"only_final_bias_changed", "only_final_bias_trainable"} <= failing(report)
    assert feedback(report, "only_final_bias_changed") == (
        "`changed` is b10, final_bias, w10, w11, expected final_bias (not expected: b10, w10, w11)"
    )
    assert feedback(report, "only_final_bias_trainable").endswith(
        "(not expected: b00, b10, w00, w01, w10, w11)"
    )
    # the forward checks and capped_epochs; train_returns_numbers requires train_tutorial_losses
    assert report.score == 4
    assert feedback(report, "train_returns_numbers") == (
        "not counted: requires train_tutorial_losses to pass (`plain_numbers` is True, as expected)"
    )


def test_forgetting_zero_grad_fails_training_but_not_forward(grade, tmp_path):
    report = grade(as_hw4(tmp_path, MUTANTS / "no_zero_grad.py"))
    # train_returns_numbers requires train_tutorial_losses, which fails
    assert failing(report) == (TRAIN_CHECKS - {"only_final_bias_changed", "capped_epochs"}) | {
        "script_model"
    }
    assert feedback(report, "train_returns_numbers") == (
        "not counted: requires train_tutorial_losses to pass (`plain_numbers` is True, as expected)"
    )
    assert feedback(report, "train_epochs") == (
        "`epochs_run` = 100, the reference gives 34; the allowed difference is 1 (off by 66)"
    )
    assert feedback(report, "hidden_losses") == "`converge.losses` has 100 entries, expected 18"


@pytest.mark.parametrize(
    ("mutant", "expected_failures"),
    [
        ("fixed_three_samples.py", {"capped_final_bias", "capped_losses"}),
        (
            "no_final_relu.py",
            TRAIN_CHECKS - {"only_final_bias_changed", "capped_epochs"}
            | {"forward_untrained", "forward_shifted", "script_model"},
        ),
    ],
)
def test_known_bug_fails_exactly_its_checks(grade, tmp_path, mutant, expected_failures):
    report = grade(as_hw4(tmp_path, MUTANTS / mutant))
    assert failing(report) == expected_failures


def test_ignoring_tol_fails_the_hidden_run_that_varies_it(grade, tmp_path):
    report = grade(as_student(tmp_path, MUTANTS / "ignores_tol.py", "hw4.py"))
    assert failing(report) == {"hidden_final_bias", "hidden_losses", "hidden_epochs"}
    assert feedback(report, "hidden_epochs").startswith("`converge.epochs_run` = ")
