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


SAME = 1e-6
"""How exactly a pattern (a constant factor, a transpose) must hold to be named."""


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    scale = max(float(np.abs(a).max(initial=0.0)), float(np.abs(b).max(initial=0.0)), EPS)
    return bool(np.abs(a - b).max(initial=0.0) <= SAME * scale)


def _factor_text(k: float) -> str:
    if abs(k + 1) <= SAME:
        return "the reference's with the opposite sign"
    inverse = 1 / k
    if abs(inverse) >= 2 and abs(inverse - round(inverse)) <= SAME * abs(inverse):
        return f"{'-' if inverse < 0 else ''}1/{abs(round(inverse))} of the reference's"
    if abs(k) >= 2 and abs(k - round(k)) <= SAME * abs(k):
        return f"{round(k)} times the reference's"
    return f"{fmt(k)} times the reference's"


def pattern(expected: np.ndarray, actual: np.ndarray) -> str | None:
    """A whole-array relation a student can act on: every element off by one factor
    (a mean for a sum, a sign), or a transposed result; None when there is none."""
    if expected.dtype.kind not in "biuf" or actual.dtype.kind not in "biuf":
        return None
    exp, act = expected.astype(np.float64), actual.astype(np.float64)
    if not (np.isfinite(exp).all() and np.isfinite(act).all()):
        return None
    if act.shape != exp.shape:
        if act.ndim == 2 and act.T.shape == exp.shape:
            if (np.abs(exp) > EPS).any() and _close(act.T, exp):
                return "it is the transpose of the expected result"
            return "that is the expected shape transposed"
        return None
    if act.size < 2 or not (np.abs(exp) > EPS).any():
        return None
    if not (np.abs(act) > EPS).any():
        return "every element is 0"
    k = float((act * exp).sum() / (exp * exp).sum())
    if abs(k - 1) <= SAME or not _close(act, k * exp):
        return None
    return f"every element is {_factor_text(k)}"


def compare_arrays(
    label: str,
    expected: np.ndarray,
    actual: np.ndarray,
    *,
    rtol: float,
    atol: float,
    max_rel_error: float | None = None,
    check_dtype: bool = False,
    positions: np.ndarray | None = None,
) -> Verdict:
    """`positions`, for a sample of a bigger array: each element's index in that
    array, so a message points where the student can look."""
    if actual.shape != expected.shape:
        seen = pattern(expected, actual)
        return Verdict(
            False,
            f"`{label}` has shape {actual.shape}, expected {expected.shape}"
            + (f": {seen}" if seen else ""),
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
    shown = worst
    if positions is not None and exp.ndim == 1 and len(positions) == exp.size:
        shown = tuple(int(i) for i in np.atleast_1d(positions[worst[0]]))
    at = f"worst at index {index_text(shown)}: " if exp.ndim else ""
    worst_text = f"{at}expected {want}, got {got} (relative error {rel[worst]:.2g})"
    seen = pattern(expected, actual) if bad.any() else None
    if seen:
        worst_text += f"; {seen}"
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
