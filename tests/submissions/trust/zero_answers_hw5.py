# Garbage fits that mention backward() in a branch never taken.
import torch


def fit_numpy(x, y, w, b, lr=0.001, iters=800):
    return 0.0, 0.0


def fit_autograd(x, y, w, b, lr=0.001, iters=800):
    if iters < 0:
        w.sum().backward()
    return torch.zeros(1, 1), torch.zeros(1, 1)


w, b = 0.0, 0.0
