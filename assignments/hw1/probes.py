"""Probes for hw1: call the student's NumPy network on hidden inputs.

Every probe draws its inputs from `ctx.rng`, so the reference and the
submission see identical hidden data. Inputs are always passed as copies: a
submission that updates weights in place must not change what is compared.
"""

import numpy as np

from autograder.harness.probe import (
    Context,
    ProbeFailure,
    as_float,
    central_difference,
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


def _copies(p: dict) -> tuple:
    return tuple(p[k].copy() for k in ("x", "y", "w1", "w2"))


def _pair_of_grads(result: object) -> tuple:
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise ProbeFailure(
            f"backward(x, y, w1, w2) should return (grad_w1, grad_w2), got {type(result).__name__}"
        )
    return tuple(result)


def _gradients(ctx: Context, p: dict) -> tuple[np.ndarray, np.ndarray]:
    x, y, w1, w2 = _copies(p)
    result = _pair_of_grads(ctx.function("backward")(x, y, w1, w2))
    grads = []
    for name, grad, weight in (("grad_w1", result[0], p["w1"]), ("grad_w2", result[1], p["w2"])):
        grad = np.asarray(grad)
        if grad.shape != weight.shape:
            raise ProbeFailure(
                f"backward returned {name} of shape {grad.shape}, expected {weight.shape} "
                f"(the shape of {name[5:]})"
            )
        grads.append(grad)
    return grads[0], grads[1]


def forward_hidden(ctx: Context) -> dict:
    p = _problem(ctx)
    x, _, w1, w2 = _copies(p)
    return {"y_pred": ctx.function("forward")(x, w1, w2)}


def loss_hidden(ctx: Context) -> dict:
    p = _problem(ctx)
    y_pred = ctx.rng.standard_normal(p["y"].shape)
    loss = ctx.function("loss_fn")(y_pred, p["y"].copy())
    return {"loss": as_float(loss, "loss_fn(y_pred, y)")}


def backward_hidden(ctx: Context) -> dict:
    """Each gradient as returned: a wrong shape in one costs only its own check."""
    x, y, w1, w2 = _copies(_problem(ctx))
    result = _pair_of_grads(ctx.function("backward")(x, y, w1, w2))
    return {"grad_w1": np.asarray(result[0]), "grad_w2": np.asarray(result[1])}


def backward_numeric(ctx: Context) -> dict:
    """The student's gradients against finite differences of their own loss."""
    p = _problem(ctx)
    grad_w1, grad_w2 = _gradients(ctx, p)
    forward, loss_fn = ctx.function("forward"), ctx.function("loss_fn")
    x, y, w1, w2 = _copies(p)

    def loss() -> float:
        return as_float(loss_fn(forward(x, w1, w2), y), "loss_fn(y_pred, y)")

    out = {}
    for name, grad, weight in (("w1", grad_w1, w1), ("w2", grad_w2, w2)):
        where = sample_indices(ctx.rng, weight.shape, 12)
        out[f"grad_{name}"] = np.array([grad[i] for i in where], dtype=np.float64)
        out[f"numeric_{name}"] = central_difference(loss, weight, where)
    return out


def _train(ctx: Context, p: dict, **kwargs) -> dict:
    x, y, w1, w2 = _copies(p)
    result = ctx.function("train")(x, y, w1, w2, **kwargs)
    if not isinstance(result, tuple | list) or len(result) != 3:
        raise ProbeFailure(
            f"train(...) should return (w1, w2, losses), got {type(result).__name__}"
        )
    w1_out, w2_out, losses = result
    return {"w1": w1_out, "w2": w2_out, "losses": [as_float(v, "losses[t]") for v in losses]}


def train_hidden(ctx: Context) -> dict:
    p = _problem(ctx, low=4, high=16)
    steps = int(ctx.rng.integers(15, 40))
    return _train(ctx, p, learning_rate=float(ctx.rng.uniform(2e-4, 1e-3)), steps=steps)


def train_tutorial(ctx: Context) -> dict:
    n, d_in, h, d_out = TUTORIAL_SIZES
    p = {
        "x": ctx.rng.standard_normal((n, d_in)),
        "y": ctx.rng.standard_normal((n, d_out)),
        "w1": ctx.rng.standard_normal((d_in, h)),
        "w2": ctx.rng.standard_normal((h, d_out)),
    }
    result = _train(ctx, p)
    losses = result["losses"]
    if len(losses) < 2:
        raise ProbeFailure(f"train returned {len(losses)} losses for 500 steps")
    return {"decrease": losses[-1] / losses[0], "steps": len(losses)}


def script_loss(ctx: Context) -> dict:
    """The loss the student's script reached: `loss`, else the last of `losses`."""
    if "loss" in ctx.namespace:
        return {"loss": as_float(ctx.value("loss"), "the global `loss`")}
    if "losses" in ctx.namespace:
        losses = ctx.value("losses")
        if len(losses) == 0:
            raise ProbeFailure("the global `losses` is empty")
        return {"loss": as_float(losses[-1], "the last element of `losses`")}
    raise ProbeFailure(
        f"{ctx.entry} leaves no global `loss` (or `losses`) after running as a script; "
        "train at top level or under `if __name__ == '__main__':` and keep the final loss"
    )
