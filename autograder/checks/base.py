"""What every check returns, and the value conversions checks share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.harness.protocol import TensorValue


@dataclass(frozen=True)
class Verdict:
    """A check's decision: pass or not, and what to tell the student either way."""

    passed: bool
    feedback: str = ""


class NotComparable(Exception):
    """The value has the wrong type for this check; the message says what came back."""


def describe(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, TensorValue):
        return f"a tensor of shape {tuple(value.array.shape)} ({value.dtype})"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} ({value.dtype})"
    if isinstance(value, list | tuple):
        if len(value) <= 8 and all(isinstance(v, int | float | str) for v in value):
            return f"a {type(value).__name__} {value!r}"  # a shape, a few numbers: show them
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, dict):
        return f"a dict with keys {sorted(value)[:5]}"
    return f"{type(value).__name__} {value!r}"


def as_array(value: Any, label: str) -> np.ndarray:
    """Numbers, lists, arrays and tensors as a float/complex/int ndarray."""
    if isinstance(value, TensorValue):
        return value.array
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, bool | int | float):
        return np.asarray(value)
    if isinstance(value, list | tuple):
        try:
            flat = [as_array(item, label) for item in value]
            return np.asarray(flat) if flat else np.zeros((0,))
        except (ValueError, NotComparable):
            raise NotComparable(
                f"`{label}` is {describe(value)} that is not a numeric array"
            ) from None
    raise NotComparable(f"`{label}` should be numeric, got {describe(value)}")


def as_scalar(value: Any, label: str) -> float:
    array = as_array(value, label)
    if array.size != 1:
        raise NotComparable(f"`{label}` should be a single number, got shape {array.shape}")
    return float(array.reshape(()).real)


def fmt(x: float) -> str:
    return f"{x:.6g}"


def fmt_pair(expected: float, actual: float) -> tuple[str, str]:
    """Both numbers with enough digits to show that they differ.

    "expected -0.258299, got -0.258299" cannot be acted on; the digits that
    differ are what a student needs to see.
    """
    for digits in (6, 8, 10, 13, 17):
        shown = f"{expected:.{digits}g}", f"{actual:.{digits}g}"
        if shown[0] != shown[1]:
            return shown
    return shown


def index_text(index: tuple[int, ...]) -> str:
    return str(index[0]) if len(index) == 1 else str(index)
