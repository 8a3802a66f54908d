"""Mutant: A relu after fc3: the network's outputs can never be negative.

Hint: fc3's output is the network's output (ten scores that may be negative): return
self.fc3(x) with no activation; only conv1, conv2, fc1 and fc2 are followed by a ReLU.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return F.relu(self.fc3(x))


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
