"""Probes for hw3: the student's LeNet, and train_step on a network the probe builds.

Each contract member is tested on its own (the probe design rules in the
README):

- `Net` with seeded weights: every probe that compares numbers generates
  LeNet's weights from its own seed (by name and shape,
  `autograder.probing.modules.load_seeded`) and loads them into a fresh
  `Net()`; the reference run does the same, so both nets hold the same
  numbers and any difference comes from `forward`. Batch sizes are hidden
  too (never 1 or 4, the tutorials' sizes), which is what catches a forward
  that hard-codes its batch dimension.
- `train_step` on a small trusted network the probe builds inside the
  submission's process from allow-listed library objects (`nn.Sequential`
  of `nn.Linear`, `nn.Tanh`, `nn.Linear`, seeded the same way) with an
  optimizer the probe builds too (SGD with a hidden learning rate and
  momentum). A wrong `Net` therefore never fails a `train_step` check, and a
  wrong `train_step` never fails a `Net` check. Convergence is judged here,
  from that network's parameters after training (its forward is computed on
  this side), never from the losses `train_step` reports.
"""

import numpy as np

from autograder.probing.context import (
    Context,
    ProbeFailure,
    Remote,
    TensorValue,
    as_float,
    describe,
    returned_type,
)
from autograder.probing.modules import (
    gradients,
    load_seeded,
    named_tensors,
    parameter_shapes,
    require_shapes,
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
OUTPUTS = 10  # the trusted network ends in LeNet's 10 outputs, as train_step's callers do

CONVERGE_STEPS = 40
CONVERGE_BATCH = 8
CONVERGE_LR = 0.5
CONVERGE_MOMENTUM = 0.9

TRUSTED = "the network the grader passed to train_step"


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


def _tensor(array: np.ndarray) -> TensorValue:
    return TensorValue(array.astype(np.float32), "torch.float32")


def _images(ctx: Context, n: int) -> TensorValue:
    return _tensor(ctx.rng.standard_normal((n, 1, 32, 32)))


def _output(value: object, what: str = "Net()") -> TensorValue:
    if not isinstance(value, TensorValue):
        raise ProbeFailure(f"{what}(x) should return a tensor, got {describe(value)}")
    return value


def _per_image(net: Remote, x: TensorValue, ctx: Context, what: str) -> dict:
    """The output's shape, after checking that each row is computed from its own image.

    The batch in another order must give the same rows in that order, and
    different images must not all give the same row: a forward that mixes
    samples, or returns a fixed tensor of the right shape, fails here.
    """
    out = _output(net(x), what).array
    n = x.array.shape[0]
    shape = [int(d) for d in out.shape]
    if out.ndim != 2 or out.shape[0] != n or out.dtype.kind != "f":
        return {"shape": shape, "batch": n}
    order = ctx.rng.permutation(n)
    shuffled = _output(net(_tensor(x.array[order])), what).array
    if shuffled.shape != out.shape or not np.allclose(
        shuffled, out[order], rtol=1e-4, atol=1e-5, equal_nan=True
    ):
        raise ProbeFailure(
            f"{what}(x) with the images of x in another order does not give the same outputs "
            "in that order: each output row must be computed from its own image only"
        )
    if np.allclose(out, out[:1], rtol=1e-6, atol=1e-7):
        raise ProbeFailure(
            f"{what}(x) gives the same output row for {n} different images: forward must "
            "compute each row from its image"
        )
    return {"shape": shape, "batch": n}


def net_parameters(ctx: Context) -> dict:
    """Names and shapes of a fresh Net()'s parameters; no weights needed."""
    return {"shapes": parameter_shapes(named_tensors(ctx, _net(ctx), "Net()"))}


def output_shape(ctx: Context) -> dict:
    """Net()'s own initialisation on a hidden batch size: the shape, row by row."""
    return _per_image(_net(ctx), _images(ctx, _batch_size(ctx)), ctx, "Net()")


def forward_hidden(ctx: Context) -> dict:
    net = _seeded_net(ctx)
    x = _images(ctx, _batch_size(ctx))
    return {"output": _output(net(x))}


def backward_hidden(ctx: Context) -> dict:
    """Gradients of an MSELoss built inside, so only forward() is under test."""
    net = _seeded_net(ctx)
    n = _batch_size(ctx)
    x, target = _images(ctx, n), _tensor(ctx.rng.standard_normal((n, OUTPUTS)))
    net.zero_grad.run()
    out = net.handle(x)
    loss = ctx.lib("torch.nn.functional.mse_loss").handle(out, target)
    loss.backward.run()
    return {"gradients": gradients(named_tensors(ctx, net, "Net()"), "Net()")}


def _trusted_network(ctx: Context) -> tuple[Remote, dict[str, tuple[int, ...]]]:
    """nn.Sequential(Linear(d, h), Tanh(), Linear(h, 10)) built inside, with seeded
    weights; hidden sizes, so train_step cannot assume LeNet or any one network."""
    d, h = int(ctx.rng.integers(6, 17)), int(ctx.rng.integers(16, 33))
    linear = ctx.lib("torch.nn.Linear")
    network = ctx.lib("torch.nn.Sequential").handle(
        linear.handle(d, h), ctx.lib("torch.nn.Tanh").handle(), linear.handle(h, OUTPUTS)
    )
    shapes = {"0.weight": (h, d), "0.bias": (h,), "2.weight": (OUTPUTS, h), "2.bias": (OUTPUTS,)}
    load_seeded(ctx, network, shapes, what=TRUSTED)
    return network, shapes


def _batch(ctx: Context, d: int, n: int) -> tuple[TensorValue, TensorValue]:
    inputs = _tensor(ctx.rng.standard_normal((n, d)))
    return inputs, _tensor(ctx.rng.standard_normal((n, OUTPUTS)))


def _loss_or_none(value: object) -> float | None:
    """The returned loss as a float, or None (the loss check then says what came back)."""
    try:
        return as_float(value, "train_step(...)")
    except ProbeFailure:
        return None


def train_step_hidden(ctx: Context) -> dict:
    """Two calls of train_step in a row on the trusted network, as a training loop makes them.

    SGD with a hidden learning rate and momentum: the first call starts with
    no gradients and no momentum, so it shows whether one step is right; the
    second shows whether the first step's gradients were cleared and the
    optimizer passed in (with its momentum) was the one used.
    """
    network, shapes = _trusted_network(ctx)
    x, target = _batch(ctx, shapes["0.weight"][1], _batch_size(ctx))
    lr = float(np.round(ctx.rng.uniform(0.05, 0.5), 3))
    momentum = float(np.round(ctx.rng.uniform(0.5, 0.9), 2))
    optimizer = ctx.lib("torch.optim.SGD").handle(
        network.parameters.handle(), lr=lr, momentum=momentum
    )
    train_step = ctx.function("train_step")
    returned = train_step(network, optimizer, x, target)
    after_first = values(named_tensors(ctx, network, TRUSTED))
    train_step.run(network, optimizer, x, target)
    return {
        "loss": _loss_or_none(returned),
        "type": returned_type(returned),
        "parameters": after_first,
        "second_parameters": values(named_tensors(ctx, network, TRUSTED)),
    }


def _forward_here(state: dict[str, TensorValue], x: np.ndarray) -> np.ndarray:
    """The trusted network's forward, computed on this side from its parameters."""
    w0, b0, w2, b2 = (
        state[name].array.astype(np.float64)
        for name in ("0.weight", "0.bias", "2.weight", "2.bias")
    )
    return np.tanh(x @ w0.T + b0) @ w2.T + b2


def train_converges(ctx: Context) -> dict:
    """A few dozen train_step calls on one fixed batch must fit it.

    The loss is computed here, from the trusted network's parameters after
    training, relative to mean(target**2) (the loss of always answering
    zeros), so the threshold does not depend on the seed's targets.
    """
    network, shapes = _trusted_network(ctx)
    x, target = _batch(ctx, shapes["0.weight"][1], CONVERGE_BATCH)
    optimizer = ctx.lib("torch.optim.SGD").handle(
        network.parameters.handle(), lr=CONVERGE_LR, momentum=CONVERGE_MOMENTUM
    )
    train_step = ctx.function("train_step")
    for _ in range(CONVERGE_STEPS):
        train_step.run(network, optimizer, x, target)
    state = named_tensors(ctx, network, TRUSTED)
    require_shapes(state, shapes, TRUSTED)
    with np.errstate(all="ignore"):
        out = _forward_here(state, x.array.astype(np.float64))
        truth = target.array.astype(np.float64)
        baseline = float((truth**2).mean())
        return {"relative_loss": float(((out - truth) ** 2).mean()) / baseline}


def script_net_parameters(ctx: Context) -> dict:
    """The global `net` a tutorial script leaves behind (it prints it)."""
    net = _module(ctx.value("net"), "the global `net`")
    return {"shapes": parameter_shapes(named_tensors(ctx, net, "the global `net`"))}


def script_net_output(ctx: Context) -> dict:
    """The global `net` on a hidden batch size, with whatever weights it has."""
    net = _module(ctx.value("net"), "the global `net`")
    return _per_image(net, _images(ctx, _batch_size(ctx)), ctx, "net")
