"""A sequence (a loss curve, a trajectory) against the reference, step by step.

Reports the first step where the curves part, which is what a student needs
to find the bug (a gradient not zeroed shows from the second step on).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checks.base import NotComparable, Verdict, as_array, describe, fmt_pair
from autograder.spec import SequenceCheck


def check(spec: SequenceCheck, actual: Any, expected: Any) -> Verdict:
    if not isinstance(actual, list | tuple | np.ndarray) and not hasattr(actual, "array"):
        return Verdict(False, f"`{spec.value}` should be a sequence, got {describe(actual)}")
    try:
        act = as_array(actual, spec.value).astype(np.float64).ravel()
    except NotComparable as exc:
        return Verdict(False, str(exc))
    exp = as_array(expected, spec.value).astype(np.float64).ravel()
    if act.shape != exp.shape:
        return Verdict(False, f"`{spec.value}` has {act.size} entries, expected {exp.size}")
    close = np.isclose(act, exp, rtol=spec.rtol, atol=spec.atol, equal_nan=True)
    if close.all():
        return Verdict(True, f"`{spec.value}` follows the reference at all {exp.size} steps")
    first = int(np.argmin(close))
    count = int((~close).sum())
    want, got = fmt_pair(float(exp[first]), float(act[first]))
    return Verdict(
        False,
        f"`{spec.value}` departs from the reference at step {first} "
        f"(expected {want}, got {got}); "
        f"{count} of {exp.size} steps differ",
    )
