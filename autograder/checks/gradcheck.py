"""A gradient against central finite differences of the submission's own loss.

Needs no reference: it asks whether the backward pass differentiates the
forward pass the student wrote. The probe samples positions, perturbs them
and returns both estimates; this compares them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checks.allclose import compare_arrays
from autograder.checks.base import NotComparable, Verdict, as_array
from autograder.spec import GradcheckCheck

DEGENERATE = 1e-12
"""Finite differences this small everywhere mean the loss ignores the weights."""


def check(spec: GradcheckCheck, actual: Any, numeric: Any) -> Verdict:
    """`numeric`: the estimates, or {"estimate": ..., "at": ...} with the sampled
    positions in the student's array, which the message then uses."""
    if isinstance(numeric, str):  # the probe could not estimate it, and says why
        return Verdict(False, numeric)
    positions = None
    if isinstance(numeric, dict):
        positions = np.asarray(numeric.get("at"))
        numeric = numeric.get("estimate")
    try:
        analytic = as_array(actual, spec.value).ravel()
        estimate = as_array(numeric, spec.numeric).ravel()
    except NotComparable as exc:
        return Verdict(False, str(exc))
    if positions is not None and (
        positions.dtype.kind not in "iu" or len(positions) != estimate.size
    ):
        positions = None
    if estimate.dtype.kind in "biufc" and not np.isfinite(estimate).all():
        return Verdict(
            False,
            "central finite differences of your loss are not finite (NaN or inf), so "
            f"`{spec.value}` cannot be checked against them: check the loss function",
        )
    if estimate.size == 0 or not (np.abs(estimate) > DEGENERATE).any():
        return Verdict(
            False,
            f"your loss does not change when the weights change (its finite differences are "
            f"all zero), so `{spec.value}` cannot be checked against them: a gradient check "
            "of a constant proves nothing",
        )
    verdict = compare_arrays(
        spec.value,
        estimate,
        analytic,
        rtol=0,
        atol=0,
        max_rel_error=spec.max_rel_error,
        positions=positions,
    )
    if verdict.passed:
        return Verdict(True, f"`{spec.value}` agrees with central finite differences")
    return Verdict(
        False,
        verdict.feedback.replace("from the reference", "from central finite differences")
        .replace("the reference's", "the finite differences'")
        .replace("expected", "finite differences give"),
    )
