"""hw3: LeNet as an nn.Module.

Fill in the TODOs. Keep the names: the grader imports nothing from you, it
runs this file as a script and then calls `Net()` and `train_step(...)` on
hidden inputs, with the same weights as the reference solution loaded into
your network by parameter name (conv1.weight, conv1.bias, ..., fc3.bias).

Run it locally with `python hw3.py`, and grade it with `autograde submit hw3.py`.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    """LeNet-5 for 1 x 32 x 32 images, 10 outputs.

    Layers (attribute names are part of the contract):
        conv1: 1 input channel, 6 output channels, 5x5 kernel
        conv2: 6 input channels, 16 output channels, 5x5 kernel
        fc1:   16 * 5 * 5 -> 120
        fc2:   120 -> 84
        fc3:   84 -> 10
    That is 61,706 parameters in 10 tensors.
    """

    def __init__(self):
        super().__init__()
        # TODO: create self.conv1, self.conv2, self.fc1, self.fc2, self.fc3

    def forward(self, x):
        """x: (N, 1, 32, 32) -> (N, 10), for any batch size N.

        max_pool2d(relu(conv1(x)), 2) -> max_pool2d(relu(conv2(.)), 2)
        -> flatten each sample -> relu(fc1) -> relu(fc2) -> fc3
        """
        # TODO
        raise NotImplementedError("Net.forward")


def train_step(net, optimizer, inputs, target):
    """One optimisation step on one batch; returns the loss as a Python float.

    Zero the gradients, run the network on `inputs`, compute nn.MSELoss()
    against `target` (shape (N, 10)), backpropagate, call optimizer.step().
    """
    # TODO
    raise NotImplementedError("train_step")


if __name__ == "__main__":
    torch.manual_seed(0)
    net = Net()
    print(net)
    print(sum(p.numel() for p in net.parameters()), "parameters (LeNet has 61,706)")
    # TODO: once forward and train_step work, try a few steps:
    # inputs, target = torch.randn(4, 1, 32, 32), torch.randn(4, 10)
    # optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    # for step in range(20):
    #     print(step, train_step(net, optimizer, inputs, target))
