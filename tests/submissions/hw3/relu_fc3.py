"""LeNet with the three fully connected layers in a loop: the loop puts a ReLU
after fc3 too. Only the contract, no top-level script."""
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, kernel_size=5)
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        x = x.view(x.size(0), -1)
        for layer in (self.fc1, self.fc2, self.fc3):
            x = torch.relu(layer(x))  # bug: a ReLU after fc3 as well
        return x


def train_step(net, optimizer, inputs, target):
    criterion = nn.MSELoss()
    optimizer.zero_grad()
    loss = criterion(net(inputs), target)
    loss.backward()
    optimizer.step()
    return float(loss)
