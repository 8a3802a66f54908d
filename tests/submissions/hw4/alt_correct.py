"""A correct hw4 unlike the reference: buffers for the fixed weights, torch.relu,
an optimizer over final_bias only, and a while loop over epochs."""

import torch
from torch import nn


class BasicNN_train(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("w00", torch.tensor(1.7))
        self.register_buffer("b00", torch.tensor(-0.85))
        self.register_buffer("w01", torch.tensor(-40.8))
        self.register_buffer("w10", torch.tensor(12.6))
        self.register_buffer("b10", torch.tensor(0.0))
        self.register_buffer("w11", torch.tensor(2.7))
        self.final_bias = nn.Parameter(torch.tensor(0.0))

    def forward(self, input):
        top_relu_output = torch.relu(self.w00 * input + self.b00)
        bottom_relu_output = torch.relu(self.w10 * input + self.b10)
        return torch.relu(
            self.w01 * top_relu_output + self.w11 * bottom_relu_output + self.final_bias
        )


def train(model, inputs, labels, lr=0.1, max_epochs=100, tol=1e-4):
    optimizer = torch.optim.SGD([model.final_bias], lr=lr)
    losses = []
    steps = 0
    while steps < max_epochs:
        total_loss = 0.0
        for i in range(len(inputs)):
            loss = (model(inputs[i]) - labels[i]) ** 2
            loss.backward()
            total_loss += loss.item()
        losses.append(total_loss)
        if total_loss < tol:
            break
        optimizer.step()
        optimizer.zero_grad()
        steps += 1
    return steps, losses


if __name__ == "__main__":
    model = BasicNN_train()
    steps, losses = train(model, torch.tensor([0.0, 0.5, 1.0]), torch.tensor([0.0, 1.0, 0.0]))
    print(steps, model.final_bias.item())
