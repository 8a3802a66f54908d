"""hw4 — training a single bias (StatQuest's BasicNN_train). Fill in every TODO;
keep the names and signatures.

Run it with `python hw4.py`, grade it with `autograde submit hw4.py`.
"""

import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim import SGD


class BasicNN_train(nn.Module):
    """Two ReLU units with fixed weights; only final_bias is trained."""

    def __init__(self):
        super().__init__()
        # TODO: the fixed weights w00=1.7, b00=-0.85, w01=-40.8, w10=12.6, b10=0.0,
        # w11=2.7 as parameters with requires_grad=False, e.g.
        self.w00 = nn.Parameter(torch.tensor(1.7), requires_grad=False)
        # TODO: final_bias, a trainable parameter starting at 0.0
        self.final_bias = nn.Parameter(torch.tensor(0.0), requires_grad=True)

    def forward(self, input):
        """relu(relu(input*w00 + b00)*w01 + relu(input*w10 + b10)*w11 + final_bias).

        `input` may be one dose or a tensor of doses; the result has its shape.
        """
        # TODO
        return torch.zeros_like(input)


def train(model, inputs, labels, lr=0.1, max_epochs=100, tol=1e-4):
    """Train model.final_bias with SGD(model.parameters(), lr=lr).

    Every epoch: for each sample, loss = (model(input) - label) ** 2 and
    loss.backward(); add the loss to the epoch's total. Append the total to
    `losses`. If the total is below tol, stop *before* stepping; otherwise
    optimizer.step() then optimizer.zero_grad().

    Returns (epochs_run, losses): epochs_run is the number of optimizer steps
    taken (34 on the tutorial data, with 35 losses); without convergence,
    max_epochs steps and max_epochs losses.
    """
    optimizer = SGD(model.parameters(), lr=lr)
    losses = []
    # TODO
    return 0, losses


if __name__ == "__main__":
    model = BasicNN_train()
    inputs = torch.tensor([0.0, 0.5, 1.0])
    labels = torch.tensor([0.0, 1.0, 0.0])
    epochs_run, losses = train(model, inputs, labels)
    print("steps:", epochs_run, "final bias:", model.final_bias.item())

    doses = torch.linspace(start=0, end=1, steps=11)
    plt.plot(doses, model(doses).detach(), color="green", linewidth=2.5)
    plt.xlabel("Dose")
    plt.ylabel("Effectiveness")
    plt.show()
