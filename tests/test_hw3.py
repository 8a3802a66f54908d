"""hw3 (LeNet as an nn.Module) graded end to end: which checks pass and fail, and why.

Each test grades one file once and asserts everything about its report, since
a grading run costs seconds (torch's import dominates). `train_step` is
tested on a small network the grader builds, never on the student's `Net`:
a wrong `Net` fails only the `Net` checks, a wrong `train_step` only the
`train_step` checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.mutants import describe
from autograder.spec import load_spec
from tests.conftest import ASSIGNMENTS, REFERENCE, SUBMISSIONS, as_student, failing, feedback

HW3 = SUBMISSIONS / "hw3"
MUTANTS = REFERENCE / "mutants" / "hw3"
SPEC = load_spec(ASSIGNMENTS / "hw3" / "assignment.toml")
FULL = 22
POINTS = {check.id: check.points for check in SPEC.checks}
NET_OUTPUT = {"forward", "gradients"}
TRAIN_STEP = {
    "train_step_loss",
    "train_step_returns_float",
    "train_step_parameters",
    "train_step_repeat",
    "train_converges",
}
KERNEL3 = "conv1.weight: expected (6, 1, 5, 5), got (6, 1, 3, 3)"


def as_hw3(tmp_path: Path, source: Path | str) -> Path:
    return as_student(tmp_path, source, "hw3.py")


def lost(check_ids: set[str]) -> float:
    return sum(POINTS[c] for c in check_ids)


def check_of(report, check_id: str):
    return next(c for c in report.checks if c.id == check_id)


def general_hint(check_id: str) -> str | None:
    return next(c.hint for c in SPEC.checks if c.id == check_id)


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
    assert feedback(report, "train_step_returns_float") == (
        "train_step(...) returned a Python float (the value)"
    )
    # train_step trained the grader's own network (two Linear layers), not a LeNet.
    assert feedback(report, "train_step_parameters") == (
        "all 4 entries of `parameters` match the reference"
    )


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
    assert failing(report) == TRAIN_STEP
    assert report.score == FULL - lost(TRAIN_STEP)
    assert {c.status for c in report.checks if c.id in failing(report)} == {"error"}
    assert feedback(report, "train_converges") == missing
    assert report.notes == [f"{missing}; the checks that call it scored 0."]
    assert report.execution is not None and report.execution.script_status == "completed"


def test_relu_after_fc3_fails_only_the_net_output_checks_and_is_named(grade, tmp_path):
    # Written differently from the mutant (a loop over fc1..fc3 with torch.relu), only
    # the contract and no script: the script checks are earned through the Net checks.
    report = grade(as_hw3(tmp_path, HW3 / "relu_fc3.py"))
    assert failing(report) == NET_OUTPUT
    assert report.score == FULL - lost(NET_OUTPUT)
    assert feedback(report, "script_net_output").startswith("earned through output_shape")
    description, hint = describe(MUTANTS / "relu_fc3.py")
    forward = check_of(report, "forward")
    assert forward.feedback.startswith("`output`: ")
    assert forward.feedback.endswith(f"; this matches a known mistake: {description}")
    assert description == "A relu after fc3: the network's outputs can never be negative"
    assert forward.mistakes == [description]
    assert forward.hint == hint is not None and "no activation" in hint
    assert check_of(report, "gradients").mistakes == [description]


def test_a_net_mistake_no_mutant_knows_gets_the_general_hint(grade, tmp_path):
    report = grade(as_hw3(tmp_path, HW3 / "missing_relu.py"))  # no relu after fc2
    assert failing(report) == NET_OUTPUT
    assert report.score == FULL - lost(NET_OUTPUT)
    assert feedback(report, "forward").startswith(
        "`output`: 90 of 90 elements differ from the reference (rtol 1e-05, atol 1e-06); worst at"
    )
    assert feedback(report, "gradients").startswith("`gradients[conv1.weight]`: ")
    assert feedback(report, "gradients").endswith(
        "(10 of 10 entries differ: conv1.weight, conv1.bias, conv2.weight, conv2.bias, "
        "fc1.weight, ...)"
    )
    forward = check_of(report, "forward")
    assert forward.mistakes == [] and "known mistake" not in forward.feedback
    assert forward.hint == general_hint("forward")


def test_flatten_that_mixes_samples_fails_the_net_checks_only(grade, tmp_path):
    # x.reshape(400, -1).t(): shape (N, 400) but values from different samples mixed.
    report = grade(as_hw3(tmp_path, HW3 / "flatten_mixed.py"))
    assert failing(report) == NET_OUTPUT | {"output_shape", "script_net_output"}
    assert feedback(report, "output_shape") == (
        "Net()(x) with the images of x in another order does not give the same outputs in "
        "that order: each output row must be computed from its own image only"
    )
    assert feedback(report, "train_converges").endswith("below 0.1")


def test_3x3_kernels_fail_only_the_checks_about_the_layers(grade, tmp_path):
    report = grade(as_hw3(tmp_path, HW3 / "kernel3.py"))
    layers = {"parameter_shapes", "parameter_count", "script_net_parameters"}
    assert failing(report) == layers | NET_OUTPUT
    # output_shape and script_net_output pass: a 3x3 LeNet still maps to 10; every
    # train_step check passes: it trains the grader's network.
    assert report.score == FULL - lost(layers | NET_OUTPUT) == 12
    assert feedback(report, "parameter_count") == (
        "expected 10 parameter tensors with 61,706 values, got 10 parameter tensors with "
        "81,194 values; this matches a known mistake: "
        "3x3 kernels, fc1 resized to fit: the parameter shapes differ"
    )
    shapes = check_of(report, "parameter_shapes")
    assert shapes.feedback.startswith(
        f"{KERNEL3}; 2 more differences (expected 10 parameter tensors with 61,706 values, "
        "got 10 parameter tensors with 81,194 values)"
    )
    assert shapes.hint == describe(MUTANTS / "kernel3x3.py")[1]
    for check_id in NET_OUTPUT:
        text = feedback(report, check_id)
        assert KERNEL3 in text
        assert "Traceback" not in text and "size mismatch" not in text
    assert {c.status for c in report.checks if c.id in NET_OUTPUT} == {"error"}


def test_forgetting_zero_grad_fails_only_the_repeated_steps(grade, tmp_path):
    report = grade(as_hw3(tmp_path, HW3 / "no_zero_grad.py"))
    # One step from fresh gradients is right; the second adds the first's gradients.
    assert failing(report) == {"train_step_repeat", "train_converges"}
    assert report.score == FULL - lost({"train_step_repeat", "train_converges"})
    assert feedback(report, "train_step_repeat").startswith("`second_parameters[0.weight]`: ")
    description, hint = describe(MUTANTS / "no_zero_grad.py")
    repeat = check_of(report, "train_step_repeat")
    assert repeat.mistakes == [description]
    assert repeat.feedback.endswith(f"; this matches a known mistake: {description}")
    assert repeat.hint == hint is not None and "optimizer.zero_grad()" in hint
    assert "optimizer.zero_grad()" not in (general_hint("train_step_repeat") or "")


def test_a_loss_tensor_fails_only_the_type_check(grade, tmp_path):
    # return loss.detach(): the right value, but a tensor (a script loop collects them).
    report = grade(as_hw3(tmp_path, HW3 / "returns_tensor.py"))
    assert failing(report) == {"train_step_returns_float"}
    assert report.score == FULL - 1
    description, hint = describe(MUTANTS / "returns_tensor.py")
    check = check_of(report, "train_step_returns_float")
    assert check.feedback == (
        "train_step(...) returned a Tensor; expected a Python float: use .item(); "
        f"this matches a known mistake: {description}"
    )
    assert check.mistakes == [description] and check.hint == hint


def test_hard_coded_batch_size_fails_on_the_hidden_batch(grade, tmp_path):
    report = grade(as_hw3(tmp_path, HW3 / "hardcoded_batch.py"))  # x.view(4, 400)
    # train_step is right and never meets this Net.
    assert failing(report) == NET_OUTPUT | {"output_shape", "script_net_output"}
    assert report.score == 13
    text = feedback(report, "output_shape")
    assert text.startswith("RuntimeError: shape '[4, 400]' is invalid for input of size")
    assert "hw3.py, line 20, in forward: x = x.view(BATCH_SIZE, 400)" in text


@pytest.mark.parametrize("seed", [None, 12345])
def test_fixed_answers_score_at_most_a_fifth(grade, tmp_path, seed):
    # The layers as the README declares them; forward returns the tutorial's printed
    # output for every image, train_step the tutorial's printed loss.
    report = grade(as_hw3(tmp_path, HW3 / "hardcoded.py"), seed=seed)
    assert (report.seed, report.seed_source) == (
        (seed, "pinned") if seed is not None else (SPEC.seed, "public")
    )
    passed = {c.id for c in report.checks if c.status == "passed"}
    assert passed == {
        "parameter_shapes",
        "parameter_count",
        "train_step_returns_float",
        "script_net_parameters",
    }
    assert report.score / report.max_score <= 0.2
    assert feedback(report, "output_shape").startswith("Net()(x) gives the same output row for ")


def test_starter_runs_and_scores_nothing(grade, tmp_path):
    report = grade(as_hw3(tmp_path, ASSIGNMENTS / "hw3" / "starter.py"))
    assert report.status == "graded"
    assert report.execution is not None and report.execution.script_status == "completed"
    assert report.score == 0
    assert feedback(report, "parameter_shapes").startswith(
        "conv1.weight: expected (6, 1, 5, 5), got no such parameter; 9 more differences"
    )
    assert feedback(report, "output_shape").startswith("NotImplementedError: Net.forward\n")
