"""What an assignment's `probes.py` sees: a Context that drives the submission.

A probe is a plain function `probe(ctx) -> dict` in the assignment's
`probes.py`, run on the trusted side. It draws hidden inputs from `ctx.rng`,
calls the submission's contract through `ctx.function(name)`, reads its
globals through `ctx.value(name)`, builds library objects inside it through
`ctx.lib(name)`, and computes anything derived (finite differences, losses of
returned weights, what changed) itself. It returns a dict of plain values and
arrays. The same probe drives the reference solution, so the checks compare
the two dicts key by key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograder.harness import protocol as wire
from autograder.harness.protocol import TensorValue, type_name
from autograder.probing.client import ProbeFailure, Remote, SessionClient, StudentRaised

__all__ = [
    "Context",
    "ProbeFailure",
    "Remote",
    "StudentRaised",
    "TensorValue",
    "array_of",
    "as_float",
    "central_difference",
    "data",
    "describe",
    "returned_type",
    "sample_indices",
]


class Context:
    def __init__(
        self,
        session: SessionClient,
        *,
        seed: int,
        entry: str,
        contract: dict[str, str],
        globals: dict[str, str],
        script_problem: str | None = None,
    ) -> None:
        self.session = session
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.entry = entry
        self.contract = contract
        self.globals = globals
        self.script_problem = script_problem

    def _stopped(self) -> str:
        """Why a definition may be missing: the script never got that far."""
        if not self.script_problem:
            return ""
        return f" (or never got to it: the script stopped early: {self.script_problem})"

    def has(self, name: str) -> bool:
        """Whether the script left a global `name`."""
        return name in self.globals

    def function(self, name: str) -> Remote:
        """The submission's contract function or class `name`, or a clear failure."""
        signature = self.contract.get(name, f"{name}(...)")
        kind = self.globals.get(name)
        if kind is None:
            raise ProbeFailure(f"{self.entry} does not define {signature}{self._stopped()}")
        if kind != "function":
            raise ProbeFailure(f"{self.entry} defines {name} as a {kind}, not as {signature}")
        return Remote(self.session, wire.Ref("global", name), "function")

    def value(self, name: str) -> Any:
        """A global the script left behind, as data (or a Remote), or a clear failure."""
        missing = ProbeFailure(
            f"{self.entry} leaves no global `{name}` after running as a script; "
            f"the script checks read the values your script computes at top level"
            f"{self._stopped()}"
        )
        if name not in self.globals:
            raise missing
        try:
            return Remote(self.session, wire.Ref("global", name)).get()
        except LookupError:
            raise missing from None

    def lib(self, name: str) -> Remote:
        """An allow-listed library callable inside the submission's process
        (`torch.optim.SGD`, `torch.nn.Linear`, `builtins.dict`, ...)."""
        return Remote(self.session, wire.Ref("lib", name))

    def autodiff_passes(self) -> int:
        """Backward and forward-mode passes the submission's process has counted so far.

        Its own report: a check may lose points on it, never win them on it alone.
        """
        count = self.session.counters().get("autodiff")
        return count if isinstance(count, int) and not isinstance(count, bool) else 0


def summarise_failure(message: str) -> str:
    """A failure's first line and, when there is one, the student's line it came from."""
    lines = message.splitlines()
    if not lines:
        return "it stopped"
    where = f" ({lines[-1].strip()})" if len(lines) > 1 else ""
    return lines[0] + where


def describe(value: Any) -> str:
    """What came back, for a message: `a Net`, `a list`, `an array of shape (3,)`."""
    if isinstance(value, Remote):
        return f"a {value.type_name.rsplit('.', 1)[-1]}"
    if isinstance(value, TensorValue):
        return f"a tensor of shape {tuple(value.array.shape)}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type_name(value)}"


def array_of(
    value: Any, what: str, *, real: bool = False, max_size: int | None = None
) -> np.ndarray:
    """A numeric array from an array, a tensor, a number or a (nested) list.

    `real`: refuse complex values (a loss of complex weights is no loss);
    `max_size`: refuse more elements than a computation here should pay for.
    """
    if isinstance(value, TensorValue):
        array = value.array
    elif isinstance(value, np.ndarray):
        array = value
    elif isinstance(value, (Remote, str | dict)):
        raise ProbeFailure(f"{what} should be an array, got {describe(value)}")
    else:
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise ProbeFailure(f"{what} should be an array, got {describe(value)}") from None
    if array.dtype.kind not in ("biuf" if real else "biufc"):
        raise ProbeFailure(f"{what} should be real numbers, got {array.dtype} values")
    if max_size is not None and array.size > max_size:
        raise ProbeFailure(f"{what} has {array.size:,} elements, more than {max_size:,}")
    return array


def as_float(value: Any, what: str) -> float:
    """`value` as a Python float, accepting 0-d / one-element arrays and tensors."""
    if isinstance(value, bool) or value is None or isinstance(value, Remote | str | dict):
        raise ProbeFailure(f"{what} should be a number, got {describe(value)}")
    try:
        array = array_of(value, what, real=True, max_size=1)
    except ProbeFailure:
        array = array_of(value, what)
        if array.size != 1:
            raise ProbeFailure(
                f"{what} should be a single number, got shape {array.shape}"
            ) from None
        raise ProbeFailure(f"{what} should be a real number, got {describe(value)}") from None
    return float(array.reshape(()))


def returned_type(value: Any) -> str:
    """What came back, in the words the `type` check uses: never the value itself."""
    if value is None:
        return "None"
    if isinstance(value, TensorValue):
        return "Tensor"
    if isinstance(value, np.ndarray | np.generic):
        return "ndarray"
    if isinstance(value, Remote):
        return "object"
    for kind in (bool, int, float, str, list, tuple, dict):
        if isinstance(value, kind):
            return kind.__name__
    return "object"


def central_difference(
    f: Callable[[np.ndarray], float],
    array: np.ndarray,
    indices: Sequence[tuple[int, ...]],
    h: float = 1e-5,
) -> np.ndarray:
    """Central finite differences of `f(array)` at `array[index]`, computed here.

    `f` is evaluated at points this side chooses (a perturbed copy each time),
    so the estimate needs no reference solution and no trust in the
    submission's own arithmetic beyond the loss it computes.
    """
    estimates = []
    for index in indices:
        plus, minus = array.copy(), array.copy()
        plus[index] += h
        minus[index] -= h
        estimates.append((f(plus) - f(minus)) / (2 * h))
    return np.asarray(estimates, dtype=np.float64)


def sample_indices(
    rng: np.random.Generator, shape: tuple[int, ...], count: int
) -> list[tuple[int, ...]]:
    """`count` distinct random positions in an array of `shape`."""
    total = int(np.prod(shape))
    flat = rng.choice(total, size=min(count, total), replace=False)
    return [tuple(int(i) for i in np.unravel_index(f, shape)) for f in flat]


def data(value: Any, what: str) -> Any:
    """A returned value that must be data (numbers, arrays, tensors, lists), not an object."""
    if isinstance(value, Remote):
        raise ProbeFailure(f"{what} should return numbers or arrays, got {describe(value)}")
    if isinstance(value, list | tuple):
        for item in value:
            data(item, what)
    if isinstance(value, dict):
        for item in value.values():
            data(item, what)
    return value
