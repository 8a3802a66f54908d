"""A student's hw4 with two mistakes, written unlike any mutant: the epoch's
loss is summed as a tensor (so the losses are tensors), and the optimizer is
built with the tutorial's rate instead of `lr`."""

import torch
from torch import nn
from torch.optim import SGD

FIXED = {"w00": 1.7, "b00": -0.85, "w01": -40.8, "w10": 12.6, "b10": 0.0, "w11": 2.7}


class BasicNN_train(nn.Module):
    def __init__(self):
        super().__init__()
        for name, value in FIXED.items():
            setattr(self, name, nn.Parameter(torch.tensor(value), requires_grad=False))
        self.final_bias = nn.Parameter(torch.tensor(0.0))

    def forward(self, input):
        upper = (input * self.w00 + self.b00).clamp(min=0) * self.w01
        lower = (input * self.w10 + self.b10).clamp(min=0) * self.w11
        return (upper + lower + self.final_bias).clamp(min=0)


def train(model, inputs, labels, lr=0.1, max_epochs=100, tol=1e-4):
    opt = SGD([model.final_bias], lr=0.1)
    history = []
    steps = 0
    for _ in range(max_epochs):
        epoch_loss = torch.zeros(())
        for dose, label in zip(inputs, labels):
            sample_loss = (model(dose) - label).pow(2)
            sample_loss.backward()
            epoch_loss = epoch_loss + sample_loss
        history.append(epoch_loss)
        if epoch_loss.item() < tol:
            break
        opt.step()
        opt.zero_grad()
        steps += 1
    return steps, history


if __name__ == "__main__":
    model = BasicNN_train()
    steps, history = train(model, torch.tensor([0.0, 0.5, 1.0]), torch.tensor([0.0, 1.0, 0.0]))
    print(steps, model.final_bias.item())
