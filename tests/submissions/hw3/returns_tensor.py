import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, start_dim=1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def train_step(net, optimizer, inputs, target):
    net.zero_grad()
    out = net(inputs)
    loss = F.mse_loss(out, target)
    loss.backward()
    optimizer.step()
    return loss.detach()  # bug: still a tensor, not a Python float


net = Net()
optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
images, labels = torch.randn(8, 1, 32, 32), torch.randn(8, 10)
losses = [train_step(net, optimizer, images, labels) for epoch in range(10)]
plt.plot(losses)
plt.show()
