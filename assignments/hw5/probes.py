"""Probes for hw5: both fits on the tutorial data and on hidden variants.

Hidden variants change the coefficients, the number of points, the learning
rate and the iteration count, so only a faithful implementation of the
update rule reproduces the reference; a hard-coded (3, 2) cannot. Their
rates (1e-4 to 6e-4) and iteration counts (40 to 300) are never the
defaults, and the fits stop well short of convergence, so a fit that ignores
`lr` or `iters` ends elsewhere. `fit_numpy` is also called with plain-float
`w` and `b` (the tutorial passes (1, 1) arrays): the contract takes both.
The autodiff passes counted in the submission's process are its own report:
the checks pair them with the grader's reading of the source.
"""

import numpy as np

from autograder.probing.context import Context, ProbeFailure, TensorValue, as_float, describe


def _tutorial_data(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(-1, 1, 100).reshape(100, 1)
    y = 3 * x**2 + 2 + 0.2 * ctx.rng.random((100, 1))
    return x, y


def _least_squares(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The (w, b) that minimise sum((w * x**2 + b - y)**2): where every fit heads."""
    design = np.hstack([x**2, np.ones_like(x)])
    return np.linalg.lstsq(design, y.ravel(), rcond=None)[0]


def _hidden_problem(ctx: Context) -> dict:
    """A hidden quadratic with w far from the tutorial's 3 (it is -4 to -1), and a
    start near its best fit, offset along the direction gradient descent is slowest
    in, so that no fit of 40 to 300 steps gets there and lr and iters both show."""
    n = int(ctx.rng.integers(30, 100))
    x = np.sort(ctx.rng.uniform(-1.5, 1.5, size=(n, 1)), axis=0)
    a, c = ctx.rng.uniform(-4, -1), ctx.rng.uniform(-3, 3)
    y = a * x**2 + c + 0.1 * ctx.rng.standard_normal((n, 1))
    best = _least_squares(x, y)
    sign = ctx.rng.choice([-1.0, 1.0])
    offset = sign * np.array([ctx.rng.uniform(0.1, 0.3), -ctx.rng.uniform(0.1, 0.3)])
    return {
        "x": x,
        "y": y,
        "w": np.full((1, 1), best[0] + offset[0]),
        "b": np.full((1, 1), best[1] + offset[1]),
        "lr": float(ctx.rng.uniform(1e-4, 6e-4)),
        "iters": int(ctx.rng.integers(40, 300)),
    }


def _loss(x: np.ndarray, y: np.ndarray, w: float, b: float) -> float:
    return float(0.5 * np.sum((w * x**2 + b - y) ** 2))


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
    """The tutorial's data and its (1, 1) starting arrays, with the default lr and iters."""
    x, y = _tutorial_data(ctx)
    return _fit(ctx, "fit_numpy", x, y, ctx.rng.random((1, 1)), ctx.rng.random((1, 1)))


def numpy_hidden(ctx: Context) -> dict:
    """A hidden problem; `loss_ratio` is the loss at the returned (w, b) over the loss
    at the start: below 1 for any fit that descends, above 1 for an answer written out."""
    p = _hidden_problem(ctx)
    x, y = p["x"], p["y"]
    result = _fit(ctx, "fit_numpy", x, y, p["w"], p["b"], lr=p["lr"], iters=p["iters"])
    start = _loss(x, y, float(p["w"].item()), float(p["b"].item()))
    result["loss_ratio"] = _loss(x, y, result["w"], result["b"]) / start
    return result


def numpy_floats(ctx: Context) -> dict:
    """The same hidden fit started from (1, 1) arrays and from plain floats: the
    relative difference of the two answers, which is 0 for any fit that takes both."""
    p = _hidden_problem(ctx)
    args = (p["x"], p["y"])
    kwargs = {"lr": p["lr"], "iters": p["iters"]}
    arrays = _fit(ctx, "fit_numpy", *args, p["w"], p["b"], **kwargs)
    floats = _fit(ctx, "fit_numpy", *args, float(p["w"].item()), float(p["b"].item()), **kwargs)
    difference = [
        abs(floats[key] - arrays[key]) / max(abs(arrays[key]), 1e-12) for key in ("w", "b")
    ]
    return {"float_vs_array": difference}


def autograd_tutorial(ctx: Context) -> dict:
    x, y = _tutorial_data(ctx)
    w, b = ctx.rng.standard_normal((1, 1)), np.zeros((1, 1))
    return _fit(ctx, "fit_autograd", *_tensors("torch.float32", x, y, w, b))


def autograd_hidden(ctx: Context) -> dict:
    """A hidden problem; then three steps from the same start, whose `step_ratio`
    (the loss at the returned (w, b) over the loss at the start) is below 1 for any
    fit that descends, however its later steps go."""
    p = _hidden_problem(ctx)
    tensors = _tensors("torch.float64", p["x"], p["y"], p["w"], p["b"])
    result = _fit(ctx, "fit_autograd", *tensors, lr=p["lr"], iters=p["iters"])
    tensors = _tensors("torch.float64", p["x"], p["y"], p["w"], p["b"])
    steps = _fit(ctx, "fit_autograd", *tensors, lr=p["lr"], iters=3)
    start = _loss(p["x"], p["y"], float(p["w"].item()), float(p["b"].item()))
    result["step_ratio"] = _loss(p["x"], p["y"], steps["w"], steps["b"]) / start
    return result


def script_w(ctx: Context) -> dict:
    return {"w": as_float(ctx.value("w"), "the global `w`")}


def script_b(ctx: Context) -> dict:
    return {"b": as_float(ctx.value("b"), "the global `b`")}
