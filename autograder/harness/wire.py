"""Turn probe outputs into data that can leave the sandbox: JSON plus arrays.

The trusted side decodes this with `json` and `numpy.load(allow_pickle=False)`
only, so nothing a submission returns can run code in the grader. A value of
any other type is refused here, with its type named, and fails its probe.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

MAX_DEPTH = 8
MAX_ITEMS = 100_000


class UnsupportedValue(Exception):
    """A probe produced a value that cannot cross the boundary as data."""


def _type_name(value: Any) -> str:
    cls = type(value)
    module = cls.__module__
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


def _tensor_to_numpy(tensor: Any) -> np.ndarray:
    plain = tensor.detach().cpu()
    if str(plain.dtype) == "torch.bfloat16":
        plain = plain.float()
    return np.asarray(plain.numpy())


def _float(value: float) -> Any:
    return value if math.isfinite(value) else {"type": "float", "value": repr(value)}


class Encoder:
    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def _store(self, array: np.ndarray) -> str:
        if array.dtype.hasobject or array.dtype.kind not in "biufc":
            raise UnsupportedValue(f"an array of dtype {array.dtype} (only numeric arrays)")
        key = f"a{len(self.arrays)}"
        self.arrays[key] = np.ascontiguousarray(array)
        return key

    def _tensor(self, value: Any) -> dict[str, Any]:
        grad = value.grad if value.is_leaf else None
        return {
            "type": "tensor",
            "array": self._store(_tensor_to_numpy(value)),
            "dtype": str(value.dtype),
            "requires_grad": bool(value.requires_grad),
            "is_leaf": bool(value.is_leaf),
            "grad": None if grad is None else self._store(_tensor_to_numpy(grad)),
        }

    def encode(self, value: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise UnsupportedValue("a value nested too deeply")
        if value is None or isinstance(value, bool | str):
            return value if not isinstance(value, str) else value[:10_000]
        if isinstance(value, int):
            return value if abs(value) < 2**53 else float(value)
        if isinstance(value, float):
            return _float(float(value))
        if isinstance(value, np.generic):
            return self.encode(value.item(), depth + 1)
        if isinstance(value, np.ndarray):
            return {
                "type": "array",
                "array": self._store(np.asarray(value)),
            }
        torch = sys.modules.get("torch")
        if torch is not None and isinstance(value, torch.Tensor):
            return self._tensor(value)
        if isinstance(value, list | tuple):
            if len(value) > MAX_ITEMS:
                raise UnsupportedValue(f"a {type(value).__name__} of {len(value)} items")
            return {
                "type": type(value).__name__,
                "items": [self.encode(item, depth + 1) for item in value],
            }
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                raise UnsupportedValue("a dict whose keys are not all strings")
            return {
                "type": "dict",
                "items": {k: self.encode(v, depth + 1) for k, v in value.items()},
            }
        raise UnsupportedValue(f"a value of type {_type_name(value)}")
