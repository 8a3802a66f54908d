"""A value against a constant written in the spec, not against the reference.

For facts every correct solution shares whatever its style: `requires_grad`
must be False after `torch.no_grad()`, the parameters a training run changed
must be exactly `["final_bias"]`, the tutorial's gradient is 4.5 everywhere.
Comparing to the reference would work too, but a constant in the spec says
what is expected in the rubric itself and needs no reference run.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checks.base import NotComparable, Verdict, as_array, describe, fmt, index_text
from autograder.spec import ExpectCheck


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_bool(value: Any) -> bool | None:
    """A Python/NumPy bool or a one-element bool array; None for anything else.

    Deliberately not truthiness: a probe returning 1 or "False" where a flag
    belongs is a probe or submission problem the message should show.
    """
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray) and value.dtype == np.bool_ and value.size == 1:
        return bool(value.reshape(()))
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def _numbers(spec: ExpectCheck, actual: Any) -> Verdict:
    label = spec.value
    try:
        act = as_array(actual, label)
    except NotComparable as exc:
        return Verdict(False, str(exc))
    if act.dtype.kind not in "biuf":
        return Verdict(False, f"`{label}` should be numeric, got {describe(actual)}")
    target = np.asarray(spec.equals, dtype=np.float64)
    if target.ndim and act.shape != target.shape:
        return Verdict(False, f"`{label}` has shape {act.shape}, expected {target.shape}")
    if act.size == 0:
        return Verdict(False, f"`{label}` is empty, expected {spec.equals!r}")
    values = act.astype(np.float64)
    distance = np.abs(values - target)
    bad = ~(distance <= spec.tol)  # NaN counts as bad
    within = f" (within {spec.tol:g})" if spec.tol else ""
    if not bad.any():
        return Verdict(True, f"`{label}` equals {spec.equals!r}{within}")
    if act.ndim == 0:
        return Verdict(False, f"`{label}` = {fmt(float(values))}, expected {spec.equals!r}{within}")
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    want = fmt(float(np.broadcast_to(target, act.shape)[first]))
    everywhere = " everywhere" if not target.ndim else ""
    return Verdict(
        False,
        f"`{label}` should be {spec.equals!r}{everywhere}{within}; {int(bad.sum())} of "
        f"{bad.size} elements are not, first at index {index_text(first)}: "
        f"expected {want}, got {fmt(float(values[first]))}",
    )


def _listing(items: list[Any]) -> str:
    return ", ".join(str(item) for item in items[:8]) + (" ..." if len(items) > 8 else "")


def _names(spec: ExpectCheck, actual: Any) -> Verdict:
    """Lists of names or flags: exact, with what is extra and what is missing."""
    label = spec.value
    plain = _plain(actual)
    if plain == spec.equals:
        return Verdict(True, f"`{label}` is {spec.equals!r}, as expected")
    if not isinstance(plain, list):
        return Verdict(False, f"`{label}` is {describe(actual)}, expected {spec.equals!r}")
    expected = spec.equals if isinstance(spec.equals, list) else []
    extra = [item for item in plain if item not in expected]
    missing = [item for item in expected if item not in plain]
    details = []
    if extra:
        details.append(f"not expected: {_listing(extra)}")
    if missing:
        details.append(f"missing: {_listing(missing)}")
    detail = f" ({'; '.join(details)})" if details else " (same items, different order)"
    return Verdict(
        False,
        f"`{label}` is {_listing(plain) or 'empty'}, expected "
        f"{_listing(expected) or 'nothing'}{detail}",
    )


def check(spec: ExpectCheck, actual: Any, expected: Any) -> Verdict:
    """`expected` is unused: the constant is `spec.equals`."""
    target = spec.equals
    if isinstance(target, bool):
        flag = _as_bool(actual)
        if flag is None:
            return Verdict(False, f"`{spec.value}` should be {target}, got {describe(actual)}")
        if flag == target:
            return Verdict(True, f"`{spec.value}` is {target}, as expected")
        return Verdict(False, f"`{spec.value}` is {flag}, expected {target}")
    if _is_number(target) or (
        isinstance(target, list) and target and all(_is_number(item) for item in target)
    ):
        return _numbers(spec, actual)
    if isinstance(target, str):
        if actual == target:
            return Verdict(True, f"`{spec.value}` is {target!r}, as expected")
        return Verdict(False, f"`{spec.value}` is {describe(actual)}, expected {target!r}")
    return _names(spec, actual)
