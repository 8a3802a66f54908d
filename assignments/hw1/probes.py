"""Probes for hw1: drive the student's NumPy network on hidden inputs.

Every probe draws its inputs from `ctx.rng`, so the reference and the
submission see identical hidden data. Arguments cross as copies, so a
submission that updates weights in place changes nothing here. Everything
derived is computed here, with the instructor's formula for the loss: the
finite differences a gradient is checked against (at points this side
picks), and the loss of the weights `train` returns.

One probe, one contract member: a probe calls one of the student's
functions and uses only trusted collaborators beside it, so a mistake in
forward never costs a backward check, and each gradient is judged on its own.
"""

import numpy as np

from autograder.probing.context import (
    Context,
    ProbeFailure,
    array_of,
    as_float,
    central_difference,
    data,
    describe,
    sample_indices,
)

TUTORIAL_SIZES = (64, 1000, 100, 10)


def _problem(ctx: Context, low: int = 3, high: int = 12) -> dict:
    n, d_in, h, d_out = (int(v) for v in ctx.rng.integers(low, high, size=4))
    return {
        "x": ctx.rng.standard_normal((n, d_in)),
        "y": ctx.rng.standard_normal((n, d_out)),
        "w1": ctx.rng.standard_normal((d_in, h)),
        "w2": ctx.rng.standard_normal((h, d_out)),
    }


def squared_error(y_pred: np.ndarray, y: np.ndarray) -> float:
    """The contract's loss of a prediction: the sum of squared errors."""
    return float(((y_pred - y) ** 2).sum())


def sum_squared_error(x: np.ndarray, y: np.ndarray, w1: np.ndarray, w2: np.ndarray) -> float:
    """The instructor's loss of weights (w1, w2) on (x, y)."""
    return squared_error(np.maximum(x @ w1, 0) @ w2, y)


def _pair_of_grads(result: object) -> tuple:
    """(grad_w1, grad_w2) as returned; each is judged on its own, so an object in
    place of one becomes that gradient's message and leaves the other alone."""
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise ProbeFailure(
            f"backward(x, y, w1, w2) should return (grad_w1, grad_w2), got {type(result).__name__}"
        )
    grads = []
    for name, grad in zip(("grad_w1", "grad_w2"), result, strict=True):
        try:
            grads.append(data(grad, "backward(x, y, w1, w2)"))
        except ProbeFailure:
            grads.append(
                f"backward(x, y, w1, w2) returned {describe(grad)} as {name}, not an array"
            )
    return tuple(grads)


def forward_hidden(ctx: Context) -> dict:
    """forward on two hidden problems of the same sizes, so every argument varies;
    the two results stacked, shape (2, N, D_out), when they stack."""
    forward = ctx.function("forward")
    first = _problem(ctx)
    second = {name: ctx.rng.standard_normal(value.shape) for name, value in first.items()}
    results = [
        data(forward(p["x"], p["w1"], p["w2"]), "forward(x, w1, w2)") for p in (first, second)
    ]
    try:
        arrays = [array_of(r, "forward(x, w1, w2)") for r in results]
    except ProbeFailure:
        return {"y_pred": results[0]}  # the check says what is wrong with it
    if arrays[0].shape != arrays[1].shape:
        return {"y_pred": results[0]}
    return {"y_pred": np.stack(arrays)}


def loss_hidden(ctx: Context) -> dict:
    """loss_fn on two hidden problems of other shapes, so both arguments vary; the
    two losses added (a loss off on either problem is off in the total)."""
    loss_fn = ctx.function("loss_fn")
    total = 0.0
    for _ in range(2):
        p = _problem(ctx)
        y_pred = ctx.rng.standard_normal(p["y"].shape)
        total += as_float(loss_fn(y_pred, p["y"]), "loss_fn(y_pred, y)")
    return {"loss": total}


def backward_hidden(ctx: Context) -> dict:
    """Each gradient as returned: a wrong shape or type in one costs only its own check."""
    p = _problem(ctx)
    grad_w1, grad_w2 = _pair_of_grads(ctx.function("backward")(p["x"], p["y"], p["w1"], p["w2"]))
    return {"grad_w1": grad_w1, "grad_w2": grad_w2}


def backward_numeric(ctx: Context) -> dict:
    """Each of the student's gradients against finite differences of the contract's loss.

    Only backward is the student's here: the grader picks the points and
    computes the loss, sum((relu(x @ w1) @ w2 - y) ** 2), itself, so a mistake
    in forward or loss_fn costs nothing here, and each gradient is checked on
    its own: a wrong shape, type or value of one costs only its own check.
    """
    p = _problem(ctx)
    x, y = p["x"], p["y"]
    grads = _pair_of_grads(ctx.function("backward")(x, y, p["w1"], p["w2"]))
    out: dict = {}
    for name, grad in zip(("w1", "w2"), grads, strict=True):
        weight = p[name]
        where = sample_indices(ctx.rng, weight.shape, 12)  # drawn whatever came back
        try:
            grad = array_of(grad, f"grad_{name}") if not isinstance(grad, str) else grad
        except ProbeFailure as exc:
            grad = str(exc)
        if isinstance(grad, str):
            out[f"grad_{name}"], out[f"numeric_{name}"] = None, grad
            continue
        if grad.shape != weight.shape:  # this gradient's check says so; the other still runs
            out[f"grad_{name}"] = grad
            out[f"numeric_{name}"] = (
                f"backward returned grad_{name} of shape {grad.shape}, expected {weight.shape} "
                f"(the shape of {name})"
            )
            continue

        def f(w: np.ndarray, name: str = name) -> float:
            if name == "w1":
                return sum_squared_error(x, y, w, p["w2"])
            return sum_squared_error(x, y, p["w1"], w)

        out[f"grad_{name}"] = np.array([grad[i] for i in where], dtype=np.float64)
        out[f"numeric_{name}"] = {
            "estimate": central_difference(f, weight, where),
            "at": np.array(where, dtype=np.int64),
        }
    return out


def _train(ctx: Context, p: dict, **kwargs) -> dict:
    result = ctx.function("train")(p["x"], p["y"], p["w1"], p["w2"], **kwargs)
    if not isinstance(result, tuple | list) or len(result) != 3:
        raise ProbeFailure(
            f"train(...) should return (w1, w2, losses), got {type(result).__name__}"
        )
    w1_out, w2_out, losses = (data(v, "train(...)") for v in result)
    if not isinstance(losses, list | tuple | np.ndarray):
        raise ProbeFailure(
            f"train(...) should return a list of losses, got {type(losses).__name__}"
        )
    return {"w1": w1_out, "w2": w2_out, "losses": [as_float(v, "losses[t]") for v in losses]}


def train_hidden(ctx: Context) -> dict:
    p = _problem(ctx, low=4, high=16)
    steps = int(ctx.rng.integers(15, 40))
    return _train(ctx, p, learning_rate=float(ctx.rng.uniform(2e-4, 1e-3)), steps=steps)


def train_tutorial(ctx: Context) -> dict:
    """The tutorial's sizes with the contract's defaults; the decrease is this side's.

    It is the instructor's loss of the weights `train` returns over the loss of
    the starting weights: the losses `train` reports are never believed.
    """
    n, d_in, h, d_out = TUTORIAL_SIZES
    p = {
        "x": ctx.rng.standard_normal((n, d_in)),
        "y": ctx.rng.standard_normal((n, d_out)),
        "w1": ctx.rng.standard_normal((d_in, h)),
        "w2": ctx.rng.standard_normal((h, d_out)),
    }
    result = _train(ctx, p)
    w1 = array_of(result["w1"], "the w1 train returns", real=True, max_size=p["w1"].size)
    w2 = array_of(result["w2"], "the w2 train returns", real=True, max_size=p["w2"].size)
    if w1.shape != p["w1"].shape or w2.shape != p["w2"].shape:
        raise ProbeFailure(
            f"train returned weights of shapes {w1.shape} and {w2.shape}, expected "
            f"{p['w1'].shape} and {p['w2'].shape}"
        )
    # Against the better of the start and the zero weights' loss (sum of y**2):
    # returning zeros is no training.
    start = sum_squared_error(p["x"], p["y"], p["w1"], p["w2"])
    baseline = min(start, float((p["y"] ** 2).sum()))
    final = sum_squared_error(p["x"], p["y"], w1, w2)
    return {"decrease": final / baseline, "steps": len(result["losses"])}


SCRIPT_GLOBALS = ("x", "y", "w1", "w2")


def script_loss(ctx: Context) -> dict:
    """The loss the script's final weights reach on the script's data, computed here.

    A tutorial script leaves x, y, w1 and w2 behind; the loss it prints is the
    script's claim, the loss of those weights is what counts.
    """
    missing = [name for name in SCRIPT_GLOBALS if not ctx.has(name)]
    if missing:
        raise ProbeFailure(
            f"{ctx.entry} leaves no global {', '.join(f'`{m}`' for m in missing)} after running "
            "as a script; train at top level (or under `if __name__ == '__main__':`) with the "
            "tutorial's names x, y, w1, w2"
        )
    arrays = {
        name: array_of(ctx.value(name), f"the global `{name}`", real=True, max_size=10**6)
        for name in SCRIPT_GLOBALS
    }
    x, y, w1, w2 = (arrays[name] for name in SCRIPT_GLOBALS)
    n, d_in, h, d_out = TUTORIAL_SIZES
    expected = {"x": (n, d_in), "y": (n, d_out), "w1": (d_in, h), "w2": (h, d_out)}
    wrong = [f"{k} {arrays[k].shape}" for k, shape in expected.items() if arrays[k].shape != shape]
    if wrong:
        raise ProbeFailure(
            f"the script's {', '.join(wrong)} do not have the tutorial's sizes "
            f"(x {expected['x']}, y {expected['y']}, w1 {expected['w1']}, w2 {expected['w2']})"
        )
    if not float((y.astype(np.float64) ** 2).mean()) > 0.1:
        raise ProbeFailure("the script's targets y are all (nearly) zero: there is nothing to fit")
    return {"loss": sum_squared_error(x, y, w1, w2)}
