"""Probes for hw2: drive the student's autograd functions on hidden inputs.

Tensors handed to the student arrive as fresh leaves that require grad, as
in the tutorial (`x = torch.ones(2, 2, requires_grad=True)`), so any correct
style works: `out.backward()` then `x.grad`, `torch.autograd.grad`, or a
detached clone. What comes back crosses as data: values and autograd flags.
The functions `vector_jacobian_product` receives are library modules built
inside the submission's process (`nn.Linear`, `nn.Sequential`): no code of
the grader's crosses.
"""

import numpy as np

from autograder.probing.context import (
    Context,
    ProbeFailure,
    TensorValue,
    as_float,
    data,
    describe,
)

TUTORIAL_X = [1.0, 2.0, 3.0]
TUTORIAL_Y = [2.0, 4.0, 6.0]


def _leaf(ctx: Context, shape: tuple[int, ...]) -> TensorValue:
    array = ctx.rng.standard_normal(shape).astype(np.float32)
    return TensorValue(array, "torch.float32", requires_grad=True)


def _plain(array: np.ndarray) -> TensorValue:
    return TensorValue(array.astype(np.float32), "torch.float32")


def _shape(ctx: Context, smallest: int = 1) -> tuple[int, ...]:
    ndim = int(ctx.rng.integers(1, 4))
    return tuple(int(n) for n in ctx.rng.integers(smallest, 6, size=ndim))


def _tensor(result: object, call: str, shape: tuple[int, ...]) -> TensorValue:
    """The student's result as a tensor of `shape`, or an actionable failure."""
    if result is None:
        raise ProbeFailure(
            f"{call} returned None; if you returned x.grad, make sure x is the leaf tensor "
            "you called backward() through (x.grad of a non-leaf tensor stays None)"
        )
    if not isinstance(result, TensorValue):
        raise ProbeFailure(f"{call} should return a torch.Tensor, got {describe(result)}")
    if tuple(result.array.shape) != shape:
        raise ProbeFailure(
            f"{call} returned a tensor of shape {tuple(result.array.shape)}, expected {shape} "
            "(the shape of x)"
        )
    return result


def _train(ctx: Context, x_data: list[float], y_data: list[float], **kwargs: float) -> dict:
    result = ctx.function("train_linear")(list(x_data), list(y_data), **kwargs)
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise ProbeFailure(f"train_linear(...) should return (w, losses), got {describe(result)}")
    w, losses = (data(v, "train_linear(...)") for v in result)
    if not isinstance(losses, list | tuple | np.ndarray):
        raise ProbeFailure(
            f"train_linear(...) should return a list of losses, got {describe(losses)}"
        )
    losses = [as_float(loss, "losses[e]") for loss in losses]
    return {"w": as_float(w, "the w returned by train_linear"), "losses": losses}


def train_tutorial(ctx: Context) -> dict:
    """The lesson's data with the contract's defaults (100 epochs, lr 0.01, w = 1)."""
    return _train(ctx, TUTORIAL_X, TUTORIAL_Y)


def train_hidden(ctx: Context) -> dict:
    """y = k·x on hidden points, rate, start and epoch count.

    Few epochs and small rates keep every loss well above float32 noise, so
    the per-epoch comparison is sharp: a gradient that is not zeroed shows
    from the second update on.
    """
    n = int(ctx.rng.integers(3, 7))
    x = ctx.rng.uniform(0.5, 2.5, size=n) * ctx.rng.choice([-1.0, 1.0], size=n)
    k = float(ctx.rng.uniform(0.5, 3.0) * ctx.rng.choice([-1.0, 1.0]))
    return _train(
        ctx,
        [float(v) for v in x],
        [float(k * v) for v in x],
        w_init=float(ctx.rng.uniform(-2.0, 2.0)),
        lr=float(ctx.rng.uniform(0.005, 0.03)),
        epochs=int(ctx.rng.integers(3, 9)),
    )


def _direction(result: TensorValue) -> np.ndarray:
    """The gradient scaled to unit length: right whatever constant factor it carries.

    A zero or non-finite result comes back as it is, which no unit vector matches.
    """
    array = result.array.astype(np.float64)
    norm = float(np.linalg.norm(array))
    return array / norm if np.isfinite(norm) and norm > 0 else array


def mean_square_grad(ctx: Context) -> dict:
    """The tutorial's ones(2, 2), then a hidden x (at least two elements per axis).

    `direction` is the hidden answer scaled to unit length: it is right for a
    gradient off by a constant factor only (a sum for the mean), so it shows
    that the function differentiates the right expression, and the autograd
    check can count on it without counting on the exact factor.
    """
    fn = ctx.function("mean_square_grad")
    tutorial = _tensor(
        fn(TensorValue(np.ones((2, 2), np.float32), "torch.float32", requires_grad=True)),
        "mean_square_grad(torch.ones(2, 2))",
        (2, 2),
    )
    shape = _shape(ctx, smallest=2)
    before = ctx.autodiff_passes()
    hidden = _tensor(fn(_leaf(ctx, shape)), f"mean_square_grad(x) for x of shape {shape}", shape)
    return {
        "tutorial": tutorial,
        "hidden": hidden,
        "direction": _direction(hidden),
        "backward_passes": ctx.autodiff_passes() - before,
    }


def vjp_linear(ctx: Context) -> dict:
    """v^T J for a linear map f(x) = A x (an nn.Linear without bias): J = A."""
    fn = ctx.function("vector_jacobian_product")
    n, m = (int(k) for k in ctx.rng.integers(2, 7, size=2))
    matrix = ctx.rng.standard_normal((m, n)).astype(np.float32)
    v = _plain(ctx.rng.standard_normal(m))
    linear = ctx.lib("torch.nn.Linear").handle(n, m, bias=False)
    linear.weight.data.copy_.run(_plain(matrix))
    result = _tensor(
        fn(linear, _leaf(ctx, (n,)), v),
        f"vector_jacobian_product(f, x, v) for f(x) = A @ x with A of shape {(m, n)}",
        (n,),
    )
    return {"linear": result}


def vjp_nonlinear(ctx: Context) -> dict:
    """v^T J for an elementwise nonlinear map, f(x) = tanh(softplus(beta * x) / beta)."""
    fn = ctx.function("vector_jacobian_product")
    shape = _shape(ctx)
    beta = float(ctx.rng.uniform(0.5, 2.0))
    f = ctx.lib("torch.nn.Sequential").handle(
        ctx.lib("torch.nn.Softplus").handle(beta=beta), ctx.lib("torch.nn.Tanh").handle()
    )
    v = _plain(ctx.rng.standard_normal(shape))
    nonlinear = _tensor(
        fn(f, _leaf(ctx, shape), v),
        f"vector_jacobian_product(f, x, v) for elementwise f and x of shape {shape}",
        shape,
    )
    return {"nonlinear": nonlinear}


def no_grad_square(ctx: Context) -> dict:
    """Two hidden x that require grad: only a result computed outside the graph
    comes back without requires_grad."""
    fn = ctx.function("no_grad_square")
    values, flags = {}, []
    for key in ("call 1", "call 2"):
        result = fn(_leaf(ctx, _shape(ctx)))
        if not isinstance(result, TensorValue):
            raise ProbeFailure(
                f"no_grad_square(x) should return a torch.Tensor, got {describe(result)}"
            )
        values[key] = result
        flags.append(result.requires_grad)
    return {"values": values, "requires_grad": any(flags)}


def script_w(ctx: Context) -> dict:
    return {"w": as_float(ctx.value("w"), "the global `w`")}
