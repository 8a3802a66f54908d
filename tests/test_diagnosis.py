"""Diagnosis by known mistakes, whole-array patterns, type messages and argument
variation: the pure pieces, each on the values that reach them in a real run."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from autograder.checks import COMPARATORS
from autograder.checks.alike import Observed, same_values
from autograder.checks.allclose import pattern
from autograder.diagnosis import KnownMistake, diagnose
from autograder.harness.protocol import TensorValue
from autograder.mutants import Mutant, describe
from autograder.outputs import HarnessOutput, ProbeOutcome, ScriptOutcome
from autograder.probing.client import fingerprint
from autograder.probing.context import returned_type
from autograder.spec import AllcloseCheck, ThresholdCheck, TypeCheck
from autograder.variation import unvaried_arguments
from tests.conftest import ASSIGNMENTS, REFERENCE, run_cli

RNG = np.random.default_rng(0)
GRAD = RNG.standard_normal((5, 3))


def test_a_constant_factor_is_named_as_a_fraction_or_a_multiple():
    assert pattern(GRAD, GRAD / 64) == "every element is 1/64 of the reference's"
    assert pattern(GRAD, GRAD * 2) == "every element is 2 times the reference's"
    assert pattern(GRAD, -GRAD) == "every element is the reference's with the opposite sign"
    assert pattern(GRAD, GRAD * 0.37) == "every element is 0.37 times the reference's"
    assert pattern(GRAD, np.zeros_like(GRAD)) == "every element is 0"


def test_a_transpose_is_named_and_noise_is_not_a_pattern():
    assert pattern(GRAD, GRAD.T.copy()) == "it is the transpose of the expected result"
    assert pattern(GRAD, RNG.standard_normal((3, 5))) == "that is the expected shape transposed"
    assert pattern(GRAD, GRAD + RNG.standard_normal(GRAD.shape)) is None
    assert pattern(GRAD, np.full_like(GRAD, np.nan)) is None


def test_allclose_feedback_carries_the_pattern():
    check = AllcloseCheck(
        id="g", description="d", points=1, kind="allclose", probe="p", value="grad_w1"
    )
    verdict = COMPARATORS["allclose"].decide(check, GRAD / 64, GRAD)
    assert not verdict.passed
    assert verdict.feedback.endswith("; every element is 1/64 of the reference's")
    shape = COMPARATORS["allclose"].decide(check, GRAD.T.copy(), GRAD)
    assert shape.feedback == (
        "`grad_w1` has shape (3, 5), expected (5, 3): it is the transpose of the expected result"
    )


TYPE_CHECK = TypeCheck(
    id="t",
    description="d",
    points=1,
    kind="type",
    probe="p",
    value="returned",
    expected="float",
    label="train_step(...)",
)


def test_type_messages_say_what_came_back_and_how_to_fix_it():
    tensor = returned_type(TensorValue(np.zeros(()), "float32", False))
    decide = COMPARATORS["type"].decide
    assert decide(TYPE_CHECK, tensor, None).feedback == (
        "train_step(...) returned a Tensor; expected a Python float: use .item()"
    )
    assert decide(TYPE_CHECK, returned_type(None), None).feedback == (
        "train_step(...) returned None; expected a Python float: return the value, not None"
    )
    listing = [returned_type(1.5), returned_type(np.float32(2.0))]
    assert decide(TYPE_CHECK, listing, None).feedback == (
        "train_step(...) returned a NumPy array as item 1; expected a Python float: use .item()"
    )
    assert decide(TYPE_CHECK, returned_type(0.25), None).passed
    assert not decide(TYPE_CHECK, returned_type(True), None).passed


def test_alike_values_within_a_tight_relative_tolerance_only():
    assert same_values({"w": GRAD, "n": 3}, {"w": GRAD * (1 + 1e-7), "n": 3})
    assert not same_values({"w": GRAD}, {"w": GRAD * 1.01})
    assert not same_values(GRAD, GRAD.T)
    assert not same_values("3", 3)
    assert same_values(["final_bias", "w00"], ("final_bias", "w00"))
    assert not same_values(["final_bias", "w00"], ["final_bias"])
    assert same_values(["Tensor", "float"], ["Tensor", "float"])
    assert not same_values(["Tensor", "float"], ["float", "float"])
    assert same_values(float("nan"), float("nan"))


def _mutant(name: str, hint: str | None = None) -> Mutant:
    return Mutant(Path(f"{name}.py"), f"the {name} mistake", hint)


def test_a_failing_value_is_diagnosed_only_by_a_mutant_that_fails_alike():
    check = AllcloseCheck(
        id="grad", description="d", points=1, kind="allclose", probe="p", value="g", rtol=1e-6
    )
    mine = Observed(GRAD / 64, GRAD)
    known = [
        KnownMistake(
            _mutant("mean", "divide by nothing"),
            {"grad": Observed(GRAD / 64, GRAD)},
            frozenset({"grad"}),
        ),
        KnownMistake(_mutant("sign"), {"grad": Observed(-GRAD, GRAD)}, frozenset({"grad"})),
        # alike, but this mutant passes the check: its value is no mistake here
        KnownMistake(_mutant("other"), {"grad": Observed(GRAD / 64, GRAD)}, frozenset()),
    ]
    diagnosis = diagnose(check, mine, known)
    assert diagnosis is not None
    assert [m.description for m in diagnosis.mistakes] == ["the mean mistake"]
    assert diagnosis.text == "this matches a known mistake: the mean mistake"
    assert diagnosis.hint == "divide by nothing"
    assert diagnose(check, Observed(GRAD * 3, GRAD), known) is None


def test_bound_checks_compare_the_values_themselves():
    check = ThresholdCheck(
        id="conv", description="d", points=1, kind="threshold", probe="p", value="v", below=1e-4
    )
    known = [KnownMistake(_mutant("ascent"), {"conv": Observed(2.5e4, None)}, frozenset({"conv"}))]
    assert diagnose(check, Observed(2.5e4 * (1 + 1e-8), None), known) is not None
    assert diagnose(check, Observed(0.5, None), known) is None


def test_a_mutant_docstring_gives_description_and_hint(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(
        '"""Mutant: the loss is the mean, not the sum.\n\nSome detail.\n\n'
        'Hint: loss_fn and backward use the sum;\n  dividing by N scales every gradient.\n"""\n'
    )
    assert describe(path) == (
        "the loss is the mean, not the sum",
        "loss_fn and backward use the sum; dividing by N scales every gradient.",
    )
    path.write_text('"""Forgets the ReLU mask."""\n')
    assert describe(path) == ("Forgets the ReLU mask", None)


def _calls(*calls: tuple[str, list, dict]) -> HarnessOutput:
    recorded = [
        {
            "function": f,
            "args": [fingerprint(a) for a in args],
            "kwargs": {k: fingerprint(v) for k, v in kwargs.items()},
        }
        for f, args, kwargs in calls
    ]
    return HarnessOutput(ScriptOutcome("completed"), {"p": ProbeOutcome("ok", calls=recorded)})


def test_unvaried_arguments_are_named(tmp_path):
    reference = tmp_path / "ref.py"
    reference.write_text(
        "def train(model, x, lr=0.1, tol=1e-4):\n    pass\n\ndef loss(y):\n    pass\n"
    )
    x1, x2 = RNG.standard_normal(3), RNG.standard_normal(3)
    model = object()  # an object passed by handle: judged by identity, not value
    assert fingerprint(model) is None
    output = _calls(
        ("train", [model, x1], {"lr": 0.5}),
        ("train", [model, x2], {"tol": 1e-4}),  # the default, given: the same as omitted
    )
    assert unvaried_arguments(reference, ["train", "loss"], output) == [
        "train(tol)",
        "loss(y)",
    ]
    varied = _calls(("train", [model, x1], {"tol": 0.5}), ("train", [model, x2], {"lr": 0.2}))
    varied.probes["p"].calls += _calls(("loss", [x1], {}), ("loss", [x2], {})).probes["p"].calls
    assert unvaried_arguments(reference, ["train", "loss"], varied) == []


def test_validate_names_an_unvaried_argument_and_an_undiagnosed_mutant(tmp_path):
    """A weakened copy of hw1: train_hidden no longer passes learning_rate, and a
    mutant whose only failures are exceptions, which no value can match."""
    root = tmp_path / "assignments"
    shutil.copytree(ASSIGNMENTS / "hw1", root / "hw1", ignore=shutil.ignore_patterns("__pycache__"))
    probes = root / "hw1" / "probes.py"
    source = probes.read_text()
    weakened = source.replace("learning_rate=float(ctx.rng.uniform(2e-4, 1e-3)), ", "")
    assert weakened != source
    probes.write_text(weakened)
    reference = tmp_path / "reference"
    (reference / "mutants" / "hw1").mkdir(parents=True)
    shutil.copy(REFERENCE / "hw1.py", reference / "hw1.py")
    correct = (REFERENCE / "hw1.py").read_text()
    # Raises on the hidden problems only: the tutorial-sized runs work, so its
    # every failure is an exception, which no value can match.
    crashing = correct.replace(
        "def backward(x, y, w1, w2):",
        "def backward(x, y, w1, w2):\n    if len(x) != 64:\n        raise ValueError('no')",
        1,
    )
    assert crashing != correct
    (reference / "mutants" / "hw1" / "backward_raises.py").write_text(
        '"""Mutant: backward raises."""\n' + crashing
    )
    result = run_cli(
        "validate", "hw1", "--sandbox", "none", "--assignments", str(root), cwd=tmp_path
    )
    assert result.returncode == 1
    assert "hw1/backward_raises.py: UNDIAGNOSED: it fails " in result.stderr
    assert (
        "hw1/probes.py: UNVARIED: no probe varies train(learning_rate); a submission that "
        in result.stderr
    )
    assert result.stderr.startswith("autograde: 2 of 4 validation trials failed: ")
