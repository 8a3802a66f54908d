"""A module's parameters against the reference's: names, shapes and counts.

The value is what a probe reads off `named_parameters()`: a dict from
parameter name to its shape (a list of ints) or to the tensor itself (its
shape is used). With `match = "shapes"` every name must be there with the
reference's shape, and the feedback names the first one that is not, in the
reference's layer order (`conv1.weight: expected (6, 1, 5, 5), got (6, 1, 3,
3)`); with `match = "count"` only the number of tensors and of values must
agree, which gives credit to a network of the right size whose layers are
named differently.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checks.base import Verdict, describe
from autograder.harness.protocol import TensorValue
from autograder.probing.modules import shape_problems, summary
from autograder.spec import ParametersCheck

Shapes = dict[str, tuple[int, ...]]


class _NotShapes(Exception):
    pass


def _shape(value: Any) -> tuple[int, ...]:
    if isinstance(value, TensorValue):
        return tuple(int(d) for d in value.array.shape)
    if isinstance(value, np.ndarray):
        return tuple(int(d) for d in value.shape)
    if isinstance(value, list | tuple) and all(
        isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in value
    ):
        return tuple(value)
    raise _NotShapes


def as_shapes(value: Any, label: str) -> Shapes:
    """name -> shape, from a dict of shapes, arrays or tensors; ValueError otherwise."""
    if not isinstance(value, dict):
        raise ValueError(f"`{label}` should be a dict of parameter shapes, got {describe(value)}")
    try:
        return {str(name): _shape(item) for name, item in value.items()}
    except _NotShapes:
        raise ValueError(
            f"`{label}` should map parameter names to shapes or tensors, got {describe(value)}"
        ) from None


def check(spec: ParametersCheck, actual: Any, expected: Any) -> Verdict:
    try:
        got = as_shapes(actual, spec.value)
    except ValueError as exc:
        return Verdict(False, str(exc))
    want = as_shapes(expected, spec.value)
    if spec.match == "count":
        if len(got) == len(want) and summary(got) == summary(want):
            return Verdict(True, f"{summary(got)}, as in the reference")
        return Verdict(False, f"expected {summary(want)}, got {summary(got)}")
    problems = shape_problems(want, got)
    if not problems:
        return Verdict(True, f"{summary(got)}, with the reference's names and shapes")
    rest = len(problems) - 1
    more = f"; {rest} more difference{'s' if rest > 1 else ''}" if rest else ""
    return Verdict(False, f"{problems[0]}{more} (expected {summary(want)}, got {summary(got)})")
