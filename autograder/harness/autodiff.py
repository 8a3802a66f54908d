"""Counts autodiff passes in the submission's process, as the submission's answer.

What this counter reports is what the student's process says: it can cost a
check points (a function that claims to use autograd but never ran a backward
pass), never earn them alone; the trusted side pairs it with its own reading
of the source.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


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
