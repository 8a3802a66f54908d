"""A correct hw3 written differently from the reference.

Layer modules for pooling / activation / flatten, a hand-written mean
squared error, net.zero_grad() instead of optimizer.zero_grad(), a plot of
the training curve with plt.show() at the end.
"""
import matplotlib.pyplot as plt
import seaborn as sns
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(in_channels=1, out_channels=6, kernel_size=(5, 5))
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.act = nn.ReLU()
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(self.act(self.conv1(x)))
        x = self.pool(self.act(self.conv2(x)))
        x = self.flatten(x)
        x = self.act(self.fc1(x))
        x = self.act(self.fc2(x))
        x = self.fc3(x)
        return x


def train_step(net, optimizer, inputs, target):
    net.zero_grad()
    prediction = net(inputs)
    loss = ((prediction - target) ** 2).mean()
    loss.backward()
    optimizer.step()
    return float(loss)


if __name__ == "__main__":
    sns.set_theme()
    torch.manual_seed(0)
    net = Net()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    images, labels = torch.randn(16, 1, 32, 32), torch.randn(16, 10)
    history = [train_step(net, optimizer, images, labels) for epoch in range(30)]
    plt.plot(history)
    plt.xlabel("step")
    plt.ylabel("MSE")
    plt.show()
    print("final loss", history[-1])
