"""Array comparison against the reference: shape, dtype, then values.

Layered like a teaching assistant would read it: first say the shape is
wrong, and only when shapes agree say which element is furthest off.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checks.base import (
    NotComparable,
    Verdict,
    as_array,
    describe,
    fmt,
    fmt_pair,
    index_text,
)
from autograder.spec import AllcloseCheck

EPS = 1e-12


def relative_error(expected: np.ndarray, actual: np.ndarray) -> np.ndarray:
    """|a-b| / max(|a|, |b|, eps), elementwise (the CS231n measure)."""
    scale = np.maximum(np.maximum(np.abs(expected), np.abs(actual)), EPS)
    return np.abs(expected - actual) / scale


def compare_arrays(
    label: str,
    expected: np.ndarray,
    actual: np.ndarray,
    *,
    rtol: float,
    atol: float,
    max_rel_error: float | None = None,
    check_dtype: bool = False,
) -> Verdict:
    if actual.shape != expected.shape:
        return Verdict(
            False,
            f"`{label}` has shape {actual.shape}, expected {expected.shape}",
        )
    if check_dtype and actual.dtype != expected.dtype:
        return Verdict(False, f"`{label}` has dtype {actual.dtype}, expected {expected.dtype}")
    if actual.dtype.kind not in "biufc":
        return Verdict(False, f"`{label}` has non-numeric dtype {actual.dtype}")
    exp = expected.astype(np.complex128 if expected.dtype.kind == "c" else np.float64)
    act = actual.astype(np.complex128 if actual.dtype.kind == "c" else np.float64)
    if exp.size == 0:
        return Verdict(True, f"`{label}` is empty, as expected")
    nonfinite = ~np.isfinite(act) & np.isfinite(exp)
    if nonfinite.any():
        index = tuple(int(i) for i in np.argwhere(nonfinite)[0])
        count = int(nonfinite.sum())
        return Verdict(
            False,
            f"`{label}` has {count} non-finite element{'s' if count > 1 else ''} (NaN or inf), "
            f"first at index {index_text(index)}: expected {fmt(float(exp[index].real))}, "
            f"got {act[index]}",
        )
    rel = relative_error(exp, act)
    rel = np.where(np.isfinite(exp) | np.isfinite(act), rel, 0.0)
    if max_rel_error is not None:
        bad = ~(rel <= max_rel_error)  # NaN (a finite value against NaN) is bad too
        rule = f"relative error above {max_rel_error:g}"
    else:
        bad = ~np.isclose(act, exp, rtol=rtol, atol=atol, equal_nan=True)
        rule = f"rtol {rtol:g}, atol {atol:g}"
    worst = tuple(int(i) for i in np.unravel_index(int(np.argmax(rel)), rel.shape))
    want, got = fmt_pair(float(exp[worst].real), float(act[worst].real))
    at = f"worst at index {index_text(worst)}: " if exp.ndim else ""
    worst_text = f"{at}expected {want}, got {got} (relative error {rel[worst]:.2g})"
    if bad.any() and exp.size == 1:
        return Verdict(
            False,
            f"`{label}` = {got}, expected {want} (relative error {rel.max():.2g}; allowed: {rule})",
        )
    if bad.any():
        count = int(bad.sum())
        return Verdict(
            False,
            f"`{label}`: {count} of {bad.size} element{'s' if bad.size > 1 else ''} differ "
            f"from the reference ({rule}); {worst_text}",
        )
    return Verdict(True, f"`{label}` matches the reference (max relative error {rel.max():.2g})")


def compare_mappings(label: str, expected: dict, actual: Any, **tolerances: Any) -> Verdict:
    """Dicts of arrays (a state_dict, gradients by parameter name) key by key.

    Keys first (the first missing or unexpected one is named), then values in
    the reference's order: the feedback is the first differing entry's, with
    its worst element, plus how many other entries differ. One check then
    covers a whole module, and the student learns which layer to look at.
    """
    if not isinstance(actual, dict):
        return Verdict(
            False,
            f"`{label}` should be a dict of {len(expected)} arrays like the reference's, "
            f"got {describe(actual)}",
        )
    missing = [key for key in expected if key not in actual]
    extra = [key for key in actual if key not in expected]
    if missing or extra:
        first = (
            f"has no entry {missing[0]!r}" if missing else f"has an unexpected entry {extra[0]!r}"
        )
        return Verdict(
            False,
            f"`{label}` {first} ({len(missing)} missing and {len(extra)} unexpected; "
            f"the reference has {len(expected)} entries)",
        )
    failures = []
    for key, value in expected.items():
        verdict = _compare(f"{label}[{key}]", value, actual[key], **tolerances)
        if not verdict.passed:
            failures.append((key, verdict))
    if not failures:
        return Verdict(True, f"all {len(expected)} entries of `{label}` match the reference")
    names = ", ".join(key for key, _ in failures[:5]) + (", ..." if len(failures) > 5 else "")
    return Verdict(
        False,
        f"{failures[0][1].feedback} ({len(failures)} of {len(expected)} entries differ: {names})",
    )


def _compare(label: str, expected: Any, actual: Any, **tolerances: Any) -> Verdict:
    if isinstance(expected, dict):
        return compare_mappings(label, expected, actual, **tolerances)
    try:
        act = as_array(actual, label)
    except NotComparable as exc:
        return Verdict(False, str(exc))
    return compare_arrays(label, as_array(expected, label), act, **tolerances)


def check(spec: AllcloseCheck, actual: Any, expected: Any) -> Verdict:
    return _compare(
        spec.value,
        expected,
        actual,
        rtol=spec.rtol,
        atol=spec.atol,
        max_rel_error=spec.max_rel_error,
        check_dtype=spec.check_dtype,
    )
