"""The table from a check's `kind` to the pure function that decides it.

Every comparator is `(spec, actual, expected) -> Verdict`, with no I/O. What
`actual` is: the probe's value (most kinds) or the run's facts (the source
and what the run reported, for rules). What `expected` is: the reference's
value, the submission's own second value (a finite-difference estimate),
the run's facts, or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from autograder.checks import (
    allclose,
    equal,
    expect,
    gradcheck,
    parameters,
    rules,
    sequence,
    threshold,
    within_reference,
)
from autograder.checks.base import Verdict


@dataclass(frozen=True)
class Comparator:
    decide: Callable[[Any, Any, Any], Verdict]
    expected: Literal["reference", "own", "facts", "none"]
    actual: Literal["probe", "facts"] = "probe"


COMPARATORS: dict[str, Comparator] = {
    "allclose": Comparator(allclose.check, "reference"),
    "equal": Comparator(equal.check, "reference"),
    "sequence": Comparator(sequence.check, "reference"),
    "within": Comparator(threshold.within, "none"),
    "threshold": Comparator(threshold.threshold, "none"),
    "gradcheck": Comparator(gradcheck.check, "own"),
    "parameters": Comparator(parameters.check, "reference"),
    "within_reference": Comparator(within_reference.check, "reference"),
    "expect": Comparator(expect.check, "none"),
    "autodiff": Comparator(rules.autodiff, "facts"),
    "forbidden_imports": Comparator(rules.forbidden_imports, "none", actual="facts"),
}

__all__ = ["COMPARATORS", "Comparator", "Verdict"]
