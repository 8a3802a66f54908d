"""What type came back, when the contract promises a plain Python number.

The probe reports type names (`autograder.probing.context.returned_type`), one
or a list; this says which one is wrong and how to fix it, in the contract's
words: "returned a Tensor; expected a Python float: use .item()".
"""

from __future__ import annotations

from typing import Any

from autograder.checks.base import Verdict
from autograder.spec import TypeCheck

ACCEPTED = {"float": ("float",), "int": ("int",), "number": ("float", "int")}
SHOWN = {
    "float": "a Python float",
    "int": "a Python int",
    "number": "a Python number",
}
NAMED = {
    "Tensor": "a Tensor",
    "ndarray": "a NumPy array",
    "float": "a Python float",
    "int": "a Python int",
    "bool": "a bool",
    "None": "None",
    "str": "a string",
    "list": "a list",
    "tuple": "a tuple",
    "dict": "a dict",
    "object": "an object",
}
FIX = {
    "Tensor": ": use .item()",
    "ndarray": ": use .item()",
    "None": ": return the value, not None",
}


def check(spec: TypeCheck, actual: Any, expected: Any) -> Verdict:
    names = [actual] if isinstance(actual, str) else actual
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        return Verdict(False, f"{spec.label} returned nothing to check")
    accepted = ACCEPTED[spec.expected]
    for index, name in enumerate(names):
        if name not in accepted:
            got = NAMED.get(name, f"a {name}")
            where = f" as item {index}" if isinstance(actual, list) else ""
            return Verdict(
                False,
                f"{spec.label} returned {got}{where}; expected {SHOWN[spec.expected]}"
                f"{FIX.get(name, '')}",
            )
    count = f"all {len(names)} values" if isinstance(actual, list) else "the value"
    return Verdict(True, f"{spec.label} returned {SHOWN[spec.expected]} ({count})")
