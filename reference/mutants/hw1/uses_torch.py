"""Mutant: torch autograd computes the gradients.

Hint: hw1 is NumPy only: compute grad_w1 and grad_w2 with the chain rule by
hand. Any import of torch (or jax, tensorflow, autograd), wherever it is,
fails the rule check and voids the gradient and training checks.
"""

import numpy as np
import torch


def forward(x, w1, w2):
    return np.maximum(x @ w1, 0) @ w2


def loss_fn(y_pred, y):
    return float(np.square(y_pred - y).sum())


def backward(x, y, w1, w2):
    tw1 = torch.tensor(w1, requires_grad=True)
    tw2 = torch.tensor(w2, requires_grad=True)
    loss = ((torch.relu(torch.tensor(x) @ tw1) @ tw2 - torch.tensor(y)) ** 2).sum()
    loss.backward()
    return tw1.grad.numpy(), tw2.grad.numpy()


def train(x, y, w1, w2, learning_rate=1e-6, steps=500):
    losses = []
    for _ in range(steps):
        losses.append(loss_fn(forward(x, w1, w2), y))
        g1, g2 = backward(x, y, w1, w2)
        w1 = w1 - learning_rate * g1
        w2 = w2 - learning_rate * g2
    return w1, w2, losses
