"""Probes for hw5: both fits on the tutorial data and on hidden variants.

Hidden variants change the coefficients, the number of points, the learning
rate and the iteration count, so only a faithful implementation of the
update rule reproduces the reference; a hard-coded (3, 2) cannot. The
autodiff passes counted in the submission's process are its own report: the
checks pair them with the grader's reading of the source.
"""

import numpy as np

from autograder.probing.context import Context, ProbeFailure, TensorValue, as_float, describe


def _tutorial_data(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(-1, 1, 100).reshape(100, 1)
    y = 3 * x**2 + 2 + 0.2 * ctx.rng.random((100, 1))
    return x, y


def _hidden_problem(ctx: Context) -> dict:
    n = int(ctx.rng.integers(30, 160))
    x = np.sort(ctx.rng.uniform(-1.5, 1.5, size=(n, 1)), axis=0)
    a, c = ctx.rng.uniform(-4, 4), ctx.rng.uniform(-3, 3)
    y = a * x**2 + c + 0.1 * ctx.rng.standard_normal((n, 1))
    return {
        "x": x,
        "y": y,
        "w": ctx.rng.uniform(-1, 1, size=(1, 1)),
        "b": ctx.rng.uniform(-1, 1, size=(1, 1)),
        "lr": float(ctx.rng.uniform(2e-4, 1e-3)),
        "iters": int(ctx.rng.integers(150, 600)),
    }


def _pair(result: object, name: str) -> tuple[float, float]:
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise ProbeFailure(f"{name}(...) should return (w, b), got {describe(result)}")
    return as_float(result[0], f"the w returned by {name}"), as_float(
        result[1], f"the b returned by {name}"
    )


def _fit(ctx: Context, name: str, *args, **kwargs) -> dict:
    fit = ctx.function(name)
    before = ctx.autodiff_passes()
    w_out, b_out = _pair(fit(*args, **kwargs), name)
    return {"w": w_out, "b": b_out, "backward_passes": ctx.autodiff_passes() - before}


def _tensors(dtype: str, x, y, w, b) -> tuple:
    plain = np.float32 if dtype == "torch.float32" else np.float64
    return (
        TensorValue(np.asarray(x, plain), dtype),
        TensorValue(np.asarray(y, plain), dtype),
        TensorValue(np.asarray(w, plain), dtype, requires_grad=True),
        TensorValue(np.asarray(b, plain), dtype, requires_grad=True),
    )


def numpy_tutorial(ctx: Context) -> dict:
    """The tutorial's data, with w and b as plain floats (the hidden run passes arrays):
    the contract takes both."""
    x, y = _tutorial_data(ctx)
    return _fit(ctx, "fit_numpy", x, y, float(ctx.rng.random()), float(ctx.rng.random()))


def numpy_hidden(ctx: Context) -> dict:
    p = _hidden_problem(ctx)
    return _fit(ctx, "fit_numpy", p["x"], p["y"], p["w"], p["b"], lr=p["lr"], iters=p["iters"])


def autograd_tutorial(ctx: Context) -> dict:
    x, y = _tutorial_data(ctx)
    w, b = ctx.rng.standard_normal((1, 1)), np.zeros((1, 1))
    return _fit(ctx, "fit_autograd", *_tensors("torch.float32", x, y, w, b))


def autograd_hidden(ctx: Context) -> dict:
    p = _hidden_problem(ctx)
    tensors = _tensors("torch.float64", p["x"], p["y"], p["w"], p["b"])
    return _fit(ctx, "fit_autograd", *tensors, lr=p["lr"], iters=p["iters"])


def script_w(ctx: Context) -> dict:
    return {"w": as_float(ctx.value("w"), "the global `w`")}


def script_b(ctx: Context) -> dict:
    return {"b": as_float(ctx.value("b"), "the global `b`")}
