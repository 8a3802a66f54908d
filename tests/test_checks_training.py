"""Unit tests for the training/autograd check kinds: `expect` and `within_reference`."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from autograder.checks import COMPARATORS, expect, within_reference
from autograder.outputs import TensorValue
from autograder.spec import Check, ExpectCheck, WithinReferenceCheck

CHECK = TypeAdapter(Check)
COMMON = {"id": "c", "description": "d", "points": 1, "probe": "p"}


def expect_spec(value: str = "v", **fields) -> ExpectCheck:
    check = CHECK.validate_python({**COMMON, "kind": "expect", "value": value, **fields})
    assert isinstance(check, ExpectCheck)
    return check


def within_spec(tol: float, value: str = "epochs_run") -> WithinReferenceCheck:
    check = CHECK.validate_python(
        {**COMMON, "kind": "within_reference", "value": value, "tol": tol}
    )
    assert isinstance(check, WithinReferenceCheck)
    return check


def tensor(values, requires_grad: bool = False) -> TensorValue:
    return TensorValue(
        np.asarray(values, dtype=np.float32), "torch.float32", requires_grad, True, None
    )


def test_registered_with_what_they_compare_against():
    assert COMPARATORS["expect"].expected == "none"
    assert COMPARATORS["within_reference"].expected == "reference"


def test_spec_keeps_the_constant_types_apart():
    assert expect_spec(equals=False).equals is False
    assert expect_spec(equals=4.5).equals == 4.5
    assert expect_spec(equals=["final_bias"]).equals == ["final_bias"]
    with pytest.raises(ValidationError):
        expect_spec(equals={"a": 1})
    with pytest.raises(ValidationError):
        within_spec(-1)


@pytest.mark.parametrize("flag", [False, np.bool_(False), np.array(False)])
def test_expect_flag_passes(flag):
    verdict = expect.check(expect_spec("requires_grad", equals=False), flag, None)
    assert verdict.passed
    assert verdict.feedback == "`requires_grad` is False, as expected"


def test_expect_flag_fails_with_both_values():
    verdict = expect.check(expect_spec("requires_grad", equals=False), True, None)
    assert not verdict.passed
    assert verdict.feedback == "`requires_grad` is True, expected False"


@pytest.mark.parametrize("not_a_flag", [0, "False", None, [False]])
def test_expect_flag_is_not_truthiness(not_a_flag):
    verdict = expect.check(expect_spec("requires_grad", equals=False), not_a_flag, None)
    assert not verdict.passed
    assert verdict.feedback.startswith("`requires_grad` should be False, got ")


def test_expect_number_everywhere_in_a_tensor():
    spec = expect_spec("grad", equals=4.5, tol=1e-5)
    assert expect.check(spec, tensor([[4.5, 4.5], [4.5, 4.500001]]), None).passed
    verdict = expect.check(spec, tensor([[4.5, 4.5], [18.0, 4.5]]), None)
    assert not verdict.passed
    assert verdict.feedback == (
        "`grad` should be 4.5 everywhere (within 1e-05); 1 of 4 elements are not, "
        "first at index (1, 0): expected 4.5, got 18"
    )


def test_expect_number_scalar_nan_and_wrong_type():
    spec = expect_spec("loss", equals=0.0, tol=0.1)
    assert expect.check(spec, 0.05, None).passed
    assert expect.check(spec, 0.5, None).feedback == "`loss` = 0.5, expected 0.0 (within 0.1)"
    assert not expect.check(spec, float("nan"), None).passed
    assert expect.check(spec, "zero", None).feedback == "`loss` should be numeric, got str 'zero'"
    assert not expect.check(spec, [], None).passed


def test_expect_numeric_list_checks_shape():
    spec = expect_spec("shape", equals=[1, 2])
    assert expect.check(spec, [1, 2], None).passed
    assert expect.check(spec, (1, 2, 3), None).feedback == "`shape` has shape (3,), expected (2,)"


def test_expect_names_list_says_what_is_extra_and_missing():
    spec = expect_spec("changed", equals=["final_bias"])
    assert expect.check(spec, ["final_bias"], None).passed
    assert expect.check(spec, ("final_bias",), None).passed
    verdict = expect.check(spec, ["b00", "final_bias", "w00"], None)
    assert verdict.feedback == (
        "`changed` is b00, final_bias, w00, expected final_bias (not expected: b00, w00)"
    )
    assert expect.check(spec, [], None).feedback == (
        "`changed` is empty, expected final_bias (missing: final_bias)"
    )
    assert expect.check(spec, "final_bias", None).feedback == (
        "`changed` is str 'final_bias', expected ['final_bias']"
    )
    nothing = expect_spec("trainable", equals=[])
    assert nothing.equals == []
    assert expect.check(nothing, [], None).passed
    assert expect.check(nothing, ["w00"], None).feedback == (
        "`trainable` is w00, expected nothing (not expected: w00)"
    )


def test_expect_string_and_order():
    assert expect.check(expect_spec("mode", equals="eval"), "eval", None).passed
    assert not expect.check(expect_spec("mode", equals="eval"), "train", None).passed
    verdict = expect.check(expect_spec("order", equals=["a", "b"]), ["b", "a"], None)
    assert verdict.feedback.endswith("(same items, different order)")


def test_within_reference_counts_epochs():
    spec = within_spec(1)
    assert within_reference.check(spec, 35, 34).feedback == (
        "`epochs_run` = 35, within 1 of the reference (34)"
    )
    verdict = within_reference.check(spec, 100, 34.0)
    assert not verdict.passed
    assert verdict.feedback == (
        "`epochs_run` = 100, the reference gives 34; the allowed difference is 1 (off by 66)"
    )


def test_within_reference_exact_tensor_and_bad_values():
    spec = within_spec(0)
    assert within_reference.check(spec, tensor(12.0), 12).passed
    assert not within_reference.check(spec, 11, 12).passed
    assert within_reference.check(spec, float("nan"), 12).feedback == (
        "`epochs_run` is nan, the reference gives 12"
    )
    assert within_reference.check(spec, [1, 2], 12).feedback == (
        "`epochs_run` should be a single number, got shape (2,)"
    )
    assert within_reference.check(spec, None, 12).feedback == (
        "`epochs_run` should be numeric, got None"
    )
