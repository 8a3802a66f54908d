"""Mutant: 3x3 kernels, fc1 resized to fit: the parameter shapes differ.

Hint: Both convolutions use 5x5 kernels, nn.Conv2d(1, 6, 5) and nn.Conv2d(6, 16, 5); with
them a 32x32 image becomes 16 x 5 x 5 = 400 values after the second pooling, which is fc1's
input size (16 * 5 * 5, not 16 * 6 * 6).
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3)
        self.conv2 = nn.Conv2d(6, 16, 3)
        self.fc1 = nn.Linear(16 * 6 * 6, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def train_step(net, optimizer, inputs, target):
    optimizer.zero_grad()
    output = net(inputs)
    loss = nn.MSELoss()(output, target)
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    net = Net()
    print(net)
    print(sum(p.numel() for p in net.parameters()), "parameters")
    inputs = torch.randn(4, 1, 32, 32)
    target = torch.randn(4, 10)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    losses = [train_step(net, optimizer, inputs, target) for _ in range(20)]
    loss = losses[-1]
    print(f"loss after {len(losses)} steps: {loss:.4f}")
