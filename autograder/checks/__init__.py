"""The table from a check's `kind` to the pure function that decides it.

Every comparator is `(spec, actual, expected) -> Verdict`, with no I/O. What
`actual` is: the probe's value (most kinds) or the run's facts (the source
and what the run reported, for rules). What `expected` is: the reference's
value, the submission's own second value (a finite-difference estimate),
the run's facts, or nothing.

Each comparator also says when two failing runs gave the same answer
(`alike`): diagnosis by known mistakes uses it, with no special cases.
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
    types,
    within_reference,
)
from autograder.checks.alike import Alike, Observed, by_value, by_verdict
from autograder.checks.base import Verdict


@dataclass(frozen=True)
class Comparator:
    decide: Callable[[Any, Any, Any], Verdict]
    expected: Literal["reference", "own", "facts", "none"]
    alike: Alike
    actual: Literal["probe", "facts"] = "probe"


def _against_reference(decide: Callable[[Any, Any, Any], Verdict]) -> Comparator:
    return Comparator(decide, "reference", by_verdict(decide))


COMPARATORS: dict[str, Comparator] = {
    "allclose": _against_reference(allclose.check),
    "equal": _against_reference(equal.check),
    "sequence": _against_reference(sequence.check),
    "parameters": _against_reference(parameters.check),
    "within_reference": _against_reference(within_reference.check),
    "within": Comparator(threshold.within, "none", by_value),
    "threshold": Comparator(threshold.threshold, "none", by_value),
    "gradcheck": Comparator(gradcheck.check, "own", by_value),
    "expect": Comparator(expect.check, "none", by_value),
    "type": Comparator(types.check, "none", by_value),
    "autodiff": Comparator(rules.autodiff, "facts", rules.same_autodiff),
    "forbidden_imports": Comparator(
        rules.forbidden_imports, "none", rules.same_imports, actual="facts"
    ),
}

__all__ = ["COMPARATORS", "Comparator", "Observed", "Verdict"]
