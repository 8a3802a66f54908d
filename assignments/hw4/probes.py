"""Probes for hw4: build the student's BasicNN_train, run forward and train.

The same probe drives the reference, so every probe builds its own model and
hidden variant from `ctx.rng`. Training results are read from the model
itself (its final_bias, its tensors before and after), not only from what
`train` returns, and the tutorial's final loss is computed here with the
instructor's network and the final_bias the model ended with, so a returned
list cannot stand in for training.
"""

import numpy as np

from autograder.probing.context import (
    Context,
    ProbeFailure,
    Remote,
    StudentRaised,
    TensorValue,
    as_float,
    data,
    describe,
    returned_type,
)
from autograder.probing.modules import named_tensors

FIXED = {"w00": 1.7, "b00": -0.85, "w01": -40.8, "w10": 12.6, "b10": 0.0, "w11": 2.7}
TUTORIAL_INPUTS = (0.0, 0.5, 1.0)
TUTORIAL_LABELS = (0.0, 1.0, 0.0)
DOSES = np.linspace(0, 1, 11, dtype=np.float32)


def _floats(values) -> TensorValue:
    return TensorValue(np.asarray(values, dtype=np.float32), "torch.float32")


def network(inputs: np.ndarray, final_bias: float) -> np.ndarray:
    """The instructor's BasicNN_train, in float64."""
    x = np.asarray(inputs, dtype=np.float64)
    top = np.maximum(x * FIXED["w00"] + FIXED["b00"], 0) * FIXED["w01"]
    bottom = np.maximum(x * FIXED["w10"] + FIXED["b10"], 0) * FIXED["w11"]
    return np.maximum(top + bottom + final_bias, 0)


def _model(ctx: Context) -> Remote:
    model = ctx.function("BasicNN_train")()
    if not isinstance(model, Remote):
        raise ProbeFailure(f"BasicNN_train() should build an nn.Module, got {describe(model)}")
    return model


def _final_bias(model: Remote) -> float:
    try:
        bias = model.final_bias.get()
    except StudentRaised:
        bias = None
    if not isinstance(bias, TensorValue):
        raise ProbeFailure(
            "BasicNN_train() has no tensor attribute `final_bias`; define it as "
            "nn.Parameter(torch.tensor(0.0)) in __init__"
        )
    return as_float(bias, "model.final_bias")


def _set_final_bias(model: Remote, value: float) -> None:
    _final_bias(model)
    model.final_bias.data.fill_.run(value)


def _tensors(ctx: Context, model: Remote) -> dict[str, TensorValue]:
    """The model's named tensors: the contract's names, parameters and buffers.

    Fixed weights may be frozen parameters, buffers or plain tensor
    attributes; all three styles are valid, so all three are looked at.
    """
    found: dict[str, TensorValue] = {}
    for name in (*FIXED, "final_bias"):
        try:
            value = getattr(model, name).get()
        except StudentRaised:
            continue
        if isinstance(value, TensorValue):
            found[name] = value
    found.update(named_tensors(ctx, model, "BasicNN_train()"))
    found.update(named_tensors(ctx, model, "BasicNN_train()", method="named_buffers"))
    return found


def _curve(model: Remote, doses: np.ndarray) -> np.ndarray:
    """model(doses) as a flat array; dose by dose if the model takes scalars only."""
    try:
        out = model(_floats(doses))
        if isinstance(out, TensorValue) and out.array.size == doses.size:
            return out.array.reshape(-1)
    except StudentRaised:
        pass
    outs = []
    for dose in doses:
        out = model(_floats(dose))
        if not isinstance(out, TensorValue) or out.array.size != 1:
            raise ProbeFailure(
                f"model(input) should return a tensor with one value per dose, got {describe(out)}"
            )
        outs.append(out.array.reshape(()))
    return np.stack(outs)


def _loss_type(losses) -> str | list:
    """The first loss that is not a Python float, by its type; "float" when all are,
    and an empty list (nothing to check) when there are none."""
    kinds = [returned_type(loss) for loss in losses]
    if not kinds:
        return []
    return next((kind for kind in kinds if kind != "float"), "float")


def _train(ctx: Context, model: Remote, inputs, labels, **kwargs) -> dict:
    result = ctx.function("train")(model, _floats(inputs), _floats(labels), **kwargs)
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise ProbeFailure(f"train(...) should return (epochs_run, losses), got {describe(result)}")
    epochs_run, losses = (data(v, "train(...)") for v in result)
    if not isinstance(losses, list | tuple | np.ndarray):
        raise ProbeFailure(f"train(...) should return a list of losses, got {describe(losses)}")
    numbers = [as_float(loss, "losses[e]") for loss in losses]
    epochs = as_float(epochs_run, "the epochs_run returned by train")
    return {
        "epochs_type": returned_type(epochs_run),
        "loss_type": _loss_type(losses),
        "epochs_run": int(epochs) if epochs.is_integer() else epochs,
        "losses": numbers,
        "first_loss": numbers[0] if numbers else None,
        "final_bias": _final_bias(model),
    }


def forward(ctx: Context) -> dict:
    """The dose-response curve untrained, then with a hidden final_bias set directly."""
    model = _model(ctx)
    trainable = sorted(name for name, t in _tensors(ctx, model).items() if t.requires_grad)
    untrained = _curve(model, DOSES)
    bias = float(ctx.rng.uniform(-16.5, -14.5))  # above -17.01: the curve is not all zeros
    _set_final_bias(model, bias)
    doses = np.sort(ctx.rng.uniform(-0.2, 1.2, size=9)).astype(np.float32)
    shifted = np.concatenate([_curve(model, DOSES), _curve(model, doses)])
    return {"untrained": untrained, "shifted": shifted, "trainable": trainable}


def train_tutorial(ctx: Context) -> dict:
    """StatQuest's data with the contract's defaults (lr 0.1, 100 epochs, tol 1e-4)."""
    model = _model(ctx)
    before = _tensors(ctx, model)
    result = _train(ctx, model, TUTORIAL_INPUTS, TUTORIAL_LABELS)
    after = _tensors(ctx, model)
    changed = [
        name
        for name, t in after.items()
        if name not in before
        or t.array.shape != before[name].array.shape
        or not np.array_equal(t.array, before[name].array)
    ]
    outputs = network(np.asarray(TUTORIAL_INPUTS), result["final_bias"])
    result["changed"] = sorted(changed)
    result["final_loss"] = float(((outputs - np.asarray(TUTORIAL_LABELS)) ** 2).sum())
    result["curve"] = _curve(model, DOSES)
    return result


def train_hidden(ctx: Context) -> dict:
    """Two hidden runs: one that converges, one capped by max_epochs.

    Every argument of `train` takes values a train that ignores it cannot
    reproduce. `converge` moves the label, the rate (0.13 to 0.2, never the
    default 0.1), the tolerance (never 1e-4) and the starting bias, so its
    answer is not -16 and it stops long before the tutorial's 34 steps (after
    9 to 20); `capped` adds a fourth dose and labels no bias can fit, with a
    rate of 0.01 to 0.05 and 8 to 20 epochs (never 100), so it runs exactly
    max_epochs and its whole curve is comparable.
    """
    labels = [0.0, float(ctx.rng.uniform(0.6, 1.6)), 0.0]
    model = _model(ctx)
    _set_final_bias(model, float(ctx.rng.uniform(-6.0, 3.0)))
    converge = _train(
        ctx,
        model,
        TUTORIAL_INPUTS,
        labels,
        lr=float(ctx.rng.uniform(0.13, 0.2)),
        tol=float(ctx.rng.uniform(1e-3, 2e-2)),
    )

    doses = np.sort(ctx.rng.uniform(0.0, 1.0, size=4))
    targets = [ctx.rng.uniform(0.1, 0.4), ctx.rng.uniform(0.6, 1.6), 0.0, ctx.rng.uniform(0.1, 0.4)]
    model = _model(ctx)
    _set_final_bias(model, float(ctx.rng.uniform(-4.0, 2.0)))
    capped = _train(
        ctx,
        model,
        doses,
        targets,
        lr=float(ctx.rng.uniform(0.01, 0.05)),
        max_epochs=int(ctx.rng.integers(8, 21)),
        tol=1e-4,
    )
    return {"converge": converge, "capped": capped}


def script_model(ctx: Context) -> dict:
    """The global `model` the script trained: its final_bias."""
    model = ctx.value("model")
    if not isinstance(model, Remote):
        raise ProbeFailure(
            f"the global `model` should be your trained BasicNN_train, got {describe(model)}"
        )
    return {"final_bias": _final_bias(model)}
