"""A correct hw4 in yet another style: frozen nn.Parameters made in a loop, clamp
for relu, one backward per epoch on the summed loss, a hand-written SGD step under
no_grad with grad = None, and a for/else loop."""

import torch
import torch.nn as nn

FIXED = {"w00": 1.7, "b00": -0.85, "w01": -40.8, "w10": 12.6, "b10": 0.0, "w11": 2.7}


class BasicNN_train(nn.Module):
    def __init__(self):
        super().__init__()
        for name, value in FIXED.items():
            setattr(self, name, nn.Parameter(torch.tensor(value), requires_grad=False))
        self.final_bias = nn.Parameter(torch.tensor(0.0), requires_grad=True)

    def forward(self, x):
        top = (x * self.w00 + self.b00).clamp(min=0) * self.w01
        bottom = (x * self.w10 + self.b10).clamp(min=0) * self.w11
        return (top + bottom + self.final_bias).clamp(min=0)


def train(model, inputs, labels, lr=0.1, max_epochs=100, tol=1e-4):
    losses = []
    for epoch in range(max_epochs):
        total = sum((model(x) - y) ** 2 for x, y in zip(inputs, labels))
        losses.append(total.item())
        if total.item() < tol:
            break
        total.backward()
        with torch.no_grad():
            model.final_bias -= lr * model.final_bias.grad
        model.final_bias.grad = None
    else:
        return max_epochs, losses
    return epoch, losses


model = BasicNN_train()
epochs, losses = train(model, torch.tensor([0.0, 0.5, 1.0]), torch.tensor([0.0, 1.0, 0.0]))
