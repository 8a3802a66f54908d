"""When two failing answers are the same answer: the basis of diagnosis by mutants.

A student's failing value that is alike to a known mistake's (an instructor's
mutant, run under the same probes on the same hidden inputs) is, with high
probability, that mistake. "Alike" is judged with the check's own tolerance
where the check compares against a reference (the mutant's value takes the
reference's place), and with a tight generic tolerance where it compares with
a bound or a constant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.checks.base import NotComparable, Verdict, as_array
from autograder.harness.protocol import TensorValue

RELATIVE = 1e-5
"""Generic closeness: float32 training runs of the same mistake agree this well."""


@dataclass(frozen=True)
class Observed:
    """What a check looked at in one run: its `actual` and `expected` inputs."""

    actual: Any
    expected: Any


Alike = Callable[[Any, Observed, Observed], bool]


def by_verdict(decide: Callable[[Any, Any, Any], Verdict]) -> Alike:
    """The student's value passes the check with the mutant's value as the reference."""

    def alike(check: Any, mine: Observed, theirs: Observed) -> bool:
        return decide(check, mine.actual, theirs.actual).passed

    return alike


def same_values(a: Any, b: Any) -> bool:
    """Equal structure, equal non-numbers, numbers within RELATIVE of each other."""
    if isinstance(a, dict) or isinstance(b, dict):
        return (
            isinstance(a, dict)
            and isinstance(b, dict)
            and a.keys() == b.keys()
            and all(same_values(a[k], b[k]) for k in a)
        )
    if isinstance(a, str | bool | type(None)) or isinstance(b, str | bool | type(None)):
        return type(a) is type(b) and a == b
    if (
        isinstance(a, list | tuple)
        and isinstance(b, list | tuple)
        and any(isinstance(item, str | dict | type(None)) for item in [*a, *b])
    ):  # names, flags, records: item by item
        return len(a) == len(b) and all(same_values(x, y) for x, y in zip(a, b, strict=True))
    numeric = (int, float, np.ndarray, np.generic, TensorValue, list, tuple)
    if not isinstance(a, numeric) or not isinstance(b, numeric):
        return False
    try:
        x, y = as_array(a, "a"), as_array(b, "b")
    except NotComparable:
        return False
    if x.shape != y.shape or x.dtype.kind not in "biufc" or y.dtype.kind not in "biufc":
        return False
    x, y = x.astype(np.complex128), y.astype(np.complex128)
    both_nan = np.isnan(x) & np.isnan(y)
    scale = np.maximum(np.maximum(np.abs(x), np.abs(y)), 1e-12)
    with np.errstate(invalid="ignore"):
        close = (x == y) | (np.abs(x - y) / scale <= RELATIVE)
    return bool((close | both_nan).all())


def by_value(check: Any, mine: Observed, theirs: Observed) -> bool:
    return same_values(mine.actual, theirs.actual)
