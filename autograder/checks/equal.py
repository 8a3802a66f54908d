"""Exact equality with the reference: counts, flags, integers, labels."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograder.checks.base import Verdict, describe
from autograder.harness.protocol import TensorValue


def _plain(value: Any) -> Any:
    if isinstance(value, TensorValue):
        return value.array.tolist()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def check(spec: Any, actual: Any, expected: Any) -> Verdict:
    if _plain(actual) == _plain(expected):
        return Verdict(True, f"`{spec.value}` equals the reference")
    return Verdict(False, f"`{spec.value}` is {describe(actual)}, expected {describe(expected)}")
