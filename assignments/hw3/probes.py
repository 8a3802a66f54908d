"""Probes for hw3: the student's LeNet, with seeded weights and hidden batches.

The reference's weights never need shipping: every probe that compares
numbers generates LeNet's weights from its own seed (by name and shape,
`autograder.probing.modules.load_seeded`) and loads them into a fresh
`Net()`; the reference run does the same, so both nets hold the same numbers
and any difference comes from `forward` or `train_step`. Batch sizes are
hidden too (never 1 or 4, the tutorials' sizes), which is what catches a
forward that hard-codes its batch dimension. Convergence is judged here,
from the net's own outputs after training, never from the losses
`train_step` reports.
"""

import numpy as np

from autograder.probing.context import (
    Context,
    ProbeFailure,
    Remote,
    TensorValue,
    as_float,
    describe,
    is_plain_number,
)
from autograder.probing.modules import (
    gradients,
    load_seeded,
    named_tensors,
    parameter_shapes,
    values,
)

# The contract, as the state_dict a correct Net has: public, it is in the README.
LENET = {
    "conv1.weight": (6, 1, 5, 5),
    "conv1.bias": (6,),
    "conv2.weight": (16, 6, 5, 5),
    "conv2.bias": (16,),
    "fc1.weight": (120, 400),
    "fc1.bias": (120,),
    "fc2.weight": (84, 120),
    "fc2.bias": (84,),
    "fc3.weight": (10, 84),
    "fc3.bias": (10,),
}
LEARNING_RATE = 0.01

CONVERGE_STEPS = 40
CONVERGE_BATCH = 8


def _module(value: object, what: str) -> Remote:
    if not isinstance(value, Remote):
        raise ProbeFailure(f"{what} should be an nn.Module, got {describe(value)}")
    return value


def _net(ctx: Context) -> Remote:
    """A fresh `Net()` from the submission."""
    return _module(ctx.function("Net")(), "Net()")


def _seeded_net(ctx: Context) -> Remote:
    net = _net(ctx)
    load_seeded(ctx, net, LENET, what="Net()")
    return net


def _batch_size(ctx: Context) -> int:
    return int(ctx.rng.choice([3, 5, 6, 7, 9, 11]))


def _inputs(ctx: Context, n: int) -> TensorValue:
    return TensorValue(ctx.rng.standard_normal((n, 1, 32, 32)).astype(np.float32), "torch.float32")


def _target(ctx: Context, n: int) -> TensorValue:
    return TensorValue(ctx.rng.standard_normal((n, 10)).astype(np.float32), "torch.float32")


def _output(value: object, what: str = "Net()") -> TensorValue:
    if not isinstance(value, TensorValue):
        raise ProbeFailure(f"{what}(x) should return a tensor, got {describe(value)}")
    return value


def _loss_or_none(value: object) -> float | None:
    """The returned loss as a float, or None (the loss check then says what came back)."""
    try:
        return as_float(value, "train_step(...)")
    except ProbeFailure:
        return None


def net_parameters(ctx: Context) -> dict:
    """Names and shapes of a fresh Net()'s parameters; no weights needed."""
    return {"shapes": parameter_shapes(named_tensors(ctx, _net(ctx), "Net()"))}


def output_shape(ctx: Context) -> dict:
    """Net()'s own initialisation on a hidden batch size: only the shape counts."""
    net = _net(ctx)
    n = _batch_size(ctx)
    out = _output(net(_inputs(ctx, n)))
    return {"shape": [int(d) for d in out.array.shape], "batch": n}


def forward_hidden(ctx: Context) -> dict:
    net = _seeded_net(ctx)
    x = _inputs(ctx, _batch_size(ctx))
    return {"output": _output(net(x))}


def backward_hidden(ctx: Context) -> dict:
    """Gradients of an MSELoss built inside, so only forward() is under test."""
    net = _seeded_net(ctx)
    n = _batch_size(ctx)
    x, target = _inputs(ctx, n), _target(ctx, n)
    net.zero_grad.run()
    out = net.handle(x)
    loss = ctx.lib("torch.nn.functional.mse_loss").handle(out, target)
    loss.backward.run()
    return {"gradients": gradients(named_tensors(ctx, net, "Net()"), "Net()")}


def train_step_hidden(ctx: Context) -> dict:
    """Two calls of train_step in a row, as a training loop makes them.

    The first call starts with no gradients, so it shows whether one step is
    right; the second shows whether the first step's gradients were cleared.
    """
    net = _seeded_net(ctx)
    n = _batch_size(ctx)
    x, target = _inputs(ctx, n), _target(ctx, n)
    train_step = ctx.function("train_step")
    optimizer = ctx.lib("torch.optim.SGD").handle(net.parameters.handle(), lr=LEARNING_RATE)
    returned = train_step(net, optimizer, x, target)
    after_first = values(named_tensors(ctx, net, "Net()"))
    second = _loss_or_none(train_step(net, optimizer, x, target))
    return {
        "loss": _loss_or_none(returned),
        "returns_number": is_plain_number(returned),
        "parameters": after_first,
        "second_loss": second,
        "second_parameters": values(named_tensors(ctx, net, "Net()")),
    }


def train_converges(ctx: Context) -> dict:
    """A few dozen train_step calls on one fixed batch must fit it.

    The loss is computed here from the net's outputs after training, relative
    to mean(target**2), the loss of a net that always outputs zeros, so the
    threshold does not depend on the seed's targets. (SGD with momentum:
    train_step must work with any optimizer.)
    """
    net = _seeded_net(ctx)
    x, target = _inputs(ctx, CONVERGE_BATCH), _target(ctx, CONVERGE_BATCH)
    train_step = ctx.function("train_step")
    optimizer = ctx.lib("torch.optim.SGD").handle(
        net.parameters.handle(), lr=LEARNING_RATE, momentum=0.9
    )
    for _ in range(CONVERGE_STEPS):
        train_step.run(net, optimizer, x, target)
    out = _output(net(x)).array.astype(np.float64)
    if out.shape != target.array.shape:
        raise ProbeFailure(f"Net()(x) returned shape {out.shape}, expected {target.array.shape}")
    # Each image's output depends on that image only: the batch in another
    # order must give the same rows in that order (a net that recalls its
    # target instead of computing does not).
    order = ctx.rng.permutation(CONVERGE_BATCH)
    shuffled = _output(net(TensorValue(x.array[order], x.dtype))).array.astype(np.float64)
    if shuffled.shape != out.shape or not np.allclose(shuffled, out[order], rtol=1e-3, atol=1e-4):
        raise ProbeFailure(
            "after training, Net()(x) with the images of x in another order does not give the "
            "same outputs in that order: each output must be computed from its own image"
        )
    baseline = float((target.array.astype(np.float64) ** 2).mean())
    return {"relative_loss": float(((out - target.array) ** 2).mean()) / baseline}


def script_net_parameters(ctx: Context) -> dict:
    """The global `net` a tutorial script leaves behind (it prints it)."""
    net = _module(ctx.value("net"), "the global `net`")
    return {"shapes": parameter_shapes(named_tensors(ctx, net, "the global `net`"))}


def script_net_output(ctx: Context) -> dict:
    """The global `net` on a hidden batch size, with whatever weights it has."""
    net = _module(ctx.value("net"), "the global `net`")
    n = _batch_size(ctx)
    out = _output(net(_inputs(ctx, n)), "net")
    return {"shape": [int(d) for d in out.array.shape], "batch": n}
