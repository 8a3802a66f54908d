"""hw3 (LeNet as an nn.Module) graded end to end: which checks pass and fail, and why.

Each test grades one file once and asserts everything about its report, since
a grading run costs seconds (torch's import dominates).
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ASSIGNMENTS, REFERENCE, SUBMISSIONS, as_student, failing, feedback

HW3 = SUBMISSIONS / "hw3"
FULL = 17
NUMERIC = {"forward", "gradients", "train_step_loss", "train_step_parameters", "train_step_repeat"}
KERNEL3 = "conv1.weight: expected (6, 1, 5, 5), got (6, 1, 3, 3)"


def as_hw3(tmp_path: Path, source: Path | str) -> Path:
    return as_student(tmp_path, source, "hw3.py")


def test_reference_as_student_scores_full_marks(grade, tmp_path):
    report = grade(as_hw3(tmp_path, REFERENCE / "hw3.py"))
    assert report.status == "graded"
    assert report.score == report.max_score == FULL
    assert failing(report) == set()
    assert report.notes == []
    assert feedback(report, "parameter_shapes") == (
        "10 parameter tensors with 61,706 values, with the reference's names and shapes"
    )
    assert feedback(report, "gradients") == "all 10 entries of `gradients` match the reference"


def test_correct_submission_in_another_style_scores_full_marks(grade, tmp_path):
    # nn.MaxPool2d / nn.ReLU / nn.Flatten modules, a hand-written MSE, net.zero_grad(),
    # momentum in its own loop, and matplotlib + seaborn with plt.show() at the end.
    report = grade(as_hw3(tmp_path, HW3 / "alt_correct.py"))
    assert failing(report) == set()
    assert report.score == FULL
    assert report.execution is not None
    assert report.execution.script_status == "completed"  # plt.show() did not block


def test_tutorial_script_earns_the_net_checks_and_is_told_train_step_is_missing(grade, tmp_path):
    # The PyTorch blitz typed in: class Net, net = Net(), print, backward, one SGD step,
    # a seaborn heatmap and plt.show().
    report = grade(as_hw3(tmp_path, HW3 / "tutorial.py"))
    missing = "hw3.py does not define train_step(net, optimizer, inputs, target) -> float"
    train_checks = {
        "train_step_loss",
        "train_step_returns_float",
        "train_step_parameters",
        "train_step_repeat",
    }
    assert failing(report) == train_checks | {"train_converges"}
    assert report.score == FULL - 6
    assert {c.status for c in report.checks if c.id in failing(report)} == {"error"}
    assert feedback(report, "train_converges") == missing
    assert report.notes == [f"{missing}; the checks that call it scored 0."]
    assert report.execution is not None and report.execution.script_status == "completed"


def test_missing_relu_fails_every_comparison_with_the_same_weights(grade, tmp_path):
    report = grade(as_hw3(tmp_path, HW3 / "missing_relu.py"))  # no relu after fc2
    # train_step_returns_float requires train_step_loss, so it is not counted either.
    assert failing(report) == NUMERIC | {"train_step_returns_float"}
    assert report.score == FULL - 10
    assert feedback(report, "train_step_returns_float") == (
        "not counted: requires train_step_loss to pass (`returns_number` is True, as expected)"
    )
    assert feedback(report, "forward").startswith(
        "`output`: 90 of 90 elements differ from the reference (rtol 1e-05, atol 1e-06); worst at"
    )
    assert feedback(report, "gradients").startswith("`gradients[conv1.weight]`: ")
    assert feedback(report, "gradients").endswith(
        "(10 of 10 entries differ: conv1.weight, conv1.bias, conv2.weight, conv2.bias, "
        "fc1.weight, ...)"
    )
    hint = next(c.hint for c in report.checks if c.id == "forward")
    assert hint is not None and "no relu after fc3" in hint


def test_flatten_that_mixes_samples_fails_the_comparisons(grade, tmp_path):
    # x.reshape(400, -1).t(): shape (N, 400) but values from different samples mixed.
    report = grade(as_hw3(tmp_path, HW3 / "flatten_mixed.py"))
    # train_converges now also checks that each output comes from its own image.
    assert failing(report) == NUMERIC | {"train_step_returns_float", "train_converges"}
    assert feedback(report, "train_step_returns_float").startswith(
        "not counted: requires train_step_loss to pass"
    )
    assert feedback(report, "train_converges") == (
        "after training, Net()(x) with the images of x in another order does not give the "
        "same outputs in that order: each output must be computed from its own image"
    )
    assert feedback(report, "output_shape") == "`shape` equals the reference"


def test_3x3_kernels_are_named_not_a_traceback(grade, tmp_path):
    report = grade(as_hw3(tmp_path, HW3 / "kernel3.py"))
    needs_weights = NUMERIC | {"train_converges", "train_step_returns_float"}
    assert failing(report) == needs_weights | {
        "parameter_shapes",
        "parameter_count",
        "script_net_parameters",
    }
    assert report.score == 2  # output_shape and script_net_output: a 3x3 LeNet still maps to 10
    assert feedback(report, "parameter_shapes") == (
        f"{KERNEL3}; 2 more differences (expected 10 parameter tensors with 61,706 values, "
        "got 10 parameter tensors with 81,194 values)"
    )
    assert feedback(report, "parameter_count") == (
        "expected 10 parameter tensors with 61,706 values, got 10 parameter tensors with "
        "81,194 values"
    )
    for check_id in needs_weights:
        text = feedback(report, check_id)
        assert KERNEL3 in text
        assert "Traceback" not in text and "size mismatch" not in text
    assert {c.status for c in report.checks if c.id in needs_weights} == {"error"}


def test_forgetting_zero_grad_fails_the_second_step(grade, tmp_path):
    report = grade(as_hw3(tmp_path, HW3 / "no_zero_grad.py"))
    # One step from fresh gradients is right; the second adds the first's gradients.
    assert failing(report) == {"train_step_repeat", "train_converges"}
    assert report.score == FULL - 2
    assert feedback(report, "train_step_repeat").startswith("`second_parameters[conv1.weight]`: ")
    hint = next(c.hint for c in report.checks if c.id == "train_step_repeat")
    assert hint is not None and "optimizer.zero_grad()" in hint


def test_hard_coded_batch_size_fails_on_the_hidden_batch(grade, tmp_path):
    report = grade(as_hw3(tmp_path, HW3 / "hardcoded_batch.py"))  # x.view(4, 400)
    assert {c.id for c in report.checks if c.status == "passed"} == {
        "parameter_shapes",
        "parameter_count",
        "script_net_parameters",
    }
    assert report.score == 4
    text = feedback(report, "output_shape")
    assert text.startswith("RuntimeError: shape '[4, 400]' is invalid for input of size")
    assert "hw3.py, line 20, in forward: x = x.view(BATCH_SIZE, 400)" in text


def test_starter_runs_and_scores_nothing(grade, tmp_path):
    report = grade(as_hw3(tmp_path, ASSIGNMENTS / "hw3" / "starter.py"))
    assert report.status == "graded"
    assert report.execution is not None and report.execution.script_status == "completed"
    assert report.score == 0
    assert feedback(report, "parameter_shapes").startswith(
        "conv1.weight: expected (6, 1, 5, 5), got no such parameter; 9 more differences"
    )
    assert feedback(report, "output_shape").startswith("NotImplementedError: Net.forward\n")
