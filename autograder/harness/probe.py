"""What an assignment's `probes.py` sees: a Context around the submission.

A probe is a plain function `probe(ctx) -> dict` in the assignment's
`probes.py`. It builds hidden inputs from `ctx.rng`, calls the submission's
contract through `ctx.function(name)` or reads its globals through
`ctx.value(name)`, and returns a dict of plain values, arrays or tensors.
The same probe runs against the reference solution, so the trusted side can
compare the two outputs key by key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


class ProbeFailure(Exception):
    """A probe cannot proceed because the submission lacks what it needs.

    Its message is shown to the student as is, so it says what is missing and
    what to write.
    """


class Context:
    def __init__(
        self,
        namespace: dict[str, Any],
        *,
        seed: int,
        entry: str,
        contract: dict[str, str],
        script_problem: str | None = None,
    ) -> None:
        self.namespace = namespace
        self.script_problem = script_problem
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.entry = entry
        self.contract = contract

    def function(self, name: str) -> Callable[..., Any]:
        """The submission's contract function `name`, or a clear failure."""
        candidate = self.namespace.get(name)
        signature = self.contract.get(name, f"{name}(...)")
        if candidate is None:
            raise ProbeFailure(f"{self.entry} does not define {signature}{self._stopped()}")
        if not callable(candidate):
            raise ProbeFailure(
                f"{self.entry} defines {name} as a {type(candidate).__name__}, not as {signature}"
            )
        return candidate

    def _stopped(self) -> str:
        """Why a definition may be missing: the script never got that far."""
        if not self.script_problem:
            return ""
        return f" (or never got to it: the script stopped early: {self.script_problem})"

    def value(self, name: str) -> Any:
        """A global the submission's script left behind, or a clear failure."""
        if name not in self.namespace:
            raise ProbeFailure(
                f"{self.entry} leaves no global `{name}` after running as a script; "
                f"the script checks read the values your script computes at top level"
                f"{self._stopped()}"
            )
        return self.namespace[name]


def summarise_failure(message: str) -> str:
    """A failure's first line and, when there is one, the student's line it came from."""
    lines = message.splitlines()
    if not lines:
        return "it stopped"
    where = f" ({lines[-1].strip()})" if len(lines) > 1 else ""
    return lines[0] + where


def as_float(value: Any, what: str) -> float:
    """`value` as a Python float, accepting 0-d / one-element arrays and tensors."""
    try:
        array = np.asarray(value.detach().numpy() if hasattr(value, "detach") else value)
        if array.size != 1:
            raise ProbeFailure(f"{what} should be a single number, got shape {array.shape}")
        return float(array.reshape(()))
    except ProbeFailure:
        raise
    except Exception:
        raise ProbeFailure(f"{what} should be a number, got a {type(value).__name__}") from None


def is_plain_number(value: Any) -> bool:
    """A Python (or NumPy) number, as a contract's `-> float` promises; not a tensor.

    Returning the loss tensor instead of `loss.item()` keeps the whole graph
    alive in the caller's list; the values may be right, the type is not.
    """
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def central_difference(
    f: Callable[[], float],
    array: np.ndarray,
    indices: Sequence[tuple[int, ...]],
    h: float = 1e-5,
) -> np.ndarray:
    """Central finite differences of `f()` with respect to `array[index]`.

    `f` reads `array` (which is perturbed in place and restored), so the
    estimate needs no reference solution: it checks a gradient against the
    function it claims to differentiate.
    """
    estimates = []
    for index in indices:
        original = array[index]
        array[index] = original + h
        plus = f()
        array[index] = original - h
        minus = f()
        array[index] = original
        estimates.append((plus - minus) / (2 * h))
    return np.asarray(estimates, dtype=np.float64)


def sample_indices(
    rng: np.random.Generator, shape: tuple[int, ...], count: int
) -> list[tuple[int, ...]]:
    """`count` distinct random positions in an array of `shape`."""
    total = int(np.prod(shape))
    flat = rng.choice(total, size=min(count, total), replace=False)
    return [tuple(int(i) for i in np.unravel_index(f, shape)) for f in flat]


class AutogradCalls:
    """Counts autodiff passes while active: proves autograd was (or wasn't) used.

    Wraps the one function every backward pass goes through
    (`torch.autograd._engine_run_backward`, looked up at call time by
    `Tensor.backward`, `torch.autograd.backward` and `torch.autograd.grad`), so
    `from torch.autograd import grad` is counted too; on a torch without it,
    wraps those three public entry points instead. Forward mode (`torch.func.jvp`,
    `jacfwd`, dual numbers) is counted where every dual tensor is made,
    `torch.autograd.forward_ad.make_dual`.
    """

    def __init__(self) -> None:
        self.count = 0
        self._saved: list[tuple[Any, str, Any]] = []

    def __enter__(self) -> AutogradCalls:
        import sys

        torch = sys.modules.get("torch")
        if torch is None:
            return self
        targets = (
            [(torch.autograd, "_engine_run_backward")]
            if hasattr(torch.autograd, "_engine_run_backward")
            else [
                (torch.Tensor, "backward"),
                (torch.autograd, "backward"),
                (torch.autograd, "grad"),
            ]
        )
        forward_ad = getattr(torch.autograd, "forward_ad", None)
        if forward_ad is not None and hasattr(forward_ad, "make_dual"):
            targets.append((forward_ad, "make_dual"))  # jvp, jacfwd: forward mode
        for owner, name in targets:
            original = getattr(owner, name)
            self._saved.append((owner, name, original))
            setattr(owner, name, self._counting(original))
        return self

    def _counting(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return original(*args, **kwargs)

        return wrapper

    def __exit__(self, *exc: object) -> None:
        for owner, name, original in reversed(self._saved):
            setattr(owner, name, original)
        self._saved.clear()
