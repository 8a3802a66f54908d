"""Mutant: train steps (and counts the step) before checking tol: one step too many.

Hint: check `total_loss < tol` right after the epoch's samples and stop before
optimizer.step(); the epoch that stops is not stepped.
"""

import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim import SGD


class BasicNN_train(nn.Module):
    """Two ReLU units with fixed weights; only `final_bias` is trainable."""

    def __init__(self):
        super().__init__()
        self.w00 = nn.Parameter(torch.tensor(1.7), requires_grad=False)
        self.b00 = nn.Parameter(torch.tensor(-0.85), requires_grad=False)
        self.w01 = nn.Parameter(torch.tensor(-40.8), requires_grad=False)
        self.w10 = nn.Parameter(torch.tensor(12.6), requires_grad=False)
        self.b10 = nn.Parameter(torch.tensor(0.0), requires_grad=False)
        self.w11 = nn.Parameter(torch.tensor(2.7), requires_grad=False)
        self.final_bias = nn.Parameter(torch.tensor(0.0), requires_grad=True)

    def forward(self, input):
        top = F.relu(input * self.w00 + self.b00) * self.w01
        bottom = F.relu(input * self.w10 + self.b10) * self.w11
        return F.relu(top + bottom + self.final_bias)


def train(model, inputs, labels, lr=0.1, max_epochs=100, tol=1e-4):
    """SGD on the total squared error per epoch; stop before stepping once it is below tol."""
    optimizer = SGD(model.parameters(), lr=lr)
    losses = []
    for epoch in range(max_epochs):
        total_loss = 0.0
        for input_i, label_i in zip(inputs, labels, strict=True):
            loss = (model(input_i) - label_i) ** 2
            loss.backward()
            total_loss += loss.item()
        losses.append(total_loss)
        optimizer.step()
        optimizer.zero_grad()
        if total_loss < tol:
            return epoch + 1, losses
    return max_epochs, losses


if __name__ == "__main__":
    model = BasicNN_train()
    inputs = torch.tensor([0.0, 0.5, 1.0])
    labels = torch.tensor([0.0, 1.0, 0.0])
    epochs, losses = train(model, inputs, labels)
    print(f"steps: {epochs}, final bias: {model.final_bias.item():.4f}, loss: {losses[-1]:.2e}")

    doses = torch.linspace(start=0, end=1, steps=11)
    plt.plot(doses, model(doses).detach(), color="green", linewidth=2.5)
    plt.xlabel("Effectiveness")
    plt.ylabel("Dose")
    plt.show()
