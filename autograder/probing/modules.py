"""Probe helpers for `nn.Module` homeworks: named shapes and seeded weights.

"The reference's weights loaded into the student's module" needs no weights
shipped: a probe generates them from its seed (`ctx.rng`), by parameter name
and shape, and loads them into whatever network it drives, the student's in
the sandbox and the reference's in its own process. Both then compute with
identical weights, and their outputs, gradients and updated parameters come
back as data, compared on the trusted side.

`shape_problems` is pure: the trusted `parameters` check words its feedback
with the same function, so a student reads the same sentence whichever check
found the mismatch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from autograder.harness.protocol import TensorValue
from autograder.probing.client import ProbeFailure, Remote
from autograder.probing.context import Context, describe

Shapes = Mapping[str, Sequence[int]]


def shape_text(shape: Sequence[int]) -> str:
    """`(6, 1, 5, 5)`, `(6,)`: how PyTorch prints a size, and what students see."""
    return str(tuple(int(d) for d in shape))


def value_count(shapes: Shapes) -> int:
    return sum(math.prod(int(d) for d in shape) for shape in shapes.values())


def summary(shapes: Shapes) -> str:
    """`10 parameter tensors with 61,706 values`."""
    n = len(shapes)
    return f"{n} parameter tensor{'' if n == 1 else 's'} with {value_count(shapes):,} values"


def shape_problems(expected: Shapes, actual: Shapes) -> list[str]:
    """Every difference between two name -> shape tables, one sentence each.

    Expected names come first, in the expected order (the order of the layers
    in the contract), then names only the actual table has: the first entry is
    the one a student should fix first.
    """
    problems = []
    for name, shape in expected.items():
        if name not in actual:
            problems.append(f"{name}: expected {shape_text(shape)}, got no such parameter")
        elif tuple(int(d) for d in actual[name]) != tuple(int(d) for d in shape):
            problems.append(f"{name}: expected {shape_text(shape)}, got {shape_text(actual[name])}")
    for name, shape in actual.items():
        if name not in expected:
            problems.append(f"{name}: unexpected parameter of shape {shape_text(shape)}")
    return problems


def named_tensors(
    ctx: Context, module: Remote, what: str = "the network", method: str = "named_parameters"
) -> dict[str, TensorValue]:
    """`dict(module.named_parameters())`, made inside and sent back as tensors with
    their autograd facts (values, requires_grad, grad)."""
    found = ctx.lib("builtins.dict")(getattr(module, method).handle())
    if not isinstance(found, dict) or not all(isinstance(t, TensorValue) for t in found.values()):
        raise ProbeFailure(f"{what}.{method}() does not give tensors, got {describe(found)}")
    return found


def parameter_shapes(tensors: Mapping[str, TensorValue]) -> dict[str, list[int]]:
    """Parameter names to shapes, in registration order."""
    return {name: [int(d) for d in t.array.shape] for name, t in tensors.items()}


def require_shapes(
    tensors: Mapping[str, TensorValue], expected: Shapes, what: str = "the network"
) -> None:
    """Fail the probe, naming the first mismatch, unless the shapes fit exactly.

    Used before loading seeded weights: with a layer of the wrong size there
    is nothing meaningful to compare, and a torch size-mismatch traceback from
    deep inside `load_state_dict` would not tell a student what to change.
    """
    actual = parameter_shapes(tensors)
    problems = shape_problems(expected, actual)
    if problems:
        more = len(problems) - 1
        extra = f" (and {more} more difference{'s' if more > 1 else ''})" if more else ""
        raise ProbeFailure(
            f"the parameters of {what} do not have the expected names and shapes, so the "
            f"reference weights cannot be loaded into it: {problems[0]}{extra}; expected "
            f"{summary(expected)}, got {summary(actual)}"
        )


def seeded_state(rng: np.random.Generator, shapes: Shapes) -> dict[str, np.ndarray]:
    """Deterministic float32 weights, one array per name, drawn in `shapes` order.

    Weights have variance 1/fan_in (uniform in ±sqrt(3/fan_in)): three times
    PyTorch's default, whose outputs shrink layer after layer to values so
    small that a wrong network can pass an absolute tolerance; and well below
    He initialisation, whose large outputs make a few dozen SGD steps on an
    MSE loss erratic. ReLUs are neither all on nor all off. A bias is uniform
    in ±1/sqrt(fan_in) of the weight of the same layer, as in PyTorch.
    """
    state = {}
    for name, shape in shapes.items():
        shape = tuple(int(d) for d in shape)
        if len(shape) > 1:
            bound = math.sqrt(3.0 / max(math.prod(shape[1:]), 1))
        else:
            sibling = shapes.get(name.rsplit(".", 1)[0] + ".weight")
            fan_in = math.prod(int(d) for d in sibling[1:]) if sibling and len(sibling) > 1 else 1
            bound = 1.0 / math.sqrt(max(fan_in, 1))
        state[name] = rng.uniform(-bound, bound, size=shape).astype(np.float32)
    return state


def load_seeded(ctx: Context, module: Remote, shapes: Shapes, what: str = "the network") -> None:
    """Check the shapes, then load `seeded_state(ctx.rng, shapes)` into `module`.

    The weights depend only on the seed and the expected table, never on the
    module, so the student's net and the reference's get the same numbers.
    `load_state_dict(strict=False)` copies them in place, keeping the
    module's own dtype; buffers keep their values.
    """
    require_shapes(named_tensors(ctx, module, what), shapes, what)
    state = {
        name: TensorValue(array, "torch.float32")
        for name, array in seeded_state(ctx.rng, shapes).items()
    }
    module.load_state_dict.run(state, strict=False)


def gradients(tensors: Mapping[str, TensorValue], what: str = "the network") -> dict[str, Any]:
    """name -> gradient of every parameter, failing clearly on an unused one."""
    grads = {}
    for name, tensor in tensors.items():
        if tensor.grad is None:
            raise ProbeFailure(
                f"{name} of {what} has no gradient after backward(): forward() does not "
                "use it, detaches it from the graph, or it has requires_grad=False"
            )
        grads[name] = tensor.grad
    return grads


def values(tensors: Mapping[str, TensorValue]) -> dict[str, Any]:
    """name -> the tensor's values (a state_dict without buffers or autograd facts)."""
    return {name: tensor.array for name, tensor in tensors.items()}
