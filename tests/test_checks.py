"""The comparison functions on their own: pure, so tested with plain values."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.checks import allclose, gradcheck, sequence, threshold
from autograder.checks.allclose import compare_arrays
from autograder.checks.rules import RunFacts, forbidden_imports
from autograder.outputs import TensorValue
from autograder.spec import (
    AllcloseCheck,
    ForbiddenImportsCheck,
    GradcheckCheck,
    SequenceCheck,
    ThresholdCheck,
    WithinCheck,
)
from autograder.static import Finding
from autograder.static import forbidden_imports as static_imports

COMMON = {"id": "c", "description": "d", "points": 1, "probe": "p"}


def spec_allclose(**kw) -> AllcloseCheck:
    return AllcloseCheck(kind="allclose", value="grad", **COMMON, **kw)


def test_allclose_reports_shape_before_values():
    verdict = allclose.check(spec_allclose(), np.zeros((3, 4)), np.zeros((4, 3)))
    assert not verdict.passed
    assert verdict.feedback == (
        "`grad` has shape (3, 4), expected (4, 3): that is the expected shape transposed"
    )


def test_allclose_names_worst_element_count_and_values():
    expected = np.arange(12, dtype=float).reshape(3, 4)
    actual = expected.copy()
    actual[1, 2] = -6.0
    actual[2, 3] += 1e-3
    verdict = allclose.check(spec_allclose(rtol=1e-5), actual, expected)
    assert verdict.feedback == (
        "`grad`: 2 of 12 elements differ from the reference (rtol 1e-05, atol 1e-08); "
        "worst at index (1, 2): expected 6, got -6 (relative error 2)"
    )


def test_allclose_relative_error_mode_and_scalars():
    verdict = allclose.check(spec_allclose(max_rel_error=1e-6), 2.0, 1.0)
    assert verdict.feedback == (
        "`grad` = 2, expected 1 (relative error 0.5; allowed: relative error above 1e-06)"
    )
    assert allclose.check(spec_allclose(max_rel_error=1e-6), 1.0 + 1e-9, 1.0).passed


def test_allclose_flags_nan_and_wrong_types():
    verdict = allclose.check(spec_allclose(), np.array([1.0, np.nan]), np.array([1.0, 2.0]))
    assert verdict.feedback == (
        "`grad` has 1 non-finite element (NaN or inf), first at index 1: expected 2, got nan"
    )
    assert allclose.check(spec_allclose(), None, np.zeros(2)).feedback == (
        "`grad` should be numeric, got None"
    )
    assert allclose.check(spec_allclose(), "text", np.zeros(2)).feedback == (
        "`grad` should be numeric, got str 'text'"
    )


def test_allclose_accepts_lists_and_tensors_with_dtype_option():
    tensor = TensorValue(np.ones(3, np.float32), "torch.float32", False, True, None)
    assert allclose.check(spec_allclose(), [1, 1, 1], np.ones(3)).passed
    assert allclose.check(spec_allclose(), tensor, np.ones(3)).passed
    verdict = allclose.check(spec_allclose(check_dtype=True), tensor, np.ones(3))
    assert verdict.feedback == "`grad` has dtype float32, expected float64"


def test_sequence_reports_first_divergence_and_length():
    spec = SequenceCheck(kind="sequence", value="losses", **COMMON)
    verdict = sequence.check(spec, [1.0, 2.0, 3.5, 4.5], [1.0, 2.0, 3.0, 4.0])
    assert verdict.feedback == (
        "`losses` departs from the reference at step 2 (expected 3, got 3.5); 2 of 4 steps differ"
    )
    assert sequence.check(spec, [1.0], [1.0, 2.0]).feedback == (
        "`losses` has 1 entries, expected 2"
    )
    assert sequence.check(spec, 3.0, [1.0]).feedback == (
        "`losses` should be a sequence, got float 3.0"
    )


def test_within_and_threshold():
    within = WithinCheck(kind="within", value="w", target=3.0, tol=0.1, **COMMON)
    assert threshold.within(within, 2.95, None).passed
    assert threshold.within(within, 2.5, None).feedback == (
        "`w` = 2.5, should be within 0.1 of 3 (off by 0.5)"
    )
    below = ThresholdCheck(kind="threshold", value="loss", below=1e-4, **COMMON)
    assert threshold.threshold(below, 1.0, None).feedback == "`loss` = 1, should be below 0.0001"
    assert not threshold.threshold(below, float("nan"), None).passed
    assert threshold.threshold(below, float("-inf"), None).feedback == (
        "`loss` = -inf, which is not a finite number"
    )
    assert threshold.threshold(below, [1, 2], None).feedback == (
        "`loss` should be a single number, got shape (2,)"
    )


def test_threshold_needs_a_bound():
    with pytest.raises(ValueError, match="needs `below` or `above`"):
        ThresholdCheck(kind="threshold", value="x", **COMMON)


def test_gradcheck_compares_against_finite_differences():
    spec = GradcheckCheck(kind="gradcheck", value="g", numeric="n", max_rel_error=1e-5, **COMMON)
    assert gradcheck.check(spec, np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9])).passed
    verdict = gradcheck.check(spec, np.array([1.0, -2.0]), np.array([1.0, 2.0]))
    assert verdict.feedback.startswith(
        "`g`: 1 of 2 elements differ from central finite differences"
    )
    assert "finite differences give 2, got -2" in verdict.feedback


def test_gradcheck_fails_when_finite_differences_are_not_finite():
    # A loss that returns NaN must not make any gradient "agree" with it.
    spec = GradcheckCheck(kind="gradcheck", value="g", numeric="n", max_rel_error=1e-5, **COMMON)
    verdict = gradcheck.check(spec, np.ones(3), np.array([np.nan, np.nan, np.inf]))
    assert not verdict.passed
    assert verdict.feedback == (
        "central finite differences of your loss are not finite (NaN or inf), so `g` cannot be "
        "checked against them: check the loss function"
    )


def test_gradcheck_of_a_loss_that_ignores_the_weights_proves_nothing():
    spec = GradcheckCheck(kind="gradcheck", value="g", numeric="n", max_rel_error=1e-5, **COMMON)
    verdict = gradcheck.check(spec, np.zeros(3), np.zeros(3))
    assert not verdict.passed
    assert verdict.feedback == (
        "your loss does not change when the weights change (its finite differences are all "
        "zero), so `g` cannot be checked against them: a gradient check of a constant proves "
        "nothing"
    )
    reason = "backward returned grad_w1 of shape (2,), expected (3,) (the shape of w1)"
    assert gradcheck.check(spec, np.zeros(2), reason).feedback == reason


def test_max_relative_error_fails_a_finite_value_against_nan():
    verdict = compare_arrays(
        "g", np.array([1.0, np.nan]), np.array([1.0, 5.0]), rtol=0, atol=0, max_rel_error=1e-6
    )
    assert not verdict.passed
    assert verdict.feedback.startswith("`g`: 1 of 2 elements differ from the reference")


def test_static_imports_see_code_that_never_runs():
    source = "import numpy\nif False:\n    import torch.nn as nn\nfrom jax import grad\n"
    assert static_imports(source, {"torch", "jax"}) == [
        Finding("torch.nn", 3),
        Finding("jax", 4),
    ]
    spec = ForbiddenImportsCheck(kind="forbidden_imports", id="c", description="d", points=1)
    facts = RunFacts(source=source, forbidden=("torch", "jax"), enforced=True)
    verdict = forbidden_imports(spec, facts, None)
    assert not verdict.passed
    assert verdict.feedback == (
        "the submission imports torch.nn (line 3), jax (line 4); this assignment forbids torch, jax"
    )
