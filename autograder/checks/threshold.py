"""Checks against fixed numbers rather than the reference: targets and bounds.

These are what a tutorial promises ("w ends near 3", "the loss falls below
1e-4"), so they hold for any correct approach, not only the reference's.
"""

from __future__ import annotations

import math
from typing import Any

from autograder.checks.base import NotComparable, Verdict, as_scalar, fmt
from autograder.spec import ThresholdCheck, WithinCheck


def within(spec: WithinCheck, actual: Any, expected: Any) -> Verdict:
    try:
        value = as_scalar(actual, spec.value)
    except NotComparable as exc:
        return Verdict(False, str(exc))
    distance = abs(value - spec.target)
    if distance <= spec.tol:
        return Verdict(
            True, f"`{spec.value}` = {fmt(value)}, within {spec.tol:g} of {spec.target:g}"
        )
    return Verdict(
        False,
        f"`{spec.value}` = {fmt(value)}, should be within {spec.tol:g} of {spec.target:g} "
        f"(off by {fmt(distance)})",
    )


def threshold(spec: ThresholdCheck, actual: Any, expected: Any) -> Verdict:
    try:
        value = as_scalar(actual, spec.value)
    except NotComparable as exc:
        return Verdict(False, str(exc))
    if not math.isfinite(value):  # -inf is below every bound, and proves nothing
        return Verdict(False, f"`{spec.value}` = {fmt(value)}, which is not a finite number")
    if spec.below is not None and not value < spec.below:
        return Verdict(False, f"`{spec.value}` = {fmt(value)}, should be below {spec.below:g}")
    if spec.above is not None and not value > spec.above:
        return Verdict(False, f"`{spec.value}` = {fmt(value)}, should be above {spec.above:g}")
    bounds = " and ".join(
        f"{word} {bound:g}"
        for word, bound in (("below", spec.below), ("above", spec.above))
        if bound is not None
    )
    return Verdict(True, f"`{spec.value}` = {fmt(value)}, {bounds}")
