"""A number within a fixed distance of the reference's number.

For quantities where exact agreement is too strict but the reference is the
right yardstick: "stopped within one epoch of the reference" (a float32
rounding can move a stopping decision by one step), "reached the reference's
accuracy within 2 points". Unlike `allclose`, the tolerance is an absolute
distance stated in the quantity's own units, and the message says both values.
"""

from __future__ import annotations

import math
from typing import Any

from autograder.checks.base import NotComparable, Verdict, as_scalar, fmt
from autograder.spec import WithinReferenceCheck


def check(spec: WithinReferenceCheck, actual: Any, expected: Any) -> Verdict:
    try:
        value = as_scalar(actual, spec.value)
    except NotComparable as exc:
        return Verdict(False, str(exc))
    reference = as_scalar(expected, spec.value)
    if not math.isfinite(value):
        return Verdict(False, f"`{spec.value}` is {value}, the reference gives {fmt(reference)}")
    distance = abs(value - reference)
    if distance <= spec.tol:
        return Verdict(
            True,
            f"`{spec.value}` = {fmt(value)}, within {spec.tol:g} of the reference "
            f"({fmt(reference)})",
        )
    return Verdict(
        False,
        f"`{spec.value}` = {fmt(value)}, the reference gives {fmt(reference)}; "
        f"the allowed difference is {spec.tol:g} (off by {fmt(distance)})",
    )
