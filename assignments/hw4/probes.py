"""Probes for hw4: build the student's BasicNN_train, run forward and train.

The same probe runs on the reference, so every probe builds its own model
and hidden variant from `ctx.rng`. Training results are read from the model
itself (its final_bias, its loss after training), not only from what
`train` returns, so a returned list cannot stand in for training. A model
leaves the sandbox as its state_dict tensors, never as an object.
"""

import numpy as np
import torch

from autograder.harness.probe import Context, ProbeFailure, as_float, is_plain_number

FIXED = ("w00", "b00", "w01", "w10", "b10", "w11")
TUTORIAL_INPUTS = (0.0, 0.5, 1.0)
TUTORIAL_LABELS = (0.0, 1.0, 0.0)
DOSES = torch.linspace(0, 1, 11)


def _model(ctx: Context) -> torch.nn.Module:
    model = ctx.function("BasicNN_train")()
    if not isinstance(model, torch.nn.Module):
        raise ProbeFailure(f"BasicNN_train() should build an nn.Module, got {type(model).__name__}")
    return model


def _final_bias(model: torch.nn.Module) -> torch.Tensor:
    bias = getattr(model, "final_bias", None)
    if not isinstance(bias, torch.Tensor):
        raise ProbeFailure(
            "BasicNN_train() has no tensor attribute `final_bias`; define it as "
            "nn.Parameter(torch.tensor(0.0)) in __init__"
        )
    return bias


def _tensors(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """The model's named tensors: the contract's names, parameters and buffers.

    Fixed weights may be frozen parameters, buffers or plain tensor
    attributes; all three styles are valid, so all three are looked at.
    """
    found: dict[str, torch.Tensor] = {}
    for name in (*FIXED, "final_bias"):
        value = getattr(model, name, None)
        if isinstance(value, torch.Tensor):
            found[name] = value
    found.update(dict(model.named_parameters()))
    found.update(dict(model.named_buffers()))
    return found


def _curve(model: torch.nn.Module, doses: torch.Tensor) -> torch.Tensor:
    """model(doses) as a flat tensor; dose by dose if the model takes scalars only."""
    with torch.no_grad():
        try:
            out = model(doses)
            if isinstance(out, torch.Tensor) and out.numel() == doses.numel():
                return out.detach().reshape(-1)
        except Exception:
            pass
        outs = []
        for dose in doses:
            out = model(dose)
            if not isinstance(out, torch.Tensor) or out.numel() != 1:
                raise ProbeFailure(
                    "model(input) should return a tensor with one value per dose, got "
                    f"{type(out).__name__}"
                    + (f" of shape {tuple(out.shape)}" if isinstance(out, torch.Tensor) else "")
                )
            outs.append(out.detach().reshape(()))
        return torch.stack(outs)


def _total_loss(model: torch.nn.Module, inputs: torch.Tensor, labels: torch.Tensor) -> float:
    outputs = _curve(model, inputs).double()
    return float(((outputs - labels.double()) ** 2).sum())


def _train(
    ctx: Context, model: torch.nn.Module, inputs: torch.Tensor, labels: torch.Tensor, **kwargs
) -> dict:
    result = ctx.function("train")(model, inputs.clone(), labels.clone(), **kwargs)
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise ProbeFailure(
            f"train(...) should return (epochs_run, losses), got {type(result).__name__}"
        )
    epochs_run, losses = result
    try:
        losses = [as_float(loss, "losses[e]") for loss in losses]
    except TypeError:
        raise ProbeFailure(
            f"train(...) should return a list of losses, got {type(losses).__name__}"
        ) from None
    epochs = as_float(epochs_run, "the epochs_run returned by train")
    plain = (
        is_plain_number(epochs_run)
        and len(losses) > 0
        and all(is_plain_number(loss) for loss in result[1])
    )
    return {
        "plain_numbers": plain,
        "epochs_run": int(epochs) if epochs.is_integer() else epochs,
        "losses": losses,
        "final_bias": as_float(_final_bias(model), "model.final_bias"),
    }


def forward(ctx: Context) -> dict:
    """The dose-response curve untrained, then with a hidden final_bias set directly."""
    model = _model(ctx)
    trainable = sorted(name for name, t in _tensors(model).items() if t.requires_grad)
    untrained = _curve(model, DOSES)
    bias = float(ctx.rng.uniform(-17.5, -14.5))
    _final_bias(model).data.fill_(bias)
    doses = torch.tensor(np.sort(ctx.rng.uniform(-0.2, 1.2, size=9)), dtype=torch.float32)
    shifted = torch.cat([_curve(model, DOSES), _curve(model, doses)])
    return {"untrained": untrained, "shifted": shifted, "trainable": trainable}


def train_tutorial(ctx: Context) -> dict:
    """StatQuest's data with the contract's defaults (lr 0.1, 100 epochs, tol 1e-4)."""
    inputs, labels = torch.tensor(TUTORIAL_INPUTS), torch.tensor(TUTORIAL_LABELS)
    model = _model(ctx)
    before = {name: t.detach().clone() for name, t in _tensors(model).items()}
    result = _train(ctx, model, inputs, labels)
    after = _tensors(model)
    changed = [
        name
        for name, t in after.items()
        if name not in before
        or t.shape != before[name].shape
        or not torch.equal(t.detach(), before[name])
    ]
    result["changed"] = sorted(changed)
    result["final_loss"] = _total_loss(model, inputs, labels)
    result["curve"] = _curve(model, DOSES)
    return result


def train_hidden(ctx: Context) -> dict:
    """Two hidden runs: one that converges, one capped by max_epochs.

    `converge` moves the label, the rate and the starting bias, so its
    answer is not -16; `capped` adds a fourth dose and labels no bias can
    fit, so it runs exactly max_epochs and its whole curve is comparable.
    """
    inputs = torch.tensor(TUTORIAL_INPUTS)
    labels = torch.tensor([0.0, float(ctx.rng.uniform(0.6, 1.6)), 0.0])
    model = _model(ctx)
    _final_bias(model).data.fill_(float(ctx.rng.uniform(-8.0, 3.0)))
    converge = _train(ctx, model, inputs, labels, lr=float(ctx.rng.uniform(0.05, 0.2)))

    doses = np.sort(ctx.rng.uniform(0.0, 1.0, size=4))
    targets = [ctx.rng.uniform(0.1, 0.4), ctx.rng.uniform(0.6, 1.6), 0.0, ctx.rng.uniform(0.1, 0.4)]
    model = _model(ctx)
    _final_bias(model).data.fill_(float(ctx.rng.uniform(-4.0, 2.0)))
    capped = _train(
        ctx,
        model,
        torch.tensor(doses, dtype=torch.float32),
        torch.tensor(targets, dtype=torch.float32),
        lr=float(ctx.rng.uniform(0.01, 0.05)),
        max_epochs=int(ctx.rng.integers(8, 21)),
        tol=1e-4,
    )
    return {"converge": converge, "capped": capped}


def script_model(ctx: Context) -> dict:
    """The global `model` the script trained, as its state_dict tensors."""
    model = ctx.value("model")
    if not isinstance(model, torch.nn.Module):
        raise ProbeFailure(
            f"the global `model` should be your trained BasicNN_train, got {type(model).__name__}"
        )
    state = {name: t.detach() for name, t in model.state_dict().items()}
    bias = state.get("final_bias", getattr(model, "final_bias", None))
    if bias is None:
        raise ProbeFailure("the global `model` has no `final_bias`")
    return {"state": state, "final_bias": as_float(bias, "model.final_bias")}
